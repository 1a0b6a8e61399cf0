"""The overdue lists as a workbook to send to villages: one sheet per list, Chinese headers, names and contacts.

The file is plaintext personal data: every text is written as text (a name typed as =HYPERLINK(…) must not become
a live formula in Excel), the file is readable by its owner only, and it may not be written into a built site.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.contract.outputs import STAMP
from generator.contract.lists import BY_KEY, SUBJECT_IDS, ListSpec
from generator.present.outpaths import ExportRefused, check_not_input, file_in
from generator.present.wording import risk_label
from generator.present.views import View
from generator.contract.vocab import DOCTOR

PATIENT_HEADERS = ["村社区", "患者编号", "姓名", "性别", "在管状态"]
PATIENT_CONTACTS = ["帮扶小组", "组长", "组长电话", "监护人", "监护人电话"]
GROUP_HEADERS = ["村社区", "小组编号", "小组名称", "组长", "组长电话"]
ROSTER_HEADERS = ["患者编号", "姓名", "性别", "出生日期", "年龄", "村社区", "现住址", "监护人", "监护人关系", "监护人电话",
                  "在管状态", "当前危险性", "病情分类", "帮扶小组", "组长", "组长电话", "精防医生", "精防医生电话"]


class UnknownVillage(Exception):
    """A --village name that is not one of the workbook's villages; the message names the known ones."""


def check_village(view: View, village: str) -> None:
    """Refuse a village name the workbook does not have, naming those it has."""
    if village not in view.village_codes:
        raise UnknownVillage(f"台账里没有叫“{village}”的村社区。台账里的村社区有：{'、'.join(view.village_codes)}。")


def default_path(what: str, view: View, village: str | None) -> Path:
    """A file in the current folder whose name says what it holds, for whom and as of when:
    逾期清单-禾苗村-2026-09-30.xlsx (refused if the name would leave the folder)."""
    return file_in(Path("."), f"{what}-{village or view.data.settings.township}-{view.as_of.isoformat()}.xlsx")


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


def list_rows(view: View, spec: ListSpec, village: str | None = None) -> tuple[list[str], list[list]]:
    """Headers and rows of one list (only a village's items when one is given: none of the township's own), grouped
    by village then most overdue first; columns by what items are about."""
    order = {name: i for i, name in enumerate(view.village_codes)}
    rows = []
    for item in view.lists[spec.key]:
        if village is not None and village not in view.villages_of(spec, item):
            continue
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


def new_export(view: View, path: Path, village: str | None, what: str, holds: str) -> tuple[Workbook, Worksheet]:
    """A new export workbook and its 说明 sheet (what it is, as of when, what personal data it holds), after
    refusing a target inside a built site or an unknown village."""
    check_target(path)
    if village is not None:
        check_village(view, village)
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    append_row(about, [f"{view.data.settings.township}{' ' + village if village else ''} {what}",
                       f"统计截止日期 {view.as_of.isoformat()}"])
    append_row(about, [f"本文件含患者{holds}，属于敏感个人信息，请只发给负责的工作人员，用后删除。"])
    return wb, about


def write_export(view: View, path: Path, village: str | None = None, *, reads: Sequence[Path]) -> dict[str, int]:
    """Write every list to path (only one village's items when given; refused inside a built site or onto a file
    in reads); return the number of rows per list title."""
    wb, about = new_export(view, path, village, "逾期清单", "姓名和联系方式")
    if village is not None:
        append_row(about, [f"只含{village}的患者、帮扶小组和本村社区的事项；乡镇层面的事项（如工作会议）不在其中。"])
    counts = {}
    for key in view.lists:
        spec = BY_KEY[key]
        headers, rows = list_rows(view, spec, village)
        write_sheet(wb.create_sheet(sheet_title(spec)), headers, rows)
        append_row(about, [spec.title, len(rows)])
        counts[spec.title] = len(rows)
    save_private(wb, path, reads)
    return counts


def write_sheet(ws: Worksheet, headers: list[str], rows: list[list]) -> None:
    """A sheet of rows under bold headers, frozen below them, wide enough to read."""
    append_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, row)
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 4)
    ws.freeze_panes = "A2"


def save_private(wb: Workbook, path: Path, reads: Sequence[Path]) -> None:
    """Save wb to path, readable by its owner only, all at once: a failure leaves no file, not half of one."""
    buffer = io.BytesIO()
    wb.save(buffer)
    write_private(buffer.getvalue(), path.parent, path.name, reads)


def write_private(data: bytes, folder: Path, name: str, reads: Sequence[Path]) -> Path:
    """Write data to the file name directly in folder, readable by its owner only, all at once (a failure leaves no
    file, not half of one); refused when the name would leave folder or the file is one of reads (an input)."""
    path = file_in(folder, name)
    check_not_input(path, reads)
    folder.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600 whatever the umask; the rename keeps that mode
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".jingfang-export-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def roster_rows(view: View, village: str | None = None) -> list[list]:
    """The 花名册 (a village's residents only when given), by patient code: every patient, closed ones too."""
    rows = []
    for p in sorted(view.data.patients, key=lambda p: p.patient_id):
        if village is not None and p.village != village:
            continue
        state, g = view.states[p.patient_id], view.groups.get(p.group_id or "")
        doctors = [name for name, role in view.members.get(p.group_id or "", []) if role == DOCTOR]
        born = p.born_on_or_min()
        rows.append([p.patient_id, p.name, p.sex, None if born == date.min else born, view.age(p), p.village, p.address,
                     p.guardian, p.guardian_relation, p.guardian_phone, p.status, risk_label(state.risk),
                     state.condition, g.group_id if g else None, g.leader if g else None,
                     view.phone_of(g.leader) if g else None, "、".join(doctors) or None,
                     "、".join(view.phone_of(d) for d in doctors if view.phone_of(d)) or None])
    return rows


def write_roster(view: View, path: Path, village: str | None = None, *, reads: Sequence[Path]) -> int:
    """Write the 花名册 to path (one village's when given; refused inside a built site or onto a file in reads);
    return its row count."""
    wb, about = new_export(view, path, village, "花名册", "姓名、住址和联系方式")
    rows = roster_rows(view, village)
    write_sheet(wb.create_sheet("花名册"), ROSTER_HEADERS, rows)
    append_row(about, ["花名册", len(rows)])
    save_private(wb, path, reads)
    return len(rows)


COMPARISON_SHEETS = {
    "不一致": ["患者编号", "名单行号", "项目", "台账", "名单", "匹配方式"],
    "只在台账里": ["患者编号", "姓名", "现住村社区", "在管状态"],
    "只在名单里": ["名单行号", "姓名", "身份证号", "现住村社区"],
    "身份证号重复": ["名单行号", "姓名", "身份证号", "台账中的患者编号"],
}


def write_comparison(path: Path, title: str, sheets: dict[str, list[list]], *, reads: Sequence[Path]) -> None:
    """Write compare's result (rows per sheet of ``COMPARISON_SHEETS``) to path under export's rules: refused inside a
    built site or onto an input, text cells, readable by its owner only, written whole."""
    check_target(path)
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    append_row(about, [title])
    append_row(about, ["本文件含患者姓名、身份证号和联系电话，属于敏感个人信息，请只发给负责的工作人员，用后删除。"])
    for name, headers in COMPARISON_SHEETS.items():
        write_sheet(wb.create_sheet(name), headers, sheets[name])
        append_row(about, [name, len(sheets[name])])
    save_private(wb, path, reads)
