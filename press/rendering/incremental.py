"""In a language's Pelican run: write only the files the build planned, and note listing facts.

The build sets INCREMENTAL_SELECTION for a run that updates a finished output:
{"pages": [output files of changed articles and pages], "listing_facts": {key: fact},
"articles": [the articles to read, by content path] or None for all}.
A listing (home, tags, categories, archives...) is written again only when what it shows of
some article that is not in its header (summary, reading time) differs from the facts of
the previous build; the language's feeds, which carry bodies, always are.

An update that names its articles reads only those (the ARTICLE_PATHS of its run): the
planned pages' own and the feeds' (press.build.update). Links to the others are resolved
from the translation index (know_unread_articles). Should a listing need writing after all,
only every article will do: the run stops before writing anything (NeedsEveryArticle) and
the build runs that language again, reading them all.

This rests on what the theme shows: of an article other than the page's own, only its
header, summary and reading time. A template that shows more of other articles' bodies
must add it to listing_fact, or edits will leave pages that show it out of date.
"""

import hashlib
import json
import logging
from dataclasses import dataclass

from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

logger = logging.getLogger(__name__)

# What listings show of each article of this run, by translation key; set when the
# articles are ready, read by the writer and by the build (each run is its own process).
LISTING_FACTS: dict[str, str] = {}


def share_run_settings(instance):
    """Point the category, tags and authors of an article or page at this run's settings."""
    # Pelican's content cache keeps each source's metadata as it was read, and with it
    # the settings of the run that read it (translation index included): every update
    # added one more copy to the cache file, and every run read and wrote them all.
    # Pointed at the run's own settings, the file holds one.
    for value in instance.metadata.values():
        for wrapper in value if isinstance(value, list) else [value]:
            if isinstance(wrapper, URLWrapper) and wrapper.settings is not instance.settings:
                wrapper.settings = instance.settings


def listing_fact(article) -> str:
    """A short hash of what a listing shows of an article beyond its header."""
    shown = [str(getattr(article, "summary", "")), getattr(article, "reading_minutes", None)]
    return hashlib.sha256(json.dumps(shown).encode("utf-8")).hexdigest()[:16]


def note_listing_facts(generator):
    """Keep the listing fact of every published article of this run."""
    LISTING_FACTS.clear()
    for article in generator.articles:
        LISTING_FACTS[article.translation_key] = listing_fact(article)


def selective_writer(pelican):
    """The writer class for this run: SelectiveWriter when the build planned an update."""
    if pelican.settings.get("INCREMENTAL_SELECTION") is None:
        return None  # Pelican's own writer
    return SelectiveWriter


class NeedsEveryArticle(Exception):
    """An update that read some articles must write a listing, which shows them all."""


def partial_read(settings: dict) -> bool:
    """Whether this run reads only some of its language's articles (an update's)."""
    return (settings.get("INCREMENTAL_SELECTION") or {}).get("articles") is not None


@dataclass(frozen=True)
class UnreadArticle:
    """An article of this language that an update did not read: its URL is all {filename}
    links to it need."""

    url: str


def know_unread_articles(generator):
    """Give a partial read the URL of every written article and page of its language, by
    source, from the translation index; those it reads replace theirs with themselves."""
    if not partial_read(generator.settings):
        return
    run = generator.settings["I18N_RUN"]
    known = generator.context.setdefault("generated_content", {})
    for _key, versions in run.index:
        version = versions.get(run.lang)
        if version is not None and version.written and version.source not in known:
            known[version.source] = UnreadArticle(version.url)


class SelectiveWriter(Writer):
    """Pelican's writer, rendering and writing only the files the build's plan names."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        selection = settings["INCREMENTAL_SELECTION"]
        self.pages = frozenset(selection["pages"])
        run = settings["I18N_RUN"]
        # Every article's and page's own file: written only when planned.
        self.content_pages = frozenset(
            versions[run.lang].page
            for _key, versions in run.index
            if run.lang in versions and versions[run.lang].written
        )
        previous = selection["listing_facts"]
        if partial_read(settings):
            # The facts of the articles it read; the others' sources are unchanged.
            self.listings = any(previous.get(key) != fact for key, fact in LISTING_FACTS.items())
            if self.listings:
                raise NeedsEveryArticle  # before anything is written
        else:
            self.listings = previous != LISTING_FACTS
        logger.debug(
            "Writing %d pages%s", len(self.pages), " and the listings" if self.listings else ""
        )

    def wanted(self, name: str) -> bool:
        """Whether the output file `name` (inside the language's output) is to be written."""
        if name in self.pages:
            return True
        return name not in self.content_pages and self.listings

    def write_file(self, name, template, context, *args, **kwargs):
        """Render and write `name` if planned (a listing: its first page names it)."""
        if name and not self.wanted(name):
            return None
        return super().write_file(name, template, context, *args, **kwargs)

    # write_feed is Pelican's: feeds carry article bodies, so they are always written.
