"""What of the site's keys reaches the disk: a real Chromium with a persistent profile, scanned after it closed.

Chromium writes a tab's sessionStorage to the profile's "Session Storage" LevelDB a few seconds after a change and
keeps it there after the browser closes (for tab restore). assets/jingfang.js keeps the level keys in the open
page's memory and writes them to sessionStorage only when the page is left for a page of the site that the page
itself is navigating to (a link, back/forward within the site, a reload), for the next page to take at once; leaving
the site any other way, or closing the tab, writes nothing. The keys are caught as the plugin stores them on
unlocking (before jingfang.js takes them out of the storage) and looked for in every file of the profile.
"""

from __future__ import annotations

import base64
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browsing import CHROMIUM, CHROMIUM_ARGS, decrypted, follow, unlock
from tests.commands import PASSWORD

KEYS = "Object.keys(sessionStorage).filter(k => k.startsWith('encryptcontent_'))"
# the plugin's sessionStorage.setItem of a key, told to the test (jfSeen) rather than kept in the browser
CATCH_KEYS = ("const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {"
              " if (k.startsWith('encryptcontent_')) window.jfSeen(v); return set.call(this, k, v); };")
COMMIT_WAIT_MS = 8_000  # Chromium commits sessionStorage to disk about 5 s after a change


@contextmanager
def persistent_tab(browser, profile: Path, keys: list[str]):
    """A tab of a Chromium whose profile lives in profile (closed, and so flushed to disk, on leaving the block)."""
    context = browser.browser_type.launch_persistent_context(str(profile), executable_path=str(CHROMIUM),
                                                             headless=True, args=CHROMIUM_ARGS)
    try:
        tab = context.pages[0] if context.pages else context.new_page()
        tab.expose_function("jfSeen", lambda key: keys.append(key))
        tab.add_init_script(CATCH_KEYS)
        yield tab
    finally:
        context.close()


def forms(secret: str) -> list[bytes]:
    """The ways a key or password could be stored: as typed (hex), upper-case hex, raw bytes and base64 of them, each
    as Latin-1 and as UTF-16LE (LevelDB holds JS strings either way)."""
    texts = [secret, secret.upper()]
    try:
        raw = bytes.fromhex(secret)
        texts += [base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode().rstrip("=")]
    except ValueError:
        raw = b""
    found = [t.encode(enc) for t in texts for enc in ("latin-1", "utf-16-le")]
    return found + ([raw] if raw else [])


def on_disk(profile: Path, secrets: list[str]) -> list[str]:
    """The files of the (closed) profile that hold any form of any of the secrets."""
    wanted = [form for secret in secrets for form in forms(secret)]
    return sorted(str(f.relative_to(profile)) for f in profile.rglob("*")
                  if f.is_file() and not f.is_symlink() and any(form in f.read_bytes() for form in wanted))


def storage_on_disk(profile: Path) -> bool:
    """Whether the tab's sessionStorage reached the profile at all (so that finding no key there means something)."""
    return on_disk(profile, ["jingfang_active_at"]) != []


def unlock_and_follow_a_link(tab, site: Path, keys: list[str]) -> None:
    """Unlock the home page, then follow one of its links: the next page opens without a password."""
    tab.goto((site / "index.html").as_uri())
    unlock(tab, PASSWORD)
    follow(tab, tab.locator(".md-tabs").get_by_role("link", name="花名册"))
    assert tab.title().startswith("花名册") and tab.locator("#mkdocs-content-password").count() == 0
    assert tab.evaluate(KEYS) == []  # in the open page's memory
    assert keys and all(len(key) == 64 for key in keys)  # hex AES-256 keys, caught as the plugin stored them


def outside_page(folder: Path) -> Path:
    """A local page that is not part of the site (another HTML file on the same computer)."""
    other = folder / "other.html"
    other.write_text("<!doctype html><title>其他网页</title><p>其他网页</p>", encoding="utf-8")
    return other


def leave_by_address(tab, site: Path, other: Path) -> None:
    tab.goto("about:blank")  # as typed into the address bar


def leave_by_outside_link(tab, site: Path, other: Path) -> None:
    tab.evaluate("href => { const a = document.createElement('a'); a.id = 'out'; a.href = href;"
                 " a.textContent = '外部链接'; document.querySelector('article').append(a); }", other.as_uri())
    with tab.expect_navigation():
        tab.click("#out")
    assert tab.title() == "其他网页"


def leave_by_going_back_past_the_site(tab, site: Path, other: Path) -> None:
    tab.go_back()  # to the home page: within the site, it opens with the visit's key
    decrypted(tab)
    tab.go_back()  # past the site: to the page the tab showed before
    assert tab.title() == "其他网页"


@pytest.mark.parametrize("leave", [leave_by_address, leave_by_outside_link, leave_by_going_back_past_the_site],
                         ids=["address", "outside-link", "back"])
def test_leaving_the_site_in_the_same_tab_leaves_no_key_on_disk(browser, encrypted, tmp_path, leave):
    profile, other, keys = tmp_path / "profile", outside_page(tmp_path), []
    with persistent_tab(browser, profile, keys) as tab:
        tab.goto(other.as_uri())  # the tab was showing another page before the site
        unlock_and_follow_a_link(tab, encrypted, keys)
        leave(tab, encrypted, other)
        if tab.url.startswith("file:"):
            assert tab.evaluate(KEYS) == []  # nothing left in this tab's storage for local pages
        tab.wait_for_timeout(COMMIT_WAIT_MS)
    assert storage_on_disk(profile)
    assert on_disk(profile, keys + [PASSWORD]) == []


def test_closing_an_unlocked_tab_leaves_no_key_on_disk(browser, encrypted, tmp_path):
    profile, keys = tmp_path / "profile", []
    with persistent_tab(browser, profile, keys) as tab:
        unlock_and_follow_a_link(tab, encrypted, keys)
        spare = tab.context.new_page()  # the browser stays open, as with other tabs in use
        tab.close(run_before_unload=True)
        spare.wait_for_timeout(COMMIT_WAIT_MS)
    assert storage_on_disk(profile)
    assert on_disk(profile, keys + [PASSWORD]) == []


def test_within_the_site_back_forward_and_reload_keep_the_visit_open(browser, encrypted, tmp_path):
    profile, keys = tmp_path / "profile", []
    with persistent_tab(browser, profile, keys) as tab:
        unlock_and_follow_a_link(tab, encrypted, keys)
        tab.go_back()
        decrypted(tab)
        tab.go_forward()
        decrypted(tab)
        tab.keyboard.press("F5")  # the page sees the key, then the browser reloads (headless does not: reload here)
        tab.reload()
        decrypted(tab)
        assert tab.evaluate(KEYS) == []
        tab.wait_for_timeout(COMMIT_WAIT_MS)
    assert on_disk(profile, keys) == []


def test_a_page_opened_by_the_address_bar_or_the_reload_button_asks_again(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    page.goto((encrypted / "roster" / "index.html").as_uri())  # typed, or a bookmark: the site was left
    page.wait_for_selector("#mkdocs-content-password")
    assert page.evaluate(KEYS) == []
    unlock(page, PASSWORD)
    page.reload()  # the browser's reload button: the page cannot tell it from leaving
    page.wait_for_selector("#mkdocs-content-password")
    assert page.evaluate(KEYS) == []
