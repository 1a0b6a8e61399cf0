"""首页: the status cards, the meeting table, every list with its count, the indicators (township and per village)."""

from __future__ import annotations

from generator.contract.lists import BY_KEY, DEPARTMENTS
from generator.present.views import View
from generator.present.pages import paths
from generator.derive.urgency import todo_order
from generator.present.pages.html import Page, Raw, a, badge, page, table, text
from generator.present.pages.overdue import FINDINGS, ORDER_NOTE, quiet_note, render_errands
from generator.present.pages.meeting import (counts_line, indicator_table, render_cards, render_meeting_table,
                                             render_village_counts, render_village_indicators)

HERE = paths.HOME


def render_home(view: View) -> dict[str, Page]:
    s = view.data.settings
    body = f"""
**{text(s.county or "")}{text(s.township)}** 严重精神障碍患者服务管理台账

数据截至 **{view.as_of.isoformat()}**，网站生成于 {view.built_at:%Y-%m-%d %H:%M}。

## 本周要办 {{#errands}}

{render_errands(view, HERE, view.lists, paths.OVERDUE)}

## 全乡镇人数

{render_cards(view)}

**{a(HERE, paths.WEEK, "本周应访")}**：精防医生本周要访视或打电话的患者，按村社区和按精防医生，附监护人电话。

## 各村社区

{render_village_counts(view, HERE)}

### 各村社区待办

{render_meeting_table(view, HERE)}

## 待办清单

各部门要办的事：{" · ".join(a(HERE, paths.department(d.slug), d.title) for d in DEPARTMENTS)}

只列有事项的清单，{ORDER_NOTE}{quiet_note(view.lists)}

{_todo(view)}

### {FINDINGS}

已经过去、现在无法补办的情况，供核查台账和改进工作，不是待办事项。

{_plain(view, "finding")}

## 底册台账

备查的底册，不是待办事项。

{_plain(view, "register")}

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


def _todo(view: View) -> str:
    """The to-do lists that have items, most urgent first, with how many concern high-risk patients and the most
    days late."""
    rows = []
    for key in todo_order(view.lists, view.states):
        items = view.lists[key]
        high = sum(BY_KEY[key].subject == "patient" and view.states[i.id].high for i in items)
        worst = max(items, key=lambda i: i.days_overdue or 0)
        late = (BY_KEY[key].never if worst.never and BY_KEY[key].never else f"{worst.days_overdue} 天"
                if worst.days_overdue else "")
        rows.append((Raw(a(HERE, paths.overdue_list(key), BY_KEY[key].title)), len(items),
                     badge(f"高风险 {high} 人", "late") if high else "", late))
    return table(["清单", "条数", "涉及高风险", "最久逾期"], rows) if rows else "全乡镇没有待办事项。"


def _plain(view: View, kind: str) -> str:
    """The registers (all, each with its count) or the findings that have items."""
    keys = [k for k in view.lists if BY_KEY[k].kind == kind and (kind == "register" or view.lists[k])]
    return table(["清单", "条数"], [(Raw(a(HERE, paths.overdue_list(k), BY_KEY[k].title)), len(view.lists[k]))
                                  for k in keys]) if keys else "没有。"
