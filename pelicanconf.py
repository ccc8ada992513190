"""Settings of the FFHR site, for development: `make build` and `make serve`.

Every language is a site of its own, built from content/<lang>/ with the catalog
locale/<lang>/ by `invoke build` (press/build/pipeline.py). Settings here apply to
all of them; what differs per language lives in I18N_LANGUAGES alone.
"""

from jinja2 import StrictUndefined
from markdown.extensions.toc import slugify_unicode

SITENAME = "FFHR"
AUTHOR = "FFHR"

# Where the site lives; each language's site is at SITEURL/<code>/. Absolute URLs (feeds,
# canonical and hreflang links) start with it; pages link to each other with relative
# URLs, so the built site also works on another port or host (`make serve PORT=...` gives
# these the preview's port). publishconf.py sets the public address.
SITEURL = "http://localhost:8000"

PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Seoul"

# The language of the landing page's first link and of x-default for content
# that exists in it. Interface msgids in the theme are written in English.
DEFAULT_LANG = "en"

# One entry per language: its content lives in content/<code>/, its interface catalog in
# locale/<code>/LC_MESSAGES/messages.po, and these settings override the ones above for its
# site only. Adding a language is an entry here, a content folder and a catalog.
I18N_LANGUAGES = {
    "en": {
        "SITESUBTITLE": "North Korean defectors and the families who escape",
    },
    "ko": {
        "SITESUBTITLE": "탈북민과 탈출한 가족들의 이야기",
    },
}

# Translations readers see: approved ones only. `invoke review` shows the others too.
I18N_PUBLISH_REVIEW_STATES = ["approved"]

PLUGIN_PATHS = ["plugins"]
# markup_allowlist refuses any article or page whose HTML holds what readers must not get
# (docs/safety.md): a build without it is not safe to publish.
PLUGINS = [
    "multilingual",
    "markup_allowlist",
    "reading_time",
    "shared_markdown",
    "frozen_urls",
    "incremental",
]

# Reading time shown with each article (press/rendering/reading_time.py), per language:
# "words" counts space-separated words, "characters" counts letters and digits (Hangul
# syllables), never spaces or punctuation. A language without an entry gets its script's
# default (press/rendering/reading_time.py): 238 words a minute for scripts written with
# spaces between words, 500 characters for Chinese, Japanese and Korean, the rates below.
# These are defaults, not measurements of that language: give it an entry when a study of
# its readers gives one. A script with neither (Thai, Khmer...) needs an entry: `invoke
# check` names the language.
# - en: 238 words a minute, adults' silent reading of English non-fiction: M. Brysbaert,
#   "How many words do we read per minute? A review and meta-analysis of reading rate",
#   Journal of Memory and Language 109 (2019) 104047, doi:10.1016/j.jml.2019.104047.
# - ko: 500 characters a minute. Song, Kim & Hyung, "Validity of Korean Version Reading
#   Speed Application and Measurement of Reading Speed: Pilot Study", J Korean Ophthalmol
#   Soc 57(4) (2016) 642-649, doi:10.3341/jkos.2016.57.4.642, measured adults' silent
#   reading at 202.3 eojeol a minute on sentences of 18.9 characters in 6.5 eojeol, about
#   590 characters a minute; those were easy sentences from primary-school textbooks, so
#   continuous non-fiction is slower (in English non-fiction reads about 8% slower than
#   fiction, Brysbaert 2019). 500 is also what Medium uses for Korean, Chinese and Japanese.
READING_TIME = {
    "en": {"unit": "words", "rate": 238},
    "ko": {"unit": "characters", "rate": 500},
}

# Inside a language folder, articles and pages are told apart by their sub-folder.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Images and documents are shared by every language: content/images/ is published once, as
# /images/, with its metadata removed. Link them as {static}/images/<name>.
STATIC_PATHS = ["images", "files"]
STATIC_URL = "../{path}"  # relative to a language's root, so /images/, not /en/images/

# The slug comes from the file name, never from the title: a translation keeps the name
# of its source file, so both share one URL apart from the language prefix.
PATH_METADATA = r"(?:.*/)?(?P<slug>[^/]+)\.[^./]+$"
FILENAME_METADATA = r""
SLUGIFY_USE_UNICODE = True  # Korean tags and categories keep their Hangul in URLs

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = "categories/{slug}/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
# Every article by topic with its summary, to find one without JavaScript (find in page).
ALL_SAVE_AS = "all/index.html"
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "all", "notfound"]
NOTFOUND_SAVE_AS = "404.html"  # each language's "page not found"

# Authors write under pseudonyms; an author page would only collect their work in one place.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# Drafts are never written anywhere in the output.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
# An article dated in the future is embargoed: no build publishes it (nor its translations)
# before its date and time in TIMEZONE. `invoke check` lists what is waiting; BUILD_NOW
# builds the site as it will be at another moment.
WITH_FUTURE_DATES = False
# Each language is its own site: Pelican's same-site translations are not used.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None


def newest_first(article):
    """Sort key of lists and feeds: newest first, and articles of one date by file name."""
    # Pelican reads the files in an order that changes from run to run (a set of paths),
    # and its "reversed-date" keeps that order among articles of the same date: two builds
    # of the same sources would list them differently.
    return -article.date.timestamp(), article.source_path


ARTICLE_ORDER_BY = newest_first

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 50

# Summaries are plain text, escaped like titles; Markdown in them would be raw HTML.
FORMATTED_FIELDS = []

# Pelican keeps what it read from each source in cache/ and reads a source again only when
# it changed: most of a rebuild's time is Markdown. publishconf.py reads everything afresh.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Uncompressed: the cache stays on this machine, where compressing it would only cost time.
GZIP_CACHE = False
# A source counts as changed when its bytes do, not its time: a file copied with its time
# kept (cp -p, rsync -a, an unzipped attachment) would otherwise be served from the cache as
# it was, and a reviewer would approve words that are not the ones published.
CHECK_MODIFIED_METHOD = "sha256"

DEFAULT_PAGINATION = 20
RELATIVE_URLS = True
DISPLAY_PAGES_ON_MENU = True

# What browsers may load: the site's own styles and images, nothing else. Sent as a header by
# deploy/nginx.conf and _headers, and as <meta> in every page for hosts without headers
# (GitHub Pages) and for the offline edition. script-src 'self' is for the feeds alone:
# browsers load the XSLT that shows a feed as a page (theme/templates/feed.xsl) as a script.
# The site publishes no script (the gate refuses .js), and the pages' <meta> leaves
# script-src out (press.safety.headers.meta_policy), so pages still run none at all.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "base-uri 'self'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Where `invoke deploy` publishes, and as whom (a pseudonymous identity: gh-pages history is
# public). RSYNC's target is a folder on this machine or a mounted one, or
# `[user@]host:/path` on a server reached with ssh (its command: "ssh" below, or $RSYNC_RSH).
DEPLOY = {
    "IDENTITY": {"name": "FFHR Publishing", "email": "publishing@ffhr.invalid"},
    "GH_PAGES": {"remote": "origin", "branch": "gh-pages"},
    "RSYNC": {"target": "", "keep": 5, "ssh": ["ssh"]},
}

# The offline edition (`invoke offline`; `make publish` offers it) is signed with a minisign
# key whose public half is this committed file; its secret half never enters the repository
# (SIGNING_KEY_FILE names it). Once the file exists, `make publish` publishes only a signed
# edition, and the safety page shows this key. docs/publishing.md tells the key's life.
OFFLINE_EDITION_PUBLIC_KEY = "keys/offline-edition.pub"

JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    # A misspelt variable is a build error, not an empty string on a reader's page.
    "undefined": StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,  # an included partial ends its line
    # Templates do not change during a build (every build makes its environments anew):
    # no stat of the template file for each page and each include that uses it.
    "auto_reload": False,
}

MARKDOWN = {
    "extension_configs": {
        # Table cells aligned with align="...": Markdown's default is an inline style, which
        # the allowlist refuses and the Content-Security-Policy would block anyway.
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.meta": {},
        # Heading ids keep their Hangul, so #anchors work in Korean articles too.
        "markdown.extensions.toc": {"slugify": slugify_unicode},
        # ![alt](src "Caption"), alone in its paragraph, is a <figure> with a <figcaption>.
        "press.rendering.figures": {},
    },
    "output_format": "html5",
}
