"""工作规则: the settings and intervals in force (基本设置, 随访规则), how the current class is derived, the indicators."""

from __future__ import annotations

from generator.contract.settings import Settings
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, page, table
from generator.present.wording import target_text


def render_guidelines(view: View) -> dict[str, Page]:
    """The 工作规则 page: the settings and intervals in force, how the class is derived, the indicators' definitions."""
    s = view.data.settings
    settings = table(["项目", "值", "说明"], [
        (f.alias, getattr(s, name), f.description) for name, f in Settings.model_fields.items()])
    intervals = table(["病情分类", "随访间隔天数", "评估间隔天数"], [(c, f, a) for c, (f, a) in view.data.intervals.items()])
    kpis = table(["指标", "定义", "单位", "目标", "目标的设置项目"],
                 [(i.name, i.definition, i.unit, target_text(i), i.spec.setting) for i in view.indicators])
    body = f"""
以下是生成本网站时台账“基本设置”和“随访规则”中的设置。

## 基本设置

{settings}

## 随访与评估间隔

{intervals}

当前病情分类取最近一次随访的病情分类；没有随访时按当前危险性推定（≥ 高风险等级为不稳定，≥ 1 级为基本稳定，0 级为稳定，
未知为不稳定）；当前危险性达到高风险等级时一律按“不稳定”管理。当前危险性取随访和危险性评估中日期最近的一条（同一天以评估为准）。

应随访日期取最近一次随访的“下次随访日期”（填了时）和“随访日期 + 当前病情分类的随访间隔”中较早的一天：随访间隔是上限，
约定的日期不能把随访推后；还没有随访时为纳入管理日期 + 随访间隔。当前危险性达到高风险等级或病情分类为“不稳定”的在家患者，
还要每“高风险居家面访间隔天数”至少面访（门诊、家庭访视）一次。

## 指标口径

按国家严重精神障碍信息系统的口径。统计期：{view.indicators.period.label}（基本设置“统计周期”：本年从 1 月 1 日起，
本季度从本季度第一天起，本月从本月 1 日起，近12个月为统计截止日期前 365 天，都到统计截止日期为止）。

- 在册：诊断为六类严重精神障碍之一（不含待诊断、其他）、纳入管理日期不晚于统计截止日期、未死亡或迁出的患者。
- 在管：在册且统计期内至少随访 1 次的患者（病情分类为“未访到”的记录不算随访）。
- 规范管理：从统计期开始日（纳入管理晚于它时为纳入管理日期）前最近一次随访（没有时为纳入管理日期）起，经统计期内各次随访，
  到统计截止日期止，相邻两个日期相隔都不超过 {s.max_followup_gap_days} 天（规范管理最大间隔天数）；统计期满 365 天且
  统计期开始前已纳入管理的患者，统计期内还须随访至少 4 次。
- 末次随访：统计期内最后一次随访（不含未访到）；没有时不计入需要它的分子。

{kpis}
"""
    return {paths.GUIDELINES: page("工作规则", body, toc=True)}
