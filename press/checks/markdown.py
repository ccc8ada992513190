"""Checks of one Markdown source: encoding, metadata header, links and images."""

import difflib
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pelican.readers import ensure_metadata_list
from pelican.utils import slugify

from press.core.clock import DATE
from press.core.problems import Problem
from press.core.sources import (
    APPROVED_PARAGRAPHS,
    CODE_SPAN,
    FENCE,
    MARKDOWN_LINK,
    META_LINE,
    RECORD_FIELDS,
    REVIEW_STATES,
    SOURCE_PARAGRAPHS,
    STATUSES,
    Field,
    is_image,
    parse_header,
)
from press.safety.text import characters_not_text, nesting_levels

# Metadata keys a source may use; anything else is most likely a typo.
KNOWN_KEYS = {
    "title": "Title",
    "date": "Date",
    "modified": "Modified",
    "author": "Author",
    "authors": "Authors",
    "category": "Category",
    "tags": "Tags",
    "summary": "Summary",
    "status": "Status",
    "translation-of": "Translation-Of",
    # A series of articles (press.rendering.keep_reading): its name, and a part's place in it.
    "series": "Series",
    "series-index": "Series-Index",
    # The sync record (press.core.sources), written by the translation commands.
    **{name.lower(): name for name in RECORD_FIELDS},
    "review": "Review",
    "reviewer": "Reviewer",
    "translator": "Translator",
}
# Keys whose value may go on over indented lines: Pelican reads any other so continued as
# two values (a title shown as a list, a second Author refused).
CONTINUED_KEYS = {SOURCE_PARAGRAPHS.lower(), APPROVED_PARAGRAPHS.lower()}

INTRASITE = re.compile(r"\{(?P<what>filename|static|attach)\}(?P<target>[^)\s\"'>]+)")


@dataclass
class Source:
    """What the cross-file checks need to know about one Markdown source."""

    path: Path
    lang: str
    kind: str  # "article" or "page"
    key: str
    slug: str
    fields: dict[str, Field] = field(default_factory=dict)

    def value(self, key: str, default: str = "") -> str:
        """The value of one metadata key, or `default`."""
        return self.fields[key].value if key in self.fields else default

    def line(self, key: str) -> int:
        """The line of one metadata key, or 1 when it is missing."""
        return self.fields[key].line if key in self.fields else 1


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Decode a source as UTF-8 (a BOM and CRLF line ends are fine), or say where it is not."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - line_start + 1
        byte = raw[exc.start]
        return None, [
            Problem.at(
                path,
                line,
                f"column {column}: byte 0x{byte:02x} is not valid UTF-8; save the file "
                "as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def continuation_problems(path: Path, item: Field) -> list[Problem]:
    """Indented lines that continue a key which takes one value."""
    if item.key in CONTINUED_KEYS:
        return []
    name = KNOWN_KEYS.get(item.key, item.key)
    problems = []
    for line, part in zip(item.continued_on, item.parts[1:], strict=True):
        looks_like = META_LINE.match(part)
        what = f"'{looks_like['key']}'" if looks_like else "its text"
        problems.append(
            Problem.at(
                path,
                line,
                f"this line is indented (with a tab or four spaces), so Markdown reads {what} "
                f"as more of '{name}' on line {item.line}, not as a line of its own; remove "
                "the indentation (or join the text to the line above)",
            )
        )
    return problems


def check_indented_header(path: Path, lines: list[str]) -> list[Problem]:
    """A header whose first line is indented, which Markdown reads as text."""
    first = lines[0] if lines else ""
    if first[:1] not in (" ", "\t") or not META_LINE.match(first.lstrip()):
        return []
    return [
        Problem.at(
            path,
            1,
            "the first line is indented, so Markdown reads the whole header as text (and "
            "the page would have no title, date or author); remove the indentation",
        )
    ]


def check_characters(path: Path, text: str) -> list[Problem]:
    """Characters that are not text (NUL, other control characters): the first, and how many."""
    found = list(characters_not_text(text))
    if not found:
        return []
    first = found[0]
    more = f" (and {len(found) - 1} more in this file)" if len(found) > 1 else ""
    return [
        Problem.at(
            path,
            first.line,
            f"column {first.column}: {first.name} is a control character, not text{more}: "
            "readers cannot see it, feeds cannot carry it and Markdown drops some silently; "
            "delete it (it usually comes with text pasted from another program)",
        )
    ]


def check_nesting(path: Path, lines: list[str], first_line: int, limit: int) -> list[Problem]:
    """Lists, quotes and definitions nested deeper than `limit`: the first such line."""
    deepest = first = None
    for number, level in nesting_levels(lines, above=limit):
        first = first or (number, level)
        if deepest is None or level > deepest[1]:
            deepest = (number, level)
    if first is None:
        return []
    further = (
        f", and {deepest[1]} on line {deepest[0] + first_line - 1}" if deepest != first else ""
    )
    return [
        Problem.at(
            path,
            first[0] + first_line - 1,
            f"lists, quotes or definitions are nested {first[1]} levels deep here{further}; "
            f"the limit is {limit} (CHECK_MAX_NESTING): much deeper, Python-Markdown and the "
            "HTML parser of the build's checks give up. Flatten the list, or separate the "
            "items with blank lines",
        )
    ]


def check_date(path: Path, item: Field) -> list[Problem]:
    """A date must be a real calendar date written YYYY-MM-DD (optionally with HH:MM)."""
    value = item.value
    if DATE.fullmatch(value):
        try:
            datetime.fromisoformat(value)  # the shapes DATE allows, checked as a calendar date
            return []
        except ValueError:
            what = f"'{value}' is not a real date"
    else:
        what = f"'{value}' is not a full date"
    name = KNOWN_KEYS[item.key]
    return [
        Problem.at(
            path,
            item.line,
            f"{name}: {what}; write it as YYYY-MM-DD, e.g. {name}: 2024-01-10",
        )
    ]


def check_modified_after_date(path: Path, date: Field, modified: Field) -> list[Problem]:
    """A Modified date (both already valid) is the Date or later: readers see it as "Updated"."""
    # A date without a time is the start of its day, as Pelican reads it.
    if datetime.fromisoformat(modified.value) >= datetime.fromisoformat(date.value):
        return []
    return [
        Problem.at(
            path,
            modified.line,
            f"Modified: {modified.value} is earlier than Date: {date.value} (line {date.line}); "
            "Modified is when the article was last updated, so it cannot come before it was "
            "published: correct it, or remove the line",
        )
    ]


def check_header(
    source: Source, fields: list[Field], pseudonyms: set[str] | None, slug_subs=()
) -> list[Problem]:
    """Check the metadata header of one source."""
    path = source.path
    problems = []
    seen = {}
    for item in fields:
        if item.continued_on:
            problems += continuation_problems(path, item)
        if item.key in seen:
            problems.append(
                Problem.at(
                    path,
                    item.line,
                    f"'{KNOWN_KEYS.get(item.key, item.key)}' appears twice (first on line "
                    f"{seen[item.key]}); keep one",
                )
            )
            continue
        seen[item.key] = item.line
        if item.key == "slug":
            problems.append(
                Problem.at(
                    path,
                    item.line,
                    f"'Slug: {item.value}' is not allowed: the URL comes from the file name, "
                    "so a translation shares it (and a slug with '/' or '..' could write "
                    "outside its folder); remove the line and rename the file instead",
                )
            )
        elif item.key == "lang":
            problems.append(
                Problem.at(
                    path,
                    item.line,
                    f"'Lang: {item.value}' is not allowed: the language comes from the folder "
                    f"(content/{source.lang}/); remove the line, or move the file to the "
                    "folder of its language",
                )
            )
        elif item.key in ("save_as", "url", "template"):
            problems.append(
                Problem.at(
                    path,
                    item.line,
                    f"'{item.key}' would change where or how this page is written; remove it",
                )
            )
        elif item.key not in KNOWN_KEYS:
            guess = difflib.get_close_matches(item.key, KNOWN_KEYS, n=1, cutoff=0.6)
            hint = f"did you mean '{KNOWN_KEYS[guess[0]]}'? " if guess else ""
            problems.append(
                Problem.at(
                    path,
                    item.line,
                    f"unknown metadata key '{item.key}'; {hint}Known keys: "
                    f"{', '.join(sorted(KNOWN_KEYS.values()))}",
                )
            )

    fields_by_key = source.fields
    # A key on an indented line was reported as such: not again as missing.
    swallowed = {
        match["key"].lower()
        for item in fields
        for part in item.parts[1:]
        if (match := META_LINE.match(part))
    }
    if not source.value("title").strip() and "title" not in swallowed:
        problems.append(
            Problem.at(path, source.line("title"), "no Title; add a line 'Title: ...' at the top")
        )
    required = (
        (
            ("date", "Date: 2024-01-10"),
            ("author", "Author: <a pseudonym from content/pseudonyms.toml>"),
            ("category", "Category: Defectors"),
        )
        if source.kind == "article"
        else ()
    )
    # Summaries are plain text for lists, feeds and the description of every page.
    required += (("summary", "Summary: one or two plain sentences"),)
    for key, example in required:
        if key in swallowed:
            continue
        if key not in fields_by_key and not (key == "author" and "authors" in fields_by_key):
            problems.append(Problem.at(path, 1, f"no {KNOWN_KEYS[key]}; add a line '{example}'"))
    dates_wrong = []
    for key in ("date", "modified"):
        if key in fields_by_key:
            dates_wrong += check_date(path, fields_by_key[key])
    problems += dates_wrong
    if not dates_wrong and "date" in fields_by_key and "modified" in fields_by_key:
        problems += check_modified_after_date(
            path, fields_by_key["date"], fields_by_key["modified"]
        )
    if "status" in fields_by_key and source.value("status").lower() not in STATUSES:
        problems.append(
            Problem.at(
                path,
                source.line("status"),
                f"unknown Status '{source.value('status')}'; use one of: {', '.join(STATUSES)}",
            )
        )
    if "review" in fields_by_key and source.value("review").lower() not in REVIEW_STATES:
        problems.append(
            Problem.at(
                path,
                source.line("review"),
                f"unknown Review state '{source.value('review')}'; use one of: "
                f"{', '.join(REVIEW_STATES)}",
            )
        )
    # Every name a page shows (author, translator, reviewer) is an agreed pseudonym.
    for key in ("author", "authors", "translator", "reviewer"):
        if key not in fields_by_key or pseudonyms is None:
            continue
        names = (
            [n.strip() for n in source.value(key).split(",")]
            if key == "authors"
            else [source.value(key).strip()]
        )
        for name in names:
            if name not in pseudonyms:
                problems.append(
                    Problem.at(
                        path,
                        source.line(key),
                        f"{KNOWN_KEYS[key]} '{name}' is not on the pseudonym list "
                        "(content/pseudonyms.toml); people publish here only under agreed "
                        "pseudonyms: use one from the list, or add the new pseudonym there",
                    )
                )
    if "series-index" in fields_by_key and not source.value("series-index").strip().isdigit():
        problems.append(
            Problem.at(
                path,
                source.line("series-index"),
                f"Series-Index '{source.value('series-index')}' is not a whole number; write "
                "the part's place in its series, such as 'Series-Index: 2'",
            )
        )
    for key in ("category", "tags"):
        if key not in fields_by_key:
            continue
        # Split and slugified exactly as Pelican will (";" splits tags when present).
        value = source.value(key)
        if key == "tags" and ";" in value and _REFERENCE.search(value):
            problems.append(
                Problem.at(
                    path,
                    source.line(key),
                    f"Tags '{value.strip()}' has a character reference ('&...;'), and Pelican "
                    "splits tags at ';' when there is one: write the character itself ('<', "
                    "'&'), and separate tags with commas",
                )
            )
            continue
        values = ensure_metadata_list(value) if key == "tags" else [value]
        for value in values:
            if not _slug(value.strip(), tuple(map(tuple, slug_subs))):
                # Pelican takes tags out of a slug: markup is a reason of its own.
                why = "is markup" if "<" in value else "has no letters or digits"
                problems.append(
                    Problem.at(
                        path,
                        source.line(key),
                        f"{KNOWN_KEYS[key]} '{value.strip()}' {why}, so it would get an empty "
                        "URL; name it with words (it is plain text)",
                    )
                )
    return problems


_REFERENCE = re.compile(r"&#?\w+;")


@lru_cache(maxsize=4096)
def _slug(value: str, slug_subs: tuple) -> str:
    """Pelican's slug of a tag or category; memoized, as the same few recur in every file."""
    return slugify(value, regex_subs=slug_subs, use_unicode=True)


def mask_code(lines: list[str]) -> list[str]:
    """Blank out code blocks and code spans: code may show HTML as text without running it."""
    masked = []
    fence = None
    for line in lines:
        match = FENCE.match(line)
        if fence:
            if match and match.group(1) == fence:
                fence = None
            masked.append("")
        elif match:
            fence = match.group(1)
            masked.append("")
        else:
            masked.append(
                CODE_SPAN.sub(lambda m: " " * len(m.group()), line) if "`" in line else line
            )
    return masked


def check_links(
    path: Path, content_root: Path, body: list[str], first_line: int, files=None, languages=()
):
    """Check Markdown links and images: their targets exist, and images say what they show.

    Where links lead and what images load is the allowlist's to say, on the HTML they render
    to (press.safety.content).

    `files`: every file of the content folder (absolute paths), when the caller has them.
    `languages`: the site's languages. A {filename} link to this language's version of an
    article or page that another language has leads there (as the build does,
    press.rendering.multilingual.link_other_languages): a translation keeps its source's links.
    """
    problems = []
    # Strings, not Path objects: this runs for every link of every source.
    root, folder = os.fspath(content_root), os.fspath(path.parent)
    exists = files.__contains__ if files is not None else os.path.isfile
    for offset, line in enumerate(body):
        if "](" not in line and "{" not in line:
            continue  # most lines have no link: skip the expressions
        number = first_line + offset
        for match in MARKDOWN_LINK.finditer(line):
            if is_image(line, match) and not match["text"].strip():
                problems.append(
                    Problem.at(
                        path,
                        number,
                        f"image '{match['url']}' has no alt text; describe the picture between "
                        "the brackets: ![what it shows](...)",
                    )
                )
        for match in INTRASITE.finditer(line):
            target = match["target"].split("#", 1)[0].split("?", 1)[0]
            resolved = posixpath.normpath(
                posixpath.join(root, target.lstrip("/"))
                if target.startswith("/")
                else posixpath.join(folder, target)
            )
            if match["what"] == "filename" and not exists(resolved):
                resolved = _in_another_language(resolved, root, folder, languages, exists)
            if not exists(resolved):
                problems.append(
                    Problem.at(
                        path,
                        number,
                        f"{{{match['what']}}}{match['target']} points at a file that does not "
                        "exist; correct the path (it is relative to this file, or to content/ "
                        "when it starts with /)",
                    )
                )
    return problems


def _in_another_language(resolved: str, root: str, folder: str, languages, exists) -> str:
    """The same file in another language's folder, when `resolved` is in the page's own
    language folder and another language has it; else `resolved`."""
    inside = os.path.relpath(resolved, root).replace(os.sep, "/")
    own = os.path.relpath(folder, root).replace(os.sep, "/").split("/", 1)[0]
    lang, _, rest = inside.partition("/")
    if lang != own or not rest:
        return resolved
    for other in languages:
        candidate = posixpath.join(root, other, rest)
        if other != own and exists(candidate):
            return candidate
    return resolved


def check_markdown(
    path: Path,
    lang: str,
    kind: str,
    key: str,
    content_root: Path,
    pseudonyms: set[str] | None,
    slug_subs=(),
    files=None,
    max_nesting: int | None = None,
    languages=(),
) -> tuple[Source | None, list[Problem]]:
    """Check one Markdown source; return what cross-file checks need and its problems.

    `files`: every file of the content folder (absolute paths), for its links' targets.
    `max_nesting`: how deep lists, quotes and definitions may nest (CHECK_MAX_NESTING).
    `languages`: the site's languages, where a {filename} link may find its target.
    """
    text, problems = decode(path, path.read_bytes())
    if text is None:
        return None, problems
    problems += check_characters(path, text)
    lines = text.split("\n")
    fields, body_start = parse_header(line + "\n" for line in lines)
    source = Source(path, lang, kind, key, slug=key.rsplit("/", 1)[-1])
    # A key continued on indented lines is reported as such; its value is checked as
    # Pelican takes it, from its own line.
    fields = [
        replace(item, value=item.parts[0])
        if item.continued_on and item.key not in CONTINUED_KEYS
        else item
        for item in fields
    ]
    for item in fields:
        source.fields.setdefault(item.key, item)
    if not fields:
        problems += check_indented_header(path, lines)
    problems += check_header(source, fields, pseudonyms, slug_subs)
    if max_nesting is not None:
        problems += check_nesting(path, lines[body_start - 1 :], body_start, max_nesting)
    body = mask_code(lines[body_start - 1 :])
    problems += check_links(path, content_root, body, body_start, files, languages)
    return source, problems
