"""Nothing readable without the password, nothing more than each reader needs, nothing left behind."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date, datetime

import pytest

from generator.app.build import build
from generator.app.password import Access, PasswordProblem, resolve_access
from tests.commands import PASSWORD, ROOT, run, text, verify
from tests.workbooks import messy_sheets, write_sheets

NOW = datetime(2025, 7, 1, 8, 30)


def test_verify_finds_nothing_in_the_encrypted_site(workbook, encrypted):
    result = verify(workbook, encrypted)
    assert result.returncode == 0, text(result.stdout)
    assert re.fullmatch(r"保密检查通过：\d+ 个文件，\d+ 项个人信息，没有发现明文，每个页面都已加密。\n", text(result.stdout))


def test_verify_would_catch_a_leak(workbook, tmp_path):
    plain = tmp_path / "plain"
    result = run("build", str(workbook), "--out", str(plain), "--insecure-no-password", password=None)
    assert result.returncode == 0 and "不加密" in text(result.stderr)
    scan = verify(workbook, plain)
    out = text(scan.stdout)
    assert scan.returncode == 1 and out.startswith("保密检查没有通过：")
    for kind in ("未加密的页面", "姓名", "身份证号", "电话", "地址"):
        assert f"  {kind}：" in out, kind
    assert "甘望舒" not in out  # the report names files and kinds, never a value


def test_the_password_is_stored_nowhere(workbook, encrypted, tmp_path):
    for path in list(encrypted.rglob("*")) + list(ROOT.glob("*.cache")) + list(workbook.parent.glob("*.cache")):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert not (ROOT / "encryptcontent.cache").exists()


def test_no_plaintext_is_left_in_temp_folders_after_success_or_failure(workbook, tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    modes = []

    def progress(message: str) -> None:
        for folder in temp.glob("jingfang-*"):
            modes.append(folder.stat().st_mode & 0o777)

    build(workbook, tmp_path / "site", as_of=None, today=date(2025, 7, 1), now=NOW, access=Access(PASSWORD), progress=progress)
    assert modes and set(modes) == {0o700}
    assert list(temp.iterdir()) == []
    from generator.site import encryption, mkdocs_processes as site
    monkeypatch.setattr(encryption, "PROMPT_TEXTS", encryption.PROMPT_TEXTS | {"no_such_option": 1})  # strict mkdocs rejects it
    with pytest.raises(site.BuildFailed):
        build(workbook, tmp_path / "site", as_of=None, today=date(2025, 7, 1), now=NOW, access=Access(PASSWORD))
    assert list(temp.iterdir()) == []


def test_a_weak_password_stops_the_build_and_keeps_the_old_site(workbook, encrypted):
    before = sorted(p.name for p in encrypted.iterdir())
    result = run("build", str(workbook), "--out", str(encrypted), password="123456789012")
    assert result.returncode == 1 and "错误：网站密码太容易被猜到：含有常见密码" in text(result.stderr)
    assert sorted(p.name for p in encrypted.iterdir()) == before


def test_password_sources(tmp_path):
    secret = tmp_path / "密码.txt"
    secret.write_text("File-Secret-2025\n", encoding="utf-8")
    common = dict(access_file=None, township="测试镇", villages=[], project=ROOT)
    assert resolve_access(password_file=secret, prompt=None, **common).township == "File-Secret-2025"
    os.environ["JINGFANG_PASSWORD"] = "Env-Secret-2025x"
    try:
        assert resolve_access(password_file=None, prompt=None, **common).township == "Env-Secret-2025x"
    finally:
        del os.environ["JINGFANG_PASSWORD"]
    assert resolve_access(password_file=None, prompt=lambda: "Typed-Secret-2025", **common).township == "Typed-Secret-2025"
    with pytest.raises(PasswordProblem, match="需要网站密码"):
        resolve_access(password_file=None, prompt=None, **common)
    inside = ROOT / "workbook"
    with pytest.raises(PasswordProblem, match="项目文件夹"):
        resolve_access(password_file=inside / "x.txt", prompt=None, **common)


def test_build_without_any_password_source_explains_how(workbook, tmp_path):
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), password=None)
    assert result.returncode == 1 and "JINGFANG_PASSWORD" in text(result.stderr)
    assert not (tmp_path / "site").exists()


def test_password_is_never_a_command_line_option():
    help_text = text(run("build", "--help").stdout)
    assert "--password-file" in help_text and not re.search(r"--password\b(?!-file)", help_text)


def test_masking_in_lists_full_values_on_the_record(workbook, tmp_path):
    plain = tmp_path / "plain"
    assert run("build", str(workbook), "--out", str(plain), "--insecure-no-password", password=None).returncode == 0
    roster = (plain / "roster" / "index.html").read_text(encoding="utf-8")
    overdue = (plain / "overdue" / "followup_overdue.html").read_text(encoding="utf-8")
    record = (plain / "patients" / "P001.html").read_text(encoding="utf-8")
    papers = (plain / "agreements" / "V01-guardian.html").read_text(encoding="utf-8")
    for listing in (roster, overdue):
        assert "139****0011" in listing and "13900000011" not in listing
    id_p001 = "110101198005060250"
    assert id_p001 not in roster and id_p001 in record and id_p001 in papers
    assert "13900000011" in record and "13900000011" in papers


def test_access_file_is_checked(workbook, tmp_path):
    bad = tmp_path / "权限.yaml"
    bad.write_text("乡镇: Town-Secret-2025\n村社区:\n  河西村: Hexi-Secret-2025\n", encoding="utf-8")
    result = run("build", str(workbook), "--out", str(tmp_path / "s"), "--access", str(bad), password=None)
    assert result.returncode == 1 and "河西村" in text(result.stderr)
    same = tmp_path / "同密码.yaml"
    same.write_text("乡镇: Town-Secret-2025\n村社区:\n  禾苗村: Town-Secret-2025\n", encoding="utf-8")
    assert "不能重复" in text(run("build", str(workbook), "--out", str(tmp_path / "s"), "--access", str(same), password=None).stderr)


def test_leveled_site_also_leaks_nothing(workbook, leveled):
    assert verify(workbook, leveled).returncode == 0


def test_messy_workbook_and_the_sample_leak_nothing(tmp_path):
    messy = write_sheets(tmp_path / "乱台账.xlsx", messy_sheets())
    sample = ROOT / "workbook" / "示例台账.xlsx"
    for workbook in (messy, sample):
        out = tmp_path / f"site-{workbook.stem}"
        result = run("build", str(workbook), "--out", str(out))
        assert result.returncode == 0, text(result.stderr)
        scan = verify(workbook, out)
        assert scan.returncode == 0, text(scan.stdout)
