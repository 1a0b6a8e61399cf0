"""Derived views for the pages: lookups, per-patient state and list membership, computed once per build."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import get_args

from generator.derive import indicators
from generator.derive.evaluation import evaluate, overdue_lists
from generator.derive.comparison import Compared
from generator.derive.history import History
from generator.derive.registry import OverdueItem
from generator.derive.state import PatientState
from generator.derive.monthly import Month, month_before
from generator.contract.lists import BY_KEY, ListSpec
from generator.contract.report import Report
from generator.contract.organisation import Group, Meeting, Staff
from generator.contract.patients import Patient
from generator.contract.schema import Dataset
from generator.contract.vocab import OUTSIDE, Status

STATUS_SLUGS = {
    "在家居住": "home", "住院治疗": "hospital", "羁押服刑": "custody", "强制隔离戒毒": "rehab", "下落不明": "unknown",
    "外出务工": "away", "死亡": "dead", "迁出": "moved",
}
assert set(STATUS_SLUGS) == set(get_args(Status))  # a status roster page for each, whoever has it
OUTSIDE_CODE = "V00"


@dataclass
class View:
    """Everything the pages show, derived from a valid Dataset at as_of."""

    data: Dataset
    report: Report
    as_of: date
    built_at: datetime
    histories: dict[str, History]
    states: dict[str, PatientState]
    lists: dict[str, list[OverdueItem]]
    indicators: indicators.Indicators  # the township's, over the period of the setting 统计周期
    village_codes: dict[str, str]
    patients: dict[str, Patient]
    groups: dict[str, Group]
    staff: dict[str, Staff]
    members: dict[str, list[tuple[str, str]]]  # group → [(name, role)], guardians excluded
    patients_of_group: dict[str, list[Patient]]
    meetings_of_group: dict[str, list[Meeting]]  # newest first
    month: Month  # the month of the information exchange report
    lists_of_patient: dict[str, list[str]] = field(default_factory=dict)
    overdue_of_patient: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)  # (list key, days)
    previous: dict | None = None  # the previous build's state (changes.state_of), when it could be decrypted
    village_indicators: dict[str, indicators.Indicators] = field(default_factory=dict)  # 现住村社区 → its own
    never_done: set[tuple[str, str]] = field(default_factory=set)  # (list key, id) of items never done at all
    documents: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, patient) → rendered, once per build
    comparisons: list[Compared] = field(default_factory=list)  # build --compare's roster files, compared

    def age(self, patient: Patient) -> int | None:
        born = patient.born_on_or_min()
        if born == date.min:
            return None
        return self.as_of.year - born.year - ((self.as_of.month, self.as_of.day) < (born.month, born.day))

    def village_code(self, name: str) -> str:
        return self.village_codes.get(name, OUTSIDE_CODE)

    def phone_of(self, name: str | None) -> str:
        person = self.staff.get(name or "")
        return person.phone if person else ""

    def villages_of(self, spec: ListSpec, item: OverdueItem) -> list[str]:
        """The villages whose pages show an item: those it names (cross_village: both), else where its patient lives,
        its group's, the village itself."""
        if item.villages is not None:
            return list(item.villages)
        if spec.subject == "patient":
            return [self.patients[item.id].village]
        if spec.subject == "group":
            return [self.groups[item.id].village]
        if spec.subject == "village":
            return [item.id]
        return []

    def items_of_village(self, village: str) -> dict[str, list[OverdueItem]]:
        """Each list's items that a village's pages show."""
        return {key: [i for i in items if village in self.villages_of(BY_KEY[key], i)] for key, items in self.lists.items()}


def build_view(data: Dataset, report: Report, as_of: date, built_at: datetime, month: Month | None = None) -> View:
    """Compute every derived fact the pages need (pure: no files, no clock); month: the report month (default: the
    month before as_of)."""
    facts = evaluate(data, as_of)
    histories, states = facts.histories, facts.states
    lists = overdue_lists(data, as_of, facts)
    codes = {v.name: f"V{i:02d}" for i, v in enumerate(data.villages, 1)}
    if any(p.village == OUTSIDE for p in data.patients):
        codes[OUTSIDE] = OUTSIDE_CODE
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for m in data.members:
        members[m.group_id].append((m.name, m.role))
    by_group: dict[str, list[Patient]] = defaultdict(list)
    for p in data.patients:
        if p.group_id:
            by_group[p.group_id].append(p)
    meetings: dict[str, list[Meeting]] = defaultdict(list)
    for m in sorted(data.meetings, key=lambda m: m.held, reverse=True):
        meetings[m.group_id].append(m)
    period = indicators.resolve_period(data.settings, as_of)
    view = View(
        data=data, report=report, as_of=as_of, built_at=built_at, histories=histories, states=states, lists=lists,
        indicators=indicators.compute(data, histories, period), village_codes=codes,
        patients={p.patient_id: p for p in data.patients}, groups={g.group_id: g for g in data.groups},
        staff={s.name: s for s in data.staff}, members=dict(members), patients_of_group=dict(by_group),
        meetings_of_group=dict(meetings), month=month or month_before(as_of),
        village_indicators=indicators.by_village(data, histories, period),
    )
    view.never_done = {(key, item.id) for key, items in lists.items() for item in items if item.never}
    for key, items in lists.items():
        if BY_KEY[key].subject != "patient":
            continue
        for item in items:
            view.overdue_of_patient.setdefault(item.id, []).append((key, item.days_overdue))
            if key not in view.lists_of_patient.setdefault(item.id, []):
                view.lists_of_patient[item.id].append(key)
    return view
