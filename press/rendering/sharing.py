"""What a page tells the apps it is shared in (Open Graph), from the site itself only.

A link shared in a chat app shows a title, a summary and maybe an image: the app reads
them from the page's <meta property="og:...">. Every value is the site's own; an image
from another host would be a request readers' apps make to that host.
"""

from functools import cache
from urllib.parse import urljoin, urlsplit

from babel import Locale
from babel.core import get_global
from selectolax.lexbor import LexborHTMLParser


@cache
def og_locale(lang: str) -> str:
    """The language as Open Graph names a locale, language_TERRITORY ("ko" -> "ko_KR")."""
    locale = Locale.parse(lang)
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    # CLDR's likely territory for a bare language: ko -> ko_Kore_KR, en -> en_Latn_US.
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = Locale.parse(likely).territory if likely else None
    return f"{locale.language}_{territory}" if territory else locale.language


def share_image(content: str, page_url: str) -> str | None:
    """The absolute address of the first image of `content` if the site publishes it.

    `page_url`: the page's absolute address, which relative sources start from, and whose
    host the image must be on (the last gate judges it against the site's address again).
    """
    if not content or "<img" not in content:
        return None
    image = LexborHTMLParser(content).css_first("img[src]")
    if image is None:
        return None
    address = urljoin(page_url, image.attributes.get("src") or "")
    parts, site = urlsplit(address), urlsplit(page_url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc) or parts.username:
        return None
    return address
