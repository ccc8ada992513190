"""Build again whenever a source changes: `invoke serve` keeps the preview up to date.

Polling file stamps (size, modification time) once a second is enough for people editing by
hand, needs no extra dependency, and works the same on every system and filesystem. Each
build after an edit of article bodies is an update (state.py), so the page a translator
saved is in the preview about a second later.
"""

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from press.build.errors import BuildError
from press.build.state import file_stamps

logger = logging.getLogger(__name__)

# Written by the build itself (compiled catalogs) or by editors and Python in passing.
IGNORED_SUFFIXES = (".mo", ".pyc", ".swp", ".swx", "~")


def source_stamps(paths) -> dict[str, list[int]]:
    """Size and modification time of every file under `paths` (folders or files)."""
    stamps = {}
    for path in map(Path, paths):
        if path.is_dir():
            for name, stamp in file_stamps(path).items():
                if not name.endswith(IGNORED_SUFFIXES) and "__pycache__/" not in name:
                    stamps[f"{path}/{name}"] = stamp
        elif path.is_file():
            stat = path.stat()
            stamps[str(path)] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def watch(
    build: Callable[[], object],
    paths,
    stop: threading.Event,
    interval=1.0,
    ready: threading.Event | None = None,
) -> None:
    """Call `build()` after every change under `paths`, until `stop` is set.

    `ready` is set once the files as they are now have been noted. A build that fails is
    logged with its problems, and the output stays as it was (the build never leaves half
    of one), so the preview keeps the last good version.
    """

    last = source_stamps(paths)
    if ready is not None:
        ready.set()
    while not stop.wait(interval):
        now = source_stamps(paths)
        if now == last:
            continue
        # An editor may write a file in several steps: wait until it stays the same.
        while not stop.wait(interval / 2) and (settled := source_stamps(paths)) != now:
            now = settled
        last = now
        logger.info("Sources changed; building again")
        try:
            build()
        except BuildError as exc:
            logger.error(
                "The build failed; the preview shows the last good one:\n%s",
                "\n".join(exc.problems),
            )
