"""信息比对: the workbook against the lists of ``build --compare`` (卫健库, 公安库, 民政, 残联 …), the township's only.

The page is always written (the site's inventory never tells whether a township compared anything): without
``--compare`` it says how to use it. Its title is fixed words; file names, names and values are in its body only,
inside the encryption. OTHER's names are shown as OTHER has them, for the rows the workbook does not have.
"""

from __future__ import annotations

from generator.contract.roster import BY_NAME, COMPARED_FIELDS, DUPLICATES_HEADING, where_read
from generator.derive.comparison import Compared
from generator.present.markup import text
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, page, table

TITLE = "信息比对"
HERE = paths.COMPARISON
USAGE = "jingfang build 台账.xlsx --compare 卫健库导出.xlsx=卫健库 --compare 公安库名单.xls=公安库"
SHORTCUT = "jingfang shortcut 台账.xlsx --access 权限.yaml --force --compare 卫健库导出.xlsx=卫健库 --compare 公安库名单.xls=公安库"


def render_comparison(view: View) -> dict[str, Page]:
    """The 信息比对 page: one part per compared file, or how to compare when none was given."""
    intro = (f"<p>台账与其他系统的名单逐人核对：先按身份证号匹配，名单中没有可用身份证号的行按姓名加出生日期、"
             f"再按姓名加性别和村社区匹配（标为“{BY_NAME}”，请核对是否同一人）。统计截止日期 {view.as_of.isoformat()}。"
             f"名单文件只被读取，不会被修改。</p>")
    if not view.comparisons:
        body = intro + (
            "<p>这次生成网站时没有给出要比对的名单。要把台账与卫健库、公安库、民政、残联等名单核对，"
            "把名单文件放在台账旁边，让维护网站的同事重新生成一次双击启动文件，写上要比对的名单和来源"
            f"（可以写多次）：</p><pre><code>{text(SHORTCUT)}</code></pre>"
            "<p>以后每次双击“生成网站”都会比对。直接生成网站时也可以加上同样的 <code>--compare 名单文件=来源</code>：</p>"
            f"<pre><code>{text(USAGE)}</code></pre>"
            "<p>比对的结果会显示在这一页，各来源的不一致数量也会写进月度信息交换通报。"
            "只想在命令行里看一次，可以用 <code>jingfang compare 台账.xlsx 名单.xlsx --source 卫健库</code>。</p>")
        return {HERE: page(TITLE, body)}
    parts = [_part(view, k, c) for k, c in enumerate(view.comparisons, 1)]
    return {HERE: page(TITLE, intro + "".join(parts))}


def _patient(view: View, code: str) -> tuple[Raw, Raw]:
    return (Raw(a(HERE, paths.patient(code), code)), Raw(a(HERE, paths.patient(code), view.patients[code].name)))


def _part(view: View, number: int, c: Compared) -> str:
    r = c.result
    skipped = "、".join(f"{why} {n} 行" for why, n in c.skipped.items())
    about = (f"<p>{text(where_read(c.sheet))}，表头在第 {c.header_row} 行，读到 {c.people} 行人员"
             f"{'（跳过' + skipped + '）' if skipped else ''}。行号是名单中的行号。</p>")
    fields = r.field_counts()
    counts = [("两边都有", f"{len(r.matches)} 人"), (f"其中{BY_NAME}", f"{len(r.by_name)} 人"),
              ("完全一致", f"{r.agreeing} 人"), ("只在台账里", f"{len(r.only_in_workbook)} 人"),
              ("只在名单里", f"{len(r.only_in_other)} 行"),
              ("身份证号重复（未参与比对）", f"{len(r.duplicates)} 组 {sum(len(d.rows) for d in r.duplicates)} 行"),
              ("不一致（合计）", f"{len(r.differences)} 处")]
    counts += [(f"不一致：{name}", f"{fields.get(name, 0)} 处") for name in COMPARED_FIELDS]
    marked = {m.id for m in r.by_name}
    out = [f"<h2>{number}. 与{text(r.source)}比对：{text(c.file)}</h2>", about, table(["项目", "数量"], counts)]
    out.append("<h3>不一致的地方</h3>")
    out.append(table(["患者编号", "姓名", "名单行号", "项目", "台账", "名单", "匹配方式"],
                     [(*_patient(view, d.id), d.row, d.field, d.workbook, d.other,
                       BY_NAME if d.id in marked else "身份证号") for d in r.differences])
               if r.differences else "<p>没有。</p>")
    out.append(f"<h3>{BY_NAME}（请核对是否同一人）</h3>")
    out.append(table(["患者编号", "姓名", "名单行号"], [(*_patient(view, m.id), m.row) for m in r.by_name])
               if r.by_name else "<p>没有。</p>")
    out.append("<h3>只在台账里的患者</h3>")
    out.append(table(["患者编号", "姓名", "现住村社区", "在管状态"],
                     [(*_patient(view, code), view.patients[code].village, view.patients[code].status)
                      for code in r.only_in_workbook]) if r.only_in_workbook else "<p>没有。</p>")
    out.append("<h3>只在名单里的行</h3>")
    out.append(table(["名单行号", "名单姓名"], [(row, c.names.get(row, "")) for row in r.only_in_other])
               if r.only_in_other else "<p>没有。</p>")
    out.append("<h3>身份证号重复的行</h3>")
    if r.duplicates:
        out.append(f"<p>{text(DUPLICATES_HEADING)}。</p>")
        out.append(table(["名单行号", "名单姓名", "说明"],
                         [(row, c.names.get(row, ""), d.describe()) for d in r.duplicates for row in d.rows]))
    else:
        out.append("<p>没有。</p>")
    return "\n\n" + "\n\n".join(out) + "\n\n"
