"""Shared fixtures: a real headless Chromium (Debian's, driven by Playwright; never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# without these, Chromium phones home at start-up; the network here (and on township intranets) is closed
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is not installed; .ci/run installs it")
        pytest.skip("chromium not installed on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no shared storage) that records every request it makes; a script error fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda request: tab.requests.append(request.url))  # type: ignore[attr-defined]
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    tab.on("console", lambda message: message.type == "error" and errors.append(f"{tab.url}: {message.text}"))
    yield tab
    context.close()
    assert not errors, "script errors in the site:\n" + "\n".join(errors[:10])


def has_tool(name: str) -> bool:
    return shutil.which(name) is not None


def unlock(page, password: str) -> None:
    """Type the password into the page's prompt and wait until the content is decrypted."""
    page.fill("#mkdocs-content-password", password)
    page.click("#mkdocs-decrypt-button")
    page.wait_for_selector("#mkdocs-encrypted-content", state="detached", timeout=15_000)


def decrypted(page) -> None:
    """Wait until a page opened with a remembered key has decrypted itself."""
    page.wait_for_selector("#mkdocs-encrypted-content", state="detached", timeout=15_000)


LEAK_SCAN = Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "leak_scan.py"


def assert_no_leaks(workbook: Path, *sites: Path) -> None:
    """The product side's scanner finds no personal value of workbook in plaintext under sites."""
    import subprocess
    import sys

    if not LEAK_SCAN.exists():
        pytest.fail(f"the product side's leak scanner is missing: {LEAK_SCAN}")
    result = subprocess.run([sys.executable, str(LEAK_SCAN), str(workbook), *map(str, sites)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:]
