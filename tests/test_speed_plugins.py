"""The plugins that only make the build faster (issue 7) change no byte of what it writes."""

import shutil
from pathlib import Path

import pytest
from markdown import Markdown
from pelican import Pelican
from pelican.readers import MarkdownReader, Readers
from pelican.settings import read_settings
from PIL import Image

from conftest import FIXTURE_CONTENT, ROOT, SETTINGS, append, assert_same_tree, build_site
from press.build.offline import offline_override
from press.core.settings import load_settings
from press.rendering import shared_markdown
from press.rendering.shared_markdown import SharedMarkdownReader


@pytest.fixture
def converters(monkeypatch) -> list[Markdown]:
    """Every Markdown converter the shared reader makes, in the order it makes them."""
    made = []

    class Recorded(Markdown):
        """Markdown, noting each converter made."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(shared_markdown, "Markdown", Recorded)
    return made


def test_shared_markdown_reader_reads_like_pelicans(converters):
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
    assert len(converters) == 1  # every file went through the one converter


@pytest.mark.parametrize(
    "value",
    ["2025-05-14", "2025-05-14 10:30", "2025-05-14 10:30:59", "2025-05-14T10:30", "2025-5-4",
     "May 4, 2025", "2025-05-14 10:30+09:00", "2025-05-14  10:30"],
)  # fmt: skip
def test_shared_reader_reads_dates_like_pelican(value):
    """A Date or Modified header means the same moment, of the same type, as Pelican reads it."""
    reader = SharedMarkdownReader(read_settings(str(ROOT / "pelicanconf.py")))
    for name in ("date", "modified"):
        expected = MarkdownReader(reader.settings).process_metadata(name, value)
        found = reader.process_metadata(name, value)
        assert (found, type(found), found.tzinfo) == (expected, type(expected), expected.tzinfo)


def test_shared_reader_formats_summaries_like_pelicans(tmp_path, converters):
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
    # One converter, in two states (with and without the metadata preprocessor), each
    # chosen once.
    [converter] = converters
    assert len(converter.preprocessors["triggers"].known) <= 2


def test_builds_read_markdown_with_the_shared_reader():
    """The plugin is in effect in a real build: the reader Pelican uses is the shared one."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    Pelican(settings)  # loads and registers the plugins
    readers = Readers(settings)
    assert type(readers.readers["md"]) is SharedMarkdownReader


SPEED_PLUGINS = ("shared_markdown", "frozen_urls")


LINK_FORMS = """
## Links of every form

See [the story]({filename}shared-story.md), [about]({filename}../pages/about.md#our-work),
[about again]({filename}./../pages/../pages/about.md?ref=1&amp;b=2),
[from the root]({filename}/en/pages/about.md) and [the photo]({static}../../images/photo.jpg).

![The photo]({static}../../images/photo.jpg)
"""


def _content_with_every_link_form(folder: Path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, folder)
    append(folder / "en" / "articles" / "english-only.md", LINK_FORMS)
    append(folder / "en" / "pages" / "about.md", "\n## Our work\n\nWe write.\n")
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
    assert_same_tree(fast, plain)
