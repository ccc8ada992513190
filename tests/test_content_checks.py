"""`invoke check` on bad input: each case gives exit code 1 and its exact `path:line: message`."""

import shutil

import pytest

from conftest import FIXTURE_SETTINGS, ROOT, SETTINGS, edit
from press.cli.check import main as check

PSEUDONYM_HINT = (
    "is not on the pseudonym list (content/pseudonyms.toml); people publish here only under "
    "agreed pseudonyms: use one from the list, or add the new pseudonym there"
)


def run_check(capsys, content, *args) -> tuple[int, list[str]]:
    """Run the checks on `content`; return the exit code and the problem lines."""
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content), *args])
    err = capsys.readouterr().err.splitlines()
    return code, [line for line in err if not line.endswith("problem(s) found.")]


@pytest.fixture
def article(content):
    """The English fixture article that has a Korean translation."""
    return content / "en" / "articles" / "shared-story.md"


def test_fixture_content_is_clean(capsys, content):
    """The unmodified fixture passes, so each case below fails for its own reason only."""
    assert run_check(capsys, content) == (0, [])


def test_real_content_passes_check(capsys):
    """The organization's content/ and locale/ pass `invoke check` cleanly."""
    code = check(["--settings", str(SETTINGS)])
    assert (code, capsys.readouterr().err) == (0, "")


@pytest.mark.parametrize(
    ("date", "what"),
    [("2024-13-45", "is not a real date"), ("March 5", "is not a full date")],
)
def test_invalid_or_partial_date(capsys, article, date, what):
    """A date that is not a real YYYY-MM-DD date is refused on its line."""
    edit(article, "Date: 2024-01-10", f"Date: {date}")
    assert run_check(capsys, article.parents[2]) == (
        1,
        [f"{article}:2: Date: '{date}' {what}; write it as YYYY-MM-DD, e.g. Date: 2024-01-10"],
    )


def test_missing_title(capsys, article):
    """An article without a Title says where to add it."""
    edit(article, "Title: A story told in two languages\n", "")
    assert run_check(capsys, article.parents[2]) == (
        1,
        [f"{article}:1: no Title; add a line 'Title: ...' at the top"],
    )


def test_unknown_metadata_key_suggests_the_likely_one(capsys, article):
    """A misspelt key is named with the key it most likely meant."""
    edit(article, "Category: Defectors", "Categroy: Defectors")
    code, problems = run_check(capsys, article.parents[2])
    assert code == 1
    assert problems[0] == f"{article}:1: no Category; add a line 'Category: Defectors'"
    assert problems[1].startswith(
        f"{article}:4: unknown metadata key 'categroy'; did you mean 'Category'? Known keys: "
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "Category: Defectors",
            "Category: <img src=x>",
            "4: Category '<img src=x>' is markup, so it would get an empty URL; name it with "
            "words (it is plain text)",
        ),
        (
            "Category: Defectors",
            "Category: !!!",
            "4: Category '!!!' has no letters or digits, so it would get an empty URL; name it "
            "with words (it is plain text)",
        ),
        (
            "Tags: China, testimony",
            "Tags: China, a &lt; b",
            "5: Tags 'China, a &lt; b' has a character reference ('&...;'), and Pelican splits "
            "tags at ';' when there is one: write the character itself ('<', '&'), and separate "
            "tags with commas",
        ),
    ],
)
def test_a_category_or_tag_that_would_not_make_a_url_says_why(capsys, article, old, new, message):
    """Markup, no letters, and a reference whose ';' Pelican would split tags at: each named."""
    edit(article, old, new)
    assert run_check(capsys, article.parents[2]) == (1, [f"{article}:{message}"])


def test_unknown_status(capsys, article):
    """Only published, draft and hidden are statuses."""
    edit(article, "Summary:", "Status: publish\nSummary:")
    assert run_check(capsys, article.parents[2]) == (
        1,
        [f"{article}:6: unknown Status 'publish'; use one of: published, draft, hidden"],
    )


def test_unsupported_language_folder(capsys, content):
    """A content/kr/ folder is not Korean: the check says which code was meant."""
    shutil.move(content / "ko", content / "kr")
    code, problems = run_check(capsys, content)
    assert code == 1
    assert problems[0] == (
        f"{content / 'kr'}: 'kr' is not a language of this site (did you mean 'ko'?); the "
        "languages are en, ko (I18N_LANGUAGES in pelicanconf.py): rename the folder, or add "
        "the language there"
    )


def test_language_line_is_refused(capsys, article):
    """The language comes from the folder: a Lang line (here an invalid 'kr') is refused."""
    edit(article, "Summary:", "Lang: kr\nSummary:")
    assert run_check(capsys, article.parents[2]) == (
        1,
        [
            f"{article}:6: 'Lang: kr' is not allowed: the language comes from the folder "
            "(content/en/); remove the line, or move the file to the folder of its language"
        ],
    )


@pytest.mark.parametrize("slug", ["", "../../etc/passwd", "a/b"])
def test_slug_lines_are_refused(capsys, article, slug):
    """Empty slugs and slugs with / or .. are refused, like any Slug line."""
    edit(article, "Summary:", f"Slug: {slug}\nSummary:")
    assert run_check(capsys, article.parents[2]) == (
        1,
        [
            f"{article}:6: 'Slug: {slug}' is not allowed: the URL comes from the file name, so "
            "a translation shares it (and a slug with '/' or '..' could write outside its "
            "folder); remove the line and rename the file instead"
        ],
    )


def test_file_name_that_makes_a_bad_url(capsys, content):
    """A file name with spaces or capitals would make a bad URL."""
    source = content / "ko" / "articles" / "korean-only.md"
    renamed = source.with_name("Korean Only.md")
    source.rename(renamed)
    assert run_check(capsys, content) == (
        1,
        [
            f"{renamed}: the file name gives the URL 'Korean Only', which must be lower-case "
            "letters, digits and single hyphens (e.g. families-2-the-road-out.md); rename the file"
        ],
    )


def test_two_files_claiming_one_url_are_both_named(capsys, content):
    """articles/x.md and articles/2024/x.md would both be /en/articles/x/."""
    first = content / "en" / "articles" / "english-only.md"
    second = content / "en" / "articles" / "2024" / "english-only.md"
    second.parent.mkdir()
    shutil.copy(first, second)
    assert run_check(capsys, content) == (
        1,
        [
            f"{second}: claims the URL /en/articles/english-only/, as does {first}; "
            "rename one of them",
            f"{first}: claims the URL /en/articles/english-only/, as does {second}; "
            "rename one of them",
        ],
    )


def test_page_taking_a_section_url(capsys, content):
    """A page named archives.md would overwrite the archives listing."""
    page = content / "en" / "pages" / "archives.md"
    page.write_text("Title: Archive\nSummary: Old things.\n\nText.\n", encoding="utf-8")
    assert run_check(capsys, content) == (
        1,
        [
            f"{page}: the page would take the URL /en/archives/, which belongs to the site's "
            "'archives' section; rename the file"
        ],
    )


def test_translation_whose_source_does_not_exist(capsys, content):
    """Translation-Of must name an existing file."""
    translation = content / "ko" / "articles" / "shared-story.md"
    edit(
        translation,
        "Translation-Of: en/articles/shared-story.md",
        "Translation-Of: en/articles/shared.md",
    )
    assert run_check(capsys, content) == (
        1,
        [
            f"{translation}:7: Translation-Of: en/articles/shared.md does not exist; name the "
            "source file as <language>/articles/shared-story.md, e.g. "
            "en/articles/shared-story.md"
        ],
    )


def test_two_originals_for_one_translation_key(capsys, content):
    """Without Translation-Of, both versions claim to be the original: both are named."""
    en = content / "en" / "articles" / "shared-story.md"
    ko = content / "ko" / "articles" / "shared-story.md"
    edit(ko, "Translation-Of: en/articles/shared-story.md\n", "")
    claim = "both claim to be the original of 'articles/shared-story'"
    hint = "add 'Translation-Of: en/articles/shared-story.md' to the translation"
    assert run_check(capsys, content) == (
        1,
        [
            f"{en}:1: this and {ko} {claim}; {hint}",
            f"{ko}:1: this and {en} {claim}; {hint}",
        ],
    )


def test_invalid_utf8_names_line_and_column(capsys, article):
    """A byte that is not UTF-8 is reported with its line and column."""
    data = article.read_bytes().replace(b"A paragraph", b"A p\xe9ragraph", 1)
    article.write_bytes(data)
    line = data[: data.index(b"\xe9")].count(b"\n") + 1
    assert run_check(capsys, article.parents[2]) == (
        1,
        [
            f"{article}:{line}: column 4: byte 0xe9 is not valid UTF-8; save the file as UTF-8 "
            "(in most editors: Save As, Encoding: UTF-8)"
        ],
    )


def test_bom_and_crlf_are_accepted(capsys, article):
    """A UTF-8 BOM and Windows line endings are fine."""
    text = article.read_text(encoding="utf-8")
    article.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert run_check(capsys, article.parents[2]) == (0, [])


def test_links_and_images_that_do_not_exist(capsys, article):
    """{filename} and {static} targets must exist, relative to the file or to content/."""
    edit(article, "{filename}../pages/about.md", "{filename}../pages/abuot.md")
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write("\n![A map of the route]({static}/images/route.jpg)\n")
    line = len(article.read_text(encoding="utf-8").splitlines())
    hint = (
        "points at a file that does not exist; correct the path (it is relative to this "
        "file, or to content/ when it starts with /)"
    )
    assert run_check(capsys, article.parents[2]) == (
        1,
        [
            f"{article}:10: {{filename}}../pages/abuot.md {hint}",
            f"{article}:{line}: {{static}}/images/route.jpg {hint}",
        ],
    )


SERVE = (
    "serve the file from the site: an image from content/images/, linked as "
    "{static}/images/<name>, a theme's file from theme/static/"
)
INSTEAD = (
    "remove it; write it in Markdown, or with one of: span, abbr, em, strong, sup, sub, br, "
    "bdi (with lang, dir, title, id, class)"
)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<script>alert(1)</script>", f"<script> runs code in readers' browsers: {INSTEAD}"),
        (
            '<iframe src="https://video.example/embed/1"></iframe>',
            "<iframe> embeds another site's page, which readers' browsers would contact: "
            f"{INSTEAD}",
        ),
        (
            '<span onclick="steal()">text</span>',
            "<span onclick=...> is an event handler: it runs code in readers' browsers; "
            "remove the attribute (<span> may have: class, dir, id, lang, title)",
        ),
        (
            '<img src="https://tracker.example/pixel.gif" alt="x">',
            "<img src='https://tracker.example/pixel.gif'> makes readers' browsers load it "
            f"from https://tracker.example, not from this site; {SERVE}",
        ),
        (
            "![A photo](https://cdn.example/photo.jpg)",
            "<img src='https://cdn.example/photo.jpg'> makes readers' browsers load it from "
            f"https://cdn.example, not from this site; {SERVE}",
        ),
        (
            "[A link](photo.jpg) beside ![ ](photo.jpg)",
            "image 'photo.jpg' has no alt text; describe the picture between the brackets: "
            "![what it shows](...)",
        ),
        (
            # A title in single quotes: Python-Markdown still renders an image with no alt.
            "![](photo.jpg 'A title')",
            "image 'photo.jpg' has no alt text; describe the picture between the brackets: "
            "![what it shows](...)",
        ),
    ],
    ids=[
        "script",
        "iframe",
        "event-handler",
        "external-img",
        "external-markdown-image",
        "image-without-alt",
        "image-without-alt-with-title",
    ],
)
def test_dangerous_raw_html(capsys, article, html, message):
    """Scripts, frames, event handlers and other hosts' resources are refused with their line."""
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write(f"\n{html}\n")
    line = len(article.read_text(encoding="utf-8").splitlines())
    assert run_check(capsys, article.parents[2]) == (1, [f"{article}:{line}: {message}"])


def test_html_inside_code_is_text(capsys, article):
    """Code blocks and spans may show HTML: it is displayed, not run."""
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write("\n```html\n<script>alert(1)</script>\n```\n\nUse `<iframe>` never.\n")
    assert run_check(capsys, article.parents[2]) == (0, [])


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("._shared-story.md", "a macOS resource-fork copy (made when copying to a non-Mac drive)"),
        (".DS_Store", "a macOS folder-settings file"),
    ],
)
def test_os_leftovers(capsys, content, name, what):
    """macOS ._ files and .DS_Store are refused."""
    leftover = content / "en" / "articles" / name
    leftover.write_bytes(b"\x00\x05\x16\x07")
    assert run_check(capsys, content) == (1, [f"{leftover}: {what}; delete it"])


def test_symlinks_are_refused(capsys, content):
    """A symbolic link could point outside the repository."""
    link = content / "en" / "articles" / "linked.md"
    link.symlink_to(content / "en" / "articles" / "english-only.md")
    assert run_check(capsys, content) == (
        1,
        [
            f"{link}: a symbolic link; links can point outside the repository and differ "
            "between machines: replace it with the file itself"
        ],
    )


def test_file_over_the_size_limit(capsys, article):
    """A source over the size limit for its type is refused."""
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write("\n" + "word " * 220_000 + "\n")
    size = article.stat().st_size
    assert run_check(capsys, article.parents[2]) == (
        1,
        [
            f"{article}: {size:,} bytes is over the limit of 1,048,576 for .md files; make "
            "it smaller (readers may be on slow connections)"
        ],
    )


def test_author_must_be_a_pseudonym(capsys, article):
    """An author who is not on the pseudonym list is refused."""
    edit(article, "Author: E. Dickinson", "Author: Kim Young-ho")
    assert run_check(capsys, article.parents[2]) == (
        1,
        [f"{article}:3: Author 'Kim Young-ho' {PSEUDONYM_HINT}"],
    )


@pytest.fixture
def catalogs(tmp_path):
    """A writable copy of the real catalogs."""
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def po_line(po, text) -> int:
    """1-based line of the first line of a catalog containing `text`."""
    return next(n for n, line in enumerate(po.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "anchor", "message"),
    [
        (
            'msgid "Tags:"',
            'msgid "Tags:\nbroken',
            "broken",
            "Unknown or misformatted keyword: 'broken'; fix the syntax (every msgid needs a "
            "msgstr, strings in double quotes)",
        ),
        (
            "글: %(authors)s",
            "글: %(author)s",
            'msgid "By %(authors)s"',
            "'By %(authors)s': the msgstr drops %(authors)s and adds %(author)s, which its "
            "msgid does not have; keep exactly the msgid's placeholders, moved where the "
            "sentence needs them",
        ),
        (
            'msgid ""\nmsgstr ""',
            '#, fuzzy\nmsgid ""\nmsgstr ""',
            None,
            "the header is marked fuzzy; review it and remove 'fuzzy'",
        ),
        (
            "Last-Translator: FFHR translators",
            "Last-Translator: Kim Young-ho <kim@example.org>",
            "Last-Translator",
            "the header field 'Last-Translator' has an @ (an e-mail address); catalogs are "
            "published with the site: leave it empty or use an agreed pseudonym from "
            "content/pseudonyms.toml",
        ),
    ],
    ids=["syntax", "placeholder", "fuzzy-header", "last-translator"],
)
def test_catalog_problems(capsys, content, catalogs, old, new, anchor, message):
    """.po syntax errors, placeholder mismatches, fuzzy headers and real names are refused."""
    po = catalogs / "ko" / "LC_MESSAGES" / "messages.po"
    edit(po, old, new)
    line = po_line(po, anchor) if anchor else 1
    assert run_check(capsys, content, "--catalogs", str(catalogs)) == (
        1,
        [f"{po}:{line}: {message}"],
    )


def test_every_problem_is_reported_at_once(capsys, content, article):
    """Several problems in several files all come out in one run, sorted by file and line."""
    edit(article, "Date: 2024-01-10", "Date: 2024-02-30")
    (content / "en" / "articles" / ".DS_Store").write_bytes(b"x")
    edit(content / "ko" / "pages" / "about.md", "Title: 소개\n", "")
    code, problems = run_check(capsys, content)
    assert code == 1
    assert [p.split(": ", 1)[0] for p in problems] == [
        str(content / "en" / "articles" / ".DS_Store"),
        f"{article}:2",
        f"{content / 'ko' / 'pages' / 'about.md'}:1",
    ]
