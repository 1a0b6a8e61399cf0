"""``build --compare FILE[=来源]`` through the real CLI: the township-only 信息比对 page (decrypted here with each
password), the monthly report's counts per source, the leak gate over OTHER's people, the roster files only read,
a changed roster rebuilding, and a roster that cannot be read stopping the build before anything is written."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.browsing import unlock
from tests.commands import run, text
from tests.rosters import write_roster_xlsx
from tests.test_compare import HEADERS, ROWS, workbook_sheets
from tests.test_hardening3_places import ACCESS, TOWNSHIP_PASSWORD, VILLAGE_PASSWORD, opened_by
from tests.workbooks import ID_1, ID_2, ID_3, make_id, write_sheets

HEALTH_HEADERS = ["姓名", "身份证号", "性别", "村", "危险性", "管理状态"]
STRANGER = make_id("110109", date(1991, 9, 9), 6, male=True)
HEALTH_ROWS = [  # the header is row 1: these are rows 2…6
    ["甘望舒", ID_1, "男", "禾苗村", "1", "在家"],  # P001, all the same
    ["简雨桐", ID_2, "女", "溪口社区", "", "在家"],  # P002, all the same
    ["车怀瑾", ID_3, "男", "禾苗村", "", "住院"],  # P003's ID …
    ["岳临风", STRANGER, "男", "溪口社区", "", "在家"],  # nobody in the workbook
    ["车怀谨", ID_3, "男", "禾苗村", "", "住院"],  # … again: rows 4 and 6 are duplicates
]
ONLY_IN_LISTS = ["路遥远", "岳临风", "车怀谨"]  # names the workbook does not have: the gate must know them too
POLICE_LINE = ("与公安库比对：一致 0 人，不一致 6 处（姓名 1 处、现住村社区 1 处、死亡 1 处、迁出 1 处、危险性 1 处、"
               "监护人电话 1 处），仅台账有 1 人，仅公安库有 1 人")
HEALTH_LINE = "与卫健库比对：一致 2 人，不一致 0 处，仅台账有 1 人，仅卫健库有 1 人，卫健库中身份证号重复 1 组（未参与比对）"
COMPARED_ON = re.compile(r"信息比对（(\d{4}-\d{2}-\d{2}) 生成本通报时与各名单比对的结果）：")


def report_line(shown: str) -> str:
    """The report's 信息比对 line, dated with the day the command compared (the CLI's clock: today, or yesterday
    when the run crossed midnight), which the line names since the lists carry no date of their own."""
    day = COMPARED_ON.search(shown).group(1)
    assert date.fromisoformat(day) in (date.today(), date.today() - timedelta(days=1))
    return f"信息比对（{day} 生成本通报时与各名单比对的结果）：{POLICE_LINE}；{HEALTH_LINE}。请有关部门核实后更正各自的记录。"


def table_rows(html: str) -> list[tuple[str, ...]]:
    """Every table row of a page, each cell's text without its tags."""
    return [tuple(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row))
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


def write_health_csv(path: Path) -> Path:
    """卫健库's export as a GBK .csv, with a 合计 row under the table."""
    with open(path, "w", encoding="gbk", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEALTH_HEADERS)
        writer.writerows(HEALTH_ROWS)
        writer.writerow(["合计", "5人"])  # row 7: not a person
    return path


def inputs(folder: Path) -> tuple[Path, Path, Path]:
    workbook = write_sheets(folder / "台账.xlsx", workbook_sheets())
    police = write_roster_xlsx(folder / "公安库名单.xlsx", HEADERS, ROWS, title="公安库导出名单")
    return workbook, police, write_health_csv(folder / "卫健库.csv")


def build(workbook: Path, site: Path, *extra: str, password: str | None = "Test-Only-Pass-2025"):
    return run("build", str(workbook), "--out", str(site), "--as-of", "2025-06-30", *extra, password=password)


@pytest.fixture(scope="module")
def leveled(tmp_path_factory) -> tuple[Path, dict[str, bytes], object]:
    """The site with a township and a village password, built with both lists; the lists' bytes before."""
    folder = tmp_path_factory.mktemp("compare")
    workbook, police, health = inputs(folder)
    before = {p.name: p.read_bytes() for p in (workbook, police, health)}
    access = folder / "权限.yaml"
    access.write_text(ACCESS, encoding="utf-8")
    result = build(workbook, folder / "site", "--access", str(access), "--compare", f"{police}=公安库",
                   "--compare", f"{health}=卫健库", password=None)
    return folder, before, result


def test_build_compare_page_holds_every_planted_difference_for_the_township(leveled):
    folder, before, result = leveled
    assert result.returncode == 0, text(result.stderr)  # the build's own leak gate passed, OTHER's names included
    assert "读取比对名单 公安库名单.xlsx（公安库）……" in text(result.stderr)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before  # only read
    opened = opened_by(folder / "site", TOWNSHIP_PASSWORD)
    html = opened["compare.html"]
    rows = table_rows(html)
    assert "1. 与公安库比对：公安库名单.xlsx" in html and "2. 与卫健库比对：卫健库.csv" in html
    assert "工作表“名单”，表头在第 2 行，读到 4 行人员。" in html
    assert "CSV 文件，表头在第 1 行，读到 5 行人员（跳过合计行 1 行）。" in html  # a .csv has no sheets
    assert text(result.stdout).splitlines()[1:] == [POLICE_LINE, HEALTH_LINE]  # the counts in the terminal too
    for planted in (("P001", "甘望舒", "3", "姓名", "甘望舒", "甘望书", "身份证号"),
                    ("P001", "甘望舒", "3", "危险性", "1", "3", "身份证号"),
                    ("P002", "简雨桐", "4", "现住村社区", "溪口社区", "禾苗村", "按姓名匹配"),
                    ("P002", "简雨桐", "4", "死亡", "在家居住", "死亡", "按姓名匹配"),
                    ("P002", "简雨桐", "4", "监护人电话", "13900000012", "13900000099", "按姓名匹配"),
                    ("P003", "车怀瑾", "5", "迁出", "住院治疗", "迁出", "按姓名匹配"),
                    ("P002", "简雨桐", "4"), ("P003", "车怀瑾", "5"),  # 按姓名匹配
                    ("P004", "苗清和", "溪口社区", "迁出"),  # only in the workbook (both lists)
                    ("6", "路遥远"), ("5", "岳临风"),  # only in the list, named as the list has them
                    ("4", "车怀瑾", "名单第 4 行和第 6 行的身份证号相同，均未参与匹配（台账中是 P003，这位患者也未参与比对）"),
                    ("6", "车怀谨", "名单第 4 行和第 6 行的身份证号相同，均未参与匹配（台账中是 P003，这位患者也未参与比对）"),
                    ("两边都有", "3 人"), ("不一致：姓名", "1 处"), ("两边都有", "2 人"), ("完全一致", "2 人"),
                    ("身份证号重复（未参与比对）", "1 组 2 行"), ("不一致（合计）", "0 处")):
        assert planted in rows, planted
    assert rows.count(("P004", "苗清和", "溪口社区", "迁出")) == 2
    assert '<a href="patients/P004.html">苗清和</a>' in html


def test_the_page_is_the_townships_only_and_names_stay_encrypted(leveled):
    folder, _, _ = leveled
    site = folder / "site"
    opened = opened_by(site, VILLAGE_PASSWORD)
    assert "villages/V01.html" in opened and "compare.html" not in opened
    assert not [rel for rel, body in opened.items() if any(name in body for name in ONLY_IN_LISTS)]
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [n for n in ONLY_IN_LISTS if n.encode() in data], path
    title = re.search(r"<title>([^<]*)</title>", (site / "compare.html").read_text(encoding="utf-8")).group(1)
    assert title.startswith("信息比对")


def test_the_monthly_report_counts_the_differences_per_source(leveled):
    folder, _, _ = leveled
    opened = opened_by(folder / "site", TOWNSHIP_PASSWORD)
    line = report_line(opened["departments/monthly.html"])
    for rel in ("departments/monthly.html", "departments/police-monthly.html", "departments/health-monthly.html"):
        assert line in opened[rel], rel
    assert opened["departments/monthly.html"].count(line) == 3  # one per department's copy


def test_without_compare_the_page_says_how_and_the_report_has_no_line(tmp_path):
    workbook, _, _ = inputs(tmp_path)
    result = build(workbook, tmp_path / "site", "--insecure-no-password")
    assert result.returncode == 0, text(result.stderr)
    page = (tmp_path / "site" / "compare.html").read_text(encoding="utf-8")
    assert "这次生成网站时没有给出要比对的名单" in page
    assert "jingfang build 台账.xlsx --compare 卫健库导出.xlsx=卫健库 --compare 公安库名单.xls=公安库" in page
    assert "信息比对（" not in (tmp_path / "site" / "departments" / "monthly.html").read_text(encoding="utf-8")


def test_a_changed_list_or_source_rebuilds_an_unchanged_one_does_not(tmp_path):
    workbook, police, _ = inputs(tmp_path)
    site = tmp_path / "site"
    assert build(workbook, site, "--compare", str(police)).returncode == 0
    again = build(workbook, site, "--compare", str(police))
    assert "网站已是最新" in text(again.stdout)
    assert "网站已生成" in text(build(workbook, site, "--compare", f"{police}=公安库").stdout)
    write_roster_xlsx(police, HEADERS, ROWS[:2], title="公安库导出名单")
    assert "网站已生成" in text(build(workbook, site, "--compare", f"{police}=公安库").stdout)
    assert "网站已生成" in text(build(workbook, site).stdout)  # dropping --compare is a change too


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def two_header_rows(path: Path) -> Path:
    return write_roster_xlsx(path, ["姓名", "性别", "身份证号", "监护人", None, None],
                             [[None, None, None, "姓名", "关系", "联系电话"], ["甘望舒", "男", ID_1, "甘秋禾", "父亲", None]])


def test_a_list_that_cannot_be_read_stops_the_build_before_anything_is_written(tmp_path):
    workbook, police, _ = inputs(tmp_path)
    site = tmp_path / "site"
    assert build(workbook, site).returncode == 0
    before = snapshot(site)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    kept = "（原来的网站保持不变）"
    for args, message in (
        ([str(broken)], f"“坏.xlsx”不是有效的 .xlsx 表格文件，文件可能已损坏，请确认选对了文件。{kept}"),
        ([str(two_header_rows(tmp_path / "两行表头.xlsx"))],
         "“两行表头.xlsx”的第 1 行和第 2 行都像表头，无法确定以哪一行为准。请把表头合并成一行（例如“监护人”下面分出的"
         f"“姓名”“联系电话”写成“监护人姓名”“监护人电话”），删除另一行后再试。{kept}"),
        ([str(tmp_path / "没有.xlsx")], f"找不到文件“{tmp_path / '没有.xlsx'}”，请检查名单文件的路径和文件名。{kept}"),
        ([str(site / "quality.html")], f"网站文件夹“{site}”里有名单文件“quality.html”，生成网站会替换整个文件夹，所以没有生成。"
                                       "请先把名单文件移到网站文件夹外面。"),
    ):
        result = build(workbook, site, "--compare", f"{police}=公安库", "--compare", *args)
        assert (result.returncode, text(result.stderr).splitlines()[-1]) == (1, f"错误：{message}")
        assert snapshot(site) == before


def test_an_unknown_source_is_a_usage_error(tmp_path):
    workbook, police, _ = inputs(tmp_path)
    result = build(workbook, tmp_path / "site", "--compare", f"{police}=卫生院")
    assert result.returncode == 2 and not (tmp_path / "site").exists()
    assert "来源“卫生院”不认识：请写 卫健库、公安库、民政、残联、其他 之一，如 --compare 卫健库名单.xlsx=卫健库。" in text(result.stderr)


def test_the_browser_opens_the_page_with_the_township_password_only(leveled, page):
    folder, _, _ = leveled
    page.goto((folder / "site" / "compare.html").as_uri())
    page.fill("#mkdocs-content-password", VILLAGE_PASSWORD)
    page.click("#mkdocs-decrypt-button")
    # a village password opens what it may open (its village page, issue 24), never the comparison
    page.wait_for_url((folder / "site" / "villages" / "V01.html").as_uri())
    assert page.inner_text(".jf-opened").startswith("这是") and "路遥远" not in page.content()
    page.goto((folder / "site" / "compare.html").as_uri())
    assert page.locator("#mkdocs-content-password").is_visible() and "路遥远" not in page.content()
    unlock(page, TOWNSHIP_PASSWORD)
    article = page.locator("article").inner_text()
    assert "与公安库比对：公安库名单.xlsx" in article and "路遥远" in article and "甘望书" in article
    page.screenshot(path=str(folder / "compare.png"), full_page=True)


PHONE = {"width": 390, "height": 844}
LABELS = """() => Array.from(document.querySelectorAll("article table.jf-table:not(.jf-flat) td"))
  .filter(td => td.offsetParent !== null).map(td => getComputedStyle(td, "::before").content)"""


def test_on_a_phone_a_difference_card_shows_the_field_and_both_values_under_short_labels(leveled, browser):
    """At 390 px every table is a card list: a 不一致 card shows 项目, 台账 and 名单 before the fold (not only the code
    and name), and every label fits its 6.2em box (a label of 7 characters was cut)."""
    folder, _, _ = leveled
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    try:
        page = context.new_page()
        page.goto((folder / "site" / "compare.html").as_uri())
        unlock(page, TOWNSHIP_PASSWORD)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        differences = page.locator("article table.jf-table", has=page.locator("th", has_text="匹配方式")).first
        card = differences.locator("tbody tr").first
        shown = {td.get_attribute("data-label"): td.inner_text()
                 for td in card.locator("td").all() if td.is_visible()}
        assert shown == {"患者编号": "P001", "姓名": "甘望舒", "项目": "姓名", "台账": "甘望舒", "名单": "甘望书"}
        card.locator('td[data-label="姓名"]').click()  # the rest unfolds on a tap
        assert card.locator('td[data-label="匹配方式"]').inner_text() == "身份证号"
        labels = page.evaluate(LABELS)
        assert labels and max(len(label.strip('"')) for label in labels) <= 5, sorted(set(labels))
        assert '"名单姓名"' in labels
        page.screenshot(path=str(folder / "compare-phone.png"), full_page=True)
    finally:
        context.close()


def test_documents_compare_puts_the_same_line_in_the_word_report_and_none_without(tmp_path):
    """``documents --compare`` (as build's): the Word report carries the same line per source as the site's; without
    it the report has no 信息比对 paragraph at all (not an empty one where it would be); the lists only read."""
    from tests.test_documents import paragraphs

    workbook, police, health = inputs(tmp_path)
    before = {path: path.read_bytes() for path in (workbook, police, health)}
    common = ("documents", str(workbook), "--kind", "月度信息交换通报", "--as-of", "2025-06-30")
    result = run(*common, "--out", str(tmp_path / "out"), "--compare", f"{police}=公安库", "--compare", f"{health}=卫健库",
                 password=None)
    assert result.returncode == 0, text(result.stderr)
    texts = paragraphs(tmp_path / "out" / "2025年5月-月度信息交换通报.docx")
    line = report_line("\n".join(texts))
    assert texts.count(line) == 3  # one copy per department
    assert {path: path.read_bytes() for path in before} == before
    assert run(*common, "--out", str(tmp_path / "none"), password=None).returncode == 0
    plain = paragraphs(tmp_path / "none" / "2025年5月-月度信息交换通报.docx")
    assert not [t for t in plain if "信息比对" in t]
    overview = [i for i, t in enumerate(plain) if t.startswith("本月概况：")]
    assert len(overview) == 3 and all(plain[i + 1] for i in overview)  # the next paragraph is the first section's
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    refused = run(*common, "--out", str(tmp_path / "never"), "--compare", str(broken), password=None)
    assert refused.returncode == 2 and not (tmp_path / "never").exists(), text(refused.stderr)
