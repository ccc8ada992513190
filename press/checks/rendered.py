"""The allowlist check of `invoke check` on the HTML each source renders to.

The build checks the HTML its Pelican runs render (plugins/markup_allowlist); `invoke check`
renders every source with the same reader and settings, so it reports the same problems
before anything is built.
"""

from pathlib import Path

from press.core.problems import Problem
from press.core.sources import read_source
from press.rendering.shared_markdown import SharedMarkdownReader
from press.safety.content import html_problems, intrasite_pattern


class RenderedHtmlCheck:
    """Renders sources as the build's Markdown reader does and checks their HTML."""

    def __init__(self, settings: dict):
        self._reader = SharedMarkdownReader(settings)
        self._siteurl = settings["SITEURL"]
        self._intrasite = intrasite_pattern(settings)

    def __call__(self, path: Path, reported: bool) -> list[Problem]:
        """Problems of the HTML of `path`; `reported`: whether it has problems already."""
        try:
            html, _metadata = self._reader.read(str(path))
        except Exception as exc:  # Pelican's reader fails on what the other checks report
            if reported:
                return []
            return [
                Problem.at(path, None, f"Markdown could not render it ({type(exc).__name__}: "
                           f"{exc}); simplify the text around the last edit")
            ]  # fmt: skip
        source = read_source(path)
        return html_problems(path, source, html, self._siteurl, self._intrasite)
