"""The county's facts from its townships' summaries (pure): one row per township (its latest summary), the county's
totals — numerators and denominators summed, never rates averaged — a ranking per indicator, the stale flag, the
townships below target, and month-by-month numbers where several months of summaries are given.

Every township is judged against one set of county targets: the catalogue's defaults (contract.indicators), each
replaceable by the county (``county --target``); a summary carries no township's own targets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from generator.contract.indicators import BY_KEY, INDICATORS
from generator.contract.lists import LISTS
from generator.contract.summary import INCIDENT_KEY, SUMMARY_COUNTS, Summary
from generator.derive.indicators import Indicator

STALE_DAYS = 35  # a township's as-of more than this many days before the newest one is flagged 数据较旧


class MixedSummaries(ValueError):
    """Summaries of different period kinds, years or counties: their numbers cannot be added up."""


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
    targets: dict[str, float | None] = field(default_factory=lambda: default_targets())  # key → the county's target
    chosen: tuple[str, ...] = ()  # the keys whose target the county set (--target); the others are defaults

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
        """Every month (YYYY-MM) from the earliest summary's as-of to the newest, those without any summary too (a
        gap on the trend's axis, not a month left out)."""
        found = sorted({(s.as_of.year, s.as_of.month) for sent in self.history.values() for s in sent})
        if not found:
            return []
        (year, month), out = found[0], []
        while (year, month) <= found[-1]:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def month_totals(self, month: str) -> tuple[int, list[Indicator]]:
        """How many townships sent a summary in month, and their totals (each township's latest of that month)."""
        chosen = [next(s for s in reversed(found) if s.as_of.strftime("%Y-%m") == month)
                  for found in self.history.values() if any(s.as_of.strftime("%Y-%m") == month for s in found)]
        return len(chosen), _totals(chosen, self.targets)

    def complete(self, month: str) -> bool:
        """Whether every township of the table (the latest set) sent a summary in month: only then is the month's
        total comparable with another's."""
        return all(any(s.as_of.strftime("%Y-%m") == month for s in found) for found in self.history.values())


def default_targets() -> dict[str, float | None]:
    return {spec.key: spec.target for spec in INDICATORS}


def indicators_of(summary: Summary, targets: dict[str, float | None]) -> list[Indicator]:
    return [Indicator(spec, summary.indicators[spec.key].numerator, summary.indicators[spec.key].denominator,
                      targets[spec.key]) for spec in INDICATORS]


def _totals(summaries: list[Summary], targets: dict[str, float | None]) -> list[Indicator]:
    return [Indicator(spec, sum(s.indicators[spec.key].numerator for s in summaries),
                      sum(s.indicators[spec.key].denominator for s in summaries), targets[spec.key])
            for spec in INDICATORS]


def check_counties(summaries: list[tuple[str, Summary]]) -> list[str]:
    """MixedSummaries naming each file and its county when the summaries name different counties (所属区县); the
    warnings for files that name none (added in: the county's official chose them), one per file."""
    named: dict[str, list[str]] = {}
    for path, s in summaries:
        if s.county:
            named.setdefault(s.county, []).append(path)
    blank = [path for path, s in summaries if not s.county]
    if len(named) > 1:
        said = "；".join(f"“{path}”：{s.county or '（未填所属区县）'}" for path, s in summaries)
        raise MixedSummaries(f"这些汇总文件属于不同的县（区），不能相加（{said}）。请只给本县（区）各乡镇的汇总文件；"
                             "所属区县填错的，请让乡镇改正“基本设置”中的所属区县后重新运行 jingfang summary。")
    county = next(iter(named), None)
    return [f"汇总文件“{path}”没有填写所属区县，按{f'“{county}”' if county else '本县（区）'}的乡镇汇总；"
            "如果它不是本县（区）的，请去掉它重新汇总。" for path in blank] if named else []




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


def county_of(summaries: list[tuple[str, Summary]], chosen: dict[str, float] | None = None) -> County:
    """The county's facts from the summaries (file name, summary) in the order given, judged against the default
    targets with those in chosen (indicator key → target) in their place. Two or more of one township: the latest
    as-of (of equal ones, the later given) makes its row, with a warning naming it; the others serve the
    month-by-month numbers. MixedSummaries for different period kinds, years or counties."""
    if not summaries:
        raise MixedSummaries("没有汇总文件。")
    check_mixed(summaries)
    warnings = check_counties(summaries)
    targets = {**default_targets(), **(chosen or {})}
    history: dict[str, list[Summary]] = {}
    for _, s in summaries:
        history.setdefault(s.township, []).append(s)
    for name, found in history.items():
        found.sort(key=lambda s: s.as_of)  # stable: of equal as-of days the later given stays later
        if len(found) > 1:
            days = "、".join(s.as_of.isoformat() for s in found)
            warnings.append(f"“{name}”有 {len(found)} 份汇总（统计截止日期 {days}）：表格和合计用最晚的一份"
                            f"（{found[-1].as_of.isoformat()}），其余只用于按月趋势。")
    latest = [found[-1] for found in history.values()]
    newest = max(s.as_of for s in latest)
    townships = [Township(s, (newest - s.as_of).days > STALE_DAYS, indicators_of(s, targets)) for s in latest]
    counts = {k: sum(s.counts[k] for s in latest) for k in SUMMARY_COUNTS}
    lists = {spec.key: sum(s.lists[spec.key] for s in latest) for spec in LISTS}
    named = Counter(s.county for s in latest if s.county)
    return County(townships, _totals(latest, targets), counts, lists, newest, latest[0].period.name,
                  named.most_common(1)[0][0] if named else None, history, warnings, targets,
                  tuple(k for k in BY_KEY if chosen and k in chosen))
