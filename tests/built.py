"""Reading built pages the way a browser would see their structure."""

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html


def parse(path: Path):
    """Parse one built HTML file."""
    return lxml_html.fromstring(path.read_bytes())


def page(site: Path, url_path: str):
    """Parse the page a server would return for `url_path` (e.g. "en/articles/x/")."""
    return parse(file_for(site, url_path))


def file_for(site: Path, url_path: str) -> Path:
    """Return the file that serves `url_path`, directory URLs meaning their index.html."""
    path = site / unquote(url_path)
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def resolve(site: Path, page_file: Path, href: str) -> Path | None:
    """Resolve a relative href of `page_file` to the file it opens; None if it leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = posixpath.dirname(page_file.relative_to(site).as_posix())
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if target.startswith(".."):
        return None
    return file_for(site, target + ("/" if parts.path.endswith("/") else ""))


def switcher_links(tree) -> dict[str, str]:
    """Map each other language of the switcher to its href."""
    return {
        a.get("hreflang"): a.get("href")
        for a in tree.xpath("//nav[contains(@class, 'language-switcher')]//a")
    }


def hreflangs(tree) -> dict[str, str]:
    """Map each hreflang of the <link rel=alternate> elements to its URL."""
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")
    }


def html_files(site: Path):
    """Every HTML file of a built site."""
    return sorted(site.rglob("*.html"))
