"""The list rules' registry: what a rule reads (Facts), what it yields (OverdueItem), and the `rule` decorator.

A list is declared once in the catalogue (generator.contract.lists LISTS: key, title, order) and made by the one
rule registered here under its key; evaluation.overdue_lists runs them in the catalogue's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import Callable, Iterable, Iterator

from generator.contract import lists as catalogue
from generator.contract.patients import Patient
from generator.contract.schema import Dataset
from generator.contract.vocab import AT_HOME
from generator.derive.history import History
from generator.derive.state import PatientState


@dataclass(frozen=True)
class OverdueItem:
    """One entry of an overdue list: a patient (or group, village, township) id, its due date and days past it."""

    id: str
    due: date | None = None
    days_overdue: int | None = None
    date: date | None = None  # the event it is about: the visit of too_few_visitors, the day of roll_call_missing …
    villages: tuple[str, ...] | None = None  # the villages whose pages show it, when not only the patient's own
    never: bool = False  # no earlier record of it at all: the due date counts from enrolment (or founding)
    # a patient's item never done: the 纳入管理日期 it counts from (pages say 从未面访（纳入管理 …）); not in the JSON
    since: date | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        item = {"id": self.id, "due": _iso(self.due), "days_overdue": self.days_overdue}
        if self.date is not None:
            item["date"] = _iso(self.date)
        if self.villages is not None:
            item["villages"] = list(self.villages)
        return item


@dataclass
class Facts:
    """One evaluation of a workbook at as_of: every patient's history and state, computed once for all rules."""

    data: Dataset
    as_of: date
    histories: dict[str, History]
    states: dict[str, PatientState]

    def late(self, pid: str, due: date, never: bool = False) -> OverdueItem | None:
        """An item when as_of is past due (on the due date itself it is not yet overdue); never: no earlier record."""
        if self.as_of <= due:
            return None
        since = self._enrolled.get(pid) if never else None
        return OverdueItem(pid, due, (self.as_of - due).days, never=never, since=since)

    @cached_property
    def _enrolled(self) -> dict[str, date]:
        return {p.patient_id: p.enrolled for p in self.data.patients}

    def patients(self, *, at_home: bool = False, open_only: bool = False) -> Iterator[tuple[Patient, PatientState, History]]:
        """The patients a rule looks at, with their state and history."""
        for p in self.data.patients:
            if (at_home and p.status != AT_HOME) or (open_only and p.closed):
                continue
            yield p, self.states[p.patient_id], self.histories.get(p.patient_id) or History()


ListRule = Callable[[Facts], Iterable["OverdueItem | None"]]
LIST_RULES: dict[str, ListRule] = {}


def rule(key: str) -> Callable[[ListRule], ListRule]:
    """Register the rule of the list key; the key must be in the catalogue, and have no rule yet."""
    if key not in catalogue.BY_KEY:
        raise ValueError(f"list rule {key!r} has no entry in generator/contract/lists.py LISTS")
    if key in LIST_RULES:
        raise ValueError(f"list {key!r} has two rules")

    def register(fn: ListRule) -> ListRule:
        LIST_RULES[key] = fn
        return fn
    return register


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
