"""The output folder: whether a build may replace it, the list of files a build made there, the atomic swap of the
new site into it, and the clean-up of what a killed run left behind.

The output folder is jingfang's only if it holds jingfang's stamp; the tool never deletes or overwrites anything else.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from generator.site.freshness import STAMP
from generator.site.verify import file_digest

STAGING_MARK = ".jingfang-staging"  # holds the pid of the run that made the folder


class UnsafeOutput(Exception):
    """The output folder is not jingfang's to replace (it holds other files, or the workbook itself)."""


LEGACY_SUFFIXES = frozenset({".html", ".js", ".css", ".json", ".map", ".svg", ".png", ".ico", ".woff", ".woff2",
                             ".gz", ".xml", ".txt"})  # what a site of a stamp without a file list may hold


def check_output(out: Path, workbook: Path | None = None) -> None:
    """Refuse an output folder the build may not replace: one holding the workbook, or one that is not jingfang's.

    A folder is jingfang's when it is empty or holds jingfang's stamp and only the files that build made.
    """
    target = out.resolve()
    if workbook is not None and _holds(target, workbook):
        raise UnsafeOutput(f"网站文件夹“{out}”里有台账“{workbook.name}”本身，生成网站会替换整个文件夹，所以没有生成。"
                           "请换一个 --out，例如台账旁边新的 site 文件夹。")
    if not target.exists():
        return
    if not target.is_dir() or target.is_symlink():
        raise UnsafeOutput(f"“{out}”不是一个普通文件夹，没有覆盖。请换一个 --out。")
    if not any(target.iterdir()):
        return
    if not (target / STAMP).is_file():
        raise UnsafeOutput(f"文件夹“{out}”不是空的，也不是 jingfang 生成的网站（里面没有 {STAMP}），为免删除其中的文件，"
                           "没有生成。请换一个 --out（新的或空的文件夹），或先把里面的文件移走。")
    foreign = foreign_files(target)
    if foreign:
        shown = "、".join(foreign[:3]) + (f" 等 {len(foreign)} 个" if len(foreign) > 3 else "")
        raise UnsafeOutput(f"网站文件夹“{out}”里有不是 jingfang 生成的文件（{shown}），替换网站会删除它们，所以没有生成。"
                           "请先把这些文件移到别处。")


def check_input_outside(out: Path, path: Path, what: str) -> None:
    """Refuse an output folder that holds an input of the build (a roster file of --compare): replacing the folder
    would delete it."""
    if _holds(out.resolve(), path):
        raise UnsafeOutput(f"网站文件夹“{out}”里有{what}“{path.name}”，生成网站会替换整个文件夹，所以没有生成。"
                           f"请先把{what}移到网站文件夹外面。")


def _holds(folder: Path, path: Path) -> bool:
    """Whether the resolved folder is path, or holds it at any depth (replacing the folder would delete it)."""
    found = path.resolve()
    return folder == found or folder in found.parents


def made_files(site: Path) -> set[str] | None:
    """The files the build that made site wrote there (from its stamp), or None for an older stamp."""
    try:
        files = json.loads((site / STAMP).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return set(files) if isinstance(files, list) else None


def foreign_files(site: Path) -> list[str]:
    """The files (and links) in a jingfang site that jingfang did not make there."""
    made = made_files(site)
    found = []
    for path in site.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            continue
        rel = path.relative_to(site).as_posix()
        if rel == STAMP:
            continue
        if rel not in made if made is not None else (path.is_symlink() or path.suffix not in LEGACY_SUFFIXES):
            found.append(rel)
    return sorted(found)


def mark_as_ours(site: Path) -> None:
    """Record in the site's stamp every file this build made there: the next build replaces only those."""
    try:
        data = json.loads((site / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    made = sorted((p for p in site.rglob("*") if p.is_file() and p.name != STAMP), key=lambda p: p.as_posix())
    data["files"] = [p.relative_to(site).as_posix() for p in made]
    data["sha256"] = {p.relative_to(site).as_posix(): file_digest(p) for p in made}  # verify: nothing changed since
    (site / STAMP).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def swap_into(built: Path, out: Path) -> None:
    """Replace out with built: rename the old site aside, rename the new one in, then delete the old one.

    If the new site cannot be renamed in, the old one is put back. out is checked again first: someone may have
    saved a file into it while the build ran.
    """
    check_output(out)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".jingfang-new-", dir=out.parent))
    (staged / STAGING_MARK).write_text(str(os.getpid()), encoding="utf-8")
    old = out.parent / f".jingfang-old-{os.getpid()}"
    try:
        shutil.move(str(built), staged / "site")  # a copy when the temp folder is on another drive
        if out.exists():
            os.replace(out, old)
        try:
            os.replace(staged / "site", out)
        except OSError:
            if old.exists():
                os.replace(old, out)  # put the previous site back
            raise
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether a process still runs (when unsure: yes, so that its folders are left alone)."""
    if os.name == "nt":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(folder: Path, pattern: str) -> None:
    """Remove what a killed run left behind: folders matching pattern that hold our mark with a dead pid."""
    for path in folder.glob(pattern):
        try:
            pid = int((path / STAGING_MARK).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not made by jingfang: never touched
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def recover_output(out: Path) -> None:
    """Put back a previous site that a killed run had renamed aside, and remove its half-installed copies."""
    parent = out.resolve().parent
    if not parent.is_dir():
        return
    remove_stale(parent, ".jingfang-new-*")
    for old in parent.glob(".jingfang-old-*"):
        pid = old.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or _alive(int(pid)) or not (old / STAMP).is_file():
            continue
        if not out.exists():
            os.replace(old, out)
        else:
            shutil.rmtree(old, ignore_errors=True)
