"""A third language is a settings entry, a content folder and a catalog: no code changes (and
a language code Babel does not know is refused)."""

import shutil

import pytest
from babel.messages.pofile import read_po, write_po

from built import file_for, hreflangs, page, parse, resolve, switcher_links
from conftest import ROOT, build_site
from pelicanconf import I18N_LANGUAGES
from press.build.errors import BuildError
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


@pytest.fixture
def french_site(tmp_path, content):
    """The fixture site with French added: an I18N_LANGUAGES entry, fr/ content, a catalog."""
    locale = tmp_path / "locale"
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
    return build_site(
        tmp_path / "output", content, I18N_LANGUAGES=languages, I18N_CATALOG_PATH=str(locale)
    )


def test_third_language_is_built_from_settings_content_and_catalog(french_site):
    """/fr/ is a full site with French interface text and Babel's French dates."""
    article = page(french_site, "fr/articles/shared-story/")
    assert article.get("lang") == "fr"
    assert article.xpath("//a[contains(@class, 'skip-link')]/text()") == ["Aller au contenu"]
    assert article.xpath("//header//time/text()") == ["10 janvier 2024"]
    assert file_for(french_site, "fr/archives/").is_file()
    assert (french_site / "fr" / "feeds" / "all.atom.xml").is_file()


def test_third_language_joins_switcher_hreflang_and_landing(french_site):
    """Other languages' pages link to the French version; missing ones lead to /fr/."""
    english = file_for(french_site, "en/articles/shared-story/")
    tree = parse(english)
    assert set(hreflangs(tree)) == {"en", "ko", "fr", "x-default"}
    to_french = switcher_links(tree)["fr"]
    assert resolve(french_site, english, to_french) == file_for(
        french_site, "fr/articles/shared-story/"
    )

    english_only = file_for(french_site, "en/articles/english-only/")
    fallback = switcher_links(parse(english_only))["fr"]
    assert resolve(french_site, english_only, fallback) == file_for(french_site, "fr/")

    landing = parse(french_site / "index.html")
    assert landing.xpath("//main//a/@hreflang") == ["en", "ko", "fr"]
    assert "Lire en français" in landing.text_content()


def test_unknown_language_code_is_refused(tmp_path):
    """'kr' is not Korean's code: the build says so and suggests 'ko'."""
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", I18N_LANGUAGES={"en": {}, "kr": {}})
    assert failure.value.problems == [
        "I18N_LANGUAGES: 'kr' is not a language code Babel knows; did you mean 'ko'? "
        "Use an ISO 639 code such as 'ko' (Korean) or 'en' (English)"
    ]
