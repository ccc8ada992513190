"""What changed in a translation's source since it was synced, paragraph by paragraph.

The sync record says which paragraphs the translation was made from; git history, where
present, gives back their old wording (the commit whose fingerprint matches the record).
"""

import difflib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from press.core.sources import (
    Block,
    Fingerprint,
    read_source,
    source_changed,
    split_file,
    translatable_blocks,
)

GIT_HISTORY_LIMIT = 500  # commits of one source searched for the synced version


@dataclass(frozen=True)
class Change:
    """One paragraph-level change of the source: added, changed or removed."""

    kind: str  # "added", "changed", "removed"
    old: Block | None
    new: Block | None


def _git(cwd: Path, *args) -> str | None:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
    )
    return result.stdout if result.returncode == 0 else None


def synced_text(source: Path, recorded: Fingerprint) -> str | None:
    """The source's text as it was when the translation was synced, from git history."""
    top = _git(source.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.strip()).resolve()
    relative = source.resolve().relative_to(root).as_posix()
    log = _git(root, "log", f"-{GIT_HISTORY_LIMIT}", "--format=%H", "--", relative) or ""
    for commit in log.split():
        text = _git(root, "show", f"{commit}:{relative}")
        if text is not None and not source_changed(recorded, Fingerprint.of_text(text)):
            return text
    # The working tree may hold the synced version too (the source is dirty, not changed).
    return None


def source_changes(translation: Path, content: Path) -> tuple[str, list[Change], bool]:
    """The source's changes since the sync: (source path, changes, whether old text is known)."""
    fields, _ = split_file(read_source(translation))
    source_name = fields.get("translation-of", ("", 0))[0]
    source = content / source_name
    if not source_name or not source.is_file():
        raise FileNotFoundError(
            f"{translation}: no source to compare with (Translation-Of: {source_name or '-'})"
        )
    current_text = read_source(source)
    current = translatable_blocks(current_text)
    recorded = Fingerprint.recorded(fields)
    if recorded is None:
        return source_name, [Change("added", None, block) for block in current], False
    old_text = synced_text(source, recorded)
    if old_text is not None:
        old = translatable_blocks(old_text)
        old_keys = [b.fingerprint for b in old]
    else:
        old, old_keys = None, list(recorded.paragraphs)
    matcher = difflib.SequenceMatcher(
        a=old_keys, b=[b.fingerprint for b in current], autojunk=False
    )
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds = old[i1:i2] if old is not None else [None] * (i2 - i1)
        news = current[j1:j2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            kind = (
                "changed"
                if (index < i2 - i1 and after is not None)
                else ("added" if after is not None else "removed")
            )
            changes.append(Change(kind, before, after))
    return source_name, changes, old is not None


def format_changes(translation: Path, content: Path) -> tuple[str, int]:
    """The diff as text for a translator, and an exit code: 0 up to date, 1 changes."""
    source_name, changes, old_known = source_changes(translation, content)
    fields, _ = split_file(read_source(translation))
    if Fingerprint.recorded(fields) is None:
        return (
            f"{translation}: never synced with {source_name}, so every paragraph is new to it; "
            "when the translation is complete, run `invoke translations.sync "
            f"{translation}`",
            1,
        )
    if not changes:
        return f"{translation}: up to date with {source_name}; nothing to translate.", 0
    lines = [
        f"{translation}: {len(changes)} paragraph(s) of {source_name} changed since the sync:",
    ]
    if not old_known:
        lines.append(
            "(the synced wording is not in this clone's git history, so only the current "
            "wording is shown; `git fetch --unshallow` brings it back)"
        )
    for change in changes:
        where = change.new.line if change.new else change.old.line
        label = (change.new or change.old).label
        what = f"{change.kind} {label}" if label else change.kind
        lines.append("")
        lines.append(f"@@ {source_name}:{where}: {what} @@")
        if change.old is not None:
            lines.extend(f"- {line}" for line in change.old.text.splitlines())
        if change.new is not None:
            lines.extend(f"+ {line}" for line in change.new.text.splitlines())
    return "\n".join(lines), 1
