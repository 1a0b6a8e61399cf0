"""``jingfang compare`` through the real CLI: a valid test workbook against roster files — matches by ID, by name and
birth date, by name, sex and village (marked), each side's own people, every differing field, the exact JSON, and
``--out`` under export's rules."""

from __future__ import annotations

import csv
import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.contract.outputs import STAMP
from tests.commands import run, text
from tests.messy import SOFFICE, libreoffice_copy
from tests.rosters import write_roster_xlsx
from tests.workbooks import ID_1, make_id, set_cell, valid_sheets, write_sheets

ID_4 = make_id("110101", date(1968, 2, 9), 3, male=False)
STRANGER = make_id("110108", date(1988, 8, 8), 5, male=False)
HEADERS = ["姓名", "性别", "身份证号", "出生日期", "村社区", "危险等级", "管理状态", "联系电话"]
ROWS = [  # row 1 is a title, row 2 the headers: these are rows 3…6
    ["甘望书", "男", f"{ID_1[:6]} {ID_1[6:]}", None, "禾苗村", "3级", "在家", "13900000011"],  # P001 by ID
    ["简雨桐", "女", None, "1975-11-23", "禾苗村", None, "已死亡", "13900000099"],  # P002 by name + birth date
    ["车怀瑾", "男", None, None, "禾苗村", "3", "已迁出", None],  # P003 by name + sex + village
    ["路遥远", "女", STRANGER, None, "溪口社区", None, "在家", None],  # nobody in the workbook
]
EXPECTED = {
    "source": "公安库",
    "matched": 3,
    "only_in_workbook": ["P004"],
    "only_in_other": [{"row": 6}],
    "differences": [
        {"id": "P001", "row": 3, "field": "姓名", "workbook": "甘望舒", "other": "甘望书"},
        {"id": "P001", "row": 3, "field": "危险性", "workbook": "1", "other": "3"},
        {"id": "P002", "row": 4, "field": "现住村社区", "workbook": "溪口社区", "other": "禾苗村"},
        {"id": "P002", "row": 4, "field": "死亡", "workbook": "在家居住", "other": "死亡"},
        {"id": "P002", "row": 4, "field": "监护人电话", "workbook": "13900000012", "other": "13900000099"},
        {"id": "P003", "row": 5, "field": "迁出", "workbook": "住院治疗", "other": "迁出"},
    ],
    "duplicates": [],
}


def workbook_sheets() -> dict:
    """The test workbook and a closed patient (迁出), who takes part in the comparison too."""
    sheets = valid_sheets()
    sheets["患者"].append(["P004", "苗清和", "女", ID_4, "溪口社区", "溪口社区1栋", "精神分裂症", datetime(2023, 6, 1),
                         "迁出", None, None, None, None, None, None])
    return sheets


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    workbook = write_sheets(tmp_path / "台账.xlsx", workbook_sheets())
    other = write_roster_xlsx(tmp_path / "公安库名单.xlsx", HEADERS, ROWS, title="公安库导出名单")
    return workbook, other


def compare(*args: str, cwd: Path | None = None):
    return run("compare", *args, cwd=cwd)


def test_json_is_exactly_the_contract(files):
    workbook, other = files
    before = (workbook.read_bytes(), other.read_bytes())
    result = compare(str(workbook), str(other), "--source", "公安库", "--json")
    assert result.returncode == 0, text(result.stderr)
    assert json.loads(text(result.stdout)) == EXPECTED
    assert (workbook.read_bytes(), other.read_bytes()) == before  # both only read


def test_text_counts_then_each_difference(files):
    workbook, other = files
    result = compare(str(workbook), str(other), "--as-of", "2025-06-30")
    assert result.returncode == 0, text(result.stderr)
    out = text(result.stdout)
    assert out.startswith("信息比对：台账与“公安库名单.xlsx”（来源：其他），统计截止日期 2025-06-30\n"
                          "两边都有：3 人（其中按姓名匹配 2 人）\n只在台账里：1 人\n只在名单里：1 行\n不一致：6 处\n")
    assert "按姓名匹配（名单没有可用的身份证号，请核对是否同一人）：\n  P002 ↔ 名单第 4 行\n  P003 ↔ 名单第 5 行\n" in out
    assert "只在台账里的患者：\n  P004\n" in out and "只在名单里的行：\n  第 6 行" in out
    assert "  P001（名单第 3 行）危险性：台账“1”，名单“3”" in out
    assert "  P002（名单第 4 行，按姓名匹配）死亡：台账“在家居住”，名单“死亡”" in out
    assert "  P003（名单第 5 行，按姓名匹配）迁出：台账“住院治疗”，名单“迁出”" in out


def test_same_values_and_blank_cells_are_no_difference(tmp_path):
    """Everything agreeing (the closed patient by ID, 迁出 on both sides; risk equal; blanks not compared): no
    difference, nobody on one side only but the patients the list lacks."""
    workbook = write_sheets(tmp_path / "台账.xlsx", workbook_sheets())
    rows = [["甘望舒", "男", ID_1, None, "禾苗村", "1", "在家", "13900000011"],
            ["苗清和", None, ID_4, None, None, None, "迁出", None]]
    other = write_roster_xlsx(tmp_path / "卫健库.xlsx", HEADERS, rows)
    result = compare(str(workbook), str(other), "--source", "卫健库", "--json")
    assert json.loads(text(result.stdout)) == {"source": "卫健库", "matched": 2, "only_in_workbook": ["P002", "P003"],
                                               "only_in_other": [], "differences": [], "duplicates": []}


def test_a_different_id_never_matches_by_name(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", workbook_sheets())
    rows = [["甘望舒", "男", STRANGER, "1980-05-06", "禾苗村", None, None, None]]
    other = write_roster_xlsx(tmp_path / "名单.xlsx", HEADERS, rows)
    found = json.loads(text(compare(str(workbook), str(other), "--json").stdout))
    assert found["matched"] == 0 and found["only_in_other"] == [{"row": 2}]


def test_a_workbook_with_errors_is_refused_with_its_report(tmp_path, files):
    _, other = files
    sheets = workbook_sheets()
    set_cell(sheets, "患者", 1, "性别", "未知")
    workbook = write_sheets(tmp_path / "有错误.xlsx", sheets)
    result = compare(str(workbook), str(other), "--json")
    assert result.returncode == 1 and text(result.stdout) == ""
    assert "性别" in text(result.stderr)


def test_other_unreadable_or_without_headers(tmp_path, files):
    workbook, _ = files
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    assert compare(str(workbook), str(broken)).returncode == 2
    plain = write_roster_xlsx(tmp_path / "无表头.xlsx", ["甲", "乙", "丙"], [["1", "2", "3"]])
    result = compare(str(workbook), str(plain))
    assert result.returncode == 1 and "没有找到表头" in text(result.stderr)


def test_out_writes_a_private_text_workbook_with_a_warning(tmp_path, files):
    workbook, other = files
    out = tmp_path / "比对" / "信息比对.xlsx"
    result = compare(str(workbook), str(other), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    assert "导出文件不加密" in text(result.stderr)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = load_workbook(out)
    assert book.sheetnames == ["说明", "不一致", "只在台账里", "只在名单里", "身份证号重复"]
    differences = list(book["不一致"].iter_rows(values_only=True))
    assert differences[0] == ("患者编号", "名单行号", "项目", "台账", "名单", "匹配方式")
    assert differences[5] == ("P002", 4, "监护人电话", "13900000012", "13900000099", "按姓名匹配")
    assert book["不一致"]["D6"].data_type == "s"
    assert list(book["只在台账里"].iter_rows(min_row=2, values_only=True)) == [("P004", "苗清和", "溪口社区", "迁出")]
    assert list(book["只在名单里"].iter_rows(min_row=2, values_only=True)) == [(6, "路遥远", STRANGER, "溪口社区")]
    again = compare(str(workbook), str(other), "--out", str(out))
    assert again.returncode == 1 and "已经存在" in text(again.stderr)


def test_out_refused_inside_a_site_or_onto_an_input(tmp_path, files):
    workbook, other = files
    site = tmp_path / "site"
    site.mkdir()
    (site / STAMP).write_text("{}", encoding="utf-8")
    target = site / "信息比对.xlsx"
    result = compare(str(workbook), str(other), "--out", str(target))
    assert result.returncode == 1 and not target.exists()
    assert text(result.stderr).startswith(f"错误：“{target}”在网站文件夹“{site}”里面，没有导出")
    before = other.read_bytes()
    result = compare(str(workbook), str(other), "--out", str(other))
    assert result.returncode == 1 and other.read_bytes() == before
    assert "就是要读取的文件" in text(result.stderr)


def test_rows_sharing_an_id_are_reported_and_never_merged(tmp_path):
    """Rows 3 and 5 carry P001's ID, rows 4 and 6 a stranger's: none of the four is matched or called only in the
    list, P001 is not called only in the workbook; the text names the rows, JSON lists them, --out has a sheet."""
    workbook = write_sheets(tmp_path / "台账.xlsx", workbook_sheets())
    rows = [["甘望舒", "男", ID_1, None, "禾苗村", "1", "在家", None],
            ["路遥远", "女", STRANGER, None, "溪口社区", None, None, None],
            ["甘望书", "男", ID_1, None, "禾苗村", "4", "在家", None],
            ["路遥", "女", STRANGER, None, "溪口社区", None, None, None],
            ["苗清和", "女", ID_4, None, "溪口社区", None, "迁出", None]]
    other = write_roster_xlsx(tmp_path / "卫健库.xlsx", HEADERS, rows, title="卫健库导出")
    found = json.loads(text(compare(str(workbook), str(other), "--source", "卫健库", "--json").stdout))
    assert found == {"source": "卫健库", "matched": 1, "only_in_workbook": ["P002", "P003"], "only_in_other": [],
                     "differences": [], "duplicates": [{"rows": [3, 5]}, {"rows": [4, 6]}]}
    out = tmp_path / "比对.xlsx"
    result = compare(str(workbook), str(other), "--out", str(out))
    said = text(result.stdout)
    assert "不一致：0 处\n身份证号重复：2 组（4 行，未参与比对）\n" in said
    assert ("  名单第 3 行和第 5 行的身份证号相同，均未参与匹配（台账中是 P001，这位患者也未参与比对）\n"
            "  名单第 4 行和第 6 行的身份证号相同，均未参与匹配（台账中没有这个身份证号）") in said
    assert list(load_workbook(out)["身份证号重复"].iter_rows(values_only=True)) == [
        ("名单行号", "姓名", "身份证号", "台账中的患者编号"), (3, "甘望舒", ID_1, "P001"), (5, "甘望书", ID_1, "P001"),
        (4, "路遥远", STRANGER, None), (6, "路遥", STRANGER, None)]


@pytest.mark.parametrize("fmt", ["xls", "ods", "utf-8-sig", "gbk"])
def test_every_format_of_the_list_gives_the_same_result(tmp_path, files, fmt):
    """The same list as LibreOffice saves it (.xls, .ods) and as a .csv in UTF-8 with BOM and in GBK."""
    workbook, other = files
    if fmt in ("xls", "ods"):
        if SOFFICE is None:
            pytest.skip("LibreOffice (soffice) is not installed")
        copy = libreoffice_copy(other, tmp_path / "lo", fmt)
    else:
        copy = tmp_path / "公安库名单.csv"
        with open(copy, "w", encoding=fmt, newline="") as file:
            csv.writer(file).writerows([["公安库导出名单"], HEADERS, *[["" if v is None else v for v in row] for row in ROWS]])
    result = compare(str(workbook), str(copy), "--source", "公安库", "--json")
    assert result.returncode == 0, text(result.stderr)
    assert json.loads(text(result.stdout)) == EXPECTED


def test_a_15_digit_id_matches_and_a_total_row_is_nobody(tmp_path):
    """P001 typed with the old 15-digit ID (converted to hers, so matched by ID, not by name), then a 合计 row."""
    workbook = write_sheets(tmp_path / "台账.xlsx", workbook_sheets())
    old = ID_1[:6] + ID_1[8:17]
    assert len(old) == 15
    rows = [["甘望舒", "男", old, None, "禾苗村", "1", "在家", "13900000011"], ["合计", "1人", None, None, None, None, None, None]]
    other = write_roster_xlsx(tmp_path / "名单.xlsx", HEADERS, rows, title="名单")
    found = json.loads(text(compare(str(workbook), str(other), "--json").stdout))
    assert found == {"source": "其他", "matched": 1, "only_in_workbook": ["P002", "P003", "P004"], "only_in_other": [],
                     "differences": [], "duplicates": []}
    said = text(compare(str(workbook), str(other)).stdout)
    assert "两边都有：1 人（其中按姓名匹配 0 人）\n" in said and "只在名单里：0 行\n" in said
