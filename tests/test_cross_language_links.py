"""A {filename} link to an article the page's language lacks leads to the version another
language has, saying so (hreflang): `invoke check`, the build and its gates, translation QA
and the offline edition all agree."""

import pytest

from built import file_for, parse, resolve
from conftest import FIXTURE_SETTINGS, build_site
from press.build.offline import check_offline, offline_override
from press.build.review_site import build_review
from press.checks.content import check_site
from press.core.settings import load_settings
from press.review.qa import qa_pair, qa_site
from press.safety.markup import CONTENT, findings
from press.safety.markup import parse as parse_html
from press.translations.records import approve_translation, sync_translation

SECOND = (
    "Title: A second story\nDate: 2024-03-06\nAuthor: E. Dickinson\nCategory: Defectors\n"
    "Summary: An article whose Korean translation is still in review.\n\nThe second story.\n"
)
SECOND_KO = (
    "Title: 두 번째 이야기\nDate: 2024-03-06\nAuthor: E. Dickinson\nCategory: 탈북민\n"
    "Summary: 아직 검토 중인 번역입니다.\nTranslation-Of: en/articles/second-story.md\n"
    "Review: review\nReviewer: FFHR Korean Desk\n\n두 번째 이야기입니다.\n"
)
# Links the English source gains, and the Korean translation keeps as they are.
EN_LINKS = (
    "\nRead [only in English]({filename}english-only.md) and "
    "[the second story]({filename}second-story.md).\n"
)
KO_LINKS = (
    "\n[영어로만 있는 글]({filename}english-only.md)과 "
    "[두 번째 이야기]({filename}second-story.md)를 읽으십시오.\n"
)


@pytest.fixture
def linked(content):
    """The fixture content, its shared story linking to an English-only article and to one
    whose Korean translation is in review; the Korean translation keeps the links."""
    (content / "en" / "articles" / "second-story.md").write_text(SECOND, encoding="utf-8")
    (content / "ko" / "articles" / "second-story.md").write_text(SECOND_KO, encoding="utf-8")
    for lang, links in (("en", EN_LINKS), ("ko", KO_LINKS)):
        with (content / lang / "articles" / "shared-story.md").open("a", encoding="utf-8") as f:
            f.write(links)
    # Synced to its changed source and approved again, as translator and reviewer would.
    korean = content / "ko" / "articles" / "shared-story.md"
    sync_translation(korean, content)
    approve_translation(korean, content, "FFHR Korean Desk", {"FFHR Korean Desk"})
    return content


def links_of(site, url):
    """Each link of the article body at `url`: text -> (the file it opens, its hreflang)."""
    path = file_for(site, url)
    return {
        link.text_content(): (
            resolve(site, path, link.get("href")).relative_to(site).as_posix(),
            link.get("hreflang"),
        )
        for link in parse(path).xpath("//div[@class='article__body']//a[@href]")
        if not link.get("href").startswith("#")
    }


def test_check_passes_a_link_to_a_version_another_language_has(linked):
    """`invoke check` finds the Korean page's links to what Korean lacks: no problem."""
    assert check_site(load_settings(FIXTURE_SETTINGS, {"PATH": str(linked)})) == []


def test_a_translation_links_to_what_its_language_has_and_else_to_the_source(tmp_path, linked):
    """The Korean page links to the Korean About page, and to the English pages of the
    English-only article and of the one whose translation is in review, with hreflang="en";
    the English page's links are its own language's. The build's gates opened them all."""
    site = build_site(tmp_path / "output", linked)
    assert links_of(site, "ko/articles/shared-story/") == {
        "소개 페이지": ("ko/about/index.html", None),
        "영어로만 있는 글": ("en/articles/english-only/index.html", "en"),
        "두 번째 이야기": ("en/articles/second-story/index.html", "en"),
    }
    assert links_of(site, "en/articles/shared-story/") == {
        "link to the about page": ("en/about/index.html", None),
        "only in English": ("en/articles/english-only/index.html", None),
        "the second story": ("en/articles/second-story/index.html", None),
    }


def test_once_published_the_translation_is_linked_instead(tmp_path, linked):
    """Approved and synced, the Korean second story is what the Korean page links to."""
    korean = linked / "ko" / "articles" / "second-story.md"
    korean.write_text(SECOND_KO.replace("Review: review", "Review: approved"), encoding="utf-8")
    sync_translation(korean, linked)
    site = build_site(tmp_path / "output", linked)
    assert links_of(site, "ko/articles/shared-story/")["두 번째 이야기"] == (
        "ko/articles/second-story/index.html",
        None,
    )


@pytest.mark.parametrize(
    "target", ["../../en/articles/english-only.md", "/en/articles/english-only.md"]
)
def test_a_link_naming_the_other_languages_version_leads_there(tmp_path, linked, target):
    """{filename} naming the English version, relative or from content/: check passes, and
    the Korean page links to the English page with hreflang="en"."""
    korean = linked / "ko" / "articles" / "shared-story.md"
    text = korean.read_text(encoding="utf-8")
    korean.write_text(text.replace("({filename}english-only.md)", f"({{filename}}{target})"))
    approve_translation(korean, linked, "FFHR Korean Desk", {"FFHR Korean Desk"})  # the edit
    assert check_site(load_settings(FIXTURE_SETTINGS, {"PATH": str(linked)})) == []
    site = build_site(tmp_path / "output", linked)
    assert links_of(site, "ko/articles/shared-story/")["영어로만 있는 글"] == (
        "en/articles/english-only/index.html",
        "en",
    )


def test_qa_finds_no_problem_in_kept_links(linked):
    """QA: the translation keeps its source's links, so nothing to report about them."""
    settings = load_settings(FIXTURE_SETTINGS, {"PATH": str(linked)})
    assert [str(p) for p in qa_site(settings) if "shared-story" in p.path] == []


@pytest.mark.parametrize(
    ("target", "same"),
    [
        ("english-only.md", True),  # the source's path, kept
        ("../../en/articles/english-only.md", True),  # the English version, named
        ("/en/articles/english-only.md", True),  # named from the content folder
        ("../../en/articles/shared-story.md", False),  # another article
    ],
)
def test_qa_takes_a_link_to_another_languages_version_as_the_same_target(linked, target, same):
    """A translation's link to the source language's version of the article its source
    links to is the same target; a link to another article is a finding."""
    korean = linked / "ko" / "articles" / "shared-story.md"
    text = korean.read_text(encoding="utf-8")
    korean.write_text(text.replace("({filename}english-only.md)", f"({{filename}}{target})"))
    found = [
        p.message
        for p in qa_pair(linked / "en" / "articles" / "shared-story.md", korean, None, "en")
        if p.message.startswith("links:")
    ]
    assert found == ([] if same else [found[0]])
    assert same or target in found[0]


def test_the_offline_edition_opens_the_links_to_other_languages(tmp_path, linked):
    """Offline, where links name files, the Korean page's link opens the English file."""
    settings = load_settings(FIXTURE_SETTINGS)
    site = build_site(tmp_path / "offline", linked, **offline_override(settings))
    assert check_offline(site) == []
    assert links_of(site, "ko/articles/shared-story/index.html")["영어로만 있는 글"] == (
        "en/articles/english-only/index.html",
        "en",
    )


@pytest.mark.parametrize(
    ("value", "allowed"),
    [("en", True), ("zh-Hant", True), ("", False), ("javascript:x", False), ('en" x', False)],
)
def test_hreflang_on_a_link_is_a_language_code(value, allowed):
    """<a hreflang> in content holds a language code and nothing else."""
    html = f'<!DOCTYPE html><body><a href="x/" hreflang="{value}">x</a>'
    assert (findings(parse_html(html), CONTENT, "http://localhost:8000/", fragment=True) == []) is (
        allowed
    )


def test_the_review_pages_open_the_links_to_other_languages(tmp_path, linked):
    """The review copy resolves the links as the site does: none is left leading nowhere."""
    review = build_review(
        FIXTURE_SETTINGS,
        tmp_path / "review",
        override={"PATH": str(linked), "CACHE_PATH": str(tmp_path / "cache")},
    )
    pages = [page for page in review.rglob("*.html") if "shared-story" in page.as_posix()]
    assert pages
    assert not [page for page in pages if "#unresolved" in page.read_text(encoding="utf-8")]
