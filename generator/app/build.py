"""The one-way pipeline: workbook → rows → validated models → derived views → pages → mkdocs → encrypted site.

``load`` reads and validates; ``build`` then checks the passwords against the data, renders every page into a
private staging folder, lets go of the rows and runs mkdocs.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from generator.derive.monthly import Month, comparison_summary, parse_month
from generator.present.pages import NAV, paths, render_pages, with_levels
from generator.present.document_html import ALL_DOCUMENTS, OVERRIDE_FOLDER, override_templates
from generator.present.pages.html import href
from generator.present.pages.printing import with_print_header
from generator.app.password import Access, check_access
from generator.contract.report import Report
from generator.contract.schema import Dataset
from generator.contract.access import TOWNSHIP_LEVEL, department_level
from generator.contract.lists import DEPARTMENTS
from generator.site.encryption import STORAGE_PREFIX
from generator.site.staging import Staging
from generator.site.output_folder import check_input_outside, check_output, recover_output
from generator.derive.changes import state_of
from generator.derive.comparison import Compared, compare_roster
from generator.read.roster import Roster, read_roster
from generator.site.statefile import STATE_FILE, StateKeys, record_state
from generator.site.verify import Secrets, personal_values
from generator.validate.workbook import validate_workbook
from generator.present.views import build_view
from generator.read.workbook import read_workbook

Progress = Callable[[str], None]
LOCK_MINUTES = 30  # default idle time after which the site's pages ask for the password again


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
    stale: str | None = None  # the stale-data warning (stale_notice), when the data is old
    compared: list[str] = field(default_factory=list)  # one line of counts per --compare list (no names)


class Stopwatch:
    """Seconds spent per stage, for the benchmark."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now

    def shift(self, seconds: float, source: str, target: str) -> None:
        """Count seconds already lapped as source under target instead."""
        self.timings[source] -= seconds
        self.timings[target] = self.timings.get(target, 0.0) + seconds


def stale_notice(as_of: date, today: date, limit: int) -> str | None:
    """The warning for data older than limit days on the build day (dates only: shown outside the encryption)."""
    age = (today - as_of).days
    if age <= limit:
        return None
    return f"数据截至 {as_of.isoformat()}，已过去 {age} 天，清单可能不全：请更新台账后重新生成"


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
    watch.shift(raw.sheet_seconds, "validate", "read")  # each sheet is read when validation reaches it
    if not report.valid:
        raise InvalidWorkbook(report)
    return data, report, data.as_of or today


def stage(data: Dataset, report: Report, as_of: date, staging: Staging, *, workbook_dir: Path | None, now: datetime,
          access: Access | None, progress: Progress = lambda _: None, watch: Stopwatch | None = None,
          month: Month | None = None, state: StateKeys | None = None,
          comparisons: Sequence[Compared] = ()) -> dict[str, str] | None:
    """Render every page of valid data into staging; return each access level's password (None: no encryption).

    Only villages and departments that have a password get a level of their own. month: the monthly report's month.
    state: opens the last build's state (its 变化 page compares with it) and seals this build's into staging's files
    with the township password. comparisons: the roster files of ``--compare``, compared (the 信息比对 page).
    """
    if workbook_dir is not None:
        used, ignored = override_templates(workbook_dir)
        for name in used:
            progress(f"使用自定义文书模板：{OVERRIDE_FOLDER}/{name}")
        for name in ignored:
            progress(f"注意：{OVERRIDE_FOLDER}/{name} 不是可识别的模板名（应为 {'、'.join(f'{t}.html' for t in ALL_DOCUMENTS.values())}），没有使用。")
    progress("计算逾期清单和指标……")
    view = build_view(data, report, as_of, now, month)
    view.comparisons = list(comparisons)
    if state is not None:
        view.previous, unused = state.previous()
        if unused:
            progress(f"注意：{unused}这次的“变化”页不与上次比较。")
        staging.files[STATE_FILE] = state.seal(state_of(data.patients, view.states, view.lists, as_of))
    (watch or Stopwatch()).lap("rules")
    pages = with_print_header(render_pages(view, workbook_dir), data.settings.township)
    passwords = None
    if access is not None:
        passwords = {TOWNSHIP_LEVEL: access.township}
        passwords |= {view.village_codes[name]: pw for name, pw in access.villages.items() if name in view.village_codes}
        passwords |= {department_level(slug): pw for slug, pw in access.departments.items()}
        pages = with_levels(pages, set(passwords) - {TOWNSHIP_LEVEL})
        staging.passwords = tuple(passwords.values())
        staging.entries = entry_pages(view.village_codes)
    progress("生成页面……")
    staging.write(pages)
    return passwords


def entry_pages(village_codes: dict[str, str]) -> dict[str, list[str]]:
    """Each village's and department's level, with the page its password leads to (its address from the site's
    root) and its name (the level probe)."""
    return ({code: [href(paths.HOME, paths.village(code)), name] for name, code in village_codes.items()}
            | {department_level(d.slug): [href(paths.HOME, paths.department(d.slug)), d.title] for d in DEPARTMENTS})


def build(workbook: Path, out: Path, *, as_of: date | None, today: date, now: datetime, access: Access | None,
          finish: Callable[[Path], None] = lambda _: None, progress: Progress = lambda _: None,
          watch: Stopwatch | None = None, lock_minutes: int = LOCK_MINUTES, month: str | None = None,
          compare: Sequence[tuple[Path, str]] = (), demo: bool = False) -> Built:
    """Validate the workbook and, only when it has no errors and the passwords suit it, build the site into out.

    access None builds the site unprotected (--insecure-no-password only); otherwise the new site is installed only
    if the leak gate finds none of the workbook's personal values in plaintext. finish is called on the new site
    just before it replaces out (the caller's stamp). lock_minutes: idle minutes after which the browser forgets
    the keys (read by assets/jingfang.js from the page). month: the information exchange report's month as typed
    (2026-10; default the month before the as-of date). compare: the roster files of ``--compare`` with their
    source, each read before anything else is done (RosterUnreadable, NoHeaderRow stop the build there). demo: the data is counted as
    current on its own as-of day (the sample's demo), so no stale-data warning.
    """
    watch = watch or Stopwatch()
    check_output(out, workbook)
    for path, _ in compare:
        check_input_outside(out, path, "名单文件")
    recover_output(out)
    rosters = read_rosters(compare, progress)
    state = StateKeys(out, access.township) if access is not None else None  # derives while the workbook is read
    data, report, day = load(workbook, as_of, today, progress, watch)
    report_month = parse_month(month, day) if month else None
    if access is not None:
        check_access(access, data.settings.township, [v.name for v in data.villages], county=data.settings.county,
                     as_of=day)
    watch.lap("password")
    township = data.settings.township
    stale = stale_notice(day, day if demo else today, data.settings.stale_days)
    comparisons = [compare_roster(data, roster, source) for roster, source in rosters]
    # the gate also looks for every password in every file (a template or a value that shows one), and for the
    # people of the compared lists as well as the workbook's
    secrets: Secrets | None = None if access is None else personal_values(
        data, [access.township, *access.villages.values(), *access.departments.values()],
        listed=[row.values for roster, _ in rosters for row in roster.rows])
    del rosters
    # a site has about two pages per patient and ten per village: the mkdocs processes start loading now
    with Staging(expected_pages=2 * len(data.patients) + 10 * len(data.villages)) as staging:
        passwords = stage(data, report, day, staging, workbook_dir=workbook.parent, now=now, access=access,
                          progress=progress, watch=watch, month=report_month, state=state, comparisons=comparisons)
        watch.lap("render")
        del data  # every page is on disk: hand the rows' memory back before the mkdocs processes start
        release_memory()
        progress(f"已写出 {len(staging.pages)} 个页面。")
        extra = {"township": township, "lock_minutes": lock_minutes, "key_prefix": STORAGE_PREFIX, "stale": stale}
        count = staging.build(out, f"{township}精防台账", NAV, extra, passwords, secrets=secrets,
                              finish=finish if state is None else _bound(finish), progress=progress)
    watch.lap("mkdocs")
    watch.shift(staging.gate_seconds, "mkdocs", "verify")
    return Built(out, count, day, report, dict(watch.timings), stale,
                 [comparison_summary(c.result) for c in comparisons])


def read_rosters(compare: Sequence[tuple[Path, str]], progress: Progress) -> list[tuple[Roster, str]]:
    """Each roster file of --compare as read (only read: through read/inputs, as every input)."""
    rosters = []
    for path, source in compare:
        progress(f"读取比对名单 {path.name}（{source}）……")
        rosters.append((read_roster(path), source))
    return rosters


def _bound(finish: Callable[[Path], None]) -> Callable[[Path], None]:
    """finish, then the state file's digest into the stamp it wrote (the next build accepts only this state file)."""
    def both(site: Path) -> None:
        finish(site)
        record_state(site)

    return both


def release_memory() -> None:
    """Give freed memory back to the system, so that it is there for the mkdocs processes.

    glibc keeps freed heap memory for the process unless asked; other platforms' allocators return it themselves.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass  # another C library (musl): nothing to trim
