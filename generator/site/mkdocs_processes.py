"""The mkdocs processes of a build: the config each is given, how the pages are spread over them (one shard per CPU
core for a large site) and merged back into one site.

Passwords reach mkdocs only down the child process's stdin (generator.site.mkdocs_child puts them into its own
environment), never through a file or our command line: the jingfang plugin hands them to the encryption plugin
as strings.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Callable

import yaml

from generator.site import encryption
from generator.site.encryption import SECRET_ENVS

PACKAGE = Path(__file__).resolve().parent.parent  # the generator package
PAGE_FILES = PACKAGE / "present" / "pages"  # the base mkdocs config, theme overrides and assets ship beside the pages
BASE_CONFIG = PAGE_FILES / "mkdocs.yml"
OVERRIDES = PAGE_FILES / "overrides"
ASSETS = PAGE_FILES / "assets"
PRIVATE_ENV = ("JINGFANG_PASSWORD", *SECRET_ENVS)  # never passed on to mkdocs from our own environment
PROGRESS_EVERY = 5.0  # seconds between progress lines during a long mkdocs run
MAX_SHARDS = 4
MIN_SHARD_PAGES = 200  # below this a second mkdocs process costs more (start-up) than it saves


class BuildFailed(Exception):
    """mkdocs could not build the site; the previous site is untouched."""


def write_config(work: Path, site_name: str, nav: list[dict[str, str]], extra: dict, encrypted: bool,
                 primary: bool = True, prompt: str | None = None) -> Path:
    """A config that inherits jingfang's base mkdocs.yml and points at the temp docs and site folders.

    Written by a YAML serializer, so a name is always a string value. The passwords are not in it: the jingfang
    plugin hands them to the encryption plugin from the child's environment. primary: the first (or only) shard.
    prompt: the password prompt's explanation (None: the township site's).
    """
    plugins: list = [{"jingfang": {"fragments": str(work.parent / "fragments.bin"), "primary": primary,
                                   "template_cache": template_cache()}}]
    if encrypted:
        plugins.append({encryption.PLUGIN: encryption.options(prompt)})
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
