"""The runs of Pelican, one per language, each in a worker process of its own."""

import copy
import ctypes
import gc
import logging
import traceback
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale
from pelican import Pelican
from pelican.contents import Content
from pelican.log import console as pelican_console
from pelican.settings import read_settings

from press import PROJECT_ROOT
from press.build.cache import cache_key, template_cache
from press.build.pelican_cache import share_safely, stamp_once
from press.checks.gates import list_files, read_pages
from press.checks.output import FolderReport, check_folder, check_leaks
from press.core.pseudonyms import read_pseudonyms
from press.core.settings import BUILD_DEFAULTS, MIRROR_DEFAULTS, onion_location_of
from press.rendering.footnotes import footnote_settings
from press.rendering.incremental import LISTING_FACTS, NeedsEveryArticle
from press.rendering.multilingual import LanguageRun
from press.safety.content import take_refusals
from press.safety.headers import meta_policy
from press.translations.catalogs import Compiled, load_all
from press.translations.index import TranslationIndex


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


def language_override(settings: dict, lang: str, run: LanguageRun, output: Path, override) -> dict:
    """Return the settings one language's Pelican run gets on top of the settings file."""
    # Markdown's own words (a footnote's back-link) in the language's catalog; keyed below,
    # so cached HTML never keeps another language's or an older translation's words.
    catalog = load_all(run.catalogs, [lang], run.msgid_lang).get(lang)
    markdown = footnote_settings(
        (override or {}).get("MARKDOWN", settings["MARKDOWN"]), catalog.gettext
    )
    return {
        # The templates read some of these (the safety page the mirrors).
        **{key: settings[key] for key in (*BUILD_DEFAULTS, *MIRROR_DEFAULTS)},
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
        "CACHE_PATH": str(
            Path(settings["CACHE_PATH"]) / cache_key({**settings, "MARKDOWN": markdown}) / lang
        ),
        "MARKDOWN": markdown,
        "JINJA_ENVIRONMENT": {
            **settings["JINJA_ENVIRONMENT"],
            "bytecode_cache": template_cache(settings),
        },
        "DEFAULT_LANG": lang,
        "SITEURL": run.site_urls[lang],
        "FEED_DOMAIN": run.site_urls[lang],
        # One copy of the theme's files serves every language (press.build.shared).
        "THEME_STATIC_PATHS": [],
        # The translation index decided which articles are embargoed, at the build's one
        # moment (press.core.clock); Pelican would judge each by its own clock instead.
        "WITH_FUTURE_DATES": True,
        "I18N_RUN": run,
        "CSP_META": meta_policy(settings["CONTENT_SECURITY_POLICY"]),
        # Where the language's site starts on its host, for pages served at any address (404).
        "LANGUAGE_ROOT_PATH": urlsplit(run.site_urls[lang]).path + "/",
    }


# The settings the gates read in a language's run (check_folder, check_leaks of
# press.checks.output; the last three for the Onion-Location a page may carry).
GATE_SETTINGS = ("SITEURL", "CONTENT_SECURITY_POLICY", "PATH", "ONION_URL", "MIRROR_OF", "OFFLINE")


@dataclass
class RunResult:
    """What one language's run sends back to the build."""

    problems: list[str]
    listing_facts: dict[str, str] = field(default_factory=dict)  # key -> fact (incremental)
    report: FolderReport | None = None  # the gates on its folder (a full build)
    pages: dict = field(default_factory=dict)  # "lang/page" -> PageFacts (an update)
    leaks: list = field(default_factory=list)  # Problems of the leak gate (an update)
    # An update that read some articles had a listing to write: run it again reading all.
    needs_every_article: bool = False


def run_pelican(lang: str, settings_file: str, override: dict) -> RunResult:
    """Build one language's site; return the problems it logged and the facts of its pages.

    Most of the gates run here too, on the language's own folder, in parallel with the
    other languages (press.checks.output.check_folder); an update only reads the pages it
    wrote.
    """
    # The run inherits the build's modules and index: frozen, the garbage collector never
    # walks them (nor copies their memory pages); and a longer first generation suits the
    # many short-lived objects Markdown makes.
    gc.freeze()
    gc.set_threshold(20_000, 20, 1000)
    share_safely()  # other builds may be reading or writing this run's cache files now
    stamp_once()
    collector = _ProblemCollector(lang)
    root = logging.getLogger()
    root.addHandler(collector)
    gate_settings = None
    needs_every_article = False
    try:
        settings = read_settings(settings_file, override=override)
        # What the gates judge by, taken before any template or plugin ran: the settings
        # Pelican passes around are one mutable dict.
        gate_settings = copy.deepcopy(
            {key: settings[key] for key in GATE_SETTINGS if key in settings}
        )
        # Pelican prints its own "Done: Processed..." line, the same for every language and
        # naming none; the build says once what each language got (pipeline.build_all).
        quiet, pelican_console.quiet = pelican_console.quiet, True
        try:
            Pelican(settings).run()
        finally:
            pelican_console.quiet = quiet
    except NeedsEveryArticle:
        needs_every_article = True
    except Exception as exc:  # any failure of a run is reported with the others
        what = f"{type(exc).__name__}: {exc}"
        where = template_line(exc)
        collector.problems.append(f"{where}[{lang}] {what}" if where else f"[{lang}] error: {what}")
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
        _give_back_freed_memory()
    if collector.problems:
        return RunResult(collector.problems)
    if needs_every_article:
        return RunResult([], needs_every_article=True)
    output = Path(override["OUTPUT_PATH"])
    if override.get("INCREMENTAL_SELECTION") is None:
        # The gates see the whole build, whose root is above this language's site.
        site = {**gate_settings, "SITEURL": override["I18N_RUN"].landing_url.rstrip("/")}
        return RunResult([], dict(LISTING_FACTS), check_folder(output.parent, lang, site))
    # An update wrote a few pages: the build checks them against the whole output.
    pages = {f"{lang}/{page}": facts for page, facts in read_pages(output).items()}
    leaks = check_leaks(output.parent, gate_settings, files=list_files(output.parent, lang))
    return RunResult([], dict(LISTING_FACTS), pages=pages, leaks=leaks)


def template_line(exc: BaseException) -> str:
    """Where in the theme's templates `exc` was raised ("theme/templates/base.html:31: "), as
    Jinja's traceback tells it; "" when no template was running."""
    where = ""
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = Path(frame.f_code.co_filename)
        if name.suffix in TEMPLATE_SUFFIXES:  # the innermost template wins
            shown = name.relative_to(PROJECT_ROOT) if name.is_relative_to(PROJECT_ROOT) else name
            where = f"{shown.as_posix()}:{line}: "
    return where


# What the theme's templates are named (Jinja names each template's code by its file).
TEMPLATE_SUFFIXES = frozenset({".html", ".xml", ".xsl"})


def _give_back_freed_memory() -> None:
    """Return the memory the finished Pelican run freed to the system, where libc can.

    The gates then parse every page: without this, glibc keeps the run's freed heap for
    itself and the gates' parses grow the process beyond it, to its largest size.
    """
    gc.collect()  # the run's objects in reference cycles, freed now rather than later
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc's (the process's own C library)
    except (OSError, AttributeError):
        return  # another C library: it gives memory back in its own way
    trim(0)


def _about(logged: str, paths: set[str]) -> bool:
    """Whether a logged problem is Pelican's "Could not process" of one of `paths`."""
    _, found, rest = logged.partition("Could not process ")
    named = rest.split("\n", 1)[0].strip()
    return bool(found and named) and any(path.endswith(named) for path in paths)


def start_runs(settings_file: str, overrides: dict[str, dict], jobs: int):
    """Start every language's Pelican run in `jobs` worker processes; return (pool, results)."""
    # Always in child processes, even with one job: Pelican's signals and plugin modules are
    # process-wide, and a child keeps one build's receivers from leaking into the next.
    # fork: the children start with the modules already imported instead of re-importing.
    pool = get_context("fork").Pool(jobs)
    results = {
        lang: pool.apply_async(run_pelican, (lang, settings_file, o))
        for lang, o in overrides.items()
    }
    pool.close()
    return pool, results


def finish_runs(pool, results) -> tuple[list[str], dict[str, RunResult]]:
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


def language_runs(settings: dict, index, catalogs: Compiled) -> dict[str, LanguageRun]:
    """What each language's run needs to know of the whole site (`catalogs`: compiled by
    the build, press.translations.catalogs.compile_all)."""
    languages = settings["I18N_LANGUAGES"]
    origin = settings["SITEURL"].rstrip("/")
    run_for = {}
    shared_pages = frozenset(
        settings[f"{name.upper()}_SAVE_AS"] for name in settings["DIRECT_TEMPLATES"]
    )
    names = {code: Locale.parse(code).get_display_name(code) for code in languages}
    # A broken list is one of the content checks' problems, reported before the runs start.
    pseudonyms, _ = read_pseudonyms(Path(settings["PATH"]) / settings["CHECK_PSEUDONYMS_FILE"])
    site_urls = {code: f"{origin}/{code}" for code in languages}
    for lang in languages:
        run_for[lang] = LanguageRun(
            lang=lang,
            default_lang=settings["DEFAULT_LANG"],
            names=names,
            site_urls=site_urls,
            landing_url=f"{origin}/",
            index=index,
            catalogs=catalogs,
            msgid_lang=settings["I18N_MSGID_LANG"],
            shared_pages=shared_pages,
            offline=settings["OFFLINE"],
            pseudonyms=pseudonyms,
            onion_url=onion_location_of(settings),
        )
    return run_for


@dataclass
class BuildContext:
    """What both kinds of build (full, update) work from."""

    settings: dict
    settings_file: Path
    override: dict | None
    target: Path
    index: TranslationIndex
    run_for: dict[str, LanguageRun]
    jobs: int

    @classmethod
    def of(cls, settings, settings_file, override, target, index, jobs, catalogs) -> "BuildContext":
        """The context of a build of `index` into `target`, with the `catalogs` it compiled."""
        run_for = language_runs(settings, index, catalogs)
        return cls(settings, settings_file, override, target, index, run_for, jobs)

    def overrides(self, staging: Path, languages) -> dict[str, dict]:
        """Each language's run settings, writing into `staging`."""
        return {
            lang: language_override(self.settings, lang, self.run_for[lang], staging, self.override)
            for lang in languages
        }
