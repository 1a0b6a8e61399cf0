"""村社区: a hub per village (its roster, groups, every overdue list of its own, agreements).

With village passwords (access levels) a village's staff can open exactly these pages and the records they link to.
"""

from __future__ import annotations

from ..rules import LIST_TITLES
from ..views import View
from .agreements import DOCUMENTS, wanted
from .html import Raw, a, page, print_button, table
from .overdue import patient_rows


def render_villages(view: View) -> dict[str, str]:
    here = "villages/index.md"
    links = "\n".join(f"- {a(here, f'villages/{code}.md', name)}" for name, code in view.village_codes.items())
    pages = {here: page("村社区", "每个村社区一页：本村的花名册、帮扶小组、逾期清单和协议打印。\n\n" + links)}
    for name, code in view.village_codes.items():
        pages[f"villages/{code}.md"] = render_village(view, name, code)
        pages[f"overdue/{code}.md"] = render_village_lists(view, name, code)
    return pages


def render_village(view: View, name: str, code: str) -> str:
    here = f"villages/{code}.md"
    groups = [g for g in view.data.groups if g.village == name]
    counts = {key: sum(1 for i in items if key != "group_meeting_overdue" and view.patients[i.id].village == name
                       or key == "group_meeting_overdue" and view.groups[i.id].village == name)
              for key, items in view.lists.items()}
    docs = [f"{a(here, f'agreements/{code}-{kind}.md', title)}" for kind, title in DOCUMENTS.items()
            if any(p.village == name and wanted(p, kind) for p in view.data.patients)]
    body = f"""
- {a(here, f"roster/{code}.md", "本村花名册")}（{sum(p.village == name for p in view.data.patients)} 人）
- {a(here, f"overdue/{code}.md", "本村逾期清单")}（{sum(counts.values())} 项）
- 协议批量打印：{"、".join(docs) or "无"}

## 帮扶小组

{table(["小组", "名称", "组长"], [(Raw(a(here, f"groups/{g.group_id}.md", g.group_id)), g.name, g.leader) for g in groups])
 if groups else "没有帮扶小组。"}
"""
    return page(f"村社区 {code}", body, heading=f"村社区 · {name}")


def render_village_lists(view: View, name: str, code: str) -> str:
    here = f"overdue/{code}.md"
    parts = []
    for key, items in view.lists.items():
        if key == "group_meeting_overdue":
            mine = [i for i in items if view.groups[i.id].village == name]
            rows = [(Raw(a(here, f"groups/{i.id}.md", i.id)), view.groups[i.id].name, i.due or "从未开会", i.days_overdue or "")
                    for i in mine]
            body = table(["小组", "名称", "应开会日期", "逾期天数"], rows) if rows else ""
        else:
            mine = [i for i in items if view.patients[i.id].village == name]
            body = patient_rows(view, here, key, mine) if mine else ""
        parts.append(f"\n\n## {LIST_TITLES[key]}（{len(mine)}）\n\n" + (body or "没有。"))
    body = f"统计截止日期 {view.as_of.isoformat()}。" + print_button() + "".join(parts)
    return page(f"逾期清单 · {code}", body, heading=f"逾期清单 · {name}")
