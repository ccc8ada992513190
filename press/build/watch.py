"""Build again whenever a source changes: `invoke serve` keeps the preview up to date.

The operating system tells of each change (inotify, FSEvents, ReadDirectoryChangesW, through
`watchfiles`), so a build starts as soon as an edit is saved rather than at the next poll.
Changes are grouped as watchfiles groups them: until none has come for `step` milliseconds
(an editor writing a file in several steps), for at most `debounce`. Each build after an
edit of article bodies is an update (state.py).

Each line the watcher logs carries the number of its build: Pelican's logging filter drops a
message logged once already, and an author must see every rebuild and every success.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchfiles import Change, DefaultFilter
from watchfiles import watch as watch_changes

from press.build.errors import BuildError
from press.build.pipeline import BuildReport

logger = logging.getLogger(__name__)

# Compiled catalogs, which `invoke i18n.compile` writes (a build compiles its own in memory)
# and no build reads, besides what editors and Python leave in passing (swap files, backups,
# __pycache__), which watchfiles' own filter ignores.
SOURCE_FILTER = DefaultFilter(
    ignore_entity_patterns=(*DefaultFilter.ignore_entity_patterns, r"\.mo$")
)


def changed_line(count: int, changed: Iterable[str]) -> str:
    """The line that says build `count` starts, after edits to `changed` (file names)."""
    return f"Build {count}: {', '.join(sorted(changed))} changed; building again"


def done_line(count: int, result: object, seconds: float) -> str:
    """The line that says build `count` succeeded: what it wrote, and how long it took."""
    if isinstance(result, BuildReport):
        what = f"{result.kind}, {len(result.written)} file(s) written into {result.output}"
    else:
        what = f"built into {result}"
    return f"Build {count} done in {seconds:.2f} s: {what}"


def watch(
    build: Callable[[], object],
    paths,
    stop: threading.Event,
    ready: threading.Event | None = None,
    step: int = 50,
    debounce: int = 1600,
) -> None:
    """Call `build()` after every change under `paths` (folders or files), until `stop` is set.

    `ready` is set once the operating system watches the files. A build that fails is
    logged with its problems, and the output stays as it was (the build never leaves half
    of one), so the preview keeps the last good version.
    """
    paths = [Path(path) for path in paths]
    files = {str(path.resolve()) for path in paths if path.is_file()}
    count = 0
    while not stop.is_set():
        # An editor that saves a file by writing a new one and renaming it over the old
        # ends the watch of that file: the watcher starts again on the new one.
        for changes in watch_changes(
            *paths,
            watch_filter=SOURCE_FILTER,
            step=step,
            debounce=debounce,
            stop_event=stop,
            rust_timeout=1000,
            yield_on_timeout=True,  # the first (empty) yield: the watch has begun
            raise_interrupt=False,
        ):
            if ready is not None:
                ready.set()
            if not changes:
                continue
            count += 1
            renamed = any(kind == Change.deleted and path in files for kind, path in changes)
            if renamed:
                _wait_for(files, stop)
            logger.info("%s", changed_line(count, {_shown(path) for _, path in changes}))
            _build(build, count)
            if renamed:
                break


def _build(build: Callable[[], object], count: int) -> None:
    start = time.monotonic()
    try:
        result = build()
    except BuildError as exc:
        logger.error(
            "Build %d failed; the preview shows the last good one:\n%s",
            count,
            "\n".join(exc.problems),
        )
    else:
        logger.info("%s", done_line(count, result, time.monotonic() - start))


def _shown(path: str) -> str:
    """A changed file's path inside the current folder when it is there (the project's)."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _wait_for(files: set[str], stop: threading.Event) -> None:
    """Wait until every watched file exists again (an editor's rename), or `stop`."""
    while not all(Path(file).exists() for file in files) and not stop.wait(0.05):
        pass
