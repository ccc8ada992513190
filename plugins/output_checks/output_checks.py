"""The last look at a build before it is published: nothing in it may expose anyone.

Run on the staging folder, so a failure leaves the previous output as it was.
"""

import getpass
import os
from pathlib import Path

from content_checks.problems import Problem
from media_privacy import IMAGE_EXTENSIONS, image_metadata

from .gates import (
    check_hosts,
    check_leftovers,
    check_links,
    check_pages_match_sources,
    check_xml,
    read_page,
    read_pages,
)


def machine_traces(settings: dict, staging: Path) -> dict[str, str]:
    """Strings that would reveal the build machine, each with what it is."""
    traces = {}
    for path, what in (
        (Path(settings["PATH"]).resolve().parent, "the project's folder on this machine"),
        (Path.home(), "this machine's home folder"),
        (staging.resolve(), "the build's own folder"),
    ):
        text = os.fspath(path)
        if len(text) > 1:
            traces[text] = what
    user = getpass.getuser()
    for pattern in (f"/home/{user}", f"/Users/{user}", f"\\Users\\{user}", f"{user}@"):
        traces.setdefault(pattern, "this machine's user name")
    return traces


def check_output(
    staging: Path,
    settings: dict,
    index=None,
    label: str = "output",
    pages=None,
    fragments=None,
    checked=(),
) -> list[Problem]:
    """Every gate on a staged build; an empty list means it may replace the published output.

    The build's workers read their language's pages and check their files for leaks in
    parallel: `pages` are the facts they read (read_page), by path in the build, and
    `checked` the folders whose leaks they checked. `fragments` receives the links to
    elements of other pages (gates.check_links).
    """
    problems = check_leaks(staging, settings, label, skip=checked)
    problems += check_leftovers(staging, label)
    if index is not None:
        problems += check_pages_match_sources(staging, settings, index, label)
    pages = read_pages(staging, known=pages)  # one parse of each page serves both gates
    problems += check_links(staging, settings, label, pages, fragments=fragments)
    problems += check_hosts(staging, settings, label, pages)
    problems += check_xml(staging, label)
    return problems


def check_update(
    staging: Path, settings: dict, target: Path, files, pages, fragments, checked=(), label="output"
) -> list[Problem]:
    """The gates on files written to update a finished build in `target`.

    `staging` holds only the new files; `files` is every file of the updated build; `pages`
    the facts of the new pages; `fragments` what every page of the build links to in
    other pages (gates.check_links), updated here for the new pages. The checks across the
    whole site (pages match sources, leftovers of the file set) passed when it was built,
    and see the same files. `checked`: the folders the workers checked for leaks.
    """
    problems = check_leaks(staging, settings, label, skip=checked)
    problems += check_leftovers(staging, label)
    found = {}
    problems += check_links(
        staging, settings, label, pages, files=files,
        read_more=lambda page: read_page(target / page), fragments=found,
    )  # fmt: skip
    problems += check_hosts(staging, settings, label, pages)
    problems += check_xml(staging, label)
    for page in pages:
        fragments.pop(page, None)
    for page, links in sorted(fragments.items()):
        for other, fragment in links:
            if other in pages and fragment not in pages[other].ids:
                problems.append(
                    Problem(f"{label}/{page}", 0, f"links to '#{fragment}' in {label}/{other}, "
                            "which no longer has an element with that id; fix the link or "
                            "keep the heading")
                )  # fmt: skip
    fragments.update(found)
    return problems


def check_leaks(
    staging: Path, settings: dict, label: str = "output", folder: str = "", skip=()
) -> list[Problem]:
    """Re-read every published file: no image metadata, no path or user of this machine.

    `folder`: only the files in that folder of the build; `skip`: not those in these
    folders (the build's workers check their own language's folder, in parallel).
    """
    traces = machine_traces(settings, staging)
    problems = []
    for path in sorted((staging / folder).rglob("*")):
        if not path.is_file() or path.relative_to(staging).parts[0] in skip:
            continue
        shown = f"{label}/{path.relative_to(staging).as_posix()}"
        if path.suffix.lower() in IMAGE_EXTENSIONS:
            if left := image_metadata(path):
                problems.append(
                    Problem(shown, 0, f"still carries {', '.join(left)} after cleaning; "
                            "do not publish: report this as a bug")
                )  # fmt: skip
            continue
        data = path.read_bytes()
        for trace, what in traces.items():
            index = data.find(trace.encode("utf-8"))
            if index >= 0:
                line = data.count(b"\n", 0, index) + 1
                problems.append(
                    Problem(
                        shown,
                        line,
                        f"contains {what} ({trace}); something wrote an absolute path into "
                        "the page: use paths relative to the repository",
                    )
                )
    return problems
