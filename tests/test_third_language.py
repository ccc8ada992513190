"""A third language is a settings entry, a content folder and a catalog: no code changes (and
a language code Babel does not know is refused)."""

import pytest

from built import file_for, hreflangs, page, parse, resolve, switcher_links
from conftest import build_site
from french import add_french
from press.build.errors import BuildError


@pytest.fixture
def french_site(tmp_path, content):
    """The fixture site with French added: an I18N_LANGUAGES entry, fr/ content, a catalog."""
    return build_site(tmp_path / "output", content, **add_french(tmp_path, content))


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
