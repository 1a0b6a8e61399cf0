"""The county's 趋势 page (month by month, from several months of summaries) and its printable A4 通报 of the
townships below target (a document: jingfang.css prints .jf-doc on GB/T 9704 pages)."""

from __future__ import annotations

import html

from generator.contract.indicators import BY_KEY
from generator.derive.county import County
from generator.present.county.wording import STALE, fraction, name, targets_line, value
from generator.present.markup import Raw
from generator.present.wording import target_text
from generator.present.pages.charts import line_chart
from generator.present.pages.html import Page, page, print_button, table

TREND_KEYS = ("management_rate", "standard_management_rate", "face_visit_rate", "regular_medication_rate",
              "stable_rate", "incident_rate")
CHART_KEYS = TREND_KEYS[:3]  # three lines: each has its own dash and marker
TREND_MONTHS = 12
NOTICE_TITLE = "关于严重精神障碍患者服务管理工作指标未达标乡镇（街道）的通报"
HEADLINE_KEYS = ("management_rate", "standard_management_rate", "face_visit_rate", "regular_medication_rate")


def render_trend(county: County) -> Page:
    """The county's total month by month — drawn only for a complete month (every township of the table reported):
    a total over a different set of townships is no point of a trend. A month without any summary stays on the
    axis as a gap."""
    months = county.months()[-TREND_MONTHS:]
    if len(months) < 2:
        body = ("汇总文件只有一个月的。每月把各乡镇当月的汇总文件和以前几个月的一起给 jingfang county，"
                "这里就按月显示全县合计和各乡镇的变化（最近 12 个月）。")
        return page("趋势", body)
    totals = {m: county.month_totals(m) for m in months}
    complete = {m: county.complete(m) for m in months}
    series = [(BY_KEY[k].name, [_rate(totals[m][1], k) if complete[m] else None for m in months]) for k in CHART_KEYS]
    rows = [[m, f"{totals[m][0]}/{len(county.townships)}", _state(totals[m][0], complete[m]),
             *((value(next(i for i in totals[m][1] if i.key == k)) if complete[m] else "—") for k in TREND_KEYS)]
            for m in months]
    several = {township: found for township, found in county.history.items()
               if len({s.as_of.strftime("%Y-%m") for s in found}) > 1}
    each = [[name(township), *(_month_value(found, m) for m in months)] for township, found in several.items()]
    shown = sum(complete.values())
    body = f"""
最近 {len(months)} 个月每月的全县合计（各乡镇当月最后一份汇总的分子、分母相加）。只有全部 {len(county.townships)} 个乡镇
（即“乡镇指标”页上的乡镇）当月都报送了汇总的月份才算全县合计、画进折线：少了乡镇的合计和别的月份不可比，标“不完整”，不画；
没有任何汇总的月份标“未报送”，在图上留空。统计周期“{county.period_name}”：每个月的数字都是统计期开始到当月统计截止日期的累计。

## 全县合计 {{#county}}

{line_chart("county-trend", "每月全县合计（%，只画各乡镇都报送的月份）", months, series, gaps=True)
 if shown else "没有全部乡镇都报送的月份，不画折线。"}
{table(["月份", "报送乡镇数", "全县合计", *(BY_KEY[k].name for k in TREND_KEYS)], rows)}

## 各乡镇的规范管理率 {{#townships}}

给出了两个月以上汇总的乡镇（{len(several)} 个），每月的规范管理率（分子/分母）。

{table(["乡镇", *months], each, cls="jf-table jf-county-months", fold=False)}
"""
    return page("趋势", body, toc=True)


def _state(sent: int, complete: bool) -> str:
    return "完整" if complete else "未报送" if not sent else "不完整（不画）"


def _rate(items, key: str) -> float | None:
    return next(i for i in items if i.key == key).value


def _month_value(found, month: str) -> Raw | str:
    """The month's 规范管理率 over numerator/denominator: two short lines, so that twelve months fit a laptop."""
    chosen = [s for s in found if s.as_of.strftime("%Y-%m") == month]
    if not chosen:
        return "—"
    f = chosen[-1].indicators["standard_management_rate"]
    return Raw(f"{f.numerator / f.denominator * 100:.1f}%<br>{f.numerator}/{f.denominator}") if f.denominator else "—"


def render_notice(county: County) -> Page:
    e = html.escape
    below = county.below_target
    place = county.name or "本县（区）"
    headline = "，".join(f"{county.total(k).name} {value(county.total(k))}（{fraction(county.total(k))}）"
                         for k in HEADLINE_KEYS)
    registered = county.counts["registered"]
    if below:
        rows = [(t.name, t.summary.as_of.isoformat() + (f"（{STALE}）" if t.stale else ""),
                 "；".join(f"{i.name} {value(i)}（目标 {target_text(i)}）" for i in t.unmet)) for t in below]
        found = (f"<p>{e(targets_line(county, document=True))}按此目标，以下 {len(below)} 个乡镇（街道）有指标未达标：</p>"
                 + table(["乡镇（街道）", "统计截止日期", "未达标的指标（数值，目标）"], rows, cls="jf-form").strip()
                 + "<p>请以上乡镇（街道）对照未达标的指标查找原因，抓紧整改，并在下次报送汇总时说明整改情况。</p>")
    else:
        found = f"<p>{e(targets_line(county, document=True))}各乡镇（街道）的指标均达到目标，请继续保持。</p>"
    day = county.newest
    document = (
        f'<section class="jf-doc jf-doc-county">'
        f'<h2 class="jf-doc-title">{e(NOTICE_TITLE)}</h2>'
        f"<p>各乡镇（街道）：</p>"
        f"<p>根据 {len(county.townships)} 个乡镇（街道）报送的严重精神障碍患者服务管理汇总（统计周期“{e(county.period_name)}”，"
        f"最新统计截止日期 {day.year} 年 {day.month} 月 {day.day} 日），{e(place)}在册患者 {registered} 人，{e(headline)}。</p>"
        f"{found}"
        f'<p class="jf-right">{e(place)}严重精神障碍患者服务管理工作领导小组办公室</p>'
        f'<p class="jf-right">{day.year} 年 {day.month} 月 {day.day} 日</p>'
        "</section>"
    )
    body = f"{print_button('打印通报')}\n\n{document}\n"
    return page("通报", body, heading=NOTICE_TITLE)
