"""Bad input gets `path:line: what to do` from `invoke check`, and the build stops on it.

Each case runs the checks (exit code, path, line, message), then a build over a published
output, which must raise the same problem and leave that output as it was. The legitimate
inputs among them (a hidden page, a translation left in draft, a scanner's grayscale JPEG)
build and publish what they should.
"""

import io
import shutil
import struct
import zlib
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image, ImageCms

from built import file_for, hreflangs, page, parse, resolve, switcher_links
from conftest import (
    FIXTURE_SETTINGS,
    SETTINGS,
    assert_same_tree,
    build_report,
    build_site,
    edit,
    line_of,
    reference_build,
    snapshot,
)
from press.build.errors import BuildError
from press.checks.content import check_site
from press.cli.check import main as check
from press.core.settings import load_settings
from press.core.sources import TAB_LENGTH, parse_header
from press.safety.media import image_metadata
from press.safety.text import nesting_levels

ARTICLE = Path("en/articles/shared-story.md")
KOREAN = Path("ko/articles/shared-story.md")
INDENTED = (
    "this line is indented (with a tab or four spaces), so Markdown reads {what} as more of "
    "'{key}' on line {line}, not as a line of its own; remove the indentation (or join the "
    "text to the line above)"
)
NESTED = (
    "lists, quotes or definitions are nested {level} levels deep here{further}; the limit is "
    "20 (CHECK_MAX_NESTING): much deeper, Python-Markdown and the HTML parser of the build's "
    "checks give up. Flatten the list, or separate the items with blank lines"
)
CONTROL = (
    "column {column}: {name} is a control character, not text{more}: readers cannot see it, "
    "feeds cannot carry it and Markdown drops some silently; delete it (it usually comes "
    "with text pasted from another program)"
)


@pytest.fixture
def output(tmp_path, fixture_site) -> Path:
    """A copy of a published build, for a failed build to leave as it was."""
    copy = tmp_path / "output"
    shutil.copytree(fixture_site, copy)
    return copy


def run_check(capsys, content: Path, *args) -> tuple[int, list[str]]:
    """`invoke check` on `content`: its exit code and the problem lines it printed."""
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content), *args])
    err = capsys.readouterr().err.splitlines()
    return code, [line for line in err if not line.endswith("problem(s) found.")]


def refused_build(output: Path, content: Path, **override) -> list[str]:
    """Build `content` over `output`, expecting a failure; the problems, output untouched."""
    before = snapshot(output)
    with pytest.raises(BuildError) as failure:
        build_site(output, content, **override)
    assert snapshot(output) == before
    assert not list(output.parent.glob(f".{output.name}.new-*"))  # no staging left behind
    return failure.value.problems


def assert_refused(capsys, content: Path, output: Path, expected: list[str], **override):
    """`invoke check` and the build both stop with exactly the `expected` problems."""
    assert run_check(capsys, content) == (1, expected)
    assert refused_build(output, content, **override) == expected


# --- Headers: read as Python-Markdown reads them ------------------------------------------


@pytest.mark.parametrize(
    ("after", "line", "what", "key"),
    [
        ("Author: E. Dickinson\n", "\tTitle: Another title\n", "'Title'", "Author"),
        # Read by Pelican as more of the summary: the article would be published.
        ("English and Korean.\n", " \tStatus: draft\n", "'Status'", "Summary"),
        ("Category: Defectors\n", "    and more\n", "its text", "Category"),
    ],
)
def test_header_line_indented_by_a_tab_continues_the_key_above(
    capsys, content, output, after, line, what, key
):
    """A tab-indented header line is more of the key above it, as Markdown reads it: said so."""
    article = content / ARTICLE
    edit(article, after, after + line)
    number = line_of(article, line.strip("\n"))
    above = line_of(article, f"{key}:")
    message = INDENTED.format(what=what, key=key, line=above)
    assert_refused(capsys, content, output, [f"{article}:{number}: {message}"])


def test_header_key_given_twice_is_refused(capsys, content, output):
    """The same key on two lines of its own: the second is named, with the first's line."""
    article = content / ARTICLE
    edit(article, "Category: Defectors\n", "Category: Defectors\nCategory: Families\n")
    expected = f"{article}:5: 'Category' appears twice (first on line 4); keep one"
    assert_refused(capsys, content, output, [expected])


def test_series_index_that_is_no_whole_number_is_refused(capsys, content, output):
    """A part's place in its series is a number: "two" or "2a" could not be ordered."""
    article = content / ARTICLE
    edit(article, "Category: Defectors\n", "Category: Defectors\nSeries: tests\nSeries-Index: 2a\n")
    expected = (
        f"{article}:6: Series-Index '2a' is not a whole number; write the part's place in its "
        "series, such as 'Series-Index: 2'"
    )
    assert_refused(capsys, content, output, [expected])


def test_indented_first_line_is_named(capsys, content, output):
    """A header indented as a whole is text to Markdown: the first line says why."""
    article = content / ARTICLE
    edit(article, "Title:", "\tTitle:")
    code, problems = run_check(capsys, content)
    assert code == 1
    assert (
        f"{article}:1: the first line is indented, so Markdown reads the whole header as text "
        "(and the page would have no title, date or author); remove the indentation"
    ) in problems


HEADER_PIECES = st.sampled_from(
    ["Title", "status", "a-b_c", ":", " ", "  ", "    ", "\t", " \t", "---", "...", "----",
     "x", "\n", "\n", "\n", "\x02", "\x03", "\u00a0", "\x0c", "-"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(HEADER_PIECES, max_size=30).map("".join))
def test_header_parser_reads_what_python_markdown_reads(text):
    """parse_header finds the keys, values and body start of Python-Markdown's meta extension."""
    md = markdown.Markdown(extensions=["meta"])
    normalised = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    rest = md.preprocessors["meta"].run(list(normalised))
    fields, body = parse_header(line + "\n" for line in text.split("\n"))
    ours = {}
    for item in fields:
        ours.setdefault(item.key, []).extend(item.parts)
    assert ours == md.Meta
    if body <= len(text.split("\n")):
        assert rest == normalised[body - 1 :]
    else:  # the header ran to the end: what Markdown has left is the blank lines it added
        assert not "".join(rest).strip()


def test_project_markdown_keeps_the_tab_length_the_header_parser_assumes():
    """Tabs are expanded as the settings' Markdown expands them."""
    config = load_settings(SETTINGS)["MARKDOWN"]
    assert markdown.Markdown(**config).tab_length == TAB_LENGTH


# --- Statuses: hidden and drafts of translations are legitimate ---------------------------


def test_hidden_page_and_article_are_written_and_listed_nowhere(capsys, content, tmp_path):
    """Status: hidden writes the page (and its translation) but no list, feed or menu names it."""
    edit(content / "en/pages/about.md", "Summary:", "Status: hidden\nSummary:")
    edit(content / "en/articles/english-only.md", "Summary:", "Status: hidden\nSummary:")
    assert run_check(capsys, content) == (0, [])
    site = build_site(tmp_path / "output", content)

    about, korean_about = file_for(site, "en/about/"), file_for(site, "ko/about/")
    hidden_article = file_for(site, "en/articles/english-only/")
    assert about.is_file() and korean_about.is_file() and hidden_article.is_file()
    # The translation of a hidden page is hidden too, and the two lead to each other.
    assert resolve(site, korean_about, switcher_links(parse(korean_about))["en"]) == about
    for lang in ("en", "ko"):
        home = page(site, f"{lang}/")
        assert not home.xpath("//nav[@class='site-nav']//a[contains(@href, 'about')]")
        assert not home.xpath("//a[contains(@href, 'english-only')]")
    feed = (site / "en/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "english-only" not in feed and "Only in English" not in feed
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/about/" not in sitemap and "english-only" not in sitemap
    # Its topic lists no published article, so it has no page to link to.
    footer = parse(hidden_article).xpath("//footer[@class='article__footer']")[0]
    assert "Families" in footer.text_content()
    assert not footer.xpath(".//a[contains(@href, 'families')]")
    assert footer.xpath(".//a[contains(@href, 'tags/testimony/')]")


def test_edited_hidden_page_is_updated_like_a_fresh_build(content, tmp_path):
    """A body edit of a hidden page: the update rewrites its page, and only what it should."""
    page_source = content / "en/pages/about.md"
    edit(page_source, "Summary:", "Status: hidden\nSummary:")
    output = build_site(tmp_path / "output", content)
    before = {
        path.relative_to(output).as_posix(): path.stat().st_ino
        for path in output.rglob("*")
        if path.is_file()
    }
    edit(page_source, "We write about", "We write, and have long written, about")
    report = build_report(output, content)
    assert (report.kind, report.edited) == ("update", ("en/pages/about.md",))
    assert "en/about/index.html" in report.written
    assert "have long written" in file_for(output, "en/about/").read_text(encoding="utf-8")
    # An update, not a full build: of the Korean site, only the page's translation was
    # written again, which the edit made outdated (it now has the notice).
    assert [name for name in report.written if name.startswith("ko/")] == ["ko/about/index.html"]
    assert file_for(output, "ko/").stat().st_ino == before["ko/index.html"]
    assert_same_tree(output, reference_build(tmp_path / "fresh", content))


def test_draft_translation_is_left_out_and_its_source_published(capsys, content, tmp_path):
    """Status: draft on the translation alone: no Korean page; the English one leads home."""
    edit(content / KOREAN, "Summary:", "Status: draft\nSummary:")
    assert run_check(capsys, content) == (0, [])
    site = build_site(tmp_path / "output", content)
    assert not file_for(site, "ko/articles/shared-story/").exists()
    english = file_for(site, "en/articles/shared-story/")
    tree = parse(english)
    assert resolve(site, english, switcher_links(tree)["ko"]) == file_for(site, "ko/")
    assert set(hreflangs(tree)) == {"en", "x-default"}
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/en/articles/shared-story/" in sitemap
    assert "/ko/articles/shared-story/" not in sitemap


# --- Images -------------------------------------------------------------------------------


def gray_profile(gamma: float, curve: bool = True) -> bytes:
    """A minimal ICC v2 monitor profile for grayscale with one gamma curve, as scanners embed.

    Without its `curve`, it names no tones: no colour management can use it.
    """

    def fixed(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    d50 = fixed(0.9642) + fixed(1.0) + fixed(0.8249)
    text = b"Scanner gray\0"
    tags = [
        (b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + bytes(8 + 3 + 67)),
        (b"wtpt", b"XYZ \0\0\0\0" + d50),
        (b"kTRC", b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)),
        (b"cprt", b"text\0\0\0\0none\0"),
    ][: None if curve else 2]
    offset = 128 + 4 + 12 * len(tags)
    table = data = b""
    for signature, body in tags:
        data += bytes(-(offset + len(data)) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    body = struct.pack(">I", len(tags)) + table + data
    header = (
        struct.pack(">I", 128 + len(body)) + bytes(4) + struct.pack(">I", 0x02100000)
        + b"mntrGRAYXYZ " + bytes(12) + b"acsp" + bytes(16) + bytes(8) + bytes(4) + d50
        + bytes(4) + bytes(16) + bytes(28)
    )  # fmt: skip
    assert len(header) == 128
    return header + body


def add_image(content: Path, name: str, image=None, **save) -> Path:
    """Put an image in content/images/ and show it in the English fixture article."""
    path = content / "images" / name
    path.parent.mkdir(exist_ok=True)
    if image is not None:
        image.save(path, **save)
    edit(
        content / ARTICLE,
        "## First part",
        f"![a picture]({{static}}/images/{name})\n\n## First part",
    )
    return path


def bands(mode: str = "L") -> Image.Image:
    """A 64 x 64 grayscale image of five flat bands, from black to white."""
    image = Image.new(mode, (64, 64))
    for index, value in enumerate((0, 42, 128, 200, 255)):
        image.paste(value if mode == "L" else (value, 255 - index * 40), (0, index * 13, 64, 64))
    return image


@pytest.mark.parametrize("gamma", [1.0, 2.2])
def test_grayscale_jpeg_with_a_gray_profile_is_published_gray_and_looking_the_same(
    capsys, content, tmp_path, gamma
):
    """A scanner's grayscale JPEG with its gray profile: published grayscale, clean, same look."""
    profile = gray_profile(gamma)
    source = add_image(content, "scan.jpg", bands(), quality=95, icc_profile=profile)
    assert run_check(capsys, content) == (0, [])
    site = build_site(tmp_path / "output", content)
    published = site / "images" / "scan.jpg"
    assert image_metadata(published) == []
    with Image.open(source) as original, Image.open(published) as result:
        assert result.mode == "L" and result.size == original.size
        assert "icc_profile" not in result.info
        # What the profile means, as sRGB: the look a colour-managed viewer gave the scan.
        looks = ImageCms.profileToProfile(
            original,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGB",
        )
        for y in (6, 19, 32, 45, 58):
            assert abs(result.getpixel((32, y)) - looks.getpixel((32, y))[1]) <= 3, y
    if gamma == 1.0:
        # A linear mid-gray is a light gray in sRGB: the tones were converted, not copied.
        assert abs(result.getpixel((32, 32)) - 188) <= 3


def test_grayscale_png_with_alpha_and_a_gray_profile_keeps_both(capsys, content, tmp_path):
    """Gray with transparency (PNG): published as gray with the same alpha."""
    source = add_image(content, "mark.png", bands("LA"), icc_profile=gray_profile(1.8))
    assert run_check(capsys, content) == (0, [])
    site = build_site(tmp_path / "output", content)
    with Image.open(source) as original, Image.open(site / "images" / "mark.png") as result:
        assert result.mode == "LA"
        assert result.getchannel("A").tobytes() == original.getchannel("A").tobytes()


@pytest.mark.parametrize(
    ("image", "profile", "what"),
    [
        (bands(), gray_profile(2.2, curve=False), "its colour profile cannot be used ("),
        (bands().convert("RGB"), gray_profile(2.2), "its colour profile is for GRAY colours "
         "but its pixels are in mode RGB; export it again as 8-bit RGB or grayscale (as sRGB)"),
    ],
)  # fmt: skip
def test_image_whose_colour_profile_cannot_be_kept(capsys, content, output, image, profile, what):
    """A profile that names no tones, or one for other pixels: refused before any build."""
    path = add_image(content, "scan.jpg", image, icc_profile=profile)
    code, problems = run_check(capsys, content)
    assert code == 1
    [problem] = problems
    assert problem.startswith(f"{path}: {what}")
    assert refused_build(output, content) == [problem]


@pytest.mark.parametrize(
    ("name", "image_format", "what"),
    [
        ("photo.jpg", "PNG", "is a PNG image, not what its name (.jpg) says; rename it to end "
         "in .png (browsers go by the name the server gives)"),
        ("drawing.png", "JPEG", "is a JPEG image, not what its name (.png) says; rename it to "
         "end in .jpg (browsers go by the name the server gives)"),
        ("animation.webp", "GIF", "is a GIF image, not what its name (.webp) says; export it "
         "as JPEG (photos) or PNG (drawings, screenshots)"),
    ],
)  # fmt: skip
def test_image_whose_name_lies_about_its_format(capsys, content, output, name, image_format, what):
    """An image of one format under another's extension is refused, saying what to do."""
    path = add_image(content, name, Image.new("RGB", (8, 8), "red"), format=image_format)
    assert_refused(capsys, content, output, [f"{path}: {what}"])


def huge_png(path: Path, width: int, height: int) -> None:
    """A PNG of a few bytes whose header claims width x height pixels (a decompression bomb)."""
    pixels = zlib.compress(bytes(1 + (width + 7) // 8) * 1, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
                     + chunk(b"IEND", b""))  # fmt: skip


def test_decompression_bomb_is_refused_with_its_size_and_the_limit(capsys, content, output):
    """A header claiming 10 billion pixels: refused before decoding, naming size and limit."""
    guard = Image.MAX_IMAGE_PIXELS
    bomb = add_image(content, "bomb.png")
    huge_png(bomb, 100_000, 100_000)
    expected = (
        f"{bomb}: 100,000 × 100,000 pixels (10,000,000,000) is over the limit of 50,000,000 "
        "(CHECK_MAX_IMAGE_PIXELS): decoding it would take 37.3 GiB of memory. Resize it (a "
        "page shows no more than some 2,000 pixels across)"
    )
    # pytest turns warnings into errors: Pillow's own guard never speaks.
    assert_refused(capsys, content, output, [expected])
    assert guard == Image.MAX_IMAGE_PIXELS  # lifted for our own check only


def test_image_pixel_limit_is_a_setting(tmp_path, content, output):
    """CHECK_MAX_IMAGE_PIXELS decides: a 20 x 20 image is refused under a limit of 100."""
    path = add_image(content, "small.png", Image.new("L", (20, 20)))
    assert refused_build(output, content, CHECK_MAX_IMAGE_PIXELS=100) == [
        f"{path}: 20 × 20 pixels (400) is over the limit of 100 (CHECK_MAX_IMAGE_PIXELS): "
        "decoding it would take 1.6 KiB of memory. Resize it (a page shows no more than some "
        "2,000 pixels across)"
    ]


def test_image_between_pillows_guard_and_the_limit_raises_no_warning(content):
    """Above Pillow's own warning (89 million pixels) but under the limit: no warning."""
    huge_png(add_image(content, "large.png"), 10_000, 9_000)
    assert Image.MAX_IMAGE_PIXELS < 90_000_000
    override = {"PATH": str(content), "CHECK_MAX_IMAGE_PIXELS": 100_000_000}
    assert check_site(load_settings(FIXTURE_SETTINGS, override)) == []


# --- Nesting ------------------------------------------------------------------------------


def nested_list(depth: int) -> str:
    return "\n".join(f"{'    ' * level}- item" for level in range(depth))


@pytest.mark.parametrize(
    ("body", "first", "level", "deepest"),
    [
        (nested_list(300), 21, 21, (300, 300)),  # each item a level deeper, indented
        (">" * 300 + " a quote in a quote...", 1, 300, None),
        ("- " * 300 + "x", 1, 300, None),  # list items opening lists on one line
        # A glossary without blank lines: Python-Markdown nests each term in the last one.
        ("\n".join(f"Term {n}\n: definition {n}" for n in range(100)), 42, 21, (200, 100)),
    ],
    ids=["indented-lists", "quotes", "lists-on-one-line", "glossary"],
)
def test_nesting_hundreds_deep_is_refused_with_line_and_limit(
    capsys, content, output, body, first, level, deepest
):
    """Lists, quotes or definitions nested past the limit: the first line over it, named."""
    article = content / ARTICLE
    edit(article, "## First part", body)
    start = line_of(article, body.split("\n")[0])
    further = f", and {deepest[1]} on line {start + deepest[0] - 1}" if deepest else ""
    message = NESTED.format(level=level, further=further)
    assert_refused(capsys, content, output, [f"{article}:{start + first - 1}: {message}"])


def test_nesting_at_the_limit_builds(capsys, content, tmp_path):
    """A list 20 levels deep is legitimate: checked and built."""
    edit(content / ARTICLE, "## First part", nested_list(20))
    assert run_check(capsys, content) == (0, [])
    site = build_site(tmp_path / "output", content)
    assert len(page(site, "en/articles/shared-story/").xpath("//li[count(ancestor::li) = 19]"))


BLOCK_TAGS = {"blockquote", "ul", "ol", "li", "dl", "dt", "dd", "p", "pre", "div", "hr", "h1"}
LINE_STARTS = st.sampled_from(
    ["> ", ">", "- ", "* ", "1. ", "  ", "    ", "\t", ": ", "[^1]: ", " ", "+ ", "# ", "***"]
)
LINES = st.tuples(
    st.lists(LINE_STARTS, max_size=6).map("".join), st.sampled_from(["x", "x[^1]", "", "Term"])
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=40).map("\n".join))
def test_nesting_level_bounds_what_markdown_nests(text):
    """No line's level underestimates the depth of blocks Python-Markdown makes of a document.

    Each level is at most a list and its item, a definition list and its definition, or a
    quote with its paragraph, so the blocks nest at most four deep per level (plus the
    footnotes' own few): what the limit assumes.
    """
    config = load_settings(SETTINGS)["MARKDOWN"]
    html = markdown.Markdown(**config).convert(text)
    root = etree.fromstring(f"<root>{html}</root>".encode(), etree.HTMLParser(huge_tree=True))
    depth = max(
        (
            sum(1 for ancestor in element.iterancestors() if ancestor.tag in BLOCK_TAGS)
            for element in root.iter()
            if element.tag in BLOCK_TAGS
        ),
        default=0,
    )
    level = max((found for _, found in nesting_levels(text.split("\n"))), default=0)
    assert depth < 4 * level + 4


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=40), st.integers(min_value=0, max_value=8))
def test_nesting_levels_above_a_limit_skip_no_deep_line(lines, limit):
    """The quick way past short line starts finds every line deeper than the limit."""
    every = [(number, level) for number, level in nesting_levels(lines) if level > limit]
    assert list(nesting_levels(lines, above=limit)) == every


def test_a_page_nested_thousands_deep_is_read_to_its_end(capsys, content, output):
    """Spans 2,100 deep pass the checks, and the gates still read what follows them: a link
    after them that leads nowhere is found (the gates parse as browsers do, without a limit)."""
    edit(
        content / ARTICLE,
        "## First part",
        "<span>" * 2100 + "x" + "</span>" * 2100 + " [gone](../no-such-article/)",
    )
    assert run_check(capsys, content) == (0, [])
    [problem] = refused_build(output, content)
    # Told at the source's line where the link stands, naming the page it was found in.
    line = line_of(content / ARTICLE, "[gone](../no-such-article/)")
    assert problem.startswith(f"{content / ARTICLE}:{line}: link to '../no-such-article/' leads")
    assert "(in output/en/articles/shared-story/index.html:" in problem


# --- Characters that are not text --------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "name", "column"),
    [
        ("A paragraph", "A para\x00graph", "U+0000 (NUL)", 7),
        ("Title: A story", "Title: A \x1bstory", "U+001B (ESC)", 10),
        # Markdown removes STX without a word: the reader would see other words.
        ("Summary: The", "Summary: \x02The", "U+0002 (STX)", 10),
        ("## First part", "## First\x0cpart", "U+000C (FORM FEED)", 9),
        ("A paragraph", "A\x85paragraph", "U+0085 (NEL)", 2),
        ("A paragraph", "A \ufffe", "U+FFFE", 3),
    ],
)
def test_control_character_is_refused_with_line_and_column(
    capsys, content, output, old, new, name, column
):
    """NUL and other characters that are not text: named with their line and column."""
    article = content / ARTICLE
    edit(article, old, new)
    number = line_of(article, new)
    message = CONTROL.format(column=column, name=name, more="")
    assert_refused(capsys, content, output, [f"{article}:{number}: {message}"])


def test_text_full_of_nul_bytes_is_one_problem(capsys, content):
    """UTF-16 saved without its byte order mark: one problem for the file, with the count."""
    article = content / ARTICLE
    article.write_bytes(article.read_text(encoding="utf-8").encode("utf-16-le"))
    code, problems = run_check(capsys, content)
    assert code == 1
    nuls = article.read_bytes().count(b"\x00") - 1
    assert (
        f"{article}:1: "
        + CONTROL.format(column=2, name="U+0000 (NUL)", more=f" (and {nuls} more in this file)")
        in problems
    )
