"""Problems found in a workbook, as data: where, what, how bad."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Iterable, Literal

from generator.contract.problems import BY_CODE

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem with a position the clerk can click to (``随访记录!C12``)."""

    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    value: str | None
    code: str
    message: str
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """The Excel address, or the sheet when the problem has no single cell."""
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.row:
            return f"{self.sheet}!第{self.row}行"
        return self.sheet

    def sort_key(self) -> tuple:
        return (self.sheet_order, self.row or 0, self.column_order, self.code)

    def __post_init__(self) -> None:
        kind = BY_CODE.get(self.code)
        if kind is None or kind.severity not in (self.severity, "either"):
            raise ValueError(f"problem code {self.code!r} ({self.severity}) is not declared so in problems.CATALOGUE")

    # set by Report so problems sort in workbook order, not alphabetically
    sheet_order: int = field(default=0, compare=False, repr=False)
    column_order: int = field(default=0, compare=False, repr=False)


@dataclass
class Report:
    """Every problem of one workbook, sorted by sheet, row and column."""

    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """The closing line, e.g. ``3 个错误，2 个警告``."""
        return f"{len(self.errors)} 个错误，{len(self.warnings)} 个警告"

    def flatten(self, keys: Iterable[str] = ("cell", "code")) -> list[list]:
        """The problems as lists of the given attributes (for tests, like frictionless)."""
        keys = list(keys)
        return [[getattr(p, k) for k in keys] for p in self.sorted()]

    def to_json(self) -> str:
        """A JSON array with keys sheet, row, column, cell, value, code, message, severity."""
        keep = ("sheet", "row", "column", "cell", "value", "code", "message", "severity")
        return json.dumps([{k: asdict(p)[k] for k in keep} for p in self.sorted()], ensure_ascii=False, indent=2)


def unreadable_problem(message: str) -> Problem:
    """The one problem of a file that cannot be read at all (for ``check --json``): no sheet, no cell."""
    return Problem(None, None, None, None, None, "file-unreadable", message)  # type: ignore[arg-type]


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_table(rows: list[list[str]], max_width: int = 40) -> str:
    """A plain-text table, columns padded by display width; long cells (but the last) are cut with …."""
    def cut(text: str) -> str:
        if display_width(text) <= max_width:
            return text
        out = ""
        for ch in text:
            if display_width(out + ch) > max_width - 1:
                return out + "…"
            out += ch
        return out

    cells = [[cut(c) for c in row[:-1]] + row[-1:] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for n, row in enumerate(cells):
        padded = [c + " " * (w - display_width(c)) for c, w in zip(row[:-1], widths)]
        lines.append(" | ".join(padded + [row[-1]]).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def render_report(report: Report) -> str:
    """The check command's table: 工作表 | 单元格 | 列 | 值 | 问题, then the summary line."""
    rows = [["工作表", "单元格", "列", "值", "问题"]]
    for p in report.sorted():
        mark = "" if p.severity == "error" else "［警告］"
        rows.append([p.sheet, p.cell or (f"第{p.row}行" if p.row else ""), p.column or "", p.value or "", mark + p.message])
    table = render_table(rows, max_width=24) if len(rows) > 1 else "没有发现问题。"
    return f"{table}\n{report.summary()}"
