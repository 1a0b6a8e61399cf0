"""The evaluation of a workbook at as_of: every patient's history and state, then every list in the catalogue's order.

The catalogue (generator.contract.lists LISTS) decides which lists there are and their order; each list's rule is
registered by list_rules.py (v1) or records.py (v2, v3), both imported here. A list without a rule, or a rule without a
list, fails at import and at evaluation.
"""

from __future__ import annotations

from datetime import date

from generator.contract import lists as catalogue
from generator.contract.schema import Dataset
from generator.derive import list_rules, records
from generator.derive.history import History, histories
from generator.derive.registry import LIST_RULES, Facts, OverdueItem
from generator.derive.state import patient_state

RULE_MODULES = (list_rules, records)  # importing them registers their rules


def evaluate(data: Dataset, as_of: date) -> Facts:
    """Histories and states of every patient at as_of (pure)."""
    found = histories(data)
    states = {p.patient_id: patient_state(p, found.get(p.patient_id) or History(), data, as_of) for p in data.patients}
    return Facts(data, as_of, found, states)


def overdue_lists(data: Dataset, as_of: date, facts: Facts | None = None) -> dict[str, list[OverdueItem]]:
    """Every list of the catalogue, in its order, each most overdue first; a list needing an absent sheet is empty."""
    check_catalogue()
    facts = facts or evaluate(data, as_of)
    return {spec.key: [] if data.absent.intersection(spec.needs) else
            sorted((item for item in LIST_RULES[spec.key](facts) if item is not None), key=_most_overdue_first)
            for spec in catalogue.LISTS}


def lists_json(lists: dict[str, list[OverdueItem]], as_of: date) -> dict:
    """The lists as ``overdue --json`` prints them."""
    return {"as_of": as_of.isoformat(), "lists": {key: [item.to_json() for item in items] for key, items in lists.items()}}


def check_catalogue() -> None:
    """Raise when a list of the catalogue has no rule, or a rule no list in the catalogue."""
    keys = {spec.key for spec in catalogue.LISTS}
    missing = [spec.key for spec in catalogue.LISTS if spec.key not in LIST_RULES]
    unknown = [key for key in LIST_RULES if key not in keys]
    if missing:
        raise RuntimeError(f"lists of generator/contract/lists.py LISTS without a rule: {', '.join(missing)}")
    if unknown:
        raise RuntimeError(f"list rules without an entry in generator/contract/lists.py LISTS: {', '.join(unknown)}")


def _most_overdue_first(item: OverdueItem) -> tuple:
    """Most days late first, then the earliest due (items not yet late: most urgent first), then by id and date."""
    return (-(item.days_overdue or 0), item.due or date.max, item.id, item.date or date.min)


check_catalogue()  # at import: a catalogue and rules that disagree fail before any workbook is read
