"""The same sources give the same bytes: built again, in other processes, in one or in many."""

import os
import subprocess
import sys

from conftest import CACHE_SUFFIX, FIXTURE_SETTINGS, ROOT, assert_same_tree, build_site
from press.publishing.reproducible import compare_trees


def test_articles_of_one_date_are_listed_by_file_name(tmp_path, content):
    """Two builds list articles of one date alike: by file name (Pelican reads in any order)."""
    header = (content / "en" / "articles" / "english-only.md").read_text("utf-8").split("\n\n")[0]
    names = ["same-day-c", "same-day-a", "same-day-e", "same-day-b", "same-day-d"]
    for name in names:
        text = header.replace("Only in English", name).replace("2024-03-05", "2024-07-01")
        (content / "en" / "articles" / f"{name}.md").write_text(f"{text}\n\nBody.\n", "utf-8")
    site = build_site(tmp_path / "output", content)
    for listing in ("en/index.html", "en/tags/testimony/index.html", "en/feeds/all.atom.xml"):
        text = (site / listing).read_text("utf-8")
        shown = sorted(names, key=lambda name: text.index(f"/articles/{name}/"))
        assert shown == sorted(names), listing


def test_builds_in_differently_seeded_processes_write_the_same_bytes(tmp_path, content):
    """Python orders sets of strings differently in every process: no output may follow that."""
    header = (content / "en" / "articles" / "english-only.md").read_text("utf-8").split("\n\n")[0]
    for name in ("day-one-c", "day-one-a", "day-one-b"):
        text = header.replace("Only in English", name).replace("2024-03-05", "2024-07-01")
        (content / "en" / "articles" / f"{name}.md").write_text(f"{text}\n\nBody.\n", "utf-8")
    outputs = []
    for seed in ("1", "2"):
        output = tmp_path / f"output-{seed}"
        code = (
            "import sys; sys.path[:0] = ['.']\n"
            "from press.build.pipeline import build\n"
            f"build({str(FIXTURE_SETTINGS)!r}, output={str(output)!r}, jobs=2, override={{"
            f"'PATH': {str(content)!r}, 'CACHE_PATH': {str(output) + CACHE_SUFFIX!r}}})"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        outputs.append(output)
    assert_same_tree(*outputs)


def test_one_process_and_parallel_builds_are_identical(tmp_path, fixture_site):
    """Building the languages one after another writes the same bytes as building in parallel."""
    serial = build_site(tmp_path / "serial", jobs=1)
    assert_same_tree(serial, fixture_site)


def test_two_builds_are_byte_identical(tmp_path, fixture_site):
    """The same sources built again give the same bytes: no time, path or user inside."""
    again = build_site(tmp_path / "again")
    assert compare_trees(fixture_site, again) == []
    (again / "en" / "index.html").write_text("changed", encoding="utf-8")
    assert [str(p) for p in compare_trees(fixture_site, again)] == [
        "output/en/index.html:1: differs between two builds of the same sources (a time, path "
        "or random value in it?); builds must be reproducible"
    ]
