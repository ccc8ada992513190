"""The sync record of a translation: its source's fingerprint, written into its header.

`invoke translations.sync` calls this when a translator marks a translation synced; what a
fingerprint is, and when a translation is stale, is press.core.sources.
"""

from pathlib import Path

from press.core.sources import (
    META_LINE,
    META_MORE_LINE,
    SOURCE_HASH,
    SOURCE_PARAGRAPHS,
    Fingerprint,
    read_header,
    read_source,
    split_file,
)


def write_record(translation: Path, fingerprint: Fingerprint) -> None:
    """Write (or replace) the sync record in a translation's header, leaving the rest as it is."""
    text = read_source(translation)
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
    fields, _ = split_file(read_source(translation))
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


def translations_in(content: Path) -> list[Path]:
    """Every translated file of the content folder (one with a Translation-Of line)."""
    return [p for p in sorted(content.rglob("*.md")) if "translation-of" in read_header(p)]
