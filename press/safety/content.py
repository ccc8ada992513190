"""The content check: an article's HTML, as Markdown rendered it, holds only CONTENT.

What is checked is Markdown's output, not its input: whatever a code span, a comment, an
attribute list or a reference link does to the source, the check sees the HTML a browser
will get, parsed as the browser will parse it. Each finding is reported at the line of the
source where its text stands.
"""

import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

from pelican.contents import Content

from press.core.problems import Problem

from .markup import CONTENT, Finding, elements, findings, parse
from .published import locate
from .urls import LOAD, site_base, url_problem


class UnsafeContent(Exception):
    """A source whose HTML is outside the allowlist; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def html_problems(
    path: Path, source: str, html: str, siteurl: str, intrasite: re.Pattern | None = None
) -> list[Problem]:
    """Problems of the HTML `html` rendered from the Markdown `source` of the file `path`.

    `intrasite`: Pelican's pattern of {static}, {filename}... links, which it rewrites in the
    HTML after this check; each must be the whole value of an attribute, or the rewrite would
    change more than the address.
    """
    # In an element, as the theme puts it, and followed by what the theme puts after it.
    tree = parse(f"<!DOCTYPE html><body><div>{html}</div><wbr id={_AFTER}>")
    found = findings(tree, CONTENT, site_base(siteurl), fragment=True)
    found += _left_open(tree)
    # A browser gives an <html> or <body> tag met in the body its attributes to the page's
    # own element: the document's, which the walk of the body's children never sees.
    for node in (tree.root, tree.body):
        if node is not None and node.attributes:
            found.append(
                Finding(
                    (f"<{node.tag}", f"<{node.tag.upper()}"),
                    f"<{node.tag}> in an article gives the whole page its attributes "
                    f"({', '.join(node.attributes)}): remove it",
                )
            )
    if intrasite is not None and ("{" in html or "|" in html):
        found += _intrasite_links(tree, html, intrasite, site_base(siteurl))
    if not found:
        return []
    return sorted(
        {
            Problem.at(path, locate(source, finding.needles) or 1, finding.message)
            for finding in found
        }
    )


_AFTER = "after-the-content"


def _left_open(tree) -> list[Finding]:
    """Elements the content leaves open, which the rest of the page would be inside: an
    unclosed <s> strikes the footer through, an unclosed <a> makes theme text its link."""
    after = tree.css_first(f"wbr#{_AFTER}")
    found, node = [], after.parent if after is not None else None
    while node is not None and node.tag not in ("body", "html"):
        found.append(
            Finding(
                (f"<{node.tag}", f"<{node.tag.upper()}"),
                f"<{node.tag}> is never closed, so the rest of the page (the theme's links and "
                f"footer) would be inside it: close it with </{node.tag}>",
            )
        )
        node = node.parent
    return found


def _intrasite_links(tree, html: str, intrasite: re.Pattern, base: str) -> list[Finding]:
    """Pelican's links ({static}, {filename}...) that its rewrite would turn into something
    else than a path on the site: text around them, or another host."""
    matches = list(intrasite.finditer(html))
    if not matches:
        return []
    values = {value for node in elements(tree, fragment=True) for value in node.attributes.values()}
    found = []
    for match in matches:
        path, what = match["path"], match["what"]
        # The pattern reads the markup; the parse has its character references decoded.
        if unescape(path) not in values:
            found.append(
                Finding(
                    (path,),
                    f"'{path[:60]}' looks like a {{{what}}} link but is not the whole address "
                    "of a link or image, so Pelican's rewrite of it would change the text "
                    "around it; write it as [text]({static}/path) or ![what it shows]"
                    "({static}/path)",
                )
            )
        elif url_problem(LOAD, unescape(match["value"]), base):
            found.append(
                Finding(
                    (path,),
                    f"'{path[:60]}': a {{{what}}} link leads to a file of this site, so what "
                    "follows it must be a path (relative, or from content/), not an address",
                )
            )
    return found


def intrasite_pattern(settings: dict) -> re.Pattern:
    """Pelican's own pattern of the intrasite links it rewrites, for these settings."""
    return Content._get_intrasite_link_regex(SimpleNamespace(settings=settings))


# Pelican logs an exception of a reader without the exception itself (but with DEBUG), so
# the refusals of a run wait here until the build collects them (take_refusals).
_refusals: list[Problem] = []


def refuse(problems: list[Problem]) -> None:
    """Keep a source's problems for the build and stop Pelican from using (or caching) it."""
    _refusals.extend(problems)
    raise UnsafeContent(problems)


def take_refusals() -> list[Problem]:
    """The problems refused since the last call, in this process."""
    taken = sorted(set(_refusals))
    _refusals.clear()
    return taken
