"""Any password of the site on any page, and every tab of the site open at once (assets/jingfang-keys.js).

A password the page's own level does not know is looked up in the level probe (assets/jingfang-levels.js, written by
the build: one AES-GCM entry per village or department password, all under one salt) and the tab goes to that
level's entry page, saying whose password it was. A locked page asks the site's other open pages for their keys
over a BroadcastChannel named after the build; an unlocked tab that is not idle answers from memory; 退出 locks every
tab. The keys never reach localStorage, cookies or the profile on disk.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from pathlib import Path
from urllib.parse import quote

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import PBKDF2

from generator.site.serve import make_server
from tests.browsing import CHROMIUM, CHROMIUM_ARGS, decrypted, unlock, visit
from tests.commands import PASSWORD
from tests.test_browser_keystore import CATCH_KEYS, COMMIT_WAIT_MS, on_disk, storage_on_disk

TOWN, VILLAGE, POLICE = "Town-Test-Only-7xq4", "Village-Test-Only-k9w2", "Police-Test-Only-r5t8"
KEYS = "Object.keys(sessionStorage).filter(k => k.startsWith('encryptcontent_'))"
REFUSED = "密码不对，请重新输入。"


def asks_for_password(tab) -> str:
    """Wait for the password prompt; return its message line."""
    tab.wait_for_selector("#mkdocs-content-password")
    return tab.inner_text("#mkdocs-decrypt-msg")


def submit(tab, password: str, enter: bool = False) -> None:
    tab.fill("#mkdocs-content-password", password)
    if enter:
        tab.press("#mkdocs-content-password", "Enter")
    else:
        tab.click("#mkdocs-decrypt-button")


def refused(tab) -> str:
    tab.wait_for_function("document.getElementById('mkdocs-decrypt-msg').textContent.length > 0", timeout=15_000)
    return tab.inner_text("#mkdocs-decrypt-msg")


def probe(site: Path) -> dict:
    text = (site / "assets" / "jingfang-levels.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"window\.jingfangLevels = (.*);\n", text, re.S).group(1))


def open_probe(levels: dict, password: str) -> list[dict]:
    """The entries password opens, decrypted here as the format says (not by the site's script)."""
    key = PBKDF2(quote(password, safe="~()*!'"), base64.b64decode(levels["salt"]), 32, count=levels["iterations"],
                 hmac_hash_module=SHA256)
    found = []
    for entry in levels["entries"]:
        nonce, body = (base64.b64decode(part) for part in entry.split(";"))
        try:
            plain = AES.new(key, AES.MODE_GCM, nonce=nonce).decrypt_and_verify(body[:-16], body[-16:])
        except ValueError:
            continue
        found.append(json.loads(plain))
    return found


def test_the_level_probe_names_each_village_and_department_only_in_ciphertext(leveled):
    levels = probe(leveled)
    assert levels["iterations"] == 1_000_000 and len(base64.b64decode(levels["salt"])) == 16
    assert len(levels["entries"]) == 2  # 禾苗村's and 派出所's passwords; the township's opens every page itself
    assert len({len(entry) for entry in levels["entries"]}) == 1  # padded to one length
    raw = (leveled / "assets" / "jingfang-levels.js").read_bytes()
    assert "禾苗村".encode() not in raw and b"V01" not in raw and b"police" not in raw
    village, = open_probe(levels, VILLAGE)
    assert (village["url"], village["name"]) == ("villages/V01.html", "禾苗村")
    police, = open_probe(levels, POLICE)
    assert (police["url"], police["name"]) == ("departments/police.html", "派出所")
    assert len(village["keys"]) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in village["keys"].values())
    assert open_probe(levels, TOWN) == [] and open_probe(levels, "Wrong-Password-99") == []


def test_a_village_password_typed_on_the_home_page_opens_the_village_page(leveled, page):
    page.goto((leveled / "index.html").as_uri())
    assert page.locator("button.jf-lock").count() == 0  # 退出 only once there is something to leave
    submit(page, VILLAGE)
    page.wait_for_url((leveled / "villages" / "V01.html").as_uri())
    decrypted(page)
    assert page.inner_text(".jf-opened") == "这是禾苗村的密码，已打开禾苗村。"
    assert page.locator("article h1").first.inner_text() == "村社区 · 禾苗村"
    assert page.locator("button.jf-lock").count() == 1
    assert page.evaluate(KEYS) == []  # in the page's memory
    visit(page, (leveled / "patients" / "P001.html").as_uri())  # the village's pages open as after any unlock
    decrypted(page)
    assert "甘望舒" in page.locator("article").inner_text() and page.locator(".jf-opened").count() == 0


def test_a_department_password_typed_with_enter_on_another_villages_page_opens_the_department(leveled, page):
    page.goto((leveled / "patients" / "P002.html").as_uri())  # 溪口社区, whose level has no password of its own
    submit(page, POLICE, enter=True)
    page.wait_for_url((leveled / "departments" / "police.html").as_uri())
    decrypted(page)
    assert page.inner_text(".jf-opened") == "这是派出所的密码，已打开派出所。"


def test_the_township_password_typed_on_a_village_page_opens_that_page(leveled, page):
    page.goto((leveled / "villages" / "V01.html").as_uri())
    unlock(page, TOWN)
    assert page.url == (leveled / "villages" / "V01.html").as_uri() and page.locator(".jf-opened").count() == 0


def test_a_wrong_password_is_still_refused_on_any_page(leveled, page):
    for rel in ("index.html", "villages/V01.html"):
        page.goto((leveled / rel).as_uri())
        submit(page, "Wrong-Password-99")
        assert refused(page) == REFUSED
        assert page.url == (leveled / rel).as_uri() and page.locator("#mkdocs-encrypted-content").count() == 1
        assert page.locator("button.jf-lock").count() == 0 and page.evaluate(KEYS) == []


def test_a_new_tab_opens_unlocked_while_another_tab_is_unlocked(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    other = page.context.new_page()  # a new tab, the address typed or a bookmark
    other.goto((encrypted / "patients" / "P001.html").as_uri())
    decrypted(other)
    assert "甘望舒" in other.locator("article").inner_text()
    assert other.evaluate(KEYS) == [] and other.locator("button.jf-lock").count() == 1


def test_links_opened_in_a_new_tab_open_unlocked(encrypted, page):
    page.goto((encrypted / "roster" / "index.html").as_uri())
    unlock(page, PASSWORD)
    link = page.locator("article table a[href$='P001.html']").first
    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])  # Ctrl+click: a tab of its own, no opener
    decrypted(opened.value)
    assert opened.value.url.endswith("/patients/P001.html")
    page.evaluate("document.querySelector(\"article table a[href$='P002.html']\").target = '_blank'")
    with page.context.expect_page() as blank:
        page.locator("article table a[href$='P002.html']").first.click()
    decrypted(blank.value)
    with page.context.expect_page() as scripted:
        page.evaluate("href => window.open(href)", (encrypted / "groups" / "G01.html").as_uri())
    decrypted(scripted.value)
    assert page.url.endswith("/roster/index.html") and page.locator("#mkdocs-encrypted-content").count() == 0


def test_lock_in_one_tab_locks_every_tab(encrypted, page):
    page.goto((encrypted / "patients" / "P001.html").as_uri())
    unlock(page, PASSWORD)
    other = page.context.new_page()
    other.goto((encrypted / "roster" / "index.html").as_uri())
    decrypted(other)
    other.click("button.jf-lock")
    assert asks_for_password(other) == "" and asks_for_password(page) == ""
    assert "甘望舒" not in page.content() and page.evaluate(KEYS) == []
    assert page.locator("button.jf-lock").count() == 0
    third = page.context.new_page()  # nobody holds a key now
    third.goto((encrypted / "index.html").as_uri())
    asks_for_password(third)
    third.wait_for_timeout(500)
    assert third.locator("#mkdocs-encrypted-content").count() == 1


def test_an_idle_tab_hands_no_key_on_and_locks(encrypted, page):
    page.goto((encrypted / "patients" / "P001.html").as_uri())
    unlock(page, PASSWORD)
    page.evaluate(f"sessionStorage.setItem('jingfang_active_at', String(Date.now() - {31 * 60_000}))")
    other = page.context.new_page()
    other.goto((encrypted / "roster" / "index.html").as_uri())
    assert asks_for_password(page) == "已经 30 分钟没有操作，为保护患者信息已自动退出，请重新输入密码。"
    asks_for_password(other)
    other.wait_for_timeout(500)
    assert other.locator("#mkdocs-encrypted-content").count() == 1 and other.evaluate(KEYS) == []


def test_a_tab_opened_after_the_unlocked_tabs_closed_asks_again(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    spare = page.context.new_page()
    page.close()
    spare.goto((encrypted / "roster" / "index.html").as_uri())
    asks_for_password(spare)
    spare.wait_for_timeout(500)
    assert spare.locator("#mkdocs-encrypted-content").count() == 1


def test_a_locked_tab_opens_when_another_tab_is_unlocked(encrypted, page):
    page.goto((encrypted / "roster" / "index.html").as_uri())  # opened first, locked
    asks_for_password(page)
    other = page.context.new_page()
    other.goto((encrypted / "index.html").as_uri())
    unlock(other, PASSWORD)
    decrypted(page)  # told that a password was typed, it asked and was answered


def test_tabs_on_a_served_site_share_the_unlock_and_the_lock(encrypted, page):
    server = make_server(encrypted, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page.goto(base + "patients/P001.html")
        unlock(page, PASSWORD)
        other = page.context.new_page()
        other.goto(base + "roster/index.html")
        decrypted(other)
        page.click("button.jf-lock")
        asks_for_password(other)
        assert "甘望舒" not in other.content()
    finally:
        server.shutdown()
        server.server_close()


def test_keys_shared_between_tabs_reach_no_storage_cookie_or_disk(browser, leveled, tmp_path):
    profile, keys = tmp_path / "profile", []
    context = browser.browser_type.launch_persistent_context(str(profile), executable_path=str(CHROMIUM),
                                                             headless=True, args=CHROMIUM_ARGS)
    try:
        context.expose_function("jfSeen", lambda key: keys.append(key))
        context.add_init_script(CATCH_KEYS)  # every key stored in any tab, told to the test
        tab = context.pages[0] if context.pages else context.new_page()
        tab.goto((leveled / "index.html").as_uri())
        submit(tab, VILLAGE)  # the probe's keys, handed to the village page
        tab.wait_for_url((leveled / "villages" / "V01.html").as_uri())
        decrypted(tab)
        town = context.new_page()
        town.goto((leveled / "roster" / "index.html").as_uri())  # the village's keys do not open it
        unlock(town, TOWN)
        other = context.new_page()
        other.goto((leveled / "patients" / "P002.html").as_uri())  # a 溪口社区 patient: the township's key, by tab
        decrypted(other)
        for each in (tab, town, other):
            assert each.evaluate("[localStorage.length, document.cookie, " + KEYS + ".length]") == [0, "", 0]
        assert context.cookies() == []
        tab.wait_for_timeout(COMMIT_WAIT_MS)
    finally:
        context.close()
    assert storage_on_disk(profile)
    assert len(keys) >= 3 and all(len(key) == 64 for key in keys)
    assert on_disk(profile, keys + [TOWN, VILLAGE]) == []
