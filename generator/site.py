"""Rendered pages → private temp folder → ``mkdocs build --strict`` → atomic swap into the output folder.

Nothing is written outside the temp folder until mkdocs has succeeded; the temp folder (which holds plaintext
Markdown) is private to the user and removed in ``finally``, on success and failure alike.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import yaml

BASE_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"
OVERRIDES = Path(__file__).resolve().parent / "pages" / "overrides"
ASSETS = Path(__file__).resolve().parent / "pages" / "assets"


class BuildFailed(Exception):
    """mkdocs could not build the site; the previous site is untouched."""


def write_docs(docs: Path, pages: dict[str, str]) -> None:
    """Write every page (relative path → Markdown) and the static assets under docs."""
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(ASSETS, docs / "assets", dirs_exist_ok=True)


def write_config(work: Path, site_name: str, nav: list[dict[str, str]], extra: dict) -> Path:
    """A config that inherits the project's mkdocs.yml and points at the temp docs and site folders."""
    config = {
        "INHERIT": str(BASE_CONFIG),
        "site_name": site_name,
        "docs_dir": str(work / "docs"),
        "site_dir": str(work / "site"),
        "nav": nav,
        "theme": {"name": "material", "custom_dir": str(OVERRIDES)},
        "extra": extra,
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_mkdocs(config_file: Path) -> None:
    """Run a real strict mkdocs build in-process; any warning fails the build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    log = logging.getLogger("mkdocs")
    captured = _Capture()
    log.addHandler(captured)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        build(config)
    except (Abort, ConfigurationError, OSError) as exc:
        detail = "；".join(captured.messages[-5:]) or str(exc)
        raise BuildFailed(f"mkdocs 生成网站失败：{detail}") from exc
    finally:
        log.removeHandler(captured)


class _Capture(logging.Handler):
    """Keeps mkdocs' warnings so a failed build can say why."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def swap_into(built: Path, out: Path) -> None:
    """Replace out with built: rename the old site aside, rename the new one in, then delete the old one."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".jingfang-new-", dir=out.parent))
    shutil.move(str(built), staged / "site")
    old = out.parent / f".jingfang-old-{os.getpid()}"
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


def build_site(pages: dict[str, str], out: Path, site_name: str, nav: list[dict[str, str]], extra: dict,
               progress: Callable[[str], None] = lambda _: None) -> int:
    """Build the whole site into out; return the number of HTML pages. On failure out is left as it was."""
    work = Path(tempfile.mkdtemp(prefix="jingfang-"))  # mkdtemp makes it 0700: private to this user
    try:
        progress(f"写出 {len(pages)} 个页面……")
        write_docs(work / "docs", pages)
        config = write_config(work, site_name, nav, extra)
        progress("运行 mkdocs 生成网站……")
        build_mkdocs(config)
        site = work / "site"
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / name).unlink(missing_ok=True)  # a list of every page's address helps nobody inside
        count = sum(1 for _ in site.rglob("*.html"))
        progress("替换旧网站……")
        swap_into(site, out)
        return count
    finally:
        shutil.rmtree(work, ignore_errors=True)
