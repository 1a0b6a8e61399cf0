"""Writes the default Word templates (pages/templates/word/*.docx) with python-docx: ``python -m generator.present.word_templates``.

The committed .docx files are what this writes (a test compares them byte for byte), so the defaults are reproducible
and reviewable here as text. Their wording and placeholders follow the HTML templates beside them; a township edits
its own copy in Word or WPS and puts it in 协议模板/ beside the workbook.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from generator.present.word_layout import BODY_FONT, HEADING_FONT as TITLE_FONT, chinese_part

FOLDER = Path(__file__).resolve().parent / "pages" / "templates" / "word"
BODY_SIZE = Pt(12)  # 小四: one agreement on one A4 page (三号 would take two)
TABLE_SIZE = Pt(10.5)  # 五号 in every table: no smaller, a printed table must be read without glasses
# lines a fixed distance apart (固定值, as GB/T 9704 sets them): a page holds as many lines whichever Chinese font a
# machine has (Noto CJK's lines are 1.45 em tall, 仿宋's 1 em: "1.15 lines" put an agreement on two pages in LibreOffice)
BODY_PITCH, TITLE_PITCH, TABLE_PITCH = Pt(16), Pt(28), Pt(15)
CELL_MARGIN = 57  # twips either side of a cell's text (0.1 cm, Word's is 0.19 cm): nine columns fit across A4
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry times, so the same text gives the same bytes
BLANK_ID = '{{ patient.id_number or "__________________" }}'
BLANK_ADDRESS = '{{ patient.address or "______________________________" }}'
GUARDIAN = ('{{ guardian.name or "__________" }}　与患者关系：{{ guardian.relation_tick or "______" }}　'
            '联系电话：{{ guardian.phone or "______________" }}')
PATIENT = f"患者：{{{{ patient.name }}}}　性别：{{{{ patient.sex }}}}　身份证号：{BLANK_ID}"
DATE_LINE = "______年____月____日"

# (kind of block, text): title, p (body, indented), line (not indented), h (heading), sign (signature line),
# right (right-aligned), rows (a table: a list of rows of cell texts; {%tr …%} rows repeat, as in docxtpl)
TEMPLATES: dict[str, list[tuple]] = {
    "监护协议": [
        ("title", "严重精神障碍患者监护协议"),
        ("line", "甲方：{{ village_committee }}"),
        ("line", "乙方（监护人）：" + GUARDIAN),
        ("line", PATIENT),
        ("line", "现住址：" + BLANK_ADDRESS),
        ("p", "为落实《中华人民共和国精神卫生法》规定的监护责任，帮助患者接受治疗、稳定病情、回归社会，防止发生危害自身和他人的行为，"
              "经双方协商，签订本协议。"),
        ("h", "一、乙方的责任"),
        ("p", "1．依照《精神卫生法》第九条，妥善看护患者，承担患者的日常生活照料和看管，避免患者伤害自身、危害他人或社会。"),
        ("p", "2．依照第四十九条，按医嘱督促患者按时按量服药，妥善保管药品，不擅自停药、减药。"),
        ("p", "3．配合卫生院和帮扶小组的定期随访、危险性评估和每年一次的免费健康体检，按时陪同患者复诊。"),
        ("p", "4．依照第五十九条，协助患者进行康复训练，引导患者参加力所能及的劳动和社会活动。"),
        ("p", "5．发现患者病情波动、拒绝服药或有肇事肇祸倾向时，立即报告帮扶小组组长"
              "{% if group.leader %}（{{ group.leader }}，电话 {{ group.leader_phone }}）{% endif %}和派出所，并配合送患者到医疗机构治疗。"),
        ("p", "6．患者外出、迁居或下落不明时，及时报告村（居）民委员会。"),
        ("h", "二、甲方的责任"),
        ("p", "1．协调帮扶小组定期走访患者家庭，指导乙方履行监护职责，帮助解决监护中的实际困难。"),
        ("p", "2．协助乙方为符合条件的患者申请医疗救助、低保、特困供养、残疾人补贴和免费服药等政策。"),
        ("p", "3．对患者的个人信息严格保密，不得向与工作无关的人员泄露。"),
        ("h", "三、其他"),
        ("p", "乙方疏于履行监护职责，致使患者造成他人人身、财产损害的，依照《精神卫生法》第七十九条依法承担相应责任。"
              "本协议一式两份，甲乙双方各执一份，自签订之日起生效。"),
        ("sign", "甲方（盖章）：__________________　　　乙方（签字）：__________________"),
        ("sign", f"日期：{DATE_LINE}　　　　　　日期：{DATE_LINE}"),
    ],
    "以奖代补协议": [
        ("title", "严重精神障碍患者以奖代补有奖监护协议"),
        ("line", "甲方：{{ township }}人民政府"),
        ("line", "乙方：{{ village_committee }}"),
        ("line", "丙方（监护人）：" + GUARDIAN),
        ("line", PATIENT),
        ("p", "为压实监护责任、鼓励监护人履行看护义务，根据严重精神障碍患者“以奖代补”工作要求，三方签订本协议。"),
        ("h", "一、丙方的义务"),
        ("p", "1．承担患者日常看护，督促患者按医嘱规律服药。"),
        ("p", "2．配合帮扶小组随访、危险性评估和每年一次的免费健康体检。"),
        ("p", "3．患者病情波动或有肇事肇祸倾向时，立即报告帮扶小组和派出所，配合送医治疗。"),
        ("h", "二、奖励"),
        ("p", "协议期内，患者未发生肇事肇祸行为，且丙方配合随访、体检和服药管理的，经乙方考核、甲方审核，由甲方一次性发放年度监护奖励"
              '人民币 {{ amount or "______" }} 元{% if amount_words %}（大写：{{ amount_words }}）{% endif %}。'
              "未履行上述义务或患者发生肇事肇祸的，不予发放。"),
        ("h", "三、期限"),
        ("p", '本协议有效期一年，自 {{ term.start or "______年____月____日" }} 起至 {{ term.end or "______年____月____日" }} 止；'
              "期满前三方可续签。本协议一式三份，三方各执一份。"),
        ("sign", f"甲方（盖章）：______________　　日期：{DATE_LINE}"),  # a line per party: they sign on different days
        ("sign", f"乙方（盖章）：______________　　日期：{DATE_LINE}"),
        ("sign", f"丙方（签字）：______________　　日期：{DATE_LINE}"),
    ],
    "免费服药告知书": [
        ("title", "严重精神障碍患者门诊免费服药知情告知书"),
        ("line", PATIENT),
        ("line", "诊断：{{ patient.diagnosis }}　现住址：" + BLANK_ADDRESS),
        ("line", '监护人：{{ guardian.name or "__________" }}　联系电话：{{ guardian.phone or "______________" }}'),
        ("p", '根据{{ county or "本地" }}严重精神障碍患者门诊治疗使用免费基本药品的有关规定，现将有关事项告知如下：'),
        ("p", "1．门诊免费服药遵循自愿原则。患者（监护人）同意参加的，在签字后享受政策。"),
        ("p", "2．患者在指定的精神卫生医疗机构（__________________）门诊就诊，由医生开具免费基本药品。"),
        ("p", "3．患者应按医嘱按时按量服药，按时参加随访和复诊；出现药物不良反应时及时告知随访医生或到医院就诊。"),
        ("p", "4．免费药品仅限患者本人使用，不得转借、转卖。违反规定的，停止享受免费服药政策。"),
        ("p", "5．患者的个人信息将依法保密，仅用于服药管理和随访服务。"),
        ("p", "本人已知晓上述内容，自愿参加门诊免费服药。"),
        ("sign", "患者（签字）：______________　　监护人（签字）：______________"),
        ("sign", f"告知人（签字）：______________　　日期：{DATE_LINE}"),
    ],
    "高风险患者联合随访记录单": [
        ("title", "{{ township }}严重精神障碍高风险患者联合随访记录单"),
        ("line", "患者：{{ patient.name }}　性别：{{ patient.sex }}　患者编号：{{ patient.patient_id }}　身份证号：" + BLANK_ID),
        ("line", "现住址：" + BLANK_ADDRESS + "　诊断：{{ patient.diagnosis }}　当前危险性：{{ risk }} 级"),
        ("line", '监护人：{{ guardian.name or "__________" }}（{{ guardian.relation or "关系______" }}）　'
                 '电话：{{ guardian.phone or "______________" }}'),
        ("line", '帮扶小组：{{ group.name or "______________" }}　成员：{% for m in members %}{{ m.name }}（{{ m.role }}）'
                 "{% if not loop.last %}、{% endif %}{% else %}______________{% endfor %}"),
        ("rows", [  # a label and its field per row, each field's choices on a line of their own: no word breaks
            ["随访日期", DATE_LINE],
            ["随访形式", "□ 家庭访视　□ 门诊　□ 其他______"],
            ["到场成员（签字）", "\n\n"],
            ["危险性评估", "□ 0 级　□ 1 级　□ 2 级　□ 3 级　□ 4 级　□ 5 级"],
            ["病情", "□ 稳定　□ 基本稳定　□ 不稳定\n主要表现：____________________________"],
            ["服药情况", "□ 规律　□ 间断　□ 不服药\n药物及剂量：____________________________"],
            ["监护落实", "□ 到位　□ 不到位\n说明：____________________________________"],
            ["处置建议", "□ 继续居家随访　□ 送医住院治疗　□ 加强看护\n□ 报告派出所/综治办　其他：______________________"],
            ["下次随访日期", DATE_LINE],
        ]),
        ("sign", "记录人（签字）：______________　　组长（签字）：______________"),
        ("sign", f"日期：{DATE_LINE}"),
    ],
    "成立关爱帮扶小组的通知": [
        ("right", "{{ township }}〔{{ year }}〕　号"),
        ("title", "关于成立{{ group.name }}的通知"),
        ("line", "{{ village_committee }}，乡（镇）相关部门："),
        ("p", "为落实严重精神障碍患者联合服务管理工作要求，加强对患者的关爱帮扶和服务管理，经研究，决定成立{{ group.name }}。"
              "现将有关事项通知如下："),
        ("h", "一、小组成员"),
        ("rows", [
            ["小组职务", "姓名", "单位及职务", "电话"],
            ["{%tr for m in members %}"],
            ["{{ m.role }}", "{{ m.name }}", "{{ m.unit }}{{ m.title }}", "{{ m.phone }}"],
            ["{%tr endfor %}"],
            ["{%tr for g in guardians %}"],
            ["监护人", "{{ g.name }}", "{{ g.relation }}", "{{ g.phone }}"],
            ["{%tr endfor %}"],
        ]),
        ("h", "二、成员职责"),
        ("p", "1．组长：组织成员开展随访、预警、救治、救助等工作，安排定期随访；患者病情波动或有肇事肇祸倾向时，组织先期处置，"
              "及时报告乡（镇）综合管理小组办公室。"),
        ("p", "2．精防医生（村医）：定期随访并填写档案，指导服药和康复，每年至少组织一次健康体检；发现病情波动及时报告组长，协助送医治疗。"),
        ("p", "3．社区民警：将患者信息录入公安系统，参与随访，督促监护人履行责任；依法处置滋事、扰乱秩序行为，协助送医。"),
        ("p", "4．民政干部：落实低保、医疗救助、临时救助等政策，做好无监护人等特殊患者的送诊、救助工作。"),
        ("p", "5．康复协调员、网格员等：参与随访，协助办理残疾证、申请救助，做好社区康复。"),
        ("p", "6．监护人：履行监护责任，照料看管患者，督促按医嘱服药，发现异常立即报告组长和派出所，配合送医治疗。"),
        ("h", "三、工作制度"),
        ("p", "1．小组会议：每 {{ meeting_days }} 天至少召开一次，由组长召集，研判患者情况，研究解决问题。"),
        ("p", '2．定期随访：病情稳定患者每 {{ intervals["稳定"] }} 天、基本稳定每 {{ intervals["基本稳定"] }} 天、'
              '不稳定每 {{ intervals["不稳定"] }} 天至少随访一次{% if min_visitors %}，每次面访不少于 {{ min_visitors }} 名成员同行'
              "{% endif %}；特殊敏感时期对重点患者每日点名。"),
        ("p", "3．诊断评估：协助每年至少一次健康体检，按规定定期开展病情诊断和危险性评估。"),
        ("p", "4．救治救助与联合处置：帮助申请救助和以奖代补政策；发生肇事肇祸行为时及时报警、先期处置，并报告乡（镇）综合管理小组。"),
        ("right", "{{ township }}人民政府"),
        ("right", DATE_LINE),
    ],
    "敏感时期点名表": [
        ("title", "{{ township }}{{ period.name }}期间重点患者每日点名表"),
        ("line", "村社区：{{ village }}　点名范围：{{ period.scope }}　时间：{{ period.start }} 至 {{ period.end }}"
                 "{% if part %}（第 {{ part }} 页）{% endif %}"),
        ("rows", [
            ["编号", "姓名", "监护人及电话", "{%tc for day in days %}", "{{ day }}", "{%tc endfor %}"],
            ["{%tr for p in patients %}"],
            ["{{ p.patient_id }}", "{{ p.name }}", "{{ p.guardian }} {{ p.guardian_phone }}", "{%tc for day in days %}", "",
             "{%tc endfor %}"],
            ["{%tr endfor %}"],
        ]),
        ("line", "情况一栏填：√ 正常　△ 异常（在备注写明并立即报告）　× 未联系上。点名后在台账“点名记录”表中逐日登记。"),
        ("sign", "点名人（签字）：______________　　村社区负责人（签字）：______________"),
    ],
    "月度信息交换通报": [
        ("line", "{{ township }}综治〔{{ year }}〕　号"),
        ("title", "{{ township }}严重精神障碍患者{{ month }}信息交换通报"),
        ("line", "{{ department }}："),
        ("p", "现将{{ month }}（{{ first }} 至 {{ last }}）本乡镇严重精神障碍患者服务管理的变化情况通报如下，请按职责做好相关工作。"
              "对高风险患者和失访、走失患者请及时核实，有关情况反馈乡镇综合管理小组办公室（平安办）。"),
        ("p", "本月概况：{% for s in sections %}{{ s.summary }}{% if not loop.last %}；{% endif %}{% endfor %}。"),
        ("line", "{%p if comparisons %}"),  # a paragraph only when build/documents --compare gave lists
        ("p", "信息比对（{{ compared_on }} 生成本通报时与各名单比对的结果）：{% for c in comparisons %}{{ c }}{% if not loop.last %}；{% endif %}{% endfor %}。"
              "请有关部门核实后更正各自的记录。"),
        ("line", "{%p endif %}"),
        ("line", "{%p for s in sections %}"),
        ("h", "{{ s.number }}、{{ s.title }}"),
        ("line", "{{ s.about }}"),
        ("line", "{%p if s.rows %}"),
        ("rows", [
            ["{%tc for c in s.columns %}", "{{ c }}", "{%tc endfor %}"],
            ["{%tr for row in s.rows %}"],
            ["{%tc for v in row %}", "{{ v }}", "{%tc endfor %}"],
            ["{%tr endfor %}"],
        ]),
        ("line", "{%p else %}"),
        ("line", "本月没有。"),
        ("line", "{%p endif %}"),
        ("line", "{%p endfor %}"),
        ("p", "本通报含患者个人信息，仅限{{ department }}内部工作使用，注意保密，不得外传。"),
        ("right", "{{ township }}严重精神障碍患者综合管理小组办公室"),
        ("right", DATE_LINE),
        ("sign", "接收人（签字）：______________　　接收日期：______________"),
    ],
}
LANDSCAPE = {"敏感时期点名表"}  # a column per day of a week fits across A4 only lying down
WIDE = {"月度信息交换通报"}  # nine columns of 五号 (an event's) fit between 20 mm margins, not GB/T 9704's 28 and 26
# mm per column of a form's table (固定列宽); the other tables are autofit, fitted to their words as each document is
# rendered (word_layout.fit_tables), docxtpl's repeated columns included
WIDTHS = {"高风险患者联合随访记录单": [34, 122]}
SIGNATURES = ("sign", "right")  # the blocks a document ends with: its signatures, seal and date
# the order the schema gives a table's properties (python-docx appends tblLayout after tblLook; Word may refuse that)
TABLE_PROPERTIES = [qn(f"w:{tag}") for tag in (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
    "tblDescription")]


def set_font(style_or_run, name: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """A font for Chinese text: python-docx sets only the Latin name, Word reads w:eastAsia for Chinese."""
    font = style_or_run.font
    font.name = name
    rfonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:hint"), "eastAsia")  # □, “”, ……: drawn square from the Chinese font, not the Latin one
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold


def new_document(title: str) -> Document:
    """An empty A4 document with GB/T 9704 margins and a 仿宋 body."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if title in LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(20)
    else:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    if title in WIDE:
        section.left_margin = section.right_margin = Mm(20)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = BODY_PITCH
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "jingfang", "jingfang"
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    return doc


def kept_with_next(blocks: list[tuple]) -> set[int]:
    """The blocks whose paragraph stays on the page of what follows it: a heading, the line introducing a table, and
    a document's signature block (the seal, date and signature lines it ends with) together with the text before it,
    so a signature never stands alone on a page."""
    real = [i for i, (kind, content) in enumerate(blocks) if not (kind == "line" and content.startswith("{%p"))]
    kept = {i for i in real if blocks[i][0] == "h"}
    kept |= {i for i, j in zip(real, real[1:]) if blocks[j][0] == "rows"}
    first = len(blocks)
    while first > 0 and blocks[first - 1][0] in SIGNATURES:
        first -= 1
    return kept | set(range(max(first - 1, 0), len(blocks) - 1))


def add_block(doc: Document, kind: str, content, keep: bool = False) -> None:
    """One block of a template; keep: on one page with the block after it (its lines kept together too)."""
    if kind == "rows":
        table = add_table(doc, content, WIDTHS.get(doc.core_properties.title))
        if keep:  # a form's last row stays with the signature lines under it
            for p in table.rows[-1].cells[0].paragraphs + table.rows[-1].cells[-1].paragraphs:
                p.paragraph_format.keep_with_next = True
        return
    p = doc.add_paragraph()
    run = p.add_run(content)
    fmt = p.paragraph_format
    if keep:
        fmt.keep_with_next = fmt.keep_together = True
    if kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(6)
        fmt.line_spacing = TITLE_PITCH
        set_font(run, TITLE_FONT, Pt(18))
    elif kind == "h":
        fmt.space_before = Pt(3)
        set_font(run, TITLE_FONT)
    elif kind == "p":
        fmt.first_line_indent = BODY_SIZE * 2
    elif kind == "sign":
        fmt.space_before = Pt(8)
        fmt.keep_together = True
    elif kind == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.keep_together = True


def add_table(doc: Document, rows: list[list[str]], widths: list[int] | None = None) -> Table:
    """A bordered table; a row of one cell spans the table (docxtpl's {%tr …%} rows, or a label and a long field).
    No row breaks across pages; a table whose rows repeat ({%tr for …%}) repeats its first row, the header, on every
    page and keeps it with the row under it."""
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    headed = any(texts[0].startswith("{%tr") for texts in rows)
    for k, texts in enumerate(rows):
        row = table.add_row()
        cells = row.cells
        if len(texts) < width:  # the last text spans the rest of the row
            cells[len(texts) - 1].merge(cells[width - 1])
        for cell, text in zip(cells, texts):
            cell.paragraphs[0].add_run(text).font.size = TABLE_SIZE
            cell.paragraphs[0].paragraph_format.line_spacing = TABLE_PITCH
            if headed and k == 0:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if headed and k == 0:
            props.append(OxmlElement("w:tblHeader"))
    table.autofit = widths is None
    for column, width in zip(table.columns, widths or []):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    tblpr = table._tbl.tblPr
    tblpr[:] = sorted(tblpr, key=lambda e: TABLE_PROPERTIES.index(e.tag))
    return table


def render_template(title: str) -> bytes:
    """One default template as .docx bytes (the same every time)."""
    doc = new_document(title)
    blocks = TEMPLATES[title]
    kept = kept_with_next(blocks)
    for k, (kind, content) in enumerate(blocks):
        add_block(doc, kind, content, keep=k in kept)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times (python-docx stamps the current time on each), in Chinese
    (word_layout.chinese_part: language, theme and font table)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), chinese_part(info.filename, source.read(info)),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_templates(folder: Path = FOLDER) -> list[Path]:
    """Write every default template into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for title in TEMPLATES:
        path = folder / f"{title}.docx"
        path.write_bytes(render_template(title))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_templates():
        print(path)
