"""Driving Debian's Chromium through Playwright (never a downloaded browser), and unlocking encrypted pages."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# without these, Chromium phones home at start-up; the network here (and on township intranets) is closed
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


def unlock(page, password: str) -> None:
    """Type the password into the page's prompt and wait until the content is decrypted."""
    page.fill("#mkdocs-content-password", password)
    page.click("#mkdocs-decrypt-button")
    page.wait_for_selector("#mkdocs-encrypted-content", state="detached", timeout=15_000)


def decrypted(page) -> None:
    """Wait until a page opened with a remembered key has decrypted itself."""
    page.wait_for_selector("#mkdocs-encrypted-content", state="detached", timeout=15_000)


def follow(page, link) -> None:
    """Click a link to another encrypted page and wait until that page (not this one) has decrypted itself."""
    with page.expect_navigation():
        link.click()
    decrypted(page)


def visit(page, url: str) -> None:
    """Open a page of the site as its own links do (the page navigates itself), so that the visit's key goes along;
    the address bar (page.goto) leaves the site and the next page asks for the password again."""
    with page.expect_navigation():
        page.evaluate("url => { location.href = url; }", url)


def reload(page) -> None:
    """Reload the page as F5 or the page's own script does (the browser's reload button asks for the password)."""
    with page.expect_navigation():
        page.evaluate("location.reload()")
