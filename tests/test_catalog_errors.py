"""A missing, broken or incomplete catalog stops the build with its file and line."""

import shutil

import pytest

from conftest import CACHE_SUFFIX, ROOT, build_site, line_of
from press.build.errors import BuildError

KO = "ko/LC_MESSAGES/messages.po"


@pytest.fixture
def locale(tmp_path):
    """A writable copy of the real catalogs."""
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def problems_of(tmp_path, **override) -> list[str]:
    """Build, expecting a failure; return its problems."""
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", **override)
    return failure.value.problems


def test_missing_catalog_is_a_build_error(tmp_path, locale):
    """Without locale/ko/.../messages.po the build stops and says how to create it."""
    (locale / KO).unlink()
    problems = problems_of(tmp_path, I18N_CATALOG_PATH=str(locale))
    assert problems == [
        f"{locale / KO}: catalog missing; create it with `invoke i18n.init --lang ko` "
        "and translate every entry"
    ]
    assert not (tmp_path / "output").exists()


def test_broken_catalog_names_file_and_line_whatever_mo_is_there(tmp_path, locale):
    """A syntax error in the .po is reported with its line; a stale .mo beside it is neither
    used nor touched (the build compiles in memory; `invoke i18n.compile` removes it)."""
    po = locale / KO
    (po.with_suffix(".mo")).write_bytes(b"stale")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Tags:"', 'msgid "Tags:\nbroken', 1), encoding="utf-8")
    problems = problems_of(tmp_path, I18N_CATALOG_PATH=str(locale))
    line = line_of(po, "broken")
    assert len(problems) == 1
    assert problems[0].startswith(f"{po}:{line}: ")
    assert "fix the syntax" in problems[0]
    assert po.with_suffix(".mo").read_bytes() == b"stale"


def test_untranslated_and_fuzzy_entries_are_errors(tmp_path, locale):
    """An empty msgstr or a fuzzy flag would show English to Korean readers: both stop the build."""
    po = locale / KO
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "태그:"', 'msgstr ""', 1)
    text = text.replace('msgid "Archives"', '#, fuzzy\nmsgid "Archives"', 1)
    po.write_text(text, encoding="utf-8")
    problems = problems_of(tmp_path, I18N_CATALOG_PATH=str(locale))
    archives, tags = line_of(po, 'msgid "Archives"'), line_of(po, 'msgid "Tags:"')
    assert problems == [
        f"{po}:{archives}: 'Archives' is marked fuzzy; check the "
        "translation, then remove the 'fuzzy' flag",
        f"{po}:{tags}: 'Tags:' has no translation; write its msgstr",
    ]


def test_placeholder_mismatch_is_an_error(tmp_path, locale):
    """A msgstr that drops or renames a %(name)s placeholder is refused."""
    po = locale / KO
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("글: %(authors)s", "글: %(author)s"), encoding="utf-8")
    problems = problems_of(tmp_path, I18N_CATALOG_PATH=str(locale))
    assert len(problems) == 1
    line = line_of(po, 'msgid "By %(authors)s"')
    assert problems[0].startswith(f"{po}:{line}: ")
    assert "drops %(authors)s and adds %(author)s" in problems[0]
    assert "keep exactly the msgid's placeholders" in problems[0]


def test_message_used_by_the_theme_but_missing_from_catalog(tmp_path, locale):
    """A template msgid the catalog lacks would fall back to English: the build stops."""
    po = locale / KO
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Atom feed"')
    end = text.index("\n\n", start)
    po.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    problems = problems_of(tmp_path, I18N_CATALOG_PATH=str(locale))
    used_at = line_of(ROOT / "theme/templates/base.html", '_("Atom feed")')
    assert problems == [
        f"{po}: 'Atom feed' (used at theme/templates/base.html:{used_at}) is not in the catalog; "
        "run `invoke i18n.extract i18n.update` and translate it"
    ]


def test_failed_build_leaves_previous_output_untouched(tmp_path, locale):
    """A build that fails does not touch the output of the last good build."""
    output = build_site(tmp_path / "output")
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (locale / KO).unlink()
    with pytest.raises(BuildError):
        build_site(output, I18N_CATALOG_PATH=str(locale))
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(CACHE_SUFFIX))
    assert left == ["locale", "output"]
