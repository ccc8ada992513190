"""Word-level diffs of a translation's source on real git repositories in tmp_path: changed
words marked, lines named in source and translation, changes since the last approval."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import FIXTURE_CONTENT
from press.core.sources import Fingerprint, split_file
from press.review.diff import (
    MARKERS,
    SINCE_APPROVAL,
    format_changes,
    mark_html,
    marked_lines,
    wants_colour,
    word_diff,
)
from press.translations.records import sync_translation

SOURCE = "en/articles/shared-story.md"
TRANSLATION = "ko/articles/shared-story.md"
OLD = "A paragraph with a [link to the about page]({filename}../pages/about.md)."
NEW = (
    "A paragraph that now says more, with a [link to the about page]({filename}../pages/about.md)."
)
# What the fixture's source and translation get for these tests: an image shared by both,
# linked from the content folder's top, and one more link to a page.
SOURCE_MORE = (
    "\n![A road at night]({static}/images/road.jpg)\n\n"
    "The [about page]({filename}../pages/about.md) says who we are.\n"
)
TRANSLATION_MORE = (
    "\n![밤길]({static}/images/road.jpg)\n\n"
    "[소개]({filename}../pages/about.md)에서 우리가 누구인지 말합니다.\n"
)


def git(repo, *args):
    """Run git in `repo` as a pseudonymous committer; return its output."""
    return subprocess.run(
        ["git", "-c", "user.name=FFHR Editorial Desk", "-c", "user.email=desk@ffhr.invalid",
         *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def append(path: Path, text: str) -> None:
    """Add `text` to the end of a file."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit(repo: Path, name: str, old: str, new: str, message: str) -> None:
    """Replace `old` by `new` in a file of the content and commit it."""
    path = repo / "content" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", message)


@pytest.fixture
def repo(tmp_path):
    """A git repository of the fixture content with an image, the Korean translation synced."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    (root / "content" / "images").mkdir()
    Image.new("RGB", (40, 30), (90, 110, 160)).save(root / "content" / "images" / "road.jpg")
    append(root / "content" / SOURCE, SOURCE_MORE)
    append(root / "content" / TRANSLATION, TRANSLATION_MORE)
    git(root, "init", "-q", "-b", "main")
    sync_translation(root / "content" / TRANSLATION, root / "content")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Korean translation synced")
    return root


def diff(repo: Path, **options) -> tuple[str, int]:
    """The diff of the Korean translation, as `invoke translations.diff` prints it."""
    return format_changes(repo / "content" / TRANSLATION, repo / "content", **options)


def test_words_are_whitespace_separated_and_a_changed_eojeol_is_shown_whole():
    """Korean is compared by eojeol: a changed particle marks its whole eojeol."""
    old, new = word_diff("우리는 어제 학교에 갔습니다.", "우리는 오늘 학교로 갔습니다.")
    assert old == [(False, "우리는 "), (True, "어제 학교에"), (False, " 갔습니다.")]
    assert new == [(False, "우리는 "), (True, "오늘 학교로"), (False, " 갔습니다.")]


def test_marks_close_at_each_line_end():
    """A changed run over a line break is marked on each line, so each line reads alone."""
    _, new = word_diff("one two\nthree", "one TWO\nTHREE")
    assert marked_lines(new, MARKERS["added"]) == ["one {+TWO+}", "{+THREE+}"]


def test_html_marks_keep_the_markup_and_never_cross_an_element():
    """On the review site, changed words are marked inside the elements that hold them."""
    marked = mark_html(
        '<p>A <a href="x.html">link to the page</a> here.</p>',
        '<p>A <a href="x.html">link to this &amp; that page</a> here, now.</p>',
    )
    assert marked == (
        '<p>A <a href="x.html">link to <del class="words words--removed">the</del> '
        '<ins class="words words--added">this &amp; that</ins> page</a> '
        '<del class="words words--removed">here.</del> '
        '<ins class="words words--added">here, now.</ins></p>'
    )


def test_diff_marks_removed_and_added_words_and_names_both_lines(repo):
    """Without a terminal: git's --word-diff markers; the source's line and the line of the
    translation's corresponding block; an added paragraph is placed after a block there."""
    edit(repo, SOURCE, OLD, NEW.replace("A paragraph", "One paragraph"), "Source: reworded")
    append(repo / "content" / SOURCE, "\nA new closing paragraph.\n")
    git(repo, "commit", "-q", "-am", "Source: a closing paragraph")
    synced, date = git(repo, "log", "-1", "--format=%H %cs", "HEAD~2").split()
    text, code = diff(repo, colour=False)
    assert code == 1
    assert text.split("\n", 1)[1] == (
        f"- the source as synced (commit {synced[:10]}, {date}), + as it is now; "
        "[-removed words-] {+added words+}\n"
        "\n"
        f"@@ {SOURCE}:10: changed; translation {TRANSLATION}:15 @@\n"
        "- [-A-] paragraph with a [link to the about page]({filename}../pages/about.md).\n"
        "+ {+One+} paragraph {+that now says more,+} with a [link to the about page]"
        "({filename}../pages/about.md).\n"
        "\n"
        f"@@ {SOURCE}:16: added; translation: none yet, after {TRANSLATION}:19 @@\n"
        "+ A new closing paragraph."
    )


def test_diff_names_a_removed_paragraph_and_its_translation(repo):
    """A paragraph removed from the source: its old line, and the block of the translation
    that translated it."""
    edit(repo, SOURCE, "\n![A road at night]({static}/images/road.jpg)\n", "", "No image")
    text, _ = diff(repo, colour=False)
    assert (
        f"@@ {SOURCE}:12 (as synced): removed; translation {TRANSLATION}:17 @@\n"
        "- ![A road at night]({static}/images/road.jpg)"
    ) in text


def test_diff_in_a_shallow_clone_names_a_removed_paragraph_it_cannot_show(repo, tmp_path):
    """Without the synced wording, a removed paragraph is still named, with the translation's
    block that translated it."""
    edit(repo, SOURCE, "\n![A road at night]({static}/images/road.jpg)\n", "", "No image")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True
    )
    text, code = diff(shallow, colour=False)
    assert code == 1
    assert "(the synced wording is not in this clone's git history" in text
    assert (
        f"@@ {SOURCE} (a block of the synced version): removed; translation {TRANSLATION}:17 @@"
    ) in text


def test_diff_in_colour_on_a_terminal(repo):
    """On a terminal the changed words are red and green instead of marked; NO_COLOR and a
    pipe turn colour off."""
    edit(repo, SOURCE, OLD, NEW, "Source: a paragraph says more")
    text, _ = diff(repo, colour=True)
    assert "\x1b[32m+\x1b[0m A paragraph \x1b[32mthat now says more,\x1b[0m with a" in text
    assert "{+" not in text and "[-" not in text

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert wants_colour(Terminal(), environ={})
    assert not wants_colour(Terminal(), environ={"NO_COLOR": "1"})
    assert not wants_colour(io.StringIO(), environ={})


def test_diff_since_the_last_approval_survives_a_re_sync(repo):
    """After a re-sync the sync diff is empty; the diff since the approval still shows it."""
    edit(repo, SOURCE, OLD, NEW, "Source: a paragraph says more")
    re_sync_for_review(repo)
    text, code = diff(repo, colour=False)
    assert code == 0
    assert text.endswith(
        "nothing to translate.\n(the source changed since the last approval: `invoke review` "
        "highlights how, for the reviewer)"
    )
    text, code = diff(repo, colour=False, since=SINCE_APPROVAL)
    assert code == 1
    assert "changed since the last approval" in text
    assert "- the source as approved (commit " in text
    assert "+ A paragraph {+that now says more,+} with a" in text


def re_sync_for_review(repo: Path) -> None:
    """What `translations.sync` does to an approved translation whose source changed: the
    old record becomes Approved-*, the new source is recorded, Review goes back to review.
    Written here into the header directly, as the shared design describes."""
    path = repo / "content" / TRANSLATION
    recorded = Fingerprint.recorded(split_file(path.read_text(encoding="utf-8"))[0])
    text = path.read_text(encoding="utf-8").replace("Review: approved", "Review: review")
    head, body = text.split("\n\n", 1)
    head += (
        f"\nApproved-Hash: {recorded.digest}\nApproved-Paragraphs: {' '.join(recorded.paragraphs)}"
    )
    path.write_text(f"{head}\n\n{body}", encoding="utf-8")
    sync_translation(path, repo / "content")
