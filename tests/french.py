"""A third language for tests: French, added as a maintainer would (settings, folder, catalog)."""

import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from conftest import ROOT
from pelicanconf import I18N_LANGUAGES
from press.safety.catalogs import name_no_one
from press.translations.records import sync_translation

FRENCH = {
    "Skip to main content": "Aller au contenu",
    "Language": "Langue",
    "By %(authors)s": "Par %(authors)s",
    "This page has not been translated into %(language)s yet; the link leads to the home "
    "page in %(language)s.": "Cette page n'est pas encore traduite en %(language)s ; le lien "
    "mène à l'accueil en %(language)s.",
    "Read in this language": "Lire en français",
}


def add_french(folder: Path, content: Path) -> dict:
    """Add French to the fixture site: fr/ content in `content`, a catalog in `folder`/locale.

    Returns the settings that build it: an I18N_LANGUAGES entry and the catalogs' folder.
    """
    locale = folder / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    with (ROOT / "locale" / "messages.pot").open("rb") as fileobj:
        catalog = read_po(fileobj, locale="fr")
    for message in catalog:
        if message.id:
            plural = isinstance(message.id, tuple)
            message.string = (
                tuple(f"(fr) {one}" for one in message.id)
                if plural
                else FRENCH.get(message.id, f"(fr) {message.id}")
            )
    catalog.fuzzy = False
    name_no_one(catalog, "FFHR translators")  # as `invoke i18n.init` does
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    with (locale / "fr" / "LC_MESSAGES" / "messages.po").open("wb") as fileobj:
        write_po(fileobj, catalog)

    (content / "fr" / "articles").mkdir(parents=True)
    (content / "fr" / "articles" / "shared-story.md").write_text(
        "Title: Une histoire en trois langues\nDate: 2024-01-10\nAuthor: E. Dickinson\n"
        "Category: Transfuges\nSummary: La version française.\n"
        "Translation-Of: en/articles/shared-story.md\nReview: approved\n"
        "Reviewer: FFHR translators\n\nUn paragraphe.\n",
        encoding="utf-8",
    )
    # Approved translations are published once synced to their source.
    sync_translation(content / "fr" / "articles" / "shared-story.md", content)
    languages = {**I18N_LANGUAGES, "fr": {"SITESUBTITLE": "Transfuges nord-coréens"}}
    return {"I18N_LANGUAGES": languages, "I18N_CATALOG_PATH": str(locale)}
