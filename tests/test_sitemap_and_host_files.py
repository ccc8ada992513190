"""sitemap.xml, robots.txt and the host files (_redirects, _headers) written beside the pages."""

from xml.etree import ElementTree as ET

from built import html_files


def test_sitemap_lists_every_page_with_hreflang(fixture_site):
    """sitemap.xml has every page once, with xhtml:link alternates for translated ones."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(fixture_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iterfind("s:url/s:loc", ns)]
    pages = [p for p in html_files(fixture_site) if p.name != "404.html"]
    assert len(locs) == len(set(locs)) == len(pages)
    entry = next(
        u
        for u in root.iterfind("s:url", ns)
        if u.findtext("s:loc", namespaces=ns).endswith("/en/articles/shared-story/")
    )
    links = {link.get("hreflang"): link.get("href") for link in entry.iterfind("x:link", ns)}
    assert links == {
        "en": "http://localhost:8000/en/articles/shared-story/",
        "ko": "http://localhost:8000/ko/articles/shared-story/",
        "x-default": "http://localhost:8000/en/articles/shared-story/",
    }
    assert "http://localhost:8000/ko/tags/%EC%A4%91%EA%B5%AD/" in locs  # Hangul percent-encoded
    assert (fixture_site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: http://localhost:8000/sitemap.xml\n"
    )
    assert "/  /ko/  302  Language=ko" in (fixture_site / "_redirects").read_text()
    assert "  X-Frame-Options: DENY" in (fixture_site / "_headers").read_text()
