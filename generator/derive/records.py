"""The rules of the v2 lists (domain.md "v2 (2026-11-24)"): the township's work records and the week's plan; and of
the v3 lists (domain.md "v3 (2026-12-06)"): what the records already say was not done (at the end).

Registered with registry.rule like the lists before them (list_rules.py); the catalogue (generator.contract.lists
LISTS) gives their order. Whether a list is empty because its sheet is absent is decided by its spec's ``needs``
(evaluation.overdue_lists), not here.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from generator.contract.lists import TOWNSHIP_ID
from generator.contract.patients import Patient
from generator.contract.vocab import (AGREEMENT_KINDS, AT_HOME, HIGH_RISK_SCOPE, MOVE_LOSS_REASONS, NOT_REACHED, NOTICE_KINDS,
                                      POLICE_INCIDENTS, REFUSED, REGULAR_MEETINGS, SCREENING_KINDS, WANDERED)
from generator.contract.work_records import SensitivePeriod
from generator.derive.history import observations
from generator.derive.registry import Facts, OverdueItem, rule
from generator.derive.state import PatientState, days, reward_expiry

SOON_DAYS = 7  # followup_due_soon: the doctor's plan for the week


def pending(f: Facts, pid: str, due: date, on: date | None = None) -> OverdueItem:
    """An item that is on its list before it is late: its due date, and days past it once as_of is past due (on:
    the date of the event it is about, when the item carries one)."""
    return OverdueItem(pid, due, (f.as_of - due).days if f.as_of > due else None, date=on)


@rule("followup_due_soon")
def _followup_due_soon(f: Facts) -> Iterator[OverdueItem]:
    end = f.as_of + days(SOON_DAYS)
    return (OverdueItem(p.patient_id, s.dues.followup.due) for p, s, _ in f.patients(at_home=True)
            if f.as_of <= s.dues.followup.due <= end)


@rule("high_risk_report_missing")
def _high_risk_report(f: Facts) -> Iterator[OverdueItem]:
    kind, within = NOTICE_KINDS["high_risk"], days(f.data.settings.report_days)
    for p, s, h in f.patients(open_only=True):
        if s.high and s.rise_date and not any(n.kind == kind and n.sent >= s.rise_date for n in h.notices):
            yield pending(f, p.patient_id, s.rise_date + within)


@rule("move_report_missing")
def _move_report(f: Facts) -> Iterator[OverdueItem]:
    kind, within = NOTICE_KINDS["move"], days(f.data.settings.report_days)
    for p, _, h in f.patients(open_only=True):
        left = [v.visit_date for v in h.attempts if not v.is_followup and v.loss_reason in MOVE_LOSS_REASONS]
        left += [i.happened for i in h.incidents if i.kind == WANDERED]
        if left and not any(n.kind == kind and n.sent >= max(left) for n in h.notices):
            yield pending(f, p.patient_id, max(left) + within)


@rule("reward_agreement_none")
def _reward_none(f: Facts) -> Iterator[OverdueItem]:
    kind = AGREEMENT_KINDS["reward"]
    return (OverdueItem(p.patient_id) for p, _, h in f.patients(at_home=True)
            if not any(g.kind == kind and g.signed <= f.as_of for g in h.agreements))


@rule("reward_voided")
def _reward_voided(f: Facts) -> Iterator[OverdueItem]:
    kind, voiding = AGREEMENT_KINDS["reward"], set(f.data.settings.reward_void_types)
    for p, _, h in f.patients():
        terms = [(g.signed, reward_expiry(g)) for g in h.agreements
                 if g.kind == kind and g.signed <= f.as_of <= reward_expiry(g)]
        hits = [i.happened for i in h.incidents if i.kind in voiding and i.happened <= f.as_of
                and any(start <= i.happened <= end for start, end in terms)]
        if hits:
            yield OverdueItem(p.patient_id, date=max(hits))


def in_roll_call(period: SensitivePeriod, patient: Patient, state: PatientState) -> bool:
    """Who is called every day of a sensitive period: everyone at home, or only those at high risk."""
    return patient.status == AT_HOME and (period.scope != HIGH_RISK_SCOPE or state.high)


@rule("roll_call_missing")
def _roll_call(f: Facts) -> Iterator[OverdueItem]:
    # a day counts once however many periods cover it; only days before the as-of day can have been missed
    last = f.as_of - days(1)
    spans = [(period, set(_days(period.start, min(period.end, last)))) for period in f.data.periods]
    if not any(span for _, span in spans):
        return
    for p, s, h in f.patients(at_home=True):
        due = set().union(*(span for period, span in spans if in_roll_call(period, p, s)))
        called = {r.called for r in h.roll_calls}
        yield from (OverdueItem(p.patient_id, date=day) for day in sorted(due - called))


def period_days(period: SensitivePeriod) -> list[date]:
    """Every day of a sensitive period, first to last."""
    return list(_days(period.start, period.end))


def _days(first: date, last: date) -> Iterable[date]:
    return (first + days(k) for k in range((last - first).days + 1))


@rule("work_meeting_overdue")
def _work_meeting(f: Facts) -> list[OverdueItem | None]:
    held = [m.held for m in f.data.work_meetings if m.kind in REGULAR_MEETINGS]
    if not held:
        return [OverdueItem(TOWNSHIP_ID)]
    return [f.late(TOWNSHIP_ID, max(held) + days(f.data.settings.work_meeting_days))]


@rule("screening_overdue")
def _screening(f: Facts) -> Iterator[OverdueItem | None]:
    return _village_overdue(f, SCREENING_KINDS["campaign"], f.data.settings.screening_days)


@rule("active_search_overdue")
def _active_search(f: Facts) -> Iterator[OverdueItem | None]:
    interval = f.data.settings.active_search_days
    return _village_overdue(f, SCREENING_KINDS["search"], interval) if interval > 0 else iter(())


def _village_overdue(f: Facts, kind: str, interval: int) -> Iterator[OverdueItem | None]:
    """Each village whose latest screening of this kind is more than interval days old, or that never had one."""
    latest: dict[str, date] = {}
    for r in f.data.screenings:
        if r.kind == kind:
            latest[r.village] = max(r.screened, latest.get(r.village, r.screened))
    for v in f.data.villages:
        last = latest.get(v.name)
        yield OverdueItem(v.name) if last is None else f.late(v.name, last + days(interval))


@rule("high_risk_register")
def _high_risk_register(f: Facts) -> Iterator[OverdueItem]:
    level, start = f.data.settings.high_risk_level, f.data.settings.register_from or date.min
    for p, _, h in f.patients(open_only=True):
        first = next((o.day for o in observations(h) if o.risk >= level and o.day >= start), None)
        if first is not None:
            yield OverdueItem(p.patient_id, date=first)


# v3 (2026-12-06) ------------------------------------------------------------------------------------------------

@rule("lost_contact_suspected")
def _lost_contact(f: Facts) -> Iterator[OverdueItem]:
    """At home, and the latest K 随访记录 rows by date all 未访到 (K = 连续未访到次数; 0: not checked)."""
    k = f.data.settings.missed_in_a_row
    if k <= 0:
        return
    for p, _, h in f.patients(at_home=True, open_only=True):
        latest = h.attempts[-k:]
        if len(latest) == k and all(v.condition == NOT_REACHED for v in latest):
            yield OverdueItem(p.patient_id, date=latest[-1].visit_date)


@rule("refusal_unreported")
def _refusal(f: Facts) -> Iterator[OverdueItem]:
    """The latest 未访到 for 拒绝随访 with no 失访拒访通报 dated on or after it; due 报告时限天数 later."""
    kind, within = NOTICE_KINDS["refusal"], days(f.data.settings.report_days)
    for p, _, h in f.patients(open_only=True):
        refused = [v.visit_date for v in h.attempts if not v.is_followup and v.loss_reason == REFUSED]
        if refused and not any(n.kind == kind and n.sent >= refused[-1] for n in h.notices):
            yield pending(f, p.patient_id, refused[-1] + within, on=refused[-1])


@rule("incident_unreported")
def _incident_unreported(f: Facts) -> Iterator[OverdueItem]:
    """Each 肇事肇祸 or 轻微滋事 whose 已报告派出所 is not 是 (closed patients too: the incident happened)."""
    return (OverdueItem(i.patient_id, date=i.happened) for i in f.data.incidents
            if i.kind in POLICE_INCIDENTS and i.police_told is not True)


@rule("discharge_info_missing")
def _discharge_info(f: Facts) -> Iterator[OverdueItem]:
    """Each stay discharged on or before as_of whose 出院信息已接收 is not 是 (一历五单 not received)."""
    for p, _, h in f.patients(open_only=True):
        yield from (OverdueItem(p.patient_id, date=s.discharged) for s in h.stays
                    if s.discharged and s.discharged <= f.as_of and s.discharge_info_received is not True)
