"""The settings: Pelican's settings file with one set of defaults for the project's own keys.

Every entry point reads the settings once, with `load_settings`; the rest of press/
receives the dict it returns and finds every key of DEFAULTS in it. `check_languages`
says what is wrong with the languages, each problem with what to do.
"""

import sys
from pathlib import Path

from babel import Locale, UnknownLocaleError
from pelican.settings import read_settings

from press.core.files import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS

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
    # Update the output after body-only edits instead of building it all (with the content
    # cache on); publishconf.py turns it off, so a publication is always built whole.
    "INCREMENTAL_BUILD": True,
    # The build's moment, at which articles dated later are embargoed (WITH_FUTURE_DATES =
    # False): None for the real time when the build starts; a date (and time) in TIMEZONE
    # builds the site as it will be then (tests; a preview of a day's publication).
    "BUILD_NOW": None,
}


def load_settings(settings_file, override=None) -> dict:
    """Read a settings file with every default of DEFAULTS filled in and paths made absolute."""
    settings_file = Path(settings_file).resolve()
    # publishconf.py imports pelicanconf.py from beside it.
    if str(settings_file.parent) not in sys.path:
        sys.path.insert(0, str(settings_file.parent))
    settings = read_settings(str(settings_file), override=dict(override or {}))
    # DEPLOY may set any of its parts, each of them partly.
    given = settings.get("DEPLOY", {})
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings["DEPLOY"] = {
        part: {**values, **given.get(part, {})} for part, values in DEPLOY_DEFAULTS.items()
    }
    for key in ("I18N_CATALOG_PATH", "I18N_BABEL_CONFIG"):
        settings[key] = str(settings_file.parent / settings[key])
    return settings


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
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            hint = (
                f"did you mean {COUNTRY_NOT_LANGUAGE[code]!r}? "
                if code in COUNTRY_NOT_LANGUAGE
                else ""
            )
            problems.append(
                f"I18N_LANGUAGES: {code!r} is not a language code Babel knows; {hint}"
                "Use an ISO 639 code such as 'ko' (Korean) or 'en' (English)"
            )
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
    "RSYNC": {"target": "", "keep": 5},
}


# Every setting of the project's own, with its default: one set, filled in by load_settings.
DEFAULTS = {**BUILD_DEFAULTS, **CHECK_DEFAULTS, "DEPLOY": DEPLOY_DEFAULTS}
