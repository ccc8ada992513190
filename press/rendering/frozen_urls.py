"""Compute each article's and page's URL once, when Pelican has read them all.

Pelican works `url` out from the settings and the metadata every time something asks: the
article's own page, every listing, feed and tag page it appears on, and every {filename}
link to it: many times per article, each time the same answer. Nothing it depends on
changes once the generators are finalized (multilingual's draft status is set on reading),
so the first answer is kept in `override_url`, which Pelican reads before computing one
(it is where a `URL:` metadata line goes; press.checks.markdown refuses those in
sources). The file a page is written to (`save_as`) is left alone: Pelican's check that no
two pages are written to one file relies on its being computed.
"""

import logging

logger = logging.getLogger(__name__)

ARTICLE_LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations", "drafts",
    "drafts_translations",
)  # fmt: skip
PAGE_LISTS = (
    "pages", "translations", "hidden_pages", "hidden_translations", "draft_pages",
    "draft_translations",
)  # fmt: skip


def freeze_article_urls(generator):
    """Keep the URL of every article the generator read."""
    _freeze(generator, ARTICLE_LISTS)


def freeze_page_urls(generator):
    """Keep the URL of every page the generator read."""
    _freeze(generator, PAGE_LISTS)


def _freeze(generator, lists):
    for name in lists:
        for content in getattr(generator, name, ()):
            if not hasattr(content, "override_url"):
                content.override_url = content.url
