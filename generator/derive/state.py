"""A patient's state at as_of: due dates by name, what is late, the documents that apply and each one's standing.

A thing is overdue when as_of > its due date; on the due date itself it is not yet overdue. Every interval comes from
the workbook's settings (基本设置, 随访规则), never from constants here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Iterable, Iterator

from generator.contract.patients import Agreement, Followup, Patient
from generator.contract.schema import Dataset
from generator.contract.vocab import AGREEMENT_KINDS, AT_HOME, UNSTABLE
from generator.derive.history import History, class_source, current_class, observations, rise_date


def days(n: int) -> timedelta:
    """n days, to add to a date."""
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
class Dues:
    """What a patient is due for, by name; iterating gives them in the order a patient's page lists them."""

    followup: Due
    assessment: Due
    check: Due
    face_visit: Due

    def __iter__(self) -> Iterator[Due]:
        return (getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class PatientState:
    """What is derived for one patient at as_of; pages only format it."""

    risk: int | None
    condition: str
    dues: Dues
    last_followup: Followup | None
    at_home: bool = False
    high: bool = False
    risk_source: tuple[date, str] | None = None  # the observation the current risk comes from
    rise_date: date | None = None  # when a high-risk patient became so (see rise_date)
    last_face_visit: date | None = None
    class_source: str = "risk"  # high, followup or risk (see class_source)
    documents: tuple[str, ...] = ()  # the documents that apply to this patient (see documents_needed)
    papers: tuple["Paper", ...] = ()  # each signed document's standing: why it needs signing, its term (see papers)

    @property
    def to_sign(self) -> tuple[str, ...]:
        """The documents to print for signing: missing, expired or about to expire."""
        return tuple(p.kind for p in self.papers if p.reason)

    @property
    def followup_overdue(self) -> bool:
        """Whether an at-home patient's follow-up is past due."""
        return self.dues.followup.days_overdue is not None


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
    """When the next follow-up is due: the earlier of the latest one's 下次随访日期 (when given) and its date + 随访间隔
    of the class (condition, derived from history when not given): the interval is a ceiling an agreed date cannot
    push back (domain.md v3). With no follow-up, 纳入管理日期 + that interval."""
    condition = condition or current_class(history, data.settings.high_risk_level)
    interval = days(data.intervals[condition][0])
    last = history.followups[-1] if history.followups else None
    if last is None:
        return patient.enrolled + interval
    ceiling = last.visit_date + interval
    return min(last.next_due, ceiling) if last.next_due else ceiling


FACE_VISIT = "重点患者面访"  # the due face visit's label: high-risk or 不稳定 patients at home (domain.md v3)


def face_visit_applies(high: bool, condition: str) -> bool:
    """Whether a patient at home is due a face visit every 高风险居家面访间隔天数: current risk high or class 不稳定."""
    return high or condition == UNSTABLE


def patient_state(patient: Patient, history: History, data: Dataset, as_of: date) -> PatientState:
    """Current risk and class with their sources, due dates and what is late, documents needed (pure)."""
    settings = data.settings
    condition = current_class(history, settings.high_risk_level)
    faces = [v.visit_date for v in history.followups if v.face_to_face]
    last_face = faces[-1] if faces else None
    found = observations(history)
    observed = (found[-1].day, found[-1].source, found[-1].risk) if found else None
    risk = observed[2] if observed else None
    high = risk is not None and risk >= settings.high_risk_level
    documents = documents_needed(patient, high)
    return PatientState(
        risk=risk, condition=condition, dues=patient_dues(patient, history, data, as_of, condition, high, last_face),
        last_followup=history.followups[-1] if history.followups else None,
        last_face_visit=last_face, at_home=patient.status == AT_HOME, high=high,
        risk_source=observed[:2] if observed else None, rise_date=rise_date(found, settings.high_risk_level),
        class_source=class_source(history, settings.high_risk_level),
        documents=documents, papers=papers(documents, history, as_of),
    )


def patient_dues(patient: Patient, history: History, data: Dataset, as_of: date, condition: str, high: bool,
                 last_face: date | None) -> Dues:
    """Each due date of a patient of this class, whether it applies (at home; face visits only when high or 不稳定,
    see face_visit_applies) and how late it is; a thing never done counts from 纳入管理日期."""
    settings = data.settings
    home = patient.status == AT_HOME

    def due(label: str, when: date, applies: bool, never: bool) -> Due:
        return Due(label, when, applies, (as_of - when).days if applies and as_of > when else None, never)

    def after(latest: date | None, interval: int) -> date:
        return (latest or patient.enrolled) + days(interval)

    return Dues(
        followup=due("随访", due_for_followup(patient, history, data, condition), home and not patient.closed,
                     not history.followups),
        assessment=due("危险性评估", after(history.assessments[-1].assessed if history.assessments else None,
                                         data.intervals[condition][1]), home, not history.assessments),
        check=due("健康体检", after(history.checks[-1].checked if history.checks else None, settings.health_check_days),
                  home, not history.checks),
        face_visit=due(FACE_VISIT, after(last_face, settings.high_risk_visit_days),
                       home and face_visit_applies(high, condition), last_face is None),
    )
