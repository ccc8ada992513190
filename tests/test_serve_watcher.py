"""`make serve`'s watcher: an edit is built again; a bad edit keeps the last good site."""

import logging
import threading
from functools import partial

from conftest import append, build_site, wait_for
from press.build.watch import watch


def test_serve_builds_again_after_an_edit(tmp_path, content, caplog):
    """The watcher behind `invoke serve`: an edit is built; a bad edit keeps the last output."""
    output = build_site(tmp_path / "output", content)
    page = output / "en" / "articles" / "english-only" / "index.html"
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=watch, args=(partial(build_site, output, content), [content], stop, 0.05, ready)
    )
    watcher.start()
    try:
        assert ready.wait(60)
        append(content / "en" / "articles" / "english-only.md", "\nA line typed just now.\n")
        assert wait_for(lambda: "A line typed just now." in page.read_text("utf-8"))
        with caplog.at_level(logging.ERROR, logger="press.build.watch"):
            append(content / "en" / "articles" / "english-only.md", "\n[x]({filename}gone.md)\n")
            assert wait_for(lambda: "The build failed" in caplog.text)
        assert "gone.md points at a file that does not exist" in caplog.text
        assert "A line typed just now." in page.read_text("utf-8")
    finally:
        stop.set()
        watcher.join()
