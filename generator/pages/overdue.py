"""逾期清单: one page per list, grouped by village, most overdue first, with the group leader's phone."""

from __future__ import annotations

from collections import defaultdict

from ..rules import LIST_TITLES, OverdueItem
from ..values import mask_phone
from ..views import View
from .html import Raw, a, page, print_button, table, text

ABOUT = {
    "followup_overdue": "在家居住的患者，最近一次随访约定的下次随访日期（未约定时按病情分类的随访间隔）已过。",
    "assessment_overdue": "在家居住的患者，距最近一次危险性评估已超过病情分类对应的评估间隔。",
    "health_check_overdue": "在家居住的患者，距最近一次健康体检已超过体检间隔。",
    "high_risk_at_home": "当前危险性达到高风险等级、仍在家居住的患者：原则上应住院治疗，需要作出决定。",
    "high_risk_visit_overdue": "在家居住的高风险患者，距最近一次面访已超过高风险居家面访间隔。",
    "discharge_followup_overdue": "出院后超过规定天数仍没有随访的在家居住患者。",
    "guardian_agreement_missing": "在家居住、没有有效监护协议的患者。",
    "reward_agreement_expired": "签过以奖代补协议、但目前没有一份在有效期内的在家居住患者。",
    "free_medication_consent_missing": "享受免费服药、但没有签免费服药告知书的患者。",
    "police_db_missing": "高风险但“已录入公安库”不是“是”的患者。",
    "missing": "在管状态为下落不明或外出务工的患者。",
    "cross_village": "户籍村社区与现住村社区不同、需要通报户籍地的患者。",
    "diagnosis_pending": "诊断为“待诊断”的人员。",
    "too_few_visitors": "一年内随访人员少于“随访最少人数”的面访。",
    "group_meeting_overdue": "距最近一次小组会议（没有会议时从成立日期算起）已超过会议间隔的帮扶小组。",
}


def render_overdue(view: View) -> dict[str, str]:
    here = "overdue/index.md"
    rows = [(Raw(a(here, f"overdue/{key}.md", LIST_TITLES[key])), len(items), ABOUT[key]) for key, items in view.lists.items()]
    pages = {here: page("逾期清单", f"统计截止日期 {view.as_of.isoformat()}。到期当天不算逾期。" + table(["清单", "数量", "说明"], rows))}
    for key, items in view.lists.items():
        pages[f"overdue/{key}.md"] = render_list(view, key, items)
    return pages


def render_list(view: View, key: str, items: list[OverdueItem]) -> str:
    here = f"overdue/{key}.md"
    if key == "group_meeting_overdue":
        body = _group_rows(view, here, items)
    else:
        by_village: dict[str, list[OverdueItem]] = defaultdict(list)
        for item in items:
            by_village[view.patients[item.id].village].append(item)
        order = [v for v in view.village_codes if v in by_village]
        body = "".join(f"\n\n## {text(village)}（{len(by_village[village])}）\n\n" + patient_rows(view, here, key, by_village[village])
                       for village in order)
    intro = f"{ABOUT[key]}\n\n统计截止日期 {view.as_of.isoformat()}，共 {len(items)} 项。"
    return page(f"逾期清单 · {LIST_TITLES[key]}", intro + print_button() + (body if items else "\n\n没有需要处理的事项。"))


def patient_rows(view: View, here: str, key: str, items: list[OverdueItem]) -> str:
    headers = ["编号", "姓名", "在管状态"] + (["随访日期"] if key == "too_few_visitors" else ["应办日期", "逾期天数"]) + \
        ["帮扶小组", "组长及电话", "监护人电话"]
    rows = []
    for item in items:
        p = view.patients[item.id]
        g = view.groups.get(p.group_id or "")
        when = [item.date] if key == "too_few_visitors" else [item.due or "", item.days_overdue if item.days_overdue else ""]
        rows.append([Raw(a(here, f"patients/{p.patient_id}.md", p.patient_id)), p.name, p.status, *when,
                     Raw(a(here, f"groups/{g.group_id}.md", g.group_id)) if g else "",
                     f"{g.leader} {view.phone_of(g.leader)}" if g else "", mask_phone(p.guardian_phone)])
    return table(headers, rows)


def _group_rows(view: View, here: str, items: list[OverdueItem]) -> str:
    rows = []
    for item in items:
        g = view.groups[item.id]
        rows.append((Raw(a(here, f"groups/{g.group_id}.md", g.group_id)), g.name, g.village,
                     f"{g.leader} {view.phone_of(g.leader)}", item.due or "从未开会", item.days_overdue or ""))
    return "\n\n" + table(["小组", "名称", "村社区", "组长及电话", "应开会日期", "逾期天数"], rows)
