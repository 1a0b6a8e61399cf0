"""Stray cells far from a sheet's data (a space typed at 随访记录!K1000000): found in the XML, cut out before reading.

calamine holds a sheet as one dense block from A1 to its farthest value, so one stray cell a million rows down would
make it hold millions of empty cells (or refuse the sheet). A large block that is almost empty is looked at cell by
cell: the data block ends at the first long run of empty rows (or columns), and the few valued cells beyond it are
cut out of a copy of the sheet given to calamine, then reported at their addresses. Nothing here decides what a
stray cell means; ``validate.py`` does.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from html import unescape
from io import BytesIO
from typing import IO, Callable, Iterable
from xml.etree import ElementTree

SPARSE_CELLS = 1_000_000  # a block this large is looked at cell by cell when it is almost empty
ROW_GAP = 1_000  # more empty rows than this end the data block
COLUMN_GAP = 100  # more empty columns than this end it too
MAX_STRAYS = 1_000  # more cells beyond the gap than this are not strays: the sheet is read as it is
ROWS = 1_048_576  # Excel's last row

# a cell holding a value (after an optional formula); an empty styled cell <c r="K9" s="1"/> is none
VALUE_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<(?:v|is)[ >]')
REF_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?:/>|>.*?</c>)', re.S)
TYPE_RE = re.compile(rb'^<c [^>]*\bt="([a-zA-Z]+)"')
TEXT_RE = re.compile(rb"<t(?: [^>]*)?>([^<]*)</t>")
RAW_VALUE_RE = re.compile(rb"<v>([^<]*)</v>")
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Block:
    """The data block of a sheet whose far cells are cut: rows 1..rows, columns 1..columns (1-based)."""

    rows: int
    columns: int

    def holds(self, column: int, row: int) -> bool:
        return row <= self.rows and column <= self.columns


@dataclass(frozen=True)
class StrayCell:
    """A valued cell beyond the data block: its position (column, row, 1-based) and its value as text."""

    column: int
    row: int
    value: str


def is_sparse(cells: int, size: int) -> bool:
    """Whether a block of this many cells, from this many bytes of XML, is worth looking at cell by cell: under one
    byte per cell (a valued cell takes twenty or more), so almost all of it would be empty."""
    return cells > SPARSE_CELLS and size < cells


def find_block(pieces: Iterable[bytes]) -> Block | None:
    """The data block, when a few valued cells lie beyond a long empty run; None when the sheet is one block.

    One pass over the sheet's XML (in pieces cut outside cells), counting valued cells by column letters and by row
    digits (C-speed tallies: a county sheet of a million cells takes about a second).
    """
    by_column: Counter[bytes] = Counter()
    by_row: Counter[bytes] = Counter()
    for piece in pieces:
        found = VALUE_CELL_RE.findall(piece)
        if found:
            letters, digits = zip(*found)
            by_column.update(letters)
            by_row.update(digits)
            if len(by_row) > ROWS:
                return None  # not a sheet Excel saves: left to the extent limit
    numbers = {column_number(letters): n for letters, n in by_column.items()}
    rows = {int(digits): n for digits, n in by_row.items()}
    if max(numbers, default=0) > 16_384 or max(rows, default=0) > ROWS:
        return None  # not a sheet Excel saves: left to the extent limit
    block = Block(_extent(sorted(rows), ROW_GAP), _extent(sorted(numbers), COLUMN_GAP))
    # valued cells beyond the block (a cell beyond both is counted twice: an upper bound)
    beyond = sum(n for c, n in numbers.items() if c > block.columns) + sum(n for r, n in rows.items() if r > block.rows)
    return block if 0 < beyond <= MAX_STRAYS else None


def _extent(positions: list[int], gap: int) -> int:
    """The last position before the first run of more than gap empty ones (counting from 0)."""
    last = 0
    for at in positions:
        if at - last > gap:
            break
        last = at
    return last


def cut_sheet(pieces: Iterable[bytes], block: Block, write: Callable[[bytes], object]) -> list[tuple[int, int, bytes]]:
    """Write the sheet's XML without the cells outside block; return the valued ones as (column, row, XML)."""
    strays: list[tuple[int, int, bytes]] = []

    def keep(cell: re.Match) -> bytes:
        column, row = column_number(cell.group(1)), int(cell.group(2))
        if block.holds(column, row):
            return cell.group(0)
        if VALUE_CELL_RE.match(cell.group(0)):
            strays.append((column, row, cell.group(0)))
        return b""

    for piece in pieces:
        refs = REF_RE.findall(piece)
        if refs:  # most pieces lie wholly inside the block: written as they are
            letters, digits = zip(*refs)
            if max(map(column_number, set(letters))) > block.columns or max(map(int, digits)) > block.rows:
                piece = CELL_RE.sub(keep, piece)
        write(piece)
    return strays


def cut_workbook(file: IO[bytes], blocks: dict[str, Block], sheets: set[str],
                 cells: Callable[[IO[bytes]], Iterable[bytes]]) -> tuple[BytesIO, dict[str, list[StrayCell]]]:
    """A copy of the .xlsx in memory holding the sheet parts in blocks, cut to their block, and what calamine needs
    to read them, but none of the other sheet parts (of sheets), which are read from the file itself. Nothing is
    written to disk: the workbook is personal data. Also the valued cells cut, by part."""
    out = BytesIO()
    found: dict[str, list[tuple[int, int, bytes]]] = {}
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename in sheets and info.filename not in blocks:
                continue
            with src.open(info) as stream, dst.open(_fresh(info), "w", force_zip64=True) as target:
                if info.filename in blocks:
                    found[info.filename] = cut_sheet(cells(stream), blocks[info.filename], target.write)
                else:
                    while chunk := stream.read(1 << 20):
                        target.write(chunk)
        shared = _shared_strings(src, {_shared_index(xml) for cut in found.values() for _, _, xml in cut} - {None})
    out.seek(0)
    return out, {part: [StrayCell(c, r, _value(xml, shared)) for c, r, xml in cut] for part, cut in found.items()}


def _fresh(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    return copy


def _shared_index(xml: bytes) -> int | None:
    kind = TYPE_RE.match(xml)
    value = RAW_VALUE_RE.search(xml)
    return int(value.group(1)) if kind and kind.group(1) == b"s" and value and value.group(1).isdigit() else None


def _value(xml: bytes, shared: dict[int, str]) -> str:
    """A cut cell's value as the clerk typed it: a shared or inline text, or the number as saved."""
    index = _shared_index(xml)
    if index is not None:
        return shared.get(index, "")
    texts = TEXT_RE.findall(xml)
    if texts:
        return unescape(b"".join(texts).decode("utf-8", "replace"))
    value = RAW_VALUE_RE.search(xml)
    return unescape(value.group(1).decode("utf-8", "replace")) if value else ""


def _shared_strings(zf: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings at the wanted indices, read as a stream (the table may be large)."""
    if not wanted:
        return {}
    found: dict[int, str] = {}
    index = 0
    try:
        with zf.open("xl/sharedStrings.xml") as stream:
            for _, item in ElementTree.iterparse(stream):
                if item.tag != MAIN_NS + "si":
                    continue
                if index in wanted:
                    found[index] = "".join(t.text or "" for t in item.iter(MAIN_NS + "t"))
                index += 1
                item.clear()
                if index > max(wanted):
                    break
    except (KeyError, ElementTree.ParseError):
        pass  # no table, or a damaged one: calamine says so
    return found


def column_number(letters: bytes) -> int:
    """A column's number from its letters (A → 1, AA → 27)."""
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number
