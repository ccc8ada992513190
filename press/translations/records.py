"""The sync record of a translation, written into its header by the translation commands.

Only commands write it (docs/translations.md): `sync` records the source a translation
follows now, and takes an approved translation whose source changed back to review;
`approve` records a reviewer's approval of the version it follows; `ack` records a
reviewer's note that the source's changes since the sync need no change in it. What a
fingerprint is, and when a translation is stale, is press.core.sources.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from press.core.sources import (
    APPROVED_HASH,
    APPROVED_PARAGRAPHS,
    APPROVED_TEXT,
    META_LINE,
    META_MORE_LINE,
    RECORD_FIELDS,
    SOURCE_HASH,
    SOURCE_NOTE,
    SOURCE_PARAGRAPHS,
    TRANSLATION_HASH,
    Fingerprint,
    approved_by_translator,
    approved_text,
    changed_paragraphs,
    read_header,
    read_source,
    review_of,
    source_changed,
    split_file,
)

# A paragraph list continues on lines of this many hashes, indented by four spaces.
HASHES_PER_LINE = 8


class RecordError(ValueError):
    """A translation a command cannot take as it is: the message names the file and what to do."""


@dataclass(frozen=True)
class Translation:
    """A translated file as the record commands see it: its record, its source, both now."""

    path: Path
    source_name: str  # Translation-Of: the source's path inside the content folder
    review: str  # draft, review or approved
    recorded: Fingerprint | None  # the source at the last sync (Source-Hash), if synced
    current: Fingerprint  # the source now
    text: Fingerprint  # the translation's own translatable text now
    translation_hash: str  # Translation-Hash: its text's digest at the last sync, if recorded
    approved_text: str = ""  # its text's digest when approved, as far as known (approved_text)

    @property
    def edited_since_approval(self) -> bool:
        """An approved translation whose text changed since its approval."""
        approved = self.approved_text
        return self.review == "approved" and bool(approved) and self.text.digest != approved

    @property
    def stale(self) -> bool:
        """Whether the source changed since the last sync."""
        return self.recorded is not None and source_changed(self.recorded, self.current)

    @property
    def changed_paragraphs(self) -> int:
        """How many of the source's paragraphs changed since the last sync."""
        return changed_paragraphs(self.recorded, self.current) if self.stale else 0


def read_translation(path: Path, content: Path) -> Translation:
    """Read a translated file and its source; RecordError if it is not a translation of one.

    FileNotFoundError when `path` itself does not exist.
    """
    text = read_source(path)
    fields, _ = split_file(text)
    source_name = fields.get("translation-of", ("", 0))[0]
    if not source_name:
        raise RecordError(
            f"{path}: no Translation-Of line, so it is not a translation; add "
            "'Translation-Of: <language>/<path of the source>.md' first"
        )
    source = content / source_name
    if not source.is_file():
        raise RecordError(f"{path}: Translation-Of: {source_name} does not exist")
    return Translation(
        path=path,
        source_name=source_name,
        review=review_of({"review": fields.get("review", ("draft", 0))[0]}),
        recorded=Fingerprint.recorded(fields),
        current=Fingerprint.of_file(source),
        text=Fingerprint.of_text(text),
        translation_hash=fields.get(TRANSLATION_HASH.lower(), ("", 0))[0].strip(),
        approved_text=approved_text(fields),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class SyncChange:
    """What syncing one translation writes (or, before it is applied, would write)."""

    translation: Translation

    @property
    def first(self) -> bool:
        """Never synced before."""
        return self.translation.recorded is None

    @property
    def review_again(self) -> bool:
        """An approved translation whose source changed: the approval covered the old source,
        so it goes back to review."""
        return self.translation.stale and self.translation.review == "approved"

    @property
    def edited(self) -> bool:
        """An approved translation edited since its approval: a sync records the new text,
        and it goes back to review, since no one approved that text."""
        return self.translation.edited_since_approval and not self.review_again

    @property
    def untranslated(self) -> bool:
        """The source changed, and the translation's own text did not since the last sync."""
        t = self.translation
        return t.stale and t.translation_hash == t.text.digest

    @property
    def changes(self) -> bool:
        """Whether the sync changes the header at all."""
        t = self.translation
        return self.first or t.stale or t.translation_hash != t.text.digest

    def describe(self) -> str:
        """What the sync records, in a few words."""
        t = self.translation
        if self.first:
            what = f"first sync: records {t.source_name} as it is now"
        elif t.stale:
            changed = _plural(t.changed_paragraphs, "paragraph")
            what = f"records {t.source_name}, changed since the last sync ({changed})"
        else:
            what = "records the translation's own text (Translation-Hash)"
        if self.review_again:
            what += "; Review: approved -> review (approved for the old source only)"
        if self.edited:
            what += "; Review: approved -> review (edited since its approval)"
        if self.untranslated:
            what += "; warning: its text did not change since the last sync"
        return what

    def fields(self) -> dict:
        """The header fields the sync writes."""
        t = self.translation
        values = {
            SOURCE_HASH: t.current.digest,
            SOURCE_PARAGRAPHS: t.current.paragraphs,
            TRANSLATION_HASH: t.text.digest,
        }
        if self.edited:
            values["Review"] = "review"
        if self.review_again:
            # The approval covered the source as recorded until now: the review page and the
            # diff show what changed since then, however many syncs come before the next one.
            values.update(
                {
                    "Review": "review",
                    APPROVED_HASH: t.recorded.digest,
                    APPROVED_PARAGRAPHS: t.recorded.paragraphs,
                }
            )
        return values


def plan_sync(translation: Path, content: Path) -> SyncChange:
    """What syncing `translation` with its source as it is now would write (nothing yet)."""
    return SyncChange(read_translation(translation, content))


def apply_sync(change: SyncChange) -> None:
    """Write what a planned sync records, if anything."""
    if change.changes:
        write_fields(change.translation.path, change.fields())


def sync_translation(translation: Path, content: Path) -> SyncChange:
    """Record in `translation` its source as it is now; an approved translation whose source
    changed goes back to review, keeping what its approval covered (Approved-Hash)."""
    change = plan_sync(translation, content)
    apply_sync(change)
    return change


def approve_translation(
    translation: Path, content: Path, reviewer: str, agreed: set[str]
) -> Translation:
    """Record a reviewer's approval of the source version the translation was synced to.

    `agreed`: the pseudonyms a reviewer may sign with. The approval replaces the one an
    earlier source version had (Approved-Hash), which a re-sync kept.
    """
    t = read_translation(translation, content)
    reviewer = " ".join(reviewer.split())
    if reviewer not in agreed:
        raise RecordError(
            f"{translation}: Reviewer '{reviewer}' is not on the pseudonym list "
            "(content/pseudonyms.toml); sign with an agreed pseudonym"
        )
    if t.review == "draft":
        raise RecordError(
            f"{translation}: Review is 'draft': the translator has not sent it for review "
            "yet; when it is complete, they sync it and set 'Review: review', then approve it"
        )
    if approved_by_translator({**read_header(translation), "reviewer": reviewer}):
        raise RecordError(
            f"{translation}: '{reviewer}' is its Translator, and a translation is approved by "
            "someone other than its translator; ask another reviewer to approve it"
        )
    if t.recorded is None:
        raise RecordError(
            f"{translation}: never synced, so an approval would cover no version of "
            f"{t.source_name}; sync it first (invoke translations.sync --path {translation}), "
            "then approve it"
        )
    if t.stale:
        raise RecordError(
            f"{translation}: {t.source_name} changed since the last sync "
            f"({_plural(t.changed_paragraphs, 'paragraph')}); update the translation "
            f"(invoke translations.diff --path {translation} shows what changed), sync it, "
            "then approve it"
        )
    write_fields(
        translation,
        {
            "Review": "approved",
            "Reviewer": reviewer,
            APPROVED_HASH: None,
            APPROVED_PARAGRAPHS: None,
            # The text approved: while it stays as it is, a later source change sends the
            # translation back to review without taking it from readers (press.translations.index).
            APPROVED_TEXT: t.text.digest,
        },
    )
    return t


def acknowledge(translation: Path, content: Path, reason: str, day: date) -> Translation:
    """Record that the source's changes since the sync need no change in the translation.

    For an approved translation whose source changed: the current source is recorded, the
    approval stays, and `Source-Note: <day> <reason>` says why (git keeps every earlier one).
    """
    reason = " ".join(reason.split())
    if not reason:
        raise RecordError(
            f"{translation}: say why the source's changes need no change in the translation, "
            'with --reason "..." (a typo fixed, a link corrected...)'
        )
    t = read_translation(translation, content)
    if t.review != "approved":
        raise RecordError(
            f"{translation}: Review is '{t.review}', not approved; an acknowledgement keeps an "
            "approval, so have the translation reviewed and approved instead "
            f"(invoke translations.approve --path {translation} --reviewer NAME)"
        )
    if t.recorded is None:
        raise RecordError(
            f"{translation}: never synced, so no source version is recorded to compare with; "
            f"sync it (invoke translations.sync --path {translation}) and have it approved"
        )
    if not t.stale:
        raise RecordError(
            f"{translation}: {t.source_name} has not changed since the last sync; "
            "there is nothing to acknowledge"
        )
    write_fields(
        translation,
        {
            SOURCE_HASH: t.current.digest,
            SOURCE_PARAGRAPHS: t.current.paragraphs,
            SOURCE_NOTE: f"{day.isoformat()} {reason}",
        },
    )
    return t


def write_fields(translation: Path, values: dict[str, str | tuple[str, ...] | None]) -> None:
    """Set header fields of a translation (None removes one), leaving the rest as it is.

    A field already in the header is replaced where it stands, a new one goes after the
    others; the sync record's fields always come last, in the order of RECORD_FIELDS. A
    tuple is a list of hashes, continued on lines indented by four spaces as Markdown
    metadata allows.
    """
    text = read_source(translation)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    header, body = lines[:end], lines[end:]
    # Each field with the lines that continue it.
    fields: list[tuple[str, list[str]]] = []
    for line in header:
        match = META_LINE.match(line)
        if (match and not META_MORE_LINE.match(line)) or not fields:
            fields.append((match["key"].lower() if match else "", [line]))
        else:
            fields[-1][1].append(line)
    names = {name.lower(): name for name in values}
    record = {name.lower() for name in RECORD_FIELDS}
    kept: list[str] = []
    recorded: dict[str, list[str]] = {}
    written = set()
    for key, field_lines in fields:
        if key in record:
            recorded.setdefault(key, field_lines)
        elif key in names:
            if key not in written:  # a second line of the same key goes with the first
                kept += _field_lines(names[key], values[names[key]])
                written.add(key)
        else:
            kept += field_lines
    for key, name in names.items():
        if key not in record and key not in written:
            kept += _field_lines(name, values[name])
    for name in RECORD_FIELDS:
        if name.lower() in names:
            kept += _field_lines(name, values[names[name.lower()]])
        else:
            kept += recorded.get(name.lower(), [])
    translation.write_text(newline.join(kept + body), encoding="utf-8")


def _field_lines(name: str, value: str | tuple[str, ...] | None) -> list[str]:
    """The header lines of one field: none for None, continuation lines for a long list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [f"{name}: {value}"]
    rows = [
        " ".join(value[i : i + HASHES_PER_LINE]) for i in range(0, len(value), HASHES_PER_LINE)
    ] or [""]
    return [f"{name}: {rows[0]}".rstrip(), *(f"    {row}" for row in rows[1:])]


def translations_in(content: Path) -> list[Path]:
    """Every translated file of the content folder (one with a Translation-Of line)."""
    return [p for p in sorted(content.rglob("*.md")) if "translation-of" in read_header(p)]
