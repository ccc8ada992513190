"""The content check: an article's HTML, as Markdown rendered it, holds only CONTENT.

What is checked is Markdown's output, not its input: whatever a code span, a comment, an
attribute list or a reference link does to the source, the check sees the HTML a browser
will get, parsed as the browser will parse it. Each finding is reported at the line of the
source where its text stands.
"""

from pathlib import Path

from press.core.problems import Problem

from .markup import CONTENT, findings, parse
from .published import locate
from .urls import site_base


class UnsafeContent(Exception):
    """A source whose HTML is outside the allowlist; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def html_problems(path: Path, source: str, html: str, siteurl: str) -> list[Problem]:
    """Problems of the HTML `html` rendered from the Markdown `source` of the file `path`."""
    tree = parse(f"<!DOCTYPE html><body>{html}")
    found = findings(tree, CONTENT, site_base(siteurl), fragment=True)
    if not found:
        return []
    return sorted(
        {
            Problem.at(path, locate(source, finding.needles) or 1, finding.message)
            for finding in found
        }
    )


# Pelican logs an exception of a reader without the exception itself (but with DEBUG), so
# the refusals of a run wait here until the build collects them (take_refusals).
_refusals: list[Problem] = []


def refuse(problems: list[Problem]) -> None:
    """Keep a source's problems for the build and stop Pelican from using (or caching) it."""
    _refusals.extend(problems)
    raise UnsafeContent(problems)


def take_refusals() -> list[Problem]:
    """The problems refused since the last call, in this process."""
    taken = sorted(set(_refusals))
    _refusals.clear()
    return taken
