"""The organization's real content keeps the translator's contract and the glossary."""

import re
import tomllib

import pytest

from conftest import ROOT
from press.core.sources import read_header

CONTENT = ROOT / "content"
GLOSSARY = ROOT / "locale" / "ko" / "glossary.toml"
PAIRS = sorted(p.relative_to(CONTENT / "en") for p in (CONTENT / "en").rglob("*.md"))


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
    """No Korean article or page uses a word the glossary says to avoid."""
    for path in sorted((CONTENT / "ko").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for term in load_glossary():
            for word in term["avoid"]:
                assert word not in text, f"{path}: {word!r} (glossary: use {term['ko']!r})"


def test_every_file_has_a_translation():
    """content/en and content/ko hold the same file names."""
    korean = sorted(p.relative_to(CONTENT / "ko") for p in (CONTENT / "ko").rglob("*.md"))
    assert korean == PAIRS
    assert len(PAIRS) >= 6


@pytest.mark.parametrize("relative", PAIRS, ids=str)
def test_translation_keeps_date_author_and_structure(relative):
    """A translation keeps its source's Date, Author, headings, lists, links and blockquotes."""
    en_path, ko_path = CONTENT / "en" / relative, CONTENT / "ko" / relative
    en, ko = read_header(en_path), read_header(ko_path)
    assert en["title"] and ko["title"]
    for key in ("date", "author"):
        assert en.get(key) == ko.get(key), key
    en_text, ko_text = en_path.read_text("utf-8"), ko_path.read_text("utf-8")
    for pattern in (r"(?m)^## ", r"(?m)^- ", r"(?m)^> ", r"\]\(\{filename\}[^)]+\)"):
        assert re.findall(pattern, en_text) == re.findall(pattern, ko_text), pattern


def test_the_defectors_article_is_by_e_dickinson_and_says_it_is_a_pseudonym():
    """The seed article keeps its pseudonymous author, its date and the pseudonym note."""
    for lang, note in (("en", "pseudonym"), ("ko", "필명")):
        path = CONTENT / lang / "articles" / "defectors-struggle-for-freedom.md"
        header = read_header(path)
        assert header["author"] == "E. Dickinson"
        assert header["date"] == "2024-01-10"
        assert note in path.read_text(encoding="utf-8").rsplit("\n\n", 1)[-1]
