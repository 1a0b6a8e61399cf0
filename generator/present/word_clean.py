"""A Word template's outbound references, taken out when it is loaded, as the HTML sanitizer does for HTML.

A .docx can make Word reach out when the file is opened or its fields are updated: fields that fetch a picture or
text (INCLUDEPICTURE, INCLUDETEXT), open a link (HYPERLINK), ask another program (DDE, DDEAUTO, LINK), relationships
to anything outside the file (TargetMode="External": links, linked pictures, an attached template), and mail-merge
data sources. A township's template would carry them into every document printed from it; here a field's code goes
and its last result stays as text, a link keeps its text, and every external relationship and what uses it goes.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from generator.read.inputs import MB

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OUTBOUND_FIELD = re.compile(r"\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|HYPERLINK|DDEAUTO|DDE|LINK)\b", re.I)
UNPACKED_LIMIT = 64 * MB  # what a template's parts may hold unpacked (a zip bomb is refused before it is inflated)
PARTS_LIMIT = 2000
# elements that only point at a relationship: without it they go, rather than stay as a reference to nothing
_POINTERS = {f"{{{W}}}{tag}" for tag in ("attachedTemplate", "subDoc", "altChunk")}
_GONE = {f"{{{W}}}{tag}" for tag in ("attachedTemplate", "mailMerge")}  # reach out by what they are
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # no entities, DTDs or network


class NotAWordFile(Exception):
    """The template is not a .docx we can read, or unpacks to too much."""


def strip_outbound(data: bytes) -> bytes:
    """The .docx data without outbound references (parts that hold none are copied as they were)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            infos = source.infolist()
            if len(infos) > PARTS_LIMIT or sum(i.file_size for i in infos) > UNPACKED_LIMIT:
                raise NotAWordFile("unpacks to too much")
            parts = {i.filename: source.read(i) for i in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise NotAWordFile(str(exc)) from None
    removed: dict[str, set[str]] = {}  # part name → ids of the external relationships taken out of its .rels
    for name in [n for n in parts if n.endswith(".rels")]:
        parts[name], removed[_owner(name)] = _drop_external(parts[name])
    for name in [n for n in parts if n.endswith(".xml")]:
        parts[name] = _clean_part(parts[name], removed.get(name, set()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            target.writestr(info, parts[info.filename], compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _owner(rels: str) -> str:
    """The part a .rels part belongs to: word/_rels/document.xml.rels → word/document.xml."""
    folder, _, name = rels.rpartition("_rels/")
    return folder + name.removesuffix(".rels")


def _parse(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise NotAWordFile(str(exc)) from None


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_external(data: bytes) -> tuple[bytes, set[str]]:
    """A .rels part without its external relationships, and their ids."""
    if b"External" not in data:
        return data, set()
    root = _parse(data)
    gone = [rel for rel in root if rel.get("TargetMode") == "External"]
    for rel in gone:
        root.remove(rel)
    return _serialize(root), {rel.get("Id") for rel in gone}


def _clean_part(data: bytes, removed: set[str]) -> bytes:
    """An XML part without outbound fields, links, an attached template or a mail merge, nor uses of removed ids."""
    if not removed and not any(key in data for key in (b"fldSimple", b"instrText", b"hyperlink", b"attachedTemplate",
                                                       b"mailMerge")):
        return data
    root = _parse(data)
    for field in [f for f in root.iter(f"{{{W}}}fldSimple") if OUTBOUND_FIELD.match(f.get(f"{{{W}}}instr") or "")]:
        _unwrap(field)
    for run in _complex_outbound_runs(root):
        run.getparent().remove(run)
    for link in [h for h in root.iter(f"{{{W}}}hyperlink") if h.get(f"{{{R}}}id") is not None]:
        _unwrap(link)  # a link's target is always an external relationship: its text stays
    for element in [e for e in root.iter() if e.tag in _GONE]:
        element.getparent().remove(element)
    for element in list(root.iter()):
        for key in [k for k in element.attrib if k.startswith(f"{{{R}}}") and element.attrib[k] in removed]:
            if element.tag in _POINTERS and element.getparent() is not None:
                element.getparent().remove(element)
                break
            del element.attrib[key]
    return _serialize(root)


def _unwrap(element: etree._Element) -> None:
    """element replaced by its children (a field's result, a link's text)."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate([c for c in element if c.tag != f"{{{W}}}instrText"]):
        parent.insert(index + offset, child)
    parent.remove(element)


def _complex_outbound_runs(root: etree._Element) -> list[etree._Element]:
    """The runs that make up the code of each outbound complex field (begin … separate, and end): its result stays."""
    open_fields: list[dict] = []  # innermost last: {"runs": code runs so far, "instr": its code, "code": in code}
    doomed: list[etree._Element] = []
    for run in list(root.iter(f"{{{W}}}r")):
        char = run.find(f"{{{W}}}fldChar")
        kind = char.get(f"{{{W}}}fldCharType") if char is not None else None
        for field in open_fields:
            if field["code"]:
                field["runs"].append(run)  # a field nested in another's code is part of that code
        if kind == "begin":
            open_fields.append({"runs": [run], "instr": "", "code": True})
            continue
        if not open_fields:
            continue
        field = open_fields[-1]
        if field["code"]:
            field["instr"] += "".join(t.text or "" for t in run.iter(f"{{{W}}}instrText"))
        if kind == "separate":
            field["code"] = False
        elif kind == "end":
            open_fields.pop()
            if OUTBOUND_FIELD.match(field["instr"]):
                doomed += field["runs"] + ([] if run in field["runs"] else [run])
    return list(dict.fromkeys(doomed))
