"""数据质量: every warning of the workbook with its cell."""

from __future__ import annotations

from generator.present.views import View
from generator.present.pages import paths
from generator.contract.lists import BY_KEY
from generator.present.pages.html import Page, a, page, table


def render_quality(view: View) -> dict[str, Page]:
    """The 数据质量 page."""
    warnings = view.report.warnings
    rows = [(p.sheet, p.cell or "", p.column or "", p.value or "", p.message) for p in warnings]
    body = (f"台账共有 {len(warnings)} 条警告。警告不影响生成网站，但请在台账中核实。"
            + (table(["工作表", "单元格", "列", "值", "问题"], rows, cls="jf-table jf-sortable") if rows else "\n\n没有警告。"))
    findings = [key for key, items in view.lists.items() if BY_KEY[key].kind == "finding"]
    past = "、".join(f"{a(paths.QUALITY, paths.overdue_list(k), BY_KEY[k].title)}（{len(view.lists[k])}）" for k in findings)
    body += f"\n\n已经过去、现在无法补办的情况（不是待办事项）：{past}。" if past else ""
    return {paths.QUALITY: page("数据质量", body)}
