"""The build of the whole multilingual site, as its steps in order; returns a BuildReport.

1. `prepare`: read the settings, check the languages and the private names list, and
   compile the interface catalogs in memory (nothing in locale/ is written: builds may run
   at once);
2. `read_index`: read every language's metadata headers into the translation index
   (press.translations.index); headers the last build's state shows unchanged are taken
   from it. A build that will be a full one has started its content checks by then, in a
   process of their own (press.build.content_checks);
3. when the last build's state shows that only article or page bodies changed since,
   `update_output` writes only the pages those edits change (press.build.update);
4. otherwise `build_all`: one Pelican run per language, in parallel processes, into a
   staging folder (press.build.runs), while the content checks end (or run, when the
   build did not start them) and the files every language shares are written
   (press.build.shared); each run checks its own folder with
   the gates, then the sitemap and host files are written and the gates check the whole
   build (press.checks.output);
5. only when everything succeeded, the staging folder replaces the output in one rename
   (press.build.staging), and the state the next build compares with is saved
   (press.build.state).
"""

import gc
import logging
import os
import shutil
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from press import PROJECT_ROOT
from press.build.cache import cache_key
from press.build.content_checks import StartedChecks, started_checks
from press.build.errors import BuildError
from press.build.runs import BuildContext, finish_runs, start_runs
from press.build.shared import write_publishing_files, write_shared_files
from press.build.staging import new_folder, replace_output
from press.build.state import (
    BuildState,
    embargoes,
    file_stamps,
    inputs_fingerprint,
    known_fingerprints,
    known_headers,
    load_state,
    lock_path,
    locked,
    plan_update,
    save_state,
    saved_fingerprints,
    source_fingerprints,
    stale_flags,
    state_name,
    visibility,
)
from press.build.update import update_output
from press.checks.content import agreed_names, check_site
from press.checks.output import check_output, from_sources
from press.core.clock import embargo_clock
from press.core.files import file_names
from press.core.settings import Settings, SettingsError, check_languages, load_settings
from press.safety.private_names import PrivateNames, PrivateNamesError
from press.translations.catalogs import CatalogError, Compiled, compile_all
from press.translations.index import TranslationIndex, index_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: its callers and tests read this; the log tells people the same."""

    output: Path
    kind: str  # "full": everything built anew; "update": only what body edits changed
    languages: tuple[str, ...]
    written: tuple[str, ...]  # the files it put into the output, by path inside it
    files: int  # how many files the output holds afterwards
    edited: tuple[str, ...] = ()  # an update: the sources whose edits it followed
    # Translations, as "lang/key", that edits made outdated since the last build (with no
    # last build to compare with: every outdated one), and the versions readers lack: a
    # written original's translation that is missing or not published.
    outdated: tuple[str, ...] = ()
    untranslated: tuple[str, ...] = ()
    # A full build: each language's written pages by kind (article, page, hidden), as the
    # translation index decided them (TranslationIndex.written_counts).
    pages: dict[str, dict[str, int]] = field(default_factory=dict)


def build(settings_file="pelicanconf.py", *, output=None, jobs=None, override=None) -> BuildReport:
    """Build every language into `output` (default OUTPUT_PATH); raise BuildError on problems."""
    with _fewer_collections():
        settings, catalogs = prepare(settings_file, override)
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        jobs = jobs or min(len(settings["I18N_LANGUAGES"]), os.cpu_count() or 1)
        settings_file = Path(settings_file).resolve()
        if not incremental(settings):
            with started_checks(settings) as checks:
                index = read_index(settings)
                context = BuildContext.of(
                    settings, settings_file, override, target, index, jobs, catalogs
                )
                return with_translation_news(build_all(context, checks=checks), index, None)
        state_path = Path(settings["CACHE_PATH"]) / cache_key(settings) / state_name(target)
        # One build at a time per output: `make serve` rebuilding while someone runs `make
        # build` would otherwise interleave their updates of the same folder and state (and
        # `make publish` takes the same lock to switch the folder).
        with locked(lock_path(Path(settings["CACHE_PATH"]), target)):
            state = load_state(state_path)  # each output has its own state
            sources = None
            if state is not None:
                sources = source_fingerprints(
                    Path(settings["PATH"]), settings["I18N_LANGUAGES"], state.sources
                )
            # Without a state the build is a full one: its checks can start at once.
            with started_checks(settings) if state is None else nullcontext() as checks:
                # Headers unchanged since the last build are not read again for the index,
                # nor unchanged sources fingerprinted again.
                index = read_index(
                    settings,
                    known_headers(state, sources or {}),
                    known_fingerprints(state, sources or {}),
                )
                context = BuildContext.of(
                    settings, settings_file, override, target, index, jobs, catalogs
                )
                # Before the build replaces the state's flags with this index's.
                last_stale = dict(state.stale) if state is not None else None
                report = build_or_update(context, state_path, state, sources, checks)
                return with_translation_news(report, index, last_stale)


def with_translation_news(
    report: BuildReport, index: TranslationIndex, last_stale: dict[str, bool] | None
) -> BuildReport:
    """The report with the translations edits made outdated and the versions readers lack,
    each said in one line of the log, for the author to know (they stop no build).

    `last_stale`: the last build's stale flags (press.build.state); None when there is none.
    """
    outdated = tuple(
        lang_key
        for lang_key, stale in stale_flags(index).items()
        if stale and (last_stale is None or not last_stale.get(lang_key))
    )
    untranslated = tuple(index.untranslated(report.languages))
    if outdated:
        logger.info(
            "Outdated by an edit of their source (invoke translations.diff shows what changed): %s",
            ", ".join(outdated),
        )
    waiting = [lang_key for lang_key in untranslated if index.has_version(lang_key)]
    missing = [lang_key for lang_key in untranslated if lang_key not in waiting]
    if missing:
        logger.info("Not translated yet (no translation): %s", ", ".join(missing))
    if waiting:
        logger.info(
            "Translated, not published until approved (invoke translations.status says why): %s",
            ", ".join(waiting),
        )
    return replace(report, outdated=outdated, untranslated=untranslated)


@contextmanager
def _fewer_collections():
    """A longer first generation while building: the build makes many short-lived objects."""
    # The caller's own setting comes back afterwards (make serve runs many builds).
    threshold = gc.get_threshold()
    gc.set_threshold(20_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def read_settings(settings_file, override=None) -> Settings:
    """The settings (press.core.settings.load_settings); BuildError when they have problems."""
    try:
        return load_settings(settings_file, override)
    except SettingsError as exc:
        raise BuildError(exc.problems) from None


def prepare(settings_file, override=None) -> tuple[Settings, Compiled]:
    """The settings, once the languages, the private names list and the catalogs are sound,
    and the catalogs compiled in memory for this build's runs."""
    settings = read_settings(settings_file, override)
    if problems := check_languages(settings):
        raise BuildError(problems)
    try:
        PrivateNames.from_environment(PROJECT_ROOT)  # read by the checks and gates themselves
    except PrivateNamesError as exc:
        raise BuildError([str(exc)]) from None
    try:
        # The theme's msgids are compared with the catalogs by check_site.
        # A broken pseudonym list leaves names unjudged here; check_site reports it.
        # In memory: another build or `invoke i18n.compile` may be at work in locale/ now.
        names, _ = agreed_names(settings)
        catalogs = compile_all(
            Path(settings["I18N_CATALOG_PATH"]),
            settings["I18N_LANGUAGES"],
            settings["I18N_MSGID_LANG"],
            names=names,
        )
    except Exception as exc:
        raise _input_error(settings, exc) from exc
    return settings, catalogs


def read_index(settings: Settings, known=None, fingerprints=None) -> TranslationIndex:
    """The translation index of the content (press.translations.index); BuildError if broken."""
    try:
        now = embargo_clock(settings)
    except ValueError as exc:
        raise BuildError([str(exc)]) from None
    try:
        return index_of(settings, known, now, fingerprints)
    except Exception as exc:
        raise _input_error(settings, exc) from exc


def _input_error(settings: dict, exc: Exception) -> BuildError:
    """A broken catalog or source: check_site names each problem with its file and line."""
    problems = [str(problem) for problem in check_site(settings, render_html=False)]
    if isinstance(exc, CatalogError):
        problems += [str(p) for p in exc.problems if str(p) not in problems]
    return BuildError(problems or [f"{type(exc).__name__}: {exc}"])


def incremental(settings: Settings) -> bool:
    """Whether a build may update its output instead of building it all again."""
    return bool(
        settings["INCREMENTAL_BUILD"]
        and settings["CACHE_CONTENT"]
        and settings["LOAD_CONTENT_CACHE"]
    )


def build_or_update(
    context: BuildContext,
    state_path: Path,
    state: BuildState | None,
    sources: dict | None,
    checks: StartedChecks | None = None,
) -> BuildReport:
    """Update the output when the state allows it, else build it all; save the new state.

    `sources`: their fingerprints, None when there is no state to compare them with;
    `checks`: the content checks, when the build started them (a full build).
    """
    settings, target, index = context.settings, context.target, context.index
    inputs = inputs_fingerprint(settings, context.settings_file)
    plan = plan_update(state, target, inputs, sources, index) if sources is not None else None
    report = None
    if plan is not None and (written := update_output(context, plan, state, sources)) is not None:
        report = BuildReport(
            target, "update", tuple(settings["I18N_LANGUAGES"]), tuple(written),
            len(state.files), tuple(plan.changed),
        )  # fmt: skip
    if report is None:
        # A new state for the full build, so a crash in between never leaves an old one.
        state_path.unlink(missing_ok=True)
        fragments, listing_facts = {}, {}

        def fingerprint():
            # Without a state, the fingerprints (which read every source) wait until now.
            nonlocal sources
            if sources is None:
                sources = source_fingerprints(Path(settings["PATH"]), settings["I18N_LANGUAGES"])

        report = build_all(context, fragments, listing_facts, meanwhile=fingerprint, checks=checks)
        state = BuildState(
            output=str(target),
            inputs=inputs,
            sources=sources,
            stale=stale_flags(index),
            listing_facts=listing_facts,
            files=file_stamps(target),
            fragment_links=fragments,
            headers=index.headers,
            fingerprints=saved_fingerprints(index),
            embargoes=embargoes(index),
            visibility=visibility(index),
        )
    save_state(state_path, state)
    return report


def build_all(
    context: BuildContext, fragments: dict | None = None, listing_facts: dict | None = None,
    meanwhile=None, checks: StartedChecks | None = None,
) -> BuildReport:  # fmt: skip
    """Build everything into a staging folder and put it in place of the output in one rename.

    `fragments` receives the pages' links to elements of other pages, `listing_facts` every
    run's listing facts (press.rendering.incremental); `meanwhile` is called while the
    languages render; `checks`: the content checks, when the build started them already
    (else they run here, while the languages render).
    """
    settings, target, index = context.settings, context.target, context.index
    languages = settings["I18N_LANGUAGES"]
    staging = new_folder(target, "new")
    try:
        overrides = context.overrides(staging, languages)
        pool, results = start_runs(str(context.settings_file), overrides, context.jobs)
        # While the languages render, on whatever core their runs leave: the content checks
        # (on a problem, the runs are stopped and their work thrown away), then the files
        # all languages share.
        try:
            # The runs check the HTML they render (plugins/markup_allowlist).
            found = check_site(settings, render_html=False) if checks is None else checks.problems()
            if problems := [str(p) for p in found]:
                raise BuildError(problems)
            write_shared_files(settings, context.run_for[settings["DEFAULT_LANG"]], staging)
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            pool.terminate()
            raise
        problems, done = finish_runs(pool, results)
        if problems:
            raise BuildError(problems)
        # The sitemap lists the pages the runs wrote, as each listed its folder for the gates.
        reports = {lang: run.report for lang, run in done.items()}
        shared_pages = context.run_for[settings["DEFAULT_LANG"]].shared_pages
        files = [name for report in reports.values() for name in report.files]
        write_publishing_files(settings, index, shared_pages, staging, files)
        if problems := check_output(staging, settings, index, fragments=fragments, reports=reports):
            raise BuildError(map(str, from_sources(problems, index, Path(settings["PATH"]))))
        written = file_names(staging)
        replace_output(target, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pages = {lang: dict(index.written_counts(lang)) for lang in languages}
    logger.info(
        "Built %s into %s",
        ", ".join(f"{lang} ({_pages_said(pages[lang])})" for lang in languages),
        target,
    )
    if listing_facts is not None:
        listing_facts.update((lang, run.listing_facts) for lang, run in done.items())
    return BuildReport(target, "full", tuple(languages), tuple(written), len(written), pages=pages)


def _pages_said(counts: dict[str, int]) -> str:
    """A language's pages in words: "4 articles, 1 page, 1 hidden"."""
    said = [
        f"{counts.get(kind, 0)} {kind}{'' if counts.get(kind, 0) == 1 else 's'}"
        for kind in ("article", "page")
    ]
    if counts.get("hidden"):
        said.append(f"{counts['hidden']} hidden")
    return ", ".join(said)
