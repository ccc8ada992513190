"""Which article or page exists in which language, known before any language is built.

Each language's site is built by its own Pelican run from its own folder, so no run reads
another language's Markdown. The runs still need to know which translations exist (for
the switcher and hreflang): this index gets that from the metadata headers alone, which
is a small fraction of the cost of parsing and rendering the bodies.
"""

import os
import posixpath
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from markdown.util import ETX, STX

from press.core.clock import embargoed_until

# The metadata block of Python-Markdown's meta extension, which Pelican's reader uses: its
# own expressions, so every header is read here exactly as Pelican will read it.
META_LINE, META_MORE_LINE = META_RE, META_MORE_RE
# Python-Markdown's, which pelicanconf.py's MARKDOWN leaves as it is (a test holds it).
TAB_LENGTH = 4

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")


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
    # Its page is written: published, or hidden (Status: hidden, or the translation of a
    # hidden source), which is reachable by its URL but listed nowhere.
    written: bool = False
    # When an article dated after the build's moment (or the translation of one) may be
    # published: an ISO date-time, empty when it is not embargoed.
    embargo: str = ""

    @property
    def hidden(self) -> bool:
        """Written but listed nowhere: no listing, feed, sitemap or menu names it."""
        return self.written and not self.published

    @property
    def page(self) -> str:
        """The output file of this version, relative to its language's folder."""
        return self.url if self.url.endswith(".html") else f"{self.url}index.html"


@dataclass(frozen=True)
class Field:
    """One metadata key of a Markdown file's header, with the lines that continue it."""

    key: str  # lower-cased, as Pelican sees it
    value: str  # continuation lines joined to it by spaces
    line: int  # 1-based line number in the file
    # The value of its own line and of each continuation line, as the meta extension lists them.
    parts: tuple[str, ...] = ()
    continued_on: tuple[int, ...] = ()  # the line numbers of its continuation lines


def normalise_line(line: str, tab_length: int = TAB_LENGTH) -> str:
    """A line as Python-Markdown's meta extension sees it (after NormalizeWhitespace)."""
    # Tabs become spaces before the meta extension runs: a tab-indented line continues the
    # key above it, where a reader of the raw text sees a key of its own.
    return line.rstrip("\r\n").replace(STX, "").replace(ETX, "").expandtabs(tab_length)


def parse_header(lines, tab_length: int = TAB_LENGTH) -> tuple[list[Field], int]:
    """Parse a metadata header as the meta extension does; return its fields and body's line.

    `lines`: the file's lines as Pelican reads them (UTF-8 without BOM, any line ends).
    """
    fields: list[Field] = []
    number = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if "\t" in line or STX in line or ETX in line:  # most lines have none: no copies
            line = normalise_line(line, tab_length)
        if number == 1 and BEGIN_RE.match(line):
            continue
        if not line.strip() or END_RE.match(line):
            return fields, number + 1
        if match := META_RE.match(line):
            value = match["value"].strip()
            fields.append(Field(match["key"].lower().strip(), value, number, (value,)))
        elif fields and (match := META_MORE_RE.match(line)):
            last, more = fields[-1], match["value"].strip()
            fields[-1] = Field(
                last.key,
                f"{last.value} {more}",
                last.line,
                (*last.parts, more),
                (*last.continued_on, number),
            )
        else:
            # The meta extension stops at the first line that is not metadata: body starts here.
            return fields, number
    return fields, number + 1


def read_header(path: Path) -> dict[str, str]:
    """Return a Markdown file's metadata header as a dict, keys lower-cased."""
    with path.open(encoding="utf-8-sig") as lines:
        fields, _ = parse_header(lines)
    header = {}
    for field in fields:
        # The first, as Pelican takes it (content_checks refuses a key given twice).
        header.setdefault(field.key, field.value)
    return header


def url_for(settings: dict, kind: str, slug: str, lang: str) -> str:
    """Return the URL Pelican will give this content, relative to the language root."""
    pattern = settings["ARTICLE_URL" if kind == "article" else "PAGE_URL"]
    return pattern.format(slug=slug, lang=lang)


# The header fields the index is made of: what a later scan may take from the last one.
INDEX_FIELDS = (
    "status", "title", "date", "translation-of", "review", "source-hash", "source-paragraphs",
)  # fmt: skip
# How far each status lets a version be seen: a translation is seen no further than its source.
VISIBILITY = {"draft": 0, "hidden": 1, "published": 2}


class TranslationIndex:
    """Every version of every article and page, by translation key and language."""

    def __init__(self, versions, headers=None):
        # Source path -> the INDEX_FIELDS of its header, for scan(known=...) next time.
        self.headers: dict[str, dict[str, str]] = headers or {}
        self._by_key: dict[str, dict[str, Version]] = {}
        for version in versions:
            self._by_key.setdefault(version.key, {})[version.lang] = version

    def __getstate__(self):
        # The headers stay with the build that saves them: the language processes, and
        # Pelican's content cache (which keeps the settings, and this index in them), get
        # the versions only.
        return {**self.__dict__, "headers": {}}

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


def markdown_files(root: Path, folder: str) -> list[str]:
    """The Markdown files under root/folder, as POSIX paths inside root, in path order.

    Path order compares part by part ("a/b.md" before "a-c.md"), as sorted Path objects do;
    strings and os.walk, because a thousand Path objects took most of a scan's time.
    """
    found = []
    for directory, _, names in os.walk(root / folder):
        inside = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if inside == "." else f"{inside}/"
        found += (
            f"{prefix}{name}"
            for name in names
            if name.endswith(MARKDOWN_EXTENSIONS) and not name.startswith(".")
        )
    return sorted(found, key=lambda path: path.split("/"))


def scan(
    content_path: Path,
    language_settings: dict[str, dict],
    publish_states=("approved",),
    known: dict[str, dict[str, str]] | None = None,
    now: datetime | None = None,
) -> TranslationIndex:
    """Read the headers of every article and page in every language folder.

    `known`: the index fields of sources whose headers are unchanged since the last scan
    (by source path), which are not read again. `now`: the build's moment, at which
    articles dated later are embargoed (press.core.clock); None publishes them at once.

    What Pelican writes, decided here first: a published or hidden article or page is
    written, unless it is an article dated after `now`. A translation is written when its
    review state is one of `publish_states` and its source is written too, and it is seen
    no further than its source: hidden when either is hidden. It is stale when the
    source's fingerprint differs from the one recorded at its last sync (which reads the
    sources of translations in full, but only hashes them: nothing is parsed as Markdown).
    """
    # Imported here: translation_review.records reads headers with this module's parser.
    from press.translations.records import Fingerprint

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
                        "status": header.get("status", "published").lower(),
                        "title": header.get("title", ""),
                        "source": f"{lang}/{relative}",
                        "translation_of": header.get("translation-of", "").strip(),
                        "review": header.get("review", "draft").lower(),
                    }
                    embargo = None
                    if kind == "article" and fields["status"] != "draft":
                        embargo = embargoed_until(header.get("date", ""), settings["TIMEZONE"], now)
                    found.append((fields, header, embargo))
    own = {
        fields["source"]: (_visibility(fields, embargo), embargo) for fields, _, embargo in found
    }
    versions = []
    for fields, header, _ in found:
        visibility, embargo = own[fields["source"]]
        stale = False
        if fields["translation_of"]:
            original = own.get(fields["translation_of"])
            if original is None or fields["review"] not in publish_states:
                visibility = 0
            else:
                visibility = min(visibility, original[0])
                # Embargoed with its source, until the later of the two dates.
                embargo = max(filter(None, (embargo, original[1])), default=None)
            recorded = Fingerprint.recorded(header)
            if original is not None and recorded is not None:
                current = Fingerprint.of_file(content_path / fields["translation_of"])
                stale = current.digest != recorded.digest
        versions.append(
            Version(
                **fields,
                published=visibility == VISIBILITY["published"],
                stale=stale,
                written=visibility > 0,
                embargo=embargo.isoformat() if embargo else "",
            )
        )
    return TranslationIndex(versions, {fields["source"]: header for fields, header, _ in found})


def _visibility(fields: dict, embargo: datetime | None) -> int:
    """How far a version is seen by its own header (VISIBILITY): 0 while embargoed."""
    return 0 if embargo is not None else VISIBILITY.get(fields["status"], 0)
