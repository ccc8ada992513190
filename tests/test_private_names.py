"""Names that must never be published: found however they are written, reported by place only."""

import shutil
import unicodedata
import zipfile

import pytest
from PIL import Image

from conftest import (
    FIXTURE_CONTENT,
    FIXTURE_SETTINGS,
    ROOT,
    build_site,
    copy_project,
    run_invoke,
)
from press.build.errors import BuildError
from press.build.offline import check_zip
from press.checks.output import check_leaks
from press.cli.check import main as check
from press.core.settings import load_settings
from press.safety import published
from press.safety.documents import document_text
from press.safety.private_names import PrivateNames, PrivateNamesError, normalize

# Made-up names, distinctive enough that they stand nowhere else in the project.
LATIN = "Kwon Taeryong-su"
HANGUL = "권태룡수"
PLACE = "Hwapyeongri"
LIST = f"# people\n{LATIN}\n\n{HANGUL}\n# places\n{PLACE}\n"
ENTRY = {LATIN: 2, HANGUL: 4, PLACE: 6}  # each name's line in LIST


def forms(name: str) -> list[str]:
    """Every way a name is written here, for looking for it in what the build wrote."""
    return [name, name.lower(), name.upper(), normalize(name), unicodedata.normalize("NFD", name)]


@pytest.fixture
def names_file(tmp_path, monkeypatch):
    """The private list, outside the repository, named by PRIVATE_NAMES_FILE."""
    path = tmp_path / "private" / "names.txt"
    path.parent.mkdir()
    path.write_text(LIST, encoding="utf-8")
    monkeypatch.setenv("PRIVATE_NAMES_FILE", str(path))
    return path


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("told by KWON TAERYONG SU.", LATIN),
        ("told by Ｋｗｏｎ Ｔａｅｒｙｏｎｇ－ｓｕ.", LATIN),  # full-width letters
        ("told by Kwon\u200b Taeryong\u00ad-su.", LATIN),  # zero-width space, soft hyphen
        ("told by *Kwon* Taeryong_su", LATIN),  # emphasis and other separators
        (unicodedata.normalize("NFD", f"{HANGUL}가 말했습니다"), HANGUL),  # decomposed Hangul
        (f"{HANGUL}씨", HANGUL),  # a particle attached, as Korean writes it
        ("from hwapyeongri,", PLACE),
        ("told by Kw\u034fon Taery\ufe0fong-su", LATIN),  # grapheme joiner, variation selector
        ("told by Kwon Taeryong\U000e0100-su", LATIN),  # a supplementary variation selector
        ("told by 권\ufe0f태룡\u3164수", HANGUL),  # variation selector, Hangul filler
        ("told by Kwon Taeryong-su¹ and", LATIN),  # a footnote's digit touching the name
        ("told by Kwon Taeryongsu.", LATIN),  # parts run together
        ("told by Kwon Taeryong\u00adsu.", LATIN),  # a soft hyphen where the hyphen was
        ("told by 권 태룡수.", HANGUL),  # Hangul spaced apart
        ("told by 권。태룡수.", HANGUL),
        ("told by Kwоn Тaeryong-su", LATIN),  # Cyrillic о and Т
        ("told by ᴋᴡᴏɴ Taeryong-su", LATIN),  # small capitals
        ("told by Kwón Tạeryong-su", LATIN),  # precomposed accents
        ("told by Kwon Taeryong-sü", LATIN),
        ("told by Kwon Taeryong-sᴜ", LATIN),
        ("told by Kwօn Taeryong-su", LATIN),  # Armenian օ
        ("told by Kwon Taeryong-ꮪu", LATIN),  # Cherokee ꮪ
        ("told by Kwon Taerყong-su", LATIN),  # Georgian ყ
        ("told by KWON TAERYONG-ЅU", LATIN),  # Cyrillic capital Ѕ
        ("told by Kwon Taeryong-sú", LATIN),  # a combining accent
        ("told by ㄱㅝㄴ태룡수", HANGUL),  # Hangul written in loose letters
        ("told by ㄱㅝㄴㅌㅐㄹㅛㅇㅅㅜ", HANGUL),
        ("told by ㄱ ㅝ ㄴ ㅌ ㅐ ㄹ ㅛ ㅇ ㅅ ㅜ", HANGUL),  # spaced apart
        ("told by ㄱㅝ\u200bㄴ태룡수", HANGUL),  # with an invisible character inside
        ("told by 권ㆍ태룡수", HANGUL),  # araea as a middle dot
        ("told by Kwon Taeryong-sư", LATIN),
        ("told by Kwoń Taerÿong-su", LATIN),
        ("told by Kwøn Taeryong-su", LATIN),  # a stroke Unicode does not decompose
        ("told by Kwon Ŧaeryong-su", LATIN),
        ("told by 🅺🆆🅾🅽 Taeryong-su", LATIN),  # letters in squares
        ("told by Kwon \u202eus-gnoyreaT\u202c then", LATIN),  # half of it shown reversed
        ("told by Taeryong-su\u200f Kwon", LATIN),  # a right-to-left mark reorders words
        ("at https://xn--zf0by8shnh7lp.kr/ now", HANGUL),  # a host in punycode
        ('told by <bdo dir="rtl">us-gnoyreaT nowK</bdo>', LATIN),  # shown reversed
        ("told by \u202eus-gnoyreaT nowK\u202c", LATIN),
    ],
)
def test_a_name_is_found_however_it_is_written(text, entry):
    """Case, width, invisible characters, decomposed Hangul and punctuation change nothing."""
    names = PrivateNames.from_file_text(LIST)
    assert [(hit.line, hit.entry) for hit in names.in_text(f"First line.\n{text}\n")] == [
        (2, ENTRY[entry])
    ]


def test_a_name_broken_over_many_lines_counts_on_its_first():
    """Hangul one syllable a line: found, at the line where it starts."""
    names = PrivateNames.from_file_text(LIST)
    assert [(h.line, h.entry) for h in names.in_text("제보자\n권\n태\n룡\n수 씨가")] == [
        (2, ENTRY[HANGUL])
    ]


def test_names_of_several_words_match_at_word_boundaries_only():
    """Run together or spaced apart, a name of several words still starts and ends a word:
    "Ri Mi" is not in "criminal" nor in "trim if", "Lee Min" not in "flee Minsk"."""
    names = PrivateNames.from_file_text("Ri Mi\nLee Min\nO Ra\n")
    for text in ("the International Criminal Court", "trim if needed", "flee Minsk", "or a"):
        assert names.in_text(text) == [], text
    assert [h.entry for h in names.in_text("by RiMi, by Lee  Min and by O Ra")] == [1, 2, 3]


def test_latin_names_match_whole_words_only():
    """ "Lee" is not in "sleep", and a name broken over two lines still counts, once."""
    names = PrivateNames.from_file_text("Lee\nKwon Taeryong-su\n")
    assert names.in_text("We sleep.\nMr Lee left.") == names.in_text("x\nLee") != []
    assert [(h.line, h.entry) for h in names.in_text("met Kwon\nTaeryong-su there")] == [(1, 2)]


@pytest.mark.parametrize(
    ("file_name", "spells"),
    [
        ("kwon-taeryong-su.jpg", True),
        ("KwonTaeryongsu_2.png", True),
        ("권태룡수사진.jpg", True),
        ("kwon-tae.jpg", False),
        ("hwapyeongri-market.jpg", True),
        ("kwon-taeryong-su2.jpg", True),
        ("hwapyeongri2024.jpg", True),
    ],
)
def test_file_names_that_spell_a_name(file_name, spells):
    """A file name spells a name whatever separates its parts."""
    assert bool(PrivateNames.from_file_text(LIST).in_name(file_name)) is spells


def test_the_list_must_live_outside_the_repository(tmp_path):
    """A list inside the project could be committed: it is refused, and an unreadable one too."""
    inside = ROOT / "content" / "names.txt"
    with pytest.raises(PrivateNamesError, match="outside the project folder"):
        PrivateNames.from_file(inside, ROOT)
    with pytest.raises(PrivateNamesError, match="cannot be read") as failure:
        PrivateNames.from_file(tmp_path / "missing.txt", ROOT)
    assert str(failure.value).startswith("PRIVATE_NAMES_FILE: ")


def test_check_names_each_place_and_never_the_name(capsys, content, names_file):
    """`invoke check` names the file and line of every occurrence, in every kind of source."""
    article = content / "en" / "articles" / "shared-story.md"
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write(f"\nAs KWON Taeryong-su said,\n\nin {PLACE.lower()}.\n")
    lines = article.read_text(encoding="utf-8").splitlines()
    said = next(n for n, line in enumerate(lines, 1) if "KWON" in line)
    (content / "images").mkdir()
    Image.new("RGB", (4, 4), "white").save(content / "images" / "kwon-taeryong-su.jpg")
    locale = content.parent / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    po = locale / "ko" / "LC_MESSAGES" / "messages.po"
    po.write_text(f"# Translated with {HANGUL}.\n" + po.read_text(encoding="utf-8"), "utf-8")
    code = check(
        ["--settings", str(FIXTURE_SETTINGS), "--content", str(content), "--catalogs", str(locale)]
    )
    err = capsys.readouterr().err
    assert code == 1
    found = sorted(line.split(": ", 1)[0] for line in err.splitlines() if "private names" in line)
    assert found == sorted(
        [f"{article}:{said}", f"{article}:{said + 2}", f"{content}/images/[a private name].jpg",
         f"{po}:1"]
    )  # fmt: skip
    for name in ENTRY:
        assert not any(form in err for form in forms(name))


@pytest.mark.parametrize(
    "line",
    [
        'As Kwon<span class="print-source">x</span> Taeryong-su said,',
        "As <ruby>Kwon<rp>q</rp> Taeryong-su</ruby> said,",
        "<p>권<rp>가</rp>태룡수가 말했습니다.</p>",
        "As K&#119;on Taeryong-su said,",  # a character reference
        "<div>Our source, Kwon<sup\n>1</sup> Taeryong-su, spoke.</div>",  # over two lines
        # Nested deeper than Python recurses, as browsers allow.
        "As " + "<span>" * 2100 + "Kwon<sup>1</sup> Taeryong-su" + "</span>" * 2100 + " said,",
    ],
)
def test_check_reads_markup_in_sources_as_a_browser_shows_it(line, capsys, content, names_file):
    """A name split by hidden or set-apart markup in a source is found at its line."""
    article = content / "en" / "articles" / "shared-story.md"
    text = article.read_text(encoding="utf-8") + "\n"
    said = len(text.splitlines()) + 1  # where the line (or block) starts
    article.write_text(f"{text}{line}\n", "utf-8")
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)])
    err = capsys.readouterr().err
    assert code == 1
    assert [m.split(": ", 1)[0] for m in err.splitlines() if "private names" in m] == [
        f"{article}:{said}"
    ]


def test_markup_that_a_reader_reads_through_is_no_name():
    """Two words that markup only sits between are not run together into a name."""
    names = PrivateNames.from_file_text(LIST)
    site = published.Site("https://ffhr.example.org/", "", names)
    page = (
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        "<p>Kwon<sup>1</sup> and Taeryong-su<rp>,</rp> are two words here.</p></body></html>"
    )
    found = published.problems("en/x/index.html", page.encode(), site)
    assert found  # the page lacks the theme's head: a page the gate reads, and refuses
    assert not [message for _line, message in found if "private names" in message]


def test_the_gate_finds_names_no_source_shows(tmp_path, names_file):
    """A name that reaches pages another way (here a setting) is refused in the output."""
    languages = load_settings(FIXTURE_SETTINGS)["I18N_LANGUAGES"]
    languages = {**languages, "en": {**languages["en"], "SITESUBTITLE": f"News from {PLACE}"}}
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", I18N_LANGUAGES=languages)
    problems = failure.value.problems
    assert problems
    assert all(p.startswith("output/") and f"(its line {ENTRY[PLACE]})" in p for p in problems)
    assert any(p.startswith("output/en/index.html:") for p in problems)
    assert not (tmp_path / "output").exists()
    for name in ENTRY:
        assert not any(form in "\n".join(problems) for form in forms(name))


def test_the_list_reaches_no_file_the_build_writes(tmp_path, names_file):
    """Output, content cache and build state hold none of the names after a build."""
    build_site(tmp_path / "output")
    written = [path for path in tmp_path.rglob("*") if path.is_file() and path != names_file]
    assert written
    for path in written:
        data = path.read_bytes()
        for name in ENTRY:
            assert not any(form.encode() in data for form in forms(name)), path


def test_the_offline_zip_is_checked_as_readers_get_it(tmp_path, names_file):
    """A name in any member of the ZIP (here a README) is found, by member and line."""
    target = tmp_path / "edition.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("ffhr-offline/README.txt", f"Offline edition\nfor {PLACE}\n")
        archive.writestr("ffhr-offline/kwon-taeryong-su.txt", "hello")
    problems = [str(p) for p in check_zip(target, load_settings(FIXTURE_SETTINGS))]
    assert [p.split(": ", 1)[0] for p in problems] == [
        "edition.zip/ffhr-offline/README.txt:2",
        "edition.zip/ffhr-offline/kwon-taeryong-su.txt",
    ]


def test_a_name_in_a_pdf_is_found_in_the_source_and_in_the_output(tmp_path, content, names_file):
    """A PDF's text is searched too, before publishing (check) and as published (the gate)."""
    from test_documents import new_pdf

    (content / "files").mkdir()
    pdf, _page = new_pdf(f"Interview in {PLACE}".encode())
    pdf.save(content / "files" / "interview.pdf")
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", content)
    assert [p.split(": ", 1)[0] for p in failure.value.problems] == [
        f"{content}/files/interview.pdf"
    ]
    assert f"(its line {ENTRY[PLACE]})" in failure.value.problems[0]
    staging = tmp_path / "staging" / "files"
    staging.mkdir(parents=True)
    shutil.copy(content / "files" / "interview.pdf", staging / "interview.pdf")
    gate = [str(p) for p in check_leaks(staging.parent, load_settings(FIXTURE_SETTINGS))]
    assert [p.split(": ", 1)[0] for p in gate if "private names" in p] == [
        "output/files/interview.pdf"
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<p>K<span>won</span> Taeryong-su</p>",  # split by markup
        "<p>Kwon T<em>aeryong</em>-su</p>",
        '<p><a href="https://example.org/Kwon%20Taeryong-su">x</a></p>',  # percent-escaped
        '<p><a href="https://example.org/%EA%B6%8C%ED%83%9C%EB%A3%A1%EC%88%98">x</a></p>',
        '<p><img src="a.png" alt="Portrait of Kw\u034fon Taeryong-su"></p>',
        # Split by text a reader does not read with it: hidden by the theme's style sheet,
        # ruby's fallback parentheses and readings, a footnote mark.
        '<p>Kwon<span class="print-source">x</span> Taeryong-su</p>',
        "<p><ruby>Kwon<rp>q</rp> Taeryong-su</ruby></p>",
        "<p>권<rp>가</rp>태룡수</p>",
        "<li>권<ruby>태<rt>tae</rt></ruby>룡<sup>1</sup>수</li>",
        "<p>Kwon<span hidden>and</span> Taeryong-su</p>",
        # Shown in another order than written, or in blocks the page lays out as text.
        '<p>Kwon <bdo dir="rtl">us-gnoyreaT</bdo></p>',
        '<p>권<bdo dir="rtl">수룡태</bdo></p>',
        '<p><span dir="rtl">Taeryong-su\u200f Kwon</span></p>',
        "<div>Our source, Kwon<sup\n>1</sup> Taeryong-su, spoke.</div>",
        "<details><summary>More</summary>Kwon<rt\n>X</rt> Taeryong-su</details>",
        # Nested deeper than Python recurses, as browsers allow.
        "<p>Kwon " + "<span>" * 2100 + '<bdo dir="rtl">us-gnoyreaT</bdo>' + "</span>" * 2100,
    ],
)
def test_the_gate_reads_pages_as_readers_see_them(html):
    """A name split by markup, percent-escaped in an address or in alt text is found."""
    names = PrivateNames.from_file_text(LIST)
    site = published.Site("https://ffhr.example.org/", "", names)
    page = f"<!DOCTYPE html><html><head><title>x</title></head><body>{html}</body></html>"
    found = published.problems("en/x/index.html", page.encode(), site)
    assert any("private names" in message for _line, message in found)


def test_a_pdf_drawn_out_of_order_is_read_as_laid_out(tmp_path):
    """A name drawn in two pieces, the second first, is read as the page shows it."""
    from test_documents import new_pdf

    pdf, page = new_pdf(b"")
    page.Contents = pdf.make_stream(
        b"BT /F1 24 Tf 190 700 Td (ong-su spoke.) Tj ET BT /F1 24 Tf 72 700 Td (Kwon Taery) Tj ET"
    )
    pdf.save(tmp_path / "out-of-order.pdf")
    names = PrivateNames.from_file_text(LIST)
    assert names.in_text(document_text(tmp_path / "out-of-order.pdf"))


def test_messages_that_quote_content_never_show_a_name(capsys, content, names_file):
    """A problem that quotes an address or a value holding a name shows it masked."""
    article = content / "en" / "articles" / "shared-story.md"
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write("\n![x](https://cdn.example/Kwon-Taeryong-su.png)\n")
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)])
    err = capsys.readouterr().err
    assert code == 1
    assert "https://cdn.example/[a private name].png" in err
    for name in ENTRY:
        assert not any(form in err for form in forms(name))
    with pytest.raises(BuildError) as failure:
        build_site(content.parent / "output", content)
    shown = "\n".join(failure.value.problems)
    assert not any(form in shown for name in ENTRY for form in forms(name))


def test_a_new_list_rebuilds_what_was_built_without_it(tmp_path, content, monkeypatch):
    """Output built before the list was set is searched when it is: no update skips it."""
    article = content / "en" / "articles" / "shared-story.md"
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write(f"\nSent from {PLACE}.\n")
    monkeypatch.delenv("PRIVATE_NAMES_FILE", raising=False)
    output = build_site(tmp_path / "output", content)
    names = tmp_path / "private-names.txt"
    names.write_text(LIST, encoding="utf-8")
    monkeypatch.setenv("PRIVATE_NAMES_FILE", str(names))
    with pytest.raises(BuildError):
        build_site(output, content)


def test_deploy_checks_the_output_again_with_todays_list(tmp_path):
    """A build published before a name joined the list is not deployed after it did."""
    project = copy_project(tmp_path / "project", FIXTURE_CONTENT)
    article = project / "content" / "en" / "articles" / "english-only.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\nSent from {PLACE}.\n", "utf-8")
    assert run_invoke(project, "publish").returncode == 0
    names = tmp_path / "names.txt"
    names.write_text(LIST, encoding="utf-8")
    releases = tmp_path / "releases"
    result = run_invoke(project, "deploy", "--to", "rsync", "--target", str(releases), names=names)
    assert result.returncode == 1
    assert "Deploy stopped" in result.stderr
    assert "output/en/articles/english-only/index.html:" in result.stderr
    assert not releases.exists()
    assert not any(form in result.stderr for name in ENTRY for form in forms(name))


@pytest.mark.parametrize("suffix", [".markdown", ".mkd", ".mdown"])
def test_every_markdown_extension_pelican_reads_is_searched(suffix, capsys, content, names_file):
    """Pelican reads .markdown, .mkd and .mdown sources too: a name in one is found by check."""
    source = content / "en" / "articles" / "english-only.md"
    other = source.with_name(f"other-story{suffix}")
    text = source.read_text(encoding="utf-8").replace("Title: ", "Title: Other ", 1)
    other.write_text(f"{text}\nAs {PLACE} was,\n", encoding="utf-8")
    source_line = len(other.read_text(encoding="utf-8").splitlines())
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)])
    err = capsys.readouterr().err
    assert code == 1
    assert [m.split(": ", 1)[0] for m in err.splitlines() if "private names" in m] == [
        f"{other}:{source_line}"
    ]
