"""The built site in a real headless Chromium: follow links as a clerk would, filter the roster, print."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.browsing import decrypted, follow, unlock, visit
from tests.commands import PASSWORD, assert_no_leaks, run, text


def only_local(requests: list[str]) -> bool:
    return all(url.startswith(("file://", "data:", "http://127.0.0.1")) for url in requests)


def test_home_to_overdue_list_to_patient_to_group(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    assert page.title().startswith("首页")
    unlock(page, PASSWORD)
    follow(page, page.get_by_role("link", name="随访逾期").first)
    assert page.title().startswith("待办清单 · 随访逾期")
    assert page.locator("h2").first.inner_text().startswith("禾苗村")
    rows = page.locator("table.jf-table tbody tr")
    assert rows.count() == 2 and rows.nth(0).locator("td").nth(4).inner_text() == "11"
    follow(page, rows.nth(0).get_by_role("link", name="P001"))
    assert page.title().startswith("患者档案 P001")
    assert page.get_by_text("甘望舒").first.is_visible()
    assert "逾期 11 天" in page.locator("table").nth(2).inner_text()
    follow(page, page.get_by_role("link", name="G01").first)
    assert page.title().startswith("帮扶小组 G01")
    assert "禾苗村关爱帮扶小组" in page.content()
    assert only_local(page.requests)


def test_roster_filter_narrows_rows_as_you_type(encrypted, page):
    page.goto((encrypted / "roster" / "index.html").as_uri())
    unlock(page, PASSWORD)
    rows = page.locator("table.jf-table tbody tr")
    total = rows.count()
    assert total == 7
    box = page.locator("input.jf-filter")
    box.fill("柏清")
    assert page.locator("table.jf-table tbody tr:not([hidden])").count() == 4
    box.fill("柏清 溪口")  # every word must match: name and village
    assert page.locator("table.jf-table tbody tr:not([hidden])").count() == 1
    box.fill("0250")  # the tail of P001's ID number, which the roster does not show
    visible = page.locator("table.jf-table tbody tr:not([hidden])")
    assert visible.count() == 1 and visible.first.locator("td").first.inner_text() == "P001"
    box.fill("")
    assert page.locator("table.jf-table tbody tr:not([hidden])").count() == total
    assert page.locator(".jf-count").inner_text() == f"共 {total} 行"


def test_roster_columns_sort(encrypted, page):
    page.goto((encrypted / "roster" / "index.html").as_uri())
    unlock(page, PASSWORD)
    header = page.locator("table.jf-table thead th", has_text="编号")
    header.click()
    header.click()  # descending
    first = page.locator("table.jf-table tbody tr").first.locator("td").first.inner_text()
    assert first == "P007"


def test_agreement_prints_each_document_on_its_own_a4_page(encrypted, page, tmp_path):
    page.goto((encrypted / "patients" / "P004.html").as_uri())
    unlock(page, PASSWORD)
    assert page.locator("details.jf-documents").count() == 1
    page.evaluate("document.querySelector('details.jf-documents').open = true;"
                  "document.body.classList.add('jf-print-documents')")  # what the print button does before printing
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-tabs").is_visible()
    assert not page.get_by_role("heading", name="基本信息").is_visible()  # the record itself is left out
    pdf = tmp_path / "协议.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())
    # 监护协议, 以奖代补协议, 免费服药告知书 and (P004 is high-risk at home) 联合随访记录单: one A4 page each
    assert page.locator("details.jf-documents section.jf-doc").count() == 4 and len(pages) == 4


def test_village_batch_prints_those_to_sign_or_with_print_all_everyone_one_page_each(encrypted, page, tmp_path):
    page.goto((encrypted / "agreements" / "V01-reward.html").as_uri())  # 2 of 3 to sign, 1 in force
    unlock(page, PASSWORD)
    page.emulate_media(media="print")
    count = page.locator("section.jf-doc").count()
    to_sign = page.locator("section.jf-doc:not(.jf-in-force)").count()

    def printed_pages(name: str) -> int:
        pdf = tmp_path / name
        page.pdf(path=str(pdf), format="A4")
        return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))

    assert count == 3 and 1 <= to_sign < count and printed_pages("需签.pdf") == to_sign
    page.evaluate("document.body.classList.add('jf-print-all')")  # what 打印全部 does before printing
    assert printed_pages("全部.pdf") == count


def test_group_notice_and_joint_visit_form_print_on_a4(encrypted, page, tmp_path):
    page.goto((encrypted / "agreements" / "V01-joint_visit.html").as_uri())
    unlock(page, PASSWORD)
    page.emulate_media(media="print")
    forms = page.locator("section.jf-doc")
    assert forms.count() >= 1 and "联合随访记录单" in forms.first.inner_text()
    pdf = tmp_path / "联合随访记录单.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == forms.count()  # one page each
    visit(page, (encrypted / "groups" / "G01.html").as_uri())
    decrypted(page)
    notice = page.locator("details.jf-documents section.jf-doc")
    assert notice.count() == 1 and "关于成立禾苗村关爱帮扶小组的通知" in notice.text_content()
    assert "13900000001" in notice.text_content()  # staff phones in full: it is the group's own notice


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-site") / "site"
    workbook = Path(__file__).resolve().parent.parent / "workbook" / "示例台账.xlsx"
    result = run("build", str(workbook), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(workbook, out)
    return out


def test_sample_site_dashboard_to_overdue_patient_and_group(sample_site, page, tmp_path):
    page.goto((sample_site / "index.html").as_uri())
    unlock(page, PASSWORD)
    assert "数据截至 2026-09-30" in page.locator("article").inner_text()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    follow(page, page.locator(".md-tabs").get_by_role("link", name="待办清单"))
    follow(page, page.get_by_role("link", name="随访逾期"))
    first = page.locator("table.jf-table tbody tr").first
    code = first.locator("td").first.inner_text()
    days = int(first.locator("td").nth(4).inner_text())
    assert re.fullmatch(r"P\d{3}", code) and days > 0
    first.get_by_role("link", name=code).click()
    decrypted(page)
    assert page.title().startswith(f"患者档案 {code}")
    assert f"逾期 {days} 天" in page.locator("article").inner_text()
    group = page.locator("article a[href*='groups/']").first
    gid = group.inner_text()
    group.click()
    decrypted(page)
    assert page.title().startswith(f"帮扶小组 {gid}") and code in page.locator("article").inner_text()
    assert all(url.startswith("file://") for url in page.requests)


def test_register_and_department_pages_are_one_click_from_home(encrypted, page):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    follow(page, page.get_by_role("link", name="高风险患者底册"))
    assert page.title().startswith("底册台账 · 高风险患者底册")
    assert page.locator("th", has_text="末次面访").count() == 1
    for title, heading in (("派出所", "高风险患者底册"), ("卫生院（精防医生）", "近期应随访"), ("民政办、残联", "低保、特困、低收入患者")):
        visit(page, (encrypted / "index.html").as_uri())
        decrypted(page)
        follow(page, page.locator("article").get_by_role("link", name=title, exact=True))
        assert page.title().startswith(f"部门 · {title}")
        assert page.get_by_role("heading", name=heading).count() >= 1, title


def test_roll_call_sheets_print_a_week_per_a4_page(encrypted, page, tmp_path):
    sheets = sorted((encrypted / "agreements").glob("*-rollcall*.html"))
    assert sheets, "the every-list workbook has a sensitive period with patients in scope"
    page.goto(sheets[0].as_uri())
    unlock(page, PASSWORD)
    page.emulate_media(media="print")
    docs = page.locator("section.jf-doc")
    assert "每日点名表" in docs.first.inner_text()
    assert all(docs.nth(i).locator("tr").first.locator("th").count() <= 3 + 7 for i in range(docs.count()))
    pdf = tmp_path / "点名表.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == docs.count()


def test_monthly_report_prints_each_departments_copy_from_a_new_a4_page(encrypted, page, tmp_path):
    page.goto((encrypted / "index.html").as_uri())
    unlock(page, PASSWORD)
    follow(page, page.locator(".md-tabs").get_by_role("link", name="部门"))
    follow(page, page.locator("article").get_by_role("link", name="信息交换通报").first)
    copies = page.locator("section.jf-doc")
    assert copies.count() == 3
    assert [copies.nth(i).locator("p").nth(1).inner_text() for i in range(3)] == ["派出所：", "卫生院（精防医生）：", "民政办、残联："]
    page.emulate_media(media="print")
    pdf = tmp_path / "通报.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = pdf_pages(pdf)
    # a copy starts where its title (which may wrap; the stale-data banner never prints) is at the top of a page
    starts = [k for k, words in enumerate(pages) if "信息交换通报" in "".join("".join(words.split("\n")[:6]).split())]
    assert len(starts) == 3 and starts[0] == 0, pages  # every copy begins at the top of a page
    assert all("接收人（签字）" in pages[(starts + [len(pages)])[i + 1] - 1] for i in range(3))


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext; form feed between pages)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8").split("\f")[:-1]
