"""Where a plaintext output (``export``, ``documents``) may be written: directly in the folder asked for, never onto a
file the command reads, never over a file without --force (the sample workbooks too).

``check`` already refuses township and village names that cannot be file names; this is the second wall, so that a
name that slips through (or a future file name built from other data) still cannot leave its folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

# a name that is a folder (.. or .), holds one (/ \), a drive or stream (:), or a character no file name holds
NOT_A_FILE_NAME = re.compile(r'^\.{0,2}$|[/\\:\x00-\x1f\x7f]')


class ExportRefused(Exception):
    """An output would be written inside a built site, outside the folder asked for, onto an input, or over a file
    without --force."""


def file_in(folder: Path, name: str) -> Path:
    """folder/name, refused unless it is a file name that resolves to a file directly in folder (a name holding / or
    .., or a link there pointing elsewhere, would put the file somewhere else)."""
    target = folder / name
    if NOT_A_FILE_NAME.search(name) or target.resolve().parent != folder.resolve():
        shown = re.sub(r"[\x00-\x1f\x7f]", "↵", name)
        raise ExportRefused(f"文件名“{shown}”会写到文件夹“{folder}”以外（或不能用作文件名），没有写入。"
                            "请检查台账里的乡镇和村社区名称（不能含 / \\ : 等符号，不能以点开头），再运行 jingfang check。")
    return target


def same_file(path: Path, other: Path) -> bool:
    """Whether path names the file other is, by any spelling: .., a link, a hard link, another letter case."""
    if path.resolve() == other.resolve():
        return True
    try:
        return os.path.samefile(path, other)
    except OSError:  # one of them does not exist: not the same file
        return False


def check_not_input(path: Path, reads: Iterable[Path]) -> None:
    """Refuse writing path when it is a file the command reads (the workbook, a template): even with --force."""
    for source in reads:
        if same_file(path, source):
            raise ExportRefused(f"“{path}”就是要读取的文件“{source}”，没有写入：写在这里会覆盖它（加了 --force 也不会覆盖）。"
                                "请换一个文件名或文件夹。")


def refuse_overwrite(path: Path, force: bool) -> None:
    """Refuse writing over a file that exists unless --force says so."""
    if path.exists() and not force:
        raise ExportRefused(f"“{path}”已经存在，没有覆盖。确实要覆盖请加 --force。")
