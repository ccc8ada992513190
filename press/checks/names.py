"""No name of the private list in any source that is published: content, catalogs, theme."""

import html
from pathlib import Path
from urllib.parse import unquote

from press import PROJECT_ROOT
from press.core.files import DOCUMENT_EXTENSIONS
from press.core.problems import Problem, display_path
from press.core.sources import MARKDOWN_EXTENSIONS
from press.safety.markup import parse, text_read_around
from press.safety.private_names import (
    ENVIRONMENT_VARIABLE,
    IN_DOCUMENT,
    WHAT,
    PrivateNames,
    PrivateNamesError,
)
from press.safety.refusals import DocumentRefused

# Sources read as text; other files (images, PDFs) are looked at by their names here.
TEXT_SUFFIXES = (*MARKDOWN_EXTENSIONS, ".po", ".pot", ".html", ".css", ".txt", ".toml")
# Sources that may hold HTML, whose text is also read as a browser shows it.
MARKUP_SUFFIXES = (*MARKDOWN_EXTENSIONS, ".html")


def private_names() -> tuple[PrivateNames | None, list[Problem]]:
    """The list PRIVATE_NAMES_FILE names (None without one), or the problem of reading it."""
    try:
        return PrivateNames.from_environment(PROJECT_ROOT), []
    except PrivateNamesError as exc:
        return None, [Problem(ENVIRONMENT_VARIABLE, 0, exc.args[0])]


def source_folders(settings: dict) -> list[Path]:
    """Every folder whose files reach readers: content, catalogs and the theme."""
    return [Path(settings[key]) for key in ("PATH", "I18N_CATALOG_PATH", "THEME")]


def check_names(names: PrivateNames, paths) -> list[Problem]:
    """Where the files `paths` name, or hold, a name of the list: never the name itself."""
    problems = []
    for path in paths:
        for hit in names.in_name(path.name):
            problems.append(
                Problem.at(path, None, f"its file name spells {WHAT} (its line {hit.entry}); "
                           "rename the file")
            )  # fmt: skip
        if path.suffix.lower() in DOCUMENT_EXTENSIONS:
            problems += _document_names(names, path)
        elif path.suffix.lower() in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            if "%" in text:  # a percent-escaped name in an address reads as the name
                text = "\n".join(f"{line} {unquote(line)}" for line in text.split("\n"))
            if "&" in text:  # a character reference reads as its character
                text = "\n".join(
                    f"{line} {html.unescape(line)}" if "&" in line else line
                    for line in text.split("\n")
                )
            if "<" in text and path.suffix.lower() in MARKUP_SUFFIXES:
                text = _as_read(text)
            problems += [
                hit.problem(display_path(path), "remove it, or write a pseudonym instead")
                for hit in names.in_text(text)
            ]
    return problems


def _as_read(text: str) -> str:
    """A source's lines, each followed by its text as a browser shows it ("Kim<rp>(</rp>
    Cholsu"); a block of lines (up to a blank line) with markup, on its first line."""
    lines = text.split("\n")
    start = 0
    for index, line in enumerate([*lines, ""]):
        if line.strip():
            continue
        block = "\n".join(lines[start:index])
        if "<" in block:
            for number in range(start, index):
                lines[number] = f"{lines[number]} {_shown(lines[number])}"
            if index - start > 1:
                lines[start] = f"{lines[start]} {_shown(block)}"
        start = index + 1
    return "\n".join(lines)


def _shown(html_text: str) -> str:
    if "<" not in html_text:
        return ""
    body = parse(html_text).body
    if body is None:
        return ""
    return f"{body.text(separator='')} {text_read_around(body)}".replace("\n", " ")


def check_private_names(settings: dict) -> list[Problem]:
    """Check every published source for the names of PRIVATE_NAMES_FILE, if it names a list."""
    names, problems = private_names()
    if names is None:
        return problems
    files = [
        path
        for folder in source_folders(settings)
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix != ".mo"
    ]
    return check_names(names, files)


def _document_names(names: PrivateNames, path: Path) -> list[Problem]:
    """A PDF's text and properties, as readers could extract them (before cleaning)."""
    # Imported here: only sites with documents need pikepdf and pypdf loaded.
    from press.safety.documents import document_text

    try:
        text = document_text(path)
    except DocumentRefused:
        return []  # the document checks say why it cannot be read
    return [Problem.at(path, None, IN_DOCUMENT.format(entry)) for entry in names.entries_in(text)]
