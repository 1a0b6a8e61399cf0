"""The one-way pipeline: workbook → rows → validated models → derived views → pages → mkdocs → site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from .pages import NAV, render_pages
from .report import Report
from .site import build_site
from .validate import validate_workbook
from .views import build_view
from .workbook import read_workbook


class InvalidWorkbook(Exception):
    """The workbook has errors; nothing was built."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class Built:
    """What a build produced."""

    out: Path
    pages: int
    as_of: date
    report: Report


def build(workbook: Path, out: Path, *, as_of: date | None, today: date, now: datetime,
          progress: Callable[[str], None] = lambda _: None) -> Built:
    """Validate the workbook and, only when it has no errors, build the site into out."""
    progress(f"读取台账 {workbook.name}……")
    raw = read_workbook(workbook)
    progress("校验数据……")
    data, report = validate_workbook(raw, as_of=as_of, today=today)
    if not report.valid:
        raise InvalidWorkbook(report)
    day = as_of or data.settings.as_of or today
    progress("计算逾期清单和指标……")
    view = build_view(data, report, day, now)
    progress("生成页面……")
    pages = render_pages(view, workbook.parent)
    count = build_site(pages, out, f"{data.settings.township}精防台账", NAV, {"township": data.settings.township},
                       progress=progress)
    return Built(out, count, day, report)
