"""The real site, built once, served on 127.0.0.1 and read by Debian's Chromium via Playwright.

Without Chromium, Playwright or axe-core (`npm ci` in tests/browser) these tests are skipped
with the reason; under CI=true they fail instead, so CI cannot pass without a browser.
"""

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
# Debian's package; FFHR_CHROMIUM names another build of Chromium.
CHROMIUM = os.environ.get("FFHR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Headless, and quiet: no update checks, sync or other traffic of the browser's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
_STARTED = time.time()


def unavailable(reason: str):
    """Skip a test that cannot run here; under CI=true, fail it: CI must run every test."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging every request to the test output."""

    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class Site:
    """The real site built into `root` and served at `url` (no trailing slash)."""

    root: Path
    url: str

    def at(self, path: str) -> str:
        """The address of a path inside the site, e.g. "ko/tags/가족/"."""
        return f"{self.url}/{quote(path)}"

    def pages(self) -> list[str]:
        """The path of every HTML page, as a reader's address ("en/about/", "en/404.html")."""
        paths = []
        for file in sorted(self.root.rglob("*.html")):
            path = file.relative_to(self.root).as_posix()
            paths.append(path.removesuffix("index.html"))
        return paths

    def same_origin(self, url: str) -> bool:
        """Whether `url` is on this site's origin."""
        return urlsplit(url)[:2] == urlsplit(self.url)[:2]


@contextmanager
def served(folder: Path) -> Iterator[Site]:
    """`folder` served by the standard library on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(real_site) -> Iterator[Site]:
    """The real site, served on 127.0.0.1."""
    with served(real_site) as serving:
        yield serving


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -r requirements.txt)")
    if not Path(CHROMIUM).is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            unavailable(f"Chromium at {CHROMIUM} does not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from tests/browser/node_modules."""
    if not AXE.is_file():
        unavailable(f"axe-core is not installed: run `npm ci` in {HERE.relative_to(ROOT)}")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder for this session's screenshots, emptied of the last session's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@dataclass
class Reader:
    """A browser context reading the site, with every request it made."""

    context: object
    site: Site
    media: str = "screen"
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    tab: object = None

    def open(self, path: str):
        """Open a page of the site in the reader's tab; return the tab and the response."""
        # One tab for all: opening a new one per page would double the time of a tour.
        if self.tab is None:
            self.tab = self.context.new_page()
            if self.media != "screen":
                self.tab.emulate_media(media=self.media)
        response = self.tab.goto(self.site.at(path), wait_until="load")
        return self.tab, response

    def elsewhere(self) -> list[str]:
        """Every request that went, or tried to go, to another origin."""
        return [url for url in self.requests if not self.site.same_origin(url)]


def _open_reader(browser, site, *, javascript, viewport, color_scheme, media) -> Reader:
    """A new browser context on the site that records every request and lets none leave it."""
    # With JavaScript on, the page's CSP would refuse axe-core's injected script; the CSP is
    # exercised by the no-JavaScript readings, where it stays in force.
    context = browser.new_context(
        java_script_enabled=javascript,
        bypass_csp=javascript,
        viewport=viewport,
        color_scheme=color_scheme,
        reduced_motion="reduce",
    )
    current = Reader(context, site, media)
    context.on("request", lambda request: current.requests.append(request.url))

    def only_the_site(route):
        # Recorded above; a test never reaches another host.
        if site.same_origin(route.request.url):
            route.continue_()
        else:
            current.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    return current


@pytest.fixture
def reader(browser, site):
    """Open the site like a reader: `with reader(javascript=False, viewport=PHONE) as r:`."""

    @contextmanager
    def open_reader(*, javascript=True, viewport=DESKTOP, color_scheme="light", media="screen"):
        current = _open_reader(
            browser,
            site,
            javascript=javascript,
            viewport=viewport,
            color_scheme=color_scheme,
            media=media,
        )
        try:
            yield current
        finally:
            current.context.close()

    return open_reader


@pytest.fixture(scope="session")
def shared_reader(browser, site):
    """Readers kept for the session, one per viewport and colour scheme (JavaScript on)."""
    readers = {}

    def get(viewport: dict, color_scheme: str = "light") -> Reader:
        key = (viewport["width"], viewport["height"], color_scheme)
        if key not in readers:
            readers[key] = _open_reader(
                browser,
                site,
                javascript=True,
                viewport=viewport,
                color_scheme=color_scheme,
                media="screen",
            )
        return readers[key]

    yield get
    for current in readers.values():
        current.context.close()


def pytest_terminal_summary(terminalreporter):
    """Name the screenshots and reports this session left for people to look at."""

    def new(paths):
        return any(path.stat().st_mtime >= _STARTED for path in paths)

    written = [
        path
        for path, files in (
            (SCREENSHOTS, SCREENSHOTS.glob("*.png")),
            (ARTIFACTS / "page-weight.txt", [ARTIFACTS / "page-weight.txt"]),
        )
        if path.exists() and new(files)
    ]
    if written:
        terminalreporter.section("for people to look at")
        for path in written:
            terminalreporter.write_line(f"{path}")
