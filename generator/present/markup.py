"""Text that is never markup, markup that already is (Raw), and phones as tel: links: shared by the site's pages and
the documents printed from them."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

# what HTML and Markdown read as markup: links and images ([ ] !), emphasis, code, attribute lists ({ }), tables,
# headings, raw HTML. Written as character references, which both pass through as the character itself.
_MARKUP = re.compile(r"[&<>\"'\\`*_\[\]{}!|~#]")


def _reference(match: re.Match) -> str:
    return f"&#{ord(match.group())};"


def text(value: Any) -> str:
    """A value as display text that is never markup, in HTML and Markdown alike: dates ISO, 是/否, lists with 、."""
    if isinstance(value, str):
        return _MARKUP.sub(_reference, value) if _MARKUP.search(value) else value  # most values need no escaping
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return text("、".join(str(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.escape(str(value))


class Raw(str):
    """Markup that is already escaped (links, badges)."""


_NOT_DIALLED = re.compile(r"[^0-9+\-]")


def phone(value: Any) -> Raw:
    """A phone number shown in full as a tap-to-call tel: link (only digits, + and - reach the address); a masked
    (138****5678) or empty value stays plain text."""
    shown = text(value)
    number = _NOT_DIALLED.sub("", value) if isinstance(value, str) and "*" not in value else ""
    if sum(c.isdigit() for c in number) < 3:
        return Raw(shown)
    return Raw(f'<a class="jf-tel jf-nw" href="tel:{number}">{shown}</a>')
