"""The state of every translation and catalog: what is missing, stale, unreviewed or fuzzy.

What `invoke translations.status` prints and the review dashboard shows: every version of
every article and page, with warnings (never synced, outdated, QA findings) that no green
mark hides, and each language's progress.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from press.checks.content import agreed_names
from press.core.clock import embargo_clock
from press.core.problems import Kind, display_path
from press.core.sources import (
    REVIEW_STATES,
    SOURCE_NOTE,
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
from press.translations.index import Version, index_of

# The kinds of warning a translation can carry: the dashboard never shows these as green.
NOT_SYNCED, OUTDATED, QA_FLAGGED = "not synced", "outdated", "QA findings"
EDITED = "edited since approval"
SELF_APPROVED = "approved by its translator"
WARNING_KINDS = (NOT_SYNCED, OUTDATED, EDITED, SELF_APPROVED, QA_FLAGGED)
# How a version stands, for the dashboard's colours: an original, a missing translation, a
# translation with warnings, one approved and up to date without any, one still in draft
# or review.
LEVELS = ("source", "missing", "warning", "ok", "pending")


@dataclass(frozen=True)
class Flag:
    """One warning about a translation: its kind (WARNING_KINDS), and what to do about it."""

    kind: str
    message: str


@dataclass
class Cell:
    """One language's version of one article or page."""

    state: str  # source, missing, draft, review, approved
    path: str = ""
    freshness: str = ""  # translations: up to date, outdated, not synced
    changed_paragraphs: int = 0
    reviewer: str = ""
    qa_findings: int = 0
    published: bool = False  # readers see it (press.translations.index decides)
    # Approved for an earlier version of the source (Approved-Hash): waiting for review again.
    earlier_approval: bool = False
    # Approved, then edited: back in review, unpublished until approved again (Approved-Text).
    edited: bool = False
    # Approved with its own Translator as its Reviewer: in review, unpublished.
    self_approved: bool = False
    source_note: str = ""  # a reviewer's note that source changes needed no translation
    warnings: list[Flag] = field(default_factory=list)
    level: str = ""  # one of LEVELS, set by `judge` once everything above is known

    @classmethod
    def from_data(cls, data: dict) -> "Cell":
        """A cell from its plain data (`status()`), its warnings included."""
        return cls(**{**data, "warnings": [Flag(**flag) for flag in data.get("warnings", [])]})

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
    def done(self) -> bool:
        """Approved and up to date: what a language's progress counts."""
        return self.state == "approved" and self.freshness == "up to date"

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


@dataclass
class Progress:
    """One language's translations: how many are approved and up to date, of how many."""

    lang: str
    translations: int = 0  # its versions that are, or should be, translations (not originals)
    done: int = 0  # approved and up to date
    states: dict[str, int] = field(default_factory=dict)  # missing, draft, review, approved
    warnings: dict[str, int] = field(default_factory=dict)  # by kind (WARNING_KINDS)
    published: int = 0  # its translations readers see

    @property
    def percent(self) -> int:
        """Approved and up to date, in percent of all (100 when there is nothing to translate)."""
        return round(100 * self.done / self.translations) if self.translations else 100


def review_state(header: dict) -> str:
    """A translation's review state; a translation with Status: draft is a draft, whatever
    its Review says."""
    return "draft" if status_of(header) == "draft" else review_of(header)


def indexed_cell(version: Version, header: dict) -> Cell:
    """A translation's review state and freshness as the build's translation index knows
    them (`header`: its index fields), without reading a file: what the status page shows."""
    held = version.edited or version.self_approved
    cell = Cell(
        state="review" if held else review_state(header),
        edited=version.edited,
        self_approved=version.self_approved,
    )
    if Fingerprint.recorded(header) is None:
        cell.freshness = "not synced"
    else:
        cell.freshness = "outdated" if version.stale else "up to date"
    return cell


def translation_cell(path: Path, header: dict, content: Path) -> Cell:
    """The state of one translated file: its review state and how fresh it is."""
    cell = Cell(
        state=review_state(header),
        path=display_path(path),
        reviewer=header.get("reviewer", ""),
        earlier_approval=Fingerprint.recorded(header, approved=True) is not None,
        source_note=header.get(SOURCE_NOTE.lower(), ""),
    )
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


def judge(cell: Cell) -> Cell:
    """Give a cell its warnings and its level, from its state, freshness and QA findings."""
    if cell.state in ("source", "missing"):
        cell.warnings, cell.level = [], cell.state
        return cell
    cell.warnings = warnings_of(cell)
    if cell.warnings:
        cell.level = "warning"
    else:
        cell.level = "ok" if cell.done else "pending"
    return cell


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


def warnings_of(cell: Cell) -> list[Flag]:
    """What is wrong with a translation, each with what to do about it."""
    path, flags = cell.path, []
    if cell.freshness == "not synced":
        if cell.state == "approved":
            message = (
                "approved but never synced, so readers do not see it: no one can say which "
                "version of the source the approval covered; once it is known to cover the "
                f"source as it is now, sync it (invoke translations.sync --path {path})"
            )
        else:
            message = (
                "never synced: when the translation is complete, sync it "
                f"(invoke translations.sync --path {path})"
            )
        flags.append(Flag(NOT_SYNCED, message))
    elif cell.freshness == "outdated":
        changed = _count(cell.changed_paragraphs, "paragraph")
        if cell.state == "approved":
            message = (
                f"the source changed since the sync ({changed}), so readers see a notice that "
                f"it may be out of date: update it (invoke translations.diff --path {path}) "
                "and sync it, or, if the changes need no translation, a reviewer acknowledges "
                f'them (invoke translations.ack --path {path} --reason "...")'
            )
        else:
            message = (
                f"the source changed since the sync ({changed}): update it "
                f"(invoke translations.diff --path {path}), then sync it"
            )
        flags.append(Flag(OUTDATED, message))
    if cell.edited:
        flags.append(
            Flag(
                EDITED,
                "approved, then edited, so readers do not see it: a reviewer reads the "
                f"changes (invoke translations.diff --path {path}) and approves it again "
                f"(invoke translations.approve --path {path} --reviewer NAME)",
            )
        )
    if cell.self_approved:
        flags.append(
            Flag(
                SELF_APPROVED,
                "its Reviewer is its Translator, so readers do not see it: a translation is "
                "approved by someone else (invoke translations.approve --path "
                f"{path} --reviewer NAME)",
            )
        )
    if cell.qa_findings:
        findings = _count(cell.qa_findings, "QA finding")
        flags.append(Flag(QA_FLAGGED, f"{findings}: invoke translations.qa lists them"))
    return flags


def content_status(settings: dict) -> list[Row]:
    """A row per article and page, with every language's state, QA findings and warnings."""
    content = Path(settings["PATH"])
    glossaries = load_glossaries(settings)
    # What readers see now, as a build now would decide it.
    index = index_of(settings, now=embargo_clock(settings))
    article_folders = tuple(f"{p}/" for p in settings["ARTICLE_PATHS"])
    rows = []
    for key, versions in sources_by_key(settings).items():
        row = Row(key, "article" if key.startswith(article_folders) else "page")
        for lang in settings["I18N_LANGUAGES"]:
            path = versions.get(lang)
            if path is None:
                row.languages[lang] = judge(Cell("missing"))
                continue
            header = read_header(path)
            if "translation-of" in header:
                cell = translation_cell(path, header, content)
                source = content / header["translation-of"]
                if source.is_file():
                    source_lang = source_language(header["translation-of"])
                    cell.qa_findings = len(qa_pair(source, path, glossaries[lang], source_lang))
            else:
                cell = Cell("source", path=display_path(path))
            version = index.versions(key).get(lang)
            cell.published = version is not None and version.published
            if version is not None and version.edited:
                cell.state, cell.edited = "review", True
            if version is not None and version.self_approved:
                cell.state, cell.self_approved = "review", True
            row.languages[lang] = judge(cell)
        rows.append(row)
    return rows


def progress(rows: list[Row], languages) -> dict[str, Progress]:
    """Each language's progress, counts by state and by warning, from content_status's rows."""
    found = {}
    for lang in languages:
        cells = [row.languages[lang] for row in rows if row.languages[lang].state != "source"]
        states = Counter(cell.state for cell in cells)
        kinds = Counter(flag.kind for cell in cells for flag in cell.warnings)
        found[lang] = Progress(
            lang=lang,
            translations=len(cells),
            done=sum(cell.done for cell in cells),
            states={state: states[state] for state in ("missing", *REVIEW_STATES)},
            warnings={kind: kinds[kind] for kind in WARNING_KINDS},
            published=sum(cell.published for cell in cells),
        )
    return found


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
    rows = content_status(settings)
    return {
        "content": [
            {
                "key": row.key,
                "kind": row.kind,
                "languages": {k: asdict(c) for k, c in row.languages.items()},
            }
            for row in rows
        ],
        "catalogs": [asdict(state) for state in catalog_status(settings)],
        "progress": {
            lang: {**asdict(found), "percent": found.percent}
            for lang, found in progress(rows, settings["I18N_LANGUAGES"]).items()
        },
    }


def needs_work(report: dict) -> list[str]:
    """What `--strict` refuses: one line per outdated, missing, unapproved or fuzzy item."""
    lines = []
    for row in report["content"]:
        for lang, data in row["languages"].items():
            cell = Cell.from_data(data)
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
    """The report as plain text: a row per article or page, each language's progress, every
    warning with what to do, then the catalogs."""
    header = ["article or page", *languages]
    rows = [
        [row["key"], *(str(Cell.from_data(row["languages"][lang])) for lang in languages)]
        for row in report["content"]
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip()
             for r in [header, ["-" * w for w in widths], *rows]]  # fmt: skip
    lines += ["", "progress (approved and up to date, of all translations)"]
    for lang in languages:
        found = report["progress"][lang]
        states = ", ".join(f"{count} {state}" for state, count in found["states"].items())
        flagged = ", ".join(f"{n} {kind}" for kind, n in found["warnings"].items() if n)
        lines.append(
            f"  {lang}: {found['done']} of {found['translations']} ({found['percent']}%); "
            f"{states}; {found['published']} published"
            + (f"; warnings: {flagged}" if flagged else "")
        )
    warnings = [
        f"  {lang}/{row['key']}: {flag['message']}"
        for row in report["content"]
        for lang in languages
        for flag in row["languages"][lang]["warnings"]
    ]
    if warnings:
        lines += ["", "warnings", *warnings]
    lines += ["", "catalogs"]
    for state in report["catalogs"]:
        lines.append(
            f"  {state['lang']}  {state['path']}: {state['translated']} translated, "
            f"{state['fuzzy']} fuzzy, {state['untranslated']} untranslated, "
            f"{state['obsolete']} obsolete"
            + (f", {len(state['problems'])} problem(s)" if state["problems"] else "")
        )
    return "\n".join(lines)
