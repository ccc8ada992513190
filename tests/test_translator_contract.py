"""The organization's real content keeps the translator's contract and the glossary.

What readers see is held to the contract; a translation still in draft or review is QA's
to judge (`invoke translations.qa`), and an article nobody has translated yet is fine.
"""

import re
import tomllib

import pytest

from conftest import ROOT
from press.core.sources import read_header
from site_invariants import versions

CONTENT = ROOT / "content"
GLOSSARY = ROOT / "locale" / "ko" / "glossary.toml"
# The versions readers see (published or hidden), as their headers say.
SEEN = [v for by_lang in versions(CONTENT).values() for v in by_lang.values() if v.written]
TRANSLATIONS = sorted((v for v in SEEN if v.translation_of), key=lambda v: str(v.path))


def load_glossary() -> list[dict]:
    """The glossary's terms."""
    with GLOSSARY.open("rb") as fileobj:
        return tomllib.load(fileobj)["term"]


def test_glossary_has_the_documented_schema():
    """Every term has a unique id and the fields TRANSLATING.md describes."""
    terms = load_glossary()
    assert len({term["id"] for term in terms}) == len(terms)
    for term in terms:
        assert set(term) == {"id", "en", "en_variants", "ko", "avoid", "note"}, term["id"]
        assert re.fullmatch(r"[a-z0-9_]+", term["id"])
        assert term["en"] and term["ko"] and term["note"]
        assert isinstance(term["en_variants"], list) and isinstance(term["avoid"], list)
    by_id = {term["id"]: term for term in terms}
    assert by_id["defector"]["ko"] == "탈북민"
    assert {"탈북자", "새터민"} <= set(by_id["defector"]["avoid"])


def test_korean_content_uses_no_avoided_term():
    """No Korean article or page readers see uses a word the glossary says to avoid."""
    for version in (v for v in SEEN if v.lang == "ko"):
        text = version.path.read_text(encoding="utf-8")
        for term in load_glossary():
            for word in term["avoid"]:
                assert word not in text, f"{version.path}: {word!r} (glossary: use {term['ko']!r})"


@pytest.mark.parametrize("version", TRANSLATIONS, ids=lambda v: f"{v.lang}/{v.key}")
def test_translation_keeps_date_author_and_structure(version):
    """A published translation keeps its source's Date and Author and, while it is up to date
    with it, its headings, lists, links and blockquotes (an outdated one may lag behind)."""
    source = CONTENT / version.translation_of
    original, translated = read_header(source), version.header
    assert original["title"] and translated["title"]
    for key in ("date", "author"):
        assert original.get(key) == translated.get(key), key
    if version.stale:
        return
    original_text, text = source.read_text("utf-8"), version.path.read_text("utf-8")
    for pattern in (r"(?m)^## ", r"(?m)^- ", r"(?m)^> ", r"\]\(\{filename\}[^)]+\)"):
        assert re.findall(pattern, original_text) == re.findall(pattern, text), pattern
