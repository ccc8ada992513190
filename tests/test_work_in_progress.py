"""Work in progress never turns the tests red: the real site's invariants hold with it.

A copy of the project gets what a newsroom has on any day: an English article nobody has
translated yet, a translation waiting in review, a draft translation, one approved but
never synced (so no one can say which source its approval covers), and an approved
translation whose source was edited since. `invoke check` and `invoke build` pass, the
invariants the real-site tests check hold for what was built, and only the opt-in gate,
`invoke translations.status --strict`, says the site is not complete.
"""

import shutil
from pathlib import Path

import pytest

from built import parse
from conftest import append, copy_project, run_invoke
from site_invariants import (
    hreflang_problems,
    listing_problems,
    publication_problems,
    site_problems,
    switcher_problems,
)

ENGLISH_ONLY = """\
Title: A new report, not yet translated
Date: 2024-06-01
Author: FFHR Editorial Desk
Category: Defectors
Tags: testimony
Summary: An English article the Korean desk has not started on.

Written today, published today; its Korean version will follow.
"""
SOURCE = """\
Title: {title}
Date: 2024-06-02
Author: E. Dickinson
Category: Defectors
Tags: testimony
Summary: An English article whose Korean translation is under way.

## What happened

A paragraph for the translators.
"""
TRANSLATION = """\
Title: {title}
Date: 2024-06-02
Author: E. Dickinson
Category: 탈북민
Tags: 증언
Summary: 번역이 진행 중인 글입니다.
Translation-Of: en/articles/{name}.md
Review: {review}
Reviewer: FFHR Korean Desk

## 있었던 일

번역자를 위한 문단입니다.
"""
# Titles of unpublished translations: no published file may show them.
IN_REVIEW_TITLE = "검토를 기다리는 번역"
DRAFT_TITLE = "아직 초안인 번역"
UNSYNCED_TITLE = "동기화하지 않은 승인 번역"
EDITED_SOURCE = "en/articles/families-3-life-after-escape.md"


def add_work_in_progress(content: Path) -> None:
    """An English-only article, translations in review, in draft and approved but never
    synced, and an outdated one."""
    (content / "en/articles/wip-english-only.md").write_text(ENGLISH_ONLY, encoding="utf-8")
    for name, review, title in (
        ("wip-in-review", "review", IN_REVIEW_TITLE),
        ("wip-draft", "draft", DRAFT_TITLE),
        ("wip-unsynced", "approved", UNSYNCED_TITLE),
    ):
        (content / f"en/articles/{name}.md").write_text(
            SOURCE.format(title=f"Source of {name}"), encoding="utf-8"
        )
        (content / f"ko/articles/{name}.md").write_text(
            TRANSLATION.format(title=title, name=name, review=review), encoding="utf-8"
        )
    # An approved translation's source gains a paragraph: the translation is outdated.
    append(content / EDITED_SOURCE, "\nA paragraph the author added after the translation.\n")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with work in progress, checked and built as a maintainer would."""
    project = copy_project(tmp_path_factory.mktemp("wip") / "project")
    add_work_in_progress(project / "content")
    # The translator records the source of the translation sent to review.
    synced = run_invoke(
        project, "translations.sync", "--path", "content/ko/articles/wip-in-review.md"
    )
    assert synced.returncode == 0, synced.stdout + synced.stderr
    for task in ("check", "build"):
        done = run_invoke(project, task)
        assert done.returncode == 0, f"invoke {task}:\n{done.stdout}\n{done.stderr}"
    return project


def test_work_in_progress_is_built_as_readers_should_see_it(project):
    """The English-only article and the outdated translation are published; the translations
    in review, in draft and approved but never synced are not."""
    site = project / "output"
    assert (site / "en/articles/wip-english-only/index.html").is_file()
    assert not (site / "ko/articles/wip-english-only").exists()
    for name in ("wip-in-review", "wip-draft", "wip-unsynced"):
        assert (site / f"en/articles/{name}/index.html").is_file()
        assert not (site / f"ko/articles/{name}").exists()
    outdated = site / "ko/articles/families-3-life-after-escape/index.html"
    assert 'class="notice' in outdated.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "invariant",
    [publication_problems, switcher_problems, hreflang_problems, listing_problems],
    ids=lambda f: f.__name__,
)
def test_real_site_invariants_hold_with_work_in_progress(project, invariant):
    """Each invariant the real-site tests check holds for the site with work in progress."""
    assert invariant(project / "output", project / "content") == []


def test_completeness_is_the_opt_in_gate_only(project):
    """`translations.status --strict`, the release gate, fails and names what is unfinished."""
    status = run_invoke(project, "translations.status", "--strict")
    assert status.returncode != 0
    for key in ("wip-english-only", "wip-in-review", "wip-draft", "wip-unsynced",
                "families-3-life-after-escape"):  # fmt: skip
        assert key in status.stdout + status.stderr, key


def test_the_invariants_see_what_they_guard(project, tmp_path):
    """Broken on purpose, a copy of the built site fails the invariants, naming what broke."""
    site = tmp_path / "site"
    shutil.copytree(project / "output", site)
    content = project / "content"
    # An unapproved translation published, and linked from the English home page.
    leaked = site / "ko/articles/wip-in-review/index.html"
    leaked.parent.mkdir(parents=True)
    english = (site / "en/articles/wip-in-review/index.html").read_text(encoding="utf-8")
    leaked.write_text(english.replace('lang="en"', 'lang="ko"', 1), encoding="utf-8")
    home = site / "en/index.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace(
            "</main>",
            f'<p><a href="../ko/articles/wip-in-review/">{IN_REVIEW_TITLE}</a></p></main>',
        ),
        encoding="utf-8",
    )
    # A switcher leading nowhere, and an approved translation's page gone.
    about = site / "en/about/index.html"
    text = about.read_text(encoding="utf-8")
    about.write_text(text.replace('href="../../ko/about/"', 'href="../../ko/gone/"'), "utf-8")
    (site / "ko/articles/defectors-struggle-for-freedom/index.html").unlink()
    problems = "\n".join(site_problems(site, content))
    assert "must not be published, but ko/articles/wip-in-review/index.html exists" in problems
    assert "en/index.html: links ../ko/articles/wip-in-review/" in problems
    assert f"en/index.html: shows the title of unpublished {content}/ko/articles/wip" in problems
    assert "ko/articles/defectors-struggle-for-freedom/index.html is missing" in problems
    assert "en/about/index.html: the switcher's ko link ../../ko/gone/ opens nothing" in problems
    assert (
        "en/articles/defectors-struggle-for-freedom/index.html: hreflang ko "
        "http://localhost:8000/ko/articles/defectors-struggle-for-freedom/ is no page"
    ) in problems


def test_status_page_shows_work_in_progress_by_state_only(project):
    """The published status page counts each piece of work in progress in the Korean part
    and links the English original where no Korean version is published, never showing
    the title of a translation readers cannot read."""
    site = project / "output"
    page = site / "status/index.html"
    korean = parse(page).xpath("//section[@lang='ko']")[0]
    rows = {
        row.xpath("./th/a/@href")[0]: (row.xpath("./th/a/@lang"), row.xpath("./td/@class")[0])
        for row in korean.xpath(".//tbody/tr")
    }
    state = "status__state status__state--"
    assert rows["../en/articles/wip-english-only/"] == (["en"], f"{state}missing")
    assert rows["../en/articles/wip-in-review/"] == (["en"], f"{state}review")
    assert rows["../en/articles/wip-draft/"] == (["en"], f"{state}draft")
    assert rows["../en/articles/wip-unsynced/"] == (["en"], f"{state}unsynced")
    assert rows["../ko/articles/families-3-life-after-escape/"] == ([], f"{state}outdated")
    assert not any(href.startswith("../ko/articles/wip-") for href in rows)
    done = sum(1 for _, css in rows.values() if css == f"{state}approved")
    progress = korean.xpath(".//p[@class='status__progress']")[0].text_content()
    assert f"{len(rows)}개 중 {done}개({round(done * 100 / len(rows))}%)" in progress
    text = page.read_text(encoding="utf-8")
    for title in (IN_REVIEW_TITLE, DRAFT_TITLE, UNSYNCED_TITLE):
        assert title not in text, title
