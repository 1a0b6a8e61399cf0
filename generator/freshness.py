"""Skip a build whose inputs did not change: same workbook, templates, config, program, as-of day and passwords.

The stamp left in the site holds a hash of the inputs and, per access level, a PBKDF2-SHA256 value with its own
random salt and the same 10^6 iterations as the site's own key derivation, which also salts each password on its
own: a guess tests one password, and costs what testing it against the encrypted pages costs, so the stamp gives
an attacker nothing the site does not. Only a fingerprint tells an unchanged password without asking for the old
one; the levels are kept by position (township first, then the access file's order), with the level's name mixed
into the salt, so no village name is written in plaintext and swapping two villages' passwords is a change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

STAMP = ".jingfang-build.json"
ITERATIONS = 10**6
SALT_BYTES = 16
PACKAGE = Path(__file__).resolve().parent


def input_digest(workbook: Path, config: Path, as_of_key: str, extra: tuple[str, ...] = ()) -> str:
    """SHA-256 over everything a build reads, except the passwords."""
    digest = hashlib.sha256()
    files = [workbook, config] + sorted(PACKAGE.rglob("*.py")) + sorted(p for p in (PACKAGE / "pages").rglob("*") if p.is_file())
    override = workbook.parent / "协议模板"
    if override.is_dir():
        files += sorted(p for p in override.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(as_of_key.encode())
    for item in extra:
        digest.update(b"\0" + item.encode())
    return digest.hexdigest()


def _derive(level: str, password: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt + b"\0" + level.encode(), ITERATIONS).hex()


class Stamp:
    """The stamp of a site being built, written into it once built.

    Its key derivations (slow on purpose: one PBKDF2 per password) run in a background thread while the build
    reads the workbook; hashlib releases the GIL while it derives, so they take the other core. Leaving the
    with-block on an error cancels the derivations not yet started.
    """

    def __init__(self, digest: str, passwords: dict[str, str] | None) -> None:
        self._digest, self._encrypted = digest, passwords is not None
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._levels: list[tuple[bytes, Future[str]]] = []
        for level, password in (passwords or {}).items():
            salt = os.urandom(SALT_BYTES)
            self._levels.append((salt, self._pool.submit(_derive, level, password, salt)))

    def __enter__(self) -> Stamp:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._pool.shutdown(wait=kind is None, cancel_futures=True)

    def write(self, site: Path) -> None:
        """Record in folder site what it was built from."""
        data = {"inputs": self._digest, "encrypted": self._encrypted,
                "levels": [{"salt": salt.hex(), "key": key.result()} for salt, key in self._levels]}
        (site / STAMP).write_text(json.dumps(data), encoding="utf-8")


def is_fresh(site: Path, digest: str, passwords: dict[str, str] | None) -> bool:
    """True when site was built from exactly these inputs and passwords (the levels in the same order)."""
    try:
        data = json.loads((site / STAMP).read_text(encoding="utf-8"))
        if not (site / "index.html").is_file() or data["inputs"] != digest:
            return False
        levels = list((passwords or {}).items())
        if data["encrypted"] != (passwords is not None) or len(data["levels"]) != len(levels):
            return False
        salts = [bytes.fromhex(entry["salt"]) for entry in data["levels"]]
        # both cores: hashlib releases the GIL while it derives
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            keys = list(pool.map(_derive, [lv for lv, _ in levels], [pw for _, pw in levels], salts))
        return all(hmac.compare_digest(key, entry["key"]) for key, entry in zip(keys, data["levels"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def as_of_key(as_of: date | None, today: date) -> str:
    """The as-of part of the key: the option when given, else today (the workbook's own date is in its bytes)."""
    return f"as-of:{as_of.isoformat()}" if as_of else f"today:{today.isoformat()}"
