"""domain.md v3 "New validation": next-due-late, 稳定 with 危险性 1–2, and every problem of a row in one run.

Hand-worked on tests/workbooks.valid_sheets() (as-of 2025-06-30; intervals 不稳定 14, 基本稳定 30, 稳定 90). Columns of
随访记录: A 患者编号, B 随访日期, C 随访形式, D 随访人员, E 危险性, F 病情分类, G 用药依从性, H 失访原因, I 下次随访日期.
Columns of 患者: A 患者编号, B 姓名, C 性别, D 身份证号, E 现住村社区, … H 纳入管理日期, I 在管状态, J 帮扶小组编号.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from generator.read.workbook import read_workbook
from generator.validate.workbook import validate_workbook
from tests.commands import run, text
from tests.workbooks import AS_OF, ID_1, make_id, set_cell, valid_sheets, write_sheets

BAD_CHECKSUM = ID_1[:-1] + ("0" if ID_1[-1] != "0" else "1")


def check(tmp_path, sheets):
    return validate_workbook(read_workbook(write_sheets(tmp_path / "台账.xlsx", sheets)), today=AS_OF)


def visit(pid, day, risk, condition, next_due=None, form="门诊", visitors="骆思源、闵若川"):
    return [pid, day, form, visitors, risk, condition, "规律", "外出务工" if condition == "未访到" else None, next_due]


def late(row, next_due, latest, day, condition, days):
    return ["随访记录", row, "下次随访日期", f"I{row}", next_due, "next-due-late",
            f"下次随访日期 {next_due} 晚于按规定间隔计算的最迟日期 {latest}（随访日期 {day} + “{condition}”的随访间隔 {days} 天）。"
            f"应随访日期按较早的 {latest} 计算；请核对下次随访日期。", "warning"]


FLAT = ["sheet", "row", "column", "cell", "value", "code", "message", "severity"]


# next-due-late: the agreed next visit may not lie beyond 随访日期 + the interval of the row's own class

def test_next_visit_exactly_at_the_interval_is_fine_one_day_later_is_a_warning(tmp_path):
    s = valid_sheets()
    s["随访记录"] += [
        visit("P002", datetime(2025, 6, 1), 4, "不稳定", datetime(2025, 6, 15)),     # row 5: 06-01 + 14 = 06-15, at the limit
        visit("P002", datetime(2025, 6, 2), 4, "不稳定", datetime(2025, 6, 17)),     # row 6: 06-02 + 14 = 06-16, one day past
        visit("P002", datetime(2025, 5, 1), 1, "基本稳定", datetime(2025, 5, 31)),   # row 7: 05-01 + 30 = 05-31, at the limit
        visit("P002", datetime(2025, 5, 2), 2, "基本稳定", datetime(2025, 6, 2)),    # row 8: 05-02 + 30 = 06-01, one day past
        visit("P002", datetime(2025, 3, 1), 0, "稳定", datetime(2025, 5, 30)),       # row 9: 03-01 + 90 = 05-30, at the limit
        visit("P002", datetime(2025, 3, 2), 0, "稳定", datetime(2025, 6, 1)),        # row 10: 03-02 + 90 = 05-31, one day past
        visit("P002", datetime(2025, 6, 3), None, "未访到", datetime(2025, 12, 31)),  # row 11: an attempt has no interval
    ]
    _, report = check(tmp_path, s)
    assert report.flatten(FLAT) == [
        late(6, "2025-06-17", "2025-06-16", "2025-06-02", "不稳定", 14),
        late(8, "2025-06-02", "2025-06-01", "2025-05-02", "基本稳定", 30),
        late(10, "2025-06-01", "2025-05-31", "2025-03-02", "稳定", 90),
    ]
    assert report.valid  # warnings only


def test_the_interval_is_the_one_of_the_followup_rules_sheet(tmp_path):
    s = valid_sheets()
    s["随访规则"][2] = ["基本稳定", 20, 90]  # the township's own: every 20 days
    # P001's agreed 06-19 (05-20 + 30) is now past 05-20 + 20 = 06-09
    _, report = check(tmp_path, s)
    assert report.flatten(FLAT) == [late(2, "2025-06-19", "2025-06-09", "2025-05-20", "基本稳定", 20)]


def test_a_missing_class_in_the_rules_sheet_uses_the_default_interval(tmp_path):
    s = valid_sheets()
    del s["随访规则"][2]  # no 基本稳定 row: the default 30 days
    s["随访记录"].append(visit("P002", datetime(2025, 5, 2), 1, "基本稳定", datetime(2025, 6, 2)))  # 05-02 + 30 = 06-01
    _, report = check(tmp_path, s)
    assert report.flatten(["sheet", "cell", "code", "severity"]) == [
        ["随访规则", None, "missing-row", "warning"],
        ["随访记录", "I5", "next-due-late", "warning"],
    ]


# 稳定 requires 危险性 0 (national criteria); 危险性 at the high-risk level is the existing error instead

def stable_message(risk):
    return (f"危险性为 {risk} 级，病情分类却是“稳定”：按国家标准，病情稳定须危险性为 0 级。"
            "请核对危险性，或把病情分类改为“基本稳定”。")


def test_stable_with_risk_one_or_two_is_a_warning_at_the_class_cell(tmp_path):
    s = valid_sheets()
    s["随访记录"] += [
        visit("P002", datetime(2025, 6, 1), 0, "稳定"),      # row 5: fine
        visit("P002", datetime(2025, 6, 2), 1, "稳定"),      # row 6: warning
        visit("P002", datetime(2025, 6, 3), 2, "稳定"),      # row 7: warning
        visit("P002", datetime(2025, 6, 4), 3, "稳定"),      # row 8: high risk: the error, not also the warning
        visit("P002", datetime(2025, 6, 5), 1, "基本稳定"),  # row 9: fine
        visit("P002", datetime(2025, 6, 6), 2, "不稳定"),    # row 10: fine
    ]
    _, report = check(tmp_path, s)
    assert report.flatten(FLAT) == [
        ["随访记录", 6, "病情分类", "F6", "稳定", "inconsistent", stable_message(1), "warning"],
        ["随访记录", 7, "病情分类", "F7", "稳定", "inconsistent", stable_message(2), "warning"],
        ["随访记录", 8, "病情分类", "F8", "稳定", "inconsistent",
         "危险性为 3 级（高风险等级为 3 级及以上），病情分类应为“不稳定”，不能是“稳定”。", "error"],
    ]


def test_with_high_risk_from_level_two_a_stable_level_two_is_only_the_error(tmp_path):
    s = valid_sheets()
    s["基本设置"][5] = ["高风险等级", 2, None]
    s["随访记录"][1][4:6] = [0, "稳定"]  # P001 was 基本稳定 at risk 1; keep the workbook's own rows quiet at level 2
    s["随访记录"] += [visit("P002", datetime(2025, 6, 2), 1, "稳定"), visit("P002", datetime(2025, 6, 3), 2, "稳定")]
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "severity"]) == [["F5", "inconsistent", "warning"], ["F6", "inconsistent", "error"]]


# every problem of a row in one run: a row with an error still goes through every other check

def test_a_bad_id_and_an_unknown_village_on_one_patient_row_are_both_reported_by_one_check(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "身份证号", BAD_CHECKSUM)
    set_cell(s, "患者", 1, "现住村社区", "河西村")
    result = run("check", "--json", str(write_sheets(tmp_path / "台账.xlsx", s)))
    assert result.returncode == 1
    assert json.loads(text(result.stdout)) == [
        {"sheet": "患者", "row": 2, "column": "身份证号", "cell": "D2", "value": BAD_CHECKSUM, "code": "bad-id-checksum",
         "message": f"身份证号「{BAD_CHECKSUM}」的校验位不对（按前 17 位算应为 {ID_1[-1]}），可能有数字录错，请对照身份证核实。",
         "severity": "error"},
        {"sheet": "患者", "row": 2, "column": "现住村社区", "cell": "E2", "value": "河西村", "code": "unknown-reference",
         "message": "「河西村」不在“村社区”表的“名称”中。请先在“村社区”表中添加，或填“外地”。", "severity": "error"},
    ]


def test_a_bad_date_and_an_unknown_patient_on_one_followup_row_are_both_reported_by_one_check(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 2, "随访日期", "2025-02-30")
    set_cell(s, "随访记录", 2, "患者编号", "P404")
    result = run("check", "--json", str(write_sheets(tmp_path / "台账.xlsx", s)))
    assert result.returncode == 1
    assert json.loads(text(result.stdout)) == [
        {"sheet": "随访记录", "row": 3, "column": "患者编号", "cell": "A3", "value": "P404", "code": "unknown-reference",
         "message": "「P404」不在“患者”表的“患者编号”中。请先在“患者”表中添加。", "severity": "error"},
        {"sheet": "随访记录", "row": 3, "column": "随访日期", "cell": "B3", "value": "2025-02-30", "code": "bad-date",
         "message": "「2025-02-30」不是一个存在的日期（2025年没有2月30日）。", "severity": "error"},
    ]


def test_a_row_with_an_error_still_gets_its_own_row_checks(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "身份证号", BAD_CHECKSUM)
    set_cell(s, "患者", 1, "帮扶小组编号", None)  # at home without a group
    set_cell(s, "随访记录", 2, "随访形式", "上门")  # not in the vocabulary …
    set_cell(s, "随访记录", 2, "危险性", 1)  # … and 稳定 at risk 1 …
    set_cell(s, "随访记录", 2, "下次随访日期", datetime(2025, 7, 10))  # … and 04-10 + 90 = 07-09 is passed
    dataset, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "severity"]) == [
        ["D2", "bad-id-checksum", "error"], ["J2", "required", "error"],
        ["C3", "not-in-vocabulary", "error"], ["F3", "inconsistent", "warning"], ["I3", "next-due-late", "warning"],
    ]
    # rows with errors stay out of the data the lists are made from
    assert [p.patient_id for p in dataset.patients] == ["P002", "P003"]
    assert [(v.patient_id, v.row) for v in dataset.followups] == [("P001", 2), ("P003", 4)]


def test_checks_across_sheets_run_on_rows_with_errors(tmp_path):
    s = valid_sheets()
    # P001: a bad ID, living in 禾苗村 but in 溪口社区's group G02
    set_cell(s, "患者", 1, "身份证号", BAD_CHECKSUM)
    set_cell(s, "患者", 1, "帮扶小组编号", "G02")
    # a follow-up of P001 with a wrong form, dated before P001's enrolment (2023-03-01), one visitor at a face visit
    s["随访记录"].append(["P001", datetime(2023, 2, 1), "上门", "骆思源", 0, "稳定", "规律", None, None])
    # a face visit with a date that cannot be read: the before-enrolment check cannot run, the visitors' check can
    s["随访记录"].append(["P002", "昨天", "门诊", "骆思源", 0, "稳定", "规律", None, None])
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code", "severity"]) == [
        ["D2", "bad-id-checksum", "error"], ["J2", "group-village", "error"],
        ["B5", "before-enrolment", "warning"], ["C5", "not-in-vocabulary", "error"],
        ["B6", "bad-date", "error"], ["D6", "too-few-visitors", "warning"],
    ]


def test_a_cell_that_fails_is_not_reported_again_by_the_checks_that_need_it(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "身份证号", BAD_CHECKSUM)
    set_cell(s, "患者", 1, "性别", "女")  # the ID that failed cannot contradict the sex (ID_1 says 男)
    set_cell(s, "患者", 1, "现住村社区", "禾苗村/二组")  # a village name refused at the cell: not also unknown
    set_cell(s, "随访记录", 1, "病情分类", "稳定")
    set_cell(s, "随访记录", 1, "危险性", "高")  # not a number: not also "required", not also 稳定-with-risk
    set_cell(s, "随访记录", 1, "下次随访日期", "下个月")  # not a date: not also next-due-late
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code"]) == [
        ["D2", "bad-id-checksum"], ["E2", "unsafe-file-name"], ["E2", "bad-number"], ["I2", "bad-date"],
    ]


# a requirement lifted only by another cell's value ("unless 待诊断", "unless 未访到"): when that cell cannot be read
# (or is blank), it holds none of the lifting values, so the requirement is reported in the same run

ID_REQUIRED = "身份证号必填（只有诊断为“待诊断”或在管状态为“下落不明”的人可以留空）。"


def test_a_missing_id_and_an_unknown_diagnosis_on_one_row_are_both_reported_by_one_check(tmp_path):
    s = valid_sheets()
    set_cell(s, "患者", 1, "身份证号", None)
    set_cell(s, "患者", 1, "诊断", "强迫症")  # not one of the six: not 待诊断 either
    set_cell(s, "患者", 2, "身份证号", None)
    set_cell(s, "患者", 2, "诊断", None)  # blank: required, and not 待诊断
    set_cell(s, "患者", 3, "身份证号", None)
    set_cell(s, "患者", 3, "诊断", "待诊断")  # the exception: no ID needed
    result = run("check", "--json", str(write_sheets(tmp_path / "台账.xlsx", s)))
    assert result.returncode == 1
    found = [[p["cell"], p["code"], p["message"]] for p in json.loads(text(result.stdout))]
    assert found == [
        ["D2", "required", ID_REQUIRED],
        ["G2", "not-in-vocabulary", "「强迫症」不是可选的值。可选：精神分裂症、分裂情感性障碍、偏执性精神病、双相情感障碍、"
                                    "癫痫所致精神障碍、精神发育迟滞伴发精神障碍、待诊断、其他。"],
        ["D3", "required", ID_REQUIRED],
        ["G3", "required", "“诊断”必填，不能留空。"],
    ]


def test_a_missing_risk_is_reported_with_an_unknown_class_an_unreadable_guardian_still_needs_a_phone(tmp_path):
    s = valid_sheets()
    set_cell(s, "随访记录", 1, "危险性", None)
    set_cell(s, "随访记录", 1, "病情分类", "好转")  # not 未访到: 危险性 stays required
    set_cell(s, "患者", 1, "监护人", "甘秋禾<父>")  # filled, though refused: its phone is still required
    set_cell(s, "患者", 1, "监护人电话", None)
    _, report = check(tmp_path, s)
    assert report.flatten(["cell", "code"]) == [
        ["K2", "unsafe-text"], ["M2", "required"], ["E2", "required"], ["F2", "not-in-vocabulary"],
    ]
