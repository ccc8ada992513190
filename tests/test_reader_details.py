"""Details of what readers get: footnotes in the page's language, captioned and sized images."""

import pytest
from PIL import Image

from built import file_for, page, resolve
from details_site import ARTICLE, CAPTION, UPRIGHT_SIZE, build_details_site
from press.rendering.footnotes import footnote_settings


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
