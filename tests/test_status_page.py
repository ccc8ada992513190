"""The translation status page: one page at the site's root, every language's progress in
that language, only of what readers can see, built and gated with the rest of the site."""

import shutil

import pytest
from babel.messages.pofile import read_po
from lxml import etree

from built import file_for, html_files, parse, resolve
from conftest import FIXTURE_CONTENT, ROOT, SETTINGS, append, build_report, build_site
from press.build.errors import BuildError
from press.review.status import Cell, Progress
from press.review.status_page import STATES, LanguageProgress, public_state

STATUS = "status/index.html"
KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "messages.po"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def ko(msgid: str) -> str:
    """The Korean catalog's translation of one interface message."""
    with KO_PO.open("rb") as fileobj:
        return read_po(fileobj)[msgid].string


def sections(site) -> dict:
    """Each language's section of the status page, by its lang."""
    tree = parse(site / STATUS)
    return {section.get("lang"): section for section in tree.xpath("//section[@class='status']")}


def rows(section) -> dict[str, tuple[str, str]]:
    """The rows of a section's table: the page linked -> (the title shown, its state)."""
    found = {}
    for row in section.xpath(".//table[@class='status__table']/tbody/tr"):
        link = row.xpath("./th/a")[0]
        state = row.xpath("./td")[0].get("class").removeprefix("status__state status__state--")
        found[link.get("href")] = (link.text_content(), state)
    return found


def counts(section) -> dict[str, int]:
    """The count of each state a section shows, by the label shown."""
    return {
        item.xpath("./dt")[0].text_content(): int(item.xpath("./dd")[0].text_content())
        for item in section.xpath(".//div[@class='status__count']")
    }


@pytest.mark.parametrize(
    ("state", "freshness", "shown"),
    [
        ("source", "", "source"),
        ("missing", "", "missing"),
        ("draft", "not synced", "draft"),
        ("review", "outdated", "review"),
        ("approved", "up to date", "approved"),
        ("approved", "outdated", "outdated"),
        ("approved", "not synced", "unsynced"),
    ],
)
def test_each_state_is_told_as_readers_need_it(state, freshness, shown):
    """Review states as they are; an approved translation by how it stands to its source."""
    assert public_state(Cell(state, freshness=freshness)) == shown
    assert shown in STATES


def test_progress_is_the_status_commands():
    """The page's progress is `translations.status`'s: approved and up to date, of all the
    language's translations and missing ones, in the same percent."""
    part = LanguageProgress(Progress("ko", translations=6, done=2))
    assert (part.done, part.total, part.percent) == (2, 6, Progress("ko", 6, 2).percent)
    assert LanguageProgress(Progress("en")).percent == 100  # nothing to translate


def test_status_page_is_one_page_for_every_language_each_in_its_own(fixture_site):
    """At the site's root, with a section per language in that language's words, a heading
    in every language, and a way to each language's site."""
    tree = parse(fixture_site / STATUS)
    assert tree.get("lang") == "en"
    title = tree.xpath("//h1")[0]
    assert [span.get("lang") for span in title.xpath("./span")] == ["en", "ko"]
    assert title.xpath("./span[@lang='ko']")[0].text_content() == ko("Translation status")
    found = sections(fixture_site)
    assert list(found) == ["en", "ko"]
    assert found["ko"].xpath("./h2")[0].text_content() == "한국어"
    assert ko("Not translated yet") in counts(found["ko"])
    assert "Not translated yet" in counts(found["en"])
    assert "Translation status" not in etree.tostring(found["ko"], encoding="unicode")
    homes = {
        a.get("hreflang"): resolve(fixture_site, fixture_site / STATUS, a.get("href"))
        for a in tree.xpath("//nav[@class='language-switcher']//a")
    }
    assert homes == {lang: file_for(fixture_site, f"{lang}/") for lang in ("en", "ko")}
    assert tree.xpath("//link[@rel='canonical']/@href") == ["http://localhost:8000/status/"]


def test_status_page_rows_link_what_readers_can_see(fixture_site):
    """Each row links the version readers can read in that language, else the original (in
    the original's language); the counts add up to the rows."""
    found = sections(fixture_site)
    korean = rows(found["ko"])
    only_english = korean["../en/articles/english-only/"]
    assert only_english == ("Only in English", "missing")
    link = found["ko"].xpath(".//a[@href='../en/articles/english-only/']")[0]
    assert (link.get("lang"), link.get("hreflang")) == ("en", "en")
    assert rows(found["en"])["../ko/articles/korean-only/"] == ("한국어로만 있는 글", "missing")
    for lang, section in found.items():
        shown, listed = counts(section), rows(section)
        originals = "Written in this language"
        shown.pop(originals if lang == "en" else ko(originals))
        assert sum(shown.values()) == len(listed)  # a row for everything not written in it
        for href in listed:
            target = resolve(fixture_site, fixture_site / STATUS, href)
            assert target is not None and target.is_file(), href


SECRET = """\
Title: {title}
Date: {date}
Author: E. Dickinson
Category: {category}
{extra}Summary: Not for the status page.

Body.
"""


def test_status_page_names_nothing_readers_cannot_see(content, tmp_path):
    """A draft, a hidden and an embargoed article, and approved translations of them, are
    not on it: neither their titles nor their addresses."""
    for name, date, status in (
        ("secret-hidden", "2024-01-01", "Status: hidden\n"),
        ("secret-future", "2099-01-01", ""),
    ):
        (content / "en" / "articles" / f"{name}.md").write_text(
            SECRET.format(title=f"Title of {name}", date=date, category="Defectors",
                          extra=status),
            encoding="utf-8",
        )  # fmt: skip
        record = f"Translation-Of: en/articles/{name}.md\nReview: approved\n"
        (content / "ko" / "articles" / f"{name}.md").write_text(
            SECRET.format(title=f"{name} 번역 제목", date=date, category="탈북민", extra=record),
            encoding="utf-8",
        )
    site = build_site(tmp_path / "output", content)
    assert (site / "en/articles/secret-hidden/index.html").is_file()  # hidden: written
    page = (site / STATUS).read_text(encoding="utf-8")
    for secret in ("secret-hidden", "secret-future", "Title of secret", "번역 제목",
                   "unfinished", "An unfinished draft", "아직 쓰는 중인 글"):  # fmt: skip
        assert secret not in page, secret


def test_every_page_links_the_status_page_and_the_sitemap_lists_it(fixture_site):
    """A small link in every language's footer leads to it; the sitemap lists it once."""
    for path in html_files(fixture_site / "en") + html_files(fixture_site / "ko"):
        footer = parse(path).xpath("//footer[@class='site-footer']//a")
        targets = [resolve(fixture_site, path, a.get("href")) for a in footer]
        assert fixture_site / STATUS in targets, path
    ko_footer = parse(fixture_site / "ko" / "index.html").xpath("//footer//a")
    assert ko("Translation status") in [a.text_content() for a in ko_footer]
    sitemap = etree.parse(str(fixture_site / "sitemap.xml"))
    locations = sitemap.xpath("//s:loc/text()", namespaces={"s": SITEMAP[1:-1]})
    assert locations.count("http://localhost:8000/status/") == 1


def test_no_status_page_when_the_settings_ask_for_none(tmp_path):
    """STATUS_SAVE_AS = "": no page, no footer link, nothing in the sitemap."""
    site = build_site(tmp_path / "output", STATUS_SAVE_AS="")
    assert not (site / "status").exists()
    assert "status/" not in (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "/status/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_status_page_is_held_to_every_gate(tmp_path):
    """A status template that loads a script from another host stops the build, which
    names the page: it is published like any other."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "status.html"
    text = template.read_text(encoding="utf-8")
    evil = '<script src="https://evil.example/x.js"></script></head>'
    template.write_text(text.replace("</head>", evil, 1), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build_site(tmp_path / "output", THEME=str(theme))
    assert "output/status/index.html" in str(raised.value)
    assert not (tmp_path / "output").exists()


def test_an_update_after_a_source_edit_rewrites_the_status_page(tmp_path):
    """Editing an approved translation's source is an update, not a full build, and the
    status page it writes shows the translation as outdated."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = tmp_path / "output"
    build_report(output, content, settings=SETTINGS)
    key = "families-3-life-after-escape"
    before = rows(sections(output)["ko"])[f"../ko/articles/{key}/"]
    assert before[1] == "approved"
    append(content / "en" / "articles" / f"{key}.md", "\nA paragraph added later.\n")
    report = build_report(output, content, settings=SETTINGS)
    assert report.kind == "update"
    assert STATUS in report.written
    assert rows(sections(output)["ko"])[f"../ko/articles/{key}/"] == (before[0], "outdated")


def test_a_review_build_marks_it_not_to_be_indexed(tmp_path):
    """In a review build, which shows translations not yet approved, it says noindex too."""
    review = build_site(tmp_path / "review", FIXTURE_CONTENT, REVIEW_BUILD=True)
    assert parse(review / STATUS).xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]
