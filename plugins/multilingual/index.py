"""Which article or page exists in which language, known before any language is built.

Each language's site is built by its own Pelican run from its own folder, so no run reads
another language's Markdown. The runs still need to know which translations exist (for
the switcher and hreflang): this index gets that from the metadata headers alone, which
is a small fraction of the cost of parsing and rendering the bodies.
"""

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

# The metadata block of Python-Markdown's meta extension, which Pelican's reader uses.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_LINE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_BEGIN = re.compile(r"^-{3}(\s.*)?$")
_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")

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

    @property
    def page(self) -> str:
        """The output file of this version, relative to its language's folder."""
        return self.url if self.url.endswith(".html") else f"{self.url}index.html"


@dataclass(frozen=True)
class Field:
    """One metadata line of a Markdown file's header."""

    key: str  # lower-cased, as Pelican sees it
    value: str
    line: int  # 1-based line number in the file


def parse_header(lines) -> tuple[list[Field], int]:
    """Parse a metadata header as the meta extension does; return its fields and body's line."""
    fields: list[Field] = []
    number = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if number == 1 and _BEGIN.match(line):
            continue
        if not line.strip() or _END.match(line):
            return fields, number + 1
        if match := META_LINE.match(line):
            fields.append(Field(match["key"].lower(), match["value"].strip(), number))
        elif fields and (match := META_MORE_LINE.match(line)):
            last = fields[-1]
            fields[-1] = Field(last.key, f"{last.value} {match['value'].strip()}", last.line)
        else:
            # The meta extension stops at the first line that is not metadata: body starts here.
            return fields, number
    return fields, number + 1


def read_header(path: Path) -> dict[str, str]:
    """Return a Markdown file's metadata header as a dict, keys lower-cased."""
    with path.open(encoding="utf-8-sig") as lines:
        fields, _ = parse_header(lines)
    return {field.key: field.value for field in fields}


def url_for(settings: dict, kind: str, slug: str, lang: str) -> str:
    """Return the URL Pelican will give this content, relative to the language root."""
    pattern = settings["ARTICLE_URL" if kind == "article" else "PAGE_URL"]
    return pattern.format(slug=slug, lang=lang)


# The header fields the index is made of: what a later scan may take from the last one.
INDEX_FIELDS = ("status", "title", "translation-of", "review", "source-hash", "source-paragraphs")


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
) -> TranslationIndex:
    """Read the headers of every article and page in every language folder.

    `known`: the index fields of sources whose headers are unchanged since the last scan
    (by source path), which are not read again.

    A translation is published when it is itself published, its review state is one of
    `publish_states` and its source is published too. It is stale when the source's
    fingerprint differs from the one recorded at its last sync (which reads the sources of
    translations in full, but only hashes them: nothing is parsed as Markdown).
    """
    # Imported here: translation_review.records reads headers with this module's parser.
    from translation_review.records import Fingerprint

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
                    found.append((fields, header))
    by_source = {fields["source"]: fields for fields, _ in found}
    versions = []
    for fields, header in found:
        published = fields["status"] == "published"
        stale = False
        if fields["translation_of"]:
            original = by_source.get(fields["translation_of"])
            published = (
                published
                and fields["review"] in publish_states
                and original is not None
                and original["status"] == "published"
            )
            recorded = Fingerprint.recorded(header)
            if original is not None and recorded is not None:
                current = Fingerprint.of_file(content_path / fields["translation_of"])
                stale = current.digest != recorded.digest
        versions.append(Version(**fields, published=published, stale=stale))
    return TranslationIndex(versions, {fields["source"]: header for fields, header in found})
