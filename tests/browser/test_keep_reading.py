"""The end of an article in Chromium: previous, next and series links lead to the right
pages in both languages, and screenshots of it on a phone and a desktop for people."""

import pytest

from built import page as built_page
from built import resolve

from .conftest import DESKTOP, PHONE

ARTICLE = "articles/families-2-the-road-out/"


def listed_in_order(site, lang: str) -> list[str]:
    """The addresses of a language's articles, in the order its home pages list them."""
    found = []
    for home in sorted((site.root / lang).glob("index*.html")):
        for href in built_page(site.root, home.relative_to(site.root).as_posix()).xpath(
            "//ol[@class='article-list']//h2/a/@href"
        ):
            target = resolve(site.root, home, href).relative_to(site.root).as_posix()
            found.append(target.removesuffix("index.html"))
    return found


def title_of(site, path: str) -> str:
    return built_page(site.root, path).xpath("//h1")[0].text_content()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_previous_and_next_lead_to_the_neighbours_in_the_listing(reader, site, lang):
    """Previous opens the article listed after this one (older), next the one before."""
    listed = listed_in_order(site, lang)
    here = listed.index(f"{lang}/{ARTICLE}")
    assert 0 < here < len(listed) - 1  # the article has both neighbours
    with reader(javascript=False, viewport=PHONE) as r:
        for link, expected in (("previous", listed[here + 1]), ("next", listed[here - 1])):
            page, _ = r.open(f"{lang}/{ARTICLE}")
            page.locator(f"a.reading-on__{link}").click()
            page.wait_for_load_state()
            assert page.url == site.at(expected)
            assert page.locator("h1").inner_text() == title_of(site, expected)
        assert not r.elsewhere()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_series_links_open_each_part(reader, site, lang):
    """Each part's link opens that part, which marks itself as the current one in the list."""
    with reader(javascript=False, viewport=DESKTOP) as r:
        page, _ = r.open(f"{lang}/{ARTICLE}")
        parts = page.locator("ol.reading-on__series li")
        names = parts.all_inner_texts()
        assert len(names) > 1
        for number, name in enumerate(names):
            page, _ = r.open(f"{lang}/{ARTICLE}")
            item = page.locator("ol.reading-on__series li").nth(number)
            if item.locator("a").count():
                item.locator("a").click()
                page.wait_for_load_state()
            assert page.url.startswith(site.at(f"{lang}/articles/"))
            assert page.locator("h1").inner_text() == name
            assert page.locator("ol.reading-on__series [aria-current='page']").inner_text() == name
            assert page.locator("ol.reading-on__series li").all_inner_texts() == names
        assert not r.elsewhere()


@pytest.mark.parametrize("device, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_screenshots_of_an_articles_end(reader, screenshots, lang, device, viewport):
    """The end of an article, from its tags to the last link, for people to look at."""
    with reader(javascript=False, viewport=viewport) as r:
        page, _ = r.open(f"{lang}/{ARTICLE}")
        start = page.locator(".article__footer").bounding_box()
        end = page.locator(".reading-on").bounding_box()
        assert end["width"] <= viewport["width"]  # nothing wider than the screen
        page.screenshot(
            path=screenshots / f"{lang}-article-end-{device}.png",
            full_page=True,
            clip={
                "x": 0,
                "y": start["y"] - 16,
                "width": viewport["width"],
                "height": end["y"] + end["height"] - start["y"] + 32,
            },
        )
