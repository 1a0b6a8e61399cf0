"""Overdue lists and current state, hand-worked, one boundary at a time (on the due date itself: not overdue)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.derive.evaluation import evaluate, lists_json, overdue_lists
from generator.derive.history import History, current_class, current_risk
from generator.derive.registry import OverdueItem
from generator.derive.state import reward_expiry
from generator.contract.organisation import Group, Meeting
from generator.contract.patients import Agreement, Assessment, Followup, HealthCheck, HospitalStay, Patient
from generator.contract.schema import Dataset
from generator.contract.settings import Settings

A = date(2025, 6, 30)


def patient(pid: str = "P1", **kw) -> Patient:
    fields = dict(patient_id=pid, name="试甲乙", sex="男", village="甲村", diagnosis="精神分裂症", enrolled=date(2024, 1, 1),
                  status="在家居住", group_id="G1", guardian="试丙丁", guardian_phone="13900000000")
    return Patient(**(fields | kw))


def visit(d: date, pid: str = "P1", risk: int | None = 0, condition: str = "稳定", **kw) -> Followup:
    return Followup(**(dict(patient_id=pid, visit_date=d, form="家庭访视", risk=risk, condition=condition) | kw))


def lists(as_of: date = A, settings: dict | None = None, **sheets) -> dict[str, list[tuple]]:
    data = Dataset(settings=Settings(township="测试镇", **(settings or {})), **sheets)
    found = overdue_lists(data, as_of)
    return {k: [(i.id, i.due, i.days_overdue) if i.date is None else (i.id, i.date) for i in v] for k, v in found.items()}


def only(key: str, **kw) -> list[tuple]:
    return lists(**kw)[key]


# follow-ups ---------------------------------------------------------------------------------------------------

def test_followup_due_on_as_of_is_not_overdue_and_a_day_later_is():
    kw = dict(patients=[patient()], followups=[visit(date(2025, 4, 1))])  # 稳定: 90 days → 2025-06-30
    assert only("followup_overdue", **kw) == []
    assert only("followup_overdue", as_of=A + timedelta(days=1), **kw) == [("P1", date(2025, 6, 30), 1)]


def test_agreed_next_date_is_the_due_date():
    kw = dict(patients=[patient("P002")], followups=[visit(date(2025, 6, 1), "P002", next_due=date(2025, 6, 15))])
    assert only("followup_overdue", **kw) == [("P002", date(2025, 6, 15), 15)]


def test_without_follow_up_enrolment_plus_interval_of_the_derived_class():
    # no risk known → 不稳定 → 14 days after enrolment
    assert only("followup_overdue", patients=[patient(enrolled=date(2025, 6, 1))]) == [("P1", date(2025, 6, 15), 15)]
    # an assessment of risk 0 → 稳定 → 90 days
    kw = dict(patients=[patient(enrolled=date(2025, 4, 1))], assessments=[Assessment(patient_id="P1", assessed=date(2025, 4, 2), risk=0)])
    assert only("followup_overdue", **kw) == []  # due 2025-06-30


def test_a_missed_attempt_is_not_a_follow_up():
    kw = dict(patients=[patient()], followups=[visit(date(2025, 3, 1)), visit(date(2025, 6, 20), risk=None, condition="未访到")])
    assert only("followup_overdue", **kw) == [("P1", date(2025, 5, 30), 31)]


def test_interval_comes_from_the_workbook_rules():
    data = Dataset(settings=Settings(township="测试镇"), intervals={"不稳定": (7, 90), "基本稳定": (15, 90), "稳定": (30, 180)},
                   patients=[patient()], followups=[visit(date(2025, 6, 1))])
    assert overdue_lists(data, A)["followup_overdue"] == []  # due 2025-07-01
    assert overdue_lists(data, date(2025, 7, 2))["followup_overdue"] == [OverdueItem("P1", date(2025, 7, 1), 1)]


def test_only_patients_at_home_are_listed():
    assert only("followup_overdue", patients=[patient(status="住院治疗", enrolled=date(2020, 1, 1))]) == []


def test_high_risk_forces_unstable_whatever_was_typed():
    kw = dict(patients=[patient()], followups=[visit(date(2025, 6, 1), risk=2, condition="基本稳定")],
              assessments=[Assessment(patient_id="P1", assessed=date(2025, 6, 10), risk=4)])
    assert only("followup_overdue", **kw) == [("P1", date(2025, 6, 15), 15)]  # 不稳定: 14 days
    assert only("high_risk_at_home", **kw) == [("P1", None, None)]


def test_current_risk_takes_the_latest_and_an_assessment_wins_a_tie():
    h = History(followups=[visit(date(2025, 5, 1), risk=4, condition="不稳定")],
                      assessments=[Assessment(patient_id="P1", assessed=date(2025, 5, 1), risk=1)])
    assert current_risk(h) == 1
    h.followups.append(visit(date(2025, 5, 2), risk=3, condition="不稳定"))
    assert current_risk(h) == 3 and current_class(h, 3) == "不稳定"
    assert current_risk(History()) is None and current_class(History(), 3) == "不稳定"


@pytest.mark.parametrize("risk, expected", [(0, "稳定"), (1, "基本稳定"), (2, "基本稳定"), (3, "不稳定")])
def test_class_derived_from_risk_when_there_is_no_follow_up(risk, expected):
    h = History(assessments=[Assessment(patient_id="P1", assessed=date(2025, 1, 1), risk=risk)])
    assert current_class(h, 3) == expected


# assessments, checks, high-risk visits, discharge -----------------------------------------------------------

def test_assessment_overdue_boundary():
    kw = dict(patients=[patient()], followups=[visit(date(2025, 6, 1))],
              assessments=[Assessment(patient_id="P1", assessed=date(2025, 1, 1), risk=0)])  # 稳定: 180 → 06-30
    assert only("assessment_overdue", **kw) == []
    assert only("assessment_overdue", as_of=date(2025, 7, 1), **kw) == [("P1", date(2025, 6, 30), 1)]
    none = dict(patients=[patient(enrolled=date(2024, 12, 1))], followups=[visit(date(2025, 6, 1))])
    assert only("assessment_overdue", **none) == [("P1", date(2025, 5, 30), 31)]


def test_health_check_overdue_boundary():
    ok = dict(patients=[patient()], checks=[HealthCheck(patient_id="P1", checked=date(2024, 6, 30))])  # +365 = 06-30
    late = dict(patients=[patient()], checks=[HealthCheck(patient_id="P1", checked=date(2024, 6, 29))])
    assert only("health_check_overdue", **ok) == []
    assert only("health_check_overdue", **late) == [("P1", date(2025, 6, 29), 1)]


def test_high_risk_face_visit_overdue_ignores_phone_calls():
    kw = dict(patients=[patient()], followups=[visit(date(2024, 12, 31), risk=3, condition="不稳定"),
                                               visit(date(2025, 6, 20), risk=3, condition="不稳定", form="电话")])
    assert only("high_risk_visit_overdue", **kw) == [("P1", date(2025, 6, 29), 1)]  # 180 days after 12-31
    kw["followups"][0] = visit(date(2025, 1, 1), risk=3, condition="不稳定")
    assert only("high_risk_visit_overdue", **kw) == []  # due 06-30


def test_discharge_without_follow_up():
    def stay(out: date) -> list[HospitalStay]:
        return [HospitalStay(patient_id="P1", admitted=date(2025, 5, 1), discharged=out)]
    base = [visit(date(2025, 4, 20))]
    assert only("discharge_followup_overdue", patients=[patient()], followups=base, stays=stay(date(2025, 6, 16))) == []
    assert only("discharge_followup_overdue", patients=[patient()], followups=base, stays=stay(date(2025, 6, 15))) == \
        [("P1", date(2025, 6, 29), 1)]
    seen = base + [visit(date(2025, 6, 15))]  # a follow-up on the day of discharge counts
    assert only("discharge_followup_overdue", patients=[patient()], followups=seen, stays=stay(date(2025, 6, 15))) == []


# agreements --------------------------------------------------------------------------------------------------

def test_guardian_agreement_in_force_through_its_expiry_date():
    def agreement(expires):
        return [Agreement(patient_id="P1", kind="监护协议", signed=date(2024, 1, 1), expires=expires)]
    assert only("guardian_agreement_missing", patients=[patient()], agreements=agreement(date(2025, 6, 30))) == []
    assert only("guardian_agreement_missing", patients=[patient()], agreements=agreement(None)) == []
    assert only("guardian_agreement_missing", patients=[patient()], agreements=agreement(date(2025, 6, 29))) == [("P1", None, None)]
    assert only("guardian_agreement_missing", patients=[patient(status="住院治疗")]) == []


def test_reward_agreement_defaults_to_one_year_less_a_day():
    def reward(signed):
        return [Agreement(patient_id="P1", kind="以奖代补协议", signed=signed)]
    assert only("reward_agreement_expired", patients=[patient()], agreements=reward(date(2024, 7, 1))) == []
    assert only("reward_agreement_expired", patients=[patient()], agreements=reward(date(2024, 6, 30))) == \
        [("P1", date(2025, 6, 29), 1)]
    assert only("reward_agreement_expired", patients=[patient()]) == []  # never had one: not this list
    leap = Agreement(patient_id="P1", kind="以奖代补协议", signed=date(2024, 2, 29))
    assert reward_expiry(leap) == date(2025, 2, 28)


def test_free_medication_consent():
    ps = [patient("P1", free_medication=True), patient("P2", free_medication=True, status="死亡"),
          patient("P3", free_medication=True), patient("P4", free_medication=False)]
    ag = [Agreement(patient_id="P3", kind="免费服药告知书", signed=date(2023, 1, 1))]
    assert only("free_medication_consent_missing", patients=ps, agreements=ag) == [("P1", None, None)]


# status lists -------------------------------------------------------------------------------------------------

def test_police_database_for_high_risk_patients_not_closed():
    high = [visit(date(2025, 6, 1), pid, risk=3, condition="不稳定") for pid in ("P1", "P2", "P3", "P4")]
    ps = [patient("P1"), patient("P2", in_police_db=True), patient("P3", status="迁出"), patient("P4", status="住院治疗", in_police_db=False)]
    assert only("police_db_missing", patients=ps, followups=high) == [("P1", None, None), ("P4", None, None)]


def test_missing_cross_village_and_diagnosis_pending():
    ps = [patient("P1", status="下落不明"), patient("P2", status="外出务工", home_village="乙村"),
          patient("P3", home_village="甲村"), patient("P4", diagnosis="待诊断"), patient("P5", status="死亡", diagnosis="待诊断",
                                                                                home_village="乙村")]
    got = lists(patients=ps)
    assert got["missing"] == [("P1", None, None), ("P2", None, None)]
    assert got["cross_village"] == [("P2", None, None)]
    assert got["diagnosis_pending"] == [("P4", None, None)]


def test_too_few_visitors_in_the_last_365_days():
    v = [visit(date(2024, 6, 30), visitors=["甲"]),  # A − 365: outside the window
         visit(date(2024, 7, 1), visitors=["甲", "乙"]),  # inside
         visit(date(2025, 6, 1), visitors=["甲"], form="电话"),  # a call is not a 面访
         visit(date(2025, 6, 2), visitors=["甲"], risk=None, condition="未访到"),  # an attempt is not a follow-up
         visit(date(2025, 6, 3), visitors=["甲", "乙", "丙"], form="门诊")]
    assert only("too_few_visitors", patients=[patient()], followups=v, settings={"随访最少人数": 3}) == [("P1", date(2024, 7, 1))]
    assert only("too_few_visitors", patients=[patient()], followups=v) == []  # 0 = not checked


def test_group_meetings():
    groups = [Group(group_id="G1", name="甲组", village="甲村", leader="试甲乙"),
              Group(group_id="G2", name="乙组", village="甲村", leader="试甲乙", founded=date(2025, 5, 31)),
              Group(group_id="G3", name="丙组", village="甲村", leader="试甲乙", founded=date(2025, 1, 1))]
    meetings = [Meeting(group_id="G3", held=date(2025, 5, 30)), Meeting(group_id="G3", held=date(2025, 4, 1))]
    assert only("group_meeting_overdue", groups=groups, meetings=meetings) == [("G3", date(2025, 6, 29), 1), ("G1", None, None)]


def test_lists_are_sorted_most_overdue_first():
    ps = [patient("P1", enrolled=date(2025, 6, 1)), patient("P2", enrolled=date(2025, 5, 1)), patient("P3", enrolled=date(2025, 6, 10))]
    assert [i[0] for i in only("followup_overdue", patients=ps)] == ["P2", "P1", "P3"]


def test_never_done_is_marked_so_pages_can_say_so_instead_of_counting_from_enrolment():
    data = Dataset(settings=Settings(township="测试镇"), patients=[patient(enrolled=date(2016, 1, 1)), patient("P2")],
                   followups=[visit(date(2025, 1, 2), "P2")], assessments=[Assessment(patient_id="P2", assessed=date(2024, 1, 2), risk=0)])
    found = overdue_lists(data, A)
    never = {key: [(i.id, i.never) for i in items] for key, items in found.items()
             if key in ("followup_overdue", "assessment_overdue", "health_check_overdue")}
    assert never == {"followup_overdue": [("P1", True), ("P2", False)], "assessment_overdue": [("P1", True), ("P2", False)],
                     "health_check_overdue": [("P1", True), ("P2", True)]}
    state = evaluate(data, A).states["P1"]
    assert [(d.label, d.never) for d in state.dues] == [("随访", True), ("危险性评估", True), ("健康体检", True),
                                                         ("重点患者面访", True)]
    assert lists_json(found, A)["lists"]["followup_overdue"][0] == {"id": "P1", "due": "2016-01-15",
                                                                          "days_overdue": 3454}  # JSON unchanged
