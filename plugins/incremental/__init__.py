"""In an update, write only the planned pages; in every run, note what listings show."""

from pelican import signals

from press.rendering import incremental


def register():
    """Note listing facts in every run; swap in the selective writer when the build asks."""
    signals.generator_init.connect(incremental.know_unread_articles)
    signals.content_object_init.connect(incremental.share_run_settings)
    signals.article_generator_finalized.connect(incremental.note_listing_facts)
    signals.get_writer.connect(incremental.selective_writer)
