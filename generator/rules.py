"""Derived facts: current risk and class, due dates, overdue lists — pure functions of (Dataset, as_of).

A thing is overdue when as_of > its due date; on the due date itself it is not yet overdue. Every interval and
threshold comes from the workbook's settings (基本设置, 随访规则), never from constants here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .schema import Agreement, Assessment, Dataset, Followup, HealthCheck, HospitalStay, Patient

AT_HOME = "在家居住"
LIST_TITLES: dict[str, str] = {
    "followup_overdue": "随访逾期",
    "assessment_overdue": "评估逾期",
    "health_check_overdue": "体检逾期",
    "high_risk_at_home": "高风险居家",
    "high_risk_visit_overdue": "高风险面访逾期",
    "discharge_followup_overdue": "出院未及时随访",
    "guardian_agreement_missing": "未签监护协议",
    "reward_agreement_expired": "以奖代补协议过期",
    "free_medication_consent_missing": "未签免费服药告知书",
    "police_db_missing": "高风险未录入公安库",
    "missing": "失访/下落不明",
    "cross_village": "人户分离待通报",
    "diagnosis_pending": "待诊断",
    "too_few_visitors": "随访人数不足",
    "group_meeting_overdue": "小组会议逾期",
}


@dataclass(frozen=True)
class OverdueItem:
    """One entry of an overdue list: a patient (or group) code, its due date and days past it."""

    id: str
    due: date | None = None
    days_overdue: int | None = None
    date: date | None = None  # the visit, for too_few_visitors

    def to_json(self) -> dict:
        item = {"id": self.id, "due": _iso(self.due), "days_overdue": self.days_overdue}
        if self.date is not None:
            item["date"] = _iso(self.date)
        return item


@dataclass
class History:
    """Everything recorded about one patient, oldest first."""

    followups: list[Followup] = field(default_factory=list)  # real follow-ups only (not 未访到)
    attempts: list[Followup] = field(default_factory=list)  # every 随访记录 row, 未访到 included
    assessments: list[Assessment] = field(default_factory=list)
    stays: list[HospitalStay] = field(default_factory=list)
    checks: list[HealthCheck] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)


def histories(data: Dataset) -> dict[str, History]:
    """Each patient's records, sorted by date (one pass over every sheet)."""
    found: dict[str, History] = defaultdict(History)
    for visit in data.followups:
        found[visit.patient_id].attempts.append(visit)
        if visit.is_followup:
            found[visit.patient_id].followups.append(visit)
    for a in data.assessments:
        found[a.patient_id].assessments.append(a)
    for s in data.stays:
        found[s.patient_id].stays.append(s)
    for c in data.checks:
        found[c.patient_id].checks.append(c)
    for g in data.agreements:
        found[g.patient_id].agreements.append(g)
    for h in found.values():
        h.followups.sort(key=lambda v: v.visit_date)
        h.attempts.sort(key=lambda v: v.visit_date)
        h.assessments.sort(key=lambda a: a.assessed)
        h.stays.sort(key=lambda s: s.admitted)
        h.checks.sort(key=lambda c: c.checked)
        h.agreements.sort(key=lambda g: g.signed)
    return found


def current_risk(history: History) -> int | None:
    """The 危险性 of the latest-dated follow-up or assessment; an assessment wins a tie on the same date."""
    dated = [(v.visit_date, 0, v.risk) for v in history.followups if v.risk is not None]
    dated += [(a.assessed, 1, a.risk) for a in history.assessments]
    return max(dated)[2] if dated else None


def current_class(history: History, high_risk_level: int) -> str:
    """The latest follow-up's 病情分类, else derived from risk; high risk forces 不稳定."""
    risk = current_risk(history)
    if risk is not None and risk >= high_risk_level:
        return "不稳定"
    if history.followups:
        return history.followups[-1].condition
    if risk is None:
        return "不稳定"
    return "基本稳定" if risk >= 1 else "稳定"


def days(n: int) -> timedelta:
    return timedelta(days=n)


def reward_expiry(agreement: Agreement) -> date:
    """The last day a 以奖代补协议 is in force: its 到期日期, or one year after signing less a day."""
    if agreement.expires:
        return agreement.expires
    try:
        return agreement.signed.replace(year=agreement.signed.year + 1) - days(1)
    except ValueError:  # signed on 29 February
        return agreement.signed + days(365)


@dataclass(frozen=True)
class PatientState:
    """What the rules derive for one patient at as_of."""

    risk: int | None
    condition: str
    followup_due: date
    assessment_due: date
    check_due: date
    face_visit_due: date
    last_followup: Followup | None
    last_face_visit: Followup | None


def patient_state(patient: Patient, history: History, data: Dataset) -> PatientState:
    """Current risk, class and due dates of one patient."""
    settings = data.settings
    condition = current_class(history, settings.high_risk_level)
    followup_days, assessment_days = data.rules[condition]
    last = history.followups[-1] if history.followups else None
    if last is None:
        followup_due = patient.enrolled + days(followup_days)
    else:
        followup_due = last.next_due or last.visit_date + days(followup_days)
    faces = [v for v in history.followups if v.face_to_face]
    last_face = faces[-1] if faces else None
    return PatientState(
        risk=current_risk(history),
        condition=condition,
        followup_due=followup_due,
        assessment_due=_after(history.assessments[-1].assessed if history.assessments else None, patient.enrolled, assessment_days),
        check_due=_after(history.checks[-1].checked if history.checks else None, patient.enrolled, settings.health_check_days),
        face_visit_due=_after(last_face.visit_date if last_face else None, patient.enrolled, settings.high_risk_visit_days),
        last_followup=last,
        last_face_visit=last_face,
    )


def _after(latest: date | None, fallback: date, interval: int) -> date:
    return (latest or fallback) + days(interval)


def overdue_lists(data: Dataset, as_of: date) -> dict[str, list[OverdueItem]]:
    """Every list of the domain's "Overdue lists: exact rules", keyed as there, most overdue first."""
    found: dict[str, list[OverdueItem]] = {key: [] for key in LIST_TITLES}
    level = data.settings.high_risk_level
    records = histories(data)

    def late(key: str, pid: str, due: date) -> None:
        if as_of > due:
            found[key].append(OverdueItem(pid, due, (as_of - due).days))

    for p in data.patients:
        h = records.get(p.patient_id) or History()
        state = patient_state(p, h, data)
        high = state.risk is not None and state.risk >= level
        if p.status == AT_HOME:
            late("followup_overdue", p.patient_id, state.followup_due)
            late("assessment_overdue", p.patient_id, state.assessment_due)
            late("health_check_overdue", p.patient_id, state.check_due)
            if high:
                found["high_risk_at_home"].append(OverdueItem(p.patient_id))
                late("high_risk_visit_overdue", p.patient_id, state.face_visit_due)
            discharge = _unvisited_discharge(h)
            if discharge:
                late("discharge_followup_overdue", p.patient_id, discharge + days(data.settings.discharge_followup_days))
            if not any(_in_force(g, as_of) for g in h.agreements if g.kind == "监护协议"):
                found["guardian_agreement_missing"].append(OverdueItem(p.patient_id))
            rewards = [g for g in h.agreements if g.kind == "以奖代补协议"]
            if rewards and not any(g.signed <= as_of <= reward_expiry(g) for g in rewards):
                late("reward_agreement_expired", p.patient_id, max(reward_expiry(g) for g in rewards))
        if p.status in ("下落不明", "外出务工"):
            found["missing"].append(OverdueItem(p.patient_id))
        if p.closed:
            continue
        if p.free_medication and not any(g.kind == "免费服药告知书" for g in h.agreements):
            found["free_medication_consent_missing"].append(OverdueItem(p.patient_id))
        if high and p.in_police_db is not True:
            found["police_db_missing"].append(OverdueItem(p.patient_id))
        if p.home_village and p.home_village != p.village:
            found["cross_village"].append(OverdueItem(p.patient_id))
        if p.diagnosis == "待诊断":
            found["diagnosis_pending"].append(OverdueItem(p.patient_id))
    found["too_few_visitors"] = _too_few_visitors(data, as_of)
    found["group_meeting_overdue"] = _meetings_overdue(data, as_of)
    return {key: sorted(items, key=_most_overdue_first) for key, items in found.items()}


def _most_overdue_first(item: OverdueItem) -> tuple:
    return (-(item.days_overdue or 0), item.id, item.date or date.min)


def _in_force(agreement: Agreement, as_of: date) -> bool:
    return agreement.signed <= as_of and (agreement.expires is None or agreement.expires >= as_of)


def _unvisited_discharge(history: History) -> date | None:
    """The latest discharge date when no follow-up is dated on or after it."""
    discharged = [s.discharged for s in history.stays if s.discharged]
    if not discharged:
        return None
    latest = max(discharged)
    return None if any(v.visit_date >= latest for v in history.followups) else latest


def _too_few_visitors(data: Dataset, as_of: date) -> list[OverdueItem]:
    minimum = data.settings.min_visitors
    if minimum <= 0:
        return []
    start = as_of - days(365)
    return [
        OverdueItem(v.patient_id, date=v.visit_date)
        for v in data.followups
        if v.face_to_face and start < v.visit_date <= as_of and len(v.visitors or []) < minimum
    ]


def _meetings_overdue(data: Dataset, as_of: date) -> list[OverdueItem]:
    latest: dict[str, date] = {}
    for m in data.meetings:
        latest[m.group_id] = max(m.held, latest.get(m.group_id, m.held))
    items = []
    for g in data.groups:
        start = latest.get(g.group_id) or g.founded
        if start is None:
            items.append(OverdueItem(g.group_id))
            continue
        due = start + days(data.settings.group_meeting_days)
        if as_of > due:
            items.append(OverdueItem(g.group_id, due, (as_of - due).days))
    return items


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None

