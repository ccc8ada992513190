"""A pseudonym with a form of its own in a language: that language's pages write it so (bylines,
listings, credits); every other page, and every source, keeps the pseudonym itself."""

import shutil

import pytest
from lxml import html

from built import page
from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, build_site
from press.cli.check import main as check

DISPLAY = (
    '\n[display.ko]\n"FFHR Editorial Desk" = "FFHR 편집부"\n"FFHR Korean Desk" = "FFHR 한국어 팀"\n'
)


def bylines(site, url: str) -> list[str]:
    """The author names of every byline of a page, as readers read them."""
    return [
        " ".join(name.text_content().split())
        for name in page(site, url).find_class("byline__author")
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture site with Korean forms of two team pseudonyms."""
    root = tmp_path_factory.mktemp("display")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with (content / "pseudonyms.toml").open("a", encoding="utf-8") as fileobj:
        fileobj.write(DISPLAY)
    return build_site(root / "output", content)


def test_korean_pages_write_the_korean_form(site):
    """The Korean article's byline and the Korean home page's list give the team's Korean
    form, as Korean text (no lang="en"); a pseudonym without a form stays as it is."""
    assert bylines(site, "ko/articles/korean-only/") == ["FFHR 편집부"]
    assert "FFHR 편집부" in bylines(site, "ko/")
    author = page(site, "ko/articles/korean-only/").find_class("byline__author")[0]
    assert author.get("lang") is None
    assert bylines(site, "ko/articles/shared-story/") == ["E. Dickinson"]


def test_credits_write_the_korean_form(site):
    """The Korean translation credits its reviewer by the reviewer's Korean form."""
    credits = page(site, "ko/articles/shared-story/").find_class("credits")[0]
    assert "FFHR 한국어 팀" in " ".join(credits.text_content().split())
    assert "FFHR Korean Desk" not in html.tostring(credits, encoding="unicode")


def test_other_languages_keep_the_pseudonym(site):
    """English pages write the pseudonym itself."""
    assert bylines(site, "en/articles/english-only/") == ["FFHR Editorial Desk"]


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('[display.ko]\n"Nobody" = "아무개"\n', '"Nobody", which is not in pseudonyms'),
        ('[display.ko]\n"E. Dickinson" = "  "\n', "the form must be a non-empty text"),
        ('display = "FFHR 편집부"\n', "expected [display.<language>] tables"),
    ],
)
def test_a_form_that_cannot_be_used_is_refused(capsys, content, table, says):
    """`invoke check` names the list and what to do about a form of no pseudonym, an empty
    form, or a display that is no table of tables."""
    listing = content / "pseudonyms.toml"
    text = listing.read_text(encoding="utf-8")
    # A top-level key must come before the first table.
    listing.write_text(
        f"{table}\n{text}" if table.startswith("display =") else f"{text}\n{table}",
        encoding="utf-8",
    )
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)])
    problems = [line for line in capsys.readouterr().err.splitlines() if "pseudonyms.toml" in line]
    assert code != 0
    assert any(says in line for line in problems), problems
