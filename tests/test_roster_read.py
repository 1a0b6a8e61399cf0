"""Reading roster files: .xlsx with a merged title and a 合计 row, .csv in UTF-8-BOM and GBK, .ods and .xls by
LibreOffice; the header row, the mapping, what is skipped, and every value cleaned as the contract says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.read.roster import NoHeaderRow, RosterUnreadable, read_roster
from tests.messy import SOFFICE, libreoffice_copy
from tests.rosters import ID_A, ID_B, write_ledger_csv, write_ledger_xlsx

MAPPING = {"序号": None, "患者姓名": "姓名", "性 别": "性别", "身份证号码*": "身份证号", "出生年月": "出生日期",
           "所属村（社区）": "现住村社区", "疾病名称": "诊断", "危险等级": "危险性", "管理状态": "在管状态",
           "监护人姓名": "监护人", "联系电话": "监护人电话", "病史": None}
NEW_ID = "510999198207040032"  # 510999820704003 converted
VALUES = [
    {"姓名": "张三", "性别": "男", "身份证号": ID_A, "出生日期": dt.date(1980, 1, 1), "现住村社区": "青山村",
     "诊断": "精神分裂症", "危险性": 3, "在管状态": "在家居住", "监护人": "张大", "监护人电话": "13800000001"},
    {"姓名": "李四", "性别": "女", "身份证号": ID_B, "出生日期": dt.date(1975, 3, 15), "现住村社区": "绿水村",
     "诊断": "双相情感障碍", "危险性": 3, "在管状态": "住院治疗"},
    {"姓名": "王五", "性别": "男", "身份证号": NEW_ID, "出生日期": dt.date(1982, 7, 4), "现住村社区": "青山村",
     "在管状态": "下落不明", "监护人": "王大"},
]
EXTRAS = [[("序号", "1"), ("病史", "10年")], [("序号", "2")],
          [("序号", "3"), ("疾病名称", "强迫症"), ("危险等级", "高"), ("病史", "5年")]]


def assert_ledger(roster, numbers: list[int], skipped: dict[str, list[int]]) -> None:
    assert roster.mapping == MAPPING
    assert [row.row for row in roster.rows] == numbers
    assert [row.values for row in roster.rows] == VALUES
    assert [row.extras for row in roster.rows] == EXTRAS
    assert roster.skipped == skipped
    assert roster.rows[2].notes[0] == f"身份证号：15 位旧号码 510999820704003 已换算为 18 位 {NEW_ID}，请对照身份证核实"


def test_xlsx_with_merged_title_blank_and_total_rows(tmp_path: Path) -> None:
    roster = read_roster(write_ledger_xlsx(tmp_path / "台账.xlsx"))
    assert (roster.sheet, roster.header_row) == ("台账", 3)
    assert_ledger(roster, [4, 5, 7], {"空行": [6], "合计行": [8]})


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = write_ledger_csv(tmp_path / "名单.csv", encoding)
    before = path.read_bytes()
    roster = read_roster(path)
    assert roster.header_row == 2
    assert_ledger(roster, [3, 4, 5], {"合计行": [6]})
    assert path.read_bytes() == before


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_libreoffice_ods_and_xls(tmp_path: Path, fmt: str) -> None:
    copy = libreoffice_copy(write_ledger_xlsx(tmp_path / "台账.xlsx"), tmp_path / "lo", fmt)
    roster = read_roster(copy)
    assert_ledger(roster, [4, 5, 7], {"空行": [6], "合计行": [8]})


def test_id_stored_as_number_is_reported_not_guessed(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["姓名", "性别", "身份证号", "风险 等级", "患者状态", "疾病诊断"])
    wb.active.append(["赵六", "女", 5.10999197503150e17, "０", "已死亡", "智力障碍伴精神障碍"])
    wb.save(tmp_path / "a.xlsx")
    row = read_roster(tmp_path / "a.xlsx").rows[0]
    assert row.values == {"姓名": "赵六", "性别": "女", "危险性": 0, "在管状态": "死亡", "诊断": "精神发育迟滞伴发精神障碍"}
    assert row.extras == [("身份证号", "5.10999E+17")]
    assert row.notes[0].startswith("身份证号：身份证号被存成了数字（显示为 5.10999E+17）")


def test_sheet_is_picked_by_name_or_as_the_first_with_a_header(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由某系统导出"])
    for name, person in (("一月", "甲"), ("二月", "乙")):
        ws = wb.create_sheet(name)
        ws.append(["姓名", "性别", "村"])
        ws.append([person, "男", "青山村"])
    wb.save(tmp_path / "a.xlsx")
    assert read_roster(tmp_path / "a.xlsx").rows[0].values["姓名"] == "甲"
    assert read_roster(tmp_path / "a.xlsx", sheet="二月").rows[0].values["姓名"] == "乙"
    with pytest.raises(NoHeaderRow) as info:
        read_roster(tmp_path / "a.xlsx", sheet="三月")
    assert str(info.value) == "“a.xlsx”中没有名为“三月”的工作表（有：说明、一月、二月）。"


def test_no_header_row_names_the_headers_it_looks_for(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("名字,年龄\n甲,30\n", encoding="utf-8")
    with pytest.raises(NoHeaderRow) as info:
        read_roster(path)
    message = str(info.value)
    assert message.startswith("“a.csv”的前 20 行中没有找到表头（需要一行中至少有 3 个认识的列名）。认识的列名有：姓名（姓名、患者姓名）；性别；")
    assert "现住村社区（村社区、村（社区）、所属村、所属村（社区）、村居、村）" in message


def test_files_that_are_not_tables(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "b.csv").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    (tmp_path / "d.csv").write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(RosterUnreadable, match="“a.xlsx”无法作为表格打开"):
        read_roster(tmp_path / "a.xlsx")
    with pytest.raises(RosterUnreadable, match="“b.csv”不是表格文件"):
        read_roster(tmp_path / "b.csv")
    with pytest.raises(RosterUnreadable, match="“c.xlsx”设置了打开密码，无法读取。"):
        read_roster(tmp_path / "c.xlsx")
    with pytest.raises(RosterUnreadable, match="“d.csv”的文字编码无法识别（不是 UTF-8，也不是 GBK/GB18030）。"):
        read_roster(tmp_path / "d.csv")
    with pytest.raises(RosterUnreadable, match="找不到文件"):
        read_roster(tmp_path / "none.xlsx")


def test_a_repeated_header_row_is_skipped_not_read_as_a_person(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("姓名,性别,村\n甲,男,青山村\n,,\n姓名,性别,村\n乙,女,绿水村\n小 计,2\n", encoding="utf-8")
    roster = read_roster(path)
    assert [(row.row, row.values["姓名"]) for row in roster.rows] == [(2, "甲"), (5, "乙")]
    assert roster.skipped == {"空行": [3], "重复的表头行": [4], "合计行": [6]}


def test_two_different_header_rows_are_refused_naming_both(tmp_path: Path) -> None:
    """A header over two rows (监护人 above its 姓名, 关系, 联系电话): rows 2 and 3 each have 3 known headers."""
    wb = Workbook()
    ws = wb.active
    ws.append(["某村患者名单"])
    ws.append(["姓名", "性别", "身份证号", "监护人", None, None])
    ws.append([None, None, None, "姓名", "关系", "联系电话"])
    ws.append(["甲", "男", ID_A, "乙", "父亲", "13800000001"])
    wb.save(tmp_path / "两行表头.xlsx")
    with pytest.raises(NoHeaderRow) as caught:
        read_roster(tmp_path / "两行表头.xlsx")
    assert str(caught.value) == (
        "“两行表头.xlsx”的第 2 行和第 3 行都像表头，无法确定以哪一行为准。请把表头合并成一行（例如“监护人”下面分出的"
        "“姓名”“联系电话”写成“监护人姓名”“监护人电话”），删除另一行后再试。")


def test_the_same_header_repeated_within_the_first_rows_is_no_second_header(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("姓名,性别,村\n甲,男,青山村\n姓名,性别,村\n乙,女,绿水村\n", encoding="utf-8")
    roster = read_roster(path)
    assert roster.header_row == 1 and [row.row for row in roster.rows] == [2, 4]
