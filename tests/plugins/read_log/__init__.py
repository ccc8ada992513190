"""Test-only Pelican plugin: logs every content object a run creates to READ_LOG_PATH."""

from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page


def register():
    """Log each article and page as Pelican creates it (once per read of its source)."""
    signals.content_object_init.connect(log_read)


def log_read(instance):
    """Append the source's path to the log; O_APPEND keeps parallel runs' lines whole."""
    if isinstance(instance, (Article, Page)):
        with Path(instance.settings["READ_LOG_PATH"]).open("a", encoding="utf-8") as log:
            log.write(instance.source_path + "\n")
