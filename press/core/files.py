"""Files: the kinds the site publishes, what operating systems leave behind, and walks."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

# Images and documents are published re-encoded or rewritten (press.safety.media).
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
DOCUMENT_EXTENSIONS = (".pdf",)

# Files that operating systems and editors leave behind; never content.
LEFTOVERS = {
    ".DS_Store": "a macOS folder-settings file",
    "Thumbs.db": "a Windows thumbnail cache",
    "desktop.ini": "a Windows folder-settings file",
}


def walk_files(folder: Path):
    """Yield (path inside `folder`, os.DirEntry) for every file below it, in one scandir walk.

    The gates and the build's state share it: a build has a folder per article, and
    pathlib's walks open each of them several times over.
    """
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, current = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    yield f"{prefix}{entry.name}", entry


def walk(folder: Path):
    """Every file and folder below `folder`, hidden ones included, without following links."""
    for entry in sorted(folder.iterdir()):
        yield entry
        if entry.is_dir() and not entry.is_symlink():
            yield from walk(entry)


def file_names(folder: Path) -> list[str]:
    """Every file below `folder`, by its POSIX path inside it, in path order (part by part)."""
    return sorted((name for name, _entry in walk_files(folder)), key=lambda name: name.split("/"))


def html_pages(folder: Path) -> list[str]:
    """Every HTML page below `folder` (a built site), as file_names names them."""
    return [name for name in file_names(folder) if name.endswith(".html")]


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a new file beside `path`, then rename it over `path` (replacing)."""
    with replacing(path) as fileobj:
        fileobj.write(data)


@contextmanager
def replacing(path: Path):
    """A binary file to write, beside `path`, renamed over `path` once the block ends well.

    Whoever reads `path` meanwhile (another build sharing a cache) gets the old bytes or the
    new ones, whole: a file rewritten in place is seen cut short. The new file's name is
    unique, so two writers never write into the same one; a block that fails leaves `path`
    as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    written = Path(name)
    try:
        with os.fdopen(handle, "wb") as fileobj:
            yield fileobj
        written.replace(path)
    except BaseException:
        written.unlink(missing_ok=True)
        raise
