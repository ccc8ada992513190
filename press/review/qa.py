"""Automatic QA of translations: what a careful reviewer checks first, checked every time.

For each translation against its source: the same structure (headings, lists, quotes, links,
images, blocks), every number of the source present, the same link targets, the glossary's
agreed terms, and no sentence left in the source language. For catalogs: the problems of
`invoke check` (press.checks.content) plus entries obsolete against the templates as they are now.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from press.checks.content import agreed_names
from press.core.problems import Problem
from press.core.sources import (
    CODE_SPAN,
    FENCE,
    MARKDOWN_LINK_OR_IMAGE,
    Block,
    read_source,
    source_language,
    sources_by_key,
    split_file,
    translatable_blocks,
)
from press.safety.catalogs import forms
from press.translations.catalogs import obsolete, translated_catalogs, used_messages

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A line that is a list item: its marker ("-", "*", "+", "1." or "1)") and the space after it.
LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")
LANG_SPAN = re.compile(r"<span\s+lang=\"[^\"]+\">.*?</span>", re.DOTALL)
# Runs of words that betray an untranslated sentence, by the source's language.
LEFTOVER = {
    "en": re.compile(r"(?:[A-Za-z][A-Za-z'’-]*[\s,;:]+){4,}[A-Za-z][A-Za-z'’-]*"),
    "ko": re.compile(r"(?:[\uac00-\ud7a3]+[\s,]+){2,}[\uac00-\ud7a3]+"),
}


@dataclass(frozen=True)
class Shape:
    """What must be the same in a block and its translation."""

    kind: str
    links: tuple[str, ...]
    images: int
    items: int


def kind_of(block: Block) -> str:
    """The kind of a block: metadata field, heading, list, quote, code or paragraph."""
    first = block.text.lstrip()
    if block.label:
        return block.label
    if first.startswith("#"):
        return f"heading {len(first) - len(first.lstrip('#'))}"
    if LIST_ITEM.match(first):
        return "list"
    if first.startswith(">"):
        return "quote"
    if FENCE.match(first):
        return "code"
    return "paragraph"


def shape_of(block: Block) -> Shape:
    """The structure of one block."""
    found = list(MARKDOWN_LINK_OR_IMAGE.finditer(block.text))
    links = tuple(m["url"] for m in found if not m["image"])
    images = sum(1 for m in found if m["image"])
    items = sum(1 for line in block.text.splitlines() if LIST_ITEM.match(line))
    return Shape(kind_of(block), links, images, items)


def prose(text: str) -> str:
    """A block's text without link targets, code spans and marked other-language spans."""
    text = MARKDOWN_LINK_OR_IMAGE.sub(lambda m: m["text"], text)
    text = CODE_SPAN.sub(" ", text)
    return LANG_SPAN.sub(" ", text)


def numbers_in(text: str) -> list[str]:
    """The numbers of a text, without thousands separators."""
    return [n.replace(",", "") for n in NUMBER.findall(prose(text))]


def load_glossary(settings: dict) -> list[dict]:
    """The glossary's terms, from glossary.toml beside the catalogs (empty when there is none)."""
    path = Path(settings["I18N_CATALOG_PATH"]) / "glossary.toml"
    if not path.is_file():
        return []
    with path.open("rb") as fileobj:
        return tomllib.load(fileobj).get("term", [])


def term_pattern(term: dict) -> re.Pattern:
    """A pattern matching the term's English forms as whole words."""
    forms = sorted({term["en"], *term.get("en_variants", [])}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", re.IGNORECASE)


def terms_in(text: str, glossary) -> list[dict]:
    """The glossary terms a text uses; a longer term wins over the shorter ones inside it."""
    matches = sorted(
        (
            (match.start(), match.end(), term)
            for term in glossary
            for match in term_pattern(term).finditer(text)
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


def check_glossary(source: Block, target: Block, glossary, path: Path) -> list[Problem]:
    """Agreed terms used where the source uses the English term; avoided terms never."""
    problems = []
    for term in glossary:
        for avoided in term.get("avoid", []):
            if avoided in prose(target.text):
                problems.append(
                    Problem.at(
                        path,
                        target.line,
                        f"glossary: '{avoided}' is not used for '{term['en']}'; write "
                        f"'{term['ko']}' (locale/glossary.toml)",
                    )
                )
    for term in terms_in(prose(source.text), glossary):
        if term["ko"] not in target.text:
            problems.append(
                Problem.at(
                    path,
                    target.line,
                    f"glossary: the source says '{term['en']}' (line {source.line}); the "
                    f"agreed term '{term['ko']}' is missing here (locale/glossary.toml)",
                )
            )
    return problems


def check_block(source: Block, target: Block, path: Path, glossary, source_lang) -> list[Problem]:
    """Compare one block with its source block."""
    problems = []
    want, have = shape_of(source), shape_of(target)
    where = f"(source line {source.line})"
    for what, a, b in (
        ("links", len(want.links), len(have.links)),
        ("images", want.images, have.images),
        ("list items", want.items, have.items),
    ):
        if a != b:
            problems.append(
                Problem.at(
                    path,
                    target.line,
                    f"structure: {b} {what} here, {a} in the source {where}; keep the same",
                )
            )
    if want.links != have.links and len(want.links) == len(have.links):
        for old, new in zip(want.links, have.links, strict=True):
            if old != new:
                problems.append(
                    Problem.at(
                        path,
                        target.line,
                        f"links: the link to '{new}' is '{old}' in the source {where}; "
                        "links keep their targets",
                    )
                )
    missing = [n for n in numbers_in(source.text) if n not in numbers_in(target.text)]
    for number in dict.fromkeys(missing):
        problems.append(
            Problem.at(
                path,
                target.line,
                f"numbers: '{number}' of the source {where} is missing here; numbers and "
                "dates must all be kept",
            )
        )
    problems += check_glossary(source, target, glossary, path) if glossary else []
    leftover = LEFTOVER.get(source_lang)
    if leftover and (match := leftover.search(prose(target.text))):
        problems.append(
            Problem.at(
                path,
                target.line,
                f"untranslated: '{match.group().strip()}' is still in the source's language; "
                'translate it (mark a deliberate quotation with <span lang="...">)',
            )
        )
    return problems


def qa_pair(source: Path, translation: Path, glossary, source_lang: str) -> list[Problem]:
    """Every QA finding of one translation, with the translation's line numbers."""
    source_blocks = translatable_blocks(read_source(source))
    target_blocks = translatable_blocks(read_source(translation))
    problems = []
    source_kinds = [kind_of(b) for b in source_blocks]
    target_kinds = [kind_of(b) for b in target_blocks]
    pairs = list(zip(source_blocks, target_blocks, strict=False))
    if source_kinds != target_kinds:
        index = next(
            (i for i, (a, b) in enumerate(zip(source_kinds, target_kinds, strict=False)) if a != b),
            min(len(source_kinds), len(target_kinds)),
        )
        line = target_blocks[index].line if index < len(target_blocks) else target_blocks[-1].line
        expected = source_kinds[index] if index < len(source_kinds) else "the end"
        found = target_kinds[index] if index < len(target_kinds) else "the end"
        problems.append(
            Problem.at(
                translation,
                line,
                f"structure: block {index + 1} is {found} here but {expected} in the source "
                f"({len(source_blocks)} blocks there, {len(target_blocks)} here); keep the "
                "source's headings, lists, quotes and paragraphs in order",
            )
        )
        pairs = pairs[:index]  # blocks after the divergence cannot be compared one by one
    for source_block, target_block in pairs:
        problems += check_block(source_block, target_block, translation, glossary, source_lang)
    return problems


def qa_catalogs(settings: dict) -> list[Problem]:
    """Catalog problems, and entries obsolete against the templates as they are now."""
    used = set(used_messages(settings))
    names, problems = agreed_names(settings)
    for _lang, po_path, catalog, found in translated_catalogs(settings, names):
        problems += found
        if catalog is None:
            continue
        unused, kept = obsolete(catalog, used)
        for message in unused:
            problems.append(
                Problem.at(
                    po_path,
                    message.lineno,
                    f"obsolete: {forms(message.id)[0]!r} is no longer used by any template; run "
                    "`invoke i18n.extract i18n.update` to retire it",
                )
            )
        for message in kept:
            problems.append(
                Problem.at(
                    po_path,
                    message.lineno,
                    f"obsolete: {message.id!r} is kept as #~ only; delete it once no "
                    "translation needs it",
                )
            )
    return problems


def qa_site(settings: dict) -> list[Problem]:
    """QA of every translation of the content and of every catalog."""
    content = Path(settings["PATH"])
    glossary = load_glossary(settings)
    problems = []
    for versions in sources_by_key(settings).values():
        for path in versions.values():
            fields, _ = split_file(read_source(path))
            source_name = fields.get("translation-of", ("", 0))[0]
            if source_name and (content / source_name).is_file():
                source_lang = source_language(source_name)
                problems += qa_pair(content / source_name, path, glossary, source_lang)
    return sorted(set(problems + qa_catalogs(settings)))
