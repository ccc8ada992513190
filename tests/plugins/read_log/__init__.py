"""Test-only Pelican plugin: logs what a run reads to READ_LOG_PATH.

A line "<source path>" for each content object a run creates (once per read of its source,
from the cache or not), and "parsed <source path>" for each source its Markdown reader
parses (not those the content cache served).
"""

from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page


def register():
    """Log each article and page as Pelican creates it, and each Markdown source parsed."""
    signals.content_object_init.connect(log_read)
    signals.readers_init.connect(log_parses)


def _log(settings: dict, line: str) -> None:
    """Append a line to the log; O_APPEND keeps parallel runs' lines whole."""
    with Path(settings["READ_LOG_PATH"]).open("a", encoding="utf-8") as log:
        log.write(line + "\n")


def log_read(instance):
    """Log the source of each article and page."""
    if isinstance(instance, (Article, Page)):
        _log(instance.settings, instance.source_path)


def log_parses(readers):
    """Wrap the Markdown reader in use (the plugins before this one chose it) to log parses."""
    for extension, reader_class in readers.reader_classes.items():
        if extension == "md":

            class Logged(reader_class):
                def read(self, source_path):
                    _log(self.settings, f"parsed {source_path}")
                    return super().read(source_path)

            readers.reader_classes[extension] = Logged
