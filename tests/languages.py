"""Add a language for tests, as a maintainer would: a settings entry, a content folder with a
translation, and a complete catalog (README, "Add a language")."""

import contextlib
import io
import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from conftest import ROOT, fixture_languages
from press.safety.catalogs import name_no_one
from press.translations.records import sync_translation

TRANSLATOR = "FFHR translators"  # an agreed pseudonym of both the fixture and the real site


def write_catalog(locale: Path, code: str, interface: dict[str, str]) -> Path:
    """Write locale/<code>/LC_MESSAGES/messages.po with every msgid of the templates translated:
    from `interface` where it has the msgid, else the msgid marked "(code)"."""
    # Babel prints a warning for each plural msgstr of the template past the language's
    # number of forms (two empty ones, in a language of one form): they are replaced below.
    pot = ROOT / "locale" / "messages.pot"
    with pot.open("rb") as fileobj, contextlib.redirect_stdout(io.StringIO()):
        catalog = read_po(fileobj, locale=code)
    for message in catalog:
        if message.id:
            plural = isinstance(message.id, tuple)
            # One form per plural form of the language: the first the msgid's singular
            # when the language has several (English "one article"), the others its plural.
            forms = range(catalog.num_plurals)
            message.string = (
                tuple(
                    f"({code}) {message.id[min(form, 1) if len(forms) > 1 else 1]}"
                    for form in forms
                )
                if plural
                else interface.get(message.id, f"({code}) {message.id}")
            )
    catalog.fuzzy = False
    name_no_one(catalog, TRANSLATOR)  # as `invoke i18n.init` does
    po = locale / code / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as fileobj:
        write_po(fileobj, catalog)
    return po


def add_translation(content: Path, code: str, key: str, text: str) -> Path:
    """Write content/<code>/<key>.md (a header and body, `text`), approved and synced to its
    source, so that a build publishes it."""
    path = content / code / f"{key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    sync_translation(path, content)
    return path


def add_language(
    code: str,
    content: Path,
    locale: Path,
    translations: dict[str, str],
    interface: dict[str, str] | None = None,
    subtitle: str = "",
    languages: dict | None = None,
) -> dict:
    """Add language `code`: its folder in `content` with `translations` (key -> file text),
    and its catalog in `locale` (a copy of the project's catalogs when it holds none yet).

    Returns the settings that build it: I18N_LANGUAGES (`languages`, the fixture site's by
    default, with `code` added) and I18N_CATALOG_PATH.
    """
    if not locale.exists():
        shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    write_catalog(locale, code, interface or {})
    (content / code).mkdir(parents=True, exist_ok=True)
    for key, text in translations.items():
        add_translation(content, code, key, text)
    base = languages if languages is not None else fixture_languages()["I18N_LANGUAGES"]
    return {
        "I18N_LANGUAGES": {**base, code: {"SITESUBTITLE": subtitle} if subtitle else {}},
        "I18N_CATALOG_PATH": str(locale),
    }


def add_language_to_project(project: Path, code: str, translations: dict[str, str], **kwargs):
    """Add language `code` to a copy of the project (conftest.copy_project): its content and
    catalog, and its entry appended to the copy's pelicanconf.py, as a maintainer writes it."""
    override = add_language(code, project / "content", project / "locale", translations, **kwargs)
    entry = override["I18N_LANGUAGES"][code]
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as fileobj:
        fileobj.write(f"\nI18N_LANGUAGES[{code!r}] = {entry!r}\n")
