"""The v2 lists (domain.md "v2 (2026-11-24)") and risk observations, hand-worked, one boundary at a time.

As-of 2025-06-30; defaults unless a test says otherwise: 高风险等级 3, 报告时限天数 1, 工作会议间隔天数 92, 集中排查间隔天数 183,
主动搜索间隔天数 0 (not checked), 奖励取消事件类型 肇事肇祸.
"""

from __future__ import annotations

from datetime import date, datetime

from generator.contract import lists as specs
from generator.derive.evaluation import evaluate, lists_json, overdue_lists
from generator.derive.history import Observation, rise_date
from generator.derive.state import PatientState
from generator.contract.report import Report
from generator.contract.organisation import Village
from generator.contract.patients import Agreement, Assessment
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from generator.contract.work_records import Incident, Notice, RollCall, Screening, SensitivePeriod, WorkMeeting
from generator.present.views import build_view
from tests.test_rules import A, lists, only, patient, visit

D = date


def incident(d: date, kind: str = "轻微滋事", pid: str = "P1", risk: int | None = None) -> Incident:
    return Incident(patient_id=pid, happened=d, kind=kind, risk=risk)


def notice(d: date, kind: str, pid: str = "P1") -> Notice:
    return Notice(patient_id=pid, sent=d, kind=kind)


def state(**sheets) -> PatientState:
    data = Dataset(settings=Settings(township="测试镇"), **sheets)
    return evaluate(data, A).states["P1"]


def high(d: date, pid: str = "P1", risk: int = 3, **kw):
    return visit(d, pid, risk=risk, condition="不稳定", **kw)


# followup_due_soon ---------------------------------------------------------------------------------------------

def test_due_soon_runs_from_the_as_of_date_to_a_week_later_and_is_not_overdue():
    ps = [patient("P1"), patient("P2"), patient("P3"), patient("P4"), patient("P5", status="住院治疗")]
    vs = [visit(D(2025, 4, 1), "P1"),  # 稳定: +90 = 06-30, the as-of date itself
          visit(D(2025, 4, 8), "P2"),  # 07-07 = A + 7
          visit(D(2025, 4, 9), "P3"),  # 07-08: beyond the week
          visit(D(2025, 3, 31), "P4"),  # 06-29: overdue, not due soon
          visit(D(2025, 4, 2), "P5")]  # not at home
    got = lists(patients=ps, followups=vs)
    assert got["followup_due_soon"] == [("P1", D(2025, 6, 30), None), ("P2", D(2025, 7, 7), None)]
    assert got["followup_overdue"] == [("P4", D(2025, 6, 29), 1)]


def test_due_soon_most_urgent_first_in_json():
    ps = [patient("P1"), patient("P2")]
    vs = [visit(D(2025, 4, 5), "P1"), visit(D(2025, 6, 1), "P2", next_due=D(2025, 7, 1))]
    data = Dataset(settings=Settings(township="测试镇"), patients=ps, followups=vs)
    found = lists_json(overdue_lists(data, A), A)["lists"]["followup_due_soon"]
    assert found == [{"id": "P2", "due": "2025-07-01", "days_overdue": None},
                     {"id": "P1", "due": "2025-07-04", "days_overdue": None}]


# risk observations and the rise date ---------------------------------------------------------------------------

def test_on_one_date_a_follow_up_then_an_incident_then_the_assessment():
    s = state(patients=[patient()], followups=[high(D(2025, 6, 1), risk=4)],
              incidents=[incident(D(2025, 6, 1), risk=1)])
    assert (s.risk, s.risk_source, s.high) == (1, (D(2025, 6, 1), "事件记录"), False)
    s = state(patients=[patient()], incidents=[incident(D(2025, 6, 1), risk=4)],
              assessments=[Assessment(patient_id="P1", assessed=D(2025, 6, 1), risk=2)])
    assert (s.risk, s.risk_source) == (2, (D(2025, 6, 1), "危险性评估"))
    s = state(patients=[patient()], followups=[visit(D(2025, 6, 1), risk=1, condition="基本稳定")],
              incidents=[incident(D(2025, 6, 1), "肇事肇祸", risk=4)])
    assert (s.risk, s.risk_source, s.rise_date, s.condition) == (4, (D(2025, 6, 1), "事件记录"), D(2025, 6, 1), "不稳定")


def test_an_incident_without_a_risk_level_is_not_an_observation():
    s = state(patients=[patient()], followups=[visit(D(2025, 6, 1), risk=0)], incidents=[incident(D(2025, 6, 20))])
    assert (s.risk, s.risk_source) == (0, (D(2025, 6, 1), "随访"))


def test_rise_date_is_the_first_high_after_the_last_below():
    found = [Observation(D(2025, 5, 1), 0, 1), Observation(D(2025, 6, 1), 0, 3),
             Observation(D(2025, 6, 10), 2, 4)]
    assert rise_date(found, 3) == D(2025, 6, 1)
    assert rise_date(found[1:], 3) == D(2025, 6, 1)  # none below: the first ever
    assert rise_date(found[:1], 3) is None and rise_date([], 3) is None
    assert rise_date(found, 5) is None


# high_risk_report_missing --------------------------------------------------------------------------------------

RISE = [visit(D(2025, 5, 1), risk=1, condition="基本稳定"), high(D(2025, 6, 1)), high(D(2025, 6, 10), risk=4)]


def test_high_risk_report_due_the_day_after_the_rise():
    assert only("high_risk_report_missing", patients=[patient()], followups=RISE) == [("P1", D(2025, 6, 2), 28)]


def test_a_report_on_the_rise_date_clears_it_one_before_does_not():
    on = only("high_risk_report_missing", patients=[patient()], followups=RISE, notices=[notice(D(2025, 6, 1), "高风险报告")])
    before = only("high_risk_report_missing", patients=[patient()], followups=RISE,
                  notices=[notice(D(2025, 5, 31), "高风险报告"), notice(D(2025, 6, 5), "外出报告")])
    assert on == [] and before == [("P1", D(2025, 6, 2), 28)]


def test_after_a_fall_a_second_rise_needs_a_new_report():
    vs = [high(D(2025, 1, 10)), visit(D(2025, 3, 1), risk=1, condition="基本稳定"), high(D(2025, 6, 20))]
    reported = [notice(D(2025, 1, 10), "高风险报告")]
    assert only("high_risk_report_missing", patients=[patient()], followups=vs, notices=reported) == \
        [("P1", D(2025, 6, 21), 9)]
    # listed before it is late: due on the as-of date itself, no days past it yet
    assert only("high_risk_report_missing", patients=[patient()], followups=vs, notices=reported,
                settings={"报告时限天数": 10}) == [("P1", D(2025, 6, 30), None)]
    fallen = vs[:2]
    assert only("high_risk_report_missing", patients=[patient()], followups=fallen) == []


def test_high_risk_report_for_any_patient_not_closed():
    ps = [patient("P1", status="住院治疗"), patient("P2", status="死亡")]
    obs = [Assessment(patient_id=pid, assessed=D(2025, 6, 29), risk=5) for pid in ("P1", "P2")]
    assert only("high_risk_report_missing", patients=ps, assessments=obs) == [("P1", D(2025, 6, 30), None)]


# move_report_missing -------------------------------------------------------------------------------------------

def away(d: date, pid: str, reason: str):
    return visit(d, pid, risk=None, condition="未访到", loss_reason=reason)


def test_move_report_after_a_missed_visit_for_leaving_or_a_wandering_incident():
    ps = [patient(f"P{i}") for i in range(1, 7)]
    ps[4] = patient("P5", status="迁出")
    vs = [away(D(2025, 6, 10), "P1", "外出务工"),
          away(D(2025, 6, 10), "P2", "连续3次未访到"),  # not a reason to report a move
          away(D(2025, 6, 1), "P3", "迁居他处"),
          away(D(2025, 6, 29), "P4", "走失"),
          away(D(2025, 6, 10), "P5", "外出务工"),  # moved out: closed
          away(D(2025, 6, 29), "P6", "外出务工")]
    inc = [incident(D(2025, 6, 20), "走失", "P3")]
    ns = [notice(D(2025, 6, 5), "外出报告", "P3"),  # reports the 06-01 absence, not the 06-20 wandering off
          notice(D(2025, 6, 29), "外出报告", "P4")]
    assert only("move_report_missing", patients=ps, followups=vs, incidents=inc, notices=ns) == \
        [("P1", D(2025, 6, 11), 19), ("P3", D(2025, 6, 21), 9), ("P6", D(2025, 6, 30), None)]


# cross_village -------------------------------------------------------------------------------------------------

def test_cross_village_until_notified_names_both_villages():
    ps = [patient("P1", home_village="乙村"), patient("P2", home_village="乙村"), patient("P3", home_village="外地")]
    ns = [notice(D(2025, 1, 1), "人户分离通报", "P2"), notice(D(2025, 1, 1), "外出报告", "P3")]
    data = Dataset(settings=Settings(township="测试镇"), villages=[Village(name="甲村"), Village(name="乙村")],
                   patients=ps, notices=ns)
    found = overdue_lists(data, A)["cross_village"]
    assert [i.to_json() for i in found] == [
        {"id": "P1", "due": None, "days_overdue": None, "villages": ["甲村", "乙村"]},
        {"id": "P3", "due": None, "days_overdue": None, "villages": ["甲村", "外地"]},
    ]
    view = build_view(data, Report(), A, datetime(2025, 7, 1, 8, 0))
    assert [i.id for i in view.items_of_village("乙村")["cross_village"]] == ["P1"]
    assert [i.id for i in view.items_of_village("甲村")["cross_village"]] == ["P1", "P3"]


# agreements and the reward -------------------------------------------------------------------------------------

def reward(signed: date, pid: str = "P1", expires: date | None = None) -> Agreement:
    return Agreement(patient_id=pid, kind="以奖代补协议", signed=signed, expires=expires)


def test_reward_agreement_none_means_never_signed_one_by_the_as_of_date():
    ps = [patient("P1"), patient("P2"), patient("P3"), patient("P4", status="住院治疗")]
    ags = [reward(D(2023, 1, 1), "P2"),  # lapsed long ago: reward_agreement_expired, not this list
           reward(D(2025, 7, 5), "P3"),  # signed after the as-of date
           Agreement(patient_id="P1", kind="监护协议", signed=D(2024, 1, 1))]
    got = lists(patients=ps, agreements=ags)
    assert got["reward_agreement_none"] == [("P1", None, None), ("P3", None, None)]
    assert got["reward_agreement_expired"] == [("P2", D(2023, 12, 31), 547)]


def test_reward_voided_by_a_serious_incident_in_this_agreement_year_only():
    ps = [patient(f"P{i}") for i in range(1, 5)]
    ags = [reward(D(2025, 1, 10), "P1"), reward(D(2025, 1, 10), "P2"),
           reward(D(2024, 1, 1), "P3", D(2024, 12, 31)), reward(D(2025, 1, 1), "P3"), reward(D(2025, 1, 10), "P4")]
    inc = [incident(D(2025, 3, 1), "肇事肇祸", "P1"), incident(D(2025, 5, 1), "肇事肇祸", "P1"),
           incident(D(2025, 3, 1), "轻微滋事", "P2"),
           incident(D(2024, 11, 1), "肇事肇祸", "P3"),  # in last year's term
           incident(D(2025, 1, 9), "肇事肇祸", "P4")]  # the day before signing
    assert only("reward_voided", patients=ps, agreements=ags, incidents=inc) == [("P1", D(2025, 5, 1))]
    assert only("reward_voided", patients=ps, agreements=ags, incidents=inc,
                settings={"奖励取消事件类型": "肇事肇祸、轻微滋事"}) == [("P1", D(2025, 5, 1)), ("P2", D(2025, 3, 1))]


def test_reward_voided_needs_an_agreement_in_force():
    ags = [reward(D(2024, 6, 1))]  # in force through 2025-05-31
    assert only("reward_voided", patients=[patient()], agreements=ags, incidents=[incident(D(2025, 5, 1), "肇事肇祸")]) == []
    later = [incident(D(2025, 7, 1), "肇事肇祸")]  # after the as-of date (only a Dataset built in code can hold one)
    assert only("reward_voided", patients=[patient()], agreements=[reward(D(2025, 1, 10))], incidents=later) == []


# roll_call_missing ---------------------------------------------------------------------------------------------

def test_roll_call_missing_per_patient_and_day_a_day_counting_once():
    ps = [patient("P1"), patient("P2"), patient("P3", status="住院治疗")]
    vs = [high(D(2025, 6, 1), "P1"), visit(D(2025, 6, 1), "P2"), high(D(2025, 6, 1), "P3")]
    periods = [SensitivePeriod(name="端午", start=D(2025, 6, 26), end=D(2025, 6, 28), scope="高风险"),
               SensitivePeriod(name="迎检", start=D(2025, 6, 27), end=D(2025, 7, 3), scope="全部在家"),  # to A − 1 only
               SensitivePeriod(name="国庆", start=D(2025, 10, 1), end=D(2025, 10, 7), scope="全部在家")]
    calls = [RollCall(patient_id=pid, called=d, result="正常")
             for pid, d in (("P1", D(2025, 6, 26)), ("P1", D(2025, 6, 28)), ("P2", D(2025, 6, 27)))]
    assert only("roll_call_missing", patients=ps, followups=vs, periods=periods, roll_calls=calls) == [
        ("P1", D(2025, 6, 27)), ("P1", D(2025, 6, 29)), ("P2", D(2025, 6, 28)), ("P2", D(2025, 6, 29))]


def test_a_roll_call_that_reached_nobody_still_counts_and_a_period_starting_on_the_as_of_date_is_empty():
    periods = [SensitivePeriod(name="春节", start=D(2025, 6, 29), end=D(2025, 6, 29), scope="全部在家"),
               SensitivePeriod(name="七一", start=A, end=D(2025, 7, 1), scope="全部在家")]
    calls = [RollCall(patient_id="P1", called=D(2025, 6, 29), result="未联系上")]
    assert only("roll_call_missing", patients=[patient()], periods=periods, roll_calls=calls) == []
    assert only("roll_call_missing", patients=[patient()], periods=periods) == [("P1", D(2025, 6, 29))]


# the township's and the villages' work ---------------------------------------------------------------------------

def meeting(d: date, kind: str = "例会") -> WorkMeeting:
    return WorkMeeting(held=d, kind=kind)


def test_work_meetings_every_92_days_counting_only_regular_and_joint_meetings():
    assert only("work_meeting_overdue") == [("乡镇", None, None)]
    assert only("work_meeting_overdue", work_meetings=[meeting(D(2025, 3, 30))]) == []  # due 06-30
    late = [meeting(D(2025, 3, 29)), meeting(D(2025, 6, 1), "信息交换"), meeting(D(2025, 6, 2), "专题会议")]
    assert only("work_meeting_overdue", work_meetings=late) == [("乡镇", D(2025, 6, 29), 1)]
    assert only("work_meeting_overdue", work_meetings=late + [meeting(D(2025, 4, 1), "联席会议")]) == []


VILLAGES = [Village(name="甲村"), Village(name="乙村"), Village(name="丙村")]


def screening(village: str, d: date, kind: str) -> Screening:
    return Screening(village=village, screened=d, kind=kind)


def test_screening_every_183_days_per_village():
    rows = [screening("甲村", D(2024, 12, 29), "集中排查"), screening("乙村", D(2024, 12, 28), "集中排查"),
            screening("乙村", D(2024, 6, 1), "集中排查"), screening("丙村", D(2025, 6, 1), "动态排查")]
    assert only("screening_overdue", villages=VILLAGES, screenings=rows) == [("乙村", D(2025, 6, 29), 1), ("丙村", None, None)]


def test_active_search_only_when_its_interval_is_set():
    rows = [screening("甲村", D(2025, 5, 30), "主动搜索"), screening("乙村", D(2025, 5, 29), "主动搜索"),
            screening("丙村", D(2025, 6, 20), "集中排查")]
    assert only("active_search_overdue", villages=VILLAGES, screenings=rows) == []  # 主动搜索间隔天数 0
    assert only("active_search_overdue", villages=VILLAGES, screenings=rows, settings={"主动搜索间隔天数": 31}) == \
        [("乙村", D(2025, 6, 29), 1), ("丙村", None, None)]


# the high-risk register ----------------------------------------------------------------------------------------

def test_high_risk_register_from_its_start_date_or_all_history():
    ps = [patient("P1"), patient("P2"), patient("P3", status="死亡"), patient("P4", status="住院治疗")]
    obs = [Assessment(patient_id="P1", assessed=D(2018, 5, 1), risk=4), Assessment(patient_id="P1", assessed=D(2018, 9, 1), risk=0),
           Assessment(patient_id="P3", assessed=D(2020, 1, 1), risk=5)]
    vs = [visit(D(2018, 12, 31), "P2", risk=1, condition="基本稳定"), high(D(2019, 1, 1), "P2"), high(D(2020, 1, 1), "P2")]
    inc = [incident(D(2020, 2, 2), "肇事肇祸", "P4", risk=3)]
    kw = dict(patients=ps, assessments=obs, followups=vs, incidents=inc)
    assert only("high_risk_register", **kw) == [("P1", D(2018, 5, 1)), ("P2", D(2019, 1, 1)), ("P4", D(2020, 2, 2))]
    assert only("high_risk_register", settings={"高风险底册起始日期": "2019-01-01"}, **kw) == \
        [("P2", D(2019, 1, 1)), ("P4", D(2020, 2, 2))]


def test_registers_and_findings_are_declared_apart_from_the_to_dos():
    """issue 24: the 逐人台账 and 本年度不予奖励 are consulted like the 高风险患者底册; a visit made by too few and a
    roll call missed are past facts nobody can put right now (data quality), not things to do."""
    assert [spec.key for spec in specs.LISTS if spec.register] == ["reward_agreement_none", "reward_voided",
                                                                    "high_risk_register"]
    assert [spec.key for spec in specs.LISTS if spec.kind == "finding"] == ["too_few_visitors", "roll_call_missing"]


# a workbook without the new sheets -----------------------------------------------------------------------------

def test_lists_made_from_an_absent_sheet_are_empty_others_keep_working():
    absent = frozenset({"工作会议", "事件记录", "排查记录", "通报记录", "敏感时期", "点名记录"})
    ps = [patient("P1", home_village="乙村")]
    data = Dataset(settings=Settings(township="测试镇", 主动搜索间隔天数=31), villages=VILLAGES, patients=ps,
                   followups=[high(D(2025, 6, 1))], absent=absent)
    got = {k: [i.id for i in v] for k, v in overdue_lists(data, A).items()}
    assert {k for k, v in got.items() if v} == {"followup_overdue", "assessment_overdue", "health_check_overdue",
                                                "high_risk_at_home",
                                                "guardian_agreement_missing", "police_db_missing", "cross_village",
                                                "reward_agreement_none", "high_risk_register"}
    present = overdue_lists(Dataset(**{**data.__dict__, "absent": frozenset()}), A)
    assert [k for k in ("high_risk_report_missing", "work_meeting_overdue", "screening_overdue", "active_search_overdue")
            if not present[k]] == []
