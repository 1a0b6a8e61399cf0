"""村社区: a hub per village (its roster, groups, every overdue list of its own, agreements).

With village passwords (access levels) a village's staff can open exactly these pages and the records they link to.
"""

from __future__ import annotations

from generator.derive.indicators import Census
from generator.contract.lists import BY_KEY, DEPARTMENTS
from generator.contract.vocab import AT_HOME
from generator.present.views import View
from generator.present.pages import paths
from generator.contract.documents import DOCUMENTS
from generator.present.pages.html import Page, Raw, a, href, page, print_button, table
from generator.present.pages.meeting import counts_line, indicator_table, village_censuses
from generator.derive.registry import OverdueItem
from generator.derive.urgency import todo_order
from generator.present.pages.overdue import FINDINGS, ORDER_NOTE, item_table, nonempty, quiet_note, render_errands
from generator.present.pages.week import week_plan


def render_villages(view: View) -> dict[str, Page]:
    here = paths.VILLAGES
    plan, censuses = week_plan(view), village_censuses(view)
    links = "\n".join(f"- {a(here, paths.village(code), name)}" for name, code in view.village_codes.items())
    departments = "、".join(a(here, paths.department(d.slug), d.title) for d in DEPARTMENTS)
    # every password opens this page (the way in for village staff): names and links only, no village's numbers
    pages = {here: page("村社区", "每个村社区一页：本村的花名册、帮扶小组、本周应访、待办清单、底册台账、指标和协议打印。"
                        "各村社区的人数和待办见首页。\n\n" + links + f"\n\n部门工作人员（用本部门密码）：{departments}")}
    for name, code in view.village_codes.items():
        mine = view.items_of_village(name)
        todo = sum(len(items) for key, items in mine.items() if BY_KEY[key].kind == "todo")
        registered = sum(len(items) for key, items in mine.items() if BY_KEY[key].register)
        week = sum(c.patient.village == name for c in plan)
        pages[paths.village(code)] = render_village(view, name, code, todo, registered, week, censuses[name], mine)
        pages[paths.village_lists(code)] = render_village_lists(view, name, code, mine)
    return pages


def render_village(view: View, name: str, code: str, overdue: int, registered: int, week: int, c: Census,
                   mine: dict[str, list[OverdueItem]]) -> Page:
    here = paths.village(code)
    groups = [g for g in view.data.groups if g.village == name]
    docs = [a(here, paths.batch(code, kind), title) for kind, title in DOCUMENTS.items()
            if any(p.village == name and kind in view.states[p.patient_id].documents for p in view.data.patients)]
    body = f"""
## 本周要办 {{#errands}}

{render_errands(view, here, mine, paths.village_lists(code), village_column=False)}

## 本村概况

在册 {c.registered} 人（其中在家居住 {c.by_status[AT_HOME]} 人），高风险 {c.high} 人（按现住村社区计）。

- {a(here, paths.village_roster(code), "本村花名册")}（{sum(p.village == name for p in view.data.patients)} 人）
- {a(here, paths.week_village(code), "本周应访")}（{week} 人，附监护人电话）
- {a(here, paths.village_lists(code), "本村待办清单")}（{overdue} 项）
- <a href="{href(here, paths.village_lists(code))}#registers">本村底册台账</a>（{registered} 条）
- 协议批量打印：{"、".join(docs) or "无"}

## 帮扶小组

{table(["小组", "名称", "组长"], [(Raw(a(here, paths.group(g.group_id), g.group_id)), g.name, g.leader) for g in groups])
 if groups else "没有帮扶小组。"}

## 工作指标

{_indicators(view, name)}
"""
    return page(f"村社区 {code}", body, heading=f"村社区 · {name}", owner=code)


def _indicators(view: View, name: str) -> str:
    """The village's own indicators (现住村社区), without 报告患病率 (no village population in the workbook)."""
    if name not in view.village_indicators:
        return "本村没有患者。"
    mine = view.village_indicators[name]
    return (f"本村（按现住村社区）的患者：{counts_line(mine)}各村社区没有常住人口数，不计报告患病率。\n\n"
            + indicator_table(mine))


def render_village_lists(view: View, name: str, code: str, mine: dict[str, list[OverdueItem]]) -> Page:
    """The village's to-do lists that have items, most urgent first; then its findings and its registers, under their
    own headings (an empty list is left out: a printed 待办 is what there is to do)."""
    here = paths.village_lists(code)

    def sections(keys: list[str]) -> str:
        return "".join(f"\n\n### {BY_KEY[key].title}（{len(mine[key])}） {{#{key}}}\n\n"  # the meeting table links here
                       + item_table(view, here, BY_KEY[key], mine[key], village_column=False) for key in keys)

    todo = todo_order(mine, view.states)
    body = (f"统计截止日期 {view.as_of.isoformat()}。" + print_button()
            + f"\n\n## 待办清单 {{#todo}}\n\n需要办理的事项。只列有事项的清单，{ORDER_NOTE}{quiet_note(mine)}"
            + (sections(todo) or "\n\n本村没有待办事项。")
            + f"\n\n## {FINDINGS} {{#findings}}\n\n已经过去、现在无法补办的情况，供核查台账和改进工作，不是待办事项。"
            + (sections(nonempty(mine, "finding")) or "没有。")
            + f"\n\n## 底册台账 {{#registers}}\n\n备查的底册，不是待办事项（打印本页时不打印底册，底册在各底册页打印）。"
            + (sections(nonempty(mine, "register")) or "本村没有列入底册的人。"))
    return page(f"待办清单 · {code}", body, heading=f"待办清单与底册 · {name}", owner=code)
