"""The previous build's state, kept in the site folder only encrypted: AES-256-GCM under a key derived from the
township password (PBKDF2-SHA256, 10^6 iterations, its own random salt), written as one line of base64.

pycryptodome is the encryption plugin's own dependency (and ours, declared in pyproject.toml). The file holds no
plaintext: the leak gate accepts it only as pure base64. A changed password, a missing or damaged file all read as
"no previous state": the build goes on and its 变化 page says it cannot compare.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

STATE_FILE = "jingfang-state.txt"  # in the site folder; listed in the stamp like every file the build makes
ITERATIONS = 10**6
MAGIC = b"JF1"  # format version, also authenticated
SALT, NONCE, TAG = 16, 12, 16
BASE64_LINE = re.compile(rb"[A-Za-z0-9+/]+={0,2}\s*")


class StateUnreadable(Exception):
    """The state file is missing, damaged, or was encrypted with another password."""


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


def read_state(site: Path, password: str) -> dict | None:
    """The state the build of site kept, or None when there is none this password opens."""
    try:
        return unseal((site / STATE_FILE).read_text(encoding="ascii"), password)
    except (OSError, UnicodeDecodeError, StateUnreadable):
        return None


class StateKeys:
    """A build's two PBKDF2 derivations (opening the last state, sealing the new one), started at once in threads:
    hashlib releases the GIL, so they run on the second core while the workbook is read and checked."""

    def __init__(self, site: Path, password: str) -> None:
        self._salt = os.urandom(SALT)
        pool = ThreadPoolExecutor(max_workers=2)
        self._previous: Future[dict | None] = pool.submit(read_state, site, password)
        self._key: Future[bytes] = pool.submit(_key, password, self._salt)
        pool.shutdown(wait=False)  # the two tasks run on; nothing else will be submitted

    def previous(self) -> dict | None:
        """The state the site's last build kept, or None (see read_state)."""
        return self._previous.result()

    def seal(self, state: dict) -> str:
        """The state sealed as seal() would, with the key derived in the background."""
        return _seal(state, self._key.result(), self._salt)


def is_sealed(data: bytes) -> bool:
    """Whether a state file's bytes are pure base64 (ciphertext), as seal writes them."""
    return BASE64_LINE.fullmatch(data) is not None
