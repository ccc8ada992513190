"""The preview server of `make serve` and `invoke review --serve`: a built folder over HTTP.

The standard library's handler serves the files (Pelican's own dev server sends no reply at
all for a missing page, where a reader's browser should get a 404). A missing page gets the
site's own 404 page, in the language of the path, as deploy/nginx.conf answers on the host.
"""

import errno
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from press.core.settings import LOCAL_HOSTS

NOT_FOUND_PAGE = "404.html"  # each language's, as NOTFOUND_SAVE_AS in pelicanconf.py


class PortInUse(Exception):
    """Another program already listens on the port asked for."""

    def __init__(self, port: int):
        super().__init__(f"port {port} is in use")
        self.port = port


class PreviewServer(ThreadingHTTPServer):
    """Serves `folder`; a missing page gets the 404 page of the language its path is in."""

    daemon_threads = True  # a browser's open connection keeps no one from stopping the server

    def __init__(self, folder: Path, address, languages, default_lang: str):
        self.folder = Path(folder)
        self.languages = tuple(languages)
        self.default_lang = default_lang
        try:
            super().__init__(address, partial(_Handler, directory=str(self.folder)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(address[1]) from None
            raise

    def not_found_page(self, url: str) -> Path | None:
        """The 404 page for `url`: that of the first language its path names (the review
        site's `/site/ko/…` too), else the default language's; None if the build has none."""
        path = unquote(urlsplit(url).path)
        parts = [part for part in path.split("/") if part not in ("", ".", "..")]
        for depth, part in enumerate(parts):
            if part in self.languages:
                page = self.folder.joinpath(*parts[: depth + 1], NOT_FOUND_PAGE)
                break
        else:
            page = self.folder / self.default_lang / NOT_FOUND_PAGE
        inside = page.resolve().is_relative_to(self.folder.resolve())  # no `..` out of it
        return page if inside and page.is_file() else None


def preview_server(
    folder: Path, port: int, languages, default_lang: str, host: str = "127.0.0.1"
) -> PreviewServer:
    """A server bound to `host`:`port` for `folder`, not yet serving (call serve_forever).

    Raises PortInUse when another program listens on the port.
    """
    return PreviewServer(folder, (host, port), languages, default_lang)


class _Handler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def send_error(self, code, message=None, explain=None):
        """A missing page: the site's 404 page with status 404; any other error as usual."""
        page = self.server.not_found_page(self.path) if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def served_siteurl(siteurl: str, port: int) -> str:
    """The site's address while the preview serves it on `port`: a SITEURL on this machine
    takes that port, so that feeds, canonical and hreflang links lead to the preview (as
    `hugo server --port` does); any other address is kept."""
    parts = urlsplit(siteurl)
    if parts.hostname not in LOCAL_HOSTS:
        return siteurl
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return urlunsplit(parts._replace(netloc=f"{host}:{port}"))
