"""A problem an editor or translator can act on: where it is, and what to do."""

import os
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """Name a file as the person running the build would: relative to where they are, if inside."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: `path:line: message`, the message saying what is wrong and how to fix it."""

    path: str
    line: int
    message: str

    @classmethod
    def at(cls, path: Path, line: int | None, message: str) -> "Problem":
        """Make a problem for a file (line 0 when it concerns the whole file)."""
        return cls(display_path(path), line or 0, message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
