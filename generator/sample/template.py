"""Writing the standard workbook (openpyxl): the blank template of ``init`` and the filled one of ``sample``.

Layout, formats, dropdowns and the 说明 sheet all come from ``schema``; nothing about a sheet is written here
that is not declared there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.contract import fields, schema
from generator.contract.schema import SETTINGS_SHEET, SHEETS
from generator.contract.settings import DEFAULT_INTERVALS, Settings
from generator.present.outpaths import refuse_overwrite

GUIDE_SHEET = "说明"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
TEXT_KINDS = ("id", "phone", "code")
MIN_VALIDATED_ROWS = 2000
KEY_COLUMN = {"村社区": "名称", "人员": "姓名", "帮扶小组": "小组编号", "患者": "患者编号"}

CONVENTIONS = (
    "日期：可以是 Excel 日期，也可以写成 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305。",
    "日期不能晚于“统计截止日期”（“下次随访日期”和“到期日期”除外）。",
    "是/否：填 是 或 否（也认 Y/N、√/×、1/0）。",
    "一个单元格里有多个姓名时，用 、或 ， 隔开，如：王一、李二、张三。",
    "身份证号、电话和编号列已设为文本格式，请不要改成数字格式，否则 18 位身份证号会丢失后几位。",
    "带下拉箭头的列请从下拉列表中选择。表头为橙色的列必填，蓝色的列选填。",
    "可以在表格右侧加自己的列（会被忽略）；不要改动工作表名称和表头文字。",
    "编号（患者编号、小组编号）只用英文字母和数字，如 P001、G01；网站的网址和标题只显示编号，不显示姓名。",
    "标有“（可选）”的工作表可以删除或留空：没有这张表时，用到它的清单为空，检查时只作提示。",
)
OPTIONAL_MARK = "（可选）"


@dataclass
class WorkbookContent:
    """What to put in a standard workbook: settings values and rows (header → value) per sheet."""

    settings: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)  # sheet → headers beyond the contract


def default_content() -> WorkbookContent:
    """The blank template: default settings and the default 随访规则 rows."""
    settings = {f.alias: f.default for f in Settings.model_fields.values() if not f.is_required() and f.default is not None}
    intervals = [{"病情分类": c, "随访间隔天数": f, "评估间隔天数": a} for c, (f, a) in DEFAULT_INTERVALS.items()]
    return WorkbookContent(settings=settings, rows={"随访规则": intervals})


def write_workbook(path: Path, content: WorkbookContent) -> None:
    """Write the standard workbook: 说明 first, then every sheet of the contract in order."""
    wb = Workbook(write_only=True)
    _write_guide(wb.create_sheet(GUIDE_SHEET))
    _write_settings(wb.create_sheet(SETTINGS_SHEET), content.settings)
    sizes = {spec.name: len(content.rows.get(spec.name, [])) for spec in SHEETS}
    for spec in SHEETS[1:]:
        ws = wb.create_sheet(spec.name)
        _write_table(ws, spec, content.rows.get(spec.name, []), content.extra_columns.get(spec.name, []), sizes)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_template(path: Path, force: bool) -> str:
    """Write the blank standard template to path (ExportRefused when a file is there and force is not given); say
    what to do next."""
    refuse_overwrite(path, force)
    write_workbook(path, default_content())
    return f"已生成标准台账：{path}\n请先在“基本设置”中填写乡镇名称，再录入各表。"


def _header_cell(ws, text: str, note: str, required: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = BOLD
    cell.fill = REQUIRED_FILL if required else OPTIONAL_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center")
    if note:
        comment = Comment(("必填。" if required else "") + note, "精防台账")
        comment.width, comment.height = 260, 110
        cell.comment = comment
    return cell


def _value_cell(ws, value: Any, kind: str) -> Any:
    if kind in ("date",) and isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if kind in TEXT_KINDS:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = TEXT_FORMAT
        return cell
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _write_table(ws, spec: schema.SheetSpec, rows: list[dict[str, Any]], extra: list[str], sizes: dict[str, int]) -> None:
    cols = fields.columns(spec.model)
    kinds = {h: fields.col(f).kind for h, f in cols.items()}
    headers = list(cols) + extra
    for i, header in enumerate(headers, 1):
        info = cols.get(header)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = (fields.col(info).width if info else 14) + 2
        if info and kinds[header] in TEXT_KINDS:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        elif info and kinds[header] == "date":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    last = max(MIN_VALIDATED_ROWS, len(rows) + 1000)
    for i, header in enumerate(headers, 1):
        if header in cols:
            _add_dropdown(ws, cols[header], f"{get_column_letter(i)}2:{get_column_letter(i)}{last}", sizes)
    ws.append([_header_cell(ws, h, cols[h].description or "" if h in cols else "", h in cols and fields.required(cols[h]))
               for h in headers])
    for row in rows:
        ws.append([_value_cell(ws, row.get(h), kinds.get(h, "text")) for h in headers])


def _add_dropdown(ws, info, cells: str, sizes: dict[str, int]) -> None:
    meta = fields.col(info)
    allowed = fields.choices(info)
    if allowed:
        dv = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True, showErrorMessage=True)
        dv.error, dv.errorTitle = "请从下拉列表中选择：" + "、".join(allowed), "不是可选的值"
    elif meta.ref:
        # a suggestion list from the referenced sheet; other values (外地, new names) are still allowed
        key_letter = get_column_letter(list(fields.columns(schema.SHEET_BY_NAME[meta.ref].model)).index(KEY_COLUMN[meta.ref]) + 1)
        end = max(MIN_VALIDATED_ROWS, sizes.get(meta.ref, 0) + 1000)
        dv = DataValidation(type="list", formula1=f"'{meta.ref}'!${key_letter}$2:${key_letter}${end}",
                            allow_blank=True, showErrorMessage=False)
    else:
        return
    dv.add(cells)
    ws.data_validations.append(dv)


def _write_settings(ws, values: dict[str, Any]) -> None:
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h, n, r) for h, n, r in (
        ("项目", "设置项目名称，请不要改动。", True),
        ("值", "在这一列填写设置的值。", True),
        ("说明", "", False),
    )])
    for f in Settings.model_fields.values():
        kind = fields.col(f).kind
        label = WriteOnlyCell(ws, value=f.alias)
        label.font = BOLD if f.is_required() else Font()
        ws.append([label, _value_cell(ws, values.get(f.alias), kind),
                   ("必填。" if f.is_required() else "") + (f.description or "")])


def _write_guide(ws) -> None:
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # print the guide one page wide
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    title = WriteOnlyCell(ws, value="精防台账（严重精神障碍患者服务管理标准台账）使用说明")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append(["", "每次修改后运行 jingfang check 检查台账，再运行 jingfang build 生成内部网站。"])
    ws.append([])
    ws.append([_bold(ws, "填写规则")])
    for line in CONVENTIONS:
        ws.append(["", line])
    ws.append([])
    ws.append([_bold(ws, "工作表"), _bold(ws, "内容")])
    for spec in SHEETS:
        ws.append([_bold(ws, spec.name), spec.about + (OPTIONAL_MARK if spec.optional else "")])
        if spec.model is Settings:
            continue
        for header, info in fields.columns(spec.model).items():
            mark = "（必填）" if fields.required(info) else ""
            allowed = fields.choices(info)
            options = f" 可选：{'、'.join(allowed)}。" if allowed else ""
            ws.append(["", f"· {header}{mark}：{info.description or ''}{options}"])


def _bold(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = BOLD
    return cell
