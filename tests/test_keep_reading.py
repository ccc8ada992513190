"""The end of an article: previous and next as the site lists them, its series, related
articles; worked out from every article's header, so updates that read some articles agree."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pelican.readers import ensure_metadata_list

from built import parse, resolve
from conftest import ROOT, append, assert_same_tree, build_report, build_site, reference_build
from press.build.update import articles_to_read
from press.translations.index import index_of
from site_invariants import _all, content_settings, versions

ARTICLES = {
    # A series whose parts' order (Series-Index) is not their dates' order.
    "en/articles/walk-one.md": ("2024-05-03", "walking, testimony", "walk", "1", ""),
    "en/articles/walk-two.md": ("2024-05-01", "walking, China", "walk", "2", ""),
    "en/articles/walk-three.md": ("2024-05-02", "walking", "walk", "3", ""),
    # Shares tags with nearly everything, and is hidden: nobody's neighbour, nobody's related.
    "en/articles/hidden-one.md": ("2024-05-04", "walking, testimony, China", "walk", "4", "hidden"),
    "en/articles/related-a.md": ("2024-04-01", "testimony, China", "", "", ""),
    "en/articles/related-b.md": ("2024-04-01", "testimony", "", "", ""),
    "ko/articles/ko-walk-one.md": ("2024-05-01", "걷기", "걷기", "1", ""),
    "ko/articles/ko-walk-two.md": ("2024-05-02", "걷기", "걷기", "2", ""),
}

# Bodies with sections: enough of them for a table of contents, and one short of it.
BODIES = {
    "en/articles/related-b.md": "".join(
        f"## Part *{n}* & more\n\nText {n}.\n\n" for n in ("one", "two", "three", "four")
    ),
    "ko/articles/ko-walk-two.md": "".join(
        f"## {n} 부분\n\n본문 {n}.\n\n" for n in ("첫째", "둘째", "셋째", "넷째", "다섯째")
    ),
    "en/articles/related-a.md": "## One\n\nA.\n\n## Two\n\nB.\n\n## Three\n\nC.\n",
}


def write_articles(content: Path) -> None:
    """The articles above, beside the fixture's."""
    for source, (date, tags, series, part, status) in ARTICLES.items():
        header = [
            f"Title: Article {Path(source).stem}",
            f"Date: {date}",
            "Author: E. Dickinson",
            "Category: Defectors",
            f"Tags: {tags}",
            "Summary: One of the articles of the end-of-article tests.",
        ]
        header += [f"Series: {series}", f"Series-Index: {part}"] if series else []
        header += [f"Status: {status}"] if status else []
        body = BODIES.get(source, "A paragraph.\n")
        (content / source).write_text("\n".join(header) + "\n\n" + body, "utf-8")


@pytest.fixture
def site(tmp_path, content) -> tuple[Path, Path]:
    write_articles(content)
    return build_site(tmp_path / "output", content), content


def catalog(lang: str) -> dict[str, str]:
    """The interface catalog of `lang`, msgid to translation (the msgid itself for English)."""
    po = ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return {}
    with po.open("rb") as fileobj:
        return {m.id: m.string for m in read_po(fileobj) if m.id and m.string}


def listed_in_order(site: Path, lang: str) -> list[str]:
    """The articles of a language's home pages, in the order they list them, as output files."""
    found = []
    for home in sorted((site / lang).glob("index*.html")):
        for href in parse(home).xpath("//ol[@class='article-list']//h2/a/@href"):
            found.append(resolve(site, home, href).relative_to(site).as_posix())
    return found


def targets(site: Path, page: Path, xpath: str) -> list[str]:
    tree = parse(page)
    return [resolve(site, page, href).relative_to(site).as_posix() for href in tree.xpath(xpath)]


def test_previous_and_next_follow_the_listing(site):
    """An article's previous is the one listed after it (older), its next the one before."""
    output, content = site
    for lang in content_settings(content)["I18N_LANGUAGES"]:
        listed = listed_in_order(output, lang)
        assert len(listed) > 2
        labels = catalog(lang)
        for n, name in enumerate(listed):
            page = output / name
            previous = targets(output, page, "//a[@class='reading-on__previous']/@href")
            following = targets(output, page, "//a[@class='reading-on__next']/@href")
            assert previous == listed[n + 1 : n + 2], name
            assert following == listed[max(n - 1, 0) : n], name
            tree = parse(page)
            for kind, msgid in (("previous", "Previous article"), ("next", "Next article")):
                for label in tree.xpath(f"//a[@class='reading-on__{kind}']/span[1]/text()"):
                    assert label == labels.get(msgid, msgid)


def test_a_series_lists_its_published_parts_in_order(site):
    """Each part shows "part k of n" in the reader's language and links to every other part."""
    output, content = site
    found = versions(content)
    boxes = 0
    for version in _all(found):
        if version.kind != "article" or not version.listed:
            continue
        tree = parse(output / version.page)
        series = version.header.get("series", "").strip()
        if not series:
            assert not tree.xpath("//*[@id='reading-on-series']")
            continue
        parts = sorted(
            (v for v in _all(found) if v.lang == version.lang and v.listed
             and v.header.get("series", "").strip() == series),
            key=lambda v: int(v.header["series-index"]),
        )  # fmt: skip
        part = parts.index(version) + 1
        heading = tree.xpath("string(//*[@id='reading-on-series'])")
        msgid = "Series: part %(part)s of %(total)s"
        text = catalog(version.lang).get(msgid, msgid)
        assert heading == text % {"part": part, "total": len(parts)}
        items = tree.xpath("//ol[@class='reading-on__series']/li")
        assert len(items) == len(parts)
        for item, expected in zip(items, parts, strict=True):
            links = item.xpath("a/@href")
            if expected is version:
                assert not links and item.xpath("strong[@aria-current='page']")
            else:
                assert [resolve(output, output / version.page, links[0])] == [
                    output / expected.page
                ]
        boxes += 1
    assert boxes == 5  # the English and the Korean series, hidden part left out


def test_related_articles_share_most_tags_then_are_newest(site):
    """Up to three, of the same language, published, outside its series, most shared tags
    first, then the newest, then by file name."""
    output, content = site
    found = versions(content)
    for lang in content_settings(content)["I18N_LANGUAGES"]:
        listed = listed_in_order(output, lang)
        published = [v for v in _all(found) if v.lang == lang and v.kind == "article" and v.listed]

        def tags(v):
            return {t.casefold() for t in ensure_metadata_list(v.header.get("tags", ""))}

        for version in published:
            series = version.header.get("series", "").strip()
            ranked = sorted(
                (-len(tags(version) & tags(other)), listed.index(other.page), other.path.name,
                 other.page)
                for other in published
                if other is not version and tags(version) & tags(other)
                and not (series and other.header.get("series", "").strip() == series)
            )  # fmt: skip
            shown = targets(
                output, output / version.page, "//ul[@class='reading-on__related']//a/@href"
            )
            assert shown == [page for *_, page in ranked[:3]], version.page


def test_a_hidden_article_is_nobodys_neighbour_and_shows_none(site):
    output, _content = site
    hidden = output / "en" / "articles" / "hidden-one" / "index.html"
    assert hidden.exists() and not parse(hidden).xpath("//*[@class='reading-on']")
    for page in (output / "en" / "articles").rglob("index.html"):
        assert "hidden-one" not in "".join(parse(page).xpath("//*[@class='reading-on']//a/@href"))


def test_an_update_reading_some_articles_shows_the_ends_of_a_full_build(tmp_path, content):
    """An update whose run reads only the edited article and the feed's still shows the
    neighbours, series and related articles it did not read, as a full build does."""
    write_articles(content)
    one = {"FEED_MAX_ITEMS": 1}
    output = build_site(tmp_path / "output", content, **one)
    settings = content_settings(content)
    index = index_of(settings)
    page = "articles/walk-two/index.html"
    read = articles_to_read({**settings, **one}, index, "en", {page})
    # Its newer neighbour and the articles sharing its tags are not read.
    unread = {"en/articles/walk-three.md", "en/articles/related-a.md"}
    assert read is not None and not unread & set(read)
    append(content / "en" / "articles" / "walk-two.md", "\nOne more sentence.\n")
    report = build_report(output, content, **one)
    assert report.kind == "update" and f"en/{page}" in report.written
    assert parse(output / "en" / page).xpath("//*[@class='reading-on__series']//a")
    assert_same_tree(output, reference_build(tmp_path / "fresh", content, **one))


def test_long_articles_have_a_table_of_contents(site):
    """An article with four or more ## headings lists them, in order, linked to their ids,
    under a heading in the reader's language; a shorter one has no table of contents."""
    output, content = site
    shown = 0
    for version in _all(versions(content)):
        if version.kind != "article" or not version.written:
            continue
        tree = parse(output / version.page)
        headings = tree.xpath("//div[@class='article__body']//h2[@id]")
        links = tree.xpath("//nav[@class='contents']//a")
        if len(headings) < 4:
            assert not links, version.page
            continue
        assert [a.get("href") for a in links] == [f"#{h.get('id')}" for h in headings]
        assert [a.text_content() for a in links] == [
            " ".join(h.text_content().split()) for h in headings
        ]
        heading = tree.xpath("string(//nav[@class='contents']/h2)")
        assert heading == catalog(version.lang).get("Contents", "Contents")
        shown += 1
    assert shown == 2
