"""The encrypted site in a real Chromium: locked before the password, open after it, per village, never off-site."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from generator.site.serve import make_server
from tests.browsing import CHROMIUM, CHROMIUM_ARGS, decrypted, follow, unlock, visit
from tests.commands import PASSWORD, assert_no_leaks

PERSONAL = ["甘望舒", "简雨桐", "柏清和", "柏守一", "计承远", "骆思源", "110101198005060250", "13900000011", "139****0011",
            "禾苗村2组8号"]
PAGES = ["index.html", "roster/index.html", "patients/P001.html", "groups/G01.html", "overdue/followup_overdue.html",
         "agreements/V01-guardian.html", "leaders.html", "villages/V01.html", "quality.html"]


def body_text(page) -> str:
    return page.locator("body").inner_text() + page.content()


def test_nothing_personal_shows_before_unlocking(encrypted, page):
    for rel in PAGES:
        page.goto((encrypted / rel).as_uri())
        page.wait_for_selector("#mkdocs-content-password")
        seen = body_text(page)
        assert not [v for v in PERSONAL if v in seen], rel
        assert "本页内容已加密" in page.locator("body").inner_text()


def test_wrong_password_refused_right_one_opens_every_page_once(encrypted, page):
    page.goto((encrypted / "patients" / "P001.html").as_uri())
    page.fill("#mkdocs-content-password", "Wrong-Password-99")
    page.click("#mkdocs-decrypt-button")
    page.wait_for_function("document.getElementById('mkdocs-decrypt-msg').textContent.length > 0")
    assert page.inner_text("#mkdocs-decrypt-msg") == "密码不对，请重新输入。"
    unlock(page, PASSWORD)
    assert "甘望舒" in page.locator("article").inner_text()
    for rel in ("roster/index.html", "groups/G02.html", "agreements/V01-reward.html", "overdue/V02.html"):
        visit(page, (encrypted / rel).as_uri())
        decrypted(page)  # no prompt: the key is remembered for this browser session
        assert page.locator("#mkdocs-content-password").count() == 0
    visit(page, (encrypted / "roster" / "index.html").as_uri())
    decrypted(page)
    page.fill("input.jf-filter", "柏清川")
    visible = page.locator("table.jf-table tbody tr:not([hidden])")
    assert visible.count() == 1 and visible.first.locator("td").first.inner_text() == "P006"
    assert all(url.startswith("file://") for url in page.requests)


def test_lock_button_forgets_the_key(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    page.click("button.jf-lock")
    page.wait_for_selector("#mkdocs-content-password")
    page.goto((encrypted / "roster" / "index.html").as_uri())
    page.wait_for_selector("#mkdocs-content-password")
    assert "甘望舒" not in page.content()


def test_village_password_opens_its_own_village_only(leveled, page):
    page.goto((leveled / "villages" / "index.html").as_uri())  # the way in for village staff: any password opens it
    unlock(page, "Village-Test-Only-k9w2")
    follow(page, page.get_by_role("link", name="禾苗村"))
    follow(page, page.get_by_role("link", name="本村花名册"))
    codes = page.locator("table.jf-table tbody tr td:first-child").all_inner_texts()
    assert codes and all(page.locator("td", has_text="禾苗村").count() for _ in codes)
    visit(page, (leveled / "patients" / "P001.html").as_uri())  # a 禾苗村 patient
    decrypted(page)
    assert "甘望舒" in page.locator("article").inner_text()
    for rel in ("patients/P002.html", "groups/G02.html", "roster/V02.html", "index.html", "roster/index.html"):
        page.goto((leveled / rel).as_uri())  # 溪口社区 and township pages stay locked
        page.wait_for_selector("#mkdocs-content-password")
        assert "简雨桐" not in page.content(), rel
    # typed on the township's roster, the village password leads to its own village's page, not to the roster
    page.fill("#mkdocs-content-password", "Village-Test-Only-k9w2")
    with page.expect_navigation():
        page.click("#mkdocs-decrypt-button")
    decrypted(page)
    assert page.url == (leveled / "villages" / "V01.html").as_uri()
    visit(page, (leveled / "roster" / "index.html").as_uri())  # with the village's keys in hand
    page.wait_for_selector("#mkdocs-content-password")
    assert "简雨桐" not in page.content()


def test_department_password_opens_its_department_page_and_monthly_report_only(leveled, page):
    page.goto((leveled / "villages" / "index.html").as_uri())  # the way in: any password opens it
    unlock(page, "Police-Test-Only-r5t8")
    follow(page, page.locator("article").get_by_role("link", name="派出所"))
    assert page.title().startswith("部门 · 派出所")
    assert page.get_by_role("heading", name="高风险患者底册").count() == 1
    follow(page, page.locator("article").get_by_role("link", name="信息交换通报"))
    assert "信息交换通报" in page.locator("section.jf-doc h2").inner_text()
    assert "派出所：" in page.locator("section.jf-doc").inner_text()
    for rel in ("departments/health.html", "departments/monthly.html", "index.html", "patients/P001.html"):
        page.goto((leveled / rel).as_uri())
        page.wait_for_selector("#mkdocs-content-password")
        assert "甘望舒" not in page.content(), rel


def test_township_password_opens_every_village(leveled, page):
    page.goto((leveled / "index.html").as_uri())
    unlock(page, "Town-Test-Only-7xq4")
    for rel in ("patients/P001.html", "patients/P002.html", "groups/G02.html", "roster/V01.html",
                "departments/police.html", "departments/police-monthly.html"):
        visit(page, (leveled / rel).as_uri())
        decrypted(page)


def test_served_on_localhost_it_decrypts(encrypted, page):
    server = make_server(encrypted, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        page.goto(f"http://127.0.0.1:{port}/patients/P001.html")
        unlock(page, PASSWORD)
        assert "甘望舒" in page.locator("article").inner_text()
        assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in page.requests)
    finally:
        server.shutdown()
        server.server_close()


def test_non_secure_origin_explains_in_chinese(encrypted, browser):  # browser: Chromium is there
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(encrypted))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    # every 127.x address counts as a secure origin, so a made-up LAN host name is mapped onto loopback instead:
    # plain http to a name that is not localhost is what a township intranet server looks like
    lan = browser.browser_type.launch(executable_path=str(CHROMIUM),
                                      args=CHROMIUM_ARGS + ["--host-resolver-rules=MAP lan.jingfang.test 127.0.0.1"])
    try:
        tab = lan.new_page()
        tab.goto(f"http://lan.jingfang.test:{port}/patients/P001.html")
        tab.wait_for_selector(".jf-insecure")
        message = tab.inner_text("#mkdocs-decrypt-msg")
        assert "无法在这个地址解密" in message and "jingfang serve" in message
        assert tab.locator("#mkdocs-content-password").is_disabled()
        assert tab.evaluate("window.isSecureContext") is False
    finally:
        lan.close()
        server.shutdown()
        server.server_close()


def test_sharded_build_one_unlock_opens_pages_of_every_shard(workbook, tmp_path, monkeypatch, page):
    from datetime import date, datetime

    from generator.site import mkdocs_processes as site
    from generator.app.build import build
    from generator.app.password import Access

    monkeypatch.setattr(site, "MIN_SHARD_PAGES", 10)  # this small workbook, in several mkdocs processes
    monkeypatch.setattr(site.os, "cpu_count", lambda: 3)
    progress: list[str] = []
    out = tmp_path / "site"
    build(workbook, out, as_of=None, today=date(2025, 7, 1), now=datetime(2025, 7, 1), access=Access(PASSWORD),
          progress=progress.append)
    assert any("3 个进程并行" in line for line in progress)
    assert_no_leaks(workbook, out)
    rels = ["patients/P001.html", "patients/P002.html", "patients/P003.html", "groups/G01.html", "groups/G02.html",
            "roster/V01.html", "overdue/V02.html"]  # round-robin puts these in different shards
    page.goto((out / "index.html").as_uri())
    unlock(page, PASSWORD)
    for rel in rels:
        visit(page, (out / rel).as_uri())
        decrypted(page)
        assert page.locator("#mkdocs-content-password").count() == 0, rel
        # the ready-made tables went round the Markdown through the fragment store: back in place, in every shard
        assert page.locator("article table tbody tr").count() > 0, rel
        assert "<!--jf:" not in page.content(), rel
