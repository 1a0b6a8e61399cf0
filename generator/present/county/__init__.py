"""The county's site (三级联动), a page set of its own: made from derive/county's County, never from a workbook.

Pages: 总览 (the county's totals, counts, each township's as-of with the stale flag), 乡镇指标 (a row per township,
a column per indicator against the county's one set of targets, marked ✓ / ✗ in signs, not colour alone), 排名 (per
indicator), 待办清单 (to-do counts per list), 趋势 (month by month, when several months of summaries are given) and
通报 (notice). The wide tables fit a 1366 px screen with twenty townships: indicator and list titles run top to
bottom, as the township's meeting tables do (jf-village-*), and a township's name never wraps. Titles are fixed
words; township names are inside the encrypted bodies only.
"""

from __future__ import annotations

from typing import Iterator

from generator.contract.indicators import INDICATORS
from generator.contract.lists import LISTS
from generator.contract.summary import SUMMARY_COUNTS
from generator.derive.county import STALE_DAYS, County, Township
from generator.derive.indicators import Indicator
from generator.present.county.notice import render_notice, render_trend
from generator.present.county.wording import (HERE_TOWNSHIPS, STALE, fraction, name, targets_line, value,
                                              verdict)
from generator.present.markup import Raw
from generator.present.wording import target_text
from generator.present.pages.html import Page, a, page, table

HOME, TOWNSHIPS, RANKING, LISTS_PAGE, TREND, NOTICE = ("index.md", "townships.md", "ranking.md", "lists.md",
                                                       "trend.md", "notice.md")
NAV = [{"总览": HOME}, {"乡镇指标": TOWNSHIPS}, {"排名": RANKING}, {"待办清单": LISTS_PAGE}, {"趋势": TREND},
       {"通报": NOTICE}]


def render_county(county: County) -> Iterator[tuple[str, Page]]:
    """Every page of the county's site."""
    yield HOME, _home(county)
    yield TOWNSHIPS, _townships(county)
    yield RANKING, _ranking(county)
    yield LISTS_PAGE, _lists(county)
    yield TREND, render_trend(county)
    yield NOTICE, render_notice(county)


def _period(county: County) -> str:
    return (f"统计周期“{county.period_name}”，各乡镇截至各自的统计截止日期（最新 {county.newest.isoformat()}）。"
            "合计 = 各乡镇分子之和 ÷ 各乡镇分母之和（不是比率的平均）；分母为 0 时显示“—”。"
            + targets_line(county))


def _totals_table(items: list[Indicator]) -> str:
    return table(["指标", "分子", "分母", "数值", "目标", "是否达标"],
                 [(i.name, i.numerator, i.denominator, value(i), target_text(i), verdict(i)) for i in items])


def _home(county: County) -> Page:
    stale = [t for t in county.townships if t.stale]
    below = county.below_target
    counts = table([*SUMMARY_COUNTS.values(), "肇事肇祸"],
                   [[*(county.counts[k] for k in SUMMARY_COUNTS), county.incidents]])
    asof = table(["乡镇", "统计截止日期", "数据"],
                 [(name(t.name), t.summary.as_of, STALE if t.stale else "") for t in county.townships])
    body = f"""
{len(county.townships)} 个乡镇（街道）的汇总。{_period(county)}

## 人数 {{#counts}}

在册、在管、待诊断、其他诊断、已结案、高风险为各乡镇之和；高风险是在册患者中当前危险性达到高风险等级的人数，
肇事肇祸是统计期内发生肇事肇祸的在册患者人数。

{counts}

## 全县合计 {{#totals}}

{_totals_table(county.totals)}

未达标的乡镇：{len(below)} 个（见{a(HOME, TOWNSHIPS, "乡镇指标")}和{a(HOME, NOTICE, "通报")}）。

## 各乡镇的统计截止日期 {{#as-of}}

比最新的汇总早 {STALE_DAYS} 天以上的标“{STALE}”（{len(stale)} 个），请催报。

{asof}
"""
    return page("总览", body, heading=f"{county.name or '县（区）'}严重精神障碍患者服务管理汇总", toc=True)


def _townships(county: County) -> Page:
    """A 目标 row, a row per township, the 合计 row; a column per indicator (its name top to bottom), each cell the
    value with ✓ / ✗ over (numerator/denominator), and a 达标 column counting the targets met."""
    rows = [["目标", "", "", *(target_text(i) for i in county.totals)]]
    rows += [[name(t.name), _as_of(t), *_cells(t.items)] for t in county.townships]
    rows.append(["合计", county.newest.isoformat(), *_cells(county.totals)])
    table_html = table(["乡镇", "统计截止日期", "达标", *(s.name for s in INDICATORS)], rows,
                       cls="jf-table jf-meeting jf-village-indicators jf-county-indicators", fold=False)
    body = f"""
{_period(county)}

{table_html}
每格上一行是数值和是否达到目标（✓ 达标，✗ 未达标；没有目标或分母为 0 的不标），下一行是分子/分母（分母为 0 时数值为“—”）；
“达标”列为达到目标的指标数 / 有目标的指标数。
"""
    return page("乡镇指标", body, heading=HERE_TOWNSHIPS)


def _as_of(t: Township) -> Raw:
    day = t.summary.as_of.isoformat()
    return Raw(f"{day}<br>{STALE}" if t.stale else day)


MARK = {True: "\u00a0✓", False: "\u00a0✗", None: ""}  # the sign stays beside its value


def _cells(items: list[Indicator]) -> list:
    """The 达标 count, then each indicator as its value and sign over numerator/denominator: two short lines (no
    brackets: the county's totals are long numbers), so that thirteen indicators fit a laptop's width (numbers and
    fixed signs only: nothing to escape)."""
    judged = [i for i in items if i.met is not None]
    return [f"{sum(i.met for i in judged)}/{len(judged)}\u00a0项" if judged else "—",
            *(Raw(f"{value(i)}{MARK[i.met]}<br>{fraction(i)}") for i in items)]


def _ranking(county: County) -> Page:
    parts = [f"每个指标从好到差排列（肇事肇祸率越低越好）；数值相同名次相同；分母为 0 的乡镇不排名，列在最后。{_period(county)}"]
    for spec in INDICATORS:
        rows = [(rank if rank is not None else "—", name(t.name), value(t[spec.key]), fraction(t[spec.key]),
                 verdict(t[spec.key])) for rank, t in county.ranking(spec.key)]
        goal = county.total(spec.key)
        parts.append(f"## {spec.name} {{#{spec.key.replace('_', '-')}}}\n\n"
                     f"全县统一目标：{target_text(goal) if goal.target is not None else '无目标'}。\n\n"
                     + table(["名次", "乡镇", "数值", "分子/分母", "是否达标"], rows))
    return page("排名", "\n\n".join(parts), toc=True)


def _lists(county: County) -> Page:
    """The county's total of every list; then a row per township and a column per list that has items somewhere
    (its title top to bottom), zeros blank."""
    totals = table(["清单", "全县合计"], [(spec.title, county.lists[spec.key]) for spec in LISTS])
    shown = [spec for spec in LISTS if county.lists[spec.key]]
    quiet = len(LISTS) - len(shown)
    each = table(["乡镇", "在册", "高风险", "肇事肇祸", *(spec.title for spec in shown)],
                 [*(_list_row(t, shown) for t in county.townships),
                  ["合计", county.counts["registered"], county.counts["high_risk"], county.incidents,
                   *(county.lists[spec.key] for spec in shown)]],
                 cls="jf-table jf-meeting jf-village-lists jf-county-lists", fold=False)
    body = f"""
各乡镇统计截止日期当天各类待办清单的条数（清单的含义见乡镇网站的“待办清单”页）。

## 全县合计 {{#totals}}

{totals}

## 各乡镇 {{#townships}}

{each}
清单的条数空白为 0。{f"另有 {quiet} 个清单全县都是 0，未列出（见上面的全县合计）。" if quiet else ""}
"""
    return page("待办清单", body, toc=True)


def _list_row(t: Township, shown: list) -> list:
    s = t.summary
    return [name(t.name), s.counts["registered"], s.counts["high_risk"], t["incident_rate"].numerator,
            *(s.lists[spec.key] or "" for spec in shown)]
