"""Numbers that add up: status cards partition 在册, indicators per village sum to the township's, the meeting table
matches ``overdue --json``, the roster's and the group index's counts match what the pages list."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from generator.contract.indicators import POPULATION_KEY
from generator.derive.indicators import REGISTERED_STATUSES
from generator.contract.lists import BY_KEY
from generator.present.pages import render_pages
from generator.present.pages.meeting import census_of
from generator.contract.report import Report
from generator.sample.synthetic import SAMPLE_AS_OF, sample_content
from generator.sample.template import write_workbook
from generator.validate.workbook import validate_workbook
from generator.present.views import View, build_view
from generator.read.workbook import read_workbook
from tests.commands import run, text
from tests.workbooks import AS_OF, every_list_sheets, make_id, valid_sheets, write_sheets
from tests.markup import bare


def view_of(path, as_of=None, today=date(2025, 7, 1)) -> View:
    data, report = validate_workbook(read_workbook(path), as_of=as_of, today=today)
    assert report.valid, report.flatten(["sheet", "cell", "message"])[:5]
    return build_view(data, report, data.settings.as_of or as_of, datetime(2025, 7, 1, 8, 0))


def every_status_sheets() -> dict:
    """valid_sheets() (P001, P002 at home, P003 in hospital) plus one patient of each other 在管状态, and one awaiting
    diagnosis who lives at home (the case that used to be counted under 在家居住)."""
    s = valid_sheets()
    header = s["患者"][0] + ["死亡日期"]
    s["患者"] = [header] + [row + [None] for row in s["患者"][1:]]
    for i, (status, diagnosis) in enumerate([("羁押服刑", "精神分裂症"), ("强制隔离戒毒", "双相情感障碍"),
                                             ("下落不明", "精神分裂症"), ("外出务工", "偏执性精神病"), ("死亡", "精神分裂症"),
                                             ("迁出", "精神分裂症"), ("在家居住", "待诊断")], start=20):
        cells = dict(患者编号=f"P0{i}", 姓名=f"宁{'甲乙丙丁戊己庚'[i - 20]}舟", 性别="男",
                     身份证号=make_id("110101", date(1979, 8, 9), i, True), 现住村社区="溪口社区", 诊断=diagnosis,
                     纳入管理日期=datetime(2024, 1, 1), 在管状态=status)
        if status == "死亡":
            cells["死亡日期"] = datetime(2025, 2, 1)
        if status == "在家居住":
            cells.update(帮扶小组编号="G02", 监护人="宁守望", 监护人关系="父母", 监护人电话="13900000051")
        s["患者"].append([cells.get(h) for h in header])
    return s


@pytest.fixture(scope="module")
def every_status(tmp_path_factory) -> View:
    return view_of(write_sheets(tmp_path_factory.mktemp("status") / "台账.xlsx", every_status_sheets()), AS_OF)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> View:
    path = tmp_path_factory.mktemp("sample") / "示例台账.xlsx"
    write_workbook(path, sample_content())
    view = view_of(path, today=date(2026, 11, 24))
    assert view.as_of == SAMPLE_AS_OF
    return view


@pytest.fixture(scope="module")
def every_list(tmp_path_factory):
    path = write_sheets(tmp_path_factory.mktemp("lists") / "台账.xlsx", every_list_sheets())
    return path, view_of(path, AS_OF)


def home(view: View) -> str:
    return next(p for rel, p in render_pages(view) if rel == "index.md").markdown()


def cards(markdown: str) -> list[tuple[str, int]]:
    """The first row of cards on the home page: (label, number)."""
    row = markdown.split('<div class="jf-cards">', 1)[1].split("</div></div>\n", 1)[0]
    return [(label, int(n)) for n, label in re.findall(r'<div class="jf-num">(\d+)</div><div>(.*?)</div>', row)]


def test_one_card_per_status_partitions_registered_and_says_what_is_outside(every_status):
    page = home(every_status)
    assert cards(page) == [("在册", 7), ("在家居住", 2), ("住院治疗", 1), ("羁押服刑", 1), ("强制隔离戒毒", 1),
                           ("下落不明", 1), ("外出务工", 1)]
    assert ("在册 7 人 = 在家居住 2 + 住院治疗 1 + 羁押服刑 1 + 强制隔离戒毒 1 + 下落不明 1 + 外出务工 1。"
            "不计入在册：待诊断 1 人（确诊后计入），诊断为其他 0 人（不属六类严重精神障碍），已结案 2 人（死亡 1、迁出 1）；"
            "台账共 10 人。") in page
    # v3: 在管 = followed up in the period (本年 to 2025-06-30): P001, P002, P003; the others have no follow-up
    assert ('<div class="jf-num">3</div><div>在管</div><div class="jf-what">统计期本年（2025-01-01 至 2025-06-30）内'
            '至少随访 1 次的在册患者</div>') in page
    roster = next(p for rel, p in render_pages(every_status) if rel == "roster/index.md").markdown()
    assert "共 10 人：在册 7 人，待诊断 1 人，诊断为其他 0 人，已结案 2 人（死亡 1、迁出 1）。" in roster


@pytest.mark.parametrize("fixture", ["every_status", "sample"])
def test_cards_sum_to_registered_and_each_denominator_is_its_card(fixture, request):
    view = request.getfixturevalue(fixture)
    shown = dict(cards(home(view)))
    assert list(shown) == ["在册", *REGISTERED_STATUSES]
    assert shown["在册"] == sum(n for label, n in shown.items() if label != "在册")
    c = census_of(view)
    assert c.total == len(view.data.patients)
    free = sum(1 for p in view.data.patients if p.free_medication and not p.closed and p.diagnosis not in ("待诊断", "其他"))
    bases = {"在册": shown["在册"], "在管": view.indicators.counts["managed"], "在家居住的在册": shown["在家居住"],
             "免费服药的在册": free}
    for indicator in view.indicators:
        if indicator.key != POPULATION_KEY:
            assert indicator.denominator == bases[indicator.base], indicator.name
    assert f"<td>{bases['在家居住的在册']}（在家居住的在册）</td>" in bare(home(view))


@pytest.mark.parametrize("fixture", ["every_status", "sample"])
def test_village_indicators_add_up_to_the_townships(fixture, request):
    view = request.getfixturevalue(fixture)
    township = view.indicators
    villages = list(view.village_indicators.values())
    assert len(villages) >= 2
    keys = [i.key for i in villages[0]]
    assert keys == [i.key for i in township if i.key != POPULATION_KEY]
    for key in keys:
        assert sum(v[key].numerator for v in villages) == township[key].numerator, key
        assert sum(v[key].denominator for v in villages) == township[key].denominator, key


def meeting_table(markdown: str) -> tuple[list[str], list[list[str]]]:
    """The meeting table on the home page: its headers and each row's cell texts."""
    part = bare(markdown).split("### 各村社区待办", 1)[1].split("</table>", 1)[0]
    headers = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", part)]
    rows = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(<td>.*?)</tr>", part)]
    return headers, rows


def meeting_cells(markdown: str) -> dict[tuple[str, str], int]:
    """The meeting table (a row per village, a column per list, the total second) as {(list title, village): count},
    its totals under ("合计", village) and (list title, "合计"); a blank cell is 0."""
    headers, rows = meeting_table(markdown)
    assert headers[:2] == ["村社区", "待办合计"]
    found = {}
    for village, total, *counts in rows:
        found["合计", village] = int(total)
        found.update({(title, village): int(c or 0) for title, c in zip(headers[2:], counts)})
    return found


def test_the_meeting_table_counts_what_overdue_json_lists_per_village(every_list):
    path, view = every_list
    result = run("overdue", str(path), "--json")
    assert result.returncode == 0, text(result.stderr)
    lists = json.loads(text(result.stdout))["lists"]
    sheets = every_list_sheets()
    village_of = {row[0]: row[4] for row in sheets["患者"][1:]}
    village_of |= {row[0]: row[2] for row in sheets["帮扶小组"][1:]}
    villages = [row[0] for row in sheets["村社区"][1:]]
    expected: dict[tuple[str, str], int] = {}
    for key, items in lists.items():
        spec = BY_KEY[key]
        if spec.kind != "todo" or not items:  # registers and findings (past facts) are not to-dos
            continue
        for column in [*villages, "乡镇"]:
            expected[spec.title, column] = sum(
                column in item["villages"] if "villages" in item
                else column == "乡镇" if spec.subject == "township"
                else column == item["id"] if spec.subject == "village"
                else column == village_of[item["id"]] for item in items)
        expected[spec.title, "合计"] = len(items)
    for column in [*villages, "乡镇", "合计"]:
        expected["合计", column] = sum(n for (title, c), n in expected.items() if c == column and title != "合计")
    assert meeting_cells(home(view)) == expected
    assert expected["人户分离待通报", "禾苗村"] == expected["人户分离待通报", "溪口社区"] == 1  # both villages see it


def test_a_count_links_to_its_villages_list_section(every_list):
    _, view = every_list
    pages = {rel: p.markdown() for rel, p in render_pages(view)}
    assert '<a href="overdue/V01.html#followup_overdue">2</a>' in pages["index.md"]
    assert "## 随访逾期（2） {#followup_overdue}" in pages["overdue/V01.md"]


def test_home_counts_each_village_and_the_village_index_every_password_opens_holds_none(every_list):
    _, view = every_list
    pages = {rel: p.markdown() for rel, p in render_pages(view)}
    # 禾苗村: P001, P004, P006 at home, P003 in hospital, P005 missing (5 在册); P003 (3) and P004 (4) high;
    # to-dos as in the meeting table's 禾苗村 column; 本周应访 P004, P001, P006
    todo = meeting_cells(pages["index.md"])["合计", "禾苗村"]
    assert ('<td><a href="villages/V01.html">禾苗村</a></td><td>5</td><td>3</td><td>2</td>'
            f'<td>{todo}</td><td><a href="week/V01.html">3</a></td>') in bare(pages["index.md"])
    assert "在册 5 人（其中在家居住 3 人），高风险 2 人（按现住村社区计）。" in pages["villages/V01.md"]
    entry = re.sub(r"<[^>]+>", "", pages["villages/index.md"].split("\n---\n", 1)[1])
    assert not re.search(r"\d", entry)  # names and links only: no village's numbers


def test_the_group_index_counts_the_members_its_page_lists(every_list):
    _, view = every_list
    pages = {rel: p.markdown() for rel, p in render_pages(view)}
    for g in view.data.groups:
        notice = pages[f"groups/{g.group_id}.md"].split('<div class="jf-notice">', 1)[1].split("</div>", 1)[0]
        listed = notice.count("<p>")
        assert re.search(rf'>{g.group_id}</a></td>(<td>.*?</td>){{3}}<td>{listed}</td>', bare(pages["groups/index.md"]))
    assert "<th>成员数（含监护人）</th>" in bare(pages["groups/index.md"])
