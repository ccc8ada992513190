"""The Modified: header: checked like Date and never before it, shown as "Updated <date>" in
the reader's language, and carried by the feed as the entry's Atom <updated>."""

import shutil
from datetime import date

import pytest
from babel.dates import format_date
from lxml import etree

from built import page
from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, build_site, edit
from press.cli.check import main as check

ATOM = "{http://www.w3.org/2005/Atom}"


def run_check(capsys, content) -> tuple[int, list[str]]:
    """Run the checks on `content`; return the exit code and the problem lines."""
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)])
    err = capsys.readouterr().err.splitlines()
    return code, [line for line in err if not line.endswith("problem(s) found.")]


def add_modified(source, value: str, date_line: str) -> None:
    """Put a Modified: line right after the source's Date line."""
    edit(source, f"{date_line}\n", f"{date_line}\nModified: {value}\n")


@pytest.mark.parametrize("value", ["2024-03-05", "2024-03-05 09:30", "2024-11-30"])
def test_modified_on_or_after_date_passes(capsys, content, value):
    """A real date, the Date's day itself included, is accepted."""
    add_modified(content / "en" / "articles" / "english-only.md", value, "Date: 2024-03-05")
    assert run_check(capsys, content) == (0, [])


def test_modified_is_checked_like_date(capsys, content):
    """A date that is no calendar date is refused on the Modified line, as Date would be."""
    source = content / "en" / "articles" / "english-only.md"
    add_modified(source, "2024-02-30", "Date: 2024-03-05")
    code, problems = run_check(capsys, content)
    assert code == 1
    assert [line.split(": ", 1)[0] for line in problems] == [f"{source}:3"]


def test_modified_before_date_is_refused_on_its_line(capsys, content):
    """A Modified earlier than Date names the file and the Modified line, and both dates."""
    source = content / "en" / "articles" / "english-only.md"
    add_modified(source, "2024-03-04", "Date: 2024-03-05")
    code, problems = run_check(capsys, content)
    assert code == 1
    (problem,) = problems
    assert problem.startswith(f"{source}:3: ")
    assert "2024-03-04" in problem and "2024-03-05" in problem


@pytest.fixture(scope="module")
def updated_site(tmp_path_factory):
    """The fixture site with one article updated in each language."""
    folder = tmp_path_factory.mktemp("modified")
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    add_modified(content / "en" / "articles" / "english-only.md", "2024-06-01", "Date: 2024-03-05")
    add_modified(content / "ko" / "articles" / "korean-only.md", "2024-07-02", "Date: 2024-02-01")
    return build_site(folder / "output", content)


@pytest.mark.parametrize(
    ("path", "lang", "day"),
    [
        ("en/articles/english-only/", "en", date(2024, 6, 1)),
        ("ko/articles/korean-only/", "ko", date(2024, 7, 2)),
    ],
)
def test_the_article_says_when_it_was_updated_in_its_language(updated_site, path, lang, day):
    """The byline shows the Modified date with Babel's long format of the page's language."""
    tree = page(updated_site, path)
    (updated,) = tree.xpath("//*[contains(@class, 'byline__updated')]")
    (when,) = updated.xpath(".//time")
    assert when.get("datetime") == day.isoformat()
    assert when.text_content() == format_date(day, format="long", locale=lang)
    assert updated.text_content().strip() != when.text_content()  # with its word, "Updated"


def test_an_article_never_modified_says_nothing_of_it(updated_site):
    """No Modified line, no "Updated"."""
    tree = page(updated_site, "en/articles/shared-story/")
    assert not tree.xpath("//*[contains(@class, 'byline__updated')]")


def test_the_feed_entry_is_updated_when_modified(updated_site):
    """The Atom entry's <updated> is the Modified date; an unmodified one's is its Date."""
    feed = etree.parse(str(updated_site / "en" / "feeds" / "all.atom.xml")).getroot()
    by_page = {
        entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[-1]: entry.findtext(
            f"{ATOM}updated"
        )
        for entry in feed.iter(f"{ATOM}entry")
    }
    assert by_page["english-only"].startswith("2024-06-01")
    assert by_page["shared-story"].startswith("2024-01-10")
    assert feed.findtext(f"{ATOM}updated").startswith("2024-06-01")
