"""Workbooks as other programs save them, built in code: raw-XML edits openpyxl cannot express.

Each helper takes an .xlsx written by ``tests.workbooks.write_sheets`` and rewrites one part of it in place:
an error value or an empty cached value in a cell, a far-away cell, a declared dimension, a shared-strings count;
and copies saved by LibreOffice itself, converted or edited by a Basic macro as a clerk would type.
``python tests/messy.py OUT.xlsx`` dumps the far-cell workbook.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from generator.read.xmlscan import sheet_parts


def rewrite_part(path: Path, part: str, change: Callable[[str], str]) -> Path:
    """Rewrite one XML part of the zip in place."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)
    return path


def rewrite_sheet(path: Path, title: str, change: Callable[[str], str]) -> Path:
    """Rewrite the XML of the sheet with this title."""
    with zipfile.ZipFile(path) as zf:
        part = sheet_parts(zf)[title]
    return rewrite_part(path, part, change)


def set_raw_cell(path: Path, title: str, ref: str, inner: str, attrs: str = "") -> Path:
    """Put ``<c r=ref attrs>inner</c>`` into the sheet, replacing the cell there or adding it (and its row)."""
    row = int(re.sub(r"[A-Z]", "", ref))
    cell = f'<c r="{ref}"{attrs}>{inner}</c>'

    def change(xml: str) -> str:
        old = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
        if old.search(xml):
            return old.sub(lambda _: cell, xml, count=1)
        row_re = re.compile(rf'(<row r="{row}"[^>]*>.*?)(</row>)', re.S)
        if row_re.search(xml):
            return row_re.sub(lambda m: m.group(1) + cell + m.group(2), xml, count=1)
        return xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>')
    return rewrite_sheet(path, title, change)


def error_value(path: Path, title: str, ref: str, error: str = "#N/A", formula: str | None = "NA()") -> Path:
    """A cell holding an Excel error value, with or without the formula that produced it."""
    f = f"<f>{formula}</f>" if formula else ""
    return set_raw_cell(path, title, ref, f"{f}<v>{error}</v>", ' t="e"')


def empty_result(path: Path, title: str, ref: str) -> Path:
    """A formula whose cached result is the empty string, as LibreOffice saves ``=IF(…;"";…)``."""
    return set_raw_cell(path, title, ref, '<f>IF(1=1,"","x")</f><v></v>', ' t="str"')


def far_cell(path: Path, title: str, ref: str = "XFD1048576", text: str = "x") -> Path:
    """A stray value far from the data (a clerk pressed Ctrl+End and typed)."""
    return set_raw_cell(path, title, ref, f"<is><t>{text}</t></is>", ' t="inlineStr"')


def declare_dimension(path: Path, title: str, ref: str) -> Path:
    """The sheet's <dimension> says ref, whatever the cells are."""
    def change(xml: str) -> str:
        if "<dimension " in xml:
            return re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml, count=1)
        return xml.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)
    return rewrite_sheet(path, title, change)


def declare_shared_strings(path: Path, count: int) -> Path:
    """Give the workbook a shared-strings table (openpyxl writes inline strings) that claims count strings."""
    return add_shared_strings(path, f'count="{count}" uniqueCount="{count}"><si><t>x</t></si>')


def add_shared_strings(path: Path, table: str) -> Path:
    """Add a shared-strings part (as Excel saves text) whose <sst> element carries table (its attributes and items)."""
    sst = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {table}</sst>'
    rel = ('<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    kind = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", sst)
    rewrite_part(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace("</Relationships>", rel))
    return rewrite_part(path, "[Content_Types].xml", lambda xml: xml.replace("</Types>", kind))


def whitespace_run(path: Path, title: str, size: int) -> Path:
    """size bytes of whitespace between two rows of the sheet (a broken export)."""
    return rewrite_sheet(path, title, lambda xml: xml.replace("</row>", "</row>" + " " * size, 1))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_copy(source: Path, out_dir: Path, fmt: str = "xlsx") -> Path:
    """source opened and saved by LibreOffice itself (``soffice --headless --convert-to``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out_dir), str(source)], check=True, capture_output=True, timeout=180)
    return out_dir / (source.stem + "." + fmt)


BASIC_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
{code}
</script:module>
"""


def basic_text(text: str) -> str:
    """A Basic string expression for text: Chr() for line breaks and spaces Basic source cannot hold as typed."""
    parts = re.split("([\n\u3000])", text)
    return " & ".join(f"Chr({ord(p)})" if p in ("\n", "\u3000") else '"' + p.replace('"', '""') + '"'
                      for p in parts if p) or '""'


def libreoffice_edit(source: Path, out: Path, edits: list[tuple[int, str, str, str]]) -> Path:
    """Open source in LibreOffice, make edits with a Basic macro as a clerk would type them, save as .xlsx.

    Each edit is (sheet index, cell, "text" or "formula", what is typed).
    """
    profile = out.parent / "lo-macro-profile"
    libreoffice_copy(source, out.parent / "lo-init")  # a first run creates the profile and its Basic library
    lines = ["Sub Edit(src As String, dst As String)",
             "  Dim args(0) As New com.sun.star.beans.PropertyValue",
             '  args(0).Name = "Hidden"', "  args(0).Value = True",
             '  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), "_blank", 0, args())']
    for sheet, cell, kind, typed in edits:
        call = "setString" if kind == "text" else "setFormula"
        lines.append(f'  doc.Sheets.getByIndex({sheet}).getCellRangeByName("{cell}").{call}({basic_text(typed)})')
    lines += ["  doc.calculateAll()", "  Dim opts(0) As New com.sun.star.beans.PropertyValue",
              '  opts(0).Name = "FilterName"', '  opts(0).Value = "Calc MS Excel 2007 XML"',
              "  doc.storeToURL(ConvertToURL(dst), opts())", "  doc.close(True)", "End Sub"]
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    shutil.copytree(out.parent / "lo-init" / "lo-profile", profile, dirs_exist_ok=True)
    module.write_text(BASIC_MODULE.format(code=escape("\n".join(lines), {'"': "&quot;"})), encoding="utf-8")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    f'macro:///Standard.Module1.Edit("{source}","{out}")'], check=True, capture_output=True, timeout=180)
    return out


if __name__ == "__main__":
    from tests.workbooks import valid_sheets, write_sheets
    out = write_sheets(Path(sys.argv[1] if len(sys.argv) > 1 else "far-cell.xlsx"), valid_sheets())
    print(far_cell(out, "随访记录"))
