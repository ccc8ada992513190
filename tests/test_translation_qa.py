"""Each QA check on a small source/translation pair: the exact message, file and line."""

import shutil
import tomllib

import pytest

from conftest import (
    FIXTURE_CONTENT,
    FIXTURE_SETTINGS,
    ROOT,
    copy_project,
    line_of,
    run_invoke,
)
from press.cli.translations import main as review_cli
from press.core.settings import load_settings
from press.review.glossary import Glossary, load_glossary
from press.review.qa import qa_catalogs, qa_pair, qa_site

TERMS = [
    {
        "id": "defector",
        "en": "defector",
        "en_variants": ["defectors"],
        "ko": "탈북민",
        "avoid": ["탈북자", "새터민"],
        "note": "",
    },
    {
        "id": "forced_repatriation",
        "en": "forced repatriation",
        "en_variants": [],
        "ko": "강제북송",
        "avoid": [],
        "note": "",
    },
    {"id": "repatriation", "en": "repatriation", "en_variants": [], "ko": "송환", "avoid": [],
     "note": ""},
]  # fmt: skip
GLOSSARY = Glossary("ko", "locale/ko/glossary.toml", tuple(TERMS))


def pair(tmp_path, source_body: str, translation_body: str):
    """Write a source and its translation (same header shape) and return their paths."""
    source = tmp_path / "en.md"
    translation = tmp_path / "ko.md"
    source.write_text(f"Title: A title\nSummary: A summary.\n\n{source_body}\n", encoding="utf-8")
    translation.write_text(
        f"Title: 제목\nSummary: 요약입니다.\nTranslation-Of: en/x.md\n\n{translation_body}\n",
        encoding="utf-8",
    )
    return source, translation


def findings(tmp_path, source_body, translation_body) -> list[str]:
    """QA findings of one pair, as `path:line: message`."""
    source, translation = pair(tmp_path, source_body, translation_body)
    return [str(p) for p in qa_pair(source, translation, GLOSSARY, "en")]


def test_a_faithful_translation_has_no_findings(tmp_path):
    """Same structure, numbers, links and agreed terms: nothing to report."""
    assert (
        findings(
            tmp_path,
            "## Leaving\n\nIn 1990, 300 defectors left. See [part 2]({filename}b.md).",
            "## 떠남\n\n1990년에 탈북민 300명이 떠났습니다. [2부]({filename}b.md)를 보십시오.",
        )
        == []
    )


def test_structure_missing_heading(tmp_path):
    """A heading left out is reported once, where it belongs; the blocks after it still pair
    with the ones they translate, so nothing else is reported."""
    assert findings(tmp_path, "## Leaving\n\nFirst.\n\nSecond.", "첫째입니다.\n\n둘째입니다.") == [
        f"{tmp_path / 'ko.md'}:5: structure: a heading (##) of the source (line 4) has no "
        "counterpart here; translate it before this block"
    ]


def test_structure_difference_and_wrong_link_target_reported_together(tmp_path):
    """A missing heading does not stop the checks of the blocks after it: the wrong link
    target of the paragraph that follows is reported in the same run, on its own line."""
    assert findings(
        tmp_path,
        "## Leaving\n\nThey left.\n\nRead [part 2]({filename}part-2.md).",
        "떠났습니다.\n\n[2부]({filename}part-3.md)를 읽으십시오.",
    ) == [
        f"{tmp_path / 'ko.md'}:5: structure: a heading (##) of the source (line 4) has no "
        "counterpart here; translate it before this block",
        f"{tmp_path / 'ko.md'}:7: links: the link to '{{filename}}part-3.md' is "
        "'{filename}part-2.md' in the source (source line 8); links keep their targets",
    ]


def test_every_kind_of_finding_in_one_run(tmp_path):
    """Structure, links, numbers both ways, glossary and leftover English: all reported at
    once, each on the line of the block it concerns, after an added and a changed block."""
    assert findings(
        tmp_path,
        "## Leaving\n\nIn 1990, 300 defectors left.\n\n"
        "- See [part 2]({filename}part-2.md).\n\nThe journey usually runs through Asia.",
        "## 떠남\n\n덧붙인 문단입니다.\n\n1991년에 탈북자 300명이 떠났습니다.\n\n"
        "[2부]({filename}part-3.md)를 보십시오.\n\nThe journey usually runs through Asia.",
    ) == [
        f"{tmp_path / 'ko.md'}:7: structure: a paragraph here has no counterpart in the "
        "source; remove it, or join it to the block it belongs with",
        f"{tmp_path / 'ko.md'}:9: numbers: '1990' of the source (source line 6) is missing "
        "here; numbers and dates must all be kept",
        f"{tmp_path / 'ko.md'}:9: numbers: '1991' here is not in the source (source line 6); "
        "add no number or date the source does not give",
        f"{tmp_path / 'ko.md'}:9: glossary: '탈북자' is not used for 'defector'; write '탈북민' "
        "(locale/ko/glossary.toml)",
        f"{tmp_path / 'ko.md'}:9: glossary: the source says 'defector' (line 6); the agreed "
        "term '탈북민' is missing here (locale/ko/glossary.toml)",
        f"{tmp_path / 'ko.md'}:11: structure: a paragraph here, a list in the source (source "
        "line 8); keep the source's headings, lists, quotes and paragraphs",
        f"{tmp_path / 'ko.md'}:11: links: the link to '{{filename}}part-3.md' is "
        "'{filename}part-2.md' in the source (source line 8); links keep their targets",
        f"{tmp_path / 'ko.md'}:13: untranslated: 'The journey usually runs through Asia' is "
        "still in the source's language; translate it (mark a deliberate quotation with "
        '<span lang="...">)',
    ]


def test_list_items_and_links_counted(tmp_path):
    """A list with an item missing, a paragraph with a link missing."""
    assert findings(
        tmp_path,
        "- one\n- two\n- three\n\nSee [a]({filename}a.md) and [b]({filename}b.md).",
        "- 하나\n- 둘\n\n[가]({filename}a.md)를 보십시오.",
    ) == [
        f"{tmp_path / 'ko.md'}:5: structure: 2 list items here, 3 in the source (source line "
        "4); keep the same",
        f"{tmp_path / 'ko.md'}:8: structure: 1 links here, 2 in the source (source line 8); "
        "keep the same",
    ]


def test_numbers_and_dates_must_all_be_kept(tmp_path):
    """Every number of the source block must be in the translation block."""
    assert findings(
        tmp_path, "On January 10, 2024, 1,200 people crossed.", "2024년에 많은 사람이 건넜습니다."
    ) == [
        f"{tmp_path / 'ko.md'}:5: numbers: '10' of the source (source line 4) is missing here; "
        "numbers and dates must all be kept",
        f"{tmp_path / 'ko.md'}:5: numbers: '1,200' of the source (source line 4) is missing "
        "here; numbers and dates must all be kept",
    ]


def test_a_number_only_in_the_translation_is_flagged(tmp_path):
    """A number the source does not give is reported, as a missing one is."""
    assert findings(tmp_path, "Some 300 people left.", "1990년에 약 300명이 떠났습니다.") == [
        f"{tmp_path / 'ko.md'}:5: numbers: '1990' here is not in the source (source line 4); "
        "add no number or date the source does not give"
    ]


def test_numbers_written_the_korean_way_are_the_same_numbers(tmp_path):
    """A date with its month in words, 만 for ten thousand, a number in words: all kept."""
    assert (
        findings(
            tmp_path,
            "On January 10, 2024, 1,200,000 people and three families left; the first two "
            "parts said so.",
            "2024년 1월 10일에 120만 명과 3가족이 떠났습니다. 1부와 2부에서 그렇게 말했습니다.",
        )
        == []
    )


def test_link_targets_must_be_identical(tmp_path):
    """A link may not point elsewhere than its source's."""
    assert findings(
        tmp_path, "Read [part 2]({filename}part-2.md).", "[2부]({filename}part-3.md) 읽기."
    ) == [
        f"{tmp_path / 'ko.md'}:5: links: the link to '{{filename}}part-3.md' is "
        "'{filename}part-2.md' in the source (source line 4); links keep their targets"
    ]


def test_glossary_avoided_and_missing_terms(tmp_path):
    """An avoided word is refused; a term of the source needs its agreed translation."""
    assert findings(tmp_path, "Many defectors hide.", "많은 탈북자가 숨어 지냅니다.") == [
        f"{tmp_path / 'ko.md'}:5: glossary: '탈북자' is not used for 'defector'; write '탈북민' "
        "(locale/ko/glossary.toml)",
        f"{tmp_path / 'ko.md'}:5: glossary: the source says 'defector' (line 4); the agreed "
        "term '탈북민' is missing here (locale/ko/glossary.toml)",
    ]


def test_glossary_longer_term_wins(tmp_path):
    """'forced repatriation' asks for 강제북송, not also for 송환 (the term inside it)."""
    assert findings(tmp_path, "They fear forced repatriation.", "강제북송을 두려워합니다.") == []


def test_leftover_source_language_sentence(tmp_path):
    """An English sentence left in the Korean text is reported; a marked name is not."""
    assert findings(
        tmp_path,
        "The journey usually runs through Southeast Asia.",
        "여정은 대개 The journey usually runs through Southeast Asia. "
        '<span lang="en">FFHR Editorial Desk</span>',
    ) == [
        f"{tmp_path / 'ko.md'}:5: untranslated: 'The journey usually runs through Southeast "
        "Asia' is still in the source's language; translate it (mark a deliberate quotation "
        'with <span lang="...">)'
    ]


def test_obsolete_catalog_entries(tmp_path):
    """A msgid no template uses any more is obsolete against a fresh extraction."""
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    po = locale / "ko" / "LC_MESSAGES" / "messages.po"
    with po.open("a", encoding="utf-8") as fileobj:
        fileobj.write('\nmsgid "Donate"\nmsgstr "후원하기"\n')
    line = len(po.read_text(encoding="utf-8").splitlines()) - 1
    from press.core.settings import load_settings

    settings = load_settings(FIXTURE_SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
    assert [str(p) for p in qa_catalogs(settings)] == [
        f"{po}:{line}: obsolete: 'Donate' is no longer used by any template; run "
        "`invoke i18n.extract i18n.update` to retire it"
    ]


def test_status_counts_the_entries_qa_finds_obsolete(tmp_path):
    """Status and QA say the same of a catalog: one obsolete entry per unused entry, plural or
    not, and one per #~ entry."""
    from press.core.settings import load_settings
    from press.review.status import catalog_status

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    po = locale / "ko" / "LC_MESSAGES" / "messages.po"
    with po.open("a", encoding="utf-8") as fileobj:
        fileobj.write(
            '\n#, python-format\nmsgid "%(num)d donation"\nmsgid_plural "%(num)d donations"\n'
            'msgstr[0] "후원 %(num)d건"\n'
            '\nmsgid "Donate"\nmsgstr "후원하기"\n'
            '\n#~ msgid "Old"\n#~ msgstr "옛"\n'
        )
    settings = load_settings(FIXTURE_SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
    findings = [p.message for p in qa_catalogs(settings)]
    assert sum(finding.startswith("obsolete: ") for finding in findings) == 3
    (state,) = catalog_status(settings)
    assert (state.fuzzy, state.untranslated, state.obsolete) == (0, 0, 3)
    assert state.problems == []


def test_status_counts_fuzzy_and_untranslated_entries_by_kind(tmp_path):
    """Status counts fuzzy and untranslated entries and lists every other problem, whatever
    its wording: a msgid saying "no translation" or "fuzzy", and a fuzzy header (which
    stops the build), are listed."""
    from press.core.problems import Kind
    from press.core.settings import load_settings
    from press.review.status import catalog_status
    from press.translations.catalogs import check_catalog

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    po = locale / "ko" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8").replace(
        'msgid ""\nmsgstr ""', '#, fuzzy\nmsgid ""\nmsgstr ""', 1
    )
    text = text.replace('msgid "Pages"', '#, fuzzy\nmsgid "Pages"', 1)
    text = text.replace('msgstr "더 최근 글"', 'msgstr ""', 1)
    text += (
        "\n#: theme/templates/base.html:1\n#, python-format\n"
        'msgid "no translation, fuzzy %(x)s"\nmsgstr "번역 없음"\n'
    )
    po.write_text(text, encoding="utf-8")
    _, problems = check_catalog(po, None)
    assert [p.kind for p in problems if p.kind != Kind.OTHER] == [
        Kind.CATALOG_FUZZY,
        Kind.CATALOG_UNTRANSLATED,
    ]
    settings = load_settings(FIXTURE_SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
    (state,) = catalog_status(settings)
    assert (state.fuzzy, state.untranslated) == (1, 1)
    assert [problem.split(": ", 1)[1] for problem in state.problems] == [
        "the header is marked fuzzy; review it and remove 'fuzzy'",
        "'no translation, fuzzy %(x)s': the msgstr drops %(x)s; keep exactly the msgid's "
        "placeholders, moved where the sentence needs them",
    ]


@pytest.fixture
def content(tmp_path):
    """A writable copy of the fixture content."""
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "content", copy)
    return copy


def test_qa_command_exit_codes(capsys, content):
    """`translations qa` exits 0 on the fixture and 1 with a finding, printing it."""
    args = ["--settings", str(FIXTURE_SETTINGS), "--content", str(content), "qa"]
    assert review_cli(args) == 0
    assert capsys.readouterr().out == "No QA findings.\n"
    translation = content / "ko" / "articles" / "shared-story.md"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text.replace("## 첫 부분\n\n", ""), encoding="utf-8")
    assert review_cli(args) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{translation}:14: structure: a heading (##) of the source (line 8)")
    assert out.endswith("1 QA finding(s).\n")


def test_each_language_has_its_own_glossary():
    """The Korean glossary is locale/ko/glossary.toml; a language without one has no terms."""
    settings = load_settings(FIXTURE_SETTINGS)
    korean = load_glossary(settings, "ko")
    assert korean.name == "locale/ko/glossary.toml"
    assert {"defector", "forced_repatriation"} <= {term["id"] for term in korean.terms}
    for lang in ("en", "fr"):
        assert load_glossary(settings, lang).terms == ()


def test_no_glossary_findings_for_a_language_without_a_glossary(tmp_path):
    """What the Korean glossary refuses in a Korean translation is not refused in a
    translation into a language without a glossary (here French)."""
    source, translation = pair(tmp_path, "Many defectors hide.", "Beaucoup de 탈북자 se cachent.")
    french = load_glossary(load_settings(FIXTURE_SETTINGS), "fr")
    assert [p.message for p in qa_pair(source, translation, french, "en")] == []
    assert [p.message for p in qa_pair(source, translation, GLOSSARY, "en")] == [
        "glossary: '탈북자' is not used for 'defector'; write '탈북민' (locale/ko/glossary.toml)",
        "glossary: the source says 'defector' (line 4); the agreed term '탈북민' is missing "
        "here (locale/ko/glossary.toml)",
    ]


def test_korean_glossary_findings_only_for_korean_translations(content):
    """In one QA run of the site, the Korean translation gets the Korean glossary's findings
    and an English translation with the same words gets none."""
    korean = content / "ko" / "articles" / "shared-story.md"
    text = korean.read_text(encoding="utf-8")
    korean.write_text(
        text.replace("시험용 문단입니다.", "시험용 문단입니다. 새터민."), encoding="utf-8"
    )
    english = content / "en" / "articles" / "korean-only.md"
    english.write_text(
        "Title: An article only in Korean\nDate: 2024-02-01\nAuthor: FFHR Editorial Desk\n"
        "Category: Families\nTags: testimony\nSummary: Its English translation.\n"
        "Translation-Of: ko/articles/korean-only.md\nReview: draft\n\n"
        "An article for Korean readers only: 새터민.\n",
        encoding="utf-8",
    )
    settings = load_settings(FIXTURE_SETTINGS, {"PATH": str(content)})
    glossary_findings = [str(p) for p in qa_site(settings) if "glossary:" in p.message]
    line = line_of(korean, "새터민")
    assert glossary_findings == [
        f"{korean}:{line}: glossary: '새터민' is not used for 'defector'; write '탈북민' "
        "(locale/ko/glossary.toml)"
    ]


def test_init_starts_a_glossary_for_a_new_language(tmp_path):
    """`invoke i18n.init --lang ja` writes a starter locale/ja/glossary.toml with no terms
    and says so; run again, it leaves the glossary as it is. Korean's is never replaced."""
    project = copy_project(tmp_path / "project", FIXTURE_CONTENT)
    glossary = project / "locale" / "ja" / "glossary.toml"
    result = run_invoke(project, "i18n.init", "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert (
        "Wrote locale/ja/glossary.toml: a glossary with no terms yet, for translations into "
        "ja; add the agreed terms there (an example is in its comments).\n"
    ) in result.stdout
    text = glossary.read_text(encoding="utf-8")
    assert text.startswith("# Translation glossary (English -> Japanese), machine-readable.\n")
    assert '# ja = ""\n' in text
    assert tomllib.loads(text) == {}  # every line a comment: no terms, so no findings yet
    settings = load_settings(FIXTURE_SETTINGS, {"I18N_CATALOG_PATH": str(project / "locale")})
    assert load_glossary(settings, "ja") == Glossary("ja", "locale/ja/glossary.toml")

    term = '\n[[term]]\nid = "defector"\nen = "defector"\nja = "脱北者"\n'
    glossary.write_text(text + term, encoding="utf-8")
    again = run_invoke(project, "i18n.init", "--lang", "ja")
    assert "locale/ja/glossary.toml exists already; left as it is.\n" in again.stdout
    assert glossary.read_text(encoding="utf-8") == text + term
    assert [t["ja"] for t in load_glossary(settings, "ja").terms] == ["脱北者"]
    korean = project / "locale" / "ko" / "glossary.toml"
    before = korean.read_bytes()
    assert (
        "locale/ko/glossary.toml exists already"
        in run_invoke(project, "i18n.init", "--lang", "ko").stdout
    )
    assert korean.read_bytes() == before


def test_a_translation_keeps_its_sources_date_author_and_place_in_a_series(tmp_path):
    """Date, Author and Series-Index changed, Series left out, a Series-Index the source lacks:
    each reported on its line with what the source says; kept ones are not."""
    source = tmp_path / "en.md"
    source.write_text(
        "Title: A title\nDate: 2024-03-12\nAuthor: FFHR Editorial Desk\nSeries: families\n"
        "Series-Index: 2\n\nA paragraph.\n",
        encoding="utf-8",
    )
    translation = tmp_path / "ko.md"
    header = "Title: 제목\nDate: 2024-03-12\nAuthor: FFHR Editorial Desk\nSeries: families\n"
    translation.write_text(
        f"{header}Series-Index: 2\nTranslation-Of: en/x.md\n\n문단입니다.\n", encoding="utf-8"
    )
    assert qa_pair(source, translation, GLOSSARY, "en") == []
    translation.write_text(
        "Title: 제목\nDate: 2024-03-13\nAuthor: E. Dickinson\nSeries-Index: 3\n"
        "Translation-Of: en/x.md\n\n문단입니다.\n",
        encoding="utf-8",
    )
    found = {
        (p.line, p.message.split(":")[0]) for p in qa_pair(source, translation, GLOSSARY, "en")
    }
    assert found == {(2, "Date"), (3, "Author"), (1, "Series is missing; copy it from the source"),
                     (4, "Series-Index")}  # fmt: skip
    source.write_text("Title: A title\n\nA paragraph.\n", encoding="utf-8")
    found = [p.message for p in qa_pair(source, translation, GLOSSARY, "en")]
    assert len(found) == 3 and all("its source has none" in message for message in found)
