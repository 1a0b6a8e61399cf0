"""Clerk-facing wording (issue 24 item 7): due dates that read right, no developer text on the clerk's pages."""

from __future__ import annotations

import re
from datetime import date, datetime

from generator.contract.patients import Assessment
from generator.contract.report import Report
from generator.present.pages import render_pages
from generator.present.views import build_view
from tests.markup import bare
from tests.test_print import A, dataset, patient


def dues_of(markdown: str) -> list[tuple[str, ...]]:
    """The rows of a record page's 事项 / 应办日期 / 状态 table, as text."""
    body = bare(markdown).split("<th>事项</th><th>应办日期</th><th>状态</th>", 1)[1].split("</table>", 1)[0]
    return [tuple(re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_a_record_says_never_done_since_enrolment_and_gives_no_date_to_what_does_not_apply():
    # P1: at home, risk 4 assessed 2025-05-01, never followed up, checked or seen face to face, enrolled 2024-01-01.
    # P2: in hospital: nothing applies. At A = 2025-06-30.
    data = dataset([patient("P1"), patient("P2", status="住院治疗")],
                   assessments=[Assessment(patient_id="P1", assessed=date(2025, 5, 1), risk=4)])
    pages = {rel: p.markdown() for rel, p in render_pages(build_view(data, Report(), A, datetime(2025, 7, 1)))}
    assert dues_of(pages["patients/P1.md"]) == [
        ("随访", "从未随访（纳入管理 2024-01-01）", "已逾期"),
        ("危险性评估", "2025-07-30", "未到期"),  # done once: its date (05-01 + the default 90 days for 不稳定)
        ("健康体检", "从未体检（纳入管理 2024-01-01）", "已逾期"),
        ("重点患者面访", "从未面访（纳入管理 2024-01-01）", "已逾期"),
    ]
    assert dues_of(pages["patients/P2.md"]) == [
        ("随访", "", "不适用"), ("危险性评估", "", "不适用"), ("健康体检", "", "不适用"), ("重点患者面访", "", "不适用")]


def site_pages(data) -> dict[str, str]:
    return {rel: p.markdown() for rel, p in render_pages(build_view(data, Report(), A, datetime(2025, 7, 1)))}


def test_placeholders_are_explained_in_words_on_a_page_of_their_own_not_on_the_print_page():
    pages = site_pages(dataset([patient("P1")]))
    index = bare(pages["agreements/index.md"])
    assert "{{" not in index and "&#123;&#123;" not in index and "占位符" not in index  # the clerk's page: no code
    assert '要改文书的文字（如协议条款、落款），见<a href="templates.html">文书模板说明</a>。' in index
    help_page = bare(pages["agreements/templates.md"])
    assert help_page.startswith("---\ntitle: 文书模板说明\n") and "# 文书模板说明" in help_page
    assert "<thead><tr><th>内容</th><th>在模板中写作</th></tr></thead>" in help_page
    assert "<tr><td>患者姓名</td><td><code>&#123;&#123; patient.name &#125;&#125;</code></td></tr>" in help_page
    assert ("<tr><td>监护人与患者的关系，照台账所填，如 父亲、父母、配偶</td>"
            "<td><code>&#123;&#123; guardian.relation &#125;&#125;</code></td></tr>") in help_page


def test_print_by_patient_lists_names_by_village_not_a_wall_of_codes():
    data = dataset([patient("P1"), patient("P2", status="死亡", died=date(2025, 1, 1)), patient("P3")])
    index = bare(site_pages(data)["agreements/index.md"])
    section = index.split("## 按患者打印", 1)[1].split("## 修改文书内容", 1)[0]
    assert ("<tbody><tr><td>甲村</td><td><a href=\"../patients/P1.html\">试P1</a>、"
            "<a href=\"../patients/P3.html\">试P3</a></td></tr></tbody>") in section  # the dead P2 needs nothing
    assert ">P1<" not in section


def test_lists_explain_themselves_without_field_names():
    pages = site_pages(dataset([patient("P1", home_village="乙村")]))
    for rel in ("overdue/cross_village.md", "overdue/index.md"):
        assert "条目另带" not in pages[rel] and "villages：" not in pages[rel], rel
    assert "户籍村社区与现住村社区不同、还没有“人户分离通报”记录的患者；现住和户籍两个村社区的页面都显示。" in pages["overdue/cross_village.md"]


def test_a_damaged_file_is_explained_in_chinese_without_the_librarys_class_name(tmp_path):
    import zipfile

    from tests.commands import run, text

    book = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(book, "w") as z:  # a zip, but not a workbook: calamine refuses it with a CalamineError
        z.writestr("hello.txt", "hi")
    checked = run("check", str(book))
    assert checked.returncode == 2 and text(checked.stderr) == (
        "错误：“台账.xlsx”无法作为 Excel 工作簿打开，文件可能已损坏。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再试。\n")
    imported = run("import", str(book), "--out", str(tmp_path / "新.xlsx"))
    assert imported.returncode == 2 and text(imported.stderr) == (
        "错误：“台账.xlsx”无法作为表格打开，文件可能已损坏，或不是表格文件。\n")
    assert "Error" not in text(checked.stderr) + text(imported.stderr)


def test_a_list_says_never_done_since_enrolment_in_its_date_column_and_the_json_keeps_the_due_date():
    data = dataset([patient("P1")], assessments=[Assessment(patient_id="P1", assessed=date(2025, 5, 1), risk=4)])
    view = build_view(data, Report(), A, datetime(2025, 7, 1))
    listed = bare({rel: p.markdown() for rel, p in render_pages(view)}["overdue/high_risk_visit_overdue.md"])
    assert "<td>在家居住</td><td>从未面访（纳入管理 2024-01-01）</td><td></td>" in listed
    (item,) = view.lists["high_risk_visit_overdue"]
    assert item.to_json() == {"id": "P1", "due": item.due.isoformat(), "days_overdue": (A - item.due).days}
