"""The county's site in Chromium: it opens with its password, marks each indicator 达标 ✓ / 未达标 ✗ in words, and its
通报 prints on A4 with exactly the townships below target (pdftotext)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from generator.contract.indicators import INDICATORS
from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, run, text
from tests.test_county import synthetic, write_synthetic
from tests.townships import TOWNSHIPS, met_everything, summarize, write_townships


def build(summaries: list[Path], out: Path) -> Path:
    result = run("county", *(str(p) for p in summaries), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("county-browser")
    books = write_townships(folder)
    summaries = [summarize(book, folder / f"{name}.json") for name, book in books.items()]
    summaries.append(summarize(books[TOWNSHIPS[0]], folder / "july.json", "--as-of", "2025-07-31"))
    good = folder / "达标镇.json"
    good.write_text(met_everything().to_json(), encoding="utf-8")
    return build([*summaries, good], folder / "site")


def pdf_text(pdf: Path) -> tuple[int, list[str]]:
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             check=True).stdout.decode()).group(1))
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return pages, [re.sub(r"\s+", "", part) for part in out.split("\f")[:-1]]


def open_site(page, site: Path, rel: str = "index.html") -> None:
    page.goto((site / "index.html").as_uri())
    unlock(page, PASSWORD)
    if rel != "index.html":
        visit(page, (site / rel).as_uri())
        decrypted(page)


def test_the_site_opens_with_its_password_and_marks_targets_in_words(page, site):
    page.goto((site / "index.html").as_uri())
    assert page.locator("#mkdocs-content-password").is_visible()
    assert "县（区）严重精神障碍患者服务管理汇总网站" in page.inner_text("body")
    unlock(page, PASSWORD)
    body = page.inner_text("article")
    assert "测试县严重精神障碍患者服务管理汇总" in body and "4 个乡镇（街道）的汇总" in body
    assert re.search(r"东岭镇\s+2025-07-31\s", body) and re.search(r"西溪乡\s+2025-06-30\s", body)
    visit(page, (site / "townships.html").as_uri())
    decrypted(page)
    rows = {r.locator("td").first.inner_text(): [c.inner_text() for c in r.locator("td").all()]
            for r in page.locator("article table tbody tr").all()}
    names = [spec.name for spec in INDICATORS]
    good = dict(zip(names, rows["达标镇"][2:]))
    assert good["规范管理率"] == "100.0%\n达标 ✓\n（10/10）" and good["服药率"] == "100.0%\n（10/10）"
    assert good["报告患病率"] == "5.00‰\n达标 ✓\n（10/2000）"
    dong = dict(zip(names, rows["东岭镇"][2:]))
    assert dong["规范管理率"] == "0.0%\n未达标 ✗\n（0/3）"
    assert rows["东岭镇"][1] == "2025-07-31" and rows["西溪乡"][1] == "2025-06-30"
    assert rows["合计"][0] == "合计"
    page.screenshot(path=str(site.parent / "townships.png"), full_page=True)
    visit(page, (site / "trend.html").as_uri())
    decrypted(page)
    months = [[c.inner_text() for c in r.locator("td").all()]
              for r in page.locator("article table").first.locator("tbody tr").all()]
    # 管理率, June: 3 + 5 + 3 + 10 of 3 + 6 + 3 + 10; July: 东岭镇 alone, 3 of 3
    assert [row[:3] for row in months] == [["2025-06", "4", "95.5%"], ["2025-07", "1", "100.0%"]]
    assert page.locator("article svg").count() == 1


def test_the_notice_prints_on_a4_with_the_townships_below_target(browser, site, tmp_path):
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    open_site(tab, site, "notice.html")
    tab.emulate_media(media="print")
    pdf = tmp_path / "notice.pdf"
    tab.pdf(path=str(pdf), format="A4")
    context.close()
    pages, texts = pdf_text(pdf)
    assert pages == 1
    printed = texts[0]
    assert printed.startswith("关于严重精神障碍患者服务管理工作指标未达标乡镇（街道）的通报各乡镇（街道）：")
    assert "以下3个乡镇（街道）有指标未达标" in printed
    for name in TOWNSHIPS:
        assert name in printed
    assert "达标镇" not in printed
    assert "打印通报" not in printed and "精防汇总" not in printed  # the button, the site's header: not printed


def test_two_hundred_townships_notice_spans_pages_and_names_every_one_below_target(browser, tmp_path):
    paths = write_synthetic(tmp_path / "s", 200)
    site = build(paths, tmp_path / "site")
    below = [s.township for s in (synthetic(n) for n in range(1, 201))
             if any(spec.target is not None and s.indicators[spec.key].denominator
                    and ((s.indicators[spec.key].numerator / s.indicators[spec.key].denominator * spec.scale
                          < spec.target) != spec.lower_is_better)
                    for spec in INDICATORS)]
    assert len(below) == 200  # synthetic townships' 规范管理率 is at most (10 + 6) / 16: all below 95 %
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    open_site(tab, site, "notice.html")
    tab.emulate_media(media="print")
    pdf = tmp_path / "notice.pdf"
    tab.pdf(path=str(pdf), format="A4")
    context.close()
    pages, texts = pdf_text(pdf)
    assert pages > 10
    printed = "".join(texts)
    assert all(name in printed for name in below)
