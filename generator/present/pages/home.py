"""首页: the status cards, the meeting table, every list with its count, the indicators (township and per village)."""

from __future__ import annotations

from generator.contract.lists import BY_KEY, DEPARTMENTS
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, badge, page, table, text
from generator.present.pages.meeting import (counts_line, indicator_table, render_cards, render_meeting_table,
                                             render_village_counts, render_village_indicators)

HERE = paths.HOME


def render_home(view: View) -> dict[str, Page]:
    s = view.data.settings
    body = f"""
**{text(s.county or "")}{text(s.township)}** 严重精神障碍患者服务管理台账

数据截至 **{view.as_of.isoformat()}**，网站生成于 {view.built_at:%Y-%m-%d %H:%M}。

{render_cards(view)}

**{a(HERE, paths.WEEK, "本周应访")}**：精防医生本周要访视或打电话的患者，按村社区和按精防医生，附监护人电话。

## 各村社区

{render_village_counts(view, HERE)}

### 各村社区待办

{render_meeting_table(view, HERE)}

## 待办清单

各部门要办的事：{" · ".join(a(HERE, paths.department(d.slug), d.title) for d in DEPARTMENTS)}

{_lists(view, register=False)}

## 底册台账

备查的底册，不是待办事项。

{_lists(view, register=True)}

## 工作指标

按国家严重精神障碍信息系统的口径计算（统计期由基本设置“统计周期”决定，目标值由“指标名称＋目标”的设置决定），
{a(HERE, paths.GUIDELINES, "口径说明")}。{counts_line(view.indicators)}

最近 12 个月的变化见 {a(HERE, paths.TRENDS, "趋势")}；与上次生成网站相比的变化见 {a(HERE, paths.CHANGES, "变化")}。

{indicator_table(view.indicators)}

### 各村社区

{render_village_indicators(view)}

## 数据质量

台账有 {len(view.report.warnings)} 条警告（不影响生成网站），见 {a(HERE, paths.QUALITY, "数据质量")}。
"""
    return {HERE: page("首页", body)}


def _lists(view: View, *, register: bool) -> str:
    """The to-do lists (a badge says whether anything is to be done) or the registers, each with its count."""
    return table(["清单", "条数", ""], [
        (Raw(a(HERE, paths.overdue_list(key), BY_KEY[key].title)), len(items),
         badge("底册", "info") if register else badge("需处理", "late") if items else badge("无", "ok"))
        for key, items in view.lists.items() if BY_KEY[key].register == register
    ])

