"""The content cache: it serves what it kept, never what sources, settings or code changed."""

import subprocess
import sys

import pytest

from conftest import (
    CACHE_SUFFIX,
    FIXTURE_CONTENT,
    ROOT,
    append,
    build_site,
    copy_project,
    run_invoke,
)


def test_cached_builds_write_what_an_uncached_one_does(tmp_path, content):
    """With the content cache (cold, warm, after an edit) the output is the uncached one's."""
    cache = str(tmp_path / "cache")
    build_site(tmp_path / "cached", content, CACHE_PATH=cache)  # cold: fills the cache
    build_site(tmp_path / "cached", content, CACHE_PATH=cache)  # warm: reads it
    source = content / "en" / "articles" / "english-only.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    cached = build_site(tmp_path / "cached", content, CACHE_PATH=cache)  # one file changed
    assert any((tmp_path / "cache").rglob("*")), "the cache was not used"
    fresh = build_site(tmp_path / "fresh", content, jobs=1, LOAD_CONTENT_CACHE=False,
                       CACHE_CONTENT=False)  # fmt: skip
    files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(cached) for p in cached.rglob("*") if p.is_file())
    for name in files:
        assert (cached / name).read_bytes() == (fresh / name).read_bytes(), name
    assert "One more line." in (cached / "en/articles/english-only/index.html").read_text("utf-8")


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
    assert sizes[2] - sizes[0] < 200, sizes


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
    keys = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       check=True).stdout.strip()
        for _ in range(2)
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
