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

import heapq
import logging
from dataclasses import dataclass

from press.core.clock import article_date
from press.safety.markup import parse
from press.translations.index import Version, site_order

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


def _site_order(settings: dict, versions: list[Version]) -> list[Version]:
    """`versions` in the order the site lists articles (translations.index.site_order), newest
    first by date and file name when ARTICLE_ORDER_BY is not a function of date and source."""
    ordered = site_order(settings, versions)
    if ordered is not None:
        return ordered
    logger.debug("ARTICLE_ORDER_BY needs more than date and source; newest first")
    dates = {v.source: article_date(v.date, settings["TIMEZONE"]) for v in versions}
    return sorted(versions, key=lambda v: (-dates[v.source].timestamp(), v.source))


def _part_key(version: Version, rank: int) -> tuple:
    """A part's place in its series: its Series-Index, else its date (oldest first)."""
    index = version.series_index
    return (0, int(index), rank) if index.isdigit() else (1, 0, rank)


def _tag_key(tag: str) -> str:
    return " ".join(tag.split()).casefold()


class ArticleEnds:
    """What the end of each published article of one language shows, worked out for each
    article when its page asks (an update writes a few pages of a thousand)."""

    def __init__(self, settings: dict, index, lang: str):
        published = [
            version
            for _key, versions in index
            if (version := versions.get(lang)) and version.kind == "article" and version.published
        ]
        # Articles are known by their place in the listing, newest first: small numbers
        # count and compare faster than the versions themselves.
        self.listed = _site_order(settings, published)
        self.place = {version.key: n for n, version in enumerate(self.listed)}
        # From the oldest: the listing's order read backwards, which keeps its ties.
        rank = {version.source: n for n, version in enumerate(reversed(self.listed))}
        by_series: dict[str, list[Version]] = {}
        for version in published:
            if version.series:
                by_series.setdefault(version.series, []).append(version)
        self.series = {
            name: Series(name, tuple(sorted(parts, key=lambda v: _part_key(v, rank[v.source]))))
            for name, parts in by_series.items()
        }
        # Who has each tag: an article is compared only with those sharing one of its tags.
        self.tags = [{_tag_key(tag) for tag in version.tags} for version in self.listed]
        self.tagged: dict[str, list[int]] = {}
        for n, tags in enumerate(self.tags):
            for tag in tags:
                self.tagged.setdefault(tag, []).append(n)
        self._ends: dict[str, ArticleEnd] = {}
        self._ranked: dict[tuple, list[int]] = {}

    def of(self, key: str) -> ArticleEnd | None:
        """What the end of the article `key` shows; None for one that is not published."""
        if key in self._ends or key not in self.place:
            return self._ends.get(key)
        n = self.place[key]
        version = self.listed[n]
        own = self.series.get(version.series)
        # Articles with the same tags (outside a series, or in the same one) have the same
        # related articles but themselves: ranked once for all of them.
        shape = (frozenset(self.tags[n]), version.series if own else None)
        if (ranked := self._ranked.get(shape)) is None:
            shared: dict[int, int] = {}
            for tag in shape[0]:
                for other in self.tagged[tag]:
                    if not (own and self.listed[other].series == version.series):
                        shared[other] = shared.get(other, 0) + 1
            # Most shared tags first, then the newest (the listing's place); one more than
            # shown, as the article itself may be among them.
            ranked = heapq.nsmallest(RELATED + 1, shared, key=lambda o: (-shared[o], o))
            self._ranked[shape] = ranked
        related = [other for other in ranked if other != n][:RELATED]
        self._ends[key] = end = ArticleEnd(
            previous=self.listed[n + 1] if n + 1 < len(self.listed) else None,
            next=self.listed[n - 1] if n > 0 else None,
            series=own,
            part=own.parts.index(version) + 1 if own else 0,
            related=tuple(self.listed[other] for other in related),
        )
        return end


def install_article_end(generator):
    """Give the templates `article_end(article)`, the run's ArticleEnds made at its first call."""
    settings = generator.settings
    run = settings.get("I18N_RUN")
    if run is None:
        return
    ends: list[ArticleEnds] = []

    def article_end(article) -> ArticleEnd | None:
        """What the end of `article` shows; None for an article that is not published."""
        if not ends:
            ends.append(ArticleEnds(settings, run.index, run.lang))
        return ends[0].of(getattr(article, "translation_key", ""))

    generator.env.globals["article_end"] = article_end


@dataclass(frozen=True)
class Section:
    """One ## heading of an article: its id (Markdown's toc extension) and its text."""

    id: str
    text: str


def sections(html: str) -> list[Section]:
    """The sections of an article's HTML, when there are enough for a table of contents: its
    <h2 id> elements, with their text (inner markup dropped)."""
    if html.count("<h2") < CONTENTS_FROM:
        return []  # too few to list, whatever they hold: no parse
    found = []
    for heading in parse(f"<!DOCTYPE html><body>{html}").css("h2"):
        if ident := heading.attributes.get("id"):
            found.append(Section(ident, " ".join(heading.text(deep=True).split())))
    return found if len(found) >= CONTENTS_FROM else []


def install_table_of_contents(generator):
    """Give the templates `table_of_contents(article)`: its sections, or none when short."""
    # From the HTML readers get, which the markup allowlist passed: the ids are the ones
    # its headings carry, and the text is escaped again by the template.
    generator.env.globals["table_of_contents"] = lambda article: sections(article.content)
