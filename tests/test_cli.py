"""The real ``jingfang`` command, run as a process: exit codes, output formats, files it must not touch."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.commands import ROOT, run, text
from tests.workbooks import set_cell, valid_sheets, write_sheets


def bad_workbook(tmp_path: Path) -> Path:
    s = valid_sheets()
    set_cell(s, "人员", 3, "手机号", "1390000000")
    set_cell(s, "随访记录", 2, "随访人员", "骆思源")  # a warning: 1 of 2 visitors
    return write_sheets(tmp_path / "有错的台账.xlsx", s)


def test_check_valid_workbook_exits_0(tmp_path):
    result = run("check", str(write_sheets(tmp_path / "台账.xlsx", valid_sheets())))
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout).strip().splitlines()[-1] == "0 个错误，0 个警告"


def test_check_prints_a_table_and_a_summary_and_exits_1(tmp_path):
    result = run("check", str(bad_workbook(tmp_path)))
    assert result.returncode == 1
    lines = text(result.stdout).strip().splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["工作表", "单元格", "列", "值", "问题"]
    assert [c.strip() for c in lines[2].split("|")][:4] == ["人员", "D4", "手机号", "1390000000"]
    assert "［警告］面访只有 1 名随访人员" in lines[3]
    assert lines[-1] == "1 个错误，1 个警告"


def test_check_json(tmp_path):
    result = run("check", "--json", str(bad_workbook(tmp_path)))
    assert result.returncode == 1
    problems = json.loads(text(result.stdout))
    assert [list(p) for p in problems] == [["sheet", "row", "column", "cell", "value", "code", "message", "severity"]] * 2
    assert problems[0] | {"message": ""} == {"sheet": "人员", "row": 4, "column": "手机号", "cell": "D4", "value": "1390000000",
                                             "code": "bad-phone", "message": "", "severity": "error"}
    assert problems[1]["severity"] == "warning" and problems[1]["cell"] == "D3"


def test_check_never_modifies_the_workbook(tmp_path):
    path = bad_workbook(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    run("check", str(path))
    run("check", "--json", str(path))
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["有错的台账.xlsx"]


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def ole_file(path: Path, encrypted: bool) -> Path:
    body = b"\x00" * 512 + ("EncryptedPackage".encode("utf-16-le") if encrypted else b"Workbook".ljust(64, b"\x00"))
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body)
    return path


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "没有这个文件.xlsx", "找不到文件"),
    (lambda d: d, "文件夹"),
    (lambda d: ole_file(d / "旧台账.xls", encrypted=False), ".xls"),
    (lambda d: ole_file(d / "加密台账.xlsx", encrypted=True), "密码"),
    (lambda d: put(d / "~$台账.xlsx", b"\x0bowner"), "临时锁定文件"),
    (lambda d: put(d / "台账.xlsx", "患者编号,姓名\n".encode()), "不是 Excel 工作簿"),
    (lambda d: put(d / "坏.xlsx", b"PK\x03\x04" + b"\x00" * 40), "Excel"),
])
def test_unreadable_files_exit_2_with_one_sentence(tmp_path, make, words):
    result = run("check", str(make(tmp_path)))
    err = text(result.stderr)
    assert result.returncode == 2, err
    assert words in err and "Traceback" not in err
    assert err.startswith("错误：") and len(err.strip().splitlines()) == 1


def test_gbk_console_does_not_crash(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "备注", "—✓☺ 𠀋")  # characters GBK cannot encode
    set_cell(s, "人员", 3, "手机号", "☎1390000000")
    result = run("check", str(write_sheets(tmp_path / "台账.xlsx", s)), encoding="gbk")
    out = text(result.stdout, "gbk")
    assert result.returncode == 1 and "Traceback" not in text(result.stderr, "gbk")
    assert "1 个错误，0 个警告" in out and "?1390000000" in out


def test_init_writes_the_template_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "新建" / "标准台账.xlsx"
    first = run("init", str(target))
    assert first.returncode == 0 and target.exists()
    stamp = target.stat().st_mtime_ns
    again = run("init", str(target))
    assert again.returncode == 1 and "--force" in text(again.stderr)
    assert target.stat().st_mtime_ns == stamp
    assert run("init", "--force", str(target)).returncode == 0


def test_init_default_path_is_workbook_folder(tmp_path):
    assert run("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "workbook" / "标准台账.xlsx").exists()


def test_every_command_has_chinese_help():
    top = text(run("--help").stdout)
    commands = [line.split()[0] for line in top.split("命令：")[1].strip().splitlines()]
    assert {"init", "sample", "check", "overdue"} <= set(commands)
    for name in commands:
        result = run(name, "--help")
        assert result.returncode == 0
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text(result.stdout)), name


# what may stay in Latin letters in a --help line: option names, metavars and env vars (capitals), command names,
# file and program names; anything else is an English word a clerk would have to guess at
LATIN_ALLOWED = {"jingfang", "init", "sample", "check", "overdue", "build", "export", "serve", "verify", "xlsx", "json",
                 "site", "workbook", "index", "html", "Ctrl", "README", "x", "id", "sheet", "row", "column", "cell",
                 "value", "code", "severity", "message", "as_of", "lists", "due", "days_overdue",
                 "documents", "Word", "docx", "patient", "name", "indicators",
                 "import", "xls", "ods", "csv",
                 "compare", "source", "matched", "only_in_workbook", "only_in_other", "differences", "duplicates",
                 "summary", "county", "townships", "totals", "numerator", "denominator",
                 "shortcut", "bat", "sh", "Windows", "Linux", "macOS"}  # a command, a product, a file type, a placeholder


def english_words(line: str) -> list[str]:
    """The Latin words of a help line that are not option names, metavars, file names or listed names."""
    line = re.sub(r"(?<![\w])--?[A-Za-z][\w-]*", " ", line)  # --out, -h
    line = re.sub(r"\b[A-Z][A-Z0-9_-]*\b", " ", line)  # PATH, YYYY-MM-DD, JINGFANG_PASSWORD
    line = re.sub(r"\b[\w.-]+\.(xlsx|html|yaml)\b", " ", line)
    return [w for w in re.findall(r"[A-Za-z_]+", line) if w not in LATIN_ALLOWED]


def test_every_help_line_is_chinese():
    top = text(run("--help").stdout)
    assert top.startswith("用法：jingfang [选项] 命令 [参数]...")
    assert "选项：\n  --version   显示版本号并退出。\n  -h, --help  显示本帮助并退出。\n" in top
    commands = [line.split()[0] for line in top.split("命令：")[1].strip().splitlines()]
    assert len(commands) >= 8
    for name in ["", *commands]:
        shown = text(run(*([name] if name else []), "--help").stdout)
        assert [(line, english_words(line)) for line in shown.splitlines() if english_words(line)] == [], name
    build = text(run("build", "--help").stdout)
    assert "  --out PATH" in build and "网站输出文件夹。  ［默认：site］" in build
    assert "［默认：30；1<=x<=720］" in build


def test_english_words_are_found():
    assert english_words("  -h, --help  Show this message and exit.") == ["Show", "this", "and", "exit"]
    assert english_words("Usage: jingfang [OPTIONS]") == ["Usage"]
    assert english_words("  --out PATH  网站输出文件夹。  [default: site]") == ["default"]


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = text(run("--help").stdout)
    for name in [line.split()[0] for line in top.split("命令：")[1].strip().splitlines()]:
        assert f"jingfang {name}" in readme, name


def test_python_dash_m_matches_the_installed_command():
    assert text(run("--version").stdout).startswith("jingfang ")


@pytest.mark.parametrize("args, said", [
    (["buld"], "错误：没有“buld”这个命令。是不是要写 build？"),
    (["build", "--rebuil"], "错误：没有 --rebuil 这个选项。是不是要写 --rebuild？"),
    (["check"], "错误：缺少参数 WORKBOOK。"),
    (["build", "--lock-minutes", "0"], "错误：--lock-minutes 的值不对：“0”不在 1<=x<=720 之内。"),
    (["serve", "--port", "abc"], "错误：--port 的值不对：“abc”不是整数。"),
])
def test_usage_errors_are_said_in_chinese_with_where_help_is(args, said):
    result = run(*args)
    shown = text(result.stderr)
    assert result.returncode == 2 and shown.rstrip().endswith(said), shown
    assert "--help”查看帮助。" in shown and not english_words(shown.replace(said, ""))
