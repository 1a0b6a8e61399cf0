"""待办 as a township reads it (issue 24), in Chromium: only lists with items, most urgent first, registers and
findings apart, 本周要办 by name at the top of home and village pages; the meeting table fits 1366 px at 30 villages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, assert_no_leaks, run, text
from tests.workbooks import every_list_sheets, make_id, valid_sheets, write_sheets

LAPTOP = {"width": 1366, "height": 768}


def urgency_sheets() -> dict:
    """valid_sheets() (as of 2025-06-30) plus a face visit to P001 on 2025-01-10 by one person (随访人数不足, a past
    fact). By hand, the to-do lists with items and why each stands where it does:
    高风险未录入公安库 — P003, risk 3 ≥ 高风险等级 3: the one list with a high-risk patient, first;
    小组会议逾期 — G02 founded 2023-02-01, never met, interval 30: due 2023-03-03, 850 days;
    评估逾期 — P002 never assessed, enrolled 2023-04-01 + 180 (稳定): 2023-09-28, 641 days (P001: 31 days);
    体检逾期 — P002 never checked, 2023-04-01 + 365: 2024-03-31, 456 days;
    随访逾期 — P001's agreed next visit 2025-06-19: 11 days;
    未签监护协议 — P002, no days at all: last.
    Empty to-do lists (出院未及时随访 …) are not listed. Registers: 未签以奖代补协议（逐人台账）(P002), 高风险患者底册 (P003).
    """
    s = valid_sheets()
    s["随访记录"].append(["P001", datetime(2025, 1, 10), "家庭访视", "骆思源", 1, "基本稳定", "规律", None, None])
    return s


TODO_ORDER = ["高风险未录入公安库", "小组会议逾期", "评估逾期", "体检逾期", "随访逾期", "未签监护协议"]


@pytest.fixture(scope="module")
def urgency_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("urgency")
    workbook = write_sheets(folder / "台账.xlsx", urgency_sheets())
    result = run("build", str(workbook), "--out", str(folder / "site"))
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(workbook, folder / "site")
    return folder / "site"


def cells(page, selector: str) -> list[list[str]]:
    """Each body row of the first table matching selector, as its cells' text."""
    return page.locator(selector).first.evaluate(
        "t => Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def test_the_todo_page_lists_only_lists_with_items_most_urgent_first_findings_and_registers_apart(urgency_site, page):
    page.goto((urgency_site / "overdue" / "index.html").as_uri())
    unlock(page, PASSWORD)
    assert [row[0] for row in cells(page, "article table")] == TODO_ORDER
    assert [row[:2] for row in cells(page, "xpath=//h2[@id='findings']/following::table[1]")] == [["随访人数不足", "1"]]
    registers = page.locator("h2#registers + p").inner_text()
    assert registers == "备查的底册，不是待办事项，见底册台账：未签以奖代补协议（逐人台账）（1）、高风险患者底册（1）。"
    article = page.locator("article").inner_text()
    assert "出院未及时随访" not in article and "（0）" not in article
    assert "另有 18 个待办清单目前没有事项，未列出。" in article  # 24 to-do lists in the catalogue, 6 with items
    # every list keeps its page and its address, empty or not (issue 19's inventory)
    assert (urgency_site / "overdue" / "discharge_followup_overdue.html").is_file()
    visit(page, (urgency_site / "overdue" / "discharge_followup_overdue.html").as_uri())
    decrypted(page)
    assert "没有需要处理的事项。" in page.locator("article").inner_text()


def test_a_villages_printed_todo_is_what_there_is_to_do(urgency_site, page):
    page.goto((urgency_site / "overdue" / "V01.html").as_uri())
    unlock(page, PASSWORD)
    assert page.locator("article h2").all_inner_texts() == ["待办清单", "数据质量与既往情况", "底册台账"]
    # 禾苗村: P003 (high risk) not in the police database, P001 assessment 31 days and follow-up 11 days late
    assert page.locator("article h3").all_inner_texts() == [
        "高风险未录入公安库（1）", "评估逾期（1）", "随访逾期（1）", "随访人数不足（1）", "高风险患者底册（1）"]
    assert "没有。" not in page.locator("article").inner_text()
    visit(page, (urgency_site / "overdue" / "V02.html").as_uri())
    decrypted(page)
    assert page.locator("article h3").all_inner_texts() == [
        "小组会议逾期（1）", "评估逾期（1）", "体检逾期（1）", "未签监护协议（1）", "未签以奖代补协议（逐人台账）（1）"]
    assert page.locator("h2#findings + p").inner_text() == "已经过去、现在无法补办的情况，供核查台账和改进工作，不是待办事项。没有。"


def test_home_and_village_pages_open_with_this_weeks_errands_by_name(urgency_site, page):
    page.goto((urgency_site / "index.html").as_uri())
    unlock(page, PASSWORD)
    assert page.locator("article h2").first.inner_text() == "本周要办"
    assert cells(page, "table.jf-errands") == [
        ["P003", "车怀瑾", "禾苗村", "高风险未录入公安库", "高风险"],
        ["G02", "溪口社区关爱帮扶小组", "溪口社区", "小组会议逾期", "从未开会"],
        ["P002", "简雨桐", "溪口社区", "评估逾期、体检逾期、未签监护协议", "从未评估"],
        ["P001", "甘望舒", "禾苗村", "评估逾期、随访逾期", "逾期 31 天"],
    ]
    assert page.locator("table.jf-errands a").first.get_attribute("href") == "patients/P003.html#state"
    # the home page's own 待办 table: the same order, with the high-risk count and the most days late
    assert cells(page, "xpath=//h2[text()='待办清单']/following::table[1]") == [
        ["高风险未录入公安库", "1", "高风险 1 人", ""], ["小组会议逾期", "1", "", "从未开会"],
        ["评估逾期", "2", "", "从未评估"], ["体检逾期", "1", "", "从未体检"], ["随访逾期", "1", "", "11 天"],
        ["未签监护协议", "1", "", ""]]
    visit(page, (urgency_site / "villages" / "V02.html").as_uri())
    decrypted(page)
    assert page.locator("article h2").first.inner_text() == "本周要办"
    assert cells(page, "table.jf-errands") == [
        ["G02", "溪口社区关爱帮扶小组", "小组会议逾期", "从未开会"],
        ["P002", "简雨桐", "评估逾期、体检逾期、未签监护协议", "从未评估"]]


def thirty_villages() -> dict:
    """every_list_sheets() (every list has items) plus 28 villages, each with a group and one patient at home who
    was never visited."""
    s = every_list_sheets()
    header = s["患者"][0]
    for i in range(3, 31):
        name = f"试验{i:02d}村"
        s["村社区"].append([name, "村", None, None])
        s["帮扶小组"].append([f"G{i:02d}", f"{name}关爱帮扶小组", name, "计承远", datetime(2024, 1, 1)])
        cells = dict(患者编号=f"P{100 + i}", 姓名="岑" + "一二三四五六七八九十"[i % 10] + "甲乙丙"[i % 3], 性别="女", 身份证号=make_id("110101", date(1985, 1, 2), i, False),
                     现住村社区=name, 诊断="精神分裂症", 纳入管理日期=datetime(2024, 1, 1), 在管状态="在家居住",
                     帮扶小组编号=f"G{i:02d}", 监护人="岑守拙", 监护人关系="父母", 监护人电话=f"139000001{i:02d}")
        s["患者"].append([cells.get(h) for h in header])
    return s


# a table's right edge, its own scroll width (a cell wider than its column overflows it) and the content column's
MEASURE = """selector => { const t = document.querySelector(selector); const r = t.getBoundingClientRect();
  const content = document.querySelector(".md-content__inner").getBoundingClientRect();
  const heads = Array.from(t.tHead.rows[0].cells);
  return {right: r.right, scroll: t.scrollWidth, client: t.clientWidth, rows: t.tBodies[0].rows.length,
          edge: content.right,
          first: heads[1].innerText, lastRight: heads[heads.length - 1].getBoundingClientRect().right,
          columns: heads.length}; }"""


def test_the_meeting_table_fits_1366_pixels_at_thirty_villages_with_its_totals(tmp_path, browser):
    workbook = write_sheets(tmp_path / "台账.xlsx", thirty_villages())
    result = run("build", str(workbook), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, text(result.stderr)
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto((tmp_path / "site" / "index.html").as_uri())
        unlock(page, PASSWORD)
        lists = page.evaluate(MEASURE, "table.jf-village-lists")
        assert lists["rows"] == 30 + 2 and lists["columns"] >= 2 + 20  # 30 villages, 乡镇, 合计; 20-odd lists
        assert lists["first"] == "待办合计"
        assert lists["right"] <= lists["edge"] <= LAPTOP["width"] and lists["lastRight"] <= lists["edge"]
        assert lists["scroll"] <= lists["client"], lists
        indicators = page.evaluate(MEASURE, "table.jf-village-indicators")
        assert indicators["rows"] == 1 + 30 + 1 and indicators["first"] == "达标"  # 目标, 30 villages, 全乡镇
        assert indicators["right"] <= indicators["edge"] and indicators["scroll"] <= indicators["client"], indicators
        assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    finally:
        context.close()
