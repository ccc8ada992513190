"""The edit loop of `make serve`: how long from saving an article to its page being rewritten.

A watcher process (`python -m bench.worker serve ...`) builds a site once, then watches its
content folder and builds again after each edit, as `invoke serve` does (press.build.watch,
without the HTTP server, which plays no part in the time). This process saves an edit to an
English article, then reads the article's page until the edit is in it: that delay is what
an author waits for between saving and reloading the preview. It is measured per edit,
several edits a site, and reported as a median beside its target.
"""

import json
import logging
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

SENTENCE = "One more sentence, saved for edit number {number}."
POLL = 0.002  # seconds between two looks at the page
TIMEOUT = 60.0  # seconds an edit may take before the measurement gives up


class EditLoopError(Exception):
    """The watcher did not start, or an edit never reached its page."""


@dataclass(frozen=True)
class EditLoop:
    """Save → page rewritten, for every edit of one site (seconds)."""

    name: str
    what: str
    delays: list[float]
    target: float

    @property
    def median(self) -> float:
        """The median delay."""
        return statistics.median(self.delays)

    @property
    def passed(self) -> bool:
        """Whether the median meets the target."""
        return self.median <= self.target


def measure(
    name: str,
    what: str,
    project: Path,
    env: dict,
    content: Path,
    article: str,
    work: Path,
    edits: int,
    target: float,
) -> EditLoop:
    """Start a watcher on `content`, save `edits` edits of en/articles/`article`.md one at a
    time, and time each until its page holds it."""
    work.mkdir(parents=True)
    source = content / "en" / "articles" / f"{article}.md"
    page = work / "output" / "en" / "articles" / article / "index.html"
    done = work / "builds-done"
    arguments = {
        "settings": "pelicanconf.py",
        "content": str(content),
        "output": str(work / "output"),
        "cache": str(work / "cache"),
        "done": str(done),
    }
    log = (work / "log.txt").open("w")
    watcher = subprocess.Popen(
        [sys.executable, "-m", "bench.worker", "serve", json.dumps(arguments)],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(lambda: _builds(done) >= 1, watcher, work, "the first build")
        delays = []
        for number in range(1, edits + 1):
            before = _builds(done)
            text = SENTENCE.format(number=number)
            with source.open("a", encoding="utf-8") as fileobj:
                fileobj.write(f"\n{text}\n")
            saved = time.perf_counter()
            written = text.encode("utf-8")
            _wait(lambda written=written: written in _read(page), watcher, work, f"edit {number}")
            delays.append(time.perf_counter() - saved)
            # The next edit waits for this build to end (its state saved), as an author
            # reading the page would; the page is rewritten before the build ends.
            _wait(lambda before=before: _builds(done) > before, watcher, work, f"build {number}")
            logger.info("%s: edit %d on its page after %.3f s", name, number, delays[-1])
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
        log.close()
    return EditLoop(name, what, delays, target)


def _builds(done: Path) -> int:
    try:
        return int(done.read_text() or 0)
    except (OSError, ValueError):
        return 0


def _read(page: Path) -> bytes:
    try:
        return page.read_bytes()
    except OSError:
        return b""


def _wait(condition, watcher: subprocess.Popen, work: Path, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        if watcher.poll() is not None or time.perf_counter() > deadline:
            tail = (work / "log.txt").read_text(errors="replace")[-2000:]
            raise EditLoopError(f"the watcher never finished {what}:\n{tail}")
        time.sleep(POLL)


def serve(settings: str, content: str, output: str, cache: str, done: str) -> None:
    """The watcher: build, then build again after every edit of `content`; after each build,
    write how many have finished into the file `done` (run by bench.worker)."""
    import threading

    from press.build.pipeline import build
    from press.build.watch import watch

    finished = 0

    def rebuild():
        nonlocal finished
        report = build(settings, output=output, override={"PATH": content, "CACHE_PATH": cache})
        finished += 1
        partial = Path(f"{done}.part")
        partial.write_text(str(finished))
        partial.replace(done)
        return report

    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(target=watch, args=(rebuild, [content], stop, ready), daemon=True)
    thread.start()
    ready.wait()
    rebuild()  # after the watch began: no edit is missed
    thread.join()
