"""Fingerprints of the seed documents, so that the tests can prove no sample name or phone is taken from them
without the seeds themselves (they live outside this repository).

    python -m tests.fingerprints ../shared/seeds    rewrite tests/data/seed-fingerprints.txt from the seeds
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

FINGERPRINTS = Path(__file__).resolve().parent / "data" / "seed-fingerprints.txt"
SALT = "jingfang-seed:"
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
MASKED_PHONE = re.compile(r"(\d{3})\*{3,4}(\d{4})")  # the seeds print phones as 152****9178


def fingerprint(text: str) -> str:
    return hashlib.sha256((SALT + text).encode("utf-8")).hexdigest()[:10]


def phone_key(phone: str) -> str:
    """What a masked seed phone still shows of a number: its first three and last four digits."""
    return f"phone:{phone[:3]}-{phone[-4:]}"


def seed_fingerprints(texts: list[str]) -> set[str]:
    """Every two- and three-character run of Chinese (any name a seed could hold) and every masked phone."""
    found = set()
    for text in texts:
        for run in CJK_RUN.findall(text):
            found |= {fingerprint(run[i:i + n]) for n in (2, 3) for i in range(len(run) - n + 1)}
        found |= {fingerprint(phone_key(a + "0000" + b)) for a, b in MASKED_PHONE.findall(text)}
    return found


def load() -> set[str]:
    return set(FINGERPRINTS.read_text(encoding="utf-8").split())


if __name__ == "__main__":
    seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
    FINGERPRINTS.write_text("\n".join(sorted(seed_fingerprints(seeds))) + "\n", encoding="utf-8")
    print(f"{FINGERPRINTS}: {len(load())} fingerprints from {len(seeds)} seeds")
