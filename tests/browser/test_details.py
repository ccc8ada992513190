"""Details readers meet in Chromium: the 404 page's skip link, footnotes, figures, shared links."""

import pytest

from .conftest import PHONE


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_404_pages_skip_link_stays_on_the_404_page(reader, site, lang):
    """Pressing the skip link on a 404 page moves focus to its <main>, not to the home page."""
    with reader(javascript=False, viewport=PHONE) as r:
        page, _ = r.open(f"{lang}/404.html")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert page.url.split("#")[0] == site.at(f"{lang}/404.html")
        assert page.evaluate("document.activeElement.id") == "main"
        assert page.locator("main h1").is_visible()
        assert not r.elsewhere()
