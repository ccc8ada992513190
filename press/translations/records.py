"""What a translation was made from: paragraphs, their fingerprints, and the sync record.

A translated file records the fingerprint of its source when a translator marks it synced
(`invoke translations.sync`): one hash of the whole source and one short hash per
paragraph. Comparing them with the source as it is now says whether the translation is
stale and how many paragraphs changed, with no git history needed. Fingerprints ignore
whitespace and punctuation, so re-wrapping a paragraph or fixing a comma does not make
every translation stale.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from press.translations.index import META_LINE, META_MORE_LINE, parse_header

# Metadata that is translated, so a change to it is a change to translate.
TRANSLATED_FIELDS = ("title", "summary", "category", "tags")
SOURCE_HASH, SOURCE_PARAGRAPHS = "Source-Hash", "Source-Paragraphs"
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class Block:
    """One paragraph-level block of a source: a paragraph, heading, list, quote or code block."""

    text: str
    line: int  # 1-based line of the file where it starts
    label: str = ""  # for metadata blocks: the key ("title", ...)

    @property
    def fingerprint(self) -> str:
        """A short hash of the block's wording, blind to whitespace and punctuation."""
        return _hash(normalise(self.text))[:8]


def normalise(text: str) -> str:
    """The wording of a text: no whitespace, no punctuation (Unicode categories P*)."""
    return "".join(
        char
        for char in unicodedata.normalize("NFC", text)
        if not char.isspace() and not unicodedata.category(char).startswith("P")
    )


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
        match = _FENCE.match(line)
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
        blocks = translatable_blocks(text)
        digest = _hash("\n".join(normalise(b.text) for b in blocks))[:16]
        return cls(digest, tuple(b.fingerprint for b in blocks))

    @classmethod
    def of_file(cls, path: Path) -> "Fingerprint":
        """Fingerprint a source file."""
        return cls.of_text(path.read_text(encoding="utf-8-sig"))

    @classmethod
    def recorded(cls, fields: dict) -> "Fingerprint | None":
        """The fingerprint a translation recorded at its last sync, if it has one."""
        digest = fields.get(SOURCE_HASH.lower())
        paragraphs = fields.get(SOURCE_PARAGRAPHS.lower())
        if isinstance(digest, tuple):  # (value, line) from split_file
            digest = digest[0]
        if isinstance(paragraphs, tuple):
            paragraphs = paragraphs[0]
        if not digest:
            return None
        return cls(digest.strip(), tuple((paragraphs or "").split()))


def changed_paragraphs(recorded: Fingerprint, current: Fingerprint) -> int:
    """How many paragraphs of the source were added, changed or removed since the record."""
    import difflib

    matcher = difflib.SequenceMatcher(a=recorded.paragraphs, b=current.paragraphs, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def write_record(translation: Path, fingerprint: Fingerprint) -> None:
    """Write (or replace) the sync record in a translation's header, leaving the rest as it is."""
    text = translation.read_text(encoding="utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    header, body = lines[:end], lines[end:]
    kept, skipping = [], False
    for line in header:
        match = META_LINE.match(line)
        if match and not META_MORE_LINE.match(line):
            skipping = match["key"].lower() in (SOURCE_HASH.lower(), SOURCE_PARAGRAPHS.lower())
        if not skipping:
            kept.append(line)
    kept.append(f"{SOURCE_HASH}: {fingerprint.digest}")
    # Long lists continue on lines indented by four spaces, as Markdown metadata allows.
    hashes = list(fingerprint.paragraphs)
    rows = [" ".join(hashes[i : i + 8]) for i in range(0, len(hashes), 8)] or [""]
    kept.append(f"{SOURCE_PARAGRAPHS}: {rows[0]}".rstrip())
    kept.extend(f"    {row}" for row in rows[1:])
    translation.write_text(newline.join(kept + body), encoding="utf-8")


def sync_translation(translation: Path, content: Path) -> Fingerprint:
    """Record in `translation` the fingerprint of its source as it is now."""
    fields, _ = split_file(translation.read_text(encoding="utf-8-sig"))
    source_name = fields.get("translation-of", ("", 0))[0]
    if not source_name:
        raise ValueError(
            f"{translation}: no Translation-Of line, so it is not a translation; add "
            "'Translation-Of: <language>/<path of the source>.md' first"
        )
    source = content / source_name
    if not source.is_file():
        raise ValueError(f"{translation}: Translation-Of: {source_name} does not exist")
    fingerprint = Fingerprint.of_file(source)
    write_record(translation, fingerprint)
    return fingerprint
