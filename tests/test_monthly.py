"""月度信息交换通报 (domain.md v2 "Documents"): each part hand-worked for May 2025, the month before the as-of date."""

from __future__ import annotations

from datetime import date

import pytest

from generator.derive.evaluation import evaluate
from generator.derive.monthly import DEPARTMENT_SECTIONS, Month, MonthProblem, month_before, monthly_report, parse_month
from generator.contract.organisation import Village
from generator.contract.patients import HospitalStay
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from tests.test_rules import A, patient, visit
from tests.test_rules_v2 import incident, notice

D = date
MAY = Month(D(2025, 5, 1), D(2025, 5, 31))


def report(**sheets) -> dict:
    data = Dataset(settings=Settings(township="测试镇"), **sheets)
    return {k: [tuple(row) for row in s.rows] for k, s in monthly_report(evaluate(data, A), MAY).items()}


def test_months_are_parsed_as_clerks_write_them_and_default_to_the_month_before():
    assert month_before(A) == MAY and month_before(D(2025, 1, 15)) == Month(D(2024, 12, 1), D(2024, 12, 31))
    for text in ("2025-05", "2025/5", "2025.05", "2025年5月", "２０２５－０５"):
        assert parse_month(text, A) == MAY, text
    assert parse_month("2024-02", A).last == D(2024, 2, 29)
    with pytest.raises(MonthProblem, match="月份“2025-13”看不懂"):
        parse_month("2025-13", A)
    with pytest.raises(MonthProblem, match="月份 2025年7月 晚于统计截止日期 2025-06-30"):
        parse_month("2025-07", A)
    assert MAY.label == "2025年5月" and D(2025, 5, 31) in MAY and D(2025, 6, 1) not in MAY


def test_new_patients_are_those_enrolled_in_the_month():
    got = report(patients=[patient("P1"), patient("P2", enrolled=D(2025, 5, 31)), patient("P3", enrolled=D(2025, 6, 1)),
                           patient("P4", enrolled=D(2025, 5, 1))])["new"]
    assert [r[0] for r in got] == ["P4", "P2"]


def test_each_rise_to_high_risk_in_the_month_and_whether_it_was_reported():
    vs = [visit(D(2025, 4, 20), risk=1, condition="基本稳定"),
          visit(D(2025, 5, 10), risk=3, condition="不稳定"),  # a rise
          visit(D(2025, 5, 20), risk=4, condition="不稳定"),  # still high: not a rise
          visit(D(2025, 5, 25), risk=2, condition="基本稳定")]  # falls
    got = report(patients=[patient()], followups=vs,
                 incidents=[incident(D(2025, 5, 28), "肇事肇祸", risk=3)],  # rises again
                 notices=[notice(D(2025, 5, 28), "高风险报告")])["rises"]
    # the report of 05-28 is after the fall of 05-25: it answers the second rise, not the first
    assert got == [("P1", "试甲乙", "甲村", D(2025, 5, 10), "3 级", "随访", "否"),
                   ("P1", "试甲乙", "甲村", D(2025, 5, 28), "3 级", "事件记录", "是")]


def test_a_first_ever_observation_that_is_high_is_a_rise_and_april_ones_are_not_counted():
    got = report(patients=[patient("P1"), patient("P2")],
                 followups=[visit(D(2025, 5, 3), "P1", risk=3, condition="不稳定"),
                            visit(D(2025, 4, 30), "P2", risk=3, condition="不稳定")])["rises"]
    assert [(r[0], r[3]) for r in got] == [("P1", D(2025, 5, 3))]


def test_admissions_and_discharges_in_the_month():
    stays = [HospitalStay(patient_id="P1", admitted=D(2025, 4, 28), discharged=D(2025, 5, 3), hospital="县医院"),
             HospitalStay(patient_id="P2", admitted=D(2025, 5, 31)),
             HospitalStay(patient_id="P3", admitted=D(2025, 3, 1), discharged=D(2025, 4, 30))]
    got = report(patients=[patient("P1"), patient("P2"), patient("P3")], stays=stays)["stays"]
    assert [(r[0], r[3], r[4]) for r in got] == [("P1", D(2025, 5, 3), "出院"), ("P2", D(2025, 5, 31), "入院")]


def test_incidents_in_the_month_say_whether_they_void_the_reward():
    got = report(patients=[patient()], incidents=[incident(D(2025, 5, 2), "肇事肇祸", risk=3), incident(D(2025, 5, 15)),
                                                  incident(D(2025, 6, 1))])["incidents"]
    assert [(r[3], r[4], r[7]) for r in got] == [(D(2025, 5, 2), "肇事肇祸", True), (D(2025, 5, 15), "轻微滋事", False)]


def test_losses_wandering_and_returns_and_moves_counted_apart():
    vs = [visit(D(2025, 5, 5), "P1", risk=None, condition="未访到", loss_reason="外出务工"),
          visit(D(2025, 5, 20), "P1"),  # found again
          visit(D(2025, 5, 6), "P2", risk=None, condition="未访到", loss_reason="迁居他处"),
          visit(D(2025, 4, 6), "P3", risk=None, condition="未访到", loss_reason="走失"),
          visit(D(2025, 5, 9), "P3")]  # found again in May after an April loss
    got = report(patients=[patient("P1"), patient("P2"), patient("P3"),
                           patient("P4", status="死亡", died=D(2025, 5, 31), death_cause="其他疾病"),
                           patient("P5", status="死亡", died=D(2025, 4, 30))],
                 followups=vs, incidents=[incident(D(2025, 5, 7), "走失", pid="P1")])
    assert [(r[0], r[3], r[4]) for r in got["lost"]] == [
        ("P1", D(2025, 5, 5), "未访到（外出务工）"), ("P1", D(2025, 5, 7), "走失"), ("P3", D(2025, 5, 9), "重新访到（家庭访视）"),
        ("P1", D(2025, 5, 20), "重新访到（家庭访视）")]
    assert [(r[0], r[3], r[4], r[5]) for r in got["closed"]] == [
        ("P2", D(2025, 5, 6), "迁居他处", ""), ("P4", D(2025, 5, 31), "死亡", "其他疾病")]


def test_notifications_made_in_the_month():
    got = report(patients=[patient()], notices=[notice(D(2025, 5, 2), "人户分离通报"), notice(D(2025, 6, 2), "外出报告")])
    assert [(r[3], r[4]) for r in got["notices"]] == [(D(2025, 5, 2), "人户分离通报")]


def test_each_villages_follow_ups_due_by_the_months_end_and_done_in_it():
    ps = [patient("P1"), patient("P2"), patient("P3", village="乙村"), patient("P4", status="住院治疗"),
          patient("P5", enrolled=D(2025, 6, 10))]
    vs = [visit(D(2025, 2, 15), "P1"), visit(D(2025, 5, 20), "P1"),  # 稳定 +90 = 05-16: due in May, done
          visit(D(2025, 3, 15), "P2"),  # due 06-13: not due in May
          visit(D(2025, 1, 1), "P3"),  # due 04-01, still not done: counts as due
          visit(D(2025, 1, 1), "P4")]  # in hospital: not counted
    got = report(patients=ps, followups=vs, villages=[Village(name="甲村"), Village(name="乙村"), Village(name="丙村")])
    assert got["followups"] == [("甲村", 1, 1, "100%"), ("乙村", 1, 0, "0%"), ("丙村", 0, 0, "—"), ("合计", 2, 1, "50%")]


def test_each_department_gets_the_parts_it_acts_on():
    assert "rises" in DEPARTMENT_SECTIONS["police"] and "followups" in DEPARTMENT_SECTIONS["health"]
    assert "rises" not in DEPARTMENT_SECTIONS["civil"] and "incidents" in DEPARTMENT_SECTIONS["civil"]
    assert set().union(*DEPARTMENT_SECTIONS.values()) == set(report(patients=[patient()]))
