"""What changed since the last build — pure: the state a build keeps (codes only) and the difference of two states.

A state holds, per patient code, the 在管状态 and current risk, and per list the ids of its items; no name, ID
number, phone or address. It is kept between builds only encrypted (statefile.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from generator.derive.registry import OverdueItem
from generator.derive.state import PatientState
from generator.contract.patients import Patient
from generator.contract.vocab import CLOSED_STATUSES

VERSION = 1


def item_key(item: OverdueItem) -> str:
    """An item's identity on its list: its id, and the date of the event for lists with one item per event."""
    return item.id if item.date is None else f"{item.id}@{item.date.isoformat()}"


def state_of(patients: list[Patient], states: dict[str, PatientState], lists: dict[str, list[OverdueItem]],
             as_of: date) -> dict:
    """The state of one build: each patient's status and risk, each list's item keys."""
    return {
        "version": VERSION,
        "as_of": as_of.isoformat(),
        "patients": {p.patient_id: [p.status, states[p.patient_id].risk] for p in patients},
        "lists": {key: sorted({item_key(i) for i in items}) for key, items in lists.items()},
    }


@dataclass(frozen=True)
class Changes:
    """The difference between the previous build's state and this one's (codes and list keys only)."""

    since: str  # the previous build's as-of day (ISO)
    added: list[str] = field(default_factory=list)  # patient codes new in the workbook
    removed: list[str] = field(default_factory=list)  # codes no longer in the workbook
    closed: list[str] = field(default_factory=list)  # codes whose status became 死亡 or 迁出
    status: list[tuple[str, str, str]] = field(default_factory=list)  # (code, before, now)
    risk: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # (code, before, now)
    lists: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # key → (new items, cleared)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.status or self.risk
                    or any(new or gone for new, gone in self.lists.values()))


def compare(before: dict, now: dict) -> Changes:
    """What changed from state before to state now; a list new since then counts all its items as new."""
    old, new = before["patients"], now["patients"]
    both = [code for code in new if code in old]
    status = [(c, old[c][0], new[c][0]) for c in both if old[c][0] != new[c][0]]
    lists = {}
    for key, items in now["lists"].items():
        was = set(before["lists"].get(key, []))
        lists[key] = (sorted(set(items) - was), sorted(was - set(items)))
    return Changes(
        since=before["as_of"],
        added=sorted(c for c in new if c not in old),
        removed=sorted(c for c in old if c not in new),
        closed=[c for c, was, now_ in status if now_ in CLOSED_STATUSES and was not in CLOSED_STATUSES],
        status=status,
        risk=[(c, old[c][1], new[c][1]) for c in both if old[c][1] != new[c][1]],
        lists=lists,
    )
