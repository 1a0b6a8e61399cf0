"""How the library's named exceptions reach the user: one Chinese error line and an exit status (``_library_errors``),
and how a command's Outcome is printed (``_say``). Shared by every command module of generator.cli."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import partial
from typing import Iterator

import click

from generator.app.build import InvalidWorkbook
from generator.app.checking import SiteUnreadable
from generator.app.outcome import Outcome, Refused
from generator.contract.report import render_report
from generator.present.outpaths import ExportRefused
from generator.read.roster import NoHeaderRow, RosterUnreadable
from generator.read.workbook import WorkbookUnreadable
from generator.site.staging import Interrupted


class JingfangError(click.ClickException):
    """A problem the user can fix, printed as one Chinese sentence (exit status 1)."""

    def show(self, file=None) -> None:  # type: ignore[override]
        click.echo(f"错误：{self.format_message()}", err=True)


class Unreadable(JingfangError):
    """The workbook (or the site verify is given, or a roster file) cannot be read at all: exit status 2."""

    exit_code = 2


@contextmanager
def _library_errors(invalid: str | None = None) -> Iterator[None]:
    """The library's exceptions as the user sees them. A workbook with errors: its report, then exit status 1 (or
    the sentence invalid)."""
    try:
        yield
    except (WorkbookUnreadable, SiteUnreadable, RosterUnreadable) as exc:
        raise Unreadable(str(exc)) from None
    except InvalidWorkbook as exc:
        click.echo(render_report(exc.report), err=True)
        if invalid is not None:
            raise JingfangError(invalid) from None
        sys.exit(1)
    except (Refused, ExportRefused, NoHeaderRow) as exc:
        raise JingfangError(str(exc)) from None
    except Interrupted:
        click.echo("已中断：没有生成网站，临时文件已清除，原来的网站保持不变。", err=True)
        sys.exit(130)


def _say(outcome: Outcome) -> None:
    """Print what a command returned, and end with its exit status."""
    click.echo(outcome.text)
    if outcome.note:
        click.echo(outcome.note, err=True)
    if outcome.code:
        sys.exit(outcome.code)


_to_stderr = partial(click.echo, err=True)  # progress lines, notices and warnings
