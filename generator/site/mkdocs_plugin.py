"""The ``jingfang`` mkdocs plugin (runs inside the mkdocs child processes of ``jingfang build``).

1. Restore the HTML fragments that ``site.split_fragments`` took out of the Markdown into one store file: our tables
   are ready-made HTML, and Python-Markdown's HTML parsing of them was the largest single cost of a build. They come
   back just before each page is rendered, and the page's content is dropped once it is written, so a shard holds
   one page's HTML at a time rather than all of them.
2. Keep the table of contents (rendered outside the ciphertext) to fixed labels: a page that hides it gets none at
   all (Material would still write a hidden one), and no page's keeps its first heading (it may name a village).
3. Drive the encryption plugin through generator.site.encryption: hand it the passwords from the environment, compile its
   form once, in sharded builds give every shard the same level keys so one unlock opens every page of a level, and
   pad every page's HTML to a size bucket before it is encrypted (ciphertext sizes would count rows), and (the first
   shard) write the level probe that lets a page recognise any password of the site (encryption.level_probe).
4. Render Material's navigation (tabs, sidebar and table of contents) once per kind of page rather than per page
   (``jf_reuse``, called from overrides/main.html): it was a quarter of a shard's time. Keep the theme's compiled
   templates between builds (a user cache folder, when there is one), render the 404 page in the first shard only
   and no sitemap (the build would delete it).
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
from functools import lru_cache
from typing import BinaryIO

from jinja2 import FileSystemBytecodeCache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.toc import TableOfContents

from generator.site import encryption

PLACEHOLDER = re.compile(r"<!--jf:(\d+):(\d+)-->")  # byte offset and length in the fragment store


class NavReuse:
    """``jf_reuse(block, page, nav, super)``: the block's HTML, rendered once per key and reused.

    A page that is not in the nav (no nav item is active: patients, groups, lists, batches) gets from Material the
    same tabs and sidebar as every other such page in its folder (links are relative to the folder) with the same
    hidden parts and, for the sidebar, the same table of contents. Pages in the nav are rendered as usual.
    """

    def __init__(self) -> None:
        self.html: dict[tuple, object] = {}

    def __call__(self, block: str, page, nav, render):
        key = reuse_key(block, page, nav)
        if key is None:
            return render()
        if key not in self.html:
            self.html[key] = render()
        return self.html[key]


def reuse_key(block: str, page, nav) -> tuple | None:
    """What Material's block (tabs or site_nav) depends on for a page outside the nav; None for a page in it."""
    if page is None or nav is None or any(item.active for item in nav):
        return None
    contents = _toc(page.toc) if block == "site_nav" else ()
    return block, posixpath.dirname(page.url), tuple((page.meta or {}).get("hide") or ()), contents


def _toc(items) -> tuple:
    return tuple((item.title, item.url, item.level, getattr(item, "typeset", None), _toc(item.children))
                 for item in items)


class NoSearchNotice(logging.Filter):
    """Drop the encryption plugin's warning that there is no search plugin: the site has none on purpose (an index
    would hold every page in plaintext), and under --strict every other warning fails the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return '"search" plugin wasn\'t enabled' not in record.getMessage()


logging.getLogger("mkdocs.plugins.encryptcontent").addFilter(NoSearchNotice())


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates (it checks each template's source against the cached code and writes
    through a temp file and a rename), except that a cache it cannot write only costs the next build the compiling."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class JingfangConfig(base.Config):
    fragments = c.Type(str, default="")  # the fragment store written by site.Staging (in the private temp folder)
    primary = c.Type(bool, default=True)  # the first (or only) shard: it renders the site-wide 404 page
    template_cache = c.Type(str, default="")  # a folder for the theme's compiled templates ("": none)


@lru_cache(maxsize=1)
def _store(path: str) -> BinaryIO:
    return open(path, "rb")  # read-only, open for the life of this mkdocs process


class JingfangPlugin(BasePlugin[JingfangConfig]):
    """jingfang's own steps inside mkdocs (see the module docstring)."""

    probe = ""  # the level probe's script (encrypted builds)

    @event_priority(100)  # before the encryption plugin reads its password inventory
    def _passwords(self, config, **kwargs):
        secrets = os.environ.get(encryption.SECRETS_ENV)
        if secrets:
            encryption.install_passwords(config, secrets)
        return config

    @event_priority(-100)  # after the encryption plugin has read its inventory and made its keys
    def _shared_keys(self, config, **kwargs):
        if encryption.PLUGIN in config.plugins:
            encryption.compile_form_once()
            keys = os.environ.get(encryption.LEVEL_KEYS_ENV)
            if keys:
                encryption.install_level_keys(config, keys)
            entries = os.environ.get(encryption.LEVEL_ENTRIES_ENV)
            if entries is not None:
                self.probe = encryption.level_probe(config, json.loads(entries))
        return config

    on_config = CombinedEvent(_passwords, _shared_keys)

    def on_env(self, env, config, files, **kwargs):
        env.globals["jf_reuse"] = NavReuse()
        if self.config.template_cache:
            env.bytecode_cache = TemplateCache(self.config.template_cache)
        config.theme.static_templates.discard("sitemap.xml")  # a list of every page's address helps nobody inside
        if not self.config.primary:
            config.theme.static_templates.discard("404.html")
        return env

    def _fragment(self, match: re.Match) -> str:
        store = _store(self.config.fragments)
        store.seek(int(match.group(1)))
        return store.read(int(match.group(2))).decode("utf-8")

    def _restore(self, html: str | None) -> str | None:
        return PLACEHOLDER.sub(self._fragment, html) if html and "<!--jf:" in html else html

    # mkdocs converts every page before it renders any, so whatever page.content holds, it holds for all pages at
    # once. The fragments therefore come back only when the page is rendered, and its content is let go once written.

    @event_priority(100)  # before the encryption plugin encrypts the page's HTML (in its own on_page_context)
    def on_page_context(self, context, page, config, **kwargs):
        page.content = self._restore(page.content)
        secret = encryption.page_secret(page)
        if secret and secret.get("html_to_encrypt"):
            secret["html_to_encrypt"] = encryption.pad(self._restore(secret["html_to_encrypt"]))
        return context

    def on_page_content(self, html, page, config, **kwargs):
        if "toc" in (page.meta.get("hide") or []):
            page.toc = TableOfContents([])
        else:
            page.toc = TableOfContents([child for item in page.toc
                                        for child in (item.children if item.level == 1 else [item])])
        return html

    @event_priority(-100)  # after every plugin is done with the page
    def on_post_page(self, output, page, config, **kwargs):
        page.content = None
        return output

    def on_post_build(self, config, **kwargs):
        if self.probe and self.config.primary:
            target = os.path.join(config.site_dir, *encryption.PROBE_FILE.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                out.write(self.probe)
