"""The content cache: it serves what it kept, never what sources, settings or code changed."""

import os
import subprocess
import sys

import pytest

from conftest import (
    CACHE_SUFFIX,
    FIXTURE_CONTENT,
    ROOT,
    SETTINGS,
    append,
    assert_same_tree,
    build_site,
    copy_project,
    edit,
    reference_build,
    run_invoke,
)
from press.core.settings import load_settings


def test_cached_builds_write_what_an_uncached_one_does(tmp_path, content):
    """With the content cache (cold, warm, after an edit) the output is the uncached one's, and
    a warm build does read the cache: what it kept of a source whose time has not changed."""
    # Pelican takes a source from its cache while the source's modification time is the one
    # it kept (CHECK_MODIFIED_METHOD): an edit that keeps the time shows what a build used.
    assert load_settings(SETTINGS)["CHECK_MODIFIED_METHOD"] == "mtime"
    cache, page = str(tmp_path / "cache"), "en/articles/english-only/index.html"
    source = content / "en" / "articles" / "english-only.md"
    build_site(tmp_path / "cached", content, CACHE_PATH=cache)  # cold: fills the cache
    kept = source.stat()
    edit(source, "Only English readers can read this one.", "Words only the source has.")
    os.utime(source, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    # Warm, into another output and nothing incremental: the project's own state would see
    # the edit by the source's hash; this build shows what Pelican's cache gave it.
    warm = (build_site(tmp_path / "warm", content, CACHE_PATH=cache, INCREMENTAL_BUILD=False)
            / page).read_text("utf-8")  # fmt: skip
    assert "Only English readers can read this one." in warm  # the cache's, not the file's
    assert "Words only the source has." not in warm
    uncached = (reference_build(tmp_path / "uncached", content) / page).read_text("utf-8")
    assert "Words only the source has." in uncached
    # An edit that changes the time (as every editor's does) is read again.
    append(source, "\nOne more line.\n")
    cached = build_site(tmp_path / "cached", content, CACHE_PATH=cache)  # one file changed
    assert_same_tree(cached, reference_build(tmp_path / "fresh", content))
    assert "Words only the source has." in (cached / page).read_text("utf-8")
    assert "One more line." in (cached / page).read_text("utf-8")


def test_updates_keep_the_content_cache_from_growing(tmp_path, content):
    """Each update leaves the content cache about as it was: one copy of the run's settings."""
    output = build_site(tmp_path / "output", content)
    caches = tmp_path / f"output{CACHE_SUFFIX}"
    sizes = []
    # Another source each time: the cache kept each one's metadata with its own settings.
    for name in ("english-only", "shared-story", "unfinished"):
        append(content / "en" / "articles" / f"{name}.md", "\nOne more line.\n")
        build_site(output, content)
        sizes.append(sum(p.stat().st_size for p in caches.rglob("*-Readers")))
    # A line more each time; a copy of the settings with the index is kilobytes.
    assert sizes[0] > 0 and sizes[2] - sizes[0] < 200, sizes  # (no cache file found: 0)


@pytest.mark.parametrize(
    ("expression", "length"),
    [("cache_key(settings)", 12), ("inputs_fingerprint(settings, Path('pelicanconf.py'))", 20)],
)
def test_keys_are_the_same_in_every_process(expression, length):
    """Each build is a new process: a key that changed with it (a function's address in a
    setting, say) would never find the cache or the state again."""
    code = (
        "import sys; from pathlib import Path; sys.path[:0] = ['.']\n"
        "from press.build.cache import cache_key\n"
        "from press.core.settings import load_settings\n"
        "from press.build.state import inputs_fingerprint\n"
        "settings = load_settings('pelicanconf.py')\n"
        f"print({expression})"
    )
    # Two hash seeds, whatever this process's own is: sets of strings in another order.
    keys = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }  # fmt: skip
    assert len(keys) == 1 and len(keys.pop()) == length


def test_a_change_to_the_code_that_reads_sources_is_not_served_from_the_cache(tmp_path):
    """The content cache is keyed by the project's code too: after an edit of the reader, the
    next build reads every source again, without anyone removing cache/."""
    project = copy_project(tmp_path / "project", FIXTURE_CONTENT)
    assert run_invoke(project, "build").returncode == 0
    page = project / "output" / "en" / "articles" / "english-only" / "index.html"
    assert "read-again" not in page.read_text(encoding="utf-8")
    reader = project / "press" / "rendering" / "shared_markdown.py"
    code = reader.read_text(encoding="utf-8")
    converted = "            content = self._md.convert(text)\n"
    assert converted in code
    reader.write_text(
        code.replace(converted, converted + '        content += "<p>read-again</p>"\n'),
        encoding="utf-8",
    )
    assert run_invoke(project, "build").returncode == 0
    assert "read-again" in page.read_text(encoding="utf-8")
