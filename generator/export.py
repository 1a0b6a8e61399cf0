"""The overdue lists as a workbook to send to villages: one sheet per list, Chinese headers, names and contacts."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .rules import LIST_TITLES
from .views import View

PATIENT_HEADERS = ["村社区", "患者编号", "姓名", "性别", "在管状态", "应办日期", "逾期天数", "帮扶小组", "组长", "组长电话",
                   "监护人", "监护人电话"]
GROUP_HEADERS = ["村社区", "小组编号", "小组名称", "组长", "组长电话", "应开会日期", "逾期天数"]


def sheet_title(key: str) -> str:
    """Excel forbids / in sheet names."""
    return LIST_TITLES[key].replace("/", "或")


def list_rows(view: View, key: str) -> tuple[list[str], list[list]]:
    """Headers and rows of one list, grouped by village then most overdue first."""
    order = {name: i for i, name in enumerate(view.village_codes)}
    if key == "group_meeting_overdue":
        rows = []
        for item in view.lists[key]:
            g = view.groups[item.id]
            rows.append([g.village, g.group_id, g.name, g.leader, view.phone_of(g.leader), item.due or "从未开会",
                         item.days_overdue])
        return GROUP_HEADERS, sorted(rows, key=lambda r: order.get(r[0], len(order)))
    headers = PATIENT_HEADERS if key != "too_few_visitors" else PATIENT_HEADERS[:5] + ["随访日期"] + PATIENT_HEADERS[7:]
    rows = []
    for item in view.lists[key]:
        p = view.patients[item.id]
        g = view.groups.get(p.group_id or "")
        when = [item.date] if key == "too_few_visitors" else [item.due, item.days_overdue]
        rows.append([p.village, p.patient_id, p.name, p.sex, p.status, *when, g.group_id if g else None,
                     g.leader if g else None, view.phone_of(g.leader) if g else None, p.guardian, p.guardian_phone])
    return headers, sorted(rows, key=lambda r: order.get(r[0], len(order)))


def write_export(view: View, path: Path) -> dict[str, int]:
    """Write every list to path; return the number of rows per list title."""
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    about.append([f"{view.data.settings.township} 逾期清单", f"统计截止日期 {view.as_of.isoformat()}"])
    about.append(["本文件含患者姓名和联系方式，属于敏感个人信息，请只发给负责的工作人员，用后删除。"])
    counts = {}
    for key in view.lists:
        headers, rows = list_rows(view, key)
        ws = wb.create_sheet(sheet_title(key))
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for i, header in enumerate(headers, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 4)
            if "日期" in header:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        about.append([LIST_TITLES[key], len(rows)])
        counts[LIST_TITLES[key]] = len(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return counts
