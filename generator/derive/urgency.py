"""Urgency: which to-do lists, and whose to-dos, come first on the 待办 pages and in 本周要办.

Most urgent first: whatever concerns a patient who is high-risk now, then whatever is most days late, then what
falls due soonest; ties keep the catalogue's order (lists) or go by code (subjects). Only lists of kind "todo"
(contract.lists.ListSpec.kind) are ranked: registers are consulted and findings are past facts, not things to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from generator.contract import lists as catalogue
from generator.contract.lists import BY_KEY
from generator.derive.registry import OverdueItem
from generator.derive.state import PatientState

@dataclass(frozen=True)
class Errand:
    """One patient's (or group's, village's, the township's) to-dos: the lists it is on, most urgent first."""

    subject: str  # ListSpec.subject
    id: str
    keys: tuple[str, ...]
    high: bool  # a patient high-risk now
    days_overdue: int | None  # the most days late of its items (None: none is late)
    due: date | None  # the soonest due date of its items
    worst: tuple[str, OverdueItem] | None = None  # (list key, item): its most days late item, if any is late

    def urgency(self) -> tuple:
        return (not self.high, -(self.days_overdue or 0), self.due or date.max, self.id)


def _high(spec_subject: str, item: OverdueItem, states: Mapping[str, PatientState]) -> bool:
    state = states.get(item.id) if spec_subject == "patient" else None
    return bool(state and state.high)


def list_urgency(key: str, items: list[OverdueItem], states: Mapping[str, PatientState], position: int = 0) -> tuple:
    """A list's place: one with a high-risk patient's item first, then the most days late, then the catalogue's."""
    subject = BY_KEY[key].subject
    high = any(_high(subject, item, states) for item in items)
    late = max((item.days_overdue or 0 for item in items), default=0)
    return (not high, -late, position)


def todo_order(lists: Mapping[str, list[OverdueItem]], states: Mapping[str, PatientState]) -> list[str]:
    """The keys of the to-do lists that have items, most urgent first (empty lists and other kinds left out)."""
    position = {spec.key: i for i, spec in enumerate(catalogue.LISTS)}
    keys = [key for key, items in lists.items() if items and BY_KEY[key].kind == "todo"]
    return sorted(keys, key=lambda key: list_urgency(key, lists[key], states, position[key]))


def errands(lists: Mapping[str, list[OverdueItem]], states: Mapping[str, PatientState]) -> list[Errand]:
    """Everyone with something on a to-do list, most urgent first; each with its lists (most urgent first)."""
    found: dict[tuple[str, str], list[tuple[str, OverdueItem]]] = {}
    for key in todo_order(lists, states):
        subject = BY_KEY[key].subject
        for item in lists[key]:
            found.setdefault((subject, item.id), []).append((key, item))
    out = []
    for (subject, sid), items in found.items():
        late = [(key, item) for key, item in items if item.days_overdue is not None]
        worst = max(late, key=lambda ki: ki[1].days_overdue or 0) if late else None
        high = bool(subject == "patient" and states.get(sid) and states[sid].high)
        out.append(Errand(subject, sid, tuple(dict.fromkeys(key for key, _ in items)), high,
                          worst[1].days_overdue if worst else None,
                          min((item.due for _, item in items if item.due), default=None), worst))
    return sorted(out, key=Errand.urgency)
