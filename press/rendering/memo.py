"""What a Pelican run worked out about its articles, kept beside the content cache for the next.

A rebuild reads most articles from Pelican's content cache, unchanged: what was worked out
from their HTML then (a reading time, a passed check) holds again. Each memo knows its
entries by a hash of everything its answer depends on; the file is under the language's
CACHE_PATH, whose key names the project's code (press.build.cache), so new code starts anew.
"""

import hashlib
import json
import logging
from pathlib import Path

from press.core.files import replace_file
from press.rendering.incremental import partial_read

logger = logging.getLogger(__name__)


def digest(*parts: str) -> str:
    """The key of an entry: a short hash of every part its answer depends on."""
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        # Each part's length first: no two lists of parts hash alike by moving a boundary.
        data = part.encode("utf-8", "surrogatepass")
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


class RunMemo:
    """Answers by key: those of the last run (`known`), and those this run used (`used`)."""

    def __init__(self, name: str):
        self.name = name
        self.known: dict = {}
        self.used: dict = {}
        self.path: Path | None = None
        self.partial = False

    def load(self, settings: dict) -> None:
        """Read the answers of the last run, when this run uses the content cache."""
        self.known, self.used, self.path = {}, {}, None
        # An update that reads some articles keeps the others' answers too.
        self.partial = partial_read(settings)
        if not settings.get("CACHE_CONTENT"):
            return
        self.path = Path(settings["CACHE_PATH"]) / f"{self.name}.json"
        if settings.get("LOAD_CONTENT_CACHE") and self.path.is_file():
            try:
                known = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = None
            if isinstance(known, dict):
                self.known = known
            else:  # cut short or garbage: a memo only saves work, it decides nothing
                logger.debug("Unreadable %s; working every answer out again", self.path)

    def get(self, key: str):
        """The last run's answer for `key`, kept for the next run too; None if unknown."""
        answer = self.known.get(key)
        if answer is not None:
            self.used[key] = answer
        return answer

    def put(self, key: str, answer) -> None:
        """Keep this run's answer for `key`."""
        self.used[key] = answer

    def save(self) -> None:
        """Keep the answers this run used (only those, so the memo never grows stale; and
        the last run's others, when this one read only some articles)."""
        if self.path is None:
            return
        answers = {**self.known, **self.used} if self.partial else self.used
        # Runs of other builds (review, publish) share the file: each writes it whole.
        replace_file(self.path, json.dumps(answers).encode("utf-8"))
