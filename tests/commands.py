"""Running the real ``jingfang`` command (and its leak gate, ``jingfang verify``) as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Test-Only-Pass-2025"  # synthetic; for the test sites only


def run(*args: str, encoding: str = "utf-8", cwd: Path | None = None, password: str | None = PASSWORD,
        ) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING=encoding, PYTHONPATH=str(ROOT))
    env.pop("JINGFANG_PASSWORD", None)
    if password is not None:
        env["JINGFANG_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, env=env, cwd=cwd or ROOT,
                          timeout=300)


def text(out: bytes, encoding: str = "utf-8") -> str:
    return out.decode(encoding)


def verify(workbook: Path, site: Path) -> subprocess.CompletedProcess:
    """The product's own leak gate (``jingfang verify``) on a built site; exit 0 means nothing leaks."""
    return run("verify", str(workbook), str(site), password=None)


def assert_no_leaks(workbook: Path, *sites: Path) -> None:
    for site in sites:
        result = verify(workbook, site)
        assert result.returncode == 0, text(result.stdout) + text(result.stderr)
