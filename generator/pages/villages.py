"""村社区: a hub per village (its roster, groups, every overdue list of its own, agreements).

With village passwords (access levels) a village's staff can open exactly these pages and the records they link to.
"""

from __future__ import annotations

from ..lists import BY_KEY, DEPARTMENTS
from ..views import View
from . import paths
from .agreements import DOCUMENTS
from .html import Page, Raw, a, page, print_button, table
from .overdue import item_table


def render_villages(view: View) -> dict[str, Page]:
    here = paths.VILLAGES
    links = "\n".join(f"- {a(here, paths.village(code), name)}" for name, code in view.village_codes.items())
    departments = "、".join(a(here, paths.department(d.slug), d.title) for d in DEPARTMENTS)
    pages = {here: page("村社区", "每个村社区一页：本村的花名册、帮扶小组、逾期清单和协议打印。\n\n" + links
                        + f"\n\n部门工作人员（用本部门密码）：{departments}")}
    for name, code in view.village_codes.items():
        mine = view.items_of_village(name)
        todo = sum(len(items) for key, items in mine.items() if not BY_KEY[key].register)
        pages[paths.village(code)] = render_village(view, name, code, todo)
        pages[paths.village_lists(code)] = render_village_lists(view, name, code, mine)
    return pages


def render_village(view: View, name: str, code: str, overdue: int) -> Page:
    here = paths.village(code)
    groups = [g for g in view.data.groups if g.village == name]
    docs = [a(here, paths.batch(code, kind), title) for kind, title in DOCUMENTS.items()
            if any(p.village == name and kind in view.states[p.patient_id].documents for p in view.data.patients)]
    body = f"""
- {a(here, paths.village_roster(code), "本村花名册")}（{sum(p.village == name for p in view.data.patients)} 人）
- {a(here, paths.village_lists(code), "本村逾期清单")}（{overdue} 项）
- 协议批量打印：{"、".join(docs) or "无"}

## 帮扶小组

{table(["小组", "名称", "组长"], [(Raw(a(here, paths.group(g.group_id), g.group_id)), g.name, g.leader) for g in groups])
 if groups else "没有帮扶小组。"}
"""
    return page(f"村社区 {code}", body, heading=f"村社区 · {name}")


def render_village_lists(view: View, name: str, code: str, mine: dict) -> Page:
    here = paths.village_lists(code)
    parts = []
    for key, items in mine.items():
        body = item_table(view, here, BY_KEY[key], items, village_column=False) if items else "没有。"
        parts.append(f"\n\n## {BY_KEY[key].title}（{len(items)}）\n\n" + body)
    body = f"统计截止日期 {view.as_of.isoformat()}。" + print_button() + "".join(parts)
    return page(f"逾期清单 · {code}", body, heading=f"逾期清单 · {name}")
