"""月度信息交换通报 pages: one copy per department (its own access level) and all copies for the township to print."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from generator.contract.access import department_level
from generator.contract.lists import DEPARTMENTS, Department
from generator.derive.monthly import monthly_report
from generator.derive.registry import Facts
from generator.present.document_context import report_context
from generator.present.document_html import environment, render_document
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, page, print_button


def render_monthly(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    """Each department's copy of the report for view.month, and the page holding every copy."""
    env = environment(workbook_dir)
    sections = monthly_report(Facts(view.data, view.as_of, view.histories, view.states), view.month)
    copies = {d.slug: render_document(env, "monthly", report_context(view, d, sections)) for d in DEPARTMENTS}
    title = report_title(view)
    for d in DEPARTMENTS:
        yield paths.monthly(d.slug), page(f"{title} · {d.title}", print_button("打印通报") + copies[d.slug],
                                          owner=department_level(d.slug))
    links = "　".join(a(paths.MONTHLY, paths.monthly(d.slug), d.title) for d in DEPARTMENTS)
    intro = (f'<p class="jf-noprint">统计月份 {view.month.label}（生成网站时可用 --month 选择其他月份）。'
             f"每个部门一份，只含该部门要办的事。分部门查看：{links}</p>")
    yield paths.MONTHLY, page(title, intro + print_button(f"打印全部 {len(copies)} 份") + "".join(copies.values()))


def report_title(view: View) -> str:
    """The report's title as pages link it: 2026年8月信息交换通报."""
    return f"{view.month.label}信息交换通报"


def monthly_link(here: str, d: Department, view: View) -> Raw:
    """A link to one department's copy of the month's report."""
    return Raw(a(here, paths.monthly(d.slug), report_title(view)))
