"""趋势: the last 12 months (follow-ups done vs due, 规范管理率 and 面访率, new and lost patients) and each village's
follow-ups this month, as inline SVG charts with a data table under each."""

from __future__ import annotations

from generator.derive import trends
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.charts import bar_chart, hbar_chart, line_chart
from generator.present.pages.html import Page, Raw, a, page, table

HERE = paths.TRENDS


def _share(part: int, whole: int) -> str:
    return "—" if not whole else f"{part / whole * 100:.1f}%"


def render_trends(view: View) -> dict[str, Page]:
    found = trends.compute(view.data, view.histories, view.as_of)
    months = found.months
    labels = [m.label for m in months]
    gap = view.data.settings.max_followup_gap_days
    body = f"""
最近 12 个月，到统计截止日期 {view.as_of.isoformat()} 为止（最后一个月只算到这一天）。每张图下面的表格是图中的数字。
台账只记录患者现在的在管状态，所以“在家居住”按现在的状态计。{a(HERE, paths.GUIDELINES, "口径说明")}

## 随访：应随访与已随访

应随访：现在在家居住、这个月底前到了应随访日期的患者（按月初时的随访记录计算）；已随访：其中这个月内随访过的。

{bar_chart("fu", "每月应随访与已随访人数", labels, [("应随访", [m.due for m in months]), ("已随访", [m.done for m in months])])}
{table(["月份", "应随访", "已随访", "完成比例"], [(m.label, m.due, m.done, _share(m.done, m.due)) for m in months])}

## 规范管理率与面访率

按指标口径（见{a(HERE, paths.GUIDELINES, "口径说明")}），统计期取到每个月月底为止的近12个月（365 天）：规范管理 = 从统计期开始前最近一次随访起，
相邻两次随访（直到月底）相隔都不超过 {gap} 天，统计期开始前已纳入管理的还须期内随访至少 4 次；面访 = 统计期内至少面访
（门诊或家庭访视）1 次。分母是当时的在册患者（六类严重精神障碍、已纳入管理；死亡的算到死亡日期为止，迁出的不计）。
最后一个月的数字等于统计周期取“近12个月”时首页的规范管理率和面访率。

{line_chart("rate", "每月月底的规范管理率与面访率（%）", labels,
            [("规范管理率", [m.standard_rate for m in months]), ("面访率", [m.face_rate for m in months])])}
{table(["月份", "在册", "规范管理", "规范管理率", "面访", "面访率"],
       [(m.label, m.registered, m.standard, _share(m.standard, m.registered), m.faced, _share(m.faced, m.registered))
        for m in months])}

## 新纳入与失去管理

新纳入：纳入管理日期在这个月的人（含待诊断）。失去管理：只统计死亡（按死亡日期）；迁出、下落不明在台账中没有日期，
不按月统计，见{a(HERE, paths.ROSTER, "花名册")}。

{bar_chart("inout", "每月新纳入与死亡人数", labels, [("新纳入", [m.new for m in months]), ("死亡", [m.died for m in months])])}
{table(["月份", "新纳入", "死亡"], [(m.label, m.new, m.died) for m in months])}

## 各村社区本月随访

{months[-1].label}（到 {view.as_of.isoformat()}）各村社区的应随访与已随访人数。

{_villages(view, found.villages, months[-1].label)}
"""
    return {HERE: page("趋势", body, toc=True)}


def _villages(view: View, rows: list[trends.VillageMonth], label: str) -> str:
    if not rows:
        return "没有村社区。"
    chart = hbar_chart("vil", f"{label} 各村社区应随访与已随访人数", [r.village for r in rows],
                       [("应随访", [r.due for r in rows]), ("已随访", [r.done for r in rows])])
    return chart + table(["村社区", "应随访", "已随访", "完成比例"], [
        (Raw(a(HERE, paths.village(view.village_code(r.village)), r.village)) if r.village in view.village_codes
         else r.village, r.due, r.done, _share(r.done, r.due)) for r in rows])
