"""`invoke review`: a site for reviewers, never for readers.

It holds the whole site with every translation whatever its review state (behind a banner,
with noindex), a dashboard of every translation's state, and for each translation a page
with source and translation side by side, block by block. Blocks of the source changed since
the last approval (the Approved-* record a re-sync keeps, or else the sync record) are
highlighted, their changed words marked, so a re-sync does not hide what a reviewer has to
look at; QA findings stand beside the block they concern. Links between sources
({filename}, {static}) lead to the review copy's pages and images.
"""

import logging
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import markdown
from jinja2 import FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from press.build.pipeline import build, read_settings
from press.checks.content import waiting
from press.core.sources import (
    MARKDOWN_EXTENSIONS,
    REVIEW_STATES,
    Block,
    read_source,
    source_language,
    sources_by_key,
    translatable_blocks,
)
from press.rendering.multilingual import (
    ConfinedLoader,
    sandboxed,
    template_roots,
    text_direction,
)
from press.review.diff import SINCE_APPROVAL, compare, mark_html
from press.review.glossary import load_glossaries
from press.review.qa import qa_pair
from press.review.status import Cell, catalog_status, content_status
from press.review.status import Row as StatusRow
from press.safety.content import intrasite_pattern
from press.translations.index import TranslationIndex, index_of

logger = logging.getLogger(__name__)


@dataclass
class Row:
    """One aligned pair of blocks, with what a reviewer should look at.

    `change`: how the source block changed since the version the page compares with
    ("changed", "added", "removed"; "" when it did not, "unsynced" when there is no
    version to compare with). `source_html` shows the source block as it is now, its
    changed words marked (<del>/<ins>); `target_html` the translation's block.
    """

    source: Block | None
    target: Block | None
    change: str = ""
    source_html: Markup = field(default_factory=Markup)
    target_html: Markup = field(default_factory=Markup)
    findings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the source block is highlighted as changed."""
        return bool(self.change)


@dataclass(frozen=True)
class Baseline:
    """What a translation's page compares the source with, in words for the page."""

    source_name: str  # the source's path inside the content folder
    since: str  # SINCE_APPROVAL, SINCE_SYNC, or "" (never synced)
    digest: str  # the recorded fingerprint's digest
    commit: str  # the commit holding that version ("" when history lacks it)
    date: str
    changes: int  # blocks added, changed or removed since


def render_block(block: Block | None, renderer: markdown.Markdown) -> str:
    """A block as HTML, as the site would show it; metadata fields as plain text."""
    if block is None:
        return ""
    if block.label:
        return f"<p><b>{escape(block.label.title())}:</b> {escape(block.text)}</p>"
    renderer.reset()
    # Content was checked before: raw HTML in it is the small allowed set.
    return renderer.convert(block.text)


class Links:
    """Pelican's {filename} and {static} links of a source, resolved to the review site's
    own pages and files (relative to a page of the review site), as Pelican would resolve
    them in the site: a path from the content folder ("/images/x.jpg") or from the folder of
    the source that holds it ("../pages/about.md"). A link whose target the review build
    did not write is left leading nowhere (#unresolved) and reported.
    """

    def __init__(self, settings: dict, output: Path, index: TranslationIndex):
        self.pattern = intrasite_pattern(settings)
        self.output = output
        self.index = index
        self.languages = tuple(settings["I18N_LANGUAGES"])

    def target(self, what: str, path: str, page_lang: str = "") -> str | None:
        """The file of the review site a link to `path` (inside the content folder) opens,
        from a page in `page_lang`: a {filename} link to a version that language lacks leads
        to another language's, as in the site (TranslationIndex.link_version)."""
        lang, _, inside = path.partition("/")
        if what in ("filename", "static", "attach"):
            key, extension = posixpath.splitext(inside)
            version = self.index.versions(key).get(lang) if lang in self.languages else None
            if what == "filename" and page_lang in self.languages:
                version = self.index.link_version(page_lang, path, self.languages) or version
            if version is not None:
                lang = version.lang
            if extension in MARKDOWN_EXTENSIONS and version is not None:
                found = f"site/{lang}/{version.page}"
            else:
                found = f"site/{path}"  # images and files, shared by every language
        elif what == "index" and lang in self.languages:
            found = f"site/{lang}/index.html"
        else:
            return None
        return found if (self.output / found).is_file() else None

    def resolve(self, html: str, source_name: str, root: str, problems: list[str]) -> str:
        """`html` of a block of `source_name` with its intrasite links resolved for a page
        at `root` (its way back to the review site's top); unresolved ones in `problems`."""

        def replace(match: re.Match) -> str:
            what, value = match["what"], urlsplit(unescape(match["value"]))
            path = unquote(value.path)
            if what == "index":
                path = source_name  # its language's home
            elif path.startswith("/"):
                path = path[1:]
            else:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(source_name), path))
            found = self.target(what, path, source_name.partition("/")[0])
            if found is None:
                problems.append(
                    f"link to {value.path}: no such page or file in the review build"
                    if what in ("filename", "static", "attach")
                    else f"a link to a {what} page, which this page does not resolve"
                )
                url = "#unresolved"
            else:
                url = urlunsplit(("", "", root + quote(found), value.query, value.fragment))
            return f"{match['markup']}{match['quote']}{escape(url)}{match['quote']}"

        return self.pattern.sub(replace, html)


def pair_rows(
    translation: Path, content: Path, glossary, render, links: Links, root: str
) -> tuple[list[Row], Baseline]:
    """Source and translation blocks side by side, with the source's changes since the last
    approval (or, without an Approved-* record, since the sync) marked, word by word where
    the old wording is in git history, and QA findings beside the block they concern."""
    comparison = compare(translation, content, since=SINCE_APPROVAL)
    source_name = comparison.source_name
    target_name = _relative(translation, content)
    target_blocks = translatable_blocks(read_source(translation))
    rows: list[Row] = []
    used = 0

    def html(block, name, problems):
        return links.resolve(render(block), name, root, problems) if block else ""

    for change in comparison.blocks:
        # The translation follows the recorded version, block by block: its block at the
        # position of the recorded one (never synced: of the current one) corresponds.
        target = None
        paired = comparison.recorded is None or change.kind != "added"
        if paired and change.position < len(target_blocks):
            target = target_blocks[change.position]
            used = change.position + 1
        row = Row(change.new or change.old, target)
        if comparison.recorded is None:
            row.change = "unsynced"
        elif change.kind != "same":
            row.change = change.kind
        new = html(change.new, source_name, row.findings)
        if change.kind == "changed" and change.old is not None:
            new = mark_html(html(change.old, source_name, []), new)
        elif change.kind == "removed":
            old = html(change.old, source_name, row.findings) or (
                "<p>(its wording is not in this clone's git history)</p>"
            )
            new = f'<del class="block block--removed">{old}</del>'
        elif change.kind == "added" and comparison.recorded is not None:
            new = f'<ins class="block block--added">{new}</ins>'
        row.source_html = Markup(new)
        row.target_html = Markup(html(target, target_name, row.findings))
        rows.append(row)
    for target in target_blocks[used:]:
        row = Row(None, target)
        row.target_html = Markup(html(target, target_name, row.findings))
        rows.append(row)
    source_lang = source_language(source_name)
    by_line = {row.target.line: row for row in rows if row.target}
    for problem in qa_pair(content / source_name, translation, glossary, source_lang):
        row = by_line.get(problem.line) or rows[0]
        row.findings.append(problem.message)
    version = comparison.version
    baseline = Baseline(
        source_name,
        comparison.since,
        comparison.recorded.digest if comparison.recorded else "",
        version.commit[:10] if version else "",
        version.date if version else "",
        len(comparison.changes) if comparison.recorded else 0,
    )
    return rows, baseline


def _relative(path: Path, content: Path) -> str:
    return path.resolve().relative_to(content.resolve()).as_posix()


# How a dashboard cell reads at a glance: "ok" only for an approved translation that is up to
# date, synced and free of QA findings; anything a release would wait for is a warning.
def cell_tone(cell: Cell) -> str:
    """The dashboard's tone of one cell: source, ok, progress, or warning."""
    if cell.state == "source":
        return "source"
    if cell.state == "missing" or cell.freshness in ("outdated", "not synced") or cell.qa_findings:
        return "warning"
    return "ok" if cell.state == "approved" else "progress"


def language_summaries(rows: list[StatusRow], languages) -> list[dict]:
    """Per language: its translations, how many are approved and up to date, the count of
    each state, and of each warning.

    Computed from the status rows; it belongs with press.review.status once status() reports
    progress itself, and the dashboard template reads the same keys.
    """
    summaries = []
    for lang in languages:
        cells = [row.languages[lang] for row in rows if lang in row.languages]
        translations = [cell for cell in cells if cell.state != "source"]
        done = sum(
            cell.state == "approved" and cell.freshness == "up to date" for cell in translations
        )
        summaries.append(
            {
                "lang": lang,
                "sources": len(cells) - len(translations),
                "translations": len(translations),
                "done": done,
                "percent": round(100 * done / len(translations)) if translations else 100,
                "counts": {
                    state: sum(cell.state == state for cell in translations)
                    for state in ("missing", *REVIEW_STATES)
                },
                "warnings": {
                    "outdated": sum(cell.freshness == "outdated" for cell in translations),
                    "not synced": sum(
                        cell.freshness == "not synced" and cell.state != "missing"
                        for cell in translations
                    ),
                    "QA-flagged": sum(bool(cell.qa_findings) for cell in translations),
                },
            }
        )
    return summaries


def build_review(settings_file: Path, output: Path, jobs=None, override=None) -> Path:
    """Build the review site into `output`: site/, the dashboard and one page per translation.

    The review copy of the site shows every translation and every embargoed article; the
    dashboard lists the embargoed ones with their dates. `override`: settings on top of
    the file's (tests).
    """
    override = dict(override or {})
    settings = read_settings(settings_file, override)
    if output.exists():
        shutil.rmtree(output)
    build(
        settings_file,
        output=output / "site",
        jobs=jobs,
        override={
            **override,
            "I18N_PUBLISH_REVIEW_STATES": list(REVIEW_STATES),
            "REVIEW_BUILD": True,
        },
    )
    pages = write_review_pages(settings, output)
    logger.info("Review site with %d side-by-side pages in %s", pages, output)
    return output


def write_review_pages(settings: dict, output: Path) -> int:
    """Write the dashboard and a page per translation into `output`, beside the review copy
    of the site already built in output/site (their links lead into it); return how many
    translation pages were written."""
    env = sandboxed(
        ConfinedLoader(
            FileSystemLoader(str(Path(settings["THEME"]) / "templates")), template_roots(settings)
        ),
        {"autoescape": True, "undefined": StrictUndefined, "trim_blocks": True,
         "lstrip_blocks": True},
    )  # fmt: skip
    # Each column of a pair in its language's direction: an Arabic translation reads right to left.
    env.filters["text_direction"] = text_direction
    md = settings["MARKDOWN"]
    renderer = markdown.Markdown(
        extensions=list(md["extension_configs"]),
        extension_configs=md["extension_configs"],
        output_format=md.get("output_format", "html5"),
    )
    content = Path(settings["PATH"])
    glossaries = load_glossaries(settings)
    links = Links(settings, output, index_of(settings))
    rows = content_status(settings)
    sources = sources_by_key(settings)
    pages = []
    for row in rows:
        for lang, cell in row.languages.items():
            if cell.state in ("source", "missing"):
                continue
            translation = sources[row.key][lang]
            name = f"pairs/{lang}/{row.key}.html"
            root = "../" * name.count("/")
            pair, baseline = pair_rows(
                translation, content, glossaries[lang], lambda block: render_block(block, renderer),
                links, root,
            )  # fmt: skip
            html = env.get_template("review/pair.html").render(
                key=row.key, lang=lang, cell=cell, source_name=baseline.source_name, rows=pair,
                baseline=baseline, root=root,
            )  # fmt: skip
            target = output / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages.append((row.key, lang, name, sum(len(r.findings) for r in pair)))
    findings = {(key, lang): (name, count) for key, lang, name, count in pages}
    languages = list(settings["I18N_LANGUAGES"])
    html = env.get_template("review/dashboard.html").render(
        rows=rows,
        languages=languages,
        summaries=language_summaries(rows, languages),
        tone=cell_tone,
        catalogs=catalog_status(settings),
        findings=findings,
        embargoes=waiting(settings),
        root="",
    )
    (output / "index.html").write_text(html, encoding="utf-8")
    (output / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    shutil.copyfile(Path(settings["THEME"]) / "review" / "review.css", output / "review.css")
    return len(pages)
