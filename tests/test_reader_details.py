"""Details of what readers get: footnotes in the page's language, captioned and sized images."""

import pytest
from PIL import Image

from built import file_for, page, parse, resolve
from details_site import ARTICLE, CAPTION, UPRIGHT_SIZE, build_details_site
from press.rendering.footnotes import footnote_settings
from press.safety.published import Site, problems


@pytest.fixture(scope="module")
def details_site(tmp_path_factory):
    """The fixture site with a footnote and a captioned sideways photo in each language."""
    return build_details_site(tmp_path_factory.mktemp("details"))


def test_korean_footnote_back_links_speak_korean(details_site):
    """A Korean page's footnote back-link has the catalog's Korean title, an English one English."""
    titles = {}
    for lang in ("en", "ko"):
        backlinks = page(details_site, ARTICLE[lang]).xpath("//a[@class='footnote-backref']")
        assert len(backlinks) == 1
        titles[lang] = backlinks[0].get("title")
    assert "1" in titles["en"] and "footnote" in titles["en"]
    assert "1" in titles["ko"] and "각주" in titles["ko"]
    assert not any(letter.isascii() and letter.isalpha() for letter in titles["ko"])


def test_the_footnote_settings_keep_a_translations_braces_as_text():
    """A translation holding braces cannot break the footnotes extension's str.format."""
    settings = footnote_settings({"extension_configs": {}}, lambda m: "{x} %(number)s")
    configs = settings["extension_configs"]["markdown.extensions.footnotes"]
    assert configs["BACKLINK_TITLE"].format(3) == "{x} 3"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_titled_image_is_a_captioned_figure_with_its_size(details_site, lang):
    """![alt](src "title") alone in a paragraph is <figure><img><figcaption>title; the img
    carries the width and height of the published, upright image."""
    tree = page(details_site, ARTICLE[lang])
    figures = tree.xpath("//main//figure")
    assert len(figures) == 1
    (image,) = figures[0].xpath("img")
    assert figures[0].xpath("string(figcaption)") == CAPTION[lang]
    assert image.get("title") is None and image.get("alt") == "A blue test card"
    published = resolve(details_site, file_for(details_site, ARTICLE[lang]), image.get("src"))
    with Image.open(published) as opened:
        assert opened.size == UPRIGHT_SIZE
    assert (int(image.get("width")), int(image.get("height"))) == UPRIGHT_SIZE


def test_the_content_cache_key_follows_the_footnote_words():
    """Another translation of the back-link's title makes another content cache."""
    from press.build.cache import cache_key

    markdown = {"extension_configs": {"markdown.extensions.extra": {}}}
    keys = {
        cache_key({"MARKDOWN": footnote_settings(markdown, lambda m, w=words: w)})
        for words in ("각주 %(number)s", "본문으로(각주 %(number)s)")
    }
    assert len(keys) == 2


def test_every_page_names_the_sites_bitmap_icon(fixture_site):
    """/favicon.ico is an icon bitmap (no SVG), and every page's <link rel=icon> finds it."""
    icon = fixture_site / "favicon.ico"
    with Image.open(icon) as opened:
        assert opened.format == "ICO"
        assert (32, 32) in opened.info["sizes"]
    for path in sorted(fixture_site.rglob("*.html")):
        hrefs = parse(path).xpath("//head/link[@rel='icon']/@href")
        assert len(hrefs) == 1, path
        assert resolve(fixture_site, path, hrefs[0]) == icon, path


def test_the_gate_takes_only_an_icon_as_the_sites_icon():
    """An SVG or a page saved as favicon.ico, or an .ico elsewhere, is refused."""
    site = Site(base="https://ffhr.example", content_security_policy="default-src 'none'")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert problems("favicon.ico", svg, site)
    assert problems("favicon.ico", b"<!DOCTYPE html><title>x</title>", site)
    assert problems("en/favicon.ico", b"\x00\x00\x01\x00\x01\x00", site)
    assert not problems("favicon.ico", b"\x00\x00\x01\x00\x01\x00" + bytes(16), site)


def test_home_and_landing_pages_say_who_publishes_in_their_language(fixture_site):
    """Each home page, and each language's choice on the landing page, says who publishes."""
    intros = {lang: page(fixture_site, f"{lang}/").xpath("//main//p[@class='site-intro']")
              for lang in ("en", "ko")}  # fmt: skip
    landing = page(fixture_site, "")
    for lang, found in intros.items():
        assert len(found) == 1
        text = found[0].text_content()
        assert "FFHR" in text
        assert any("\uac00" <= char <= "\ud7a3" for char in text) == (lang == "ko")
        chosen = landing.xpath(f"//li[@lang='{lang}']/p[@class='site-intro']")
        assert [p.text_content() for p in chosen] == [text]


def test_titles_name_the_page_then_the_site(fixture_site):
    """An article's title reads "Title — FFHR"; a home page's "FFHR — its subtitle"."""
    for lang in ("en", "ko"):
        home = page(fixture_site, f"{lang}/")
        subtitle = home.xpath("string(//span[@class='site-subtitle'])").strip()
        assert home.xpath("string(//title)") == f"FFHR — {subtitle}"
        article = page(fixture_site, f"{lang}/articles/shared-story/")
        heading = article.xpath("string(//main//h1)").strip()
        assert article.xpath("string(//title)") == f"{heading} — FFHR"


def _og(tree) -> dict[str, list[str]]:
    found = {}
    for meta in tree.xpath("//head/meta[@property]"):
        found.setdefault(meta.get("property"), []).append(meta.get("content"))
    return found


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_articles_tell_apps_their_title_summary_address_and_image(details_site, lang):
    """An article's Open Graph: its title, summary, canonical address, locale, own image."""
    tree = page(details_site, ARTICLE[lang])
    og = _og(tree)
    assert og["og:type"] == ["article"]
    assert og["og:title"] == [tree.xpath("string(//main//h1)").strip()]
    assert og["og:description"] == tree.xpath("//meta[@name='description']/@content")
    assert og["og:url"] == tree.xpath("//link[@rel='canonical']/@href")
    assert og["og:locale"] == [{"en": "en_US", "ko": "ko_KR"}[lang]]
    (image,) = og["og:image"]
    origin = og["og:url"][0].split("/", 3)[:3]
    assert image.split("/", 3)[:3] == origin
    path = image.split("/", 3)[3]
    assert (details_site / path).is_file()


def test_translated_pages_name_the_other_locale_and_listings_are_websites(fixture_site):
    """A translated article names its other language's locale; a listing is a website."""
    og = _og(page(fixture_site, "ko/articles/shared-story/"))
    assert og["og:locale"] == ["ko_KR"] and og["og:locale:alternate"] == ["en_US"]
    assert "og:image" not in og  # the article has no image: none from anywhere else
    for path in ("en/", "ko/tags/", ""):
        og = _og(page(fixture_site, path))
        assert og["og:type"] == ["website"], path
        assert og["og:url"][0].startswith("http"), path


SITE = Site(base="https://ffhr.example", content_security_policy="default-src 'none'")


def _page(head: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<meta name="referrer" content="no-referrer"><title>x</title>'
        f"{head}</head><body><main><p>x</p></main></body></html>"
    ).encode()


def test_the_gate_takes_the_sites_own_open_graph():
    """The Open Graph the theme writes passes the last gate."""
    head = (
        '<meta property="og:title" content="제목"><meta property="og:type" content="article">'
        '<meta property="og:url" content="https://ffhr.example/ko/articles/x/">'
        '<meta property="og:image" content="https://ffhr.example/images/card.jpg">'
        '<meta property="og:locale" content="ko_KR">'
        '<meta property="og:locale:alternate" content="en_US">'
    )
    assert problems("en/x.html", _page(head), SITE) == []


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:image" content="https://evil.example/track.png">',
        '<meta property="og:image" content="//evil.example/track.png">',
        '<meta property="og:image" content="http://ffhr.example.evil.example/x.png">',
        '<meta property="og:image" content="/images/card.jpg">',  # apps read no relative one
        '<meta property="og:url" content="https://evil.example/">',
        '<meta property="og:url" content="javascript:alert(1)">',
        '<meta property="og:type" content="video.movie">',
        '<meta property="og:video" content="https://ffhr.example/v.mp4">',
        '<meta property="fb:app_id" content="1234">',
        '<meta property="og:locale" content="ko_KR&quot;><script>">',
        '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
        '<meta name="twitter:image" content="https://evil.example/x.png">',
    ],
)
def test_the_gate_refuses_what_a_head_must_not_carry(head):
    """Another host's image or address, other types and properties, meta refresh: refused."""
    assert problems("en/x.html", _page(head), SITE), head
