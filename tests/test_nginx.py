"""The generated nginx configuration, served by a real nginx on 127.0.0.1: headers, language
choice and 404s for every language (three of them too); deploy/nginx.conf is what it says."""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, ROOT, build_site
from french import add_french
from pelicanconf import SECURITY_HEADERS
from press.core.settings import load_settings
from press.publishing.nginx import nginx_config

PUBLISH = ROOT / "publishconf.py"

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_nginx(folder: Path, server: str):
    """A real nginx in `folder` serving the server blocks `server`; returns the process."""
    if not Path(NGINX).is_file() or not MIME_TYPES.is_file():
        reason = "nginx is not installed (Debian: apt-get install nginx-light)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "daemon off;\nevents { worker_connections 64; }\n"
        f"http {{\n include {MIME_TYPES};\n default_type application/octet-stream;\n"
        f" client_body_temp_path {folder}/body;\n proxy_temp_path {folder}/proxy;\n"
        f" fastcgi_temp_path {folder}/fastcgi;\n uwsgi_temp_path {folder}/uwsgi;\n"
        f" scgi_temp_path {folder}/scgi;\n"
        f"{server}\n}}\n",
        encoding="utf-8",
    )
    return subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@contextmanager
def serving(site: Path, settings, folder: Path):
    """The generated configuration of `settings` serving `site` on 127.0.0.1; yields its URL."""
    folder.mkdir(exist_ok=True)
    port = free_port()
    config = nginx_config(settings, root=str(site), listen=f"127.0.0.1:{port}")
    process = start_nginx(folder, config)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stdout.read().decode()}")
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture(scope="module")
def nginx(real_site, tmp_path_factory):
    """A real nginx serving the real site with publishconf.py's configuration; yields its URL."""
    with serving(real_site, load_settings(PUBLISH), tmp_path_factory.mktemp("nginx")) as base:
        yield base


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory):
    """The fixture site with French added, built and served by nginx; yields its URL."""
    folder = tmp_path_factory.mktemp("three")
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    override = add_french(folder, content)
    site = build_site(folder / "output", content, **override)
    settings = load_settings(FIXTURE_SETTINGS, override)
    assert list(settings["I18N_LANGUAGES"]) == ["en", "ko", "fr"]
    with serving(site, settings, folder / "nginx") as base:
        yield base


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    """GET a URL on the loopback server: status, headers, body (redirects not followed)."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_security_headers_on_pages_styles_and_errors(nginx):
    """Every response carries pelicanconf's SECURITY_HEADERS and HSTS, 404s included."""
    for path, status in (
        ("/en/", 200),
        ("/ko/articles/defectors-struggle-for-freedom/", 200),
        ("/theme/css/site.css", 200),
        ("/en/no-such-page/", 404),
    ):
        code, headers, _ = fetch(nginx + path)
        assert code == status, path
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)
        assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
        assert "nginx/" not in headers.get("Server", "")


def test_root_goes_to_the_readers_language(nginx):
    """/ redirects by Accept-Language; without a known language the chooser is shown."""
    assert fetch(nginx + "/", **{"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"})[1]["Location"] == (
        f"{nginx}/ko/"
    )
    code, headers, _ = fetch(nginx + "/", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert (code, headers["Location"]) == (302, f"{nginx}/en/")
    code, _, body = fetch(nginx + "/", **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert code == 200
    assert b'hreflang="ko"' in body and b'hreflang="en"' in body


def test_choose_a_language_shows_the_chooser_whatever_the_browser_asks(nginx):
    """Every page's "Choose a language" link, followed as a browser resolves it, shows the
    chooser, not the language the browser asks for (Tor Browser always asks for English)."""
    for page in ("/ko/", "/ko/articles/defectors-struggle-for-freedom/", "/en/tags/"):
        _code, _headers, body = fetch(nginx + page)
        footer = lxml_html.fromstring(body).xpath("//footer//a")
        [href] = [a.get("href") for a in footer if a.text in ("Choose a language", "언어 선택")]
        chooser = urllib.parse.urljoin(nginx + page, href)
        for asked in ("en-US,en;q=0.5", "ko-KR,ko;q=0.9"):
            code, _, landing = fetch(chooser, **{"Accept-Language": asked})
            assert code == 200, (page, chooser, asked)
            assert b'hreflang="ko"' in landing and b'hreflang="en"' in landing


def test_language_pages_and_their_404s(nginx):
    """Both languages' pages are served as UTF-8 HTML; a missing page gets its language's 404."""
    code, headers, body = fetch(nginx + "/ko/")
    assert code == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<html lang="ko"' in body
    code, _, body = fetch(nginx + "/ko/articles/none/")
    assert code == 404
    assert "페이지를 찾을 수 없습니다".encode() in body
    code, _, body = fetch(nginx + "/en/articles/none/")
    assert code == 404
    assert b"Page not found" in body and b'<base href="/en/">' in body


def test_host_files_are_not_served(nginx):
    """_headers and _redirects (for other hosts) are not pages."""
    assert fetch(nginx + "/_headers")[0] == 404
    assert fetch(nginx + "/_redirects")[0] == 404


def test_a_target_over_ssh_is_served_from_its_folder_on_that_host():
    """nginx runs on the server: its root is the target's path there, without the host."""
    settings = load_settings(
        PUBLISH, {"DEPLOY": {"RSYNC": {"target": "ffhr@example.org:/srv/ffhr"}}}
    )
    config = nginx_config(settings)
    assert "    root /srv/ffhr/current;" in config.splitlines()
    assert "--target ffhr@example.org:/srv/ffhr`" in config


def test_committed_configuration_is_the_generated_one():
    """deploy/nginx.conf is what `invoke nginx` renders from publishconf.py: it cannot drift."""
    committed = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert committed == nginx_config(load_settings(PUBLISH)), "run `invoke nginx` and commit"


def test_three_languages_root_goes_to_each_readers_language(three_languages):
    """Each of three languages is chosen by Accept-Language, the reader's first that the site
    has; with none of them, / shows the chooser, which offers all three."""
    for header, lang in (
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("ko", "ko"),
        ("en-US,en;q=0.5", "en"),
        ("de-DE,de;q=0.9,fr;q=0.8,en;q=0.5", "fr"),  # the first the site has
        ("ja, KO-kr;q=0.8", "ko"),
        ("frisian-x,en", "en"),  # a code is matched whole, not as a prefix
    ):
        code, headers, _ = fetch(three_languages + "/", **{"Accept-Language": header})
        assert (code, headers["Location"]) == (302, f"{three_languages}/{lang}/"), header
    code, _, body = fetch(three_languages + "/", **{"Accept-Language": "de-DE,de;q=0.9"})
    assert code == 200
    for lang in ("en", "ko", "fr"):
        assert f'hreflang="{lang}"'.encode() in body


def test_three_languages_each_have_their_404(three_languages):
    """A missing page gets its own language's 404 page; outside the languages, DEFAULT_LANG's."""
    for path, lang in (
        ("/fr/articles/none/", "fr"),
        ("/ko/articles/none/", "ko"),
        ("/en/articles/none/", "en"),
        ("/no-such-folder/", "en"),
    ):
        code, headers, body = fetch(three_languages + path)
        assert code == 404, path
        assert f'<html lang="{lang}"'.encode() in body, path
        assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert fetch(three_languages + "/fr/articles/shared-story/")[0] == 200
