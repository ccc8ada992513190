"""Estimated reading time of each article, counted the way its language is read."""

from pelican import signals

from press.rendering import reading_time


def register():
    """Estimate each article's reading time once Pelican has read it."""
    signals.initialized.connect(reading_time.load_memo)
    signals.content_object_init.connect(reading_time.add_reading_time)
    signals.finalized.connect(reading_time.save_memo)
