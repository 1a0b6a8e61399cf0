"""The commands that read a workbook and report on it: ``check`` (every problem), ``overdue`` (the lists, as text or
JSON) and ``verify`` (the leak gate on a built site against the workbook's personal values).

Dates are parameters: today is read by the CLI; the as-of day is resolved once, by the validator.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Callable

from generator.app.build import InvalidWorkbook
from generator.app.outcome import Outcome
from generator.app.publishing import access_file_problems
from generator.contract.lists import BY_KEY
from generator.contract.report import Report, render_report, unreadable_problem
from generator.contract.schema import Dataset
from generator.derive import evaluation
from generator.derive.registry import OverdueItem
from generator.read.workbook import WorkbookUnreadable, read_workbook
from generator.site.verify import check_site, describe, personal_values
from generator.validate.workbook import validate_workbook


class SiteUnreadable(Exception):
    """The folder given to ``verify`` holds no site."""


def load_workbook(workbook: Path, as_of: date | None, today: date) -> tuple[Dataset, Report]:
    """Read and validate the workbook, errors and all; WorkbookUnreadable when it cannot be read at all."""
    return validate_workbook(read_workbook(workbook), as_of=as_of, today=today)


def load_valid(workbook: Path, as_of: date | None, today: date) -> tuple[Dataset, Report]:
    """Read and validate the workbook; InvalidWorkbook when it has errors."""
    data, report = load_workbook(workbook, as_of, today)
    if not report.valid:
        raise InvalidWorkbook(report)
    return data, report


def check_workbook(workbook: Path, as_of: date | None, today: date, as_json: bool,
                   access_file: Path | None = None) -> Outcome:
    """Every problem of the workbook as a table or JSON, and (access_file) every problem of the access file after
    it (on stderr with JSON); exit status 0 without errors, 1 with, 2 unreadable (JSON whatever happens: an
    unreadable workbook is one problem; as text it raises WorkbookUnreadable)."""
    try:
        data, report = load_workbook(workbook, as_of, today)
    except WorkbookUnreadable as exc:
        if not as_json:
            raise
        return Outcome(Report([unreadable_problem(str(exc))]).to_json(), code=2)
    access = None if access_file is None else access_file_problems(access_file, data)
    code = 0 if report.valid and access is None else 1
    if as_json:
        return Outcome(report.to_json(), note=access, code=code)
    text = render_report(report)
    if access_file is not None:
        text += "\n\n" + (access or f"权限文件“{access_file}”没有发现问题。")
        if access:  # the report's own count line above says nothing of the access file: the last word must
            text += "\n\n权限文件有问题（见上），改正后才能生成网站。"
    return Outcome(text, code=code)


def list_overdue(workbook: Path, as_of: date | None, today: date, as_json: bool) -> Outcome:
    """Every overdue list of a valid workbook, as text or JSON; InvalidWorkbook when it has errors."""
    data, _ = load_valid(workbook, as_of, today)
    day = data.as_of  # resolved by the validator
    lists = evaluation.overdue_lists(data, day)
    if as_json:
        return Outcome(json.dumps(evaluation.lists_json(lists, day), ensure_ascii=False, indent=2))
    return Outcome(render_overdue(lists, day))


def render_overdue(lists: dict[str, list[OverdueItem]], day: date) -> str:
    """The lists as the console shows them: a title per list, one line per person."""
    lines = [f"统计截止日期：{day.isoformat()}"]
    for key, items in lists.items():
        lines.append(f"\n{BY_KEY[key].title}（{len(items)}）")
        lines += [f"  {item.id}{_when(item)}{_late(item, BY_KEY[key].never)}" for item in items]
    return "\n".join(lines)


def _when(item: OverdueItem) -> str:
    return f"，{item.date.isoformat()}" if item.date else ""


def _late(item: OverdueItem, never_text: str) -> str:
    """When it was due and how late it is (not late yet: 近期应随访, a report due today)."""
    if not item.due:
        return ""
    never = never_text if item.never else ""
    if never:
        return f"，{never}（应于 {item.due.isoformat()}）"
    if item.days_overdue:
        return f"，逾期 {item.days_overdue} 天（应于 {item.due.isoformat()}）"
    return f"，应于 {item.due.isoformat()}"


def verify_site(workbook: Path, site: Path, today: date, notice: Callable[[str], None]) -> Outcome:
    """The leak gate on a built site: every page encrypted, none of the workbook's personal values in plaintext.

    Exit status 1 when something is found; SiteUnreadable when site holds no site. A workbook with errors is still
    used (its rows with errors are not), with a notice saying so.
    """
    if not (site / "index.html").is_file():
        raise SiteUnreadable(f"“{site}”里没有网站（缺少 index.html）。")
    data, report = load_workbook(workbook, None, today)
    if not report.valid:
        notice(f"注意：台账有 {len(report.errors)} 个错误，有错误的行没有参加核对。")
    secrets = personal_values(data)
    leaks = check_site(site, secrets)
    files = sum(1 for p in site.rglob("*") if p.is_file())
    if leaks:
        return Outcome(f"保密检查没有通过：{len({leak.path for leak in leaks})} 个文件有问题（共检查 {files} 个文件、"
                       f"{len(secrets)} 项个人信息）：\n{describe(leaks)}", code=1)
    return Outcome(f"保密检查通过：{files} 个文件，{len(secrets)} 项个人信息，没有发现明文，每个页面都已加密。")
