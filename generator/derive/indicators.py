"""Work indicators (Tianjin targets, national plan) — pure functions of (Dataset, histories, as_of).

The period is the 365 days ending at as_of. 在册 = registered (not 待诊断, not 死亡/迁出); 在管 = 在册 less
those out of contact (下落不明, 外出务工).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, get_args

from generator.derive.history import History
from generator.contract.patients import Patient
from generator.contract.schema import Dataset
from generator.contract.vocab import AT_HOME, CLOSED_STATUSES, MISSING_STATUSES, PENDING_DIAGNOSIS, Status

LOST = MISSING_STATUSES
# every 在管状态 a registered patient can have, in the vocabulary's order: the status cards partition 在册 by these
REGISTERED_STATUSES = tuple(s for s in get_args(Status) if s not in CLOSED_STATUSES)
POPULATION = "常住人口"  # the base of 报告患病率, which no village has in the workbook


@dataclass(frozen=True)
class Indicator:
    """One indicator: value = numerator / denominator (× scale), compared with its target."""

    name: str
    definition: str
    numerator: int
    denominator: int
    target: float | None  # in the indicator's unit; None = no target
    unit: str = "%"  # "%" or "‰"
    base: str = ""  # what the denominator counts, as the home page's card for it is labelled (在册, 在管 …)

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator * (1000 if self.unit == "‰" else 100)

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target


def registered(p: Patient) -> bool:
    """在册: a diagnosed patient who has not died or moved away."""
    return p.diagnosis != PENDING_DIAGNOSIS and not p.closed


def managed(p: Patient) -> bool:
    """在管: registered and not out of contact."""
    return registered(p) and p.status not in LOST


def standard_management(history: History, start: date, as_of: date, max_gap: int) -> bool:
    """规范管理: ≥ 4 follow-ups in the period, adjacent ones at most max_gap days apart."""
    dates = [v.visit_date for v in history.followups if start < v.visit_date <= as_of]
    return len(dates) >= 4 and all((b - a).days <= max_gap for a, b in zip(dates, dates[1:]))


@dataclass(frozen=True)
class Census:
    """Who is counted where: 在册 by 在管状态 (a partition), and those outside 在册 (待诊断, closed)."""

    by_status: dict[str, int]  # REGISTERED_STATUSES → registered patients in that status; sums to registered
    pending: int  # 待诊断 and not closed: not yet 在册
    closed: dict[str, int]  # 死亡, 迁出 (whatever the diagnosis)
    managed: int
    high: int  # registered patients whose current risk is high

    @property
    def registered(self) -> int:
        return sum(self.by_status.values())

    @property
    def total(self) -> int:
        return self.registered + self.pending + sum(self.closed.values())


def census(patients: Iterable[Patient], high: set[str] = frozenset()) -> Census:
    """Count patients once each: registered by status, pending diagnosis, closed (high: ids of high-risk patients)."""
    by_status = dict.fromkeys(REGISTERED_STATUSES, 0)
    closed = dict.fromkeys(CLOSED_STATUSES, 0)
    pending = managed_ = high_ = 0
    for p in patients:
        if p.closed:
            closed[p.status] += 1
        elif not registered(p):
            pending += 1
        else:
            by_status[p.status] += 1
            managed_ += managed(p)
            high_ += p.patient_id in high
    return Census(by_status, pending, closed, managed_, high_)


def compute(data: Dataset, histories: dict[str, History], as_of: date) -> list[Indicator]:
    """Every indicator of the domain brief at as_of."""
    return compute_for(data.patients, data, histories, as_of, data.settings.population or 0)


def by_village(data: Dataset, histories: dict[str, History], as_of: date) -> dict[str, list[Indicator]]:
    """The indicators of each village's own patients (现住村社区); 报告患病率 is left out: the workbook has no village
    population. Numerators and denominators add up to the township's."""
    found: dict[str, list[Patient]] = {}
    for p in data.patients:
        found.setdefault(p.village, []).append(p)
    return {name: [i for i in compute_for(patients, data, histories, as_of, 0) if i.base != POPULATION]
            for name, patients in found.items()}


def compute_for(patients: list[Patient], data: Dataset, histories: dict[str, History], as_of: date,
                population: int) -> list[Indicator]:
    """Every indicator over some patients (the township's, or one village's)."""
    start = as_of - timedelta(days=365)
    reg = [p for p in patients if registered(p)]
    man = [p for p in patients if managed(p)]
    home = [p for p in man if p.status == AT_HOME]
    empty = History()

    def h(p: Patient) -> History:
        return histories.get(p.patient_id, empty)

    def in_period(p: Patient, face: bool = False) -> bool:
        return any(start < v.visit_date <= as_of and (v.face_to_face or not face) for v in h(p).followups)

    def last(p: Patient):
        return h(p).followups[-1] if h(p).followups else None

    gap = data.settings.max_followup_gap_days
    return [
        Indicator("报告患病率", "在册患者数 ÷ 常住人口", len(reg), population, 4.5, "‰", POPULATION),
        Indicator("规范管理率", f"一年内随访 ≥ 4 次且相邻间隔 ≤ {gap} 天的患者 ÷ 在册患者",
                  sum(standard_management(h(p), start, as_of, gap) for p in reg), len(reg), 95, base="在册"),
        Indicator("面访率", "一年内至少面访（门诊或家庭访视）1 次的患者 ÷ 在册患者", sum(in_period(p, True) for p in reg),
                  len(reg), 95, base="在册"),
        Indicator("规律服药率", "末次随访用药依从性为“规律”的患者 ÷ 在册患者",
                  sum(bool(last(p)) and last(p).adherence == "规律" for p in reg), len(reg), 85, base="在册"),
        Indicator("免费服药比例", "享受免费服药的患者 ÷ 在管患者", sum(bool(p.free_medication) for p in man), len(man), 30,
                  base="在管"),
        Indicator("在册患者管理率", "一年内至少随访 1 次的患者 ÷ 在册患者", sum(in_period(p) for p in reg), len(reg), 80,
                  base="在册"),
        Indicator("病情稳定率", "末次随访病情分类为“稳定”的患者 ÷ 在家居住的在册患者",
                  sum(bool(last(p)) and last(p).condition == "稳定" for p in home), len(home), None, base=AT_HOME),
    ]
