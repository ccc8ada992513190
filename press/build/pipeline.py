"""Build the whole multilingual site: one Pelican run per language, then the landing page.

1. read the settings, check the languages, compile the interface catalogs, and read the
   metadata headers of every language's content into the translation index (those the last
   build's state shows unchanged are taken from it);
2. when the last build's state shows that only article or page bodies changed since, update
   its output instead (incremental.state, _update); otherwise build it all:
3. run Pelican once per language, in parallel processes, each reading only its own folder
   (a source file is parsed and rendered once per build, not once per language), into a
   staging folder; meanwhile check every content file and catalog (content_checks: every
   problem at once, with its file and line; a problem stops the runs), write the theme's
   files, the shared images (re-encoded without their metadata) and landing page, and, with
   no state to compare with, take the sources' fingerprints;
4. each language's process runs the gates on its own folder (output_checks.check_folder);
   then the sitemap, robots.txt and host files, and the gates across the whole build;
5. only when everything succeeded, replace the output folder in one rename, and save the
   state the next build compares with.
"""

import copy
import gc
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from jinja2 import FileSystemBytecodeCache, FileSystemLoader
from pelican import Pelican
from pelican.contents import Content
from pelican.settings import read_settings

from press import PROJECT_ROOT
from press.build.state import (
    BuildState,
    Plan,
    embargoes,
    file_stamps,
    inputs_fingerprint,
    known_headers,
    load_state,
    locked,
    plan_update,
    save_state,
    source_fingerprints,
    stale_flags,
    state_name,
)
from press.checks.content import (
    COUNTRY_NOT_LANGUAGE,
    agreed_names,
    check_site,
    check_sources,
    with_defaults,
)
from press.checks.gates import list_files, read_pages
from press.checks.output import FolderReport, check_folder, check_leaks, check_output, check_update
from press.core.clock import embargo_clock
from press.publishing.sitemap import robots_txt, write_sitemap
from press.rendering.incremental import LISTING_FACTS
from press.rendering.multilingual import (
    ConfinedLoader,
    LanguageRun,
    install_into,
    sandboxed,
    template_roots,
)
from press.safety.content import take_refusals
from press.safety.headers import meta_policy, netlify_headers, netlify_redirects
from press.safety.images import ImageRefused
from press.safety.media import publish_images
from press.safety.private_names import PrivateNames, PrivateNamesError, redact_all
from press.safety.refusals import DocumentRefused
from press.translations.catalogs import CatalogError, compile_all, load_all
from press.translations.index import scan

logger = logging.getLogger(__name__)

CODE_FOLDERS = (PROJECT_ROOT / "plugins", PROJECT_ROOT / "press")

# Settings of the multilingual build, with their defaults; pelicanconf.py overrides them.
DEFAULTS = {
    "I18N_LANGUAGES": {"en": {}},  # code -> settings that differ for that language's site
    "I18N_CATALOG_PATH": "locale",  # locale/<code>/LC_MESSAGES/messages.po
    "I18N_MSGID_LANG": "en",  # the language the theme's msgids are written in
    "I18N_BABEL_CONFIG": "babel.cfg",  # which files hold interface text
    "I18N_PUBLISH_REVIEW_STATES": ["approved"],  # translations readers may see
    "REVIEW_BUILD": False,  # `invoke review`: banner, noindex, every review state shown
    "OFFLINE": False,  # `invoke offline`: links name files, no absolute URLs
    "CONTENT_SECURITY_POLICY": "default-src 'none'; style-src 'self'; img-src 'self'",
    "SECURITY_HEADERS": {"Referrer-Policy": "no-referrer"},  # for hosts that send headers
    "LANDING_TEMPLATE": "landing.html",
    # Update the output after body-only edits instead of building it all (with the content
    # cache on); publishconf.py turns it off, so a publication is always built whole.
    "INCREMENTAL_BUILD": True,
    # The build's moment, at which articles dated later are embargoed (WITH_FUTURE_DATES =
    # False): None for the real time when the build starts; a date (and time) in TIMEZONE
    # builds the site as it will be then (tests; a preview of a day's publication).
    "BUILD_NOW": None,
}


class BuildError(Exception):
    """The build failed; `problems` lists each one, naming the file (and line) to fix."""

    def __init__(self, problems):
        # A problem may quote content: a name of the private list is never shown.
        self.problems = redact_all(map(str, problems))
        super().__init__("\n".join(self.problems))


class _ProblemCollector(logging.Handler):
    """Keeps every warning and error a Pelican run logs: any of them fails the build."""

    def __init__(self, lang):
        super().__init__(logging.WARNING)
        self.lang = lang
        self.problems = []

    def emit(self, record):
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}: {record.exc_info[1]}"
        self.problems.append(f"[{self.lang}] {record.levelname.lower()}: {message}")


def load_settings(settings_file, override=None) -> dict:
    """Read a settings file with the build's defaults filled in and paths made absolute."""
    settings_file = Path(settings_file).resolve()
    # publishconf.py imports pelicanconf.py from beside it.
    if str(settings_file.parent) not in sys.path:
        sys.path.insert(0, str(settings_file.parent))
    settings = read_settings(str(settings_file), override=dict(override or {}))
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    for key in ("I18N_CATALOG_PATH", "I18N_BABEL_CONFIG"):
        settings[key] = str(settings_file.parent / settings[key])
    return settings


def check_languages(settings: dict) -> list[str]:
    """Return a problem for each language code Babel does not know or with no content folder."""
    problems = []
    languages = settings["I18N_LANGUAGES"]
    if settings["DEFAULT_LANG"] not in languages:
        problems.append(
            f"DEFAULT_LANG {settings['DEFAULT_LANG']!r} is not in I18N_LANGUAGES "
            f"({', '.join(languages)}); add it there or choose one of those"
        )
    for code in languages:
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            hint = (
                f"did you mean {COUNTRY_NOT_LANGUAGE[code]!r}? "
                if code in COUNTRY_NOT_LANGUAGE
                else ""
            )
            problems.append(
                f"I18N_LANGUAGES: {code!r} is not a language code Babel knows; {hint}"
                "Use an ISO 639 code such as 'ko' (Korean) or 'en' (English)"
            )
            continue
        folder = Path(settings["PATH"]) / code
        if not folder.is_dir():
            problems.append(f"{folder}: content folder of language {code!r} missing; create it")
    return problems


def cache_key(settings: dict) -> str:
    """A short hash of the settings and versions that decide how sources are read."""
    import markdown
    import pelican

    shaping = {
        key: settings.get(key)
        for key in ("MARKDOWN", "FORMATTED_FIELDS", "PATH_METADATA", "FILENAME_METADATA",
                    "SLUGIFY_USE_UNICODE", "SLUG_REGEX_SUBSTITUTIONS", "TIMEZONE", "READERS",
                    "DEFAULT_METADATA", "TYPOGRIFY", "SUMMARY_MAX_LENGTH", "I18N_LANGUAGES")
    }  # fmt: skip
    # The cached categories, tags and authors keep the URL settings of the run that read
    # them: the offline edition's must not serve the website's folders.
    shaping.update(
        (key, value) for key, value in settings.items() if key.endswith(("_URL", "_SAVE_AS"))
    )
    # Functions (the toc extension's slugify) by name: their repr changes from run to run.
    text = json.dumps(
        [shaping, pelican.__version__, markdown.__version__, code_fingerprint()],
        sort_keys=True,
        default=lambda value: (
            f"{value.__module__}.{value.__qualname__}" if callable(value) else repr(value)
        ),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@cache
def code_fingerprint() -> str:
    """A hash of the project's own code: the plugins and press/ shape what is read and kept.

    A change to any of them must not be served from a cache that an older version filled.
    """
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def template_cache(settings: dict) -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates, beside the content cache (with the cache on).

    Every build process compiled every template otherwise. Jinja checks each entry against
    its template's source, so an edited template is compiled again.
    """
    if not (settings["CACHE_CONTENT"] and settings["LOAD_CONTENT_CACHE"]):
        return None
    folder = Path(settings["CACHE_PATH"]) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def language_override(settings: dict, lang: str, run: LanguageRun, output: Path, override) -> dict:
    """Return the settings one language's Pelican run gets on top of the settings file."""
    return {
        **{key: settings[key] for key in DEFAULTS},  # the templates read some of them
        **(override or {}),
        **settings["I18N_LANGUAGES"][lang],
        # The run sees the whole content folder, so {static} links to the shared images resolve,
        # but reads articles and pages from its own language's folder only.
        "ARTICLE_PATHS": [f"{lang}/{path}" for path in settings["ARTICLE_PATHS"]],
        "PAGE_PATHS": [f"{lang}/{path}" for path in settings["PAGE_PATHS"]],
        "OUTPUT_PATH": str(output / lang),
        # Each language's run keeps its own content cache (one shared file would be
        # overwritten by whichever run finished last), under a key of everything that shapes
        # what Pelican reads: Pelican keeps a cache across settings changes otherwise.
        "CACHE_PATH": str(Path(settings["CACHE_PATH"]) / cache_key(settings) / lang),
        "JINJA_ENVIRONMENT": {
            **settings["JINJA_ENVIRONMENT"],
            "bytecode_cache": template_cache(settings),
        },
        "DEFAULT_LANG": lang,
        "SITEURL": run.site_urls[lang],
        "FEED_DOMAIN": run.site_urls[lang],
        # One copy of the theme's files serves every language (build step 5).
        "THEME_STATIC_PATHS": [],
        # The translation index decided which articles are embargoed, at the build's one
        # moment (press.core.clock); Pelican would judge each by its own clock instead.
        "WITH_FUTURE_DATES": True,
        "I18N_RUN": run,
        "CSP_META": meta_policy(settings["CONTENT_SECURITY_POLICY"]),
        # Where the language's site starts on its host, for pages served at any address (404).
        "LANGUAGE_ROOT_PATH": urlsplit(run.site_urls[lang]).path + "/",
    }


# The settings the gates read in a language's run (output_checks.check_folder, check_leaks).
GATE_SETTINGS = ("SITEURL", "CONTENT_SECURITY_POLICY", "PATH")


@dataclass
class RunResult:
    """What one language's run sends back to the build."""

    problems: list[str]
    listing_facts: dict[str, str] = field(default_factory=dict)  # key -> fact (incremental)
    report: FolderReport | None = None  # the gates on its folder (a full build)
    pages: dict = field(default_factory=dict)  # "lang/page" -> PageFacts (an update)
    leaks: list = field(default_factory=list)  # Problems of the leak gate (an update)


def _run_pelican(lang: str, settings_file: str, override: dict) -> RunResult:
    """Build one language's site; return the problems it logged and the facts of its pages.

    Most of the gates run here too, on the language's own folder, in parallel with the
    other languages (output_checks.check_folder); an update only reads the pages it wrote.
    """
    # The run inherits the build's modules and index: frozen, the garbage collector never
    # walks them (nor copies their memory pages); and a longer first generation suits the
    # many short-lived objects Markdown makes. About 4% of a cold build at N=1000.
    gc.freeze()
    gc.set_threshold(20_000, 20, 1000)
    collector = _ProblemCollector(lang)
    root = logging.getLogger()
    root.addHandler(collector)
    gate_settings = None
    try:
        settings = read_settings(settings_file, override=override)
        # What the gates judge by, taken before any template or plugin ran: the settings
        # Pelican passes around are one mutable dict.
        gate_settings = copy.deepcopy(
            {key: settings[key] for key in GATE_SETTINGS if key in settings}
        )
        Pelican(settings).run()
    except Exception as exc:  # any failure of a run is reported with the others
        collector.problems.append(f"[{lang}] error: {type(exc).__name__}: {exc}")
    finally:
        root.removeHandler(collector)
        if refused := take_refusals():
            # Pelican logs each refused source as "Could not process <path>" too: the
            # problems are reported once, as path:line.
            paths = {Path(problem.path).as_posix() for problem in refused}
            collector.problems = [str(problem) for problem in refused] + [
                logged for logged in collector.problems if not _about(logged, paths)
            ]
        # Pelican memoizes every article's HTML on the Content class itself, which keeps
        # the whole run alive after it ended; the gates below can reuse that memory.
        Content.get_content.cache.clear()
        Content.get_summary.cache.clear()
    if collector.problems:
        return RunResult(collector.problems)
    output = Path(override["OUTPUT_PATH"])
    if override.get("INCREMENTAL_SELECTION") is None:
        # The gates see the whole build, whose root is above this language's site.
        site = {**gate_settings, "SITEURL": override["I18N_RUN"].landing_url.rstrip("/")}
        return RunResult([], dict(LISTING_FACTS), check_folder(output.parent, lang, site))
    # An update wrote a few pages: the build checks them against the whole output.
    pages = {f"{lang}/{page}": facts for page, facts in read_pages(output).items()}
    leaks = check_leaks(output.parent, gate_settings, files=list_files(output.parent, lang))
    return RunResult([], dict(LISTING_FACTS), pages=pages, leaks=leaks)


def _about(logged: str, paths: set[str]) -> bool:
    """Whether a logged problem is Pelican's "Could not process" of one of `paths`."""
    _, found, rest = logged.partition("Could not process ")
    named = rest.split("\n", 1)[0].strip()
    return bool(found and named) and any(path.endswith(named) for path in paths)


def _start_runs(settings_file: str, overrides: dict[str, dict], jobs: int):
    """Start every language's Pelican run in `jobs` worker processes; return (pool, results)."""
    # Always in child processes, even with one job: Pelican's signals and plugin modules are
    # process-wide, and a child keeps one build's receivers from leaking into the next.
    # fork: the children start with the modules already imported instead of re-importing.
    pool = get_context("fork").Pool(jobs)
    results = {
        lang: pool.apply_async(_run_pelican, (lang, settings_file, o))
        for lang, o in overrides.items()
    }
    pool.close()
    return pool, results


def _finish_runs(pool, results) -> tuple[list[str], dict[str, RunResult]]:
    """Wait for every run; return all their problems, and each language's result."""
    problems, done = [], {}
    try:
        for lang, result in results.items():
            done[lang] = result.get()
            problems += done[lang].problems
    finally:
        pool.terminate()
        pool.join()
    return problems, done


def write_landing(settings: dict, run: LanguageRun, output: Path) -> None:
    """Write the bilingual page at the site's root that lets a reader choose a language."""
    catalogs = load_all(Path(settings["I18N_CATALOG_PATH"]), run.names, run.msgid_lang)
    # The same Jinja options as Pelican's own environments (autoescape, i18n, ...).
    templates = FileSystemLoader(str(Path(settings["THEME"]) / "templates"))
    env = sandboxed(
        ConfinedLoader(templates, template_roots(settings)), settings["JINJA_ENVIRONMENT"]
    )
    install_into(env, catalogs, settings["DEFAULT_LANG"], offline=settings["OFFLINE"])
    html = env.get_template(settings["LANDING_TEMPLATE"]).render(
        SITENAME=settings["SITENAME"],
        DEFAULT_LANG=settings["DEFAULT_LANG"],
        languages=run.names,
        site_urls=run.site_urls,
        landing_url=run.landing_url,
        subtitles={
            code: settings["I18N_LANGUAGES"][code].get("SITESUBTITLE", "") for code in run.names
        },
        THEME_STATIC_DIR=settings["THEME_STATIC_DIR"],
        CSP_META=meta_policy(settings["CONTENT_SECURITY_POLICY"]),
        OFFLINE=settings["OFFLINE"],
    )
    (output / "index.html").write_text(html, encoding="utf-8")


def write_publishing_files(settings: dict, index, shared_pages, output: Path, files) -> None:
    """sitemap.xml, robots.txt, and the _headers and _redirects of Netlify-like hosts.

    `files`: the languages' files (paths inside `output`), as their runs listed them.
    """
    site_root = settings["SITEURL"].rstrip("/")
    languages = list(settings["I18N_LANGUAGES"])
    listings = shared_pages - {settings.get("NOTFOUND_SAVE_AS", "404.html")}
    write_sitemap(output, site_root, index, languages, listings, settings["DEFAULT_LANG"], files)
    allow = not settings["REVIEW_BUILD"]
    (output / "robots.txt").write_text(robots_txt(site_root, allow), encoding="utf-8")
    (output / "_headers").write_text(netlify_headers(settings["SECURITY_HEADERS"]), "utf-8")
    redirects = netlify_redirects(languages, settings["DEFAULT_LANG"])
    (output / "_redirects").write_text(redirects, encoding="utf-8")


def replace_output(target: Path, built: Path) -> None:
    """Put the finished build where `target` was, with one rename for the switch."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / target.name)
    built.rename(target)
    if old is not None:
        shutil.rmtree(old)


def build(settings_file="pelicanconf.py", *, output=None, jobs=None, override=None) -> Path:
    """Build every language into `output` (default OUTPUT_PATH); raise BuildError on problems."""
    with _fewer_collections():
        return _build(settings_file, output, jobs, override)


@contextmanager
def _fewer_collections():
    """A longer first generation while building: the build makes many short-lived objects."""
    # The main process collected garbage some 200 times a cold build (0.05 s); the
    # caller's own setting comes back afterwards (make serve runs many builds).
    threshold = gc.get_threshold()
    gc.set_threshold(20_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _build(settings_file, output, jobs, override) -> Path:
    settings = load_settings(settings_file, override)
    if problems := check_languages(settings):
        raise BuildError(problems)
    try:
        PrivateNames.from_environment(PROJECT_ROOT)  # read by the checks and gates themselves
    except PrivateNamesError as exc:
        raise BuildError([str(exc)]) from None
    languages = settings["I18N_LANGUAGES"]
    try:
        # The theme's msgids are compared with the catalogs by check_site. Compiling also
        # removes the .mo of a broken catalog, which must not outlive it.
        # A broken pseudonym list leaves names unjudged here; check_site reports it.
        names, _ = agreed_names(settings)
        compile_all(
            Path(settings["I18N_CATALOG_PATH"]), languages, settings["I18N_MSGID_LANG"], names=names
        )
    except Exception as exc:
        raise _input_error(settings, exc) from exc
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    jobs = jobs or min(len(languages), os.cpu_count() or 1)
    settings_file = Path(settings_file).resolve()
    if not incremental(settings):
        _build_all(
            BuildContext.of(settings, settings_file, override, target, read_index(settings), jobs)
        )
        return target
    state_path = Path(settings["CACHE_PATH"]) / cache_key(settings) / state_name(target)
    # One build at a time per output: `make serve` rebuilding while someone runs `make build`
    # would otherwise interleave their updates of the same folder and state.
    with locked(state_path):
        state = load_state(state_path)  # each output has its own state
        sources = None
        if state is not None:
            sources = source_fingerprints(Path(settings["PATH"]), languages, state.sources)
        # Headers unchanged since the last build are not read again for the index.
        index = read_index(settings, known_headers(state, sources or {}))
        context = BuildContext.of(settings, settings_file, override, target, index, jobs)
        _build_or_update(context, state_path, state, sources)
    return target


def read_index(settings: dict, known=None):
    """The translation index of the content (multilingual.index.scan); BuildError if broken."""
    languages = settings["I18N_LANGUAGES"]
    try:
        now = embargo_clock(settings)
    except ValueError as exc:
        raise BuildError([str(exc)]) from None
    try:
        return scan(
            Path(settings["PATH"]),
            {lang: {**settings, **languages[lang]} for lang in languages},
            settings["I18N_PUBLISH_REVIEW_STATES"],
            known,
            now,
        )
    except Exception as exc:
        raise _input_error(settings, exc) from exc


def _input_error(settings: dict, exc: Exception) -> BuildError:
    """A broken catalog or source: check_site names each problem with its file and line."""
    problems = [str(problem) for problem in check_site(settings, render_html=False)]
    if isinstance(exc, CatalogError):
        problems += [str(p) for p in exc.problems if str(p) not in problems]
    return BuildError(problems or [f"{type(exc).__name__}: {exc}"])


def incremental(settings: dict) -> bool:
    """Whether a build may update its output instead of building it all again."""
    return bool(
        settings["INCREMENTAL_BUILD"]
        and settings["CACHE_CONTENT"]
        and settings["LOAD_CONTENT_CACHE"]
    )


def language_runs(settings: dict, index) -> dict[str, LanguageRun]:
    """What each language's run needs to know of the whole site."""
    languages = settings["I18N_LANGUAGES"]
    origin = settings["SITEURL"].rstrip("/")
    run_for = {}
    shared_pages = frozenset(
        settings[f"{name.upper()}_SAVE_AS"] for name in settings["DIRECT_TEMPLATES"]
    )
    names = {code: Locale.parse(code).get_display_name(code) for code in languages}
    site_urls = {code: f"{origin}/{code}" for code in languages}
    for lang in languages:
        run_for[lang] = LanguageRun(
            lang=lang,
            default_lang=settings["DEFAULT_LANG"],
            names=names,
            site_urls=site_urls,
            landing_url=f"{origin}/",
            index=index,
            catalog_dir=settings["I18N_CATALOG_PATH"],
            msgid_lang=settings["I18N_MSGID_LANG"],
            shared_pages=shared_pages,
            offline=settings["OFFLINE"],
        )
    return run_for


@dataclass
class BuildContext:
    """What both kinds of build (full, update) work from."""

    settings: dict
    settings_file: Path
    override: dict | None
    target: Path
    index: object  # TranslationIndex
    run_for: dict[str, LanguageRun]
    jobs: int

    @classmethod
    def of(cls, settings, settings_file, override, target, index, jobs) -> "BuildContext":
        """The context of a build of `index` into `target`."""
        run_for = language_runs(settings, index)
        return cls(settings, settings_file, override, target, index, run_for, jobs)

    def overrides(self, staging: Path, languages) -> dict[str, dict]:
        """Each language's run settings, writing into `staging`."""
        return {
            lang: language_override(self.settings, lang, self.run_for[lang], staging, self.override)
            for lang in languages
        }


def _build_or_update(
    context: BuildContext, state_path: Path, state: BuildState | None, sources: dict | None
) -> None:
    """Update the output when the state allows it, else build it all; save the new state.

    `sources`: their fingerprints, None when there is no state to compare them with.
    """
    settings, target, index = context.settings, context.target, context.index
    inputs = inputs_fingerprint(settings, context.settings_file)
    plan = plan_update(state, target, inputs, sources, index) if sources is not None else None
    if plan is None or not _update(context, plan, state, sources):
        # A new state for the full build, so a crash in between never leaves an old one.
        state_path.unlink(missing_ok=True)
        fragments = {}

        def fingerprint():
            # Without a state, the fingerprints (which read every source) wait until now.
            nonlocal sources
            if sources is None:
                sources = source_fingerprints(Path(settings["PATH"]), settings["I18N_LANGUAGES"])

        listing_facts = _build_all(context, fragments, meanwhile=fingerprint)
        state = BuildState(
            output=str(target),
            inputs=inputs,
            sources=sources,
            stale=stale_flags(index),
            listing_facts=listing_facts,
            files=file_stamps(target),
            fragment_links=fragments,
            headers=index.headers,
            embargoes=embargoes(index),
        )
    save_state(state_path, state)


def _build_all(
    context: BuildContext, fragments: dict | None = None, meanwhile=None
) -> dict[str, dict]:
    """Build everything into a staging folder and put it in place of the output in one rename.

    Returns every run's listing facts; `fragments` receives the pages' links to elements
    of other pages; `meanwhile` is called while the languages render.
    """
    settings, target, index = context.settings, context.target, context.index
    languages = settings["I18N_LANGUAGES"]
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        overrides = context.overrides(staging, languages)
        pool, results = _start_runs(str(context.settings_file), overrides, context.jobs)
        # While the languages render, on whatever core their runs leave: the content checks
        # (on a problem, the runs are stopped and their work thrown away), then the files
        # all languages share.
        try:
            # The runs check the HTML they render (plugins/markup_allowlist).
            if problems := [str(p) for p in check_site(settings, render_html=False)]:
                raise BuildError(problems)
            _write_shared_files(context, staging)
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            pool.terminate()
            raise
        problems, done = _finish_runs(pool, results)
        if problems:
            raise BuildError(problems)
        # The sitemap lists the pages the runs wrote, as each listed its folder for the gates.
        reports = {lang: run.report for lang, run in done.items()}
        shared_pages = context.run_for[settings["DEFAULT_LANG"]].shared_pages
        files = [name for report in reports.values() for name in report.files]
        write_publishing_files(settings, index, shared_pages, staging, files)
        if problems := check_output(staging, settings, index, fragments=fragments, reports=reports):
            raise BuildError(map(str, problems))
        replace_output(target, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("Built %s into %s", ", ".join(languages), target)
    return {lang: run.listing_facts for lang, run in done.items()}


def _write_shared_files(context: BuildContext, staging: Path) -> None:
    """The theme's files, the shared images and documents (cleaned) and the landing page."""
    settings = context.settings
    max_pixels = with_defaults(settings)["CHECK_MAX_IMAGE_PIXELS"]
    # The theme's images and documents are cleaned like the content's: a logo can carry
    # metadata, private chunks or bytes after its end as well as a photo can.
    folders = [(Path(settings["THEME"]) / "static", staging / settings["THEME_STATIC_DIR"], True)]
    folders += [
        (Path(settings["PATH"]) / folder, staging / folder, False)
        for folder in settings["STATIC_PATHS"]
    ]
    for source, target, theme in folders:
        if not source.is_dir():
            continue
        try:
            publish_images(source, target, max_pixels, keep_times=theme)
        except ImageRefused as refused:  # what the checks could not know before decoding
            raise BuildError([str(refused.problem)]) from refused
        except DocumentRefused as refused:
            raise BuildError(map(str, refused.problems)) from None
    write_landing(settings, context.run_for[settings["DEFAULT_LANG"]], staging)


def _update(context: BuildContext, plan: Plan, state: BuildState, sources: dict) -> bool:
    """Write the planned pages again and put in place those whose bytes changed.

    Updates `state` to describe the output afterwards. Returns False, having changed
    nothing, when the runs wrote a file the output did not have (a full build is due).
    """
    settings, target = context.settings, context.target
    if problems := [str(problem) for problem in check_sources(settings, plan.changed)]:
        raise BuildError(problems)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.update-", dir=target.parent))
    try:
        overrides = context.overrides(staging, plan.pages)
        for lang, run_override in overrides.items():
            run_override["INCREMENTAL_SELECTION"] = {
                "pages": sorted(plan.pages[lang]),
                "listing_facts": state.listing_facts.get(lang, {}),
            }
        done = {}
        if overrides:
            pool, results = _start_runs(str(context.settings_file), overrides, context.jobs)
            problems, done = _finish_runs(pool, results)
            if problems:
                raise BuildError(problems)
        pages = {page: facts for run in done.values() for page, facts in run.pages.items()}
        written = file_stamps(staging)
        if not written.keys() <= state.files.keys():
            logger.info("The update wrote new files; building everything instead")
            return False
        files = set(state.files)
        fragments = state.fragment_links
        problems = [leak for run in done.values() for leak in run.leaks]
        problems += check_update(
            staging, settings, target, files, pages, fragments, checked=set(done)
        )
        if problems:
            raise BuildError(map(str, problems))
        replaced = []
        for name in sorted(written):
            new, old = staging / name, target / name
            if new.read_bytes() != old.read_bytes():
                new.replace(old)  # one file at a time, each whole: never half a page
                replaced.append(name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    state.sources = sources
    state.headers = context.index.headers
    state.stale = stale_flags(context.index)
    state.listing_facts.update((lang, run.listing_facts) for lang, run in done.items())
    state.files.update(
        (name, [stamp.st_size, stamp.st_mtime_ns])
        for name in replaced
        for stamp in [(target / name).stat()]
    )
    if plan.changed:
        logger.info(
            "Updated %s: %d of %d files rewritten after edits to %s",
            target, len(replaced), len(files), ", ".join(plan.changed),
        )  # fmt: skip
    else:
        logger.info("Updated %s: 0 of %d files rewritten, no source changed", target, len(files))
    return True
