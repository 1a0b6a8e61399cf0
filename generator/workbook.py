"""Reading the workbook: sheets → header map and raw rows with real Excel row numbers (python-calamine).

calamine reads a county-sized workbook more than ten times faster than openpyxl (which still writes templates).

Nothing here knows what a cell means; ``validate.py`` does. The workbook is opened read-only and never written.
"""

from __future__ import annotations

import re
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import IO, Iterator, Sequence
from xml.etree import ElementTree

from python_calamine import CalamineSheet, CalamineWorkbook


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


class RawSheet:
    """One sheet as found: headers by column number, and rows with their Excel row numbers.

    Rows are produced on demand from calamine's compact copy of the sheet, so a county workbook never exists as
    Python objects all at once. Cell values are as calamine gives them: an empty cell is "" (or missing past the
    end of a short row); rows that hold only spaces are left for the validator to recognise as blank.
    """

    def __init__(self, title: str, sheet: CalamineSheet, formulas: set[tuple[int, int]]) -> None:
        self.title = title
        self._sheet = sheet
        self._formulas = formulas  # (column, row) of formula cells saved without a value
        self.headers: dict[int, str] = {}
        for number, values in self._numbered():
            if number == 1:
                self.headers = {c: normalize_header(v) for c, v in enumerate(values, 1) if normalize_header(v)}
            break

    def rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        """Every non-blank row below the header, as (Excel row number, cells from column A)."""
        for number, values in self._numbered():
            if number == 1:
                continue
            if self._formulas:
                values = [FORMULA_WITHOUT_VALUE if v == "" and (c, number) in self._formulas else v
                          for c, v in enumerate(values + [""] * _extra(self._formulas, number, len(values)), 1)]
            elif not any(values):
                continue  # blank row (calamine gives "" for an empty cell)
            yield number, values

    def _numbered(self) -> Iterator[tuple[int, list[object]]]:
        first_row, first_col = self._sheet.start or (0, 0)
        pad = [None] * first_col
        for i, values in enumerate(self._sheet.iter_rows()):
            yield first_row + i + 1, pad + values if pad else values


class RawWorkbook:
    """The sheets of one file by normalized name, each read when asked for (and freed when dropped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheet_seconds = 0.0  # time spent reading sheets, which happens during validation (for the benchmark)
        try:
            self._book = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for every kind of damage
            raise _damaged(path, exc) from exc
        self._titles = {normalize_header(title): title for title in self._book.sheet_names}
        self._formulas = _formulas_without_values(path)

    @property
    def names(self) -> list[str]:
        return list(self._titles)

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet with this (normalized) name, read now; None when the workbook has no such sheet."""
        title = self._titles.get(name)
        if title is None:
            return None
        start = time.perf_counter()
        try:
            return RawSheet(title, self._book.get_sheet_by_name(title), self._formulas.get(title, set()))
        except Exception as exc:
            raise _damaged(self.path, exc) from exc
        finally:
            self.sheet_seconds += time.perf_counter() - start


def _damaged(path: Path, exc: Exception) -> WorkbookUnreadable:
    return WorkbookUnreadable(f"“{path.name}”无法作为 Excel 工作簿打开（{type(exc).__name__}），文件可能已损坏。")


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
    """Open the workbook for reading; sheets are read one at a time as the validator asks for them."""
    path = Path(path)
    check_readable(path)
    return RawWorkbook(path)


def _extra(missing: set[tuple[int, int]], row: int, width: int) -> int:
    """How far a row must be padded to reach formula cells beyond its last value."""
    cols = [c for c, r in missing if r == row]
    return max(0, max(cols, default=0) - width)


def _formulas_without_values(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Cells per sheet title whose formula has no cached value (they read as blank)."""
    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as zf:
        for title, part in _sheet_parts(zf).items():
            with zf.open(part) as stream:
                for data in _whole_rows(stream):
                    for formula in FORMULA_RE.finditer(data):
                        # look only at the cell around each formula: sheets are large, formulas are few
                        start, end = data.rfind(b"<c ", 0, formula.start()), data.find(b"</c>", formula.end())
                        cell = CELL_RE.match(data, start, end + 4) if start >= 0 and end >= 0 else None
                        if cell and not CACHED_RE.search(cell.group(3) or b""):
                            found.setdefault(title, set()).add((_column_number(cell.group(1).decode()),
                                                                int(cell.group(2))))
    return found


def _whole_rows(stream: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """A sheet's XML in pieces of about size bytes that end after a </row>, so no cell is cut in two.

    A county sheet is ~100 MB of XML: read in pieces, it never sits in memory whole.
    """
    rest = b""
    while chunk := stream.read(size):
        data = rest + chunk
        cut = data.rfind(b"</row>")
        if cut < 0:
            rest = data
            continue
        yield data[:cut + 6]
        rest = data[cut + 6:]
    if rest:
        yield rest


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


def column_letter(number: int) -> str:
    """Excel's letters for a column number (1 → A, 27 → AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number
