"""Weigh every HTML page of a built site as a reader's browser fetches it, before compression.

A page weighs its own bytes plus those of every file of the same site it makes the browser
load: stylesheets (and what they @import or url()), images, icons, scripts, media. Links a
reader may follow (<a href>, feeds, alternates) are not loaded, so they weigh nothing. Files
on other hosts are not counted: the site loads none (the publishing gates refuse them).
"""

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from press.core.files import html_pages
from press.safety.css import loaded_urls

# 60 KiB for a page with everything it loads: an article reaches a reader on a slow or
# metered connection in a few seconds, compressed or not.
DEFAULT_BUDGET = 60 * 1024

# Stands for the site's own origin while resolving URLs; never requested.
_ORIGIN = "http://site.invalid"
# <link rel> values that make a browser fetch the target.
_LOADED_RELS = frozenset({"stylesheet", "icon", "apple-touch-icon", "preload", "manifest"})
# Attributes that load a file, per element.
_SOURCES = {
    "img": ("src",),
    "source": ("src",),
    "script": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}


@dataclass(frozen=True)
class PageWeight:
    """One HTML page: its own bytes and the bytes of each same-origin file it loads."""

    page: str  # path inside the site, e.g. "en/articles/x/index.html"
    html: int
    assets: dict[str, int] = field(default_factory=dict)  # path inside the site -> bytes
    missing: tuple[str, ...] = ()  # referenced files the site does not have

    @property
    def total(self) -> int:
        """Bytes a browser fetches for this page."""
        return self.html + sum(self.assets.values())


class _References(HTMLParser):
    """Collects the URLs an HTML page makes the browser load, and its <base href>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.base = None
        self.urls = []
        self.css = []  # text of <style> blocks
        self.styles = []  # of style attributes
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "base" and self.base is None and attrs.get("href"):
            self.base = attrs["href"]
        elif tag == "link" and _LOADED_RELS & set(attrs.get("rel", "").lower().split()):
            self.urls.append(attrs.get("href", ""))
        for name in _SOURCES.get(tag, ()):
            self.urls.append(attrs.get(name, ""))
        if "srcset" in attrs and tag in ("img", "source"):
            # Every candidate counts: which one a browser picks depends on the screen.
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",") if part.split()]
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)


def _site_path(url: str, site_url: str | None) -> str | None:
    """The path inside the site of an absolute URL, or None when it is on another origin."""
    if url.startswith(_ORIGIN + "/"):
        path = url[len(_ORIGIN) :]
    elif site_url and url.startswith(site_url.rstrip("/") + "/"):
        path = url[len(site_url.rstrip("/")) :]
    else:
        return None
    path = unquote(urlsplit(path).path).lstrip("/")
    return posixpath.join(path, "index.html") if path.endswith("/") or not path else path


def _weigh(site: Path, page: str, site_url: str | None) -> PageWeight:
    """Weigh one page, following its stylesheets' own references."""
    data = (site / page).read_bytes()
    parser = _References()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    base = urljoin(f"{_ORIGIN}/{page}", parser.base or "")
    pending = [urljoin(base, url.strip()) for url in parser.urls if url.strip()]
    pending += [urljoin(base, url.strip()) for css in parser.css for url in loaded_urls(css)]
    pending += [
        urljoin(base, url.strip())
        for style in parser.styles
        for url in loaded_urls(style, declarations=True)
    ]
    assets, missing = {}, []
    while pending:
        url = pending.pop()
        if url.startswith("data:"):
            continue  # already part of the bytes that hold it
        path = _site_path(url, site_url)
        if path is None or path in assets or path in missing or path == page:
            continue
        file = site / path
        if not file.is_file():
            missing.append(path)
            continue
        assets[path] = file.stat().st_size
        if path.endswith(".css"):
            css = file.read_text(encoding="utf-8", errors="replace")
            pending += [urljoin(f"{_ORIGIN}/{path}", ref.strip()) for ref in loaded_urls(css)]
    return PageWeight(page, len(data), dict(sorted(assets.items())), tuple(sorted(missing)))


def page_weights(site: Path, site_url: str | None = None) -> list[PageWeight]:
    """Weigh every HTML page of a built site, in path order.

    Relative and root-relative references count; absolute ones only when they start with
    `site_url` (the site's public address), since anything else is another origin.
    """
    site = Path(site)
    return [_weigh(site, page, site_url) for page in html_pages(site)]


def over_budget(weights: list[PageWeight], budget: int = DEFAULT_BUDGET) -> list[PageWeight]:
    """The pages heavier than `budget` bytes."""
    return [weight for weight in weights if weight.total > budget]


def format_table(weights: list[PageWeight], budget: int = DEFAULT_BUDGET) -> str:
    """A table of every page's weight in bytes, marking those over budget, with a summary."""
    # The page comes last: Hangul paths are wider on screen than their length, so a column
    # after them would not line up.
    lines = [f"{'total':>8}  {'html':>8}  {'assets':>8}  page"]
    for weight in weights:
        mark = "  OVER BUDGET" if weight.total > budget else ""
        lines.append(
            f"{weight.total:>8,}  {weight.html:>8,}  {sum(weight.assets.values()):>8,}"
            f"  {weight.page}{mark}"
        )
        lines += [f"{'':>30}  missing: {path}" for path in weight.missing]
    over = over_budget(weights, budget)
    if weights:
        heaviest = max(weights, key=lambda weight: weight.total)
        lines.append(
            f"{len(weights)} pages; heaviest {heaviest.page} at {heaviest.total:,} bytes; "
            f"budget {budget:,} bytes: " + (f"{len(over)} over" if over else "all within")
        )
    else:
        lines.append("no HTML pages found")
    return "\n".join(lines)
