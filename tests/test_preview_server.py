"""The preview server of `make serve` and `invoke review --serve`, over real loopback HTTP."""

import socket
import threading
import urllib.error
import urllib.request

import pytest

from conftest import FIXTURE_SETTINGS, ROOT, copy_project, run_invoke
from press.build.preview import PortInUse, preview_server
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
