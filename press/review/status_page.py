"""What the site's published status page shows: each language's progress, and each
article's and page's state in it, from the translators' records.

The same states as `invoke translations.status` (press.review.status.translation_cell),
told for readers, and only of what readers can already see: a row is an article or page
whose original is published and listed (no draft, hidden or embargoed one); its title and
link are those of the version readers can see. No text of an unpublished translation,
not even its title, and no QA finding: states and counts only.
"""

from dataclasses import dataclass, field
from pathlib import Path

from press.core.sources import read_header
from press.review.status import Cell, translation_cell
from press.translations.index import TranslationIndex, Version

# The states the page counts, in the order it shows them.
STATES = ("source", "approved", "outdated", "unsynced", "review", "draft", "missing")


def public_state(cell: Cell) -> str:
    """One version's state on the page: a review state, or for an approved translation
    whether it is up to date with its source ("approved"), behind it ("outdated") or was
    never synced with it ("unsynced")."""
    if cell.state != "approved":
        return cell.state  # source, missing, draft, review
    if cell.freshness == "up to date":
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
    """One language's counts per state and its entries (its translations and missing ones)."""

    lang: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    entries: list[Entry] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Translations into this language that are approved and up to date."""
        return self.counts["approved"]

    @property
    def total(self) -> int:
        """Every article and page to be read in this language that is not written in it."""
        return sum(count for state, count in self.counts.items() if state != "source")

    @property
    def percent(self) -> int:
        """done of total, in whole percent rounded down (100 only when all are done)."""
        return self.done * 100 // self.total if self.total else 100


def site_progress(settings: dict, index: TranslationIndex) -> dict[str, LanguageProgress]:
    """Every language's progress (in I18N_LANGUAGES order) over the published originals."""
    content = Path(settings["PATH"])
    progress = {lang: LanguageProgress(lang) for lang in settings["I18N_LANGUAGES"]}
    for key, versions in sorted(index, key=lambda item: item[0]):
        original = _original(versions)
        if original is None or not original.published:
            continue  # a draft, hidden or embargoed original: nothing of it is shown
        for lang, language in progress.items():
            if lang == original.lang:
                language.counts["source"] += 1
                continue
            version = versions.get(lang)
            if version is None:
                state = "missing"
            else:
                path = content / version.source
                state = public_state(translation_cell(path, read_header(path), content))
            shown = version if version is not None and version.published else original
            language.counts[state] += 1
            language.entries.append(Entry(key, shown.title, shown.lang, shown.page, state))
    return progress


def _original(versions: dict[str, Version]) -> Version | None:
    """The version the others translate (the content checks allow one per key)."""
    return next((v for v in versions.values() if not v.translation_of), None)
