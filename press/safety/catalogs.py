"""What a gettext catalog may hold: its msgids' markup and placeholders, and no one's name.

The theme renders a msgstr as trusted HTML (`Markup(msgstr) % variables`, Jinja's newstyle
gettext), on every page of its language. So a msgstr may carry markup only where its msgid
carries the same, must keep exactly its msgid's placeholders, and is often put inside an
attribute value (`aria-label="{{ _('Pages') }}"`), where a straight quote would end the value.

Catalogs are published with the site's sources. Their header fields and comments are an
allowlist: fields Babel and translation tools write, each in its expected form, people named
only by an agreed pseudonym, and no e-mail address (no `@`) anywhere.
"""

import gettext
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.pofile import unescape
from selectolax.lexbor import LexborHTMLParser

from press.core.problems import Problem

PSEUDONYM_HINT = "use an agreed pseudonym from content/pseudonyms.toml"


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """A msgid or msgstr as Babel holds it, as a tuple: a plural's are one already (msgid
    and msgid_plural; one msgstr per plural form), any other is one string."""
    return value if isinstance(value, tuple) else (value,)


# --- markup ---------------------------------------------------------------------------------

# The character that ends the attribute values the theme puts messages in (aria-label,
# title). The theme quotes every attribute with it, so an apostrophe stays text
# (tests/test_catalog_safety.py builds the site with one in every message to prove it).
ATTRIBUTE_QUOTE = '"'
# Interface text is short: a msgstr with more "<" than this is refused before its markup is
# read (reading costs one parse per "<").
MAX_ANGLE_BRACKETS = 100


@dataclass(frozen=True)
class MarkupFound:
    """The markup of a string, as a browser's HTML parser reads it in a page's body."""

    # (kind, tag name) of every markup token, found by the parser: "start", "end", or
    # "declaration" (comments, doctypes, CDATA, `</>`); each with its source, for messages.
    tokens: Counter
    sources: dict
    # What the parsed fragment holds: ("<tag>", attributes) of elements, ("<!--", text) of
    # comments.
    nodes: Counter

    @property
    def hidden(self) -> list[str]:
        """Start tags that leave no element here (a page would apply them elsewhere)."""
        shown = Counter(tag for tag, _ in self.nodes.elements())
        return [
            self.sources[token]
            for token, count in self.tokens.items()
            if token[0] == "start" and count > shown[f"<{token[1]}"]
        ]

    def __bool__(self) -> bool:
        return bool(self.tokens)


NO_MARKUP = MarkupFound(Counter(), {}, Counter())


def _fragment(text: str) -> LexborHTMLParser:
    # As innerHTML in a <div>: the context the theme's text is rendered in.
    return LexborHTMLParser(text, is_fragment=True)


def _serialized(text: str) -> str:
    return _fragment(text).html or ""


def _ascii_lower(name: str) -> str:
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in name)


def _token_at(text: str, start: int) -> tuple[str, str]:
    """The kind and tag name of the markup token the parser found starting at `start`."""
    rest = text[start + 1 :]
    kind = "start"
    if rest.startswith("/"):
        kind, rest = "end", rest[1:]
    if not (rest[:1].isascii() and rest[:1].isalpha()):
        return ("declaration", "")
    end = next((i for i, c in enumerate(rest) if c in "\t\n\f\r />"), len(rest))
    return (kind, _ascii_lower(rest[:end]))


def _source_at(text: str, start: int) -> str:
    close = text.find(">", start, start + 80)
    return text[start : close + 1] if close != -1 else text[start : start + 40] + "…"


def markup_of(text: str) -> MarkupFound:
    """The markup of `text`, read by the HTML parser browsers use (Lexbor), never by patterns."""
    if "<" not in text:
        return NO_MARKUP  # every markup token starts with "<"
    parser = _fragment(text)
    reference = parser.html or ""
    tokens, sources = Counter(), {}
    for index, character in enumerate(text):
        # A "<" starts markup exactly when reading it as text ("&lt;") changes the parse:
        # the parser alone decides, whatever the quoting, case, comment or entity tricks.
        if character == "<" and _serialized(f"{text[:index]}&lt;{text[index + 1 :]}") != reference:
            token = _token_at(text, index)
            tokens[token] += 1
            sources.setdefault(token, _source_at(text, index))
    nodes = Counter()
    if parser.root is not None:
        for node in parser.root.traverse(include_text=False):
            if node.is_comment_node:
                nodes[("<!--", node.comment_content or "")] += 1
            elif node.is_element_node:
                attributes = sorted((k, v or "") for k, v in node.attributes.items())
                nodes[(f"<{node.tag}", tuple(attributes))] += 1
    return MarkupFound(tokens, sources, nodes)


def _shown(node) -> str:
    tag, rest = node
    if tag == "<!--":
        return f"<!--{rest}-->"
    return tag + "".join(f' {name}="{value}"' for name, value in rest) + ">"


def markup_problem(msgids: tuple[str, ...], msgstr: str) -> str | None:
    """What is wrong with a msgstr's markup, measured against its msgid's; None if nothing."""
    if msgstr.count("<") > max(MAX_ANGLE_BRACKETS, *(msgid.count("<") for msgid in msgids)):
        return (
            f"the msgstr has more than {MAX_ANGLE_BRACKETS} '<'; interface text is short: "
            "translate the msgid, and only it"
        )
    allowed = [markup_of(msgid) for msgid in msgids]
    found = markup_of(msgstr)
    if not any(allowed):
        if found:
            source = next(iter(found.sources.values()))
            return (
                f"the msgstr has markup ({source!r}) and its msgid has none; interface text "
                "is plain text: remove it (for a literal < write &lt;)"
            )
        if ATTRIBUTE_QUOTE in msgstr and not any(ATTRIBUTE_QUOTE in msgid for msgid in msgids):
            return (
                'the msgstr has a straight double quote (") that its msgid lacks; the theme '
                "puts text inside attribute values, where it would end the value: write “ ” "
                "(or &quot;)"
            )
        return None
    if hidden := found.hidden:
        return (
            f"the msgstr has markup a page would apply outside this text ({hidden[0]!r}); "
            "keep exactly the msgid's tags and attributes"
        )
    if any(found.nodes == want.nodes and found.tokens == want.tokens for want in allowed):
        return None
    want = allowed[-1]
    differences = [f"adds {_shown(n)!r}" for n in (found.nodes - want.nodes)]
    differences += [f"lacks {_shown(n)!r}" for n in (want.nodes - found.nodes)]
    differences += [f"adds {found.sources[t]!r}" for t in (found.tokens - want.tokens)]
    differences += [f"lacks {want.sources[t]!r}" for t in (want.tokens - found.tokens)]
    return (
        f"the msgstr's markup differs from its msgid's ({differences[0]}); keep exactly the "
        "msgid's tags and attributes, with the same values"
    )


# --- placeholders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Placeholders:
    """The %-placeholders of a string, as Babel finds them (`PYTHON_FORMAT`)."""

    named: dict  # "%(name)s" -> "name"
    positional: tuple  # "%s", "%d"... in order
    stray: int  # "%" signs that start no placeholder (Python would refuse the string)


def placeholders_of(text: str) -> Placeholders:
    """The placeholders of `text`; "%%" is a percent sign, not a placeholder."""
    named, positional, stray, end = {}, [], 0, 0
    for match in PYTHON_FORMAT.finditer(text):
        stray += text.count("%", end, match.start())
        end = match.end()
        if match.group(3) == "%":
            continue
        if match.group(1) is not None:
            named[match.group(0)] = match.group(1)
        else:
            positional.append(match.group(0))
    stray += text.count("%", end)
    return Placeholders(named, tuple(positional), stray)


def _listed(items) -> str:
    return ", ".join(sorted(items))


def placeholder_problems(
    required: str, msgstr: str, also_allowed: tuple[str, ...] = (), may_omit_num: bool = False
) -> list[str]:
    """What a msgstr does wrong with the placeholders of `required` (its msgid, or for a
    plural form the msgid_plural); `also_allowed`: other msgids whose placeholders it may use."""
    want = placeholders_of(required)
    have = placeholders_of(msgstr)
    allowed = set(want.named).union(*(placeholders_of(other).named for other in also_allowed))
    missing = {p for p, name in want.named.items() if p not in have.named}
    if may_omit_num:
        missing = {p for p in missing if want.named[p] != "num"}
    added = set(have.named) - allowed
    if want.positional != have.positional:
        missing |= set(want.positional) - set(have.positional)
        added |= set(have.positional) - set(want.positional)
    wrong = [f"drops {_listed(missing)}"] if missing else []
    wrong += [f"adds {_listed(added)}, which its msgid does not have"] if added else []
    if not wrong and want.positional != have.positional:
        wrong.append(
            f"has {' '.join(have.positional)} where its msgid has {' '.join(want.positional)}"
        )
    problems = []
    if wrong:
        order = " (%s and %d stay in the msgid's order)" if want.positional else ""
        problems.append(
            f"{' and '.join(wrong)}; keep exactly the msgid's placeholders, moved where the "
            f"sentence needs them{order}"
        )
    if have.stray:
        problems.append("has a % that starts no placeholder: write %% for a percent sign")
    return problems


def single_number_forms(catalog: Catalog) -> set[int]:
    """The plural forms the catalog's language uses for exactly one number (English "one")."""
    try:
        plural = gettext.c2py(catalog.plural_expr)
        used = Counter(plural(n) for n in range(1000))
    except (ValueError, SyntaxError, ArithmeticError):
        return set()  # every form keeps %(num)d; Babel reports an unreadable Plural-Forms
    return {form for form, count in used.items() if count == 1}


def translation_problems(message: Message, single_forms: set[int]) -> list[str]:
    """What a message's translation does wrong with markup, placeholders or addresses.

    A singular msgstr is measured against the msgid. Every plural form is measured against
    the msgid_plural, and may use the msgid's placeholders too; a form the language uses
    for exactly one number may leave out `%(num)d` ("one article"), every other form keeps it.
    """
    ids, strings = forms(message.id), forms(message.string)
    problems = []
    for form, msgstr in enumerate(strings):
        if not msgstr:
            continue
        label = f"msgstr[{form}]" if message.pluralizable else "the msgstr"
        for what in placeholder_problems(
            ids[-1], msgstr, ids[:-1], message.pluralizable and form in single_forms
        ):
            problems.append(f"{label} {what}")
        if (what := markup_problem(ids, msgstr)) is not None:
            problems.append(what if not message.pluralizable else f"{label}: {what}")
        if (reference := _unknown_reference(msgstr)) is not None:
            problems.append(
                f"{label} has {reference!r}, which XML does not know (the feeds' style sheet is "
                "XML, and a page's text is read as it too): write the character itself (a "
                "no-break space as it is, or &#160;), and & as &amp;"
            )
        if _has_at(msgstr) and not any(_has_at(msgid) for msgid in ids):
            problems.append(
                f"{label} has an @ (an e-mail address?) that its msgid lacks; interface text "
                "names no one: remove it"
            )
    return problems


# The character references XML knows: its five named ones, and numeric ones.
_XML_REFERENCE = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")
_REFERENCE_LIKE = re.compile(r"&[#0-9A-Za-z]{0,32};?")  # what a message shows of one


def _unknown_reference(text: str) -> str | None:
    """The first & of `text` that does not start a reference XML knows (as it is written),
    or that names a character XML does not allow (&#0;, a surrogate, &#xFFFE;)."""
    for match in re.finditer("&", text):
        reference = _XML_REFERENCE.match(text, match.start())
        if reference is None or not _xml_character(reference.group()):
            return _REFERENCE_LIKE.match(text, match.start()).group()
    return None


def _xml_character(reference: str) -> bool:
    """Whether a reference names a character XML 1.0 allows (its production Char)."""
    if not reference.startswith("&#"):
        return True
    digits = reference[2:-1]
    point = int(digits[1:], 16) if digits[:1] in "xX" and digits else int(digits)
    return point in (0x9, 0xA, 0xD) or any(
        low <= point <= high
        for low, high in ((0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF))
    )


def _has_at(text: str) -> bool:
    # Full-width and small commercial ats are the same character once NFKC-folded.
    return "@" in unicodedata.normalize("NFKC", text)


# --- header and comments --------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedNames:
    """The names a catalog may carry: the project's own, and the agreed pseudonyms."""

    project: str
    pseudonyms: frozenset


@dataclass
class _Entry:
    """One entry of a .po file as its lines stand: what the header rules need."""

    comments: list  # (line, text) of the translator comments ("# ...") before it
    context: list | None = None  # (line, decoded piece) of msgctxt
    msgid: list | None = None  # (line, decoded piece) of msgid
    plural: bool = False
    msgstr: list | None = None  # (line, decoded piece) of msgstr or msgstr[0]
    obsolete: bool = False
    line: int = 0  # of the msgid, where Babel places the entry

    def text(self, pieces: list | None) -> str | None:
        """The decoded string of one of the entry's fields (None if it has none)."""
        return None if pieces is None else "".join(piece for _, piece in pieces)


def _entries(lines: list[str]) -> list[_Entry]:
    """The entries of a .po file, read line by line as Babel's parser reads them."""
    entries, comments, current, field = [], [], None, None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        elif line.startswith("#"):
            # A comment ends an entry and belongs to the next one. Babel keeps all but
            # references (#:), flags (#,) and extracted comments (#.) as translator comments.
            current = field = None
            if line[:2] not in ("#:", "#,", "#."):
                comments.append((number, line[1:].strip()))
            continue
        if not line:
            continue
        if line.startswith('"'):
            if field is not None:
                field.append((number, unescape(line)))
            continue
        keyword, _, argument = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgid is not None):
            current = _Entry(comments, obsolete=obsolete)
            entries.append(current)
            comments = []
        if current is None:
            continue  # Babel refuses this; the syntax check reports it
        field = []
        if keyword == "msgctxt":
            current.context = field
        elif keyword == "msgid":
            current.msgid, current.line = field, number
        elif keyword == "msgid_plural":
            current.plural = True
        elif keyword in ("msgstr", "msgstr[0]"):
            current.msgstr = field
        if argument.strip():
            field.append((number, unescape(argument.strip())))
    return entries


YEARS = r"(?:YEAR|\d{4}(?:\s*[-–,]\s*\d{4})*)"
VERSION = r"(?:VERSION|\d[\w.+-]*)"
DATE = r"(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?:[+-]\d{4})?|YEAR-MO-DA HO:MI\+ZONE)"
# Header fields a catalog may have, each with the form of its value. People (and teams)
# are named in three fields only, by pseudonym; an unknown field is refused.
PERSON_FIELDS = ("Report-Msgid-Bugs-To", "Last-Translator", "Language-Team")
FIELD_FORMS = {
    "Project-Id-Version": re.compile(rf"(?P<project>.+?)(?: {VERSION})?"),
    "POT-Creation-Date": re.compile(DATE),
    "PO-Revision-Date": re.compile(DATE),
    "Language": re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*"),
    "Plural-Forms": re.compile(r"nplurals=\d+; *plural=[n0-9\s()?:<>=!&|%+*/-]+;?"),
    "MIME-Version": re.compile(r"1\.0"),
    "Content-Type": re.compile(r"text/plain; charset=(?i:utf-8)"),
    "Content-Transfer-Encoding": re.compile(r"8bit"),
    "Generated-By": re.compile(rf"Babel {VERSION}"),
    "X-Generator": re.compile(rf"(?:Poedit|Lokalize|Gtranslator|Virtaal|Weblate) {VERSION}"),
}
# Lines of the header comment (the "# " block above the header), as Babel writes them; the
# named groups must hold the project's name, a pseudonym or Babel's untouched placeholder.
COMMENT_FORMS = (
    re.compile(r""),
    re.compile(r"Translators:"),
    re.compile(r"Translations template for (?P<project>.+)\."),
    re.compile(r"(?P<language>.+) translations for (?P<project>.+)\."),
    re.compile(rf"Copyright \([Cc]\) {YEARS} (?P<project>.+)"),
    re.compile(r"This file is distributed under the same license as the (?P<project>.+) project\."),
    re.compile(rf"(?P<author>[^<>,]+?)(?P<address> *<[^>]*>)?, {YEARS}\.?"),
)
PLACEHOLDER_NAMES = {"project": ("PROJECT", "ORGANIZATION"), "author": ("FIRST AUTHOR",)}


def header_problems(
    po_path: Path, lines: list[str], catalog: Catalog, names: AgreedNames | None
) -> list[Problem]:
    """Every header field and header comment line outside the allowlist, and every @."""
    problems = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#") and _has_at(stripped):
            problems.append(
                Problem.at(
                    po_path,
                    number,
                    "this comment has an @ (an e-mail address); catalogs are published with "
                    f"the site: remove the address ({PSEUDONYM_HINT} to sign)",
                )
            )
    first_at = {}
    for entry in _entries(lines):
        if entry.obsolete or entry.msgid is None:
            continue
        key = (entry.text(entry.context), entry.text(entry.msgid))
        if key in first_at:
            # Babel silently keeps the first, and only the first is checked; GNU msgfmt
            # refuses the file. A second translation nobody reads is still published.
            problems.append(
                Problem.at(
                    po_path,
                    entry.line,
                    f"this msgid is already at line {first_at[key]} (Babel uses the first, "
                    "msgfmt refuses the file): keep one of the two entries",
                )
            )
        first_at.setdefault(key, entry.line)
        if key[1] == "" and not entry.plural:
            problems += _field_problems(po_path, entry, names)
            problems += _comment_problems(po_path, entry, catalog, names)
    return problems


def _split_fields(entry: _Entry) -> list[tuple[int, str]]:
    """The header's fields ("Name: value"), each with the .po line it starts on."""
    fields, current, start = [], "", None
    for number, piece in entry.msgstr or []:
        for index, part in enumerate(piece.split("\n")):
            if index > 0:  # a newline ended the field before this part
                if current:
                    fields.append((start, current))
                current, start = "", None
            if part and start is None:
                start = number
            current += part
    if current:
        fields.append((start, current))
    return fields


def _field_problems(po_path: Path, entry: _Entry, names: AgreedNames | None) -> list[Problem]:
    problems = []
    for line, field in _split_fields(entry):
        name, colon, value = field.partition(":")
        value = value.strip()
        if _has_at(field):
            problems.append(
                Problem.at(
                    po_path,
                    line,
                    f"the header field {name.strip()!r} has an @ (an e-mail address); catalogs "
                    f"are published with the site: {_what_to_write(name)}",
                )
            )
            continue
        if not colon or name != name.strip() or not name:
            problems.append(
                Problem.at(
                    po_path,
                    line,
                    "a header line that is not 'Name: value'; write each field on one line, "
                    "or remove the line",
                )
            )
        elif name in PERSON_FIELDS:
            if value and names is not None and value not in names.pseudonyms:
                problems.append(
                    Problem.at(
                        po_path,
                        line,
                        f"{name} is not on the pseudonym list; catalogs are published with "
                        f"the site: {_what_to_write(name)}",
                    )
                )
        elif name not in FIELD_FORMS:
            problems.append(
                Problem.at(
                    po_path,
                    line,
                    f"the header field {name!r} is not one a catalog may carry (those are "
                    f"{', '.join([*PERSON_FIELDS, *FIELD_FORMS])}): remove it",
                )
            )
        elif not _value_allowed(name, value, names):
            problems.append(
                Problem.at(
                    po_path,
                    line,
                    f"the header field {name} is not in its expected form; write it as Babel "
                    "does (`invoke i18n.init` and `invoke i18n.update` do), naming no one",
                )
            )
    return problems


def _value_allowed(name: str, value: str, names: AgreedNames | None) -> bool:
    """Whether a known field's value has its form, and names only the project."""
    match = FIELD_FORMS[name].fullmatch(value)
    if match is None or not _names_agreed(match, names):
        return False
    if name == "Plural-Forms":
        # The expression picks a form for every number, within nplurals (no crash at render).
        count, _, expression = value.partition(";")
        try:
            plural = gettext.c2py(expression.strip().removeprefix("plural=").rstrip(";"))
            return all(0 <= plural(n) < int(count.split("=")[1]) for n in range(1000))
        except (ValueError, SyntaxError, ArithmeticError):
            return False
    return True


def _what_to_write(field: str) -> str:
    if field.strip() in PERSON_FIELDS:
        return f"leave it empty or {PSEUDONYM_HINT}"
    return "remove the address"


def _names_agreed(match: re.Match, names: AgreedNames | None) -> bool:
    """Whether a matched line names only the project, a pseudonym or Babel's placeholder,
    and gives no address."""
    groups = match.groupdict()
    if groups.get("address"):
        return False  # even "FIRST AUTHOR <EMAIL@ADDRESS>": names no one only once bare
    for group in ("project", "author"):
        value = (groups.get(group) or "").strip()
        if not value or value in PLACEHOLDER_NAMES[group] or names is None:
            continue  # without a readable list, names are not judged (the list is reported)
        if value != names.project and value not in names.pseudonyms:
            return False
    return True


def _comment_problems(
    po_path: Path, entry: _Entry, catalog: Catalog, names: AgreedNames | None
) -> list[Problem]:
    problems = []
    for line, text in entry.comments:
        if _has_at(text):
            continue  # reported with every comment line
        if not _comment_allowed(text, catalog, names):
            problems.append(
                Problem.at(
                    po_path,
                    line,
                    "the header comment may hold only Babel's lines (title, copyright, "
                    "licence) and author lines naming an agreed pseudonym ('Name, YEAR.'), "
                    f"with no address: {PSEUDONYM_HINT}, or remove the line",
                )
            )
    return problems


def _comment_allowed(text: str, catalog: Catalog, names: AgreedNames | None) -> bool:
    """Whether a line of the header comment is one of COMMENT_FORMS, naming no one else."""
    match = next((m for form in COMMENT_FORMS if (m := form.fullmatch(text))), None)
    if match is None:
        return False
    language = match.groupdict().get("language")
    if language is not None and language != _language_name(catalog):
        return False  # "Korean translations for FFHR.", not "Kim's translations..."
    return _names_agreed(match, names)


def _language_name(catalog: Catalog) -> str | None:
    try:
        return Locale.parse(catalog.locale).english_name if catalog.locale else None
    except (ValueError, UnknownLocaleError):
        return None


# --- the whole catalog ----------------------------------------------------------------------


def catalog_problems(po_path: Path, catalog: Catalog, names: AgreedNames | None) -> list[Problem]:
    """Every way a parsed catalog breaks the rules of this module, by file and line.

    `names` None means the pseudonym list could not be read (reported on its own): names are
    then not checked, but addresses, markup and placeholders are.
    """
    problems = []
    single_forms = single_number_forms(catalog)
    for message in catalog:
        if not message.id:
            continue
        first = forms(message.id)[0]
        for what in translation_problems(message, single_forms):
            problems.append(Problem.at(po_path, message.lineno, f"{first!r}: {what}"))
    with po_path.open("rb") as fileobj:
        lines = [line.decode(catalog.charset or "utf-8", "replace") for line in fileobj]
    return (
        problems + string_problems(po_path, lines) + header_problems(po_path, lines, catalog, names)
    )


# A string of a .po file as GNU gettext writes it: in double quotes, every " and \ inside
# escaped. Babel's reader takes a line's first and last characters off whatever they are,
# so a closing quote left out costs the text its last character, silently.
_PO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEYWORD = re.compile(r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+")


def string_problems(po_path: Path, lines: list[str]) -> list[Problem]:
    """Every line of a .po file whose string is not one whole quoted string."""
    problems = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("#~"):
            line = line[2:].lstrip()
        elif line.startswith("#") or not line:
            continue
        keyword = _KEYWORD.match(line)
        string = line[keyword.end() :] if keyword else line
        if (keyword or string.startswith('"')) and not _PO_STRING.fullmatch(string):
            problems.append(
                Problem.at(
                    po_path,
                    number,
                    "this string is not one whole string in double quotes: write it between "
                    'two " (one at each end of the line), and a " inside it as \\"',
                )
            )
    return problems


def name_no_one(catalog: Catalog, pseudonym: str) -> None:
    """Give a new catalog's header the team's pseudonym and no address, in place of Babel's
    "FULL NAME <EMAIL@ADDRESS>", "EMAIL@ADDRESS" and "FIRST AUTHOR <EMAIL@ADDRESS>"."""
    catalog.last_translator = catalog.language_team = pseudonym
    catalog.msgid_bugs_address = ""
    catalog.header_comment = catalog.header_comment.replace(
        "FIRST AUTHOR <EMAIL@ADDRESS>", pseudonym
    )
