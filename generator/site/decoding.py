"""What a browser, Word or an unzip tool would show of a file's bytes: the texts the leak gate scans.

Each function undoes one way of hiding text: character encodings (UTF-8, UTF-16 with its byte order mark, GBK and
GB18030), escapes (JSON and JavaScript ``\\u`` and ``\\x``, CSS ``\\5f20``, HTML entities, percent-encoding), markup
splitting a word (``<tspan>张</tspan><tspan>三</tspan>``), base64 (``data:`` addresses, ``atob``) and archives (.zip,
.docx, .xlsx, gzip). Archives are opened with limits: one that is too large, too deep, encrypted or broken raises
Uncheckable, which the gate reports as a finding (what it cannot read, it cannot pass).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import io
import re
import urllib.parse
import zipfile
import zlib
from typing import Iterator

MB = 1024 * 1024
MEMBER_BYTES = 64 * MB  # the most one archive member (or one gzip stream) may unpack to
ARCHIVE_BYTES = 256 * MB  # the most all the members of one file may unpack to together
ARCHIVE_MEMBERS = 5000
ZIP_MAGIC, GZIP_MAGIC = b"PK\x03\x04", b"\x1f\x8b"
EMPTY_ZIP = b"PK\x05\x06"

_U_RUN = re.compile(r"(?:\\u[0-9a-fA-F]{4})+")  # a run, so that a surrogate pair becomes one character
_U_BRACES = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")
_X_RUN = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")  # often the UTF-8 bytes of a character, one escape per byte
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?")
_TAG = re.compile(r"<[^<>]*>")
_LETTER = r"[\w#（）()\-·•]"
_SPLIT_WORD = re.compile(f"(?<!{_LETTER}){_LETTER}+(?:(?:<[^<>]*>)+{_LETTER}+)+")  # runs of letters with only tags between them
# 16 characters (12 bytes) at least: shorter runs are mostly words and identifiers; after "base64," (a data:
# address) any length, as a browser decodes it
_BASE64 = re.compile(r"(base64,)?([A-Za-z0-9+/_-]{16,}|(?<=base64,)[A-Za-z0-9+/_-]{4,})")


class Uncheckable(Exception):
    """An archive the gate will not or cannot open (too large, too many members, encrypted, broken)."""


class Budget:
    """How many more bytes the archives of one file may unpack to, nested ones included (a zip of zips of zips)."""

    def __init__(self, left: int = ARCHIVE_BYTES) -> None:
        self.left = left

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise Uncheckable


def texts_of(data: bytes, guess_gbk: bool = True) -> list[str]:
    """The texts a program might show for these bytes: UTF-16 with a byte order mark; else UTF-8; bytes that are not
    UTF-8 also as GB18030 (GBK's superset), which Chinese Windows and browsers fall back to, unless they hold a NUL
    byte (binary files: fonts, images), whose random pairs would read as random Chinese characters."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return [data.decode("utf-16", "replace")]
    try:
        return [data.decode("utf-8-sig")]
    except UnicodeDecodeError:
        pass
    texts = [data.decode("utf-8", "replace")]
    if guess_gbk and b"\0" not in data:
        texts.append(data.decode("gb18030", "replace"))
    return texts


def _u_run(match: re.Match[str]) -> str:
    return bytes.fromhex(match.group(0).replace("\\u", "")).decode("utf-16-be", "replace")


def _x_run(match: re.Match[str]) -> str:
    raw = bytes.fromhex(match.group(0).replace("\\x", ""))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # what JavaScript makes of \xHH: one character per escape


def _code_point(number: int) -> str:
    return chr(number) if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF else "\ufffd"


def _backslashes(text: str) -> str:
    text = _U_RUN.sub(_u_run, text)
    text = _U_BRACES.sub(lambda m: _code_point(int(m.group(1), 16)), text)
    text = _X_RUN.sub(_x_run, text)
    return _CSS_ESCAPE.sub(lambda m: _code_point(int(m.group(1), 16)), text)


def unescaped_forms(line: str) -> list[str]:
    """line and every form it takes as its escapes are undone, layer by layer (each form is scanned: undoing one
    kind of escape can join or split what another kind hid)."""
    forms = [line]
    text = line
    for _ in range(4):  # layers: \\u inside an entity inside percent-encoding, and so on
        before = text
        for trigger, undo in (("\\", _backslashes), ("&", html.unescape), ("%", urllib.parse.unquote)):
            if trigger in text:
                undone = undo(text)
                if undone != text:
                    text = undone
                    forms.append(text)
        if text == before:
            break
    return forms


def split_words(text: str) -> list[str]:
    """The words markup splits, joined as the page shows them: 张三 of <tspan>张</tspan><tspan>三</tspan> (an SVG
    chart) or <w:t>张</w:t></w:r><w:r><w:t>三</w:t> (a Word file)."""
    return [_TAG.sub("", match.group(0)) for match in _SPLIT_WORD.finditer(text)] if "<" in text else []


def base64_payloads(text: str) -> Iterator[tuple[bytes, bool]]:
    """The bytes of every run of text that may be base64 (and whether it is a data: address's, which may name any
    charset)."""
    for match in _BASE64.finditer(text):
        run = match.group(2).replace("-", "+").replace("_", "/")
        run = run[:len(run) - 1] if len(run) % 4 == 1 else run + "=" * (-len(run) % 4)  # its padding may be cut
        try:
            payload = base64.b64decode(run)
        except (binascii.Error, ValueError):
            continue
        yield payload, match.group(1) is not None


def is_archive(data: bytes, name: str) -> bool:
    return data.startswith((ZIP_MAGIC, EMPTY_ZIP)) or name.lower().endswith((".zip", ".docx", ".xlsx", ".pptx"))


def gunzip(data: bytes, budget: Budget) -> bytes | None:
    """A gzip stream's content (None: not gzip after all); Uncheckable when it unpacks to more than MEMBER_BYTES."""
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        content = stream.decompress(data, MEMBER_BYTES + 1)
    except zlib.error:
        return None
    if len(content) > MEMBER_BYTES or stream.unconsumed_tail:
        raise Uncheckable
    budget.take(len(content))
    return content


def archive_members(data: bytes, budget: Budget) -> Iterator[tuple[str, bytes]]:
    """Each member of a zip archive (a .docx or .xlsx is one): name and content, within the limits above."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > ARCHIVE_MEMBERS:
                raise Uncheckable
            for info in members:
                if info.flag_bits & 0x1 or info.file_size > MEMBER_BYTES:  # encrypted, or too large to unpack
                    raise Uncheckable
                with archive.open(info) as member:
                    content = member.read(MEMBER_BYTES + 1)  # the declared size may lie
                if len(content) > MEMBER_BYTES:
                    raise Uncheckable
                budget.take(len(content))
                yield info.filename, content
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            zlib.error, ValueError):
        raise Uncheckable from None
