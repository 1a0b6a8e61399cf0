"""``jingfang documents``: Word files from Word templates, sandboxed, one document per page, never inside a site."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.site.freshness import STAMP
from generator.present.document_html import override_templates
from generator.present.word_templates import FOLDER, TEMPLATES, render_template
from tests.commands import run, text
from tests.workbooks import every_list_sheets, set_cell, write_sheets

WARNING = "注意：导出文件不加密，含患者姓名和联系电话，请只发给负责的工作人员，用后删除。\n"
LISTING = """已生成 11 个 Word 文件（共 19 份文书）：{out}
  禾苗村-监护协议.docx（3 份）
  禾苗村-以奖代补协议.docx（3 份）
  禾苗村-免费服药告知书.docx（2 份）
  禾苗村-高风险患者联合随访记录单.docx（1 份）
  禾苗村-成立关爱帮扶小组的通知.docx（1 份）
  禾苗村-敏感时期点名表.docx（2 份）
  溪口社区-监护协议.docx（1 份）
  溪口社区-以奖代补协议.docx（1 份）
  溪口社区-成立关爱帮扶小组的通知.docx（1 份）
  溪口社区-敏感时期点名表.docx（1 份）
  2025年5月-月度信息交换通报.docx（3 份）
"""
ADDRESS = '禾苗村<w:t>2组</w:t>&"8号"'  # markup in a value must stay text in the document


def workbook(folder: Path) -> Path:
    """every_list_sheets() with XML markup typed into P001's address."""
    sheets = every_list_sheets()
    set_cell(sheets, "患者", 1, "现住址", ADDRESS)
    return write_sheets(folder / "台账.xlsx", sheets)


def paragraphs(path: Path) -> list[str]:
    """Every paragraph's text, tables' cells included."""
    doc = Document(str(path))
    body = doc.element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def page_breaks(path: Path) -> int:
    return sum(1 for br in Document(str(path)).element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("documents")
    book = workbook(folder)
    result = run("documents", str(book), "--out", str(folder / "文书"), "--all")
    return book, folder / "文书", result


def test_the_committed_templates_are_what_the_script_writes():
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(f"{title}.docx" for title in TEMPLATES)
    for title in TEMPLATES:
        assert (FOLDER / f"{title}.docx").read_bytes() == render_template(title), f"run python -m generator.present.word_templates ({title})"


def test_one_file_per_village_and_document_listed_with_the_warning(written):
    _, out, result = written
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == LISTING.format(out=out)
    assert text(result.stderr) == WARNING
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([".jingfang-documents", *(line.split("（")[0].strip() for line in LISTING.splitlines()[1:])])
    for path in out.iterdir():  # plaintext personal data: the owner's only
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


def test_a_batch_holds_each_patients_agreement_filled_in_one_per_page(written):
    _, out, _ = written
    lines = paragraphs(out / "禾苗村-监护协议.docx")
    assert [line for line in lines if line.startswith("患者：")] == [
        "患者：甘望舒　性别：男　身份证号：110101198005060250",
        "患者：柏清和　性别：男　身份证号：110101197002030238",
        "患者：柏清川　性别：男　身份证号：11010119720405027X",
    ]
    assert lines.count("甲方：禾苗村村民委员会") == 3
    assert "乙方（监护人）：甘秋禾　与患者关系：□父亲　□母亲　联系电话：13900000011" in lines
    assert "现住址：" + ADDRESS in lines  # escaped as text: the markup is shown, not obeyed
    assert "现住址：______________________________" in lines  # P004 has no address: a line to fill in
    assert page_breaks(out / "禾苗村-监护协议.docx") == 2
    assert page_breaks(out / "溪口社区-监护协议.docx") == 0
    for path in out.glob("*.docx"):  # every placeholder filled
        assert not any("{{" in line or "{%" in line or "}}" in line for line in paragraphs(path)), path.name


def test_group_notice_and_roll_call_sheets_are_filled(written):
    _, out, _ = written
    notice = paragraphs(out / "禾苗村-成立关爱帮扶小组的通知.docx")
    assert "关于成立禾苗村关爱帮扶小组的通知" in notice
    rows = [[cell.text for cell in row.cells] for row in Document(str(out / "禾苗村-成立关爱帮扶小组的通知.docx")).tables[0].rows]
    assert rows[0] == ["小组职务", "姓名", "单位及职务", "电话"]
    assert rows[1][:2] == ["组长", "计承远"] and rows[1][3] == "13900000001"  # the {%tr for %} rows repeated
    assert ["监护人", "甘秋禾", "父母", "13900000011"] in rows  # as typed, never 父亲或母亲
    sheets = paragraphs(out / "禾苗村-敏感时期点名表.docx")
    assert page_breaks(out / "禾苗村-敏感时期点名表.docx") == 1
    assert any(line.startswith("村社区：禾苗村　点名范围：") for line in sheets)


def test_a_batch_prints_one_page_per_document_in_libreoffice(written, tmp_path):
    _, out, _ = written
    source = tmp_path / "batch.docx"
    source.write_bytes((out / "禾苗村-监护协议.docx").read_bytes())
    # a private profile: parallel runs of LibreOffice would otherwise share (and lock) one
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=True)
    info = subprocess.run(["pdfinfo", str(tmp_path / "batch.pdf")], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3\n" in info


def test_a_hostile_template_is_refused_and_nothing_is_written(tmp_path):
    book = workbook(tmp_path)
    own = tmp_path / "协议模板"
    own.mkdir()
    doc = Document(str(FOLDER / "监护协议.docx"))
    doc.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    doc.save(str(own / "监护协议.docx"))
    result = run("documents", str(book), "--out", str(tmp_path / "文书"))
    assert result.returncode == 1
    assert text(result.stderr) == (
        "错误：Word 模板“协议模板/监护协议.docx”里有不允许的写法（access to attribute '__class__' of 'str' object is "
        "unsafe.）：模板里只能用占位符和简单的判断，不能调用程序。可用的占位符见网站的“文书模板说明”页。（没有生成 Word 文件）\n")
    assert not (tmp_path / "文书").exists()


def test_a_townships_own_template_wins(tmp_path):
    book = workbook(tmp_path)
    own = tmp_path / "协议模板"
    own.mkdir()
    doc = Document()
    doc.add_paragraph("本镇监护协议：{{ patient.name }}，监护人 {{ guardian.name }}")
    doc.save(str(own / "监护协议.docx"))
    result = run("documents", str(book), "--out", str(tmp_path / "文书"), "--kind", "监护协议", "--village", "禾苗村", "--all")
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == f"已生成 1 个 Word 文件（共 3 份文书）：{tmp_path / '文书'}\n  禾苗村-监护协议.docx（3 份）\n"
    assert [line for line in paragraphs(tmp_path / "文书" / "禾苗村-监护协议.docx") if line] == [
        "本镇监护协议：甘望舒，监护人 甘秋禾", "本镇监护协议：柏清和，监护人 柏守一", "本镇监护协议：柏清川，监护人 柏守一"]


def test_not_a_word_file_is_named(tmp_path):
    book = workbook(tmp_path)
    (tmp_path / "协议模板").mkdir()
    (tmp_path / "协议模板" / "免费服药告知书.docx").write_text("不是 Word 文件")
    result = run("documents", str(book), "--out", str(tmp_path / "文书"))
    assert result.returncode == 1
    assert text(result.stderr) == (
        "错误：Word 模板“协议模板/免费服药告知书.docx”打不开：它不是 Word 文档（.docx）。请在 Word 或 WPS 中“另存为 .docx”后再放进"
        "“协议模板”文件夹。（没有生成 Word 文件）\n")
    assert not (tmp_path / "文书").exists()


def test_separate_files_per_patient(tmp_path):
    book = workbook(tmp_path)
    out = tmp_path / "文书"
    result = run("documents", str(book), "--out", str(out), "--kind", "免费服药告知书", "--separate", "--all")
    assert result.returncode == 0, text(result.stderr)
    assert sorted(p.name for p in out.glob("*.docx")) == ["禾苗村-免费服药告知书-P001.docx", "禾苗村-免费服药告知书-P004.docx"]
    assert "患者：柏清和　性别：男　身份证号：110101197002030238" in paragraphs(out / "禾苗村-免费服药告知书-P004.docx")


@pytest.mark.parametrize("args, message", [
    (("--kind", "保证书"), "没有叫“保证书”的文书。可以选的文书有：监护协议、以奖代补协议、免费服药告知书、高风险患者联合随访记录单、"
                          "成立关爱帮扶小组的通知、敏感时期点名表、月度信息交换通报。"),
    (("--village", "东山村"), "台账里没有叫“东山村”的村社区。台账里的村社区有：禾苗村、溪口社区。"),
])
def test_unknown_names_are_refused_naming_the_known_ones(tmp_path, args, message):
    book = workbook(tmp_path)
    result = run("documents", str(book), "--out", str(tmp_path / "文书"), *args)
    assert result.returncode == 1
    assert text(result.stderr) == f"错误：{message}（没有生成 Word 文件）\n"
    assert not (tmp_path / "文书").exists()


def test_a_folder_with_other_files_or_inside_a_site_is_refused(tmp_path):
    book = workbook(tmp_path)
    busy = tmp_path / "我的文件"
    busy.mkdir()
    (busy / "工作总结.docx").write_text("别的文件")
    result = run("documents", str(book), "--out", str(busy))
    assert result.returncode == 1
    assert text(result.stderr) == (f"错误：文件夹“{busy}”里已经有别的文件，没有写入（以免和别的文件混在一起）。"
                                   "请指定一个新的或空的文件夹。（没有生成 Word 文件）\n")
    assert sorted(p.name for p in busy.iterdir()) == ["工作总结.docx"]
    site = tmp_path / "site"
    site.mkdir()
    (site / STAMP).write_text("{}")  # what makes a folder a built site
    result = run("documents", str(book), "--out", str(site / "文书"))
    assert result.returncode == 1
    assert text(result.stderr).startswith(f"错误：“{site / '文书'}”在网站文件夹“{site}”里面，没有导出：")
    assert not (site / "文书").exists()


def test_its_own_folder_can_be_written_again(written, tmp_path):
    book, out, _ = written
    again = run("documents", str(book), "--out", str(out), "--kind", "监护协议", "--all")
    assert again.returncode == 0, text(again.stderr)
    assert text(again.stdout).startswith("已生成 2 个 Word 文件（共 4 份文书）：")


def test_templates_are_copied_for_editing_never_over_a_townships_own(tmp_path):
    book = workbook(tmp_path)
    own = tmp_path / "协议模板"
    own.mkdir()
    (own / "监护协议.docx").write_bytes(b"the township's own")
    result = run("documents", str(book), "--templates")
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == (
        f"默认的 Word 模板已复制到“{own}”：\n"
        "  协议模板/监护协议.docx（已有，没有覆盖）\n  协议模板/以奖代补协议.docx\n  协议模板/免费服药告知书.docx\n"
        "  协议模板/高风险患者联合随访记录单.docx\n  协议模板/成立关爱帮扶小组的通知.docx\n  协议模板/敏感时期点名表.docx\n"
            "  协议模板/月度信息交换通报.docx\n"
        "用 Word 或 WPS 修改后保存（仍为 .docx，文件名不变），再运行 jingfang documents 即可使用。\n")
    assert (own / "监护协议.docx").read_bytes() == b"the township's own"
    assert (own / "以奖代补协议.docx").read_bytes() == (FOLDER / "以奖代补协议.docx").read_bytes()


def test_the_site_build_leaves_word_templates_to_this_command(tmp_path):
    (tmp_path / "协议模板").mkdir()
    for name in ("监护协议.docx", "监护协议.html", "旧模板.txt"):
        (tmp_path / "协议模板" / name).write_text("x")
    assert override_templates(tmp_path) == (["监护协议.html"], ["旧模板.txt"])  # the .docx is neither used nor "ignored"


TO_SIGN = """已生成 10 个 Word 文件（共 14 份文书）：{out}
  禾苗村-以奖代补协议.docx（2 份）
  禾苗村-免费服药告知书.docx（1 份）
  禾苗村-高风险患者联合随访记录单.docx（1 份）
  禾苗村-成立关爱帮扶小组的通知.docx（1 份）
  禾苗村-敏感时期点名表.docx（2 份）
  溪口社区-监护协议.docx（1 份）
  溪口社区-以奖代补协议.docx（1 份）
  溪口社区-成立关爱帮扶小组的通知.docx（1 份）
  溪口社区-敏感时期点名表.docx（1 份）
  2025年5月-月度信息交换通报.docx（3 份）
"""


def test_by_default_only_the_agreements_to_sign_like_the_sites_batches(tmp_path):
    """禾苗村's three 监护协议 are all in force: none is written; without --all 以奖代补 drops the one in force."""
    book = workbook(tmp_path)
    result = run("documents", str(book), "--out", str(tmp_path / "文书"))
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == TO_SIGN.format(out=tmp_path / "文书")


def test_the_monthly_report_is_one_file_with_a_copy_per_department(written):
    _, out, _ = written
    path = out / "2025年5月-月度信息交换通报.docx"
    texts = paragraphs(path)
    assert [t for t in texts if t.endswith("：") and len(t) < 12] == ["派出所：", "卫生院（精防医生）：", "民政办、残联："]
    assert sum("严重精神障碍患者2025年5月信息交换通报" in t for t in texts) == 3 and page_breaks(path) == 2
    assert "一、新纳入管理的患者" in texts and not any("{{" in t or "{%" in t for t in texts)


def test_the_monthly_report_is_left_out_of_a_villages_documents_and_month_is_chosen(tmp_path):
    book = workbook(tmp_path)
    result = run("documents", str(book), "--out", str(tmp_path / "村"), "--village", "禾苗村", "--kind", "月度信息交换通报")
    assert result.returncode == 0 and "没有需要生成的文书" in text(result.stdout)
    result = run("documents", str(book), "--out", str(tmp_path / "月"), "--kind", "月度信息交换通报", "--month", "2025-03")
    assert result.returncode == 0, text(result.stderr)
    assert [p.name for p in (tmp_path / "月").glob("*.docx")] == ["2025年3月-月度信息交换通报.docx"]
