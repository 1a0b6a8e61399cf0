"""``jingfang serve``: a built site on 127.0.0.1 only, nothing but the site's own regular files, under a strict CSP."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, ROOT, run, text

POLICY = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
          "style-src-elem 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
           "X-Content-Type-Options": "nosniff", "Content-Security-Policy": POLICY}
NOT_FOUND = (404, "没有这个页面。\n".encode())


@contextmanager
def serving(site: Path) -> Iterator[int]:
    """A real ``jingfang serve`` process on a free port; yields the port."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--out", str(site), "--port", "0"],
                            stderr=subprocess.PIPE, env=env)
    try:
        line = proc.stderr.readline().decode("utf-8")
        host, port = re.search(r"http://([\d.]+):(\d+)/", line).groups()
        assert host == "127.0.0.1"
        yield int(port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(port: int, path: str, host: str | None = None, method: str = "GET") -> http.client.HTTPResponse:
    """One request sent exactly as given (path not normalised, Host header as given); the response, body read."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
    conn.endheaders()
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def status_and_body(port: int, path: str, **kwargs) -> tuple[int, bytes]:
    response = get(port, path, **kwargs)
    return response.status, response.body  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def port(built) -> Iterator[int]:
    with serving(built) as number:
        yield number


@pytest.fixture
def hostile_site(built, tmp_path) -> Path:
    """A copy of the built site with links out of it, a link to its stamp and a folder without index.html."""
    site = Path(shutil.copytree(built, tmp_path / "site", symlinks=True))
    secret = tmp_path / "外面" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-OUTSIDE", encoding="utf-8")
    (site / "leak.html").symlink_to(secret)
    (site / "outside").symlink_to(secret.parent, target_is_directory=True)
    (site / "patients" / "stamp.json").symlink_to(site / ".jingfang-build.json")
    (site / "empty").mkdir()
    (site / "empty" / "note.txt").write_text("listed?", encoding="utf-8")
    return site


def test_serve_listens_on_loopback_only_and_serves_the_site(port):
    response = get(port, "/patients/P001.html")
    assert response.status == 200 and "患者档案 P001" in response.body.decode("utf-8")  # type: ignore[attr-defined]
    assert {name: response.headers[name] for name in HEADERS} == HEADERS
    assert response.headers["Server"] == "jingfang"


def test_every_answer_carries_the_privacy_headers(port):
    for path, host in [("/", None), ("/nothing.html", None), ("/", "evil.example")]:
        response = get(port, path, host=host)
        assert {name: response.headers[name] for name in HEADERS} == HEADERS, (path, host)


def test_other_host_names_are_refused(port):
    refused = (421, f"只能用 http://127.0.0.1:{port}/ 或 http://localhost:{port}/ 打开本网站。\n".encode())
    for host in ["evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "", f"localhost:{port + 1}"]:
        assert status_and_body(port, "/index.html", host=host) == refused, host
    for host in ["127.0.0.1", f"127.0.0.1:{port}", "localhost", f"LOCALHOST:{port}"]:
        assert get(port, "/index.html", host=host).status == 200, host


def test_links_out_of_the_site_are_not_followed(hostile_site):
    with serving(hostile_site) as number:
        for path in ["/leak.html", "/outside/secret.txt", "/outside/", "/patients/stamp.json", "/../%E5%A4%96%E9%9D%A2/secret.txt",
                     "/%2e%2e/%E5%A4%96%E9%9D%A2/secret.txt"]:
            assert status_and_body(number, path) == NOT_FOUND, path
        assert get(number, "/patients/P001.html").status == 200  # the real files are still served


def test_a_folder_without_index_is_not_listed(hostile_site):
    with serving(hostile_site) as number:
        for path in ["/empty/", "/empty", "/assets/", "/patients/"]:
            status, body = status_and_body(number, path)
            assert (status, body) == NOT_FOUND and b"note.txt" not in body, path
        assert status_and_body(number, "/empty/note.txt") == (200, "listed?".encode())
        moved = get(number, "/villages")  # a folder with an index.html: its page, at the address with the slash
        assert moved.status == 301 and moved.headers["Location"] == "/villages/"
        assert "村社区" in get(number, "/villages/").body.decode("utf-8")  # type: ignore[attr-defined]


def test_dotfiles_and_the_build_stamp_are_not_served(port):
    for path in ["/.jingfang-build.json", "/%2Ejingfang-build.json", "/patients/../.jingfang-build.json",
                 "/patients/%2e%2e/.jingfang-build.json", "/.jingfang-build.json?x=1"]:
        assert status_and_body(port, path) == NOT_FOUND, path


def test_only_get_and_head(port):
    assert get(port, "/index.html", method="HEAD").status == 200
    for method in ["POST", "PUT", "DELETE", "OPTIONS"]:
        assert get(port, "/index.html", method=method).status == 501, method


def test_served_site_unlocks_with_no_policy_violation(port, page):
    page.add_init_script("window.violations = [];"
                         "document.addEventListener('securitypolicyviolation', e => window.violations.push("
                         "e.violatedDirective + ' ' + e.blockedURI));")
    response = page.goto(f"http://127.0.0.1:{port}/")
    assert response.headers["content-security-policy"] == POLICY
    unlock(page, PASSWORD)
    assert page.evaluate("window.violations") == []
    visit(page, f"http://127.0.0.1:{port}/patients/P001.html")
    decrypted(page)  # with the key the home page remembered
    assert page.title().startswith("患者档案 P001") and page.get_by_text("甘望舒").first.is_visible()
    assert page.evaluate("window.violations") == []
    assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in page.requests)  # type: ignore[attr-defined]


def test_the_policy_blocks_what_the_site_does_not_need(port, browser):
    # the control for the test above: a page that breaks the policy is seen breaking it
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"http://127.0.0.1:{port}/")
    tab.evaluate("window.violations = []; document.addEventListener('securitypolicyviolation',"
                 " e => window.violations.push(e.violatedDirective));")
    tab.evaluate("() => { const img = new Image(); img.src = 'http://example.invalid/x.png';"
                 " const style = document.createElement('style'); style.textContent = 'body{}';"
                 " document.head.appendChild(style); fetch('/index.html').catch(() => 0); }")
    tab.wait_for_function("window.violations.length >= 3")
    assert sorted(tab.evaluate("window.violations")) == ["connect-src", "img-src", "style-src-elem"]
    context.close()


def test_serve_without_a_site_says_so(tmp_path):
    result = run("serve", "--out", str(tmp_path / "没有"), "--port", "0")
    assert result.returncode == 1 and "jingfang build" in text(result.stderr)
