"""待办清单 and 底册台账: one page per list, grouped by village, most overdue first, with the group leader's phone.

How an item looks follows its list's spec (lists.py): what it is about (subject) and what it carries (shows).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

from generator.contract.lists import BY_KEY, ListSpec
from generator.derive.history import History
from generator.derive.registry import OverdueItem
from generator.derive.urgency import Errand, errands, todo_order
from generator.contract.patients import Patient
from generator.contract.values import mask_phone
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, a_to, badge, page, person_phone, print_button, table, text
from generator.present.wording import risk_label

TOWNSHIP_SECTION = "乡镇"


TODO_TAB, REGISTER_TAB, FINDING_TAB = "待办清单", "底册台账", "数据质量"  # the sections: to do, to consult, past facts
FINDINGS = "数据质量与既往情况"  # the heading of the findings (ListSpec.kind "finding") below the to-dos


def tab_of(spec: ListSpec) -> str:
    """The section a list belongs to: to-dos, registers (高风险患者底册) or findings about the past."""
    return {"todo": TODO_TAB, "register": REGISTER_TAB, "finding": FINDING_TAB}[spec.kind]


def render_overdue(view: View) -> dict[str, Page]:
    pages = {paths.OVERDUE: _todo_index(view), paths.REGISTERS: _register_index(view)}
    for key, items in view.lists.items():  # every list has its page, empty or not (the summaries list the others)
        pages[paths.overdue_list(key)] = render_list(view, BY_KEY[key], items)
    return pages


ORDER_NOTE = "有高风险患者的清单在前，其次是逾期最久的。"


def _rows(here: str, lists: dict[str, list[OverdueItem]], keys: list[str]) -> list[tuple]:
    return [(Raw(a(here, paths.overdue_list(key), BY_KEY[key].title)), len(lists[key]), BY_KEY[key].about)
            for key in keys]


def nonempty(lists: dict[str, list[OverdueItem]], kind: str) -> list[str]:
    """The lists of a kind that have items, in the catalogue's order."""
    return [key for key, items in lists.items() if items and BY_KEY[key].kind == kind]


def quiet_note(lists: dict[str, list[OverdueItem]]) -> str:
    """How many to-do lists are empty (not listed)."""
    quiet = sum(not items and BY_KEY[key].kind == "todo" for key, items in lists.items())
    return f"另有 {quiet} 个待办清单目前没有事项，未列出。" if quiet else ""


def register_line(here: str, lists: dict[str, list[OverdueItem]], keys: list[str]) -> str:
    """The registers that have entries, each linked with its count, ending the sentence that names them."""
    links = "、".join(f"{a(here, paths.overdue_list(k), BY_KEY[k].title)}（{len(lists[k])}）" for k in keys)
    return f"：{links}。" if links else "。"


def _todo_index(view: View) -> Page:
    here = paths.OVERDUE
    todo = todo_order(view.lists, view.states)
    findings, registers = nonempty(view.lists, "finding"), nonempty(view.lists, "register")
    body = (f"需要办理的事项，每个清单一页。统计截止日期 {view.as_of.isoformat()}，到期当天不算逾期。"
            f"只列有事项的清单，{ORDER_NOTE}{quiet_note(view.lists)}"
            + (table(["清单", "数量", "说明"], _rows(here, view.lists, todo)) if todo else "\n\n没有待办事项。\n\n")
            + f"\n\n## {FINDINGS} {{#findings}}\n\n已经过去、现在无法补办的情况，供核查台账和改进工作，不是待办事项。"
            + (table(["清单", "数量", "说明"], _rows(here, view.lists, findings)) if findings else "没有。")
            + f"\n\n## 底册台账 {{#registers}}\n\n备查的底册，不是待办事项，见{a(here, paths.REGISTERS, REGISTER_TAB)}"
            + register_line(here, view.lists, registers))
    return page(TODO_TAB, body)


def _register_index(view: View) -> Page:
    here = paths.REGISTERS
    keys = [key for key in view.lists if BY_KEY[key].register]
    return page(REGISTER_TAB, f"备查的底册，不是待办事项。统计截止日期 {view.as_of.isoformat()}。"
                + table(["清单", "数量", "说明"], _rows(here, view.lists, keys)))


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
    empty = {"register": "\n\n底册中没有人。", "finding": "\n\n没有。"}.get(spec.kind, "\n\n没有需要处理的事项。")
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


ERRANDS_SHOWN = 10  # 本周要办 shows the most urgent this many; the rest are on the lists


def render_errands(view: View, here: str, lists: dict[str, list[OverdueItem]], lists_page: str, *,
                   village_column: bool = True) -> str:
    """本周要办: the people (and groups, villages) with the most urgent to-dos, by name, each with what is to be done."""
    found = errands(lists, view.states)
    if not found:
        return "本周要办：没有待办事项。"
    rows = [_errand_row(view, here, e, village_column) for e in found[:ERRANDS_SHOWN]]
    rest = len(found) - len(rows)
    more = f"还有 {rest} 项，见{a(here, lists_page, '待办清单')}。" if rest else f"全部见{a(here, lists_page, '待办清单')}。"
    headers = ["编号", "姓名", *(["村社区"] if village_column else []), "要办的事", "紧急程度"]
    return (f"共 {len(found)} 项（按人、小组或村社区计），高风险患者在前，其次是逾期最久的。{more}"
            + table(headers, rows, cls="jf-table jf-errands"))


def _errand_row(view: View, here: str, e: Errand, village_column: bool) -> list:
    if e.subject == "patient":
        p = view.patients[e.id]
        first, name, village = Raw(a_to(here, paths.patient(p.patient_id), paths.STATE, p.patient_id)), p.name, p.village
    elif e.subject == "group":
        g = view.groups[e.id]
        first, name, village = Raw(a(here, paths.group(g.group_id), g.group_id)), g.name, g.village
    elif e.subject == "village":
        first, name, village = view.village_code(e.id), e.id, e.id
    else:
        first, name, village = "—", TOWNSHIP_SECTION, ""
    words = [badge("高风险", "late")] if e.high else []
    if e.worst:
        key, item = e.worst
        never = BY_KEY[key].never if item.never else ""
        words.append(badge(never or f"逾期 {e.days_overdue} 天", "late" if e.high or e.days_overdue else "warn"))
    elif e.due:
        ahead = (e.due - view.as_of).days
        words.append(badge("今天到期" if ahead == 0 else f"{ahead} 天后到期", "warn"))
    return [first, name, *([village] if village_column else []), "、".join(BY_KEY[k].title for k in e.keys),
            Raw(" ".join(words)) if words else "待办"]
