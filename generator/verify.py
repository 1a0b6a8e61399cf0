"""The leak gate: a built site must hold no personal value in plaintext and no page without ciphertext.

``build`` runs it on the new site before installing it (and refuses to install a site that fails); ``jingfang
verify WORKBOOK SITE`` runs it on any folder. It knows the values to look for from the validated workbook: every
name, ID number, phone and address, looked for in every file, also behind the escapes a static site may wrap text in
(JSON \\uXXXX, HTML entities, percent-encoding, gzip). A finding names the file and the kind of value, never the value.
"""

from __future__ import annotations

import gzip
import html
import multiprocessing
import os
import re
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .encryption import CIPHERTEXT_ID
from .statefile import STATE_FILE, is_sealed

if TYPE_CHECKING:
    from .schema import Dataset

# pages that are deliberately readable without a password (Material's 404 page: the nav only)
PUBLIC_PAGES = frozenset({"404.html"})
NAME, ID, PHONE, ADDRESS = "姓名", "身份证号", "电话", "地址"
UNENCRYPTED = "未加密的页面"

# the ciphertext of a page and its keystores: base64 only, so nothing readable can hide inside what is skipped
_CIPHERTEXT = re.compile(f'(<div id="{CIPHERTEXT_ID}" style="display:none">)([A-Za-z0-9+/=;]+)(</div>)')
_KEYSTORE = re.compile(r'(var encryptcontent_keystore = \[)((?:"[A-Za-z0-9+/=;]*"(?:, ?)?)*)(\];)')
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
# runs of word characters: names, and addresses such as 禾苗村3组12号 (only the runs that are not pure ASCII count)
_WORDS = re.compile(r"[\w#（）()\-·•]+")
_DIGIT_RUN = re.compile(r"[0-9Xx][0-9Xx -]{5,}")  # IDs and phones, also written 138-1234-5678 or 138 1234 5678
_NAME_PARTS = re.compile(r"[·•・.\s]+")  # 阿依古丽·买买提: each part is looked for too
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


@dataclass(frozen=True)
class Leak:
    """One file of the site that shows something it must not: the kind of value, never the value itself."""

    path: str  # relative to the site folder, with /
    kind: str  # 姓名, 身份证号, 电话, 地址 or 未加密的页面


class Secrets:
    """The personal values of a workbook, indexed for the gate's substring search."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values  # value → kind
        self.lengths = sorted({len(v) for v in values})
        self._seen: dict[str, frozenset[str]] = {}  # most runs of text repeat on every page (nav, titles)

    def __len__(self) -> int:
        return len(self.values)

    def kinds_in(self, run: str) -> frozenset[str]:
        """The kinds of value found anywhere inside one run of CJK text or digits."""
        found = self._seen.get(run)
        if found is None:
            hits = set()
            for form in {run, _SPACES.sub("", run), _SPACES.sub("", run).replace("-", "")}:
                for n in self.lengths:
                    if n > len(form):
                        break
                    hits.update(self.values[form[i:i + n]] for i in range(len(form) - n + 1)
                                if form[i:i + n] in self.values)
            found = self._seen[run] = frozenset(hits)
        return found


def _kind_of(header: str, kind: str) -> str | None:
    if kind in ("name", "names"):
        return NAME
    if kind == "id":
        return ID
    if kind == "phone":
        return PHONE
    if header.endswith(("地址", "住址")):
        return ADDRESS
    if header.endswith(("医生", "人员", "监护人", "负责人", "点名人")):
        return NAME
    return None


def _parts(value: str, kind: str) -> Iterator[str]:
    value = _SPACES.sub("", value).upper()
    if kind in (ID, PHONE):
        yield value
        return
    if len(value) >= 2 and _CJK.search(value):
        yield value
    if kind == NAME:
        yield from (p for p in _NAME_PARTS.split(value) if len(p) >= 2 and _CJK.search(p))


def personal_values(data: Dataset) -> Secrets:
    """Every name, ID number, phone and address in a validated workbook (the columns the schema says hold them)."""
    from .fields import col  # here, not at the top: the gate's worker processes need none of the schema
    from .schema import DATASET_FIELD, SHEETS

    found: dict[str, str] = {}
    for spec in SHEETS:
        rows = getattr(data, DATASET_FIELD.get(spec.name, ""), None)
        if not rows:
            continue
        personal = [(name, kind) for name, info in spec.model.__pydantic_fields__.items()
                    if name != "row" and info.alias and (kind := _kind_of(info.alias, col(info).kind))]
        for row in rows:
            for name, kind in personal:
                value = getattr(row, name, None)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        for part in _parts(item, kind):
                            found.setdefault(part, kind)
    return Secrets(found)


def plaintext(path: Path) -> str:
    """What a file shows without any password: its text less the ciphertext, with every escape undone."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError:
            pass
    text = data.decode("utf-8", errors="replace")
    text = _KEYSTORE.sub(r"\1\3", _CIPHERTEXT.sub(r"\1\3", text))
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return urllib.parse.unquote(html.unescape(text))


def scan_file(path: Path, rel: str, secrets: Secrets, seen: dict[str, frozenset[str]] | None = None) -> list[Leak]:
    """What one file shows that it must not. seen: what each line already scanned holds (shared across the files of
    one site: most of a page's plaintext is the theme's, the same on every page, and no word or number run crosses
    a line, so a line is scanned once)."""
    raw = path.read_bytes()
    leaks = []
    if rel == STATE_FILE:
        if is_sealed(raw):
            return []  # ciphertext, like a page's: base64 only, so nothing readable can hide in it
        leaks.append(Leak(rel, UNENCRYPTED))
    if rel.endswith(".html") and rel not in PUBLIC_PAGES and not _CIPHERTEXT.search(raw.decode("utf-8", "replace")):
        leaks.append(Leak(rel, UNENCRYPTED))
    seen = {} if seen is None else seen
    kinds: set[str] = set()
    for line in plaintext(path).split("\n"):
        found = seen.get(line)
        if found is None:
            found = seen[line] = frozenset(_kinds_in(line, secrets))
        kinds |= found
    return leaks + [Leak(rel, kind) for kind in sorted(kinds)]


def _kinds_in(text: str, secrets: Secrets) -> set[str]:
    kinds: set[str] = set()
    for run in _WORDS.findall(text):
        if not run.isascii():  # constant time in CPython: most runs of a page are markup and scripts
            kinds |= secrets.kinds_in(run.upper())
    for run in _DIGIT_RUN.findall(text):
        kinds |= secrets.kinds_in(run.upper().strip())
    return kinds


PARALLEL_FROM = 2000  # files; below this starting the worker processes costs more than they save


def scan_site(site: Path, secrets: Secrets) -> list[Leak]:
    """Every leak in every file under site (an empty list: the site is safe to install).

    A large site is scanned by one process per core; they are spawned (a forked one would copy the whole build's
    memory), which costs a quarter of a second, so only from PARALLEL_FROM files on.
    """
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) < PARALLEL_FROM or workers < 2:
        return _scan_files(site, paths, secrets)
    chunks = [paths[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        found = pool.map(_scan_chunk, [(site, chunk, secrets.values) for chunk in chunks])
        return sorted((leak for leaks in found for leak in leaks), key=lambda leak: leak.path)


def _scan_files(site: Path, paths: list[Path], secrets: Secrets) -> list[Leak]:
    leaks: list[Leak] = []
    seen: dict[str, frozenset[str]] = {}
    for path in paths:
        leaks += scan_file(path, path.relative_to(site).as_posix(), secrets, seen)
    return leaks


def _scan_chunk(job: tuple[Path, list[Path], dict[str, str]]) -> list[Leak]:
    site, paths, values = job
    return _scan_files(site, paths, Secrets(values))


def describe(leaks: Iterable[Leak], shown: int = 3) -> str:
    """The findings as Chinese lines: file and kind, the first few files only."""
    by_kind: dict[str, list[str]] = {}
    for leak in leaks:
        by_kind.setdefault(leak.kind, []).append(leak.path)
    lines = []
    for kind, paths in by_kind.items():
        more = f" 等 {len(paths)} 个文件" if len(paths) > shown else ""
        lines.append(f"  {kind}：{'、'.join(paths[:shown])}{more}")
    return "\n".join(lines)
