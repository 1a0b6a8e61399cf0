"""mkdocs hooks for ``jingfang build`` (loaded by the generated config's ``hooks:``; runs inside mkdocs).

1. Restore the HTML fragments that ``site.split_fragments`` took out of the Markdown into one store file: our tables
   are ready-made HTML, and Python-Markdown's HTML parsing of them was the largest single cost of a build. They come
   back just before each page is rendered, and the page's content is dropped once it is written, so a shard holds
   one page's HTML at a time rather than all of them.
2. Compile the encryption plugin's constant password-form template once instead of once per page.
3. When the site is built in parallel shards, give every shard the same level keys (made by the parent process),
   so that one unlock still opens every page of a level, whichever shard built it.
4. Keep the table of contents (rendered outside the ciphertext) to fixed labels: a page that hides it gets none at
   all (Material would still write a hidden one), and no page's keeps its first heading (it may name a village).
5. Hand the passwords to the encryption plugin from the process's environment, as strings: the config file never
   holds them, and no YAML parsing turns a password such as 0x1234ABCDEF or 2026-09-30 into a number or a date.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import BinaryIO

import jinja2
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.toc import TableOfContents

PLACEHOLDER = re.compile(r"<!--jf:(\d+):(\d+)-->")  # byte offset and length in the fragment store
FRAGMENTS_ENV = "JINGFANG_FRAGMENTS"  # path of the fragment store (in the private temp folder), set by site.py
LEVEL_KEYS_ENV = "JINGFANG_LEVEL_KEYS"  # level → hex key, set by site.build_site for sharded builds
SECRETS_ENV = "JINGFANG_SECRETS"  # level → [passwords], set by site.Staging.build


@lru_cache(maxsize=8)
def _template(source: str) -> jinja2.Template:
    return jinja2.Template(source)


@event_priority(100)  # before the encryption plugin reads its password inventory
def _passwords(config, **kwargs):
    secrets = os.environ.get(SECRETS_ENV)
    if secrets and "encryptcontent" in config.plugins:
        inventory = json.loads(secrets)
        config.plugins["encryptcontent"].config["password_inventory"] = {
            str(level): [str(pw) for pw in passwords] for level, passwords in inventory.items()}
    return config


@event_priority(-100)  # after the encryption plugin has read its password inventory and made its keys
def _after_encryption_setup(config, **kwargs):
    if "encryptcontent" not in config.plugins:
        return config
    from encryptcontent import plugin as encryptcontent

    if getattr(encryptcontent, "Template", None) is jinja2.Template:
        encryptcontent.Template = _template  # same call, same result: jinja2.Template(source)
    shared = os.environ.get(LEVEL_KEYS_ENV)
    if shared:
        _install_level_keys(config.plugins["encryptcontent"].setup, json.loads(shared))
    return config


on_config = CombinedEvent(_passwords, _after_encryption_setup)


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


@lru_cache(maxsize=1)
def _store(path: str) -> BinaryIO:
    return open(path, "rb")  # read-only, open for the life of this mkdocs process


def _fragment(match: re.Match) -> str:
    store = _store(os.environ[FRAGMENTS_ENV])
    store.seek(int(match.group(1)))
    return store.read(int(match.group(2))).decode("utf-8")


def _restore(html: str | None) -> str | None:
    return PLACEHOLDER.sub(_fragment, html) if html and "<!--jf:" in html else html


# mkdocs converts every page before it renders any, so whatever page.content holds, it holds for all pages at once.
# The fragments therefore come back only when the page is rendered, and its content is let go once it is written.

@event_priority(100)  # before the encryption plugin encrypts the page's HTML (in its own on_page_context)
def on_page_context(context, page, config, **kwargs):
    page.content = _restore(page.content)
    secret = getattr(page, "encryptcontent", None)
    if secret and secret.get("html_to_encrypt"):
        secret["html_to_encrypt"] = _restore(secret["html_to_encrypt"])
    return context


def on_page_content(html, page, config, **kwargs):
    if "toc" in (page.meta.get("hide") or []):
        page.toc = TableOfContents([])
    else:
        page.toc = TableOfContents([child for item in page.toc for child in (item.children if item.level == 1 else [item])])
    return html


@event_priority(-100)  # after every plugin is done with the page
def on_post_page(output, page, config, **kwargs):
    page.content = None
    return output
