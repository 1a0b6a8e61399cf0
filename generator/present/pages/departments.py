"""部门: one page per department (派出所, 卫生院, 民政办/残联) with the lists it acts on, and the facts it needs."""

from __future__ import annotations

from datetime import timedelta

from generator.contract.access import department_level
from generator.contract.lists import BY_KEY, DEPARTMENTS, Department
from generator.present.views import View
from generator.contract.vocab import AGREEMENT_KINDS, POOR
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, page, print_button, table
from generator.present.pages.monthly import monthly_link, report_title
from generator.present.pages.meeting import indicator_table
from generator.present.pages.overdue import item_table

# the township's indicators each department answers for (keys of contract.indicators), shown on its page
DEPARTMENT_INDICATORS: dict[str, tuple[str, ...]] = {
    "police": ("incident_rate",),
    "health": ("management_rate", "standard_management_rate", "face_visit_rate", "medication_rate",
               "regular_medication_rate", "stable_rate", "free_medication_share", "consent_signed_rate",
               "health_check_rate"),
    "civil": ("free_medication_share", "reward_agreement_rate", "guardian_agreement_rate"),
}
RECENT_DAYS = 365  # incidents shown to the police: this many days back from the as-of date


def render_departments(view: View) -> dict[str, Page]:
    here = paths.DEPARTMENTS
    rows = [(Raw(a(here, paths.department(d.slug), d.title)), sum(len(view.lists[key]) for key in d.lists), d.about,
             monthly_link(here, d, view)) for d in DEPARTMENTS]
    intro = f"各部门要办的事，每个部门一页。{a(here, paths.MONTHLY, report_title(view))}：每个部门一份，可一起打印。"
    pages = {here: page("部门", intro + table(["部门", "事项", "包括", "月度通报"], rows))}
    for d in DEPARTMENTS:
        pages[paths.department(d.slug)] = render_department(view, d)
    return pages


def render_department(view: View, d: Department) -> Page:
    here = paths.department(d.slug)
    parts = [f"{d.about}\n\n统计截止日期 {view.as_of.isoformat()}。本部门的{monthly_link(here, d, view)}。" + print_button()]
    if d.slug == "health":  # the doctors' week plan, whom to visit or call
        parts.append(f"**{a(here, paths.WEEK, '本周应访')}**：按村社区和按精防医生，逾期最久的在前，附监护人电话。")
    for key in d.lists:
        spec, items = BY_KEY[key], view.lists[key]
        parts.append(f"## {spec.title}（{len(items)}）\n\n{spec.about}\n\n"
                     + (item_table(view, here, spec, items) if items else "没有。"))
    parts += EXTRA.get(d.slug, lambda view, here: [])(view, here)
    if d.slug in DEPARTMENT_INDICATORS:
        parts.append("## 相关工作指标\n\n全乡镇的数字，与首页相同。\n\n"
                     + indicator_table(view.indicators, DEPARTMENT_INDICATORS[d.slug]))
    return page(f"部门 · {d.title}", "\n\n".join(parts), owner=department_level(d.slug))


def _incidents(view: View, here: str) -> list[str]:
    since = view.as_of - timedelta(days=RECENT_DAYS)
    rows = [(Raw(a(here, paths.patient(x.patient_id), x.patient_id)), x.happened, x.kind, x.risk, x.police_told,
             x.handling) for x in sorted(view.data.incidents, key=lambda x: x.happened, reverse=True)
            if since < x.happened <= view.as_of]
    table_ = table(["患者", "日期", "类型", "危险性", "已报告派出所", "处置"], rows) if rows else "没有。"
    return [f"## 近一年的事件（{len(rows)}）\n\n{table_}"]


def _support(view: View, here: str) -> list[str]:
    reward = AGREEMENT_KINDS["reward"]
    voided = {i.id for i in view.lists["reward_voided"]}
    rows = []
    for p in view.data.patients:
        if p.closed or p.economy not in POOR:
            continue
        rewards = [g for g in (view.histories.get(p.patient_id).agreements if p.patient_id in view.histories else [])
                   if g.kind == reward]
        status = "本年度不予奖励" if p.patient_id in voided else f"已签（{rewards[-1].signed.isoformat()}）" if rewards else "未签"
        rows.append((Raw(a(here, paths.patient(p.patient_id), p.patient_id)), p.name, p.village, p.economy,
                     p.disability_card, p.free_medication, status))
    table_ = table(["患者", "姓名", "村社区", "经济状况", "精神残疾证", "免费服药", "以奖代补"], rows) if rows else "没有。"
    return [f"## 低保、特困、低收入患者（{len(rows)}）\n\n{table_}"]


EXTRA = {"police": _incidents, "civil": _support}
