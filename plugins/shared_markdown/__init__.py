"""Markdown read faster into the same HTML: one converter per process, reset between files."""

from pelican import signals

from press.rendering import shared_markdown


def register():
    """Replace the Markdown reader of every Pelican run."""
    signals.readers_init.connect(shared_markdown.use_shared_reader)
