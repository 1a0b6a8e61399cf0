"""The rules of the first lists (domain.md v1): follow-ups, assessments, checks, agreements, groups' meetings.

Each rule is registered under its list's key (registry.rule); the catalogue (generator.contract.lists LISTS) gives
titles and order. The rules of the v2 lists are in records.py.
"""

from __future__ import annotations

from datetime import date
from typing import Iterator

from generator.contract.patients import Agreement
from generator.contract.vocab import AGREEMENT_KINDS, MISSING_STATUSES, NOTICE_KINDS, PENDING_DIAGNOSIS
from generator.derive.history import History
from generator.derive.registry import Facts, OverdueItem, rule
from generator.derive.state import days, reward_expiry


@rule("followup_overdue")
def _followup(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.dues.followup.due, s.dues.followup.never) for p, s, _ in f.patients(at_home=True))


@rule("assessment_overdue")
def _assessment(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.dues.assessment.due, s.dues.assessment.never) for p, s, _ in f.patients(at_home=True))


@rule("health_check_overdue")
def _health_check(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.dues.check.due, s.dues.check.never) for p, s, _ in f.patients(at_home=True))


@rule("high_risk_at_home")
def _high_risk_at_home(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, s, _ in f.patients(at_home=True) if s.high)


@rule("high_risk_visit_overdue")
def _high_risk_visit(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.dues.face_visit.due, s.dues.face_visit.never)
            for p, s, _ in f.patients(at_home=True) if s.dues.face_visit.applies)


@rule("discharge_followup_overdue")
def _discharge(f: Facts) -> Iterator[OverdueItem | None]:
    for p, _, h in f.patients(at_home=True):
        discharge = _unvisited_discharge(h)
        if discharge:
            yield f.late(p.patient_id, discharge + days(f.data.settings.discharge_followup_days))


@rule("guardian_agreement_missing")
def _guardian_agreement(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, _, h in f.patients(at_home=True)
            if not any(_in_force(g, f.as_of) for g in h.agreements if g.kind == AGREEMENT_KINDS["guardian"]))


@rule("reward_agreement_expired")
def _reward_expired(f: Facts) -> Iterator[OverdueItem | None]:
    for p, _, h in f.patients(at_home=True):
        rewards = [g for g in h.agreements if g.kind == AGREEMENT_KINDS["reward"]]
        if rewards and not any(g.signed <= f.as_of <= reward_expiry(g) for g in rewards):
            yield f.late(p.patient_id, max(reward_expiry(g) for g in rewards))


@rule("free_medication_consent_missing")
def _consent(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, _, h in f.patients(open_only=True)
            if p.free_medication and not any(g.kind == AGREEMENT_KINDS["consent"] for g in h.agreements))


@rule("police_db_missing")
def _police_db(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, s, _ in f.patients(open_only=True) if s.high and p.in_police_db is not True)


@rule("missing")
def _missing(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, _, _ in f.patients() if p.status in MISSING_STATUSES)


@rule("cross_village")
def _cross_village(f: Facts) -> Iterator[OverdueItem]:
    """Registered in one village, living in another, and the 户籍 village not yet notified: both villages see it."""
    notice = NOTICE_KINDS["cross_village"]
    return (OverdueItem(p.patient_id, villages=(p.village, p.home_village)) for p, _, h in f.patients(open_only=True)
            if p.home_village and p.home_village != p.village and not any(n.kind == notice for n in h.notices))


@rule("diagnosis_pending")
def _diagnosis_pending(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, _, _ in f.patients(open_only=True) if p.diagnosis == PENDING_DIAGNOSIS)


@rule("too_few_visitors")
def _too_few_visitors(f: Facts) -> list[OverdueItem]:
    minimum = f.data.settings.min_visitors
    if minimum <= 0:
        return []
    start = f.as_of - days(365)
    return [
        OverdueItem(v.patient_id, date=v.visit_date)
        for v in f.data.followups
        if v.face_to_face and start < v.visit_date <= f.as_of and len(v.visitors or []) < minimum
    ]


@rule("group_meeting_overdue")
def _meetings_overdue(f: Facts) -> Iterator[OverdueItem | None]:
    latest: dict[str, date] = {}
    for m in f.data.meetings:
        latest[m.group_id] = max(m.held, latest.get(m.group_id, m.held))
    for g in f.data.groups:
        start = latest.get(g.group_id) or g.founded
        yield OverdueItem(g.group_id) if start is None else f.late(
            g.group_id, start + days(f.data.settings.group_meeting_days), never=g.group_id not in latest)


def _in_force(agreement: Agreement, as_of: date) -> bool:
    return agreement.signed <= as_of and (agreement.expires is None or agreement.expires >= as_of)


def _unvisited_discharge(history: History) -> date | None:
    """The latest discharge date when no follow-up is dated on or after it."""
    discharged = [s.discharged for s in history.stays if s.discharged]
    if not discharged:
        return None
    latest = max(discharged)
    return None if any(v.visit_date >= latest for v in history.followups) else latest

