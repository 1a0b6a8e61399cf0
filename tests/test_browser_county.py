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


def build(summaries: list[Path], out: Path, *args: str) -> Path:
    result = run("county", *(str(p) for p in summaries), "--out", str(out), *args)
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
    good = dict(zip(names, rows["达标镇"][3:]))
    assert good["规范管理率"] == "100.0%\u00a0✓\n10/10" and good["服药率"] == "100.0%\n10/10"
    assert good["报告患病率"] == "5.00‰\u00a0✓\n10/2000" and rows["达标镇"][2] == "8/8\u00a0项"
    dong = dict(zip(names, rows["东岭镇"][3:]))
    assert dong["规范管理率"] == "0.0%\u00a0✗\n0/3"
    assert rows["东岭镇"][1] == "2025-07-31" and rows["西溪乡"][1] == "2025-06-30"
    assert rows["合计"][0] == "合计"
    page.screenshot(path=str(site.parent / "townships.png"), full_page=True)
    visit(page, (site / "trend.html").as_uri())
    decrypted(page)
    months = [[c.inner_text() for c in r.locator("td").all()]
              for r in page.locator("article table").first.locator("tbody tr").all()]
    # 管理率, June: 3 + 5 + 3 + 10 of 3 + 6 + 3 + 10; July: 东岭镇 alone — not the county's, not drawn
    assert [row[:4] for row in months] == [["2025-06", "4/4", "完整", "95.5%"], ["2025-07", "1/4", "不完整（不画）", "—"]]
    assert page.locator("article svg").count() == 1


def printed_notice(browser, site, folder):
    """The 通报 as Chromium prints it on A4: its page count and each page's text."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    open_site(tab, site, "notice.html")
    tab.emulate_media(media="print")
    pdf = folder / "notice.pdf"
    tab.pdf(path=str(pdf), format="A4")
    context.close()
    return pdf_text(pdf)


def test_the_notice_prints_on_a4_with_the_townships_below_target(browser, site, tmp_path):
    pages, texts = printed_notice(browser, site, tmp_path)
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
    pages, texts = printed_notice(browser, site, tmp_path)
    assert pages > 10
    printed = "".join(texts)
    assert all(name in printed for name in below)


LAPTOP = {"width": 1366, "height": 768}
TWENTY = ("东关街道", "西门街道", "青石岭镇", "白马河乡", "柳溪镇", "松坡乡", "石桥铺镇", "花园口街道", "杏林镇", "云台乡",
          "龙泉驿镇", "三岔河乡", "北关街道", "南湖镇", "金沙乡", "梨树沟镇", "长岭镇", "桃源街道", "凤鸣乡", "新华路街道")
MEASURE = """selector => { const t = document.querySelector(selector); const r = t.getBoundingClientRect();
  const heads = Array.from(t.tHead.rows[0].cells);
  return {right: r.right, scroll: t.scrollWidth, client: t.clientWidth, rows: t.tBodies[0].rows.length,
          columns: heads.length, lastRight: heads[heads.length - 1].getBoundingClientRect().right,
          page: document.documentElement.scrollWidth,
          lines: Array.from(t.querySelectorAll("tbody span.jf-nw")).map(s => s.getClientRects().length)}; }"""


def test_twenty_townships_tables_fit_1366_pixels_and_names_stay_on_one_line(browser, tmp_path):
    """乡镇指标 (a row per township, 13 indicator columns) and 待办清单 (a column per list with items) at 1366 px: no
    sideways scroll, the last column in sight, every township's name on one line."""
    folder = tmp_path / "s"
    folder.mkdir()
    paths = []
    for n, name in enumerate(TWENTY, 1):
        path = folder / f"{n:02d}.json"
        path.write_text(synthetic(n).model_copy(update={"township": name}).to_json(), encoding="utf-8")
        paths.append(path)
    site = build(paths, tmp_path / "site", "--target", "规范管理率=90")
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    try:
        tab = context.new_page()
        open_site(tab, site, "townships.html")
        shown = tab.evaluate(MEASURE, "table.jf-county-indicators")
        assert (shown["rows"], shown["columns"]) == (1 + 20 + 1, 3 + len(INDICATORS))  # 目标, 20, 合计
        assert shown["right"] <= LAPTOP["width"] and shown["lastRight"] <= LAPTOP["width"], shown
        assert shown["scroll"] <= shown["client"] and shown["page"] <= LAPTOP["width"], shown
        assert shown["lines"] == [1] * 20, shown
        assert "其中规范管理率的目标由县（区）设定（--target）" in tab.inner_text("article")
        assert tab.locator("table.jf-county-indicators tbody tr").first.locator("td").nth(5).inner_text() == "≥ 90%"
        tab.screenshot(path=str(tmp_path / "townships-1366.png"), full_page=True)
        visit(tab, (site / "lists.html").as_uri())
        decrypted(tab)
        lists = tab.evaluate(MEASURE, "table.jf-county-lists")
        assert lists["rows"] == 20 + 1 and lists["columns"] == 4 + 26, lists  # 乡镇, 在册, 高风险, 肇事肇祸; 29 lists, 3 empty
        assert lists["right"] <= LAPTOP["width"] and lists["lastRight"] <= LAPTOP["width"], lists
        assert lists["scroll"] <= lists["client"] and lists["page"] <= LAPTOP["width"], lists
        assert lists["lines"] == [1] * 20, lists
        tab.screenshot(path=str(tmp_path / "lists-1366.png"), full_page=True)
    finally:
        context.close()
