"""A patient's history and what it says now: every record oldest first, the risk observations, current risk and class.

Pure functions of the Dataset; the class's intervals come from the workbook (随访规则), never from constants here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from generator.contract.patients import Agreement, Assessment, Followup, HealthCheck, HospitalStay
from generator.contract.schema import Dataset
from generator.contract.vocab import UNSTABLE
from generator.contract.work_records import Incident, Notice, RollCall


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
