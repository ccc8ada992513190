"""One build at a time per output: `make serve` rebuilding and a `make build` take turns."""

import logging
import threading
import time
from pathlib import Path

from conftest import CACHE_SUFFIX, ROOT, append, build_site
from press.build.cache import cache_key
from press.build.state import WAITING, locked, state_name
from press.core.settings import load_settings


def test_a_build_waits_for_another_build_of_the_same_output(tmp_path, content):
    """`make serve` rebuilding and a `make build` at once take turns on the output."""
    output = build_site(tmp_path / "output", content)
    settings = load_settings(ROOT / "pelicanconf.py", {"PATH": str(content),
                             "CACHE_PATH": str(tmp_path / f"output{CACHE_SUFFIX}")})  # fmt: skip
    state = Path(settings["CACHE_PATH"]) / cache_key(settings) / state_name(output)
    assert state.is_file()
    append(content / "en" / "articles" / "english-only.md", "\nWritten while locked.\n")
    done, waiting = threading.Event(), threading.Event()

    class Watcher(logging.Handler):
        def emit(self, record):
            if record.msg == WAITING:
                waiting.set()

    watcher = Watcher()
    logging.getLogger("press.build.state").addHandler(watcher)
    logging.getLogger("press.build.state").setLevel(logging.INFO)
    try:
        with locked(state):  # as a build of the same output would hold it
            builder = threading.Thread(target=lambda: (build_site(output, content), done.set()))
            builder.start()
            # The build has reached the lock and waits there: without it, nothing would
            # stop it from going on, and it is not done.
            deadline = time.monotonic() + 120
            while not (waiting.is_set() or done.is_set()) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert waiting.is_set() and not done.is_set()
            page = output / "en" / "articles" / "english-only" / "index.html"
            assert "Written while locked." not in page.read_text("utf-8")
        builder.join(120)
    finally:
        logging.getLogger("press.build.state").removeHandler(watcher)
    assert done.is_set()
    assert "Written while locked." in page.read_text("utf-8")
