"""Reading a roster file (another system's list, an old 台账): .xlsx, .xls, .ods or .csv → rows with real row numbers,
the header mapping and values cleaned as the workbook's own cells are.

The file is only read: spreadsheets by python-calamine from the checked, opened file; .csv decoded as UTF-8 (with or
without BOM), else as the Chinese encoding charset-normalizer finds (GB18030/GBK). The header row is the first of
the first 20 rows with at least 3 known headers (``contract/roster``); title rows above it are skipped, and below it
blank rows and 合计/小计/总计 rows, which are counted.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from pydantic_core import PydanticCustomError
from python_calamine import CalamineWorkbook

from generator.contract import roster as contract
from generator.contract import values
from generator.contract.vocab import Diagnosis, GuardianRelation, Sex, Status
from generator.read.inputs import MB, InputRefused, open_input
from generator.read.workbook import ENCRYPTED_MARK, OLE_MAGIC, normalize_header

ROSTER_LIMIT = 256 * MB
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
_ALIASES = {re.sub(r"\s+", "", normalize_header(alias)): name
            for name, aliases in contract.HEADERS.items() for alias in aliases}


class RosterUnreadable(Exception):
    """The file cannot be read as a table at all (not a table, password-protected, undecodable): one sentence."""


class NoHeaderRow(Exception):
    """The file is a table, but no row among its first rows has enough known headers (or the sheet is missing)."""


@dataclass
class RosterRow:
    """One person's row: its row number in the sheet, values by standard field, what goes to 备注, what was noted."""

    row: int
    values: dict[str, object] = field(default_factory=dict)
    extras: list[tuple[str, str]] = field(default_factory=list)  # (source header, value as typed)
    notes: list[str] = field(default_factory=list)  # cleaning the clerk should know about (15-digit ID converted …)


@dataclass
class Roster:
    """A roster file as read."""

    path: Path
    sheet: str | None  # None for a .csv: a text file has no sheets
    header_row: int
    mapping: dict[str, str | None]  # source header → standard field, None for a column with no place
    rows: list[RosterRow]
    skipped: dict[str, list[int]]  # why → row numbers (合计行, 空行)


def header_key(text: object) -> str:
    """A header as matched: NFKC, no invisible characters, no spaces, no trailing ``*``."""
    return re.sub(r"\s+", "", normalize_header(text))


def read_roster(path: Path, sheet: str | None = None) -> Roster:
    """Read the roster file at path (RosterUnreadable, NoHeaderRow)."""
    path = Path(path)
    tables, is_text = _read_tables(path)
    if sheet is not None:
        if sheet not in tables:
            raise NoHeaderRow(f"“{path.name}”中没有名为“{sheet}”的工作表（有：{'、'.join(tables)}）。")
        tables = {sheet: tables[sheet]}
    for name, rows in tables.items():
        found = _header_row(path, rows)
        if found is not None:
            return _roster(path, None if is_text else name, rows, found)
    raise NoHeaderRow(
        f"“{path.name}”的前 {contract.HEADER_ROWS} 行中没有找到表头（需要一行中至少有 {contract.MIN_KNOWN_HEADERS} 个"
        f"认识的列名）。认识的列名有：{contract.known_headers()}。")


def _read_tables(path: Path) -> tuple[dict[str, list[list[object]]], bool]:
    """The file's tables by sheet name, and whether it is a text file (read as CSV: one table, named by the file)."""
    try:
        file = open_input(path, "名单文件", ROSTER_LIMIT)
    except InputRefused as exc:
        raise RosterUnreadable(str(exc)) from None
    with file:
        data = file.read(ROSTER_LIMIT + 1)
    if data[:8] == OLE_MAGIC and ENCRYPTED_MARK in data[: 1 << 20]:
        raise RosterUnreadable(f"“{path.name}”设置了打开密码，无法读取。请在 Excel/WPS 中取消文件密码后另存一份再试。")
    if path.suffix.lower() == ".csv" or not (data[:8] == OLE_MAGIC or data[:2] == b"PK"):
        if path.suffix.lower() in SPREADSHEETS:
            raise RosterUnreadable(f"“{path.name}”不是有效的 {path.suffix} 表格文件，文件可能已损坏，请确认选对了文件。")
        return {path.stem: _read_csv(path, data)}, True
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}, False
    except Exception as exc:  # calamine's errors: a damaged file, an encrypted .xls, a zip that is not a workbook
        hint = "可能设置了打开密码，或文件已损坏" if data[:8] == OLE_MAGIC else "文件可能已损坏，或不是表格文件"
        raise RosterUnreadable(f"“{path.name}”无法作为表格打开，{hint}。") from None  # no class names: a clerk reads it


def _read_csv(path: Path, data: bytes) -> list[list[object]]:
    if b"\x00" in data[:4096]:
        raise RosterUnreadable(f"“{path.name}”不是表格文件（.xlsx、.xls、.ods 或 .csv），请确认选对了文件。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_chinese(path, data)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _decode_chinese(path: Path, data: bytes) -> str:
    from charset_normalizer import from_bytes  # only for a .csv that is not UTF-8

    best = from_bytes(data, cp_isolation=["gb18030", "gbk"]).best()
    encoding = best.encoding if best is not None else None
    if encoding in ("gb18030", "gbk", "gb2312"):
        encoding = "gb18030"  # a superset: decodes every GBK file the same way
    try:
        if encoding is None:
            raise UnicodeDecodeError("unknown", b"", 0, 1, "")
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise RosterUnreadable(
            f"“{path.name}”的文字编码无法识别（不是 UTF-8，也不是 GBK/GB18030）。"
            "请在 Excel/WPS 中打开后另存为“CSV UTF-8”或 .xlsx 再试。") from None


def _header_row(path: Path, rows: list[list[object]]) -> int | None:
    """The header row's index; NoHeaderRow when two different rows among the first rows both look like one (a
    header over two rows, 监护人 above 姓名/关系/联系电话: which column is which cannot be told)."""
    found = [index for index, cells in enumerate(rows[: contract.HEADER_ROWS])
             if sum(1 for cell in cells if header_key(cell) in _ALIASES) >= contract.MIN_KNOWN_HEADERS]
    if not found:
        return None
    first = _filled_keys(rows[found[0]])
    other = next((index for index in found[1:] if _filled_keys(rows[index]) != first), None)
    if other is not None:  # the same header repeated under the table is only skipped (_roster)
        raise NoHeaderRow(
            f"“{path.name}”的第 {found[0] + 1} 行和第 {other + 1} 行都像表头，无法确定以哪一行为准。请把表头合并成一行"
            f"（例如“监护人”下面分出的“姓名”“联系电话”写成“监护人姓名”“监护人电话”），删除另一行后再试。")
    return found[0]


def _filled_keys(cells: list[object]) -> list[str]:
    return [header_key(cell) for cell in cells if values.plain(cell)]


def _roster(path: Path, name: str | None, rows: list[list[object]], header: int) -> Roster:
    titles = [str(cell).strip() if cell is not None else "" for cell in rows[header]]
    columns: list[tuple[int, str, str | None]] = []
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for column, title in enumerate(titles):
        if not title:
            continue
        target = _ALIASES.get(header_key(title))
        if target in taken:
            target = None  # a second column for the same field: its values go to 备注
        if target:
            taken.add(target)
        mapping[title] = target
        columns.append((column, title, target))
    skipped: dict[str, list[int]] = {}
    read: list[RosterRow] = []
    header_keys = _filled_keys(rows[header])
    for index in range(header + 1, len(rows)):
        cells = rows[index]
        filled = [cell for cell in cells if values.plain(cell)]
        if not filled:
            skipped.setdefault("空行", []).append(index + 1)
        elif values.plain(filled[0]).replace(" ", "") in contract.TOTAL_WORDS:
            skipped.setdefault("合计行", []).append(index + 1)
        elif (len(filled) == len(header_keys) and header_key(filled[0]) == header_keys[0]
              and [header_key(cell) for cell in filled] == header_keys):  # the first cell first: most rows differ there
            skipped.setdefault("重复的表头行", []).append(index + 1)  # tables pasted one under another
        else:
            read.append(_row(index + 1, cells, columns))
    return Roster(path, name, header + 1, mapping, read, skipped)


def _row(number: int, cells: list[object], columns: list[tuple[int, str, str | None]]) -> RosterRow:
    row = RosterRow(number)
    for column, title, target in columns:
        cell = cells[column] if column < len(cells) else None
        if cell is None or values.plain(cell) == "":
            continue
        if target is None:
            row.extras.append((title, values.show(cell).strip()))
            continue
        try:
            row.values[target] = clean_value(target, cell, row.notes)
        except (PydanticCustomError, ValueError) as exc:
            row.extras.append((title, values.show(cell).strip()))
            row.notes.append(f"{title}：{exc.message() if isinstance(exc, PydanticCustomError) else exc}")
    return row


def clean_value(target: str, cell: object, notes: list[str]) -> object:
    """A roster cell as the standard workbook's value for target (ValueError or the cell's problem when it has none)."""
    if target == "身份证号":
        return _id_number(cell, notes)
    if target in contract.DATE_FIELDS:
        return values.parse_date(cell)
    if target == "监护人电话":
        return values.parse_phone(cell)
    if target in ("姓名", "监护人"):
        return _name(target, cell, notes)
    text = values.plain(cell) if target in ("性别", "危险性", "在管状态", "诊断", "监护人关系") else values.clean_text(cell)
    if target == "危险性":
        return _risk(text)
    if target == "性别":
        return _choice(text.removesuffix("性"), get_args(Sex), "性别")
    if target == "在管状态":
        return _choice(contract.STATUS_SYNONYMS.get(text, text), get_args(Status), "在管状态")
    if target == "诊断":
        return _choice(contract.DIAGNOSIS_SYNONYMS.get(text, text), get_args(Diagnosis), "诊断")
    if target == "监护人关系":
        return _choice(text, get_args(GuardianRelation), "监护人关系")
    return text


def _name(target: str, cell: object, notes: list[str]) -> str | None:
    """A name as the workbook keeps it; a name changed inside (spaces typed to align it, invisible characters) is
    noted, since a space may also have been meant (a compound name) and the clerk should see what was kept."""
    name = values.parse_name(cell)
    typed = values.show(cell).strip()
    if name and name != typed:
        notes.append(f"{target}：「{typed}」已改为「{name}」（去掉了名字中的空格或看不见的字符），请核对")
    return name


def _choice(text: str, allowed: tuple[str, ...], what: str) -> str:
    if text not in allowed:
        raise ValueError(f"「{text}」不是标准台账的{what}（{'、'.join(allowed)}），已放入备注")
    return text


def _risk(text: str) -> int:
    compact = re.sub(r"\s+", "", text).removesuffix("级")
    level = contract.CHINESE_DIGITS.get(compact, int(compact) if compact.isdigit() else None)
    if level not in contract.RISK_LEVELS:
        raise ValueError(f"「{text}」不是 0–5 级的危险性，已放入备注")
    return level


def _id_number(cell: object, notes: list[str]) -> str:
    try:
        return values.parse_id_number(cell)
    except PydanticCustomError as exc:
        if exc.type != "old-id":
            raise
    old = re.sub(r"\s+", "", values.plain(cell))
    first17 = old[:6] + "19" + old[6:]
    new = first17 + values.id_check_char(first17)
    values.id_birth_date(new)  # ValueError: the birth date in it does not exist
    notes.append(f"身份证号：15 位旧号码 {old} 已换算为 18 位 {new}，请对照身份证核实")
    return new
