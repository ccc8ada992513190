"""Markdown read faster into the same HTML: one converter per process, reset between files."""

from pelican import signals

from press.rendering import figures, shared_markdown


def register():
    """Replace the Markdown reader of every Pelican run; size the images of each article."""
    signals.readers_init.connect(shared_markdown.use_shared_reader)
    signals.content_object_init.connect(figures.add_image_sizes)
