"""The settings: Pelican's settings file with one set of defaults for the project's own keys.

Every entry point reads the settings once, with `load_settings`, which fills in DEFAULTS
and checks the project's own keys against their types (`Settings`): a mistake is one
SettingsError naming each key, before anything is read or built. The rest of press/
receives the `Settings` it returns. `check_languages`, which needs the content folder,
runs when a build starts.
"""

import base64
import hashlib
import re
import sys
from datetime import datetime
from pathlib import Path
from types import NoneType, UnionType
from typing import TypedDict, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

import ada_url
from babel import Locale, UnknownLocaleError
from pelican.settings import read_settings

from press.core.files import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS
from press.core.sources import REVIEW_STATES

# Settings of the multilingual build, with their defaults; pelicanconf.py overrides them.
BUILD_DEFAULTS = {
    "I18N_LANGUAGES": {"en": {}},  # code -> settings that differ for that language's site
    "I18N_CATALOG_PATH": "locale",  # locale/<code>/LC_MESSAGES/messages.po
    "I18N_MSGID_LANG": "en",  # the language the theme's msgids are written in
    "I18N_BABEL_CONFIG": "babel.cfg",  # which files hold interface text
    "I18N_PUBLISH_REVIEW_STATES": ["approved"],  # translations readers may see
    "REVIEW_BUILD": False,  # `invoke review`: banner, noindex, every review state shown
    "OFFLINE": False,  # `invoke offline`: links name files, no absolute URLs
    "CONTENT_SECURITY_POLICY": "default-src 'none'; style-src 'self'; img-src 'self'",
    "SECURITY_HEADERS": {"Referrer-Policy": "no-referrer"},  # for hosts that send headers
    "LANDING_TEMPLATE": "landing.html",
    # The offline edition offered to readers: `make publish` builds it first and sets this to
    # {"path": the ZIP on this machine, "size": its bytes, "sha256": its digest}; the build
    # publishes it as OFFLINE_EDITION_SAVE_AS, and the page OFFLINE_EDITION_PAGE (a
    # translation key) of every language offers it with those figures. None: not offered.
    "OFFLINE_EDITION": None,
    "OFFLINE_EDITION_SAVE_AS": "offline/ffhr-offline.zip",
    "OFFLINE_EDITION_PAGE": "pages/safety",
    # The minisign public key that signs the offline edition (press.publishing.signing),
    # relative to the settings file's folder: once that file exists, `make publish` never
    # publishes an unsigned edition, and the page shows the key. "": editions are unsigned.
    "OFFLINE_EDITION_PUBLIC_KEY": "",
    # The XSLT that shows each language's feed in a browser as a page, written per language.
    "FEED_STYLE_TEMPLATE": "feed.xsl",
    # The translation status page, at the site's root beside the landing page: every
    # language's progress and each article's state, never unpublished text; "" for none.
    "STATUS_TEMPLATE": "status.html",
    "STATUS_SAVE_AS": "status/index.html",
    # Update the output after body-only edits instead of building it all (with the content
    # cache on); publishconf.py turns it off, so a publication is always built whole.
    "INCREMENTAL_BUILD": True,
    # The build's moment, at which articles dated later are embargoed (WITH_FUTURE_DATES =
    # False): None for the real time when the build starts; a date (and time) in TIMEZONE
    # builds the site as it will be then (tests; a preview of a day's publication).
    "BUILD_NOW": None,
    # Reading rates, per language: {"unit": "words" | "characters", "rate": per minute}. A
    # language without an entry gets its script's default (press/rendering/reading_time.py).
    "READING_TIME": {},
}


class Settings(TypedDict, total=False):
    """The settings as load_settings returns them: Pelican's, with these keys typed.

    The project's own keys (DEFAULTS) are checked against these types once, when the
    settings are read; Pelican's are Pelican's to check.
    """

    # Pelican's, as the project reads them.
    PATH: str
    THEME: str
    OUTPUT_PATH: str
    CACHE_PATH: str
    SITEURL: str
    SITENAME: str
    TIMEZONE: str
    DEFAULT_LANG: str
    ARTICLE_PATHS: list[str]
    PAGE_PATHS: list[str]
    STATIC_PATHS: list[str]
    # The build's (BUILD_DEFAULTS).
    I18N_LANGUAGES: dict[str, dict]
    I18N_CATALOG_PATH: str
    I18N_MSGID_LANG: str
    I18N_BABEL_CONFIG: str
    I18N_PUBLISH_REVIEW_STATES: list[str] | tuple[str, ...]
    REVIEW_BUILD: bool
    OFFLINE: bool
    CONTENT_SECURITY_POLICY: str
    SECURITY_HEADERS: dict[str, str]
    LANDING_TEMPLATE: str
    FEED_STYLE_TEMPLATE: str
    OFFLINE_EDITION: dict | None
    OFFLINE_EDITION_SAVE_AS: str
    OFFLINE_EDITION_PAGE: str
    OFFLINE_EDITION_PUBLIC_KEY: str
    STATUS_TEMPLATE: str
    STATUS_SAVE_AS: str
    INCREMENTAL_BUILD: bool
    BUILD_NOW: str | datetime | None  # a date (and time) in TIMEZONE, or a moment
    READING_TIME: dict[str, dict]
    # The checks' (CHECK_DEFAULTS).
    CHECK_PSEUDONYMS_FILE: str
    CHECK_MAX_BYTES: dict[str, int]
    CHECK_IMAGE_EXTENSIONS: tuple[str, ...] | list[str]
    CHECK_DOCUMENT_EXTENSIONS: tuple[str, ...] | list[str]
    CHECK_MAX_IMAGE_PIXELS: int
    CHECK_MAX_NESTING: int
    # Deploys' (DEPLOY_DEFAULTS): IDENTITY, GH_PAGES, RSYNC and TARGETS, each a dict;
    # RSYNC's ssh and keep, and every target, are checked too.
    DEPLOY: dict[str, dict]
    # The site's other addresses (MIRROR_DEFAULTS), checked too: see onion_problem.
    ONION_URL: str | None
    ONION_OUTPUT_PATH: str
    MIRRORS: list[str] | tuple[str, ...]
    MIRROR_OF: str | None


class SettingsError(ValueError):
    """The settings file sets something the project cannot use; `problems` says what."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load_settings(settings_file, override=None) -> Settings:
    """Read a settings file with every default of DEFAULTS filled in and paths made absolute.

    Raises SettingsError naming every key that has the wrong type or value.
    """
    settings_file = Path(settings_file).resolve()
    # publishconf.py imports pelicanconf.py from beside it.
    if str(settings_file.parent) not in sys.path:
        sys.path.insert(0, str(settings_file.parent))
    settings = read_settings(str(settings_file), override=dict(override or {}))
    # DEPLOY may set any of its parts, each of them partly.
    given = settings.get("DEPLOY", {})
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if problems := _type_problems(settings_file, settings):
        raise SettingsError(problems)
    if problems := [
        f"{settings_file}: DEPLOY[{part!r}] is {given[part]!r}, where the project needs a dict; "
        "see DEPLOY_DEFAULTS in press/core/settings.py"
        for part in DEPLOY_DEFAULTS
        if not isinstance(given.get(part, {}), dict)
    ]:
        raise SettingsError(problems)
    settings["DEPLOY"] = {
        part: {**values, **given.get(part, {})} for part, values in DEPLOY_DEFAULTS.items()
    }
    if problems := _deploy_problems(settings_file, settings["DEPLOY"]):
        raise SettingsError(problems)
    if problems := _mirror_problems(settings_file, settings):
        raise SettingsError(problems)
    for key in ("I18N_CATALOG_PATH", "I18N_BABEL_CONFIG"):
        settings[key] = str(settings_file.parent / settings[key])
    if settings["OFFLINE_EDITION_PUBLIC_KEY"]:
        key = settings["OFFLINE_EDITION_PUBLIC_KEY"]
        settings["OFFLINE_EDITION_PUBLIC_KEY"] = str(settings_file.parent / key)
    return settings


def _type_problems(settings_file: Path, settings: dict) -> list[str]:
    """A problem for each of the project's own settings whose value is not of its type."""
    problems = []
    for key, kind in get_type_hints(Settings).items():
        if key not in DEFAULTS:
            continue
        value = settings[key]
        allowed = tuple(get_origin(each) or each for each in (get_args(kind) or (kind,)))
        if get_origin(kind) is not UnionType:
            allowed = (get_origin(kind) or kind,)
        if not isinstance(value, allowed) or (bool not in allowed and isinstance(value, bool)):
            names = " or ".join("None" if each is NoneType else each.__name__ for each in allowed)
            problems.append(
                f"{settings_file}: {key} is {value!r}, where the project needs a value of type "
                f"{names}; see DEFAULTS in press/core/settings.py"
            )
    states = settings["I18N_PUBLISH_REVIEW_STATES"]
    if isinstance(states, list | tuple) and (
        unknown := [s for s in states if s not in REVIEW_STATES]
    ):
        problems.append(
            f"{settings_file}: I18N_PUBLISH_REVIEW_STATES names {', '.join(map(repr, unknown))}; "
            f"review states are {', '.join(REVIEW_STATES)}"
        )
    return problems


def _deploy_problems(settings_file: Path, deploy: dict) -> list[str]:
    """A problem for each part of DEPLOY['RSYNC'] that a deploy could not use."""
    rsync, problems = deploy["RSYNC"], []
    ssh = rsync["ssh"]
    # A list, never a string: a string would have to be split, and a path with a space in
    # it (a key file's) would be split too.
    if not isinstance(ssh, list | tuple) or not ssh or not all(isinstance(a, str) for a in ssh):
        problems.append(
            f"{settings_file}: DEPLOY['RSYNC']['ssh'] is {ssh!r}, where the project needs the "
            "ssh command as a list of strings, such as ['ssh', '-p', '2222']"
        )
    if not isinstance(rsync["keep"], int) or isinstance(rsync["keep"], bool):
        problems.append(
            f"{settings_file}: DEPLOY['RSYNC']['keep'] is {rsync['keep']!r}, where the project "
            "needs a number of releases to keep"
        )
    for name, target in deploy["TARGETS"].items():
        problems += [
            f"{settings_file}: DEPLOY['TARGETS'][{name!r}] {problem}"
            for problem in _target_problems(name, target)
        ]
    return problems


DEPLOY_KINDS = ("gh-pages", "rsync")
# Which build a deploy target publishes: the public site (output/) or the onion mirror's.
TARGET_SITES = ("public", "onion")


def _target_problems(name, target) -> list[str]:
    """What is wrong with one of DEPLOY['TARGETS'] (each problem after its name)."""
    if not isinstance(name, str) or not name or name == "all" or "," in name:
        return ["has a name the deploy command cannot take: use letters, digits, - or _"]
    if not isinstance(target, dict):
        return [f"is {target!r}, where the project needs a dict such as "
                "{'to': 'rsync', 'target': '/srv/ffhr'}"]  # fmt: skip
    problems = []
    if unknown := sorted(set(target) - {"to", "target", "remote", "site"}):
        problems.append(f"has unknown keys {', '.join(map(repr, unknown))}; "
                        "a target has to, target, remote and site")  # fmt: skip
    if target.get("to") not in DEPLOY_KINDS:
        problems.append(f"has to={target.get('to')!r}; use one of {', '.join(DEPLOY_KINDS)}")
    if target.get("to") == "rsync" and not target.get("target"):
        problems.append("deploys with rsync but names no target folder ('target')")
    if target.get("site", "public") not in TARGET_SITES:
        problems.append(f"has site={target.get('site')!r}; use one of {', '.join(TARGET_SITES)}")
    for key in ("target", "remote"):
        if not isinstance(target.get(key, ""), str):
            problems.append(f"has {key}={target[key]!r}, where the project needs a string")
    return problems


def _mirror_problems(settings_file: Path, settings: dict) -> list[str]:
    """A problem for ONION_URL, each of MIRRORS and each onion target that cannot be used."""
    problems = []
    if (onion := settings["ONION_URL"]) is not None and (problem := onion_problem(onion)):
        problems.append(f"{settings_file}: ONION_URL is {onion!r}, which {problem}")
    # The site's own addresses, which MIRRORS must not repeat: the page gives them already,
    # and "another address" that is the same one helps no reader whose way to it is blocked.
    own = {}
    for key, what in (
        ("SITEURL", "the site's own address (SITEURL)"),
        ("MIRROR_OF", "the public site's address (MIRROR_OF)"),
        ("ONION_URL", "the site's own onion address (ONION_URL)"),
    ):
        if isinstance(value := settings.get(key), str) and (address := address_key(value)):
            own.setdefault(address, what)
    hosts = {_host(settings.get(key)) for key in ("SITEURL", "MIRROR_OF")} - {""}
    seen = {}
    for mirror in settings["MIRRORS"]:
        problem = mirror_problem(mirror)
        if problem is None:
            address = address_key(mirror)
            if address in own:
                problem = (
                    f"is {own[address]}, which the page gives already, not another address "
                    "of the site; remove it from MIRRORS"
                )
            elif _host(mirror) in hosts:
                problem = (
                    "is on the site's own host (SITEURL's): blocking that host blocks it too; "
                    "list only addresses on other hosts"
                )
            elif address in seen:
                problem = (
                    f"is the same address as {seen[address]!r}, listed before it; list each "
                    "address once"
                )
            seen.setdefault(address, mirror)
        if problem:
            problems.append(f"{settings_file}: MIRRORS has {mirror!r}, which {problem}")
    for name, target in settings["DEPLOY"]["TARGETS"].items():
        if isinstance(target, dict) and target.get("site") == "onion" and not onion:
            problems.append(
                f"{settings_file}: DEPLOY['TARGETS'][{name!r}] deploys the onion mirror, but "
                "ONION_URL is not set; set it to the onion service's address"
            )
    return problems


def _host(url) -> str:
    """The host of an http(s) address as a browser reads it (lowercase, xn-- form), or ""."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return ""
    try:
        return ada_url.URL(url).hostname
    except ValueError:
        return ""


def address_key(url: str) -> str:
    """What makes two addresses of the site the same: an onion service's host (over http or
    https), else the address as a browser reads it, without a trailing slash; "" for none."""
    host = _host(url)
    if host.endswith(".onion"):
        return host
    return ada_url.URL(url).href.rstrip("/") if host else ""


# A v3 onion address (Tor's rend-spec-v3): base32 of the service's 32-byte public key, a
# 2-byte checksum and the version byte 3, in 56 letters and digits, then ".onion".
_ONION = re.compile(r"(?P<scheme>http|https)://(?P<host>[a-z2-7]{56})\.onion")
_ONION_CHECKSUM = b".onion checksum"
# A version 2 address (16 letters and digits), which Tor stopped connecting to in 2021.
_ONION_V2 = re.compile(r"(http|https)://[a-z2-7]{16}\.onion/?")


def onion_problem(url: str, https=False) -> str | None:
    """Why `url` is not the address of a v3 onion service; None when it is one.

    The address is http:// (or, with `https`, https://), then 56 letters a-z and digits
    2-7, then .onion, and nothing more; its checksum catches a letter mistyped or left out.
    """
    if _ONION_V2.fullmatch(url.lower()):
        return (
            "is a version 2 onion address (16 characters): v2 onion addresses no longer "
            "work, Tor stopped connecting to them in 2021; use the service's v3 address (56 "
            "characters)"
        )
    match = _ONION.fullmatch(url)
    if match is None and _ONION.fullmatch(url.lower()):
        return f"has capital letters: write it in lowercase, {url.lower()!r}"
    if match is not None and match["scheme"] == "https" and not https:
        return (
            "is an https:// onion address, where the onion mirror is served over http:// "
            "(Tor encrypts the way to it); write http://"
        )
    if match is None:
        return (
            "is not the address of a v3 onion service: write http://, then its 56 letters "
            "(a-z) and digits (2-7), then .onion, and nothing after it, not even a / (the "
            "hostname file in the onion service's folder has the address)"
        )
    decoded = base64.b32decode(match["host"].upper())
    key, checksum, version = decoded[:32], decoded[32:34], decoded[34:]
    if version != b"\x03":
        return "is not a version 3 onion address (its last letter is wrong); copy it again"
    if hashlib.sha3_256(_ONION_CHECKSUM + key + version).digest()[:2] != checksum:
        return (
            "has a checksum that does not match its letters: one is mistyped; copy the "
            "address again from the onion service's hostname file"
        )
    return None


# Hosts that mean "this machine": a preview serves them, and no reader can reach them.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})

_NOT_HTTPS = (
    "is not an https:// address of a host (readers would be sent over plain http, or "
    "nowhere); write it as https://host/ or an onion address"
)


def mirror_problem(url) -> str | None:
    """Why `url` cannot be listed as another address of the site; None when it can.

    Read as a reader's browser reads it (ada, a WHATWG URL parser), and written as it reads
    it: a host only in ASCII (an internationalised domain in its xn-- form, so that no
    look-alike letter from another script passes for a Latin one on the safety page), a
    port a server can have, nothing the browser would rewrite.
    """
    if not isinstance(url, str):
        return "is not a string; write each address as 'https://...'"
    if any(c.isspace() or not c.isprintable() for c in url):
        return _NOT_HTTPS
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError as exc:  # a port out of range, a broken [IPv6] host
        if "port" in str(exc).lower():
            return (
                "has a port no server can have (ports are 1 to 65535); write the port the "
                "mirror's server listens on, or none for https's 443"
            )
        return "is not an address browsers can read; write it as https://host/"
    if host.endswith(".onion"):
        return onion_problem(url, https=True)  # another's onion service may have https
    if not host.isascii():
        read = _host(url)
        shown = f", as browsers read it: {read!r}" if read else ""
        return (
            "has a host with letters outside ASCII: a look-alike letter of another script "
            "(a Cyrillic а for a Latin a) would pass for the real one on the page; write "
            f"an internationalised domain name in its xn-- form{shown}, once you have "
            "checked that it is the host you mean"
        )
    if not url.isascii():
        return "has letters outside ASCII; write them percent-encoded (%XX)"
    if (
        parts.scheme != "https"
        or not host
        or parts.username is not None
        or parts.password is not None
        or "?" in url  # a query, even an empty one
        or "#" in url
    ):
        return _NOT_HTTPS
    if port == 0:
        return "has port 0, which no server can have (ports are 1 to 65535)"
    try:
        read = ada_url.URL(url)
    except ValueError:
        return "is not an address browsers can read; write it as https://host/"
    if read.hostname != (f"[{host}]" if ":" in host else host):  # ada keeps an IPv6's []
        return (
            f"names a host browsers read as {read.hostname!r}, not as written; write the "
            "host as they read it"
        )
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                if not label[4:].encode("ascii").decode("punycode"):
                    raise ValueError(label)
            except (UnicodeError, ValueError):
                return f"has {label!r}, which is no internationalised name's xn-- form"
    return None


def onion_override(settings: Settings) -> dict:
    """The settings the onion mirror's build changes: its address is ONION_URL (canonical,
    feeds, hreflang, sitemap), and MIRROR_OF names the public site it mirrors.

    Raises SettingsError when ONION_URL is not set.
    """
    if not settings["ONION_URL"]:
        raise SettingsError(
            ["ONION_URL is not set: set it to the onion service's address (docs/publishing.md)"]
        )
    return {"SITEURL": settings["ONION_URL"], "MIRROR_OF": settings["SITEURL"].rstrip("/")}


def onion_location_of(settings: dict) -> str | None:
    """The onion address the site's pages name as their Onion-Location, or None: without
    ONION_URL, in the onion build itself (MIRROR_OF), and offline."""
    if settings.get("MIRROR_OF") or settings.get("OFFLINE"):
        return None
    return (settings.get("ONION_URL") or "").rstrip("/") or None


def unknown_language(code: str) -> str | None:
    """Why `code` is not a language code Babel knows, with the likely one; None if it is."""
    try:
        Locale.parse(code)
        return None
    except (UnknownLocaleError, ValueError):
        hint = COUNTRY_NOT_LANGUAGE.get(code.lower())
        hint = f"did you mean {hint!r}? " if hint else ""
        return (
            f"{code!r} is not a language code Babel knows; {hint}Use an ISO 639 code such as "
            "'ko' (Korean) or 'en' (English)"
        )


def check_languages(settings: dict) -> list[str]:
    """Return a problem for each language code Babel does not know or with no content folder."""
    problems = []
    languages = settings["I18N_LANGUAGES"]
    if settings["DEFAULT_LANG"] not in languages:
        problems.append(
            f"DEFAULT_LANG {settings['DEFAULT_LANG']!r} is not in I18N_LANGUAGES "
            f"({', '.join(languages)}); add it there or choose one of those"
        )
    for code in languages:
        if (problem := unknown_language(code)) is not None:
            problems.append(f"I18N_LANGUAGES: {problem}")
            continue
        folder = Path(settings["PATH"]) / code
        if not folder.is_dir():
            problems.append(f"{folder}: content folder of language {code!r} missing; create it")
    return problems


# Country codes often written where a language code belongs.
COUNTRY_NOT_LANGUAGE = {"kr": "ko", "kp": "ko", "jp": "ja", "cn": "zh", "us": "en", "gb": "en"}


# Settings of the checks, with their defaults; pelicanconf.py may override them.
CHECK_DEFAULTS = {
    "CHECK_PSEUDONYMS_FILE": "pseudonyms.toml",  # inside the content folder
    "CHECK_MAX_BYTES": {".md": 1024 * 1024, "other": 20 * 1024 * 1024},
    "CHECK_IMAGE_EXTENSIONS": IMAGE_EXTENSIONS,
    "CHECK_DOCUMENT_EXTENSIONS": DOCUMENT_EXTENSIONS,
    # The most pixels an image may have: larger, it is refused before it is decoded (a small
    # file can decode to billions). Above what cameras give (a 50 MP phone photo, a 600 dpi
    # A4 scan at 35 MP); a page shows no more than some 2,000 pixels across.
    "CHECK_MAX_IMAGE_PIXELS": 50_000_000,
    # How deep lists, quotes and definitions may nest in a source. Prose needs a few levels;
    # Python-Markdown overflows its recursion at some 250, and past 255 elements the gates'
    # HTML parser stops reading a page.
    "CHECK_MAX_NESTING": 20,
}


# Settings of deploys, with their defaults; pelicanconf.py's DEPLOY overrides any of them.
DEPLOY_DEFAULTS = {
    "IDENTITY": {"name": "FFHR Publishing", "email": "publishing@ffhr.invalid"},
    "GH_PAGES": {"remote": "origin", "branch": "gh-pages", "message": "Publish the site"},
    # target: a folder here, or `[user@]host:path` over ssh; ssh: the command that connects
    # ($RSYNC_RSH, if set, instead), a list: ["ssh", "-p", "2222", "-i", "~/.ssh/deploy"].
    "RSYNC": {"target": "", "keep": 5, "ssh": ["ssh"]},
    # Named targets that `invoke deploy --targets a,b` (or `--targets all`) deploys in turn:
    # name -> {"to": "rsync" or "gh-pages", "target": a release folder (rsync), "remote":
    # a git remote (gh-pages, else GH_PAGES's), "site": "public" (output/, the default) or
    # "onion" (ONION_OUTPUT_PATH, the onion mirror's build)}.
    "TARGETS": {},
}


# The site's other addresses, with their defaults; pelicanconf.py or publishconf.py sets them
# (docs/publishing.md, "Mirrors and the onion service").
MIRROR_DEFAULTS = {
    # The onion service's address, "http://<56 letters and digits>.onion" (http: Tor
    # encrypts and authenticates the way to it): with it, the public site's host headers
    # (_headers, nginx) send Onion-Location with each page's path, the safety page gives the
    # address, and `invoke publish --mirror onion` builds the site for that address into
    # ONION_OUTPUT_PATH. None: no onion service.
    "ONION_URL": None,
    "ONION_OUTPUT_PATH": "output-onion",
    # Other addresses of the same site (https://, or onion addresses), given as plain text
    # on the safety page of every language, for readers whose way to this one is blocked.
    "MIRRORS": [],
    # In the onion mirror's build (onion_override) and the offline edition
    # (press.build.offline.offline_override) only: the public site's address, listed among
    # the other addresses; the onion build's headers send no HSTS and no Onion-Location.
    "MIRROR_OF": None,
}


# Every setting of the project's own, with its default: one set, filled in by load_settings.
DEFAULTS = {**BUILD_DEFAULTS, **CHECK_DEFAULTS, "DEPLOY": DEPLOY_DEFAULTS, **MIRROR_DEFAULTS}
