"""What makes the build fast must not change what it writes (issue 7)."""

from pathlib import Path

from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from shared_markdown import SharedMarkdownReader

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


def test_builds_read_markdown_with_the_shared_reader():
    """The plugin is in effect in a real build: the reader Pelican uses is the shared one."""
    from pelican import Pelican
    from pelican.readers import Readers

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    Pelican(settings)  # loads and registers the plugins
    readers = Readers(settings)
    assert type(readers.readers["md"]) is SharedMarkdownReader
