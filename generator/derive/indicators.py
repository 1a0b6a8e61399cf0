"""The national-口径 indicators (domain.md v3) — pure functions of (Dataset, histories, as_of, period) — and the
census behind the status cards.

Every indicator is counted over a period [S, A] (both days included). 在册 = one of the six diagnoses, enrolled by A,
not 死亡/迁出; 在管 = 在册 with a follow-up (not 未访到) dated in [S, A]; 规范管理 as ``standard_management`` says.
The catalogue (names, definitions, units, default targets) is ``contract.indicators``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, get_args

from generator.contract.indicators import (BY_KEY, COUNTS, INDICATORS, MEDICATED, OTHER_DIAGNOSIS, PERIODS,
                                           POPULATION_KEY, REGULAR, SIX_DIAGNOSES, STABLE, IndicatorSpec)
from generator.contract.patients import Patient
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from generator.contract.vocab import (AGREEMENT_KINDS, AT_HOME, CLOSED_STATUSES, DEAD, IN_HOSPITAL, PENDING_DIAGNOSIS,
                                      SERIOUS_INCIDENT, Status)
from generator.derive.history import History
from generator.derive.state import reward_expiry

# every 在管状态 a registered patient can have, in the vocabulary's order: the status cards partition 在册 by these
REGISTERED_STATUSES = tuple(s for s in get_args(Status) if s not in CLOSED_STATUSES)
FULL_YEAR_DAYS = 365  # a period this long or longer asks 规范管理 for ≥ 4 follow-ups
MIN_FOLLOWUPS = 4

assert all(f"{spec.key}_target" in Settings.model_fields for spec in INDICATORS)


class UnknownPeriod(ValueError):
    """A period name that is none of 本年/本季度/本月/近12个月."""


@dataclass(frozen=True)
class Period:
    """The days [start, end] the indicators count over, and the name they were asked for by."""

    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """How pages name it: 本年（2026-01-01 至 2026-12-06）."""
        return f"{self.name}（{self.start.isoformat()} 至 {self.end.isoformat()}）"


def period_of(as_of: date, name: str) -> Period:
    """The period called name ending at as_of."""
    if name == "本年":
        start = date(as_of.year, 1, 1)
    elif name == "本季度":
        start = date(as_of.year, (as_of.month - 1) // 3 * 3 + 1, 1)
    elif name == "本月":
        start = as_of.replace(day=1)
    elif name == "近12个月":
        start = as_of - timedelta(days=364)
    else:
        raise UnknownPeriod(f"统计周期“{name}”无法识别，应为 {'、'.join(PERIODS)} 之一。")
    return Period(name, start, as_of)


def resolve_period(settings: Settings, as_of: date, option: str | None = None) -> Period:
    """The period of the command line's option, else of the setting 统计周期 (default 本年)."""
    return period_of(as_of, option or settings.period)


def registered(p: Patient, day: date | None = None) -> bool:
    """在册 at day (default: now): one of the six diagnoses, enrolled by day, not closed — a death dated after day
    (only a past day can have one) does not close it yet."""
    if p.diagnosis not in SIX_DIAGNOSES or (day is not None and p.enrolled > day):
        return False
    if not p.closed:
        return True
    return day is not None and p.status == DEAD and p.died is not None and p.died > day


def standard_management(enrolled: date, visits: list[date], period: Period, max_gap: int) -> bool:
    """规范管理 of an 在册 patient, visits its follow-up dates (sorted, 未访到 left out).

    e = max(S, 纳入管理日期); the anchors are 纳入管理日期 and the follow-ups up to A. From the latest anchor ≤ e, every
    anchor in (e, A], then A itself: no two consecutive ones more than max_gap days apart; and when the period is a
    year or longer and the patient was enrolled by S, at least 4 follow-ups in [S, A].
    """
    start, end = period.start, period.end
    e = max(start, enrolled)
    anchors = sorted([enrolled, *visits[:bisect_right(visits, end)]])
    after = bisect_right(anchors, e)
    chain = [anchors[after - 1], *anchors[after:], end]
    if any((b - a).days > max_gap for a, b in zip(chain, chain[1:])):
        return False
    if period.days >= FULL_YEAR_DAYS and enrolled <= start:
        return bisect_right(visits, end) - bisect_left(visits, start) >= MIN_FOLLOWUPS
    return True


@dataclass(frozen=True)
class Indicator:
    """One indicator over some patients: value = numerator ÷ denominator × 100 (‰: × 1000), None without a
    denominator; target from the settings (None = no target)."""

    spec: IndicatorSpec
    numerator: int
    denominator: int
    target: float | None

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def definition(self) -> str:
        return self.spec.definition

    @property
    def unit(self) -> str:
        return self.spec.unit

    @property
    def base(self) -> str:
        return self.spec.base

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator * self.spec.scale if self.denominator else None

    @property
    def met(self) -> bool | None:
        """Whether the target is reached (at most the target when lower is better); None without either."""
        if self.target is None or self.value is None:
            return None
        return self.value <= self.target if self.spec.lower_is_better else self.value >= self.target


@dataclass(frozen=True)
class Indicators:
    """The indicators of the township (or one village) over a period, with the counts behind them."""

    period: Period
    counts: dict[str, int]  # the keys of contract.indicators.COUNTS
    items: list[Indicator]  # catalogue order (a village's without 报告患病率)

    def __getitem__(self, key: str) -> Indicator:
        return next(i for i in self.items if i.key == key)

    def __iter__(self):
        return iter(self.items)

    def to_json(self) -> dict:
        """``indicators --json``'s shape (domain.md v3); values rounded to two decimals."""
        p = self.period
        return {
            "as_of": p.end.isoformat(),
            "period": {"name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()},
            "counts": dict(self.counts),
            "indicators": {i.key: {"name": i.name, "numerator": i.numerator, "denominator": i.denominator,
                                   "value": None if i.value is None else round(i.value, 2), "unit": i.unit,
                                   "target": i.target} for i in self.items},
        }


def target_of(settings: Settings, key: str) -> float | None:
    """An indicator's target: the setting 〈name〉目标, else the catalogue's default."""
    return getattr(settings, f"{key}_target")


def compute(data: Dataset, histories: dict[str, History], period: Period,
            patients: Iterable[Patient] | None = None, *, population: bool = True) -> Indicators:
    """Every indicator of the catalogue over some patients (default: all; a village's: population=False leaves
    报告患病率 out)."""
    chosen = list(data.patients if patients is None else patients)
    start, end = period.start, period.end
    gap = data.settings.max_followup_gap_days
    empty = History()
    n = dict.fromkeys(BY_KEY, 0)
    d = dict.fromkeys(BY_KEY, 0)
    counts = dict.fromkeys(COUNTS, 0)
    for p in chosen:
        if p.closed and not registered(p, end):
            counts["closed"] += 1
            continue
        if p.diagnosis == PENDING_DIAGNOSIS:
            counts["pending"] += 1
        elif p.diagnosis == OTHER_DIAGNOSIS:
            counts["other_diagnosis"] += 1
        if not registered(p, end):
            continue
        counts["registered"] += 1
        h = histories.get(p.patient_id, empty)
        visits = [v.visit_date for v in h.followups]
        lo, hi = bisect_left(visits, start), bisect_right(visits, end)
        latest = h.followups[hi - 1] if hi > lo else None
        managed = latest is not None
        counts["managed"] += managed
        home = p.status == AT_HOME
        for key, base, hit in (
            ("management_rate", True, managed),
            ("standard_management_rate", True, standard_management(p.enrolled, visits, period, gap)),
            ("face_visit_rate", True, any(v.face_to_face for v in h.followups[lo:hi])),
            ("medication_rate", True, p.status == IN_HOSPITAL or (managed and latest.adherence in MEDICATED)),
            ("regular_medication_rate", True, managed and latest.adherence == REGULAR),
            ("stable_rate", managed, managed and latest.condition == STABLE),
            ("free_medication_share", managed, bool(p.free_medication)),
            ("consent_signed_rate", bool(p.free_medication), _signed(h, "consent", end)),
            ("health_check_rate", home, any(start <= c.checked <= end for c in h.checks)),
            ("guardian_agreement_rate", home, _in_force(h, "guardian", end)),
            ("reward_agreement_rate", home, _in_force(h, "reward", end)),
            ("incident_rate", True, any(i.kind == SERIOUS_INCIDENT and start <= i.happened <= end for i in h.incidents)),
        ):
            if base:
                d[key] += 1
                n[key] += bool(hit)
    n[POPULATION_KEY], d[POPULATION_KEY] = counts["registered"], data.settings.population or 0
    items = [Indicator(spec, n[spec.key], d[spec.key], target_of(data.settings, spec.key)) for spec in INDICATORS
             if population or spec.key != POPULATION_KEY]
    return Indicators(period, counts, items)


def _signed(h: History, kind: str, day: date) -> bool:
    return any(g.kind == AGREEMENT_KINDS[kind] and g.signed <= day for g in h.agreements)


def _in_force(h: History, kind: str, day: date) -> bool:
    """An agreement of kind in force at day (以奖代补: a blank 到期日期 is one year after signing less a day)."""
    for g in h.agreements:
        if g.kind != AGREEMENT_KINDS[kind] or g.signed > day:
            continue
        last = reward_expiry(g) if kind == "reward" else g.expires
        if last is None or last >= day:
            return True
    return False


class UnknownVillage(ValueError):
    """A village name no patient lives in and the 村社区 sheet does not hold."""


def villages_of(data: Dataset) -> list[str]:
    """The villages indicators can be asked for: the 村社区 sheet's, then any other 现住村社区 (外地)."""
    names = [v.name for v in data.villages]
    return names + sorted({p.village for p in data.patients} - set(names))


def for_village(data: Dataset, histories: dict[str, History], period: Period, village: str) -> Indicators:
    """The indicators of one village's patients (现住村社区), without 报告患病率; UnknownVillage for a name not known."""
    known = villages_of(data)
    if village not in known:
        raise UnknownVillage(f"没有名为“{village}”的村社区。台账中的村社区有：{'、'.join(known) or '（无）'}。")
    return compute(data, histories, period, (p for p in data.patients if p.village == village), population=False)


def by_village(data: Dataset, histories: dict[str, History], period: Period) -> dict[str, Indicators]:
    """Each village's indicators (现住村社区) in one pass; numerators and denominators add up to the township's."""
    found: dict[str, list[Patient]] = {name: [] for name in villages_of(data)}
    for p in data.patients:
        found[p.village].append(p)
    return {name: compute(data, histories, period, mine, population=False) for name, mine in found.items()}


@dataclass(frozen=True)
class Census:
    """Who is counted where: 在册 by 在管状态 (a partition), and those outside 在册 (待诊断, 其他, closed)."""

    by_status: dict[str, int]  # REGISTERED_STATUSES → registered patients in that status; sums to registered
    pending: int  # 待诊断 and not closed
    other: int  # 诊断 其他 and not closed: outside the six diagnoses
    closed: dict[str, int]  # 死亡, 迁出 (whatever the diagnosis)
    high: int  # registered patients whose current risk is high

    @property
    def registered(self) -> int:
        return sum(self.by_status.values())

    @property
    def total(self) -> int:
        return self.registered + self.pending + self.other + sum(self.closed.values())


def census(patients: Iterable[Patient], high: set[str] = frozenset()) -> Census:
    """Count patients once each: registered by status, 待诊断, 其他, closed (high: ids of high-risk patients)."""
    by_status = dict.fromkeys(REGISTERED_STATUSES, 0)
    closed = dict.fromkeys(CLOSED_STATUSES, 0)
    pending = other = high_ = 0
    for p in patients:
        if p.closed:
            closed[p.status] += 1
        elif p.diagnosis == PENDING_DIAGNOSIS:
            pending += 1
        elif not registered(p):
            other += 1
        else:
            by_status[p.status] += 1
            high_ += p.patient_id in high
    return Census(by_status, pending, other, closed, high_)
