"""Rendered pages → private temp folder → ``mkdocs build --strict`` (encrypted) → atomic swap into the output folder.

Nothing is written outside the temp folder until mkdocs has succeeded and the leak gate has passed the new site; the
temp folder (which holds plaintext Markdown) is private to the user and removed when the ``Staging`` context ends, on
success, failure, Ctrl+C and SIGTERM/SIGHUP alike (and by the next run if the process was killed outright).
The mkdocs processes are in generator.site.mkdocs_processes, the output folder's checks and the atomic install in
generator.site.output_folder.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable

from generator.site import encryption
from generator.site.mkdocs_processes import (ASSETS, BuildFailed, MkdocsProcesses, merge_sites, shard_count,
                                             split_shards, write_config)
from generator.site.output_folder import STAGING_MARK, mark_as_ours, remove_stale, swap_into
from generator.site.verify import Secrets, describe, scan_site

if TYPE_CHECKING:
    from generator.present.pages.html import Page

FRAGMENT_RE = re.compile(r"^<(table|section)\b.*?</\1>$", re.M | re.S)
STAGING_PREFIX = "jingfang-"


class LeaksFound(BuildFailed):
    """The new site shows personal data in plaintext (or a page is not encrypted): it was not installed."""


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
        self.entries: dict[str, list[str]] = {}  # level → [entry page, name]: for the level probe (encrypted only)
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
        forms = password_forms(self.passwords)
        for rel, item in pages:
            path = self.docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            text = item.markdown()
            if any(form in text for form in forms):
                raise LeaksFound(f"页面 {rel} 的内容里有本次生成所用的一个密码（多半来自自定义文书模板或台账里的文字），"
                                 "这个页面会被其他密码打开。为安全起见没有生成网站，旧网站保持原样；请检查协议模板和台账。")
            path.write_text(split_fragments(text, self._store), encoding="utf-8")
            self.pages.append(rel)

    def build(self, out: Path, site_name: str, nav: list[dict[str, str]], extra: dict,
              passwords: dict[str, str] | None, *, secrets: Secrets | None,
              finish: Callable[[Path], None] = lambda _: None, progress: Callable[[str], None] = lambda _: None,
              prompt: str | None = None) -> int:
        """Build the written pages into out; return the number of HTML pages. On failure out is left as it was.

        passwords maps an access level (TOWNSHIP_LEVEL, or a village code) to its password; None builds without
        encryption (only for --insecure-no-password). Large sites are built in one shard per CPU core. The new site
        is installed only if the leak gate finds nothing (secrets: the workbook's personal values; None skips the
        gate, for an unencrypted build); finish is called on it just before (it writes the stamp). prompt: the password
        prompt's explanation (None: the township site's).
        """
        self._store.close()
        shutil.copytree(ASSETS, self.docs / "assets", dirs_exist_ok=True)
        count = shard_count(len(self.pages))
        env = _secrets_env(passwords, count, self.entries)
        if passwords is not None:  # the tabs of one build know each other by it (jingfang.js: BroadcastChannel)
            extra = extra | {"site_token": os.urandom(16).hex()}
        parts = split_shards(self.work, self.pages, nav, count)
        configs = [write_config(part, site_name, nav, extra, passwords is not None, primary=k == 0, prompt=prompt)
                   for k, part in enumerate(parts)]
        progress("运行 mkdocs 生成网站" + ("并加密" if passwords is not None else "（未加密！）")
                 + (f"（{count} 个进程并行）" if count > 1 else "") + "……")
        self.mkdocs.build(configs, env, len(self.pages), progress)
        site = self.work / "site"
        merge_sites([part / "site" for part in parts], site)
        _prune(site)
        pages_built = sum(1 for _ in site.rglob("*.html"))
        for rel, content in self.files.items():
            (site / rel).write_text(content, encoding="utf-8")
        if secrets is not None:
            self._gate(site, secrets, progress)
        finish(site)
        mark_as_ours(site)
        progress("替换旧网站……")
        swap_into(site, out)
        return pages_built

    def _gate(self, site: Path, secrets: Secrets, progress: Callable[[str], None]) -> None:
        """The leak gate on the new site: LeaksFound when a page is not encrypted or shows a personal value."""
        progress(f"保密检查：每个页面是否加密、有没有明文的姓名、身份证号、电话、地址（{len(secrets)} 项）……" if len(secrets)
                 else "保密检查：每个页面是否加密、有没有明文的网站密码（网站的内容来自汇总，没有个人信息，不用查找姓名、身份证号、"
                      "电话、地址）……")
        started = time.perf_counter()
        leaks = scan_site(site, secrets)
        self.gate_seconds = time.perf_counter() - started
        if leaks:
            raise LeaksFound("新网站没有通过保密检查，没有安装：\n" + describe(leaks))


def _secrets_env(passwords: dict[str, str] | None, count: int, entries: dict[str, list[str]]) -> dict[str, str]:
    """What the mkdocs processes are sent besides the config: each level's password, the entry page and name of
    each level with its own password (the level probe), and with several shards the level keys they must share (one
    unlock opens the pages of every shard)."""
    env: dict[str, str] = {}
    if passwords is not None:
        encryption.check_version()
        levels = encryption.inventory(passwords)
        env[encryption.SECRETS_ENV] = json.dumps(levels, ensure_ascii=False)
        probe = {level: entries[level] for level in passwords if level in entries}
        env[encryption.LEVEL_ENTRIES_ENV] = json.dumps(probe, ensure_ascii=False)
        if count > 1:
            env[encryption.LEVEL_KEYS_ENV] = json.dumps({level: os.urandom(32).hex() for level in levels})
    return env


def _prune(site: Path) -> None:
    """Remove what mkdocs and the theme make that this site must not ship."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site / name).unlink(missing_ok=True)  # a list of every page's address helps nobody inside
    for source_map in site.glob("assets/**/*.map"):
        source_map.unlink()  # the theme's source maps only serve a developer's browser tools (and cost the gate)
    for unused in ("lunr", "workers"):  # Material's search, which this site does not have (no index may exist)
        shutil.rmtree(site / "assets" / "javascripts" / unused, ignore_errors=True)


def password_forms(passwords: tuple[str, ...]) -> frozenset[str]:
    """Each password as a page's plaintext could hold it: as typed, HTML-escaped or JSON-escaped."""
    return frozenset(form for password in passwords for form in (
        password, html.escape(password), json.dumps(password, ensure_ascii=False)[1:-1], json.dumps(password)[1:-1]))


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
