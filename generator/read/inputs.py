"""Opening the files a command is given: regular files only, never through a link, never past a size cap.

Every input the build reads (the workbook, the 协议模板 templates, the access and password files, the state file)
comes through here, so a symlink planted in place of a template cannot pull the access file into a page, and a FIFO
or a link to /dev/zero cannot hang a build or fill its memory. The last path component is opened with O_NOFOLLOW
(and O_NONBLOCK, so a FIFO does not block the open), then the open descriptor is checked: what was checked is what
is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

MB = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class InputRefused(Exception):
    """The path is not a regular file we may read (a link, a folder, a device, too large); one sentence in Chinese."""


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{max(1, limit // 1024)} KB"


def open_input(path: Path, what: str, limit: int) -> BinaryIO:
    """The file at path opened for reading, when it is a regular file (not a link) of at most limit bytes."""
    path = Path(path)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):  # also where O_NOFOLLOW does not exist (Windows)
            raise InputRefused(f"{what}“{path}”是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件。")
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise InputRefused(f"找不到文件“{path}”，请检查{what}的路径和文件名。") from None
    except PermissionError:
        raise InputRefused(f"没有权限读取{what}“{path}”。") from None
    except OSError as exc:  # ELOOP: the last component became a link after lstat; else the system's words are English
        if exc.errno == errno.ELOOP:
            raise InputRefused(f"{what}“{path}”是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件。") from None
        raise InputRefused(f"无法读取{what}“{path}”，请检查路径；文件正被其他程序使用时，关闭它后再试。") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputRefused(f"{what}“{path}”是一个文件夹，请给出文件的路径。")
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused(f"{what}“{path}”不是普通文件（是设备、管道或套接字），不能读取。")
        if info.st_size > limit:
            raise InputRefused(f"{what}“{path}”太大（{info.st_size / MB:.1f} MB），最多 {_size(limit)}，请确认选对了文件。")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        file = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    return file


def read_input(path: Path, what: str, limit: int) -> bytes:
    """The whole content of a regular file (not a link) of at most limit bytes."""
    with open_input(path, what, limit) as file:
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while we read it
        raise InputRefused(f"{what}“{path}”太大，最多 {_size(limit)}，请确认选对了文件。")
    return data


def is_regular(path: Path) -> bool:
    """Whether path is a regular file itself (a link to one is not)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
