"""A new language is a settings entry, a folder and a catalog, and nothing breaks: Japanese
added to a copy of the real project as the README tells it passes `invoke check`, builds, has
no QA findings and makes an offline edition; and the fixture tests do not notice it."""

import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from built import file_for, parse, resolve
from conftest import ROOT, assert_same_tree, copy_project, reference_build, run_invoke
from languages import add_language, add_language_to_project

# The real About page in Japanese. Japan has none of the articles it lists: two of its links
# keep the source's {filename} paths, one names the English version, as a translator may.
JAPANESE_ABOUT = (ROOT / "tests" / "fixtures" / "japanese-about.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def japanese(tmp_path_factory):
    """A copy of the project with Japanese added: `invoke i18n.init`, a translated catalog,
    content/ja/pages/about.md, and I18N_LANGUAGES["ja"] (no READING_TIME entry)."""
    project = copy_project(tmp_path_factory.mktemp("japanese") / "project")
    init = run_invoke(project, "i18n.init", "--lang", "ja")
    assert init.returncode == 0, init.stderr
    add_language_to_project(
        project, "ja", {"pages/about": JAPANESE_ABOUT}, subtitle="北朝鮮からの脱北者と家族"
    )
    return project


def test_the_new_language_passes_check_and_qa(japanese):
    """`invoke check` and `invoke translations.qa` find nothing in the project with Japanese."""
    check = run_invoke(japanese, "check")
    assert check.returncode == 0, check.stderr
    qa = run_invoke(japanese, "translations.qa")
    assert qa.returncode == 0, qa.stdout + qa.stderr


def test_the_new_language_builds_and_links_to_what_it_lacks(japanese):
    """`invoke build` writes /ja/; the Japanese About page's links to articles Japanese lacks
    lead to the English pages and say so (hreflang="en")."""
    build = run_invoke(japanese, "build")
    assert build.returncode == 0, build.stderr
    site = japanese / "output"
    about = file_for(site, "ja/about/")
    tree = parse(about)
    assert tree.get("lang") == "ja"
    links = tree.xpath("//main//a[@hreflang]")
    assert sorted(resolve(site, about, link.get("href")).relative_to(site).as_posix()
                  for link in links) == [
        "en/articles/defectors-struggle-for-freedom/index.html",
        "en/articles/families-1-life-under-watch/index.html",
        "en/articles/families-2-the-road-out/index.html",
        "en/articles/families-3-life-after-escape/index.html",
        "en/safety/index.html",
    ]  # fmt: skip
    assert {link.get("hreflang") for link in links} == {"en"}


def test_the_new_language_makes_an_offline_edition(japanese):
    """`invoke offline` (whose own check opens every link) holds the Japanese pages."""
    offline = run_invoke(japanese, "offline")
    assert offline.returncode == 0, offline.stderr
    with zipfile.ZipFile(japanese / "dist" / "ffhr-offline.zip") as archive:
        assert "ffhr-offline/ja/about/index.html" in archive.namelist()


# Fixture tests that build, check, review and serve the fixture site: run in a copy of the
# project whose pelicanconf.py has a language the fixture site has no folder for.
FIXTURE_TESTS = [
    "tests/test_third_language.py",
    "tests/test_translation_credits.py",
    "tests/test_preview_server.py",
    "tests/test_status_page.py",
    "tests/test_translation_review.py::test_sync_writes_the_record_and_status_is_up_to_date",
    "tests/test_concurrent_catalogs.py::test_a_build_reads_no_compiled_catalog",
]


def test_fixture_tests_do_not_depend_on_the_projects_languages(japanese, tmp_path):
    """With ja in the project's settings, fixture tests still pass: the fixture site is
    built with its own languages (tests/fixtures/settings.py)."""
    shutil.copytree(
        ROOT / "tests", japanese / "tests", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "Makefile"):
        shutil.copy2(ROOT / name, japanese / name)
    assert "I18N_LANGUAGES['ja']" in (japanese / "pelicanconf.py").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FIXTURE_TESTS],
        cwd=japanese,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_language_with_no_article_yet_builds_the_same_bytes_twice(tmp_path, content):
    """A new language's empty feed says no build time: two builds write the same files."""
    override = add_language("ja", content, tmp_path / "locale", {})
    first = reference_build(tmp_path / "first", content, **override)
    time.sleep(1.1)  # a feed dated when it is built would differ by this second
    second = reference_build(tmp_path / "second", content, **override)
    assert (first / "ja" / "feeds" / "all.atom.xml").is_file()
    assert_same_tree(second, first)
