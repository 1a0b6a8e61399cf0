"""Skip a build whose inputs did not change: same workbook, templates, config, program, as-of day and passwords.

The stamp left in the site holds a hash of the inputs and, per password, a PBKDF2-SHA256 value with the same
10^6 iterations as the site's own key derivation: guessing a password from the stamp costs what guessing it from
the encrypted pages costs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

STAMP = ".jingfang-build.json"
ITERATIONS = 10**6
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


def _derive(password: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS).hex()


class Stamp:
    """The stamp of a site being built, written into it once built.

    Its key derivations (slow on purpose: one PBKDF2 per password) run in a background thread while the build
    reads the workbook; hashlib releases the GIL while it derives, so they take the other core. Leaving the
    with-block on an error cancels the derivations not yet started.
    """

    def __init__(self, digest: str, passwords: dict[str, str] | None) -> None:
        self._digest, self._encrypted = digest, passwords is not None
        self._salt = os.urandom(16)
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._secrets = {level: self._pool.submit(_derive, pw, self._salt) for level, pw in (passwords or {}).items()}

    def __enter__(self) -> Stamp:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._pool.shutdown(wait=kind is None, cancel_futures=True)

    def write(self, site: Path) -> None:
        """Record in folder site what it was built from."""
        data = {"inputs": self._digest, "salt": self._salt.hex(), "encrypted": self._encrypted,
                "levels": {level: secret.result() for level, secret in self._secrets.items()}}
        (site / STAMP).write_text(json.dumps(data), encoding="utf-8")


def is_fresh(site: Path, digest: str, passwords: dict[str, str] | None) -> bool:
    """True when site was built from exactly these inputs and passwords."""
    try:
        data = json.loads((site / STAMP).read_text(encoding="utf-8"))
        if not (site / "index.html").is_file() or data["inputs"] != digest:
            return False
        if data["encrypted"] != (passwords is not None) or set(data["levels"]) != set(passwords or {}):
            return False
        salt = bytes.fromhex(data["salt"])
        return all(hmac.compare_digest(_derive(pw, salt), data["levels"][level]) for level, pw in (passwords or {}).items())
    except (OSError, ValueError, KeyError, TypeError):
        return False


def as_of_key(as_of: date | None, today: date) -> str:
    """The as-of part of the key: the option when given, else today (the workbook's own date is in its bytes)."""
    return f"as-of:{as_of.isoformat()}" if as_of else f"today:{today.isoformat()}"
