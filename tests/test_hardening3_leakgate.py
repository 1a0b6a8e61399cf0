"""The leak gate's blind spots (issue 19, findings 7 and 1): what a browser, Word or an unzip tool would show of a
file, a file the build did not make, and the build's own passwords."""

from __future__ import annotations

import base64
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.site import verify as gate
from generator.site.freshness import STAMP
from tests.commands import run, text, verify
from tests.workbooks import valid_sheets, write_sheets

NAME, PHONE = "甘望舒", "13900000011"  # a patient of the standard test workbook, and a guardian's phone
SECRET = "Town-Test-Only-7xq4"  # a password the gate is given
PASSWORD, UNCHECKABLE = "密码", "无法检查的文件（过大、压缩包层数过多、加密或损坏）"


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def escaped(value: str, form: str) -> str:
    return "".join(form % ord(char) for char in value)


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml":
               f'<w:document><w:body><w:p><w:r><w:t>{NAME[0]}</w:t></w:r><w:r><w:t>{NAME[1:]}</w:t></w:r></w:p>'
               "</w:body></w:document>"})
XLSX = zipped({"xl/sharedStrings.xml": f"<sst><si><t>{NAME}</t></si></sst>", "xl/workbook.xml": "<workbook/>"})
DATA_URI = base64.b64encode(NAME.encode()).decode()
PLANTED = {  # file planted in the site → what it holds, as the program that opens it would show it
    "assets/名单.docx": DOCX,
    "assets/名单.xlsx": XLSX,
    "assets/备份.zip": zipped({"名单/患者.txt": f"{NAME} {PHONE}"}),
    "assets/名单.txt": f"患者：{NAME}".encode("gbk"),
    "assets/名单18030.txt": f"患者：{NAME}".encode("gb18030"),
    "assets/名单16.txt": f"患者：{NAME}".encode("utf-16"),
    "assets/extra.css": f'.x::after {{ content: "{escaped(NAME, chr(92) + "%x ")}"; }}'.encode(),
    "assets/extra.js": f'var who = "{escaped(NAME, chr(92) + "u{%x}")}";'.encode(),  # \\uXXXX: issue 10
    "assets/more.js": ('var who = "' + "".join(f"\\x{b:02x}" for b in NAME.encode()) + '";').encode(),
    "assets/logo.html": f'<img src="data:text/plain;base64,{DATA_URI}">'.encode(),
    "assets/chart.svg": (f'<svg xmlns="http://www.w3.org/2000/svg"><text><tspan x="1">{NAME[0]}</tspan>'
                         f'<tspan x="9">{NAME[1]}</tspan><tspan x="17">{NAME[2]}</tspan></text></svg>').encode(),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("gate")
    workbook = write_sheets(folder / "台账.xlsx", valid_sheets())
    result = run("build", str(workbook), "--out", str(folder / "site"))
    assert result.returncode == 0, text(result.stderr)
    return workbook, folder / "site"


def copy_of(site: Path, tmp_path: Path, stamp: bool) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    if not stamp:
        (copy / STAMP).unlink()  # a folder of unknown origin: each file is only scanned
    return copy


@pytest.mark.parametrize("stamp", [True, False])
def test_the_clean_site_passes(site, tmp_path, stamp):
    workbook, built = site
    result = verify(workbook, copy_of(built, tmp_path, stamp))
    assert result.returncode == 0, text(result.stdout)


@pytest.mark.parametrize("rel", sorted(PLANTED))
def test_a_name_in_any_encoding_is_found(site, tmp_path, rel):
    workbook, built = site
    copy = copy_of(built, tmp_path, stamp=False)
    (copy / rel).write_bytes(PLANTED[rel])
    result = verify(workbook, copy)
    out = text(result.stdout)
    assert result.returncode == 1, out
    assert f"  姓名：{rel}\n" in out
    assert NAME not in out and PHONE not in out


def test_a_file_the_build_did_not_make_or_that_changed_fails(site, tmp_path):
    workbook, built = site
    copy = copy_of(built, tmp_path, stamp=True)
    (copy / "说明.txt").write_text("会议记录", encoding="utf-8")  # nothing personal, but not the build's
    with (copy / "assets" / "jingfang.css").open("a", encoding="utf-8") as css:
        css.write("\n/* 改过 */\n")
    result = verify(workbook, copy)
    out = text(result.stdout)
    assert result.returncode == 1
    assert "  不是 jingfang 生成的文件：说明.txt\n" in out
    assert "  生成后被改动过的文件：assets/jingfang.css\n" in out


def test_a_zip_bomb_is_a_finding_not_a_hang(site, tmp_path):
    workbook, built = site
    copy = copy_of(built, tmp_path, stamp=False)
    (copy / "assets" / "bomb.zip").write_bytes(zipped({"a.txt": "0" * (80 * 1024 * 1024)}))
    result = verify(workbook, copy)
    assert result.returncode == 1
    assert f"  {UNCHECKABLE}：assets/bomb.zip\n" in text(result.stdout)


def test_the_gate_finds_the_builds_passwords_and_never_shows_them(tmp_path):
    (tmp_path / "plain.txt").write_text(f"乡镇密码：{SECRET}", encoding="utf-8")
    (tmp_path / "encoded.js").write_text(f'atob("{base64.b64encode(SECRET.encode()).decode()}")', encoding="utf-8")
    (tmp_path / "access.zip").write_bytes(zipped({"权限.yaml": f"乡镇: {SECRET}\n"}))
    (tmp_path / "other.txt").write_text("Town-Test-Only-0000", encoding="utf-8")
    leaks = gate.scan_site(tmp_path, gate.Secrets({}, [SECRET, "Village-Test-Only-k9w2"]))
    assert [(leak.path, leak.kind) for leak in leaks] == [
        ("access.zip", PASSWORD), ("encoded.js", PASSWORD), ("plain.txt", PASSWORD)]
    assert SECRET not in gate.describe(leaks)


def test_an_escaped_password_in_a_page_fails_the_gate(site, tmp_path):
    # what build hands the gate: the workbook's values and every password of the access file
    workbook, built = site
    copy = copy_of(built, tmp_path, stamp=True)
    secrets = gate.Secrets({}, [SECRET])
    assert gate.scan_site(copy, secrets) == []
    (copy / "index.html").write_text((copy / "index.html").read_text(encoding="utf-8").replace(
        "</body>", f"<!-- {escaped(SECRET, '&#%d;')} --></body>"), encoding="utf-8")
    assert [(leak.path, leak.kind) for leak in gate.scan_site(copy, secrets)] == [("index.html", PASSWORD)]


def test_a_password_shown_on_a_page_stops_the_build(tmp_path):
    """A village password that reaches a page's plaintext (here a patient's 备注; a template could do it too) would be
    opened by other passwords: the build refuses before mkdocs encrypts it, and says so without the password."""
    from tests.workbooks import set_cell
    village = "Village-Test-Only-k9w2"
    sheets = valid_sheets()
    set_cell(sheets, "患者", 1, "备注", f"村里的密码是 {village}")
    workbook = write_sheets(tmp_path / "台账.xlsx", sheets)
    access = tmp_path.parent / f"{tmp_path.name}-权限.yaml"
    access.write_text(f"乡镇: {SECRET}\n村社区:\n  禾苗村: {village}\n", encoding="utf-8")
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), "--access", str(access), password=None)
    err = text(result.stderr)
    assert result.returncode == 1, err
    assert "的内容里有本次生成所用的一个密码" in err and village not in err + text(result.stdout)
    assert not (tmp_path / "site").exists()
