"""Running the real ``jingfang`` command and the product side's leak scanner, as processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


LEAK_SCAN = ROOT.parent / "shared" / "tools" / "leak_scan.py"


def leak_scan(workbook: Path, *folders: Path) -> subprocess.CompletedProcess:
    """The product side's scanner on the given folders; exit 0 means no personal value of workbook in plaintext."""
    if not LEAK_SCAN.exists():
        pytest.fail(f"the product side's leak scanner is missing: {LEAK_SCAN}")
    return subprocess.run([sys.executable, str(LEAK_SCAN), str(workbook), *map(str, folders)], capture_output=True,
                          text=True, timeout=600)


def assert_no_leaks(workbook: Path, *sites: Path) -> None:
    result = leak_scan(workbook, *sites)
    assert result.returncode == 0, result.stdout[-2000:]
