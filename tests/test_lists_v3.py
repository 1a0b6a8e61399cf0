"""The v3 lists (domain.md "v3 (2026-12-06)", changed and new lists), hand-worked, one boundary at a time.

As-of 2025-06-30; defaults unless a test says otherwise: intervals 14/30/90 (不稳定/基本稳定/稳定), 高风险等级 3,
高风险居家面访间隔天数 180, 报告时限天数 1, 连续未访到次数 3.
"""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import load_workbook

from generator.contract import lists as specs
from generator.contract.patients import Assessment, HospitalStay
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from generator.contract.work_records import Incident, Notice
from generator.contract.report import Report
from generator.derive import trends
from generator.derive.evaluation import evaluate, lists_json, overdue_lists
from generator.derive.history import histories
from generator.derive.state import due_for_followup
from generator.present.pages.departments import render_department
from generator.present.pages.guidelines import render_guidelines
from generator.present.views import build_view
from generator.sample.template import write_template
from tests.test_rules import A, only, patient, visit

D = date
NEW = ("lost_contact_suspected", "refusal_unreported", "incident_unreported", "discharge_info_missing")


def missed(d: date, pid: str = "P1", reason: str = "其他"):
    return visit(d, pid, risk=None, condition="未访到", loss_reason=reason)


def notice(d: date, kind: str = "失访拒访通报", pid: str = "P1") -> Notice:
    return Notice(patient_id=pid, sent=d, kind=kind)


def items(key: str, as_of: date = A, settings: dict | None = None, **sheets) -> list[dict]:
    """One list as ``overdue --json`` prints it."""
    data = Dataset(settings=Settings(township="测试镇", **(settings or {})), **sheets)
    return lists_json(overdue_lists(data, as_of), as_of)["lists"][key]


# followup_overdue / followup_due_soon: the earlier of 下次随访日期 and the interval -----------------------------

def test_an_agreed_date_earlier_than_the_interval_is_the_due_date():
    # 稳定 seen 06-01: 06-01 + 90 = 08-29; agreed 06-15 is earlier → 15 days late
    kw = dict(patients=[patient()], followups=[visit(D(2025, 6, 1), next_due=D(2025, 6, 15))])
    assert only("followup_overdue", **kw) == [("P1", D(2025, 6, 15), 15)]


def test_an_agreed_date_later_than_the_interval_does_not_push_the_visit_back():
    # seed 001's case: 不稳定 seen 03-01 with 下次随访日期 90 days on; 03-01 + 14 = 03-15 is the due date
    kw = dict(patients=[patient()], followups=[visit(D(2025, 3, 1), risk=1, condition="不稳定", next_due=D(2025, 5, 30))])
    assert only("followup_overdue", **kw) == [("P1", D(2025, 3, 15), 107)]
    # 基本稳定 seen 06-01, agreed 08-30: 06-01 + 30 = 07-01, due this week, not yet late; late the day after
    kw = dict(patients=[patient()], followups=[visit(D(2025, 6, 1), risk=1, condition="基本稳定", next_due=D(2025, 8, 30))])
    assert only("followup_overdue", **kw) == []
    assert only("followup_due_soon", **kw) == [("P1", D(2025, 7, 1), None)]
    assert only("followup_overdue", as_of=D(2025, 7, 2), **kw) == [("P1", D(2025, 7, 1), 1)]


def test_an_agreed_date_on_the_interval_date_and_one_day_before_it():
    on = dict(patients=[patient()], followups=[visit(D(2025, 6, 1), risk=1, condition="基本稳定", next_due=D(2025, 7, 1))])
    before = dict(patients=[patient()], followups=[visit(D(2025, 6, 1), risk=1, condition="基本稳定", next_due=D(2025, 6, 30))])
    assert only("followup_due_soon", **on) == [("P1", D(2025, 7, 1), None)]
    assert only("followup_due_soon", **before) == [("P1", D(2025, 6, 30), None)]


def test_the_interval_is_that_of_the_current_class_not_of_the_row():
    # the follow-up said 稳定, a later assessment of risk 3 makes the patient 不稳定: 06-01 + 14 = 06-15, before 06-20
    data = Dataset(settings=Settings(township="测试镇"), patients=[patient()],
                   followups=[visit(D(2025, 6, 1), next_due=D(2025, 6, 20))],
                   assessments=[Assessment(patient_id="P1", assessed=D(2025, 6, 5), risk=3)])
    state = evaluate(data, A).states["P1"]
    assert (state.dues.followup.due, state.dues.followup.days_overdue) == (D(2025, 6, 15), 15)


def test_without_a_follow_up_enrolment_plus_the_interval_as_before():
    assert only("followup_overdue", patients=[patient(enrolled=D(2025, 6, 1))]) == [("P1", D(2025, 6, 15), 15)]


def test_the_trends_month_uses_the_same_due_date():
    # 不稳定 seen 03-01, agreed 05-30: due 03-15, so April counts the patient as due (and not followed up)
    data = Dataset(settings=Settings(township="测试镇"), patients=[patient()],
                   followups=[visit(D(2025, 3, 1), risk=1, condition="不稳定", next_due=D(2025, 5, 30))])
    found = histories(data)
    assert due_for_followup(data.patients[0], found["P1"], data) == D(2025, 3, 15)
    records = {"P1": trends.Record(found["P1"])}
    assert trends.followup_month(data, records, D(2025, 4, 1), D(2025, 4, 30)) == ({"P1"}, set())


# high_risk_visit_overdue: high risk or 不稳定, at home -----------------------------------------------------------

def test_an_unstable_low_risk_patient_at_home_is_now_due_a_face_visit():
    # risk 1, class 不稳定 (typed on the follow-up); last 面访 2024-12-31 + 180 = 06-29 → 1 day
    unstable = [visit(D(2024, 12, 31), risk=1, condition="不稳定"), visit(D(2025, 6, 25), risk=1, condition="不稳定", form="电话")]
    assert only("high_risk_visit_overdue", patients=[patient()], followups=unstable) == [("P1", D(2025, 6, 29), 1)]
    state = evaluate(Dataset(settings=Settings(township="测试镇"), patients=[patient()], followups=unstable), A).states["P1"]
    assert (state.high, state.dues.face_visit.label, state.dues.face_visit.applies) == (False, "重点患者面访", True)


def test_face_visits_boundary_and_who_is_not_due_one():
    on_time = [visit(D(2025, 1, 1), risk=1, condition="不稳定")]  # + 180 = 06-30: due today, not late
    assert only("high_risk_visit_overdue", patients=[patient()], followups=on_time) == []
    stable = [visit(D(2024, 12, 31), risk=2, condition="基本稳定")]
    assert only("high_risk_visit_overdue", patients=[patient()], followups=stable) == []
    away = [visit(D(2024, 12, 31), risk=1, condition="不稳定")]
    assert only("high_risk_visit_overdue", patients=[patient(status="住院治疗")], followups=away) == []
    high = [visit(D(2024, 12, 31), risk=3, condition="不稳定")]
    assert only("high_risk_visit_overdue", patients=[patient()], followups=high) == [("P1", D(2025, 6, 29), 1)]


def test_the_face_visit_list_keeps_its_key_under_its_new_title():
    assert specs.BY_KEY["high_risk_visit_overdue"].title == "重点患者面访逾期"


# lost_contact_suspected ----------------------------------------------------------------------------------------

def test_the_latest_three_rows_not_reached_and_two_are_not_enough():
    ps = [patient("P1"), patient("P2"), patient("P3"), patient("P4")]
    vs = [visit(D(2025, 3, 1), "P1"), missed(D(2025, 4, 1), "P1"), missed(D(2025, 5, 1), "P1"), missed(D(2025, 6, 1), "P1"),
          visit(D(2025, 3, 1), "P2"), missed(D(2025, 5, 1), "P2"), missed(D(2025, 6, 2), "P2"),  # K - 1
          missed(D(2025, 3, 1), "P3"), missed(D(2025, 4, 1), "P3"), missed(D(2025, 5, 1), "P3"),
          visit(D(2025, 6, 1), "P3"),  # reached since
          missed(D(2025, 4, 3), "P4"), missed(D(2025, 5, 3), "P4"), missed(D(2025, 6, 3), "P4")]  # never reached at all
    assert only("lost_contact_suspected", patients=ps, followups=vs) == [("P1", D(2025, 6, 1)), ("P4", D(2025, 6, 3))]
    assert only("lost_contact_suspected", settings={"连续未访到次数": 2}, patients=ps, followups=vs) == \
        [("P1", D(2025, 6, 1)), ("P2", D(2025, 6, 2)), ("P4", D(2025, 6, 3))]
    assert only("lost_contact_suspected", settings={"连续未访到次数": 0}, patients=ps, followups=vs) == []


def test_lost_contact_only_at_home_and_rows_are_taken_by_date_not_sheet_order():
    vs = [missed(D(2025, 6, 1)), missed(D(2025, 4, 1)), visit(D(2025, 5, 1)), missed(D(2025, 5, 20))]
    assert only("lost_contact_suspected", patients=[patient()], followups=vs) == []  # by date: 未访到, 随访, 未访到, 未访到
    three = [missed(D(2025, 4, 1)), missed(D(2025, 5, 1)), missed(D(2025, 6, 1))]
    assert only("lost_contact_suspected", patients=[patient(status="外出务工")], followups=three) == []
    assert items("lost_contact_suspected", patients=[patient()], followups=three) == \
        [{"id": "P1", "due": None, "days_overdue": None, "date": "2025-06-01"}]


# refusal_unreported --------------------------------------------------------------------------------------------

def test_a_refusal_is_due_reported_the_next_day_and_a_notice_on_the_day_settles_it():
    refused = [visit(D(2025, 5, 1)), missed(D(2025, 6, 10), reason="拒绝随访")]
    kw = dict(patients=[patient()], followups=refused)
    assert items("refusal_unreported", **kw) == [{"id": "P1", "due": "2025-06-11", "days_overdue": 19, "date": "2025-06-10"}]
    assert items("refusal_unreported", notices=[notice(D(2025, 6, 9))], **kw) == \
        [{"id": "P1", "due": "2025-06-11", "days_overdue": 19, "date": "2025-06-10"}]  # the day before d
    assert items("refusal_unreported", notices=[notice(D(2025, 6, 10))], **kw) == []  # on d
    assert items("refusal_unreported", notices=[notice(D(2025, 6, 12), "外出报告")], **kw) != []  # another kind


def test_the_latest_refusal_counts_and_a_refusal_on_the_as_of_day_is_listed_before_it_is_late():
    vs = [missed(D(2025, 5, 1), reason="拒绝随访"), visit(D(2025, 5, 15)), missed(D(2025, 6, 30), reason="拒绝随访")]
    got = items("refusal_unreported", patients=[patient()], followups=vs, notices=[notice(D(2025, 5, 2))])
    assert got == [{"id": "P1", "due": "2025-07-01", "days_overdue": None, "date": "2025-06-30"}]
    assert items("refusal_unreported", settings={"报告时限天数": 3}, patients=[patient()], followups=vs[:2]) == \
        [{"id": "P1", "due": "2025-05-04", "days_overdue": 57, "date": "2025-05-01"}]


def test_refusals_of_closed_patients_other_reasons_and_an_absent_notice_sheet():
    refused = [missed(D(2025, 6, 10), reason="拒绝随访")]
    assert only("refusal_unreported", patients=[patient(status="死亡", died=D(2025, 6, 20))], followups=refused) == []
    assert items("refusal_unreported", patients=[patient(status="住院治疗")], followups=refused) == \
        [{"id": "P1", "due": "2025-06-11", "days_overdue": 19, "date": "2025-06-10"}]  # not closed: wherever they are
    assert only("refusal_unreported", patients=[patient()], followups=[missed(D(2025, 6, 10), reason="其他")]) == []
    data = Dataset(settings=Settings(township="测试镇"), patients=[patient()], followups=refused, absent=frozenset({"通报记录"}))
    assert overdue_lists(data, A)["refusal_unreported"] == []


# incident_unreported -------------------------------------------------------------------------------------------

def test_incidents_not_reported_to_the_police_yes_no_and_blank():
    def incident(d, kind, told, pid="P1"):
        return Incident(patient_id=pid, happened=d, kind=kind, police_told=told)
    found = [incident(D(2025, 6, 1), "肇事肇祸", True), incident(D(2025, 6, 2), "肇事肇祸", False),
             incident(D(2025, 6, 3), "轻微滋事", None), incident(D(2025, 6, 4), "自伤", None),
             incident(D(2025, 6, 5), "走失", False), incident(D(2024, 1, 5), "轻微滋事", False, "P2")]
    ps = [patient(), patient("P2", status="死亡", died=D(2024, 3, 1))]  # any patient, closed ones too
    assert only("incident_unreported", patients=ps, incidents=found) == \
        [("P1", D(2025, 6, 2)), ("P1", D(2025, 6, 3)), ("P2", D(2024, 1, 5))]
    data = Dataset(settings=Settings(township="测试镇"), patients=ps, incidents=found, absent=frozenset({"事件记录"}))
    assert overdue_lists(data, A)["incident_unreported"] == []


# discharge_info_missing ----------------------------------------------------------------------------------------

def test_discharged_on_the_as_of_day_counts_and_papers_received_do_not():
    def stay(out, received, pid="P1"):
        return HospitalStay(patient_id=pid, admitted=D(2025, 5, 1), discharged=out, discharge_info_received=received)
    kw = dict(patients=[patient(), patient("P2"), patient("P3"), patient("P4")],
              stays=[stay(D(2025, 6, 30), None), stay(D(2025, 6, 10), True, "P2"), stay(D(2025, 6, 11), False, "P3"),
                     stay(None, False, "P4")])
    assert only("discharge_info_missing", **kw) == [("P1", D(2025, 6, 30)), ("P3", D(2025, 6, 11))]
    assert only("discharge_info_missing", as_of=D(2025, 6, 29), **kw) == [("P3", D(2025, 6, 11))]  # A + 1 = 出院日期


def test_every_stay_of_an_open_patient_and_none_of_a_closed_one():
    stays = [HospitalStay(patient_id="P1", admitted=D(2024, 1, 1), discharged=D(2024, 2, 1)),
             HospitalStay(patient_id="P1", admitted=D(2025, 1, 1), discharged=D(2025, 2, 1), discharge_info_received=False),
             HospitalStay(patient_id="P2", admitted=D(2025, 1, 1), discharged=D(2025, 2, 1))]
    ps = [patient(status="住院治疗"), patient("P2", status="迁出")]
    assert only("discharge_info_missing", patients=ps, stays=stays) == [("P1", D(2024, 2, 1)), ("P1", D(2025, 2, 1))]


# the catalogue: overdue --json, departments, vocabulary, setting, template -------------------------------------

def test_the_new_lists_close_the_catalogue_and_overdue_json_carries_them():
    assert [spec.key for spec in specs.LISTS][-4:] == list(NEW)
    assert [specs.BY_KEY[k].title for k in NEW] == ["连续未访到（核实去向）", "拒访未通报", "事件未报告派出所",
                                                     "出院信息未接收（一历五单）"]
    got = lists_json(overdue_lists(Dataset(settings=Settings(township="测试镇")), A), A)["lists"]
    assert list(got)[-4:] == list(NEW) and all(got[k] == [] for k in NEW)


def test_police_act_on_refusals_and_incidents_the_health_centre_on_lost_contact_and_discharge_papers():
    by_slug = {d.slug: d.lists for d in specs.DEPARTMENTS}
    assert {"refusal_unreported", "incident_unreported"} <= set(by_slug["police"])
    assert {"lost_contact_suspected", "discharge_info_missing"} <= set(by_slug["health"])
    assert not {"lost_contact_suspected", "discharge_info_missing"} & set(by_slug["police"] + by_slug["civil"])
    assert not {"refusal_unreported", "incident_unreported"} & set(by_slug["health"] + by_slug["civil"])


def test_the_police_page_shows_the_unreported_incident():
    data = Dataset(settings=Settings(township="测试镇"), patients=[patient()],
                   incidents=[Incident(patient_id="P1", happened=D(2025, 6, 3), kind="轻微滋事")],
                   followups=[missed(D(2025, 6, 10), reason="拒绝随访")])
    view = build_view(data, Report(), A, datetime(2025, 7, 1, 8, 0))
    police = next(d for d in specs.DEPARTMENTS if d.slug == "police")
    text = render_department(view, police).markdown()
    assert "## 事件未报告派出所（1）" in text and "## 拒访未通报（1）" in text and "2025-06-03" in text


def test_template_has_the_new_values_and_the_setting(tmp_path):
    path = tmp_path / "标准台账.xlsx"
    write_template(path, force=False)
    wb = load_workbook(path)
    settings = {row[0]: row[1] for row in wb["基本设置"].iter_rows(min_row=2, values_only=True)}
    assert settings["连续未访到次数"] == 3
    lists_ = [v.formula1 for ws in (wb["随访记录"], wb["通报记录"]) for v in ws.data_validations.dataValidation]
    assert any("拒绝随访" in (f or "") for f in lists_) and any("失访拒访通报" in (f or "") for f in lists_)
    assert Settings(township="测试镇").missed_in_a_row == 3


def test_the_rules_page_says_how_the_due_date_is_set():
    view = build_view(Dataset(settings=Settings(township="测试镇")), Report(), A, datetime(2025, 7, 1, 8, 0))
    text = next(iter(render_guidelines(view).values())).markdown()
    assert "应随访日期取最近一次随访的“下次随访日期”（填了时）和“随访日期 + 当前病情分类的随访间隔”中较早的一天" in text
    assert "病情分类为“不稳定”的在家患者，\n还要每“高风险居家面访间隔天数”至少面访（门诊、家庭访视）一次。" in text
