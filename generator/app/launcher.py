"""The double-click launchers a clerk uses instead of typing commands: 生成网站.bat (Windows) and 生成网站.sh
(Linux, macOS), written beside the workbook by ``init`` and ``shortcut``.

Each runs ``check`` and then ``build`` on that workbook (with the access file it was told about) into the folder 网站
beside it, with the Python that wrote it (so a virtual environment keeps working), opens the site, and keeps its
window open with the message when a step fails. Every path is baked in, absolute, at creation.

The .bat is UTF-8 without a byte-order mark, lines ending CRLF, and its first line, ASCII only, is ``@chcp 65001 >nul``:
cmd.exe reads a batch file line by line in the console's code page as it goes, so every later line (paths with
Chinese, the messages) is read as UTF-8, whatever the machine's code page. A GBK file without chcp would work only
where the code page is 936 and could not hold a name outside GBK; a BOM would break the first line.

A launcher carries MARKER on its third line; an existing file without it is never replaced (not even with --force),
one with it only with --force.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator.app.outcome import Refused
from generator.app.password import is_safe_location
from generator.app.publishing import PROJECT
from generator.read.inputs import InputRefused, read_input

BAT, SH = "生成网站.bat", "生成网站.sh"
SITE_FOLDER = "网站"
MARKER = "jingfang-launcher"
NO_OPEN = "JINGFANG_NO_OPEN"  # set (to anything) to build without opening the browser: for tests and scheduled runs
MARKER_LINES = 5  # where the marker is looked for
LAUNCHER_LIMIT = 64 * 1024
FAILED = "没有生成网站：请按上面的提示改正（台账或权限文件），保存后再双击运行“{name}”。"


@dataclass(frozen=True)
class Launchers:
    """The launchers for one workbook, checked and ready to write."""

    workbook: Path
    access: Path | None
    python: Path
    compare: tuple[tuple[Path, str], ...] = ()  # build --compare: each roster file (absolute) and its 来源

    @property
    def folder(self) -> Path:
        return self.workbook.parent

    def write(self) -> str:
        """Write both launchers (the .sh executable); say where they are and what they do."""
        site = self.folder / SITE_FOLDER
        args = (self.python, self.workbook, self.access, site, self.compare)
        _write(self.folder / BAT, render_bat(*args).encode("utf-8"), 0o644)
        _write(self.folder / SH, render_sh(*args).encode("utf-8"), 0o755)
        access = f"，用权限文件“{self.access}”" if self.access else "，生成时在窗口里输入网站密码"
        compared = "".join(f"，与“{path.name}”（{source}）比对" for path, source in self.compare)
        return (f"已生成双击启动文件：{self.folder / BAT}（Windows）和 {SH}（Linux、macOS）。\n"
                f"双击它：检查台账，无误后生成网站到“{site}”{access}{compared}，然后打开网站；"
                "有问题时窗口不关，显示要改正的地方。")


def plan_launchers(workbook: Path, access: Path | None, python: Path, force: bool,
                   compare: Sequence[tuple[Path, str]] = ()) -> Launchers:
    """The launchers for workbook (compare: the roster files build compares it with), or Refused before anything is
    written: an access file or a roster file that is not there, a launcher already there (without --force), or a
    file of the same name jingfang did not make."""
    workbook, python = Path(os.path.abspath(workbook)), Path(os.path.abspath(python))
    rosters = tuple((Path(os.path.abspath(path)), source) for path, source in compare)
    for path, _ in rosters:
        if not path.is_file():
            raise Refused(f"比对名单“{path}”不存在（或不是文件），没有生成启动文件。")
    if access is not None:
        access = Path(os.path.abspath(access))
        if not access.is_file():
            raise Refused(f"权限文件“{access}”不存在（或不是文件），没有生成启动文件。请先建好权限文件（见 README“权限文件”）。")
        if not is_safe_location(access, PROJECT):  # build would refuse it at every double-click: say so now
            raise Refused(f"权限文件“{access}”在项目文件夹里，可能被提交到代码仓库，没有生成启动文件。请把它放到项目文件夹之外。")
    for name in (BAT, SH):
        target = workbook.parent / name
        if not (target.exists() or target.is_symlink()):
            continue
        if not is_launcher(target):
            raise Refused(f"“{target}”已经存在，不是 jingfang 生成的启动文件，没有覆盖（加了 --force 也不会覆盖）。"
                          "请把它改名或移走后再运行。")
        if not force:
            raise Refused(f"“{target}”已经存在。要按新的设置重新生成启动文件请加 --force。")
    return Launchers(workbook, access, python, rosters)


def is_launcher(path: Path) -> bool:
    """Whether path is a regular file (not a link) that jingfang wrote: MARKER in a comment of its first lines."""
    try:
        lines = read_input(path, "启动文件", LAUNCHER_LIMIT).decode("utf-8", "replace").splitlines()[:MARKER_LINES]
    except InputRefused:
        return False
    return any(line.startswith((f"rem {MARKER}", f"# {MARKER}")) for line in lines)


def _write(target: Path, content: bytes, mode: int) -> None:
    """Write content to target through a temporary file beside it, so a launcher is never half written."""
    handle, temporary = tempfile.mkstemp(prefix=".jingfang-launcher-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _bat_value(path: Path) -> str:
    """A path as the value of ``set "NAME=…"``: inside the quotes only % is special (doubled); ! is plain text
    because delayed expansion is switched off, and no Windows path holds a quote."""
    return str(path).replace("%", "%%")


def render_bat(python: Path, workbook: Path, access: Path | None, site: Path,
               compare: Sequence[tuple[Path, str]] = ()) -> str:
    """The Windows launcher's text (to be written as UTF-8 without BOM)."""
    with_access = ' --access "%ACCESS%"' if access else ""
    compared = "".join(f' --compare "%COMPARE{n}%"' for n in range(1, len(compare) + 1))
    lines = [
        "@chcp 65001 >nul",
        "@echo off",
        f"rem {MARKER}：由 jingfang 生成（jingfang shortcut 台账 --force 可重新生成），双击运行：检查台账，生成并打开网站。",
        "setlocal DisableDelayedExpansion",
        f'set "PYTHON={_bat_value(python)}"',
        f'set "WORKBOOK={_bat_value(workbook)}"',
        *([f'set "ACCESS={_bat_value(access)}"'] if access else []),
        f'set "SITE={_bat_value(site)}"',
        *(f'set "COMPARE{n}={_bat_value(path)}={source}"' for n, (path, source) in enumerate(compare, 1)),
        "title 生成网站",
        "echo 正在检查台账……",
        f'"%PYTHON%" -m generator check "%WORKBOOK%"{with_access}',
        "if errorlevel 1 goto failed",
        "echo.",
        "echo 正在生成网站……",
        f'"%PYTHON%" -m generator build "%WORKBOOK%" --out "%SITE%"{with_access}{compared}',
        "if errorlevel 1 goto failed",
        f'if not defined {NO_OPEN} start "" "%SITE%\\index.html"',
        "exit /b 0",
        ":failed",
        "echo.",
        "echo " + FAILED.format(name=BAT),
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def _sh_value(value: Path | str) -> str:
    """A path (or FILE=来源) in single quotes, each ' in it written '\\'' (nothing else is special inside them)."""
    return "'" + str(value).replace("'", "'\\''") + "'"


def render_sh(python: Path, workbook: Path, access: Path | None, site: Path,
              compare: Sequence[tuple[Path, str]] = ()) -> str:
    """The Linux/macOS launcher's text (POSIX sh)."""
    with_access = ' --access "$ACCESS"' if access else ""
    compared = "".join(f' --compare "$COMPARE{n}"' for n in range(1, len(compare) + 1))
    lines = [
        "#!/bin/sh",
        "# 由 jingfang 生成（jingfang shortcut 台账 --force 可重新生成），运行它：检查台账，生成并打开网站。",
        f"# {MARKER}",
        f"PYTHON={_sh_value(python)}",
        f"WORKBOOK={_sh_value(workbook)}",
        *([f"ACCESS={_sh_value(access)}"] if access else []),
        f"SITE={_sh_value(site)}",
        *(f"COMPARE{n}={_sh_value(f'{path}={source}')}" for n, (path, source) in enumerate(compare, 1)),
        "failed() {",
        "  echo",
        f'  echo "{FAILED.format(name=SH)}"',
        "  printf '%s' '按回车键关闭窗口……'",
        "  read -r answer || true  # keeps a double-clicked terminal open; returns at once without one",
        '  exit "$1"',
        "}",
        "echo '正在检查台账……'",
        f'"$PYTHON" -m generator check "$WORKBOOK"{with_access} || failed $?',
        "echo",
        "echo '正在生成网站……'",
        f'"$PYTHON" -m generator build "$WORKBOOK" --out "$SITE"{with_access}{compared} || failed $?',
        f'if [ -z "${{{NO_OPEN}:-}}" ]; then',
        '  if [ "$(uname)" = Darwin ]; then open "$SITE/index.html"',
        '  elif command -v xdg-open >/dev/null 2>&1; then xdg-open "$SITE/index.html" >/dev/null 2>&1 &',
        "  fi",
        "fi",
    ]
    return "\n".join(lines) + "\n"
