"""What the site's published status page shows: each language's progress, and each
article's and page's state in it, from the translators' records.

The states and the progress are those of `invoke translations.status` (press.review.status:
`indexed_cell` for each translation, from the build's index, `progress` for each language),
told for readers,
and only of what readers can already see: a row is an article or page whose original is
published and listed (no draft, hidden or embargoed one); its title and link are those of
the version readers can read. No text of an unpublished translation, not even its title,
and no QA (which the status command runs, and a build need not): states and counts only.
"""

from dataclasses import dataclass, field

from press.review.status import Cell, Progress, Row, indexed_cell, judge, progress
from press.translations.index import TranslationIndex, Version

# The states the page counts, in the order it shows them: an approved translation is told
# apart by how it stands to its source, as the reader's notice does.
STATES = ("source", "approved", "outdated", "unsynced", "review", "draft", "missing")


def public_state(cell: Cell) -> str:
    """One version's state on the page: a review state, or for an approved translation
    whether it is up to date with its source ("approved"), behind it ("outdated") or was
    never synced with it ("unsynced")."""
    if cell.state != "approved":
        return cell.state  # source, missing, draft, review
    if cell.done:
        return "approved"
    return "outdated" if cell.freshness == "outdated" else "unsynced"


@dataclass(frozen=True)
class Entry:
    """One article or page in one language: what to call it, where to read it, its state."""

    key: str
    title: str  # of the version readers can see: this language's, else the original's
    lang: str  # the language of that title and of the page linked
    page: str  # that version's output file, inside the language's folder
    state: str  # one of STATES, never "source"


@dataclass
class LanguageProgress:
    """One language's part of the page: its progress, counts per state and entries (its
    translations and the missing ones, in the order of their keys)."""

    progress: Progress
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    entries: list[Entry] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Translations into this language that are approved and up to date."""
        return self.progress.done

    @property
    def total(self) -> int:
        """Every article and page to be read in this language that is not written in it."""
        return self.progress.translations

    @property
    def percent(self) -> int:
        """done of total, in percent, as `invoke translations.status` says it."""
        return self.progress.percent


def site_progress(settings: dict, index: TranslationIndex) -> dict[str, LanguageProgress]:
    """Every language's part (in I18N_LANGUAGES order), over the published originals."""
    languages = list(settings["I18N_LANGUAGES"])
    rows, shown = [], []
    for key, versions in sorted(index, key=lambda item: item[0]):
        original = _original(versions)
        if original is None or not original.published:
            continue  # a draft, hidden or embargoed original: nothing of it is shown
        row = Row(key, original.kind)
        for lang in languages:
            version = versions.get(lang)
            if lang == original.lang:
                cell = Cell("source")
            elif version is None:
                cell = Cell("missing")
            else:
                cell = indexed_cell(version, index.headers[version.source])
            cell.published = version is not None and version.published
            row.languages[lang] = judge(cell)
            # Named and linked by the version readers can read in this language, else the
            # original: never by a translation that is not published.
            seen = version if cell.published else original
            shown.append((lang, Entry(key, seen.title, seen.lang, seen.page, public_state(cell))))
        rows.append(row)
    parts = {lang: LanguageProgress(found) for lang, found in progress(rows, languages).items()}
    for lang, entry in shown:
        parts[lang].counts[entry.state] += 1
        if entry.state != "source":
            parts[lang].entries.append(entry)
    return parts


def _original(versions: dict[str, Version]) -> Version | None:
    """The version the others translate (the content checks allow one per key)."""
    return next((v for v in versions.values() if not v.translation_of), None)
