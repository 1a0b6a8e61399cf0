"""Raw rows → typed Dataset + Report: headers first, then each row, then checks across rows and sheets.

Every problem is collected; nothing stops at the first. A sheet that cannot be read (missing, or missing a
required column) is skipped, and references into it are not checked, so one mistake does not cause a hundred.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from pydantic import ValidationError

from generator.contract import fields, schema
from generator.contract.dates import RANGE_TEXT, in_range
from generator.validate.headers import match_headers, title_row
from generator.validate.keys import (KEY_HEADER, KeyIndex, check_followups, check_group_villages, check_references,
                                     partial_row)
from generator.contract.report import Problem, Report
from generator.contract.row import Row
from generator.contract.schema import SHEETS, Dataset, SheetSpec
from generator.contract.settings import DEFAULT_INTERVALS, Settings
from generator.contract.values import ODD_SPACE_RE, show
from generator.read.workbook import FORMULA_WITHOUT_VALUE, CellError, RawSheet, RawWorkbook, column_letter, normalize_header

SHEET_ORDER = {spec.name: i for i, spec in enumerate(SHEETS)}
NAME_KINDS = ("name", "names", "place")
FORMULA_ERRORS = {
    "#N/A": "查找没有找到结果", "#DIV/0!": "除数为 0", "#REF!": "公式引用的单元格已被删除", "#VALUE!": "参与计算的值类型不对",
    "#NAME?": "公式里有无法识别的名称", "#NUM!": "数值无效", "#NULL!": "引用的区域不相交",
}
PLACEHOLDER_SETTINGS = Settings(乡镇名称="（未填写乡镇名称）")


@dataclass
class SheetContext:
    """Where problems of one sheet are located: the header → column number map as found."""

    spec: SheetSpec
    columns: dict[str, int] = field(default_factory=dict)
    headers: tuple[str, ...] = ()
    missing: frozenset[str] = frozenset()  # required columns the sheet lacks: reported once
    names: tuple[str, ...] = ()  # headers holding names, where an invisible character earns a warning
    keys: set[str] = field(default_factory=set)  # the key column's values of every row, valid or not

    def problem(self, row: int | None, header: str | None, value: Any, code: str, message: str,
                severity: str = "error") -> Problem:
        column = self.columns.get(header) if header else None
        cell = f"{column_letter(column)}{row}" if column and row else None
        order = self.headers.index(header) if header in self.headers else len(self.headers)
        text = None if value is None or value is FORMULA_WITHOUT_VALUE else show(value)
        return Problem(self.spec.name, row, header, cell, text, code, message, severity,  # type: ignore[arg-type]
                       sheet_order=SHEET_ORDER[self.spec.name], column_order=order)


def validate_workbook(raw: RawWorkbook, *, today: date, as_of: date | None = None) -> tuple[Dataset, Report]:
    """Validate every sheet. The as-of day is resolved here, once: the option, else 统计截止日期, else today."""
    report = Report()
    settings = _validate_settings(raw, report)
    as_of = as_of or settings.as_of or today
    context = {"as_of": as_of}
    sheets: dict[str, tuple[SheetContext, list[Row]]] = {}
    # every row, valid or not: a row with errors still goes through the checks across rows and sheets, with its
    # cells that did not parse UNKNOWN (a check that needs one is skipped: its own problem is already reported)
    checked: dict[str, list[Row]] = {}
    # keys of every row, valid or not, so one bad cell in a row does not also break every reference to it
    keys: dict[str, set[str]] = {}
    absent: set[str] = set()
    for spec in SHEETS[1:]:
        sheet = _find_sheet(raw, spec, report)
        if sheet is None:
            if spec.optional and not raw.titles.get(spec.name):
                absent.add(spec.name)
            continue
        ctx, ok = _check_headers(sheet, spec, report)
        _report_strays(sheet, ctx, spec, report)
        if ctx is None:
            continue
        keyed = KeyIndex(ctx, report)
        valid: list[Row] = []
        every: list[Row] = []
        for number, cells in sheet.rows():
            row, ok = _validate_row(ctx, number, cells, settings, context, report, keyed)
            if row is not None:
                every.append(row)
                if ok:
                    valid.append(row)
        sheets[spec.name] = (ctx, valid)
        checked[spec.name] = valid if len(valid) == len(every) else every
        if ok and spec.name in KEY_HEADER:
            keys[spec.name] = ctx.keys
    for name, (ctx, _) in sheets.items():
        check_references(ctx, checked[name], keys, report)
    rows_by_sheet = {name: rows for name, (_, rows) in sheets.items()}
    dataset = Dataset(settings=settings, intervals=_intervals(sheets.get("随访规则"), report), as_of=as_of,
                      absent=frozenset(absent))
    for name, attr in schema.DATASET_FIELD.items():
        setattr(dataset, attr, rows_by_sheet.get(name, []))
    if "随访记录" in sheets:
        check_followups(dataset, checked["随访记录"], checked.get("患者", []), sheets["随访记录"][0], report)
    if "患者" in sheets:
        check_group_villages(checked["患者"], checked.get("帮扶小组", []), checked.get("村社区", []),
                             sheets["患者"][0], report)
    return dataset, report


def _find_sheet(raw: RawWorkbook, spec: SheetSpec, report: Report) -> RawSheet | None:
    titles = raw.titles.get(spec.name, [])
    if len(titles) > 1:
        shown = "”和“".join(titles)
        report.extend([Problem(spec.name, None, None, None, None, "duplicate-sheet",
                               f"有 {len(titles)} 张工作表都是“{spec.name}”：“{shown}”（名称只差空格或全角/半角），"
                               "无法确定该读哪一张。请把数据合并到一张表，删除或改名另一张。",
                               sheet_order=SHEET_ORDER[spec.name])])
        return None
    sheet = raw.sheet(spec.name)
    if sheet is None:
        close = difflib.get_close_matches(spec.name, raw.names, n=1, cutoff=0.6)
        hint = f"工作簿里有“{close[0]}”，如果就是它，请改回标准名称“{spec.name}”。" if close else ""
        if spec.optional:
            message = (f"工作表“{spec.name}”不存在，按空表处理，用到它的清单为空。{hint}"
                       "需要记录时，可从 jingfang init 生成的标准台账中复制这张表。")
        else:
            message = f"找不到工作表“{spec.name}”。{hint}请不要改动工作表名称；没有数据时保留只有表头的空表。"
        report.extend([Problem(spec.name, None, None, None, None, "missing-sheet", message,
                               "warning" if spec.optional else "error", sheet_order=SHEET_ORDER[spec.name])])
    return sheet


def _check_headers(sheet: RawSheet, spec: SheetSpec, report: Report) -> tuple[SheetContext | None, bool]:
    """Match the headers; (None, False) when the sheet cannot be read at all (its header is not on row 1)."""
    known = fields.columns(spec.model) if spec.name != schema.SETTINGS_SHEET else dict.fromkeys(schema.SETTINGS_HEADERS)
    needed = [h for h, info in known.items() if info is None and h != "说明" or info is not None and fields.required(info)]
    at = title_row(sheet.head(6), tuple(known), needed)
    if at:
        top = sheet.head(1)
        first = "、".join(str(v).strip() for v in top[0][1] if str(v or "").strip())[:40] if top[0][0] == 1 else ""
        shown = f"第 1 行是“{first}”" if first else "第 1 行是空行"
        report.extend([Problem(spec.name, 1, None, None, first or None, "title-row",
                               f"表头应在第 1 行，但这张表的表头在第 {at} 行（{shown}）。"
                               f"请删除表头上方的 {at - 1} 行，让表头成为第 1 行。", sheet_order=SHEET_ORDER[spec.name])])
        return None, False
    found = match_headers(sheet.headers, tuple(known))
    ctx = SheetContext(spec, columns=found.columns, headers=tuple(known))
    ctx.names = tuple(h for h in found.columns if known[h] is not None and fields.col(known[h]).kind in NAME_KINDS)
    for header, first, second in found.duplicates:
        report.extend([ctx.problem(1, header, header, "duplicate-column",
                                   f"表头“{header}”出现了两次（{column_letter(first)}列和"
                                   f"{column_letter(second)}列），请删除或改名其中一列。")])
    ctx.missing = frozenset(h for h in needed if h not in ctx.columns)
    for header in sorted(ctx.missing, key=ctx.headers.index):
        near = difflib.get_close_matches(header, found.extra, n=1, cutoff=0.5)
        hint = f"表里有“{near[0]}”，如果就是这一列，请把表头改成“{header}”。" if near else \
            "请在第 1 行加上这一列的表头（可从标准台账复制）。"
        report.extend([Problem(spec.name, 1, header, None, None, "missing-column", f"缺少必填列“{header}”。{hint}",
                               sheet_order=SHEET_ORDER[spec.name], column_order=ctx.headers.index(header))])
    if found.renamed:
        typed = {c: sheet.titles[c].strip().replace("\r", "").replace("\n", "↵") for c, _, _ in found.renamed}
        shown = "、".join(f"{column_letter(c)}列“{typed[c]}”→“{h}”" for c, _, h in found.renamed)
        report.extend([Problem(spec.name, 1, None, None, None, "renamed-column",
                               f"以下表头与标准写法不同，已按标准表头读取：{shown}。建议改成标准写法。", "warning",
                               sheet_order=SHEET_ORDER[spec.name])])
    if found.extra:
        report.extend([Problem(spec.name, 1, None, None, "、".join(found.extra), "extra-column",
                               f"以下列不属于标准台账，已忽略：{'、'.join(found.extra)}。", "warning",
                               sheet_order=SHEET_ORDER[spec.name])])
    return ctx, not ctx.missing


def _validate_row(ctx: SheetContext, number: int, cells: Sequence[object], settings: Settings,
                  context: dict, report: Report, keyed: KeyIndex) -> tuple[Row | None, bool]:
    """(the model, True) when every cell is valid; (a partial row, False) when not: the cells that did parse, for
    the checks across rows and sheets; (None, False) for a row with nothing in it."""
    data: dict[str, object] = {"__row__": number}
    skip = ctx.missing  # columns whose problem is already reported: the sheet's, or the cell's formula
    width = len(cells)
    for header, column in ctx.columns.items():
        value = cells[column - 1] if column <= width else None
        if value is None or value == "" or type(value) is str and value.isspace():
            continue
        if value is FORMULA_WITHOUT_VALUE or type(value) is CellError:
            skip = skip | {header}
            report.extend([_formula_problem(ctx, number, header, value)])
            continue
        data[header] = value
    if len(data) == 1 and skip is ctx.missing:
        return None, False  # a row of spaces, or values only in columns outside the contract
    for header in ctx.names:
        value = data.get(header)
        if type(value) is str and ODD_SPACE_RE.search(value):
            report.extend([ctx.problem(number, header, value, "invisible-char",
                                       "这一格里有看不见的字符（零宽空格、不换行空格等），已去掉后读取。"
                                       "建议删除这一格，重新输入。", "warning")])
    if keyed.wanted:
        keyed.add(number, data)
    try:
        model, valid = fields.adapter(ctx.spec.model).validate_python(data, context=context), True
    except ValidationError as exc:
        failed = set(skip)
        for err in exc.errors(include_url=False):
            header = str(err["loc"][0]) if err["loc"] else None
            if header in skip:
                continue
            failed.add(header)
            code, message = translate(err, ctx.spec.model, header)
            report.extend([ctx.problem(number, header, data.get(header or ""), code, message)])
        model, valid, skip = partial_row(ctx.spec.model, data, failed), False, frozenset(failed)
    problems = model.row_problems(settings)
    if problems:
        report.extend(ctx.problem(number, p.column, data.get(p.column), p.code, p.message, p.severity)
                      for p in problems if p.column not in skip)
    return model, valid


def _report_strays(sheet: RawSheet, ctx: SheetContext | None, spec: SheetSpec, report: Report) -> None:
    """Cells far beyond the data (cut out before reading): an error when they hold what would be data, else a
    warning that says to delete them."""
    columns = {number: header for header, number in ctx.columns.items()} if ctx else {}
    headers = ctx.headers if ctx else ()
    for stray in sheet.strays:
        ref = f"{column_letter(stray.column)}{stray.row}"
        header = columns.get(stray.column)
        far = f"{ref} 离台账数据很远（数据在 A1 到 {sheet.corner} 之间）"
        if not stray.value.strip():
            severity, message = "warning", f"{far}，里面只有空格，已忽略。请在 Excel/WPS 中选中 {ref}，按 Delete 删除后保存。"
        elif header is None:
            severity, message = "warning", (f"{far}，不在任何一列标准表头下面，已忽略。如果是误填，请选中 {ref}，"
                                            "按 Delete 删除后保存。")
        else:
            severity, message = "error", (f"{far}，没有作为“{header}”读取。如果是误填，请选中 {ref}，按 Delete 删除；"
                                          "如果是一条记录，请把它移到数据末尾紧接着的行。")
        report.extend([Problem(spec.name, stray.row, header, ref, show(stray.value), "stray-cell", message,
                               severity, sheet_order=SHEET_ORDER[spec.name],  # type: ignore[arg-type]
                               column_order=headers.index(header) if header in headers else len(headers))])


def _formula_problem(ctx: SheetContext, number: int, header: str, value: object) -> Problem:
    if type(value) is CellError:
        reason = FORMULA_ERRORS.get(str(value))
        return ctx.problem(number, header, value, "formula-error",
                           f"公式结果为 {value}{f'（{reason}）' if reason else ''}，不是有效的值。"
                           "请改正公式，或直接填写数值。")
    return ctx.problem(number, header, None, "formula-no-value",
                       "这个单元格是公式，但文件里没有保存计算结果（多见于程序生成、未用 Excel/WPS 打开保存过的文件）。"
                       "请用 Excel 或 WPS 打开台账并保存一次，或把公式改成数值。")


def translate(err: Any, model: type[Row] | type[Settings], header: str | None) -> tuple[str, str]:
    """A pydantic error as (our code, Chinese message), keyed by the error's type."""
    kind = err["type"]
    value = err.get("input")
    if kind == "missing" or kind in ("string_type", "list_type") and value in (None, "", []):
        return "required", f"“{header}”必填，不能留空。"
    if kind == "literal_error" and header:
        allowed = fields.choices(fields.columns(model)[header])
        near = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        hint = f"是不是“{near[0]}”？" if near else ""
        return "not-in-vocabulary", f"「{show(value)}」不是可选的值。{hint}可选：{'、'.join(allowed)}。"
    if kind in ("greater_than_equal", "less_than_equal") and header:
        low, high = fields.bounds(fields.columns(model)[header])
        span = f"应在 {low}–{high} 之间" if low is not None and high is not None else f"应不小于 {low}"
        return "out-of-range", f"「{show(value)}」超出范围，{span}。"
    if kind in schema_codes():
        return kind, err["msg"]
    return "bad-value", f"「{show(value)}」无法识别（{err['msg']}）。"


def schema_codes() -> frozenset[str]:
    """The problem codes raised by value parsers (the type of their PydanticCustomError)."""
    return frozenset({"bad-date", "future-date", "bad-id", "bad-id-checksum", "id-lost-digits", "bad-phone",
                      "not-in-vocabulary", "bad-number", "bad-code", "unsafe-text", "old-id",
                      "unsafe-file-name"})


def _validate_settings(raw: RawWorkbook, report: Report) -> Settings:
    spec = SHEETS[0]
    sheet = _find_sheet(raw, spec, report)
    if sheet is None:
        return PLACEHOLDER_SETTINGS
    ctx, ok = _check_headers(sheet, spec, report)
    _report_strays(sheet, ctx, spec, report)
    if ctx is None or not ok:
        return PLACEHOLDER_SETTINGS
    items = _setting_items(ctx, sheet, report)
    data = {item: value for item, (_, value) in items.items() if value is not None and value is not FORMULA_WITHOUT_VALUE}
    try:
        return _sane_as_of(Settings.model_validate(data), ctx, items, report)
    except ValidationError as exc:
        _report_settings(exc, ctx, items, report)
        fallback = {k: v for k, v in data.items() if k not in {str(e["loc"][0]) for e in exc.errors()}}
        try:
            return Settings.model_validate({"乡镇名称": PLACEHOLDER_SETTINGS.township} | fallback)
        except ValidationError:
            return PLACEHOLDER_SETTINGS


def _sane_as_of(settings: Settings, ctx: SheetContext, items: dict[str, tuple[int, object]],
                report: Report) -> Settings:
    """The settings, without an 统计截止日期 outside the years the tool computes for (reported at its cell)."""
    if settings.as_of is None or in_range(settings.as_of):
        return settings
    number, value = items["统计截止日期"]
    report.extend([ctx.problem(number, "值", value, "out-of-range",
                               f"“统计截止日期”：「{settings.as_of.isoformat()}」超出范围，应在 {RANGE_TEXT}。")])
    return settings.model_copy(update={"as_of": None})


def _setting_items(ctx: SheetContext, sheet, report: Report) -> dict[str, tuple[int, object]]:
    """Each 项目 of 基本设置 with its row number and 值 (repeated and unknown items reported)."""
    item_col, value_col = ctx.columns["项目"], ctx.columns["值"]
    items: dict[str, tuple[int, object]] = {}
    known = {f.alias for f in Settings.model_fields.values()}
    for number, cells in sheet.rows():
        item = normalize_header(cells[item_col - 1] if item_col <= len(cells) else None) or None
        value = cells[value_col - 1] if value_col <= len(cells) else None
        if isinstance(value, str) and not value.strip():
            value = None
        if item is None:
            continue
        if type(value) is CellError:
            report.extend([_formula_problem(ctx, number, "值", value)])
            value = None
        if item in items:
            report.extend([ctx.problem(number, "项目", item, "duplicate-key", f"项目“{item}”重复（第 {items[item][0]} 行已有）。")])
        elif item not in known:
            report.extend([ctx.problem(number, "项目", item, "unknown-setting", f"“{item}”不是可识别的设置项目，已忽略。", "warning")])
        else:
            items[item] = (number, value)
    return items


def _report_settings(exc: ValidationError, ctx: SheetContext, items: dict[str, tuple[int, object]],
                     report: Report) -> None:
    """Pydantic's errors on the settings, at the 值 cell of their row (or a missing row)."""
    for err in exc.errors(include_url=False):
        item = str(err["loc"][0])
        code, message = translate(err, Settings, item)
        if item in items:
            number, value = items[item]
            message = f"“{item}”的值必填，不能留空。" if code == "required" else f"“{item}”：{message}"
            report.extend([ctx.problem(number, "值", value, code, message)])
        else:
            report.extend([Problem(SHEETS[0].name, None, None, None, None, code,
                                   f"缺少“{item}”一行：请在“项目”列加上“{item}”，并在“值”列填写。", sheet_order=0)])


def _intervals(sheet: tuple[SheetContext, list[Row]] | None, report: Report) -> dict[str, tuple[int, int]]:
    intervals = dict(DEFAULT_INTERVALS)
    seen = set()
    for row in sheet[1] if sheet else []:
        intervals[row.condition] = (row.followup_days, row.assessment_days)  # type: ignore[attr-defined]
        seen.add(row.condition)  # type: ignore[attr-defined]
    if sheet is not None:
        for condition, (followup, assessment) in DEFAULT_INTERVALS.items():
            if condition not in seen:
                report.extend([Problem("随访规则", None, "病情分类", None, condition, "missing-row",
                                       f"没有“{condition}”一行，按默认值计算（随访间隔 {followup} 天，评估间隔 {assessment} 天）。",
                                       "warning", sheet_order=1)])
    return intervals
