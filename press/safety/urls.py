"""The URL allowlist: where a link may lead, and where a browser may load something from.

URLs are parsed as browsers parse them (ada, a WHATWG URL parser), relative to the site's
address, so that entities, tabs, backslashes and upper case mean here what they mean to a
reader's browser. Two kinds of URL attribute:

- a link, which the reader chooses to follow: http(s) and mailto: anywhere, and a relative
  URL that stays on the site;
- a load, which the browser fetches by itself (images, style sheets, the base URL): this
  site's own origin only.
"""

from functools import lru_cache

import ada_url

LINK = "link"
LOAD = "load"
LINK_SCHEMES = ("http:", "https:", "mailto:")
# The stand-in origin for a site whose SITEURL is empty or relative: only sameness counts.
PLACEHOLDER_SITE = "https://site.invalid/"
# Characters the URL parser removes or trims before reading a URL (WHATWG: ASCII tab and
# newline anywhere, C0 controls and space at either end): a URL that has them does not
# mean what it looks like it means.
_STRIPPED = frozenset("\t\n\r")
_TRIMMED = "".join(map(chr, range(0x21)))


def site_base(siteurl: str) -> str:
    """The absolute URL relative URLs of the site are read against."""
    siteurl = (siteurl or "").strip()
    if ada_url.check_url(siteurl) and siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/") + "/"
    return PLACEHOLDER_SITE


@lru_cache(maxsize=1 << 16)
def url_problem(kind: str, value: str, base: str) -> str | None:
    """Why a browser must not follow or load `value` on a page of the site at `base`; None if
    it may.

    The verdict does not depend on the page's own path: a relative URL keeps the origin of
    whatever it is read against, so one verdict serves every page (and is remembered).
    """
    if any(c in _STRIPPED for c in value) or value != value.strip(_TRIMMED):
        return (
            "has a tab, line break or control character, which browsers remove before "
            "reading the address; write the address on one line, without them"
        )
    try:
        # The common case first: the address stays on the site however it is read, which
        # its canonical form (ada's, with no user name) says by starting with the origin.
        bases = (base,) if _full(value) else both_schemes(base)
        if all(ada_url.join_url(site, value).startswith(_root(site)) for site in bases):
            return None
    except ValueError:
        return "is not an address browsers can read; write a full https:// address or a path"
    try:
        # Read against the site as served over https and over http (a reader, a mirror or a
        # feed reader may use either): "https:host/x" is a path on an https page and another
        # host on an http one, and must be judged as both.
        # A full address ("https://host/...") means the same on both, and is judged against
        # the site's own address.
        bases = (base,) if _full(value) else both_schemes(base)
        readings = [(ada_url.URL(value, site), ada_url.URL(site)) for site in bases]
    except ValueError:
        return "is not an address browsers can read; write a full https:// address or a path"
    for url, site in readings:
        if problem := _reading_problem(kind, value, url, site):
            return problem
    return None


@lru_cache(maxsize=16)
def _root(site: str) -> str:
    """The site's origin followed by "/": where every address on it starts."""
    return ada_url.URL(site).origin + "/"


def _full(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def both_schemes(base: str) -> tuple[str, str]:
    if base.startswith("https://"):
        return base, "http://" + base.removeprefix("https://")
    return base, "https://" + base.removeprefix("http://")


def _reading_problem(kind: str, value: str, url, site) -> str | None:
    if url.username or url.password:
        return "carries a user name or password; remove them from the address"
    if kind == LOAD:
        if url.protocol in ("http:", "https:") and url.origin == site.origin:
            return None
        where = url.origin if url.origin != "null" else f"a {url.protocol} URL"
        return (
            f"makes readers' browsers load it from {where}, not from this site; serve the "
            "file from the site: an image from content/images/, linked as "
            "{static}/images/<name>, a theme's file from theme/static/"
        )
    if url.protocol not in LINK_SCHEMES:
        return (
            f"is a {url.protocol} address, which a browser would run or hand to another "
            "program; links may lead to http://, https:// and mailto: addresses only"
        )
    if (
        url.protocol != "mailto:"
        and not value.lower().startswith(("http://", "https://"))
        and (url.origin != site.origin)
    ):
        return (
            f"looks like a path on this site, but browsers read it as an address on "
            f"{url.host}; write another site's address in full, starting with https://"
        )
    return None
