"""Issue 19, findings 12 and 9 (dates): a stray cell far from the data, ``check --json`` on a file it cannot read,
and as-of days and months outside the years the tool computes for — through the real CLI and real workbooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from generator.read.workbook import OLE_MAGIC, WorkbookUnreadable, read_workbook
from tests import messy
from tests.commands import ROOT, run, text
from tests.workbooks import set_cell, valid_sheets, write_sheets

SPACE_WARNING = "K1000000 离台账数据很远（数据在 A1 到 I4 之间），里面只有空格，已忽略。请在 Excel/WPS 中选中 K1000000，按 Delete 删除后保存。"
KEYS = ["sheet", "row", "column", "cell", "value", "code", "message", "severity"]


def written(tmp_path: Path, sheets: dict | None = None) -> Path:
    return write_sheets(tmp_path / "台账.xlsx", sheets or valid_sheets())


def check_json(path: Path, *options: str) -> tuple[int, list[dict]]:
    result = run("check", str(path), "--json", *options)
    assert "Traceback" not in text(result.stderr)
    return result.returncode, json.loads(text(result.stdout))


def shared_string_cell(path: Path, title: str, ref: str, strings: list[str], index: int) -> Path:
    """A shared-strings table (as Excel saves text) holding strings, and a cell at ref using strings[index]."""
    items = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings)
    messy.add_shared_strings(path, f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}')
    return messy.set_raw_cell(path, title, ref, f"<v>{index}</v>", ' t="s"')


# finding 12: a stray cell far below (or right of) the data

def test_a_space_typed_at_k1000000_is_a_warning_at_its_address_and_the_rest_is_checked(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "监护人电话", "123")
    path = messy.far_cell(written(tmp_path, s), "随访记录", "K1000000", " ")
    status, problems = check_json(path)
    assert status == 1  # the bad phone: the rest of the workbook was validated
    assert [[p["sheet"], p["cell"], p["code"], p["severity"]] for p in problems] == [
        ["患者", "M2", "bad-phone", "error"], ["随访记录", "K1000000", "stray-cell", "warning"]]
    assert problems[1] == {"sheet": "随访记录", "row": 1000000, "column": None, "cell": "K1000000", "value": " ",
                           "code": "stray-cell", "message": SPACE_WARNING, "severity": "warning"}


def test_the_check_table_names_the_stray_cell_and_exits_0_for_a_warning(tmp_path):
    path = messy.far_cell(written(tmp_path), "随访记录", "K1000000", " ")
    result = run("check", str(path))
    assert result.returncode == 0, text(result.stderr)
    assert f"随访记录 | K1000000 |    |    | ［警告］{SPACE_WARNING}" in text(result.stdout)


def test_a_stray_value_under_a_header_is_an_error_naming_the_column(tmp_path):
    path = messy.far_cell(written(tmp_path), "患者", "B1000000", "张三")
    status, problems = check_json(path)
    assert status == 1
    assert problems == [{
        "sheet": "患者", "row": 1000000, "column": "姓名", "cell": "B1000000", "value": "张三", "code": "stray-cell",
        "message": "B1000000 离台账数据很远（数据在 A1 到 O4 之间），没有作为“姓名”读取。如果是误填，请选中 B1000000，"
                   "按 Delete 删除；如果是一条记录，请把它移到数据末尾紧接着的行。",
        "severity": "error"}]


def test_stray_cells_at_xfd1_row_1000000_and_xfd1048576_are_read_in_little_memory(tmp_path):
    path = written(tmp_path)
    for ref, typed in (("XFD1", "核对"), ("K1000000", "\u3000"), ("XFD1048576", "x")):
        messy.far_cell(path, "随访记录", ref, typed)
    probe = ("import resource, sys\nfrom generator.read.workbook import read_workbook\nbook = read_workbook(sys.argv[1])\n"
             "sheets = [book.sheet(n) for n in book.names]\nrows = sum(1 for s in sheets for _ in s.rows())\n"
             # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would count the test process's size
             "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
             "print(rows, int(hwm) // 1024)")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert out.returncode == 0, out.stderr
    rows, megabytes = map(int, out.stdout.split())
    assert rows < 100 and megabytes < 150  # a dense block would be 1,048,576 × 16,384 cells
    status, problems = check_json(path)
    assert status == 0
    assert [[p["cell"], p["value"], p["severity"]] for p in problems] == [
        ["XFD1", "核对", "warning"], ["K1000000", "\u3000", "warning"], ["XFD1048576", "x", "warning"]]
    assert problems[0]["message"] == ("XFD1 离台账数据很远（数据在 A1 到 I4 之间），不在任何一列标准表头下面，已忽略。"
                                      "如果是误填，请选中 XFD1，按 Delete 删除后保存。")


def test_a_stray_shared_string_is_read_from_the_strings_table(tmp_path):
    path = shared_string_cell(written(tmp_path), "患者", "A1000000", ["甲", "P009"], 1)
    status, problems = check_json(path)
    assert status == 1
    assert [[p["cell"], p["column"], p["value"], p["code"]] for p in problems] == [
        ["A1000000", "患者编号", "P009", "stray-cell"]]


def test_a_stray_cell_in_the_settings_sheet_is_reported_there(tmp_path):
    path = messy.far_cell(written(tmp_path), "基本设置", "B900000", " ")
    status, problems = check_json(path)
    assert status == 0
    assert [[p["sheet"], p["cell"], p["column"], p["severity"]] for p in problems] == [
        ["基本设置", "B900000", "值", "warning"]]


def test_a_far_error_value_is_a_stray_cell_not_a_formula_problem(tmp_path):
    path = messy.error_value(written(tmp_path), "随访记录", "K1000000")
    status, problems = check_json(path)
    assert status == 0
    assert [[p["cell"], p["value"], p["code"]] for p in problems] == [["K1000000", "#N/A", "stray-cell"]]


def test_many_far_cells_are_no_strays_and_the_sheet_is_still_refused_naming_them(tmp_path):
    s = valid_sheets()
    s["随访记录"] += [list(s["随访记录"][1]) for _ in range(700)]
    path = written(tmp_path, s)
    messy.rewrite_sheet(path, "随访记录", lambda xml: xml.replace("</sheetData>", "".join(
        f'<row r="{r}"><c r="K{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(950_000, 951_001))
        + "</sheetData>"))
    with pytest.raises(WorkbookUnreadable) as err:
        read_workbook(path)
    assert str(err.value).startswith("“台账.xlsx”的工作表“随访记录”在 K951000 有内容，离台账数据太远：这张表的数据区域成了 "
                                     "951000 行 × 11 列，超出了一张表最多 10,000,000 个单元格（行数×列数）的限制。")


# finding 12: check --json prints JSON whatever the file

def unreadable_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = written(tmp_path)
    (tmp_path / "notes.xlsx").write_text("不是工作簿", encoding="utf-8")
    (tmp_path / "old.xls").write_bytes(OLE_MAGIC + bytes(600))
    (tmp_path / "locked.xlsx").write_bytes(OLE_MAGIC + bytes(600) + "EncryptedPackage".encode("utf-16-le"))
    (tmp_path / "link.xlsx").symlink_to(good)
    os.mkfifo(tmp_path / "pipe.xlsx")
    with open(tmp_path / "huge.xlsx", "wb") as huge:
        huge.truncate(300 << 20)  # sparse: takes no disk
    return {
        "missing": (tmp_path / "none.xlsx", f"找不到文件“{tmp_path / 'none.xlsx'}”，请检查台账的路径和文件名。"),
        "not a workbook": (tmp_path / "notes.xlsx", "“notes.xlsx”不是 Excel 工作簿（.xlsx）文件，请确认选对了文件。"),
        ".xls": (tmp_path / "old.xls", "“old.xls”是旧版 Excel（.xls）文件。请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后再试。"),
        "password": (tmp_path / "locked.xlsx", "“locked.xlsx”设置了打开密码，无法读取。请在 Excel/WPS 中取消文件密码后另存一份再试。"),
        "symlink": (tmp_path / "link.xlsx", f"台账“{tmp_path / 'link.xlsx'}”是一个链接（快捷方式），不是文件本身。"
                                            "为安全起见不读取链接，请改用它指向的那个文件。"),
        "too large": (tmp_path / "huge.xlsx", f"台账“{tmp_path / 'huge.xlsx'}”太大（300.0 MB），最多 256 MB，请确认选对了文件。"),
        "folder": (tmp_path, f"台账“{tmp_path}”是一个文件夹，请给出文件的路径。"),
        "fifo": (tmp_path / "pipe.xlsx", f"台账“{tmp_path / 'pipe.xlsx'}”不是普通文件（是设备、管道或套接字），不能读取。"),
    }


def test_check_json_prints_one_problem_for_every_kind_of_unreadable_file(tmp_path):
    for kind, (path, message) in unreadable_files(tmp_path).items():
        status, problems = check_json(path)
        assert status == 2, kind
        assert problems == [{"sheet": None, "row": None, "column": None, "cell": None, "value": None,
                             "code": "file-unreadable", "message": message, "severity": "error"}], kind
        plain = run("check", str(path))  # without --json: the same sentence on stderr, as before
        assert (plain.returncode, text(plain.stdout), text(plain.stderr)) == (2, "", f"错误：{message}\n"), kind


def test_check_json_on_a_workbook_refused_as_too_large_is_json(tmp_path):
    path = messy.declare_shared_strings(written(tmp_path), 2 ** 32)
    status, problems = check_json(path)
    assert status == 2 and list(problems[0]) == KEYS and problems[0]["code"] == "file-unreadable"
    assert problems[0]["message"].startswith("“台账.xlsx”内部的文字表声明有 4294967296 条文字")


# finding 9: dates outside the years the tool computes for

DATE_OPTIONS = [
    ("check", "--as-of", "9999-12-31"), ("overdue", "--as-of", "9999-12-31"), ("export", "--as-of", "9999-12-31"),
    ("build", "--as-of", "9999-12-31"), ("documents", "--as-of", "9999-12-31"), ("check", "--as-of", "0001-01-01"),
    ("overdue", "--as-of", "1999-12-31"), ("build", "--as-of", "2101-01-01"),
    ("build", "--month", "0000-01"), ("documents", "--month", "0000-01"), ("build", "--month", "9999-12"),
    ("documents", "--month", "2101-01"),
]


@pytest.mark.parametrize("command, option, value", DATE_OPTIONS)
def test_a_date_option_outside_2000_to_2100_is_a_usage_error_in_chinese(tmp_path, command, option, value):
    path = written(tmp_path)
    extra = {"export": ["--out", str(tmp_path / "x.xlsx")], "documents": ["--out", str(tmp_path / "docs")],
             "build": ["--out", str(tmp_path / "site"), "--insecure-no-password"]}.get(command, [])
    result = run(command, str(path), option, value, *extra)
    err = text(result.stderr)
    assert result.returncode == 2 and "Traceback" not in err
    if option == "--as-of":
        assert f"错误：--as-of 的值不对：“{value}”超出范围：统计截止日期应在 2000-01-01 到 2100-12-31 之间。" in err
    else:
        assert (f"错误：--month 的值不对：月份“{value}”超出范围：年份应在 2000 到 2100 之间，"
                "请写成 2026-10 这样的“年-月”。") in err
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()


def test_the_as_of_range_edges_are_accepted(tmp_path):
    path = written(tmp_path)
    for day in ("2000-01-01", "2100-12-31"):
        result = run("overdue", str(path), "--as-of", day)
        assert "Traceback" not in text(result.stderr) and "超出范围" not in text(result.stderr), day


@pytest.mark.parametrize("day", [datetime(9999, 12, 31), "0001-01-01", "9999-12-31", datetime(1999, 12, 31)])
def test_a_workbook_as_of_outside_the_range_is_a_problem_at_its_cell(tmp_path, day):
    s = valid_sheets()
    s["基本设置"][3][1] = day
    path = written(tmp_path, s)
    status, problems = check_json(path, "--as-of", "2025-06-30")
    shown = day if isinstance(day, str) else day.date().isoformat()
    assert status == 1
    assert [[p["cell"], p["code"], p["message"]] for p in problems] == [
        ["B4", "out-of-range", f"“统计截止日期”：「{shown}」超出范围，应在 2000-01-01 到 2100-12-31 之间。"]]
    for command in ("overdue", "build", "export"):
        result = run(command, str(path), "--out", str(tmp_path / "out")) if command != "overdue" else \
            run(command, str(path))
        err = text(result.stderr)
        assert result.returncode == 1 and "Traceback" not in err and "“统计截止日期”" in err, command
