"""What makes the build fast must not change what it writes (issue 7)."""

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from PIL import Image

from conftest import (
    CACHE_SUFFIX,
    FIXTURE_CONTENT,
    SETTINGS,
    build_report,
    build_site,
    copy_project,
    run_invoke,
)
from press.build.cache import cache_key
from press.build.errors import BuildError
from press.build.offline import offline_override
from press.build.state import WAITING, locked, state_name
from press.build.watch import watch
from press.core.settings import load_settings
from press.core.sources import read_header as _read_header
from press.rendering.shared_markdown import SharedMarkdownReader
from press.translations import index as index_module
from press.translations.records import sync_translation

ROOT = Path(__file__).resolve().parents[1]


def test_shared_markdown_reader_reads_like_pelicans():
    """One converter reset between files gives each file the HTML and metadata of a new one."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    sources = sorted((ROOT / "tests" / "fixtures" / "content").rglob("*.md"))
    sources += sorted((ROOT / "content").rglob("*.md"))
    assert len(sources) > 10
    shared = SharedMarkdownReader(settings)
    # Twice over: state left by any file (footnotes, toc ids, abbreviations) must not leak.
    for source in sources + sources[::-1]:
        expected = MarkdownReader(settings).read(str(source))
        assert shared.read(str(source)) == expected, source
    assert shared._shared is not None


def test_shared_reader_formats_summaries_like_pelicans(tmp_path):
    """Pelican's default FORMATTED_FIELDS: summaries are Markdown too, converted alike."""
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"FORMATTED_FIELDS": ["summary"]}
    )
    source = tmp_path / "formatted.md"
    source.write_text(
        "Title: Formatted\nSummary: A *summary* with `code`, a [link](x.html) & an | bar.\n\n"
        "Body with a table:\n\n| a | b |\n| - | - |\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    sources = [source, *sorted((ROOT / "tests" / "fixtures" / "content").rglob("*.md"))]
    shared = SharedMarkdownReader(settings)
    for path in sources + sources[::-1]:
        assert shared.read(str(path)) == MarkdownReader(settings).read(str(path)), path
    assert "<em>summary</em>" in shared.read(str(source))[1]["summary"]
    # Two converter states (with and without the metadata preprocessor), each chosen once.
    assert len(shared._shared.preprocessors["triggers"].known) <= 2


def test_builds_read_markdown_with_the_shared_reader():
    """The plugin is in effect in a real build: the reader Pelican uses is the shared one."""
    from pelican import Pelican
    from pelican.readers import Readers

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    Pelican(settings)  # loads and registers the plugins
    readers = Readers(settings)
    assert type(readers.readers["md"]) is SharedMarkdownReader


# Plugins that only make the build faster: without them, Pelican does the same work its own way.
SPEED_PLUGINS = ("shared_markdown", "frozen_urls")

# Links in every form Pelican resolves, relative and from the content root (and an image).
LINK_FORMS = """
## Links of every form

See [the story]({filename}shared-story.md), [about]({filename}../pages/about.md#our-work),
[about again]({filename}./../pages/../pages/about.md?ref=1&amp;b=2),
[from the root]({filename}/en/pages/about.md) and [the photo]({static}../../images/photo.jpg).

![The photo]({static}../../images/photo.jpg)
"""


def _content_with_every_link_form(folder: Path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, folder)
    _append(folder / "en" / "articles" / "english-only.md", LINK_FORMS)
    _append(folder / "en" / "pages" / "about.md", "\n## Our work\n\nWe write.\n")
    (folder / "images").mkdir()
    Image.new("RGB", (8, 8), "gray").save(folder / "images" / "photo.jpg")
    return folder


@pytest.mark.parametrize("edition", ["website", "offline"])
@pytest.mark.parametrize("source", ["fixture", "real", "every-link-form"])
def test_speed_plugins_change_no_byte(tmp_path, source, edition):
    """Pelican's own reader and URL computation write the same files, byte for byte."""
    settings = load_settings(SETTINGS)
    plugins = [name for name in settings["PLUGINS"] if name not in SPEED_PLUGINS]
    assert len(plugins) == len(settings["PLUGINS"]) - len(SPEED_PLUGINS)
    content = {
        "fixture": lambda: FIXTURE_CONTENT,
        "real": lambda: ROOT / "content",
        "every-link-form": lambda: _content_with_every_link_form(tmp_path / "content"),
    }[source]()
    # The offline edition's links name files, relative to each page.
    override = offline_override(settings) if edition == "offline" else {}
    fast = build_site(tmp_path / "fast", content, **override)
    plain = build_site(tmp_path / "plain", content, PLUGINS=plugins, **override)
    _assert_same_tree(fast, plain)


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
            f"build('pelicanconf.py', output={str(output)!r}, jobs=2, override={{"
            f"'PATH': {str(content)!r}, 'CACHE_PATH': {str(output) + CACHE_SUFFIX!r}}})"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        outputs.append(output)
    _assert_same_tree(*outputs)


# --- Updating a finished build after edits (the warm rebuild) -------------------------


def _stamps(output: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every output file: a rewritten file gets a new inode or mtime."""
    return {
        p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in output.rglob("*")
        if p.is_file()
    }


def _assert_same_tree(built: Path, reference: Path) -> None:
    files = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    for name in files:
        assert (built / name).read_bytes() == (reference / name).read_bytes(), name


def _fresh(tmp_path: Path, content: Path, name: str) -> Path:
    """The reference: one process, no cache, nothing incremental."""
    return build_site(
        tmp_path / name, content, jobs=1, LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False
    )


@pytest.fixture
def synced(content) -> Path:
    """The fixture content with the Korean translation's record of its source written."""
    sync_translation(content / "ko" / "articles" / "shared-story.md", content)
    return content


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fileobj:
        fileobj.write(text)


def test_body_edits_update_only_what_changed(tmp_path, synced):
    """After body edits the build re-renders only what they touch and rewrites only that."""
    output = build_site(tmp_path / "output", synced)
    before = _stamps(output)
    # The source of an approved translation: the translation becomes outdated.
    _append(synced / "en" / "articles" / "shared-story.md", "\nA new closing paragraph.\n")
    # Enough words to change the reading time the listings show.
    _append(synced / "en" / "articles" / "english-only.md", "\n" + "word " * 600 + "\n")
    report = build_report(output, synced)
    assert report.kind == "update"
    assert set(report.edited) == {"en/articles/shared-story.md", "en/articles/english-only.md"}
    _assert_same_tree(output, _fresh(tmp_path, synced, "fresh"))

    after = _stamps(output)
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


def test_a_rebuild_without_edits_writes_nothing(tmp_path, content):
    output = build_site(tmp_path / "output", content)
    before = _stamps(output)
    report = build_report(output, content)
    assert (report.kind, report.written, report.edited) == ("update", (), ())
    assert report.files == len(before)
    assert _stamps(output) == before


def test_a_header_edit_builds_everything(tmp_path, synced):
    """A header shapes listings, menus and the switcher: the whole site is built again."""
    output = build_site(tmp_path / "output", synced)
    source = synced / "en" / "articles" / "english-only.md"
    source.write_text(source.read_text("utf-8").replace("Title: ", "Title: Renamed: ", 1), "utf-8")
    report = build_report(output, synced)
    assert report.kind == "full"
    assert set(report.written) == set(_stamps(output)) and report.files == len(report.written)
    _assert_same_tree(output, _fresh(tmp_path, synced, "fresh"))


def test_only_changed_headers_are_read_again_for_the_index(tmp_path, synced, monkeypatch):
    """The translation index takes unchanged headers from the last build, and reads the rest."""
    output = build_site(tmp_path / "output", synced)
    read = []
    monkeypatch.setattr(
        index_module, "read_header", lambda path: read.append(path) or _read_header(path)
    )
    translation = synced / "ko" / "articles" / "shared-story.md"
    _append(synced / "en" / "articles" / "english-only.md", "\nA body edit.\n")
    translation.write_text(
        translation.read_text("utf-8").replace("Review: approved", "Review: review"), "utf-8"
    )
    build_site(output, synced)
    # The body edit leaves its header alone; the translation is no longer approved.
    assert read == [translation]
    assert not (output / "ko" / "articles" / "shared-story" / "index.html").exists()
    _assert_same_tree(output, _fresh(tmp_path, synced, "fresh"))


def test_updates_keep_the_content_cache_from_growing(tmp_path, content):
    """Each update leaves the content cache about as it was: one copy of the run's settings."""
    output = build_site(tmp_path / "output", content)
    caches = tmp_path / f"output{CACHE_SUFFIX}"
    sizes = []
    # Another source each time: the cache kept each one's metadata with its own settings.
    for name in ("english-only", "shared-story", "unfinished"):
        _append(content / "en" / "articles" / f"{name}.md", "\nOne more line.\n")
        build_site(output, content)
        sizes.append(sum(p.stat().st_size for p in caches.rglob("*-Readers")))
    # A line more each time; a copy of the settings with the index is kilobytes.
    assert sizes[2] - sizes[0] < 200, sizes


def test_a_touched_output_folder_is_built_again_whole(tmp_path, content):
    output = build_site(tmp_path / "output", content)
    (output / "en" / "articles" / "english-only" / "index.html").unlink()
    _append(content / "en" / "articles" / "shared-story.md", "\nOne more line.\n")
    build_site(output, content)
    _assert_same_tree(output, _fresh(tmp_path, content, "fresh"))


def test_a_removed_output_folder_is_built_again(tmp_path, content):
    output = build_site(tmp_path / "output", content)
    shutil.rmtree(output)
    build_site(output, content)
    _assert_same_tree(output, _fresh(tmp_path, content, "fresh"))


def test_a_bad_edit_fails_the_update_and_leaves_the_output(tmp_path, content):
    """The per-file checks still run on what changed, with file and line."""
    output = build_site(tmp_path / "output", content)
    before = _stamps(output)
    source = content / "en" / "articles" / "english-only.md"
    lines = len(source.read_text("utf-8").splitlines())
    _append(source, "\nSee [this]({filename}no-such-article.md).\n")
    with pytest.raises(BuildError) as error:
        build_site(output, content)
    assert f"english-only.md:{lines + 2}:" in str(error.value)
    assert _stamps(output) == before


def test_removing_a_heading_other_pages_link_to_is_caught(tmp_path, content):
    """An update checks that anchors other pages link to are still in the pages it rewrote."""
    shared = content / "en" / "articles" / "shared-story.md"
    _append(content / "en" / "articles" / "english-only.md",
            "\nRead [its first part]({filename}shared-story.md#first-part).\n")  # fmt: skip
    output = build_site(tmp_path / "output", content)
    before = _stamps(output)
    shared.write_text(shared.read_text("utf-8").replace("## First part", "Opening:"), "utf-8")
    with pytest.raises(BuildError) as error:
        build_site(output, content)
    assert "en/articles/english-only/index.html" in str(error.value)
    assert "first-part" in str(error.value)
    assert _stamps(output) == before


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


def _wait_for(condition, seconds=60.0) -> bool:
    """Poll `condition` until it holds or `seconds` pass (a wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_serve_builds_again_after_an_edit(tmp_path, content, caplog):
    """The watcher behind `invoke serve`: an edit is built; a bad edit keeps the last output."""
    output = build_site(tmp_path / "output", content)
    page = output / "en" / "articles" / "english-only" / "index.html"
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=watch, args=(partial(build_site, output, content), [content], stop, 0.05, ready)
    )
    watcher.start()
    try:
        assert ready.wait(60)
        _append(content / "en" / "articles" / "english-only.md", "\nA line typed just now.\n")
        assert _wait_for(lambda: "A line typed just now." in page.read_text("utf-8"))
        with caplog.at_level(logging.ERROR, logger="press.build.watch"):
            _append(content / "en" / "articles" / "english-only.md", "\n[x]({filename}gone.md)\n")
            assert _wait_for(lambda: "The build failed" in caplog.text)
        assert "gone.md points at a file that does not exist" in caplog.text
        assert "A line typed just now." in page.read_text("utf-8")
    finally:
        stop.set()
        watcher.join()


def test_templates_show_other_articles_as_updates_expect():
    """A tripwire for the update's assumption (incremental.py): only the page's own article or
    page shows its body; listings show summaries and reading times, which listing_fact covers.
    """
    for template in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"\b(\w+)\.(content|get_content|_content)\b", text):
            assert (template.name, match[1]) in {
                ("article.html", "article"),
                ("page.html", "page"),
            }, f"{template}: {match[0]} (see press/rendering/incremental.py)"


def test_a_build_waits_for_another_build_of_the_same_output(tmp_path, content):
    """`make serve` rebuilding and a `make build` at once take turns on the output."""
    output = build_site(tmp_path / "output", content)
    settings = load_settings(ROOT / "pelicanconf.py", {"PATH": str(content),
                             "CACHE_PATH": str(tmp_path / f"output{CACHE_SUFFIX}")})  # fmt: skip
    state = Path(settings["CACHE_PATH"]) / cache_key(settings) / state_name(output)
    assert state.is_file()
    _append(content / "en" / "articles" / "english-only.md", "\nWritten while locked.\n")
    done, waiting = threading.Event(), threading.Event()

    class Watcher(logging.Handler):
        def emit(self, record):
            if record.msg == WAITING:
                waiting.set()

    watcher = Watcher()
    logging.getLogger("press.build.state").addHandler(watcher)
    logging.getLogger("press.build.state").setLevel(logging.INFO)
    try:
        with locked(state):  # as a build of the same output would hold it
            builder = threading.Thread(target=lambda: (build_site(output, content), done.set()))
            builder.start()
            # The build has reached the lock and waits there: without it, nothing would
            # stop it from going on, and it is not done.
            deadline = time.monotonic() + 120
            while not (waiting.is_set() or done.is_set()) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert waiting.is_set() and not done.is_set()
            page = output / "en" / "articles" / "english-only" / "index.html"
            assert "Written while locked." not in page.read_text("utf-8")
        builder.join(120)
    finally:
        logging.getLogger("press.build.state").removeHandler(watcher)
    assert done.is_set()
    assert "Written while locked." in page.read_text("utf-8")


def test_each_output_keeps_its_own_state(tmp_path, content):
    """Building another output (the review site, say) from the same cache leaves the first
    output's state alone: its next rebuild is still an update."""
    cache = str(tmp_path / "cache")
    output = build_site(tmp_path / "output", content, CACHE_PATH=cache)
    build_site(tmp_path / "other", content, CACHE_PATH=cache)
    _append(content / "en" / "articles" / "english-only.md", "\nOne more line.\n")
    assert build_report(output, content, CACHE_PATH=cache).kind == "update"


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
