"""The previous build's state, kept in the site folder only encrypted: AES-256-GCM under a key derived from the
township password (PBKDF2-SHA256, 10^6 iterations, its own random salt), written as one line of base64.

pycryptodome is the encryption plugin's own dependency (and ours, declared in pyproject.toml). The file holds no
plaintext: the leak gate accepts it only as pure base64. A changed password, a missing or damaged file all read as
"no previous state": the build goes on and its 变化 page says it cannot compare.

The file is bound to its site: the build records its SHA-256 in the site's stamp, and the next build opens only the
file the stamp names. An older state file sealed with the same password (a copy from an earlier build or another
site, put back to hide what changed since) is not accepted. The file is read through generator.read.inputs: a link, a FIFO
or a device in its place is refused, not read (a FIFO would block the build, /dev/zero fill its memory).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import zlib
from concurrent.futures import Future
from pathlib import Path

from generator.site.background import in_background
from generator.contract.outputs import STAMP, STATE_FILE
from generator.site.freshness import read_stamp
from generator.read.inputs import MB, InputRefused, read_input

STATE_LIMIT = 16 * MB  # 10,000 patients' codes, statuses and list keys, compressed: well under 1 MB
STAMP_KEY = "state"  # the stamp's entry holding the state file's SHA-256
UNUSED = "上次的状态文件“{path}”"
ITERATIONS = 10**6
MAGIC = b"JF1"  # format version, also authenticated
SALT, NONCE, TAG = 16, 12, 16
BASE64_LINE = re.compile(rb"[A-Za-z0-9+/]+={0,2}\s*")


class StateUnreadable(Exception):
    """The state file is missing, damaged, not this site's, or was encrypted with another password.

    The message is the build's warning (one Chinese sentence), or empty when there is nothing to warn about (no file:
    the site's first build).
    """


def _key(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, ITERATIONS, 32)


def seal(state: dict, password: str) -> str:
    """The state as one line of base64: magic, salt, nonce, ciphertext and tag (the JSON compressed first)."""
    salt = os.urandom(SALT)
    return _seal(state, _key(password, salt), salt)


def _seal(state: dict, key: bytes, salt: bytes) -> str:
    from Crypto.Cipher import AES

    nonce = os.urandom(NONCE)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    cipher.update(MAGIC)
    body, tag = cipher.encrypt_and_digest(zlib.compress(json.dumps(state, ensure_ascii=False).encode("utf-8")))
    return base64.b64encode(MAGIC + salt + nonce + body + tag).decode("ascii")


def unseal(sealed: str, password: str) -> dict:
    """The state sealed with password; StateUnreadable for anything else."""
    from Crypto.Cipher import AES

    try:
        raw = base64.b64decode(sealed.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise StateUnreadable("not base64") from None
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + SALT + NONCE + TAG:
        raise StateUnreadable("not a jingfang state")
    salt, rest = raw[len(MAGIC):len(MAGIC) + SALT], raw[len(MAGIC) + SALT:]
    nonce, body, tag = rest[:NONCE], rest[NONCE:-TAG], rest[-TAG:]
    cipher = AES.new(_key(password, salt), AES.MODE_GCM, nonce=nonce)
    cipher.update(MAGIC)
    try:
        state = json.loads(zlib.decompress(cipher.decrypt_and_verify(body, tag)))
    except (ValueError, zlib.error):
        raise StateUnreadable("wrong password or damaged") from None
    if not isinstance(state, dict) or not {"as_of", "patients", "lists"} <= state.keys():
        raise StateUnreadable("not a state")
    return state


def open_state(site: Path, password: str) -> dict:
    """The state the last build of site kept; StateUnreadable saying why it cannot be used."""
    path = site / STATE_FILE
    if not os.path.lexists(path):
        raise StateUnreadable("")
    try:
        sealed = read_input(path, "上次的状态文件", STATE_LIMIT)
    except InputRefused as exc:
        raise StateUnreadable(str(exc)) from None
    try:
        recorded = read_stamp(site).get(STAMP_KEY)
    except (OSError, ValueError, InputRefused):
        recorded = None
    if not isinstance(recorded, str) or not hmac.compare_digest(recorded, _digest(sealed)):
        raise StateUnreadable(UNUSED.format(path=path) + "不是这个网站上次生成时写下的（可能是从别处或旧的备份复制来的），"
                              "没有使用。")
    try:
        return unseal(sealed.decode("ascii"), password)
    except (UnicodeDecodeError, StateUnreadable):
        raise StateUnreadable(UNUSED.format(path=path) + "用这次的乡镇密码打不开（密码已更换，或文件已损坏），没有使用。") from None


def read_state(site: Path, password: str) -> dict | None:
    """The state the build of site kept, or None when there is none this password opens (see open_state)."""
    try:
        return open_state(site, password)
    except StateUnreadable:
        return None


def record_state(site: Path) -> None:
    """Write into site's stamp the SHA-256 of the state file in it: the next build opens that file and no other."""
    try:
        data = read_stamp(site)
    except (OSError, ValueError, InputRefused):
        data = {}
    data[STAMP_KEY] = _digest((site / STATE_FILE).read_bytes())
    (site / STAMP).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _digest(sealed: bytes) -> str:
    return hashlib.sha256(sealed).hexdigest()


class StateKeys:
    """A build's two PBKDF2 derivations (opening the last state, sealing the new one), started at once on daemon
    threads: hashlib releases the GIL, so they run on the second core while the workbook is read and checked, and a
    stopped build does not wait for them."""

    def __init__(self, site: Path, password: str) -> None:
        self._salt = os.urandom(SALT)
        self._previous: Future[dict] = in_background([(open_state, (site, password))], "jingfang-state")[0]
        self._key: Future[bytes] = in_background([(_key, (password, self._salt))], "jingfang-state-key")[0]

    def previous(self) -> tuple[dict | None, str | None]:
        """The state the site's last build kept (None: there is none to compare with), and the warning why not."""
        try:
            return self._previous.result(), None
        except StateUnreadable as exc:
            return None, str(exc) or None

    def seal(self, state: dict) -> str:
        """The state sealed as seal() would, with the key derived in the background."""
        return _seal(state, self._key.result(), self._salt)


def is_sealed(data: bytes) -> bool:
    """Whether a state file's bytes are pure base64 (ciphertext), as seal writes them."""
    return BASE64_LINE.fullmatch(data) is not None
