"""The leak gate: a built site must hold no personal value in plaintext and no page without ciphertext.

``build`` runs it on the new site before installing it (and refuses to install a site that fails); ``jingfang
verify WORKBOOK SITE`` runs it on any folder. It knows the values to look for from the validated workbook: every
name, ID number, phone and address, looked for in every file, also behind the escapes a static site may wrap text in
(JSON \\uXXXX, HTML entities, percent-encoding, gzip). A finding names the file and the kind of value, never the value.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from generator.site.decoding import (GZIP_MAGIC, MB, ZIP_MAGIC, Budget, Uncheckable, archive_members, base64_payloads, gunzip,
                       is_archive, split_words, texts_of, unescaped_forms)
from generator.site.encryption import CIPHERTEXT_ID
from generator.site.freshness import STAMP
from generator.site.statefile import STATE_FILE, is_sealed

if TYPE_CHECKING:
    from generator.contract.schema import Dataset

# pages that are deliberately readable without a password (Material's 404 page: the nav only)
PUBLIC_PAGES = frozenset({"404.html"})
NAME, ID, PHONE, ADDRESS = "姓名", "身份证号", "电话", "地址"
UNENCRYPTED = "未加密的页面"
PASSWORD = "密码"
UNCHECKABLE = "无法检查的文件（过大、压缩包层数过多、加密或损坏）"
FOREIGN = "不是 jingfang 生成的文件"
CHANGED = "生成后被改动过的文件"
FILE_BYTES = 512 * MB  # a larger file is not read: no site of ours holds one
DEPTH = 3  # layers of base64, gzip and zip unpacked inside one another

# the ciphertext of a page and its keystores: base64 only, so nothing readable can hide inside what is skipped
_CIPHERTEXT = re.compile(f'(<div id="{CIPHERTEXT_ID}" style="display:none">)([A-Za-z0-9+/=;]+)(</div>)')
_KEYSTORE = re.compile(r'(var encryptcontent_keystore = \[)((?:"[A-Za-z0-9+/=;]*"(?:, ?)?)*)(\];)')
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
    """The personal values of a workbook, indexed for the gate's substring search, and the build's passwords (held
    in memory only: a finding says 密码, never which one)."""

    def __init__(self, values: dict[str, str], passwords: Iterable[str] = ()) -> None:
        self.values = values  # value → kind
        self.passwords = tuple(sorted({p for p in passwords if p}))
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


# a roster file's fields (contract/roster.HEADERS) that hold personal values, and their kinds
LISTED = {"姓名": NAME, "监护人": NAME, "身份证号": ID, "监护人电话": PHONE, "现住址": ADDRESS, "户籍地址": ADDRESS}


def personal_values(data: Dataset, passwords: Iterable[str] = (), listed: Iterable[dict] = ()) -> Secrets:
    """Every name, ID number, phone and address in a validated workbook (the columns the schema says hold them), and
    in listed (roster rows' values by field: the lists of ``build --compare``), and the passwords the site is built
    with."""
    from generator.contract.fields import col  # here, not at the top: the gate's worker processes need none of the schema
    from generator.contract.schema import DATASET_FIELD, SHEETS

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
    for values in listed:
        for field, kind in LISTED.items():
            if isinstance(value := values.get(field), str):
                for part in _parts(value, kind):
                    found.setdefault(part, kind)
    return Secrets(found, passwords)


def _strip_ciphertext(text: str) -> str:
    return _KEYSTORE.sub(r"\1\3", _CIPHERTEXT.sub(r"\1\3", text))


def plaintext(path: Path) -> str:
    """What a file shows without any password: its text less the ciphertext, with every escape undone."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, Budget()) or data
    return unescaped_forms(_strip_ciphertext(texts_of(data)[0]))[-1]


def scan_file(path: Path, rel: str, secrets: Secrets, seen: dict[str, frozenset[str]] | None = None) -> list[Leak]:
    """What one file shows that it must not. seen: what each line already scanned holds (shared across the files of
    one site: most of a page's plaintext is the theme's, the same on every page, and no word or number run crosses
    a line, so a line is scanned once)."""
    if path.stat().st_size > FILE_BYTES:
        return [Leak(rel, UNCHECKABLE)]
    raw = path.read_bytes()
    leaks = []
    if rel == STATE_FILE:
        if is_sealed(raw):
            return []  # ciphertext, like a page's: base64 only, so nothing readable can hide in it
        leaks.append(Leak(rel, UNENCRYPTED))
    if rel.endswith(".html") and rel not in PUBLIC_PAGES and not _CIPHERTEXT.search(raw.decode("utf-8", "replace")):
        leaks.append(Leak(rel, UNENCRYPTED))
    kinds = _Scan(secrets, {} if seen is None else seen).bytes(raw, rel, 0)
    return leaks + [Leak(rel, kind) for kind in sorted(kinds)]


class _Scan:
    """One file's scan: its bytes as every text a program might show, each line of each text looked through (and
    each base64 run or archive member in it, as bytes again, to DEPTH layers)."""

    def __init__(self, secrets: Secrets, seen: dict[str, frozenset[str]]) -> None:
        self.secrets, self.seen, self.budget = secrets, seen, Budget()

    def bytes(self, data: bytes, name: str, depth: int, any_charset: bool = True) -> set[str]:
        """any_charset: also read bytes that are not UTF-8 as GBK (a file, or a data: address, may be in it)."""
        kinds: set[str] = set()
        try:
            if data.startswith(GZIP_MAGIC) and depth < DEPTH:
                content = gunzip(data, self.budget)
                if content is not None:
                    return self.bytes(content, name.removesuffix(".gz"), depth + 1)
            if is_archive(data, name):
                if depth >= DEPTH:
                    return {UNCHECKABLE}
                for member, content in archive_members(data, self.budget):
                    kinds |= self.bytes(content, member, depth + 1)
                return kinds
        except Uncheckable:
            return kinds | {UNCHECKABLE}
        for text in texts_of(data, any_charset):
            kinds |= self.text(_strip_ciphertext(text) if depth == 0 else text, depth)
        return kinds

    def text(self, text: str, depth: int) -> set[str]:
        kinds: set[str] = set()
        for line in text.split("\n"):
            found = self.seen.get(line) if depth == 0 else None
            if found is None:
                found = frozenset(self.line(line, depth))
                if depth == 0:
                    self.seen[line] = found
            kinds |= found
        return kinds

    def line(self, line: str, depth: int) -> set[str]:
        kinds: set[str] = set()
        forms = unescaped_forms(line)
        for form in forms + [word for form in forms for word in split_words(form)]:
            kinds |= _kinds_in(form, self.secrets)
            if any(password in form for password in self.secrets.passwords):
                kinds.add(PASSWORD)
        if depth < DEPTH:
            payloads = {payload for form in forms for payload in base64_payloads(form)}
            for payload, in_data_uri in payloads:
                if in_data_uri or _is_utf8(payload) or payload.startswith((GZIP_MAGIC, ZIP_MAGIC)):
                    kinds |= self.bytes(payload, "", depth + 1, any_charset=in_data_uri)
        return kinds


def _is_utf8(data: bytes) -> bool:
    """Whether decoded base64 reads as text: most runs that look like base64 are words and identifiers, whose
    decoding is noise (which, read as GBK, would be random Chinese characters)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _kinds_in(text: str, secrets: Secrets) -> set[str]:
    kinds: set[str] = set()
    for run in () if text.isascii() else _WORDS.findall(text):
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
        # the secrets go to the workers down their pipes: never in a file, an argument or the environment
        found = pool.map(_scan_chunk, [(site, chunk, secrets.values, secrets.passwords) for chunk in chunks])
        return sorted((leak for leaks in found for leak in leaks), key=lambda leak: leak.path)


def _scan_files(site: Path, paths: list[Path], secrets: Secrets) -> list[Leak]:
    leaks: list[Leak] = []
    seen: dict[str, frozenset[str]] = {}
    for path in paths:
        leaks += scan_file(path, path.relative_to(site).as_posix(), secrets, seen)
    return leaks


def _scan_chunk(job: tuple[Path, list[Path], dict[str, str], tuple[str, ...]]) -> list[Leak]:
    site, paths, values, passwords = job
    return _scan_files(site, paths, Secrets(values, passwords))


def file_digest(path: Path) -> str:
    """A file's SHA-256 in base64 (not hex: runs of hex digits could read as phone numbers to the gate)."""
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def check_made_files(site: Path) -> list[Leak]:
    """The files of a site that its build did not make, or that changed since: a site holds only what its build
    made (the stamp lists each file and its digest). A folder without such a stamp yields nothing here: its files
    are only scanned."""
    try:
        stamp = json.loads((site / STAMP).read_text(encoding="utf-8"))
        listed, digests = set(stamp["files"]), stamp.get("sha256") or {}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    leaks = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel == STAMP or (path.is_dir() and not path.is_symlink()):
            continue
        if rel not in listed:
            leaks.append(Leak(rel, FOREIGN))
        elif rel in digests and (path.is_symlink() or not path.is_file() or file_digest(path) != digests[rel]):
            leaks.append(Leak(rel, CHANGED))
    return leaks


def check_site(site: Path, secrets: Secrets) -> list[Leak]:
    """verify's findings: files the build did not make or that changed since, and every leak in every file."""
    return sorted(check_made_files(site) + scan_site(site, secrets), key=lambda leak: (leak.path, leak.kind))


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
