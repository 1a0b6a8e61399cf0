"""The sample site as staff use it (issue 14): on a 390×844 phone and a 1366×768 laptop, in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, ROOT, assert_no_leaks, run, text

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# roster, an overdue list, a village's page and its lists, a record (P020: never visited face to face), a group
PAGES = ["roster/index.html", "overdue/followup_overdue.html", "villages/V01.html", "overdue/V01.html",
         "patients/P020.html", "groups/G01.html", "leaders.html"]

# every visible table cell: its width, font size, and (phone cards) the label its ::before shows
CELLS = """() => Array.from(document.querySelectorAll("article table td")).filter(td => td.offsetParent !== null)
  .map(td => ({label: td.dataset.label, width: td.getBoundingClientRect().width,
               font: parseFloat(getComputedStyle(td).fontSize), before: getComputedStyle(td, "::before").content}))"""
# cells that must stay on one line, with their content height and line height
ONE_LINE = """() => Array.from(document.querySelectorAll("article td.jf-nw, article .jf-nw")).filter(e => e.offsetParent !== null)
  .map(e => { const s = getComputedStyle(e); const r = document.createRange(); r.selectNodeContents(e);
              const lh = parseFloat(s.lineHeight) || 1.6 * parseFloat(s.fontSize);
              return {text: e.innerText, wrap: s.whiteSpace, height: r.getBoundingClientRect().height, line: lh}; })"""


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("phone-site") / "site"
    workbook = ROOT / "workbook" / "示例台账.xlsx"
    result = run("build", str(workbook), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(workbook, out)
    return out


@pytest.fixture
def sized(browser):
    """Fresh tabs of a given size (a context each, closed after the test); a script error fails the test."""
    contexts, errors = [], []

    def make(viewport: dict):
        context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=viewport is PHONE)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], errors[:5]


def open_all(page, site: Path, rel: str, first: bool) -> None:
    if first:
        page.goto((site / rel).as_uri())
        unlock(page, PASSWORD)
    else:
        visit(page, (site / rel).as_uri())
        decrypted(page)


def test_on_a_phone_tables_are_cards_and_nothing_scrolls_sideways(sample_site, sized):
    page = sized(PHONE)
    for i, rel in enumerate(PAGES):
        open_all(page, sample_site, rel, i == 0)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], rel
        cells = page.evaluate(CELLS)
        assert cells, rel
        narrow = [c for c in cells if c["width"] < 2 * c["font"]]
        assert narrow == [], (rel, narrow[:3])
        cards = [c for c in cells if c["before"] not in ("none", "normal")]
        assert all(c["before"] == f'"{c["label"]}"' for c in cards), rel  # each field says what it is
    rollcall = sorted((sample_site / "agreements").glob("V01-rollcall*.html"))[0]
    for rel in ("agreements/V01-notice.html", f"agreements/{rollcall.name}"):  # documents: a wide form scrolls in its box
        visit(page, (sample_site / rel).as_uri())
        decrypted(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], rel


def test_a_card_shows_code_name_due_and_phone_first_and_unfolds_the_rest(sample_site, sized):
    page = sized(PHONE)
    open_all(page, sample_site, "roster/index.html", True)
    card = page.locator("table.jf-table tbody tr").first
    shown = [card.locator("td").nth(i) for i in range(card.locator("td").count())]
    # 病情分类 since issue 24 (a visit's card shows the class, and so does the roster's)
    assert [td.get_attribute("data-label") for td in shown if td.is_visible()] == [
        "编号", "姓名", "病情分类", "下次应随访", "监护人及电话"]
    assert not card.locator('td[data-label="诊断"]').is_visible()
    card.locator('td[data-label="姓名"]').click()
    assert card.locator('td[data-label="诊断"]').is_visible()
    card.locator('td[data-label="姓名"]').click()
    assert not card.locator('td[data-label="诊断"]').is_visible()
    page.locator("input.jf-filter").fill("P002")  # the filter box still narrows the cards
    assert page.locator("table.jf-table tbody tr:visible").count() == 1
    assert page.locator(".jf-count").inner_text() == "显示 1 / 60 行"


def test_phones_in_full_are_tel_links_and_masked_ones_text(sample_site, sized):
    page = sized(PHONE)
    open_all(page, sample_site, "patients/P001.html", True)
    links = page.locator("article a[href^='tel:']")
    assert links.count() >= 2  # the guardian and the group's members
    guardian = page.locator("article table").nth(1).locator("tr", has_text="监护人").locator("a")
    assert guardian.get_attribute("href") == "tel:" + guardian.inner_text()
    documents = page.locator("details.jf-documents a[href^='tel:']")  # the documents' screen view too
    assert documents.count() >= 3 and documents.first.get_attribute("href") == "tel:" + guardian.inner_text()
    for rel in ("groups/G01.html", "leaders.html", "overdue/followup_overdue.html"):
        visit(page, (sample_site / rel).as_uri())
        decrypted(page)
        hrefs = page.locator("article a[href^='tel:']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs and all(h[4:].replace("-", "").isdigit() for h in hrefs), rel
    visit(page, (sample_site / "roster" / "index.html").as_uri())
    decrypted(page)
    assert page.locator("article a[href^='tel:']").count() == 0  # the roster shows guardian phones masked
    assert "****" in page.locator("table.jf-table tbody tr").first.inner_text()


def test_never_visited_says_so_instead_of_days_since_enrolment(sample_site, sized):
    page = sized(LAPTOP)
    open_all(page, sample_site, "patients/P020.html", True)
    due = page.locator("article table", has_text="重点患者面访").locator("tr", has_text="重点患者面访")
    # P020, enrolled 2016-05-10: not a due date ten years ago, but since when a face visit is owed (issue 24)
    assert due.locator("td").nth(1).inner_text() == "从未面访（纳入管理 2016-05-10）"
    assert due.locator(".jf-badge").inner_text() == "已逾期"
    visit(page, (sample_site / "overdue" / "high_risk_visit_overdue.html").as_uri())
    decrypted(page)
    row = page.locator("table.jf-table tbody tr", has_text="P020")
    assert row.locator('td[data-label="应办日期"]').inner_text() == "从未面访（纳入管理 2016-05-10）"
    assert row.locator('td[data-label="逾期天数"]').inner_text() == ""


def test_at_1366_codes_dates_and_phones_stay_on_one_line(sample_site, sized):
    page = sized(LAPTOP)
    for i, rel in enumerate(["roster/index.html", "overdue/followup_overdue.html", "overdue/V01.html",
                             "patients/P001.html"]):
        open_all(page, sample_site, rel, i == 0)
        assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"], rel
        cells = page.evaluate(ONE_LINE)
        assert len(cells) >= 3, rel
        assert all(c["wrap"] == "nowrap" for c in cells), rel
        wrapped = [c for c in cells if c["height"] > 1.5 * c["line"]]
        assert wrapped == [], (rel, wrapped[:3])
        narrow = [c for c in page.evaluate(CELLS) if c["width"] < 2 * c["font"]]
        assert narrow == [], (rel, narrow[:3])


def test_the_lock_page_fits_a_phone_and_says_where_the_menu_is(sample_site, sized):
    page = sized(PHONE)
    page.goto((sample_site / "villages" / "index.html").as_uri())
    form = page.locator("#mkdocs-decrypt-form")
    assert "手机上点左上角的 ☰ 打开栏目" in form.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for part in ("#mkdocs-content-password", "#mkdocs-decrypt-button"):
        box = page.locator(part).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 30, part
    page.fill("#mkdocs-content-password", "Not-The-Password-1")
    page.locator("#mkdocs-decrypt-button").tap()  # a wrong password: told so in Chinese, on the same screen
    page.wait_for_function("document.getElementById('mkdocs-decrypt-msg').textContent !== ''", timeout=15_000)
    assert page.locator("#mkdocs-decrypt-msg").inner_text() == "密码不对，请重新输入。"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    unlock(page, PASSWORD)
    assert page.title().startswith("村社区") and page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_todo_lists_and_registers_are_separate_tabs(sample_site, sized):
    page = sized(LAPTOP)
    open_all(page, sample_site, "index.html", True)
    tabs = page.locator(".md-tabs__link").all_inner_texts()
    assert "待办清单" in tabs and "底册台账" in tabs and "逾期清单" not in tabs
    page.locator(".md-tabs").get_by_role("link", name="底册台账").click()
    decrypted(page)
    assert page.title().startswith("底册台账")
    assert page.locator("article table td a").all_inner_texts() == ["未签以奖代补协议（逐人台账）", "本年度不予奖励",
                                                                    "高风险患者底册"]
    page.locator(".md-tabs").get_by_role("link", name="待办清单").click()
    decrypted(page)
    todo = page.locator("article table td a").all_inner_texts()
    assert "随访逾期" in todo and "高风险患者底册" not in todo
    visit(page, (sample_site / "overdue" / "V01.html").as_uri())
    decrypted(page)
    headings = page.locator("article h2").all_inner_texts()
    assert headings == ["待办清单", "数据质量与既往情况", "底册台账"]  # issue 24: past facts apart from the to-dos
    registers = page.locator("article h2#registers ~ h3").all_inner_texts()
    assert registers and all(h.startswith(("未签以奖代补协议（逐人台账）", "本年度不予奖励", "高风险患者底册"))
                             for h in registers)
    assert "随访人数不足" in page.locator("article h2#findings ~ h3").first.inner_text()
    assert all("（0）" not in h for h in page.locator("article h3").all_inner_texts())  # no empty list is printed


def visible_fields(row) -> dict[str, str]:
    """A phone card's fields as shown before any tap: {label: text}."""
    return {td.get_attribute("data-label"): td.inner_text() for td in row.locator("td").all() if td.is_visible()}


def test_phone_cards_show_the_rate_and_whether_met_whom_to_call_where_and_a_visits_risk(sample_site, sized):
    """issue 24: an indicator card shows the rate and 达标 (not only 分子); a 本周应访 card the guardian with the
    relation, the address and what is due; a visit card risk, class and the next date (the sample as of 2026-09-30)."""
    page = sized(PHONE)
    open_all(page, sample_site, "index.html", True)
    shown = visible_fields(page.locator("table.jf-indicators tbody tr", has_text="规范管理率"))
    assert (shown["指标"], shown["数值"], shown["目标"], shown["达标"]) == ("规范管理率", "84.9%", "≥ 95%", "✗ 未达标")
    assert "分子" not in shown and "定义" not in shown  # one tap away
    errand = visible_fields(page.locator("table.jf-errands tbody tr").first)
    assert (errand["编号"], errand["要办的事"]) == ("P020", "重点患者面访逾期、高风险居家")
    assert errand["紧急程度"].split() == ["高风险", "从未面访"]
    visit(page, (sample_site / "week" / "V05.html").as_uri())
    decrypted(page)
    card = visible_fields(page.locator("table.jf-table tbody tr", has_text="P025"))
    assert (card["现住址"], card["监护人"], card["应办事项"]) == ("槐荫村6组44号", "蔺铭言（父母）", "随访、出院后首次随访")
    assert card["监护人电话"] == "15023379797" and card["逾期"] == "逾期 49 天"
    visit(page, (sample_site / "patients" / "P001.html").as_uri())
    decrypted(page)
    visit_card = visible_fields(page.locator("table.jf-table tbody tr", has_text="2026-06-20"))
    assert [visit_card.get(label) for label in ("日期", "形式", "危险性", "病情分类", "下次随访")] == [
        "2026-06-20", "门诊", "0", "稳定", "2026-09-18"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
