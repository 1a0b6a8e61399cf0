"""Workbooks as Excel, WPS and LibreOffice really save them: read right, or refused at the exact cell."""

from __future__ import annotations

import io
import os
import time
from datetime import date
from pathlib import Path

import pytest

from generator.validate.workbook import validate_workbook
from generator.read.workbook import WorkbookUnreadable, read_workbook
from generator.read.xmlscan import TooLarge, check_extent, measure_narrow, scan_sheet, whole_cells
from tests import messy
from tests.commands import run, text
from tests.workbooks import AS_OF, ID_1, set_cell, valid_sheets, write_sheets


def check_file(path: Path):
    return validate_workbook(read_workbook(path), today=AS_OF)


def check(tmp_path: Path, sheets: dict):
    return check_file(write_sheets(tmp_path / "台账.xlsx", sheets))


def written(tmp_path: Path, sheets: dict | None = None) -> Path:
    return write_sheets(tmp_path / "台账.xlsx", sheets or valid_sheets())


# silently wrong, before

def test_two_sheets_whose_names_differ_by_a_full_width_space_are_an_error_naming_both(tmp_path):
    s = valid_sheets()
    s["随访记录\u3000"] = [s["随访记录"][0], s["随访记录"][1]]
    dataset, report = check(tmp_path, s)
    assert report.flatten(["sheet", "cell", "code", "message"]) == [[
        "随访记录", None, "duplicate-sheet",
        "有 2 张工作表都是“随访记录”：“随访记录”和“随访记录\u3000”（名称只差空格或全角/半角），无法确定该读哪一张。"
        "请把数据合并到一张表，删除或改名另一张。",
    ]]
    assert dataset.followups == []


@pytest.mark.parametrize("cell", ["骆思源 计承远", "骆思源\u3000计承远", "骆思源/计承远", "骆思源\n计承远", "骆思源、 计承远\n"])
def test_a_list_cell_splits_on_every_separator_people_type(tmp_path, cell):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "随访人员", cell)
    set_cell(s, "小组会议", 1, "参会人员", cell)
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert dataset.followups[0].visitors == dataset.meetings[0].attendees == ["骆思源", "计承远"]


def test_an_error_value_is_one_error_naming_it_never_empty(tmp_path):
    path = written(tmp_path)
    messy.error_value(path, "随访记录", "E2", "#N/A", "VLOOKUP(A2,患者!A:B,2,FALSE)")  # 危险性, required here
    messy.error_value(path, "随访记录", "B3", "#DIV/0!", "1/0")  # 随访日期, a required column
    messy.error_value(path, "随访记录", "H4", "#REF!", None)  # 失访原因, optional: not accepted as blank either
    _, report = check_file(path)
    assert report.flatten(["cell", "value", "code", "message"]) == [
        ["E2", "#N/A", "formula-error", "公式结果为 #N/A（查找没有找到结果），不是有效的值。请改正公式，或直接填写数值。"],
        ["B3", "#DIV/0!", "formula-error", "公式结果为 #DIV/0!（除数为 0），不是有效的值。请改正公式，或直接填写数值。"],
        ["H4", "#REF!", "formula-error", "公式结果为 #REF!（公式引用的单元格已被删除），不是有效的值。请改正公式，或直接填写数值。"],
    ]


def test_free_text_keeps_its_punctuation_exactly(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "现住址", "禾苗村２组，8号（东头）")
    set_cell(s, "患者", 1, "备注", "家属说：“最近睡得好”；\n下次带药")
    set_cell(s, "小组会议", 1, "内容", "研判患者情况，布置下月工作。")
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert dataset.patients[0].address == "禾苗村２组，8号（东头）"
    assert dataset.patients[0].note == "家属说：“最近睡得好”；\n下次带药"
    assert dataset.meetings[0].content == "研判患者情况，布置下月工作。"


def test_codes_numbers_dates_ids_and_phones_are_still_made_half_width(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "患者编号", "Ｐ００１")
    set_cell(s, "随访记录", 1, "危险性", "１")
    set_cell(s, "随访记录", 1, "随访日期", "２０２５－０５－２０")
    set_cell(s, "患者", 1, "监护人电话", "１３９００００００１１")
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert (dataset.followups[0].patient_id, dataset.followups[0].risk) == ("P001", 1)
    assert dataset.followups[0].visit_date == date(2025, 5, 20) and dataset.patients[0].guardian_phone == "13900000011"


# floods, before

def test_a_formula_returning_empty_text_is_a_blank_cell(tmp_path):
    path = written(tmp_path)
    messy.empty_result(path, "随访记录", "H2")  # 失访原因, as LibreOffice saves =IF(…;"";…)
    messy.empty_result(path, "随访记录", "J3")  # 备注, past the row's last value
    dataset, report = check_file(path)
    assert report.problems == []
    assert [f.loss_reason for f in dataset.followups] == [None, None, None]


def test_a_row_of_formulas_without_values_is_a_blank_row(tmp_path):
    s = valid_sheets()
    s["随访记录"].append(['=IF(患者!A5="","",患者!A5)', "=TODAY()", None, None, "=0+0"])
    dataset, report = check(tmp_path, s)
    assert report.problems == [] and len(dataset.followups) == 3


def test_a_formula_without_value_next_to_real_values_is_still_explained(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "危险性", "=1+0")
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code"]) == [["E2", "formula-no-value"]]


def test_header_spellings_staff_use_are_read_with_one_notice_per_sheet(tmp_path):
    s = valid_sheets()
    s["随访记录"][0][1] = "随访\n日期"
    s["随访记录"][0][4] = "危险性（必填）"
    s["患者"][0][3] = "身份证号码"
    s["患者"][0][0] = "患者 编号*"
    dataset, report = check(tmp_path, s)
    assert report.flatten(["sheet", "code", "severity", "message"]) == [
        ["患者", "renamed-column", "warning",
         "以下表头与标准写法不同，已按标准表头读取：A列“患者 编号*”→“患者编号”、D列“身份证号码”→“身份证号”。建议改成标准写法。"],
        ["随访记录", "renamed-column", "warning",
         "以下表头与标准写法不同，已按标准表头读取：B列“随访↵日期”→“随访日期”、E列“危险性（必填）”→“危险性”。建议改成标准写法。"],
    ]
    assert dataset.patients[0].id_number == ID_1 and dataset.followups[0].visit_date == date(2025, 5, 20)


def test_a_missing_required_column_is_one_error_without_row_errors(tmp_path):
    s = valid_sheets()
    s["随访记录"] = [row[:1] + row[2:] for row in s["随访记录"]]  # no 随访日期
    _, report = check(tmp_path, s)
    assert report.flatten(["sheet", "row", "column", "code"]) == [["随访记录", 1, "随访日期", "missing-column"]]


def test_a_title_row_above_the_headers_is_one_error_that_says_so(tmp_path):
    s = valid_sheets()
    s["随访记录"].insert(0, ["测试镇2025年随访登记表"])
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "code", "message"]) == [[
        "随访记录!第1行", "title-row",
        "表头应在第 1 行，但这张表的表头在第 2 行（第 1 行是“测试镇2025年随访登记表”）。请删除表头上方的 1 行，让表头成为第 1 行。",
    ]]


def test_headers_on_row_2_below_a_blank_row_are_one_error(tmp_path):
    s = valid_sheets()
    s["患者"].insert(0, [None])
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "code", "message"]) == [[
        "患者!第1行", "title-row", "表头应在第 1 行，但这张表的表头在第 2 行（第 1 行是空行）。请删除表头上方的 1 行，让表头成为第 1 行。",
    ]]


def test_data_starting_in_column_c_below_two_blank_rows_is_placed_right(tmp_path):
    s = valid_sheets()
    s["随访记录"] = [[None, None] + row for row in s["随访记录"]]
    set_cell(s, "随访记录", 2, "危险性", 9)
    s["随访记录"].insert(0, [None])
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "code"])[-1] == ["随访记录!第1行", "title-row"]
    s["随访记录"].pop(0)
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "code"]) == [["随访记录!G3", "out-of-range"]]


def test_a_missing_column_names_a_look_alike_header(tmp_path):
    s = valid_sheets()
    s["随访记录"][0][1] = "随防日期"
    _, report = check(tmp_path, s)
    assert [p for p in report.flatten(["where", "code", "message"]) if p[1] == "missing-column"] == [[
        "随访记录!第1行", "missing-column", "缺少必填列“随访日期”。表里有“随防日期”，如果就是这一列，请把表头改成“随访日期”。",
    ]]


def test_invisible_characters_are_dropped_from_choices_numbers_and_dates(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "随访形式", "家庭访视\u200b")
    set_cell(s, "随访记录", 1, "危险性", "\u20601")
    set_cell(s, "随访记录", 1, "随访日期", "2025-05-20\ufeff")
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert (dataset.followups[0].form, dataset.followups[0].risk) == ("家庭访视", 1)


def test_an_error_value_in_a_setting_is_named(tmp_path):
    path = messy.error_value(written(tmp_path), "基本设置", "B6", "#VALUE!", "1+\"a\"")  # 高风险等级
    _, report = check_file(path)
    assert report.flatten(["where", "code", "message"]) == [[
        "基本设置!B6", "formula-error", "公式结果为 #VALUE!（参与计算的值类型不对），不是有效的值。请改正公式，或直接填写数值。",
    ]]


def test_an_invisible_character_in_a_code_is_dropped(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "患者编号", "P001\u200b")
    set_cell(s, "随访记录", 1, "患者编号", "\ufeffP001")
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert dataset.patients[0].patient_id == "P001" and dataset.followups[0].patient_id == "P001"


def test_an_invisible_character_in_a_name_is_dropped_with_a_warning_at_the_cell(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "姓名", "甘\u200b望舒")
    set_cell(s, "随访记录", 1, "随访人员", "骆思源、计\u00a0承远")
    dataset, report = check(tmp_path, s)
    assert report.flatten(["sheet", "cell", "code", "severity"]) == [
        ["患者", "B2", "invisible-char", "warning"], ["随访记录", "D2", "invisible-char", "warning"],
    ]
    assert report.problems[0].message == "这一格里有看不见的字符（零宽空格、不换行空格等），已去掉后读取。建议删除这一格，重新输入。"
    assert dataset.patients[0].name == "甘望舒" and dataset.followups[0].visitors == ["骆思源", "计承远"]


def test_a_name_of_invisible_characters_only_is_empty(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "姓名", "\u200b\u200b")
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "message"]) == [
        ["B2", "invisible-char", "这一格里有看不见的字符（零宽空格、不换行空格等），已去掉后读取。建议删除这一格，重新输入。"],
        ["B2", "required", "“姓名”必填，不能留空。"],
    ]


# hints

def test_an_unknown_patient_code_never_suggests_another_patients_code(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "患者编号", "P004")
    set_cell(s, "小组会议", 1, "小组编号", "G03")
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "message"]) == [
        ["随访记录!A2", "「P004」不在“患者”表的“患者编号”中。请先在“患者”表中添加。"],
        ["小组会议!A2", "「G03」不在“帮扶小组”表的“小组编号”中。请先在“帮扶小组”表中添加。"],
    ]


def test_hints_are_given_for_villages_and_for_the_same_name_in_another_width(tmp_path):
    s = valid_sheets()
    s["人员"].append(["王鹏（卫生院）", "卫生院", "医生", "13900000005"])
    s["小组成员"].append(["G01", "王鹏(卫生院)", "志愿者"])
    set_cell(s, "帮扶小组", 1, "所属村社区", "禾苗")
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "message"]) == [
        ["帮扶小组!C2", "「禾苗」不在“村社区”表的“名称”中。是不是“禾苗村”？请先在“村社区”表中添加。"],
        ["小组成员!B6", "「王鹏(卫生院)」不在“人员”表的“姓名”中。是不是“王鹏（卫生院）”（只差全角/半角或空格）？请先在“人员”表中添加。"],
    ]


# missed

def test_a_duplicate_key_is_found_even_when_the_first_row_has_another_error(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "监护人电话", "123")
    s["患者"].append(list(s["患者"][1]))
    s["患者"][-1][1] = "另一人"
    _, report = check(tmp_path, s)
    assert [[p.where, p.code] for p in report.sorted()] == [
        ["患者!M2", "bad-phone"], ["患者!A5", "duplicate-key"], ["患者!D5", "duplicate-key"], ["患者!M5", "bad-phone"],
    ]


# resources

def test_a_cell_at_xfd1048576_is_read_quickly_and_named(tmp_path):  # issue 19: no longer refused
    path = messy.far_cell(written(tmp_path), "随访记录", "XFD1048576")
    start = time.perf_counter()
    book = read_workbook(path)
    sheet = book.sheet("随访记录")
    assert time.perf_counter() - start < 3
    assert [(c.column, c.row, c.value) for c in sheet.strays] == [(16384, 1048576, "x")]


def test_the_check_command_names_a_far_cell_and_checks_the_rest(tmp_path):
    path = messy.far_cell(written(tmp_path), "患者", "XFD1048576")
    result = run("check", str(path))
    assert result.returncode == 0
    assert "XFD1048576" in text(result.stdout) and "Traceback" not in text(result.stderr)


def test_a_far_column_on_a_long_sheet_is_a_stray_cell(tmp_path):
    s = valid_sheets()
    s["随访记录"] += [list(s["随访记录"][1]) for _ in range(700)]
    path = messy.far_cell(written(tmp_path, s), "随访记录", "XFD1")
    _, report = check_file(path)
    assert report.flatten(["cell", "code", "severity"]) == [["XFD1", "stray-cell", "warning"]]


def test_a_far_column_on_a_short_sheet_is_read_and_ignored(tmp_path):
    path = messy.far_cell(written(tmp_path), "随访记录", "XFD1", "核对")
    _, report = check_file(path)
    assert report.flatten(["sheet", "code", "value"]) == [["随访记录", "extra-column", "核对"]]


def test_a_huge_declared_dimension_costs_nothing(tmp_path):
    path = messy.declare_dimension(written(tmp_path), "随访记录", "A1:XFD1048576")
    _, report = check_file(path)
    assert report.problems == []


def test_a_shared_strings_count_of_2_to_the_32_is_refused(tmp_path):
    path = messy.declare_shared_strings(written(tmp_path), 2 ** 32)
    with pytest.raises(WorkbookUnreadable) as err:
        read_workbook(path)
    assert str(err.value) == ("“台账.xlsx”内部的文字表声明有 4294967296 条文字，与文件实际内容不符，文件已损坏。"
                              "请用 Excel 或 WPS 打开后另存一份再试。")


def test_a_long_whitespace_run_is_refused_in_linear_time(tmp_path):
    path = messy.whitespace_run(written(tmp_path), "随访记录", 50_000_000)
    start = time.perf_counter()
    with pytest.raises(WorkbookUnreadable) as err:
        read_workbook(path)
    assert time.perf_counter() - start < 5
    assert str(err.value) == ("“台账.xlsx”的工作表“随访记录”里有一大段空白（超过 1 MB），文件可能是其他软件导出时出错。"
                              "请用 Excel 或 WPS 打开后另存一份再试。")


def test_the_scan_carries_only_the_unfinished_cell():
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>' + b"x" * 300 + b"</t></is></c></row>"
    xml = b"<sheetData>" + b"".join(row % (i, i) for i in range(1, 2001)) + b"</sheetData>"
    pieces = list(whole_cells(io.BytesIO(xml), size=1000))
    assert b"".join(pieces) == xml and max(map(len, pieces)) < 2000


def test_a_long_tail_after_the_cells_is_scanned_in_pieces():
    xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells>' + \
        b'<mergeCell ref="A1:B2"/>' * 400_000 + b"</mergeCells>"  # 9.6 MB without a cell
    pieces = list(whole_cells(io.BytesIO(xml)))
    assert b"".join(pieces) == xml and max(map(len, pieces)) < (1 << 20) + 100  # carry: under one tag


def test_the_scan_finds_extent_errors_and_missing_results():
    xml = (b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="AB1" s="2"/></row>'
           b'<row r="2"><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2"><f>1+0</f><v /></c>'
           b'<c r="E2" t="str"><f>""</f><v></v></c><c r="F2"><f>1+1</f><v>2</v></c></row></sheetData>')
    scan = scan_sheet(io.BytesIO(xml), size=64)
    assert (scan.errors, scan.no_value) == ({(3, 2): "#DIV/0!"}, {(4, 2)})
    assert (scan.last_row, scan.widest, scan.width) == (2, 0, 26)  # AB1 is styled but empty
    measure_narrow(io.BytesIO(xml), scan, size=64)
    assert scan.width == 6


def test_a_long_sheet_of_few_columns_fits_within_the_limit():
    xml = b"<sheetData>" + b"".join(b'<row r="%d"><c r="I%d"><v>1</v></c></row>' % (r, r) for r in (1, 1048576))
    scan = scan_sheet(io.BytesIO(xml + b"</sheetData>"))
    measure_narrow(io.BytesIO(xml), scan)
    assert (scan.last_row, scan.width) == (1048576, 9)
    check_extent(scan, "随访记录", "台账.xlsx")  # 9,437,184 cells: read
    scan.narrow = 10
    with pytest.raises(TooLarge) as err:
        check_extent(scan, "随访记录", "台账.xlsx")
    assert "在 I1048576 有内容" in str(err.value) and "1048576 行 × 10 列" in str(err.value)


# and the rest

def test_an_old_15_digit_id_gives_the_18_digit_number_to_check(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "身份证号", "110101800506025")
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "message"]) == [[
        "D2", "old-id",
        "「110101800506025」是 15 位的旧身份证号（已停用）。请填写 18 位身份证号；按国家规则换算应为 110101198005060250，请对照身份证核实。",
    ]]


def test_a_literal_apostrophe_before_a_code_phone_or_id_is_dropped(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "监护人电话", "'13900000011")
    set_cell(s, "患者", 1, "身份证号", "'" + ID_1)
    set_cell(s, "随访记录", 1, "患者编号", "'P001")
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert (dataset.patients[0].guardian_phone, dataset.patients[0].id_number) == ("13900000011", ID_1)


def test_a_date_serial_number_stored_as_text_says_which_date_it_would_be(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "随访日期", "45797")
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "message"]) == [[
        "B2", "bad-date",
        "「45797」是存成文本的数字，不是日期；作为 Excel 日期序号，它是 2025-05-20。"
        "请重新输入日期，如 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305。",
    ]]


def test_a_date_time_typed_as_text_is_read_as_its_date(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "随访日期", "2025-05-20 14:30")
    set_cell(s, "随访记录", 2, "随访日期", "2025/4/10 9:05:00")
    dataset, report = check(tmp_path, s)
    assert report.problems == []
    assert [f.visit_date for f in dataset.followups[:2]] == [date(2025, 5, 20), date(2025, 4, 10)]


# issue 10: names are data, never markup

@pytest.mark.parametrize("sheet, row, header, value, cell, message", [
    ("患者", 1, "姓名", "<b>甘望舒</b>", "B2", "「<b>甘望舒</b>」含有 < 或 > 符号。姓名、编号和名称不能含有 < 或 > 等符号，请删除。"),
    ("患者", 1, "监护人", "甘\n秋禾", "K2",
     "「甘↵秋禾」含有看不见的控制字符（换行等，显示为 ↵）。姓名、编号和名称必须写在一行里，请删除后重新输入。"),
    ("随访记录", 1, "随访人员", "骆思源、<i>计承远", "D2",
     "「骆思源、<i>计承远」含有 < 或 > 符号。姓名、编号和名称不能含有 < 或 > 等符号，请删除。"),
    ("帮扶小组", 1, "小组编号", "G<01", "A2", "「G<01」含有 < 或 > 符号。编号不能含有 < 或 > 等符号，请删除。"),
    ("帮扶小组", 1, "小组名称", "禾苗村<关爱>小组", "B2", "「禾苗村<关爱>小组」含有 < 或 > 符号。名称不能含有 < 或 > 等符号，请删除。"),
    ("村社区", 1, "名称", "禾苗\n村", "A2", "「禾苗↵村」含有看不见的控制字符（换行等，显示为 ↵）。名称必须写在一行里，请删除后重新输入。"),
])
def test_markup_and_control_characters_are_refused_at_the_cell(tmp_path, sheet, row, header, value, cell, message):
    s = valid_sheets()
    set_cell(s, sheet, row, header, value)
    _, report = check(tmp_path, s)
    unsafe = [[p.sheet, p.cell, p.message] for p in report.problems if p.code == "unsafe-text"]
    assert unsafe == [[sheet, cell, message]]


def test_a_township_name_with_markup_is_refused_at_the_settings_cell(tmp_path):
    s = valid_sheets()
    s["基本设置"][1][1] = "测试镇<script>"
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "code", "message"]) == [[
        "基本设置!B2", "unsafe-text", "“乡镇名称”：「测试镇<script>」含有 < 或 > 符号。名称不能含有 < 或 > 等符号，请删除。",
    ]]


def test_tabs_and_line_breaks_stay_allowed_in_free_text(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "备注", "第一行\n第二行\t缩进")
    set_cell(s, "患者", 1, "现住址", "禾苗村\n2组")
    dataset, report = check(tmp_path, s)
    assert report.problems == [] and dataset.patients[0].note == "第一行\n第二行\t缩进"


# LibreOffice itself

needs_soffice = pytest.mark.skipif(messy.SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice not installed")


@needs_soffice
def test_a_workbook_saved_by_libreoffice_checks_exactly_like_its_source(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 2, "随访形式", "上门")
    set_cell(s, "人员", 3, "手机号", "5124418826")
    set_cell(s, "患者", 1, "现住址", "禾苗村２组，8号")
    source = write_sheets(tmp_path / "src" / "台账.xlsx", s)
    messy.empty_result(source, "随访记录", "H2")  # =IF(…;"";…), which LibreOffice computes again and saves as ""
    messy.error_value(source, "随访记录", "E4", "#DIV/0!", "1/0")
    copy = messy.libreoffice_copy(source, tmp_path / "lo")
    src_data, src_report = check_file(source)
    lo_data, lo_report = check_file(copy)
    keys = ["where", "code", "value", "message"]
    assert lo_report.flatten(keys) == [
        ["人员!D4", "bad-phone", "5124418826",
         "「5124418826」不是有效的电话号码。手机号应为 11 位（这里只有 10 位）；如果是座机，请带上以 0 开头的区号，如 0827-1234567。"],
        ["随访记录!C3", "not-in-vocabulary", "上门", "「上门」不是可选的值。可选：门诊、家庭访视、电话。"],
        ["随访记录!E4", "formula-error", "#DIV/0!", "公式结果为 #DIV/0!（除数为 0），不是有效的值。请改正公式，或直接填写数值。"],
    ]
    assert src_report.flatten(keys) == lo_report.flatten(keys)
    assert lo_data.patients == src_data.patients and lo_data.patients[0].address == "禾苗村２组，8号"


@needs_soffice
def test_formula_results_computed_and_saved_by_libreoffice_are_read_as_such(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "失访原因", '=IF(F2="未访到","其他","")')  # LibreOffice saves the result ""
    set_cell(s, "随访记录", 2, "危险性", "=NA()")
    set_cell(s, "随访记录", 3, "危险性", "=1+2")
    s["随访记录"].append(['=IF(患者!A9="","",患者!A9)', None, None, '=IF(A5="","",A5)'])  # a prepared helper row
    copy = messy.libreoffice_copy(write_sheets(tmp_path / "src" / "台账.xlsx", s), tmp_path / "lo")
    dataset, report = check_file(copy)
    assert report.flatten(["where", "code", "message"]) == [
        ["随访记录!E3", "formula-error", "公式结果为 #N/A（查找没有找到结果），不是有效的值。请改正公式，或直接填写数值。"],
    ]
    assert [(f.row, f.risk, f.loss_reason) for f in dataset.followups] == [(2, 1, None), (3, None, None), (4, 3, None)]


@needs_soffice
def test_a_workbook_edited_by_a_libreoffice_macro_reads_as_the_clerk_typed_it(tmp_path):
    source = write_sheets(tmp_path / "src" / "台账.xlsx", valid_sheets())
    copy = messy.libreoffice_edit(source, tmp_path / "lo" / "台账.xlsx", [
        (8, "D2", "text", "骆思源\n计承远"),  # 随访人员 with Alt+Enter
        (13, "C2", "text", "计承远\u3000骆思源"),  # 参会人员 with a full-width space
        (7, "F2", "text", "禾苗村２组，8号（东头）"),  # 现住址 with full-width punctuation
        (8, "E3", "formula", "=NA()"),  # 危险性
        (8, "H4", "formula", '=IF(F4="未访到";"其他";"")'),  # 失访原因: ""
    ])
    dataset, report = check_file(copy)
    assert report.flatten(["where", "code", "value"]) == [["随访记录!E3", "formula-error", "#N/A"]]
    assert dataset.followups[0].visitors == ["骆思源", "计承远"] and dataset.meetings[0].attendees == ["计承远", "骆思源"]
    assert dataset.patients[0].address == "禾苗村２组，8号（东头）" and dataset.followups[2].loss_reason is None


@needs_soffice
def test_an_ods_file_saved_by_libreoffice_is_accepted(tmp_path):
    source = write_sheets(tmp_path / "src" / "台账.xlsx", valid_sheets())
    ods = messy.libreoffice_copy(source, tmp_path / "lo", "ods")
    dataset, report = check_file(ods)
    assert report.problems == []
    assert [p.patient_id for p in dataset.patients] == ["P001", "P002", "P003"]
    assert dataset.followups[0].visit_date == date(2025, 5, 20)


@needs_soffice
def test_an_ods_file_with_a_far_cell_is_refused_in_a_sentence(tmp_path):  # calamine reads all of an .ods at once
    source = messy.far_cell(write_sheets(tmp_path / "src" / "台账.xlsx", valid_sheets()), "随访记录", "XFD1048576")
    ods = messy.libreoffice_copy(source, tmp_path / "lo", "ods")
    with pytest.raises(WorkbookUnreadable) as err:
        check_file(ods)
    assert str(err.value) == (
        "“台账.ods”有内容离台账数据太远，数据区域超过 1 亿个单元格（行数×列数），无法检查。"
        "请在 WPS/LibreOffice 中按 Ctrl+End 找到最后一个有内容的单元格，删除远处多余的内容后保存，再检查。"
    )
