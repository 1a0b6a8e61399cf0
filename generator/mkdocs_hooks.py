"""mkdocs hooks for ``jingfang build`` (loaded by the generated config's ``hooks:``; runs inside mkdocs).

1. Restore the HTML fragments that ``site.write_docs`` took out of the Markdown: our tables are ready-made HTML, and
   Python-Markdown's HTML parsing of them was the largest single cost of a build.
2. Compile the encryption plugin's constant password-form template once instead of once per page.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority

PLACEHOLDER = re.compile(r"<!--jf:(\d+)-->")
FRAGMENTS = "fragments"  # beside the generated mkdocs.yml, inside the private temp folder


@lru_cache(maxsize=8)
def _template(source: str) -> jinja2.Template:
    return jinja2.Template(source)


def on_config(config, **kwargs):
    try:
        from encryptcontent import plugin as encryptcontent
    except ImportError:
        return config
    if getattr(encryptcontent, "Template", None) is jinja2.Template:
        encryptcontent.Template = _template  # same call, same result: jinja2.Template(source)
    return config


@event_priority(100)  # before the encryption plugin takes the page's HTML
def on_page_content(html, page, config, **kwargs):
    if "<!--jf:" not in html:
        return html
    path = Path(config.config_file_path).parent / FRAGMENTS / (page.file.src_uri + ".json")
    parts = json.loads(path.read_text(encoding="utf-8"))
    return PLACEHOLDER.sub(lambda m: parts[int(m.group(1))], html)
