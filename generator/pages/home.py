"""首页: counts, every overdue list with its count, the indicators against their targets."""

from __future__ import annotations

from ..indicators import managed, registered
from ..lists import BY_KEY, DEPARTMENTS
from ..views import View
from ..vocab import AT_HOME, IN_HOSPITAL, MISSING_STATUSES, PENDING_DIAGNOSIS
from . import paths
from .html import Page, Raw, a, badge, page, table, text

HERE = paths.HOME


def render_home(view: View) -> dict[str, Page]:
    s = view.data.settings
    body = f"""
**{text(s.county or "")}{text(s.township)}** 严重精神障碍患者服务管理台账

数据截至 **{view.as_of.isoformat()}**，网站生成于 {view.built_at:%Y-%m-%d %H:%M}。

<div class="jf-cards">{_cards(view)}</div>

## 逾期与待办

各部门要办的事：{" · ".join(a(HERE, paths.department(d.slug), d.title) for d in DEPARTMENTS)}

{_lists(view)}

## 工作指标

统计期为截至 {view.as_of.isoformat()} 的 365 天。{a(HERE, paths.RULES, "口径说明")}

最近 12 个月的变化见 {a(HERE, paths.TRENDS, "趋势")}；与上次生成网站相比的变化见 {a(HERE, paths.CHANGES, "变化")}。

{_indicators(view)}

## 数据质量

台账有 {len(view.report.warnings)} 条警告（不影响生成网站），见 {a(HERE, paths.QUALITY, "数据质量")}。
"""
    return {HERE: page("首页", body)}


def _cards(view: View) -> str:
    patients = view.data.patients
    counts = [
        ("在册", sum(registered(p) for p in patients)),
        ("在管", sum(managed(p) for p in patients)),
        ("在家居住", sum(p.status == AT_HOME for p in patients)),
        ("住院", sum(p.status == IN_HOSPITAL for p in patients)),
        ("失访/下落不明", sum(p.status in MISSING_STATUSES for p in patients)),
        ("高风险", sum(1 for p in patients if not p.closed and view.states[p.patient_id].high)),
        ("待诊断", sum(p.diagnosis == PENDING_DIAGNOSIS and not p.closed for p in patients)),
    ]
    return "".join(f'<div class="jf-card"><div class="jf-num">{n}</div><div>{label}</div></div>' for label, n in counts)


def _lists(view: View) -> str:
    return table(["清单", "人数", ""], [
        (Raw(a(HERE, paths.overdue_list(key), BY_KEY[key].title)), len(items),
         badge("底册", "info") if BY_KEY[key].register else badge("需处理", "late") if items else badge("无", "ok"))
        for key, items in view.lists.items()
    ])


def _indicators(view: View) -> str:
    return table(["指标", "定义", "分子/分母", "数值", "目标", "达标"], [
        (i.name, i.definition, f"{i.numerator}/{i.denominator}",
         "—" if i.value is None else f"{i.value:.1f}{i.unit}",
         "—" if i.target is None else f"≥ {i.target:g}{i.unit}",
         badge("—", "info") if i.met is None else badge("达标", "ok") if i.met else badge("未达标", "late"))
        for i in view.indicators
    ])
