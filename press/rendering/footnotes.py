"""The footnotes extension's words in the run's language: its back-link's title.

Python-Markdown writes "Jump back to footnote 1 in the text" into every page, whatever
its language, unless its footnotes extension is configured otherwise. Each language's run
gets the MARKDOWN settings with its catalog's text (press.build.runs), so the content
cache, keyed by MARKDOWN, is a new one whenever that text changes.
"""

from collections.abc import Callable

FOOTNOTES = "markdown.extensions.footnotes"
EXTRA = "markdown.extensions.extra"  # holds footnotes, configured by its sub-extension's name


def gettext(message: str) -> str:
    """Mark a message for extraction (babel.cfg); footnote_settings translates it."""
    return message


# The title of the link from a footnote back to where it is referred to in the text.
BACKLINK_TITLE = gettext("Back to the text (footnote %(number)s)")


def footnote_settings(markdown: dict, translate: Callable[[str], str]) -> dict:
    """Return MARKDOWN settings whose footnotes extension speaks the catalog's language."""
    # The extension formats its title with str.format: braces a translation holds are text.
    title = translate(BACKLINK_TITLE).replace("{", "{{").replace("}", "}}")
    words = {"BACKLINK_TITLE": title % {"number": "{}"}}
    configs = dict(markdown.get("extension_configs", {}))
    if EXTRA in configs and FOOTNOTES not in configs:
        extra = dict(configs[EXTRA])
        extra["footnotes"] = {**extra.get("footnotes", {}), **words}
        configs[EXTRA] = extra
    else:
        configs[FOOTNOTES] = {**configs.get(FOOTNOTES, {}), **words}
    return {**markdown, "extension_configs": configs}
