"""Translation records, staleness, diffs and status on real git repositories in tmp_path."""

import json
import re
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, git, line_of
from press.cli.translations import main as review_cli
from press.core.sources import normalise
from press.translations.records import sync_translation

SOURCE = "en/articles/shared-story.md"
TRANSLATION = "ko/articles/shared-story.md"
OLD = "A paragraph with a [link to the about page]({filename}../pages/about.md)."
NEW = (
    "A paragraph that now says more, with a [link to the about page]({filename}../pages/about.md)."
)


@pytest.fixture
def repo(tmp_path):
    """A git repository holding the fixture content, with the Korean translation synced."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    git(root, "init", "-q", "-b", "main")
    sync_translation(root / "content" / TRANSLATION, root / "content")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Korean translation synced")
    return root


def run(capsys, repo, *args) -> tuple[int, str]:
    """Run `python -m press.cli.translations` on the repository's content."""
    code = review_cli(
        ["--settings", str(FIXTURE_SETTINGS), "--content", str(repo / "content"), *args]
    )
    out, err = capsys.readouterr()
    return code, out + err


def cell(capsys, repo, key="articles/shared-story", lang="ko") -> dict:
    """One language's state of one article, from `status --json`."""
    _, out = run(capsys, repo, "status", "--json")
    rows = {row["key"]: row for row in json.loads(out)["content"]}
    return rows[key]["languages"][lang]


def edit_source(repo, old, new, message):
    """Edit the English source and commit it."""
    path = repo / "content" / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", message)


def test_sync_writes_the_record_and_status_is_up_to_date(capsys, repo):
    """After a sync, the translation carries Source-Hash and Source-Paragraphs and is current."""
    header = (repo / "content" / TRANSLATION).read_text(encoding="utf-8").split("\n\n")[0]
    assert "\nSource-Hash: " in header and "\nSource-Paragraphs: " in header
    assert cell(capsys, repo) == {
        "state": "approved",
        "path": str(repo / "content" / TRANSLATION),
        "freshness": "up to date",
        "changed_paragraphs": 0,
        "reviewer": "FFHR Korean Desk",
        "qa_findings": 0,
        "published": True,
        "earlier_approval": False,
        "edited": False,
        "self_approved": False,
        "source_note": "",
        "warnings": [],
        "level": "ok",
    }
    assert run(capsys, repo, "diff", str(repo / "content" / TRANSLATION)) == (
        0,
        f"{repo / 'content' / TRANSLATION}: up to date with {SOURCE}; nothing to translate.\n",
    )


def test_real_edit_makes_the_translation_outdated_and_diff_shows_it(capsys, repo):
    """A changed sentence: one paragraph changed, and diff shows its old and new wording,
    the added words marked, with the line of the translation's block."""
    edit_source(repo, OLD, NEW, "Source: a paragraph says more")
    assert cell(capsys, repo)["freshness"] == "outdated"
    assert cell(capsys, repo)["changed_paragraphs"] == 1
    code, out = run(capsys, repo, "diff", str(repo / "content" / TRANSLATION))
    synced, date = git(repo, "log", "-1", "--format=%H %cs", "HEAD~1").split()
    assert code == 1
    assert out == (
        f"{repo / 'content' / TRANSLATION}: 1 paragraph(s) of {SOURCE} changed since the sync:\n"
        f"- the source as synced (commit {synced[:10]}, {date}), + as it is now; "
        "[-removed words-] {+added words+}\n"
        "\n"
        f"@@ {SOURCE}:10: changed; translation {TRANSLATION}:"
        f"{line_of(repo / 'content' / TRANSLATION, '소개 페이지')} @@\n"
        f"- {OLD}\n"
        "+ A paragraph {+that now says more,+} with a [link to the about page]"
        "({filename}../pages/about.md).\n"
    )


def test_re_wrapping_a_paragraph_does_not_make_it_stale(capsys, repo):
    """Spaces and line breaks moved, the wording the same: the translation stays current."""
    new = "A paragraph  with a\n[link to the about page]({filename}../pages/about.md)."
    edit_source(repo, OLD, new, "Source: re-wrapped")
    assert cell(capsys, repo)["freshness"] == "up to date"
    assert run(capsys, repo, "diff", str(repo / "content" / TRANSLATION))[0] == 0


@pytest.mark.parametrize(
    "new",
    [
        OLD.removesuffix(".") + "?",  # a statement made a question
        OLD.replace("A paragraph", '"A paragraph"'),  # quoted
        OLD.replace("A paragraph", "*A paragraph*"),  # emphasised
    ],
)
def test_a_change_of_punctuation_or_numbers_makes_it_stale(capsys, repo, new):
    """Punctuation carries meaning ("1.5" is not "15"; "?" is not "."): the translation is
    outdated, and a reviewer who finds it needs no change acknowledges it (ack)."""
    edit_source(repo, OLD, new, "Source: punctuation")
    assert cell(capsys, repo)["freshness"] == "outdated"
    assert run(capsys, repo, "diff", str(repo / "content" / TRANSLATION))[0] == 1


def test_a_space_added_or_removed_makes_it_stale(capsys, repo):
    """In Korean a space changes meaning ("큰 집", a big house; "큰집", the eldest uncle's
    family): a space between two words added or removed is a change to translate."""
    edit_source(repo, OLD, OLD.replace("A paragraph", "A para graph"), "Source: a space")
    assert cell(capsys, repo)["freshness"] == "outdated"


def test_a_decimal_point_removed_makes_it_stale(capsys, repo):
    """ "1.5" and "15" differ by a full stop alone."""
    edit_source(repo, OLD, OLD.replace("paragraph", "paragraph of 1.5 lines"), "Source: 1.5")
    sync_translation(repo / "content" / TRANSLATION, repo / "content")
    git(repo, "commit", "-q", "-am", "Synced")
    edit_source(repo, "1.5 lines", "15 lines", "Source: 15")
    assert cell(capsys, repo)["freshness"] == "outdated"


def test_staleness_works_in_a_shallow_clone(capsys, repo, tmp_path):
    """Without history, status still counts changed paragraphs; diff shows the new wording."""
    edit_source(repo, OLD, NEW, "Source: a paragraph says more")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True
    )
    assert git(shallow, "rev-list", "--count", "HEAD").strip() == "1"
    assert cell(capsys, shallow)["changed_paragraphs"] == 1
    code, out = run(capsys, shallow, "diff", str(shallow / "content" / TRANSLATION))
    assert code == 1
    assert "(the synced wording is not in this clone's git history (`git fetch --unshallow`" in out
    line = line_of(shallow / "content" / TRANSLATION, "소개 페이지")
    assert f"@@ {SOURCE}:10: changed; translation {TRANSLATION}:{line} @@\n+ {NEW}\n" in out
    assert f"- {OLD}" not in out


def test_diff_says_when_the_synced_wording_was_never_committed(capsys, repo):
    """A sync of a source edited but not committed: git has no such version, and diff says
    so, and how to keep it next time, instead of blaming a shallow clone."""
    path = repo / "content" / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    sync_translation(repo / "content" / TRANSLATION, repo / "content")
    path.write_text(path.read_text(encoding="utf-8").replace(NEW, OLD), encoding="utf-8")
    code, out = run(capsys, repo, "diff", str(repo / "content" / TRANSLATION))
    assert code == 1
    assert "(the synced wording was never committed (commit after each sync" in out


def test_title_change_counts_as_a_changed_paragraph(capsys, repo):
    """Translated metadata is part of what a translation must follow."""
    edit_source(repo, "Title: A story told in two languages", "Title: A story in two tongues", "t")
    assert cell(capsys, repo)["changed_paragraphs"] == 1
    _, out = run(capsys, repo, "diff", str(repo / "content" / TRANSLATION))
    assert (
        f"@@ {SOURCE}:1: changed title; translation {TRANSLATION}:1 @@\n"
        "- A story [-told-] in two [-languages-]\n"
        "+ A story in two {+tongues+}\n"
    ) in out


def test_status_strict_exit_codes(capsys, repo):
    """--strict passes when all is current and approved, and fails naming what is not."""
    # The fixture has articles in one language only and a never-synced translation.
    code, out = run(capsys, repo, "status", "--strict")
    assert code == 1
    assert "not ready: ko/articles/english-only: missing" in out
    assert "not ready: en/articles/korean-only: missing" in out
    assert "not ready: ko/articles/unfinished: approved, not synced" in out
    assert "articles/shared-story: " not in out.split("not ready", 1)[1]

    for name in ("english-only", "korean-only"):
        for lang in ("en", "ko"):
            (repo / "content" / lang / "articles" / f"{name}.md").unlink(missing_ok=True)
    assert run(capsys, repo, "sync", "--all", "--yes")[0] == 0
    assert run(capsys, repo, "status", "--strict")[0] == 0
    git(repo, "commit", "-q", "-am", "Everything synced")

    edit_source(repo, OLD, NEW, "Source: a paragraph says more")
    code, out = run(capsys, repo, "status", "--strict")
    assert code == 1
    assert "not ready: ko/articles/shared-story: approved, outdated (1 paragraph changed)" in out


def test_status_table_and_catalog_counts(capsys, repo):
    """The table shows each language's state, and each catalog's counts."""
    code, out = run(capsys, repo, "status")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["article", "or", "page", "en", "ko"]
    assert re.search(r"^articles/shared-story +source +approved, up to date$", out, re.M)
    assert re.search(r"^articles/english-only +source +missing$", out, re.M)
    catalog = next(line for line in lines if "messages.po" in line)
    assert catalog.endswith("translated, 0 fuzzy, 0 untranslated, 0 obsolete")


def test_review_state_in_status(capsys, repo):
    """A translation in review is reported as such; Status: draft makes it a draft."""
    path = repo / "content" / TRANSLATION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Review: approved", "Review: review"), encoding="utf-8")
    assert cell(capsys, repo)["state"] == "review"
    path.write_text(text.replace("Review: approved", "Status: draft"), encoding="utf-8")
    assert cell(capsys, repo)["state"] == "draft"


def test_sync_refuses_a_file_that_is_not_a_translation(capsys, repo):
    """Only a file with Translation-Of can be synced."""
    source = repo / "content" / SOURCE
    code, out = run(capsys, repo, "sync", str(source))
    assert code == 1
    assert out == (
        f"{source}: no Translation-Of line, so it is not a translation; add "
        "'Translation-Of: <language>/<path of the source>.md' first\n"
    )


def test_status_counts_qa_findings(capsys, repo):
    """A translation that lost a heading shows its QA finding in status."""
    path = repo / "content" / TRANSLATION
    path.write_text(path.read_text(encoding="utf-8").replace("## 첫 부분\n\n", ""), "utf-8")
    sync_translation(path, repo / "content")  # and approved so, QA finding and all
    assert run(capsys, repo, "approve", str(path), "--reviewer", "FFHR Korean Desk")[0] == 0
    assert cell(capsys, repo)["qa_findings"] == 1
    assert run(capsys, repo, "status")[0] == 0
    _, out = run(capsys, repo, "status")
    assert re.search(
        r"^articles/shared-story +source +approved, up to date, 1 QA finding$", out, re.M
    )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_wording_of_a_text_is_its_words_in_order(text):
    """normalise keeps every character but how much whitespace stands between words."""
    words = unicodedata.normalize("NFC", text).split()
    assert normalise(text).split(" ") == (words or [""])
    assert normalise(text.replace(" ", "\n  ")) == normalise(text)
