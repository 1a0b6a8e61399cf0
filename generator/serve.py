"""A local web server for a built site: 127.0.0.1 only, never the network."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class SiteMissing(Exception):
    """There is no built site to serve."""


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # the pages hold personal data: no caching by the browser, no embedding, no referrer leaving the site
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # a request log would list every patient page opened


def make_server(site: Path, port: int) -> ThreadingHTTPServer:
    """A server for site on 127.0.0.1:port (port 0 picks a free one)."""
    if not (site / "index.html").is_file():
        raise SiteMissing(f"“{site}”里没有网站（缺少 index.html），请先运行 jingfang build。")
    handler = functools.partial(_Handler, directory=str(site))
    return ThreadingHTTPServer((HOST, port), handler)
