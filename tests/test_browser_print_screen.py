"""What never prints (issue 24 item 1): the sample's site built with data 30 days old, so every page carries the
stale-data banner on screen; printed to PDF in Chromium, an agreement, a notice and the monthly report are only the
document, a list only its 内部资料 mark, the list and its page numbers — no banner, button or screen-only words.
And the printed 本周应访 (item 8): A4 landscape, names whole on their line, blank 结果 and 签字 columns."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, assert_no_leaks

SAMPLE = Path(__file__).resolve().parent.parent / "workbook" / "示例台账.xlsx"
TOWNSHIP = "青禾镇"  # the sample's 乡镇名称
STALE = "清单可能不全"  # the banner: 数据截至 2026-09-30，已过去 30 天，清单可能不全：请更新台账后重新生成
# the words of the screen only, none of which may reach paper
SCREEN_ONLY = (STALE, "数据截至", "打印全部", "打印本页", "打印通报", "打印需签的", "退出", "点电话直接拨打", "查看文书内容",
               "只在“打印全部”时打印", "筛选")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from generator.app.build import build
    from generator.app.password import Access
    from generator.sample.histories import SAMPLE_AS_OF

    out = tmp_path_factory.mktemp("stale-site") / "site"
    built = build(SAMPLE, out, as_of=SAMPLE_AS_OF, today=SAMPLE_AS_OF + timedelta(days=30),
                  now=datetime(2026, 10, 30, 9, 0), access=Access(PASSWORD))
    assert built.stale == "数据截至 2026-09-30，已过去 30 天，清单可能不全：请更新台账后重新生成"
    assert_no_leaks(SAMPLE, out)
    return out


@pytest.fixture(scope="module")
def printed(site, browser, tmp_path_factory):
    """print(rel) → (the PDF of the page as Chromium prints it, the buttons' words seen on screen just before)."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    folder = tmp_path_factory.mktemp("pdf")
    state = {"unlocked": False}

    def print_page(rel: str) -> tuple[Path, list[str]]:
        if state["unlocked"]:
            visit(tab, (site / rel).as_uri())
            decrypted(tab)
        else:
            tab.goto((site / rel).as_uri())
            unlock(tab, PASSWORD)
            state["unlocked"] = True
        tab.emulate_media(media="screen")
        # on screen the banner stands above the title: what must not print is really there
        assert STALE in tab.locator(".md-banner").inner_text(), rel
        buttons = [b.strip() for b in tab.locator("article button").all_inner_texts()]
        tab.emulate_media(media="print")
        pdf = folder / (rel.replace("/", "_") + ".pdf")
        tab.pdf(path=str(pdf), prefer_css_page_size=True)
        return pdf, buttons

    print_page.tab = tab  # type: ignore[attr-defined]
    yield print_page
    context.close()


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], capture_output=True,
                         check=True).stdout.decode()
    return out


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text without the spaces pdftotext puts or drops between Chinese characters."""
    return [re.sub(r"\s+", "", page) for page in pdf_text(pdf, layout=True).split("\f")[:-1]]


def page_size(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    return re.search(r"Page size:\s+([\d.]+ x [\d.]+)", info).group(1).split(" x ")


def assert_only_paper(pdf: Path, buttons: list[str]) -> str:
    """The PDF's whole text, after checking no screen-only words (nor any button seen on screen) are in it."""
    whole = "".join(pdf_pages(pdf))
    for words in (*SCREEN_ONLY, *(re.sub(r"\s+", "", b) for b in buttons)):
        assert words not in whole, words
    return whole


@pytest.mark.parametrize("rel, title", [
    ("agreements/V01-guardian.html", "严重精神障碍患者监护协议"),
    ("agreements/V01-notice.html", "关于成立青石村关爱帮扶一组的通知"),
    ("departments/monthly.html", "严重精神障碍患者2026年8月信息交换通报"),
])
def test_a_printed_document_is_only_the_document(printed, rel, title):
    pdf, buttons = printed(rel)
    assert buttons and all(b.startswith("打印") for b in buttons)  # there were buttons on the screen
    whole = assert_only_paper(pdf, buttons)
    first = pdf_pages(pdf)[0]
    assert title in first and first.index(title) < 40, first[:60]  # the title opens the paper (after 文号 at most)
    assert "内部资料" not in whole and "第1页" not in whole  # a paper to hand out carries no list marks
    assert page_size(pdf) == ["594.96", "841.92"]  # A4 portrait


def test_a_printed_list_keeps_its_mark_and_page_numbers_but_nothing_of_the_screen(printed):
    pdf, buttons = printed("overdue/followup_overdue.html")
    assert buttons == ["打印本页"]
    assert_only_paper(pdf, buttons)
    pages = pdf_pages(pdf)
    for n, page in enumerate(pages, 1):
        assert page.startswith("内部资料注意保密" + TOWNSHIP), page[:40]
        assert page.endswith(f"第{n}页共{len(pages)}页"), page[-40:]
    assert pages[0].startswith("内部资料注意保密青禾镇待办清单·随访逾期")  # the title right under the mark


def test_the_printed_week_list_is_landscape_with_whole_names_and_blanks_to_write_in(printed):
    pdf, buttons = printed("week/D01.html")
    tab = printed.tab
    tab.emulate_media(media="screen")
    headers = tab.locator("table.jf-week thead th").all_inner_texts()
    visible = [h for h, shown in zip(headers, tab.locator("table.jf-week thead th").evaluate_all(
        "ths => ths.map(th => getComputedStyle(th).display !== 'none')")) if shown]
    assert headers[-2:] == ["结果", "签字"] and visible[-1] == "末次随访"  # the blanks are for paper only
    codes = tab.locator("table.jf-week tbody td:first-child").all_inner_texts()
    names = tab.locator("table.jf-week tbody td:nth-child(2)").all_inner_texts()
    villages = tab.locator("table.jf-week tbody td:nth-child(3)").all_inner_texts()
    assert len(codes) == 3
    assert_only_paper(pdf, buttons)
    assert page_size(pdf) == ["841.92", "594.96"]  # A4 landscape
    pages = pdf_pages(pdf)
    assert len(pages) == 1 and pages[0].startswith("内部资料注意保密" + TOWNSHIP) and pages[0].endswith("第1页共1页")
    lines = pdf_text(pdf, layout=True).splitlines()
    header = next(line for line in lines if "编号" in line and "签字" in line)
    assert re.sub(r"\s+", " ", header).strip().endswith("末次随访 结果 签字")
    for code, name, village in zip(codes, names, villages):
        row = next(line for line in lines if line.lstrip().startswith(code))
        # the whole name and village on the row's first line, never broken onto the next
        assert name in row and village in row, (code, name, village, row)


def test_a_printed_village_todo_keeps_names_whole_headings_with_their_tables_and_leaves_the_registers(printed):
    """Reviewed on paper: a register (备查) printed among the to-dos, 计朗岚 broken after two characters, a list's
    heading alone at the foot of a page with its table on the next."""
    pdf, _ = printed("overdue/V05.html")
    tab = printed.tab
    tab.emulate_media(media="screen")
    registers = tab.evaluate("[...document.querySelectorAll('h2#registers ~ h3')].map(h => h.textContent)")
    lists = tab.evaluate("""[...document.querySelectorAll('article h3')].filter(h => !h.matches('h2#registers ~ h3'))
        .map(h => { let t = h.nextElementSibling; while (t && t.tagName !== 'TABLE') t = t.nextElementSibling;
                    return [h.textContent, t ? [...t.querySelectorAll('tbody td:first-child')].map(c => c.textContent) : [],
                            t ? [...t.querySelectorAll('tbody td:nth-child(2)')].map(c => c.textContent) : []]; })""")
    assert registers and len(lists) >= 2  # the sample's 槐荫村 has registers and several lists
    pages = pdf_pages(pdf)
    whole = "".join(pages)
    clean = lambda words: re.sub(r"[\s¶]+", "", words)  # noqa: E731
    for title in registers:
        assert clean(title) not in whole, title
    lines = pdf_text(pdf, layout=True).splitlines()
    for title, codes, names in lists:
        heading_page = next(n for n, page in enumerate(pages) if clean(title) in page)
        assert codes[0] in pages[heading_page], (title, codes[0])  # the heading and its first row share a page
        for name in names:
            assert any(name in line for line in lines), name  # whole on one line


def test_a_batch_with_nobody_to_sign_prints_that_sentence_not_a_blank_sheet(printed):
    pdf, _ = printed("agreements/V05-guardian.html")
    tab = printed.tab
    tab.emulate_media(media="screen")
    none_due = tab.locator(".jf-none-due").inner_text()
    assert none_due.startswith("本村目前没有")
    assert re.sub(r"\s+", "", none_due) in "".join(pdf_pages(pdf))


def test_the_notices_member_table_repeats_its_header_on_every_printed_page(printed):
    pdf, _ = printed("agreements/V05-notice.html")
    tab = printed.tab
    tab.emulate_media(media="screen")
    members = tab.locator("table.jf-form tbody td:nth-child(2)").all_inner_texts()
    pages = pdf_pages(pdf)
    with_rows = [page for page in pages if any(name in page for name in members)]
    assert len(with_rows) >= 2  # the sample's notice for 槐荫村 runs its table over a page break
    for page in with_rows:
        assert "小组职务姓名单位及职务电话" in page, page[:80]
