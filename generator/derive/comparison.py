"""信息比对: a valid workbook against another system's list (a roster file), as pure functions of the Dataset.

Matching (workbook-spec "`jingfang compare`"): by 身份证号 (both sides normalised when read); a row without a usable
ID (or a patient without one) matches on 姓名 + 出生日期, else 姓名 + 性别 + 现住村社区, and is marked 按姓名匹配 — only
when exactly one patient not yet matched fits. Two different IDs never match. Closed patients (死亡/迁出) take part.
For each matched pair every field of ``COMPARED_FIELDS`` that differs is reported; a field OTHER leaves blank (or a
column it does not have) is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Sequence

from generator.contract.patients import Patient
from generator.contract.roster import COMPARED_FIELDS, DIFFERENCE_KEYS
from generator.contract.schema import Dataset
from generator.contract.values import id_birth_date
from generator.contract.vocab import CLOSED_STATUSES
from generator.derive.history import current_risk, histories
from generator.read.roster import RosterRow


@dataclass(frozen=True)
class Match:
    """A patient and OTHER's row taken for the same person; by_name when not by 身份证号."""

    id: str
    row: int
    by_name: bool


@dataclass(frozen=True)
class Difference:
    """One field on which a matched pair disagrees, as the two sides show it."""

    id: str
    row: int
    field: str
    workbook: str
    other: str


@dataclass
class Comparison:
    """What compare found, patients and rows in workbook and OTHER order."""

    source: str
    matches: list[Match] = field(default_factory=list)
    only_in_workbook: list[str] = field(default_factory=list)
    only_in_other: list[int] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def by_name(self) -> list[Match]:
        return [m for m in self.matches if m.by_name]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object, keys as the contract says."""
        return {"source": self.source, "matched": len(self.matches), "only_in_workbook": self.only_in_workbook,
                "only_in_other": [{"row": row} for row in self.only_in_other],
                "differences": [dict(zip(DIFFERENCE_KEYS, (d.id, d.row, d.field, d.workbook, d.other)))
                                for d in self.differences]}


def compare(data: Dataset, rows: Sequence[RosterRow], source: str) -> Comparison:
    """Match OTHER's rows to the workbook's patients and list where they differ."""
    result = Comparison(source)
    patients = list(data.patients)
    taken: dict[str, RosterRow] = {}
    by_id = {p.id_number: p for p in patients if p.id_number}
    unmatched: list[RosterRow] = []
    for row in rows:
        patient = by_id.get(row.values.get("身份证号"))  # type: ignore[arg-type]
        if patient is not None and patient.patient_id not in taken:
            taken[patient.patient_id] = row
            result.matches.append(Match(patient.patient_id, row.row, False))
        else:
            unmatched.append(row)
    for row in unmatched:
        patient = _by_name(row, [p for p in patients if p.patient_id not in taken])
        if patient is None:
            result.only_in_other.append(row.row)
        else:
            taken[patient.patient_id] = row
            result.matches.append(Match(patient.patient_id, row.row, True))
    result.only_in_workbook = [p.patient_id for p in patients if p.patient_id not in taken]
    result.only_in_other.sort()
    result.matches.sort(key=lambda m: m.row)
    known = histories(data)
    by_code = {p.patient_id: p for p in patients}
    for match in result.matches:
        patient, row = by_code[match.id], taken[match.id]
        risk = current_risk(known[match.id]) if match.id in known else None
        result.differences += differences(patient, row, risk)
    return result


def _by_name(row: RosterRow, candidates: list[Patient]) -> Patient | None:
    """The one patient a row without a matching ID is taken for: 姓名 + 出生日期, else 姓名 + 性别 + 现住村社区."""
    values = row.values
    if not values.get("姓名"):
        return None
    row_id = values.get("身份证号")
    # two different IDs are two people, whatever their names
    fits = [p for p in candidates if p.name == values["姓名"] and not (row_id and p.id_number)]
    born = values.get("出生日期") or (id_birth_date(row_id) if row_id else None)  # type: ignore[arg-type]
    keys: list[Callable[[Patient], bool]] = []
    if born:
        keys.append(lambda p: p.born_on_or_min() == born)
    if values.get("性别") and values.get("现住村社区"):
        keys.append(lambda p: p.sex == values["性别"] and p.village == values["现住村社区"])
    for key in keys:
        found = [p for p in fits if key(p)]
        if len(found) == 1:
            return found[0]
    return None


def differences(patient: Patient, row: RosterRow, risk: int | None) -> list[Difference]:
    """Every compared field on which the patient and OTHER's row disagree, in ``COMPARED_FIELDS`` order."""
    other = row.values
    found: dict[str, tuple[str, str]] = {}
    for name, mine in (("姓名", patient.name), ("性别", patient.sex), ("现住村社区", patient.village),
                       ("监护人电话", patient.guardian_phone)):
        if other.get(name) and other[name] != mine:
            found[name] = (_text(mine), _text(other[name]))
    status = other.get("在管状态")
    if status:
        for closed in CLOSED_STATUSES:  # 死亡, 迁出: one says so, the other not
            if (patient.status == closed) != (status == closed):
                found[closed] = (patient.status, str(status))
    if other.get("危险性") is not None and risk is not None and other["危险性"] != risk:
        found["危险性"] = (str(risk), str(other["危险性"]))
    return [Difference(patient.patient_id, row.row, name, *found[name]) for name in COMPARED_FIELDS if name in found]


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
