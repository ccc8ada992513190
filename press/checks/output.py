"""The last look at a build before it is published: nothing in it may expose anyone.

Run on the staging folder, so a failure leaves the previous output as it was.
"""

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path

from press import PROJECT_ROOT
from press.checks.gates import (
    Link,
    check_foreign_links,
    check_links,
    check_pages_match_sources,
    check_xml,
    list_files,
    page_facts,
    read_page,
)
from press.core.files import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS
from press.core.problems import Problem
from press.core.settings import onion_location_of
from press.safety import published
from press.safety.headers import meta_policy
from press.safety.markup import parse
from press.safety.media import image_metadata
from press.safety.private_names import IN_DOCUMENT, PrivateNames
from press.safety.urls import site_base


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


@dataclass
class FolderReport:
    """What the gates found in one folder of a build, checked by itself (check_folder)."""

    problems: list[Problem]
    files: list[str]  # every file of the folder, by its path inside the build
    foreign: list[Link]  # links out of the folder, for the build to check against all of it
    fragments: dict  # page -> {(other page, id)}: its links to elements of other pages


def check_folder(staging: Path, folder: str, settings: dict, label="output") -> FolderReport:
    """The gates a language's worker runs on its own folder while the others are built.

    Leaks, XML, other hosts, and links as far as they stay inside the folder; the links
    that leave it are returned for check_output, which sees the whole build.
    """
    files = list_files(staging, folder)
    pages = {}  # parsed from the bytes the leak gate reads: each file is read once
    problems = check_leaks(staging, settings, label, files, pages=pages)
    problems += check_xml(staging, label, files)
    foreign, fragments = [], {}
    problems += check_links(
        staging, settings, label, pages, files=files, fragments=fragments,
        within=folder, foreign=foreign,
    )  # fmt: skip
    return FolderReport(problems, files, foreign, fragments)


def check_output(
    staging: Path,
    settings: dict,
    index=None,
    label: str = "output",
    fragments: dict | None = None,
    reports: dict[str, FolderReport] | None = None,
) -> list[Problem]:
    """Every gate on a staged build; an empty list means it may replace the published output.

    `reports`: folders the build's workers checked by themselves (check_folder), by name;
    the links leaving them are checked here. `fragments` receives every page's links to
    elements of other pages (gates.check_links).
    """
    reports = reports or {}
    rest = list_files(staging, skip=set(reports))  # what no worker checked
    files = sorted(rest + [name for report in reports.values() for name in report.files])
    file_set = set(files)
    problems = [problem for report in reports.values() for problem in report.problems]
    pages = {}  # one read and one parse of each page serves the leak, link and host gates
    problems += check_leaks(staging, settings, label, rest, pages=pages)
    if index is not None:
        problems += check_pages_match_sources(staging, settings, index, label, files)
    found = {}
    read_more = lambda page: read_page(staging / page)  # noqa: E731
    problems += check_links(staging, settings, label, pages, files=file_set, fragments=found,
                            read_more=read_more)  # fmt: skip
    foreign = [link for report in reports.values() for link in report.foreign]
    problems += check_foreign_links(staging, foreign, file_set, label, read_more, fragments=found)
    problems += check_xml(staging, label, rest)
    if fragments is not None:
        for report in reports.values():
            for page, links in report.fragments.items():
                found.setdefault(page, set()).update(links)
        fragments.update(found)
    return problems


def check_update(
    staging: Path, settings: dict, target: Path, files, pages, fragments, checked=(), label="output"
) -> list[Problem]:
    """The gates on files written to update a finished build in `target`.

    `staging` holds only the new files; `files` is every file of the updated build; `pages`
    the facts of the new pages; `fragments` what every page of the build links to in
    other pages (gates.check_links), updated here for the new pages. The checks across the
    whole site (pages match sources) passed when it was built,
    and see the same files. `checked`: the folders the workers checked for leaks.
    """
    written = list_files(staging)
    unchecked = [name for name in written if name.split("/", 1)[0] not in checked]
    problems = check_leaks(staging, settings, label, unchecked)
    found = {}
    problems += check_links(
        staging, settings, label, pages, files=files,
        read_more=lambda page: read_page(target / page), fragments=found,
    )  # fmt: skip
    problems += check_xml(staging, label, written)
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


def published_site(settings: dict) -> published.Site:
    """What the last gate needs to know of the site `settings` build."""
    return published.Site(
        base=site_base(settings.get("SITEURL", "")),
        content_security_policy=meta_policy(settings.get("CONTENT_SECURITY_POLICY", "")),
        names=PrivateNames.from_environment(PROJECT_ROOT),
        onion_location=onion_location_of(settings),
    )


def check_published(output: Path, settings: dict, label: str = "output") -> list[Problem]:
    """The last gate again over a finished build, as it is about to be deployed: a list of
    private names or a rule changed since it was built must still stop it."""
    return check_leaks(output, settings, label)


def check_leaks(
    staging: Path, settings: dict, label: str = "output", files=None, pages: dict | None = None
) -> list[Problem]:
    """Re-read the published files: only allowed kinds and markup (press.safety.published),
    no image or PDF metadata, no name of the private list, no path or user of this machine.

    `files`: only these, by their paths inside the build. `pages`, when given, receives the
    facts of each HTML page (gates.page_facts) for the other gates, from the same read.
    """
    traces = {
        trace.encode("utf-8"): (trace, what)
        for trace, what in machine_traces(settings, staging).items()
    }
    site = published_site(settings)
    problems = []
    for name in list_files(staging) if files is None else files:
        path = staging / name
        shown = f"{label}/{name}"
        if path.suffix.lower() in IMAGE_EXTENSIONS:
            problems += [
                Problem(shown, line, message)
                for line, message in published.problems(name, b"", site)
            ]
            if left := image_metadata(path):
                problems.append(_not_clean(shown, left))
            continue
        if path.suffix.lower() in DOCUMENT_EXTENSIONS:
            # Imported here: only builds with documents need pikepdf loaded.
            from press.safety.documents import document_text, published_document_problems

            if left := published_document_problems(path):
                problems.append(_not_clean(shown, left))
            if site.names is not None:
                problems += [
                    Problem(shown, 0, IN_DOCUMENT.format(entry))
                    for entry in site.names.entries_in(document_text(path))
                ]
        data = path.read_bytes()
        # One parse of a page, as browsers parse it, serves the last gate and the link gates.
        tree = parse(data) if name.endswith(".html") else None
        problems += [
            Problem(shown, line, message)
            for line, message in published.problems(name, data, site, tree)
        ]
        if pages is not None and tree is not None:
            pages[name] = page_facts(tree)
        for encoded, (trace, what) in traces.items():
            index = data.find(encoded)
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


def _not_clean(shown: str, left) -> Problem:
    """A published image or document that still carries what cleaning removes."""
    return Problem(
        shown,
        0,
        f"still carries {', '.join(left)} after cleaning; do not publish: report this as a bug",
    )


def from_sources(problems: list[Problem], index, content: Path, label: str = "output") -> list:
    """Problems of an article's or page's output file told at the line of its source where
    the value they quote ('...') stands, naming the output line too; the rest as they are."""
    sources = {
        f"{label}/{version.lang}/{version.page}": version.source
        for _key, versions in index
        for version in versions.values()
        if version.written
    }
    told = []
    for problem in problems:
        source = sources.get(problem.path)
        quoted = _QUOTED.search(problem.message) if source else None
        line = 0
        if quoted:
            text = (content / source).read_text(encoding="utf-8", errors="replace")
            line = published.locate(text, (quoted.group(1),))
        if not line:
            told.append(problem)
            continue
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        told.append(
            Problem.at(content / source, line, f"{problem.message} (in {where})", problem.kind)
        )
    return told


_QUOTED = re.compile(r"'([^']{2,})'")
