"""Property tests: hostile mixes of Markdown and HTML are refused, or published only as allowed.

Documents are written from the pieces that fooled the old checks (comments, CDATA, code spans
and fences, attribute lists, reference links, obfuscated URLs) and Markdown's syntax. What
the allowlist lets through is read again by a second, independent HTML5 parser (html5lib):
a document that Lexbor and the check accept must hold only allowed markup to html5lib too,
so a difference between parsers cannot smuggle anything past the check.
"""

import shutil
from pathlib import Path

import ada_url
import html5lib
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown import Markdown

from conftest import FIXTURE_CONTENT, FIXTURE_SETTINGS, build_site
from press.build.errors import BuildError
from press.core.settings import load_settings
from press.safety.content import html_problems
from press.safety.markup import CONTENT, PAGE
from press.safety.urls import site_base, url_problem

EVIL = "https://evil.example"
PIECES = [
    # Markdown's syntax
    "`", "``", "```", "~~~", "    ", "   ", "\n", "\n\n", "> ", "- ", "1. ", "*", "_", "[", "]",
    "(", ")", "![", "#", "|", "---", "\\", "[^1]", "[^1]: ", "[r]", "[r]: ", "<", ">", '"', "'",
    "=", "/", ":",
    # HTML that parsers read differently
    "<!--", "-->", "<!-->", "<!--->", "--!>", "<![CDATA[", "]]>", "<?", "?>", "</", "<!x>",
    '<div markdown="1">', "</div>", '<span lang="en">', "</span>", "<p", "<a href=", "<img src=",
    "<abbr title=", "<svg>", "<math>", "<style>", "<textarea>", "<noscript>", "<template>",
    "<title>", "<select>", "<table>", "<xmp>", "<iframe", "<object data=", " onerror=",
    " onclick=x", " style=", " srcset=", " formaction=",
    f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
    '<meta name="referrer" content="unsafe-url">', f'<base href="{EVIL}/">', "<script>",
    "</script>", f'<link rel="stylesheet" href="{EVIL}/s.css">',
    # attribute lists
    '{: onclick="x" }', '{: href="javascript:x" }', "{: #id .cls }", '{: style="a" }', "{: ",
    " }",
    # URLs, plain and disguised
    "javascript:alert(1)", "java&#x09;script:", "jav&#97;script:", "&#x6A;avascript:",
    "java\tscript:", "data:text/html,x", "//evil.example/", "/\\evil.example/",
    f"{EVIL}/x.png", "https://ok.example/", "{static}/images/a.png", "mailto:a@b.example",
    "&#58;", "&colon;", "&Tab;",
    # text
    "word", "단어", " ",
]  # fmt: skip
# Whole attacks, one at most in each document (among pieces that may hide or break it): a
# too generous allowlist lets them through, and the second reading must catch that.
ATTACKS = [
    '<p onclick="x">', '<span style="color: red">', '<img src="//evil.example/i.png" alt="x">',
    '<a href="jav&#x09;ascript:x">', '\n{: onmouseover="x" }\n', "<meta charset=utf-8>",
    f"![x]({EVIL}/i.png)", "[x](javascript:alert(1))", "<svg><image href=//evil.example/></svg>",
    f'<meta http-equiv="refresh" content="0;url={EVIL}/">', "<script>alert(1)</script>",
    '<a href="/\\evil.example/">x</a>', '<form action="/x"><input></form>',
]  # fmt: skip
pieces = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)
documents = st.tuples(pieces, st.sampled_from(["", *ATTACKS]), pieces).map("".join)
SITE = load_settings(FIXTURE_SETTINGS)
BASE = site_base(SITE["SITEURL"])


# What no published page may hold whatever the allowlist says: the invariants the allowlist
# exists for, written independently of it, so that a too generous allowlist fails here too.
NEVER = {"script", "style", "iframe", "frame", "object", "embed", "form", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "cite", "srcset"}


def forbidden(tag: str, name: str, value: str) -> bool:
    """Whether an attribute runs code, styles, or leads a browser to code or another origin."""
    if name.startswith("on") or name == "style":
        return True
    if name in URL_ATTRIBUTES:
        try:
            url = ada_url.URL(value.strip(), BASE)
        except ValueError:
            return False  # no address at all: nothing to follow or load
        if url.protocol in ("javascript:", "vbscript:", "data:", "file:"):
            return True
        if tag != "a" and url.origin != ada_url.URL(BASE).origin:
            return True
    return tag == "meta" and name == "http-equiv" and value.lower() != "content-security-policy"


def outside(tree, allowlist) -> list[str]:
    """What html5lib's reading of a document holds outside `allowlist`, or ever forbidden."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue  # comments, and the fragment's own root
        tag = element.tag  # namespaced when not HTML: {http://www.w3.org/2000/svg}svg
        if tag in NEVER or tag not in allowlist.elements:
            found.append(f"<{tag}>")
            continue
        for name, value in element.attrib.items():
            if not isinstance(name, str) or name not in allowlist.attributes(tag):
                found.append(f"<{tag} {name}>")
            elif forbidden(tag, name, value):
                found.append(f"<{tag} {name}={value!r}> is never allowed")
            elif (kind := allowlist.urls.get((tag, name))) and url_problem(kind, value, BASE):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def markdown_converter() -> Markdown:
    """Python-Markdown with the build's extensions and their settings."""
    config = SITE["MARKDOWN"]
    extensions = list(config["extension_configs"])
    return Markdown(
        extensions=extensions,
        extension_configs=config["extension_configs"],
        output_format=config.get("output_format", "html5"),
    )


CONVERTER = markdown_converter()


@settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(documents)
def test_what_the_content_check_passes_another_parser_finds_allowed(body):
    """If the content check accepts a document's HTML, html5lib finds nothing outside CONTENT."""
    source = f"Title: x\n\n{body}\n"
    CONVERTER.reset()
    html = CONVERTER.convert(source)
    refused = bool(html_problems(Path("a.md"), source, html, SITE["SITEURL"]))
    event("refused" if refused else "accepted, read again")
    if refused:
        return
    # The body of an article is read where the page puts it: inside a <div>.
    fragment = html5lib.parseFragment(html, container="div", namespaceHTMLElements=False)
    assert outside(fragment, CONTENT) == []


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """A fresh folder for each generated site."""
    return tmp_path_factory.mktemp("generated")


HEADER = "Title: Generated {number}\nDate: 2024-03-0{number}\nAuthor: FFHR Editorial Desk\n"
HEADER += "Category: Families\nSummary: A generated article.\n\n"


@settings(max_examples=16, derandomize=True, deadline=None)
@given(st.lists(documents, min_size=2, max_size=2))
def test_a_build_refuses_or_publishes_only_allowed_pages(builds, bodies):
    """A real build of generated articles fails, or each page it publishes holds only PAGE
    (to html5lib as well) and nothing leads a browser to another origin."""
    number = len(list(builds.iterdir()))
    folder = builds / f"site-{number}"
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for index, body in enumerate(bodies, 1):
        path = content / "en" / "articles" / f"generated-{index}.md"
        path.write_text(HEADER.format(number=index) + body + "\n", encoding="utf-8")
    try:
        output = build_site(folder / "output", content)
    except BuildError as exc:
        event("refused")
        assert exc.problems
        assert not (folder / "output").exists()
        return
    event("published")
    for page in sorted(output.rglob("*.html")):
        document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        assert outside(document, PAGE) == [], page
