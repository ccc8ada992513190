"""A third language for tests: French, added as a maintainer would (settings, folder, catalog)."""

from pathlib import Path

from languages import add_language

FRENCH = {
    "Skip to main content": "Aller au contenu",
    "Language": "Langue",
    "By %(authors)s": "Par %(authors)s",
    "This page has not been translated into %(language)s yet; the link leads to the home "
    "page in %(language)s.": "Cette page n'est pas encore traduite en %(language)s ; le lien "
    "mène à l'accueil en %(language)s.",
    "Read in this language": "Lire en français",
}

SHARED_STORY = (
    "Title: Une histoire en trois langues\nDate: 2024-01-10\nAuthor: E. Dickinson\n"
    "Category: Transfuges\nSummary: La version française.\n"
    "Translation-Of: en/articles/shared-story.md\nReview: approved\n"
    "Reviewer: FFHR translators\n\nUn paragraphe.\n"
)


def add_french(folder: Path, content: Path) -> dict:
    """Add French to the fixture site: fr/ content in `content`, a catalog in `folder`/locale.

    Returns the settings that build it: an I18N_LANGUAGES entry and the catalogs' folder.
    """
    return add_language(
        "fr",
        content,
        folder / "locale",
        {"articles/shared-story": SHARED_STORY},
        interface=FRENCH,
        subtitle="Transfuges nord-coréens",
    )
