"""The county's facts from its townships' summaries (pure): one row per township (its latest summary), the county's
totals — numerators and denominators summed, never rates averaged — a ranking per indicator, the stale flag, the
townships below target, and month-by-month numbers where several months of summaries are given.

Targets are the catalogue's defaults (contract.indicators): a summary carries no township's own targets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from generator.contract.indicators import INDICATORS, IndicatorSpec
from generator.contract.lists import LISTS
from generator.contract.summary import INCIDENT_KEY, SUMMARY_COUNTS, Summary
from generator.derive.indicators import Indicator

STALE_DAYS = 35  # a township's as-of more than this many days before the newest one is flagged 数据较旧


class MixedSummaries(ValueError):
    """Summaries of different period kinds or years: their numbers cannot be added up."""


@dataclass(frozen=True)
class Township:
    """One township's row: its latest summary, the indicators against the default targets, the stale flag."""

    summary: Summary
    stale: bool
    items: list[Indicator]

    @property
    def name(self) -> str:
        return self.summary.township

    def __getitem__(self, key: str) -> Indicator:
        return next(i for i in self.items if i.key == key)

    @property
    def unmet(self) -> list[Indicator]:
        """The indicators with a target that this township does not reach (a zero denominator is not judged)."""
        return [i for i in self.items if i.met is False]


@dataclass(frozen=True)
class County:
    townships: list[Township]  # in the order first given
    totals: list[Indicator]
    counts: dict[str, int]  # SUMMARY_COUNTS summed
    lists: dict[str, int]  # every list's items summed
    newest: date
    period_name: str
    name: str | None  # the county (所属区县) most summaries name
    history: dict[str, list[Summary]] = field(default_factory=dict)  # township → its summaries by as-of
    warnings: list[str] = field(default_factory=list)

    def total(self, key: str) -> Indicator:
        return next(i for i in self.totals if i.key == key)

    @property
    def incidents(self) -> int:
        """肇事肇祸: 在册 patients with a 肇事肇祸 in the period, summed."""
        return self.total(INCIDENT_KEY).numerator

    def to_json(self) -> dict:
        """``county --json``: {"townships": [NAME…], "totals": {KEY: {numerator, denominator}}, "lists": {KEY: n}}."""
        return {"townships": [t.name for t in self.townships],
                "totals": {i.key: {"numerator": i.numerator, "denominator": i.denominator} for i in self.totals},
                "lists": dict(self.lists)}

    def ranking(self, key: str) -> list[tuple[int | None, Township]]:
        """The townships best first on one indicator (lower is better for 肇事肇祸率); equal values share a rank;
        those without a denominator come last, unranked (None)."""
        spec = next(s for s in INDICATORS if s.key == key)
        ranked = sorted((t for t in self.townships if t[key].value is not None),
                        key=lambda t: t[key].value if spec.lower_is_better else -t[key].value)
        out: list[tuple[int | None, Township]] = []
        for n, t in enumerate(ranked, 1):
            same = out and out[-1][1][key].value == t[key].value
            out.append((out[-1][0] if same else n, t))
        return out + [(None, t) for t in self.townships if t[key].value is None]

    @property
    def below_target(self) -> list[Township]:
        return [t for t in self.townships if t.unmet]

    def months(self) -> list[str]:
        """The months (YYYY-MM of the as-of day) of all summaries given, in order."""
        return sorted({s.as_of.strftime("%Y-%m") for found in self.history.values() for s in found})

    def month_totals(self, month: str) -> tuple[int, list[Indicator]]:
        """How many townships sent a summary in month, and their totals (each township's latest of that month)."""
        chosen = [next(s for s in reversed(found) if s.as_of.strftime("%Y-%m") == month)
                  for found in self.history.values() if any(s.as_of.strftime("%Y-%m") == month for s in found)]
        return len(chosen), _totals(chosen)


def indicators_of(summary: Summary) -> list[Indicator]:
    return [_indicator(spec, summary.indicators[spec.key].numerator, summary.indicators[spec.key].denominator)
            for spec in INDICATORS]


def _indicator(spec: IndicatorSpec, numerator: int, denominator: int) -> Indicator:
    return Indicator(spec, numerator, denominator, spec.target)


def _totals(summaries: list[Summary]) -> list[Indicator]:
    return [_indicator(spec, sum(s.indicators[spec.key].numerator for s in summaries),
                       sum(s.indicators[spec.key].denominator for s in summaries)) for spec in INDICATORS]


def check_mixed(summaries: list[tuple[str, Summary]]) -> None:
    """MixedSummaries when the summaries (file name, summary) are of different period kinds or as-of years."""
    for what, key, unit in (("统计周期", lambda s: s.period.name, "“{}”"), ("统计年份", lambda s: s.as_of.year, "{} 年")):
        groups: dict[object, list[str]] = {}
        for _, s in summaries:
            names = groups.setdefault(key(s), [])
            if s.township not in names:
                names.append(s.township)
        if len(groups) > 1:
            said = "；".join(f"{unit.format(value)}：{_few(names)}" for value, names in groups.items())
            raise MixedSummaries(f"这些汇总的{what}不同，不能相加（{said}）。请让各乡镇用同一种统计周期、同一年的统计截止日期"
                                 "重新运行 jingfang summary（--period、--as-of）。")


def _few(names: list[str], shown: int = 5) -> str:
    return "、".join(names[:shown]) + (f" 等 {len(names)} 个乡镇" if len(names) > shown else "")


def county_of(summaries: list[tuple[str, Summary]]) -> County:
    """The county's facts from the summaries (file name, summary) in the order given. Two or more of one township:
    the latest as-of (of equal ones, the later given) makes its row, with a warning naming it; the others serve
    the month-by-month numbers. MixedSummaries for different period kinds or years."""
    if not summaries:
        raise MixedSummaries("没有汇总文件。")
    check_mixed(summaries)
    history: dict[str, list[Summary]] = {}
    for _, s in summaries:
        history.setdefault(s.township, []).append(s)
    warnings = []
    for name, found in history.items():
        found.sort(key=lambda s: s.as_of)  # stable: of equal as-of days the later given stays later
        if len(found) > 1:
            days = "、".join(s.as_of.isoformat() for s in found)
            warnings.append(f"“{name}”有 {len(found)} 份汇总（统计截止日期 {days}）：表格和合计用最晚的一份"
                            f"（{found[-1].as_of.isoformat()}），其余只用于按月趋势。")
    latest = [found[-1] for found in history.values()]
    newest = max(s.as_of for s in latest)
    townships = [Township(s, (newest - s.as_of).days > STALE_DAYS, indicators_of(s)) for s in latest]
    counts = {k: sum(s.counts[k] for s in latest) for k in SUMMARY_COUNTS}
    lists = {spec.key: sum(s.lists[spec.key] for s in latest) for spec in LISTS}
    named = Counter(s.county for s in latest if s.county)
    return County(townships, _totals(latest), counts, lists, newest, latest[0].period.name,
                  named.most_common(1)[0][0] if named else None, history, warnings)
