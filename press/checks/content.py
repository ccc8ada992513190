"""`invoke check`: walk the content folder and the catalogs and list every problem at once.

The build runs the same checks first and stops on any problem, so a mistake is reported
with its file and line instead of being logged and skipped by Pelican.
"""

import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from press.checks.markdown import Source, check_markdown
from press.checks.media import check_document, check_image
from press.checks.names import check_names, check_private_names, private_names
from press.checks.rendered import RenderedHtmlCheck
from press.core.clock import embargo_clock
from press.core.files import LEFTOVERS, walk
from press.core.problems import Problem, display_path, location
from press.core.pseudonyms import read_pseudonyms
from press.core.settings import COUNTRY_NOT_LANGUAGE
from press.core.sources import (
    MARKDOWN_EXTENSIONS,
    SOURCE_ENCODING,
    parse_header,
    source_language,
)
from press.rendering.reading_time import reading_time_problems
from press.safety.catalogs import AgreedNames
from press.translations.catalogs import missing_messages, translated_catalogs, used_messages
from press.translations.index import index_of


def load_pseudonyms(path: Path) -> tuple[set[str], list[Problem]]:
    """Read the allow-list of pseudonyms (press.core.pseudonyms)."""
    pseudonyms, problems = read_pseudonyms(path)
    return set(pseudonyms.names), problems


def leftover_problem(entry: Path) -> Problem | None:
    """A problem for an OS or editor leftover, or for any other hidden file."""
    name = entry.name
    if name.startswith("._"):
        what = "a macOS resource-fork copy (made when copying to a non-Mac drive)"
    elif name in LEFTOVERS:
        what = LEFTOVERS[name]
    elif name.endswith(("~", ".swp", ".swo", ".bak", ".tmp")) or name.startswith(".#"):
        what = "an editor's backup or lock file"
    elif name.startswith("."):
        what = "a hidden file, which Pelican skips, so readers would never see it"
    else:
        return None
    return Problem.at(entry, None, f"{what}; delete it")


def language_folder_problem(entry: Path, languages) -> Problem:
    """A problem for a top-level folder that is neither a language nor shared files."""
    name = entry.name
    configured = ", ".join(languages)
    if len(name) in (2, 3) and name.isalpha():
        hint = (
            f" (did you mean '{COUNTRY_NOT_LANGUAGE[name]}'?)"
            if name in COUNTRY_NOT_LANGUAGE
            else ""
        )
        return Problem.at(
            entry,
            None,
            f"'{name}' is not a language of this site{hint}; the languages are {configured} "
            "(I18N_LANGUAGES in pelicanconf.py): rename the folder, or add the language there",
        )
    return Problem.at(
        entry,
        None,
        f"unexpected folder; content/ holds one folder per language ({configured}) and the "
        "shared images/ and files/",
    )


def check_tree(
    settings: dict, pseudonyms: set[str], rendered=None
) -> tuple[list[Source], list[Problem]]:
    """Walk the content folder: leftovers, links, sizes, placement, and each file's checks.

    `rendered`: a RenderedHtmlCheck, to check the HTML each source renders to as well.
    """
    content = Path(settings["PATH"])
    languages = settings["I18N_LANGUAGES"]
    kinds = _kinds(settings)
    limits = settings["CHECK_MAX_BYTES"]
    sources, problems = [], []
    entries = list(walk(content))
    # Every file, for the links between sources: a set lookup each instead of a stat.
    files = {os.fspath(entry) for entry in entries if not entry.is_dir()}
    for entry in entries:
        relative = entry.relative_to(content)
        top = relative.parts[0]
        if problem := leftover_problem(entry):
            problems.append(problem)
            continue
        if entry.is_symlink():
            problems.append(
                Problem.at(
                    entry,
                    None,
                    "a symbolic link; links can point outside the repository and differ "
                    "between machines: replace it with the file itself",
                )
            )
            continue
        if entry.is_dir():
            if (
                len(relative.parts) == 1
                and top not in languages
                and top not in settings["STATIC_PATHS"]
            ):
                problems.append(language_folder_problem(entry, languages))
            continue
        if problem := size_problem(entry, limits):
            problems.append(problem)
            continue
        if len(relative.parts) == 1:
            if entry.name != settings["CHECK_PSEUDONYMS_FILE"]:
                problems.append(
                    Problem.at(entry, None, "unexpected file; move it into a language folder")
                )
        elif top in languages:
            problems.extend(
                _check_language_file(
                    entry, relative, kinds, settings, pseudonyms, sources, files, rendered
                )
            )
        elif top in settings["STATIC_PATHS"]:
            problems.extend(_check_static_file(entry, settings))
        # Anything else lives in a folder already reported above.
    return sources, problems


def _kinds(settings: dict) -> dict[str, str]:
    """Each content folder (inside a language folder) and what it holds: article or page."""
    return {
        **{path: "article" for path in settings["ARTICLE_PATHS"]},
        **{path: "page" for path in settings["PAGE_PATHS"]},
    }


def size_problem(entry: Path, limits: dict) -> Problem | None:
    """A problem if the file is over the size limit of its kind (CHECK_MAX_BYTES)."""
    size = entry.stat().st_size
    suffix = entry.suffix.lower()
    # A Markdown source has the limit of .md whichever of Pelican's extensions it has.
    kind = ".md" if suffix in MARKDOWN_EXTENSIONS and ".md" in limits else suffix
    limit = limits.get(kind, limits["other"])
    if size <= limit:
        return None
    return Problem.at(
        entry,
        None,
        f"{size:,} bytes is over the limit of {limit:,} for {entry.suffix or 'such'} "
        "files; make it smaller (readers may be on slow connections)",
    )


def _check_language_file(
    entry, relative, kinds, settings, pseudonyms, sources, files=None, rendered=None
):
    lang = relative.parts[0]
    inner = posixpath.join(*relative.parts[1:])
    folder = next((path for path in kinds if inner.startswith(f"{path}/")), None)
    if folder is None:
        return [
            Problem.at(
                entry,
                None,
                f"not in one of {', '.join(f'{lang}/{k}/' for k in kinds)}; move it there",
            )
        ]
    if entry.suffix not in MARKDOWN_EXTENSIONS:
        return [
            Problem.at(
                entry,
                None,
                "not a Markdown (.md) file, so it would never be published; images go in "
                "content/images/, documents in content/files/",
            )
        ]
    key = posixpath.splitext(inner)[0]
    slug = posixpath.basename(key)
    problems = []
    if not _is_slug(slug):
        problems.append(
            Problem.at(
                entry,
                None,
                f"the file name gives the URL '{slug}', which must be lower-case letters, "
                "digits and single hyphens (e.g. families-2-the-road-out.md); rename the file",
            )
        )
    source, more = check_markdown(
        entry,
        lang,
        kinds[folder],
        key,
        Path(settings["PATH"]),
        pseudonyms,
        settings["SLUG_REGEX_SUBSTITUTIONS"],
        files,
        settings["CHECK_MAX_NESTING"],
        settings["I18N_LANGUAGES"],
    )
    if source is not None:
        sources.append(source)
        if rendered is not None:
            more += rendered(entry, reported=bool(problems or more))
    return problems + more


def _is_slug(slug: str) -> bool:
    parts = slug.split("-")
    return (
        bool(slug)
        and all(part and part.isascii() and part.isalnum() for part in parts)
        and (slug == slug.lower())
    )


def _check_static_file(entry, settings):
    # Published as they are named: an allowlist of characters, as for sources' names.
    if not (_is_slug(entry.stem) and entry.suffix == entry.suffix.lower()):
        return [
            Problem.at(
                entry,
                None,
                f"the file name '{entry.name}' is published as it is: use lower-case letters, "
                "digits and single hyphens (e.g. field-report-2024.pdf); rename the file",
            )
        ]
    suffix = entry.suffix.lower()
    if suffix in settings["CHECK_IMAGE_EXTENSIONS"]:
        return check_image(entry, settings["CHECK_MAX_IMAGE_PIXELS"])
    if suffix in settings["CHECK_DOCUMENT_EXTENSIONS"]:
        return check_document(entry)
    allowed = ", ".join(
        [*settings["CHECK_IMAGE_EXTENSIONS"], *settings["CHECK_DOCUMENT_EXTENSIONS"]]
    )
    return [Problem.at(entry, None, f"unsupported file type; publish only {allowed}")]


def check_urls(sources: list[Source], settings: dict) -> list[Problem]:
    """Two sources may not claim one URL, nor a page a URL of the site's own sections."""
    by_url = defaultdict(list)
    reserved = {
        settings[name].split("/", 1)[0]
        for name in (
            "ARTICLE_URL", "CATEGORY_URL", "TAG_URL", "ARCHIVES_SAVE_AS", "TAGS_SAVE_AS",
            "CATEGORIES_SAVE_AS", "FEED_ALL_ATOM",
        )
        if settings.get(name)
    } | set(settings["STATIC_PATHS"])  # fmt: skip
    problems = []
    for source in sources:
        pattern = settings["ARTICLE_URL" if source.kind == "article" else "PAGE_URL"]
        url = f"/{source.lang}/" + pattern.format(slug=source.slug, lang=source.lang)
        by_url[url].append(source)
        if source.kind == "page" and source.slug in reserved:
            problems.append(
                Problem.at(
                    source.path,
                    None,
                    f"the page would take the URL {url}, which belongs to the site's "
                    f"'{source.slug}' section; rename the file",
                )
            )
    for url, claimants in by_url.items():
        if len(claimants) > 1:
            for source in claimants:
                others = " and ".join(
                    display_path(other.path) for other in claimants if other is not source
                )
                problems.append(
                    Problem.at(
                        source.path,
                        None,
                        f"claims the URL {url}, as does {others}; rename one of them",
                    )
                )
    return problems


def check_translations(sources: list[Source], content: Path, languages) -> list[Problem]:
    """Each key has one original; a translation names an existing source with the same key."""
    problems = []
    by_key = defaultdict(list)
    for source in sources:
        by_key[source.key].append(source)
        if "translation-of" not in source.fields:
            continue
        target = source.value("translation-of").strip()
        line = source.line("translation-of")
        example = next(lang for lang in [*languages, "en"] if lang != source.lang)
        if not (content / target).is_file():
            problems.append(
                Problem.at(
                    source.path,
                    line,
                    f"Translation-Of: {target} does not exist; name the source file as "
                    f"<language>/{source.key}.md, e.g. {example}/{source.key}.md",
                )
            )
        elif posixpath.splitext(target.split("/", 1)[-1])[0] != source.key or target.startswith(
            f"{source.lang}/"
        ):
            problems.append(
                Problem.at(
                    source.path,
                    line,
                    f"Translation-Of: {target} is not this file's source; a translation keeps "
                    f"its source's file name in another language's folder: "
                    f"<language>/{source.key}.md",
                )
            )
    for key, versions in by_key.items():
        originals = [v for v in versions if "translation-of" not in v.fields]
        if len(originals) > 1:
            for original in originals:
                others = ", ".join(
                    display_path(other.path) for other in originals if other is not original
                )
                source_name = f"{originals[0].lang}/{key}.md"
                problems.append(
                    Problem.at(
                        original.path,
                        1,
                        f"this and {others} both claim to be the original of '{key}'; add "
                        f"'Translation-Of: {source_name}' to the translation",
                    )
                )
    return problems


def catalog_names(settings: dict, pseudonyms: set[str] | None) -> AgreedNames | None:
    """Whom a catalog may name: the site (SITENAME) and the agreed pseudonyms; None without
    a readable pseudonym list."""
    if pseudonyms is None:
        return None
    return AgreedNames(project=settings["SITENAME"], pseudonyms=frozenset(pseudonyms))


def agreed_names(settings: dict) -> tuple[AgreedNames | None, list[Problem]]:
    """Read the pseudonym list for the catalog checks: the names, and the list's problems."""
    path = Path(settings["PATH"]) / settings["CHECK_PSEUDONYMS_FILE"]
    pseudonyms, problems = load_pseudonyms(path)
    return catalog_names(settings, None if problems else pseudonyms), problems


def check_catalogs(settings: dict, pseudonyms: set[str] | None) -> list[Problem]:
    """Check every language's catalog: syntax, fuzzy, untranslated, missing messages, and
    what it may hold (press.safety.catalogs: markup, placeholders, names, addresses)."""
    problems = []
    used = used_messages(settings)
    names = catalog_names(settings, pseudonyms)
    for _lang, po_path, catalog, found in translated_catalogs(settings, names):
        problems += found
        if catalog is not None:
            problems += missing_messages(po_path, catalog, used)
    return problems


def check_site(settings: dict, render_html: bool = True) -> list[Problem]:
    """Check the content folder and the catalogs; return every problem, sorted by file and line.

    `render_html`: also render every source and check its HTML against the allowlist; the
    build leaves that to its Pelican runs, which render each source anyway.
    """
    content = Path(settings["PATH"])
    pseudonyms, problems = load_pseudonyms(content / settings["CHECK_PSEUDONYMS_FILE"])
    # Without the list, every name would be reported too: the missing list says it all.
    pseudonyms = pseudonyms if not problems else None
    rendered = RenderedHtmlCheck(settings) if render_html else None
    sources, found = check_tree(settings, pseudonyms, rendered)
    problems += found
    problems += check_urls(sources, settings)
    problems += check_translations(sources, content, settings["I18N_LANGUAGES"])
    problems += check_catalogs(settings, pseudonyms)
    problems += check_private_names(settings)
    problems += check_links_outside(settings)
    problems += check_reading_time(settings)
    return sorted(set(problems))


def check_reading_time(settings: dict) -> list[Problem]:
    """Every language has a reading rate (READING_TIME, or its script's default): articles
    would otherwise show no reading time, with nothing to say why."""
    content = Path(settings["PATH"])
    return [
        Problem.at(content / lang, None, message)
        for lang, message in reading_time_problems(settings)
    ]


def check_links_outside(settings: dict) -> list[Problem]:
    """No symbolic link in the theme or the catalogs: it could lead a template, or a copy of
    the theme's files, to any file of the machine."""
    return [
        Problem.at(entry, None, "a symbolic link; it can point anywhere on this machine: "
                   "replace it with the file itself")
        for key in ("THEME", "I18N_CATALOG_PATH")
        if Path(settings[key]).is_dir()
        for entry in walk(Path(settings[key]))
        if entry.is_symlink()
    ]  # fmt: skip


def check_sources(settings: dict, paths) -> list[Problem]:
    """The per-file checks of some language files (paths inside the content folder).

    For a rebuild after edits that left every header and the set of files as they were: the
    checks across files (URLs, translations, catalogs) would find what they found last time.
    """
    content = Path(settings["PATH"])
    pseudonyms, problems = load_pseudonyms(content / settings["CHECK_PSEUDONYMS_FILE"])
    pseudonyms = pseudonyms if not problems else None
    kinds = _kinds(settings)
    limits = settings["CHECK_MAX_BYTES"]
    for relative in paths:
        entry = content / relative
        if problem := size_problem(entry, limits):
            problems.append(problem)
            continue
        problems += _check_language_file(
            entry, entry.relative_to(content), kinds, settings, pseudonyms, []
        )
    names, found = private_names()
    problems += found
    if names is not None:
        problems += check_names(names, [content / relative for relative in paths])
    return sorted(set(problems))


@dataclass(frozen=True, order=True)
class Embargo:
    """An article (or its translation) no build publishes before its date: information."""

    path: str  # as Problem names files
    line: int  # of its Date
    until: datetime  # in the site's TIMEZONE
    source: str = ""  # for a translation embargoed with its source: as Translation-Of names it

    def __str__(self) -> str:
        where = location(self.path, self.line)
        why = f" with its source {self.source}" if self.source else ""
        return (
            f"{where}: embargoed{why} until {self.until:%Y-%m-%d %H:%M} ({self.until.tzname()}):"
            " no build publishes it before then"
        )


def waiting(settings: dict) -> list[Embargo]:
    """The articles kept out for a later date at the build's moment (BUILD_NOW or now).

    None when the headers cannot be read: check_site says why.
    """
    try:
        return embargoes(settings, index_of(settings, now=embargo_clock(settings)))
    except Exception:  # every reason is one of check_site's problems
        return []


def embargoes(settings: dict, index) -> list[Embargo]:
    """Every version the translation index keeps out for a later date, with its Date line."""
    content = Path(settings["PATH"])
    timezone = ZoneInfo(settings["TIMEZONE"])
    found = []
    for _key, versions in index:
        for version in versions.values():
            if not version.embargo:
                continue
            path = content / version.source
            with path.open(encoding=SOURCE_ENCODING) as lines:
                fields, _ = parse_header(lines)
            line = next((field.line for field in fields if field.key == "date"), 1)
            original = versions.get(source_language(version.translation_of))
            source = ""
            if original is not None and original.embargo == version.embargo:
                source = original.source
            until = datetime.fromisoformat(version.embargo).astimezone(timezone)
            found.append(Embargo(display_path(path), line, until, source))
    return sorted(found)
