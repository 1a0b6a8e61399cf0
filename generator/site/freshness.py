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
import stat
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import Iterable

from generator.site.background import in_background
from generator.read.inputs import MB, InputRefused, open_input, read_input
from generator.read.workbook import WORKBOOK_LIMIT
from generator.contract.outputs import STAMP

STAMP_LIMIT = 16 * MB  # the stamp lists every file of the site: about 60 bytes each
TEMPLATE_LIMIT = 16 * MB  # a Word template with its pictures; an HTML one is a few KB
ROSTER_LIMIT = 256 * MB  # read/roster.ROSTER_LIMIT (not imported: that pulls calamine into the gate's workers)
OVERRIDE_FOLDER = "协议模板"  # own_templates.OVERRIDE_FOLDER (not imported: that pulls in Jinja)
ITERATIONS = 10**6
SALT_BYTES = 16
CHUNK = MB
PACKAGE = Path(__file__).resolve().parent.parent  # the generator package: its code and page files are inputs too


def input_digest(workbook: Path, config: Path, as_of_key: str, extra: tuple[str, ...] = (),
                 rosters: Iterable[Path] = ()) -> str:
    """SHA-256 over everything a build reads, except the passwords.

    The workbook, the township's templates and the roster files of ``--compare`` are read as generator.read.inputs
    opens them: InputRefused for a link, a FIFO or a device among them, which the build would refuse to read as well.
    """
    digest = hashlib.sha256()
    ours = [config] + sorted(PACKAGE.rglob("*.py")) + sorted(p for p in (PACKAGE / "present" / "pages").rglob("*") if p.is_file())
    for path in ours:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    _digest_input(digest, workbook, "台账", WORKBOOK_LIMIT)
    for path in override_files(workbook.parent / OVERRIDE_FOLDER):
        _digest_input(digest, path, "协议模板", TEMPLATE_LIMIT)
    for path in rosters:
        _digest_input(digest, path, "名单文件", ROSTER_LIMIT)
    digest.update(as_of_key.encode())
    for item in extra:
        digest.update(b"\0" + item.encode())
    return digest.hexdigest()


def override_files(folder: Path) -> list[Path]:
    """Everything in the township's template folder (its subfolders too), sorted; links included, to be refused."""
    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            raise InputRefused(f"协议模板文件夹“{folder}”是一个链接（快捷方式），不是文件夹本身。为安全起见不读取链接，"
                               "请把模板放进一个真正的文件夹。")
    except FileNotFoundError:
        return []
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):  # rglob does not descend into linked folders; they are refused here
        if path.is_symlink() or not path.is_dir():
            if not path.name.startswith("~$"):  # Word's lock file while a template is open: not read by the build
                found.append(path)
    return found


def _digest_input(digest: hashlib._Hash, path: Path, what: str, limit: int) -> None:
    """Add one input file's name and content, opened through generator.read.inputs and read in chunks."""
    digest.update(path.name.encode() + b"\0")
    read = 0
    with open_input(path, what, limit) as file:
        while chunk := file.read(CHUNK):
            read += len(chunk)
            if read > limit:  # it grew while we read it
                raise InputRefused(f"{what}“{path}”太大，请确认选对了文件。")
            digest.update(chunk)
    digest.update(b"\0")


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
        levels = list((passwords or {}).items())
        salts = [os.urandom(SALT_BYTES) for _ in levels]
        keys: list[Future[str]] = in_background([(_derive, (level, password, salt))
                                                 for (level, password), salt in zip(levels, salts)], "jingfang-stamp")
        self._levels = list(zip(salts, keys))

    def __enter__(self) -> Stamp:
        return self

    def __exit__(self, *_: object) -> None:
        for _, key in self._levels:
            key.cancel()  # those not started yet; the one under way ends with its daemon thread

    def write(self, site: Path) -> None:
        """Record in folder site what it was built from."""
        data = {"inputs": self._digest, "encrypted": self._encrypted,
                "levels": [{"salt": salt.hex(), "key": key.result()} for salt, key in self._levels]}
        (site / STAMP).write_text(json.dumps(data), encoding="utf-8")


def is_fresh(site: Path, digest: str, passwords: dict[str, str] | None) -> bool:
    """True when site was built from exactly these inputs and passwords (the levels in the same order)."""
    try:
        data = read_stamp(site)
        if not (site / "index.html").is_file() or data["inputs"] != digest:
            return False
        levels = list((passwords or {}).items())
        if data["encrypted"] != (passwords is not None) or len(data["levels"]) != len(levels):
            return False
        salts = [bytes.fromhex(entry["salt"]) for entry in data["levels"]]
        # each on a thread of its own, so both cores derive: hashlib releases the GIL while it derives
        keys = [in_background([(_derive, (level, password, salt))])[0]
                for (level, password), salt in zip(levels, salts)]
        return all(hmac.compare_digest(key.result(), entry["key"]) for key, entry in zip(keys, data["levels"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, InputRefused):
        return False


def read_stamp(site: Path) -> dict:
    """The stamp of site as written (ValueError when it is not a JSON object; InputRefused when it is no file)."""
    data = json.loads(read_input(site / STAMP, "生成记录", STAMP_LIMIT).decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a stamp")
    return data


def as_of_key(as_of: date | None, today: date) -> str:
    """The as-of part of the key: the option when given, else today (the workbook's own date is in its bytes)."""
    return f"as-of:{as_of.isoformat()}" if as_of else f"today:{today.isoformat()}"
