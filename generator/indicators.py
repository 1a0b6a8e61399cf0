"""Work indicators (Tianjin targets, national plan) — pure functions of (Dataset, histories, as_of).

The period is the 365 days ending at as_of. 在册 = registered (not 待诊断, not 死亡/迁出); 在管 = 在册 less
those out of contact (下落不明, 外出务工).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .rules import History
from .schema import Dataset, Patient
from .vocab import AT_HOME, MISSING_STATUSES, PENDING_DIAGNOSIS

LOST = MISSING_STATUSES


@dataclass(frozen=True)
class Indicator:
    """One indicator: value = numerator / denominator (× scale), compared with its target."""

    name: str
    definition: str
    numerator: int
    denominator: int
    target: float | None  # in the indicator's unit; None = no target
    unit: str = "%"  # "%" or "‰"

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


def compute(data: Dataset, histories: dict[str, History], as_of: date) -> list[Indicator]:
    """Every indicator of the domain brief at as_of."""
    start = as_of - timedelta(days=365)
    reg = [p for p in data.patients if registered(p)]
    man = [p for p in data.patients if managed(p)]
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
        Indicator("报告患病率", "在册患者数 ÷ 常住人口", len(reg), data.settings.population or 0, 4.5, "‰"),
        Indicator("规范管理率", f"一年内随访 ≥ 4 次且相邻间隔 ≤ {gap} 天的患者 ÷ 在册患者",
                  sum(standard_management(h(p), start, as_of, gap) for p in reg), len(reg), 95),
        Indicator("面访率", "一年内至少面访（门诊或家庭访视）1 次的患者 ÷ 在册患者", sum(in_period(p, True) for p in reg), len(reg), 95),
        Indicator("规律服药率", "末次随访用药依从性为“规律”的患者 ÷ 在册患者",
                  sum(bool(last(p)) and last(p).adherence == "规律" for p in reg), len(reg), 85),
        Indicator("免费服药比例", "享受免费服药的患者 ÷ 在管患者", sum(bool(p.free_medication) for p in man), len(man), 30),
        Indicator("在册患者管理率", "一年内至少随访 1 次的患者 ÷ 在册患者", sum(in_period(p) for p in reg), len(reg), 80),
        Indicator("病情稳定率", "末次随访病情分类为“稳定”的患者 ÷ 在家居住的在管患者",
                  sum(bool(last(p)) and last(p).condition == "稳定" for p in home), len(home), None),
    ]
