"""`invoke review`: a site for reviewers, never for readers.

It holds the whole site with every translation whatever its review state (behind a banner,
with noindex), a dashboard of every translation's state, and for each translation a page
with source and translation side by side, block by block: blocks of the source changed
since the last sync are highlighted, and QA findings stand beside the block they concern.
"""

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from jinja2 import FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from press.build.pipeline import build, read_settings
from press.checks.content import waiting
from press.core.sources import (
    REVIEW_STATES,
    Block,
    Fingerprint,
    read_source,
    source_language,
    sources_by_key,
    split_file,
    translatable_blocks,
)
from press.rendering.multilingual import ConfinedLoader, sandboxed, template_roots
from press.review.glossary import load_glossaries
from press.review.qa import kind_of, qa_pair
from press.review.status import catalog_status, content_status

logger = logging.getLogger(__name__)


@dataclass
class Row:
    """One aligned pair of blocks, with what a reviewer should look at."""

    source: Block | None
    target: Block | None
    changed: bool = False
    findings: list[str] = field(default_factory=list)


def render_block(block: Block | None, renderer: markdown.Markdown) -> Markup:
    """A block as HTML, as the site would show it; metadata fields as plain text."""
    if block is None:
        return Markup("")
    if block.label:
        return Markup(f"<p><b>{escape(block.label.title())}:</b> {escape(block.text)}</p>")
    renderer.reset()
    # Content was checked before: raw HTML in it is the small allowed set.
    return Markup(renderer.convert(block.text))


def pair_rows(source: Path, translation: Path, glossary, source_lang: str) -> list[Row]:
    """Source and translation blocks side by side, with changes and QA findings marked."""
    source_blocks = translatable_blocks(read_source(source))
    target_blocks = translatable_blocks(read_source(translation))
    fields, _ = split_file(read_source(translation))
    recorded = Fingerprint.recorded(fields)
    synced = set(recorded.paragraphs) if recorded else set()
    findings = qa_pair(source, translation, glossary, source_lang)
    rows = []
    aligned = True
    for index in range(max(len(source_blocks), len(target_blocks))):
        src = source_blocks[index] if index < len(source_blocks) else None
        tgt = target_blocks[index] if index < len(target_blocks) else None
        if aligned and src and tgt and kind_of(src) != kind_of(tgt):
            aligned = False  # from here on, blocks no longer correspond one to one
        rows.append(Row(src, tgt, changed=bool(src) and src.fingerprint not in synced))
    by_line = {row.target.line: row for row in rows if row.target}
    for problem in findings:
        row = by_line.get(problem.line) or rows[0]
        row.findings.append(problem.message)
    return rows


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
    env = sandboxed(
        ConfinedLoader(
            FileSystemLoader(str(Path(settings["THEME"]) / "templates")), template_roots(settings)
        ),
        {"autoescape": True, "undefined": StrictUndefined, "trim_blocks": True,
         "lstrip_blocks": True},
    )  # fmt: skip
    md = settings["MARKDOWN"]
    renderer = markdown.Markdown(
        extensions=list(md["extension_configs"]),
        extension_configs=md["extension_configs"],
        output_format=md.get("output_format", "html5"),
    )
    env.filters["render"] = lambda block: render_block(block, renderer)
    content = Path(settings["PATH"])
    glossaries = load_glossaries(settings)
    rows = content_status(settings)
    sources = sources_by_key(settings)
    pages = []
    for row in rows:
        for lang, cell in row.languages.items():
            if cell.state in ("source", "missing"):
                continue
            translation = sources[row.key][lang]
            fields, _ = split_file(read_source(translation))
            source_name = fields["translation-of"][0]
            name = f"pairs/{lang}/{row.key}.html"
            source_lang = source_language(source_name)
            pair = pair_rows(content / source_name, translation, glossaries[lang], source_lang)
            depth = "../" * name.count("/")
            html = env.get_template("review/pair.html").render(
                key=row.key, lang=lang, cell=cell, source_name=source_name, rows=pair, root=depth
            )
            target = output / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages.append((row.key, lang, name, sum(len(r.findings) for r in pair)))
    findings = {(key, lang): (name, count) for key, lang, name, count in pages}
    html = env.get_template("review/dashboard.html").render(
        rows=rows,
        languages=list(settings["I18N_LANGUAGES"]),
        catalogs=catalog_status(settings),
        findings=findings,
        embargoes=waiting(settings),
        root="",
    )
    (output / "index.html").write_text(html, encoding="utf-8")
    (output / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    shutil.copyfile(Path(settings["THEME"]) / "review" / "review.css", output / "review.css")
    logger.info("Review site with %d side-by-side pages in %s", len(pages), output)
    return output
