"""变化: what changed since the last build — patients new and closed, status and risk changes, items newly on each
list and items cleared. The previous build's state comes decrypted in view.previous (None: nothing to compare)."""

from __future__ import annotations

from generator.derive.changes import Changes, compare, state_of
from generator.contract.lists import BY_KEY
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, badge, page, table, text
from generator.present.wording import risk_label

HERE = paths.CHANGES
NO_COMPARISON = "无法比较（首次生成或密码已更换）"


def render_changes(view: View) -> dict[str, Page]:
    about = ("每次生成网站时，都把每个患者的编号、在管状态、危险性和各清单的条目（只有编号，没有姓名）用乡镇密码加密保存在"
             "网站文件夹里，下次生成时与新台账比较。")
    if view.previous is None:
        return {HERE: page("变化", f"**{NO_COMPARISON}**。\n\n{about}下次用同一个乡镇密码生成网站时，这里会列出变化。")}
    now = state_of(view.data.patients, view.states, view.lists, view.as_of)
    found = compare(view.previous, now)
    head = (f"与上次生成的网站（数据截至 {text(found.since)}）相比，这次（数据截至 {view.as_of.isoformat()}）的变化。"
            f"{about}")
    if found.empty:
        return {HERE: page("变化", f"{head}\n\n**没有变化。**")}
    return {HERE: page("变化", head + _patients(view, found) + _lists(view, found))}  # no toc: headings carry counts


def _who(view: View, code: str) -> tuple[Raw | str, str]:
    """A code linked to its record, and the name from the current workbook (none for a code no longer in it)."""
    p = view.patients.get(code)
    return (Raw(a(HERE, paths.patient(code), code)), p.name) if p else (code, "")


def _section(title: str, headers: list[str], rows: list[tuple]) -> str:
    return f"\n\n## {title}（{len(rows)}）\n\n" + (table(headers, rows) if rows else "没有。")


def _patients(view: View, found: Changes) -> str:
    def village(code: str) -> str:
        return view.patients[code].village if code in view.patients else ""

    closed = [(*_who(view, c), village(c), f"{was} → {now}") for c, was, now in found.status if c in found.closed]
    closed += [(c, "", "", "已不在台账中") for c in found.removed]
    risks = [(*_who(view, c), village(c), risk_label(was), risk_label(now),
              badge("升高", "late") if (now or 0) > (was or 0) else badge("降低", "ok") if (now or 0) < (was or 0)
              else badge("—", "info")) for c, was, now in found.risk]
    return "".join([
        _section("新增患者", ["编号", "姓名", "村社区", "在管状态"],
                 [(*_who(view, c), village(c), view.patients[c].status) for c in found.added]),
        _section("结案或移出", ["编号", "姓名", "村社区", "变化"], closed),
        _section("在管状态变化", ["编号", "姓名", "村社区", "原状态", "现状态"],
                 [(*_who(view, c), village(c), was, now) for c, was, now in found.status]),
        _section("危险性变化", ["编号", "姓名", "村社区", "原危险性", "现危险性", ""], risks),
    ])


def _item(view: View, key: str, item: str) -> str:
    code, _, day = item.partition("@")
    spec = BY_KEY[key]
    if spec.subject == "patient" and code in view.patients:
        label = a(HERE, paths.patient(code), code) + " " + text(view.patients[code].name)
    elif spec.subject == "group" and code in view.groups:
        label = a(HERE, paths.group(code), code)
    else:
        label = text(code)
    return label + (f"（{text(day)}）" if day else "")


def _lists(view: View, found: Changes) -> str:
    changed = [(key, new, gone) for key, (new, gone) in found.lists.items() if new or gone]
    rows = [(Raw(a(HERE, paths.overdue_list(key), BY_KEY[key].title)), len(new), len(gone)) for key, new, gone in changed]
    parts = [f"\n\n## 清单变化（{len(changed)}）\n\n", table(["清单", "新增", "已消除"], rows) if rows else "没有。"]
    for key, new, gone in changed:
        parts.append(f"\n\n### {BY_KEY[key].title}\n\n")
        parts.append(f"- 新增：{'、'.join(_item(view, key, i) for i in new) or '无'}\n")
        parts.append(f"- 已消除：{'、'.join(_item(view, key, i) for i in gone) or '无'}\n")
    return "".join(parts)
