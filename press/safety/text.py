"""What source text may hold: characters that are text, and blocks nested to a sane depth.

A control character (NUL, ESC...) is not text: feeds cannot carry it (XML 1.0 forbids it)
and Python-Markdown silently drops some (STX, ETX), so a reader would see other words
than the author wrote. Lists and quotes nested hundreds deep overflow Python-Markdown's
recursion, and past 255 levels the HTML parser of the gates stops reading a page, so
anything further down it would go unchecked.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Control characters (C0 but tab and line feed, DEL, C1) and the noncharacters of the basic
# plane (U+FFFE and U+FFFF, which XML 1.0 forbids too): never text. A carriage return is a
# line end, which sources are read with. (The other planes' noncharacters are left out: XML
# allows them, and one of them in the class makes every search slower.)
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
# The names writers know some of them by.
CONTROL_NAMES = {
    0x00: "NUL", 0x02: "STX", 0x03: "ETX", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VT",
    0x0C: "FORM FEED", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
}  # fmt: skip


@dataclass(frozen=True)
class Character:
    """Where a character that is not text stands: 1-based line and column."""

    line: int
    column: int
    char: str

    @property
    def name(self) -> str:
        """U+0000 (NUL), or U+0001 for one without a common name."""
        code = ord(self.char)
        known = CONTROL_NAMES.get(code)
        return f"U+{code:04X} ({known})" if known else f"U+{code:04X}"


def characters_not_text(text: str) -> Iterator[Character]:
    """Every character of `text` that is not text, in order."""
    for match in NOT_TEXT.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        yield Character(text.count("\n", 0, start) + 1, start - line_start + 1, match.group())


# What opens a block inside another at the start of a line, after its indentation: a list
# item's marker with the spaces after it, a definition (extra's def_list), a footnote's
# definition, or a quote's ">" (with at most one space: more make code inside the quote).
_LIST_MARKER = re.compile(r"(?:[*+-]|\d+[.)])(?:[ ]+|$)")
_DEFINITION = re.compile(r":(?:[ ]+|$)")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]:[ ]*")
_QUOTE = re.compile(r">[ ]?")
# Python-Markdown's horizontal rule ("- - -", "***"), which is no list.
_RULE = re.compile(r"(?:(?:-+[ ]{0,2}){3,}|(?:_+[ ]{0,2}){3,}|(?:\*+[ ]{0,2}){3,})[ ]*$")


def line_nesting(line: str, tab_length: int = 4) -> tuple[int, bool]:
    """How many blocks a line opens or stands inside by its own start, and whether one of
    them is a definition.

    Each step of `tab_length` columns of indentation, each quote marker and each list,
    definition or footnote marker counts one level.
    """
    line = line.expandtabs(tab_length)
    level = position = 0
    definition = False
    while True:
        indented = len(line) - position - len(line[position:].lstrip(" "))
        level += indented // tab_length
        position += indented
        if _RULE.match(line, position):
            return level, definition
        if match := _DEFINITION.match(line, position):
            definition = True
        else:
            match = (
                _QUOTE.match(line, position)
                or _LIST_MARKER.match(line, position)
                or _FOOTNOTE.match(line, position)
            )
        if match is None:
            return level, definition
        level += 1
        position = match.end()


def nesting_levels(
    lines: Iterable[str], tab_length: int = 4, above: int = 0
) -> Iterator[tuple[int, int]]:
    """(1-based line number, level) of every line that stands more than `above` levels deep.

    A line's level is what its own start opens (line_nesting), plus the levels of the
    definitions before it in the same run of lines (no blank line between): Python-Markdown
    nests the rest of such a run inside a definition, so that a glossary written without
    blank lines ("Term", ": definition", "Term", ": definition"...) goes one list deeper at
    each term. Nothing else carries depth from line to line: a lazy line continues a
    paragraph and opens no block.
    """
    carried = 0  # the levels of the definitions so far in this run of lines
    for number, line in enumerate(lines, 1):
        if not line.strip():
            carried = 0
            continue
        # Most lines start with a letter: they open nothing.
        if line[:1] not in _STARTS:
            if carried > above:
                yield number, carried
            continue
        # Every level takes at least one character of the line's start: a short start is
        # not deep enough to matter, unless it is a definition (which carries its level on).
        start = _START.match(line).end()
        if start <= above and not carried and ":" not in line[:start]:
            continue
        level, definition = line_nesting(line, tab_length)
        if level + carried > above:
            yield number, level + carried
        if definition:
            carried += level


_STARTS = frozenset(" \t>*+-:[0123456789")
_START = re.compile(r"(?:[ \t>*+:.)\-\d]|\[\^[^\]]*\]:)*")
