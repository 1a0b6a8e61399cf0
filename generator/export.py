"""The overdue lists as a workbook to send to villages: one sheet per list, Chinese headers, names and contacts.

The file is plaintext personal data: every text is written as text (a name typed as =HYPERLINK(…) must not become
a live formula in Excel), the file is readable by its owner only, and it may not be written into a built site.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .freshness import STAMP
from .lists import BY_KEY, SUBJECT_IDS, ListSpec
from .views import View

PATIENT_HEADERS = ["村社区", "患者编号", "姓名", "性别", "在管状态"]
PATIENT_CONTACTS = ["帮扶小组", "组长", "组长电话", "监护人", "监护人电话"]
GROUP_HEADERS = ["村社区", "小组编号", "小组名称", "组长", "组长电话"]


class ExportRefused(Exception):
    """The export would be written inside a built site."""


def site_around(path: Path) -> Path | None:
    """The built site (a folder holding jingfang's stamp) that path is or would be inside, or None."""
    # as written (.. removed) and with links followed: a file reached through a link to a site is inside it too
    for target in (Path(os.path.abspath(path)), path.resolve()):
        for folder in (target, *target.parents):
            if (folder / STAMP).is_file():
                return folder
    return None


def check_target(path: Path) -> None:
    """Refuse a path inside a built site: jingfang serve would publish the plaintext file with the site."""
    site = site_around(path)
    if site is not None:
        raise ExportRefused(f"“{path}”在网站文件夹“{site}”里面，没有导出：导出文件不加密，放进网站文件夹会随网站一起被打开和复制。"
                            "请换一个网站文件夹以外的位置。")


def cell_value(value: object) -> object:
    """Our own counts stay numbers (they sort as numbers in Excel); dates become ISO text; everything else text."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    text = value.isoformat() if isinstance(value, date) else str(value)
    # a control character (stored as _x0007_ in a workbook) is invisible, and openpyxl refuses to write it
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def append_row(ws: Worksheet, values: list) -> None:
    """Append values as written: text stays text even when it starts with = or looks like an error code."""
    ws.append([cell_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def sheet_title(spec: ListSpec) -> str:
    """Excel forbids / in sheet names."""
    return spec.title.replace("/", "或")


def list_rows(view: View, spec: ListSpec) -> tuple[list[str], list[list]]:
    """Headers and rows of one list, grouped by village then most overdue first; columns by what items are about."""
    order = {name: i for i, name in enumerate(view.village_codes)}
    rows = []
    for item in view.lists[spec.key]:
        if spec.subject == "patient":
            p = view.patients[item.id]
            g = view.groups.get(p.group_id or "")
            rows.append([p.village, p.patient_id, p.name, p.sex, p.status, *spec.when_cells(item),
                         g.group_id if g else None, g.leader if g else None, view.phone_of(g.leader) if g else None,
                         p.guardian, p.guardian_phone])
        elif spec.subject == "group":
            g = view.groups[item.id]
            rows.append([g.village, g.group_id, g.name, g.leader, view.phone_of(g.leader), *spec.when_cells(item)])
        else:
            rows.append([item.id, *spec.when_cells(item)])
    headers = {"patient": PATIENT_HEADERS + spec.when_headers() + PATIENT_CONTACTS,
               "group": GROUP_HEADERS + spec.when_headers()}.get(spec.subject, [SUBJECT_IDS[spec.subject], *spec.when_headers()])
    return headers, sorted(rows, key=lambda r: order.get(r[0], len(order)))


def write_export(view: View, path: Path) -> dict[str, int]:
    """Write every list to path (refused inside a built site); return the number of rows per list title."""
    check_target(path)
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    append_row(about, [f"{view.data.settings.township} 逾期清单", f"统计截止日期 {view.as_of.isoformat()}"])
    append_row(about, ["本文件含患者姓名和联系方式，属于敏感个人信息，请只发给负责的工作人员，用后删除。"])
    counts = {}
    for key in view.lists:
        spec = BY_KEY[key]
        headers, rows = list_rows(view, spec)
        ws = wb.create_sheet(sheet_title(spec))
        append_row(ws, headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(ws, row)
        for i, header in enumerate(headers, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 4)
        ws.freeze_panes = "A2"
        append_row(about, [spec.title, len(rows)])
        counts[spec.title] = len(rows)
    save_private(wb, path)
    return counts


def save_private(wb: Workbook, path: Path) -> None:
    """Save wb to path, readable by its owner only, all at once: a failure leaves no file, not half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600 whatever the umask; the rename keeps that mode
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".jingfang-export-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            wb.save(file)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
