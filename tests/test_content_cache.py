"""The content cache: it serves what it kept, never what sources, settings or code changed."""

import os
import pickle
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


def _parsed(log) -> set[str]:
    """The sources the runs logged as parsed by Markdown (tests/plugins/read_log)."""
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return {line.removeprefix("parsed ") for line in lines if line.startswith("parsed ")}


def test_cached_builds_write_what_an_uncached_one_does(tmp_path, content):
    """With the content cache (cold, warm, after an edit) the output is the uncached one's, a
    warm build parses no source it kept, and an edit is read again even with its time kept."""
    cache, page = str(tmp_path / "cache"), "en/articles/english-only/index.html"
    source = content / "en" / "articles" / "english-only.md"
    log = tmp_path / "read.log"
    plugins = [*load_settings(SETTINGS)["PLUGINS"], "read_log"]
    paths = [str(ROOT / "plugins"), str(ROOT / "tests" / "plugins")]

    def cached_build(output):
        return build_site(output, content, CACHE_PATH=cache, PLUGINS=plugins, PLUGIN_PATHS=paths,
                          READ_LOG_PATH=str(log), INCREMENTAL_BUILD=False)  # fmt: skip

    cached_build(tmp_path / "cold")  # fills the cache
    every = _parsed(log)
    assert str(source) in every
    cached_build(tmp_path / "warm")  # nothing changed: everything comes from the cache
    assert _parsed(log) == set()
    # An edit that keeps the file's time (cp -p, rsync -a) is still an edit.
    kept = source.stat()
    edit(source, "Only English readers can read this one.", "Words only the source has.")
    os.utime(source, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    cached = cached_build(tmp_path / "edited")
    assert _parsed(log) == {str(source)}
    assert "Words only the source has." in (cached / page).read_text("utf-8")
    assert_same_tree(cached, reference_build(tmp_path / "uncached", content))


def test_updates_keep_the_content_cache_from_growing(tmp_path, content):
    """Each update leaves the content cache about as it was: one copy of the run's settings."""
    output = build_site(tmp_path / "output", content)
    caches = tmp_path / f"output{CACHE_SUFFIX}"
    sizes = []
    # Another source each time: the cache kept each one's metadata with its own settings.
    # Shared-story first: its edit makes the Korean translation outdated, so the Korean run
    # updates once, and its cache gets that run's settings (one copy, as every other run).
    for name in ("shared-story", "english-only", "unfinished"):
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


def test_cache_files_cut_short_or_garbage_are_read_as_no_cache(tmp_path, content):
    """Every cache file cut short (a crash; another build saving it, before) or holding
    garbage: the next build succeeds, writes what an uncached build writes, and saves the
    content cache whole again."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_site(output, content, CACHE_PATH=str(cache))
    readers = sorted(cache.rglob("*-Readers"))  # Pelican's, one per generator and language
    memos = [*cache.rglob("reading-time*.json"), *cache.rglob("markup-allowlist*.json")]
    spoiled = [*readers, *memos, *cache.rglob("build-state-*"), *cache.rglob("*.cache")]
    assert readers and len(memos) == 4 and len(spoiled) > len(readers) + 6
    for number, path in enumerate(spoiled):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if number % 2 else b"garbage\x80\x00 {[")
    build_site(output, content, CACHE_PATH=str(cache))
    assert_same_tree(output, reference_build(tmp_path / "uncached", content))
    for path in readers:
        with path.open("rb") as fileobj:
            assert pickle.load(fileobj), path
