"""The incremental update: only the pages that body edits changed are written again."""

import logging
import shutil
from pathlib import Path

from press.build.errors import BuildError
from press.build.runs import BuildContext, finish_runs, start_runs
from press.build.shared import write_status_page
from press.build.staging import new_folder
from press.build.state import BuildState, Plan, file_stamps, saved_fingerprints, stale_flags
from press.checks.content import check_sources
from press.checks.gates import read_page
from press.checks.output import check_update, from_sources
from press.translations.index import site_order

logger = logging.getLogger(__name__)

# Pelican's feeds of the newest articles of a language; and those of some of them, which an
# update can only write from every article.
NEWEST_ARTICLES_FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS")
SOME_ARTICLES_FEEDS = (
    "CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS", "TAG_FEED_ATOM", "TAG_FEED_RSS",
    "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "TRANSLATION_FEED_ATOM", "TRANSLATION_FEED_RSS",
)  # fmt: skip


def articles_to_read(settings: dict, index, lang: str, pages) -> list[str] | None:
    """The articles of `lang` an update's run must read to write `pages` and the feeds, by
    content path; None when only all of them will do.

    Those of the planned pages, and the newest FEED_MAX_ITEMS published ones that the
    language's feeds carry, chosen by the site's own ARTICLE_ORDER_BY from the index. None
    when a planned article is hidden (its page asks which tags and topics are listed), or a
    feed of some articles (by category, tag, author) or a sort Pelican alone can apply is
    set.
    """
    articles = [version for _key, versions in index if (version := versions.get(lang))
                and version.kind == "article"]  # fmt: skip
    planned = [version for version in articles if version.written and version.page in pages]
    if any(not version.published for version in planned):
        return None
    if any(settings.get(name) for name in SOME_ARTICLES_FEEDS):
        return None
    newest = []
    if any(settings.get(name) for name in NEWEST_ARTICLES_FEEDS):
        newest = newest_articles(settings, [v for v in articles if v.published])
        if newest is None:
            return None
    return sorted({version.source for version in planned} | set(newest)) or None


def newest_articles(settings: dict, published) -> list[str] | None:
    """The sources of the FEED_MAX_ITEMS first of `published` in the site's order, as Pelican
    sorts them for the feeds; None when only Pelican can sort them."""
    limit = settings.get("FEED_MAX_ITEMS")
    ordered = site_order(settings, published) if isinstance(limit, int) else None
    return None if ordered is None else [version.source for version in ordered[:limit]]


def update_output(
    context: BuildContext, plan: Plan, state: BuildState, sources: dict
) -> list[str] | None:
    """Write the planned pages again and put in place those whose bytes changed.

    Updates `state` to describe the output afterwards, and returns the files replaced;
    returns None, having changed nothing, when the runs wrote a file the output did not
    have (a full build is due).
    """
    settings, target = context.settings, context.target
    staging = new_folder(target, "update")
    try:
        overrides = context.overrides(staging, plan.pages)
        every_article = {lang: o["ARTICLE_PATHS"] for lang, o in overrides.items()}
        for lang, run_override in overrides.items():
            own = {**settings, **settings["I18N_LANGUAGES"][lang]}
            reads = articles_to_read(own, context.index, lang, plan.pages[lang])
            run_override["INCREMENTAL_SELECTION"] = {
                "pages": sorted(plan.pages[lang]),
                "listing_facts": state.listing_facts.get(lang, {}),
                "articles": reads,
            }
            if reads is not None:
                run_override["ARTICLE_PATHS"] = reads
        pool = results = None
        if overrides:
            pool, results = start_runs(str(context.settings_file), overrides, context.jobs)
        # While the languages render, on the cores their runs leave: the checks of the
        # edited sources (on a problem, the runs are stopped and their work thrown away),
        # then the status page, as an edit can make translations outdated (or up to date
        # again). It is written every time, and put in place only if its bytes differ.
        try:
            if problems := [str(problem) for problem in check_sources(settings, plan.changed)]:
                raise BuildError(problems)
            run = context.run_for[settings["DEFAULT_LANG"]]
            status = write_status_page(settings, run, staging)
        except BaseException:
            if pool is not None:
                pool.terminate()
            raise
        done = {}
        if pool is not None:
            problems, done = finish_runs(pool, results)
            if problems:
                raise BuildError(problems)
        if again := {lang: o for lang, o in overrides.items() if done[lang].needs_every_article}:
            # A listing to write after all: those languages again, reading every article.
            for lang, run_override in again.items():
                run_override["INCREMENTAL_SELECTION"]["articles"] = None
                run_override["ARTICLE_PATHS"] = every_article[lang]
            problems, rerun = finish_runs(
                *start_runs(str(context.settings_file), again, context.jobs)
            )
            if problems:
                raise BuildError(problems)
            done.update(rerun)
        pages = {page: facts for run in done.values() for page, facts in run.pages.items()}
        if status is not None:
            pages[status] = read_page(staging / status)
        written = file_stamps(staging)
        if not written.keys() <= state.files.keys():
            logger.info("The update wrote new files; building everything instead")
            return None
        files = set(state.files)
        fragments = state.fragment_links
        problems = [leak for run in done.values() for leak in run.leaks]
        problems += check_update(
            staging, settings, target, files, pages, fragments, checked=set(done)
        )
        if problems:
            problems = from_sources(problems, context.index, Path(settings["PATH"]))
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
    state.fingerprints = saved_fingerprints(context.index)
    state.stale = stale_flags(context.index)
    for lang, run in done.items():
        # A run that read some articles knows their facts; the others' are unchanged.
        reads = overrides[lang]["INCREMENTAL_SELECTION"]["articles"]
        known = state.listing_facts.get(lang, {}) if reads is not None else {}
        state.listing_facts[lang] = {**known, **run.listing_facts}
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
    return replaced
