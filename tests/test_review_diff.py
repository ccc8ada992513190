"""Word-level diffs of a translation's source, and the review site's pages, on real git
repositories in tmp_path: changed words marked, lines named in source and translation,
{static} and {filename} resolved, and the highlights kept through a re-sync."""

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from built import parse, resolve
from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, ROOT, git, line_of
from press.build.pipeline import read_settings
from press.build.review_site import Links, build_review, write_review_pages
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
from press.safety.markup import PAGE, findings
from press.safety.markup import parse as parse_like_a_browser
from press.safety.urls import PLACEHOLDER_SITE
from press.translations.index import TranslationIndex
from press.translations.records import approve_translation, sync_translation

SOURCE = "en/articles/shared-story.md"
TRANSLATION = "ko/articles/shared-story.md"
PAIR = Path("pairs") / "ko" / "articles" / "shared-story.html"
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
    # The fixture's record predates the additions: synced, the translation goes to review;
    # approved again, it starts these tests approved and up to date.
    sync_translation(root / "content" / TRANSLATION, root / "content")
    approve_translation(
        root / "content" / TRANSLATION, root / "content", "FFHR Korean Desk", {"FFHR Korean Desk"}
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Korean translation synced")
    return root


def at(repo: Path, snippet: str) -> int:
    """The line of the translation holding `snippet`."""
    return line_of(repo / "content" / TRANSLATION, snippet)


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
        f"@@ {SOURCE}:10: changed; translation {TRANSLATION}:{at(repo, '소개 페이지')} @@\n"
        "- [-A-] paragraph with a [link to the about page]({filename}../pages/about.md).\n"
        "+ {+One+} paragraph {+that now says more,+} with a [link to the about page]"
        "({filename}../pages/about.md).\n"
        "\n"
        f"@@ {SOURCE}:16: added; translation: none yet, after {TRANSLATION}:"
        f"{at(repo, '우리가 누구인지')} @@\n"
        "+ A new closing paragraph."
    )


def test_diff_names_a_removed_paragraph_and_its_translation(repo):
    """A paragraph removed from the source: its old line, and the block of the translation
    that translated it."""
    edit(repo, SOURCE, "\n![A road at night]({static}/images/road.jpg)\n", "", "No image")
    text, _ = diff(repo, colour=False)
    assert (
        f"@@ {SOURCE}:12 (as synced): removed; translation {TRANSLATION}:{at(repo, '밤길')} @@\n"
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
        f"@@ {SOURCE} (a block of the synced version): removed; translation {TRANSLATION}:"
        f"{at(shallow, '밤길')} @@"
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
    """`translations.sync` of an approved translation whose source changed: the old record
    becomes Approved-*, the new source is recorded, Review goes back to review."""
    path = repo / "content" / TRANSLATION
    change = sync_translation(path, repo / "content")
    fields = split_file(path.read_text(encoding="utf-8"))[0]
    assert fields["review"][0] == "review" and Fingerprint.recorded(fields, approved=True)
    assert change is not None


def review(repo: Path, tmp_path: Path) -> Path:
    """The review site of the repository's content."""
    return build_review(
        FIXTURE_SETTINGS,
        tmp_path / "review",
        override={"PATH": str(repo / "content"), "CACHE_PATH": str(tmp_path / "cache")},
    )


def source_cells(page: Path) -> list:
    """The source column's cells of a side-by-side page."""
    return parse(page).xpath("//table[@class='pair__table']/tbody/tr/td[1]")


def test_review_page_resolves_links_and_images_into_the_review_site(repo, tmp_path):
    """No {static} or {filename} is left on a review page: every link and image leads to a
    file the review build wrote, and the image is the published one."""
    output = review(repo, tmp_path)
    pages = sorted((output / "pairs").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "{static}" not in html and "{filename}" not in html, page
        assert "#unresolved" not in html, page
        tree = parse(page)
        for url in tree.xpath("//a/@href | //img/@src | //link/@href"):
            target = resolve(output, page, url)
            assert target is not None and target.is_file(), (page, url)
    tree = parse(output / PAIR)
    images = tree.xpath("//td[@lang='en']//img/@src") + tree.xpath("//td[@lang='ko']//img/@src")
    assert images == ["../../../site/images/road.jpg"] * 2
    links = {a.text_content(): a.get("href") for a in tree.xpath("//td//a")}
    assert links == {
        "link to the about page": "../../../site/en/about/index.html",
        "about page": "../../../site/en/about/index.html",
        "소개 페이지": "../../../site/ko/about/index.html",
        "소개": "../../../site/ko/about/index.html",
    }


def test_a_link_the_review_build_did_not_write_leads_nowhere_and_is_reported(tmp_path):
    """A {filename} link to a page the review build lacks is not left as it is: it leads to
    #unresolved and is reported beside its block."""
    links = Links(read_settings(FIXTURE_SETTINGS), tmp_path, TranslationIndex([]))
    problems = []
    html = links.resolve(
        '<p><a href="{filename}../pages/missing.md">x</a> <img alt="y" src="{static}/a.jpg"></p>',
        SOURCE,
        "../../../",
        problems,
    )
    assert html == '<p><a href="#unresolved">x</a> <img alt="y" src="#unresolved"></p>'
    assert problems == [
        "link to ../pages/missing.md: no such page or file in the review build",
        "link to /a.jpg: no such page or file in the review build",
    ]


def test_review_page_marks_changed_words_and_keeps_them_through_a_re_sync(repo, tmp_path):
    """The changed paragraph's added words are in <ins>, and after a re-sync (Approved-*
    recorded) the page still marks them and says it compares with the last approval."""
    edit(repo, SOURCE, "says who we are", "says who we were", "Source: tense")
    output = review(repo, tmp_path)
    changed = [cell for cell in source_cells(output / PAIR) if cell.xpath(".//del | .//ins")]
    assert len(changed) == 1
    assert changed[0].xpath(".//del[@class='words words--removed']/text()") == ["are."]
    assert changed[0].xpath(".//ins[@class='words words--added']/text()") == ["were."]
    assert "last synced" in parse(output / PAIR).xpath("//p[@class='baseline']")[0].text_content()

    re_sync_for_review(repo)
    settings = read_settings(FIXTURE_SETTINGS, {"PATH": str(repo / "content")})
    assert write_review_pages(settings, output) == 3
    tree = parse(output / PAIR)
    baseline = " ".join(tree.xpath("//p[@class='baseline']")[0].text_content().split())
    assert "the last approval covered" in baseline
    assert re.search(r"as of commit [0-9a-f]{10} \(\d{4}-\d\d-\d\d\)", baseline)
    rows = tree.xpath("//table[@class='pair__table']/tbody/tr[contains(@class, 'changed')]")
    assert len(rows) == 1
    assert rows[0].xpath(".//ins/text()") == ["were."]
    assert rows[0].xpath("./td[2]")[0].text_content().endswith("우리가 누구인지 말합니다.")


def test_review_pages_hold_only_what_the_page_allowlist_allows(repo, tmp_path):
    """The reviewers' pages, word marks included, stay inside the markup allowlist."""
    edit(repo, SOURCE, OLD, NEW, "Source: a paragraph says more")
    output = review(repo, tmp_path)
    for page in [output / "index.html", *sorted((output / "pairs").rglob("*.html"))]:
        tree = parse_like_a_browser(page.read_bytes())
        assert [f.message for f in findings(tree, PAGE, PLACEHOLDER_SITE)] == [], page
    assert parse(output / PAIR).xpath("//ins[@class='words words--added']")


def test_dashboard_shows_progress_and_warns_instead_of_green(repo, tmp_path):
    """Per language: approved and up to date out of all translations, counts per state; an
    outdated or never-synced translation is a warning, never green."""
    output = review(repo, tmp_path)
    tree = parse(output / "index.html")
    korean = tree.xpath("//table[@class='summary']/tbody/tr[th='ko']")[0]
    cells = [" ".join(td.text_content().split()) for td in korean.xpath("./td")]
    # english-only is missing; unfinished is approved but was never synced (a warning, and
    # readers do not see it); shared-story and about are approved and synced.
    assert cells[0].startswith("2 of 4 (50 %)")
    assert cells[1:5] == ["1", "0", "0", "3"]  # missing, draft, review, approved
    assert cells[5] == "⚠ 1 not synced"

    def tone(key: str) -> str:
        cell = tree.xpath(f"//table[@class='states']/tbody/tr[th='{key}']/td[2]")[0]
        return cell.get("class")

    assert "state--ok" in tone("articles/shared-story")
    assert "state--ok" in tone("pages/about")
    assert "state--warning" in tone("articles/unfinished")  # approved, never synced

    edit(repo, SOURCE, OLD, NEW, "Source: a paragraph says more")
    output = review(repo, tmp_path)
    tree = parse(output / "index.html")
    assert "state--warning" in tone("articles/shared-story")
    assert "state--ok" not in tone("articles/shared-story")
    korean = tree.xpath("//table[@class='summary']/tbody/tr[th='ko']")[0]
    assert "⚠ 1 outdated" in korean.text_content()


def test_long_output_piped_into_head_stops_quietly():
    """`invoke translations.diff ... | head`: when the reader closes the pipe the command stops
    as Unix tools do, with no traceback (press.cli.options.emit)."""
    script = "from press.cli.options import emit; emit('a line of a long diff\\n' * 200_000)"
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -c "{script}" | head -1; exit ${{PIPESTATUS[0]}}'],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.stdout == "a line of a long diff\n"
    assert done.stderr == "" and done.returncode == 0
