"""mkdocs hooks for ``jingfang build`` (loaded by the generated config's ``hooks:``; runs inside mkdocs).

1. Restore the HTML fragments that ``site.write_docs`` took out of the Markdown: our tables are ready-made HTML, and
   Python-Markdown's HTML parsing of them was the largest single cost of a build.
2. Compile the encryption plugin's constant password-form template once instead of once per page.
3. When the site is built in parallel shards, give every shard the same level keys (made by the parent process),
   so that one unlock still opens every page of a level, whichever shard built it.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority

PLACEHOLDER = re.compile(r"<!--jf:(\d+)-->")
FRAGMENTS = "fragments"  # beside the generated mkdocs.yml, inside the private temp folder
LEVEL_KEYS_ENV = "JINGFANG_LEVEL_KEYS"  # level → hex key, set by site.build_site for sharded builds


@lru_cache(maxsize=8)
def _template(source: str) -> jinja2.Template:
    return jinja2.Template(source)


@event_priority(-100)  # after the encryption plugin has read its password inventory and made its keys
def on_config(config, **kwargs):
    try:
        from encryptcontent import plugin as encryptcontent
    except ImportError:
        return config
    if getattr(encryptcontent, "Template", None) is jinja2.Template:
        encryptcontent.Template = _template  # same call, same result: jinja2.Template(source)
    shared = os.environ.get(LEVEL_KEYS_ENV)
    if shared:
        _install_level_keys(config.plugins["encryptcontent"].setup, json.loads(shared))
    return config


def _install_level_keys(setup: dict, keys: dict[str, str]) -> None:
    """Replace each level's random key, in the level table and in every password's keystore."""
    if set(setup["level_keys"]) != set(keys):
        raise ValueError("sharded build: levels differ between the parent and mkdocs")
    for level, entry in setup["level_keys"].items():
        key = bytes.fromhex(keys[level])
        for store in setup["keystore"].values():
            if entry["id"] in store:
                store[entry["id"]] = key.hex()
        entry["key"] = key


@event_priority(100)  # before the encryption plugin takes the page's HTML
def on_page_content(html, page, config, **kwargs):
    if "<!--jf:" not in html:
        return html
    path = Path(config.config_file_path).parent / FRAGMENTS / (page.file.src_uri + ".json")
    parts = json.loads(path.read_text(encoding="utf-8"))
    return PLACEHOLDER.sub(lambda m: parts[int(m.group(1))], html)
