"""待办清单 and 底册台账: one page per list, grouped by village, most overdue first, with the group leader's phone.

How an item looks follows its list's spec (lists.py): what it is about (subject) and what it carries (shows).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

from generator.contract.lists import BY_KEY, ListSpec
from generator.derive.history import History
from generator.derive.registry import OverdueItem
from generator.contract.patients import Patient
from generator.contract.values import mask_phone
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, page, person_phone, print_button, table, text
from generator.present.wording import risk_label

TOWNSHIP_SECTION = "乡镇"


TODO_TAB, REGISTER_TAB = "待办清单", "底册台账"  # the two sections: things to do, and registers to consult


def tab_of(spec: ListSpec) -> str:
    """The section a list belongs to: a register (高风险患者底册) is consulted, the rest are things to do."""
    return REGISTER_TAB if spec.register else TODO_TAB


def render_overdue(view: View) -> dict[str, Page]:
    pages = {
        paths.OVERDUE: _index(view, paths.OVERDUE, TODO_TAB,
                              f"需要办理的事项，每个清单一页。统计截止日期 {view.as_of.isoformat()}，到期当天不算逾期。"
                              "高风险患者底册等台账见“底册台账”。"),
        paths.REGISTERS: _index(view, paths.REGISTERS, REGISTER_TAB,
                                f"备查的底册，不是待办事项。统计截止日期 {view.as_of.isoformat()}。"),
    }
    for key, items in view.lists.items():
        pages[paths.overdue_list(key)] = render_list(view, BY_KEY[key], items)
    return pages


def _index(view: View, here: str, tab: str, intro: str) -> Page:
    rows = [(Raw(a(here, paths.overdue_list(key), BY_KEY[key].title)), len(items), BY_KEY[key].about)
            for key, items in view.lists.items() if tab_of(BY_KEY[key]) == tab]
    return page(tab, intro + table(["清单", "数量", "说明"], rows))


def render_list(view: View, spec: ListSpec, items: list[OverdueItem]) -> Page:
    here = paths.overdue_list(spec.key)
    by_village: dict[str, list[OverdueItem]] = defaultdict(list)
    for item in items:
        for village in view.villages_of(spec, item) or [TOWNSHIP_SECTION]:
            by_village[village].append(item)
    order = [v for v in [*view.village_codes, TOWNSHIP_SECTION] if v in by_village]
    body = "".join(f"\n\n## {text(village)}（{len(by_village[village])}）\n\n" + item_table(view, here, spec, by_village[village])
                   for village in order)
    intro = f"{spec.about}\n\n统计截止日期 {view.as_of.isoformat()}，共 {len(items)} 项。"
    empty = "\n\n底册中没有人。" if spec.register else "\n\n没有需要处理的事项。"
    return page(f"{tab_of(spec)} · {spec.title}", intro + print_button() + (body if items else empty))


def item_table(view: View, here: str, spec: ListSpec, items: list[OverdueItem], *, village_column: bool = True) -> str:
    """The table of some items of one list, columns by what the items are about."""
    if spec.subject == "patient":
        return _patient_table(view, here, spec, items)
    if spec.subject == "group":
        return _group_table(view, here, spec, items, village_column)
    label = "村社区" if spec.subject == "village" else "乡镇"
    return table([label, *spec.when_headers()], [(item.id, *spec.when_words(item)) for item in items])


def _last_notice(view: View, p: Patient) -> str:
    notices = (view.histories.get(p.patient_id) or History()).notices
    return f"{notices[-1].sent.isoformat()} {notices[-1].kind}" if notices else "无"


# facts a list's spec may ask to show beside its items (ListSpec.facts): header and cell
FACTS: dict[str, tuple[str, Callable[[View, Patient], Any]]] = {
    "risk": ("当前危险性", lambda view, p: risk_label(view.states[p.patient_id].risk)),
    "last_face_visit": ("末次面访", lambda view, p: view.states[p.patient_id].last_face_visit or "从未面访"),
    "last_notice": ("末次通报", _last_notice),
}


def _patient_table(view: View, here: str, spec: ListSpec, items: list[OverdueItem]) -> str:
    rows = []
    for item in items:
        p = view.patients[item.id]
        g = view.groups.get(p.group_id or "")
        rows.append([Raw(a(here, paths.patient(p.patient_id), p.patient_id)), p.name, p.status, *spec.when_words(item),
                     *(FACTS[fact][1](view, p) for fact in spec.facts),
                     Raw(a(here, paths.group(g.group_id), g.group_id)) if g else "",
                     person_phone(g.leader, view.phone_of(g.leader)) if g else "", mask_phone(p.guardian_phone)])
    facts = [FACTS[fact][0] for fact in spec.facts]
    return table(["编号", "姓名", "在管状态", *spec.when_headers(), *facts, "帮扶小组", "组长及电话", "监护人电话"], rows)


def _group_table(view: View, here: str, spec: ListSpec, items: list[OverdueItem], village_column: bool) -> str:
    rows = []
    for item in items:
        g = view.groups[item.id]
        rows.append([Raw(a(here, paths.group(g.group_id), g.group_id)), g.name]
                    + ([g.village, person_phone(g.leader, view.phone_of(g.leader))] if village_column else [])
                    + spec.when_words(item))
    headers = ["小组", "名称"] + (["村社区", "组长及电话"] if village_column else []) + spec.when_headers()
    return table(headers, rows)
