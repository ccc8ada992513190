"""One build at a time per output: `make serve` rebuilding and a `make build` take turns."""

import logging
import threading
from pathlib import Path

from conftest import (
    CACHE_SUFFIX,
    FIXTURE_SETTINGS,
    append,
    build_report,
    build_site,
    wait_for,
)
from press.build.cache import cache_key
from press.build.state import WAITING, lock_path, locked, state_name
from press.core.settings import load_settings


def test_a_build_waits_for_another_build_of_the_same_output(tmp_path, content):
    """`make serve` rebuilding and a `make build` at once take turns on the output."""
    output = build_site(tmp_path / "output", content)
    settings = load_settings(FIXTURE_SETTINGS, {"PATH": str(content),
                             "CACHE_PATH": str(tmp_path / f"output{CACHE_SUFFIX}")})  # fmt: skip
    cache = Path(settings["CACHE_PATH"])
    assert (cache / cache_key(settings) / state_name(output)).is_file()
    page = output / "en" / "articles" / "english-only" / "index.html"
    append(content / "en" / "articles" / "english-only.md", "\nWritten while locked.\n")
    reports, waiting = [], threading.Event()

    class Waiting(logging.Handler):
        """Sees the build reach the lock: the moment to look, not what is asserted."""

        def emit(self, record):
            if record.msg == WAITING:
                waiting.set()

    logger, handler = logging.getLogger("press.build.state"), Waiting()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with locked(lock_path(cache, output)):  # as a build of the same output would hold it
            builder = threading.Thread(target=lambda: reports.append(build_report(output, content)))
            builder.start()
            # The build has reached the lock and waits there: without it, nothing would
            # stop it from going on, and it is not done.
            assert wait_for(lambda: waiting.is_set() or reports, 120)
            assert waiting.is_set() and not reports
            assert "Written while locked." not in page.read_text("utf-8")
        builder.join(120)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    [report] = reports
    assert report.kind == "update" and "en/articles/english-only/index.html" in report.written
    assert "Written while locked." in page.read_text("utf-8")
