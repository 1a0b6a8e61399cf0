"""工作规则: the settings and intervals in force (基本设置, 随访规则), how the current class is derived, the indicators."""

from __future__ import annotations

from generator.contract.settings import Settings
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, page, table


def render_guidelines(view: View) -> dict[str, Page]:
    """The 工作规则 page: the settings and intervals in force, how the class is derived, the indicators' definitions."""
    s = view.data.settings
    settings = table(["项目", "值", "说明"], [
        (f.alias, getattr(s, name), f.description) for name, f in Settings.model_fields.items()])
    intervals = table(["病情分类", "随访间隔天数", "评估间隔天数"], [(c, f, a) for c, (f, a) in view.data.intervals.items()])
    kpis = table(["指标", "定义", "目标"], [(i.name, i.definition, "—" if i.target is None else f"≥ {i.target:g}{i.unit}")
                                       for i in view.indicators])
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

统计期为截至统计截止日期的 365 天。在册：诊断不是“待诊断”、且未死亡或迁出的患者；在管：在册且不是下落不明或外出务工的患者。

{kpis}
"""
    return {paths.GUIDELINES: page("工作规则", body, toc=True)}
