"""``jingfang overdue --json`` and ``jingfang export`` on a hand-built workbook with a case for every list.

Expectations are worked by hand (as-of 2025-06-30; defaults: high risk 3, high-risk face visit 180 days,
first visit after discharge 14, health check 365, meetings 30; 随访最少人数 2; intervals 14/30/90 and 90/90/180;
v2: report within 1 day, work meetings 92, screening 183, active search 31 (set here), void on 肇事肇祸;
v3: 连续未访到次数 3, and v3_sheets adds a case for each new list).
"""

from __future__ import annotations

import json
from datetime import datetime

from openpyxl import load_workbook

from tests.commands import run, text
from tests.workbooks import every_list_sheets, write_sheets


def v3_sheets() -> dict:
    """every_list_sheets() and a case for each v3 list, none of which moves another list."""
    s = every_list_sheets()
    # P002 (at home, 稳定, seen 04-10): not reached three times running, the last time refused
    s["随访记录"] += [["P002", datetime(2025, 5, 1), "家庭访视", "闵若川", None, "未访到", None, "其他", None],
                  ["P002", datetime(2025, 5, 20), "电话", "闵若川", None, "未访到", None, "其他", None],
                  ["P002", datetime(2025, 6, 10), "家庭访视", "闵若川", None, "未访到", None, "拒绝随访", None]]
    # P004's 轻微滋事 not reported to the police (blank); P002 left hospital in January, papers not received (否)
    s["事件记录"].append(["P004", datetime(2025, 6, 10), "轻微滋事", None, "村医劝导", None, None])
    s["住院记录"].append(["P002", datetime(2025, 1, 5), datetime(2025, 1, 20), "县精神卫生中心", "自愿", "否"])
    return s


def item(pid, due=None, days=None):
    return {"id": pid, "due": due, "days_overdue": days}


EXPECTED = {
    # P001: agreed next visit 06-19 (05-20 + 30, the latest 基本稳定 allows) → 11 days; P004: risk 4 on 06-10 forces
    # 不稳定, 06-10 + 14 = 06-24 → 6 days
    "followup_overdue": [item("P001", "2025-06-19", 11), item("P004", "2025-06-24", 6)],
    # P002 稳定, no assessment: enrolled 2023-04-01 + 180 = 2023-09-28 → 641 days; P004 不稳定: 2024-01-01 + 90;
    # P001 基本稳定: assessed 2025-03-01 + 90 = 05-30 → 31 days
    "assessment_overdue": [item("P002", "2023-09-28", 641), item("P004", "2024-03-31", 456), item("P001", "2025-05-30", 31)],
    # no check: enrolment + 365
    "health_check_overdue": [item("P002", "2024-03-31", 456), item("P004", "2024-12-31", 181)],
    "high_risk_at_home": [item("P004")],
    # last 面访 2024-12-01 + 180 (the 06-10 phone call does not count)
    "high_risk_visit_overdue": [item("P004", "2025-05-30", 31)],
    # P006 discharged 06-10 with no visit since: 06-10 + 14; P004 was visited on 06-10 after leaving on 06-01
    "discharge_followup_overdue": [item("P006", "2025-06-24", 6)],
    "guardian_agreement_missing": [item("P002")],
    # signed 2024-06-01, no expiry date → in force through 2025-05-31
    "reward_agreement_expired": [item("P004", "2025-05-31", 30)],
    "free_medication_consent_missing": [item("P004")],
    # P003 in hospital with risk 3 (blank), P004 at home with risk 4 (否)
    "police_db_missing": [item("P003"), item("P004")],
    "missing": [item("P005")],
    # P006 lives in 禾苗村, registered in 溪口社区, no 人户分离通报: both villages
    "cross_village": [item("P006") | {"villages": ["禾苗村", "溪口社区"]}],
    "diagnosis_pending": [item("P007")],
    "too_few_visitors": [{"id": "P002", "due": None, "days_overdue": None, "date": "2024-12-01"}],
    # G02 never met: founded 2023-02-01 + 30 = 2023-03-03
    "group_meeting_overdue": [item("G02", "2023-03-03", 850)],
    # P006's agreed next visit 07-03 is within A … A + 7: due, not overdue
    "followup_due_soon": [item("P006", "2025-07-03")],
    # P004 rose from 2 (2024-12-01) to 4 on 06-10, no 高风险报告 → due 06-11; P003 was reported on its rise date 06-01
    "high_risk_report_missing": [item("P004", "2025-06-11", 19)],
    # P005 not reached on 06-20 (走失), no 外出报告 → due 06-21
    "move_report_missing": [item("P005", "2025-06-21", 9)],
    # P002 and P006 at home, never signed one (P001 and P004 did)
    "reward_agreement_none": [item("P002"), item("P006")],
    # P001's agreement 2025-01-10 … 2026-01-09 is in force; 肇事肇祸 on 04-02 voids it (the 轻微滋事 on 02-01 does not)
    "reward_voided": [item("P001") | {"date": "2025-04-02"}],
    # 端午 05-31 … 06-02, scope 高风险: P004 (risk 4 now) at home, no roll call on any of the three days
    "roll_call_missing": [item("P004") | {"date": f"2025-{d}"} for d in ("05-31", "06-01", "06-02")],
    # the last 例会 2025-03-01 + 92 = 06-01 (an 信息交换 on 06-15 does not count)
    "work_meeting_overdue": [item("乡镇", "2025-06-01", 29)],
    # 溪口社区's 集中排查 2024-12-01 + 183 = 2025-06-02; 禾苗村's 2025-03-15 + 183 is in September
    "screening_overdue": [item("溪口社区", "2025-06-02", 28)],
    # 溪口社区 主动搜索 05-20 + 31 = 06-20; 禾苗村 never
    "active_search_overdue": [item("溪口社区", "2025-06-20", 10), item("禾苗村")],
    # risk ≥ 3 ever (no start date set): P003 on 06-01, P004 on 06-10
    "high_risk_register": [item("P003") | {"date": "2025-06-01"}, item("P004") | {"date": "2025-06-10"}],
    # v3: P002's latest three 随访记录 rows are 未访到, the latest on 06-10
    "lost_contact_suspected": [item("P002") | {"date": "2025-06-10"}],
    # refused on 06-10, no 失访拒访通报 → due 06-11
    "refusal_unreported": [item("P002", "2025-06-11", 19) | {"date": "2025-06-10"}],
    # P004's 轻微滋事 of 06-10 (blank); P001's two incidents were reported (是)
    "incident_unreported": [item("P004") | {"date": "2025-06-10"}],
    # P002's stay ended 01-20 (否); P004's and P006's papers were received (是)
    "discharge_info_missing": [item("P002") | {"date": "2025-01-20"}],
}


def test_overdue_json_matches_hand_worked_lists(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", v3_sheets())
    result = run("overdue", "--json", str(workbook))
    assert result.returncode == 0, text(result.stderr)
    out = json.loads(text(result.stdout))
    assert out["as_of"] == "2025-06-30"
    assert list(out["lists"]) == list(EXPECTED)
    for key, expected in EXPECTED.items():
        assert out["lists"][key] == expected, key


def test_as_of_option_moves_every_list(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", v3_sheets())
    out = json.loads(text(run("overdue", "--json", "--as-of", "2025-06-24", str(workbook)).stdout))
    assert out["as_of"] == "2025-06-24"
    assert out["lists"]["followup_overdue"] == [item("P001", "2025-06-19", 5)]  # P004's due date is the as-of itself
    assert out["lists"]["discharge_followup_overdue"] == []


def test_overdue_text_output_and_refusal_on_errors(tmp_path):
    good = run("overdue", str(write_sheets(tmp_path / "台账.xlsx", v3_sheets())))
    assert good.returncode == 0 and "随访逾期（2）" in text(good.stdout) and "P001，逾期 11 天（应于 2025-06-19）" in text(good.stdout)
    assert "近期应随访（1）\n  P006，应于 2025-07-03\n" in text(good.stdout)
    bad = every_list_sheets()
    bad["患者"][1][2] = "女"
    result = run("overdue", "--json", str(write_sheets(tmp_path / "坏.xlsx", bad)))
    assert result.returncode == 1 and text(result.stdout) == "" and "sex" not in text(result.stderr)


def test_export_writes_one_sheet_per_list_with_names_and_contacts(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", v3_sheets())
    target = tmp_path / "清单.xlsx"
    result = run("export", str(workbook), "--out", str(target))
    assert result.returncode == 0, text(result.stderr)
    wb = load_workbook(target)
    assert wb.sheetnames[0] == "说明" and "失访或下落不明" in wb.sheetnames and len(wb.sheetnames) == 30
    rows = list(wb["随访逾期"].values)
    assert rows[0] == ("村社区", "患者编号", "姓名", "性别", "在管状态", "应办日期", "逾期天数", "帮扶小组", "组长", "组长电话",
                       "监护人", "监护人电话")
    assert rows[1] == ("禾苗村", "P001", "甘望舒", "男", "在家居住", "2025-06-19", 11, "G01", "计承远", "13900000001",
                       "甘秋禾", "13900000011")
    assert list(wb["小组会议逾期"].values)[1][:3] == ("溪口社区", "G02", "溪口社区关爱帮扶小组")
    assert run("export", str(workbook), "--out", str(target)).returncode == 1  # no overwrite without --force
