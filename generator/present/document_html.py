"""Documents as HTML: the township's own templates (协议模板/ beside the workbook, else the defaults) rendered in
Jinja's bounded sandbox, then cleaned to document markup.

Anyone who can write to the workbook's folder can write a template, so a template is read only as a regular file of
its own (own_templates: never through a link), runs in Jinja's sandbox with bounds on time and memory (sandbox: no
access to Python internals, hence none to the machine or its passwords) and its output is cleaned by an allow-list
sanitizer: document markup only — no script, no event handlers, no links, images or styles that could reach out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateError
from jinja2.exceptions import SecurityError

from generator.contract.documents import ALL_DOCUMENTS
from generator.present.markup import phone
from generator.present.own_templates import HTML_LIMIT, OVERRIDE_FOLDER, FolderLoader, TemplateProblem, read_template
from generator.present.sandbox import BoundedSandbox
from generator.read.inputs import MB

DEFAULTS = Path(__file__).resolve().parent / "pages" / "templates"
DOCUMENT_TEXT = 8 * MB  # the most HTML one document may be (a township's monthly report is some hundred KB)


# the markup a printed document needs; everything else (and the content of script/style) is removed
DOCUMENT_TAGS = {"h1", "h2", "h3", "h4", "p", "br", "hr", "ol", "ul", "li", "strong", "em", "b", "i", "u", "small",
                 "sup", "sub", "span", "div", "section", "table", "thead", "tbody", "tr", "th", "td"}
DOCUMENT_ATTRIBUTES = {"*": {"class"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def environment(workbook_dir: Path | None) -> Environment:
    """Templates from 协议模板/ beside the workbook first (regular files only), then the defaults; all of them in
    the bounded sandbox."""
    env = BoundedSandbox(max_text=DOCUMENT_TEXT)
    loaders = [FolderLoader(workbook_dir / OVERRIDE_FOLDER)] if workbook_dir else []
    env.loader = ChoiceLoader(loaders + [FileSystemLoader(str(DEFAULTS))])
    return env


def override_templates(workbook_dir: Path) -> tuple[list[str], list[str]]:
    """The township's own templates beside the workbook: (used, ignored) file names. A template name that is not a
    regular file of its own (a link, a FIFO) is a TemplateProblem now, before any page is rendered."""
    folder = workbook_dir / OVERRIDE_FOLDER
    if not folder.is_dir():
        return [], []
    known = {f"{title}.html" for title in ALL_DOCUMENTS.values()}
    # Word templates (.docx) there are for `jingfang documents`, not the site
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "~$")) and not p.name.endswith(".docx")
                   and (p.name in known or p.is_file()))
    for name in names:
        if name in known:
            read_template(folder / name, OVERRIDE_FOLDER, HTML_LIMIT)
    return [n for n in names if n in known], [n for n in names if n not in known]


def sanitize(markup: str) -> str:
    """Document markup only: no script, no event handler, no URL of any kind."""
    return nh3.clean(markup, tags=DOCUMENT_TAGS, attributes=DOCUMENT_ATTRIBUTES, url_schemes=set())


def render_document(env: Environment, kind: str, ctx: dict) -> str:
    """One document from its template (the township's own or the default), sanitized, its phones linked."""
    name = f"{ALL_DOCUMENTS[kind]}.html"
    try:
        body = env.get_template(name).render(**ctx)
    except TemplateProblem:
        raise
    except SecurityError as exc:
        raise TemplateProblem(f"协议模板“{name}”里有不允许的写法（{exc}）：模板里只能用占位符和简单的判断，不能调用程序。"
                              "可用的占位符见网站的“文书模板说明”页。") from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:  # 1/0, 2.0 ** 5000 …
        raise TemplateProblem(f"协议模板“{name}”有问题：{exc}。可用的占位符见网站的“文书模板说明”页。") from None
    return f'\n\n{opening(kind)}\n{link_phones(sanitize(body), ctx)}\n</section>\n\n'


def opening(kind: str, more: str = "") -> str:
    """A document's opening tag: its kind as a class (jingfang.css sets its print size by it), and more classes."""
    return f'<section class="jf-doc jf-doc-{kind}{more}">'


def _phones(value: object, key: str = "") -> Iterator[str]:
    """Every phone number in a document's context (the values of keys ending in phone)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("phone") or isinstance(v, (dict, list)):
                yield from _phones(v, k)
    elif isinstance(value, list):
        for v in value:
            if key.endswith("phone") or isinstance(v, (dict, list)):
                yield from _phones(v, key)
    elif key.endswith("phone") and isinstance(value, str) and value:
        yield value


# a number in text (never inside a tag) that may be a phone: linked only when it is one of the context's phones
_NUMBER = re.compile(r"(?<![\d-])\+?\d[\d-]{5,}\d(?![\d-])(?![^<]*>)")


def link_phones(markup: str, ctx: dict) -> str:
    """The context's phone numbers in a sanitized document as tel: links, in text only (never inside a tag); the
    links are ours, added after the sanitizer, so a template still cannot link anywhere. Printed, they are text."""
    phones = set(_phones(ctx))
    if not phones:
        return markup
    return _NUMBER.sub(lambda m: phone(m.group(0)) if m.group(0) in phones else m.group(0), markup)
