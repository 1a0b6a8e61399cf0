"""Word (.docx) documents from Word templates, rendered with docxtpl in Jinja's sandbox, several to a file.

A township may replace a default template (pages/templates/word/) with its own copy edited in Word or WPS, saved as
协议模板/<文书名>.docx beside the workbook. Like the HTML templates, a .docx template is written by whoever can write
to that folder, so it is read only as a regular file of its own (own_templates), its outbound references are taken
out (word_clean), and it is rendered in the bounded immutable sandbox (no Python internals, no endless loop) with
autoescape on: every value is escaped as XML text, so a name cannot add markup to the document.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError
from jinja2.exceptions import SecurityError

from generator.read.inputs import MB
from generator.present.own_templates import OVERRIDE_FOLDER, WORD_LIMIT, TemplateProblem, own_template, read_template
from generator.present.sandbox import BoundedSandbox
from generator.present.word_clean import NotAWordFile, strip_outbound
from generator.present.word_layout import fit_tables

DEFAULTS = Path(__file__).resolve().parent / "pages" / "templates" / "word"
SUFFIX = ".docx"
# characters XML 1.0 cannot hold (a pasted control character); Word refuses a file that has one
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DOCUMENT_XML = 64 * MB  # the most XML one rendered part may be (a township's monthly report is a few MB)


class Sandbox(BoundedSandbox):
    """The bounded sandbox, compiling each source once: a batch renders the same template XML per document."""

    def __init__(self) -> None:
        super().__init__(max_text=DOCUMENT_XML)
        self.compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        if source not in self.compiled:
            self.compiled[source] = super().from_string(source)
        return self.compiled[source]


def template_path(title: str, workbook_dir: Path | None) -> Path:
    """The township's own 协议模板/<title>.docx when anything is there (a link too: reading it refuses it), else
    the default."""
    own = own_template(workbook_dir / OVERRIDE_FOLDER, f"{title}{SUFFIX}") if workbook_dir else None
    return own or DEFAULTS / f"{title}{SUFFIX}"


def display_name(path: Path) -> str:
    """协议模板/<name>.docx for a township's own template, the file name for a default."""
    return f"{path.parent.name}/{path.name}" if path.parent.name == OVERRIDE_FOLDER else path.name


def read_word_template(path: Path) -> bytes:
    """A Word template's bytes, read as a regular file and without outbound references; TemplateProblem otherwise."""
    try:
        return strip_outbound(read_template(path, "Word 模板", WORD_LIMIT))
    except NotAWordFile:
        raise TemplateProblem(not_word(display_name(path))) from None


def not_word(name: str) -> str:
    return (f"Word 模板“{name}”打不开：它不是 Word 文档（.docx）。请在 Word 或 WPS 中“另存为 .docx”后再放进"
            f"“{OVERRIDE_FOLDER}”文件夹。")


def clean(value: object) -> object:
    """A context with every text made fit for XML (nested dicts and lists too)."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def render_one(template: bytes, name: str, ctx: dict, env: Sandbox) -> DocxTemplate:
    """One document rendered from a template's bytes, sandboxed; TemplateProblem names the file."""
    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise TemplateProblem(not_word(name)) from None
    try:
        doc.render(clean(ctx), jinja_env=env, autoescape=True)
    except SecurityError as exc:
        raise TemplateProblem(f"Word 模板“{name}”里有不允许的写法（{exc}）：模板里只能用占位符和简单的判断，不能调用程序。"
                              "可用的占位符见网站的“文书模板说明”页。") from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:  # 1/0, 2.0 ** 5000 …
        raise TemplateProblem(f"Word 模板“{name}”有问题：{exc}。可用的占位符见网站的“文书模板说明”页。") from None
    return doc


def page_break() -> OxmlElement:
    """A run that starts a new page."""
    run = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run.append(br)
    return run


def append(first: DocxTemplate, part: DocxTemplate) -> None:
    """Add a document rendered from the same template to the end of first, starting on a new page."""
    end = first.docx.element.body.find(qn("w:sectPr"))  # the page settings stay the last child of the body
    elements = [e for e in part.docx.element.body if e.tag != qn("w:sectPr")]
    if elements and elements[0].tag == qn("w:p"):
        # the break opens the next document's first paragraph: no empty line, no blank page after a full one
        ppr = elements[0].find(qn("w:pPr"))
        elements[0].insert(0 if ppr is None else 1, page_break())
    else:
        holder = OxmlElement("w:p")
        holder.append(page_break())
        elements.insert(0, holder)
    for element in elements:
        end.addprevious(element)  # moved, not copied: part is dropped afterwards


def render_documents(title: str, contexts: list[dict], workbook_dir: Path | None) -> bytes:
    """The documents of one template, one per context, as one .docx (one document per page)."""
    path = template_path(title, workbook_dir)
    template, name, env = read_word_template(path), display_name(path), Sandbox()
    first = render_one(template, name, contexts[0], env)
    for ctx in contexts[1:]:  # one at a time: a village's batch never holds all its documents twice over
        append(first, render_one(template, name, ctx, env))
    # LibreOffice and WPS keep the columns a file stores: store ones that fit the words each table now holds
    normal = first.docx.styles["Normal"].font.size
    fit_tables(first.docx.element.body, normal.pt if normal else 12.0)
    buffer = io.BytesIO()
    first.docx.save(buffer)
    return buffer.getvalue()
