"""What holds for any built site, whatever its content's state of translation.

Each function takes a built site and the content folder it was built from, works out from
the sources' headers alone what readers must (and must not) see, and returns a list of
problems (empty: the invariant holds). The tests of the real site call them, and so does a
test that adds work in progress to a copy of the project: an English-only article, a
translation in review, an outdated one. None of them asks that every article be translated.
"""

import posixpath
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from built import file_for, hreflangs, html_files, parse, resolve, switcher_links
from conftest import settings_for
from press.core.clock import embargoed_until
from press.core.settings import load_settings
from press.core.sources import (
    Fingerprint,
    markdown_files,
    read_header,
    review_of,
    source_changed,
    status_of,
)
from press.translations.index import url_for


@dataclass(frozen=True)
class Version:
    """One language's version of an article or page, as its header says it must be seen."""

    lang: str
    kind: str  # "article" or "page"
    key: str  # the translation key: its path inside the language folder, no extension
    path: Path
    header: dict
    url: str  # inside the language's site, e.g. "articles/x/"
    page: str  # its output file inside the site, e.g. "en/articles/x/index.html"
    written: bool  # its page must exist (listed or hidden)
    listed: bool  # readers find it: in listings, switchers and hreflang sets
    stale: bool = False  # a translation whose source changed since its sync

    @property
    def unpublished(self) -> bool:
        """Its page must not exist, and nothing may link to its address or show its title."""
        return not self.written

    @property
    def translation_of(self) -> str:
        """The source's path inside the content folder; empty for an original."""
        return self.header.get("translation-of", "").strip()


def content_settings(content: Path) -> dict:
    """The project's settings, building `content`."""
    return load_settings(settings_for(content), {"PATH": str(content)})


def versions(content: Path, now: datetime | None = None) -> dict[str, dict[str, Version]]:
    """Every version of every article and page, by key and language, with what readers see.

    An original is seen unless it is a draft or an embargoed article (dated after `now`,
    the moment the site was built; the time of the call by default). A translation is
    seen when its header says `Review: approved` and records a sync (`Source-Hash`: the
    version of the source the approval covers), and its source is seen; otherwise never.
    Hidden means written, not listed.
    """
    settings = content_settings(content)
    now = now or datetime.now().astimezone()
    found: dict[str, dict[str, tuple]] = {}
    for lang, overrides in settings["I18N_LANGUAGES"].items():
        language = {**settings, **overrides}
        for kind, folders in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
            for folder in language[folders]:
                for relative in markdown_files(content / lang, folder):
                    path = content / lang / relative
                    key = posixpath.splitext(relative)[0]
                    header = read_header(path)
                    status = status_of(header)
                    embargoed = kind == "article" and embargoed_until(
                        header.get("date", ""), language["TIMEZONE"], now
                    )
                    own = "draft" if embargoed else status  # how far its own header lets it
                    url = url_for(language, kind, posixpath.basename(key), lang)
                    page = url if url.endswith(".html") else f"{url}index.html"
                    found.setdefault(key, {})[lang] = (kind, path, header, own, url, page)
    result: dict[str, dict[str, Version]] = {}
    for key, by_lang in found.items():
        for lang, (kind, path, header, own, url, page) in by_lang.items():
            translation_of = header.get("translation-of", "").strip()
            stale = False
            if not translation_of:
                seen = own
            else:
                source = by_lang.get(translation_of.split("/", 1)[0])
                source_seen = source[3] if source else "draft"
                recorded = Fingerprint.recorded(header)
                approved = review_of(header) == "approved" and recorded is not None
                # Back in review with its text as approved (Approved-Text): still the
                # approved text, still read, stale against the source it was approved for.
                approval = Fingerprint.recorded(header, approved=True)
                if (
                    review_of(header) == "review"
                    and approval is not None
                    and header.get("approved-text") == Fingerprint.of_file(path).digest
                ):
                    approved, recorded = True, approval  # fmt: skip
                if not approved or "draft" in (own, source_seen):
                    seen = "draft"
                else:
                    seen = "hidden" if "hidden" in (own, source_seen) else "published"
                    stale = source_changed(recorded, Fingerprint.of_file(source[1]))
            result.setdefault(key, {})[lang] = Version(
                lang=lang,
                kind=kind,
                key=key,
                path=path,
                header=header,
                url=url,
                page=f"{lang}/{page}",
                written=seen in ("published", "hidden"),
                listed=seen == "published",
                stale=stale,
            )
    return result


def _all(found: dict[str, dict[str, Version]]):
    return [version for by_lang in found.values() for version in by_lang.values()]


def publication_problems(site: Path, content: Path) -> list[str]:
    """Every original readers may see, and every approved, synced translation of one, is
    published; nothing else is: its address has no page and no published file links it."""
    found = versions(content)
    problems = []
    for version in _all(found):
        exists = (site / version.page).is_file()
        if version.written and not exists:
            problems.append(f"{version.path}: must be published, but {version.page} is missing")
        if version.written and exists:
            lang = parse(site / version.page).get("lang")
            if lang != version.lang:
                problems.append(f"{version.page}: lang={lang!r}, not {version.lang!r}")
        if version.unpublished and exists:
            problems.append(f"{version.path}: must not be published, but {version.page} exists")
    problems += _links_to_unpublished(site, content, found)
    return problems


def _links_to_unpublished(site: Path, content: Path, found) -> list[str]:
    """No page links an unpublished version's address, and no file names it or its title."""
    settings = content_settings(content)
    origin = settings["SITEURL"].rstrip("/")
    unpublished = {v.page: v for v in _all(found) if v.unpublished}
    if not unpublished:
        return []
    # A title is text of its own only where no published version has the same (a draft
    # translation may still carry its source's title).
    published_titles = {v.header.get("title", "") for v in _all(found) if not v.unpublished}
    secret_titles = {
        v.header["title"]: v
        for v in unpublished.values()
        if v.header.get("title") and v.header["title"] not in published_titles
    }
    addresses = {
        f"{origin}/{page.removesuffix('index.html')}": version
        for page, version in unpublished.items()
    }
    problems = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        shown = path.relative_to(site).as_posix()
        if path.suffix not in (".html", ".xml", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        for address, version in addresses.items():
            if address in text:
                problems.append(f"{shown}: names {address}, of unpublished {version.path}")
        for title, version in secret_titles.items():
            if title in text:
                problems.append(f"{shown}: shows the title of unpublished {version.path}")
        if path.suffix != ".html":
            continue
        tree = parse(path)
        for href in tree.xpath("//a/@href | //link/@href"):
            target = resolve(site, path, href)
            if target is None:
                continue
            page = target.relative_to(site).as_posix()
            if page in unpublished:
                problems.append(f"{shown}: links {href}, of unpublished {unpublished[page].path}")
    return problems


def _language_pages(site: Path, languages) -> list[Path]:
    return [path for lang in languages for path in html_files(site / lang)]


def _by_page(found) -> dict[str, Version]:
    return {version.page: version for version in _all(found) if version.written}


def switcher_problems(site: Path, content: Path) -> list[str]:
    """Every page of every language has a switcher with each other language, every link of
    it opens an existing page of that language, and an article's or page's leads to its
    version there when readers can see one, else to that language's home page."""
    settings = content_settings(content)
    languages = list(settings["I18N_LANGUAGES"])
    found = versions(content)
    by_page = _by_page(found)
    problems = []
    for path in _language_pages(site, languages):
        shown = path.relative_to(site).as_posix()
        lang = shown.split("/", 1)[0]
        links = switcher_links(parse(path))
        if set(links) != set(languages) - {lang}:
            problems.append(f"{shown}: the switcher offers {sorted(links)}")
            continue
        version = by_page.get(shown)
        for other, href in links.items():
            target = resolve(site, path, href)
            if target is None or not target.is_file():
                problems.append(f"{shown}: the switcher's {other} link {href} opens nothing")
                continue
            opened = target.relative_to(site).as_posix()
            if not opened.startswith(f"{other}/"):
                problems.append(f"{shown}: the switcher's {other} link opens {opened}")
            if version is None or not version.listed:
                continue  # a listing (its other language's listing) or a hidden page
            theirs = found[version.key].get(other)
            expected = (
                theirs.page if theirs is not None and theirs.listed else f"{other}/index.html"
            )
            if opened != expected:
                problems.append(f"{shown}: the switcher's {other} link opens {opened}, not "
                                f"{expected}")  # fmt: skip
    return problems


def hreflang_problems(site: Path, content: Path) -> list[str]:
    """Every page of every language names itself as canonical and in its hreflang set, with
    an x-default; every alternate is a page of that language; an article's or page's set
    is exactly its versions that readers can see."""
    settings = content_settings(content)
    origin = settings["SITEURL"].rstrip("/")
    languages = list(settings["I18N_LANGUAGES"])
    found = versions(content)
    by_page = _by_page(found)
    problems = []
    for path in _language_pages(site, languages):
        shown = path.relative_to(site).as_posix()
        lang = shown.split("/", 1)[0]
        tree = parse(path)
        own = f"{origin}/{shown.removesuffix('index.html')}"
        canonical = tree.xpath("//head/link[@rel='canonical']/@href")
        if canonical != [own]:
            problems.append(f"{shown}: canonical {canonical}, not {own}")
        alternates = hreflangs(tree)
        if alternates.get(lang) != own:
            problems.append(f"{shown}: its hreflang {lang} is {alternates.get(lang)}, not {own}")
        if "x-default" not in alternates:
            problems.append(f"{shown}: no hreflang x-default")
        for code, url in alternates.items():
            target = None
            if url.startswith(f"{origin}/"):
                target = file_for(site, url.removeprefix(f"{origin}/") or "index.html")
            if target is None or not target.is_file():
                problems.append(f"{shown}: hreflang {code} {url} is no page of the site")
            elif code != "x-default" and not url.startswith(f"{origin}/{code}/"):
                problems.append(f"{shown}: hreflang {code} {url} is not a page of {code}")
        version = by_page.get(shown)
        if version is None or not version.listed:
            continue
        expected = {other for other, theirs in found[version.key].items() if theirs.listed} | {lang}
        named = set(alternates) - {"x-default"}
        if named != expected:
            problems.append(f"{shown}: hreflang names {sorted(named)}, not {sorted(expected)}")
    return problems


def listing_problems(site: Path, content: Path) -> list[str]:
    """Each language's home page (with its further pages) lists exactly the articles of
    that language readers can see, each once."""
    settings = content_settings(content)
    found = versions(content)
    problems = []
    for lang in settings["I18N_LANGUAGES"]:
        expected = sorted(
            v.page for v in _all(found) if v.lang == lang and v.kind == "article" and v.listed
        )
        listed = []
        for home in sorted((site / lang).glob("index*.html")):
            for href in parse(home).xpath("//ol[@class='article-list']//h2/a/@href"):
                target = resolve(site, home, href)
                listed.append(target.relative_to(site).as_posix() if target else href)
        if sorted(listed) != expected:
            problems.append(f"{lang}/: the home pages list {sorted(listed)}, not {expected}")
    return problems


def site_problems(site: Path, content: Path) -> list[str]:
    """Every invariant above, for one built site."""
    return (
        publication_problems(site, content)
        + switcher_problems(site, content)
        + hreflang_problems(site, content)
        + listing_problems(site, content)
    )
