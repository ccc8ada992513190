"""sitemap.xml with hreflang alternates, and robots.txt, for the whole multilingual site."""

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def page_url(site_root: str, path: str) -> str:
    """The public URL of an output file: directory URLs for index.html, percent-encoded."""
    path = path.removesuffix("index.html")
    return f"{site_root}/{quote(path, safe='/')}"


def alternates_by_page(index, languages, shared_pages, default_lang, terms=None):
    """For each output page (lang/path): every language's version of it, and its x-default.

    The same choices as the pages' own hreflang links: a content page's x-default is its
    default-language version; a listing page's is the landing page, the language chooser.
    `terms`: the tag and category pages paired across languages
    (press.rendering.multilingual.term_alternates).
    """
    alternates = {"index.html": ({lang: f"{lang}/index.html" for lang in languages}, "index.html")}
    for _key, versions in index:
        pages = {lang: f"{lang}/{v.page}" for lang, v in versions.items() if v.published}
        if not pages:
            continue
        x_default = pages.get(default_lang) or pages[min(pages)]
        for page in pages.values():
            alternates[page] = (pages, x_default)
    for shared in shared_pages:
        pages = {lang: f"{lang}/{shared}" for lang in languages}
        for page in pages.values():
            alternates[page] = (pages, "index.html")
    for page, pages in (terms or {}).items():
        alternates[page] = (pages, "index.html")
    return alternates


def write_sitemap(
    output: Path, site_root: str, index, languages, shared_pages, default_lang, files, terms=None
):
    """List every page of every language (but hidden ones) with its alternates; return its path.

    `files`: every file of the languages' folders, by its path inside `output`; `terms`: as
    alternates_by_page takes them.
    """
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    alternates = alternates_by_page(index, languages, shared_pages, default_lang, terms)
    # Hidden pages are written to be reached by their address alone: never listed.
    hidden = {f"{v.lang}/{v.page}" for _, versions in index for v in versions.values() if v.hidden}
    pages = sorted(
        name
        for name in files
        if name.endswith(".html") and name.rpartition("/")[2] != "404.html" and name not in hidden
    )
    pages.insert(0, "index.html")  # the landing page first
    for page in pages:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = page_url(site_root, page)
        versions, x_default = alternates.get(page, ({}, None))
        for lang, other in [*sorted(versions.items()), ("x-default", x_default)]:
            if other is None:
                continue
            ET.SubElement(
                url,
                f"{{{XHTML_NS}}}link",
                rel="alternate",
                hreflang=lang,
                href=page_url(site_root, other),
            )
    ET.indent(urlset)
    target = output / "sitemap.xml"
    ET.ElementTree(urlset).write(target, encoding="utf-8", xml_declaration=True)
    return target


def robots_txt(site_root: str, allow: bool = True) -> str:
    """robots.txt: everything may be indexed (pointing at the sitemap), or nothing."""
    if not allow:
        return "User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_root}/sitemap.xml\n"
