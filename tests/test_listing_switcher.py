"""The switcher and hreflang of listing pages: tags and categories paired through the
translations that carry them, later pages of a listing, and the sitemap's alternates."""

from urllib.parse import quote

from lxml import etree

from built import file_for, hreflangs, parse, resolve, switcher_links
from conftest import build_site, edit
from press.translations.records import approve_translation
from site_invariants import site_problems

ORIGIN = "http://localhost:8000"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def opened(site, url_path: str, lang: str) -> str:
    """The file the switcher's `lang` link of the page at `url_path` opens."""
    path = file_for(site, url_path)
    target = resolve(site, path, switcher_links(parse(path))[lang])
    return target.relative_to(site).as_posix()


def switcher_item(site, url_path: str, lang: str):
    """The switcher's <li> of `lang` on the page at `url_path`."""
    (item,) = parse(file_for(site, url_path)).xpath(
        f"//nav[contains(@class, 'language-switcher')]//li[@lang='{lang}']"
    )
    return item


def sitemap_alternates(site, url: str) -> dict[str, str]:
    """The hreflang alternates the sitemap gives the page at `url`."""
    tree = etree.parse(str(site / "sitemap.xml"))
    for entry in tree.getroot():
        if entry.findtext(f"{SITEMAP}loc") == url:
            return {
                link.get("hreflang"): link.get("href")
                for link in entry
                if link.tag.endswith("}link")
            }
    raise AssertionError(f"{url} is not in the sitemap")


def test_a_tag_leads_to_the_tag_its_translations_carry_both_ways(fixture_site):
    """shared-story is tagged China, testimony and its translation 중국, 증언: each tag page's
    switcher opens the other's, and names it as its hreflang alternate, as the sitemap does."""
    pairs = [("en/tags/china/", "ko/tags/중국/"), ("en/tags/testimony/", "ko/tags/증언/")]
    for english, korean in pairs:
        assert opened(fixture_site, english, "ko") == f"{korean}index.html"
        assert opened(fixture_site, korean, "en") == f"{english}index.html"
        for page in (english, korean):
            alternates = hreflangs(parse(file_for(fixture_site, page)))
            assert alternates["en"] == f"{ORIGIN}/{english}"
            assert alternates["ko"] == f"{ORIGIN}/{korean}"
            in_sitemap = sitemap_alternates(fixture_site, f"{ORIGIN}/{quote(page)}")
            assert in_sitemap["ko"] == f"{ORIGIN}/{quote(korean)}"
            assert in_sitemap["en"] == f"{ORIGIN}/{english}"
        item = switcher_item(fixture_site, english, "ko")
        assert item.xpath("a/@rel") == ["alternate"]
        assert not item.xpath(".//*[contains(@class, 'language-switcher__note')]")


def test_a_category_pairs_like_a_tag(fixture_site):
    """Defectors and 탈북민 are the categories of one article's two versions."""
    assert opened(fixture_site, "en/categories/defectors/", "ko") == (
        "ko/categories/탈북민/index.html"
    )
    assert opened(fixture_site, "ko/categories/탈북민/", "en") == (
        "en/categories/defectors/index.html"
    )


def test_an_unpaired_category_leads_to_the_list_of_categories_and_says_so(fixture_site):
    """Families is only on an untranslated article: its Korean link opens the Korean list of
    topics, says why in Korean, and is no hreflang alternate; 가족 likewise the other way."""
    for page, lang, listing in (
        ("en/categories/families/", "ko", "ko/categories/index.html"),
        ("ko/categories/가족/", "en", "en/categories/index.html"),
    ):
        assert opened(fixture_site, page, lang) == listing
        item = switcher_item(fixture_site, page, lang)
        assert item.xpath("a/@rel") == []
        (note,) = item.xpath(".//*[contains(@class, 'language-switcher__note')]")
        assert note.text_content().strip()
        assert lang not in hreflangs(parse(file_for(fixture_site, page)))


def test_an_ambiguous_tag_is_not_guessed(tmp_path, content):
    """When the translation lists other tags than its source, no tag of it is paired: the
    switcher opens the list of tags instead of a tag page that may be another subject."""
    edit(
        content / "ko" / "articles" / "shared-story.md",
        "Tags: 중국, 증언",
        "Tags: 증언, 중국, 인권",
    )
    korean = content / "ko" / "articles" / "shared-story.md"
    approve_translation(korean, content, "FFHR Korean Desk", {"FFHR Korean Desk"})  # the edit
    site = build_site(tmp_path / "output", content)
    assert opened(site, "en/tags/china/", "ko") == "ko/tags/index.html"
    assert opened(site, "ko/tags/중국/", "en") == "en/tags/index.html"
    assert "ko" not in hreflangs(parse(file_for(site, "en/tags/china/")))
    assert site_problems(site, content) == []


def test_later_pages_of_a_listing_lead_to_the_first_page_of_the_other_languages(tmp_path):
    """One article a page: page 2 of the home and of a tag open the other language's first
    page of the same listing, no note and no hreflang alternate (other articles)."""
    site = build_site(tmp_path / "output", DEFAULT_PAGINATION=1)
    assert (site / "en" / "index2.html").is_file()
    assert opened(site, "en/index2.html", "ko") == "ko/index.html"
    assert opened(site, "ko/index2.html", "en") == "en/index.html"
    assert (site / "en" / "tags" / "testimony" / "index2.html").is_file()
    assert opened(site, "en/tags/testimony/index2.html", "ko") == "ko/tags/증언/index.html"
    for page, lang in (("en/index2.html", "ko"), ("en/tags/testimony/index2.html", "ko")):
        item = switcher_item(site, page, lang)
        assert not item.xpath(".//*[contains(@class, 'language-switcher__note')]")
        assert lang not in hreflangs(parse(file_for(site, page)))
    # A later page's title says which page it is; the first page's says none.
    for first, later in (("en/index.html", "en/index2.html"),
                         ("en/tags/testimony/index.html", "en/tags/testimony/index2.html"),
                         ("ko/index.html", "ko/index2.html")):  # fmt: skip
        titles = [parse(site / name).findtext(".//title") for name in (first, later)]
        assert titles[0] != titles[1]
        assert "2" in titles[1] and not any(character.isdigit() for character in titles[0])
