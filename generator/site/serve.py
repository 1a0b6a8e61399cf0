"""A local web server for a built site: 127.0.0.1 only, never the network, and nothing but the site's own files."""

from __future__ import annotations

import email.utils
import functools
import os
import stat
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, Callable
from urllib.parse import quote, unquote, urlsplit

HOST = "127.0.0.1"
# seconds a connection may stay silent (before its request, or between keep-alive requests): a client that connects
# and sends nothing would otherwise hold a thread for ever; a browser on this machine sends at once
REQUEST_TIMEOUT = 10
HOST_NAMES = ("127.0.0.1", "localhost")
NOT_FOUND = "没有这个页面。\n"
# The tightest policy the encrypted site works under in Chromium with no violation (tests/test_serve.py unlocks a
# site under it): the encryption plugin writes a different inline script into every page, the pages have onclick
# print buttons and style="display:none", and Material's icons are data: SVGs in its CSS. Nothing may be fetched,
# and no image, style or script may come from another origin. style-src keeps 'unsafe-inline' only for browsers
# that do not know style-src-elem/-attr (they would show hidden parts); newer ones allow no <style> element.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])


class CannotServe(Exception):
    """The site cannot be served: the message says why (no site there, the port in use)."""


class SiteMissing(CannotServe):
    """There is no built site to serve."""


def url_parts(url: str) -> list[str] | None:
    """The path components of a request URL, or None when one is a dotfile, "..", or holds a backslash or NUL."""
    parts = [p for p in unquote(urlsplit(url).path).split("/") if p]
    # dotfiles include the build stamp; a backslash or NUL is something a file system might read differently
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    return parts


def site_file(site: Path, parts: list[str]) -> Path | None:
    """The regular file inside site that parts name (a folder names its index.html), or None."""
    root = site.resolve()
    try:
        path = root.joinpath(*parts).resolve()
        if path.is_dir():
            path = (path / "index.html").resolve()
        inside = path.relative_to(root)
    except (OSError, ValueError, RuntimeError):  # ValueError: a symlink led out of the site
        return None
    if any(p.startswith(".") for p in inside.parts) or not path.is_file():
        return None
    return path


class _Handler(SimpleHTTPRequestHandler):
    timeout = REQUEST_TIMEOUT  # StreamRequestHandler sets it on the socket; a silent read ends the connection

    def version_string(self) -> str:
        return "jingfang"  # not the Python version

    def end_headers(self) -> None:
        # the pages hold personal data: no caching by the browser, no embedding, no referrer leaving the site
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        """Headers for GET and HEAD (the only methods the base class answers); the open file or None."""
        if not self._host_allowed():
            # a page on another site that rebinds its own name to 127.0.0.1 sends its own name as Host
            port = self.server.server_address[1]
            return self._refuse(HTTPStatus.MISDIRECTED_REQUEST,
                                f"只能用 http://127.0.0.1:{port}/ 或 http://localhost:{port}/ 打开本网站。\n")
        parts = url_parts(self.path)
        path = None if parts is None else site_file(Path(self.directory), parts)
        if parts is None or path is None:
            return self._refuse(HTTPStatus.NOT_FOUND, NOT_FOUND)
        if path.name == "index.html" and not urlsplit(self.path).path.endswith(("/", "index.html")):
            # a folder named without its slash: the relative links of its index.html need the slash
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", "/" + "".join(quote(p) + "/" for p in parts))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self._open(path)

    def _host_allowed(self) -> bool:
        port = self.server.server_address[1]
        allowed = {name for host in HOST_NAMES for name in (host, f"{host}:{port}")}
        return (self.headers.get("Host") or "").strip().lower() in allowed

    def _open(self, path: Path) -> BinaryIO | None:
        try:
            file = open(path, "rb")
        except OSError:
            return self._refuse(HTTPStatus.NOT_FOUND, NOT_FOUND)
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            file.close()
            return self._refuse(HTTPStatus.NOT_FOUND, NOT_FOUND)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(info.st_size))
        self.send_header("Last-Modified", email.utils.formatdate(info.st_mtime, usegmt=True))
        self.end_headers()
        return file

    def _refuse(self, status: HTTPStatus, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # a request log would list every patient page opened


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a connection still open does not keep the process alive after Ctrl+C
    block_on_close = False  # nor does closing the server wait for it


def make_server(site: Path, port: int) -> ThreadingHTTPServer:
    """A server for site on 127.0.0.1:port (port 0 picks a free one)."""
    if not (site / "index.html").is_file():
        raise SiteMissing(f"“{site}”里没有网站（缺少 index.html），请先运行 jingfang build。")
    handler = functools.partial(_Handler, directory=str(site))
    return _Server((HOST, port), handler)


def serve_site(site: Path, port: int, say: Callable[[str], None]) -> None:
    """Serve site on 127.0.0.1:port until Ctrl+C, saying its address first and that it stopped at the end."""
    try:
        server = make_server(site, port)
    except OSError as exc:
        raise CannotServe(f"端口 {port} 无法使用（{exc.strerror}），请用 --port 换一个端口。") from None
    host, real_port = server.server_address[:2]
    say(f"网站地址：http://{host}:{real_port}/  （按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("已停止。")
    finally:
        server.server_close()
