"""The content checks of a full build, in a process of their own from the build's start.

They read the sources and the catalogs and need nothing the build works out
(press.checks.content.check_site). Started before the translation index is read, they have
the core the index leaves idle, and take that much less from the language runs, which start
as soon as the index is there.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import get_context

from press.checks.content import check_site
from press.core.problems import Problem


class StartedChecks:
    """The content checks of one build, at work in a process of their own."""

    def __init__(self, settings: dict):
        # fork: the process starts with the build's modules and settings already there.
        self._pool = get_context("fork").Pool(1)
        self._found = self._pool.apply_async(check_site, (settings,), {"render_html": False})

    def problems(self) -> list[Problem]:
        """What check_site found (the build leaves the rendered HTML to its runs), once done."""
        return self._found.get()

    def stop(self) -> None:
        """End the process, done or not (a build that failed before needs its answer no more)."""
        self._pool.terminate()
        self._pool.join()


@contextmanager
def started_checks(settings: dict) -> Iterator[StartedChecks]:
    """The content checks of `settings`' content, started now and stopped when the block ends."""
    checks = StartedChecks(settings)
    try:
        yield checks
    finally:
        checks.stop()
