"""Rewrite the links of each article and page from the content root, once, when it is read.

Pelican resolves a link relative to its source ("{filename}other.md") by working out the
source's folder and the target's path inside the content folder again for every link,
each time the body is rendered: a third of the time an article's page takes. A link
written from the content root ("{filename}/en/articles/other.md", as Pelican documents
it) is looked up directly. So each relative link is rewritten that way when its article
or page is made, normalized as Pelican normalizes it: Pelican still resolves every link
(and reports the missing ones), and writes the same HTML.

Paths with "%" or "&" are left as written: Pelican also tries them unquoted and unescaped,
which gives the same result only for relative paths.
"""

import logging
import posixpath
from functools import partial
from urllib.parse import urlparse, urlunparse

from pelican import signals
from pelican.contents import Article, Page

logger = logging.getLogger(__name__)

ROOTED_KINDS = ("filename", "static", "attach")  # the indicators Pelican resolves by path


def root_links(instance):
    """Rewrite an article's or page's relative {filename}/{static}/{attach} links."""
    if not isinstance(instance, (Article, Page)) or not instance._content:
        return
    # Pelican's own pattern, so exactly the links Pelican will resolve are rewritten.
    pattern = instance._get_intrasite_link_regex()
    instance._content = pattern.sub(
        partial(_rooted_match, instance.relative_dir), instance._content
    )


def _rooted_match(folder: str, match) -> str:
    value = match["value"]
    if match["what"] not in ROOTED_KINDS or (new := rooted(folder, value)) == value:
        return match[0]
    indicator = match["path"][: len(match["path"]) - len(value)]
    return f"{match['markup']}{match['quote']}{indicator}{new}{match['quote']}"


def rooted(folder: str, value: str) -> str:
    """A link's target as a path from the content root, given its source's `folder`."""
    parts = urlparse(value)
    path = parts.path
    if (
        not path
        or path.startswith("/")
        or parts.scheme
        or parts.netloc
        or "%" in path
        or "&" in path
    ):
        return value
    return urlunparse(parts._replace(path="/" + posixpath.normpath(posixpath.join(folder, path))))


def release_read_cache(generator):
    """Let go of the HTML as read, which Pelican keeps for its cache file once that is written."""
    # Articles and pages now hold their rewritten HTML: the reader cache's copy, written to
    # disk just before this signal, would stay in memory beside it for the rest of the run
    # (6 MB per 1,000 articles, most of the build's peak memory above plain Pelican's).
    cache = getattr(generator.readers, "_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def register():
    """Rewrite the links of each article and page as it is made."""
    signals.content_object_init.connect(root_links)
    signals.article_generator_finalized.connect(release_read_cache)
    signals.page_generator_finalized.connect(release_read_cache)
