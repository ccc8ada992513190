"""Anything at once in one checkout: serve, build, review, publish, offline and the tests share
cache/ and output/, and none crashes or spoils what another writes (issue 16)."""

import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from pelican.cache import FileDataCacher

from conftest import (
    FIXTURE_CONTENT,
    PRIVATE_VARIABLES,
    assert_same_tree,
    copy_project,
    run_invoke,
    wait_for,
)
from press.build.pelican_cache import share_safely
from press.build.state import lock_path, locked

SECONDS = 20  # each command runs again and again for this long, at least twice
# The commands, as invoke arguments. `make test` writes into the checkout's cache/ where a
# test builds with the project's own settings and cache folder (test_offline_edition builds
# the offline edition with pelicanconf.py): its stand-in does just that, reading and writing
# the cache `invoke offline` writes. Every other test builds into a tmp folder with a cache
# of its own.
MAKE_TEST = (
    "import sys; from pathlib import Path; from press.build.offline import build_offline; "
    "build_offline('pelicanconf.py', Path(sys.argv[1]))"
)
COMMANDS = {
    "build": ["-m", "invoke", "build"],
    "review": ["-m", "invoke", "review"],
    "publish": ["-m", "invoke", "publish"],
    "offline": ["-m", "invoke", "offline"],
    "make test": ["-c", MAKE_TEST],
}


def _environment() -> dict[str, str]:
    """The environment of a maintainer's shell, with the tests' private names list rather
    than this machine's."""
    environment = {key: value for key, value in os.environ.items() if key not in PRIVATE_VARIABLES}
    # The tests' own list (conftest.tests_private_names), which publishing requires.
    return {**environment, "PRIVATE_NAMES_FILE": os.environ["PRIVATE_NAMES_FILE"]}


def _start(project: Path, args: list[str]) -> subprocess.Popen:
    """Start `python <args>` in the project, its output kept for the assertion messages."""
    return subprocess.Popen(
        [sys.executable, *args], cwd=project, env=_environment(), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_ctrl_c_as_in_a_terminal,
    )  # fmt: skip


def _ctrl_c_as_in_a_terminal() -> None:
    # A shell without job control starts background commands with SIGINT ignored, and the
    # children inherit that (the tests run so from `nohup ... &`): Ctrl-C as a person sends it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> bytes | None:
    """The body of a page served at `url`, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read()
    except OSError:
        return None


# What `invoke serve --port PORT` builds, without serving it (tasks.serve).
SERVE_BUILD = (
    "import sys; from press.build.pipeline import build; from press.core.settings import "
    "load_settings; from press.build.preview import served_siteurl; "
    "siteurl = served_siteurl(load_settings('pelicanconf.py')['SITEURL'], int(sys.argv[1])); "
    "build('pelicanconf.py', override={'SITEURL': siteurl})"
)


def _alone(tmp_path: Path, port: int) -> dict[str, Path]:
    """What each command makes when it runs alone in a checkout of its own (`make serve`'s
    build: on `port`)."""
    project = copy_project(tmp_path / "alone", FIXTURE_CONTENT)
    made = {}
    for name in ("build", "publish", "serve"):  # each ends in output/
        if name == "serve":
            done = subprocess.run(
                [sys.executable, "-c", SERVE_BUILD, str(port)], cwd=project,
                env=_environment(), capture_output=True, text=True,
            )  # fmt: skip
        else:
            done = run_invoke(project, name)
        assert done.returncode == 0, done.stderr
        made[name] = project / f"output-{name}"
        shutil.copytree(project / "output", made[name])
    for name in ("review", "offline"):
        done = run_invoke(project, name)
        assert done.returncode == 0, done.stderr
    made["review"], made["offline"] = project / "review", project / "dist" / "ffhr-offline.zip"
    return made


def _again_and_again(project: Path, name: str, until: float, tmp_path: Path) -> list[str]:
    """Run one command until `until` (at least twice); return how each failed run failed."""
    failures, count = [], 0
    while count < 2 or time.monotonic() < until:
        args = COMMANDS[name] + ([str(tmp_path / f"make-test-{count}.zip")] * (name == "make test"))
        out, err = (run := _start(project, args)).communicate(timeout=300)
        if run.returncode:
            failures.append(f"{name}, run {count}:\n{out}\n{err}")
        count += 1
    return failures


def test_serve_build_review_publish_offline_and_tests_at_once(tmp_path):
    """Every command again and again at once in one checkout, each starting as the last
    ended (so that one starts while another finishes), with `invoke serve` building again
    after each save meanwhile: each succeeds, and output/, review/ and the offline ZIP are
    each what one command alone makes (output/: the last build's or publish's, whole).

    `make test` is stood in for by what it does to the checkout (MAKE_TEST): the offline
    build with the project's own settings and cache. The whole suite would take minutes, and
    its other builds use tmp folders and caches of their own. The old `EOFError` shows here
    only now and then (a save takes milliseconds): the test below finds it every time.
    """
    project = copy_project(tmp_path / "together", FIXTURE_CONTENT)
    port = _free_port()
    serve = _start(project, ["-m", "invoke", "serve", "--port", str(port)])
    page = "en/articles/english-only/index.html"
    try:
        until = time.monotonic() + SECONDS
        with ThreadPoolExecutor(len(COMMANDS)) as pool:
            lanes = [pool.submit(_again_and_again, project, name, until, tmp_path)
                     for name in COMMANDS]  # fmt: skip
            while not all(lane.done() for lane in lanes):
                # A save with the same bytes: `make serve` builds again meanwhile.
                os.utime(project / "content" / page.replace("/index.html", ".md"))
                time.sleep(2)
            failures = [failure for lane in lanes for failure in lane.result()]
        assert not failures, "\n".join(failures)
        assert serve.poll() is None, serve.communicate()
        time.sleep(2)  # the watcher has seen the last save (it waits 50 ms for more)
        with locked(lock_path(project / "cache", (project / "output").resolve())):
            pass  # `make serve`'s build after it is done
        # The preview still serves output/, whoever replaced it last.
        assert wait_for(lambda: _fetch(f"http://127.0.0.1:{port}/{page}") is not None, 60)
        assert _fetch(f"http://127.0.0.1:{port}/{page}") == (project / "output" / page).read_bytes()
    finally:
        serve.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = serve.communicate(timeout=60)
    assert serve.returncode == 0, f"{out}\n{err}"
    alone = _alone(tmp_path, port)
    # The last one to finish was a build (development settings), `make serve`'s build (the
    # same, on its port) or publish (production).
    last = (project / "output" / page).read_text()
    sites = {"ffhr.example.org": "publish", f"localhost:{port}": "serve", "localhost:8000": "build"}
    [wanted] = [name for address, name in sites.items() if address in last]
    assert_same_tree(project / "output", alone[wanted])
    assert_same_tree(project / "review", alone["review"])
    made = project / "dist" / "ffhr-offline.zip"
    assert made.read_bytes() == alone["offline"].read_bytes()
    with zipfile.ZipFile(made) as archive:
        assert archive.testzip() is None
    assert not list((project / "cache").rglob("*.tmp"))  # nothing left half-written


# Pelican's cacher as a language's run uses it: the same file saved and loaded by several
# processes at once (build, review and publish of one checkout share a cache folder).
ENTRIES = {f"content/en/articles/{n}.md": ("<p>" + "words " * 2000 + "</p>", {}) for n in range(40)}


def _cacher(folder: str, load: bool) -> FileDataCacher:
    settings = {"CACHE_PATH": folder, "GZIP_CACHE": False}
    return FileDataCacher(settings, "ArticlesGenerator-Readers", True, load)


def _save_often(folder: str, until: float) -> int:
    """Save the whole cache again and again, as the runs of builds that finish do."""
    share_safely()
    saves = 0
    while not saves or time.monotonic() < until:
        cacher = _cacher(folder, False)
        for name, data in ENTRIES.items():
            cacher.cache_data(name, data)
        cacher.save_cache()
        saves += 1
    return saves


def _load_often(folder: str, until: float) -> int:
    """Load the cache again and again, as the runs of builds that start do; count the
    loads that found it incomplete."""
    share_safely()
    incomplete = 0
    while time.monotonic() < until:
        if _cacher(folder, True)._cache != ENTRIES:
            incomplete += 1
    return incomplete


def test_a_cache_saved_while_others_load_it_is_always_found_whole(tmp_path):
    """Runs loading the content cache while others save it find all of it every time: never
    half a pickle (EOFError, before), nor an empty cache that reads every source again."""
    folder = str(tmp_path / "cache")
    with get_context("fork").Pool(4) as pool:
        assert pool.apply(_save_often, (folder, 0)) == 1  # the cache an earlier build left
        until = time.monotonic() + 3
        savers = [pool.apply_async(_save_often, (folder, until)) for _ in range(2)]
        loaders = [pool.apply_async(_load_often, (folder, until)) for _ in range(2)]
        assert all(saver.get(60) > 10 for saver in savers)
        assert [loader.get(60) for loader in loaders] == [0, 0]
    with Path(folder, "ArticlesGenerator-Readers").open("rb") as fileobj:
        assert pickle.load(fileobj) == ENTRIES
