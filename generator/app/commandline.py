"""What the command line needs besides click: the option values the library reads and checks (an as-of day, a
month), and click's own words in Chinese (the help's headings, the default/required note after an option's help,
the usage errors click raises).
"""

from __future__ import annotations

import re
from datetime import date

from pathlib import Path

from generator.contract.dates import RANGE_TEXT, in_range
from generator.contract.roster import DEFAULT_SOURCE, SOURCES
from generator.derive.monthly import MonthProblem, read_month

HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数"}
_EXTRA = re.compile(r"\[((?:default: |required)[^\]]*)\]$")  # click's "[default: 30; 1<=x<=720]" after a help text


class BadOption(Exception):
    """An option's value cannot be used; the message says why (generator.cli shows it as a usage error)."""


def read_as_of(text: str) -> date:
    """An as-of day as typed (2025-06-30), within the range the tool computes for."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadOption(f"“{text}”不是日期，请写成 2025-06-30 这样的格式。") from None
    if not in_range(day):
        raise BadOption(f"“{text}”超出范围：统计截止日期应在 {RANGE_TEXT}。")
    return day


def check_month(text: str) -> str:
    """A month as typed (2026-10), unchanged once it reads as one (whether it is after the as-of day is checked
    when that day is known)."""
    try:
        read_month(text)
    except MonthProblem as exc:
        raise BadOption(str(exc)) from None
    return text


def read_compare(text: str) -> tuple[Path, str]:
    """``build --compare FILE[=来源]``: the roster file and its source (default 其他). Only a last ``=`` followed by a
    word without a dot or a slash is a source, so a file name holding ``=`` still reads as a file."""
    path, sep, source = text.rpartition("=")
    if not sep or not path or any(mark in source for mark in "./\\"):
        return Path(text), DEFAULT_SOURCE
    if source not in SOURCES:
        raise BadOption(f"来源“{source}”不认识：请写 {'、'.join(SOURCES)} 之一，如 --compare 卫健库名单.xlsx=卫健库。")
    return Path(path), source


def chinese_extra(help_text: str) -> str:
    """click's bracketed default/required note after an option's help, in Chinese."""
    def word(match: re.Match) -> str:
        return "［" + match.group(1).replace("default: ", "默认：").replace("required", "必填").replace("; ", "；") + "］"
    return _EXTRA.sub(word, help_text)


# click's own usage errors, in the words a clerk reads (anything not listed stays as click wrote it)
USAGE_WORDS = (
    (r"No such command '(.+?)'\.", r"没有“\1”这个命令。"),
    (r"No such option:? '?([^\s']+)'?\.?", r"没有 \1 这个选项。"),
    (r"\s*Did you mean '?([^\s'?]+)'?\?", r"是不是要写 \1？"),
    (r"\(Possible options: (.+)\)", r"（可能是：\1）"),
    (r"Missing argument '(.+?)'\.", r"缺少参数 \1。"),
    (r"Missing option '(.+?)'\.", r"缺少选项 \1。"),
    (r"Option '(.+?)' requires an argument\.", r"选项 \1 后面要写一个值。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多写了：\1。"),
    (r"Invalid value for '(.+?)': ", r"\1 的值不对："),
    (r"'?(-?[0-9.]+)'? is not in the range (.+?)\.", r"“\1”不在 \2 之内。"),
    (r"'(.+?)' is not a valid integer( range)?\.", r"“\1”不是整数。"),
    (r"(?:File|Path|Directory) '(.+?)' does not exist\.", r"“\1”不存在。"),
    (r"(?:File|Path) '(.+?)' is a directory\.", r"“\1”是文件夹，不是文件。"),
)


def chinese_usage(message: str) -> str:
    """A click usage error's message in Chinese, phrase by phrase."""
    for pattern, words in USAGE_WORDS:
        message = re.sub(pattern, words, message)
    return message
