"""Derived facts: current risk and class, due dates, overdue lists — pure functions of (Dataset, as_of).

A thing is overdue when as_of > its due date; on the due date itself it is not yet overdue. Every interval and
threshold comes from the workbook's settings (基本设置, 随访规则), never from constants here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable, Iterator

from generator.contract import lists as specs
from generator.contract.schema import (Agreement, Assessment, Dataset, Followup, HealthCheck, HospitalStay, Incident, Notice, Patient,
                     RollCall)
from generator.contract.vocab import AGREEMENT_KINDS, AT_HOME, MISSING_STATUSES, NOTICE_KINDS, PENDING_DIAGNOSIS, UNSTABLE


@dataclass(frozen=True)
class OverdueItem:
    """One entry of an overdue list: a patient (or group, village, township) id, its due date and days past it."""

    id: str
    due: date | None = None
    days_overdue: int | None = None
    date: date | None = None  # the event it is about: the visit of too_few_visitors, the day of roll_call_missing …
    villages: tuple[str, ...] | None = None  # the villages whose pages show it, when not only the patient's own
    never: bool = False  # no earlier record of it at all: the due date counts from enrolment (or founding)

    def to_json(self) -> dict:
        item = {"id": self.id, "due": _iso(self.due), "days_overdue": self.days_overdue}
        if self.date is not None:
            item["date"] = _iso(self.date)
        if self.villages is not None:
            item["villages"] = list(self.villages)
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
    incidents: list[Incident] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    roll_calls: list[RollCall] = field(default_factory=list)


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
    for i in data.incidents:
        found[i.patient_id].incidents.append(i)
    for n in data.notices:
        found[n.patient_id].notices.append(n)
    for r in data.roll_calls:
        found[r.patient_id].roll_calls.append(r)
    for h in found.values():
        h.followups.sort(key=lambda v: v.visit_date)
        h.attempts.sort(key=lambda v: v.visit_date)
        h.assessments.sort(key=lambda a: a.assessed)
        h.stays.sort(key=lambda s: s.admitted)
        h.checks.sort(key=lambda c: c.checked)
        h.agreements.sort(key=lambda g: g.signed)
        h.incidents.sort(key=lambda i: i.happened)
        h.notices.sort(key=lambda n: n.sent)
        h.roll_calls.sort(key=lambda r: r.called)
    return found


# on one date: a follow-up, then an incident, then the doctor's assessment (the latest word)
OBSERVATION_SOURCES = ("随访", "事件记录", "危险性评估")


@dataclass(frozen=True, order=True)
class Observation:
    """One recorded 危险性: its date, its rank on that date (index into OBSERVATION_SOURCES) and the level."""

    day: date
    rank: int
    risk: int

    @property
    def source(self) -> str:
        return OBSERVATION_SOURCES[self.rank]


def observations(history: History) -> list[Observation]:
    """Every risk observation of a patient in order: follow-ups (not 未访到), incidents with a 危险性, assessments."""
    found = [Observation(v.visit_date, 0, v.risk) for v in history.followups if v.risk is not None]
    found += [Observation(i.happened, 1, i.risk) for i in history.incidents if i.risk is not None]
    found += [Observation(a.assessed, 2, a.risk) for a in history.assessments]
    return sorted(found)


def risk_observation(history: History) -> tuple[date, str, int] | None:
    """The last risk observation (date, source, 危险性); see observations for the order on one date."""
    found = observations(history)
    return (found[-1].day, found[-1].source, found[-1].risk) if found else None


def current_risk(history: History) -> int | None:
    """The 危险性 of the last risk observation; unknown (None) when there is none."""
    latest = risk_observation(history)
    return latest[2] if latest else None


def rise_date(found: list[Observation], high_risk_level: int) -> date | None:
    """When a patient whose current risk is high became so: the first high observation after the last one below
    高风险等级 (the first ever when none is below); None when the current risk is not high."""
    if not found or found[-1].risk < high_risk_level:
        return None
    rise = found[-1].day
    for seen in reversed(found):
        if seen.risk < high_risk_level:
            break
        rise = seen.day
    return rise


def class_source(history: History, high_risk_level: int) -> str:
    """Where the current class comes from: high (forced 不稳定), followup (the latest one's), or risk (derived)."""
    risk = current_risk(history)
    if risk is not None and risk >= high_risk_level:
        return "high"
    return "followup" if history.followups else "risk"


def current_class(history: History, high_risk_level: int) -> str:
    """The latest follow-up's 病情分类, else derived from risk; high risk forces 不稳定."""
    source = class_source(history, high_risk_level)
    if source == "followup":
        return history.followups[-1].condition
    risk = current_risk(history)
    if source == "high" or risk is None:
        return UNSTABLE
    return "基本稳定" if risk >= 1 else "稳定"


def days(n: int) -> timedelta:
    return timedelta(days=n)


def reward_expiry(agreement: Agreement) -> date:
    """The last day a 以奖代补协议 is in force: its 到期日期, or one year after signing less a day."""
    return agreement.expires or year_end(agreement.signed)


def year_end(start: date) -> date:
    """The last day of a year's term starting on start (one year later less a day)."""
    try:
        return start.replace(year=start.year + 1) - days(1)
    except ValueError:  # starting on 29 February
        return start + days(365)


@dataclass(frozen=True)
class Due:
    """One thing a patient is due for: its label, due date, whether it applies now, and days past it (or None)."""

    label: str
    due: date
    applies: bool
    days_overdue: int | None
    never: bool = False  # no earlier record of it: the due date counts from enrolment


@dataclass(frozen=True)
class PatientState:
    """What the rules derive for one patient at as_of; pages only format it."""

    risk: int | None
    condition: str
    followup_due: date
    assessment_due: date
    check_due: date
    face_visit_due: date
    last_followup: Followup | None
    at_home: bool = False
    high: bool = False
    risk_source: tuple[date, str] | None = None  # the observation the current risk comes from
    rise_date: date | None = None  # when a high-risk patient became so (see rise_date)
    last_face_visit: date | None = None
    class_source: str = "risk"  # high, followup or risk (see class_source)
    dues: tuple[Due, ...] = ()
    documents: tuple[str, ...] = ()  # the documents that apply to this patient (see documents_needed)
    papers: tuple["Paper", ...] = ()  # each signed document's standing: why it needs signing, its term (see papers)

    @property
    def to_sign(self) -> tuple[str, ...]:
        """The documents to print for signing: missing, expired or about to expire."""
        return tuple(p.kind for p in self.papers if p.reason)

    @property
    def followup_overdue(self) -> bool:
        """Whether an at-home patient's follow-up is past due."""
        return bool(self.dues) and self.dues[0].days_overdue is not None


def documents_needed(patient: Patient, high: bool) -> tuple[str, ...]:
    """Which documents apply to a patient: guardianship papers (监护协议, 以奖代补协议) at home, the consent form only
    for free medication (免费服药 = 是), the joint follow-up form when high-risk at home."""
    needed = ["guardian", "reward"] if patient.status == AT_HOME and not patient.closed else []
    if patient.free_medication and not patient.closed:
        needed.append("consent")
    if high and patient.status == AT_HOME:
        needed.append("joint_visit")
    return tuple(needed)


RENEWAL_DAYS = 30  # an agreement ending within this many days of as_of is printed for renewal with the missing ones


@dataclass(frozen=True)
class Paper:
    """One signed document a patient needs: why it is to be signed (未签, 已过期, N 天后到期; None when in force) and
    the term the printed copy carries (start, end; None when the signers write it in)."""

    kind: str
    reason: str | None
    term: tuple[date, date | None] | None = None
    expires: date | None = None  # the last day of the agreement in force, if it ends


def agreement_end(agreement: Agreement) -> date | None:
    """The last day an agreement is in force: 以奖代补 defaults to a year (reward_expiry), the others to no end."""
    if agreement.kind == AGREEMENT_KINDS["reward"]:
        return reward_expiry(agreement)
    return agreement.expires


def papers(kinds: Iterable[str], history: History, as_of: date) -> tuple[Paper, ...]:
    """The standing of each signed document among kinds (the agreements; forms like joint_visit are not signed)."""
    return tuple(paper(kind, [g for g in history.agreements if g.kind == AGREEMENT_KINDS[kind]], as_of)
                 for kind in kinds if kind in AGREEMENT_KINDS)


def paper(kind: str, signed: list[Agreement], as_of: date) -> Paper:
    """One document's standing at as_of from its agreements (oldest first)."""
    if not signed:
        return Paper(kind, "未签")
    current = [g for g in signed if g.signed <= as_of and (agreement_end(g) is None or agreement_end(g) >= as_of)]
    if not current:
        return Paper(kind, "已过期")
    ends = [agreement_end(g) for g in current]
    if None in ends:  # one without an end: nothing to renew
        latest = next(g for g in reversed(current) if agreement_end(g) is None)
        return Paper(kind, None, (latest.signed, None))
    end = max(e for e in ends if e is not None)
    left = (end - as_of).days
    if left > RENEWAL_DAYS:
        latest = next(g for g in reversed(current) if agreement_end(g) == end)
        return Paper(kind, None, (latest.signed, end), end)
    # the renewal continues the term without a gap: a 以奖代补 year from the day after, the others open-ended
    start = end + days(1)
    reason = "今天到期" if left == 0 else f"{left} 天后到期"
    return Paper(kind, reason, (start, year_end(start) if kind == "reward" else None), end)


def due_for_followup(patient: Patient, history: History, data: Dataset, condition: str | None = None) -> date:
    """When the next follow-up is due: the latest one's 下次随访日期, else its date + 随访间隔 of the class (condition,
    derived from history when not given); with no follow-up, 纳入管理日期 + that interval."""
    condition = condition or current_class(history, data.settings.high_risk_level)
    interval = days(data.rules[condition][0])
    last = history.followups[-1] if history.followups else None
    return patient.enrolled + interval if last is None else last.next_due or last.visit_date + interval


def patient_state(patient: Patient, history: History, data: Dataset, as_of: date) -> PatientState:
    """Current risk and class with their sources, due dates and what is late, documents needed (pure)."""
    settings = data.settings
    condition = current_class(history, settings.high_risk_level)
    assessment_days = data.rules[condition][1]
    last = history.followups[-1] if history.followups else None
    followup_due = due_for_followup(patient, history, data, condition)
    faces = [v for v in history.followups if v.face_to_face]
    last_face = faces[-1] if faces else None
    found = observations(history)
    observed = (found[-1].day, found[-1].source, found[-1].risk) if found else None
    risk = observed[2] if observed else None
    home = patient.status == AT_HOME
    high = risk is not None and risk >= settings.high_risk_level
    assessment_due = _after(history.assessments[-1].assessed if history.assessments else None, patient.enrolled, assessment_days)
    check_due = _after(history.checks[-1].checked if history.checks else None, patient.enrolled, settings.health_check_days)
    face_due = _after(last_face.visit_date if last_face else None, patient.enrolled, settings.high_risk_visit_days)

    documents = documents_needed(patient, high)

    def due(label: str, when: date, applies: bool, never: bool) -> Due:
        return Due(label, when, applies, (as_of - when).days if applies and as_of > when else None, never)

    return PatientState(
        risk=risk, condition=condition, followup_due=followup_due, assessment_due=assessment_due, check_due=check_due,
        face_visit_due=face_due, last_followup=last, last_face_visit=last_face.visit_date if last_face else None, at_home=home, high=high,
        risk_source=observed[:2] if observed else None, rise_date=rise_date(found, settings.high_risk_level),
        class_source=class_source(history, settings.high_risk_level),
        dues=(due("随访", followup_due, home and not patient.closed, last is None),
              due("危险性评估", assessment_due, home, not history.assessments),
              due("健康体检", check_due, home, not history.checks), due("高风险面访", face_due, home and high, last_face is None)),
        documents=documents, papers=papers(documents, history, as_of),
    )


def _after(latest: date | None, fallback: date, interval: int) -> date:
    return (latest or fallback) + days(interval)


@dataclass
class Facts:
    """One evaluation of a workbook at as_of: every patient's history and state, computed once for all rules."""

    data: Dataset
    as_of: date
    histories: dict[str, History]
    states: dict[str, PatientState]

    def late(self, pid: str, due: date, never: bool = False) -> OverdueItem | None:
        """An item when as_of is past due (on the due date itself it is not yet overdue); never: no earlier record."""
        return OverdueItem(pid, due, (self.as_of - due).days, never=never) if self.as_of > due else None

    def patients(self, *, at_home: bool = False, open_only: bool = False) -> Iterator[tuple[Patient, PatientState, History]]:
        """The patients a rule looks at, with their state and history."""
        for p in self.data.patients:
            if (at_home and p.status != AT_HOME) or (open_only and p.closed):
                continue
            yield p, self.states[p.patient_id], self.histories.get(p.patient_id) or History()


Rule = Callable[[Facts], Iterable["OverdueItem | None"]]
RULES: dict[str, Rule] = {}


def rule(key: str) -> Callable[[Rule], Rule]:
    """Register the rule of the list key (its spec is in lists.py)."""
    def register(fn: Rule) -> Rule:
        RULES[key] = fn
        return fn
    return register


def evaluate(data: Dataset, as_of: date) -> Facts:
    """Histories and states of every patient at as_of (pure)."""
    records = histories(data)
    states = {p.patient_id: patient_state(p, records.get(p.patient_id) or History(), data, as_of) for p in data.patients}
    return Facts(data, as_of, records, states)


def overdue_lists(data: Dataset, as_of: date, facts: Facts | None = None) -> dict[str, list[OverdueItem]]:
    """Every list of lists.LISTS, in that order, each most overdue first; a list needing an absent sheet is empty."""
    facts = facts or evaluate(data, as_of)
    return {spec.key: [] if data.absent.intersection(spec.needs) else
            sorted((item for item in RULES[spec.key](facts) if item is not None), key=_most_overdue_first)
            for spec in specs.LISTS}


def lists_json(lists: dict[str, list[OverdueItem]], as_of: date) -> dict:
    """The lists as ``overdue --json`` prints them."""
    return {"as_of": as_of.isoformat(), "lists": {key: [item.to_json() for item in items] for key, items in lists.items()}}


@rule("followup_overdue")
def _followup(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.followup_due, s.dues[0].never) for p, s, _ in f.patients(at_home=True))


@rule("assessment_overdue")
def _assessment(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.assessment_due, s.dues[1].never) for p, s, _ in f.patients(at_home=True))


@rule("health_check_overdue")
def _health_check(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.check_due, s.dues[2].never) for p, s, _ in f.patients(at_home=True))


@rule("high_risk_at_home")
def _high_risk_at_home(f: Facts) -> Iterator[OverdueItem]:
    return (OverdueItem(p.patient_id) for p, s, _ in f.patients(at_home=True) if s.high)


@rule("high_risk_visit_overdue")
def _high_risk_visit(f: Facts) -> Iterator[OverdueItem | None]:
    return (f.late(p.patient_id, s.face_visit_due, s.dues[3].never) for p, s, _ in f.patients(at_home=True) if s.high)


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


def _most_overdue_first(item: OverdueItem) -> tuple:
    """Most days late first, then the earliest due (items not yet late: most urgent first), then by id and date."""
    return (-(item.days_overdue or 0), item.due or date.max, item.id, item.date or date.min)


def _in_force(agreement: Agreement, as_of: date) -> bool:
    return agreement.signed <= as_of and (agreement.expires is None or agreement.expires >= as_of)


def _unvisited_discharge(history: History) -> date | None:
    """The latest discharge date when no follow-up is dated on or after it."""
    discharged = [s.discharged for s in history.stays if s.discharged]
    if not discharged:
        return None
    latest = max(discharged)
    return None if any(v.visit_date >= latest for v in history.followups) else latest


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


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# the v2 lists' rules register themselves on import, after those above, so RULES keeps the order of lists.LISTS
from generator.derive import records as _v2  # noqa: E402
del _v2

