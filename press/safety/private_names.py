"""Names that must never be published, kept in a private list outside the repository.

A maintainer names the list's file in the environment variable PRIVATE_NAMES_FILE: one
real name or place per line, `#` starting a comment. Every check that looks for them
reports where a name stands (a file and line) and which line of the list it matches, never
the name itself, and nothing here writes the names anywhere: not into settings (Pelican
pickles those into its cache), messages, logs or files.

Text and names are compared after the same normalization, so that a name still matches
when it is written in another case, in full-width letters, with zero-width characters
inside, with decomposed Hangul, or with other punctuation and spacing between its parts.
"""

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import unquote

from unidecode import unidecode

from press.core.problems import Problem

ENVIRONMENT_VARIABLE = "PRIVATE_NAMES_FILE"
# What a report says instead of the name.
WHAT = "a name on the private names list"
# What a report says of a document that holds a name (its line on the list goes in {}).
IN_DOCUMENT = f"its text or properties contain {WHAT} (its line {{}}); remove it from the document"


class PrivateNamesError(Exception):
    """The list is named but cannot be used; the message says why, never what it holds."""

    def __str__(self) -> str:
        return f"{ENVIRONMENT_VARIABLE}: {self.args[0]}"


def normalize(text: str) -> str:
    """Text as names are compared: letters without their accents and as the Latin letters they
    look like, case-folded, invisible characters removed, and every run of characters that are
    not letters or digits one space."""
    # Letters of other scripts that look like Latin ones (Cyrillic "е", Armenian "օ",
    # Cherokee "Ꮯ", small capitals, "ł") read as the Latin letter: a reader sees the name
    # either way. First as written (Ϲ, a lunate sigma that looks like C, is a Σ to NFKD),
    # then decomposed, then case-folded (capitals have look-alikes of their own).
    look_alikes = _look_alikes()
    text = text.translate(look_alikes)
    # NFKD folds full-width and compatibility forms and takes accents off their letters
    # ("Kím" reads "Kim"); what a reader does not see goes: those accents and other
    # combining marks, format characters (zero-width space and joiners, soft hyphen, bidi
    # marks), and Unicode's other default-ignorable characters (variation selectors, the
    # combining grapheme joiner, Hangul fillers). Hangul is composed again after that.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not _invisible(c))
    text = composed_hangul(text.translate(look_alikes))
    text = text.casefold().translate(look_alikes)
    return _SEPARATORS.sub(" ", text).strip()


def composed_hangul(text: str) -> str:
    """Text in NFC, Hangul in loose letters ("ㄱㅣㅁ", decomposed) joined into syllables."""
    if _LONE_JAMO.search(text):
        text = _LONE_JAMO.sub(_as_final, text)
    return unicodedata.normalize("NFC", text)


_SEPARATORS = re.compile(r"[\W_\u318d\u119e]+")  # ㆍ (araea) is a middle dot in names
# Hangul written in loose letters ("ㄱㅣㅁ" for "김"): NFKD makes each consonant an initial,
# and one after a vowel and before no vowel is the syllable's final, which NFC joins to it.
_LONE_JAMO = re.compile("(?<=[\u1161-\u1175])([\u1100-\u1112])(?![\u1161-\u1175])")
_JAMO = re.compile("[\u1100-\u11ff]")
_FINALS = dict(zip("ᄀᄁᄂᄃᄅᄆᄇᄉᄊᄋᄌᄎᄏᄐᄑᄒ", "ᆨᆩᆫᆮᆯᆷᆸᆺᆻᆼᆽᆾᆿᇀᇁᇂ", strict=True))


def _as_final(match: re.Match) -> str:
    return _FINALS.get(match.group(1), match.group(1))


# Look-alikes Unicode's confusables leave out: lower-case forms that case folding reaches,
# and Latin small capitals.
_MORE_LOOK_ALIKES = dict(
    zip(
        "аъьвсԁеһіјӏкмпоорԛѕтυуѵԝхɡʀѡαβεηικνορτυχζᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ",
        "abbbcdehijlkmnoopqstuyvwxgrwabenikvoptuxzabcdefghijklmnoprstuvwyz",
        strict=True,
    )
)
# Scripts whose letters are never read as Latin ones here: Hangul keeps its own letters
# ("ㅇ" is not "o"), and Han characters are not Latin letters.
_OWN_LETTERS = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\u2e80-\u9fff]")


@cache
def _look_alikes() -> dict[int, str]:
    """Every letter or digit of Unicode's confusables (UTS #39) that looks like one ASCII one."""
    from confusable_homoglyphs.confusables import confusables_data  # loaded only with a list

    table = {}
    for character, homoglyphs in confusables_data.items():
        if len(character) != 1 or character.isascii() or _OWN_LETTERS.match(character):
            continue
        ascii_ = {h["c"].lower() for h in homoglyphs if h["c"].isascii() and h["c"].isalnum()}
        if len(ascii_) == 1 and len(first := next(iter(ascii_))) == 1:
            table[ord(character)] = first
    for low, high in _LATIN_LIKE:
        for point in range(low, high + 1):
            character = chr(point)
            if point in table or not (character.isalpha() or low == 0x1F100):
                continue
            # Letters with a stroke, bar or hook Unicode does not decompose ("ł", "ø", "Ħ",
            # "ɨ"), and letters in squares: Unidecode (which comes with Pelican) spells each.
            spelled = unidecode(character).strip("[]() ").lower()
            if spelled.isascii() and spelled.isalpha() and len(spelled) <= 2:
                table[point] = spelled
    return {ord(letter): latin for letter, latin in _MORE_LOOK_ALIKES.items()} | table


# Blocks of Latin letters with marks, IPA and the enclosed alphanumerics supplement.
_LATIN_LIKE = (
    (0x00C0, 0x024F), (0x0250, 0x02AF), (0x1D00, 0x1DBF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF), (0x1F100, 0x1F1FF),
)  # fmt: skip


_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt) beyond category Cf.
_IGNORABLE = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF),
)  # fmt: skip


def _invisible(character: str) -> bool:
    if unicodedata.category(character) in ("Cf", "Mn", "Me"):
        return True
    point = ord(character)
    return any(low <= point <= high for low, high in _IGNORABLE)


@dataclass(frozen=True)
class Occurrence:
    """Where a listed name stands: a line of the text, and the line of the list it is on."""

    line: int  # 1-based line in the text searched (0: the text has no lines, e.g. a name)
    entry: int  # 1-based line of the private list

    def problem(self, path: str, what_to_do: str) -> Problem:
        """The report of this occurrence, naming the place and the list's line only."""
        return Problem(path, self.line, f"contains {WHAT} (its line {self.entry}); {what_to_do}")


class PrivateNames:
    """The private list, ready to search text and file names for its entries."""

    def __init__(self, entries: dict[int, str]):
        # entry line -> normalized name; blank and comment lines are not entries.
        self._entries = {line: name for line, name in entries.items() if name}

    def __repr__(self) -> str:  # never the names, even in a traceback or a debugger
        return f"<PrivateNames: {len(self._entries)} entries>"

    def __len__(self) -> int:
        return len(self._entries)

    @classmethod
    def from_file(cls, path: Path, repository: Path | None = None) -> "PrivateNames":
        """Read the list at `path`; refuse one inside `repository`, where git could take it."""
        path = Path(path).expanduser()
        if repository is not None and path.resolve().is_relative_to(repository.resolve()):
            raise PrivateNamesError(
                "names a file inside the repository, where git could take it; the list must "
                "never be committed: move it outside the project folder"
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
            raise PrivateNamesError(
                f"names a file that cannot be read ({reason}); fix the path or the file"
            ) from None
        return cls.from_file_text(text)

    @classmethod
    def from_file_text(cls, text: str) -> "PrivateNames":
        """The list in `text`: a name a line; blank lines and lines starting with # are not."""
        return cls(
            {
                number: normalize(line)
                for number, line in enumerate(text.splitlines(), 1)
                if not line.lstrip().startswith("#")
            }
        )

    @classmethod
    def from_environment(cls, repository: Path | None = None) -> "PrivateNames | None":
        """The list PRIVATE_NAMES_FILE names, or None when it names none."""
        value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
        return cls.from_file(Path(value), repository) if value else None

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        # One alternation for every name: a text is searched once, whatever the list's length.
        # A name that starts or ends with a Latin letter matches only where no Latin letter
        # touches it ("lee" is not in "sleep", "ri mi" not in "criminal"; a footnote's digit
        # may follow it), with its letters run together or spaced apart ("Kim Cholsu",
        # "KimCholsu", "K i m"); Hangul and other scripts attach particles without a space
        # ("김철수가"), so they match anywhere.
        if not self._entries:
            return None
        parts = []
        for line, name in self._entries.items():
            if _latin(name):
                spaced = " ?".join(map(re.escape, name.replace(" ", "")))
                parts.append(f"(?P<e{line}>(?<![a-z]){spaced}(?![a-z]))")
            else:
                parts.append(f"(?P<e{line}>{re.escape(name)})")
        return re.compile("|".join(parts))

    @cached_property
    def _squeezed(self) -> re.Pattern | None:
        # Names in scripts written without spaces between words (Hangul) also match with
        # their parts spaced apart ("김 철수", "ㄱ ㅣ ㅁ"): searched in the text with every
        # separator removed (and loose Hangul letters joined again).
        parts = [
            f"(?P<e{line}>{re.escape(name.replace(' ', ''))})"
            for line, name in self._entries.items()
            if not _latin(name)
        ]
        return re.compile("|".join(parts)) if parts else None

    def _entries_in(self, normalized: str) -> set[int]:
        if self._pattern is None:
            return set()
        found = _matched(self._pattern, normalized, self._entries)
        if self._squeezed is not None:
            squeezed = normalized.replace(" ", "")
            if _JAMO.search(squeezed):
                squeezed = composed_hangul(squeezed)
            found |= _matched(self._squeezed, squeezed)
        return found

    def entries_in(self, text: str) -> list[int]:
        """The list's lines whose names stand anywhere in `text` (no lines: a document's)."""
        return sorted({hit.entry for hit in self.in_text(text)})

    def in_text(self, text: str) -> list[Occurrence]:
        """Every listed name in `text`, by line; a name broken across lines counts on the
        first of them."""
        if self._pattern is None or not text:
            return []
        if "xn--" in text.lower():
            # An address's host in punycode: browsers show it in its own letters.
            text = "\n".join(
                f"{line} {_PUNYCODE.sub(_unpunycoded, line)}" if "xn--" in line.lower() else line
                for line in text.split("\n")
            )
        if _RIGHT_TO_LEFT.search(text) or "<bdo" in text.lower():
            # Right-to-left overrides and marks show text in another order than it is stored.
            text = "\n".join(_as_displayed(line) for line in text.split("\n"))
        everywhere = self._entries_in(normalize(text))
        if not everywhere:
            return []  # the common case: one search of the whole text
        lines = [normalize(line) for line in text.splitlines()]
        found, placed = [], set()
        for index, line in enumerate(lines):
            entries = self._entries_in(line)
            if index + 1 < len(lines):
                joined = self._entries_in(f"{line} {lines[index + 1]}")
                entries |= joined - self._entries_in(lines[index + 1])
            found += [Occurrence(index + 1, entry) for entry in sorted(entries)]
            placed |= entries
        for entry in sorted(everywhere - placed):
            # Broken over more than two lines ("김\n철\n수"): the first line of the shortest
            # run of lines that holds it.
            found.append(Occurrence(_first_line(self, lines, entry), entry))
        return found

    def in_name(self, name: str) -> list[Occurrence]:
        """Listed names a file name spells, whatever separates their parts, or nothing does."""
        # Letters and digits apart too: "kim-chol-su2.jpg" spells "Kim Chol-su".
        words = _LETTERS_OR_DIGITS.findall(normalize(name))
        # Every run of consecutive words, run together: "kim-chol-su" and "kimcholsu" both
        # spell "Kim Chol-su", and "sleep" does not spell "Lee".
        runs = {
            "".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        }
        squeezed = "".join(words)
        found = []
        for line, entry in self._entries.items():
            target = entry.replace(" ", "")
            latin = entry[0].isascii() and entry[-1].isascii()
            if (target in runs) if latin else (target in squeezed):
                found.append(Occurrence(0, line))
        return found

    def redact(self, text: str) -> str:
        """`text` with every listed name in it masked: for messages that quote content."""
        pattern = self._pattern
        if pattern is None:
            return text
        decoded = unquote(text) if "%" in text else text
        if decoded != text and self._entries_in(normalize(decoded)):
            text = decoded  # a percent-escaped name, shown decoded and masked
        if not self._entries_in(normalize(text)):
            return text
        # Normalized character by character, each remembering where it came from.
        normalized, origin = [], []
        for index, character in enumerate(text):
            for piece in _SEPARATORS.sub(" ", normalize(character) or " ") or " ":
                if piece == " " and normalized and normalized[-1] == " ":
                    continue
                normalized.append(piece)
                origin.append(index)
        joined = "".join(normalized)
        spans = [
            (origin[match.start()], origin[match.end() - 1] + 1)
            for match in pattern.finditer(joined)
        ]
        if not spans:  # composed across characters (decomposed Hangul): mask it all
            return REDACTED
        for start, end in reversed(spans):
            text = f"{text[:start]}{REDACTED}{text[end:]}"
        return text


_PUNYCODE = re.compile(r"(?i)xn--([a-z0-9-]+)")


def _unpunycoded(match: re.Match) -> str:
    try:
        return match.group(1).encode("ascii").decode("punycode")
    except UnicodeError:
        return match.group()


def _latin(name: str) -> bool:
    return name[0].isascii() and name[0].isalpha() and name[-1].isascii() and name[-1].isalpha()


def _first_line(names: PrivateNames, lines: list[str], entry: int) -> int:
    """The 1-based line where the shortest run of `lines` holding `entry` starts (1: none)."""
    for size in range(3, len(lines) + 1):
        for start in range(len(lines) - size + 1):
            if entry in names._entries_in(" ".join(lines[start : start + size])):
                return start + 1
    return 1


# Characters that show text right to left: marks, embeddings, overrides and isolates.
_RIGHT_TO_LEFT = re.compile("[\u200f\u061c\u202b\u202e\u2067]")
_OVERRIDE = re.compile("\u202e([^\u202c\u2069\n]*)")


def _as_displayed(line: str) -> str:
    """A line, then as a browser may show it: a right-to-left override's text reversed in
    place, the words of a right-to-left run in reverse order, and the whole line reversed."""
    shown = _OVERRIDE.sub(lambda match: match.group(1)[::-1], line)
    words = " ".join(reversed(line.split())) if _RIGHT_TO_LEFT.search(line) else ""
    return f"{line} {shown} {words} {line[::-1]}"


def _matched(pattern: re.Pattern, text: str, names: dict[int, str] | None = None) -> set[int]:
    """The entries a pattern of named groups e<line> finds in `text`; with `names`, a Latin
    name's match only where its words split as the name's do, or none is a lone letter."""
    found, position = set(), 0
    # finditer misses a name that overlaps another's match: search again from the next
    # character after each match, so every entry present is found.
    while (match := pattern.search(text, position)) is not None:
        entry = int(match.lastgroup[1:])
        if names is None or _split_as_written(match.group(), names[entry]):
            found.add(entry)
        position = match.start() + 1
    return found


def _split_as_written(matched: str, name: str) -> bool:
    """Whether a match of a Latin name's letters is a way of writing the name: split where it
    is ("Kim Cholsu"), or into words of two letters or more ("KimCholsu", "Kim Chol Su"), not
    "or a" for "O Ra"."""
    words = matched.split()
    return words == name.split() or all(len(word) > 1 for word in words)


REDACTED = "[a private name]"


def redact_all(lines) -> list[str]:
    """Messages as they may be shown: with PRIVATE_NAMES_FILE set, listed names masked."""
    lines = [str(line) for line in lines]
    try:
        names = PrivateNames.from_environment()
    except PrivateNamesError:
        return lines
    return lines if names is None else [names.redact(line) for line in lines]
