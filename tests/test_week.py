"""本周应访: the week plan's order and rows on a hand-built workbook, per village and per 精防医生, and in a browser."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from generator.present.pages import render_pages
from generator.contract.report import Report
from generator.validate.workbook import validate_workbook
from generator.present.views import build_view
from generator.read.workbook import read_workbook
from tests.browsing import follow, unlock
from tests.commands import PASSWORD
from tests.workbooks import AS_OF, make_id, set_cell, valid_sheets, write_sheets
from tests.markup import bare


def week_sheets() -> dict:
    """valid_sheets() plus patients due this week or late, in both villages (as-of 2025-06-30, intervals 14/30/90).

    P001 禾苗村: agreed next visit 06-19 → 11 days late. P002 溪口社区: agreed 06-25 → 5 days late. P011 溪口社区:
    risk 4 by phone on 06-28, never seen face to face: enrolled 2024-01-01 + 180 = 2024-06-29 → 366 days late, and
    its agreed next visit 07-05 is this week. P010 禾苗村: due today. P009 禾苗村: due 07-01. P008 溪口社区: enrolled
    06-20, never visited, 不稳定 → 06-20 + 14 = 07-04. G01 has a 精防医生 (骆思源), G02 has none.
    """
    s = valid_sheets()
    set_cell(s, "随访记录", 2, "下次随访日期", datetime(2025, 6, 25))
    header = s["患者"][0]

    def patient(**cells):
        s["患者"].append([cells.get(h) for h in header])

    def at_home(pid, name, village, group, guardian, phone, enrolled, seq):
        patient(患者编号=pid, 姓名=name, 性别="男", 身份证号=make_id("110101", date(1981, 3, 4), seq, True),
                现住村社区=village, 现住址=f"{village}{seq}号", 诊断="精神分裂症", 纳入管理日期=enrolled, 在管状态="在家居住",
                帮扶小组编号=group, 监护人=guardian, 监护人关系="配偶", 监护人电话=phone)

    at_home("P008", "戚远舟", "溪口社区", "G02", "戚晚晴", "13900000038", datetime(2025, 6, 20), 21)
    at_home("P009", "戚明川", "禾苗村", "G01", "戚晓岚", "13900000039", datetime(2024, 1, 1), 22)
    at_home("P010", "戚星河", "禾苗村", "G01", "戚晨露", "13900000040", datetime(2024, 1, 1), 23)
    at_home("P011", "戚望山", "溪口社区", "G02", "戚暮云", "13900000041", datetime(2024, 1, 1), 24)
    s["随访记录"] += [
        ["P009", datetime(2025, 6, 1), "家庭访视", "骆思源、计承远", 0, "稳定", "规律", None, datetime(2025, 7, 1)],
        ["P010", datetime(2025, 6, 2), "家庭访视", "骆思源、计承远", 0, "稳定", "规律", None, datetime(2025, 6, 30)],
        ["P011", datetime(2025, 6, 28), "电话", "骆思源、闵若川", 4, "不稳定", "规律", None, datetime(2025, 7, 5)],
    ]
    return s


@pytest.fixture(scope="module")
def week_pages(tmp_path_factory):
    workbook = write_sheets(tmp_path_factory.mktemp("week") / "台账.xlsx", week_sheets())
    data, report = validate_workbook(read_workbook(workbook), as_of=AS_OF, today=date(2025, 7, 1))
    assert report.valid, report.flatten(["sheet", "cell", "message"])
    view = build_view(data, Report(), AS_OF, datetime(2025, 7, 1, 8, 0))
    return view, {rel: p.markdown() for rel, p in render_pages(view)}


def rows(markdown: str) -> list[tuple[str, ...]]:
    """Each body row of the page's (only) table, as the text of its cells."""
    body = bare(markdown).split("<tbody>", 1)[1]
    return [tuple(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_a_village_week_plan_lists_the_most_days_late_first_then_the_soonest_due(week_pages):
    _, pages = week_pages
    assert rows(pages["week/V01.md"]) == [
        ("P001", "甘望舒", "禾苗村2组8号", "甘秋禾（父母）", "13900000011", "随访", "2025-06-19", "逾期 11 天", "2025-05-20",
         "", ""),
        ("P010", "戚星河", "禾苗村23号", "戚晨露（配偶）", "13900000040", "随访", "2025-06-30", "今天到期", "2025-06-02",
         "", ""),
        ("P009", "戚明川", "禾苗村22号", "戚晓岚（配偶）", "13900000039", "随访", "2025-07-01", "1 天后到期", "2025-06-01",
         "", ""),
    ]
    # P011 was never seen face to face: not a due date of 2024-06-29 (enrolment + 180 days) but since when it is owed
    assert rows(pages["week/V02.md"]) == [
        ("P011", "戚望山", "溪口社区24号", "戚暮云（配偶）", "13900000041", "重点患者面访、随访",
         "从未面访（纳入管理 2024-01-01）", "已逾期", "2025-06-28", "", ""),
        ("P002", "简雨桐", "溪口社区5栋3号", "简守拙（配偶）", "13900000012", "随访", "2025-06-25", "逾期 5 天", "2025-04-10",
         "", ""),
        ("P008", "戚远舟", "溪口社区21号", "戚晚晴（配偶）", "13900000038", "随访", "2025-07-04", "4 天后到期", "从未随访",
         "", ""),
    ]


def test_the_printed_week_list_keeps_names_whole_and_has_blanks_for_result_and_signature(week_pages):
    _, pages = week_pages
    plan = bare(pages["week/V02.md"])
    assert '<table class="jf-table jf-week">' in plan
    assert "<th>末次随访</th><th>结果</th><th>签字</th></tr>" in plan  # the last two: blanks, printed only (css)
    assert ('<td><span class="jf-nw">戚望山</span></td>' in plan
            and '<td><span><span class="jf-nw">戚暮云</span><span class="jf-nw">（配偶）</span></span></td>' in plan)
    assert '<span class="jf-screen">点编号看当前状态和随访记录，点电话直接拨打监护人。</span>' in plan  # not on paper
    doctors = bare(pages["week/D00.md"])
    assert ('<td><span class="jf-nw">溪口社区</span></td><td>溪口社区24号</td>' in doctors
            and '<td><span><span class="jf-nw">重点患者面访</span>、<span class="jf-nw">随访</span></span></td>' in doctors)


def test_the_guardian_phone_is_a_call_link_and_the_code_opens_the_current_state(week_pages):
    _, pages = week_pages
    plan = pages["week/V01.md"]
    assert '<a class="jf-tel jf-nw" href="tel:13900000011">13900000011</a>' in plan
    assert '<a href="../patients/P001.html#state">P001</a>' in plan  # issue 24: what is due, the visits below it
    assert "## 当前状态 {#state}" in pages["patients/P001.md"]


def test_per_doctor_pages_follow_the_groups_doctor_and_the_rest_are_unassigned(week_pages):
    view, pages = week_pages
    assert "# 本周应访 · 骆思源（精防医生）" in pages["week/D01.md"]
    assert [r[0] for r in rows(pages["week/D01.md"])] == ["P001", "P010", "P009"]
    assert "# 本周应访 · 精防医生未指定" in pages["week/D00.md"]
    assert [(r[0], r[2]) for r in rows(pages["week/D00.md"])] == [("P011", "溪口社区"), ("P002", "溪口社区"),
                                                                  ("P008", "溪口社区")]
    index = bare(pages["week/index.md"])
    assert "全乡镇共 6 人，其中已逾期 3 人。" in index
    assert ('<td><a href="D01.html">骆思源</a></td><td><a class="jf-tel jf-nw" href="tel:13900000003">13900000003</a></td>'
            "<td>3</td><td>1</td>") in index
    assert '<td><a href="D00.html">未指定</a></td><td></td><td>3</td><td>2</td>' in index
    owners = {rel: item.owner for rel, item in render_pages(view)}
    assert owners["week/V01.md"] == "V01" and owners["week/V02.md"] == "V02"
    assert owners["week/D01.md"] is None and owners["week/index.md"] is None  # the doctors' plans are the township's


def test_the_week_plan_is_linked_from_home_each_village_and_the_health_department(week_pages):
    _, pages = week_pages
    assert '<a href="week/index.html">本周应访</a>' in pages["index.md"]
    assert '<a href="../week/V02.html">本周应访</a>（3 人，附监护人电话）' in pages["villages/V02.md"]
    assert '<a href="../week/index.html">本周应访</a>' in pages["departments/health.md"]
    assert '<a href="../week/index.html">本周应访</a>' not in pages["departments/police.md"]


def test_a_clerk_reaches_the_week_plan_from_home_and_can_call(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    follow(page, page.get_by_role("link", name="本周应访").first)
    assert page.title().startswith("本周应访")
    follow(page, page.get_by_role("link", name="禾苗村"))
    assert page.title().startswith("本周应访 · V01")
    calls = page.locator('a[href^="tel:"]')
    # P004 (high-risk face visit 31 days late), P001 (10), P006 (discharged 06-10, 6 days late)
    assert [calls.nth(i).get_attribute("href") for i in range(calls.count())] == [
        "tel:13900000021", "tel:13900000011", "tel:13900000021"]
    follow(page, page.get_by_role("link", name="P004"))
    assert page.url.endswith("patients/P004.html#state")
    state = page.locator("h2#state")
    assert state.inner_text() == "当前状态"
    # it lands with 当前状态 at the top, just below Material's fixed header, not scrolled past it
    page.wait_for_function("() => window.scrollY > 0")
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    top = state.bounding_box()["y"]
    assert header <= top <= header + 80, (header, top)


def test_a_village_password_opens_its_own_week_plan_only(leveled, page):
    page.goto((leveled / "villages" / "index.html").as_uri())
    unlock(page, "Village-Test-Only-k9w2")
    follow(page, page.get_by_role("link", name="禾苗村"))
    follow(page, page.get_by_role("link", name="本周应访"))
    assert page.title().startswith("本周应访 · V01") and page.locator('a[href^="tel:"]').count() == 3
    for rel in ("week/V02.html", "week/D01.html", "week/index.html"):
        page.goto((leveled / rel).as_uri())  # another village's plan and the township's stay locked
        page.wait_for_selector("#mkdocs-content-password")
        assert page.locator('a[href^="tel:"]').count() == 0, rel
