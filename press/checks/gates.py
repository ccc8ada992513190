"""Gates on a built site: pages match sources, links resolve, feeds are well-formed.

Each gate returns Problems naming the output file (and line, where there is one); the build
refuses to publish while any gate has one. What pages may load, and from where, is the last
gate's (press.safety.published), on the same parse of each page.
"""

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from press.core.files import walk_files
from press.core.problems import Problem
from press.safety.markup import parse
from press.safety.published import locate


def shown(staging: Path, path: Path, label: str) -> str:
    """How a problem names an output file: as it will be named once published."""
    return f"{label}/{path.relative_to(staging).as_posix()}"


def list_files(staging: Path, folder: str = "", skip=()) -> list[str]:
    """Every file of a build (or of one of its folders, but not in the folders of `skip`),
    by its path inside the build, sorted: one listing that all the gates share.
    """
    prefix = f"{folder}/" if folder else ""
    return sorted(
        f"{prefix}{name}"
        for name, _entry in walk_files(staging / folder if folder else staging)
        if f"{prefix}{name}".split("/", 1)[0] not in skip
    )


def _files(staging: Path, files) -> list[str]:
    return list_files(staging) if files is None else files


def expected_pages(index) -> dict[str, str]:
    """Output file of every written article and page (published or hidden), to its source."""
    return {
        f"{version.lang}/{version.page}": f"content/{version.source}"
        for _key, versions in index
        for version in versions.values()
        if version.written
    }


def check_pages_match_sources(
    staging: Path, settings: dict, index, label: str, files=None
) -> list[Problem]:
    """Every published source became exactly its page; no page came from anything else."""
    files = _files(staging, files)
    expected = expected_pages(index)
    # Tag and topic pages, and every direct template's page (home, archives, all articles...).
    direct = [f"{name.upper()}_SAVE_AS" for name in settings.get("DIRECT_TEMPLATES", ())]
    listing_roots = {
        settings[name].split("/", 1)[0]
        for name in ("TAG_SAVE_AS", "CATEGORY_SAVE_AS", "ARCHIVES_SAVE_AS", "TAGS_SAVE_AS",
                     "CATEGORIES_SAVE_AS", "NOTFOUND_SAVE_AS", "INDEX_SAVE_AS", *direct)
        if settings.get(name)
    }  # fmt: skip
    problems = []
    languages = set(settings["I18N_LANGUAGES"])
    for page in files:
        lang, _, inner = page.partition("/")
        if lang in languages and inner and page.endswith(".html"):
            if page in expected or inner.split("/", 1)[0] in listing_roots:
                continue
            if re.fullmatch(r"index\d*\.html", inner):
                continue  # the home page and its pagination
            problems.append(
                Problem(f"{label}/{page}", 0, "no published source produced this page (a "
                        "draft, an embargoed article, an unapproved translation?); it must "
                        "not be published")
            )  # fmt: skip
    present = set(files)
    for page, source in sorted(expected.items()):
        if page not in present:
            problems.append(
                Problem(source, 0, f"is published but no page was written for it ({label}/"
                        f"{page}); Pelican skipped it: see the build log")
            )  # fmt: skip
    return problems


@dataclass
class PageFacts:
    """What the link gates need from one HTML page."""

    ids: frozenset[str]
    base: str | None
    links: list[str]  # a[href], link[href], img[src]: where they lead, in page order


def read_page(path: Path) -> PageFacts:
    """Parse one page and keep only what the link gates look at."""
    return page_facts(parse(path.read_bytes()))


def page_facts(tree) -> PageFacts:
    """What the link gates look at in one parsed page (press.safety.markup.parse)."""
    # Lexbor picks the elements out in C. Interned: the same few hundred hrefs and ids
    # recur on every page of a site, and a build keeps the facts of thousands of pages.
    ids = [node.attributes.get("id") or "" for node in tree.css("[id]")]
    ids += [node.attributes.get("name") or "" for node in tree.css("a[name]")]
    links = [
        intern(node.attributes.get("src" if node.tag == "img" else "href") or "")
        for node in tree.css("a[href], link[href], img[src]")
    ]
    base = tree.css_first("base[href]")
    return PageFacts(
        ids=frozenset(map(intern, ids)),
        base=base.attributes.get("href") or "" if base is not None else None,
        links=links,
    )


def read_pages(staging: Path, files=None) -> dict[str, PageFacts]:
    """Every page of a build (of `files`, when given), by its path inside the build."""
    return {
        page: read_page(staging / page) for page in _files(staging, files) if page.endswith(".html")
    }


def _target(page: str, here: str, href: str, base: str | None, site: str):
    """The output file (inside the build) and fragment an href leads to; None off the site.

    `here`: the page's folder, posixpath.dirname(page).
    """
    if base is None and ":" not in href and not href.startswith(("/", "#", "?")):
        # Most links of a page are plain relative paths ("../../tags/china/"): no need for
        # urlsplit's general parse, which every link of every page would go through.
        path, _, fragment = href.partition("#")
        if "%" in path or "?" in path:
            path = unquote(path.partition("?")[0])
        if path:
            # posixpath.join of a folder and a relative path, without its generality.
            joined = posixpath.normpath(f"{here}/{path}" if here else path)
            return joined, fragment, path.endswith("/")
    parts = urlsplit(href)
    if parts.scheme in ("mailto", "tel"):
        return None
    if parts.scheme or parts.netloc:
        if not href.startswith(site + "/"):
            return None  # another site: a link readers may follow, checked by the hosts gate
        path = unquote(urlsplit(href[len(site) :]).path)
        return posixpath.normpath(path.lstrip("/") or "."), parts.fragment, path.endswith("/")
    if not parts.path:
        return page, parts.fragment, False
    if base is not None:
        here = urlsplit(base).path.strip("/")
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(here, path)
    return posixpath.normpath(joined), parts.fragment, path.endswith("/")


class Link(NamedTuple):
    """A link of a page to something inside the build: as written, and where it leads."""

    page: str
    href: str
    path: str  # the file or folder it leads to, inside the build
    fragment: str
    is_dir: bool


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(f"{folder}/")


def check_links(
    staging: Path,
    settings: dict,
    label: str,
    pages=None,
    files=None,
    read_more=None,
    fragments: dict | None = None,
    within: str | None = None,
    foreign: list | None = None,
) -> list[Problem]:
    """Every internal link and #anchor of every page resolves to a file and an element.

    For checking some pages of a larger build: `files` is every file of the build, and
    `read_more(page)` reads a page that is not in `pages` when a link needs its ids.
    `within`: check only links into that folder and append the others to `foreign`, for
    check_foreign_links once the whole build is there (each language's worker checks its
    own folder). `fragments`, when given, receives each page's links to elements of other
    pages, as (other page, id): kept between builds, so that when a page is written again,
    the ids other pages link to can be checked to be still in it.
    """
    site = settings["SITEURL"].rstrip("/")
    pages = pages if pages is not None else read_pages(staging, files)
    files = files if isinstance(files, set) else set(_files(staging, files))
    ids_of = _ids_lookup(pages, read_more)
    line_of = _line_finder(staging)
    problems = []
    for page, facts in pages.items():
        here = posixpath.dirname(page)
        for href in facts.links:
            if href.startswith("{"):
                problems.append(
                    Problem(f"{label}/{page}", line_of(page, href),
                            f"'{href}' was never resolved by Pelican; fix the link in the source")
                )  # fmt: skip
                continue
            found = _target(page, here, href, facts.base, site)
            if found is None:
                continue
            link = Link(page, href, *found)
            if within is not None and not _inside(link.path, within):
                foreign.append(link)
            elif message := _check_link(link, files, ids_of, fragments, label):
                problems.append(Problem(f"{label}/{page}", line_of(page, href), message))
    return problems


def _line_finder(staging: Path):
    """A function giving the line of a page (in `staging`) where an href stands."""
    texts = {}

    def line_of(page: str, href: str) -> int:
        if page not in texts:
            texts[page] = (staging / page).read_text(encoding="utf-8", errors="replace")
        return locate(texts[page], (f'"{href}"', href))

    return line_of


def check_foreign_links(
    staging: Path, links: list[Link], files, label: str, read_more, fragments: dict | None = None
) -> list[Problem]:
    """Check the links check_links(within=...) set aside, against the whole build."""
    ids_of = _ids_lookup({}, read_more)
    line_of = _line_finder(staging)
    return [
        Problem(f"{label}/{link.page}", line_of(link.page, link.href), message)
        for link in links
        if (message := _check_link(link, files, ids_of, fragments, label)) is not None
    ]


def _ids_lookup(pages: dict, read_more):
    """A function giving the ids of a page: from `pages`, or read once by `read_more`."""
    more = {}

    def ids_of(path: str):
        if path in pages:
            return pages[path].ids
        if read_more is None:
            return None
        if path not in more:
            more[path] = read_more(path).ids
        return more[path]

    return ids_of


def _check_link(link: Link, files, ids_of, fragments, label: str) -> str | None:
    """What is wrong with a link, if anything."""
    path = link.path
    if link.is_dir or (path not in files and f"{path}/index.html" in files):
        path = posixpath.join(path, "index.html") if path != "." else "index.html"
    if path not in files:
        return f"link to '{link.href}' leads nowhere ({label}/{path} does not exist)"
    if not link.fragment or not path.endswith(".html"):
        return None
    fragment = unquote(link.fragment)
    if fragments is not None and path != link.page:
        fragments.setdefault(link.page, set()).add((path, fragment))
    ids = ids_of(path)
    if ids is not None and fragment not in ids:
        return f"link to '{link.href}': no element with id '{fragment}' in {label}/{path}"
    return None


# A scheme as urlsplit finds one, for the common case: a sitemap has thousands of URLs.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _absolute(url: str) -> bool:
    return bool(_SCHEME.match(url) or urlsplit(url).scheme)


def check_xml(staging: Path, label: str, files=None) -> list[Problem]:
    """Feeds and the sitemap (the XML files among `files`) are well-formed, with absolute URLs."""
    problems = []
    for name in _files(staging, files):
        if not name.endswith(".xml"):
            continue
        path = staging / name
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else 0
            problems.append(Problem(shown(staging, path, label), line, f"not well-formed: {exc}"))
            continue
        for element in root.iter():
            for attribute in ("href",):
                value = element.get(attribute)
                if value is not None and not _absolute(value):
                    problems.append(
                        Problem(shown(staging, path, label), 0,
                                f"link '{value}' is not an absolute URL; feed readers and "
                                "search engines need scheme and host")
                    )  # fmt: skip
            if element.tag.endswith("}loc") and not _absolute(element.text or ""):
                problems.append(
                    Problem(shown(staging, path, label), 0,
                            f"<loc>{element.text}</loc> is not an absolute URL")
                )  # fmt: skip
    return problems
