"""Catalogs cannot inject markup, drop or add placeholders, or name anyone.

Each hostile catalog is refused three times with its file and line: by `invoke check` (exit
1), by the build (BuildError, the previous output left as it was) and by `invoke
translations.qa` (exit 1). The real catalog, a freshly `invoke i18n.init`-ed one and
legitimate translations (markup kept, apostrophes, "&lt;", plural forms) pass.
"""

import shutil
import tomllib

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from lxml import html

from conftest import (
    FIXTURE_CONTENT,
    FIXTURE_SETTINGS,
    ROOT,
    build_site,
    copy_project,
    run_invoke,
)
from press.build.errors import BuildError
from press.cli.check import main as check_cli
from press.cli.translations import main as review_cli
from press.safety.catalogs import (
    AgreedNames,
    markup_problem,
    single_number_forms,
    translation_problems,
)
from press.translations.catalogs import check_catalog

KO = "ko/LC_MESSAGES/messages.po"
LINK_MSGID = 'Read the <a href="%(url)s">original</a>'
EVIL = "https://evil.example/"


def quoted(text: str) -> str:
    """`text` as the inside of a .po string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def replace(old: str, new: str):
    """An edit of the Korean catalog: the first `old` becomes `new`."""

    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


def translate(msgstr: str, new: str):
    """An edit giving the entry translated as `msgstr` the translation `new`."""
    return replace(f'msgstr "{msgstr}"', f'msgstr "{quoted(new)}"')


def append(entry: str):
    """An edit adding an entry at the end of the catalog."""
    return lambda text: f"{text}\n{entry}\n"


def link_entry(msgstr: str) -> str:
    """An entry whose msgid has a link, translated as `msgstr`."""
    return f'msgid "{quoted(LINK_MSGID)}"\nmsgstr "{quoted(msgstr)}"'


# (edit of the catalog, text on the reported line (or it and which occurrence), what the
# message says)
HOSTILE = {
    "meta-refresh": (
        translate("페이지", f'페이지<meta http-equiv="refresh" content="0;url={EVIL}">'),
        'msgid "Pages"',
        'the msgstr has markup (\'<meta http-equiv="refresh"',
    ),
    "meta-after-empty-comment": (
        # A pattern that strips <!-- ... --> sees one comment; a browser sees "<!-->" close
        # an empty comment, then the meta.
        translate("페이지", f"<!--><meta http-equiv=refresh content=0;url={EVIL}>-->"),
        'msgid "Pages"',
        "the msgstr has markup ('<!-->')",
    ),
    "meta-uppercase": (
        translate("언어", f'<META HTTP-EQUIV="REFRESH" CONTENT="0;URL={EVIL}">언어'),
        'msgid "Language"',
        "the msgstr has markup ('<META HTTP-EQUIV=",
    ),
    "meta-unquoted": (
        translate("태그", f"태그<meta http-equiv=refresh content=0;url={EVIL}>"),
        'msgid "Tags"',
        "the msgstr has markup ('<meta http-equiv=refresh",
    ),
    "stray-end-tag": (
        translate("언어", "언어</nav></header>"),
        'msgid "Language"',
        "the msgstr has markup ('</nav>')",
    ),
    "attribute-breakout": (
        # aria-label="{{ _('Main') }}": a straight double quote ends the attribute.
        translate("주 메뉴", f'주 메뉴" style="background:url({EVIL}x.png)'),
        'msgid "Main"',
        'the msgstr has a straight double quote (") that its msgid lacks',
    ),
    "link-with-other-attributes": (
        append(link_entry(f'<a href="%(url)s" style="background:url({EVIL}x.png)">원문</a>')),
        f'msgid "{quoted(LINK_MSGID)}"',
        "the msgstr's markup differs from its msgid's (adds '<a href=\"%(url)s\" style=",
    ),
    "link-to-another-host": (
        append(link_entry(f'<a href="{EVIL}">원문</a> 읽기 %(url)s')),
        f'msgid "{quoted(LINK_MSGID)}"',
        f"the msgstr's markup differs from its msgid's (adds '<a href=\"{EVIL}\">')",
    ),
    "link-with-body-attributes": (
        # A fragment parser drops <body>; a browser adds its attributes to the page's body.
        append(link_entry('<a href="%(url)s">원문</a><body onload="location=1">')),
        f'msgid "{quoted(LINK_MSGID)}"',
        "the msgstr has markup a page would apply outside this text ('<body onload=",
    ),
    "second-entry-for-a-msgid": (
        # Babel compiles the first entry only: the second's markup is never read by it.
        append(
            f'msgid "Pages"\nmsgstr "{quoted(f"<meta http-equiv=refresh content=0;url={EVIL}>")}"'
        ),
        ('msgid "Pages"', 2),
        "(Babel uses the first, msgfmt refuses the file): keep one of the two entries",
    ),
    "string-left-open": (
        # Babel takes the last character off as if it were the closing quote: "목" alone.
        replace('msgstr "목차"', 'msgstr "목차'),
        'msgstr "목차',
        "this string is not one whole string in double quotes",
    ),
    "string-without-its-opening-quote": (
        # Babel takes the first character off as if it were the opening quote: "차".
        replace('msgstr "목차"', 'msgstr 목차"'),
        'msgstr 목차"',
        "this string is not one whole string in double quotes",
    ),
    "reference-to-a-character-xml-forbids": (
        translate("목차", "목차&#0;"),
        'msgid "Contents"',
        "the msgstr has '&#0;', which XML does not know",
    ),
    "html-only-character-reference": (
        # A page reads &nbsp; as HTML does; the feeds' style sheet, as XML, does not.
        translate("목차", "목&nbsp;차"),
        'msgid "Contents"',
        "the msgstr has '&nbsp;', which XML does not know",
    ),
    "drops-placeholder": (
        translate("글: %(authors)s", "글"),
        'msgid "By %(authors)s"',
        "the msgstr drops %(authors)s; keep exactly the msgid's placeholders",
    ),
    "drops-placeholder-plural": (
        # Korean has one plural form, used for every number: it must keep %(num)d.
        replace('msgstr[0] "%(num)d분 분량"', 'msgstr[0] "몇 분 분량"'),
        'msgid "%(num)d min read"',
        "msgstr[0] drops %(num)d; keep exactly the msgid's placeholders",
    ),
    "drops-placeholder-plural-articles": (
        replace('msgstr[0] "글 %(num)d편"', 'msgstr[0] "글 여러 편"'),
        'msgid "%(num)d article"',
        "msgstr[0] drops %(num)d; keep exactly the msgid's placeholders",
    ),
    "adds-placeholder": (
        translate("페이지", "페이지 %(site)s"),
        'msgid "Pages"',
        "the msgstr adds %(site)s, which its msgid does not have",
    ),
    "adds-positional-placeholder": (
        translate("태그", "태그 %s"),
        'msgid "Tags"',
        "the msgstr adds %s, which its msgid does not have",
    ),
    "lone-percent": (
        translate("태그", "태그 100%"),
        'msgid "Tags"',
        "the msgstr has a % that starts no placeholder: write %% for a percent sign",
    ),
    "email-in-msgstr": (
        translate("태그", "태그 (문의: kim@example.org)"),
        'msgid "Tags"',
        "the msgstr has an @ (an e-mail address?) that its msgid lacks",
    ),
    "email-in-report-msgid-bugs-to": (
        replace('"Report-Msgid-Bugs-To: \\n"', '"Report-Msgid-Bugs-To: kim@example.org\\n"'),
        "Report-Msgid-Bugs-To",
        "the header field 'Report-Msgid-Bugs-To' has an @ (an e-mail address)",
    ),
    "email-in-header-comment": (
        replace("# FFHR translators, 2026.", "# FFHR translators <team@ffhr.example>, 2026."),
        "# FFHR translators <team",
        "this comment has an @ (an e-mail address)",
    ),
    "full-width-at-in-header-comment": (
        replace("# FFHR translators, 2026.", "# FFHR translators <team＠ffhr.example>, 2026."),
        "# FFHR translators <team",
        "this comment has an @ (an e-mail address)",
    ),
    "email-in-translator-comment": (
        replace('msgid "Archives"', '# Ask kim@example.org before changing\nmsgid "Archives"'),
        "# Ask kim@",
        "this comment has an @ (an e-mail address)",
    ),
    "name-in-header-comment": (
        replace("# FFHR translators, 2026.", "# Kim Chol-su, 2026."),
        "# Kim Chol-su",
        "the header comment may hold only Babel's lines",
    ),
    "name-in-header-comment-free-text": (
        replace("#\nmsgid", "# Reviewed by Kim Chol-su in Seoul\n#\nmsgid"),
        "# Reviewed by",
        "the header comment may hold only Babel's lines",
    ),
    "name-as-copyright-holder": (
        replace("# Copyright (C) 2026 FFHR", "# Copyright (C) 2026 Kim Chol-su"),
        "# Copyright",
        "the header comment may hold only Babel's lines",
    ),
    "name-in-last-translator": (
        replace("Last-Translator: FFHR translators", "Last-Translator: Kim Chol-su"),
        "Last-Translator",
        "Last-Translator is not on the pseudonym list",
    ),
    "name-in-unknown-header-field": (
        replace('"Language: ko\\n"', '"Language: ko\\n"\n"X-Reviewer: Kim Chol-su\\n"'),
        "X-Reviewer",
        "the header field 'X-Reviewer' is not one a catalog may carry",
    ),
    "plural-forms-that-crash": (
        replace("plural=0;", "plural=n/0;"),
        "Plural-Forms",
        "the header field Plural-Forms is not in its expected form",
    ),
    "name-in-project-id-version": (
        replace("Project-Id-Version: FFHR VERSION", "Project-Id-Version: Kim Chol-su 1.0"),
        "Project-Id-Version",
        "the header field Project-Id-Version is not in its expected form",
    ),
}


@pytest.fixture
def locale(tmp_path):
    """A writable copy of the real catalogs."""
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


@pytest.fixture
def content(tmp_path):
    """A writable copy of the fixture content."""
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


def line_of(path, anchor) -> int:
    """1-based number of the first line of `path` containing `anchor` (a text, or a text and
    which of its occurrences)."""
    text, occurrence = anchor if isinstance(anchor, tuple) else (anchor, 1)
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(found) >= occurrence, f"{text!r} not {occurrence} times in {path}"
    return found[occurrence - 1]


def run_check(capsys, content, locale) -> tuple[int, list[str]]:
    """`invoke check` on the content and catalogs: its exit code and problem lines."""
    code = check_cli(
        ["--settings", str(FIXTURE_SETTINGS), "--content", str(content), "--catalogs", str(locale)]
    )
    lines = capsys.readouterr().err.splitlines()
    return code, [line for line in lines if not line.endswith("problem(s) found.")]


def run_qa(capsys, content, locale) -> tuple[int, list[str]]:
    """`invoke translations.qa` on the content and catalogs: its exit code and findings."""
    code = review_cli(
        [
            "--settings",
            str(FIXTURE_SETTINGS),
            "--content",
            str(content),
            "--catalogs",
            str(locale),
            "qa",
        ]
    )
    return code, capsys.readouterr().out.splitlines()[:-1]


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_catalog_is_refused_by_check_build_and_qa(capsys, tmp_path, content, locale, case):
    """Each hostile catalog: one problem at its line from check, the build and qa alike."""
    edit, anchor, message = HOSTILE[case]
    po = locale / KO
    po.write_text(edit(po.read_text(encoding="utf-8")), encoding="utf-8")
    where = f"{po}:{line_of(po, anchor)}: "

    code, problems = run_check(capsys, content, locale)
    assert code == 1
    assert len(problems) == 1, problems
    assert problems[0].startswith(where)
    assert message in problems[0]

    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good build", encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(output, content, I18N_CATALOG_PATH=str(locale))
    assert failure.value.problems == problems
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "the last good build"
    assert not (po.with_suffix(".mo")).exists()

    code, findings = run_qa(capsys, content, locale)
    assert code == 1
    assert problems[0] in findings
    # qa also says an entry no template uses is obsolete; nothing else.
    assert all(f == problems[0] or "obsolete" in f for f in findings), findings


def test_every_problem_of_a_catalog_is_reported_at_once(capsys, content, locale):
    """Three hostile edits in one catalog: three problems, in the order of their lines."""
    po = locale / KO
    text = po.read_text(encoding="utf-8")
    for case in ("email-in-report-msgid-bugs-to", "drops-placeholder", "meta-refresh"):
        text = HOSTILE[case][0](text)
    po.write_text(text, encoding="utf-8")
    code, problems = run_check(capsys, content, locale)
    assert code == 1
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{po}:{line_of(po, anchor)}"
        for anchor in ("Report-Msgid-Bugs-To", 'msgid "By %(authors)s"', 'msgid "Pages"')
    ]


def agreed_names() -> AgreedNames:
    """The names of the real site: its own, and content/pseudonyms.toml."""
    with (ROOT / "content" / "pseudonyms.toml").open("rb") as fileobj:
        return AgreedNames("FFHR", frozenset(tomllib.load(fileobj)["pseudonyms"]))


def test_the_real_catalogs_pass():
    """Every committed catalog passes every rule."""
    catalogs = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
    assert catalogs
    for po in catalogs:
        catalog, problems = check_catalog(po, agreed_names())
        assert catalog is not None
        assert problems == []


def test_a_freshly_initialised_catalog_names_no_one(tmp_path):
    """`invoke i18n.init` writes a header that passes: pseudonyms, no address anywhere."""
    copy_project(tmp_path)
    done = run_invoke(tmp_path, "i18n.init", "--lang", "ja")
    assert done.returncode == 0, done.stderr
    po = tmp_path / "locale" / "ja" / "LC_MESSAGES" / "messages.po"
    assert "@" not in po.read_text(encoding="utf-8")
    catalog, problems = check_catalog(po, agreed_names())
    # Only what the translator has to do: translate.
    assert problems
    assert all(p.message.endswith("has no translation; write its msgstr") for p in problems)

    # Translated as a translator would (the msgid as it is), it passes whole.
    for message in catalog:
        if message.id:
            forms = message.id if isinstance(message.id, tuple) else None
            message.string = (forms[-1],) if forms else message.id
    with po.open("wb") as fileobj:
        write_po(fileobj, catalog, width=100)
    assert check_catalog(po, agreed_names())[1] == []


LEGITIMATE = [
    ("Pages", "페이지"),
    ("Pages", "a < b, 3<4, &lt;meta&gt; 그리고 &amp;"),  # text, whatever it looks like
    ("Pages", "“페이지” ‘쪽’ &quot;"),
    ("Pages", "쪽&#160;수 &#xA0; &apos;"),  # references XML knows too
    ("Pages", "l'accueil, n'est pas"),  # apostrophes: the theme quotes attributes with "
    ("Pages", "100%% 완료"),
    ('Say "hello"', '"안녕"이라고 말하기'),  # the msgid's own quotes
    (LINK_MSGID, '<a href="%(url)s">원문</a> 읽기'),
    (LINK_MSGID, "<A HREF='%(url)s'>원문</A> 읽기"),  # same tag and attribute, other spelling
    (LINK_MSGID, "<a href=%(url)s>원문</a> 읽기"),
    (LINK_MSGID, '원문 <a href="%(url)s">읽기</a>, 3 < 4'),
]


@pytest.mark.parametrize(("msgid", "msgstr"), LEGITIMATE)
def test_legitimate_translations_pass(msgid, msgstr):
    """Text that only looks like markup, apostrophes, and the msgid's markup moved pass."""
    assert translation_problems(Message(msgid, msgstr), set()) == []


ALSO_HOSTILE = [
    ("Pages", "<![CDATA[<meta http-equiv=refresh>]]>"),
    ("Pages", "x<!-- the rest of the page disappears"),
    ("Pages", "</>x"),
    ("Pages", "<svg><a href=//evil.example>x</a></svg>"),
    ("Pages", "<template><meta http-equiv=refresh></template>"),
    ("Pages", "<title>x</title>"),
    ("Pages", "x <br/>"),
    (LINK_MSGID, '<a href="%(url)s">원문</a></p>'),  # a stray end tag closes the page's
    (LINK_MSGID, '<a href="%(url)s">원문</nav>'),  # one end tag swapped for another
    (LINK_MSGID, '<a href="%(url)s">원문</a><td background="//evil.example/x.png">'),
    (LINK_MSGID, '<a href="%(url)s" href="x">원문</a><a href="%(url)s">'),
    (LINK_MSGID, '<a href="%(url)s"/onmouseover=x>원문</a>'),
    (LINK_MSGID, '<a href="%(url)s">원문</a><!---->'),
    (LINK_MSGID, '<a href="java&#115;cript:x">원문</a>'),
    (LINK_MSGID, '<a title="<a href=%(url)s>">원문</a>'),
    (LINK_MSGID, "원문"),  # the msgid's link dropped
    ("Pages", "<" * 101),  # refused before it is parsed 101 times
]


@pytest.mark.parametrize(("msgid", "msgstr"), ALSO_HOSTILE)
def test_markup_the_msgid_lacks_is_refused_however_written(msgid, msgstr):
    """CDATA, unclosed comments, `</>`, foreign and template content, stray or swapped end
    tags, table parts, extra or missing attributes and elements: all refused."""
    assert markup_problem((msgid,), msgstr) is not None


def test_plural_forms_keep_num_except_in_a_form_for_one_number():
    """English may write "one article" for n = 1; every other form keeps %(num)d."""
    english = single_number_forms(Catalog(locale="en"))
    assert english == {0}
    assert single_number_forms(Catalog(locale="ko")) == set()
    assert single_number_forms(Catalog(locale="fr")) == set()  # 0 and 1 share a form
    ids = ("%(num)d article", "%(num)d articles")
    assert translation_problems(Message(ids, ("one article", "%(num)d articles")), english) == []
    assert translation_problems(Message(ids, ("%(num)d article", "articles")), english) == [
        "msgstr[1] drops %(num)d; keep exactly the msgid's placeholders, moved where the "
        "sentence needs them"
    ]
    assert translation_problems(Message(ids, ("글",)), set()) == [
        "msgstr[0] drops %(num)d; keep exactly the msgid's placeholders, moved where the "
        "sentence needs them"
    ]


def test_apostrophes_in_messages_stay_text_in_every_page(tmp_path, content, locale):
    """An apostrophe in every message stays text: no template single-quotes an attribute.

    The theme puts messages in double-quoted attributes only: with `' data-probe='1` in every
    msgstr, no page gets a data-probe attribute (so apostrophes may stay allowed).
    """
    po = locale / KO
    with po.open("rb") as fileobj:
        catalog = read_po(fileobj)
    for message in catalog:
        if message.id:
            add = "' data-probe='1"
            forms = message.string if isinstance(message.string, tuple) else None
            message.string = tuple(f + add for f in forms) if forms else message.string + add
    with po.open("wb") as fileobj:
        write_po(fileobj, catalog, width=100)
    output = build_site(tmp_path / "output", content, I18N_CATALOG_PATH=str(locale))
    pages = sorted((output / "ko").rglob("*.html"))
    assert pages
    seen = 0
    for page in pages:
        tree = html.parse(str(page))
        assert tree.xpath("//@data-probe") == [], page
        seen += "data-probe='1" in "".join(tree.xpath("//text() | //@*"))
    assert seen == len(pages)
