"""领导小组与通讯录, 工作规则 (the intervals and thresholds in force), 数据质量 (every warning with its cell)."""

from __future__ import annotations

from generator.contract.schema import Settings
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, page, phone, table


def render_leaders(view: View) -> dict[str, Page]:
    leaders = table(["姓名", "小组职务", "分工", "单位", "电话"], [
        (m.name, m.role, m.duty, view.staff[m.name].unit if m.name in view.staff else "", phone(view.phone_of(m.name)))
        for m in view.data.leaders])
    staff = table(["姓名", "单位", "职务", "手机号"], [(s.name, s.unit, s.title, phone(s.phone)) for s in view.data.staff])
    villages = table(["村社区", "类型", "负责人", "电话"], [(v.name, v.kind, v.head, phone(v.head_phone)) for v in view.data.villages])
    body = f"## 领导小组\n\n{leaders}\n\n## 通讯录\n\n{staff}\n\n## 村社区负责人\n\n{villages}"
    return {paths.LEADERS: page("领导小组与通讯录", body, toc=True)}


def render_rules(view: View) -> dict[str, Page]:
    s = view.data.settings
    settings = table(["项目", "值", "说明"], [
        (f.alias, getattr(s, name), f.description) for name, f in Settings.model_fields.items()])
    intervals = table(["病情分类", "随访间隔天数", "评估间隔天数"], [(c, f, a) for c, (f, a) in view.data.rules.items()])
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

## 指标口径

统计期为截至统计截止日期的 365 天。在册：诊断不是“待诊断”、且未死亡或迁出的患者；在管：在册且不是下落不明或外出务工的患者。

{kpis}
"""
    return {paths.RULES: page("工作规则", body, toc=True)}


def render_quality(view: View) -> dict[str, Page]:
    warnings = view.report.warnings
    rows = [(p.sheet, p.cell or "", p.column or "", p.value or "", p.message) for p in warnings]
    body = (f"台账共有 {len(warnings)} 条警告。警告不影响生成网站，但请在台账中核实。"
            + (table(["工作表", "单元格", "列", "值", "问题"], rows, cls="jf-table jf-sortable") if rows else "\n\n没有警告。"))
    return {paths.QUALITY: page("数据质量", body)}
