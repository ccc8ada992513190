"""Which article or page exists in which language, known before any language is built.

Each language's site is built by its own Pelican run from its own folder, so no run reads
another language's Markdown. The runs still need to know which translations exist (for
the switcher and hreflang): this index gets that from the metadata headers alone, which
is a small fraction of the cost of parsing and rendering the bodies.
"""

import posixpath
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from pelican.readers import ensure_metadata_list

from press.core.clock import article_date, embargoed_until
from press.core.sources import (
    APPROVED_TEXT,
    Fingerprint,
    approved_by_translator,
    approved_text,
    language_key,
    markdown_files,
    read_header,
    review_of,
    source_changed,
    status_of,
)


@dataclass(frozen=True)
class Version:
    """One language's version of an article or page."""

    lang: str
    kind: str  # "article" or "page"
    key: str  # path inside the language folder without extension: the translation key
    url: str  # relative to that language's site root, e.g. "articles/slug/"
    status: str
    title: str
    source: str  # path inside the content folder, e.g. "en/articles/slug.md"
    translation_of: str = ""  # the source's path inside the content folder, for translations
    review: str = ""  # draft, review or approved (translations)
    published: bool = False  # readers see it: published, and for a translation also approved
    stale: bool = False  # a translation whose source changed since its last sync
    # An approved translation whose text changed since the approval (Approved-Text): back in
    # review, and unpublished until a reviewer approves it again.
    edited: bool = False
    # Approved with its own Translator as its Reviewer (by hand): in review, unpublished.
    self_approved: bool = False
    # Its page is written: published, or hidden (Status: hidden, or the translation of a
    # hidden source), which is reachable by its URL but listed nowhere.
    written: bool = False
    # When an article dated after the build's moment (or the translation of one) may be
    # published: an ISO date-time, empty when it is not embargoed.
    embargo: str = ""
    # What pages show of the others, from the header, so that a run that reads only some
    # articles shows what a full build does: the end of an article (the Date as written,
    # the tags, the series and the part's place in it: press.rendering.keep_reading), and
    # the switcher of a tag or category page, which pairs them across languages through
    # the translations that carry them (press.rendering.multilingual).
    date: str = ""
    tags: tuple[str, ...] = ()
    category: str = ""
    series: str = ""
    series_index: str = ""

    @property
    def hidden(self) -> bool:
        """Written but listed nowhere: no listing, feed, sitemap or menu names it."""
        return self.written and not self.published

    @property
    def page(self) -> str:
        """The output file of this version, relative to its language's folder."""
        return self.url if self.url.endswith(".html") else f"{self.url}index.html"


def url_for(settings: dict, kind: str, slug: str, lang: str) -> str:
    """Return the URL Pelican will give this content, relative to the language root."""
    pattern = settings["ARTICLE_URL" if kind == "article" else "PAGE_URL"]
    return pattern.format(slug=slug, lang=lang)


# The header fields the index is made of: what a later scan may take from the last one.
INDEX_FIELDS = (
    "status", "title", "date", "translation-of", "review", "source-hash", "source-paragraphs",
    "approved-hash", "approved-paragraphs", "approved-text", "translation-hash", "tags",
    "category", "series", "series-index", "translator", "reviewer",
)  # fmt: skip
# How far each status lets a version be seen: a translation is seen no further than its source.
VISIBILITY = {"draft": 0, "hidden": 1, "published": 2}


class TranslationIndex:
    """Every version of every article and page, by translation key and language."""

    def __init__(self, versions, headers=None, fingerprints=None):
        # Source path -> the INDEX_FIELDS of its header, for scan(known=...) next time.
        self.headers: dict[str, dict[str, str]] = headers or {}
        # Source path -> the Fingerprint of each source staleness was judged by, for
        # scan(fingerprints=...) next time.
        self.fingerprints: dict[str, Fingerprint] = fingerprints or {}
        self._by_key: dict[str, dict[str, Version]] = {}
        for version in versions:
            self._by_key.setdefault(version.key, {})[version.lang] = version

    def __getstate__(self):
        # The headers stay with the build that saves them: the language processes, and
        # Pelican's content cache (which keeps the settings, and this index in them), get
        # the versions only.
        return {**self.__dict__, "headers": {}, "fingerprints": {}}

    def __iter__(self):
        return iter(self._by_key.items())

    def __len__(self):
        return len(self._by_key)

    def versions(self, key: str) -> dict[str, Version]:
        """Return every language's version of `key`, published or not."""
        return self._by_key.get(key, {})

    def published(self, key: str) -> dict[str, Version]:
        """Return the versions of `key` that readers can see."""
        return {lang: v for lang, v in self.versions(key).items() if v.published}

    def written(self, key: str) -> dict[str, Version]:
        """Return the versions of `key` whose pages are written, hidden ones included."""
        return {lang: v for lang, v in self.versions(key).items() if v.written}

    def written_counts(self, lang: str) -> Counter:
        """How many pages `lang`'s site gets, by kind: "article", "page", and "hidden" for
        those of either kind written but listed nowhere."""
        counts = Counter()
        for _key, versions in self:
            version = versions.get(lang)
            if version is not None and version.written:
                counts["hidden" if version.hidden else version.kind] += 1
        return counts

    def link_version(self, lang: str, target: str, preferred=()) -> Version | None:
        """The version a {filename} link on a `lang` page to `target` (a path inside the
        content folder, core.sources.linked_source) leads readers to; None when no version
        of it is written, or it is no article or page.

        A link to the page's own language leads to that language's version when it is
        written, else to the first written version of the languages `preferred` (the
        source's language first): a translation keeps its source's links, and where its
        language lacks the target yet, they lead to the target's page in another. A link
        to another language's version leads there.
        """
        target_lang, key = language_key(target)
        versions = self.versions(key)
        if target_lang != lang:
            version = versions.get(target_lang)
            return version if version is not None and version.written else None
        for code in (lang, *preferred):
            version = versions.get(code)
            if version is not None and version.written:
                return version
        return None

    def has_version(self, lang_key: str) -> bool:
        """Whether a file exists for "lang/key", written or not."""
        lang, _, key = lang_key.partition("/")
        return lang in self.versions(key)

    def untranslated(self, languages) -> list[str]:
        """The translations readers lack, as "lang/key": of every original that is written,
        in each of `languages` where its translation is missing or not written."""
        lacking = []
        for key, versions in self:
            if not any(not v.translation_of and v.written for v in versions.values()):
                continue
            for lang in languages:
                version = versions.get(lang)
                if version is None or (version.translation_of and not version.written):
                    lacking.append(f"{lang}/{key}")
        return sorted(lacking)


def scan(
    content_path: Path,
    language_settings: dict[str, dict],
    publish_states=("approved",),
    known: dict[str, dict[str, str]] | None = None,
    now: datetime | None = None,
    fingerprints: dict[str, Fingerprint] | None = None,
) -> TranslationIndex:
    """Read the headers of every article and page in every language folder.

    `known`: the index fields of sources whose headers are unchanged since the last scan
    (by source path), which are not read again. `now`: the build's moment, at which
    articles dated later are embargoed (press.core.clock); None publishes them at once.
    `fingerprints`: the Fingerprints of sources whose text is unchanged since the last scan
    (by source path), which are not computed again.

    What Pelican writes, decided here first: a published or hidden article or page is
    written, unless it is an article dated after `now`. A translation is written when its
    review state is one of `publish_states` and its source is written too, and it is seen
    no further than its source: hidden when either is hidden. An approved translation that
    was never synced counts as in review (`effective_review`): no one can say which version
    of the source its approval covered. It is stale when the
    source's fingerprint differs from the one recorded at its last sync (which reads the
    sources of translations in full, but only hashes them: nothing is parsed as Markdown).
    """
    found = []
    for lang, settings in language_settings.items():
        root = content_path / lang
        for kind, folders in (
            ("article", settings["ARTICLE_PATHS"]),
            ("page", settings["PAGE_PATHS"]),
        ):
            for folder in folders:
                for relative in markdown_files(root, folder):
                    key = posixpath.splitext(relative)[0]
                    header = (known or {}).get(f"{lang}/{relative}")
                    if header is None:
                        full = read_header(root / relative)
                        header = {name: full[name] for name in INDEX_FIELDS if name in full}
                    fields = {
                        "lang": lang,
                        "kind": kind,
                        "key": key,
                        "url": url_for(settings, kind, posixpath.basename(key), lang),
                        "status": status_of(header),
                        "title": header.get("title", ""),
                        "source": f"{lang}/{relative}",
                        "translation_of": header.get("translation-of", "").strip(),
                        "review": review_of(header),
                        "date": header.get("date", "").strip(),
                        "tags": tags_of(header),
                        "category": header.get("category", "").strip(),
                        "series": header.get("series", "").strip(),
                        "series_index": header.get("series-index", "").strip(),
                    }
                    embargo = None
                    if kind == "article" and fields["status"] != "draft":
                        embargo = embargoed_until(header.get("date", ""), settings["TIMEZONE"], now)
                    found.append((fields, header, embargo))
    own = {
        fields["source"]: (_visibility(fields, embargo), embargo) for fields, _, embargo in found
    }
    versions = []
    known_prints, used = fingerprints or {}, {}

    def fingerprint(source: str) -> Fingerprint:
        # Once per source, however many languages translate it; none for an unchanged one.
        if source not in used:
            found = known_prints.get(source)
            used[source] = found or Fingerprint.of_file(content_path / source)
        return used[source]

    for fields, header, _ in found:
        visibility, embargo = own[fields["source"]]
        stale = edited = self_approved = False
        if fields["translation_of"]:
            original = own.get(fields["translation_of"])
            recorded = Fingerprint.recorded(header)
            review = effective_review(fields["review"], recorded)
            self_approved = review == "approved" and approved_by_translator(header)
            edited = review == "approved" and edited_since_approval(
                header, partial(fingerprint, fields["source"])
            )
            if edited or self_approved:
                review = "review"
            elif review == "review" and (
                standing := standing_approval(header, partial(fingerprint, fields["source"]))
            ):
                # Back in review after its source changed, its text still the approved one:
                # readers keep it, with the notice that its source changed since.
                review, recorded = "approved", standing
            if original is None or review not in publish_states:
                visibility = 0
            else:
                visibility = min(visibility, original[0])
                # Embargoed with its source, until the later of the two dates.
                embargo = max(filter(None, (embargo, original[1])), default=None)
            if original is not None and recorded is not None:
                stale = source_changed(recorded, fingerprint(fields["translation_of"]))
        versions.append(
            Version(
                **fields,
                published=visibility == VISIBILITY["published"],
                stale=stale,
                edited=edited,
                self_approved=self_approved,
                written=visibility > 0,
                embargo=embargo.isoformat() if embargo else "",
            )
        )
    headers = {fields["source"]: header for fields, header, _ in found}
    return TranslationIndex(versions, headers, used)


def tags_of(header: dict) -> tuple[str, ...]:
    """The Tags of a header, split as Pelican splits them (";" when there is one, else ",")."""
    return tuple(tag for tag in ensure_metadata_list(header.get("tags", "")) if tag)


@dataclass(frozen=True)
class _Sortable:
    """An article as ARTICLE_ORDER_BY sees it: Pelican's articles have these two."""

    date: datetime
    source_path: str


def site_order(settings: dict, versions) -> list[Version] | None:
    """`versions` (articles) in the order the site lists them, by its ARTICLE_ORDER_BY applied
    to what Pelican's articles would answer it with, their date and source path; None when
    the setting is not such a function (only Pelican can sort then), or a date is missing."""
    order_by = settings.get("ARTICLE_ORDER_BY")
    if not callable(order_by):
        return None
    content = Path(settings["PATH"]).absolute()
    timezone = settings["TIMEZONE"]
    try:
        keyed = [
            (order_by(_Sortable(article_date(v.date, timezone), str(content / v.source))), v)
            for v in versions
        ]
        keyed.sort(key=lambda item: (item[0], item[1].source))
    except (AttributeError, TypeError, ValueError):
        return None  # a date Pelican would fill in itself, or a sort on more than these
    return [version for _key, version in keyed]


def standing_approval(header: dict, text: Callable[[], Fingerprint]) -> Fingerprint | None:
    """The source version a translation back in review still stands approved for: its
    Approved-Hash, while its text (`text()`, its fingerprint) is the one that approval
    covered (Approved-Text)."""
    approval = Fingerprint.recorded(header, approved=True)
    if approval is None or not header.get(APPROVED_TEXT.lower(), "").strip():
        return None
    return None if edited_since_approval(header, text) else approval


def edited_since_approval(header: dict, text: Callable[[], Fingerprint]) -> bool:
    """Whether an approved translation's text (`text()`, its fingerprint) is no longer the one
    its approval covered: Approved-Text, or without it (an approval by hand, a line lost in a
    merge) the text its last sync recorded (Translation-Hash); with neither, none can tell."""
    approved = approved_text(header)
    return bool(approved) and text().digest != approved


def effective_review(review: str, recorded: Fingerprint | None) -> str:
    """The review state that decides publication: an approval counts only for a translation
    synced to a source version (Source-Hash); one never synced is still in review."""
    return "review" if review == "approved" and recorded is None else review


def _visibility(fields: dict, embargo: datetime | None) -> int:
    """How far a version is seen by its own header (VISIBILITY): 0 while embargoed."""
    return 0 if embargo is not None else VISIBILITY.get(fields["status"], 0)


def index_of(
    settings: dict, known=None, now: datetime | None = None, fingerprints=None
) -> TranslationIndex:
    """The translation index of the content `settings` name (scan), at the moment `now`."""
    languages = settings["I18N_LANGUAGES"]
    return scan(
        Path(settings["PATH"]),
        {lang: {**settings, **languages[lang]} for lang in languages},
        settings["I18N_PUBLISH_REVIEW_STATES"],
        known,
        now,
        fingerprints,
    )
