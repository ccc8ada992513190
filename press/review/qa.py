"""Automatic QA of translations: what a careful reviewer checks first, checked every time.

For each translation against its source, all in one run: the same structure (headings, lists,
quotes, links, images, blocks), the same numbers (every number of the source present, none
the source lacks), the same link targets, the glossary's agreed terms (the glossary of the
translation's language: press.review.glossary), and no sentence left in the source language.
The blocks of the two are aligned first (`align`), so that what follows a missing or added
block is still compared with the block it translates.

For catalogs: the problems of `invoke check` (press.checks.content) plus entries obsolete
against the templates as they are now.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote

from press.checks.content import agreed_names
from press.checks.markdown import KNOWN_KEYS
from press.core.problems import Problem
from press.core.sources import (
    CODE_SPAN,
    FENCE,
    MARKDOWN_LINK_OR_IMAGE,
    Block,
    language_key,
    linked_source,
    read_source,
    source_language,
    sources_by_key,
    split_file,
    translatable_blocks,
)
from press.review.glossary import Glossary, load_glossaries, terms_in
from press.safety.catalogs import forms
from press.translations.catalogs import obsolete, translated_catalogs, used_messages

# A number as written, with what multiplies it after it, if anything: "1,200", "120만",
# "2 million". Korean writes large numbers with 만 (10^4) and 억 (10^8) (TRANSLATING.md).
NUMBER = re.compile(
    r"(?P<digits>\d+(?:[.,]\d+)*)(?:\s*(?P<unit>만|억|thousand\b|million\b|billion\b))?",
    re.IGNORECASE,
)
UNITS = {"만": 10**4, "억": 10**8, "thousand": 10**3, "million": 10**6, "billion": 10**9}
# Numbers English says in words, which a translation may write in digits ("three" as 3,
# "January 10" as 1월 10일, "the first two parts" as 1부와 2부) and the other way round:
# they count as present on either side, but are never required, as "one of them" need not
# become a digit.
CARDINALS = {
    **{word: number for number, word in enumerate((
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", "twenty"))},
    **{word: 10 * tens for tens, word in enumerate(
        ("thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=3)},
    "hundred": 100, "thousand": 1000,
    **{word: number for number, word in enumerate((
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth"), start=1)},
}  # fmt: skip
# Month names, capitalized as English writes them ("May", not the verb "may").
MONTHS = {month: number for number, month in enumerate((
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"), start=1)}  # fmt: skip
WORD = re.compile(r"[A-Za-z]+")
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


def describe(kind: str) -> str:
    """A block's kind as findings name it: "a paragraph", "a heading (##)"."""
    if kind.startswith("heading "):
        return f"a heading ({'#' * int(kind.split()[1])})"
    return {"code": "a code block"}.get(kind, f"a {kind}")


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


def _value(digits: str, unit: str | None) -> str:
    """A number's value as digits: "1,200" is 1200, "120만" is 1200000."""
    number = digits.replace(",", "")
    if not unit:
        return number
    try:
        value = Decimal(number) * UNITS[unit.lower()]
    except InvalidOperation:  # "1.2.3": a version or a date, not a quantity
        return number
    return str(int(value)) if value == value.to_integral_value() else str(value)


def numbers_in(text: str) -> dict[str, str]:
    """The numbers a text writes in digits: each value ("1200") with how it is written."""
    found = {}
    for match in NUMBER.finditer(prose(text)):
        found.setdefault(_value(match["digits"], match["unit"]), match.group().strip())
    return found


def numbers_named(text: str) -> set[str]:
    """The numbers a text says in words: English cardinals, ordinals and month names."""
    named = set()
    for word in WORD.findall(prose(text)):
        number = MONTHS.get(word, CARDINALS.get(word.lower()))
        if number is not None:
            named.add(str(number))
    return named


def check_numbers(source: Block, target: Block, path: Path) -> list[Problem]:
    """Every number of the source is in the translation, and no number the source lacks."""
    where = f"(source line {source.line})"
    want, have = numbers_in(source.text), numbers_in(target.text)
    said, says = numbers_named(source.text), numbers_named(target.text)
    problems = [
        Problem.at(
            path,
            target.line,
            f"numbers: '{written}' of the source {where} is missing here; numbers and dates "
            "must all be kept",
        )
        for value, written in want.items()
        if value not in have and value not in says
    ]
    problems += [
        Problem.at(
            path,
            target.line,
            f"numbers: '{written}' here is not in the source {where}; add no number or date "
            "the source does not give",
        )
        for value, written in have.items()
        if value not in want and value not in said
    ]
    return problems


def check_glossary(
    source: Block, target: Block, glossary: Glossary, source_lang: str, path: Path
) -> list[Problem]:
    """Agreed terms used where the source uses the term; avoided words never."""
    problems = []
    text = prose(target.text)
    for term in glossary.terms:
        name = term.get(source_lang) or term.get("id", "")
        for avoided in term.get("avoid", []):
            if avoided in text:
                agreed = glossary.agreed(term)
                instead = f"; write '{agreed}'" if agreed else ""
                problems.append(
                    Problem.at(
                        path,
                        target.line,
                        f"glossary: '{avoided}' is not used for '{name}'{instead} "
                        f"({glossary.name})",
                    )
                )
    for term in terms_in(prose(source.text), glossary.terms, source_lang):
        agreed = glossary.agreed(term)
        if agreed and agreed not in target.text:
            problems.append(
                Problem.at(
                    path,
                    target.line,
                    f"glossary: the source says '{term[source_lang]}' (line {source.line}); the "
                    f"agreed term '{agreed}' is missing here ({glossary.name})",
                )
            )
    return problems


def check_block(
    source: Block,
    target: Block,
    path: Path,
    glossary: Glossary | None,
    source_lang: str,
    pages: tuple[str, str] | None = None,
) -> list[Problem]:
    """Compare one block with the source block it translates: every check, all reported.

    `pages`: the source's and the translation's paths inside the content folder, by which
    their {filename} links are compared (same_target).
    """
    problems = []
    want, have = shape_of(source), shape_of(target)
    where = f"(source line {source.line})"
    if want.kind != have.kind:
        problems.append(
            Problem.at(
                path,
                target.line,
                f"structure: {describe(have.kind)} here, {describe(want.kind)} in the source "
                f"{where}; keep the source's headings, lists, quotes and paragraphs",
            )
        )
    counts = [("links", len(want.links), len(have.links)), ("images", want.images, have.images)]
    if want.kind == have.kind:  # a list made a paragraph was said above
        counts.append(("list items", want.items, have.items))
    for what, a, b in counts:
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
            if old != new and not (pages and same_target(old, new, *pages)):
                problems.append(
                    Problem.at(
                        path,
                        target.line,
                        f"links: the link to '{new}' is '{old}' in the source {where}; "
                        "links keep their targets",
                    )
                )
    problems += check_numbers(source, target, path)
    if glossary is not None:
        problems += check_glossary(source, target, glossary, source_lang, path)
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


# Scores of the alignment (`align`): a block left without a counterpart, a pair of blocks of
# the same kind (plus up to twice their likeness), of different kinds (plus their likeness).
SKIP, SAME_KIND, OTHER_KIND = -1.0, 1.0, -0.5


@dataclass(frozen=True)
class Traits:
    """What of a block can be compared across languages, for the alignment."""

    kind: str
    numbers: frozenset[str]
    links: frozenset[str]
    length: int  # characters of prose

    @classmethod
    def of(cls, block: Block) -> "Traits":
        """The traits of one block."""
        shape = shape_of(block)
        return cls(
            shape.kind, frozenset(numbers_in(block.text)), frozenset(shape.links),
            len(prose(block.text)),
        )  # fmt: skip


def likeness(source: Traits, target: Traits, ratio: float) -> float:
    """How much a block looks like the translation of another, from 0 to 1.

    The mean of what can be compared across languages: the numbers they share, the link
    targets they share, and how near the target's length is to the source's times `ratio`
    (a translation is longer or shorter than its source by a fairly steady factor).
    """
    signals = [
        len(a & b) / len(a | b)
        for a, b in ((source.numbers, target.numbers), (source.links, target.links))
        if a or b
    ]
    expected, actual = source.length * ratio, target.length
    if expected and actual:
        signals.append(min(expected, actual) / max(expected, actual))
    return sum(signals) / len(signals) if signals else 0.0


def align(source: list[Block], target: list[Block]) -> list[tuple[Block | None, Block | None]]:
    """Pair each block of a translation with the source block it translates, in order.

    A global alignment (Needleman-Wunsch) of the two lists of blocks: a block of the same kind
    pairs best, the more so the more it looks like it (`likeness`); a block whose kind
    changed (a paragraph made a list) still pairs, as it is still that block's translation;
    a block missing or added pairs with None. So after a missing heading, or a paragraph
    split in two, the blocks that follow are still compared with the ones they translate.
    Metadata fields (title, summary) pair only with the same field.
    """
    have, want = [Traits.of(b) for b in target], [Traits.of(b) for b in source]
    total = sum(t.length for t in want)
    ratio = sum(t.length for t in have) / total if total else 1.0
    rows, cols = len(source), len(target)
    # pair[i][j]: the score of source block i paired with target block j (None: never).
    pair: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    for i, a in enumerate(want):
        for j, b in enumerate(have):
            if a.kind == b.kind:
                pair[i][j] = SAME_KIND + 2 * likeness(a, b, ratio)
            elif not (source[i].label or target[j].label):
                pair[i][j] = OTHER_KIND + likeness(a, b, ratio)
            # A metadata field is never a body block's translation: left None.
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows + 1):
        for j in range(cols + 1):
            if i or j:
                score[i][j] = max(
                    score[i - 1][j - 1] + pair[i - 1][j - 1]
                    if i and j and pair[i - 1][j - 1] is not None
                    else float("-inf"),
                    score[i - 1][j] + SKIP if i else float("-inf"),
                    score[i][j - 1] + SKIP if j else float("-inf"),
                )
    pairs: list[tuple[Block | None, Block | None]] = []
    i, j = rows, cols
    while i or j:
        # Ties: a pair first, then a source block missing, then a block added.
        both = pair[i - 1][j - 1] if i and j else None
        if both is not None and score[i][j] == score[i - 1][j - 1] + both:
            pairs.append((source[i - 1], target[j - 1]))
            i, j = i - 1, j - 1
        elif i and score[i][j] == score[i - 1][j] + SKIP:
            pairs.append((source[i - 1], None))
            i -= 1
        else:
            pairs.append((None, target[j - 1]))
            j -= 1
    return pairs[::-1]


def unpaired(pairs, index: int, path: Path) -> Problem:
    """The finding of a block of the aligned `pairs` that has no counterpart."""
    source, target = pairs[index]
    if target is not None:
        if target.label:
            what = f"the source has no '{target.label.title()}:' line; remove this one"
        else:
            what = (
                f"{describe(kind_of(target))} here has no counterpart in the source; remove it, "
                "or join it to the block it belongs with"
            )
        return Problem.at(path, target.line, f"structure: {what}")
    if source.label:
        return Problem.at(
            path,
            1,
            f"structure: the source has a '{source.label.title()}:' line (line {source.line}) "
            "and this file none; add it, translated, to the header",
        )
    after = next((t for _, t in pairs[index + 1 :] if t is not None), None)
    before = next((t for _, t in reversed(pairs[:index]) if t is not None), None)
    if after is not None:
        line, place = after.line, "before this block"
    elif before is not None:
        line, place = before.line, "after this block"
    else:
        line, place = 1, "in this file"
    return Problem.at(
        path,
        line,
        f"structure: {describe(kind_of(source))} of the source (line {source.line}) has no "
        f"counterpart here; translate it {place}",
    )


FILENAME_LINK = re.compile(r"\{filename\}(?P<path>[^?#]*)(?P<rest>.*)", re.DOTALL)


def same_target(old: str, new: str, source_page: str, translation_page: str) -> bool:
    """Whether a translation's link `new` leads to the same article or page as its source's
    link `old`, in any language: a {filename} link to the translation's own language's
    version keeps the source's path, and one to another language's version (which its own
    language lacks) names that language's folder, {filename}../../en/articles/x.md."""
    found = [FILENAME_LINK.fullmatch(url) for url in (old, new)]
    if not all(found):
        return False
    targets = [
        linked_source(page, unquote(match["path"]))
        for page, match in zip((source_page, translation_page), found, strict=True)
    ]
    return (
        all(targets)
        and language_key(targets[0])[1] == language_key(targets[1])[1]
        and found[0]["rest"] == found[1]["rest"]
    )


# Header fields a translation keeps exactly as its source has them (TRANSLATING.md, "Keep
# the front matter"): when it was published, by whom, and its place in a series; a changed
# one reorders listings or breaks the series box in one language only.
KEPT_FIELDS = ("date", "author", "authors", "series", "series-index")


def check_kept_fields(source_text: str, translation_text: str, path: Path) -> list[Problem]:
    """The header fields of KEPT_FIELDS the translation does not keep as its source has them."""
    source_fields, _ = split_file(source_text)
    fields, _ = split_file(translation_text)
    problems = []
    for key in KEPT_FIELDS:
        name = KNOWN_KEYS[key]
        kept, (value, line) = source_fields.get(key), fields.get(key, (None, 1))
        if kept is None and value is None:
            continue
        if kept is None:
            message = (
                f"{name}: its source has none; remove the line (a translation keeps its "
                "source's header)"
            )
        elif value is None:
            message = f"{name} is missing; copy it from the source: '{name}: {kept[0]}'"
        elif value.strip() != kept[0].strip():
            message = (
                f"{name}: '{value}' differs from its source's; a translation keeps it as the "
                f"source has it: '{name}: {kept[0]}'"
            )
        else:
            continue
        problems.append(Problem.at(path, line, message))
    return problems


def qa_pair(
    source: Path, translation: Path, glossary: Glossary | None, source_lang: str
) -> list[Problem]:
    """Every QA finding of one translation, with the translation's line numbers.

    `glossary`: the glossary of the translation's language (None or no terms: no glossary
    findings).
    """
    source_text, translation_text = read_source(source), read_source(translation)
    pairs = align(translatable_blocks(source_text), translatable_blocks(translation_text))
    pages = content_pages(source, translation, source_lang)
    problems = check_kept_fields(source_text, translation_text, translation)
    for index, (source_block, target_block) in enumerate(pairs):
        if source_block is None or target_block is None:
            problems.append(unpaired(pairs, index, translation))
        else:
            problems += check_block(
                source_block, target_block, translation, glossary, source_lang, pages
            )
    return problems


def content_pages(source: Path, translation: Path, source_lang: str) -> tuple[str, str] | None:
    """The source's and the translation's paths inside their content folder (the folder
    holding the source's language folder); None when the source is in no language folder."""
    folder = next((p for p in source.parents if p.name == source_lang), None)
    if folder is None:
        return None
    try:
        return tuple(
            page.resolve().relative_to(folder.parent.resolve()).as_posix()
            for page in (source, translation)
        )
    except ValueError:
        return None


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
    """QA of every translation of the content, each against its language's glossary, and of
    every catalog."""
    content = Path(settings["PATH"])
    glossaries = load_glossaries(settings)
    problems = [problem for glossary in glossaries.values() for problem in glossary.problems]
    for versions in sources_by_key(settings).values():
        for lang, path in versions.items():
            fields, _ = split_file(read_source(path))
            source_name = fields.get("translation-of", ("", 0))[0]
            if source_name and (content / source_name).is_file():
                source_lang = source_language(source_name)
                glossary = glossaries.get(lang)
                problems += qa_pair(content / source_name, path, glossary, source_lang)
    return sorted(set(problems + qa_catalogs(settings)))
