"""The Babel workflow of tasks.py (extract, update, init, compile) run for real on a copy."""

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import ROOT, copy_project, run_invoke
from press.translations.catalogs import theme_messages


def read_catalog(path):
    """Parse a .po or .pot file."""
    with path.open("rb") as fileobj:
        return read_po(fileobj)


@pytest.fixture
def project(tmp_path):
    """A copy of the project's sources, without compiled catalogs."""
    return copy_project(tmp_path)


def invoke(project, *args):
    """Run `invoke <args>` in the copy, returning the finished process."""
    return run_invoke(project, *args)


def test_committed_pot_matches_the_templates():
    """locale/messages.pot holds exactly the msgids the theme uses (run i18n.extract if not)."""
    pot = {
        msgid
        for message in read_catalog(ROOT / "locale" / "messages.pot")
        if message.id
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,))
    }
    assert pot == set(theme_messages(ROOT, ROOT / "babel.cfg"))


def test_new_interface_text_goes_through_extract_update_compile(project):
    """A new msgid fails compile until extracted, merged and translated; then it compiles."""
    base = project / "theme" / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace(
            "</footer>", '<p>{{ _("Report a problem") }}</p></footer>'
        ),
        encoding="utf-8",
    )
    po = project / "locale" / "ko" / "LC_MESSAGES" / "messages.po"

    first = invoke(project, "i18n.compile")
    assert first.returncode == 1
    assert "'Report a problem' (used at theme/templates/base.html:" in first.stderr

    assert invoke(project, "i18n.extract").returncode == 0
    pot = read_catalog(project / "locale" / "messages.pot")
    assert pot["Report a problem"].locations[0][0] == "theme/templates/base.html"

    assert invoke(project, "i18n.update").returncode == 0
    catalog = read_catalog(po)
    assert catalog["Report a problem"].string == ""
    untranslated = invoke(project, "i18n.compile")
    assert untranslated.returncode == 1
    assert "'Report a problem' has no translation; write its msgstr" in untranslated.stderr
    assert not po.with_suffix(".mo").exists()

    catalog["Report a problem"].string = "문제 알리기"
    with po.open("wb") as fileobj:
        write_po(fileobj, catalog)
    # Every other language the project has is translated too (its own test checks Korean).
    for other in sorted((project / "locale").glob("*/LC_MESSAGES/messages.po")):
        if other != po:
            theirs = read_catalog(other)
            theirs["Report a problem"].string = f"({other.parts[-3]}) Report a problem"
            with other.open("wb") as fileobj:
                write_po(fileobj, theirs)
    done = invoke(project, "i18n.compile")
    assert done.returncode == 0, done.stderr
    assert po.with_suffix(".mo").is_file()
    # It says which catalogs it compiled: each language's but the msgid language's.
    assert "Compiled locale/ko/LC_MESSAGES/messages.po to messages.mo" in done.stdout


def test_init_starts_a_new_language_catalog(project):
    """`invoke i18n.init --lang fr` creates French's catalog with every msgid of the template."""
    result = invoke(project, "i18n.init", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    catalog = read_catalog(project / "locale" / "fr" / "LC_MESSAGES" / "messages.po")
    assert str(catalog.locale) == "fr"
    assert catalog.last_translator == catalog.language_team == "FFHR translators"
    template = read_catalog(project / "locale" / "messages.pot")
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}


def test_init_leaves_an_existing_catalog_as_it_is(project):
    """`invoke i18n.init` for a language that has a catalog leaves it as it is, naming
    i18n.update (pybabel init would have written an empty catalog over its translations)."""
    po = project / "locale" / "ko" / "LC_MESSAGES" / "messages.po"
    before = po.read_bytes()
    result = invoke(project, "i18n.init", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    assert "locale/ko/LC_MESSAGES/messages.po exists already; left as it is" in result.stdout
    assert "invoke i18n.update" in result.stdout
    assert po.read_bytes() == before


def test_init_refuses_a_country_code_and_names_the_language(project):
    """`--lang jp` (Japan) is refused before anything is written, suggesting `ja`."""
    result = invoke(project, "i18n.init", "--lang", "jp")
    assert result.returncode == 2
    assert "'jp' is not a language code Babel knows; did you mean 'ja'?" in result.stderr
    assert not (project / "locale" / "jp").exists()
