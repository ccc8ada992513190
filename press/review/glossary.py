"""Glossaries: each target language's fixed terms, in locale/<lang>/glossary.toml.

A glossary belongs to the language translations are written in: locale/ko/glossary.toml
fixes the Korean words for English terms, and is applied to Korean translations only. A
language without a glossary gets no glossary findings. Each [[term]] names its words by
language code: `en` (with `en_variants`) for the source's forms, `ko` for the agreed
target word, `avoid` for the target words not to use (TRANSLATING.md describes the fields).
"""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from press.core.problems import Problem

FILE_NAME = "glossary.toml"


@dataclass(frozen=True)
class Glossary:
    """One target language's fixed terms; no terms when the language has no glossary."""

    lang: str  # the language translations into which it applies to
    name: str  # as findings name it: "locale/ko/glossary.toml"
    terms: tuple[dict, ...] = ()
    problems: tuple[Problem, ...] = ()  # a glossary that cannot be read says so here

    def agreed(self, term: dict) -> str:
        """The agreed word of a term in this glossary's language ("" when it gives none)."""
        return term.get(self.lang, "")


def glossary_path(catalog_dir: Path | str, lang: str) -> Path:
    """Where the glossary of translations into `lang` lives: beside that language's catalog."""
    return Path(catalog_dir) / lang / FILE_NAME


def load_glossary(settings: dict, lang: str) -> Glossary:
    """The glossary of translations into `lang` (locale/<lang>/glossary.toml), if it has one."""
    catalog_dir = Path(settings["I18N_CATALOG_PATH"])
    path = glossary_path(catalog_dir, lang)
    name = f"{catalog_dir.name}/{lang}/{FILE_NAME}"
    if not path.is_file():
        return Glossary(lang, name)
    try:
        with path.open("rb") as fileobj:
            terms = tomllib.load(fileobj).get("term", [])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problem = Problem.at(
            path, 0, f"glossary: {exc}; correct the TOML (TRANSLATING.md shows the format)"
        )
        return Glossary(lang, name, problems=(problem,))
    return Glossary(lang, name, tuple(terms))


def load_glossaries(settings: dict) -> dict[str, Glossary]:
    """Every language's glossary, by language (I18N_LANGUAGES)."""
    return {lang: load_glossary(settings, lang) for lang in settings["I18N_LANGUAGES"]}


@lru_cache(maxsize=1024)
def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    longest_first = sorted(set(forms), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, longest_first)) + r")\b", re.IGNORECASE)


def source_forms(term: dict, source_lang: str) -> tuple[str, ...]:
    """A term's forms in the source's language (`en` and `en_variants` for English)."""
    if not term.get(source_lang):
        return ()
    return (term[source_lang], *term.get(f"{source_lang}_variants", []))


def terms_in(text: str, terms, source_lang: str) -> list[dict]:
    """The terms a source text uses; a longer term wins over the shorter ones inside it."""
    matches = sorted(
        (
            (match.start(), match.end(), term)
            for term in terms
            if (forms := source_forms(term, source_lang))
            for match in _pattern(forms).finditer(text)
        ),
        key=lambda m: m[1] - m[0],
        reverse=True,
    )
    taken: list[tuple[int, int]] = []
    found = {}
    for start, end, term in matches:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue  # e.g. "repatriation" inside "forced repatriation"
        taken.append((start, end))
        found[term["id"]] = term
    return list(found.values())


def _language_name(code: str) -> str:
    """A language's English name ("Japanese"), or its code when Babel does not know it."""
    try:
        return Locale.parse(code).english_name or code
    except (UnknownLocaleError, ValueError):
        return code


def starter(lang: str, source_lang: str) -> str:
    """The text of a new glossary: how it works, and one example term left commented out."""
    target, source = _language_name(lang), _language_name(source_lang)
    return f"""\
# Translation glossary ({source} -> {target}), machine-readable.
#
# Each [[term]] fixes the {target} word translators use for one {source} term.
# `invoke translations.qa` checks every translation into {target} against it: where
# the source uses a term, the translation is expected to contain the agreed word
# and none of the words to avoid. Keep it in step with the glossary people read
# (TRANSLATING.md, or your language's page of it).
#
# Fields:
#   id          stable ASCII identifier; never rename it once in use
#   {source_lang:<11} the {source} term (lowercase unless a proper noun)
#   {source_lang + "_variants":<11} other {source} forms that count as the same term
#   {lang:<11} the agreed {target} term for running text
#   avoid       {target} words that must not be used for this term in running
#               text (quotations are the usual exception; see note)
#   note        why this choice was made, and when exceptions apply
#
# No terms yet. To add one, copy these lines without the leading "# ":
#
# [[term]]
# id = "defector"
# {source_lang} = "defector"
# {source_lang}_variants = ["defectors"]
# {lang} = ""
# avoid = []
# note = ""
"""


def start_glossary(catalog_dir: Path | str, lang: str, source_lang: str) -> Path | None:
    """Write a starter glossary for translations into `lang`, unless it has one already.

    Returns the file written, or None when a glossary was there (it is left as it is).
    """
    path = glossary_path(catalog_dir, lang)
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(starter(lang, source_lang), encoding="utf-8")
    return path
