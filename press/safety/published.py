"""The last gate: every published file is of an allowed kind and holds only what is allowed.

Pages hold only PAGE's elements and attributes, with the theme's own <meta> policies and
no <base> elsewhere; feeds and the sitemap hold only their formats' elements, URLs of the
site itself, and content that passes CONTENT; style sheets load only from the site; no file
name or text holds a name of the private list. The content check (press.safety.content)
refuses most of this in the sources already, with their lines; this gate sees what is
actually published, whatever wrote it: the theme, a catalog, the build.
"""

import contextlib
import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote
from xml.parsers import expat

import ada_url

from press.core.files import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS

from .css import style_sheet_addresses
from .headers import onion_location
from .markup import (
    CONTENT,
    PAGE,
    Finding,
    findings,
    has_set_apart,
    needles,
    parse,
    text_read_around,
)
from .private_names import WHAT, Occurrence, PrivateNames
from .urls import LOAD, both_schemes, url_problem

# Files the build writes, by what they are: anything else is not published.
PUBLISHED_TYPES = {
    ".html": "page",
    ".xml": "feed or sitemap",
    ".css": "style sheet",
    ".xsl": "feed style sheet",
    ".zip": "offline edition",
    ".minisig": "signature",  # minisign's, of the offline edition and of its SHA256SUMS
    **dict.fromkeys(DOCUMENT_EXTENSIONS, "document"),
    ".txt": "text",
    **dict.fromkeys(IMAGE_EXTENSIONS, "image"),
}
PUBLISHED_NAMES = {"_headers": "host headers", "_redirects": "host redirects", "SHA256SUMS": "text"}
# The site's icon, which the build draws (press.build.shared): at the root only, an icon only.
ICON = "favicon.ico"
# Elements of the head a page may have once, and where they belong.
HEAD_ONLY = ("meta", "link", "base", "title")
# What <meta name> may say, for the names that steer browsers and search engines.
META_CONTENT = {
    "referrer": frozenset({"no-referrer"}),
    "robots": frozenset({"noindex", "noindex, nofollow"}),
    "viewport": frozenset({"width=device-width, initial-scale=1"}),
}
# What Open Graph's <meta property> may say, for those that are not free text: the page's
# and its image's addresses are the site's own, absolute (apps read them without the page's
# address); the type one of the two the site is; locales as Open Graph writes them (ko_KR).
OPEN_GRAPH_URLS = frozenset({"og:url", "og:image"})
OPEN_GRAPH_VALUES = {"og:type": frozenset({"article", "website"})}
OPEN_GRAPH_LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
# What every page's head must say (theme/templates/_head_meta.html writes it): without them
# a host that sends no headers (GitHub Pages, a USB stick) would have no policy at all.
REQUIRED_HEAD = {
    "charset": '<meta charset="utf-8">',
    "http-equiv": "the site's Content-Security-Policy <meta http-equiv>",
    "referrer": '<meta name="referrer" content="no-referrer">',
    "title": "a <title>",
}

# Elements whose text a reader reads as one run, whatever inline markup splits it.
TEXT_BLOCKS = (
    "title, p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, figcaption, caption, summary, pre, "
    "blockquote, a, div, details"
)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _each(namespace: str, names: str, attributes: str = "") -> dict[str, frozenset[str]]:
    return dict.fromkeys(
        (namespace + name for name in names.split()), frozenset(attributes.split())
    )


# Elements of the XML the build writes, with their attributes; the URLs among them.
XML_ELEMENTS = {
    f"{ATOM}feed": frozenset({XML_LANG}),
    **_each(ATOM, "title subtitle summary content", "type"),
    f"{ATOM}link": frozenset({"href", "rel", "type", "hreflang", "title"}),
    **_each(ATOM, "id updated published author name entry"),
    f"{ATOM}category": frozenset({"term", "label", "scheme"}),
    **_each(SITEMAP, "urlset url loc lastmod"),
    f"{XHTML}link": frozenset({"rel", "hreflang", "href"}),
}
XML_URLS = {(f"{ATOM}link", "href"), (f"{XHTML}link", "href")}
XML_URL_TEXTS = {f"{SITEMAP}loc"}


@dataclass(frozen=True)
class Site:
    """What the gate needs to know of the site whose files it checks."""

    base: str  # the site's address (urls.site_base)
    content_security_policy: str  # what the theme's <meta http-equiv> says
    names: PrivateNames | None = None
    # The onion service a page may name in <meta http-equiv="onion-location">, and only
    # with that page's own path there (settings.onion_location_of); None: no page may.
    onion_location: str | None = None


def problems(name: str, data: bytes, site: Site, tree=None) -> list[tuple[int, str]]:
    """Every problem of one published file (its path inside the build): (line, message).

    `tree`: a page's parse (markup.parse), when the caller has it already.
    """
    found = _name_problems(name, site)
    suffix = posixpath.splitext(name)[1].lower()
    basename = posixpath.basename(name)
    kind = PUBLISHED_TYPES.get(suffix) or PUBLISHED_NAMES.get(basename)
    if name == ICON:
        return [*found, *_icon_problems(data)]
    if kind is None or any(part.startswith(".") for part in name.split("/")):
        allowed = ", ".join(sorted(PUBLISHED_TYPES) + sorted(PUBLISHED_NAMES))
        return [
            *found,
            (0, "must not be published: the site publishes only files of these kinds, and no "
             f"hidden ones: {allowed} (a source, catalog, editor or OS leftover?); remove what "
             "copies it"),
        ]  # fmt: skip
    if kind in ("image", "document"):
        return found  # their contents are re-read by the leak gate
    if kind == "offline edition":
        return found + zip_problems(data, site)
    try:
        # The build writes UTF-8; a file in another encoding (UTF-16 with its byte order
        # mark, say) reads differently to a browser than to these checks.
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [
            *found,
            (data.count(b"\n", 0, exc.start) + 1, "is not UTF-8 text; save it as UTF-8"),
        ]
    if kind == "page":
        tree = tree if tree is not None else parse(data)
        found += _located(text, page_findings(tree, site, name))
    elif kind == "feed or sitemap":
        found += xml_problems(data, site)
    elif kind == "style sheet":
        found += css_problems(text, site.base)
    elif kind == "feed style sheet":
        found += xsl_problems(data, site)
    if site.names is not None:
        found += _text_names(text, tree if kind == "page" else None, site.names)
    return found


def _icon_problems(data: bytes) -> list[tuple[int, str]]:
    """The site's icon is a Windows icon file and nothing else (no SVG, no page in disguise)."""
    # ICONDIR: reserved 0, type 1 (icon), at least one image.
    if len(data) < 6 or data[:4] != b"\x00\x00\x01\x00" or data[4:6] == b"\x00\x00":
        return [(0, "is not an icon file (.ico); the build draws the site's icon itself")]
    return []


def _equiv(attributes) -> str:
    return (attributes.get("http-equiv") or "").strip().lower()


def _onion_location_problem(content: str, site: Site, name: str) -> str | None:
    """Why a page's Onion-Location is not this page at the site's own onion service."""
    if site.onion_location is None:
        return "names an onion service, and this site has none here (ONION_URL): remove it"
    expected = onion_location(site.onion_location, name)
    if unquote(content) != unquote(expected):
        return f"must name this page at the site's onion service, {expected!r}"
    return None


def page_findings(tree, site: Site, page: str = "") -> list[Finding]:
    """What a parsed page holds outside PAGE, or against the theme's own head (`page`: its
    path inside the build, which its Onion-Location must name)."""
    found = findings(tree, PAGE, site.base)
    counts = {}
    for node in tree.css(", ".join(HEAD_ONLY)):
        tag = node.tag
        attributes = node.attributes
        if node.parent is None or node.parent.tag != "head":
            found.append(Finding(needles(node), f"<{tag}> stands outside the page's <head>"))
        content = attributes.get("content") or ""
        name = (attributes.get("name") or "").strip().lower()
        if tag == "meta" and _equiv(attributes) == "onion-location":
            key = "onion-location"
            if problem := _onion_location_problem(content, site, page):
                found.append(Finding(needles(node), f"<meta http-equiv=onion-location> {problem}"))
        elif tag == "meta" and "http-equiv" in attributes:
            key = "http-equiv"
            if content != site.content_security_policy:
                found.append(
                    Finding(
                        needles(node),
                        "<meta http-equiv> says something else than the site's "
                        "Content-Security-Policy",
                    )
                )
        elif tag == "meta" and name in META_CONTENT:
            key = name
            if content.strip().lower() not in META_CONTENT[name]:
                allowed = " or ".join(repr(value) for value in sorted(META_CONTENT[name]))
                found.append(Finding(needles(node), f"<meta name={name}> must say {allowed}"))
        elif tag == "meta" and "property" in attributes:
            found += _open_graph_findings(node, attributes.get("property") or "", content, site)
            continue
        elif tag in ("base", "title") or (tag == "meta" and "charset" in attributes):
            key = tag if tag != "meta" else "charset"
        else:
            continue
        counts[key] = counts.get(key, 0) + 1
        if counts[key] == 2:
            found.append(Finding(needles(node), f"the page has more than one {key} in its head"))
    for key, what in REQUIRED_HEAD.items():
        if not counts.get(key):
            found.append(Finding(("<head",), f"the page lacks {what}, which every page must have"))
    return found


def _open_graph_findings(node, prop: str, content: str, site: Site) -> list[Finding]:
    """What is wrong with one <meta property="og:..."> (the allowlist limits the properties)."""
    if prop in OPEN_GRAPH_URLS:
        problem = url_problem(LOAD, content, site.base)
        roots = tuple(base.rstrip("/") + "/" for base in both_schemes(site.base))
        if problem is None and not content.startswith(roots):
            problem = "is not an absolute address on the site itself"
        if problem:
            return [Finding(needles(node), f"<meta property={prop}> {content!r} {problem}")]
    elif prop in OPEN_GRAPH_VALUES and content not in OPEN_GRAPH_VALUES[prop]:
        allowed = " or ".join(repr(value) for value in sorted(OPEN_GRAPH_VALUES[prop]))
        return [Finding(needles(node), f"<meta property={prop}> must say {allowed}")]
    elif prop.startswith("og:locale") and not OPEN_GRAPH_LOCALE.fullmatch(content):
        return [Finding(needles(node), f"<meta property={prop}> must name a locale like ko_KR")]
    return []


def _located(text: str, found: list[Finding]) -> list[tuple[int, str]]:
    return [(locate(text, finding.needles), finding.message) for finding in found]


def locate(text: str, needles, first_line: int = 1) -> int:
    """The line of `text` (counted from `first_line`) where the first needle stands; 0 if none.

    Also in the text with character references decoded, as a browser reads attributes.
    """
    lines = text.split("\n")
    for needle in needles:
        needle = needle.lower().split("\n", 1)[0]
        if not needle:
            continue
        for number, line in enumerate(lines, first_line):
            lowered = line.lower()
            if needle in lowered or ("&" in line and needle in html.unescape(lowered)):
                return number
    return 0


def xml_problems(data: bytes, site: Site) -> list[tuple[int, str]]:
    """Feeds and the sitemap: their formats' elements only, URLs of the site only, and
    HTML content that passes CONTENT."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [(exc.position[0] if exc.position else 0, f"not well-formed XML: {exc}")]
    found = _xml_declarations(data, site if root.tag == f"{ATOM}feed" else None)
    text = data.decode("utf-8", errors="replace")
    for element in root.iter():
        tag = element.tag
        if tag not in XML_ELEMENTS:
            found.append((0, f"<{tag}> is not an element of the site's feeds or sitemap"))
            continue
        for attribute, value in element.attrib.items():
            if attribute not in XML_ELEMENTS[tag]:
                found.append((locate(text, (attribute,)), f"<{tag} {attribute}> is not allowed"))
            elif (tag, attribute) in XML_URLS and (problem := url_problem(LOAD, value, site.base)):
                found.append((locate(text, (value,)), f"{attribute}={value!r} {problem}"))
        if tag in XML_URL_TEXTS and (problem := url_problem(LOAD, element.text or "", site.base)):
            found.append((locate(text, (element.text or "",)), f"{element.text!r} {problem}"))
        if element.get("type") == "html" and element.text:
            fragment = parse(f"<!DOCTYPE html><body>{element.text}")
            for finding in findings(fragment, CONTENT, site.base, fragment=True):
                escaped = tuple(html.escape(needle, quote=False) for needle in finding.needles)
                found.append((locate(text, escaped), f"in {tag}: {finding.message}"))
    return found


# The one processing instruction a feed may hold: its XSLT style sheet, a file of the site.
XML_STYLESHEET = re.compile(r'type="text/xsl" href="(?P<href>[^"<>]+\.xsl)"')


def _xml_declarations(data: bytes, site: Site | None = None) -> list[tuple[int, str]]:
    """What an XML file says outside its elements: ElementTree never shows it, but a browser
    follows an <?xml-stylesheet?> and reads a DOCTYPE's entities. The site writes no DOCTYPE,
    and only a feed's style sheet (`site`: where its address must lead; None allows none)."""
    found = []
    parser = expat.ParserCreate()

    def refuse(what):
        found.append((parser.CurrentLineNumber, f"{what} is not allowed in the site's XML"))

    def instruction(target, text):
        match = XML_STYLESHEET.fullmatch(text.strip())
        if site is None or target != "xml-stylesheet" or match is None:
            refuse(f"<?{target} ...?>")
        elif problem := url_problem(LOAD, match["href"], site.base):
            found.append((parser.CurrentLineNumber, f"<?xml-stylesheet?> {problem}"))

    parser.ProcessingInstructionHandler = instruction
    parser.StartDoctypeDeclHandler = lambda name, *_ids: refuse(f"<!DOCTYPE {name}>")
    parser.EntityDeclHandler = lambda name, *_rest: refuse(f"<!ENTITY {name}>")
    with contextlib.suppress(expat.ExpatError):  # ElementTree reported it already
        parser.Parse(data, True)
    return found


XSL = "{http://www.w3.org/1999/XSL/Transform}"
# The XSLT a feed's style sheet may use: what turns a feed into a page, nothing that reads
# another document (xsl:import, xsl:include, document()) or writes one's markup unescaped.
XSL_ELEMENTS = {
    **_each(XSL, "stylesheet", "version exclude-result-prefixes"),
    **_each(XSL, "output", "method encoding indent"),
    **_each(XSL, "template", "match"),
    **_each(XSL, "for-each value-of", "select"),
    **_each(XSL, "if", "test"),
}
# The HTML it writes: the page's frame, a list of entries, and the site's own style sheet.
XSL_HTML = {
    "html": frozenset({"lang", "dir"}),
    "head": frozenset(),
    "meta": frozenset({"charset", "name", "content", "http-equiv"}),
    "title": frozenset(),
    "link": frozenset({"rel", "href"}),
    **dict.fromkeys(
        ("body", "main", "h1", "h2", "p", "ol", "ul", "li", "div"), frozenset({"id", "class"})
    ),
    "a": frozenset({"href"}),
    "time": frozenset({"datetime"}),
}
XSL_URLS = {"href"}


def xsl_problems(data: bytes, site: Site) -> list[tuple[int, str]]:
    """A feed's XSLT style sheet: the allowed XSLT and HTML only, no instruction or DOCTYPE,
    and every address it writes either the site's or taken from the feed ({...}), whose own
    addresses the feed's gate judged."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [(exc.position[0] if exc.position else 0, f"not well-formed XML: {exc}")]
    found = _xml_declarations(data)
    text = data.decode("utf-8", errors="replace")
    for element in root.iter():
        tag = element.tag
        allowed = XSL_ELEMENTS.get(tag, XSL_HTML.get(tag))
        if allowed is None:
            found.append((0, f"<{tag}> is not allowed in a feed's style sheet"))
            continue
        for attribute, value in element.attrib.items():
            if attribute not in allowed:
                found.append((locate(text, (attribute,)), f"<{tag} {attribute}> is not allowed"))
            elif "document(" in value.replace(" ", ""):
                found.append((locate(text, (value,)), f"{value!r} reads another document"))
            elif (
                attribute in XSL_URLS
                and not value.startswith("{")
                and (problem := url_problem(LOAD, value, site.base))
            ):
                found.append((locate(text, (value,)), f"{attribute}={value!r} {problem}"))
        if (
            tag == "meta"
            and element.get("http-equiv")
            and (element.get("content") != site.content_security_policy)
        ):
            found.append((locate(text, ("http-equiv",)), "its policy is not the site's"))
    return found


def zip_problems(data: bytes, site: Site) -> list[tuple[int, str]]:
    """The offline edition (press.build.offline): a ZIP of one folder whose every file passes
    this gate as a file of the site would, and holds no other ZIP."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [(0, "is not a ZIP file; publish only the offline edition `make publish` built")]
    found = []
    with archive:
        for member in archive.infolist():
            name = member.filename
            _top, _, inner = name.partition("/")
            parts = inner.split("/")
            if member.is_dir():
                continue
            if not inner or "\\" in name or any(part in ("", ".", "..") for part in parts):
                found.append((0, f"{name!r}: every file of the edition is inside its one folder"))
            elif posixpath.splitext(inner)[1].lower() == ".zip":
                found.append((0, f"{name}: a ZIP inside the offline edition is not allowed"))
            else:
                found += [
                    (line, f"{name}: {message}")
                    for line, message in problems(inner, archive.read(member), site)
                ]
    return found


def css_problems(text: str, base: str) -> list[tuple[int, str]]:
    """Every address a style sheet may load from is on the site: url(), @import, and every
    string, since a custom property can carry one into image-set() or src()."""
    found = []
    for address, line, is_url in style_sheet_addresses(text):
        if is_url:
            problem = url_problem(LOAD, address, base)
        else:
            # Most strings are text ("content: '→'"), which read as a path stay on the site.
            problem = url_problem(LOAD, address, base) if _leaves_site(address, base) else None
        if problem:
            found.append((line, f"CSS {address!r} {problem}"))
    return found


def _leaves_site(text: str, base: str) -> bool:
    """Whether a CSS string, read as an address on a page served over https or http, names
    another origin or scheme."""
    for site in both_schemes(base):
        try:
            url = ada_url.URL(text.strip(), site)
        except ValueError:
            return False
        if url.origin != ada_url.URL(site).origin:
            return True
    return False


def _name_problems(name: str, site: Site) -> list[tuple[int, str]]:
    if site.names is None:
        return []
    return [
        (0, f"its path spells {WHAT} (its line {hit.entry}); rename the file or folder")
        for part in name.split("/")
        for hit in site.names.in_name(part)
    ]


def _text_names(text: str, page, names: PrivateNames) -> list[tuple[int, str]]:
    """Names of the private list in a file's text, its character references and percent-escapes
    decoded; in a page, also as a browser shows its text, split by markup or not."""
    hits = set(names.in_text(_decoded(text)))
    if page is not None:
        tree = page
        values = [
            _decoded(value or "")
            for node in tree.root.traverse(include_text=False)
            for value in node.attributes.values()
        ]
        # "K<span>im</span>" reads "Kim": each block's text joined without spaces, and the
        # whole text with them; "Kim<rp>(</rp> Cholsu" and "Kim<span class=x>-</span> Cholsu"
        # read "Kim Cholsu" too, when a style sheet hides the span.
        blocks = []
        for node in tree.css(TEXT_BLOCKS):
            blocks.append(node.text(separator=""))
            if has_set_apart(node):
                blocks.append(text_read_around(node))
        shown = [tree.root.text(separator=" "), *blocks, *values]
        found = {hit.entry for hit in hits}
        hits |= {
            Occurrence(0, hit.entry)
            for hit in names.in_text("\n".join(shown))
            if hit.entry not in found
        }
    return [
        (
            hit.line,
            f"contains {WHAT} (its line {hit.entry}); remove it from the source that wrote it",
        )
        for hit in sorted(hits, key=lambda hit: (hit.line, hit.entry))
    ]


def _decoded(text: str) -> str:
    """Text with character references and percent-escapes decoded, as readers see it."""
    text = html.unescape(text)
    return f"{text}\n{unquote(text)}" if "%" in text else text
