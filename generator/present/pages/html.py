"""Small HTML/Markdown helpers shared by the page modules: links between pages, tables, the Page (escaping: markup)."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Sequence

import yaml

from generator.present.markup import Raw, phone, text

_NEEDS_ESCAPE = re.compile(r"[&<>\"']")
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, where PyYAML was built with it: 10× faster


@lru_cache(maxsize=4096)
def _relative(here_dir: str, target: str) -> str:
    return posixpath.relpath(target, here_dir or ".")


def href(here: str, target: str) -> str:
    """The relative .html address of target (a docs path like patients/P001.md) from page here."""
    rel = _relative(posixpath.dirname(here), target)
    return rel[:-3] + ".html" if rel.endswith(".md") else rel


def a(here: str, target: str, label: Any) -> str:
    return f'<a href="{href(here, target)}">{text(label)}</a>'


def a_to(here: str, target: str, anchor: str, label: Any) -> str:
    """A link to a section of another page (anchor: the heading's id, letters and digits only)."""
    return f'<a href="{href(here, target)}#{html.escape(anchor)}">{text(label)}</a>'


def cell(value: Any) -> str:
    """A table cell's markup: Raw as it is, everything else as text (the common types checked first: hot path)."""
    kind = type(value)
    if kind is str:
        return html.escape(value) if _NEEDS_ESCAPE.search(value) else value
    if kind is Raw:
        return value
    if value is None:
        return ""
    if kind is date:
        return value.isoformat()
    if kind is int:
        return str(value)
    return text(value)


# Columns whose values must stay on one line (names, statuses, codes, dates, phones, ID numbers, days), by their header:
# a printed list must not break a three-character name after two characters nor 2026-09-23 into 2026-09- / 23.
_NOWRAP = re.compile(r"编号|日期|电话|手机|身份证|天数|^(姓名|在管状态|当前危险性|末次面访|小组|帮扶小组|逾期|日期|签订|到期|入院|出院|末次随访|下次应随访|下次随访|年龄)$")
# Columns a phone's card shows before the fold (besides the first two): when it is due, how late, whom to call;
# what differs between the 台账 and another list (信息比对: 项目, 台账, 名单).
_KEY = re.compile(r"编号|姓名|应办日期|逾期|电话|手机|下次应随访|列入日期|随访日期|事件日期|点名日期|数量"
                  r"|^(数值|目标|达标|监护人|现住址|应办事项|危险性|病情分类|下次随访|要办的事|紧急程度|项目|台账|名单)$")
FOLD_AFTER = 4  # a table of at most this many columns shows every field on a phone's card


def _column_classes(headers: Sequence[str], fold: bool = True) -> list[str]:
    """Each column's th attributes: nowrap (jf-nw), folded on phones (jf-more). assets/jingfang.js copies them and
    the header (as data-label) onto the column's cells when the page opens, so they are written once per table, not
    once per cell (at county scale that is a third of the pages' size)."""
    out = []
    for i, header in enumerate(headers):
        classes = (["jf-nw"] if _NOWRAP.search(header) else []) + (
            [] if not fold or i < 2 or len(headers) <= FOLD_AFTER or _KEY.search(header) else ["jf-more"])
        out.append(f' class="{" ".join(classes)}"' if classes else "")
    return out


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, cls: str = "jf-table",
          searches: Sequence[str] | None = None, fold: bool = True) -> str:
    """An HTML table block; searches adds extra hidden text per row for the filter box (e.g. an ID tail); fold=False
    shows every field on a phone's card (a card hides an empty cell: a table of counts leaves its zeros blank).

    Below 600 px wide the stylesheet shows each row as a card, each field labelled by its column's header.
    """
    attrs = _column_classes(headers, fold)
    if len(headers) <= 2:
        cls += " jf-flat"  # two columns fit a phone as they are
    out = [f'<table class="{cls}">',
           "<thead><tr>" + "".join(f"<th{attrs[j]}>{html.escape(h)}</th>" for j, h in enumerate(headers)) + "</tr></thead>",
           "<tbody>"]
    for i, row in enumerate(rows):
        extra = f' data-search="{html.escape(searches[i])}"' if searches else ""
        out.append(f"<tr{extra}>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n\n" + "".join(out) + "\n\n"


def person_phone(name: Any, number: Any) -> Raw:
    """A name and a phone in one cell (组长及电话): the phone a tel: link when in full."""
    return Raw(" ".join(part for part in (text(name), phone(number)) if part))


def filter_box(placeholder: str = "输入姓名、编号、身份证号后几位、村社区……筛选") -> str:
    return (f'\n\n<div class="jf-filter-bar jf-noprint"><input class="jf-filter" type="search" '
            f'placeholder="{html.escape(placeholder)}" aria-label="筛选"><span class="jf-count"></span></div>\n\n')


@dataclass
class Page:
    """One page of the site.

    The title is shown unencrypted (browser tab, header): fixed words and codes only, never a name. The heading
    and body are inside the ciphertext. A table of contents is shown beside the page only when asked for (toc):
    it is outside the ciphertext, so only pages whose headings are fixed labels may have one. owner is whose page it
    is, declared where it is made: a village's code (its pages, and its patients' and groups'), a department's access
    level (contract.access.department_level), or None for the township. level is the access level the build gives it
    (pages.with_levels: the owner's when the owner has a password; None: the township's).
    """

    title: str
    body: str
    heading: str | None = None
    toc: bool = False
    level: str | None = None  # the encryption level (encryption.py): a village code or the entry level
    owner: str | None = None

    def markdown(self) -> str:
        """The page as Markdown with YAML front matter (written by a YAML serializer: values are data)."""
        meta: dict[str, Any] = {"title": html.escape(self.title)}  # Material writes the title into HTML as it is
        if not self.toc:
            meta["hide"] = ["toc"]
        if self.level is not None:
            meta["level"] = self.level
        front = yaml.dump(meta, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n\n# {text(self.heading or self.title)}\n\n{self.body.strip()}\n"


def page(title: str, body: str, *, heading: str | None = None, toc: bool = False, owner: str | None = None) -> Page:
    """A page of the site (see Page): title codes only; heading, when given, may name a village; owner, whose it is
    (None: the township's)."""
    return Page(title, body, heading, toc, owner=owner)


def badge(label: str, kind: str) -> Raw:
    """A coloured marker: kind is ok, late, warn or info."""
    return Raw(f'<span class="jf-badge jf-{kind}">{html.escape(label)}</span>')


def print_button(label: str = "打印本页") -> str:
    return f'\n\n<p class="jf-noprint"><button class="md-button" onclick="window.print()">{html.escape(label)}</button></p>\n\n'

