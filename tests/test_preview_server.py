"""The preview server of `make serve` and `invoke review --serve`, over real loopback HTTP."""

import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import FIXTURE_SETTINGS, ROOT, copy_project, run_invoke
from press.build.preview import PortInUse, preview_server, served_siteurl
from press.core.settings import load_settings


@pytest.fixture(scope="module")
def preview(fixture_site):
    """The fixture site served on a free port of 127.0.0.1; yields its base URL."""
    settings = load_settings(FIXTURE_SETTINGS)
    server = preview_server(fixture_site, 0, settings["I18N_LANGUAGES"], settings["DEFAULT_LANG"])
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _get(url: str, method="GET") -> tuple[int, str, bytes]:
    """Status, content type and body of a request, errors included."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("/ko/no-such-page/", "ko"),
        ("/ko/articles/no-such-article/index.html", "ko"),
        ("/en/no-such-page/", "en"),
        ("/no-such-page.html", "en"),  # outside every language: the default language's
        ("/..%2f..%2fko/no-such-page/", "ko"),  # no way out of the folder served
    ],
)
def test_a_missing_page_gets_the_sites_404_page_of_its_language(preview, fixture_site, path, lang):
    """A missing page is answered 404 with the site's own 404 page of the path's language."""
    status, content_type, body = _get(preview + path)
    assert status == 404
    assert content_type == "text/html; charset=utf-8"
    assert body == (fixture_site / lang / "404.html").read_bytes()
    assert f'<html lang="{lang}"'.encode() in body


def test_pages_are_served_and_a_head_request_gets_no_body(preview, fixture_site):
    """A page is served as it was built; a HEAD request for a missing page has no body."""
    status, _, body = _get(preview + "/ko/")
    assert status == 200 and body == (fixture_site / "ko" / "index.html").read_bytes()
    assert _get(preview + "/ko/no-such-page/", method="HEAD")[::2] == (404, b"")


@pytest.fixture
def busy_port():
    """A port of 127.0.0.1 another program listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_a_busy_port_is_refused_with_one_line_naming_the_option(tmp_path, busy_port):
    """`invoke serve` and `invoke review --serve` on a busy port: one line naming the option
    to choose another, a non-zero exit code, no traceback, nothing built."""
    with pytest.raises(PortInUse):
        preview_server(tmp_path, busy_port, ["en"], "en")
    project = copy_project(tmp_path / "project", ROOT / "tests" / "fixtures" / "content")
    for args, option in [
        (("serve", "--port", str(busy_port)), "make serve PORT=8123 / invoke serve --port"),
        (("review", "--serve", "--port", str(busy_port)), "invoke review --serve --port 8123"),
    ]:
        done = run_invoke(project, *args)
        assert done.returncode != 0
        assert done.stderr == f"port {busy_port} is in use; choose another: {option}\n"
        assert "Traceback" not in done.stdout
    assert not (project / "output").exists() and not (project / "review").exists()


def test_the_review_preview_defaults_to_another_port_than_serve():
    """`invoke review --serve` and `make serve` can run at once with their default ports."""
    import tasks  # the project's tasks.py, at the root

    serve_port = tasks.serve.body.__defaults__[0]
    review_port = tasks.review.body.__defaults__[1]
    assert (serve_port, review_port) == (8000, 8001)
    assert "PORT ?= 8000" in (ROOT / "Makefile").read_text()
    assert "invoke serve --port $(PORT)" in (ROOT / "Makefile").read_text()


@pytest.mark.parametrize(
    ("siteurl", "served"),
    [
        ("http://localhost:8000", "http://localhost:8123"),
        ("http://localhost", "http://localhost:8123"),
        ("http://127.0.0.1:8000/ffhr", "http://127.0.0.1:8123/ffhr"),
        ("http://[::1]:8000", "http://[::1]:8123"),
        # Not this machine: a preview cannot stand in for it.
        ("https://ffhr.example.org", "https://ffhr.example.org"),
        ("http://localhost.example.org:8000", "http://localhost.example.org:8000"),
    ],
)
def test_a_local_site_address_takes_the_previews_port(siteurl, served):
    assert served_siteurl(siteurl, 8123) == served


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _default_ctrl_c() -> None:
    # A shell without job control starts background commands with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_on_another_port_leads_feeds_and_canonical_links_to_that_port(tmp_path):
    """`make serve PORT=...`: the absolute addresses of the pages and feeds it builds are
    the preview's own, so following a feed's or a page's canonical link stays on it."""
    project = copy_project(tmp_path / "project", ROOT / "tests" / "fixtures" / "content")
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)], cwd=project, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_default_ctrl_c,
    )  # fmt: skip
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _type, feed = _get(f"{origin}/en/feeds/all.atom.xml")
                break
            except OSError:
                assert serve.poll() is None and time.monotonic() < deadline, serve.communicate()
                time.sleep(0.2)
        assert status == 200
        links = [link.decode() for link in re.findall(rb'<link href="([^"]+)"', feed)]
        assert links and all(link.startswith(f"http://localhost:{port}/") for link in links)
        entry = next(link for link in links if "/articles/" in link)
        status, _type, page = _get(entry.replace("localhost", "127.0.0.1"))
        assert status == 200
        canonical = re.search(rb'<link rel="canonical" href="([^"]+)"', page)[1].decode()
        assert canonical == entry
    finally:
        serve.send_signal(signal.SIGINT)
        out, err = serve.communicate(timeout=60)
    assert serve.returncode == 0, f"{out}\n{err}"
