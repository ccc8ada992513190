"""One site per language from parallel content folders, with Babel catalogs and dates."""

from pelican import signals

from press.rendering import keep_reading, multilingual


def register():
    """Connect the receivers: per generator for the templates, per content object for keys."""
    # generator_init fires once per generator, each of which owns its Jinja environment.
    signals.generator_init.connect(multilingual.install_interface)
    # Into the environment install_interface made (receivers run in the order connected).
    signals.generator_init.connect(keep_reading.install_article_end)
    signals.generator_init.connect(keep_reading.install_table_of_contents)
    # content_object_init fires after Pelican set slug and lang, so both can be checked here.
    signals.content_object_init.connect(multilingual.attach_versions)
    # After attach_versions (receivers run in the order connected): links need the original.
    signals.content_object_init.connect(multilingual.link_other_languages)
    # Every generator shares the run's context: other languages' URLs are in it from the
    # start, before any page's links are written.
    signals.generator_init.connect(multilingual.know_other_languages)
    # Feeds are finished after Pelican fills them and before they are written.
    signals.feed_generated.connect(multilingual.finish_feed)
    # Shared static files are published once by the build, not once per language.
    signals.static_generator_finalized.connect(multilingual.leave_static_files_to_the_build)
    signals.content_written.connect(multilingual.forget_rendered_content)
