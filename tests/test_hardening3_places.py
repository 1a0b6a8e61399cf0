"""Hardening round 3 (issue 19, findings 2, 3 and 11's export part): names that become file names, output paths,
care groups across villages, and outputs written onto an input."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

from generator.present.documents import Planned, write_documents
from generator.present.export import ExportRefused, default_path, write_private
from generator.present.document_context import group_context
from generator.validate.workbook import validate_workbook
from generator.present.views import build_view
from generator.read.workbook import read_workbook
from tests.commands import run, text
from tests.test_hardening import rename
from tests.workbooks import AS_OF, set_cell, valid_sheets, write_sheets

ESCAPING_VILLAGE = "../../x/青石村"
ESCAPING_TOWNSHIP = "青禾镇/../../x/青禾镇"
NAMES_RULE = "乡镇和村社区名称会用作导出文件和 Word 文书的文件名，不能含有 / \\ : * ? \" | 这些符号，请删除或改用别的字。"


def problems(tmp_path: Path, sheets: dict) -> list[list[str]]:
    _, report = validate_workbook(read_workbook(write_sheets(tmp_path / "台账.xlsx", sheets)), today=AS_OF)
    return [[p.where, p.code, p.message] for p in report.sorted()]


def escaping_sheets() -> dict:
    sheets = valid_sheets()
    rename(sheets, "禾苗村", ESCAPING_VILLAGE)  # the village and every reference to it (and a 人员 单位, free text)
    set_cell(sheets, "基本设置", 1, "值", ESCAPING_TOWNSHIP)
    return sheets


def test_check_refuses_names_that_would_leave_the_output_folder_at_each_cell(tmp_path):
    village = f"「{ESCAPING_VILLAGE}」含有 / 符号。{NAMES_RULE}"
    assert problems(tmp_path, escaping_sheets()) == [
        ["基本设置!B2", "unsafe-file-name", f"“乡镇名称”：「{ESCAPING_TOWNSHIP}」含有 / 符号。{NAMES_RULE}"],
        ["村社区!A2", "unsafe-file-name", village],
        ["帮扶小组!C2", "unsafe-file-name", village],
        ["患者!E2", "unsafe-file-name", village],
        ["患者!E4", "unsafe-file-name", village],
        ["排查记录!A2", "unsafe-file-name", village],
    ]


@pytest.mark.parametrize("name, message", [
    ("禾苗村\\..\\x", f"「禾苗村\\..\\x」含有 \\ 符号。{NAMES_RULE}"),
    ("C:禾苗村", f"「C:禾苗村」含有 : 符号。{NAMES_RULE}"),
    ('禾苗*村?"|', f'「禾苗*村?"|」含有 * ? " | 符号。{NAMES_RULE}'),
    (".禾苗村", "「.禾苗村」以点“.”开头。乡镇和村社区名称会用作文件名，以点开头的文件会被隐藏，请删除开头的点。"),
    ("..", "「..」以点“.”开头。乡镇和村社区名称会用作文件名，以点开头的文件会被隐藏，请删除开头的点。"),
])
def test_each_character_a_file_name_cannot_hold_is_named(tmp_path, name, message):
    sheets = valid_sheets()
    rename(sheets, "禾苗村", name)
    found = problems(tmp_path, sheets)
    assert found[0] == ["村社区!A2", "unsafe-file-name", message]
    assert {code for _, code, _ in found} == {"unsafe-file-name"}


def test_full_width_look_alikes_are_ordinary_characters(tmp_path):
    sheets = valid_sheets()
    rename(sheets, "禾苗村", "禾苗村／一组：东")  # full-width ／ and ： are plain characters in a file name
    assert problems(tmp_path, sheets) == []


def test_the_check_command_names_each_cell(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", escaping_sheets())
    result = run("check", str(workbook))
    lines = (text(result.stdout) + text(result.stderr)).splitlines()
    assert result.returncode == 1 and lines[-1] == "6 个错误，0 个警告"
    cells = [[part.strip() for part in line.split(" | ")[:2]] for line in lines[2:-1]]
    assert cells == [["基本设置", "B2"], ["村社区", "A2"], ["帮扶小组", "C2"], ["患者", "E2"], ["患者", "E4"], ["排查记录", "A2"]]
    assert all(line.endswith(NAMES_RULE) for line in lines[2:-1])


def valid_view(tmp_path: Path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    data, report = validate_workbook(read_workbook(workbook), today=AS_OF)
    return workbook, build_view(data, report, data.as_of, datetime(2025, 7, 1, 8, 0))


@pytest.mark.parametrize("name", ["../../x/青石村-监护协议.docx", "x/青石村.docx", "..", ".", "", "a\\b.docx",
                                  "C:青石村.docx", "青石\n村.docx"])
def test_a_file_name_that_slipped_through_cannot_leave_its_folder(tmp_path, name):
    _, view = valid_view(tmp_path)
    folder = tmp_path / "a" / "b" / "文书"
    g = view.data.groups[0]
    with pytest.raises(ExportRefused, match="没有写入"):
        write_documents(view, folder, [Planned(name, "成立关爱帮扶小组的通知", [group_context(view, g)])], None, reads=())
    assert not folder.exists() and not (tmp_path / "x").exists()
    with pytest.raises(ExportRefused, match="没有写入"):
        write_private(b"plain", folder, name, reads=())
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["台账.xlsx"]  # nothing written, no folder made


def test_a_link_in_the_folder_does_not_carry_a_file_out_of_it(tmp_path):
    folder, outside = tmp_path / "文书", tmp_path / "outside.docx"
    folder.mkdir()
    outside.write_bytes(b"keep")
    (folder / "禾苗村-监护协议.docx").symlink_to(outside)
    with pytest.raises(ExportRefused):
        write_private(b"plain", folder, "禾苗村-监护协议.docx", reads=())
    assert outside.read_bytes() == b"keep"


def test_an_exports_default_name_stays_in_the_current_folder(tmp_path, monkeypatch):
    _, view = valid_view(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert default_path("逾期清单", view, "禾苗村") == Path("逾期清单-禾苗村-2025-06-30.xlsx")
    object.__setattr__(view.data, "settings", view.data.settings.model_copy(update={"township": ESCAPING_TOWNSHIP}))
    with pytest.raises(ExportRefused, match="没有写入"):
        default_path("逾期清单", view, None)


def cross_group_sheets() -> dict:
    sheets = valid_sheets()
    set_cell(sheets, "患者", 2, "帮扶小组编号", "G01")  # P002 lives in 溪口社区; G01 is 禾苗村's
    return sheets


CROSS_GROUP = ("患者现住“溪口社区”，帮扶小组 G01 却属于“禾苗村”：小组页面和成立通知会让禾苗村看到这位患者。"
               "请改填溪口社区的帮扶小组编号（或核对现住村社区）。")


def test_check_refuses_a_patient_in_another_villages_care_group(tmp_path):
    assert problems(tmp_path, cross_group_sheets()) == [["患者!J3", "group-village", CROSS_GROUP]]


def test_a_patient_living_outside_the_township_is_in_no_village_group(tmp_path):
    sheets = valid_sheets()
    set_cell(sheets, "患者", 3, "现住村社区", "外地")
    set_cell(sheets, "患者", 3, "帮扶小组编号", "G02")
    assert problems(tmp_path, sheets) == [[
        "患者!J4", "group-village",
        "患者现住外地，帮扶小组 G02 却属于“溪口社区”：小组页面和成立通知会让溪口社区看到这位患者。"
        "住在外地的患者请清空帮扶小组编号（或核对现住村社区）。"]]


@pytest.mark.parametrize("sheet, header", [("患者", "现住村社区"), ("帮扶小组", "所属村社区")])
def test_an_unknown_village_is_reported_once_not_also_as_a_group_problem(tmp_path, sheet, header):
    sheets = valid_sheets()
    set_cell(sheets, sheet, 2, header, "河西村")
    assert [code for _, code, _ in problems(tmp_path, sheets)] == ["unknown-reference"]


TOWNSHIP_PASSWORD, VILLAGE_PASSWORD = "Town-Test-Only-7xq4", "Village-Test-Only-k9w2"
ACCESS = f"乡镇: {TOWNSHIP_PASSWORD}\n村社区:\n  禾苗村: {VILLAGE_PASSWORD}\n"
P002 = ["简雨桐", "简守拙", "13900000012"]  # 溪口社区's patient, her guardian and his phone


def build_leveled(folder: Path, sheets: dict):
    workbook = write_sheets(folder / "台账.xlsx", sheets)
    access = folder / "权限.yaml"
    access.write_text(ACCESS, encoding="utf-8")
    result = run("build", str(workbook), "--out", str(folder / "site"), "--access", str(access), password=None)
    return result, folder / "site"


KEYSTORE_RE = re.compile(r"var encryptcontent_keystore = (\[[^\]]*\])")
PAGE_ID_RE = re.compile(r'var encryptcontent_id = "([^"]+)"')
CIPHERTEXT_RE = re.compile(r'<div id="mkdocs-encrypted-content"[^>]*>([^<]*)</div>')


def aes_cbc(key: bytes, bundle: str) -> bytes:
    iv, ciphertext = bundle.split(";")[:2]
    return unpad(AES.new(key, AES.MODE_CBC, base64.b64decode(iv)).decrypt(base64.b64decode(ciphertext)), 16)


def opened_by(site: Path, password: str) -> dict[str, str]:
    """Every page of site that password opens, with what a holder of it reads there (the page's plaintext and its
    decrypted content): decrypted here, in Python, as the plugin's format says (PBKDF2-SHA256 10^6 → the page's
    keystore → its level key → AES-CBC), not by the site's own script."""
    derived: dict[str, bytes] = {}
    opened = {}
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        content = CIPHERTEXT_RE.search(html)
        if content is None:
            continue
        page_id = PAGE_ID_RE.search(html).group(1)
        for entry in json.loads(KEYSTORE_RE.search(html).group(1)):
            salt = entry.split(";")[2]
            if salt not in derived:
                secret = quote(password, safe="-_.!~*'()").encode()  # as the browser's encodeURIComponent
                derived[salt] = hashlib.pbkdf2_hmac("sha256", secret, base64.b64decode(salt), 1_000_000, 32)
            try:
                keys = json.loads(aes_cbc(derived[salt], entry))
            except ValueError:  # another password's entry: bad padding, or noise that is not JSON
                continue
            if page_id in keys:
                opened[path.relative_to(site).as_posix()] = (html.replace(content.group(0), "")
                                                             + aes_cbc(bytes.fromhex(keys[page_id]), content.group(1)).decode())
                break
    return opened


def leaked(opened: dict[str, str], values: list[str]) -> dict[str, list[str]]:
    return {rel: found for rel, body in opened.items() if (found := [v for v in values if v in body])}


def test_a_village_password_never_opens_a_patient_of_another_village(tmp_path):
    result, site = build_leveled(tmp_path, cross_group_sheets())
    if result.returncode == 0:  # before the fix: the group page and its notice showed P002 to 禾苗村
        assert leaked(opened_by(site, VILLAGE_PASSWORD), P002) == {}
    assert result.returncode == 1 and not site.exists()
    assert f"患者   | J3     | 帮扶小组编号 | G01 | {CROSS_GROUP}" in text(result.stderr)


def test_with_the_group_corrected_the_village_opens_its_own_group_only(tmp_path):
    result, site = build_leveled(tmp_path, valid_sheets())
    assert result.returncode == 0, text(result.stderr)
    everything = opened_by(site, TOWNSHIP_PASSWORD)
    assert len(everything) == sum(CIPHERTEXT_RE.search(p.read_text(encoding="utf-8")) is not None
                                  for p in site.rglob("*.html"))  # the decryption here opens every page
    opened = opened_by(site, VILLAGE_PASSWORD)
    assert "groups/G01.html" in opened and "甘望舒" in opened["groups/G01.html"]
    assert "agreements/V01-notice.html" in opened and "甘秋禾" in opened["agreements/V01-notice.html"]
    assert "groups/G02.html" not in opened and "patients/P002.html" not in opened
    assert leaked(opened, P002) == {}


def test_export_never_writes_onto_the_workbook_it_reads(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    before = workbook.read_bytes()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.xlsx").symlink_to(workbook)
    os.link(workbook, tmp_path / "hard.xlsx")
    for out in (workbook, tmp_path / "sub" / ".." / "台账.xlsx", tmp_path / "link.xlsx", tmp_path / "hard.xlsx"):
        for extra in ((), ("--roster",)):
            result = run("export", str(workbook), "--out", str(out), "--force", *extra)
            assert result.returncode == 1, (out, extra)
            assert text(result.stderr) == (f"错误：“{out}”就是要读取的文件“{workbook}”，没有写入：写在这里会覆盖它"
                                           "（加了 --force 也不会覆盖）。请换一个文件名或文件夹。\n")
    assert workbook.read_bytes() == before and (tmp_path / "link.xlsx").is_symlink()


def test_documents_never_write_onto_an_input(tmp_path):
    workbook, view = valid_view(tmp_path)
    before = workbook.read_bytes()
    with pytest.raises(ExportRefused, match="就是要读取的文件"):
        write_private(b"plain", tmp_path, "台账.xlsx", reads=(workbook,))
    assert workbook.read_bytes() == before
