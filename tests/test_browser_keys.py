"""How long the site's keys stay in the browser: one unlock per visit, forgotten when idle, on 退出 and after closing.

The encryption plugin reads and stores each level's key in the tab's sessionStorage under ``encryptcontent_<n>``;
assets/jingfang.js keeps them in the open page's memory instead and hands them over to the next page of the site that
the page navigates to (``visit``; the address bar leaves the site: see test_browser_keystore.py). It records the tab's
last activity (``jingfang_active_at``) and when keys were handed over (``jingfang_handed_at``), and forgets the keys
from those.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browsing import CHROMIUM, CHROMIUM_ARGS, decrypted, reload, unlock, visit
from tests.commands import PASSWORD, run, text
from tests.workbooks import valid_sheets, write_sheets

MINUTE = 60_000  # ms
KEYS = "Object.keys(sessionStorage).filter(k => k.startsWith('encryptcontent_'))"


@pytest.fixture(scope="module")
def five_minutes(tmp_path_factory) -> Path:
    """The small valid workbook's site, built by the real command with --lock-minutes 5."""
    folder = tmp_path_factory.mktemp("keys")
    workbook = write_sheets(folder / "台账.xlsx", valid_sheets())
    result = run("build", str(workbook), "--out", str(folder / "site"), "--lock-minutes", "5")
    assert result.returncode == 0, text(result.stderr)
    return folder / "site"


def stored_keys(page) -> list[str]:
    return page.evaluate(KEYS)


def idle_for(page, minutes: float) -> None:
    """Pretend the last input in this tab was that many minutes ago."""
    page.evaluate(f"sessionStorage.setItem('jingfang_active_at', String(Date.now() - {minutes * MINUTE}))")


def asks_for_password(page) -> str:
    """Wait for the password prompt; return its message line."""
    page.wait_for_selector("#mkdocs-content-password")
    assert page.locator("#mkdocs-encrypted-content").count() == 1
    return page.inner_text("#mkdocs-decrypt-msg")


def test_configured_minutes_are_in_every_built_page(five_minutes, encrypted):
    tag = '<meta name="jingfang-lock-minutes" content="{}">'
    for rel in ("index.html", "patients/P001.html", "villages/index.html"):
        assert tag.format(5) in (five_minutes / rel).read_text(encoding="utf-8"), rel
    assert tag.format(30) in (encrypted / "index.html").read_text(encoding="utf-8")


def test_lock_minutes_outside_the_range_are_refused(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), "--lock-minutes", "0")
    assert result.returncode == 2
    assert "--lock-minutes" in text(result.stderr) and "1<=x<=720" in text(result.stderr)
    assert not (tmp_path / "site").exists()


def test_changing_lock_minutes_rebuilds_the_site(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    assert run("build", str(workbook), "--out", str(out), "--lock-minutes", "5").returncode == 0
    again = run("build", str(workbook), "--out", str(out), "--lock-minutes", "5")
    assert text(again.stdout).startswith("台账、模板和密码都没有变化，网站已是最新")
    changed = run("build", str(workbook), "--out", str(out), "--lock-minutes", "10")
    assert text(changed.stdout).startswith("网站已生成：")
    assert '<meta name="jingfang-lock-minutes" content="10">' in (out / "index.html").read_text(encoding="utf-8")


def test_one_unlock_opens_the_next_pages_of_the_visit(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    assert stored_keys(page) == []
    unlock(page, PASSWORD)
    for rel in ("roster/index.html", "patients/P001.html"):
        visit(page, (encrypted / rel).as_uri())
        decrypted(page)
        assert stored_keys(page) == []  # in the open page's memory, not in sessionStorage
    assert "甘望舒" in page.locator("article").inner_text()
    idle_for(page, 29)  # still inside the 30 minutes
    reload(page)
    decrypted(page)


def test_idle_past_the_limit_forgets_the_keys_before_the_page_uses_them(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    idle_for(page, 31)
    reload(page)
    assert asks_for_password(page) == "已经 30 分钟没有操作，为保护患者信息已自动退出，请重新输入密码。"
    assert stored_keys(page) == []
    page.goto((encrypted / "patients" / "P001.html").as_uri())
    assert asks_for_password(page) == ""  # said once
    assert "甘望舒" not in page.content()
    unlock(page, PASSWORD)  # and the next unlock works as before
    visit(page, (encrypted / "roster" / "index.html").as_uri())
    decrypted(page)


def test_the_built_limit_is_the_one_used(five_minutes, page):
    page.goto((five_minutes / "index.html").as_uri())
    unlock(page, PASSWORD)
    idle_for(page, 4)
    visit(page, (five_minutes / "roster" / "index.html").as_uri())
    decrypted(page)
    idle_for(page, 6)
    visit(page, (five_minutes / "patients" / "P001.html").as_uri())
    assert asks_for_password(page) == "已经 5 分钟没有操作，为保护患者信息已自动退出，请重新输入密码。"
    assert stored_keys(page) == []


def test_input_counts_as_activity(encrypted, page):
    page.goto((encrypted / "roster" / "index.html").as_uri())
    unlock(page, PASSWORD)
    idle_for(page, 31)
    page.fill("input.jf-filter", "柏清")  # typing in the filter box
    reload(page)
    decrypted(page)
    idle_for(page, 31)
    page.keyboard.press("PageDown")  # paging down the roster
    reload(page)
    decrypted(page)


def test_an_open_page_locks_itself_when_the_limit_passes(five_minutes, page):
    page.clock.install()
    page.goto((five_minutes / "patients" / "P001.html").as_uri())
    unlock(page, PASSWORD)
    assert "甘望舒" in page.locator("article").inner_text()
    page.clock.fast_forward("04:00")
    assert page.locator("#mkdocs-encrypted-content").count() == 0  # not yet
    page.clock.fast_forward("01:31")
    assert asks_for_password(page) == "已经 5 分钟没有操作，为保护患者信息已自动退出，请重新输入密码。"
    assert stored_keys(page) == [] and "甘望舒" not in page.content()


def test_lock_button_forgets_every_key(leveled, page):
    page.goto((leveled / "index.html").as_uri())
    unlock(page, "Town-Test-Only-7xq4")  # gives the township's key and 禾苗村's
    page.click("button.jf-lock")
    assert asks_for_password(page) == ""
    assert stored_keys(page) == []
    visit(page, (leveled / "patients" / "P001.html").as_uri())  # a 禾苗村 page
    asks_for_password(page)
    assert stored_keys(page) == []


def test_keys_handed_over_long_ago_are_forgotten(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    # the keys the next page finds were handed over two minutes ago: left behind by a page that never opened
    page.evaluate("addEventListener('pagehide', () => sessionStorage.setItem('jingfang_handed_at', "
                  f"String(Date.now() - {2 * MINUTE})))")
    visit(page, (encrypted / "roster" / "index.html").as_uri())
    assert asks_for_password(page) == ""
    assert stored_keys(page) == []


def test_keys_without_a_record_of_handing_them_over_are_forgotten(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    page.evaluate("addEventListener('pagehide', () => sessionStorage.removeItem('jingfang_handed_at'))")
    visit(page, (encrypted / "roster" / "index.html").as_uri())
    asks_for_password(page)
    assert stored_keys(page) == []


@pytest.fixture
def cached_tab(browser, encrypted):
    """A tab on a plain web server for the site, in a Chromium whose back/forward cache is on.

    Chromium keeps no file:// page in that cache, and ``jingfang serve`` forbids caching; a web server on the
    intranet may allow it. Playwright turns the cache off unless told not to. Script errors fail the test.
    """
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(encrypted))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cached = browser.browser_type.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                         ignore_default_args=["--disable-back-forward-cache"])
    tab = cached.new_page()
    tab.base = f"http://127.0.0.1:{server.server_address[1]}/"  # type: ignore[attr-defined]
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # counts the pages the cache gave back, so that a test can tell it really was the cache
    tab.add_init_script("addEventListener('pageshow', e => e.persisted && sessionStorage.setItem('restored', "
                        "1 + Number(sessionStorage.getItem('restored'))))")
    yield tab
    cached.close()
    server.shutdown()
    server.server_close()
    assert not errors, errors


def test_a_page_restored_from_the_back_forward_cache_locks_when_its_key_is_gone(cached_tab):
    tab = cached_tab
    tab.goto(tab.base + "patients/P001.html")
    unlock(tab, PASSWORD)
    visit(tab, tab.base + "roster/index.html")
    decrypted(tab)
    tab.click("button.jf-lock")
    asks_for_password(tab)
    tab.go_back(wait_until="commit")  # P001, decrypted, comes back from the cache: it must load again, locked
    asks_for_password(tab)
    assert "甘望舒" not in tab.content()
    assert tab.evaluate("sessionStorage.getItem('restored')") == "1"


def test_a_decrypted_page_from_the_back_forward_cache_loads_again_and_opens_with_the_visits_key(cached_tab):
    tab = cached_tab
    tab.goto(tab.base + "patients/P001.html")
    unlock(tab, PASSWORD)
    visit(tab, tab.base + "roster/index.html")
    decrypted(tab)
    tab.go_back(wait_until="commit")
    tab.wait_for_function("performance.getEntriesByType('navigation')[0].type === 'reload'")
    decrypted(tab)
    assert "甘望舒" in tab.locator("article").inner_text()
    assert tab.evaluate("sessionStorage.getItem('restored')") == "1"  # the cache was really in play


def test_a_page_restored_after_the_tab_left_the_site_locks(cached_tab):
    tab = cached_tab
    tab.goto(tab.base + "patients/P001.html")
    unlock(tab, PASSWORD)
    tab.goto("about:blank")  # the site was left: its keys went
    tab.go_back(wait_until="commit")
    assert asks_for_password(tab) == ""
    assert tab.evaluate(KEYS) == []
    assert tab.evaluate("sessionStorage.getItem('restored')") == "1"


def secrets_on_disk(profile: Path, secrets: list[str]) -> list[str]:
    """The files of a browser profile that hold any of the secrets (as Chromium stores strings: UTF-16 or Latin-1)."""
    forms = [form for secret in secrets for form in (secret.encode("utf-16-le"), secret.encode("latin-1"))]
    return sorted(str(f.relative_to(profile)) for f in profile.rglob("*")
                  if f.is_file() and any(form in f.read_bytes() for form in forms))


def test_keys_do_not_reach_the_browser_profile_on_disk_while_browsing(browser, encrypted, tmp_path):
    profile = tmp_path / "profile"
    context = browser.browser_type.launch_persistent_context(str(profile), executable_path=str(CHROMIUM),
                                                             args=CHROMIUM_ARGS)
    try:
        tab = context.new_page()
        keys: list[str] = []  # what the plugin stores, told to the test rather than kept in the browser
        tab.expose_function("jfSeen", lambda key: keys.append(key))
        tab.add_init_script("const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {"
                            " if (k.startsWith('encryptcontent_')) window.jfSeen(v); return set.call(this, k, v); };")
        tab.goto((encrypted / "index.html").as_uri())
        unlock(tab, PASSWORD)
        for rel in ("roster/index.html", "patients/P001.html", "groups/G01.html"):
            visit(tab, (encrypted / rel).as_uri())
            decrypted(tab)
        tab.wait_for_timeout(12_000)  # Chromium writes sessionStorage to disk a few seconds after a change
        assert keys and all(len(key) == 64 for key in keys)  # hex AES-256 keys
        assert secrets_on_disk(profile, ["jingfang_active_at"]) != []  # the tab's storage is on disk …
        assert secrets_on_disk(profile, keys) == []  # … the keys are not
    finally:
        context.close()
