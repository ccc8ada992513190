"""The state of every translation and catalog: what is missing, stale, unreviewed or fuzzy."""

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from press.checks.content import agreed_names
from press.core.problems import Kind, display_path
from press.core.sources import (
    Fingerprint,
    changed_paragraphs,
    read_header,
    review_of,
    source_changed,
    source_language,
    sources_by_key,
    status_of,
)
from press.review.glossary import load_glossaries
from press.review.qa import qa_pair
from press.translations.catalogs import obsolete, translated_catalogs, used_messages


@dataclass
class Cell:
    """One language's version of one article or page."""

    state: str  # source, missing, draft, review, approved
    path: str = ""
    freshness: str = ""  # translations: up to date, outdated, not synced
    changed_paragraphs: int = 0
    reviewer: str = ""
    qa_findings: int = 0

    def __str__(self) -> str:
        if self.state in ("source", "missing"):
            return self.state
        if self.freshness == "outdated":
            paragraphs = "paragraph" if self.changed_paragraphs == 1 else "paragraphs"
            text = f"{self.state}, outdated ({self.changed_paragraphs} {paragraphs} changed)"
        else:
            text = f"{self.state}, {self.freshness}"
        if self.qa_findings:
            text += f", {self.qa_findings} QA finding{'s' if self.qa_findings != 1 else ''}"
        return text

    @property
    def needs_work(self) -> bool:
        """Whether a release should wait for this version."""
        return self.state in ("missing", "draft", "review") or self.freshness in (
            "outdated",
            "not synced",
        )


@dataclass
class Row:
    """One article or page across every language."""

    key: str
    kind: str
    languages: dict[str, Cell] = field(default_factory=dict)


@dataclass
class CatalogState:
    """Counts of one language's interface catalog."""

    lang: str
    path: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def needs_work(self) -> bool:
        """Whether a release should wait for this catalog."""
        return bool(self.fuzzy or self.untranslated or self.obsolete or self.problems)


def translation_cell(path: Path, header: dict, content: Path) -> Cell:
    """The state of one translated file: its review state and how fresh it is."""
    review = review_of(header)
    if status_of(header) == "draft":
        review = "draft"
    cell = Cell(state=review, path=display_path(path), reviewer=header.get("reviewer", ""))
    recorded = Fingerprint.recorded(header)
    source = content / header.get("translation-of", "")
    if recorded is None or not source.is_file():
        cell.freshness = "not synced"
        return cell
    current = Fingerprint.of_file(source)
    if not source_changed(recorded, current):
        cell.freshness = "up to date"
    else:
        cell.freshness = "outdated"
        cell.changed_paragraphs = changed_paragraphs(recorded, current)
    return cell


def content_status(settings: dict) -> list[Row]:
    """A row per article and page, with every language's state and its QA finding count."""
    content = Path(settings["PATH"])
    glossaries = load_glossaries(settings)
    article_folders = tuple(f"{p}/" for p in settings["ARTICLE_PATHS"])
    rows = []
    for key, versions in sources_by_key(settings).items():
        row = Row(key, "article" if key.startswith(article_folders) else "page")
        for lang in settings["I18N_LANGUAGES"]:
            path = versions.get(lang)
            if path is None:
                row.languages[lang] = Cell("missing")
                continue
            header = read_header(path)
            if "translation-of" in header:
                cell = translation_cell(path, header, content)
                source = content / header["translation-of"]
                if source.is_file():
                    source_lang = source_language(header["translation-of"])
                    cell.qa_findings = len(qa_pair(source, path, glossaries[lang], source_lang))
                row.languages[lang] = cell
            else:
                row.languages[lang] = Cell("source", path=display_path(path))
        rows.append(row)
    return rows


def catalog_status(settings: dict) -> list[CatalogState]:
    """Translated, fuzzy, untranslated and obsolete counts of every catalog."""
    used = set(used_messages(settings))
    states = []
    names, _ = agreed_names(settings)  # a broken list is `invoke check`'s to report
    for lang, po_path, catalog, problems in translated_catalogs(settings, names):
        state = CatalogState(lang, display_path(po_path))
        # The catalog check makes one problem of each fuzzy or untranslated entry: those are
        # counted, every other problem is listed.
        kinds = Counter(p.kind for p in problems)
        state.fuzzy = kinds[Kind.CATALOG_FUZZY]
        state.untranslated = kinds[Kind.CATALOG_UNTRANSLATED]
        state.problems = [
            str(p)
            for p in problems
            if p.kind not in (Kind.CATALOG_FUZZY, Kind.CATALOG_UNTRANSLATED)
        ]
        if catalog is not None:
            entries = sum(1 for message in catalog if message.id)
            state.translated = entries - state.fuzzy - state.untranslated
            state.obsolete = sum(map(len, obsolete(catalog, used)))
        states.append(state)
    return states


def status(settings: dict) -> dict:
    """Everything `invoke translations.status` reports, as plain data."""
    return {
        "content": [
            {
                "key": row.key,
                "kind": row.kind,
                "languages": {k: asdict(c) for k, c in row.languages.items()},
            }
            for row in content_status(settings)
        ],
        "catalogs": [asdict(state) for state in catalog_status(settings)],
    }


def needs_work(report: dict) -> list[str]:
    """What `--strict` refuses: one line per outdated, missing, unapproved or fuzzy item."""
    lines = []
    for row in report["content"]:
        for lang, data in row["languages"].items():
            cell = Cell(**data)
            if cell.needs_work:
                lines.append(f"{lang}/{row['key']}: {cell}")
    for state in report["catalogs"]:
        catalog = CatalogState(**state)
        if catalog.needs_work:
            lines.append(
                f"{catalog.path}: {catalog.fuzzy} fuzzy, {catalog.untranslated} untranslated, "
                f"{catalog.obsolete} obsolete, {len(catalog.problems)} other problem(s)"
            )
    return lines


def format_table(report: dict, languages) -> str:
    """The report as a plain-text table, one row per article or page, then the catalogs."""
    header = ["article or page", *languages]
    rows = [
        [row["key"], *(str(Cell(**row["languages"][lang])) for lang in languages)]
        for row in report["content"]
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip()
             for r in [header, ["-" * w for w in widths], *rows]]  # fmt: skip
    lines.append("")
    lines.append("catalogs")
    for state in report["catalogs"]:
        lines.append(
            f"  {state['lang']}  {state['path']}: {state['translated']} translated, "
            f"{state['fuzzy']} fuzzy, {state['untranslated']} untranslated, "
            f"{state['obsolete']} obsolete"
            + (f", {len(state['problems'])} problem(s)" if state["problems"] else "")
        )
    return "\n".join(lines)
