"""Each article's and page's URL computed once, when reading is over."""

from pelican import signals

from press.rendering import frozen_urls


def register():
    """Keep URLs once each generator has read its content."""
    signals.article_generator_finalized.connect(frozen_urls.freeze_article_urls)
    signals.page_generator_finalized.connect(frozen_urls.freeze_page_urls)
