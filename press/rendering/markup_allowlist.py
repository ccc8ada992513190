"""Refuse every article and page whose HTML (body, formatted fields) is outside the allowlist.

The check runs on the HTML Pelican's reader made, when the content object is created: a
refused source raises, so Pelican does not write it, and the build reports its
problems (press.safety.content.take_refusals). An article read from the content cache
whose HTML passed in the last run is not checked again (press.rendering.memo).
"""

from pathlib import Path

from pelican.contents import Article, Page

from press.core.sources import read_source
from press.rendering.memo import RunMemo, digest
from press.safety.content import html_problems, refuse


def check_rendered_html(instance):
    """Refuse `instance` when its HTML holds anything outside the allowlist."""
    if not isinstance(instance, (Article, Page)):
        return
    path = Path(instance.source_path)
    siteurl = instance.settings["SITEURL"]
    # Pelican keeps the reader's HTML, before its {static} and {filename} links are
    # resolved, as _content; metadata fields listed in FORMATTED_FIELDS are HTML too.
    fragments = [instance._content or ""] + [
        instance.metadata[name]
        for name in instance.settings["FORMATTED_FIELDS"]
        if isinstance(instance.metadata.get(name), str)
    ]
    intrasite = instance._get_intrasite_link_regex()
    # The verdict depends on the HTML, the site's address and the link pattern alone (and
    # the code, which keys the cache folder): a cached article that passed before passes.
    key = digest(siteurl, intrasite.pattern, *fragments)
    if _PASSED.get(key):
        return
    if not any(html_problems(path, "", fragment, siteurl, intrasite) for fragment in fragments):
        _PASSED.put(key, True)  # only passes are kept: a refusal is judged again every run
    else:
        # Read again only to name the lines: most sources have nothing to report.
        source = read_source(path)
        refuse(
            [
                problem
                for fragment in fragments
                for problem in html_problems(path, source, fragment, siteurl, intrasite)
            ]
        )


_PASSED = RunMemo("markup-allowlist")


def load_memo(pelican):
    """Start a run with the verdicts of the last one."""
    _PASSED.load(pelican.settings)


def save_memo(pelican):
    """Keep the verdicts this run used for the next."""
    _PASSED.save()
