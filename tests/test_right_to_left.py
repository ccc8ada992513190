"""Every page says its text direction, from Babel's data for its language, and text in another
language inside it says its own: a right-to-left language (Arabic) beside English and Korean."""

import re
import shutil

import pytest
import tinycss2
from babel import Locale

from built import html_files, page, parse
from conftest import FIXTURE_CONTENT, ROOT, SETTINGS, build_site
from press.build.review_site import build_review
from rtl_language import add_arabic

# What CLDR says; written out here so a change in Babel's data could not go unnoticed.
DIRECTIONS = {"en": "ltr", "ko": "ltr", "ar": "rtl"}


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    """The fixture content with Arabic added, and the settings that build it."""
    folder = tmp_path_factory.mktemp("arabic")
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return folder, content, add_arabic(folder, content)


@pytest.fixture(scope="module")
def arabic_site(arabic):
    """The fixture site with Arabic, built."""
    folder, content, settings = arabic
    return build_site(folder / "output", content, **settings)


def test_every_page_has_the_direction_of_its_language(arabic_site):
    """Each built page's <html dir> is Babel's text direction for its <html lang>, in every
    language, the landing and status pages included."""
    seen = {}
    for path in html_files(arabic_site):
        root = parse(path)
        lang = root.get("lang")
        assert root.get("dir") == Locale.parse(lang).text_direction, path
        seen.setdefault(lang, set()).add(root.get("dir"))
    assert seen == {lang: {direction} for lang, direction in DIRECTIONS.items()}
    assert len(list((arabic_site / "ar").rglob("*.html"))) >= 5


def test_each_language_name_keeps_its_direction_on_other_pages(arabic_site):
    """The switcher, the landing page and the status page give every language's name (and
    its note) the direction of that language, whatever the page's own."""
    for url in ("en/articles/shared-story/", "ar/articles/shared-story/", "ko/", "en/"):
        items = page(arabic_site, url).xpath("//nav[contains(@class, 'language-switcher')]//li")
        assert {li.get("lang"): li.get("dir") for li in items} == DIRECTIONS, url
    landing = parse(arabic_site / "index.html")
    assert {li.get("lang"): li.get("dir") for li in landing.xpath("//main//li")} == DIRECTIONS
    status = page(arabic_site, "status/")
    sections = status.xpath("//section[contains(@class, 'status')]")
    assert {s.get("lang"): s.get("dir") for s in sections} == DIRECTIONS
    for element in status.xpath("//main//*[@lang]"):
        assert element.get("dir") == DIRECTIONS[element.get("lang")]


def test_latin_names_and_tags_are_isolated_on_arabic_pages(arabic_site):
    """A Latin pseudonym in an Arabic byline or credit is a <bdi lang="en">, and tags take their
    own direction: the surrounding Arabic keeps its order."""
    article = page(arabic_site, "ar/articles/shared-story/")
    authors = article.xpath("//*[contains(@class, 'byline__author')]")
    assert [(a.tag, a.get("lang"), a.text) for a in authors] == [("bdi", "en", "E. Dickinson")]
    credits = article.xpath("//*[contains(@class, 'credits__name')]")
    assert {(c.tag, c.get("lang")) for c in credits} == {("bdi", "en")}
    tags = article.xpath(
        "//footer[contains(@class, 'article__footer')]//a[contains(@href, 'tags')]"
    )
    assert [(a.text, a.get("dir")) for a in tags] == [("الصين", "auto"), ("FFHR", "auto")]
    home = page(arabic_site, "ar/")
    assert home.xpath("//*[contains(@class, 'byline__author')]/@lang") == ["en"]


def test_review_pages_show_each_side_in_its_direction(arabic, tmp_path):
    """The reviewers' side-by-side page: the English source left to right, the Arabic
    translation right to left."""
    _, content, settings = arabic
    review = build_review(
        SETTINGS,
        tmp_path / "review",
        override={"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache"), **settings},
    )
    pair = parse(review / "pairs" / "ar" / "articles" / "shared-story.html")
    cells = pair.xpath("//table[contains(@class, 'pair__table')]/tbody/tr[1]/td[@lang]")
    assert [(td.get("lang"), td.get("dir")) for td in cells] == [("en", "ltr"), ("ar", "rtl")]


PHYSICAL_SIDES = re.compile(r"(^|-)(left|right)($|-)")


@pytest.mark.parametrize("sheet", ["theme/static/css/site.css", "theme/review/review.css"])
def test_style_sheets_name_no_left_or_right(sheet):
    """Every side in the theme's style sheets is a logical one (inline-start, inline-end), so a
    right-to-left page is laid out as the mirror of a left-to-right one."""
    physical = []
    rules = tinycss2.parse_stylesheet((ROOT / sheet).read_text(encoding="utf-8"))
    for declaration in declarations(rules):
        value = tinycss2.serialize(declaration.value).strip()
        if PHYSICAL_SIDES.search(declaration.lower_name) or (
            declaration.lower_name in ("float", "clear", "text-align")
            and value in ("left", "right")
        ):
            physical.append(f"line {declaration.source_line}: {declaration.name}: {value}")
    assert not physical, "\n".join(physical)


def declarations(nodes):
    """Every declaration of these CSS rules, inside at-rules (@media) too."""
    for node in nodes:
        if node.type in ("qualified-rule", "at-rule") and node.content is not None:
            inner = tinycss2.parse_blocks_contents(node.content)
            yield from (item for item in inner if item.type == "declaration")
            yield from declarations(item for item in inner if item.type != "declaration")
