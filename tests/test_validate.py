"""Validation of whole workbooks: the messy-but-valid one checks clean; planted mistakes are found where they are."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from generator.validate.workbook import validate_workbook
from generator.read.workbook import read_workbook
from generator.read.xmlscan import whole_cells
from tests.workbooks import AS_OF, ID_1, id_ending_in_x, make_id, messy_sheets, set_cell, valid_sheets, write_sheets


def check(tmp_path, sheets):
    dataset, report = validate_workbook(read_workbook(write_sheets(tmp_path / "台账.xlsx", sheets)), today=AS_OF)
    return dataset, report


def test_valid_workbook_has_no_problems(tmp_path):
    dataset, report = check(tmp_path, valid_sheets())
    assert report.problems == []
    assert [p.patient_id for p in dataset.patients] == ["P001", "P002", "P003"]
    assert dataset.settings.township == "测试镇" and dataset.settings.min_visitors == 2
    assert dataset.followups[0].visitors == ["骆思源", "计承远"]


def test_messy_but_valid_workbook_checks_clean(tmp_path):
    s = messy_sheets()
    x_id = id_ending_in_x()
    dataset, report = check(tmp_path, s)
    assert report.valid, report.flatten(["cell", "code", "message"])
    assert report.flatten(["sheet", "code", "value"]) == [["随访记录", "extra-column", "核对情况"]]
    p1, p2, _ = dataset.patients
    assert p1.id_number == ID_1 and p2.id_number == x_id.upper()
    assert p1.guardian_phone == "13900000011" and p2.guardian_phone == "13900000012"
    assert p1.guardian == "甘秋禾" and p1.free_medication is True and p2.free_medication is False
    assert dataset.villages[0].head_phone == "0827-5211234"
    assert [v.visit_date for v in dataset.followups] == [date(2025, 5, 20), date(2025, 4, 10), date(2025, 6, 1)]
    assert dataset.followups[0].row == 2 and dataset.followups[1].row == 4  # real Excel rows, blank row 3 skipped
    assert dataset.intervals["不稳定"] == (14, 90)


def planted() -> dict:
    """valid_sheets() with one mistake per rule, each on its own row where a row check needs a clean row."""
    s = valid_sheets()
    pat = s["患者"]
    header = pat[0]
    base = dict(zip(header, pat[1]))

    def patient(**cells):
        row = dict(base, **cells)
        pat.append([row.get(h) for h in header])

    patient(患者编号="P004", 姓名="祁远山", 身份证号=ID_1[:-1] + ("0" if ID_1[-1] != "0" else "1"))  # D5 checksum
    patient(患者编号="P005", 姓名="祁远水", 身份证号=float(ID_1))  # D6 lost digits
    patient(患者编号="P006", 姓名="祁远峰", 性别="女", 身份证号=make_id("110101", date(1969, 4, 4), 9, True))  # C7 sex
    patient(患者编号="P007", 姓名="祁远岚", 身份证号=make_id("110101", date(1970, 1, 1), 3, True), 帮扶小组编号=None)  # J8
    patient(患者编号="P008", 姓名="祁远川", 身份证号=None, 免费服药="可能")  # N9 vocabulary, and D9 ID required all the same
    patient(患者编号="P009", 姓名="祁远舟", 身份证号=None)  # D10 ID required
    patient(患者编号="P001", 姓名="祁远帆", 身份证号=make_id("110101", date(1971, 2, 2), 5, True))  # A11 duplicate
    patient(患者编号="P010", 姓名="祁远林", 身份证号=make_id("110101", date(1972, 3, 3), 5, True), 现住村社区="河西村")  # E12
    set_cell(s, "患者", 2, "姓名", None)  # B3 required
    set_cell(s, "人员", 3, "手机号", "5124418826")  # D4 bad phone: 10 digits
    set_cell(s, "随访记录", 1, "随访日期", "2025-13-01")  # B2 bad date
    set_cell(s, "随访记录", 2, "随访形式", "上门")  # C3 vocabulary
    set_cell(s, "随访记录", 3, "危险性", 7)  # E4 out of range
    s["随访记录"].append(["P002", datetime(2025, 5, 1), "门诊", "骆思源", 3, "稳定", "规律", None, None])  # F5 inconsistent + D5 warning
    s["随访记录"].append(["P001", datetime(2023, 1, 1), "电话", "骆思源", 0, "稳定", "规律", None, None])  # B6 before enrolment
    set_cell(s, "危险性评估", 1, "评估日期", datetime(2025, 7, 1))  # B2 future
    set_cell(s, "住院记录", 1, "出院日期", datetime(2025, 5, 1))  # C2 before admission
    s["村社区"].append(["禾苗村", "村", None, None])  # A4 duplicate
    s["小组成员"].append(["G02", "司马未名", "志愿者"])  # B6 unknown staff
    s["小组成员"].append(["G09", "骆思源", "精防医生"])  # A7 unknown group
    s["健康体检"] = [[h for h in row if h != "体检日期"] for row in s["健康体检"]]
    del s["健康体检"][1]  # keep the sheet, without its required column
    del s["小组会议"]
    return s


EXPECTED = [
    ["村社区!A4", "duplicate-key", "error"],
    ["人员!D4", "bad-phone", "error"],
    ["小组成员!B6", "unknown-reference", "error"],
    ["小组成员!A7", "unknown-reference", "error"],
    ["患者!B3", "required", "error"],
    ["患者!D5", "bad-id-checksum", "error"],
    ["患者!D6", "id-lost-digits", "error"],
    ["患者!C7", "sex-mismatch", "error"],
    ["患者!J8", "required", "error"],
    ["患者!D9", "required", "error"],
    ["患者!N9", "not-in-vocabulary", "error"],
    ["患者!D10", "required", "error"],
    ["患者!A11", "duplicate-key", "error"],
    ["患者!E12", "unknown-reference", "error"],
    ["随访记录!B2", "bad-date", "error"],
    ["随访记录!C3", "not-in-vocabulary", "error"],
    ["随访记录!E4", "out-of-range", "error"],
    ["随访记录!D5", "too-few-visitors", "warning"],
    ["随访记录!F5", "inconsistent", "error"],
    ["随访记录!B6", "before-enrolment", "warning"],
    ["危险性评估!B2", "future-date", "error"],
    ["住院记录!C2", "inconsistent", "error"],
    ["健康体检!第1行", "missing-column", "error"],
    ["小组会议", "missing-sheet", "error"],
]


def test_each_planted_mistake_is_found_where_it_is(tmp_path):
    _, report = check(tmp_path, planted())
    found = [[p.where, p.code, p.severity] for p in report.sorted()]
    assert found == EXPECTED
    assert report.summary() == "22 个错误，2 个警告"


@pytest.mark.parametrize("where, message", [
    ("人员!D4", "「5124418826」不是有效的电话号码。手机号应为 11 位（这里只有 10 位）；如果是座机，请带上以 0 开头的区号，如 0827-1234567。"),
    ("随访记录!C3", "「上门」不是可选的值。可选：门诊、家庭访视、电话。"),
    ("随访记录!E4", "「7」超出范围，应在 0–5 之间。"),
    ("小组成员!B6", "「司马未名」不在“人员”表的“姓名”中。请先在“人员”表中添加。"),
    ("患者!E12", "「河西村」不在“村社区”表的“名称”中。请先在“村社区”表中添加，或填“外地”。"),
    ("随访记录!F5", "危险性为 3 级（高风险等级为 3 级及以上），病情分类应为“不稳定”，不能是“稳定”。"),
    ("患者!C7", "性别填的是“女”，但身份证号第 17 位表示“男”。请核对性别或身份证号。"),
])
def test_messages_tell_the_clerk_what_to_do(tmp_path, where, message):
    _, report = check(tmp_path, planted())
    assert [p.message for p in report.problems if p.where == where] == [message]


def test_id_typed_as_number_says_the_cell_must_be_text(tmp_path):
    _, report = check(tmp_path, planted())
    (lost,) = [p for p in report.problems if p.code == "id-lost-digits"]
    assert "必须是文本" in lost.message and "15 位" in lost.message
    assert lost.value == "1.10101E+17"  # as Excel shows it


def test_problem_positions_follow_the_columns_as_found(tmp_path):
    s = valid_sheets()
    s["人员"] = [[row[3], row[0], row[1], row[2]] for row in s["人员"]]  # 手机号 moved to column A
    set_cell(s, "人员", 2, "手机号", "123")
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "column", "value", "code"]) == [["A3", "手机号", "123", "bad-phone"]]


def test_formula_without_cached_value_is_explained(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "危险性", "=1+0")  # openpyxl writes the formula without a cached value
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code"]) == [["E2", "formula-no-value"]]
    assert "公式" in report.problems[0].message


def test_sheet_xml_is_scanned_in_pieces_that_never_cut_a_cell():
    xml = b"<sheetData>" + b"".join(b'<row r="%d"><c r="A%d"><f>1+0</f></c></row>' % (i, i) for i in range(1, 40)) + b"</sheetData>"
    pieces = list(whole_cells(io.BytesIO(xml), size=50))
    assert b"".join(pieces) == xml
    assert len(pieces) > 10 and all(piece.count(b"<c ") == piece.count(b"</c>") for piece in pieces)


def test_settings_problems_point_at_the_value_cell(tmp_path):
    s = valid_sheets()
    s["基本设置"][1][1] = None  # 乡镇名称
    s["基本设置"][5][1] = "三级"  # 高风险等级
    s["基本设置"].append(["报表口径", "年度", None])
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "severity"]) == [
        ["B2", "required", "error"], ["B6", "bad-number", "error"], ["A8", "unknown-setting", "warning"],
    ]


def test_missing_rule_row_falls_back_to_default_with_a_warning(tmp_path):
    s = valid_sheets()
    del s["随访规则"][3]  # 稳定
    dataset, report = check(tmp_path, s)
    assert report.flatten(["sheet", "code", "severity"]) == [["随访规则", "missing-row", "warning"]]
    assert dataset.intervals["稳定"] == (90, 180)


def test_as_of_override_makes_later_records_future(tmp_path):
    path = write_sheets(tmp_path / "a.xlsx", valid_sheets())
    _, report = validate_workbook(read_workbook(path), as_of=date(2025, 5, 31), today=date(2025, 6, 1))
    # 敏感时期 may be planned ahead: its 端午 (05-31 … 06-02) and 国庆 rows are not future dates
    assert [[p.where, p.code] for p in report.sorted()] == [["随访记录!B4", "future-date"], ["小组会议!B2", "future-date"],
                                                             ["通报记录!B2", "future-date"], ["点名记录!B2", "future-date"]]


# v2 sheets, settings and columns -------------------------------------------------------------------------------

V2_SHEETS = ("工作会议", "事件记录", "排查记录", "通报记录", "敏感时期", "点名记录")


def test_a_workbook_without_the_v2_sheets_is_valid_with_one_notice_each(tmp_path):
    s = valid_sheets()
    for name in V2_SHEETS:
        del s[name]
    dataset, report = check(tmp_path, s)
    assert report.valid
    assert report.flatten(["sheet", "code", "severity"]) == [[name, "missing-sheet", "warning"] for name in V2_SHEETS]
    assert report.warnings[1].message == ("工作表“事件记录”不存在，按空表处理，用到它的清单为空。"
                                          "需要记录时，可从 jingfang init 生成的标准台账中复制这张表。")
    assert dataset.absent == frozenset(V2_SHEETS) and dataset.incidents == [] and dataset.roll_calls == []


def test_v2_rows_are_read(tmp_path):
    dataset, _ = check(tmp_path, valid_sheets())
    assert dataset.absent == frozenset()
    assert dataset.work_meetings[0].attendees == ["骆思源", "闵若川"] and dataset.incidents[0].risk == 1
    assert [(r.village, r.suspected) for r in dataset.screenings] == [("禾苗村", 0), ("溪口社区", 1)]
    assert dataset.periods[1].start == date(2025, 10, 1) and dataset.roll_calls[0].caller == "骆思源"


def test_v2_mistakes_are_found_where_they_are(tmp_path):
    s = valid_sheets()
    s["基本设置"].append(["奖励取消事件类型", "肇事、轻微滋事", None])
    s["基本设置"].append(["主动搜索间隔天数", -1, None])
    set_cell(s, "患者", 3, "在管状态", "死亡")  # without a 死亡日期
    s["工作会议"].append([datetime(2025, 6, 1), "例会", "骆思源、司马未名", None])
    s["事件记录"].append(["P002", datetime(2025, 6, 1), "打架", 2, None, "是", None])
    s["排查记录"].append(["河西村", datetime(2025, 6, 1), "主动搜索", None, None, None])
    s["排查记录"].append(["禾苗村", datetime(2025, 6, 1), "主动搜索", None, -2, None])
    s["敏感时期"].append(["春节", datetime(2026, 2, 20), datetime(2026, 2, 10), "高风险"])
    s["点名记录"].append(["P009", datetime(2025, 6, 1), "司马未名", "正常", None])
    _, report = check(tmp_path, s)
    assert report.flatten(["where", "code", "severity", "message"]) == [
        ["基本设置!B8", "not-in-vocabulary", "error",
         "“奖励取消事件类型”：「肇事」不是可选的值。是不是“肇事肇祸”？可选：肇事肇祸、轻微滋事、自伤、自杀未遂、走失、其他。"],
        ["基本设置!B9", "out-of-range", "error", "“主动搜索间隔天数”：「-1」超出范围，应在 0–3660 之间。"],
        ["患者!第4行", "required", "warning", "在管状态为“死亡”时，请填写死亡日期。"],
        ["工作会议!C3", "unknown-reference", "error", "「司马未名」不在“人员”表的“姓名”中。请先在“人员”表中添加。"],
        ["事件记录!C3", "not-in-vocabulary", "error", "「打架」不是可选的值。可选：肇事肇祸、轻微滋事、自伤、自杀未遂、走失、其他。"],
        ["排查记录!A4", "unknown-reference", "error", "「河西村」不在“村社区”表的“名称”中。请先在“村社区”表中添加。"],
        ["排查记录!E5", "out-of-range", "error", "「-2」超出范围，应不小于 0。"],
        ["敏感时期!C4", "inconsistent", "error", "结束日期早于开始日期 2026-02-20，请核对。"],
        ["点名记录!A3", "unknown-reference", "error", "「P009」不在“患者”表的“患者编号”中。请先在“患者”表中添加。"],
        ["点名记录!C3", "unknown-reference", "error", "「司马未名」不在“人员”表的“姓名”中。请先在“人员”表中添加。"],
    ]


@pytest.mark.parametrize("relation", ["父亲", "母亲", "儿子", "女儿", "父母", "子女"])
def test_one_parent_or_child_is_a_guardian_relation_as_are_the_categories(tmp_path, relation):
    s = valid_sheets()
    set_cell(s, "患者", 1, "监护人关系", relation)
    dataset, report = check(tmp_path, s)
    assert report.problems == [] and dataset.patients[0].guardian_relation == relation


def test_a_relation_outside_the_vocabulary_is_still_refused(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "监护人关系", "爷爷")
    _, report = check(tmp_path, s)
    assert [(p.sheet, p.row, p.column, p.code, p.message) for p in report.problems] == [
        ("患者", 2, "监护人关系", "not-in-vocabulary",
         "「爷爷」不是可选的值。可选：父母、父亲、母亲、配偶、子女、儿子、女儿、兄弟姐妹、其他亲属、村委会、其他。")]
