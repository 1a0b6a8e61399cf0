"""Word documents as LibreOffice lays them out (Writer's PDF, read a page at a time with pdftotext), and the Chinese
settings Word and WPS read: signatures kept with their text, rows never split, headers repeated, zh-CN and 仿宋/黑体.

The page counts are measured with the fonts dev.py installs (fonts-noto-cjk: Noto CJK stands in for 仿宋 and 黑体,
DejaVu for Latin letters); lines are a fixed distance apart, so the vertical layout does not depend on the font.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm, Pt

from generator.present.word_layout import column_widths, fit_tables, measure
from generator.present.word_templates import FOLDER, TEMPLATES
from tests.commands import run, text
from tests.workbooks import every_list_sheets, make_id, write_sheets

SURNAMES, GIVEN = "祁戚郗蔺宓阙缪裘", "望川若禾"  # synthetic names: surname + two given characters
LONG_ACTION = "村医和民警到场劝导，联系监护人加强看护，次日由精防医生上门复访并重新评估危险性"
NOTICE, MONTHLY, BATCH = "禾苗村-成立关爱帮扶小组的通知", "2025年5月-月度信息交换通报", "禾苗村-监护协议"
# measured with LibreOffice (Writer 7.x, fonts-noto-cjk) on the workbook below, and looked at (pdftoppm)
PAGES = {NOTICE: 2, MONTHLY: 9, BATCH: 4}


def layout_sheets(guardians: int = 1, events: int = 10) -> dict:
    """every_list_sheets() with 禾苗村's group grown by three staff and a patient: a notice whose signature block fell
    alone onto a second page; and ten May events with a long 处置 (rows five lines tall, a table across pages)."""
    s = every_list_sheets()
    for k, (role, unit) in enumerate([("民政干部", "民政办"), ("康复协调员", "残联"), ("网格员", "禾苗村")]):
        name = f"{SURNAMES[k]}{GIVEN[k]}{GIVEN[k + 1]}"
        s["人员"].append([name, unit, role, f"139000001{k:02d}"])
        s["小组成员"].append(["G01", name, role])
    header = s["患者"][0]
    names = [f"{a}{b}{c}" for a in SURNAMES for b in GIVEN for c in "明远"][:guardians * 2]
    for k in range(guardians):
        cells = {"患者编号": f"P{101 + k}", "姓名": names[2 * k], "性别": "男" if k % 2 else "女",
                 "身份证号": make_id("110101", date(1960 + k, 3, 4), 20 + k, k % 2 == 1), "现住村社区": "禾苗村",
                 "现住址": f"禾苗村{k % 5 + 1}组{k + 1}号", "诊断": "精神分裂症", "纳入管理日期": datetime(2024, 2, 1),
                 "在管状态": "在家居住", "帮扶小组编号": "G01", "监护人": names[2 * k + 1], "监护人关系": "配偶",
                 "监护人电话": f"1390000{2000 + k}"}
        s["患者"].append([cells.get(h) for h in header])
    for k in range(events):
        s["事件记录"].append([f"P{101 + k % guardians}", datetime(2025, 5, 1 + k % 28), "轻微滋事", 1, LONG_ACTION, "是", None])
    return s


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text (pdftotext in content order), without spaces or line breaks: a wrapped cell reads whole."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))
    return [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", "-f", str(k), "-l", str(k), str(pdf), "-"],
                                               capture_output=True, text=True, check=True).stdout)
            for k in range(1, count + 1)]


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    """The notice, the monthly report and a village's batch of agreements, as .docx and as LibreOffice's PDFs."""
    assert shutil.which("soffice") and shutil.which("pdftotext"), "dev.py installs LibreOffice and poppler-utils"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in fonts, "the page counts are measured with fonts-noto-cjk (dev.py installs it)"
    folder = tmp_path_factory.mktemp("layout")
    book = write_sheets(folder / "台账.xlsx", layout_sheets())
    out = folder / "文书"
    result = run("documents", str(book), "--out", str(out), "--all", "--kind", "成立关爱帮扶小组的通知",
                 "--kind", "月度信息交换通报", "--kind", "监护协议", "--village", "禾苗村")
    assert result.returncode == 0, text(result.stderr)
    result = run("documents", str(book), "--out", str(out), "--kind", "月度信息交换通报")
    assert result.returncode == 0, text(result.stderr)
    sources = [out / f"{name}.docx" for name in PAGES]
    # a private profile: parallel runs of LibreOffice would otherwise share (and lock) one
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder / "pdf"), *map(str, sources)], capture_output=True, timeout=300, check=True)
    return out, {name: pdf_pages(folder / "pdf" / f"{name}.pdf") for name in PAGES}


def page_of(pages: list[str], needle: str, start: int = 0) -> int:
    """The first page (from start) holding needle whole."""
    return next(k for k in range(start, len(pages)) if squeeze(needle) in pages[k])


def test_page_counts_as_measured(rendered):
    _, pdfs = rendered
    assert {name: len(pages) for name, pages in pdfs.items()} == PAGES


def test_the_notices_signature_stays_with_the_text_before_it(rendered):
    _, pdfs = rendered
    pages = pdfs[NOTICE]
    last = "4．救治救助与联合处置：帮助申请救助和以奖代补政策；发生肇事肇祸行为时及时报警、先期处置，并报告乡（镇）综合管理小组。"
    assert page_of(pages, last) == page_of(pages, "测试镇人民政府______年____月____日") == 1
    assert page_of(pages, "三、工作制度") == 0  # what was kept together moved, no more


def test_each_agreement_of_a_batch_is_one_page_with_its_signatures(rendered):
    _, pdfs = rendered
    pages = pdfs[BATCH]
    for k, page in enumerate(pages):
        assert page.startswith("严重精神障碍患者监护协议"), k
        assert squeeze("乙方疏于履行监护职责") in page and squeeze("甲方（盖章）：") in page and page.count("日期：") == 2, k


def test_the_monthly_reports_rows_never_split_and_headers_repeat(rendered):
    out, pdfs = rendered
    pages = pdfs[MONTHLY]
    doc = Document(str(out / f"{MONTHLY}.docx"))
    events = [t for t in doc.tables if t.rows[0].cells[-1].text == "处置"]
    assert len(events) == 3  # a copy per department (派出所, 卫生院, 民政办), each with the events
    start = 0
    for table in events:
        header = "".join(c.text for c in table.rows[0].cells)
        first = page_of(pages, "".join(c.text for c in table.rows[1].cells), start)
        seen = {first}
        for row in table.rows[1:]:
            cells = "".join(c.text for c in row.cells)  # every cell of the row whole, one after another, on one page
            page = page_of(pages, cells, start)
            seen.add(page)
            start = page
        assert len(table.rows) == 11 and len(seen) == 2  # the ten events run onto a second page
        assert all(squeeze(header) in pages[p] for p in seen)  # the header row again at the top of the next
    assert page_of(pages, "本通报含患者个人信息，仅限派出所内部工作使用") == page_of(pages, "接收人（签字）：")
    words = "".join(pages)
    assert squeeze(LONG_ACTION) in words and "已报告派出所" in words


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


@pytest.mark.parametrize("title", TEMPLATES)
def test_every_template_is_chinese(title):
    xml = parts(FOLDER / f"{title}.docx")
    everything = "".join(xml.values())
    assert "ja-JP" not in everything and 'script="Jpan"' not in everything and "ＭＳ" not in everything
    langs = re.findall(r"<w:lang [^>]*>", xml["word/styles.xml"])
    assert langs == ['<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>']  # Latin en-US, as Chinese Word has it
    assert '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>' in xml["word/settings.xml"]
    theme = xml["word/theme/theme1.xml"]
    assert '<a:ea typeface="黑体"/>' in theme and '<a:ea typeface="仿宋"/>' in theme
    assert '<a:font script="Hans" typeface="黑体"/>' in theme and '<a:font script="Hans" typeface="仿宋"/>' in theme
    fonts = xml["word/fontTable.xml"]
    for name, alt in (("仿宋", "FangSong"), ("黑体", "SimHei")):
        assert re.search(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>.*?<w:charset w:val="86"/>', fonts)
    assert re.search(r'<w:style w:type="paragraph" w:default="1" w:styleId="Normal">.*?<w:rFonts w:ascii="仿宋" '
                     r'w:hAnsi="仿宋" w:eastAsia="仿宋" w:hint="eastAsia"/>', xml["word/styles.xml"])


def test_rows_never_split_and_only_repeating_tables_repeat_a_header():
    for title in TEMPLATES:
        body = parts(FOLDER / f"{title}.docx")["word/document.xml"]
        rows, headers = body.count("<w:tr>") + body.count("<w:tr "), body.count("<w:tblHeader/>")
        assert body.count("<w:cantSplit/>") == rows, title
        assert headers == (1 if title in ("成立关爱帮扶小组的通知", "敏感时期点名表", "月度信息交换通报") else 0), title
        assert 'w:sz="18"' not in body, title  # no 小五 (9 pt) anywhere: tables are 五号
        assert '<w:sz w:val="21"/>' in body or "<w:tbl>" not in body, title


def test_the_rendered_documents_keep_header_and_unsplit_rows(rendered):
    out, _ = rendered
    for name in (NOTICE, MONTHLY):
        body = parts(out / f"{name}.docx")["word/document.xml"]
        assert body.count("<w:cantSplit/>") == body.count("<w:tr>") + body.count("<w:tr ") >= 10
        assert body.count("<w:tblHeader/>") == body.count("<w:tbl>")


def test_the_notices_columns_fit_their_words(rendered):
    """Autofit tables store widths fitted to their words (LibreOffice and WPS use them): the notice's table fills the
    156 mm between the margins (8845 twips) and no cell's text needs a second line."""
    out, _ = rendered
    body = parts(out / f"{NOTICE}.docx")["word/document.xml"]
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', body)]
    assert len(grid) == 4 and sum(grid) == 8845
    for row in Document(str(out / f"{NOTICE}.docx")).tables[0].rows:
        for width, cell in zip(grid, row.cells):
            assert 2 * 57 + measure(cell.text)[0] * 210 <= width, cell.text


def test_column_widths_by_hand():
    """The automatic table layout, worked by hand (ems of 10.5 pt: 210 twips)."""
    assert measure("门诊") == (2.0, 2.0)
    assert measure("已报告派出所") == (6.0, 3.0)  # broken in halves if it must
    assert measure("2026-08-17") == pytest.approx((6.5, 6.5))  # a date never breaks
    assert measure("村干部、网格员到场劝导") == (11.0, 4.0)
    assert column_widths([1000, 2000], [500, 500], 6000) == [2000, 4000]  # room: natural widths, scaled up
    assert column_widths([1000, 5000], [800, 1000], 3000) == [857, 2143]  # least each, the rest by what more it wants
    assert column_widths([1000, 5000], [2000, 4000], 3000) == [1000, 2000]  # too wide even at least: scaled down


def test_a_townships_autofit_table_is_fitted_and_a_fixed_one_kept():
    """fit_tables on a document of its own: A4 with 25 mm margins leaves 11906 − 2 × 1417 = 9072 twips. The autofit
    table's columns want (2 + 0.3) × 210 + 216 = 699 (门诊) and (11 × 0.65 + 0.3) × 210 + 216 = 1780.5 (the phone),
    scaled up to fill the line: 2557 and 6515. The table set to 固定列宽 keeps its 3000 and 6072."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.left_margin, section.right_margin = Mm(210), Mm(25), Mm(25)
    tables = []
    for fixed in (False, True):
        table = doc.add_table(rows=2, cols=2)
        for row, texts in zip(table.rows, (["门诊", "电话"], ["甲", "13900000011"])):
            for cell, value in zip(row.cells, texts):
                cell.paragraphs[0].add_run(value).font.size = Pt(10.5)
        table.autofit = not fixed
        for column, width in zip(table.columns, (3000, 6072)):
            column.width = width * 635  # twips as EMU
        tables.append(table)
    fit_tables(doc.element.body, 12.0)
    assert [c.w for c in tables[0]._tbl.tblGrid.gridCol_lst] == [2557 * 635, 6515 * 635]
    assert [cell.width for cell in tables[0].rows[1].cells] == [2557 * 635, 6515 * 635]
    assert [c.w for c in tables[1]._tbl.tblGrid.gridCol_lst] == [3000 * 635, 6072 * 635]
