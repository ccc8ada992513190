"""The offline edition: the whole bilingual site in one ZIP that works from file://.

For readers who cannot reach the site, and for those who pass it on by USB stick. Every
link names an .html file (a folder link would open a file listing), nothing is absolute,
and the ZIP is reproducible: fixed timestamps and order, with a SHA-256 manifest inside so
a copy can be checked against a known one. With a signing key (press.publishing.signing),
the manifest is signed inside the ZIP and the ZIP beside it, each in minisign's format.
"""

import logging
import os
import posixpath
import shutil
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from press.build.errors import BuildError
from press.build.pipeline import build, read_settings
from press.checks.output import published_site
from press.core.files import file_names, html_pages, replace_file
from press.core.problems import Problem
from press.publishing.edition import MANIFEST, MANIFEST_SIGNATURE, manifest
from press.publishing.signing import SigningKey, edition_of, signature_path
from press.rendering.multilingual import feed_style
from press.safety import published
from press.safety.markup import parse
from press.safety.published import locate

logger = logging.getLogger(__name__)

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP can say: no build time inside
TOP = "ffhr-offline"
# What only makes sense on a server: feeds, search engine files, host configuration, 404s.
SERVER_ONLY = ("sitemap.xml", "robots.txt", "_headers", "_redirects")
README = """FFHR: offline edition / 오프라인판

Open index.html in any web browser. No network connection is needed.
index.html 파일을 아무 웹 브라우저로나 여십시오. 인터넷에 연결하지 않아도 됩니다.

SHA256SUMS lists a SHA-256 checksum for every file, to check that a copy is complete
and unchanged (for example: sha256sum -c SHA256SUMS).
SHA256SUMS에는 모든 파일의 SHA-256 값이 있어, 사본이 완전하고 바뀌지 않았는지
확인할 수 있습니다 (예: sha256sum -c SHA256SUMS).
"""
# Added to README.txt when the settings give the site's public address (and its onion one):
# a reader of a copy passed on, who never saw the site, can find it and its safety page.
ADDRESS_README = """
The site on the web, with its safety page and the other addresses of the site:
웹에 있는 사이트의 주소입니다. 안전 페이지와 사이트의 다른 주소도 그곳에 있습니다:
{address}
"""
ONION_README = """
In Tor Browser only, its onion address:
Tor Browser에서만 열리는 어니언 주소:
{address}
"""
# Added to README.txt in a signed edition.
SIGNED_README = """
SHA256SUMS.minisig is the signature of SHA256SUMS, made with FFHR's key. The safety page of
the site shows that key and how to check the signature with minisign.
SHA256SUMS.minisig는 FFHR의 키로 만든 SHA256SUMS의 서명입니다. 사이트의 안전 페이지에
그 키와, minisign으로 서명을 확인하는 방법이 있습니다.
"""


def offline_override(settings: dict) -> dict:
    """Settings that make every link name a file and drop absolute addresses.

    MIRROR_OF is the public site's address (SITEURL), which the safety page lists among the
    site's addresses as text, as the onion build's does: a reader of a copy finds the site.
    """
    override = {"OFFLINE": True, "RELATIVE_URLS": True}
    if public := public_address(settings):
        override["MIRROR_OF"] = public
    for name in ("ARTICLE_URL", "PAGE_URL", "CATEGORY_URL", "TAG_URL"):
        if settings[name].endswith("/"):
            override[name] = settings[name] + "index.html"
    return override


def public_address(settings: dict) -> str:
    """The site's public address (SITEURL) when it is an https one, else "": a development
    build's (http://localhost) is no address for a reader."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    return siteurl if siteurl.lower().startswith("https://") else ""


def readme(settings: dict, signed: bool) -> str:
    """README.txt: how to open the edition, check it, and find the site on the web."""
    text = README
    if public := public_address(settings):
        text += ADDRESS_README.format(address=public)
        if settings.get("ONION_URL"):
            text += ONION_README.format(address=settings["ONION_URL"].rstrip("/"))
    return text + (SIGNED_README if signed else "")


def strip_server_files(site: Path, settings: dict) -> None:
    """Remove what is of no use from file://: feeds, sitemap, robots, host files, 404 pages."""
    for name in SERVER_ONLY:
        (site / name).unlink(missing_ok=True)
    for lang in settings["I18N_LANGUAGES"]:
        (site / lang / settings["NOTFOUND_SAVE_AS"]).unlink(missing_ok=True)
        feeds = site / lang / posixpath.dirname(settings["FEED_ALL_ATOM"])
        if feeds != site / lang and feeds.is_dir():
            shutil.rmtree(feeds)
        # What showed those feeds in a browser.
        (site / feed_style(settings["THEME_STATIC_DIR"], lang)).unlink(missing_ok=True)


def check_offline(site: Path) -> list[Problem]:
    """Every link and resource of every page is relative and opens an existing file; only
    a link (<a>) may lead to another site, as articles' sources do."""
    problems = []
    for name in html_pages(site):
        page = site / name
        data = page.read_bytes()
        text = data.decode("utf-8", errors="replace")
        shown = f"offline/{name}"
        # Parsed as browsers parse it, however deep the page nests (press.safety.markup).
        for element in parse(data).css("a[href], link[href], img[src]"):
            url = element.attributes.get("src" if element.tag == "img" else "href") or ""
            line = locate(text, (url,))
            parts = urlsplit(url)
            if element.tag == "a" and _leaves_the_edition(parts):
                continue  # a source on another site, followed only with a network, as online
            if parts.scheme or parts.netloc or url.startswith(("/", "\\")):
                problems.append(
                    Problem(shown, line, f"'{url}' is absolute; offline, only relative links work")
                )
                continue
            if not parts.path:
                continue  # a #fragment of the same page
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                what = "is a folder (a file listing offline)" if target.is_dir() else "is missing"
                problems.append(Problem(shown, line, f"link '{url}' {what}; link the file"))
    return problems


def _leaves_the_edition(parts) -> bool:
    """Whether a link leads to a page of another site (which the allowlist let through)."""
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def write_zip(site: Path, target: Path) -> Path:
    """ZIP `site` reproducibly: sorted entries, fixed time and permissions, under one folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # A name of this process's own: two offline builds at once never write into one file.
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in file_names(site):
            path = site / name
            info = zipfile.ZipInfo(f"{TOP}/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the permissions above mean the same everywhere
            zf.writestr(info, path.read_bytes())
    partial.replace(target)
    return target


def check_zip(target: Path, settings: dict) -> list[Problem]:
    """The last gate over the ZIP as readers get it: every member's name and bytes."""
    site = published_site(settings)
    problems = []
    with zipfile.ZipFile(target) as archive:
        for member in archive.infolist():
            name = member.filename.removeprefix(f"{TOP}/")
            problems += [
                Problem(f"{target.name}/{member.filename}", line, message)
                for line, message in published.problems(name, archive.read(member), site)
            ]
    return problems


def build_offline(
    settings_file: Path, target: Path, jobs=None, signing_key: SigningKey | None = None
) -> Path:
    """Build the offline edition into the ZIP `target`; raise BuildError on any problem.

    With `signing_key`, SHA256SUMS.minisig inside signs the manifest, and `target`.minisig
    beside it the ZIP; without, no signature is left beside `target`, not even an old one.
    Both signatures name the edition: its source commit and that commit's date (from git in
    the folder of `settings_file`), so an old edition cannot pass for a new one.
    """
    settings = read_settings(settings_file)
    signature = signature_path(target)
    edition = edition_of(Path(settings_file).resolve().parent, settings) if signing_key else None
    with tempfile.TemporaryDirectory(prefix="ffhr-offline-") as folder:
        site = Path(folder) / "site"
        build(settings_file, output=site, jobs=jobs, override=offline_override(settings))
        strip_server_files(site, settings)
        if problems := check_offline(site):
            raise BuildError(map(str, problems))
        (site / "README.txt").write_text(readme(settings, bool(signing_key)), encoding="utf-8")
        listing = manifest(site).encode("utf-8")
        (site / MANIFEST).write_bytes(listing)
        if signing_key:
            (site / MANIFEST_SIGNATURE).write_bytes(signing_key.sign(listing, MANIFEST, edition))
        # Before the new ZIP: an old signature never stands beside it, even for a moment.
        signature.unlink(missing_ok=True)
        write_zip(site, target)
    if problems := check_zip(target, settings):
        target.unlink()
        raise BuildError(map(str, problems))
    if signing_key:
        replace_file(signature, signing_key.sign(target.read_bytes(), target.name, edition))
        signature.chmod(0o644)  # as readable as the ZIP: both are for everyone
    # Its callers say where it ends up: `make publish` builds it in a temporary folder.
    logger.debug("Offline edition: %s (%s bytes)", target, f"{target.stat().st_size:,}")
    return target
