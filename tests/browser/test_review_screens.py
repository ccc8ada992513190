"""The review site in Chromium: the dashboard, and a translation's page whose source changed
since its sync, with the changed words marked; screenshots of both for people to look at."""

import shutil
import subprocess

import pytest

from conftest import FIXTURE_SETTINGS, ROOT
from press.build.review_site import build_review

from .conftest import DESKTOP, served

SOURCE = "en/articles/families-2-the-road-out.md"
PAIR = "pairs/ko/articles/families-2-the-road-out.html"
# Two edits of the English source after its Korean translation was synced, made in whatever
# its first two paragraphs say today: one word swapped, and words added to the other.
SWAPPED_IN = "reworded"
ADDED = "watched day and night"


def edit_two_paragraphs(text: str) -> tuple[str, str]:
    """`text` with a word of its first body paragraph swapped and words added to its
    second; and the word swapped out."""
    header, _, body = text.partition("\n\n")
    lines = body.split("\n")
    paragraphs = [
        number for number, line in enumerate(lines)
        if len(line.split()) > 8 and line[0].isalpha()
    ]  # fmt: skip
    first, second = paragraphs[:2]
    words = lines[first].split(" ")
    # A plain word (no link, mark or punctuation), not the paragraph's first.
    number = next(n for n, word in enumerate(words) if n and word.isalpha())
    swapped_out, words[number] = words[number], SWAPPED_IN
    lines[first] = " ".join(words)
    head, space, rest = lines[second].partition(" ")
    lines[second] = f"{head} {ADDED}{space}{rest}"
    return f"{header}\n\n" + "\n".join(lines), swapped_out


def git(repo, *args):
    """Run git in `repo` as a pseudonymous committer."""
    subprocess.run(
        ["git", "-c", "user.name=FFHR Editorial Desk", "-c", "user.email=desk@ffhr.invalid",
         *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def review_site(tmp_path_factory):
    """The review site of the real content in a git repository, after an edit of one source
    its translation has not followed yet, served on a free port of 127.0.0.1."""
    folder = tmp_path_factory.mktemp("review-screens")
    repo = folder / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Content as synced")
    source = repo / "content" / SOURCE
    text, swapped_out = edit_two_paragraphs(source.read_text(encoding="utf-8"))
    source.write_text(text, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Source: two clarifications")
    output = build_review(
        FIXTURE_SETTINGS,
        folder / "review",
        override={"PATH": str(repo / "content"), "CACHE_PATH": str(folder / "cache")},
    )
    with served(output) as serving:
        yield serving, swapped_out


@pytest.fixture
def tab(browser, review_site):
    """A desktop tab on the review site, with JavaScript off, as a reviewer reads it."""
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_review_page_with_word_marks(tab, review_site, screenshots):
    """The changed paragraphs are highlighted, their added and removed words marked in
    colour; every image of the page loads."""
    serving, swapped_out = review_site
    response = tab.goto(f"{serving.url}/{PAIR}", wait_until="load")
    assert response.ok
    added = tab.locator("table.pair__table ins.words")
    assert added.count() == 2
    assert added.first.inner_text() == SWAPPED_IN
    assert tab.locator("table.pair__table del.words").inner_text() == swapped_out
    assert ADDED in added.nth(1).inner_text()
    assert added.first.evaluate("(e) => getComputedStyle(e).backgroundColor") != (
        "rgba(0, 0, 0, 0)"
    )
    assert tab.locator("tr.changed").count() == 2
    broken = tab.evaluate(
        "() => [...document.images].filter((i) => !i.naturalWidth).map((i) => i.src)"
    )
    assert broken == []
    tab.locator("tr.changed").first.scroll_into_view_if_needed()
    tab.screenshot(path=screenshots / "review-pair-ko.png", full_page=True)


def test_review_dashboard(tab, review_site, screenshots):
    """The dashboard shows each language's progress, and the outdated translation as a
    warning; its link opens the translation's page."""
    serving, _ = review_site
    response = tab.goto(f"{serving.url}/index.html", wait_until="load")
    assert response.ok
    korean = tab.locator("table.summary tbody tr", has=tab.locator("th", has_text="ko"))
    assert "outdated" in korean.inner_text()
    cell = tab.locator(f"table.states a[href='{PAIR}']").locator("xpath=..")
    assert "state--warning" in cell.get_attribute("class")
    tab.screenshot(path=screenshots / "review-dashboard.png", full_page=True)
    tab.locator(f"table.states a[href='{PAIR}']").click()
    tab.wait_for_load_state()
    assert tab.url == f"{serving.url}/{PAIR}"
