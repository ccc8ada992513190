"""`make serve`'s watcher: an edit is built again; a bad edit keeps the last good site."""

import logging
import threading

from conftest import append, build_report, build_site, edit, stamps, wait_for
from press.build.errors import BuildError
from press.build.watch import watch


def test_serve_builds_again_after_an_edit(tmp_path, content, caplog):
    """The watcher behind `invoke serve`: an edit is built; a bad edit keeps the last output
    and shows its problems; the watcher goes on and builds the edit that mends it, and says
    so again (Pelican's filter of repeated log messages swallows no rebuild's lines)."""
    caplog.set_level(logging.INFO, logger="press.build.watch")
    output = build_site(tmp_path / "output", content)
    page = output / "en" / "articles" / "english-only" / "index.html"
    source = content / "en" / "articles" / "english-only.md"
    builds = []  # what each build the watcher started gave: its report, or its BuildError

    def build():
        try:
            builds.append(build_report(output, content))
        except BuildError as error:
            builds.append(error)
            raise

    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(build, [content], stop, ready))
    watcher.start()
    try:
        assert ready.wait(60)
        append(source, "\nA line typed just now.\n")
        assert wait_for(lambda: len(builds) == 1)
        assert builds[0].kind == "update" and builds[0].edited == ("en/articles/english-only.md",)
        assert "en/articles/english-only/index.html" in builds[0].written
        assert "A line typed just now." in page.read_text("utf-8")
        good = stamps(output)

        append(source, "\n[x]({filename}gone.md)\n")
        assert wait_for(lambda: len(builds) == 2)
        failure = builds[1]
        assert isinstance(failure, BuildError)
        assert wait_for(lambda: _errors(caplog))
        line = len(source.read_text("utf-8").splitlines())
        assert [p.split(": ", 1)[0] for p in failure.problems] == [f"{source}:{line}"]
        assert "gone.md" in failure.problems[0]
        # Whoever runs `make serve` reads the problems in the log; the site stays the last good.
        [record] = _errors(caplog)
        assert all(problem in record.getMessage() for problem in failure.problems)
        assert stamps(output) == good

        edit(source, "[x]({filename}gone.md)", "Mended.")
        assert wait_for(lambda: len(builds) == 3)
        assert builds[2].kind == "update" and "Mended." in page.read_text("utf-8")
        assert wait_for(lambda: any("Build 3 done" in m for m in _lines(caplog)))
        started = [m for m in _lines(caplog) if m.endswith("building again")]
        assert started == [f"Build {n}: {source} changed; building again" for n in (1, 2, 3)]
    finally:
        stop.set()
        watcher.join()


def _lines(caplog) -> list[str]:
    """What the watcher logged, line by line."""
    return [r.getMessage() for r in caplog.records if r.name == "press.build.watch"]


def _errors(caplog) -> list[logging.LogRecord]:
    """The errors the watcher logged."""
    return [
        r for r in caplog.records if r.name == "press.build.watch" and r.levelno >= logging.ERROR
    ]
