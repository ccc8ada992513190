"""The offline edition as readers get it from a published build: the link on the safety page
downloads the ZIP, whose SHA-256 is the one the page shows."""

import hashlib
from pathlib import Path

import pytest

from offline_offer_site import ZIP, publish_offering_the_offline_edition

from .conftest import PHONE, served


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The fixture site as `make publish` writes it, served."""
    with served(publish_offering_the_offline_edition(tmp_path_factory.mktemp("publish"))) as site:
        yield site


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_offered_link_downloads_the_edition_the_page_describes(browser, published, lang):
    """Without JavaScript, following the page's link downloads the published ZIP, byte for byte
    the file whose SHA-256 the page gives."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(published.at(f"{lang}/about/"), wait_until="load")
        section = page.locator("section.offline-edition")
        shown = section.locator("code.offline-edition__sha256").inner_text().strip()
        with page.expect_download() as download:
            section.locator(f"a[href$='{ZIP.name}']").first.click()
        data = Path(download.value.path()).read_bytes()
        assert data == (published.root / ZIP).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shown
        assert download.value.url == published.at(ZIP.as_posix())
    finally:
        context.close()
