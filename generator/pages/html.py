"""Small HTML/Markdown helpers shared by the page modules: escaping, links between pages, tables."""

from __future__ import annotations

import html
import posixpath
import re
from functools import lru_cache
from datetime import date
from typing import Any, Iterable, Sequence

_NEEDS_ESCAPE = re.compile(r"[&<>\"']")


def text(value: Any) -> str:
    """A value as escaped display text: dates ISO, booleans 是/否, lists joined with 、."""
    if isinstance(value, str):
        return html.escape(value) if _NEEDS_ESCAPE.search(value) else value  # most cells need no escaping
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return text("、".join(str(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.escape(str(value))


@lru_cache(maxsize=4096)
def _relative(here_dir: str, target: str) -> str:
    return posixpath.relpath(target, here_dir or ".")


def href(here: str, target: str) -> str:
    """The relative .html address of target (a docs path like patients/P001.md) from page here."""
    rel = _relative(posixpath.dirname(here), target)
    return rel[:-3] + ".html" if rel.endswith(".md") else rel


def a(here: str, target: str, label: Any) -> str:
    return f'<a href="{href(here, target)}">{text(label)}</a>'


class Raw(str):
    """Markup that is already escaped (links, badges)."""


def cell(value: Any) -> str:
    """A table cell's markup: Raw as it is, everything else as text (the common types checked first: hot path)."""
    kind = type(value)
    if kind is str:
        return html.escape(value) if _NEEDS_ESCAPE.search(value) else value
    if kind is Raw:
        return value
    if value is None:
        return ""
    if kind is date:
        return value.isoformat()
    if kind is int:
        return str(value)
    return text(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, cls: str = "jf-table",
          searches: Sequence[str] | None = None) -> str:
    """An HTML table block; searches adds extra hidden text per row for the filter box (e.g. an ID tail)."""
    out = [f'<table class="{cls}">', "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead>",
           "<tbody>"]
    for i, row in enumerate(rows):
        extra = f' data-search="{html.escape(searches[i])}"' if searches else ""
        out.append(f"<tr{extra}>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n\n" + "".join(out) + "\n\n"


def filter_box(placeholder: str = "输入姓名、编号、身份证号后几位、村社区……筛选") -> str:
    return (f'\n\n<div class="jf-filter-bar jf-noprint"><input class="jf-filter" type="search" '
            f'placeholder="{html.escape(placeholder)}" aria-label="筛选"><span class="jf-count"></span></div>\n\n')


def page(title: str, body: str, *, hide_toc: bool = False) -> str:
    """A Markdown page with front matter; the title must carry codes only, never names."""
    hide = "hide:\n  - toc\n" if hide_toc else ""
    return f"---\ntitle: {title}\n{hide}---\n\n# {title}\n\n{body.strip()}\n"


def badge(label: str, kind: str) -> Raw:
    """A coloured marker: kind is ok, late, warn or info."""
    return Raw(f'<span class="jf-badge jf-{kind}">{html.escape(label)}</span>')


def print_button(label: str = "打印本页") -> str:
    return f'\n\n<p class="jf-noprint"><button class="md-button" onclick="window.print()">{html.escape(label)}</button></p>\n\n'
