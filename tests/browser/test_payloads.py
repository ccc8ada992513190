"""The old payloads, where the allowlist lets them stand (as code, in titles), harm no reader.

A site is built whose articles show every payload of tests/test_markup_allowlist.py as text: in code
blocks and spans, in a title, a summary and a tag. Chromium opens every page with JavaScript
on and the pages' own Content-Security-Policy in force: no request may go to another origin,
and no page may navigate by itself. A control page, written past the build, proves that the
same watch sees a redirect and a load from elsewhere when they are there.
"""

import shutil
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from test_markup_allowlist import ARTICLE_ATTACKS

from conftest import FIXTURE_CONTENT, build_site

from .conftest import _QuietHandler

ORIGIN_OF_ATTACKS = "https://evil.example"
CONTROL = "control.html"


def as_text(payload: str) -> str:
    """Markdown that shows `payload` as code (no payload has a tilde to close the fence)."""
    assert "~" not in payload
    return f"~~~~\n{payload}\n~~~~\n"


@pytest.fixture(scope="module")
def shown_site(tmp_path_factory):
    """The fixture site with an article showing every payload, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("payloads")
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    body = "\n".join(as_text(payload) for payload, _marker in ARTICLE_ATTACKS.values())
    inline = "Inline: `<script>alert(1)</script>` and ``<meta http-equiv=refresh content=0>``."
    hostile_title = (
        '<script>alert(1)</script><meta http-equiv="refresh" content="0;url=https://evil.example/">'
    )
    (content / "en" / "articles" / "payloads.md").write_text(
        f"Title: {hostile_title}\nDate: 2024-03-01\nAuthor: FFHR Editorial Desk\n"
        f"Category: Families\nTags: <b>bold</b> tag\n"
        f'Summary: <base href="https://evil.example/"> and <a href="javascript:x">x</a>\n\n'
        f"{inline}\n\n{body}",
        encoding="utf-8",
    )
    output = build_site(folder / "output", content)
    # Past the build and its gates: what the watch must catch if it ever got through.
    (output / CONTROL).write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0;url='
        f'{ORIGIN_OF_ATTACKS}/redirected"></head><body><img src="{ORIGIN_OF_ATTACKS}/p.gif">'
        "</body></html>",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=output))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield output, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Watch:
    """One tab with JavaScript on, recording requests to other origins and navigations."""

    def __init__(self, browser, origin: str):
        self.origin = origin
        self.context = browser.new_context(java_script_enabled=True)
        self.elsewhere, self.navigations = [], []
        self.context.route("**/*", self._only_here)
        self.tab = self.context.new_page()
        self.tab.on("framenavigated", lambda frame: self.navigations.append(frame.url))

    def _only_here(self, route):
        if urlsplit(route.request.url)[:2] == urlsplit(self.origin)[:2]:
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def visit(self, path: str) -> tuple[list[str], list[str]]:
        """Open a page; return the requests to other origins and the navigations after it."""
        self.elsewhere.clear()
        self.navigations.clear()
        url = f"{self.origin}/{quote(path)}"
        self.tab.goto(url, wait_until="load")
        # A refresh of 0 seconds or a script would have acted by now; give them a moment more.
        self.tab.wait_for_timeout(150)
        return list(self.elsewhere), [nav for nav in self.navigations if nav != url]


@pytest.fixture
def watch(browser, shown_site):
    """A tab on the site showing the payloads."""
    current = Watch(browser, shown_site[1])
    yield current
    current.context.close()


def test_the_watch_sees_a_redirect_and_a_load_from_elsewhere(watch):
    """The control page's redirect and image are seen: the watch below can fail."""
    elsewhere, navigations = watch.visit(CONTROL)
    assert f"{ORIGIN_OF_ATTACKS}/p.gif" in elsewhere
    assert any(url.startswith(ORIGIN_OF_ATTACKS) for url in elsewhere + navigations)


def test_no_page_requests_another_origin_or_navigates(watch, shown_site):
    """Every page that shows the payloads stays put, and asks nothing of another origin."""
    output = shown_site[0]
    pages = [
        path.relative_to(output).as_posix()
        for path in sorted(Path(output).rglob("*.html"))
        if path.name != CONTROL and b"evil.example" in path.read_bytes()
    ]
    assert any("payloads" in page for page in pages)
    for page in pages:
        assert (page, *watch.visit(page)) == (page, [], [])
