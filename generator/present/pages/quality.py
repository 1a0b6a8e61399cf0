"""数据质量: every warning of the workbook with its cell."""

from __future__ import annotations

from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, page, table


def render_quality(view: View) -> dict[str, Page]:
    """The 数据质量 page."""
    warnings = view.report.warnings
    rows = [(p.sheet, p.cell or "", p.column or "", p.value or "", p.message) for p in warnings]
    body = (f"台账共有 {len(warnings)} 条警告。警告不影响生成网站，但请在台账中核实。"
            + (table(["工作表", "单元格", "列", "值", "问题"], rows, cls="jf-table jf-sortable") if rows else "\n\n没有警告。"))
    return {paths.QUALITY: page("数据质量", body)}
