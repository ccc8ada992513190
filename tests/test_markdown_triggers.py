"""Trying only the block types and inline patterns a document could contain changes no HTML."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.preprocessors import Preprocessor
from pelican.settings import read_settings

from conftest import SETTINGS
from press.rendering.shared_markdown import MarkdownTriggers

# Pieces of Markdown with every inline pattern, alone and inside the block structures that
# carry text to the inline processor (lists, quotes, tables, definitions, footnotes, HTML
# blocks with markdown="1"), and the characters that could sneak past a trigger: tabs
# before a line end, escapes, entities, placeholders' look-alikes.
PIECES = [
    "A plain sentence with no markup at all.",
    "Some *emphasis*, some **strong**, some ***both*** and a lone * star.",
    "Underscores: _emphasis_, __strong__, snake_case_word and a lone _ mark.",
    "Code: `a * b` and ``a `tick` inside`` and a lone ` backtick.",
    "Escapes: \\*not emphasis\\*, \\[not a link\\], \\`not code\\` and \\\\ itself.",
    "An entity &amp; a number &#169; a hex &#x2014; and a bare & sign.",
    "A named entity alone: &copy; 2024.",
    # An HTML parser ends a character reference: the HTML-block preprocessor writes "&#169;".
    "References without their semicolon: &#169 and &#x2014 and &amp x.",
    'Inline <span class="x">HTML</span>, a <br/>, a comment <!-- hidden --> and a < sign.',
    "An autolink <https://example.org/a?b=c> and a mail <someone@example.org>.",
    'A [link](https://example.org "title") and a [reference][ref] and a [short ref].',
    'An ![image](photo.jpg "title") and an ![image reference][img] and ![short ref].',
    "[ref]: https://example.org/ref\n[img]: photo.jpg\n[short ref]: https://example.org/s",
    "A footnote[^note] and another[^2].\n\n"
    "[^note]: The *note* with `code`.\n[^2]: Two &amp; <b>three</b>.",
    "Line one ends with two spaces  \nline two ends with a tab\t\nline three.",
    "Carriage\r\nreturns\r\nand a *star* across\r\nlines.",
    "Old Mac\rline ends  \rand more.",
    "# A heading with *emphasis* {: #custom-id }",
    "## 한국어 제목과 **강조**\n\n본문은 `코드`와 [링크](https://example.org)를 담습니다.",
    "- item with *em*\n- item with `code`\n    - nested with [link](x.html)",
    "1. first &amp; only\n2. second <i>html</i>",
    "> A quote with **strong** and\n> a second line with \\* escaped.",
    "| Head *a* | Head `b` |\n| --- | --- |\n| cell [x](y) | cell &amp; \\| pipe |",
    "Term with *em*\n:   Definition with `code` and <em>html</em>.",
    "```python\ncode = '*not* `inline` [x](y) &amp; <b>'\n```",
    "~~~\na fence of tildes with *stars* and `ticks`\n~~~",
    "    indented code with *stars* and `ticks`",
    '<div markdown="1">\n*em inside html* and `code` and [a](b)\n</div>',
    "<div>\nraw *block* html, not markdown\n</div>",
    "*[HTML]: Hyper Text Markup Language\n\nThe HTML abbreviation.",
    "[TOC]",
    "Placeholder look-alikes: klzzwxh:0000 wzxhzdk:1 \x02 \x03 and more text.",
    "Text with a\ttab inside and trailing spaces   ",
    "***",
    "Setext heading\n==============",
    "Emphasis across\n*two lines* of one **paragraph\nhere**.",
    "Brackets without links: [just brackets] and [^not a footnote and ]( a paren.",
    "> Quoted setext heading\n> ----------------------\n> and text under it.",
    "- 1. an ordered list inside an item\n- 2. and another\n\n- - - not a rule",
    "* * *",
    "Rules:\n\n- - -\n\nand\n\n-  -  -",
    "___",
    '<aside markdown="1">\n*em* in an aside\n</aside>',
    "[nospace]:https://example.org/n\n\nSee [nospace].",
    "2019. A year at the start of a line, and one in the middle: 1999. Then more.",
    "Term alone\n\n:   a definition after a blank line\n\n    with an indented paragraph",
    "1. item\n\n    continued paragraph in the item\n\n        code inside the item",
    "\tcode indented by a tab\n\tand a second line",
    "- item\n\tcontinued by a tab-indented line\n\n\tand a tab-indented paragraph",
    "A line ending with a dash -\nand a line ending with equals =",
    "Heading under a dash line\n---",
    "head a | head b\n--- | ---\ncell 1 | cell 2",
    '[titled]: https://example.org/t\n    "A title on the next line"\n\nSee [titled].',
    "> - a list in a quote\n> - with `code`\n>\n> > a nested quote with *em*",
    "+ plus list\n+ items\n\n9) not an ordered list in Markdown",
    "A paragraph\n    with an indented second line and a colon: here.",
    '<div markdown="1">Heading under a dash line\n---</div>',  # found by Hypothesis
    '<section markdown="1">\n- an item\n</section>\n\n1. after the section',
]


def _converters(extensions_extra=()) -> tuple[Markdown, Markdown]:
    """Python-Markdown as the project configures it, without and with MarkdownTriggers."""
    config = dict(read_settings(str(SETTINGS))["MARKDOWN"])
    extensions = [*config.get("extension_configs", {}), *extensions_extra]
    plain = Markdown(**{**config, "extensions": extensions})
    triggered = Markdown(**{**config, "extensions": [*extensions, MarkdownTriggers()]})
    return plain, triggered


CONVERTERS = _converters()  # for the property test: one pair, reset between documents


def _convert(converter: Markdown, text: str) -> str:
    converter.reset()
    return converter.convert(text)


def _names_in(registry, names) -> set[str]:
    """Which of `names` a Markdown registry holds now (by its public `name in registry`)."""
    return {name for name in names if name in registry}


def test_random_documents_convert_to_the_same_html():
    """Hundreds of documents, each with some pieces: the same HTML with and without."""
    plain, triggered = _converters()
    chooser = random.Random(7)
    kept = set()
    for _ in range(600):
        pieces = chooser.sample(PIECES, chooser.randint(1, 6))
        text = "\n\n".join(pieces)
        assert _convert(triggered, text) == _convert(plain, text), text
        kept.add(len(triggered.treeprocessors["inline"].inlinePatterns))
    # The documents did exercise the choice: many different sets of patterns were tried.
    assert len(kept) > 5


# Markdown's syntax characters, whitespace Markdown treats specially, and a letter of each
# script: Hypothesis writes documents dense in everything a trigger could be wrong about.
SYNTAX = " \n\n\t\r\x0b\x0c\u00a0*_`[]()!<>&#|:-=+.1\\^a한;~{}\"'"
FRAGMENTS = ["    ", "> ", "- ", "1. ", "\n\n", "---", "|", "[^1]: ", "*[HTML]: x", "&amp;",
             "```", "~~~", "<b>", '<div markdown="1">', "</div>"]  # fmt: skip
DOCUMENTS = st.lists(
    st.one_of(
        st.text(alphabet=SYNTAX, max_size=40),
        st.sampled_from(PIECES),
        st.sampled_from(FRAGMENTS),
    ),
    max_size=12,
).map("".join)


# The counterexample it found (md_in_html) is kept as a piece above. Derandomized: the same
# documents on every run. When changing a trigger, search with many more examples: 120,000,
# with and without "<" and with HTML fragments of every kind, found nothing else.
@settings(max_examples=400, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(DOCUMENTS)
def test_generated_documents_convert_to_the_same_html(text):
    """Documents Hypothesis writes from syntax characters and pieces: the same HTML."""
    plain, triggered = CONVERTERS
    assert _convert(triggered, text) == _convert(plain, text)


def test_every_piece_alone_converts_to_the_same_html():
    """Each piece by itself, where the fewest patterns are kept."""
    plain, triggered = _converters()
    for text in PIECES:
        assert _convert(triggered, text) == _convert(plain, text), text


@pytest.mark.parametrize(
    ("text", "skipped", "kept"),
    [
        ("Only words here.", {"backtick", "escape", "link", "entity", "html", "em_strong"},
         {"linebreak"}),
        ("Some `code`.", {"link", "entity"}, {"backtick", "linebreak"}),
        ("An [a](b) link.", {"image_link", "footnote", "backtick"}, {"link", "reference"}),
        ("A note[^1].\n\n[^1]: Text.", {"image_link"}, {"footnote", "link"}),
        ("Snake_case.", {"backtick"}, {"em_strong"}),
        ("Fish &amp; chips.", {"html", "autolink"}, {"entity"}),
    ],
)  # fmt: skip
def test_inline_patterns_a_document_cannot_match_are_skipped(text, skipped, kept):
    """Each document runs with only the patterns its characters allow (and line breaks)."""
    plain, triggered = _converters()
    # Each name is a pattern of the converter (a misspelt one would be skipped by any).
    assert _names_in(plain.inlinePatterns, skipped | kept) == skipped | kept
    _convert(triggered, text)
    names = _names_in(triggered.treeprocessors["inline"].inlinePatterns, skipped | kept)
    assert not names & skipped
    assert kept <= names


@pytest.mark.parametrize(
    ("text", "skipped", "kept"),
    [
        ("Only words here.", {"table", "code", "indent", "quote", "hashheader", "setextheader",
                              "hr", "olist", "ulist", "deflist", "footnote", "abbr", "reference",
                              "markdown_block"}, {"empty", "paragraph"}),
        ("## Heading\n\n- item", {"table", "olist", "setextheader", "hr"},
         {"hashheader", "ulist"}),
        ("In 2019. it rained\n\nTitle\n=====", {"ulist"}, {"olist", "setextheader"}),
        ("a | b\n--|--\n1 | 2", {"quote"}, {"table", "setextheader"}),
        ("Read this: a quote.\n\n> text\n\n    code", {"table"}, {"quote", "code", "deflist"}),
    ],
)  # fmt: skip
def test_block_types_a_document_cannot_contain_are_skipped(text, skipped, kept):
    """The parser tries only the block processors the document's characters allow."""
    plain, triggered = _converters()
    # Each name is a block processor of the converter (a misspelt one would be skipped by any).
    assert _names_in(plain.parser.blockprocessors, skipped | kept) == skipped | kept
    used = set()
    parse = triggered.parser.parseDocument

    def spy(lines):
        used.update(_names_in(triggered.parser.blockprocessors, skipped | kept))
        return parse(lines)

    triggered.parser.parseDocument = spy
    _convert(triggered, text)
    assert not used & skipped
    assert kept <= used
    # Markdown's own registry is whole again once the document is parsed, in its order.
    assert [type(p) for p in triggered.parser.blockprocessors] == [
        type(p) for p in plain.parser.blockprocessors
    ]


class Strike(Extension):
    """Another extension's inline pattern, whose trigger MarkdownTriggers cannot know."""

    def extendMarkdown(self, md):
        """Register ~~struck~~ text."""
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 65)


class AddNote(Preprocessor):
    """Another extension's preprocessor, which adds text no document has."""

    def run(self, lines):
        """The lines and one more, with emphasis and code."""
        return [*lines, "", "*Added* by `an extension`."]


class Note(Extension):
    """Registers AddNote before every other preprocessor."""

    def extendMarkdown(self, md):
        """Register the preprocessor."""
        md.preprocessors.register(AddNote(md), "add_note", 100)


@pytest.mark.parametrize("extension", [Strike, Note])
def test_a_converter_with_parts_of_other_extensions_skips_nothing(extension):
    """Parts the extension does not know could add or match any text: everything is tried."""
    plain, triggered = _converters([extension()])
    for text in ("Plain words and ~~struck ones~~.", "Plain words."):
        html = _convert(triggered, text)
        assert html == _convert(plain, text)
        assert ("<del>" in html) == (extension is Strike and "~~" in text)
        assert ("<em>Added</em>" in html) == (extension is Note)
        patterns = triggered.treeprocessors["inline"].inlinePatterns
        assert len(patterns) == len(triggered.inlinePatterns)
    assert triggered.preprocessors["triggers"].choices is None


def test_an_extension_added_later_turns_the_skipping_off():
    """A converter that had skipped patterns tries all of them once another part is added."""
    plain, triggered = _converters()
    _convert(triggered, "Only words: the inline processor is given almost no pattern.")
    plain.registerExtensions([Strike()], {})
    triggered.registerExtensions([Strike()], {})
    text = "Plain words and ~~struck ones~~."
    assert "<del>struck ones</del>" in _convert(triggered, text)
    assert _convert(triggered, text) == _convert(plain, text)
