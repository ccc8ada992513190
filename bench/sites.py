"""Settings files for the Pelican sites the benchmark compares with this project's build.

Both use Pelican's default theme and the project's own Markdown settings, URL patterns,
feeds and pagination (imported from pelicanconf.py), so they differ from this project's
build in how languages are handled, not in how much each page costs to write.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

# What both sites take from pelicanconf.py: the same Markdown, URLs, pages, feeds and pagination.
SHARED = """\
from pelicanconf import (
    ARCHIVES_SAVE_AS, ARTICLE_SAVE_AS, ARTICLE_URL, AUTHOR_FEED_ATOM, AUTHOR_FEED_RSS,
    AUTHOR_SAVE_AS, AUTHORS_SAVE_AS, CATEGORIES_SAVE_AS, CATEGORY_FEED_ATOM, CATEGORY_SAVE_AS,
    CATEGORY_URL, DEFAULT_PAGINATION, DIRECT_TEMPLATES, FEED_ALL_ATOM, FEED_ALL_RSS,
    FEED_MAX_ITEMS, MARKDOWN, PAGE_SAVE_AS, PAGE_URL, RELATIVE_URLS, SITEURL,
    SLUGIFY_USE_UNICODE, TAG_SAVE_AS, TAG_URL, TAGS_SAVE_AS, TIMEZONE, TRANSLATION_FEED_ATOM,
)

# Only the direct templates Pelican's default theme has (the project's theme may add more).
DIRECT_TEMPLATES = [
    name for name in DIRECT_TEMPLATES
    if name in ("index", "tags", "categories", "authors", "archives")
]
SITENAME = "Bench"
AUTHOR = "Bench Writer"
PATH = {path!r}
# OUTPUT_PATH and CACHE_PATH: given by each run (bench/worker.py), a fresh pair per build.
DEFAULT_LANG = "en"
"""

# Plain Pelican building the English folder alone: the cost of one ordinary language site.
PLAIN = """
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# The slug comes from the file name, as in pelicanconf.py.
from pelicanconf import FILENAME_METADATA, PATH_METADATA
PLUGINS = []
"""

# pelican-i18n-subsites as its README sets it up: one site over every language's files,
# Lang and Slug in each file, a sub-site per extra language, the Jinja i18n extension.
I18N_SUBSITES = """
ARTICLE_PATHS = ["en/articles", "ko/articles"]
PAGE_PATHS = ["en/pages", "ko/pages"]
PLUGINS = ["i18n_subsites"]
I18N_SUBSITES = {{"ko": {{"SITENAME": "벤치"}}}}
JINJA_ENVIRONMENT = {{"extensions": ["jinja2.ext.i18n"]}}
# The theme's interface catalogs (an empty Korean one: the default theme has no msgids).
I18N_GETTEXT_LOCALEDIR = {locale!r}
"""


def write_plain_settings(folder: Path, content: Path) -> Path:
    """Write the settings of plain Pelican over one language folder; return the file."""
    path = Path(folder) / "plain_pelicanconf.py"
    text = SHARED.format(path=str(content)) + PLAIN
    path.write_text(text, encoding="utf-8")
    return path


def write_i18n_subsites_settings(folder: Path, content: Path) -> Path:
    """Write the settings of an i18n-subsites site (and its Korean catalog); return the file."""
    folder = Path(folder)
    locale = folder / "i18n_subsites_translations"
    mo = locale / "ko" / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as fileobj:
        write_mo(fileobj, Catalog(locale="ko"))
    path = folder / "i18n_subsites_pelicanconf.py"
    text = SHARED.format(path=str(content)) + I18N_SUBSITES.format(locale=str(locale))
    path.write_text(text, encoding="utf-8")
    return path
