"""Reading the workbook: sheets → header map and raw rows with real Excel row numbers (python-calamine).

calamine reads a county-sized workbook more than ten times faster than openpyxl (which still writes templates).

Nothing here knows what a cell means; ``validate.py`` does. The workbook is opened read-only and never written.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook at all; the message is one sentence for the clerk."""


class FormulaWithoutValue:
    """A formula cell saved without its computed value (a file written by a program, never opened in Excel)."""

    def __repr__(self) -> str:
        return "FormulaWithoutValue"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()
CELL_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
CACHED_RE = re.compile(rb"<v>[^<]+</v>")
FORMULA_RE = re.compile(rb"<f[ >/]")  # a formula element, not <formula1> of a dropdown
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def normalize_header(text: object) -> str:
    """A header as matched against the contract: NFKC, trimmed, without a trailing required-mark ``*``."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip().rstrip("*").strip()


@dataclass
class RawSheet:
    """One sheet as found: headers by column number, and rows with their Excel row numbers.

    Cell values are as calamine gives them: an empty cell is "" (or None past the end of a short row); rows that
    hold only spaces are left for the validator to recognise as blank.
    """

    title: str
    headers: dict[int, str] = field(default_factory=dict)
    rows: list[tuple[int, tuple[object, ...]]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    """Every sheet of the file, keyed by its normalized name."""

    path: Path
    sheets: dict[str, RawSheet] = field(default_factory=dict)


def check_readable(path: Path) -> None:
    """Raise WorkbookUnreadable with a clear sentence when path is not an .xlsx we can open."""
    if not path.exists():
        raise WorkbookUnreadable(f"找不到文件“{path}”，请检查路径和文件名。")
    if path.is_dir():
        raise WorkbookUnreadable(f"“{path}”是一个文件夹，请给出台账 .xlsx 文件的路径。")
    if path.name.startswith("~$") or path.name.startswith(".~lock."):
        raise WorkbookUnreadable(
            f"“{path.name}”是 Excel/WPS 打开文件时生成的临时锁定文件，不是台账本身；请使用不带 ~$ 的那个文件。"
        )
    with path.open("rb") as f:
        head = f.read(8)
        if head == OLE_MAGIC:
            if ENCRYPTED_MARK in f.read(1 << 20):
                raise WorkbookUnreadable(
                    f"“{path.name}”设置了打开密码，无法读取。请在 Excel/WPS 中取消文件密码后另存一份再试。"
                )
            raise WorkbookUnreadable(
                f"“{path.name}”是旧版 Excel（.xls）文件。请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后再试。"
            )
    if not zipfile.is_zipfile(path):
        raise WorkbookUnreadable(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件，请确认选对了文件。")


def read_workbook(path: Path) -> RawWorkbook:
    """Read every sheet's header row and non-blank rows; cached values stand in for formulas."""
    path = Path(path)
    check_readable(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {name: book.get_sheet_by_name(name) for name in book.sheet_names}
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise WorkbookUnreadable(f"“{path.name}”无法作为 Excel 工作簿打开（{type(exc).__name__}），文件可能已损坏。") from exc
    formula_cells = _formulas_without_values(path)
    raw = RawWorkbook(path)
    for title, ws in sheets.items():
        rows = ws.to_python(skip_empty_area=False)
        first_row, first_col = ws.start if rows else (0, 0)
        missing = formula_cells.get(title, set())
        sheet = RawSheet(title)
        pad = [None] * first_col
        for i, values in enumerate(rows):
            number = first_row + i + 1
            if missing:
                values = [FORMULA_WITHOUT_VALUE if v == "" and (c, number) in missing else v
                          for c, v in enumerate(pad + list(values) + [""] * _extra(missing, number, len(values)), 1)]
            elif not any(values):
                continue  # blank row (calamine gives "" for an empty cell)
            elif pad:
                values = pad + list(values)
            if number == 1:
                sheet.headers = {c: normalize_header(v) for c, v in enumerate(values, 1) if normalize_header(v)}
            else:
                sheet.rows.append((number, tuple(values)))
        raw.sheets[normalize_header(title)] = sheet
    return raw


def _extra(missing: set[tuple[int, int]], row: int, width: int) -> int:
    """How far a row must be padded to reach formula cells beyond its last value."""
    cols = [c for c, r in missing if r == row]
    return max(0, max(cols, default=0) - width)


def _formulas_without_values(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Cells per sheet title whose formula has no cached value (they read as blank)."""
    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as zf:
        for title, part in _sheet_parts(zf).items():
            data = zf.read(part)
            for formula in FORMULA_RE.finditer(data):
                # look only at the cell around each formula: sheets are large, formulas are few
                start, end = data.rfind(b"<c ", 0, formula.start()), data.find(b"</c>", formula.end())
                cell = CELL_RE.match(data, start, end + 4) if start >= 0 and end >= 0 else None
                if cell and not CACHED_RE.search(cell.group(3) or b""):
                    found.setdefault(title, set()).add((_column_number(cell.group(1).decode()), int(cell.group(2))))
    return found


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its XML part inside the .xlsx (from workbook.xml and its relationships)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part in zf.namelist():
            parts[sheet.get("name", "")] = part
    return parts


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number
