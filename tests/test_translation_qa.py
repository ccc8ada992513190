"""Each QA check on a small source/translation pair: the exact message, file and line."""

import shutil

import pytest

from conftest import ROOT, SETTINGS
from press.cli.translations import main as review_cli
from press.review.qa import qa_catalogs, qa_pair

GLOSSARY = [
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
    """A heading left out shifts every block: reported once, where the shapes part."""
    assert findings(tmp_path, "## Leaving\n\nFirst.\n\nSecond.", "첫째입니다.\n\n둘째입니다.") == [
        f"{tmp_path / 'ko.md'}:5: structure: block 3 is paragraph here but heading 2 in the "
        "source (5 blocks there, 4 here); keep the source's headings, lists, quotes and "
        "paragraphs in order"
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
        f"{tmp_path / 'ko.md'}:5: numbers: '1200' of the source (source line 4) is missing "
        "here; numbers and dates must all be kept",
    ]


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
        "(locale/glossary.toml)",
        f"{tmp_path / 'ko.md'}:5: glossary: the source says 'defector' (line 4); the agreed "
        "term '탈북민' is missing here (locale/glossary.toml)",
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

    settings = load_settings(SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
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
    settings = load_settings(SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
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
    settings = load_settings(SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
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
    args = ["--settings", str(SETTINGS), "--content", str(content), "qa"]
    assert review_cli(args) == 0
    assert capsys.readouterr().out == "No QA findings.\n"
    translation = content / "ko" / "articles" / "shared-story.md"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text.replace("## 첫 부분\n\n", ""), encoding="utf-8")
    assert review_cli(args) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{translation}:14: structure: block 5 is paragraph here")
    assert out.endswith("1 QA finding(s).\n")
