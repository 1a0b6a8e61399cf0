"""What every printed page carries: 内部资料 注意保密, the township's name and 第 N 页 共 M 页 (jingfang.css @page).

The stylesheet draws the mark and page numbers in the page margins. The township's name reaches them as a CSS custom
property that jingfang.js sets from an element inside each page's body, so it is encrypted with the page rather than
written into the site's config (and no inline <style>, which the server's Content-Security-Policy refuses).
"""

from __future__ import annotations

import html
from typing import Iterable, Iterator

from generator.present.pages.html import Page


def print_header(township: str) -> str:
    """The hidden element jingfang.js reads the township's name from for the printed page's margin."""
    return f'<div class="jf-township" data-township="{html.escape(township, quote=True)}" hidden></div>\n\n'


def with_print_header(pages: Iterable[tuple[str, Page]], township: str) -> Iterator[tuple[str, Page]]:
    """Each page with the print header at the start of its (encrypted) body."""
    header = print_header(township)
    for rel, item in pages:
        item.body = header + item.body
        yield rel, item
