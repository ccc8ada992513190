"""The theme's gettext catalogs: compiled, checked and loaded with Babel.

Each build compiles them in memory and hands them to its runs: a build reads the .po files
and never writes, removes or reads a .mo file, so builds running at once cannot trip over
each other's. Only `invoke i18n.compile` writes .mo files, each in one rename.

A language other than the msgid language must have a complete catalog: a missing, broken,
fuzzy or incomplete one stops the build, because the alternative is English interface text
on a Korean page. What a catalog may hold (markup, placeholders, names) is decided by
`press.safety.catalogs`, for the build, `invoke check` and `invoke translations.qa` alike.
"""

import io
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import num_plurals
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from press.core.problems import Kind, Problem
from press.safety.catalogs import AgreedNames, catalog_problems, forms

logger = logging.getLogger(__name__)

# Each language's compiled catalog, as the bytes of its .mo file, by language code.
Compiled = dict[str, bytes]

# gettext_in(lang, message) renders a message in a language other than the page's
# (the language switcher speaks to readers in the language it offers them).
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_in": (2,)}


class CatalogError(Exception):
    """Catalog problems a translator must fix, each naming the file and line."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass
class Catalogs:
    """Loaded interface translations, one per language."""

    msgid_lang: str
    translations: dict[str, NullTranslations] = field(default_factory=dict)

    def get(self, lang: str) -> NullTranslations:
        """Return the translations of one language."""
        return self.translations[lang]

    def gettext_in(self, lang: str, message: str, autoescape: bool = True, **variables) -> str:
        """Translate one message into `lang`, formatting `%(name)s` like Jinja's newstyle."""
        text = self.translations[lang].gettext(message)
        if autoescape:
            text = Markup(text)
        return text % variables if variables else text


def catalog_path(catalog_dir: Path, lang: str, domain: str = "messages") -> Path:
    """Return where the .po catalog of `lang` lives."""
    return catalog_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def untranslated(message: Message) -> bool:
    """Whether an entry has no translation: its msgstr, or one of its plural forms, is empty."""
    strings = forms(message.string)
    return not strings or not all(strings)


def obsolete(catalog: Catalog, used) -> tuple[list[Message], list[Message]]:
    """A catalog's obsolete entries: those none of whose msgids a template uses now (`used`:
    the msgids the theme uses), and those `pybabel update` kept only as #~."""
    unused = [message for message in catalog if message.id and not set(forms(message.id)) & used]
    return unused, list(catalog.obsolete.values())


def check_catalog(po_path: Path, names: AgreedNames | None) -> tuple[Catalog | None, list[Problem]]:
    """Read one .po catalog and list every problem that would show readers the wrong text,
    inject markup, or name someone (`names`: whom a catalog may name; None if unknown)."""
    if not po_path.is_file():
        lang = po_path.parent.parent.name
        return None, [
            Problem.at(
                po_path,
                None,
                f"catalog missing; create it with `invoke i18n.init --lang {lang}` "
                "and translate every entry",
            )
        ]
    try:
        with po_path.open("rb") as fileobj:
            catalog = read_po(fileobj, abort_invalid=True)
    except PoFileError as exc:
        what = exc.args[0].rsplit(" on ", 1)[0]  # Babel appends " on <line>"
        message = (
            f"{what}: {exc.line.strip()!r}; fix the syntax (every msgid needs a msgstr, "
            "strings in double quotes)"
        )
        return None, [Problem.at(po_path, exc.lineno + 1, message)]  # Babel counts from 0
    except UnicodeDecodeError as exc:
        return None, [Problem.at(po_path, None, f"not valid UTF-8 ({exc.reason}); save as UTF-8")]

    problems = []
    if catalog.fuzzy:
        problems.append(
            Problem.at(po_path, 1, "the header is marked fuzzy; review it and remove 'fuzzy'")
        )
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(
                Problem.at(
                    po_path,
                    message.lineno,
                    f"{message.id!r} is marked fuzzy; check the translation, "
                    "then remove the 'fuzzy' flag",
                    Kind.CATALOG_FUZZY,
                )
            )
        elif untranslated(message):
            problems.append(
                Problem.at(
                    po_path,
                    message.lineno,
                    f"{message.id!r} has no translation; write its msgstr",
                    Kind.CATALOG_UNTRANSLATED,
                )
            )
    for message in catalog:
        try:
            num_plurals(catalog, message)
        except TranslationError as exc:
            problems.append(
                Problem.at(
                    po_path,
                    message.lineno,
                    f"{message.id!r}: {exc}; write one msgstr[N] for each of the language's "
                    "plural forms",
                )
            )
    problems += catalog_problems(po_path, catalog, names)
    return catalog, problems


def compile_catalog(po_path: Path, names: AgreedNames | None) -> Catalog:
    """Check one .po catalog; return it, or raise CatalogError listing its problems."""
    catalog, problems = check_catalog(po_path, names)
    if problems:
        raise CatalogError(problems)
    return catalog


def mo_bytes(catalog: Catalog) -> bytes:
    """A catalog compiled as a .mo file would hold it, in memory."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def msgids(catalog: Catalog) -> set[str]:
    """Every msgid of a catalog, both forms of a plural included."""
    return {msgid for message in catalog if message.id for msgid in forms(message.id)}


def missing_messages(po_path: Path, catalog: Catalog, used: dict[str, str]) -> list[Problem]:
    """A problem for each msgid the theme uses (`used`: msgid -> where) that the catalog lacks."""
    known = msgids(catalog)
    return [
        Problem.at(
            po_path,
            None,
            f"{msgid!r} (used at {where}) is not in the catalog; "
            "run `invoke i18n.extract i18n.update` and translate it",
        )
        for msgid, where in used.items()
        if msgid not in known
    ]


def theme_messages(root: Path, mapping_file: Path) -> dict[str, str]:
    """Extract the theme's msgids as pybabel would, mapping each to where it is first used."""
    with mapping_file.open(encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, filename=str(mapping_file))
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS
    ):
        for msgid in forms(message):
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def used_messages(settings: dict) -> dict[str, str]:
    """The msgids the theme uses now (msgid -> where first used), per I18N_BABEL_CONFIG."""
    babel_config = Path(settings["I18N_BABEL_CONFIG"])
    return theme_messages(babel_config.parent, babel_config)


def translated_catalogs(settings: dict, names: AgreedNames | None):
    """Yield (lang, .po path, catalog or None, its problems) for every language but msgids'."""
    for lang in settings["I18N_LANGUAGES"]:
        if lang == settings["I18N_MSGID_LANG"]:
            continue
        po_path = catalog_path(Path(settings["I18N_CATALOG_PATH"]), lang)
        yield (lang, po_path, *check_catalog(po_path, names))


def compile_each(
    catalog_dir: Path,
    languages,
    msgid_lang: str,
    expected: dict[str, str] | None = None,
    *,
    names: AgreedNames | None,
) -> tuple[Compiled, list[Problem]]:
    """Compile every language's catalog in memory, reading only its .po: the compiled
    catalogs of those with no problem of their own, and every problem, the `expected`
    msgids a catalog lacks included."""
    compiled, problems = {}, []
    for lang in languages:
        if lang == msgid_lang:
            continue
        po_path = catalog_path(catalog_dir, lang)
        try:
            catalog = compile_catalog(po_path, names)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        compiled[lang] = mo_bytes(catalog)
        problems += missing_messages(po_path, catalog, expected or {})
    return compiled, problems


def compile_all(
    catalog_dir: Path,
    languages,
    msgid_lang: str,
    expected: dict[str, str] | None = None,
    *,
    names: AgreedNames | None,
) -> Compiled:
    """Compile every language's catalog in memory and check it has the `expected` msgids;
    raise CatalogError listing every problem.

    Nothing is written: each build keeps its own compiled catalogs and hands them to its
    runs, so builds running at once never meet in `catalog_dir`.
    """
    compiled, problems = compile_each(catalog_dir, languages, msgid_lang, expected, names=names)
    if problems:
        raise CatalogError(problems)
    return compiled


def write_compiled(
    catalog_dir: Path,
    languages,
    msgid_lang: str,
    expected: dict[str, str] | None = None,
    *,
    names: AgreedNames | None,
) -> list[Path]:
    """Compile every language's catalog to its .mo beside the .po (`invoke i18n.compile`);
    return the .mo files written, or raise CatalogError listing every problem.

    Each .mo is replaced in one rename, so a program reading it meanwhile sees the old file
    or the new one, never half of one. A broken catalog's .mo is removed: a stale one must
    not survive it, since nothing could tell it from a good one.
    """
    compiled, problems = compile_each(catalog_dir, languages, msgid_lang, expected, names=names)
    written = []
    for lang in languages:
        if lang == msgid_lang:
            continue
        mo_path = catalog_path(catalog_dir, lang).with_suffix(".mo")
        if lang in compiled:
            _replace_file(mo_path, compiled[lang])
            written.append(mo_path)
        else:
            mo_path.unlink(missing_ok=True)
    if problems:
        raise CatalogError(problems)
    return written


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a new file beside `path`, then rename it over `path`."""
    # Named *.mo too, so whatever ignores compiled catalogs (the watcher, the build state,
    # `invoke clean`) treats a leftover of a crash the same way.
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    written = Path(name)
    try:
        with os.fdopen(handle, "wb") as fileobj:
            fileobj.write(data)
        written.chmod(0o644)  # as a file written the usual way: mkstemp makes it 0600
        written.replace(path)
    except BaseException:
        written.unlink(missing_ok=True)
        raise


def load_all(compiled: Compiled, languages, msgid_lang: str) -> Catalogs:
    """Load the catalogs compiled by compile_all; the msgid language needs none."""
    catalogs = Catalogs(msgid_lang=msgid_lang)
    for lang in languages:
        if lang == msgid_lang:
            catalogs.translations[lang] = NullTranslations()
            continue
        if lang not in compiled:
            raise CatalogError([f"{lang}: no compiled catalog; compile_all compiles it"])
        catalogs.translations[lang] = Translations(io.BytesIO(compiled[lang]))
    return catalogs
