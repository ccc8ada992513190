"""Updates: after body edits a build rewrites only the files they change, as a fresh build would."""

import re
import shutil
from pathlib import Path

import pytest

from conftest import (
    ROOT,
    append,
    assert_same_tree,
    build_report,
    build_site,
    reference_build,
    stamps,
)
from press.build.errors import BuildError
from press.core.sources import read_header
from press.translations import index as index_module
from press.translations.records import sync_translation


@pytest.fixture
def synced(content) -> Path:
    """The fixture content with the Korean translation's record of its source written."""
    sync_translation(content / "ko" / "articles" / "shared-story.md", content)
    return content


def test_body_edits_update_only_what_changed(tmp_path, synced):
    """After body edits the build re-renders only what they touch and rewrites only that."""
    output = build_site(tmp_path / "output", synced)
    before = stamps(output)
    # The source of an approved translation: the translation becomes outdated.
    append(synced / "en" / "articles" / "shared-story.md", "\nA new closing paragraph.\n")
    # Enough words to change the reading time the listings show.
    append(synced / "en" / "articles" / "english-only.md", "\n" + "word " * 600 + "\n")
    report = build_report(output, synced)
    assert report.kind == "update"
    assert set(report.edited) == {"en/articles/shared-story.md", "en/articles/english-only.md"}
    assert_same_tree(output, reference_build(tmp_path / "fresh", synced))

    after = stamps(output)
    rewritten = {name for name in after if after[name] != before[name]}
    assert set(report.written) == rewritten
    assert "en/articles/shared-story/index.html" in rewritten
    assert "en/articles/english-only/index.html" in rewritten
    assert "ko/articles/shared-story/index.html" in rewritten  # the outdated notice
    assert "en/feeds/all.atom.xml" in rewritten
    assert "en/index.html" in rewritten  # the reading time in the listing
    # Nothing whose bytes stayed the same was written again.
    assert "index.html" not in rewritten
    assert "en/pages/about/index.html" not in rewritten
    assert "ko/index.html" not in rewritten  # no Korean listing shows an English article
    assert not any(name.startswith(("theme/", "images/")) for name in rewritten)


def test_an_edit_that_withdraws_an_approved_translation_builds_what_a_full_build_does(
    tmp_path, synced
):
    """A body edit of an approved translation takes it out of print until it is approved
    again: its page goes, and the listings, feeds, switchers and sitemap that named it
    change, as in a fresh build (an update rewrote its page alone, keeping it published)."""
    translation = synced / "ko" / "articles" / "shared-story.md"
    output = build_site(tmp_path / "output", synced)
    assert (output / "ko" / "articles" / "shared-story" / "index.html").is_file()
    append(translation, "\n고친 문장입니다.\n")
    build_report(output, synced)
    assert not (output / "ko" / "articles" / "shared-story").exists()
    assert_same_tree(output, reference_build(tmp_path / "fresh", synced))


def test_a_rebuild_without_edits_writes_nothing(tmp_path, content):
    output = build_site(tmp_path / "output", content)
    before = stamps(output)
    report = build_report(output, content)
    assert (report.kind, report.written, report.edited) == ("update", (), ())
    assert report.files == len(before)
    assert stamps(output) == before


def test_a_header_edit_builds_everything(tmp_path, synced):
    """A header shapes listings, menus and the switcher: the whole site is built again."""
    output = build_site(tmp_path / "output", synced)
    source = synced / "en" / "articles" / "english-only.md"
    source.write_text(source.read_text("utf-8").replace("Title: ", "Title: Renamed: ", 1), "utf-8")
    report = build_report(output, synced)
    assert report.kind == "full"
    assert set(report.written) == set(stamps(output)) and report.files == len(report.written)
    assert_same_tree(output, reference_build(tmp_path / "fresh", synced))


def test_only_changed_headers_are_read_again_for_the_index(tmp_path, synced, monkeypatch):
    """The translation index takes unchanged headers from the last build, and reads the rest."""
    output = build_site(tmp_path / "output", synced)
    read = []
    monkeypatch.setattr(
        index_module, "read_header", lambda path: read.append(path) or read_header(path)
    )
    translation = synced / "ko" / "articles" / "shared-story.md"
    append(synced / "en" / "articles" / "english-only.md", "\nA body edit.\n")
    translation.write_text(
        translation.read_text("utf-8").replace("Review: approved", "Review: review"), "utf-8"
    )
    build_site(output, synced)
    # The body edit leaves its header alone; the translation is no longer approved.
    assert read == [translation]
    assert not (output / "ko" / "articles" / "shared-story" / "index.html").exists()
    assert_same_tree(output, reference_build(tmp_path / "fresh", synced))


def test_only_edited_sources_are_fingerprinted_again_and_staleness_follows(
    tmp_path, synced, monkeypatch
):
    """Staleness is judged by fingerprints the last build kept for unchanged sources; an edit
    makes the translation outdated, and undoing it makes it current again."""
    source = synced / "en" / "articles" / "shared-story.md"
    original = source.read_text("utf-8")
    output = build_site(tmp_path / "output", synced)
    fingerprinted = []
    of_file = index_module.Fingerprint.of_file
    monkeypatch.setattr(
        index_module.Fingerprint,
        "of_file",
        classmethod(lambda cls, path: fingerprinted.append(path) or of_file(path)),
    )
    append(source, "\nA new closing paragraph.\n")
    report = build_report(output, synced)
    assert (report.kind, report.outdated) == ("update", ("ko/articles/shared-story",))
    assert fingerprinted == [source]
    assert_same_tree(output, reference_build(tmp_path / "fresh", synced))

    fingerprinted.clear()
    source.write_text(original, "utf-8")
    report = build_report(output, synced)
    assert (report.kind, report.outdated) == ("update", ())
    assert fingerprinted == [source]
    shutil.rmtree(tmp_path / "fresh")
    assert_same_tree(output, reference_build(tmp_path / "fresh", synced))
    fingerprinted.clear()
    assert build_report(output, synced).written == ()
    assert fingerprinted == []  # nothing edited: nothing judged anew


def test_an_update_reads_what_its_pages_and_feeds_need_and_writes_what_a_full_build_does(
    tmp_path, synced
):
    """With a feed of one article, an edit of another is rendered from the few articles it
    needs (its links to the rest resolved from the index), and an edit that changes what
    listings show reads them all again: both give what a full build gives."""
    third = synced / "en" / "articles" / "third.md"
    third.write_text(
        "Title: A third story\nDate: 2024-02-01\nAuthor: E. Dickinson\nCategory: Defectors\n"
        "Tags: testing\nSummary: The third.\n\nIt follows [the shared story]"
        "({filename}shared-story.md#first-part) and [the newest]({filename}english-only.md).\n",
        encoding="utf-8",
    )
    one = {"FEED_MAX_ITEMS": 1}  # the feed carries english-only, the newest article
    output = build_site(tmp_path / "output", synced, **one)
    for number, text in enumerate(("\nOne more sentence.\n", "\n" + "word " * 600 + "\n")):
        append(third, text)
        report = build_report(output, synced, **one)
        assert report.kind == "update"
        assert "en/articles/third/index.html" in report.written
        assert ("en/index.html" in report.written) == (number == 1)  # its reading time
        fresh = tmp_path / f"fresh-{number}"
        assert_same_tree(output, reference_build(fresh, synced, **one))


def test_a_touched_output_folder_is_built_again_whole(tmp_path, content):
    output = build_site(tmp_path / "output", content)
    (output / "en" / "articles" / "english-only" / "index.html").unlink()
    append(content / "en" / "articles" / "shared-story.md", "\nOne more line.\n")
    build_site(output, content)
    assert_same_tree(output, reference_build(tmp_path / "fresh", content))


def test_a_removed_output_folder_is_built_again(tmp_path, content):
    output = build_site(tmp_path / "output", content)
    shutil.rmtree(output)
    build_site(output, content)
    assert_same_tree(output, reference_build(tmp_path / "fresh", content))


def test_a_bad_edit_fails_the_update_and_leaves_the_output(tmp_path, content):
    """The per-file checks still run on what changed, with file and line."""
    output = build_site(tmp_path / "output", content)
    before = stamps(output)
    source = content / "en" / "articles" / "english-only.md"
    lines = len(source.read_text("utf-8").splitlines())
    append(source, "\nSee [this]({filename}no-such-article.md).\n")
    with pytest.raises(BuildError) as error:
        build_site(output, content)
    assert f"english-only.md:{lines + 2}:" in str(error.value)
    assert stamps(output) == before


def test_removing_a_heading_other_pages_link_to_is_caught(tmp_path, content):
    """An update checks that anchors other pages link to are still in the pages it rewrote."""
    shared = content / "en" / "articles" / "shared-story.md"
    append(content / "en" / "articles" / "english-only.md",
            "\nRead [its first part]({filename}shared-story.md#first-part).\n")  # fmt: skip
    output = build_site(tmp_path / "output", content)
    before = stamps(output)
    shared.write_text(shared.read_text("utf-8").replace("## First part", "Opening:"), "utf-8")
    with pytest.raises(BuildError) as error:
        build_site(output, content)
    assert "en/articles/english-only/index.html" in str(error.value)
    assert "first-part" in str(error.value)
    assert stamps(output) == before


def test_templates_show_other_articles_as_updates_expect():
    """A tripwire for the update's assumption (incremental.py): only the page's own article or
    page shows its body; listings show summaries and reading times, which listing_fact covers.
    """
    own = {("article.html", "article"), ("page.html", "page")}
    # The head's Open Graph image, taken from the same page's own article or page.
    own |= {("_share_meta.html", "article"), ("_share_meta.html", "page")}
    found = set()
    for template in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"\b(\w+)\.(content|get_content|_content)\b", text):
            found.add((template.name, match[1]))
            assert (template.name, match[1]) in own, (
                f"{template}: {match[0]} (see press/rendering/incremental.py)"
            )
    assert found == own  # the search sees the bodies the templates do show


def test_each_output_keeps_its_own_state(tmp_path, content):
    """Building another output (the review site, say) from the same cache leaves the first
    output's state alone: its next rebuild is still an update."""
    cache = str(tmp_path / "cache")
    output = build_site(tmp_path / "output", content, CACHE_PATH=cache)
    build_site(tmp_path / "other", content, CACHE_PATH=cache)
    append(content / "en" / "articles" / "english-only.md", "\nOne more line.\n")
    assert build_report(output, content, CACHE_PATH=cache).kind == "update"
