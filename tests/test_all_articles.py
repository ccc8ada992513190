"""Each language's page of all its articles by topic, with summaries: found without
JavaScript, linked from every page's navigation, in the page's language."""

from babel.messages.pofile import read_po

from built import file_for, html_files, parse, resolve, switcher_links
from conftest import FIXTURE_CONTENT, ROOT, build_site, edit
from site_invariants import versions

KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "messages.po"


def listed_by_topic(site, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Topic -> (output file, summary) of each article the language's page lists under it."""
    page = file_for(site, f"{lang}/all/")
    found = {}
    for section in parse(page).xpath("//main//section"):
        topic = section.xpath("string(h2)").strip()
        found[topic] = [
            (
                resolve(site, page, item.xpath("string(.//h3/a/@href)"))
                .relative_to(site)
                .as_posix(),
                item.xpath("string(.//p)"),
            )
            for item in section.xpath(".//li")
        ]
    return found


def expected_by_topic(content, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Topic -> (output file, summary) of the language's articles readers can see."""
    expected = {}
    for by_lang in versions(content).values():
        version = by_lang.get(lang)
        if version is not None and version.kind == "article" and version.listed:
            topic = version.header["category"].strip()
            expected.setdefault(topic, []).append((version.page, version.header["summary"].strip()))
    return expected


def test_every_listed_article_once_under_its_topic_with_its_summary(fixture_site):
    """Each language's page lists exactly its articles readers see, each under its topic with
    its summary; no draft, hidden or untranslated one."""
    for lang in ("en", "ko"):
        listed = listed_by_topic(fixture_site, lang)
        expected = expected_by_topic(FIXTURE_CONTENT, lang)
        assert sorted(listed) == sorted(expected)
        for topic, items in expected.items():
            assert sorted(page for page, _ in listed[topic]) == sorted(page for page, _ in items)
            summaries = dict(listed[topic])
            for page, summary in items:
                assert summary in summaries[page]


def test_a_hidden_article_is_not_listed(tmp_path, content):
    """Status: hidden keeps an article off the page as off every listing."""
    edit(
        content / "en" / "articles" / "english-only.md",
        "Tags: testimony\n",
        "Tags: testimony\nStatus: hidden\n",
    )
    site = build_site(tmp_path / "output", content)
    pages = [page for items in listed_by_topic(site, "en").values() for page, _ in items]
    assert "en/articles/english-only/index.html" not in pages
    assert pages


def test_every_page_links_to_it_and_it_speaks_its_language(fixture_site):
    """Every page of a language has it in its navigation; its heading is the catalog's, and its
    switcher opens the other language's."""
    for lang in ("en", "ko"):
        target = (fixture_site / lang / "all" / "index.html").resolve()
        for path in html_files(fixture_site / lang):
            hrefs = parse(path).xpath("//nav[contains(@class, 'site-nav')]//a/@href")
            assert target in {resolve(fixture_site, path, href).resolve() for href in hrefs}, path
    with KO_PO.open("rb") as fileobj:
        heading = read_po(fileobj)["All articles by topic"].string
    tree = parse(file_for(fixture_site, "ko/all/"))
    assert tree.xpath("string(//h1)").strip() == heading
    assert tree.xpath("string(/html/@lang)") == "ko"
    page = file_for(fixture_site, "en/all/")
    opened = resolve(fixture_site, page, switcher_links(parse(page))["ko"])
    assert opened.relative_to(fixture_site).as_posix() == "ko/all/index.html"
