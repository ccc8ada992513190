"""The translators' and reviewers' daily workflow, on real git repositories in tmp_path.

Sync after a source change sends an approved translation back to review and keeps what its
approval covered; approve and ack record a reviewer's decisions; an approval that covers no
source version publishes nothing; status and the build tell the truth about all of it.
"""

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from built import file_for, hreflangs, parse, resolve, switcher_links
from conftest import (
    FIXTURE_CONTENT,
    FIXTURE_SETTINGS,
    ROOT,
    SETTINGS,
    build_report,
    build_site,
    copy_project,
    edit,
    git,
    run_invoke,
)
from press.cli.translations import main as translations_cli
from press.core.settings import load_settings
from press.core.sources import Fingerprint, split_file
from press.translations.index import index_of

SOURCE = "en/articles/shared-story.md"
TRANSLATION = "ko/articles/shared-story.md"
NEVER_SYNCED = "ko/articles/unfinished.md"  # approved by hand, never synced; its source a draft
OLD = "A paragraph with a [link to the about page]({filename}../pages/about.md)."
NEW = (
    "A paragraph that now says more, with a [link to the about page]({filename}../pages/about.md)."
)
OLD_KO = (
    '<span lang="en">FFHR</span>의 [소개 페이지]({filename}../pages/about.md)로 가는 '
    "시험용 문단입니다."
)
NEW_KO = (
    '<span lang="en">FFHR</span>의 [소개 페이지]({filename}../pages/about.md)로 가는, 이제 더 많은 '
    "것을 말하는 시험용 문단입니다."
)
NOTICE = "이 글의 원문은 번역된 뒤에 수정되었습니다."


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository of the fixture content: shared-story's translation synced, approved."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Fixture content")
    return root


def run(capsys, repo, *args) -> tuple[int, str, str]:
    """Run `python -m press.cli.translations` on the repository's content: code, out, err."""
    code = translations_cli(
        ["--settings", str(FIXTURE_SETTINGS), "--content", str(repo / "content"), *args]
    )
    out, err = capsys.readouterr()
    return code, out, err


def record(repo, name=TRANSLATION) -> dict[str, str]:
    """The header fields of a file, by their lower-cased names."""
    fields, _ = split_file((repo / "content" / name).read_text(encoding="utf-8"))
    return {key: value for key, (value, _line) in fields.items()}


def cell(capsys, repo, key="articles/shared-story", lang="ko") -> dict:
    """One language's state of one article, from `status --json`."""
    _, out, _ = run(capsys, repo, "status", "--json")
    rows = {row["key"]: row for row in json.loads(out)["content"]}
    return rows[key]["languages"][lang]


def change_source(repo, old=OLD, new=NEW, message="Source: a paragraph says more"):
    """Edit the English source and commit it, as an author does."""
    edit(repo / "content" / SOURCE, old, new)
    git(repo, "commit", "-q", "-am", message)


def translate(repo, old=OLD_KO, new=NEW_KO):
    """Edit the Korean translation, as a translator following the source does."""
    edit(repo / "content" / TRANSLATION, old, new)


def test_sync_after_a_source_change_sends_an_approved_translation_back_to_review(capsys, repo):
    """Sync records the new source, sets Review: review and keeps the approved source as
    Approved-*; readers do not see it until it is approved again."""
    before = record(repo)
    approved = Fingerprint.recorded(before)
    change_source(repo)
    translate(repo)
    path = repo / "content" / TRANSLATION
    code, out, err = run(capsys, repo, "sync", str(path))
    assert (code, err) == (0, "")
    assert f"{path}: Review is now 'review'" in out
    after = record(repo)
    assert after["review"] == "review"
    assert Fingerprint.recorded(after) == Fingerprint.of_file(repo / "content" / SOURCE)
    assert Fingerprint.recorded(after, approved=True) == approved
    assert after["translation-hash"] == Fingerprint.of_file(path).digest
    # The record's lines come last, in their order, and each only once.
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    keys = [line.split(":")[0] for line in header.split("\n") if not line.startswith(" ")]
    assert keys[-6:] == [
        "Reviewer", "Source-Hash", "Source-Paragraphs", "Translation-Hash", "Approved-Hash",
        "Approved-Paragraphs",
    ]  # fmt: skip
    state = cell(capsys, repo)
    assert (state["state"], state["freshness"], state["earlier_approval"]) == (
        "review", "up to date", True,
    )  # fmt: skip
    assert (state["published"], state["level"]) == (False, "pending")

    # Another change and sync before the review: the approval still names the same source.
    git(repo, "commit", "-q", "-am", "Translation updated and synced")
    change_source(repo, "## First part", "## The first part", "Source: heading")
    translate(repo, "## 첫 부분", "## 첫째 부분")
    assert run(capsys, repo, "sync", str(path))[0] == 0
    assert Fingerprint.recorded(record(repo), approved=True) == approved


def test_readers_keep_the_approved_text_until_it_changes(capsys, repo, tmp_path):
    """Approved with `approve` (which records the text it approved), a translation whose
    source changed goes back to review on sync, yet readers keep its approved text, with the
    notice, until the translator changes it: unreviewed words are never published, and an
    approved translation does not vanish while its update waits for review."""
    path = repo / "content" / TRANSLATION
    reviewer = record(repo)["reviewer"]
    assert run(capsys, repo, "approve", str(path), "--reviewer", reviewer)[0] == 0
    assert record(repo)["approved-text"] == Fingerprint.of_file(path).digest
    page = "ko/articles/shared-story/"

    change_source(repo)
    assert run(capsys, repo, "sync", str(path))[0] == 0  # the text as approved, synced
    assert record(repo)["review"] == "review"
    waiting = build_site(tmp_path / "waiting", repo / "content")
    html = file_for(waiting, page).read_text(encoding="utf-8")
    assert NOTICE in html and "시험용 문단입니다" in html
    assert (
        index_of(load_settings(FIXTURE_SETTINGS, {"PATH": str(repo / "content")}))
        .versions("articles/shared-story")["ko"]
        .published
    )

    translate(repo)  # new words, not yet reviewed
    unreviewed = build_site(tmp_path / "unreviewed", repo / "content")
    assert not file_for(unreviewed, page).is_file()
    english = parse(file_for(unreviewed, "en/articles/shared-story/"))
    assert not any("shared-story" in link for link in switcher_links(english).values())

    assert run(capsys, repo, "sync", str(path))[0] == 0
    assert run(capsys, repo, "approve", str(path), "--reviewer", reviewer)[0] == 0
    approved = build_site(tmp_path / "approved", repo / "content")
    html = file_for(approved, page).read_text(encoding="utf-8")
    assert NOTICE not in html and "이제 더 많은 것을 말하는" in html


def test_an_approved_translation_edited_since_goes_back_to_review(capsys, repo, tmp_path):
    """Edited after its approval, with or without a sync, a translation is in review again:
    readers stop seeing the unreviewed words, status says why and what to do, and approving
    it again publishes it."""
    path = repo / "content" / TRANSLATION
    reviewer = record(repo)["reviewer"]
    assert run(capsys, repo, "approve", str(path), "--reviewer", reviewer)[0] == 0
    page = "ko/articles/shared-story/"
    assert file_for(build_site(tmp_path / "approved", repo / "content"), page).is_file()

    translate(repo)  # new words after the approval; the header still says approved
    assert record(repo)["review"] == "approved"
    for synced in (False, True):
        if synced:  # a sync records the new text, and says it needs review: no one approved it
            code, out, _ = run(capsys, repo, "sync", str(path))
            assert code == 0 and "Review is now 'review': it was edited since its approval" in out
            assert record(repo)["review"] == "review"
        site = build_site(tmp_path / f"edited-{synced}", repo / "content")
        assert not file_for(site, page).is_file()
        assert "이제 더 많은 것을 말하는" not in "".join(
            p.read_text(encoding="utf-8") for p in site.rglob("*.html")
        )
        state = cell(capsys, repo)
        assert (state["state"], state["published"]) == ("review", False)
        if not synced:
            assert state["level"] == "warning"
            assert [flag["kind"] for flag in state["warnings"]] == ["edited since approval"]
            assert f"invoke translations.approve --path {path}" in state["warnings"][0]["message"]

    assert run(capsys, repo, "approve", str(path), "--reviewer", reviewer)[0] == 0
    html = file_for(build_site(tmp_path / "again", repo / "content"), page).read_text("utf-8")
    assert "이제 더 많은 것을 말하는" in html
    assert cell(capsys, repo)["warnings"] == []


def test_without_approved_text_the_text_of_the_last_sync_stands_for_it(capsys, repo, tmp_path):
    """An approval that recorded no Approved-Text (by hand, or the line lost in a merge):
    the text its last sync recorded (Translation-Hash) is the one approved, and an edit
    since takes the translation from readers too."""
    path = repo / "content" / TRANSLATION
    assert "approved-text" not in record(repo) and record(repo)["translation-hash"]
    page = "ko/articles/shared-story/"
    assert file_for(build_site(tmp_path / "before", repo / "content"), page).is_file()
    translate(repo)
    assert not file_for(build_site(tmp_path / "after", repo / "content"), page).is_file()
    assert [flag["kind"] for flag in cell(capsys, repo)["warnings"]] == ["edited since approval"]
    assert run(capsys, repo, "sync", str(path))[0] == 0  # no laundering by a sync
    assert record(repo)["review"] == "review"


def test_diff_shows_the_reviewer_what_changed_since_the_approval(capsys, repo):
    """Edited after its approval, a translation's diff shows its own changed paragraph, the
    approved words beside the new ones, from the approved version in git."""
    path = repo / "content" / TRANSLATION
    assert run(capsys, repo, "approve", str(path), "--reviewer", record(repo)["reviewer"])[0] == 0
    git(repo, "commit", "-q", "-am", "Korean approved")
    approved = git(repo, "log", "-1", "--format=%H %cs").split()
    assert run(capsys, repo, "diff", str(path))[:2] == (
        0, f"{path}: up to date with {SOURCE}; nothing to translate.\n",
    )  # fmt: skip
    translate(repo)
    code, out, _ = run(capsys, repo, "diff", str(path))
    assert code == 1
    line = next(
        n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "이제" in text
    )
    assert out.endswith(
        f"{path}: edited since its approval, which readers wait for:\n"
        f"- the translation as approved (commit {approved[0][:10]}, {approved[1]}), + as it is "
        "now; [-removed words-] {+added words+}\n"
        "\n"
        f"@@ ko/articles/shared-story.md:{line}: changed @@\n"
        '- <span lang="en">FFHR</span>의 [소개 페이지]({filename}../pages/about.md)로 [-가는-] '
        "시험용 문단입니다.\n"
        '+ <span lang="en">FFHR</span>의 [소개 페이지]({filename}../pages/about.md)로 '
        "{+가는, 이제 더 많은 것을 말하는+} 시험용 문단입니다.\n"
    )


def test_sync_warns_when_the_translation_did_not_change(capsys, repo):
    """The source changed and the translation's text did not: synced, with a warning."""
    change_source(repo)
    path = repo / "content" / TRANSLATION
    code, _, err = run(capsys, repo, "sync", str(path))
    assert code == 0
    assert err == (
        f"warning: {path}: its text did not change since the last sync, but {SOURCE} did "
        f"(1 paragraph(s)); if nothing was translated yet, undo this sync (git restore "
        f"{path}), then translate what invoke translations.diff --path {path} shows; if the "
        "changes need no translation, a reviewer acknowledges them instead "
        "(invoke translations.ack)\n"
    )
    assert record(repo)["review"] == "review"
    # Translated, then synced: no warning.
    git(repo, "checkout", "-q", "--", ".")
    translate(repo)
    assert run(capsys, repo, "sync", str(path))[::2] == (0, "")


def test_sync_all_lists_and_changes_nothing_without_yes(capsys, repo):
    """--all names each file it would change and what, writes nothing and exits 1; --yes
    writes it; after that there is nothing left to sync."""
    change_source(repo)
    code, out, err = run(capsys, repo, "sync", "--all")
    assert code == 1
    content = repo / "content"
    assert out == (
        f"would sync {content / TRANSLATION}: records {SOURCE}, changed since the last sync "
        "(1 paragraph); Review: approved -> review (approved for the old source only); "
        "warning: its text did not change since the last sync\n"
        f"would sync {content / NEVER_SYNCED}: first sync: records en/articles/unfinished.md "
        "as it is now\n"
    )
    assert "2 translation(s) would change; nothing was written" in err
    assert git(repo, "status", "--porcelain") == ""

    code, out, _ = run(capsys, repo, "sync", "--all", "--yes")
    assert code == 0
    assert f"synced {content / TRANSLATION}: " in out and f"synced {content / NEVER_SYNCED}" in out
    changed = git(repo, "status", "--porcelain").split()
    assert changed == ["M", f"content/{TRANSLATION}", "M", f"content/{NEVER_SYNCED}"]
    assert record(repo)["review"] == "review"
    assert run(capsys, repo, "sync", "--all") == (
        0, "Every translation's record is current; nothing to sync.\n", "",
    )  # fmt: skip


def test_approve_sets_approved_and_removes_the_earlier_approval(capsys, repo):
    """Approve a re-synced translation: Review approved, the reviewer named, Approved-* gone;
    readers see it again."""
    change_source(repo)
    translate(repo)
    path = repo / "content" / TRANSLATION
    run(capsys, repo, "sync", str(path))
    code, out, err = run(capsys, repo, "approve", str(path), "--reviewer", "FFHR Korean")
    assert (code, err) == (0, "")
    assert out.startswith(f"approved {path}: {SOURCE} as synced (")
    after = record(repo)
    assert (after["review"], after["reviewer"]) == ("approved", "FFHR Korean")
    assert "approved-hash" not in after and "approved-paragraphs" not in after
    state = cell(capsys, repo)
    assert (state["state"], state["published"], state["level"]) == ("approved", True, "ok")


def test_approve_refuses_stale_unsynced_and_unknown(capsys, repo):
    """Approve refuses, naming the file and what to do: a source changed since the sync, a
    translation never synced, a reviewer not on the list; a missing file is a usage error."""
    path = repo / "content" / TRANSLATION
    change_source(repo)
    code, _, err = run(capsys, repo, "approve", str(path), "--reviewer", "FFHR Korean")
    assert code == 1
    assert err == (
        f"{path}: {SOURCE} changed since the last sync (1 paragraph); update the translation "
        f"(invoke translations.diff --path {path} shows what changed), sync it, then approve "
        "it\n"
    )
    never = repo / "content" / NEVER_SYNCED
    code, _, err = run(capsys, repo, "approve", str(never), "--reviewer", "FFHR Korean")
    assert code == 1
    assert err.startswith(f"{never}: never synced, so an approval would cover no version of ")
    git(repo, "checkout", "-q", "--", ".")
    code, _, err = run(capsys, repo, "approve", str(path), "--reviewer", "Kim Chul-su")
    assert code == 1
    assert "Reviewer 'Kim Chul-su' is not on the pseudonym list" in err
    missing = repo / "content" / "ko" / "articles" / "missing.md"
    assert run(capsys, repo, "approve", str(missing), "--reviewer", "FFHR Korean")[0] == 2
    assert git(repo, "status", "--porcelain") == ""


def test_approve_refuses_a_draft_and_the_translators_own_review(capsys, repo):
    """A draft is not ready for review, and no one approves their own translation."""
    path = repo / "content" / TRANSLATION
    edit(path, "Review: approved", "Review: draft")
    code, _, err = run(capsys, repo, "approve", str(path), "--reviewer", "FFHR Korean")
    assert code == 1
    assert err.startswith(f"{path}: Review is 'draft': the translator has not sent it for review")
    edit(path, "Review: draft", "Review: review\nTranslator: FFHR Korean")
    code, _, err = run(capsys, repo, "approve", str(path), "--reviewer", "FFHR  Korean")
    assert code == 1
    assert err == (
        f"{path}: 'FFHR Korean' is its Translator, and a translation is approved by someone "
        "other than its translator; ask another reviewer to approve it\n"
    )
    assert record(repo)["review"] == "review"
    assert run(capsys, repo, "approve", str(path), "--reviewer", "FFHR Korean Desk")[0] == 0
    assert record(repo)["review"] == "approved"


def test_ack_clears_the_notice_and_keeps_the_approval(capsys, repo, tmp_path):
    """A source change that needs no translation: after ack, the reader's notice is gone,
    the translation stays approved, and Source-Note says when and why."""
    change_source(repo)
    stale = build_site(tmp_path / "stale", repo / "content")
    assert NOTICE in file_for(stale, "ko/articles/shared-story/").read_text(encoding="utf-8")

    path = repo / "content" / TRANSLATION
    reason = "The English only says  more of\nthe same; the Korean already did."
    code, out, err = run(capsys, repo, "ack", str(path), "--reason", reason)
    assert (code, err) == (0, "")
    assert out.startswith(f"acknowledged {path}: ")
    after = record(repo)
    assert after["review"] == "approved"
    assert Fingerprint.recorded(after) == Fingerprint.of_file(repo / "content" / SOURCE)
    note = after["source-note"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} The English only says more of the same; the "
                        r"Korean already did\.", note)  # fmt: skip
    assert abs(date.fromisoformat(note[:10]) - date.today()).days <= 1  # today, in Seoul

    site = build_site(tmp_path / "acknowledged", repo / "content")
    korean = file_for(site, "ko/articles/shared-story/")
    assert NOTICE not in korean.read_text(encoding="utf-8")
    assert not parse(korean).xpath("//aside[@class='notice']")
    state = cell(capsys, repo)
    assert (state["state"], state["freshness"], state["level"]) == ("approved", "up to date", "ok")
    assert state["source_note"] == note


def test_ack_refuses_without_a_reason_or_without_a_change_to_acknowledge(capsys, repo):
    """No reason, an unchanged source, or a translation that is not approved: refused."""
    path = repo / "content" / TRANSLATION
    code, _, err = run(capsys, repo, "ack", str(path), "--reason", "  ")
    assert code == 1
    assert err == (
        f"{path}: say why the source's changes need no change in the translation, with "
        '--reason "..." (a typo fixed, a link corrected...)\n'
    )
    code, _, err = run(capsys, repo, "ack", str(path), "--reason", "a typo")
    assert code == 1
    assert err == (
        f"{path}: {SOURCE} has not changed since the last sync; there is nothing to acknowledge\n"
    )
    change_source(repo)
    edit(path, "Review: approved", "Review: review")
    code, _, err = run(capsys, repo, "ack", str(path), "--reason", "a typo")
    assert code == 1
    assert err.startswith(f"{path}: Review is 'review', not approved; ")
    assert git(repo, "status", "--porcelain").split() == ["M", f"content/{TRANSLATION}"]


def test_an_approved_translation_never_synced_is_not_published(capsys, repo, tmp_path):
    """Without a sync record, an approval covers no source version: no page, no link to it,
    and status warns instead of showing it green; a sync publishes it."""
    path = repo / "content" / TRANSLATION
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(Source-|Translation-Hash).*\n(    .*\n)*", "", text), "utf-8")
    assert "Source-Hash" not in path.read_text(encoding="utf-8")
    assert record(repo)["review"] == "approved"

    site = build_site(tmp_path / "output", repo / "content")
    assert not file_for(site, "ko/articles/shared-story/").exists()
    english = file_for(site, "en/articles/shared-story/")
    tree = parse(english)
    assert resolve(site, english, switcher_links(tree)["ko"]) == file_for(site, "ko/")
    assert set(hreflangs(tree)) == {"en", "x-default"}

    state = cell(capsys, repo)
    assert (state["freshness"], state["published"], state["level"]) == (
        "not synced", False, "warning",
    )  # fmt: skip
    assert [flag["kind"] for flag in state["warnings"]] == ["not synced"]
    assert state["warnings"][0]["message"].startswith("approved but never synced, so readers")

    assert run(capsys, repo, "sync", str(path))[0] == 0
    assert record(repo)["review"] == "approved"  # a first sync keeps the approval
    assert cell(capsys, repo)["published"] is True


def test_status_reports_progress_per_language_and_every_warning(capsys, repo):
    """Per language: approved and up to date of all, counts by state and by warning; the
    table lists each warning with what to do."""
    _, out, _ = run(capsys, repo, "status", "--json")
    progress = json.loads(out)["progress"]
    assert progress["ko"] == {
        "lang": "ko",
        "translations": 4,
        "done": 2,
        "states": {"missing": 1, "draft": 0, "review": 0, "approved": 3},
        "warnings": {
            "not synced": 1,
            "outdated": 0,
            "edited since approval": 0,
            "approved by its translator": 0,
            "QA findings": 0,
        },
        "published": 2,
        "percent": 50,
    }
    assert progress["en"]["states"]["missing"] == 1

    edit(repo / "content" / TRANSLATION, "## 첫 부분\n\n", "")  # a QA finding, approved
    path = repo / "content" / TRANSLATION
    assert run(capsys, repo, "sync", str(path))[0] == 0
    assert run(capsys, repo, "approve", str(path), "--reviewer", "FFHR Korean Desk")[0] == 0
    change_source(repo)
    state = cell(capsys, repo)
    assert state["level"] == "warning"
    assert [flag["kind"] for flag in state["warnings"]] == ["outdated", "QA findings"]
    code, out, _ = run(capsys, repo, "status")
    assert code == 0
    assert "  ko: 1 of 4 (25%); 1 missing, 0 draft, 0 review, 3 approved; 2 published; " \
           "warnings: 1 not synced, 1 outdated, 1 QA findings\n" in out  # fmt: skip
    assert (
        "  ko/articles/shared-story: the source changed since the sync (1 paragraph), so "
        "readers see a notice that it may be out of date: update it (invoke translations.diff "
        f"--path {path}) and sync it, or, if the changes need no translation, a reviewer "
        f'acknowledges them (invoke translations.ack --path {path} --reason "...")\n'
    ) in out
    assert "  ko/articles/shared-story: 1 QA finding: invoke translations.qa lists them\n" in out
    assert run(capsys, repo, "status", "--strict")[0] == 1


def test_the_build_reports_outdated_and_untranslated(tmp_path):
    """The build says which translations an edit made outdated, and which articles and pages
    have no published translation; a build with nothing new to say says nothing new."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    output = tmp_path / "output"
    first = build_report(output, content)
    assert first.outdated == ()
    assert first.untranslated == ("en/articles/korean-only", "ko/articles/english-only")

    edit(content / SOURCE, OLD, NEW)
    edited = build_report(output, content)
    assert edited.kind == "update"
    assert edited.outdated == ("ko/articles/shared-story",)
    assert build_report(output, content).outdated == ()  # already outdated at the last build

    edit(content / TRANSLATION, "Review: approved", "Review: review")
    assert build_report(output, content).untranslated == (
        "en/articles/korean-only", "ko/articles/english-only", "ko/articles/shared-story",
    )  # fmt: skip


def test_the_tasks_sync_approve_and_ack(tmp_path):
    """The invoke tasks behind the commands: sync --all asks for --yes, approve and ack
    refuse with exit 1 and say why."""
    project = copy_project(tmp_path / "project", FIXTURE_CONTENT)
    done = run_invoke(project, "translations.sync", "--all")
    assert done.returncode == 1, done.stderr
    assert "would sync content/ko/articles/unfinished.md: first sync" in done.stdout
    assert "--yes" in done.stderr
    done = run_invoke(project, "translations.sync", "--all", "--yes")
    assert done.returncode == 0, done.stderr
    assert "synced content/ko/articles/unfinished.md" in done.stdout
    path = "content/ko/articles/shared-story.md"
    done = run_invoke(project, "translations.ack", "--path", path)
    assert done.returncode == 1
    assert "say why the source's changes need no change" in done.stderr
    done = run_invoke(project, "translations.approve", "--path", path)
    assert done.returncode == 2
    assert done.stderr.startswith("--reviewer NAME is needed: the pseudonym you sign")
    done = run_invoke(project, "translations.approve", "--path", path, "--reviewer", "FFHR Korean")
    assert done.returncode == 0, done.stderr
    assert "Reviewer: FFHR Korean\n" in (project / path).read_text(encoding="utf-8")


def test_every_translation_of_the_real_content_is_synced_and_published():
    """The rule that an approval needs a sync record hides none of the real translations."""
    settings = load_settings(SETTINGS, {"PATH": str(ROOT / "content")})
    translations = [
        version
        for _key, versions in index_of(settings)
        for version in versions.values()
        if version.translation_of
    ]
    assert translations
    assert all(version.published for version in translations), [
        version.source for version in translations if not version.published
    ]
