"""A language's feed opened in Chromium reads as a page in that language (its XSLT), under
the site's own security headers."""

import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from lxml import etree
from pelican.settings import get_settings_from_file

from .conftest import ROOT, _QuietHandler

ATOM = "{http://www.w3.org/2005/Atom}"
HEADERS = get_settings_from_file(str(ROOT / "pelicanconf.py"))["SECURITY_HEADERS"]


class _WithHeaders(_QuietHandler):
    """Serves the site with its security headers, as nginx and _headers send them."""

    def end_headers(self):
        for name, value in HEADERS.items():
            self.send_header(name, value)
        super().end_headers()


@pytest.fixture(scope="module")
def served_with_headers(real_site):
    """The real site on a free port, every response with the site's security headers."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_WithHeaders, directory=real_site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_feed_reads_as_a_page_in_its_language(browser, real_site, served_with_headers, lang):
    """Opened without JavaScript, the feed becomes an HTML page in its language: its title as
    heading, a line on what a feed is for, every entry linked, and nothing refused by the
    Content-Security-Policy or loaded from elsewhere."""
    feed = etree.parse(str(real_site / lang / "feeds" / "all.atom.xml")).getroot()
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        messages, requests = [], []
        tab.on("console", lambda message: messages.append(message.text))
        tab.on("request", lambda request: requests.append(request.url))
        response = tab.goto(f"{served_with_headers}/{lang}/feeds/all.atom.xml")
        assert response.ok
        assert tab.locator("html").get_attribute("lang") == lang
        assert tab.locator("h1").count() == 1
        assert tab.locator("p.feed-about").inner_text().strip()
        assert tab.locator("ol.article-list h2 a").all_inner_texts() == titles
        # The site's style sheet applied (it lists articles without numbers).
        assert (
            tab.locator("ol.article-list").evaluate("e => getComputedStyle(e).listStyleType")
            == "none"
        )
        # Chromium's own banner, which says XSLT is deprecated, has inline styles the policy
        # refuses: every other refusal would be the site's.
        refused = [m for m in messages if "Content Security Policy" in m]
        assert [m for m in refused if not m.startswith("Applying inline style")] == []
        assert all(url.startswith(served_with_headers) for url in requests)
    finally:
        context.close()
