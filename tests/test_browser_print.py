"""Printing the sample's site to PDF in Chromium: every printed list marked and numbered, documents on A4 one each."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, assert_no_leaks, run, text

SAMPLE = Path(__file__).resolve().parent.parent / "workbook" / "示例台账.xlsx"
TOWNSHIP = "青禾镇"  # the sample's 乡镇名称


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print-site") / "site"
    result = run("build", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(SAMPLE, out)
    return out


@pytest.fixture(scope="module")
def printed(site, browser, tmp_path_factory):
    """print(rel) → the PDF of the site's page rel printed as the browser prints it (the page itself kept open)."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    folder = tmp_path_factory.mktemp("pdf")
    state = {"unlocked": False}

    def print_page(rel: str) -> Path:
        if state["unlocked"]:
            visit(tab, (site / rel).as_uri())
            decrypted(tab)
        else:
            tab.goto((site / rel).as_uri())
            unlock(tab, PASSWORD)
            state["unlocked"] = True
        tab.emulate_media(media="print")
        pdf = folder / (rel.replace("/", "_") + ".pdf")
        tab.pdf(path=str(pdf), format="A4")
        return pdf

    print_page.tab = tab  # type: ignore[attr-defined]
    yield print_page
    context.close()


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, without the spaces pdftotext puts or drops between Chinese characters."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return [re.sub(r"\s+", "", page) for page in out.split("\f")[:-1]]


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.mark.parametrize("rel", ["roster/index.html", "overdue/V02.html", "overdue/high_risk_register.html",
                                 "departments/police.html", "overdue/followup_overdue.html"])
def test_every_printed_page_of_a_list_is_marked_and_numbered(printed, rel):
    pages = pdf_pages(printed(rel))
    assert pages, rel
    for n, page in enumerate(pages, 1):
        assert page.startswith("内部资料注意保密" + TOWNSHIP), (rel, n, page[:40])
        assert page.endswith(f"第{n}页共{len(pages)}页"), (rel, n, page[-40:])
    if rel == "roster/index.html":
        assert len(pages) >= 2  # the sample's 60 patients: the numbering is seen on more than one page


def test_reward_batch_prints_on_a4_one_per_page_with_term_and_parties_unmarked(printed):
    pdf = printed("agreements/V01-reward.html")
    tab = printed.tab
    count = tab.locator("section.jf-doc:not(.jf-in-force)").count()  # those in force print only with 打印全部
    info = pdf_info(pdf)
    assert count >= 2 and int(info["Pages"]) == count
    assert info["Page size"].split("pts")[0].split() == ["595.92", "x", "842.88"]  # A4
    reasons = tab.locator("table.jf-table tbody tr td:nth-child(3)").all_inner_texts()
    assert len(reasons) == count and all(re.fullmatch(r"未签|已过期|今天到期|\d+ 天后到期", r) for r in reasons)
    for page in pdf_pages(pdf):
        assert "严重精神障碍患者以奖代补有奖监护协议" in page
        assert re.search(r"本协议有效期一年，自(\d{4}年\d{1,2}月\d{1,2}日|_+年_+月_+日)起至(\d{4}年\d{1,2}月\d{1,2}日|_+年_+月_+日)止", page)
        assert "甲方（盖章）：青禾镇人民政府" in page and "乙方（盖章）：青石村村民委员会" in page
        assert "丙方（监护人签字）" in page and page.count("日期：______年____月____日") == 3
        assert "内部资料" not in page and "第1页" not in page  # a paper to sign carries no list marks
        assert "与患者关系：父母" not in page


def test_record_documents_print_only_those_that_apply(printed):
    pdf = printed("patients/P001.html")  # the sample's P001: at home, 免费服药 = 否
    tab = printed.tab
    kinds = tab.locator("details.jf-documents section.jf-doc").evaluate_all(
        "docs => docs.map(d => d.className.replace('jf-doc jf-doc-', ''))")
    assert kinds == ["guardian", "reward"]
    tab.evaluate("document.querySelector('details.jf-documents').open = true;"
                 "document.body.classList.add('jf-print-documents')")  # what the print button does before printing
    tab.pdf(path=str(pdf), format="A4")
    assert int(pdf_info(pdf)["Pages"]) == 2
