"""The sources as files: their metadata headers, their paragraphs and their fingerprints.

Headers are read with Python-Markdown's meta extension's own expressions, so every header
is read here exactly as Pelican will read it. A translated file records the fingerprint of
its source when a translator marks it synced (`invoke translations.sync`): one hash of the
whole source and one short hash per paragraph. Comparing it with the source as it is now
says whether the translation is stale and how many paragraphs changed, with no git history
needed. Fingerprints ignore whitespace and punctuation, so re-wrapping a paragraph or
fixing a comma does not make every translation stale.
"""

import difflib
import hashlib
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from markdown.util import ETX, STX

# The metadata block of Python-Markdown's meta extension, which Pelican's reader uses: its
# own expressions, so every header is read here exactly as Pelican will read it.
META_LINE, META_MORE_LINE = META_RE, META_MORE_RE


# Python-Markdown's, which pelicanconf.py's MARKDOWN leaves as it is (a test holds it).
TAB_LENGTH = 4


MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# How a source is read: UTF-8, a byte order mark dropped, as Pelican reads it.
SOURCE_ENCODING = "utf-8-sig"


def read_source(path: Path) -> str:
    """The text of a source, as Pelican reads it."""
    return path.read_text(encoding=SOURCE_ENCODING)


# Markdown's syntax as the checks read the text of a source, line by line or block by block.
# A fence opens or closes a fenced code block (the fence's characters are group 1: a block
# ends only at a fence of the same characters).
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# A code span: its text is code, shown as it is, never read as Markdown or prose.
CODE_SPAN = re.compile(r"`+[^`]*`+")
# A link, "[text](url "title")", or an image, the same after a "!". Python-Markdown takes
# everything up to the ")" for the address and its title, and so does this.
_LINK = r"\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?[^)]*\)"
# Starts at the "[": a pattern that starts with a literal is searched for quickly; one that
# starts with an optional "!" is tried at every character. `is_image` tells images apart.
MARKDOWN_LINK = re.compile(_LINK)
# The same with an image's "!" (group "image"), for replacing a whole link or image.
MARKDOWN_LINK_OR_IMAGE = re.compile(rf"(?P<image>!?){_LINK}")


def is_image(text: str, link: re.Match) -> bool:
    """Whether a MARKDOWN_LINK found in `text` is an image: "![alt](url)"."""
    return text[link.start() - 1 : link.start()] == "!"


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
    with path.open(encoding=SOURCE_ENCODING) as lines:
        fields, _ = parse_header(lines)
    header = {}
    for field in fields:
        # The first, as Pelican takes it (press.checks.markdown refuses a key given twice).
        header.setdefault(field.key, field.value)
    return header


def markdown_files(root: Path, folder: str) -> list[str]:
    """The Markdown files under root/folder, as POSIX paths inside root, in path order.

    Path order compares part by part ("a/b.md" before "a-c.md"), as sorted Path objects do;
    strings and os.walk rather than Path objects, because every build lists every source.
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


# Metadata that is translated, so a change to it is a change to translate.
TRANSLATED_FIELDS = ("title", "summary", "category", "tags")

# What the Status and Review headers may say.
STATUSES = ("published", "draft", "hidden")
REVIEW_STATES = ("draft", "review", "approved")


def status_of(header: dict) -> str:
    """A source's Status, lower-cased: published when it has none, as Pelican reads it."""
    return header.get("status", "published").lower()


def review_of(header: dict) -> str:
    """A translation's Review state, lower-cased: draft until a reviewer says otherwise."""
    return header.get("review", "draft").lower()


def approved_by_translator(header: dict) -> bool:
    """Whether a translation's Reviewer is its own Translator: an approval counts only when
    someone else gave it (translations.approve refuses one; a header says so by hand)."""
    translator = " ".join(str(header.get("translator", "")).split())
    return bool(translator) and translator == " ".join(str(header.get("reviewer", "")).split())


def source_language(translation_of: str) -> str:
    """The language of a translation's source: the first folder of its Translation-Of
    ("en/articles/x.md")."""
    return translation_of.split("/", 1)[0]


def linked_source(page: str, path: str) -> str:
    """The file a {filename} link in the source `page` leads to, as Pelican resolves it: a
    path inside the content folder ("ko/articles/x.md"), from the link's `path` (no query or
    fragment) relative to the page's folder, or to the content folder when it starts with /.
    `page` is a path inside the content folder too; "" when the link leads out of it."""
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    target = posixpath.normpath(joined)
    return "" if target == "." or target.startswith("../") or target == ".." else target


def language_key(source: str) -> tuple[str, str]:
    """A path inside the content folder as (language, translation key):
    "ko/articles/x.md" -> ("ko", "articles/x"). The key is the same in every language."""
    lang, _, inside = source.partition("/")
    return lang, posixpath.splitext(inside)[0]


# The sync record of a translation (docs/translations.md): the source version it was last
# synced to, its own text's digest then, the source version its last approval covered (kept
# while a changed source waits for review again) and the text that approval covered, and a
# reviewer's note that a source change needed no change in the translation.
SOURCE_HASH, SOURCE_PARAGRAPHS = "Source-Hash", "Source-Paragraphs"
TRANSLATION_HASH = "Translation-Hash"
APPROVED_HASH, APPROVED_PARAGRAPHS = "Approved-Hash", "Approved-Paragraphs"
APPROVED_TEXT = "Approved-Text"
SOURCE_NOTE = "Source-Note"
RECORD_FIELDS = (
    SOURCE_HASH, SOURCE_PARAGRAPHS, TRANSLATION_HASH, APPROVED_HASH, APPROVED_PARAGRAPHS,
    APPROVED_TEXT, SOURCE_NOTE,
)  # fmt: skip


@dataclass(frozen=True)
class Block:
    """One paragraph-level block of a source: a paragraph, heading, list, quote or code block."""

    text: str
    line: int  # 1-based line of the file where it starts
    label: str = ""  # for metadata blocks: the key ("title", ...)

    @property
    def fingerprint(self) -> str:
        """A short hash of the block's wording, blind to re-wrapping."""
        return _hash(normalise(self.text))[:8]


def normalise(text: str) -> str:
    """The wording of a text: every character, with each run of whitespace one space, so
    re-wrapping changes nothing while a word, a number ("1.5" to "15"), a quote, a full stop
    made a question, or a space (Korean "큰 집" is not "큰집") does."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_file(text: str) -> tuple[dict[str, tuple[str, int]], list[Block]]:
    """Split a Markdown source into its header fields (value, line) and its body blocks."""
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    header, body_start = parse_header(line + "\n" for line in lines)
    fields = {field.key: (field.value, field.line) for field in header}
    return fields, split_blocks(lines[body_start - 1 :], first_line=body_start)


def split_blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    """Split body lines into blocks at blank lines; a fenced code block stays whole."""
    blocks, current, start, fence = [], [], None, None
    for offset, line in enumerate(lines):
        number = first_line + offset
        match = FENCE.match(line)
        if fence:
            current.append(line)
            if match and match.group(1) == fence:
                fence = None
            continue
        if match:
            fence = match.group(1)
        if not line.strip() and not fence:
            if current:
                blocks.append(Block("\n".join(current), start))
            current, start = [], None
            continue
        if start is None:
            start = number
        current.append(line)
    if current:
        blocks.append(Block("\n".join(current), start))
    return blocks


def translatable_blocks(text: str) -> list[Block]:
    """The translated metadata fields, then the body blocks, of a source."""
    fields, body = split_file(text)
    head = [
        Block(fields[key][0], fields[key][1], label=key)
        for key in TRANSLATED_FIELDS
        if key in fields
    ]
    return head + body


@dataclass(frozen=True)
class Fingerprint:
    """The fingerprint of a source: one hash of everything, one short hash per block."""

    digest: str
    paragraphs: tuple[str, ...]

    @classmethod
    def of_text(cls, text: str) -> "Fingerprint":
        """Fingerprint a source's text."""
        return _fingerprint(text)

    @classmethod
    def of_file(cls, path: Path) -> "Fingerprint":
        """Fingerprint a source file."""
        return cls.of_text(read_source(path))

    @classmethod
    def recorded(cls, fields: dict, approved: bool = False) -> "Fingerprint | None":
        """The source's fingerprint a translation recorded at its last sync, if it has one.

        `approved`: the one its last approval covered instead (Approved-Hash), if recorded.
        """
        digest_field, paragraphs_field = (
            (APPROVED_HASH, APPROVED_PARAGRAPHS) if approved else (SOURCE_HASH, SOURCE_PARAGRAPHS)
        )
        digest = fields.get(digest_field.lower())
        paragraphs = fields.get(paragraphs_field.lower())
        if isinstance(digest, tuple):  # (value, line) from split_file
            digest = digest[0]
        if isinstance(paragraphs, tuple):
            paragraphs = paragraphs[0]
        if not digest:
            return None
        return cls(digest.strip(), tuple((paragraphs or "").split()))


def approved_text(fields: dict) -> str:
    """The digest of the text an approved translation was approved with, as far as its header
    knows: Approved-Text, or without it (an approval by hand, a line lost in a merge) the text
    its last sync recorded (Translation-Hash); "" when neither is there."""
    for name in (APPROVED_TEXT, TRANSLATION_HASH):
        value = fields.get(name.lower(), "")
        value = value[0] if isinstance(value, tuple) else value  # (value, line) from split_file
        if value.strip():
            return value.strip()
    return ""


def _fingerprint(text: str) -> Fingerprint:
    wordings = [normalise(block.text) for block in translatable_blocks(text)]
    digest = _hash("\n".join(wordings))[:16]
    return Fingerprint(digest, tuple(_hash(wording)[:8] for wording in wordings))


def source_changed(recorded: Fingerprint, current: Fingerprint) -> bool:
    """Whether a source's wording changed since the sync that recorded `recorded` (stale)."""
    return current.digest != recorded.digest


def changed_paragraphs(recorded: Fingerprint, current: Fingerprint) -> int:
    """How many paragraphs of the source were added, changed or removed since the record."""

    matcher = difflib.SequenceMatcher(a=recorded.paragraphs, b=current.paragraphs, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def sources_by_key(settings: dict) -> dict[str, dict[str, Path]]:
    """Every article and page source, by translation key and language."""
    content = Path(settings["PATH"])
    found: dict[str, dict[str, Path]] = {}
    for lang in settings["I18N_LANGUAGES"]:
        for folder in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]):
            for relative in markdown_files(content / lang, folder):
                key = posixpath.splitext(relative)[0]
                found.setdefault(key, {})[lang] = content / lang / relative
    return dict(sorted(found.items()))
