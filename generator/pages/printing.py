"""What every printed page carries: 内部资料 注意保密, the township's name and 第 N 页 共 M 页 (jingfang.css @page).

The stylesheet draws the mark and page numbers in the page margins; the township's name reaches it as a CSS custom
property set inside each page's body, so it is encrypted with the page rather than written into the site's config.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .html import Page

MARK = "内部资料 注意保密"  # also in jingfang.css (@page @top-left), which cannot read it from here


def css_string(value: str) -> str:
    """A CSS string literal of value with every character but letters and digits escaped (no way out of it)."""
    return '"' + "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):x} " for ch in value) + '"'


def print_header(township: str) -> str:
    """The markup that hands the township's name to the printed page's margin (see jingfang.css)."""
    return f"<style>:root {{ --jf-township: {css_string(township)}; }}</style>\n\n"


def with_print_header(pages: Iterable[tuple[str, Page]], township: str) -> Iterator[tuple[str, Page]]:
    """Each page with the print header at the start of its (encrypted) body."""
    header = print_header(township)
    for rel, item in pages:
        item.body = header + item.body
        yield rel, item
