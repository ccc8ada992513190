"""Credits: a translation names its translator (`Translator:`, a pseudonym like `Reviewer:`),
and readers of an approved translation see who translated and who reviewed it, in their
language."""

import shutil

import pytest
from lxml import html

from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, build_site, edit, line_of
from press.cli.check import main as check
from press.translations.records import sync_translation

PSEUDONYM_HINT = (
    "is not on the pseudonym list (content/pseudonyms.toml); people publish here only under "
    "agreed pseudonyms: use one from the list, or add the new pseudonym there"
)


def run_check(capsys, content) -> tuple[int, list[str]]:
    """Run `invoke check`'s checks on `content`; return the exit code and the problem lines."""
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)])
    err = capsys.readouterr().err.splitlines()
    return code, [line for line in err if not line.endswith("problem(s) found.")]


@pytest.fixture
def translation(content):
    """The Korean fixture translation (approved), in a writable copy of the fixture."""
    return content / "ko" / "articles" / "shared-story.md"


def test_translator_on_the_pseudonym_list_is_accepted(capsys, content, translation):
    """`Translator:` is a known header key; an agreed pseudonym passes the checks."""
    edit(translation, "Reviewer:", "Translator: FFHR translators\nReviewer:")
    assert run_check(capsys, content) == (0, [])


def test_translator_not_on_the_pseudonym_list_is_refused(capsys, content, translation):
    """A translator's name that is not an agreed pseudonym is refused on its line."""
    edit(translation, "Reviewer:", "Translator: Kim Young-ho\nReviewer:")
    line = line_of(translation, "Translator:")
    assert run_check(capsys, content) == (
        1,
        [f"{translation}:{line}: Translator 'Kim Young-ho' {PSEUDONYM_HINT}"],
    )


def credits_of(page) -> str | None:
    """The credits line of a built article page, as readers read it (None when there is none)."""
    found = html.parse(str(page)).getroot().find_class("credits")
    return " ".join(found[0].text_content().split()) if found else None


@pytest.fixture(scope="module")
def credited_site(tmp_path_factory):
    """The fixture site with credits: a Korean translation names its translator; an English
    translation of the Korean-only article, approved, names both (its translator's pseudonym
    holds markup characters); a Korean translation of the English-only article is still in
    review. Built with review-state translations published, as a review build does, so the
    one in review has a page too."""
    root = tmp_path_factory.mktemp("credits")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    edit(
        content / "pseudonyms.toml",
        '"FFHR Korean Desk"]',
        '"FFHR Korean Desk", "R&D <Desk>"]',
    )
    korean = content / "ko" / "articles" / "shared-story.md"
    edit(korean, "Reviewer:", "Translator: FFHR translators\nReviewer:")
    english = content / "en" / "articles" / "korean-only.md"
    english.write_text(
        "Title: Only in Korean, now in English\nDate: 2024-02-01\n"
        "Author: FFHR Editorial Desk\nCategory: Families\nTags: testimony\n"
        "Summary: The English translation of the Korean-only article.\n"
        "Translation-Of: ko/articles/korean-only.md\nReview: approved\n"
        "Translator: R&D <Desk>\nReviewer: E. Dickinson\n\n"
        "An article for Korean readers, translated.\n",
        encoding="utf-8",
    )
    in_review = content / "ko" / "articles" / "english-only.md"
    in_review.write_text(
        "Title: 영어로만 있던 글\nDate: 2024-03-05\nAuthor: FFHR Editorial Desk\n"
        "Category: 가족\nTags: 증언\nSummary: 아직 검토 중인 번역입니다.\n"
        "Translation-Of: en/articles/english-only.md\nReview: review\n"
        "Translator: FFHR translators\nReviewer: FFHR Korean Desk\n\n"
        "영어 독자만 읽을 수 있던 글입니다.\n",
        encoding="utf-8",
    )
    # The fixture's draft published: its approved Korean translation names a reviewer only.
    edit(content / "en" / "articles" / "unfinished.md", "Status: draft\n", "")
    reviewed = content / "ko" / "articles" / "unfinished.md"
    for path in (korean, english, in_review, reviewed):
        sync_translation(path, content)
    return build_site(root / "output", content, I18N_PUBLISH_REVIEW_STATES=["review", "approved"])


def test_korean_readers_see_the_credits_in_korean(credited_site):
    """On the approved Korean translation: translator and reviewer, in Korean wording, the
    Latin-script pseudonyms marked as English."""
    page = credited_site / "ko" / "articles" / "shared-story" / "index.html"
    assert credits_of(page) == "번역: FFHR translators · 검토: FFHR Korean Desk"
    names = html.parse(str(page)).getroot().find_class("credits__name")
    assert [(n.text, n.get("lang")) for n in names] == [
        ("FFHR translators", "en"),
        ("FFHR Korean Desk", "en"),
    ]


def test_english_readers_see_the_credits_in_english_escaped(credited_site):
    """On an approved English translation: the English wording; a pseudonym with markup
    characters is shown as text, never as markup."""
    page = credited_site / "en" / "articles" / "korean-only" / "index.html"
    assert credits_of(page) == "Translated by R&D <Desk> · Reviewed by E. Dickinson"
    source = page.read_text(encoding="utf-8")
    assert "R&amp;D &lt;Desk&gt;" in source and "<Desk>" not in source


def test_no_credits_on_originals_or_unapproved_translations(credited_site):
    """An original names no translator; a translation still in review shows no credits
    even where it is written (a review build)."""
    for page in (
        credited_site / "en" / "articles" / "shared-story" / "index.html",
        credited_site / "ko" / "articles" / "korean-only" / "index.html",
        credited_site / "ko" / "articles" / "english-only" / "index.html",
    ):
        assert page.is_file(), page
        assert credits_of(page) is None, page


def test_only_the_parts_present_are_shown(credited_site):
    """A translation with a reviewer and no translator credits the reviewer alone."""
    page = credited_site / "ko" / "articles" / "unfinished" / "index.html"
    assert credits_of(page) == "검토: FFHR Korean Desk"
