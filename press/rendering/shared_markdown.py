"""Read Markdown faster, into the same HTML: one converter per reader, and fewer patterns.

Pelican's MarkdownReader builds a new `Markdown()` for every file, which loads and registers
every extension again before each document.
`Markdown.reset()` is Python-Markdown's documented way to convert many documents with one
instance (each extension clears its per-document state in it), so the HTML is the same.
The converter also tries only the block types and inline patterns each document could
contain (triggers.py).
tests/test_speed_plugins.py compares this reader with Pelican's on every content file.
"""

import logging

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

from press.core.clock import DATE
from press.rendering.triggers import MarkdownTriggers

logger = logging.getLogger(__name__)


class SharedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with its converter built once and reset for each file."""

    def read(self, source_path):
        """Parse the content and metadata of one Markdown file."""
        self._source_path = source_path
        if getattr(self, "_shared", None) is None:
            config = self.settings["MARKDOWN"]
            extensions = [*config.get("extensions", ()), MarkdownTriggers()]
            self._shared = Markdown(**{**config, "extensions": extensions})
        self._md = self._shared
        self._md.reset()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata

    def process_metadata(self, name, value):
        """Pelican's, with a Date or Modified header in ISO form read without dateutil."""
        # Pelican's parser (dateutil) reads these forms as ISO dates, the long way round; it
        # was most of the time Pelican took to read a header (press.core.clock reads them so).
        if name in ("date", "modified") and isinstance(value, str) and DATE.fullmatch(value):
            return SafeDatetime.fromisoformat(value)
        return super().process_metadata(name, value)

    def _parse_metadata(self, meta):
        """Pelican's, then the meta preprocessor put back: Pelican removes it for good."""
        preprocessors = self._md.preprocessors
        # Registry has no public way to read a priority back; _priority is its sorted list.
        priority = next(item.priority for item in preprocessors._priority if item.name == "meta")
        preprocessor = preprocessors["meta"]
        try:
            return super()._parse_metadata(meta)
        finally:
            if "meta" not in preprocessors:
                preprocessors.register(preprocessor, "meta", priority)


def use_shared_reader(readers):
    """Make every Markdown extension Pelican reads use SharedMarkdownReader."""
    # readers_init comes before Pelican makes the readers from their classes.
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = SharedMarkdownReader
