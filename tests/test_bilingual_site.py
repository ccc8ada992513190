"""The fixture site built for real: languages, switcher, hreflang, dates, feeds, landing page."""

import re
from datetime import date
from gettext import NullTranslations
from io import BytesIO

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment
from lxml import etree

from built import file_for, hreflangs, html_files, page, parse, resolve, switcher_links
from conftest import FIXTURE_CONTENT, ROOT, build_report, build_site
from press.rendering.multilingual import install_into
from press.translations.catalogs import Catalogs
from site_invariants import (
    hreflang_problems,
    listing_problems,
    publication_problems,
    site_problems,
    switcher_problems,
)

ORIGIN = "http://localhost:8000"
KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "messages.po"


def ko_translation(msgid: str) -> str:
    """The Korean catalog's translation of one interface message."""
    with KO_PO.open("rb") as fileobj:
        return read_po(fileobj)[msgid].string


def test_each_language_is_a_full_site(fixture_site):
    """Both languages get home, articles, pages, categories, tags, archives and a feed."""
    for lang, article, category, tag in (
        ("en", "shared-story", "defectors", "china"),
        ("ko", "shared-story", "탈북민", "중국"),
    ):
        for url in (
            f"{lang}/",
            f"{lang}/articles/{article}/",
            f"{lang}/about/",
            f"{lang}/categories/",
            f"{lang}/categories/{category}/",
            f"{lang}/tags/",
            f"{lang}/tags/{tag}/",
            f"{lang}/archives/",
        ):
            assert file_for(fixture_site, url).is_file(), url
        assert (fixture_site / lang / "feeds" / "all.atom.xml").is_file()
    assert (fixture_site / "index.html").is_file()
    assert (fixture_site / "theme" / "css" / "site.css").is_file()


def test_html_lang_is_the_language_of_each_page(fixture_site):
    """Every page of /en/ says lang="en" and every page of /ko/ lang="ko"."""
    for lang in ("en", "ko"):
        pages = html_files(fixture_site / lang)
        assert len(pages) > 8
        for path in pages:
            assert parse(path).get("lang") == lang, path


def test_korean_pages_use_the_korean_catalog(fixture_site):
    """Interface text on a Korean page is the .po's msgstr, not the English msgid."""
    tree = page(fixture_site, "ko/articles/shared-story/")
    skip = tree.xpath("//a[contains(@class, 'skip-link')]")[0]
    assert skip.text_content() == ko_translation("Skip to main content")
    nav = tree.xpath("//nav[contains(@class, 'site-nav')]")[0]
    assert nav.get("aria-label") == ko_translation("Main")
    assert "Skip to main content" not in etree.tostring(tree, encoding="unicode")


def test_no_english_interface_text_on_korean_pages(fixture_site):
    """No msgid of the theme appears in Korean-language text of any Korean page."""
    with (ROOT / "locale" / "messages.pot").open("rb") as fileobj:
        msgids = [m.id for m in read_po(fileobj) if m.id]
    fragments = set()
    for msgid in msgids:
        for one in msgid if isinstance(msgid, tuple) else (msgid,):
            fragments.update(
                f.strip() for f in re.split(r"%\(\w+\)[sd]", one) if len(f.strip()) > 3
            )
    for path in html_files(fixture_site / "ko"):
        tree = parse(path)
        for element in tree.iter():
            if not isinstance(element.tag, str) or element.tag in ("script", "style"):
                continue
            lang = next((e.get("lang") for e in element.iterancestors() if e.get("lang")), None)
            lang = element.get("lang") or lang
            if lang != "ko":
                continue
            texts = [element.text or "", *(child.tail or "" for child in element)]
            # Open Graph's type, locales and addresses are tokens for apps, not text to read.
            tokens = element.get("property") in ("og:type", "og:url", "og:image")
            attributes = ("title", "aria-label") + (() if tokens else ("content",))
            texts += [element.get(a) or "" for a in attributes]
            for text in texts:
                for fragment in fragments:
                    assert fragment not in text, f"{path}: English {fragment!r} in {text!r}"


def test_switcher_leads_to_the_same_article_both_ways(fixture_site):
    """The switcher of a translated article opens its translation, from either side."""
    en_file = file_for(fixture_site, "en/articles/shared-story/")
    ko_file = file_for(fixture_site, "ko/articles/shared-story/")
    en_to_ko = switcher_links(parse(en_file))["ko"]
    ko_to_en = switcher_links(parse(ko_file))["en"]
    assert resolve(fixture_site, en_file, en_to_ko) == ko_file
    assert resolve(fixture_site, ko_file, ko_to_en) == en_file


def test_switcher_without_translation_leads_home_and_says_so(fixture_site):
    """An article with no Korean version links to the Korean home, with a note in Korean."""
    en_file = file_for(fixture_site, "en/articles/english-only/")
    tree = parse(en_file)
    assert resolve(fixture_site, en_file, switcher_links(tree)["ko"]) == file_for(
        fixture_site, "ko/"
    )
    note = tree.xpath("//li[@lang='ko']/span[contains(@class, 'language-switcher__note')]")
    expected = ko_translation(
        "This page has not been translated into %(language)s yet; the link leads to the home "
        "page in %(language)s."
    ) % {"language": "한국어"}
    assert note[0].text_content() == expected

    ko_file = file_for(fixture_site, "ko/articles/korean-only/")
    target = resolve(fixture_site, ko_file, switcher_links(parse(ko_file))["en"])
    assert target == file_for(fixture_site, "en/")


def test_switcher_never_links_to_a_missing_page(fixture_site):
    """On every page of both languages, every switcher link opens an existing file."""
    for path in html_files(fixture_site / "en") + html_files(fixture_site / "ko"):
        links = switcher_links(parse(path))
        assert links, path
        for href in links.values():
            target = resolve(fixture_site, path, href)
            assert target is not None and target.is_file(), f"{path}: {href}"


def test_hreflang_lists_every_version_and_x_default(fixture_site):
    """hreflang alternates name every published version, the page itself and x-default."""
    shared = page(fixture_site, "en/articles/shared-story/")
    assert hreflangs(shared) == {
        "en": f"{ORIGIN}/en/articles/shared-story/",
        "ko": f"{ORIGIN}/ko/articles/shared-story/",
        "x-default": f"{ORIGIN}/en/articles/shared-story/",
    }
    assert shared.xpath("//link[@rel='canonical']/@href") == [f"{ORIGIN}/en/articles/shared-story/"]
    only_ko = page(fixture_site, "ko/articles/korean-only/")
    assert hreflangs(only_ko) == {
        "ko": f"{ORIGIN}/ko/articles/korean-only/",
        "x-default": f"{ORIGIN}/ko/articles/korean-only/",
    }
    home = page(fixture_site, "ko/")
    assert hreflangs(home) == {
        "en": f"{ORIGIN}/en/",
        "ko": f"{ORIGIN}/ko/",
        "x-default": f"{ORIGIN}/",
    }


def test_dates_are_formatted_by_babel_per_language(fixture_site):
    """The same date reads 'January 10, 2024' in English and '2024년 1월 10일' in Korean."""
    day = date(2024, 1, 10)
    en_time = page(fixture_site, "en/articles/shared-story/").xpath("//header//time")[0]
    ko_time = page(fixture_site, "ko/articles/shared-story/").xpath("//header//time")[0]
    assert en_time.text == format_date(day, "long", locale="en") == "January 10, 2024"
    assert ko_time.text == format_date(day, "long", locale="ko") == "2024년 1월 10일"
    assert en_time.get("datetime") == ko_time.get("datetime") == "2024-01-10"


def test_one_atom_feed_per_language(fixture_site):
    """Each language's feed lists that language's published articles with absolute links."""
    ns = {"a": "http://www.w3.org/2005/Atom"}
    expected = {
        "en": {"A story told in two languages", "Only in English"},
        "ko": {"두 언어로 전하는 이야기", "한국어로만 있는 글"},
    }
    for lang, titles in expected.items():
        feed = etree.parse(str(fixture_site / lang / "feeds" / "all.atom.xml"))
        assert set(feed.xpath("//a:entry/a:title/text()", namespaces=ns)) == titles
        for link in feed.xpath("//a:entry/a:link/@href", namespaces=ns):
            assert link.startswith(f"{ORIGIN}/{lang}/articles/"), link
        assert feed.getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        self_link = feed.xpath("/a:feed/a:link[@rel='self']/@href", namespaces=ns)
        assert self_link == [f"{ORIGIN}/{lang}/feeds/all.atom.xml"]


def test_drafts_are_not_published(fixture_site):
    """A draft, and the approved translation of a draft, are in no page, feed or folder."""
    assert not file_for(fixture_site, "en/articles/unfinished/").exists()
    assert not file_for(fixture_site, "ko/articles/unfinished/").exists()
    assert not (fixture_site / "en" / "drafts").exists()
    for path in fixture_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()  # the icon is no text
            assert b"An unfinished draft" not in data, path
            assert "아직 쓰는 중인 글".encode() not in data, path


def test_landing_page_offers_both_languages(fixture_site):
    """/ links to /en/ and /ko/, each labelled in its own language, with hreflang alternates."""
    landing = parse(fixture_site / "index.html")
    choices = {
        a.get("hreflang"): (a.get("href"), a.getparent().get("lang"))
        for a in landing.xpath("//main//a")
    }
    assert choices == {"en": ("en/", "en"), "ko": ("ko/", "ko")}
    assert hreflangs(landing) == {
        "en": f"{ORIGIN}/en/",
        "ko": f"{ORIGIN}/ko/",
        "x-default": f"{ORIGIN}/",
    }
    assert ko_translation("Read in this language") in landing.text_content()
    assert not landing.xpath("//script")
    # Each language says, before a reader chooses, what the site does not do to them.
    promise = "This site loads nothing from other servers, sets no cookies and needs no JavaScript."
    said = {li.get("lang"): li.text_content() for li in landing.xpath("//main//li[@lang]")}
    assert promise in said["en"] and ko_translation(promise) in said["ko"]


def test_mixed_language_spans_keep_their_lang(fixture_site):
    """Latin-script names inside Korean pages are marked lang="en" (byline and body)."""
    tree = page(fixture_site, "ko/articles/shared-story/")
    assert tree.xpath("//bdi[@class='byline__author']/@lang") == ["en"]
    assert tree.xpath("//div[@class='article__body']//span[@lang='en']/text()") == ["FFHR"]
    en_tree = page(fixture_site, "en/articles/shared-story/")
    assert en_tree.xpath("//bdi[@class='byline__author']/@lang") == []


def test_pages_load_nothing_from_other_hosts(fixture_site, real_site):
    """No page has a script or frame, and every stylesheet or image it loads is on the site."""
    for site in (fixture_site, real_site):
        for path in html_files(site):
            tree = parse(path)
            assert not tree.xpath("//script | //iframe | //object | //embed"), path
            for url in tree.xpath("//link[@rel='stylesheet']/@href | //img/@src | //source/@src"):
                target = resolve(site, path, url)
                assert target is not None and target.is_file(), f"{path}: {url}"


def test_fixture_site_keeps_the_invariants(fixture_site):
    """The invariants below hold for the fixture too: an article in one language only, a
    draft with an approved translation, a page translated."""
    assert site_problems(fixture_site, FIXTURE_CONTENT) == []


def test_real_site_publishes_what_is_ready_and_nothing_else(real_site):
    """Every original and approved, synced translation has its page; nothing unapproved has
    one, or a link, or its title anywhere (whatever is still being translated)."""
    assert publication_problems(real_site, ROOT / "content") == []


def test_real_site_switchers_work_on_every_page(real_site):
    """Every page's switcher opens the other version readers can see, or that language's home."""
    assert switcher_problems(real_site, ROOT / "content") == []


def test_real_site_hreflang_sets_are_complete(real_site):
    """Every page names itself, x-default and exactly the versions readers can see."""
    assert hreflang_problems(real_site, ROOT / "content") == []


def test_real_site_home_pages_list_every_visible_article(real_site):
    """The home page of each language lists each article of that language readers can see."""
    assert listing_problems(real_site, ROOT / "content") == []


def test_each_source_file_is_read_once_per_build(tmp_path):
    """Both languages are built, yet every Markdown file becomes a content object exactly once."""
    log = tmp_path / "reads.log"
    build_site(
        tmp_path / "output",
        PLUGIN_PATHS=[str(ROOT / "plugins"), str(ROOT / "tests" / "plugins")],
        PLUGINS=["multilingual", "read_log"],
        READ_LOG_PATH=str(log),
    )
    lines = log.read_text(encoding="utf-8").splitlines()
    sources = sorted(str(p) for p in FIXTURE_CONTENT.rglob("*.md"))
    assert sorted(line for line in lines if not line.startswith("parsed ")) == sources
    # Each parsed by Markdown once, too (a cold cache): no language's run reads another's.
    assert sorted(line.removeprefix("parsed ") for line in lines if line.startswith("parsed ")) == (
        sources
    )


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("Articles") }}|{{ _("50%% read") }}|{{ gettext("Topics") }}',
        '{{ _("By %(authors)s", authors="<b>Kim</b>") }}',
        '{{ _("x %(string)s", string="a & b") }}',
        "{% trans %}Tags{% endtrans %}|{% trans n=2 %}{{ n }} tag{% pluralize %}{{ n }} tags"
        "{% endtrans %}",
        '{{ ngettext("%(num)d min read", "%(num)d min read", 3) }}',
        '{% autoescape false %}{{ _("Articles") }} & {{ _("%(a)s", a="<i>") }}{% endautoescape %}',
    ],
)
def test_interface_text_is_what_jinjas_own_gettext_gives(source):
    """The build's gettext functions render every form of interface text as Jinja's do."""
    catalog = Catalog(locale="ko")
    catalog.add("Articles", "기사")
    catalog.add("50%% read", "50%% 읽음")
    catalog.add("By %(authors)s", "글: %(authors)s")
    catalog.add(("%(num)d min read", "%(num)d min read"), ("%(num)d분 분량",))
    catalog.add(("%(num)s tag", "%(num)s tags"), ("태그 %(num)s개",))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    translations = Translations(compiled)
    ours = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    install_into(ours, Catalogs("en", {"ko": translations, "en": NullTranslations()}), "ko")
    jinjas = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    jinjas.install_gettext_translations(translations, newstyle=True)
    expected = jinjas.from_string(source).render()
    assert ours.from_string(source).render() == expected
    assert expected.count("기사") == source.count('"Articles"')  # the catalog is in use


def test_the_report_counts_each_languages_pages_by_kind(content, tmp_path):
    """A published article, a hidden page and a draft each move their own count, and only
    in their own language."""
    output = tmp_path / "output"
    before = build_report(output, content).pages
    header = (
        "Title: {title}\nDate: 2024-05-01\nAuthor: FFHR Editorial Desk\nCategory: Families\n"
        "Summary: A summary.\n{extra}\nBody text here.\n"
    )
    (content / "en" / "articles" / "counted.md").write_text(
        header.format(title="Counted", extra=""), encoding="utf-8"
    )
    (content / "en" / "articles" / "not-yet.md").write_text(
        header.format(title="Not yet", extra="Status: draft\n"), encoding="utf-8"
    )
    (content / "ko" / "pages" / "unlisted.md").write_text(
        header.format(title="목록에 없는 쪽", extra="Status: hidden\n"), encoding="utf-8"
    )
    after = build_report(output, content).pages

    def grew(lang, kind):
        return after[lang].get(kind, 0) - before[lang].get(kind, 0)

    assert set(after) == set(before) == {"en", "ko"}
    assert (grew("en", "article"), grew("en", "page"), grew("en", "hidden")) == (1, 0, 0)
    assert (grew("ko", "article"), grew("ko", "page"), grew("ko", "hidden")) == (0, 0, 1)
    # Counted pages are among the language's own HTML files; its listings are not counted.
    for lang, counts in after.items():
        written = list((output / lang).rglob("*.html"))
        assert 0 < sum(counts.values()) < len(written)


def test_a_hidden_page_asks_search_engines_not_to_list_it(content, tmp_path):
    """Status: hidden keeps a page out of every listing and the sitemap; its robots meta
    keeps it out of search engines too. A published page says nothing of the kind."""
    (content / "en" / "pages" / "unlisted.md").write_text(
        "Title: Unlisted\nStatus: hidden\nSummary: Reached by its address only.\n\nText.\n",
        encoding="utf-8",
    )
    site = build_site(tmp_path / "output", content)
    robots = "//meta[@name='robots']/@content"
    assert parse(file_for(site, "en/unlisted/")).xpath(robots) == ["noindex"]
    assert parse(file_for(site, "en/about/")).xpath(robots) == []
    assert "unlisted" not in (site / "sitemap.xml").read_text(encoding="utf-8")
