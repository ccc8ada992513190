"""Details readers meet in Chromium: the 404 page's skip link, footnotes, figures, shared links."""

import pytest

from details_site import ARTICLE, CAPTION, UPRIGHT_SIZE, build_details_site

from .conftest import DESKTOP, PHONE, served


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


@pytest.fixture(scope="module")
def details(tmp_path_factory):
    """The fixture site with a footnote and a captioned image per language, served."""
    with served(build_details_site(tmp_path_factory.mktemp("details"))) as serving:
        yield serving


def test_korean_footnote_links_read_korean(browser, details):
    """In Chromium, a Korean footnote's way back is titled in Korean, and leads back."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(details.at(ARTICLE["ko"]))
        backlink = page.locator(".footnote-backref")
        assert "각주 1" in backlink.get_attribute("title")
        backlink.click()
        assert page.url.endswith("#fnref:1")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_figure_keeps_its_place_and_its_caption_follows(browser, details, lang):
    """The image's box has its size before it loads, and the caption sits under it."""
    context = browser.new_context(java_script_enabled=True, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(details.at(ARTICLE[lang]), wait_until="load")
        img = page.locator("main figure img")
        # The ratio the browser reserves before the image arrives (from width and height).
        width, height = UPRIGHT_SIZE
        ratio = img.evaluate("(image) => getComputedStyle(image).aspectRatio")
        assert ratio == f"auto {width} / {height}"
        image = img.bounding_box()
        caption = page.locator("main figure figcaption")
        assert caption.inner_text() == CAPTION[lang]
        assert (round(image["width"]), round(image["height"])) == UPRIGHT_SIZE
        assert caption.bounding_box()["y"] >= image["y"] + image["height"]
    finally:
        context.close()


def test_korean_pages_put_korean_fonts_first(reader):
    """A Korean page's text asks for a Korean family before system-ui, an English one not."""
    families = {}
    with reader(javascript=True, viewport=PHONE) as r:
        for lang in ("en", "ko"):
            page, _ = r.open(f"{lang}/")
            families[lang] = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert families["ko"].index("Noto Sans KR") < families["ko"].index("system-ui")
    assert families["en"].startswith("system-ui")


@pytest.mark.parametrize(
    ("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)], ids=["phone", "desktop"]
)
def test_landing_screenshots(reader, screenshots, device, viewport):
    """The landing page, where each language says who publishes the site, for people to see."""
    with reader(javascript=False, viewport=viewport) as r:
        page, response = r.open("")
        assert response.ok
        for lang in ("en", "ko"):
            assert page.locator(f"li[lang='{lang}'] .site-intro").is_visible()
        page.screenshot(path=screenshots / f"landing-{device}.png", full_page=True)
        assert not r.elsewhere()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_article_tells_apps_what_it_is_in_its_language(browser, details, lang):
    """Open Graph as a browser reads the head: the article's own title, type and locale."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(details.at(ARTICLE[lang]))

        def og(name):
            return page.locator(f"head meta[property='{name}']").get_attribute("content")

        assert og("og:type") == "article"
        assert og("og:title") == page.locator("main h1").inner_text()
        assert og("og:locale") == {"en": "en_US", "ko": "ko_KR"}[lang]
        assert og("og:url") == page.locator("head link[rel=canonical]").get_attribute("href")
        assert og("og:image").startswith(og("og:url").split("/articles/")[0].rsplit("/", 1)[0])
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_printed_article_names_the_site_and_its_address(browser, details, lang):
    """On paper an article says which site it is from and its address; on screen, nothing."""
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(details.at(ARTICLE[lang]))
        source = page.locator("main .print-source")
        assert not source.is_visible()
        page.emulate_media(media="print")
        assert source.is_visible()
        canonical = page.locator("head link[rel=canonical]").get_attribute("href")
        assert "FFHR" in source.inner_text() and canonical in source.inner_text()
    finally:
        context.close()
