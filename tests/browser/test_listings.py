"""Listing pages in Chromium: the switcher of a tag or topic opens its counterpart both ways."""

import pytest

# The pages of the report: their switcher claimed the listing was not translated.
PAIRS = [
    ("en/tags/china/", "ko/tags/중국/"),
    ("en/categories/families/", "ko/categories/가족/"),
    ("en/tags/", "ko/tags/"),
    ("en/archives/", "ko/archives/"),
]


@pytest.mark.parametrize(("english", "korean"), PAIRS)
def test_listing_switcher_opens_its_counterpart_both_ways(reader, site, english, korean):
    """Without JavaScript, a click on the other language opens the same listing there, with
    no note that it is missing, and the page names it as its hreflang alternate."""
    with reader(javascript=False) as r:
        for here, there, other in ((english, korean, "ko"), (korean, english, "en")):
            page, _ = r.open(here)
            link = page.locator(f"nav.language-switcher a[hreflang='{other}']")
            assert page.locator("nav.language-switcher .language-switcher__note").count() == 0
            alternate = page.locator(f"head link[rel='alternate'][hreflang='{other}']")
            assert alternate.get_attribute("href").endswith(there)
            link.click()
            page.wait_for_load_state()
            assert page.url == site.at(there)
            assert page.locator("html").get_attribute("lang") == other
        assert not r.elsewhere()
