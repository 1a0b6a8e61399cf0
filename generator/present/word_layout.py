"""How Word, WPS and LibreOffice lay the Word documents out: Chinese language and fonts in the default templates, and
each table's columns fitted to their words when a document is rendered.

python-docx's blank document is American with a Japanese theme (w:lang en-US, themeFontLang ja-JP, ＭＳ 明朝): a
reader then picks Japanese glyphs and line-breaking rules for Chinese text. The templates say zh-CN for East Asian
text (Latin text stays en-US, as in Chinese Word's own blank document) and name 仿宋 (body)
and 黑体 (headings) everywhere a font is chosen, with their Windows names and GB2312 character set in the font table so
a machine without them substitutes a Chinese font of the same kind.

LibreOffice and WPS do not fit an autofit table to its contents as Word does: they keep the columns the file stores,
which docxtpl spreads evenly when a loop adds columns, so "门诊" or a date broke inside a word in a narrow column.
``fit_tables`` stores what Word's autofit would choose (the automatic table layout of CSS): every column gets its
words' width when the page allows, else at least its longest unbreakable word, the rest shared by how much more each
column's text wants.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from generator.present.word_clean import SAFE_XML, W

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
LANGUAGE, LATIN_LANGUAGE = "zh-CN", "en-US"  # Chinese text; Latin letters and digits among it
BODY_FONT, HEADING_FONT = "仿宋", "黑体"  # GB/T 9704: 仿宋 body, 黑体 headings
# the font table's entries: Windows' English name (altName), GB2312 (charset 86), fixed-pitch CJK fonts (PANOSE)
FONT_ENTRIES = {BODY_FONT: "FangSong", HEADING_FONT: "SimHei"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def chinese_part(name: str, data: bytes) -> bytes:
    """A template's part with Chinese language and fonts where python-docx's blank document has American and
    Japanese ones; other parts unchanged."""
    edit = {"word/styles.xml": _languages, "word/stylesWithEffects.xml": _languages, "word/settings.xml": _languages,
            "word/theme/theme1.xml": _theme, "word/fontTable.xml": _font_table}.get(name)
    if edit is None:
        return data
    root = etree.fromstring(data, SAFE_XML)
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _languages(root: etree._Element) -> None:
    """Every default language (w:lang) and the theme's font language (w:themeFontLang): zh-CN for Chinese text.
    Latin letters and digits stay en-US (w:val), as Chinese Word writes them: tagged zh-CN, LibreOffice breaks a
    phone or ID number anywhere at the end of a line ("1558" / "6052164")."""
    for element in [*root.iter(_w("lang")), *root.iter(_w("themeFontLang"))]:
        element.set(_w("val"), LATIN_LANGUAGE)
        element.set(_w("eastAsia"), LANGUAGE)


def _theme(root: etree._Element) -> None:
    """The theme's East Asian fonts: 黑体 for headings (major), 仿宋 for body text (minor), no Japanese ones."""
    for scheme, font in (("majorFont", HEADING_FONT), ("minorFont", BODY_FONT)):
        for fonts in root.iter(f"{{{A}}}{scheme}"):
            fonts.find(f"{{{A}}}ea").set("typeface", font)
            for script in fonts.findall(f"{{{A}}}font"):
                if script.get("script") == "Jpan":
                    fonts.remove(script)
                elif script.get("script") == "Hans":
                    script.set("typeface", font)


def _font_table(root: etree._Element) -> None:
    """仿宋 and 黑体 described for substitution (Windows names, GB2312), in place of the Japanese theme fonts."""
    for font in root.findall(_w("font")):
        if font.get(_w("name")) in ("ＭＳ 明朝", "ＭＳ ゴシック", *FONT_ENTRIES):
            root.remove(font)
    for name, alt in FONT_ENTRIES.items():
        font = etree.SubElement(root, _w("font"), {_w("name"): name})
        for tag, value in (("altName", alt), ("panose1", "02010609060101010101"), ("charset", "86"),
                           ("family", "modern"), ("pitch", "fixed")):
            etree.SubElement(font, _w(tag), {_w("val"): value})


# --- tables fitted to their words ---------------------------------------------------------------------------------

TWIPS_PER_POINT = 20
LATIN_EM = 0.65  # a digit or Latin letter: half an em in 仿宋, 0.64 in DejaVu Sans (LibreOffice's stand-in on Linux)
SLACK_EM = 0.3  # rounding and a font a little wider than measured: a word that just fits must not wrap
WORD_CHARS = 4  # a Chinese word of up to four characters (门诊, 村社区, 取消奖励) never breaks; a longer run may, in
# halves (已报告/派出所) or after four characters
# where a line may break: spaces, and after Chinese punctuation (a closing bracket, 、，；：。 and /)
_BREAK = re.compile(r"[ \t\u3000]+|(?<=[，、；：。！？）】」』/])|(?=[（【「『])")
DEFAULT_MARGIN = 108  # twips either side of a cell's text: Word's default (0.19 cm)


def _em(char: str) -> float:
    """A character's width in ems: Chinese characters and symbols (□, full-width punctuation) are square."""
    return 1.0 if unicodedata.east_asian_width(char) in "WFA" else LATIN_EM


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def measure(text: str) -> tuple[float, float]:
    """A paragraph's (natural, least) width in ems: on one line, and its widest piece that must not break (a word;
    a run of Chinese characters longer than a word counts as its half, at most a word)."""
    natural = sum(_em(c) for c in text)
    least = 0.0
    for word in _BREAK.split(text):
        wide = sum(1 for c in word if _wide(c))
        narrow = sum(_em(c) for c in word if not _wide(c))
        least = max(least, narrow + (wide if wide <= WORD_CHARS else min(-(-wide // 2), WORD_CHARS)))
    return natural, least


def _cell_size(tc: etree._Element, default: float) -> float:
    """The cell's text size in points: its first run's, else the document's."""
    size = next((s.get(_w("val")) for s in tc.iter(_w("sz"))), None)
    return int(size) / 2 if size and size.isdigit() else default


def _cell_lines(tc: etree._Element) -> list[str]:
    """A cell's lines: its paragraphs split at line breaks (a nested table's text is that table's)."""
    lines = []
    for p in tc.findall(_w("p")):
        line = ""
        for element in p.iter(_w("t"), _w("br"), _w("tab")):
            if element.tag == _w("t"):
                line += element.text or ""
            elif element.tag == _w("br"):
                lines.append(line)
                line = ""
            else:
                line += "    "
        lines.append(line)
    return lines


def _margins(tbl: etree._Element) -> int:
    """Twips either side of a cell's text, from the table's own cell margins (else Word's default)."""
    mar = tbl.find(f"{_w('tblPr')}/{_w('tblCellMar')}")
    total = 0
    for sides in (("left", "start"), ("right", "end")):
        side = None if mar is None else next((s for s in (mar.find(_w(n)) for n in sides) if s is not None), None)
        total += int(side.get(_w("w"))) if side is not None and (side.get(_w("w")) or "").isdigit() else DEFAULT_MARGIN
    return total


def column_widths(natural: list[float], least: list[float], available: float) -> list[int]:
    """Columns' widths (twips) filling available: natural widths scaled up when they fit, else each column's least
    width and the rest shared by how much more its words want, else the least widths scaled down."""
    if sum(least) <= 0:  # nothing to measure: even columns
        widths = [available / len(natural)] * len(natural)
    elif sum(natural) <= available:
        widths = [n * available / sum(natural) for n in natural]
    elif sum(least) <= available:
        want = [n - m for n, m in zip(natural, least)]
        widths = [m + (available - sum(least)) * w / sum(want) for m, w in zip(least, want)]
    else:
        widths = [m * available / sum(least) for m in least]
    out = [int(w) for w in widths]
    out[-1] += int(available) - sum(out)
    return out


def _int(value: str | None) -> int | None:
    """A whole number of twips as Word writes it; None for anything else (a measure with units, a typo)."""
    return int(value) if value is not None and value.isdigit() else None


def fit_tables(body: etree._Element, default_size: float) -> None:
    """Every autofit table (not set to 固定列宽) of a rendered document stores column widths that fit its words
    (a table inside a cell is left to Word: its room is the cell's)."""
    sect = body.find(_w("sectPr"))
    size = None if sect is None else sect.find(_w("pgSz"))
    margins = None if sect is None else sect.find(_w("pgMar"))
    if size is None or margins is None:
        return
    page, left, right = (_int(size.get(_w("w"))), _int(margins.get(_w("left"), "0")),
                         _int(margins.get(_w("right"), "0")))
    if page is None or left is None or right is None or page - left - right <= 0:
        return
    for tbl in body.iter(_w("tbl")):
        layout = tbl.find(f"{_w('tblPr')}/{_w('tblLayout')}")
        nested = next(tbl.iterancestors(_w("tc")), None) is not None
        if not nested and (layout is None or layout.get(_w("type")) != "fixed"):
            _fit(tbl, page - left - right, default_size)


def _fit(tbl: etree._Element, available: int, default_size: float) -> None:
    grid = tbl.find(_w("tblGrid"))
    columns = [] if grid is None else grid.findall(_w("gridCol"))
    rows = tbl.findall(_w("tr"))
    if not columns or not rows:
        return
    margin = _margins(tbl)
    natural, least = [float(margin)] * len(columns), [float(margin)] * len(columns)
    placed = []  # (cell, first column, span)
    for tr in rows:
        before = [_int(g.get(_w("val"))) for g in tr.iter(_w("gridBefore"))]
        column = sum(b or 0 for b in before)
        for tc in tr.findall(_w("tc")):
            span_el = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            span = 1 if span_el is None else _int(span_el.get(_w("val"))) or 1
            if column + span > len(columns):
                return  # a row wider than the grid: leave the table as its author made it
            placed.append((tc, column, span))
            if span == 1:  # a merged cell's words are left to the columns under it
                em = _cell_size(tc, default_size) * TWIPS_PER_POINT
                for line in _cell_lines(tc):
                    n, m = measure(line)
                    natural[column] = max(natural[column], margin + (n + SLACK_EM) * em)
                    least[column] = max(least[column], margin + (m + SLACK_EM) * em)
            column += span
    widths = column_widths(natural, least, available)
    for col, width in zip(columns, widths):
        col.set(_w("w"), str(width))
    for tc, first, span in placed:
        pr = tc.find(_w("tcPr"))
        if pr is None:
            pr = etree.Element(_w("tcPr"))
            tc.insert(0, pr)
        tcw = pr.find(_w("tcW"))
        if tcw is None:  # tcW comes first in tcPr, after a table style's cnfStyle only
            tcw = etree.Element(_w("tcW"))
            pr.insert(1 if len(pr) and pr[0].tag == _w("cnfStyle") else 0, tcw)
        tcw.set(_w("w"), str(sum(widths[first:first + span])))
        tcw.set(_w("type"), "dxa")
    tblw = tbl.find(f"{_w('tblPr')}/{_w('tblW')}")
    if tblw is not None:
        tblw.set(_w("w"), str(sum(widths)))
        tblw.set(_w("type"), "dxa")
