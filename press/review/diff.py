"""What changed in a translation's source since a recorded version, paragraph by paragraph
and word by word.

A translation's record names two versions of its source: the one it was last synced to
(Source-Hash, Source-Paragraphs) and, while a changed source waits for review again, the one
its last approval covered (Approved-Hash, Approved-Paragraphs). Git history, where present,
gives back that version's wording (the newest commit whose fingerprint matches the record).
Inside a changed paragraph the words are compared, as whitespace-separated tokens (English
words, Korean eojeol: a changed eojeol is shown whole), and the changed ones marked: in
colour on a terminal, with git's --word-diff markers (`[-old-]`, `{+new+}`) otherwise, and
as <del>/<ins> on the review site.
"""

import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from press.core.sources import (
    Block,
    Fingerprint,
    approved_text,
    read_source,
    source_changed,
    split_file,
    translatable_blocks,
)

GIT_HISTORY_LIMIT = 500  # commits of one source searched for the recorded version

# The versions a comparison can start from (Comparison.since).
SINCE_SYNC, SINCE_APPROVAL = "sync", "approval"


@dataclass(frozen=True)
class Version:
    """A version of a source found in git history."""

    commit: str
    date: str  # the commit's date, YYYY-MM-DD
    text: str


@dataclass(frozen=True)
class Change:
    """One block of the source, as recorded and as it is now.

    `kind`: "added", "changed", "removed", or "same" (in Comparison.blocks only).
    `position`: the block's index in the recorded version, where the translation's
    corresponding block stands (blocks are paired by position, as QA pairs them); for an
    added block, the index it would take there.
    """

    kind: str
    old: Block | None
    new: Block | None
    position: int = 0


@dataclass(frozen=True)
class Comparison:
    """A translation's source now, beside the version its record names."""

    source_name: str  # the source's path inside the content folder
    since: str  # SINCE_APPROVAL, SINCE_SYNC, or "" when the translation was never synced
    recorded: Fingerprint | None
    version: Version | None  # the recorded wording, from git; None when history lacks it
    blocks: tuple[Change, ...]  # every block, in order, unchanged ones included

    @property
    def changes(self) -> list[Change]:
        """The blocks added, changed or removed since the recorded version."""
        return [change for change in self.blocks if change.kind != "same"]

    @property
    def old_known(self) -> bool:
        """Whether the recorded version's wording was found in git history."""
        return self.version is not None


def _git(cwd: Path, *args) -> str | None:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
    )
    return result.stdout if result.returncode == 0 else None


def recorded_version(source: Path, recorded: Fingerprint) -> Version | None:
    """The newest version of the source in git history whose wording `recorded` fingerprints."""
    top = _git(source.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.strip()).resolve()
    relative = source.resolve().relative_to(root).as_posix()
    log = _git(root, "log", f"-{GIT_HISTORY_LIMIT}", "--format=%H %cs", "--", relative) or ""
    for line in log.splitlines():
        commit, date = line.split()
        text = _git(root, "show", f"{commit}:{relative}")
        if text is not None and not source_changed(recorded, Fingerprint.of_text(text)):
            return Version(commit, date, text)
    # The working tree may hold the synced version too (the source is dirty, not changed).
    return None


def synced_text(source: Path, recorded: Fingerprint) -> str | None:
    """The source's text as it was when the translation was synced, from git history."""
    version = recorded_version(source, recorded)
    return version.text if version else None


def compare(translation: Path, content: Path, since: str = SINCE_SYNC) -> Comparison:
    """The translation's source now, beside the version it was synced to (SINCE_SYNC), or
    the version its last approval covered (SINCE_APPROVAL: the Approved-* record; without
    one, which only a re-sync of an approved translation writes, the sync record)."""
    fields, _ = split_file(read_source(translation))
    source_name = fields.get("translation-of", ("", 0))[0]
    source = content / source_name
    if not source_name or not source.is_file():
        raise FileNotFoundError(
            f"{translation}: no source to compare with (Translation-Of: {source_name or '-'})"
        )
    current = translatable_blocks(read_source(source))
    recorded = Fingerprint.recorded(fields, approved=True) if since == SINCE_APPROVAL else None
    if recorded is None:
        since, recorded = SINCE_SYNC, Fingerprint.recorded(fields)
    if recorded is None:
        blocks = tuple(Change("added", None, block, index) for index, block in enumerate(current))
        return Comparison(source_name, "", None, None, blocks)
    version = recorded_version(source, recorded)
    old = translatable_blocks(version.text) if version else None
    old_keys = [b.fingerprint for b in old] if old is not None else list(recorded.paragraphs)
    return Comparison(source_name, since, recorded, version, tuple(align(old_keys, old, current)))


def align(old_keys: list[str], old: list[Block] | None, current: list[Block]) -> list[Change]:
    """Every block of the recorded version and of the current one, paired by their wording.

    `old`: the recorded version's blocks, when its wording is known; `old_keys`: their
    fingerprints (known from the record alone).
    """
    matcher = difflib.SequenceMatcher(
        a=old_keys, b=[b.fingerprint for b in current], autojunk=False
    )
    blocks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for index in range(max(i2 - i1, j2 - j1)):
            position = i1 + index
            before = old[position] if old is not None and position < i2 else None
            after = current[j1 + index] if j1 + index < j2 else None
            if tag == "equal":
                kind = "same"
            elif position < i2 and after is not None:
                kind = "changed"
            else:
                kind = "added" if after is not None else "removed"
            blocks.append(Change(kind, before, after, min(position, i2)))
    return blocks


def source_changes(translation: Path, content: Path) -> tuple[str, list[Change], bool]:
    """The source's changes since the sync: (source path, changes, whether old text is known)."""
    comparison = compare(translation, content)
    return comparison.source_name, comparison.changes, comparison.old_known


# Words: whitespace-separated tokens, each with the whitespace that follows it.
_WORD = re.compile(r"(\S+)(\s*)")


def words_of(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A text's leading whitespace, and its words with the whitespace after each."""
    lead = text[: len(text) - len(text.lstrip())]
    return lead, [(m[1], m[2]) for m in _WORD.finditer(text, len(lead))]


def word_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from the words `old` to the words `new`."""
    return difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()


def word_diff(old: str, new: str) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    """Both texts as runs of (changed, text): `old`'s removed words and `new`'s added ones
    marked changed. Whitespace is each text's own; a changed run never ends in whitespace."""
    old_lead, old_words = words_of(old)
    new_lead, new_words = words_of(new)
    old_runs, new_runs = [(False, old_lead)], [(False, new_lead)]
    opcodes = word_opcodes([w for w, _ in old_words], [w for w, _ in new_words])
    for tag, i1, i2, j1, j2 in opcodes:
        for runs, words, start, end in (
            (old_runs, old_words, i1, i2),
            (new_runs, new_words, j1, j2),
        ):
            if start == end:
                continue
            text = "".join(word + space for word, space in words[start:end])
            if tag == "equal":
                runs.append((False, text))
            else:
                trailing = words[end - 1][1]
                runs.append((True, text[: len(text) - len(trailing)]))
                runs.append((False, trailing))
    return _merged(old_runs), _merged(new_runs)


def _merged(runs: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    merged: list[tuple[bool, str]] = []
    for changed, text in runs:
        if not text:
            continue
        if merged and merged[-1][0] == changed:
            merged[-1] = (changed, merged[-1][1] + text)
        else:
            merged.append((changed, text))
    return merged


# How changed words are marked: git's --word-diff markers, or ANSI colours (red removed,
# green added) on a terminal.
MARKERS = {"removed": ("[-", "-]"), "added": ("{+", "+}")}
RED, GREEN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"
COLOURS = {"removed": (RED, RESET), "added": (GREEN, RESET)}


def wants_colour(stream, environ=os.environ) -> bool:
    """Whether to colour text for `stream`: a terminal, and NO_COLOR (no-color.org) unset."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def marked_lines(runs: list[tuple[bool, str]], marks: tuple[str, str]) -> list[str]:
    """The text of `runs` line by line, each changed run between `marks` (closed at every
    line end, so each line reads alone)."""
    opening, closing = marks
    text = ""
    for changed, run in runs:
        if not changed:
            text += run
            continue
        pieces = []
        for piece in run.split("\n"):
            body = piece.rstrip()
            pieces.append(f"{opening}{body}{closing}{piece[len(body) :]}" if body else piece)
        text += "\n".join(pieces)
    return text.split("\n")


def _paint(line: str, colour: tuple[str, str] | None) -> str:
    return f"{colour[0]}{line}{colour[1]}" if colour else line


def _relative(path: Path, content: Path) -> str:
    try:
        return path.resolve().relative_to(content.resolve()).as_posix()
    except ValueError:
        return str(path)


def format_changes(
    translation: Path, content: Path, colour: bool | None = None, since: str = SINCE_SYNC
) -> tuple[str, int]:
    """The diff as text for a translator, and an exit code: 0 up to date, 1 changes.

    Each changed paragraph is named by its line in the source and the line of the
    translation's corresponding block; its old wording (`-`) and its new (`+`) have their
    changed words marked. `colour`: ANSI colours instead of markers; None: when standard
    output is a terminal and NO_COLOR is not set. `since`: SINCE_SYNC, or SINCE_APPROVAL.
    """
    if colour is None:
        colour = wants_colour(sys.stdout)
    comparison = compare(translation, content, since)
    source_name = comparison.source_name
    if comparison.recorded is None:
        return (
            f"{translation}: never synced with {source_name}, so every paragraph is new to it; "
            "when the translation is complete, run `invoke translations.sync --path "
            f"{translation}`",
            1,
        )
    changes = comparison.changes
    edited = format_translation_changes(translation, content, colour)
    if not changes:
        text = f"{translation}: up to date with {source_name}; nothing to translate."
        if since == SINCE_SYNC and _changed_since_approval(translation, content, source_name):
            text += (
                "\n(the source changed since the last approval: `invoke review` highlights "
                "how, for the reviewer)"
            )
        return "\n".join([text, *edited]), 1 if edited else 0
    what = "the last approval" if comparison.since == SINCE_APPROVAL else "the sync"
    lines = [f"{translation}: {len(changes)} paragraph(s) of {source_name} changed since {what}:"]
    version = comparison.version
    as_of = "approved" if comparison.since == SINCE_APPROVAL else "synced"
    lines.append(
        _versions_line(
            version, f"the source as {as_of}",
            (f"the {as_of} wording", "only the current wording is shown"), translation, colour,
        )
    )  # fmt: skip
    target_name = _relative(translation, content)
    targets = translatable_blocks(read_source(translation))
    for change in changes:
        lines.append("")
        lines.append(_heading(change, source_name, target_name, targets, as_of))
        lines.extend(_body(change, colour))
    return "\n".join([*lines, *edited]), 1


def translation_changes(translation: Path) -> tuple[Version | None, list[Change]] | None:
    """The translation's own changes since its approval: the approved version (from git
    history, by its Approved-Text) and the blocks changed since; None when its text is the
    approved one, or no approval recorded it."""
    text = read_source(translation)
    fields, _ = split_file(text)
    approved = approved_text(fields)
    if not approved or Fingerprint.of_text(text).digest == approved:
        return None
    version = recorded_version(translation, Fingerprint(approved, ()))
    old = translatable_blocks(version.text) if version else None
    current = translatable_blocks(text)
    if old is None:
        return None, [Change("changed", None, block, index) for index, block in enumerate(current)]
    changes = align([b.fingerprint for b in old], old, current)
    return version, [change for change in changes if change.kind != "same"]


def format_translation_changes(translation: Path, content: Path, colour: bool) -> list[str]:
    """What `format_changes` adds for a translation edited since its approval."""
    found = translation_changes(translation)
    if found is None:
        return []
    version, changes = found
    name = _relative(translation, content)
    lines = ["", f"{translation}: edited since its approval, which readers wait for:"]
    lines.append(
        _versions_line(
            version, "the translation as approved",
            ("the approved wording", "every paragraph is shown as it is now"), translation, colour,
        )
    )  # fmt: skip
    for change in changes:
        block = change.new or change.old
        lines += ["", f"@@ {name}:{block.line}: {change.kind} @@", *_body(change, colour)]
    return lines


def _versions_line(version: Version | None, old: str, missing: tuple[str, str], path, colour):
    """What a diff's `-` and `+` lines show (`old`: what `-` is), or why git cannot show the
    old wording (`missing`: what is lacking, and what is shown instead)."""
    if version is None:
        return f"({missing[0]} {_not_in_history(path)}, so {missing[1]})"
    legend = "" if colour else "; [-removed words-] {+added words+}"
    return f"- {old} (commit {version.commit[:10]}, {version.date}), + as it is now{legend}"


def _not_in_history(path: Path) -> str:
    """Why git cannot show an earlier wording of a file: a shallow clone, or never committed."""
    shallow = (_git(path.parent, "rev-parse", "--is-shallow-repository") or "").strip()
    if shallow == "true":
        return "is not in this clone's git history (`git fetch --unshallow` brings it back)"
    if shallow == "false":
        return "was never committed (commit after each sync and approval, so git keeps it)"
    return "cannot be read from git (this folder is not in a git repository)"


def _changed_since_approval(translation: Path, content: Path, source_name: str) -> bool:
    """Whether an Approved-* record names another version of the source than it is now."""
    fields, _ = split_file(read_source(translation))
    approved = Fingerprint.recorded(fields, approved=True)
    return approved is not None and source_changed(
        approved, Fingerprint.of_file(content / source_name)
    )


def _heading(
    change: Change, source_name: str, target_name: str, targets: list[Block], as_of: str
) -> str:
    """`@@ source:line: what; translation: where @@` for one change."""
    block = change.new or change.old
    label = block.label if block else ""
    what = f"{change.kind} {label}" if label else change.kind
    if change.new is not None:
        where = f"{source_name}:{change.new.line}"
    elif change.old is not None:
        where = f"{source_name}:{change.old.line} (as {as_of})"
    else:
        where = f"{source_name} (a block of the {as_of} version)"
    if change.kind != "added" and change.position < len(targets):
        there = f"translation {target_name}:{targets[change.position].line}"
    elif change.kind == "added" and 0 < change.position <= len(targets):
        there = f"translation: none yet, after {target_name}:{targets[change.position - 1].line}"
    elif change.kind == "added":
        there = f"translation: none yet, at the start of {target_name}"
    else:
        there = f"translation: no block at that place in {target_name}"
    return f"@@ {where}: {what}; {there} @@"


def _body(change: Change, colour: bool) -> list[str]:
    """The old (`-`) and new (`+`) wording of one change, changed words marked."""
    old, new = change.old, change.new
    if old is not None and new is not None:
        old_runs, new_runs = word_diff(old.text, new.text)
    else:
        old_runs = [(False, old.text)] if old else []
        new_runs = [(False, new.text)] if new else []
    lines = []
    for sign, runs, kind in (("-", old_runs, "removed"), ("+", new_runs, "added")):
        if not runs:
            continue
        if colour:
            whole = COLOURS[kind] if not (old and new) else None
            prefix = _paint(sign, COLOURS[kind])
            lines += [
                f"{prefix} {_paint(line, whole)}" for line in marked_lines(runs, COLOURS[kind])
            ]
        else:
            lines += [f"{sign} {line}" for line in marked_lines(runs, MARKERS[kind])]
    return lines


class _Tokens(HTMLParser):
    """HTML as tags, kept as they are, and texts, as their words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, object]] = []  # ("tag", raw) or ("text", words_of(...))
        self._text = ""

    def _flush(self):
        if self._text:
            self.items.append(("text", words_of(self._text)))
            self._text = ""

    def handle_starttag(self, tag, attrs):
        self._flush()
        self.items.append(("tag", self.get_starttag_text()))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._flush()
        self.items.append(("tag", f"</{tag}>"))

    def handle_data(self, data):
        self._text += data

    def handle_comment(self, data):
        self._flush()
        self.items.append(("tag", f"<!--{data}-->"))

    def close(self):
        super().close()
        self._flush()


def _tokens(html: str) -> list[tuple[str, object]]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.items


# The classes of the word marks on the review site (theme/review/review.css).
DEL_WORDS = '<del class="words words--removed">'
INS_WORDS = '<ins class="words words--added">'


def mark_html(old_html: str, new_html: str) -> str:
    """`new_html` with the words it added in <ins> and the words `old_html` had in their
    place in <del>, compared by their text (the markup of `new_html` is kept as it is;
    marks never cross an element's boundary)."""
    old_words = [w for kind, value in _tokens(old_html) if kind == "text" for w, _ in value[1]]
    items = _tokens(new_html)
    new_words = [w for kind, value in items if kind == "text" for w, _ in value[1]]
    added = [False] * len(new_words)
    removed_before: dict[int, list[str]] = {}
    for tag, i1, i2, j1, j2 in word_opcodes(old_words, new_words):
        if tag in ("replace", "insert"):
            added[j1:j2] = [True] * (j2 - j1)
        if tag in ("replace", "delete"):
            removed_before[j1] = old_words[i1:i2]

    def removed(index: int) -> str:
        words = removed_before.pop(index, None)
        return f"{DEL_WORDS}{escape(' '.join(words))}</del> " if words else ""

    out = []
    index = 0
    last_text = max((n for n, (kind, _) in enumerate(items) if kind == "text"), default=-1)
    for number, (kind, value) in enumerate(items):
        if kind == "tag":
            out.append(value)
            continue
        lead, words = value
        out.append(escape(lead, quote=False))
        for position, (word, space) in enumerate(words):
            out.append(removed(index))
            if added[index] and (position == 0 or not added[index - 1]):
                out.append(INS_WORDS)
            out.append(escape(word, quote=False))
            ends = position + 1 == len(words) or not added[index + 1]
            if added[index] and ends:
                out.append("</ins>")
            out.append(escape(space, quote=False))
            index += 1
        if number == last_text and index in removed_before:
            out.append(" " + removed(index).rstrip())
    if removed_before:  # words removed from a block that has none left
        out.append(removed(index).rstrip())
    return "".join(out)
