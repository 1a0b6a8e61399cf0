"""Reading the workbook: sheets → header map and raw rows with real Excel row numbers (openpyxl, read-only).

Nothing here knows what a cell means; ``validate.py`` does. The workbook is opened read-only and never written.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook at all; the message is one sentence for the clerk."""


class FormulaWithoutValue:
    """A formula cell saved without its computed value (a file written by a program, never opened in Excel)."""

    def __repr__(self) -> str:
        return "FormulaWithoutValue"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()
CELL_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
CACHED_RE = re.compile(rb"<v>[^<]+</v>")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def normalize_header(text: object) -> str:
    """A header as matched against the contract: NFKC, trimmed, without a trailing required-mark ``*``."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip().rstrip("*").strip()


@dataclass
class RawSheet:
    """One sheet as found: headers by column number, and non-blank rows with their Excel row numbers."""

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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation and styles it does not read
            wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WorkbookUnreadable(f"“{path.name}”无法作为 Excel 工作簿打开（{type(exc).__name__}），文件可能已损坏。") from exc
    raw = RawWorkbook(path)
    try:
        formula_cells = _formulas_without_values(path, wb)
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # chartsheets
            ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
            sheet = RawSheet(ws.title)
            missing = formula_cells.get(ws.title, set())
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if number == 1:
                    sheet.headers = {i: normalize_header(v) for i, v in enumerate(values, 1) if normalize_header(v)}
                    continue
                cells = tuple(_clean(v) for v in values)
                if missing:
                    cells = tuple(
                        FORMULA_WITHOUT_VALUE if v is None and (i, number) in missing else v
                        for i, v in enumerate(cells + (None,) * _extra(missing, number, len(cells)), 1)
                    )
                if any(v is not None for v in cells):
                    sheet.rows.append((number, cells))
            raw.sheets[normalize_header(ws.title)] = sheet
    finally:
        wb.close()
    return raw


def _clean(value: object) -> object:
    """Blank-looking text is blank; a bare time is kept as text so it is reported, not crashed on."""
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, datetime) and value.year < 1900:
        return value.isoformat(" ")
    return value


def _extra(missing: set[tuple[int, int]], row: int, width: int) -> int:
    """How far a row must be padded to reach formula cells beyond its last value."""
    cols = [c for c, r in missing if r == row]
    return max(0, max(cols, default=0) - width)


def _formulas_without_values(path: Path, wb) -> dict[str, set[tuple[int, int]]]:
    """Cells per sheet title whose formula has no cached value (openpyxl reads them as blank)."""
    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as zf:
        for ws in wb.worksheets:
            part = getattr(ws, "_worksheet_path", None)
            if not part:
                continue
            data = zf.read(part.lstrip("/"))
            if b"<f" not in data:
                continue
            for letters, row, inner in CELL_RE.findall(data):
                if inner and b"<f" in inner and not CACHED_RE.search(inner):
                    found.setdefault(ws.title, set()).add((_column_number(letters.decode()), int(row)))
    return found


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number
