"""Shared fixtures: a real headless Chromium, and the built sites several test modules look at (each built once).

The sites are shared by the whole session: tests only read them (or prove that a failed build leaves them alone).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browsing import CHROMIUM, CHROMIUM_ARGS
from tests.commands import assert_no_leaks, run, text
from tests.workbooks import every_list_sheets, valid_sheets, write_sheets


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run the tests with `python3 dev.py test`, which installs it")
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


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The small valid workbook's encrypted site."""
    folder = tmp_path_factory.mktemp("build")
    workbook = write_sheets(folder / "台账.xlsx", valid_sheets())
    result = run("build", str(workbook), "--out", str(folder / "site"))
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout).strip().startswith("网站已生成：")
    assert_no_leaks(workbook, folder / "site")
    return folder / "site"


@pytest.fixture(scope="session")
def workbook(tmp_path_factory) -> Path:
    """A workbook with a case for every overdue list; the encrypted and leveled sites are built from it."""
    return write_sheets(tmp_path_factory.mktemp("privacy") / "台账.xlsx", every_list_sheets())


@pytest.fixture(scope="session")
def encrypted(workbook) -> Path:
    out = workbook.parent / "site"
    result = run("build", str(workbook), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(workbook, out)
    return out


ACCESS_YAML = """\
乡镇: Town-Test-Only-7xq4
村社区:
  禾苗村: Village-Test-Only-k9w2
部门:
  派出所: Police-Test-Only-r5t8
"""


@pytest.fixture(scope="session")
def leveled(workbook) -> Path:
    """The same site with a township password and one village password (ACCESS_YAML)."""
    access = workbook.parent / "权限.yaml"
    access.write_text(ACCESS_YAML, encoding="utf-8")
    out = workbook.parent / "leveled"
    result = run("build", str(workbook), "--out", str(out), "--access", str(access), password=None)
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(workbook, out)
    return out
