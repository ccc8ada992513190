"""The onion mirror and the site's other addresses: the onion build's URLs and headers,
Onion-Location on the public site (_headers and a real nginx), the settings refused, and
the addresses on the safety page in every language."""

import shutil
import zipfile
from urllib.parse import quote, unquote

import pytest
from babel.messages.pofile import read_po
from lxml import etree
from test_nginx import fetch, serving
from test_offline_signing import project, published  # noqa: F401 (fixtures)

from built import file_for, html_files, parse
from conftest import ROOT, SETTINGS
from mirror_sites import (
    MIRROR_ONION,
    MIRRORS,
    ONION,
    PUBLIC,
    build_public,
    publish_onion,
    publish_settings,
)
from mirror_sites import SETTINGS as MIRROR_SETTINGS
from press.build.offline import TOP, build_offline
from press.checks.output import check_published
from press.core.settings import SettingsError, load_settings, onion_override
from press.publishing.nginx import nginx_config

PUBLISH = ROOT / "publishconf.py"
KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "messages.po"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def public_site(tmp_path_factory):
    """The fixture site built for its public address, with an onion service and mirrors."""
    return build_public(tmp_path_factory.mktemp("public") / "output")


@pytest.fixture(scope="module")
def onion(tmp_path_factory):
    """The fixture site published for its onion address: (its output, its settings)."""
    return publish_onion(tmp_path_factory.mktemp("onion"))


def rules(headers_file) -> dict[str, dict[str, str]]:
    """A `_headers` file read as hosts read it: path -> {header: value}."""
    parsed, path = {}, None
    for line in headers_file.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            path = line
            parsed[path] = {}
        elif line.strip():
            name, _, value = line.strip().partition(": ")
            parsed[path][name] = value
    return parsed


def page_paths(site) -> set[str]:
    """The path a reader requests for each HTML page of `site`, percent-encoded."""
    paths = set()
    for path in html_files(site):
        name = "/" + path.relative_to(site).as_posix()
        paths.add(quote(name.removesuffix("index.html")))
    return paths


def test_the_onion_build_names_only_its_onion_address(onion):
    """Canonical and hreflang links, feeds, sitemap and robots.txt are all under ONION_URL;
    the public address appears only where the safety page lists it as another address."""
    output, settings = onion
    assert settings["SITEURL"] == ONION and settings["MIRROR_OF"] == PUBLIC
    host = PUBLIC.removeprefix("https://")
    for path in html_files(output):
        tree = parse(path)
        for link in tree.xpath("//head/link[@rel='canonical' or @hreflang]/@href"):
            assert link.startswith(f"{ONION}/"), (path, link)
        for section in tree.xpath("//section[contains(@class, 'mirrors')]"):
            section.getparent().remove(section)
        assert host not in etree.tostring(tree, encoding="unicode"), path
    for lang in ("en", "ko"):
        feed = etree.parse(output / lang / "feeds" / "all.atom.xml")
        urls = feed.xpath("//a:link/@href | //a:id/text()", namespaces={"a": ATOM[1:-1]})
        # Entries' ids are tag: URIs of the address's host (Pelican's), feeds' URLs.
        tag = f"tag:{ONION.removeprefix('http://')},"
        assert urls and all(url.startswith((f"{ONION}/", tag)) for url in urls), urls
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{ONION}/en/</loc>" in sitemap and host not in sitemap
    assert f"Sitemap: {ONION}/sitemap.xml" in (output / "robots.txt").read_text("utf-8")


def test_the_onion_build_sends_no_hsts_and_no_onion_location(onion):
    """Its _headers and its nginx server: plain http behind Tor, never naming itself."""
    output, settings = onion
    for path, headers in rules(output / "_headers").items():
        assert "Strict-Transport-Security" not in headers, path
        assert "Onion-Location" not in headers, path
    config = nginx_config(settings)
    sent = [line for line in config.splitlines() if "add_header" in line]
    assert any("Content-Security-Policy" in line for line in sent)
    assert not [line for line in sent if "Strict-Transport" in line or "Onion-Location" in line]
    assert "listen 127.0.0.1:8080;" in config and "443" not in config and "ssl" not in config
    assert f"server_name {ONION.removeprefix('http://')};" in config


def test_the_public_site_sends_onion_location_with_each_pages_path(public_site):
    """_headers has a rule for every page, Onion-Location being the onion address and the
    page's path (a Hangul one percent-encoded); nginx sends it with the request's path."""
    parsed = rules(public_site / "_headers")
    pages = page_paths(public_site)
    assert "/ko/categories/%ED%83%88%EB%B6%81%EB%AF%BC/" in pages
    assert {path for path, headers in parsed.items() if "Onion-Location" in headers} == pages
    for path in pages:
        assert parsed[path] == {"Onion-Location": f"{ONION}{path}"}
    assert "Onion-Location" not in parsed["/*"]
    config = nginx_config(load_settings(PUBLISH, {"ONION_URL": ONION}))
    assert f'add_header Onion-Location "{ONION}$request_uri" always;' in config
    assert "Strict-Transport-Security" in config


def test_without_onion_url_no_onion_location_anywhere(fixture_site):
    """A site with no onion service sends no Onion-Location, in _headers or from nginx."""
    assert "Onion-Location" not in (fixture_site / "_headers").read_text(encoding="utf-8")
    assert "Onion-Location" not in nginx_config(load_settings(PUBLISH))
    assert "Onion-Location" not in (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_a_real_nginx_sends_onion_location_with_the_requested_path(public_site, tmp_path):
    """Served by nginx with the public site's configuration, every page and its query."""
    settings = load_settings(PUBLISH, {"ONION_URL": ONION})
    with serving(public_site, settings, tmp_path / "nginx") as base:
        for path in ("/en/about/", "/ko/categories/%ED%83%88%EB%B6%81%EB%AF%BC/", "/en/?a=1"):
            code, headers, _ = fetch(base + path)
            assert code == 200, path
            assert headers["Onion-Location"] == f"{ONION}{path}"


@pytest.mark.parametrize(
    "value",
    [
        ONION + "/",  # nothing after .onion
        ONION + "/en/",
        ONION.upper(),
        ONION.replace("http://", ""),
        ONION.replace("http://", "ftp://"),
        ONION.replace("http://", "https://"),  # the mirror's server is plain http
        "http://expyuzz4wqqyqhjn.onion",  # a v2 address: retired by Tor
        ONION[:-8] + ("a" if ONION[-7] != "a" else "b") + ".onion",  # one letter changed
        ONION[:20] + ONION[21:],  # one letter left out
        "https://ffhr.example.org",
    ],
)
def test_an_onion_url_that_is_no_v3_onion_address_is_refused(value):
    """ONION_URL is checked once with the settings: its form, version and checksum."""
    with pytest.raises(SettingsError) as caught:
        load_settings(SETTINGS, {"ONION_URL": value})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{SETTINGS}: ONION_URL is {value!r}, which ")


@pytest.mark.parametrize(
    "mirror",
    [
        "http://mirror.example.net",  # plain http
        "ftp://mirror.example.net",
        "https://",
        "https://user@mirror.example.net",
        "https://mirror.example.net/?from=ffhr",
        "mirror.example.net",
        MIRROR_ONION[:-7] + "x.onion",  # a broken onion address
        42,
        "https://mirror.example.net:99999",  # no port above 65535
        "https://mirror.example.net:0",
        "https://:443",  # no host
        "https:///mirror.example.net",  # a browser reads the path as the host
        "https://%6Dirror.example.net",  # a host browsers read otherwise than written
        "https://0x7f.1",  # 127.0.0.1 to a browser
        "https://mirror.example.net\\ffhr",  # a backslash, a / to a browser
        "https://xn--.example.net",  # no punycode
        "https://mirror.example.net/ré",  # letters outside ASCII in the path
        "https://mirror.example.net/?",  # an empty query
        "https://[2001:db8:0::1]",  # an IPv6 address not as browsers write it
    ],
)
def test_a_mirror_that_is_no_https_or_onion_address_is_refused(mirror):
    """Each of MIRRORS is an https:// address or a v3 onion address."""
    with pytest.raises(SettingsError) as caught:
        load_settings(SETTINGS, {"MIRRORS": ["https://ok.example.net", mirror]})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{SETTINGS}: MIRRORS has {mirror!r}, which ")


def problems_of(**override) -> list[str]:
    """The problems load_settings finds with the public settings and `override`."""
    try:
        load_settings(PUBLISH, override)
    except SettingsError as exc:
        return exc.problems
    return []


def test_a_host_outside_ascii_is_refused_and_its_xn_form_taken():
    """A look-alike host (a Cyrillic a, U+0430, in "example") is refused, the problem giving the
    xn-- form a browser reads; that form is taken as written, and so is an ASCII one."""
    lookalike = "https://ffhr.ex\u0430mple.org"
    (problem,) = problems_of(MIRRORS=[lookalike])
    assert problem.startswith(f"{PUBLISH}: MIRRORS has {lookalike!r}, which ")
    assert "ASCII" in problem and "'ffhr.xn--exmple-4nf.org'" in problem
    assert problems_of(MIRRORS=["https://ffhr.xn--exmple-4nf.org"]) == []
    assert problems_of(MIRRORS=["https://Mirror.Example.net:8443/ffhr/"]) == []
    assert problems_of(MIRRORS=["https://[2001:db8::1]", "https://203.0.113.7/ffhr"]) == []


@pytest.mark.parametrize(
    ("mirrors", "refused", "naming"),
    [
        (["https://ffhr.example.org"], "https://ffhr.example.org", "SITEURL"),
        (["https://FFHR.example.org:443/"], "https://FFHR.example.org:443/", "SITEURL"),
        (["https://ffhr.example.org/copy"], "https://ffhr.example.org/copy", "SITEURL"),
        ([ONION], ONION, "ONION_URL"),
        ([ONION.replace("http://", "https://")], ONION.replace("http://", "https://"),
         "ONION_URL"),
        (["https://m.example.net/ffhr", "https://m.example.net/ffhr/"],
         "https://m.example.net/ffhr/", "'https://m.example.net/ffhr'"),
        ([MIRROR_ONION, MIRROR_ONION.replace("http://", "https://")],
         MIRROR_ONION.replace("http://", "https://"), repr(MIRROR_ONION)),
    ],
)  # fmt: skip
def test_mirrors_repeating_the_sites_addresses_or_each_other_are_refused(mirrors, refused, naming):
    """MIRRORS lists other addresses, each once: the site's own (SITEURL, ONION_URL, its
    host) and a repeated one, with or without a trailing slash, are each one problem."""
    (problem,) = problems_of(ONION_URL=ONION, MIRRORS=mirrors)
    assert problem.startswith(f"{PUBLISH}: MIRRORS has {refused!r}, which ")
    assert naming in problem


def test_the_onion_builds_settings_refuse_the_public_address_in_mirrors():
    """In the onion build the public address is MIRROR_OF, listed already: MIRRORS may not
    repeat it, nor the onion address, which is that build's SITEURL."""
    settings = load_settings(PUBLISH, {"ONION_URL": ONION, "MIRRORS": MIRRORS})
    override = onion_override(settings)
    for mirror, naming in ((PUBLIC, "MIRROR_OF"), (ONION, "SITEURL")):
        (problem,) = problems_of(ONION_URL=ONION, MIRRORS=[*MIRRORS, mirror], **override)
        assert problem.startswith(f"{PUBLISH}: MIRRORS has {mirror!r}, which ")
        assert naming in problem


def test_an_onion_address_in_capitals_or_of_version_2_says_what_to_write():
    """Capitals: the problem gives the address in lowercase, which is then taken; a v2
    address (16 characters): the problem says v3 addresses have 56."""
    (problem,) = problems_of(ONION_URL=ONION.upper())
    assert repr(ONION) in problem
    assert problems_of(ONION_URL=ONION) == []
    (problem,) = problems_of(MIRRORS=[MIRROR_ONION.upper()])
    assert repr(MIRROR_ONION) in problem
    for v2 in ("http://expyuzz4wqqyqhjn.onion", "https://expyuzz4wqqyqhjn.onion/"):
        (problem,) = problems_of(ONION_URL=ONION, MIRRORS=[v2])
        assert "v2" in problem and "v3" in problem and "56" in problem


def test_valid_mirror_settings_are_taken_and_the_onion_build_overrides_only_its_address():
    """Good values pass; the onion build is the same settings at ONION_URL, mirroring SITEURL."""
    settings = load_settings(PUBLISH, {"ONION_URL": ONION, "MIRRORS": MIRRORS})
    assert (settings["ONION_URL"], settings["MIRRORS"], settings["MIRROR_OF"]) == (
        ONION, MIRRORS, None,
    )  # fmt: skip
    assert onion_override(settings) == {"SITEURL": ONION, "MIRROR_OF": "https://ffhr.example.org"}
    with pytest.raises(SettingsError) as caught:
        onion_override(load_settings(PUBLISH))
    assert "ONION_URL" in caught.value.problems[0]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_safety_page_gives_every_address_as_plain_text(public_site, onion, lang):
    """The chosen page lists the onion address and the mirrors, copyable and in the page's
    language, linking none; the onion build lists the public address among them."""
    with KO_PO.open("rb") as fileobj:
        catalog = read_po(fileobj)
    heading = "Other addresses of this site"
    heading = catalog[heading].string if lang == "ko" else heading
    for site, others in ((public_site, MIRRORS), (onion[0], [PUBLIC, *MIRRORS])):
        page = parse(file_for(site, f"{lang}/about/"))
        (section,) = page.xpath("//section[contains(@class, 'mirrors')]")
        assert section.xpath("string(h2)").strip() == heading
        assert section.xpath("string(.//code[contains(@class, 'mirrors__onion')])") == ONION
        assert section.xpath(".//li/code/text()") == others
        assert not section.xpath(".//a")
        # An onion address among the others says it needs Tor Browser; an https one does not.
        for item in section.xpath(".//li"):
            onion_only = item.xpath(".//*[contains(@class, 'mirrors__tor')]")
            assert bool(onion_only) == item.xpath("string(code)").endswith(".onion")
            if onion_only:
                assert "Tor Browser" in onion_only[0].text_content()
        assert any(c.endswith(".onion") for c in others)
        # Only the chosen page lists them.
        assert not parse(file_for(site, f"{lang}/")).xpath("//*[contains(@class, 'mirrors')]")


def test_a_site_without_other_addresses_lists_none(fixture_site):
    """No ONION_URL and no MIRRORS: no section of other addresses on any page."""
    assert MIRROR_SETTINGS["OFFLINE_EDITION_PAGE"] == "pages/about"
    for lang in ("en", "ko"):
        assert not parse(file_for(fixture_site, f"{lang}/about/")).xpath(
            "//*[contains(@class, 'mirrors')]"
        )


ONION_META = "//meta[@http-equiv='onion-location']/@content"


def test_every_page_names_itself_at_the_onion_service(public_site):
    """For hosts that send no headers (GitHub Pages): every page, each language's and the
    root's (the landing page at /, the status page at /status/), carries one Onion-Location
    <meta> naming that very page at the onion address."""
    pages = html_files(public_site)
    assert len(pages) > 20
    names = {"/" + path.relative_to(public_site).as_posix() for path in pages}
    assert {"/index.html", "/status/index.html"} <= names
    for path in pages:
        name = "/" + path.relative_to(public_site).as_posix()
        expected = ONION + quote(name.removesuffix("index.html"))
        assert [unquote(url) for url in parse(path).xpath(ONION_META)] == [unquote(expected)], path
    landing = parse(public_site / "index.html").xpath(ONION_META)
    assert landing == [f"{ONION}/"]
    assert parse(public_site / "status" / "index.html").xpath(ONION_META) == [f"{ONION}/status/"]


def test_no_onion_location_meta_without_an_onion_service_or_in_the_onion_build(onion, fixture_site):
    """The onion build never points at itself; a site with no onion service names none."""
    output, _ = onion
    for site in (output, fixture_site):
        for path in html_files(site):
            assert not parse(path).xpath(ONION_META), path


@pytest.mark.parametrize("name", ["en/index.html", "index.html", "status/index.html"])
@pytest.mark.parametrize(
    "content",
    [
        MIRROR_ONION + "/en/",  # another onion service
        ONION + "/en/about/",  # the site's own, but another page
        "https://evil.example/en/",  # not an onion service at all
    ],
)
def test_the_last_gate_refuses_an_onion_location_that_is_not_this_page_there(
    public_site, tmp_path, content, name
):
    """A page whose Onion-Location leads anywhere but to itself at the site's own onion
    service stops the build, named by its file: a language's page or one at the root."""
    site = tmp_path / "site"
    shutil.copytree(public_site, site)
    page = site / name
    html = page.read_text(encoding="utf-8")
    own = parse(page).xpath(ONION_META)[0]
    page.write_text(html.replace(f'content="{own}"', f'content="{content}"', 1), encoding="utf-8")
    settings = load_settings(SETTINGS, {**MIRROR_SETTINGS})
    problems = [p for p in check_published(site, settings) if "onion-location" in p.message]
    assert [problem.path for problem in problems] == [f"output/{name}"]
    # The same page is refused by a site that has no onion service at all.
    without = load_settings(SETTINGS, {**MIRROR_SETTINGS, "ONION_URL": None})
    page.write_text(html, encoding="utf-8")
    assert [p.path for p in check_published(site, without) if "onion-location" in p.message]


@pytest.fixture(scope="module")
def offline_edition(tmp_path_factory):
    """The offline edition of the fixture site with an onion service and mirrors, unpacked;
    and its ZIP's bytes."""
    folder = tmp_path_factory.mktemp("offline")
    zip_path = build_offline(publish_settings(folder), folder / "ffhr-offline.zip")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder / "unpacked")
    return folder / "unpacked" / TOP, zip_path.read_bytes()


def test_the_offline_editions_readme_gives_the_public_address(offline_edition, tmp_path):
    """A reader of a copy passed on finds the site: README.txt gives its public address and
    its onion address as text; the edition is the same bytes when built again."""
    site, zipped = offline_edition
    lines = (site / "README.txt").read_text(encoding="utf-8").splitlines()
    assert PUBLIC in lines and ONION in lines
    again = build_offline(publish_settings(tmp_path), tmp_path / "again.zip")
    assert again.read_bytes() == zipped


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_offline_safety_page_lists_the_public_address(offline_edition, public_site, lang):
    """Offline, the safety page lists the public address first among the others, as text, and
    does not speak of "this address" (a copy on disk has none): its words before the list
    are not the public site's."""
    site, _ = offline_edition
    page = parse(site / lang / "about" / "index.html")
    (section,) = page.xpath("//section[contains(@class, 'mirrors')]")
    assert section.xpath(".//li/code/text()") == [PUBLIC, *MIRRORS]
    assert section.xpath("string(.//code[contains(@class, 'mirrors__onion')])") == ONION
    assert not section.xpath(".//a")
    online = parse(file_for(public_site, f"{lang}/about/"))
    (online_section,) = online.xpath("//section[contains(@class, 'mirrors')]")
    offline_words = [p.text_content() for p in section.xpath("p[not(code)]")]
    online_words = [p.text_content() for p in online_section.xpath("p[not(code)]")]
    assert len(offline_words) == len(online_words) == 3
    # The onion paragraph and the list's are the offline edition's own; the advice is shared.
    assert [a != b for a, b in zip(offline_words, online_words, strict=True)] == [True, True, False]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_safety_page_gives_the_commands_of_every_system(published, lang):  # noqa: F811
    """Each language's page gives, as commands to type: .\\minisign for a minisign.exe
    downloaded on Windows, Termux's way to the downloads on Android, and the check of an
    unpacked copy's files on Linux, macOS and Windows."""
    page = parse(file_for(published, f"{lang}/about/"))
    (section,) = page.xpath("//section[contains(@class, 'offline-edition')]")
    commands = {code.text_content() for code in section.xpath(".//code")}
    assert {
        ".\\minisign",
        "termux-setup-storage",
        "cd ~/storage/downloads",
        "sha256sum -c SHA256SUMS",
        "shasum -a 256 -c SHA256SUMS",
    } <= commands
    assert any(command.startswith("Get-FileHash -Algorithm SHA256 ") for command in commands)
