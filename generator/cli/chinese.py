"""click in Chinese: option values read by the library (``Checked``), help and usage errors in Chinese, for every
command of the ``jingfang`` group (generator.cli)."""

from __future__ import annotations

from typing import Callable

import click

from generator.app.commandline import (HEADINGS, BadOption, check_month, chinese_extra, chinese_usage, read_as_of,
                                       read_compare)


class Checked(click.ParamType):
    """An option's value, read and checked by the library; its BadOption is said as a usage error."""

    def __init__(self, name: str, read: Callable[[str], object]) -> None:
        self.name, self.read = name, read

    def convert(self, value, param, ctx):  # type: ignore[override]
        if not isinstance(value, str):
            return value  # already read
        try:
            return self.read(value)
        except BadOption as exc:
            self.fail(str(exc), param, ctx)


AS_OF_DAY = Checked("YYYY-MM-DD", read_as_of)
MONTH = Checked("YYYY-MM", check_month)
COMPARE_FILE = Checked("FILE[=来源]", read_compare)


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help layout with its own words in Chinese: 用法, 选项, 命令, 默认."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # type: ignore[override]
        super().write_dl([(term, chinese_extra(help_text)) for term, help_text in rows], col_max, col_spacing)


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class ChineseUsageError(click.UsageError):
    """A usage error shown in Chinese: the usage line, where help is, and what was wrong."""

    def show(self, file=None) -> None:  # type: ignore[override]
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True)
            click.echo(f"运行“{self.ctx.command_path} --help”查看帮助。\n", err=True)
        click.echo(f"错误：{chinese_usage(self.format_message())}", err=True)


def _in_chinese(exc: click.UsageError) -> ChineseUsageError:
    shown = ChineseUsageError(exc.format_message(), exc.ctx)
    shown.exit_code = exc.exit_code
    return shown


class ChineseCommand(click.Command):
    """A command whose --help is Chinese throughout (click's own lines included)."""

    context_class = ChineseContext

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    def make_context(self, *args, **kwargs) -> click.Context:  # type: ignore[override]
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:  # parsing and value errors: said in Chinese
            if isinstance(exc, ChineseUsageError):
                raise
            raise _in_chinese(exc) from None


class ChineseGroup(ChineseCommand, click.Group):
    """The jingfang group: its commands are ChineseCommands."""

    command_class = ChineseCommand

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx: click.Context, args: list[str]):  # type: ignore[override]
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:  # a command name mistyped
            raise _in_chinese(exc) from None
