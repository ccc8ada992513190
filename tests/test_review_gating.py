"""Review states gate publication; readers are told of stale translations; the review build."""

from pathlib import Path

import pytest

from built import file_for, hreflangs, html_files, page, parse, resolve, switcher_links
from conftest import ROOT, SETTINGS, build_site, settings_for
from press.build.review_site import build_review
from press.core.settings import load_settings
from press.review.status import SELF_APPROVED, content_status
from press.translations.records import sync_translation

TRANSLATION = Path("ko/articles/shared-story.md")
NOTICE = "이 글의 원문은 번역된 뒤에 수정되었습니다."


def set_review(content: Path, state: str) -> None:
    """Give the Korean translation of shared-story another review state."""
    path = content / TRANSLATION
    path.write_text(
        path.read_text(encoding="utf-8").replace("Review: approved", f"Review: {state}"),
        encoding="utf-8",
    )


@pytest.mark.parametrize("state", ["draft", "review"])
def test_unapproved_translation_is_not_published(tmp_path, content, state):
    """A draft or in-review translation is not written; the switcher leads to /ko/ instead."""
    set_review(content, state)
    site = build_site(tmp_path / "output", content)
    assert not file_for(site, "ko/articles/shared-story/").exists()
    english = file_for(site, "en/articles/shared-story/")
    tree = parse(english)
    assert resolve(site, english, switcher_links(tree)["ko"]) == file_for(site, "ko/")
    assert tree.xpath("//li[@lang='ko']/span[contains(@class, 'language-switcher__note')]")
    assert set(hreflangs(tree)) == {"en", "x-default"}
    for path in html_files(site / "ko"):
        assert "두 언어로 전하는 이야기" not in path.read_text(encoding="utf-8"), path


def test_stale_approved_translation_stays_with_a_notice(tmp_path, content):
    """An approved translation whose source changed is published with a notice in Korean."""
    sync_translation(content / TRANSLATION, content)
    fresh = build_site(tmp_path / "fresh", content)
    assert NOTICE not in file_for(fresh, "ko/articles/shared-story/").read_text("utf-8")

    source = content / "en" / "articles" / "shared-story.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("A paragraph", "A longer paragraph"),
        encoding="utf-8",
    )
    site = build_site(tmp_path / "stale", content)
    korean = file_for(site, "ko/articles/shared-story/")
    notice = parse(korean).xpath("//aside[@class='notice']")[0]
    assert NOTICE in notice.text_content()
    link = notice.xpath(".//a")[0]
    # Inside a Korean sentence, English is named in Korean (Babel's CLDR name), as Korean.
    assert link.text_content() == "영어 원문 읽기"
    assert link.get("hreflang") == "en" and not link.xpath("./bdi")
    assert resolve(site, korean, link.get("href")) == file_for(site, "en/articles/shared-story/")
    assert NOTICE not in file_for(site, "en/articles/shared-story/").read_text("utf-8")


@pytest.fixture(scope="module")
def review_site(tmp_path_factory):
    """The review build of the organization's real content."""
    folder = tmp_path_factory.mktemp("review")
    # A content cache of its own: tests never share the project's cache/.
    return build_review(SETTINGS, folder / "review", override={"CACHE_PATH": str(folder / "cache")})


def test_review_build_has_a_side_by_side_page_for_every_translation(review_site):
    """Each translated article and page of content/ has its page, source beside translation."""
    translations = sorted((ROOT / "content" / "ko").rglob("*.md"))
    assert len(translations) >= 6
    for translation in translations:
        key = translation.relative_to(ROOT / "content" / "ko").with_suffix("").as_posix()
        pair = parse(review_site / "pairs" / "ko" / f"{key}.html")
        rows = pair.xpath("//table[@class='pair__table']/tbody/tr")
        source = ROOT / "content" / "en" / f"{key}.md"
        source_title = source.read_text(encoding="utf-8").splitlines()[0].removeprefix("Title: ")
        target_title = (
            translation.read_text(encoding="utf-8").splitlines()[0].removeprefix("Title: ")
        )
        first = rows[0].xpath("./td")
        assert source_title in first[0].text_content()
        assert target_title in first[1].text_content()
        assert first[0].get("lang") == "en" and first[1].get("lang") == "ko"
        assert len(rows) >= 8


def test_review_dashboard_links_every_pair(review_site):
    """The dashboard lists every article with its state and links its side-by-side page."""
    dashboard = parse(review_site / "index.html")
    links = dashboard.xpath("//table[@class='states']//a/@href")
    expected = sorted(
        f"pairs/ko/{p.relative_to(ROOT / 'content' / 'ko').with_suffix('').as_posix()}.html"
        for p in (ROOT / "content" / "ko").rglob("*.md")
    )
    assert sorted(links) == expected
    assert dashboard.xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"]


def test_review_copy_of_the_site_is_marked_and_not_indexed(review_site):
    """Every page of the review copy carries the banner and noindex."""
    pages = html_files(review_site / "site" / "en") + html_files(review_site / "site" / "ko")
    assert pages
    for path in pages:
        tree = parse(path)
        assert tree.xpath("//meta[@name='robots']/@content") == ["noindex, nofollow"], path
        assert tree.xpath("//p[@class='review-banner']"), path
    assert (review_site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_review_build_shows_unapproved_translations(tmp_path, content):
    """A translation still in review is in the review copy, though not in the public build."""
    set_review(content, "review")
    output = build_site(
        tmp_path / "review",
        content,
        I18N_PUBLISH_REVIEW_STATES=["draft", "review", "approved"],
        REVIEW_BUILD=True,
    )
    korean = page(output, "ko/articles/shared-story/")
    assert korean.xpath("//h1/text()") == ["두 언어로 전하는 이야기"]


def _cell(content: Path):
    """The status of the Korean translation of shared-story, as translations.status has it."""
    settings = load_settings(settings_for(content), {"PATH": str(content)})
    [row] = [row for row in content_status(settings) if row.key == "articles/shared-story"]
    return row.languages["ko"]


def test_an_approval_by_its_own_translator_publishes_nothing(tmp_path, content):
    """A header that names its Translator as its Reviewer (written by hand: approve refuses
    it) is in review: not published, and the status says why and what to do."""
    path = content / TRANSLATION
    text = path.read_text(encoding="utf-8")
    assert "Reviewer: FFHR Korean Desk" in text and "Translator:" not in text
    path.write_text(text.replace("Reviewer:", "Translator: FFHR Korean Desk\nReviewer:"), "utf-8")
    site = build_site(tmp_path / "output", content)
    assert not file_for(site, "ko/articles/shared-story/").exists()
    cell = _cell(content)
    assert (cell.state, cell.published) == ("review", False)
    assert SELF_APPROVED in [flag.kind for flag in cell.warnings]
    # Another reviewer's approval is what publishes it.
    path.write_text(text.replace("Reviewer:", "Translator: FFHR translators\nReviewer:"), "utf-8")
    assert file_for(build_site(tmp_path / "again", content), "ko/articles/shared-story/").exists()
