"""Reading the workbook: sheets → header map and raw rows with real Excel row numbers (python-calamine).

calamine reads a county-sized workbook more than ten times faster than openpyxl (which still writes templates).

Nothing here knows what a cell means; ``validate.py`` does. The workbook is opened read-only and never written.
"""

from __future__ import annotations

import re
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from python_calamine import CalamineSheet, CalamineWorkbook

from generator.read.inputs import MB, InputRefused, open_input
from generator.read.farcells import StrayCell, cut_workbook
from generator.read.xmlscan import SheetScan, TooLarge, scan_workbook, whole_cells


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook at all; the message is one sentence for the clerk."""


class FormulaWithoutValue:
    """A formula cell saved without its computed value (a file written by a program, never opened in Excel)."""

    def __repr__(self) -> str:
        return "FormulaWithoutValue"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()
WORKBOOK_LIMIT = 256 * MB  # a 10,000-patient county workbook is about 20 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


class CellError(str):
    """An Excel error value in a cell (#N/A, #DIV/0!, #REF! …): calamine reads it as blank."""


def normalize_header(text: object) -> str:
    """A header or sheet name as matched: NFKC, invisible characters dropped, trimmed, no trailing ``*``."""
    if text is None:
        return ""
    return INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", str(text))).strip().rstrip("*").strip()


class RawSheet:
    """One sheet as found: headers by column number, and rows with their Excel row numbers.

    Rows are produced on demand from calamine's compact copy of the sheet, so a county workbook never exists as
    Python objects all at once. Cell values are as calamine gives them: an empty cell is "" (or missing past the
    end of a short row); rows that hold only spaces are left for the validator to recognise as blank. Cells that
    calamine reads as blank but are not (error values, formulas saved without a result) come back marked.
    Valued cells far beyond the data were cut out before calamine read the sheet; they are in ``strays``.
    """

    def __init__(self, title: str, sheet: CalamineSheet, scan: SheetScan | None = None) -> None:
        self.title = title
        self._sheet = sheet
        scan = scan or SheetScan()
        self.strays: list[StrayCell] = scan.strays
        self._marked: dict[tuple[int, int], object] = dict.fromkeys(scan.no_value, FORMULA_WITHOUT_VALUE)
        self._marked.update({cell: CellError(code) for cell, code in scan.errors.items()})
        self.headers: dict[int, str] = {}  # normalized header text by column number
        self.titles: dict[int, str] = {}  # header text as typed
        for number, values in self._numbered():
            if number == 1:
                self.titles = {c: str(v) for c, v in enumerate(values, 1) if normalize_header(v)}
                self.headers = {c: normalize_header(v) for c, v in self.titles.items()}
            break

    @property
    def corner(self) -> str:
        """The last cell of the data read, as Ctrl+End finds it once stray cells are deleted (A1 when none)."""
        rows, columns = self._sheet.end or (0, 0)
        return f"{column_letter(columns + 1)}{rows + 1}"

    def head(self, rows: int) -> list[tuple[int, list[object]]]:
        """The first rows of the sheet, blank or not (to find a header that is not on row 1)."""
        return [item for item, _ in zip(self._numbered(), range(rows))]

    def rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        """Every non-blank row below the header, as (Excel row number, cells from column A)."""
        marked = self._marked
        by_row: dict[int, list[tuple[int, object]]] = {}
        for (column, row), mark in marked.items():
            by_row.setdefault(row, []).append((column, mark))
        for number, values in self._numbered():
            if number == 1:
                continue
            if number in by_row:
                values = _with_marks(values, by_row[number])
                if not any(v for v in values if v is not FORMULA_WITHOUT_VALUE):
                    continue  # formulas alone, none with a value: a prepared row nobody filled in
            elif not any(values):
                continue  # blank row (calamine gives "" for an empty cell)
            yield number, values

    def _numbered(self) -> Iterator[tuple[int, list[object]]]:
        # calamine's rows start at row 1 (empty rows above the data included), its columns at the first used one
        _, first_col = self._sheet.start or (0, 0)
        pad = [None] * first_col
        for i, values in enumerate(self._sheet.iter_rows()):
            yield i + 1, pad + values if pad else values


def _with_marks(values: list[object], marks: list[tuple[int, object]]) -> list[object]:
    """The row with each marked cell in place (padded when a mark lies past the row's last value)."""
    values = values + [""] * max(0, max(c for c, _ in marks) - len(values))
    for column, mark in marks:
        if values[column - 1] in ("", None):
            values[column - 1] = mark
    return values


class RawWorkbook:
    """The sheets of one file by normalized name, each read when asked for (and freed when dropped)."""

    def __init__(self, path: Path, file: BinaryIO) -> None:
        """Read from file, opened by ``open_checked`` (the name is only for messages)."""
        self.path = path
        self.sheet_seconds = 0.0  # time spent reading sheets, which happens during validation (for the benchmark)
        try:
            self._scans = scan_workbook(file, path.name) if zipfile.is_zipfile(file) else {}
            self._cut_book = self._cut(file)
        except TooLarge as exc:
            raise WorkbookUnreadable(str(exc)) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError):
            self._scans, self._cut_book = {}, None  # a damaged file: calamine says what is wrong with it
        try:
            file.seek(0)
            # calamine tells an .ods only by its name; the path was checked (a regular file, not a link) just now
            self._book = (CalamineWorkbook.from_path(str(path)) if path.suffix.lower() == ".ods"
                          else CalamineWorkbook.from_filelike(file))
        except Exception as exc:  # calamine raises its own error types for every kind of damage
            raise _damaged(path, exc) from exc
        self.titles: dict[str, list[str]] = {}  # normalized name → every sheet title that normalizes to it
        for title in self._book.sheet_names:
            self.titles.setdefault(normalize_header(title), []).append(title)

    def _cut(self, file: BinaryIO) -> CalamineWorkbook | None:
        """The sheets that have far cells, read from a copy without them (None when no sheet has any)."""
        blocks = {scan.part: scan.block for scan in self._scans.values() if scan.block}
        if not blocks:
            return None
        file.seek(0)
        copy, strays = cut_workbook(file, blocks, {scan.part for scan in self._scans.values()}, whole_cells)
        for scan in self._scans.values():
            scan.strays = strays.get(scan.part, [])
        return CalamineWorkbook.from_filelike(copy)

    @property
    def names(self) -> list[str]:
        return list(self.titles)

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet with this (normalized) name, read now; None when there is none, or more than one."""
        titles = self.titles.get(name, [])
        if len(titles) != 1:
            return None
        start = time.perf_counter()
        scan = self._scans.get(titles[0])
        book = self._cut_book if scan and scan.block and self._cut_book else self._book
        try:
            return RawSheet(titles[0], book.get_sheet_by_name(titles[0]), scan)
        except Exception as exc:
            raise _damaged(self.path, exc, titles[0]) from exc
        finally:
            self.sheet_seconds += time.perf_counter() - start


def _damaged(path: Path, exc: Exception, title: str | None = None) -> WorkbookUnreadable:
    if "Cell limit exceeded" in str(exc):  # calamine's own bound (.ods files, which are not pre-scanned)
        where = f"的工作表“{title}”" if title else ""
        return WorkbookUnreadable(
            f"“{path.name}”{where}有内容离台账数据太远，数据区域超过 1 亿个单元格（行数×列数），无法检查。"
            "请在 WPS/LibreOffice 中按 Ctrl+End 找到最后一个有内容的单元格，删除远处多余的内容后保存，再检查。")
    # in plain words: the library's class name (CalamineError) means nothing to a clerk
    return WorkbookUnreadable(f"“{path.name}”无法作为 Excel 工作簿打开，文件可能已损坏。"
                              "请用 Excel 或 WPS 打开它，另存为 .xlsx 后再试。")


def open_checked(path: Path) -> BinaryIO:
    """The workbook opened for reading (a regular file, not a link, within the size cap), or WorkbookUnreadable
    with a clear sentence when it is not an .xlsx/.ods we can open."""
    if path.name.startswith("~$") or path.name.startswith(".~lock."):
        raise WorkbookUnreadable(
            f"“{path.name}”是 Excel/WPS 打开文件时生成的临时锁定文件，不是台账本身；请使用不带 ~$ 的那个文件。"
        )
    try:
        file = open_input(path, "台账", WORKBOOK_LIMIT)
    except InputRefused as exc:
        raise WorkbookUnreadable(str(exc)) from None
    try:
        head = file.read(8)
        if head == OLE_MAGIC:
            if ENCRYPTED_MARK in file.read(1 << 20):
                raise WorkbookUnreadable(
                    f"“{path.name}”设置了打开密码，无法读取。请在 Excel/WPS 中取消文件密码后另存一份再试。"
                )
            raise WorkbookUnreadable(
                f"“{path.name}”是旧版 Excel（.xls）文件。请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后再试。"
            )
        if not zipfile.is_zipfile(file):
            raise WorkbookUnreadable(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件，请确认选对了文件。")
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


def check_readable(path: Path) -> None:
    """Raise WorkbookUnreadable with a clear sentence when path is not an .xlsx we can open."""
    open_checked(Path(path)).close()


def read_workbook(path: Path) -> RawWorkbook:
    """Open the workbook for reading; sheets are read one at a time as the validator asks for them."""
    path = Path(path)
    with open_checked(path) as file:
        return RawWorkbook(path, file)


def column_letter(number: int) -> str:
    """Excel's letters for a column number (1 → A, 27 → AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
