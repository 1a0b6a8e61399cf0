"""Rendered pages → private temp folder → ``mkdocs build --strict`` (encrypted) → atomic swap into the output folder.

Nothing is written outside the temp folder until mkdocs has succeeded and the leak gate has passed the new site; the
temp folder (which holds plaintext Markdown) is private to the user and removed when the ``Staging`` context ends, on
success, failure, Ctrl+C and SIGTERM/SIGHUP alike (and by the next run if the process was killed outright).
Passwords reach mkdocs only down the child process's stdin (generator.site.mkdocs_child puts them into its own
environment), never through a file or our command line: the jingfang plugin hands them to the encryption plugin
as strings.
The output folder is jingfang's only if it holds jingfang's stamp; the tool never deletes or overwrites anything else.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable

import yaml

from generator.site import encryption
from generator.site.encryption import SECRET_ENVS
from generator.site.freshness import STAMP
from generator.site.verify import Secrets, describe, file_digest, scan_site

if TYPE_CHECKING:
    from generator.present.pages.html import Page

PACKAGE = Path(__file__).resolve().parent.parent  # the generator package
PAGE_FILES = PACKAGE / "present" / "pages"  # the base mkdocs config, theme overrides and assets ship beside the pages
BASE_CONFIG = PAGE_FILES / "mkdocs.yml"
OVERRIDES = PAGE_FILES / "overrides"
ASSETS = PAGE_FILES / "assets"
FRAGMENT_RE = re.compile(r"^<(table|section)\b.*?</\1>$", re.M | re.S)
PRIVATE_ENV = ("JINGFANG_PASSWORD", *SECRET_ENVS)  # never passed on to mkdocs from our own environment
PROGRESS_EVERY = 5.0  # seconds between progress lines during a long mkdocs run
MAX_SHARDS = 4
MIN_SHARD_PAGES = 200  # below this a second mkdocs process costs more (start-up) than it saves
STAGING_PREFIX = "jingfang-"
STAGING_MARK = ".jingfang-staging"  # holds the pid of the run that made the folder


class BuildFailed(Exception):
    """mkdocs could not build the site; the previous site is untouched."""


class LeaksFound(BuildFailed):
    """The new site shows personal data in plaintext (or a page is not encrypted): it was not installed."""


class UnsafeOutput(Exception):
    """The output folder is not jingfang's to replace (it holds other files, or the workbook itself)."""


class Interrupted(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP, console closed): unwind so the plaintext is removed."""


def split_fragments(text: str, store: BinaryIO) -> str:
    """Move the ready-made HTML blocks (a line starting with <table or <section) of a page into store.

    Each block is replaced by a placeholder naming its place in the store (byte offset and length); the mkdocs hook
    puts the blocks back after Markdown conversion, so Python-Markdown never has to parse them. One store for all
    pages, because creating a second file per page cost more than the writing.
    """
    def keep(match: re.Match) -> str:
        data = match.group(0).encode("utf-8")
        offset = store.tell()
        store.write(data)
        return f"<!--jf:{offset}:{len(data)}-->"

    return FRAGMENT_RE.sub(keep, text)


def write_config(work: Path, site_name: str, nav: list[dict[str, str]], extra: dict, encrypted: bool,
                 primary: bool = True) -> Path:
    """A config that inherits jingfang's base mkdocs.yml and points at the temp docs and site folders.

    Written by a YAML serializer, so a name is always a string value. The passwords are not in it: the jingfang
    plugin hands them to the encryption plugin from the child's environment. primary: the first (or only) shard.
    """
    plugins: list = [{"jingfang": {"fragments": str(work.parent / "fragments.bin"), "primary": primary,
                                   "template_cache": template_cache()}}]
    if encrypted:
        plugins.append({encryption.PLUGIN: encryption.options()})
    config = {
        "INHERIT": str(BASE_CONFIG),
        "site_name": html.escape(site_name),  # Material writes it into every page's header as it is
        "docs_dir": str(work / "docs"),
        "site_dir": str(work / "site"),
        "nav": nav,
        "theme": {"name": "material", "custom_dir": str(OVERRIDES)},
        "extra": extra,
        "plugins": plugins,
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def template_cache() -> str:
    """A folder of this user's own for the theme's compiled Jinja templates (no data of any workbook: templates
    only), kept between builds; "" where none can be made."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "jingfang" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return ""
    return str(folder)


def shard_count(pages: int) -> int:
    """How many mkdocs processes build a site of this many pages: one per CPU core for a large site."""
    return max(1, min(os.cpu_count() or 1, MAX_SHARDS, pages // MIN_SHARD_PAGES))


class MkdocsProcesses:
    """The mkdocs child processes of one build (generator.site.mkdocs_child), started early: each imports mkdocs and the
    plugins while the main process reads the workbook and renders the pages, then builds the config it is sent.

    Child processes, because the encryption plugin ends its process with os._exit on some errors, which would skip
    the cleanup of the plaintext temp folder. The secrets go down a pipe, not through the environment.
    """

    def __init__(self, count: int = 0) -> None:
        self.idle: list[tuple[subprocess.Popen, BinaryIO]] = []
        self.running: list[tuple[subprocess.Popen, BinaryIO, Path]] = []
        self.start(count)

    def start(self, count: int) -> None:
        env = {k: v for k, v in os.environ.items() if k not in PRIVATE_ENV} | {"NO_MKDOCS_2_WARNING": "1"}
        for _ in range(count):
            errors = tempfile.TemporaryFile()
            child = subprocess.Popen([sys.executable, "-m", "generator.site.mkdocs_child"], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=PACKAGE.parent)
            self.idle.append((child, errors))

    def build(self, configs: list[Path], secrets: dict[str, str], pages: int,
              progress: Callable[[str], None] = lambda _: None) -> None:
        """Run a real ``mkdocs build --strict`` per config, all at once; any warning fails the build (BuildFailed).
        While they run, the pages written so far are reported."""
        self.start(len(configs) - len(self.idle))
        for (child, errors), config in zip(self.idle, configs):
            try:
                child.stdin.write((json.dumps({"config": str(config), "env": secrets}) + "\n").encode())
                child.stdin.close()
            except OSError:
                pass  # it has ended already: reported below with what it wrote
            self.running.append((child, errors, config.parent / "site"))
        self.idle = self.idle[len(configs):]
        self.dismiss()  # the processes not needed (a small site needs fewer than were started)
        last = time.monotonic()
        while running := [child for child, _, _ in self.running if child.poll() is None]:
            if any(child.poll() not in (None, 0) for child, _, _ in self.running):
                break  # one shard failed: no need to wait for the others
            try:
                running[0].wait(timeout=0.2)  # returns as soon as it ends (a sleep would wait out its 0.2 s)
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                done = sum(1 for _, _, site in self.running if site.exists() for _ in site.rglob("*.html"))
                progress(f"mkdocs：已生成 {done}/{pages} 个页面……")
        failed = [errors for child, errors, _ in self.running if child.poll() not in (None, 0)]
        if failed:
            failed[0].seek(0)
            lines = [line for line in failed[0].read().decode("utf-8", "replace").splitlines() if line.strip()]
            raise BuildFailed("mkdocs 生成网站失败：" + "；".join(lines[-5:]))

    def dismiss(self) -> None:
        """End the idle processes: an empty stdin ends them."""
        for child, errors in self.idle:
            try:
                child.stdin.close()
                child.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                child.kill()
                child.wait()
            errors.close()
        self.idle = []

    def close(self) -> None:
        """End every process, idle or still running (killed), and close their error files."""
        self.dismiss()
        for child, errors, _ in self.running:
            if child.poll() is None:
                child.kill()
                child.wait()
            errors.close()
        self.running = []


def split_shards(work: Path, pages: list[str], nav: list[dict[str, str]], count: int) -> list[Path]:
    """Spread the pages written under work/part0/docs over count shard folders (moved, not copied); return the folders.

    Every shard keeps the section pages of the nav (mkdocs checks them) and the assets.
    """
    sections = {path for entry in nav for path in entry.values()}
    present = sections & set(pages)
    first = work / "part0"
    parts = [first] + [work / f"part{k}" for k in range(1, count)]
    for part in parts[1:]:
        shutil.copytree(first / "docs" / "assets", part / "docs" / "assets")
        for rel in present:
            target = part / "docs" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(first / "docs" / rel, target)
    rest = [rel for rel in pages if rel not in sections]
    for i, rel in enumerate(rest):
        part = parts[i % count]
        if part is not first:
            target = part / "docs" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(first / "docs" / rel, target)
    return parts


def merge_sites(sites: list[Path], into: Path) -> None:
    """Move every shard's files into one site; the section pages and assets every shard made are kept once."""
    os.replace(sites[0], into)
    for site in sites[1:]:
        for path in sorted(site.rglob("*")):
            target = into / path.relative_to(site)
            if path.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)


LEGACY_SUFFIXES = frozenset({".html", ".js", ".css", ".json", ".map", ".svg", ".png", ".ico", ".woff", ".woff2",
                             ".gz", ".xml", ".txt"})  # what a site of a stamp without a file list may hold


def check_output(out: Path, workbook: Path | None = None) -> None:
    """Refuse an output folder the build may not replace: one holding the workbook, or one that is not jingfang's.

    A folder is jingfang's when it is empty or holds jingfang's stamp and only the files that build made.
    """
    target = out.resolve()
    if workbook is not None:
        book = workbook.resolve()
        if target == book or target in book.parents:
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


def _stop(signum: int, frame: object) -> None:
    raise Interrupted(signum)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, name))


class Staging:
    """The private temp folder where the pages wait as plaintext Markdown until mkdocs has built the site.

    A context manager: the folder (mkdtemp makes it 0700, private to this user) is removed on leaving, whether the
    build succeeded, failed or was stopped by a signal (turned into Interrupted while inside). A run killed outright
    leaves it behind with its pid in a mark file; the next run removes it. Pages are written as they are rendered,
    so they never all sit in memory at once.
    """

    def __init__(self, expected_pages: int = 0) -> None:
        """expected_pages: about how many pages will be written (0: unknown); the mkdocs processes such a site needs
        are started now, to load while the pages are rendered."""
        remove_stale(Path(tempfile.gettempdir()), STAGING_PREFIX + "*")
        self.work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
        (self.work / STAGING_MARK).write_text(str(os.getpid()), encoding="utf-8")
        self.docs = self.work / "part0" / "docs"
        self.pages: list[str] = []
        self.files: dict[str, str] = {}  # more files for the site (relative path → text), written before the gate
        self.passwords: tuple[str, ...] = ()  # no page may hold one (the gate cannot see inside the ciphertext)
        self.fragments = self.work / "fragments.bin"
        self._store = self.fragments.open("wb")
        self._previous: dict[int, object] = {}
        self.gate_seconds = 0.0  # the leak gate's share of build(), for the benchmark
        self._console = None
        self.mkdocs = MkdocsProcesses(shard_count(expected_pages) if expected_pages else 0)

    def __enter__(self) -> "Staging":
        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, _stop) for sig in _STOP_SIGNALS}
        if os.name == "nt":
            self._console = _on_console_close(self.work)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._store.close()
        self.mkdocs.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def write(self, pages: Iterable[tuple[str, Page]]) -> None:
        """Write pages (relative path, page) into the docs folder, their HTML blocks into the fragment store."""
        for rel, item in pages:
            path = self.docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            text = item.markdown()
            if self.passwords:
                _refuse_passwords(rel, text, self.passwords)
            path.write_text(split_fragments(text, self._store), encoding="utf-8")
            self.pages.append(rel)

    def build(self, out: Path, site_name: str, nav: list[dict[str, str]], extra: dict,
              passwords: dict[str, str] | None, *, secrets: Secrets | None,
              finish: Callable[[Path], None] = lambda _: None, progress: Callable[[str], None] = lambda _: None) -> int:
        """Build the written pages into out; return the number of HTML pages. On failure out is left as it was.

        passwords maps an access level (TOWNSHIP_LEVEL, or a village code) to its password; None builds without
        encryption (only for --insecure-no-password). Large sites are built in one shard per CPU core. The new site
        is installed only if the leak gate finds nothing (secrets: the workbook's personal values; None skips the
        gate, for an unencrypted build); finish is called on it just before (it writes the stamp).
        """
        self._store.close()
        shutil.copytree(ASSETS, self.docs / "assets", dirs_exist_ok=True)
        count = shard_count(len(self.pages))
        env = {}
        if passwords is not None:
            encryption.check_version()
            levels = encryption.inventory(passwords)
            env[encryption.SECRETS_ENV] = json.dumps(levels, ensure_ascii=False)
            if count > 1:
                env[encryption.LEVEL_KEYS_ENV] = json.dumps({level: os.urandom(32).hex() for level in levels})
        parts = split_shards(self.work, self.pages, nav, count)
        configs = [write_config(part, site_name, nav, extra, passwords is not None, primary=k == 0)
                   for k, part in enumerate(parts)]
        progress("运行 mkdocs 生成网站" + ("并加密" if passwords is not None else "（未加密！）")
                 + (f"（{count} 个进程并行）" if count > 1 else "") + "……")
        self.mkdocs.build(configs, env, len(self.pages), progress)
        site = self.work / "site"
        merge_sites([part / "site" for part in parts], site)
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / name).unlink(missing_ok=True)  # a list of every page's address helps nobody inside
        for source_map in site.glob("assets/**/*.map"):
            source_map.unlink()  # the theme's source maps only serve a developer's browser tools (and cost the gate)
        for unused in ("lunr", "workers"):  # Material's search, which this site does not have (no index may exist)
            shutil.rmtree(site / "assets" / "javascripts" / unused, ignore_errors=True)
        pages_built = sum(1 for _ in site.rglob("*.html"))
        for rel, content in self.files.items():
            (site / rel).write_text(content, encoding="utf-8")
        if secrets is not None:
            progress(f"保密检查：每个页面是否加密、有没有明文的姓名、身份证号、电话、地址（{len(secrets)} 项）……")
            started = time.perf_counter()
            leaks = scan_site(site, secrets)
            self.gate_seconds = time.perf_counter() - started
            if leaks:
                raise LeaksFound("新网站没有通过保密检查，没有安装：\n" + describe(leaks))
        finish(site)
        mark_as_ours(site)
        progress("替换旧网站……")
        swap_into(site, out)
        return pages_built


def _refuse_passwords(rel: str, text: str, passwords: tuple[str, ...]) -> None:
    """Raise LeaksFound when a page's plaintext holds one of the build's passwords, as typed or escaped."""
    for password in passwords:
        forms = {password, html.escape(password), json.dumps(password, ensure_ascii=False)[1:-1],
                 json.dumps(password)[1:-1]}
        if any(form in text for form in forms):
            raise LeaksFound(f"页面 {rel} 的内容里有本次生成所用的一个密码（多半来自自定义文书模板或台账里的文字），"
                             "这个页面会被其他密码打开。为安全起见没有生成网站，旧网站保持原样；请检查协议模板和台账。")


def _on_console_close(work: Path) -> object:
    """Windows: closing the console window ends the process a few seconds later without a signal Python sees."""
    import ctypes
    from ctypes import wintypes

    def handler(event: int) -> bool:
        if event in (2, 5, 6):  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT
            shutil.rmtree(work, ignore_errors=True)
        return False

    callback = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)(handler)  # type: ignore[attr-defined]
    ctypes.windll.kernel32.SetConsoleCtrlHandler(callback, True)  # type: ignore[attr-defined]
    return callback  # kept by the caller: the handler must outlive this call
