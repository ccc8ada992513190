"""What an article offers to read on: previous and next, its series, related articles, and
a table of contents when it is long.

All of it comes from the translation index, never from Pelican's list of articles: an
update's run reads only some articles (press.rendering.incremental), and its pages must
show what a full build's do. What these boxes show of another article (title, date, tags,
series) is in its header, and a header change makes the next build a full one
(press.build.state), so no update leaves a box out of date.

Only published articles take part: a hidden one is listed nowhere, so it is nobody's
neighbour, and its own page shows none of this.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from press.core.clock import article_date
from press.translations.index import Version

logger = logging.getLogger(__name__)

# How many related articles an article offers at most.
RELATED = 3
# An article with at least this many sections (## headings) gets a table of contents.
CONTENTS_FROM = 4


@dataclass(frozen=True)
class Series:
    """The published parts of one series in one language, in reading order."""

    name: str
    parts: tuple[Version, ...]


@dataclass(frozen=True)
class ArticleEnd:
    """What the end of one article shows."""

    previous: Version | None  # the one published before it (older), as the site lists them
    next: Version | None  # the one published after it (newer)
    series: Series | None
    part: int  # its place in the series, from 1; 0 without one
    related: tuple[Version, ...]


@dataclass(frozen=True)
class _Sortable:
    """An article as ARTICLE_ORDER_BY sees it: Pelican's articles have these two."""

    date: datetime
    source_path: str


def _site_order(settings: dict, versions: list[Version]) -> list[Version]:
    """`versions` in the order the site lists articles (ARTICLE_ORDER_BY), newest first by
    date and file name when the setting is not a function of date and source."""
    content = Path(settings["PATH"]).absolute()
    dates = {v.source: article_date(v.date, settings["TIMEZONE"]) for v in versions}
    order_by = settings.get("ARTICLE_ORDER_BY")
    if callable(order_by):
        try:
            return sorted(
                versions,
                key=lambda v: (
                    order_by(_Sortable(dates[v.source], str(content / v.source))),
                    v.source,
                ),
            )
        except (AttributeError, TypeError, ValueError):
            logger.debug("ARTICLE_ORDER_BY needs more than date and source; newest first")
    return sorted(versions, key=lambda v: (-dates[v.source].timestamp(), v.source))


def _part_key(version: Version, rank: int) -> tuple:
    """A part's place in its series: its Series-Index, else its date (oldest first)."""
    index = version.series_index
    return (0, int(index), rank) if index.isdigit() else (1, 0, rank)


def _tag_key(tag: str) -> str:
    return " ".join(tag.split()).casefold()


def article_ends(settings: dict, index, lang: str) -> dict[str, ArticleEnd]:
    """What the end of each published article of `lang` shows, by translation key."""
    published = [
        version
        for _key, versions in index
        if (version := versions.get(lang)) and version.kind == "article" and version.published
    ]
    listed = _site_order(settings, published)
    # From the oldest: the listing's order read backwards, which keeps its ties.
    rank = {version.source: n for n, version in enumerate(reversed(listed))}
    newest = {version.source: n for n, version in enumerate(listed)}

    by_series: dict[str, list[Version]] = {}
    for version in published:
        if version.series:
            by_series.setdefault(version.series, []).append(version)
    series = {
        name: Series(name, tuple(sorted(parts, key=lambda v: _part_key(v, rank[v.source]))))
        for name, parts in by_series.items()
    }

    # Who has each tag: an article is compared only with those sharing one of its tags.
    tagged: dict[str, list[Version]] = {}
    for version in published:
        for tag in {_tag_key(tag) for tag in version.tags}:
            tagged.setdefault(tag, []).append(version)
    ends = {}
    for n, version in enumerate(listed):
        own = series.get(version.series)
        shared = Counter(
            other
            for tag in {_tag_key(tag) for tag in version.tags}
            for other in tagged[tag]
            if other is not version and not (own and other.series == version.series)
        )
        related = sorted(
            shared.items(),
            key=lambda pair: (-pair[1], newest[pair[0].source], pair[0].source),
        )
        ends[version.key] = ArticleEnd(
            previous=listed[n + 1] if n + 1 < len(listed) else None,
            next=listed[n - 1] if n > 0 else None,
            series=own,
            part=own.parts.index(version) + 1 if own else 0,
            related=tuple(other for other, _count in related[:RELATED]),
        )
    return ends


def install_article_end(generator):
    """Give the templates `article_end(article)`, worked out for the whole run at its first call."""
    settings = generator.settings
    run = settings.get("I18N_RUN")
    if run is None:
        return
    ends: list[dict[str, ArticleEnd]] = []

    def article_end(article) -> ArticleEnd | None:
        """What the end of `article` shows; None for an article that is not published."""
        if not ends:
            ends.append(article_ends(settings, run.index, run.lang))
        return ends[0].get(getattr(article, "translation_key", ""))

    generator.env.globals["article_end"] = article_end


@dataclass(frozen=True)
class Section:
    """One ## heading of an article: its id (Markdown's toc extension) and its text."""

    id: str
    text: str


class _Sections(HTMLParser):
    """The <h2 id> elements of an article's HTML, with their text (inner markup dropped)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Section] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._open = (dict(attrs).get("id") or "", [])

    def handle_endtag(self, tag):
        if tag == "h2" and self._open is not None:
            ident, text = self._open
            if ident:
                self.found.append(Section(ident, " ".join("".join(text).split())))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1].append(data)


def sections(html: str) -> list[Section]:
    """The sections of an article's HTML, when there are enough for a table of contents."""
    parser = _Sections()
    parser.feed(html)
    parser.close()
    return parser.found if len(parser.found) >= CONTENTS_FROM else []


def install_table_of_contents(generator):
    """Give the templates `table_of_contents(article)`: its sections, or none when short."""
    # From the HTML readers get, which the markup allowlist passed: the ids are the ones
    # its headings carry, and the text is escaped again by the template.
    generator.env.globals["table_of_contents"] = lambda article: sections(article.content)
