"""What an .xlsx says about itself, read from its XML before the cell reader is given it.

calamine builds a sheet as one dense block from A1 to the farthest cell holding a value, and reads error values
and formulas saved without a result as blank cells. So each sheet's XML is scanned once, in pieces, for those
cells and for the sheet's extent; a few stray cells far beyond the data are cut out (``farcells.py``), and a file
whose sheets cannot be read within sane limits is refused here, naming the cell, instead of taking the machine down.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Iterator
from xml.etree import ElementTree

from generator.read.farcells import Block, StrayCell, find_block, is_sparse

MAX_CELLS = 10_000_000  # rows × columns of one sheet's data block (calamine holds ~40 bytes per cell)
MAX_PART_BYTES = 2_000_000_000  # uncompressed XML of one sheet
MAX_CELL_BYTES = 4_000_000  # one cell's XML (Excel allows 32,767 characters)
PIECE = 1 << 20

CELL_START = b"<c "
REF_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
WIDE_RE = re.compile(rb'<c r="([A-Z]{2,3})(\d{1,7})"[^>]*>')  # column AA or beyond
FORMULA_RE = re.compile(rb"<f[ >/]")  # a formula element, not <formula1> of a dropdown
VALUE_RE = re.compile(rb"<v[ >/]")
CACHED_RE = re.compile(rb"<v>[^<]")
ERROR_RE = re.compile(rb'<v>([^<]*)</v>')


class TooLarge(Exception):
    """The file's sheets cannot be read within the limits; the message is one sentence for the clerk."""


@dataclass
class SheetScan:
    """What the XML of one sheet holds that calamine does not tell: positions are (column, row), 1-based."""

    no_value: set[tuple[int, int]] = field(default_factory=set)  # formulas saved without a result
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # error values: #N/A, #DIV/0! …
    last_row: int = 0  # row of the last cell holding a value
    last_row_cell: str = ""
    widest: int = 0  # farthest column beyond Z holding a value
    widest_cell: str = ""
    narrow: int = 0  # farthest column up to Z holding a value
    part: str = ""  # the sheet's XML part in the .xlsx
    block: Block | None = None  # the data block, when cells far beyond it are cut out before reading
    strays: list[StrayCell] = field(default_factory=list)  # the valued cells cut out

    def cut(self, block: Block) -> None:
        """Read only block: marks beyond it go (the cells they mark are cut out)."""
        self.block = block
        self.no_value = {p for p in self.no_value if block.holds(*p)}
        self.errors = {p: code for p, code in self.errors.items() if block.holds(*p)}

    @property
    def width(self) -> int:
        """Columns of the data block; 26 while only columns up to Z were seen and not measured."""
        return self.widest or self.narrow or 26


def scan_workbook(file: IO[bytes], name: str) -> dict[str, SheetScan]:
    """SheetScan per sheet title of the .xlsx in file (named name in messages); raises TooLarge when a sheet
    exceeds the limits."""
    found: dict[str, SheetScan] = {}
    with zipfile.ZipFile(file) as zf:
        _check_shared_strings(zf, name)
        for title, part in sheet_parts(zf).items():
            if zf.getinfo(part).file_size > MAX_PART_BYTES:
                raise TooLarge(f"“{name}”的工作表“{title}”超过 2 GB，超出了台账的合理大小，无法检查。")
            with zf.open(part) as stream:
                scan = found[title] = scan_sheet(stream, title, name)
            scan.part = part
            cells = scan.last_row * scan.width
            if cells > MAX_CELLS or is_sparse(cells, zf.getinfo(part).file_size):
                with zf.open(part) as stream:  # a rare second pass: which cells lie far beyond the data
                    block = find_block(whole_cells(stream, title, name))
                if block and block.rows * block.columns <= MAX_CELLS:
                    scan.cut(block)
                    continue
            if scan.last_row * scan.width > MAX_CELLS and not scan.widest:
                with zf.open(part) as stream:  # a rare second pass: how many columns up to Z are used
                    measure_narrow(stream, scan)
            check_extent(scan, title, name)
    return found


def scan_sheet(stream: IO[bytes], title: str = "", file: str = "", size: int = PIECE) -> SheetScan:
    """One pass over a sheet's XML; work and memory grow with the file, never with its declared size."""
    scan = SheetScan()
    for piece in whole_cells(stream, title, file, size):
        _scan_piece(piece, scan)
    return scan


def measure_narrow(stream: IO[bytes], scan: SheetScan, size: int = PIECE) -> None:
    """Find the farthest column up to Z holding a value (needed only for very long sheets)."""
    for piece in whole_cells(stream, size=size):
        _scan_narrow(piece, scan)


def check_extent(scan: SheetScan, title: str, file: str) -> None:
    """Raise TooLarge, naming the far cell, when the sheet's data block exceeds MAX_CELLS."""
    if scan.last_row * scan.width > MAX_CELLS:
        _refuse_extent(scan, title, file)


def whole_cells(stream: IO[bytes], title: str = "", file: str = "", size: int = PIECE) -> Iterator[bytes]:
    """The XML in pieces of about size bytes, each cut outside a cell, so no cell is cut in two.

    Only the unfinished last cell is carried into the next piece, so the work is linear however the XML runs.
    """
    carry = b""
    while chunk := stream.read(size):
        if len(chunk) == size and not chunk.strip():
            raise TooLarge(f"“{file}”的工作表“{title}”里有一大段空白（超过 1 MB），文件可能是其他软件导出时出错。"
                           "请用 Excel 或 WPS 打开后另存一份再试。")
        data = carry + chunk if carry else chunk
        start, end = data.rfind(CELL_START), data.rfind(b"</c>")
        # before the last cell if it may be unfinished, else after the last tag (a "<c" may continue next time)
        cut = start if start > end else data.rfind(b">") + 1
        if cut == 0 and len(data) > MAX_CELL_BYTES:
            raise TooLarge(f"“{file}”的工作表“{title}”里有一个单元格的内容超过 4 MB，不是正常的台账内容。"
                           "请用 Excel 或 WPS 打开后另存一份再试。")
        if cut:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def _scan_piece(data: bytes, scan: SheetScan) -> None:
    for formula in FORMULA_RE.finditer(data):
        start = data.rfind(CELL_START, 0, formula.start())
        end = data.find(b"</c>", formula.end())
        if start >= 0 and not _has_result(data, start, formula.start(), end if end >= 0 else len(data)):
            scan.no_value.add(_position(data, start))
    at = data.find(b't="e"')
    while at >= 0:
        start, end = data.rfind(CELL_START, 0, at), data.find(b"</c>", at)
        value = ERROR_RE.search(data, at, end if end >= 0 else len(data))
        if start >= 0 and value:
            scan.errors[_position(data, start)] = value.group(1).decode("utf-8", "replace")
        at = data.find(b't="e"', at + 5)
    for wide in WIDE_RE.finditer(data):
        column = column_number(wide.group(1).decode())
        if column > scan.widest and not wide.group(0).endswith(b"/>"):
            scan.widest, scan.widest_cell = column, (wide.group(1) + wide.group(2)).decode()
    last = max(data.rfind(b"</v>"), data.rfind(b"</is>"))
    start = data.rfind(CELL_START, 0, last) if last >= 0 else -1
    if start >= 0:
        ref = REF_RE.match(data, start)
        if ref and int(ref.group(2)) > scan.last_row:
            scan.last_row, scan.last_row_cell = int(ref.group(2)), (ref.group(1) + ref.group(2)).decode()


def _has_result(data: bytes, start: int, formula: int, end: int) -> bool:
    """Whether a formula cell holds its result: a cached value, or an empty text result (LibreOffice's ``""``)."""
    if CACHED_RE.search(data, formula, end):
        return True
    return b't="str"' in data[start:formula] and VALUE_RE.search(data, formula, end) is not None


def _scan_narrow(data: bytes, scan: SheetScan) -> None:
    """Raise scan.narrow to the farthest column up to Z holding a value, looking only for columns past it."""
    while scan.narrow < 26:
        beyond = re.compile(rb'<c r="[%s]\d{1,7}"[^>]*>' % bytes(range(65 + scan.narrow, 91)))
        hit = next((m for m in beyond.finditer(data) if not m.group(0).endswith(b"/>")), None)
        if hit is None:
            return
        scan.narrow = hit.group(0)[6] - 64


def _position(data: bytes, start: int) -> tuple[int, int]:
    ref = REF_RE.match(data, start)
    return (column_number(ref.group(1).decode()), int(ref.group(2))) if ref else (0, 0)


def _refuse_extent(scan: SheetScan, title: str, file: str) -> None:
    if scan.widest and scan.last_row * 26 <= MAX_CELLS:
        cells = [scan.widest_cell]  # the far column alone makes the block too large
    else:
        cells = [c for c in dict.fromkeys([scan.widest_cell, scan.last_row_cell]) if c]
    rows, columns = scan.last_row, scan.width
    raise TooLarge(
        f"“{file}”的工作表“{title}”在 {'、'.join(cells)} 有内容，离台账数据太远：这张表的数据区域成了 "
        f"{rows} 行 × {columns} 列，超出了一张表最多 {MAX_CELLS:,} 个单元格（行数×列数）的限制。"
        f"请在 Excel/WPS 中删除 {'、'.join(cells)} 的内容（或它所在的整行、整列）后保存，再检查。"
    )


def _check_shared_strings(zf: zipfile.ZipFile, name: str) -> None:
    """A shared-strings table claiming more strings than its bytes can hold is damaged (the reader would trust it)."""
    try:
        info = zf.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return
    with zf.open(info) as stream:
        head = stream.read(4096)
    claimed = re.search(rb'uniqueCount="(\d+)"', head)
    if claimed and int(claimed.group(1)) > info.file_size:
        raise TooLarge(f"“{name}”内部的文字表声明有 {int(claimed.group(1))} 条文字，与文件实际内容不符，文件已损坏。"
                       "请用 Excel 或 WPS 打开后另存一份再试。")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its XML part inside the .xlsx (from workbook.xml and its relationships)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    names = set(zf.namelist())
    parts = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part in names:
            parts[sheet.get("name", "")] = part
    return parts


def column_number(letters: str) -> int:
    """A column's number from its letters (A → 1, AA → 27)."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number
