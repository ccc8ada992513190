"""deploy/nginx.conf served by a real nginx on 127.0.0.1: headers, language pages, 404s."""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from pelicanconf import SECURITY_HEADERS

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_config(site: Path, port: int) -> str:
    """deploy/nginx.conf as a test server: plain HTTP on 127.0.0.1, root at `site`."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    start, end = text.index("# BEGIN plain-http"), text.index("# END plain-http")
    text = text[:start] + text[end:]
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("ssl_certificate", "listen [::]", "http2 on")):
            continue
        if stripped.startswith("listen 443"):
            line = f"    listen 127.0.0.1:{port};"
        if stripped.startswith("root "):
            line = f"    root {site};"
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def nginx(real_site, tmp_path_factory):
    """A real nginx serving the built site with deploy/nginx.conf; yields its base URL."""
    if not Path(NGINX).is_file() or not MIME_TYPES.is_file():
        reason = "nginx is not installed (Debian: apt-get install nginx-light)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "daemon off;\nevents { worker_connections 64; }\n"
        f"http {{\n include {MIME_TYPES};\n default_type application/octet-stream;\n"
        f" client_body_temp_path {folder}/body;\n proxy_temp_path {folder}/proxy;\n"
        f" fastcgi_temp_path {folder}/fastcgi;\n uwsgi_temp_path {folder}/uwsgi;\n"
        f" scgi_temp_path {folder}/scgi;\n"
        f"{server_config(real_site, port)}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stdout.read().decode()}")
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


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


def test_language_pages_and_their_404s(nginx):
    """Both languages' pages are served as UTF-8 HTML; a missing page gets its language's 404."""
    code, headers, body = fetch(nginx + "/ko/")
    assert code == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<html lang="ko">' in body
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
