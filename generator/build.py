"""The one-way pipeline: workbook → rows → validated models → derived views → pages → mkdocs → encrypted site.

Two steps so the password is asked for only once the workbook is known to be valid: ``load`` then ``publish``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from .pages import NAV, page_levels, render_pages, with_levels
from .password import Access
from .report import Report
from .schema import Dataset
from .site import TOWNSHIP_LEVEL, build_site
from .validate import validate_workbook
from .views import build_view
from .workbook import read_workbook

Progress = Callable[[str], None]


class InvalidWorkbook(Exception):
    """The workbook has errors; nothing was built."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class Built:
    """What a build produced, and how long each stage took (seconds)."""

    out: Path
    pages: int
    as_of: date
    report: Report
    timings: dict[str, float] = field(default_factory=dict)


class Stopwatch:
    """Seconds spent per stage, for the benchmark."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now


def load(workbook: Path, as_of: date | None, today: date, progress: Progress = lambda _: None,
         watch: Stopwatch | None = None) -> tuple[Dataset, Report, date]:
    """Read and validate the workbook; InvalidWorkbook when it has errors. Returns the data, report and as-of date."""
    watch = watch or Stopwatch()
    progress(f"读取台账 {workbook.name}……")
    raw = read_workbook(workbook)
    watch.lap("read")
    progress("校验数据……")
    data, report = validate_workbook(raw, as_of=as_of, today=today)
    watch.lap("validate")
    if not report.valid:
        raise InvalidWorkbook(report)
    return data, report, as_of or data.settings.as_of or today


def publish(data: Dataset, report: Report, as_of: date, *, workbook_dir: Path | None, out: Path, now: datetime,
            access: Access | None, progress: Progress = lambda _: None, watch: Stopwatch | None = None) -> Built:
    """Build the site of valid data into out; access None builds it unprotected (--insecure-no-password only)."""
    watch = watch or Stopwatch()
    progress("计算逾期清单和指标……")
    view = build_view(data, report, as_of, now)
    watch.lap("rules")
    progress("生成页面……")
    pages = render_pages(view, workbook_dir)
    passwords = None
    if access is not None:
        passwords = {TOWNSHIP_LEVEL: access.township}
        passwords |= {view.village_codes[name]: pw for name, pw in access.villages.items() if name in view.village_codes}
        pages = with_levels(pages, page_levels(view), set(passwords) - {TOWNSHIP_LEVEL})
    watch.lap("render")
    count = build_site(pages, out, f"{data.settings.township}精防台账", NAV, {"township": data.settings.township},
                       passwords, progress=progress)
    watch.lap("mkdocs")
    return Built(out, count, as_of, report, dict(watch.timings))


def build(workbook: Path, out: Path, *, as_of: date | None, today: date, now: datetime, access: Access | None,
          progress: Progress = lambda _: None) -> Built:
    """Validate the workbook and, only when it has no errors, build the site into out."""
    data, report, day = load(workbook, as_of, today, progress)
    return publish(data, report, day, workbook_dir=workbook.parent, out=out, now=now, access=access, progress=progress)
