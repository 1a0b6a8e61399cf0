"""The ``build`` command around the pipeline (generator.app.build): the output folder's checks, the passwords
gathered, the skip when nothing changed, the stamp, and what is said afterwards (warnings, stale data, timings).

Every refusal of the layers below becomes one Refused sentence, which says that the previous site was kept.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from generator.app.build import LOCK_MINUTES, Built, InvalidWorkbook, Progress, Stopwatch, build, load
from generator.app.outcome import Outcome, Refused
from generator.app.password import (ENV_VAR, Access, AccessFileProblems, PasswordProblem, access_problems,
                                   describe_problems, gather_access)
from generator.contract.report import Report, render_report
from generator.contract.schema import Dataset
from generator.derive.monthly import MonthProblem
from generator.present.own_templates import TemplateProblem
from generator.read.inputs import InputRefused
from generator.read.roster import NoHeaderRow, RosterUnreadable
from generator.read.workbook import check_readable
from generator.site.encryption import WrongPluginVersion
from generator.site.freshness import Stamp, as_of_key, input_digest, is_fresh
from generator.site.mkdocs_processes import BASE_CONFIG, BuildFailed
from generator.site.output_folder import UnsafeOutput, check_output

PROJECT = Path(__file__).resolve().parent.parent.parent  # a password file inside it could be committed
WARNINGS_SHOWN = 20  # the rest are on the site's 数据质量 page
# refusals that leave the previous site as it was, and say so
KEEPS_OLD_SITE = (BuildFailed, TemplateProblem, PasswordProblem, WrongPluginVersion, MonthProblem, InputRefused,
                  RosterUnreadable, NoHeaderRow)


@dataclass(frozen=True)
class SiteOptions:
    """The build command's options as typed (month: 2026-10, checked against the as-of day later)."""

    as_of: date | None = None
    password_file: Path | None = None
    access_file: Path | None = None
    insecure: bool = False
    lock_minutes: int = LOCK_MINUTES
    month: str | None = None
    rebuild: bool = False
    timings: bool = False
    compare: tuple[tuple[Path, str], ...] = ()  # build --compare: (roster file, 来源) in the order given
    demo: bool = False  # built as of the workbook's own as-of day: the sample's demo shows no stale-data warning


def publish(workbook: Path, out: Path, options: SiteOptions, *, today: date, now: datetime,
            prompt: Callable[[], str], progress: Progress) -> Outcome:
    """Build the site into out unless it is up to date; Refused (the old site kept) when it cannot be built.

    prompt asks for the password at the console (only when no other source gives one); progress takes the progress
    lines and, after the build, its warnings (stderr). WorkbookUnreadable, InvalidWorkbook and Interrupted pass.
    """
    try:
        return _publish(workbook, out, options, today=today, now=now, prompt=prompt, progress=progress)
    except KEEPS_OLD_SITE as exc:
        raise Refused(f"{exc}（原来的网站保持不变）") from None
    except UnsafeOutput as exc:
        raise Refused(str(exc)) from None


def _publish(workbook: Path, out: Path, options: SiteOptions, *, today: date, now: datetime,
             prompt: Callable[[], str], progress: Progress) -> Outcome:
    watch = Stopwatch()
    check_readable(workbook)
    check_output(out, workbook)
    try:
        access = None if options.insecure else gather_access(
            password_file=options.password_file, access_file=options.access_file, project=PROJECT,
            prompt=_at_console(prompt))
    except AccessFileProblems as exc:  # the file's own problems, and those only the workbook shows: all at once
        raise PasswordProblem(_with_workbook(exc, workbook, options.as_of, today)) from None
    levels = None if access is None else {"乡镇": access.township, **access.others}
    digest = input_digest(workbook, BASE_CONFIG, as_of_key(options.as_of, today),
                          (f"lock_minutes={options.lock_minutes}", f"month={options.month or ''}",
                           *(f"compare={source}" for _, source in options.compare),
                           *(["demo"] if options.demo else [])),
                          rosters=[path for path, _ in options.compare])
    if not options.rebuild and is_fresh(out, digest, levels):
        return Outcome(f"台账、模板和密码都没有变化，网站已是最新：{out.resolve()}（要强制重新生成请加 --rebuild）")
    if options.insecure:
        progress("警告：--insecure-no-password：网站不加密，任何拿到文件夹的人都能看到全部个人信息！只用于本机测试。")
    built = _stamped_build(workbook, out, options, access, digest, levels, today=today, now=now, progress=progress,
                           watch=watch)
    for line in _afterwards(built, options.timings):
        progress(line)
    return Outcome("\n".join([f"网站已生成：{built.out.resolve()}（{built.pages} 个页面，数据截至 {built.as_of.isoformat()}）",
                              *built.compared]))


def _stamped_build(workbook: Path, out: Path, options: SiteOptions, access: Access | None, digest: str,
                   levels: dict[str, str] | None, *, today: date, now: datetime, progress: Progress,
                   watch: Stopwatch) -> Built:
    """The pipeline, with the stamp (inputs' digest, passwords' hashes) written into the new site before it is
    installed."""
    with Stamp(digest, levels) as stamp:
        return build(workbook, out, as_of=options.as_of, today=today, now=now, access=access, finish=stamp.write,
                     progress=progress, watch=watch, lock_minutes=options.lock_minutes, month=options.month,
                     compare=options.compare, demo=options.demo)


def access_file_problems(access_file: Path, data: Dataset) -> str | None:
    """Every problem of the access file, its own and against the workbook's data (which may have errors), as one
    message; None when it has none."""
    try:
        access = gather_access(password_file=None, access_file=access_file, project=PROJECT, prompt=None)
    except AccessFileProblems as exc:
        return _all_problems(exc, data)
    except PasswordProblem as exc:  # unreadable, not UTF-8, not YAML, in the project folder: nothing more to say
        return str(exc)
    sentences = _against(access, data, None)
    return describe_problems(access_file, [], sentences) if sentences else None


def _all_problems(exc: AccessFileProblems, data: Dataset) -> str:
    """The file's own problems and those its readable entries have against the workbook's data (entries with
    problems were left out: the township's is still called 乡镇密码)."""
    return describe_problems(exc.path, exc.lines, _against(exc.partial, data, "乡镇密码"))


def _against(access: Access, data: Dataset, label: str | None) -> list[str]:
    return access_problems(access, data.settings.township, [v.name for v in data.villages],
                           county=data.settings.county, as_of=data.as_of, township_label=label)


def _with_workbook(exc: AccessFileProblems, workbook: Path, as_of: date | None, today: date) -> str:
    """The access file's problems with those the valid workbook adds (only the file's when it has errors: build
    says those next, check says both)."""
    try:
        data, _, _ = load(workbook, as_of, today)
    except InvalidWorkbook:
        return str(exc)
    return _all_problems(exc, data)


def _at_console(prompt: Callable[[], str]) -> Callable[[], str]:
    """prompt, refused when there is no console to type at (a scheduled task, a pipe)."""
    def ask() -> str:
        if not sys.stdin.isatty():
            raise PasswordProblem(f"需要网站密码：请用 --password-file 或环境变量 {ENV_VAR} 提供。")
        return prompt()

    return ask


def _afterwards(built: Built, timings: bool) -> list[str]:
    """What is said on stderr after a build: its warnings, the stale-data warning, and (--timings) seconds per stage."""
    lines = _warnings(built.report)
    if built.stale:
        lines.append(f"警告：{built.stale}。")
    if timings:
        lines.append(json.dumps({"pages": built.pages, **{k: round(v, 3) for k, v in built.timings.items()}}))
    return lines


def _warnings(report: Report) -> list[str]:
    """The first WARNINGS_SHOWN warnings as a table, and how many there are in all."""
    warnings = report.warnings
    if not warnings:
        return []
    table = render_report(Report(warnings[:WARNINGS_SHOWN])).rsplit("\n", 1)[0]
    more = f"上面列出前 {WARNINGS_SHOWN} 条，" if len(warnings) > WARNINGS_SHOWN else ""
    return [table, f"台账有 {len(warnings)} 条警告，不影响生成网站；{more}全部警告见网站“数据质量”页。"]
