"""信息比对: a valid workbook against another system's list (a roster file), as pure functions of the Dataset.

Matching (workbook-spec "`jingfang compare`"): by 身份证号 (both sides normalised when read); a row without a usable
ID (or a patient without one) matches on 姓名 + 出生日期, else 姓名 + 性别 + 现住村社区, and is marked 按姓名匹配 — only
when exactly one patient not yet matched fits. Two different IDs never match. Closed patients (死亡/迁出) take part.
For each matched pair every field of ``COMPARED_FIELDS`` that differs is reported; a field OTHER leaves blank (or a
column it does not have) is not compared. Rows of OTHER sharing one 身份证号 take no part: they are reported as
duplicates (with the patient of that ID, who is then not called only in the workbook), never merged or picked from.
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
from generator.read.roster import Roster, RosterRow


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


@dataclass(frozen=True)
class Duplicate:
    """OTHER's rows sharing one 身份证号 (the same person entered twice, or a typing slip): none of them is matched,
    and the patient with that ID (id, when there is one) is set aside with them rather than called only in the
    workbook."""

    rows: tuple[int, ...]
    id: str | None

    def describe(self) -> str:
        """名单第 5 行和第 9 行的身份证号相同，均未参与匹配（台账中是 P003，这位患者也未参与比对）."""
        rows = "、".join(f"第 {row} 行" for row in self.rows[:-1]) + f"和第 {self.rows[-1]} 行"
        mine = f"（台账中是 {self.id}，这位患者也未参与比对）" if self.id else "（台账中没有这个身份证号）"
        return f"名单{rows}的身份证号相同，均未参与匹配{mine}"


@dataclass
class Comparison:
    """What compare found, patients and rows in workbook and OTHER order."""

    source: str
    matches: list[Match] = field(default_factory=list)
    only_in_workbook: list[str] = field(default_factory=list)
    only_in_other: list[int] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def by_name(self) -> list[Match]:
        return [m for m in self.matches if m.by_name]

    @property
    def agreeing(self) -> int:
        """Matched pairs with no difference at all."""
        return len(self.matches) - len({d.id for d in self.differences})

    def field_counts(self) -> dict[str, int]:
        """How many differences each compared field has, in ``COMPARED_FIELDS`` order (fields without any left out)."""
        counts = {name: sum(d.field == name for d in self.differences) for name in COMPARED_FIELDS}
        return {name: n for name, n in counts.items() if n}

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object, keys as the contract says."""
        return {"source": self.source, "matched": len(self.matches), "only_in_workbook": self.only_in_workbook,
                "only_in_other": [{"row": row} for row in self.only_in_other],
                "differences": [dict(zip(DIFFERENCE_KEYS, (d.id, d.row, d.field, d.workbook, d.other)))
                                for d in self.differences],
                "duplicates": [{"rows": list(d.rows)} for d in self.duplicates]}


@dataclass(frozen=True)
class Compared:
    """One roster file of ``build --compare`` compared: what the site's 信息比对 page and the monthly report show."""

    file: str  # the file's name (the page is encrypted; its title never shows it)
    sheet: str | None  # None for a .csv
    header_row: int
    people: int  # OTHER's rows read as people
    skipped: dict[str, int]  # why → how many rows (合计行, 空行 …)
    result: Comparison
    names: dict[int, str]  # OTHER's row → 姓名 as OTHER has it, for the rows only in OTHER and the duplicates


def compare_roster(data: Dataset, roster: Roster, source: str) -> Compared:
    """compare, with what the site says of the file itself."""
    result = compare(data, roster.rows, source)
    shown = set(result.only_in_other) | {row for d in result.duplicates for row in d.rows}
    names = {r.row: str(r.values.get("姓名") or "") for r in roster.rows if r.row in shown}
    return Compared(roster.path.name, roster.sheet, roster.header_row, len(roster.rows),
                    {why: len(rows) for why, rows in roster.skipped.items()}, result, names)


def compare(data: Dataset, rows: Sequence[RosterRow], source: str) -> Comparison:
    """Match OTHER's rows to the workbook's patients and list where they differ."""
    result = Comparison(source)
    patients = list(data.patients)
    taken: dict[str, RosterRow] = {}
    by_id = {p.id_number: p for p in patients if p.id_number}
    rows, set_aside = _without_duplicates(rows, by_id, result)
    unmatched: list[RosterRow] = []
    for row in rows:
        patient = by_id.get(row.values.get("身份证号"))  # type: ignore[arg-type]
        if patient is not None and patient.patient_id not in taken:
            taken[patient.patient_id] = row
            result.matches.append(Match(patient.patient_id, row.row, False))
        else:
            unmatched.append(row)
    named: dict[str, list[Patient]] = {}
    for p in patients:
        named.setdefault(p.name, []).append(p)
    for row in unmatched:
        patient = _by_name(row, [p for p in named.get(str(row.values.get("姓名") or ""), [])
                                 if p.patient_id not in taken and p.patient_id not in set_aside])
        if patient is None:
            result.only_in_other.append(row.row)
        else:
            taken[patient.patient_id] = row
            result.matches.append(Match(patient.patient_id, row.row, True))
    gone = taken.keys() | set_aside
    result.only_in_workbook = [p.patient_id for p in patients if p.patient_id not in gone]
    result.only_in_other.sort()
    result.matches.sort(key=lambda m: m.row)
    known = histories(data)
    by_code = {p.patient_id: p for p in patients}
    for match in result.matches:
        patient, row = by_code[match.id], taken[match.id]
        risk = current_risk(known[match.id]) if match.id in known else None
        result.differences += differences(patient, row, risk)
    return result


def _without_duplicates(rows: Sequence[RosterRow], by_id: dict[str, Patient],
                        result: Comparison) -> tuple[list[RosterRow], set[str]]:
    """OTHER's rows less those sharing an ID with another row (recorded as result.duplicates, never merged), and the
    patients those IDs belong to."""
    numbers: dict[str, list[int]] = {}
    for row in rows:
        number = row.values.get("身份证号")
        if number:
            numbers.setdefault(str(number), []).append(row.row)
    shared = {number: found for number, found in numbers.items() if len(found) > 1}
    set_aside: set[str] = set()
    for number, found in sorted(shared.items(), key=lambda item: item[1][0]):
        patient = by_id.get(number)
        result.duplicates.append(Duplicate(tuple(found), patient.patient_id if patient else None))
        if patient is not None:
            set_aside.add(patient.patient_id)
    return [row for row in rows if str(row.values.get("身份证号") or "") not in shared], set_aside


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
