"""Rendered pages → private temp folder → ``mkdocs build --strict`` (encrypted) → atomic swap into the output folder.

Nothing is written outside the temp folder until mkdocs has succeeded; the temp folder (which holds plaintext
Markdown) is private to the user and removed when the ``Staging`` context ends, on success and failure alike.
Passwords reach mkdocs only through the child process's environment (``!ENV`` in the config), never through a file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

import yaml

BASE_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"
OVERRIDES = Path(__file__).resolve().parent / "pages" / "overrides"
ASSETS = Path(__file__).resolve().parent / "pages" / "assets"
HOOKS = Path(__file__).resolve().parent / "mkdocs_hooks.py"
FRAGMENTS_ENV = "JINGFANG_FRAGMENTS"  # must match mkdocs_hooks.FRAGMENTS_ENV
FRAGMENT_RE = re.compile(r"^<(table|section)\b.*?</\1>$", re.M | re.S)
TOWNSHIP_LEVEL = "_global"  # the plugin encrypts every page with this level unless the page names another
PASSWORD_ENV = "JINGFANG_PW_"
PROGRESS_EVERY = 5.0  # seconds between progress lines during a long mkdocs run
MAX_SHARDS = 4
MIN_SHARD_PAGES = 200  # below this a second mkdocs process costs more (start-up) than it saves
LEVEL_KEYS_ENV = "JINGFANG_LEVEL_KEYS"  # must match mkdocs_hooks.LEVEL_KEYS_ENV
# Every text of the password prompt, in Chinese. Keys are the plugin's options.
PROMPT_TEXTS = {
    "title_prefix": "",
    "summary": "本页内容已加密",
    "placeholder": "请输入密码",
    "password_button": True,
    "password_button_text": "打开",
    "decryption_failure_message": "密码不对，请重新输入。",
    "encryption_info_message": "这是乡镇内部网站，内容受密码保护。村社区工作人员请从顶部“村社区”进入本村页面。",
}


class BuildFailed(Exception):
    """mkdocs could not build the site; the previous site is untouched."""


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


def write_config(work: Path, site_name: str, nav: list[dict[str, str]], extra: dict,
                 levels: dict[str, list[str]] | None) -> Path:
    """A config that inherits the project's mkdocs.yml and points at the temp docs and site folders.

    levels maps an access level to the environment variables holding its passwords (None: no encryption).
    """
    config = {
        "INHERIT": str(BASE_CONFIG),
        "site_name": site_name,
        "docs_dir": str(work / "docs"),
        "site_dir": str(work / "site"),
        "nav": nav,
        "theme": {"name": "material", "custom_dir": str(OVERRIDES)},
        "extra": extra,
        "hooks": [str(HOOKS)],
    }
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if levels is not None:
        text += plugin_config(levels)
    path = work / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def plugin_config(levels: dict[str, list[str]]) -> str:
    """The encryptcontent plugin, as YAML text (``!ENV`` tags cannot be written by yaml.safe_dump)."""
    options = {
        **PROMPT_TEXTS,
        "webcrypto": True,  # the browser's own crypto: no crypto-js from a CDN
        "esm": False,  # module scripts do not load from file://
        "kdf_pow": 6,  # 10^6 PBKDF2-SHA256 iterations
        "remember_keys": True,
        "session_storage": True,  # keys live until the browser tab closes; 退出 clears them
        "remember_password": False,
        "cache_file": "",  # the plugin's cache would keep derived keys next to the config
        "threshold_warning_min_entropy": 0,  # jingfang checks password strength itself
        "sharelinks": False,
    }
    lines = ["plugins:", "  - encryptcontent:"]
    lines += [f"      {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in options.items()]
    lines.append("      password_inventory:")
    for level, variables in levels.items():
        lines.append(f"        {level}: [{', '.join(f'!ENV {v}' for v in variables)}]")
    return "\n".join(lines) + "\n"


def build_mkdocs(configs: list[Path], env: dict[str, str], pages: int,
                 progress: Callable[[str], None] = lambda _: None) -> None:
    """Run a real ``mkdocs build --strict`` per shard, all at once, in child processes; any warning fails the build.

    Child processes, because the encryption plugin ends its process with os._exit on some errors, which would
    skip the cleanup of the plaintext temp folder. While they run, the pages written so far are reported.
    """
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(PASSWORD_ENV)} | env
    child_env["NO_MKDOCS_2_WARNING"] = "1"
    children = []
    for config in configs:
        errors = tempfile.TemporaryFile()
        child = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                                 stdout=subprocess.DEVNULL, stderr=errors, env=child_env)
        children.append((child, errors, config.parent / "site"))
    try:
        last = time.monotonic()
        while any(child.poll() is None for child, _, _ in children):
            time.sleep(0.2)
            if any(child.poll() not in (None, 0) for child, _, _ in children):
                break  # one shard failed: no need to wait for the others
            if time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                done = sum(1 for _, _, site in children if site.exists() for _ in site.rglob("*.html"))
                progress(f"mkdocs：已生成 {done}/{pages} 个页面……")
        failed = [(child, errors) for child, errors, _ in children if child.poll() not in (None, 0)]
        if failed:
            child, errors = failed[0]
            errors.seek(0)
            lines = [line for line in errors.read().decode("utf-8", "replace").splitlines() if line.strip()]
            raise BuildFailed("mkdocs 生成网站失败：" + "；".join(lines[-5:]))
    finally:
        for child, errors, _ in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            errors.close()


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


def password_levels(passwords: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Environment variables for the passwords, and each level's variables (the township's opens every level)."""
    env = {f"{PASSWORD_ENV}{i}": pw for i, pw in enumerate(passwords.values())}
    names = dict(zip(passwords, env))
    levels = {level: [names[TOWNSHIP_LEVEL]] + ([names[level]] if level != TOWNSHIP_LEVEL else []) for level in passwords}
    return env, levels


class Staging:
    """The private temp folder where the pages wait as plaintext Markdown until mkdocs has built the site.

    A context manager: the folder (mkdtemp makes it 0700, private to this user) is removed on leaving, whether the
    build succeeded or failed. Pages are written as they are rendered, so they never all sit in memory at once.
    """

    def __init__(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="jingfang-"))
        self.docs = self.work / "part0" / "docs"
        self.pages: list[str] = []
        self.fragments = self.work / "fragments.bin"
        self._store = self.fragments.open("wb")

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc: object) -> None:
        self._store.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def write(self, pages: Iterable[tuple[str, str]]) -> None:
        """Write pages (relative path, Markdown) into the docs folder, their HTML blocks into the fragment store."""
        for rel, text in pages:
            path = self.docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(split_fragments(text, self._store), encoding="utf-8")
            self.pages.append(rel)

    def build(self, out: Path, site_name: str, nav: list[dict[str, str]], extra: dict,
              passwords: dict[str, str] | None, progress: Callable[[str], None] = lambda _: None) -> int:
        """Build the written pages into out; return the number of HTML pages. On failure out is left as it was.

        passwords maps an access level (TOWNSHIP_LEVEL, or a village code) to its password; None builds without
        encryption (only for --insecure-no-password). Large sites are built in one shard per CPU core.
        """
        self._store.close()
        shutil.copytree(ASSETS, self.docs / "assets", dirs_exist_ok=True)
        count = max(1, min(os.cpu_count() or 1, MAX_SHARDS, len(self.pages) // MIN_SHARD_PAGES))
        env, levels = password_levels(passwords) if passwords is not None else ({}, None)
        env[FRAGMENTS_ENV] = str(self.fragments)
        if levels is not None and count > 1:
            env[LEVEL_KEYS_ENV] = json.dumps({level: os.urandom(32).hex() for level in levels})
        parts = split_shards(self.work, self.pages, nav, count)
        configs = [write_config(part, site_name, nav, extra, levels) for part in parts]
        progress("运行 mkdocs 生成网站" + ("并加密" if passwords is not None else "（未加密！）")
                 + (f"（{count} 个进程并行）" if count > 1 else "") + "……")
        build_mkdocs(configs, env, len(self.pages), progress)
        site = self.work / "site"
        merge_sites([part / "site" for part in parts], site)
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / name).unlink(missing_ok=True)  # a list of every page's address helps nobody inside
        pages_built = sum(1 for _ in site.rglob("*.html"))
        progress("替换旧网站……")
        swap_into(site, out)
        return pages_built
