"""A problem an editor or translator can act on: where it is, and what to do."""

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


def display_path(path: Path) -> str:
    """Name a file as the person running the build would: relative to where they are, if inside."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


def location(path: str, line: int) -> str:
    """`path:line`, or the path alone for a problem of the whole file (line 0)."""
    return f"{path}:{line}" if line else path


class Kind(StrEnum):
    """What a problem is, for code that counts or sorts problems: never their wording.

    Only the kinds some caller tells apart are named; every other problem is OTHER.
    """

    OTHER = "other"
    CATALOG_FUZZY = "catalog.fuzzy"  # an entry marked fuzzy (status counts them)
    CATALOG_UNTRANSLATED = "catalog.untranslated"  # an entry without its msgstr (the same)
    # What `invoke verify` finds in a copy of the offline edition (press.publishing.edition).
    EDITION_SIGNATURE = "edition.signature"  # a signature missing, or not by the key
    EDITION_CHANGED = "edition.changed"  # a file whose bytes are not those SHA256SUMS lists
    EDITION_ADDED = "edition.added"  # a file SHA256SUMS does not list
    EDITION_MISSING = "edition.missing"  # a file SHA256SUMS lists that is not there
    EDITION_DAMAGED = "edition.damaged"  # a ZIP cut short or damaged, a file unreadable
    EDITION_NOT_A_FILE = "edition.not_a_file"  # a link, FIFO, device... in place of a file


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: `path:line: message`, the message saying what is wrong and how to fix it.

    Problems compare, sort and deduplicate by what their readers see (path, line, message);
    the kind is for the code that tells them apart.
    """

    path: str
    line: int
    message: str
    kind: Kind = field(default=Kind.OTHER, compare=False)

    @classmethod
    def at(cls, path: Path, line: int | None, message: str, kind: Kind = Kind.OTHER) -> "Problem":
        """Make a problem for a file (line 0 when it concerns the whole file)."""
        return cls(display_path(path), line or 0, message, kind)

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}: {self.message}"
