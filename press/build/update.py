"""The incremental update: only the pages that body edits changed are written again."""

import logging
import shutil

from press.build.errors import BuildError
from press.build.runs import BuildContext, finish_runs, start_runs
from press.build.shared import write_status_page
from press.build.staging import new_folder
from press.build.state import BuildState, Plan, file_stamps, saved_fingerprints, stale_flags
from press.checks.content import check_sources
from press.checks.gates import read_page
from press.checks.output import check_update

logger = logging.getLogger(__name__)


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
        for lang, run_override in overrides.items():
            run_override["INCREMENTAL_SELECTION"] = {
                "pages": sorted(plan.pages[lang]),
                "listing_facts": state.listing_facts.get(lang, {}),
            }
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
    return replaced
