"""The markup allowlist: the elements and attributes published HTML may contain.

Content (an article's body, as Markdown rendered it with its raw HTML) may use CONTENT;
a whole published page may use PAGE: CONTENT and what the theme's templates write. HTML is
parsed as browsers parse it (Lexbor, an HTML5 engine), never with patterns, and what is
found outside the allowlist is reported, never removed: an author fixes the source, and
nothing a reader gets differs from what was checked.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser

from .urls import LINK, LOAD, url_problem

_NUMBER = "number"  # a value of digits alone
_LANGUAGE = "language"  # a language code (hreflang): "en", "ko", "zh-Hant", or x-default
# A BCP 47 language tag's shape (language, then subtags), or Babel's form of one ("zh_Hant",
# as I18N_LANGUAGES may name a language), or x-default (hreflang of <link>).
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*|x-default")


@dataclass(frozen=True)
class Allowlist:
    """Elements with the attributes each may carry, the URL attributes, and allowed values."""

    elements: dict[str, frozenset[str]]  # element -> its own attributes
    global_attributes: frozenset[str]  # allowed on every element of `elements`
    urls: dict[tuple[str, str], str]  # (element, attribute) -> LINK or LOAD
    values: dict[str, frozenset[str] | str] = field(default_factory=dict)  # attribute -> values

    def attributes(self, element: str) -> frozenset[str]:
        """Every attribute `element` may carry."""
        return self._attributes.get(element, frozenset())

    @cached_property
    def _attributes(self) -> dict[str, frozenset[str]]:
        return {tag: own | self.global_attributes for tag, own in self.elements.items()}

    @cached_property
    def _url_kinds(self) -> dict[str, dict[str, str]]:
        kinds = {}
        for (tag, name), kind in self.urls.items():
            kinds.setdefault(tag, {})[name] = kind
        return kinds

    def merged(self, other: "Allowlist") -> "Allowlist":
        """What either allowlist allows."""
        tags = self.elements.keys() | other.elements.keys()
        return Allowlist(
            elements={
                tag: self.elements.get(tag, frozenset()) | other.elements.get(tag, frozenset())
                for tag in tags
            },
            global_attributes=self.global_attributes | other.global_attributes,
            urls={**self.urls, **other.urls},
            values={**self.values, **other.values},
        )


def _each(names: str, attributes: str = "") -> dict[str, frozenset[str]]:
    return dict.fromkeys(names.split(), frozenset(attributes.split()))


# What articles and pages may contain: what Markdown (with the extra, meta and toc
# extensions) writes, and the raw HTML readers need: a <span lang="en"> around an English
# name on a Korean page, <abbr>, <sup>, <bdi>, <ruby>. Nothing that runs code, embeds,
# loads from anywhere but the site, styles, or sends what readers type.
CONTENT = Allowlist(
    elements={
        **_each(
            "p br hr wbr div span em strong b i u s small mark sub sup code pre kbd samp var "
            "dfn abbr cite bdi bdo ruby rt rp figure figcaption summary ul dl dt dd table "
            "caption thead tbody tfoot tr h1 h2 h3 h4 h5 h6"
        ),
        "a": frozenset({"href", "hreflang"}),
        "img": frozenset({"src", "alt", "width", "height"}),
        "blockquote": frozenset({"cite"}),
        "q": frozenset({"cite"}),
        **_each("del ins", "cite datetime"),
        "time": frozenset({"datetime"}),
        "ol": frozenset({"start", "reversed", "type"}),
        "li": frozenset({"value"}),
        "td": frozenset({"colspan", "rowspan", "align"}),
        "th": frozenset({"colspan", "rowspan", "align", "scope", "abbr"}),
        **_each("col colgroup", "span"),
        "details": frozenset({"open"}),
    },
    global_attributes=frozenset({"id", "class", "lang", "dir", "title"}),
    urls={
        ("a", "href"): LINK,
        ("img", "src"): LOAD,
        **{(tag, "cite"): LINK for tag in ("blockquote", "q", "del", "ins")},
    },
    values={
        "dir": frozenset({"ltr", "rtl", "auto"}),
        "align": frozenset({"left", "center", "right"}),
        "scope": frozenset({"row", "col", "rowgroup", "colgroup"}),
        "type": frozenset({"1", "a", "A", "i", "I"}),
        **dict.fromkeys(
            ("colspan", "rowspan", "start", "value", "span", "width", "height"), _NUMBER
        ),
        # Where a link leads to a page in another language: its code, nothing else.
        "hreflang": _LANGUAGE,
    },
)

# What the theme's templates add around content (theme/templates, the review pages too).
# A template that needs more is a change to make here, on purpose.
THEME = Allowlist(
    elements={
        **_each("html", "lang"),
        **_each("head title header footer main nav article section aside body"),
        "meta": frozenset({"charset", "name", "property", "content", "http-equiv"}),
        "link": frozenset({"rel", "href", "hreflang", "type", "title"}),
        "base": frozenset({"href"}),
        "a": frozenset({"rel", "type"}),
    },
    global_attributes=frozenset(
        {"role", "tabindex", "aria-label", "aria-labelledby", "aria-current", "aria-hidden"}
    ),
    urls={("link", "href"): LOAD, ("base", "href"): LOAD},
    values={
        "charset": frozenset({"utf-8"}),
        "name": frozenset({"description", "viewport", "referrer", "robots"}),
        # Open Graph, what apps show of a shared link; each one's content is judged by the
        # last gate (press.safety.published.OPEN_GRAPH).
        "property": frozenset(
            [
                "og:site_name",
                "og:title",
                "og:description",
                "og:type",
                "og:url",
                "og:locale",
                "og:locale:alternate",
                "og:image",
            ]
        ),
        # The site's policy, and Tor Browser's pointer to its onion service (the last gate
        # allows only the site's own: press.safety.published).
        "http-equiv": frozenset({"content-security-policy", "onion-location"}),
        "rel": frozenset({"canonical", "alternate", "stylesheet", "icon", "home", "prev", "next"}),
        "tabindex": frozenset({"-1", "0"}),
        "type": frozenset({"1", "a", "A", "i", "I", "application/atom+xml", "text/css"}),
    },
)

PAGE = CONTENT.merged(THEME)

# Why some elements and attributes are left out, for the messages authors read.
REASONS = {
    "script": "runs code in readers' browsers",
    "noscript": "only makes sense beside a script",
    "template": "holds markup browsers parse apart from the page",
    "iframe": "embeds another site's page, which readers' browsers would contact",
    "frame": "embeds another page",
    "frameset": "embeds other pages",
    "object": "embeds a plugin or another page",
    "embed": "embeds a plugin or another page",
    "style": "restyles the whole page and can load from other hosts",
    "link": "loads a resource into the page",
    "meta": "changes how the page behaves (it can send readers to another site)",
    "base": "changes where every link of the page points",
    "form": "sends what readers type somewhere",
    "input": "is a form field",
    "button": "is a form control",
    "textarea": "is a form field",
    "select": "is a form control",
    "svg": "can carry scripts, links and loads of its own",
    "math": "is not supported by the theme",
    "audio": "loads media",
    "video": "loads media",
    "source": "loads media",
    "picture": "loads images outside the image pipeline",
    "title": "belongs to the page's head, which the theme writes",
}
WRITE_INSTEAD = (
    "write it in Markdown, or with one of: span, abbr, em, strong, sup, sub, br, bdi "
    "(with lang, dir, title, id, class)"
)


@dataclass(frozen=True)
class Finding:
    """One thing outside the allowlist: what it is, how to find it, and what to do."""

    needles: tuple[str, ...]  # text that shows where it is in a source, most precise first
    message: str


def parse(html: str | bytes) -> LexborHTMLParser:
    """Parse HTML as a browser would."""
    return LexborHTMLParser(html)


# Elements whose text a reader does not read as part of the words around them: ruby's
# readings and fallback parentheses, footnote marks, and whatever a style sheet, the
# browser or assistive technology may hide (a class, `hidden`, `aria-hidden`, `style`).
SET_APART = frozenset({"rp", "rt", "rtc", "sup", "sub", "template", "script", "style"})
SET_APART_BY = ("class", "hidden", "aria-hidden", "style")


def text_read_around(node) -> str:
    """The text of `node` joined without spaces, as a reader reads it: leaving out what is
    SET_APART inside it, and in the order a right-to-left element shows its text."""
    # A stack rather than recursion: a page may nest elements thousands deep, as browsers
    # allow, and each element is a frame: (its children, their text so far, how it shows).
    read = []
    stack = [(node.iter(include_text=True), read, "inline")]
    while stack:
        children, parts, how = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                stack[-1][1].append(_shown_as(how, "".join(parts)))
        elif child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag in SET_APART or any(key in child.attributes for key in SET_APART_BY):
            continue
        else:
            if (child.attributes.get("dir") or "").strip().lower() == "rtl":
                how = "bdo" if child.tag == "bdo" else "rtl"
            elif child.tag in _BLOCKS:  # shown on lines of its own
                how = "block"
            else:
                how = "inline"
            stack.append((child.iter(include_text=True), [], how))
    return "".join(read)


def _shown_as(how: str, inside: str) -> str:
    """An element's text as it shows (text_read_around): <bdo> each character in reverse,
    another right-to-left element its words; a block on lines of its own."""
    if how == "bdo":
        return f" {inside[::-1]} "
    if how == "rtl":
        return f" {' '.join(reversed(inside.split()))} "
    return f" {inside} " if how == "block" else inside


_BLOCKS = frozenset(
    _each(
        "p div li ul ol dl dt dd summary details h1 h2 h3 h4 h5 h6 blockquote pre table tr td "
        "th caption figure figcaption hr br section article aside header footer nav main"
    )
)


def has_set_apart(node) -> bool:
    """Whether anything inside `node` is SET_APART from the text around it, or shown in
    another order than it is written."""
    return node.css_first(_SET_APART_SELECTOR) is not None


_SET_APART_SELECTOR = ", ".join(
    [*sorted(SET_APART), *(f"[{key}]" for key in SET_APART_BY), "[dir]"]
)


def elements(tree: LexborHTMLParser, fragment: bool = False) -> Iterator:
    """Every element of a parsed document; of a fragment, those inside its <body>."""
    roots = [tree.root] if not fragment else list(tree.body.iter(include_text=False))
    for root in roots:
        if root is None:
            continue
        for node in root.traverse(include_text=False):
            if node.tag not in _NOT_ELEMENTS:
                yield node


_NOT_ELEMENTS = frozenset({"-comment", "!doctype", "-text", "-document"})


def findings(
    tree: LexborHTMLParser, allowlist: Allowlist, base: str, fragment: bool = False
) -> list[Finding]:
    """What in `tree` is outside `allowlist`, its URLs read against the site at `base`."""
    found = []
    # Looked up once: this runs on every element of every published page.
    attributes_of, url_kinds, values = allowlist._attributes, allowlist._url_kinds, allowlist.values
    for node in elements(tree, fragment):
        tag = node.tag
        allowed = attributes_of.get(tag)
        if allowed is None:
            reason = REASONS.get(tag, "is not on the list of elements a page may contain")
            found.append(Finding(needles(node), f"<{tag}> {reason}: remove it; {WRITE_INSTEAD}"))
            continue
        attributes = node.attributes
        if not attributes:
            continue
        kinds = url_kinds.get(tag)
        for name, value in attributes.items():
            value = value or ""
            if name not in allowed:
                found.append(_attribute_finding(tag, name, value, allowed))
            elif kinds is not None and name in kinds:
                if problem := url_problem(kinds[name], value, base):
                    shown = value if len(value) <= 80 else value[:77] + "..."
                    found.append(
                        Finding(
                            (value, value.strip(), f"{name}="),
                            f"<{tag} {name}={shown!r}> {problem}",
                        )
                    )
            elif name in values and not _allowed_value(value, values[name], name):
                found.append(
                    Finding(
                        (value, f"{name}=", name),
                        f"<{tag} {name}={value!r}>: not a value this site allows for {name}",
                    )
                )
    return found


def needles(node) -> tuple[str, ...]:
    """Text that shows where an element stands in its source: its attributes' values, the
    longest (the most distinctive) first, then its start tag."""
    values = sorted((v for v in node.attributes.values() if v and len(v) > 2), key=len)
    return (*reversed(values), f"<{node.tag}")


def _allowed_value(value: str, expected, name: str) -> bool:
    if expected == _NUMBER:
        return value.strip().isdecimal()
    if expected == _LANGUAGE:
        return _LANGUAGE_CODE.fullmatch(value) is not None
    if name == "rel":
        return set(value.lower().split()) <= expected
    return value.strip().lower() in expected or value in expected


def _attribute_finding(tag: str, name: str, value: str, allowed) -> Finding:
    if name.startswith("on"):
        what = "is an event handler: it runs code in readers' browsers; remove the attribute"
    elif name == "style":
        what = "is an inline style, which can load from other hosts; remove it (the theme styles)"
    elif name in ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href"):
        what = f"would make <{tag}> lead somewhere or load something; remove it"
    else:
        what = "is not an allowed attribute; remove it"
    keep = ", ".join(sorted(allowed))
    places = (value, f"{name}=", f"{name} ", name) if len(value) > 2 else (f"{name}=", name)
    return Finding(places, f"<{tag} {name}=...> {what} (<{tag}> may have: {keep})")
