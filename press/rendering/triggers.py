"""A Markdown extension that skips the patterns and block types a document cannot contain.

Python-Markdown tries, in Python, every inline pattern on every piece of text and every
block processor on every block, and most of them need a character most documents lack: a
code span needs "`", an entity "&", a table "|", a footnote "[^". Trying one on a text
without its trigger is work thrown away. Before each conversion, this extension hands the
parser and the inline processor only those whose trigger text is in the document, and lets
the preprocessors after it (fenced code, HTML blocks) run only on a document with theirs.

Why the HTML cannot change: the blocks and texts Markdown's parts see are made from the
document's own characters. They are cut up, have line prefixes (indentation, "> ",
list markers) and stashed HTML or code taken out, get placeholders (letters, digits and
control characters) and newlines put in, but no other character. So a part whose test or
expression needs a text the document lacks could never match, and skipping it changes
nothing. Triggers are read after tabs are expanded and line ends made newlines (as Markdown
does first) and after the metadata header is taken away (so "Title: ..." is no definition
list). No trigger reaches back over the start of a line, where the cutting takes prefixes
away; the end of a line stays where it was, except in HTML blocks whose text md_in_html
parses as Markdown once their tags are taken out, so a document with a markdown="..."
attribute skips nothing. Other extensions could add text or use
parts of their own: when any preprocessor, block processor, early tree processor or inline
pattern is one this module does not know, nothing is skipped either.
"""

import re
import xml.etree.ElementTree as etree

from markdown import blockprocessors, inlinepatterns, preprocessors
from markdown.extensions import (
    Extension,
    abbr,
    def_list,
    fenced_code,
    footnotes,
    md_in_html,
    meta,
    tables,
    toc,
)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import Registry

# Each inline pattern of Python-Markdown and its extensions, by its expression (the classes
# are shared: HtmlInlineProcessor matches both tags and entities): what it cannot match
# without. A known class with another expression is always tried.
INLINE_TRIGGERS = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also the reference patterns'
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also the image reference patterns'
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnote references
}
INLINE_CLASSES = {
    inlinepatterns.BacktickInlineProcessor,
    inlinepatterns.EscapeInlineProcessor,
    inlinepatterns.ReferenceInlineProcessor,
    inlinepatterns.LinkInlineProcessor,
    inlinepatterns.ImageInlineProcessor,
    inlinepatterns.ImageReferenceInlineProcessor,
    inlinepatterns.ShortReferenceInlineProcessor,
    inlinepatterns.ShortImageReferenceInlineProcessor,
    inlinepatterns.AutolinkInlineProcessor,
    inlinepatterns.AutomailInlineProcessor,
    inlinepatterns.SubstituteTagInlineProcessor,  # line breaks: always tried
    inlinepatterns.HtmlInlineProcessor,
    inlinepatterns.DelimiterProcessor,
    footnotes.FootnoteInlineProcessor,
}

# Each block processor: a tuple of texts one of which it needs, a pattern it needs to find,
# or None (always tried). Read from each class's test() and expression in Markdown 3.
INDENT = object()  # a line indented by a tab's width: the processor's own tab_length
BLOCK_TRIGGERS = {
    blockprocessors.EmptyBlockProcessor: None,
    blockprocessors.ParagraphProcessor: None,
    blockprocessors.ListIndentProcessor: INDENT,
    blockprocessors.CodeBlockProcessor: INDENT,
    def_list.DefListIndentProcessor: INDENT,
    blockprocessors.BlockQuoteProcessor: (">",),
    blockprocessors.OListProcessor: re.compile(r"\d\."),  # "1. item"
    blockprocessors.UListProcessor: re.compile(r"[*+-] "),  # "- item"
    blockprocessors.HashHeaderProcessor: ("#",),
    # An underline of "=" or "-" ends a line.
    blockprocessors.SetextHeaderProcessor: re.compile(r"[=-] *$", re.MULTILINE),
    blockprocessors.HRProcessor: re.compile(r"([-_*]) {0,2}\1 {0,2}\1"),  # "---", "* * *"
    blockprocessors.ReferenceProcessor: ("]:",),
    footnotes.FootnoteBlockProcessor: ("[^",),
    abbr.AbbrBlockprocessor: ("*[",),
    def_list.DefListProcessor: (": ",),
    tables.TableProcessor: ("|",),
    md_in_html.MarkdownInHtmlProcessor: ("<",),  # HTML blocks with markdown="1"
}

# What may run before the triggers are read, or after them and before the inline processor,
# without adding text: Markdown's own preprocessors and those of the extensions above.
KNOWN_PREPROCESSORS = {
    preprocessors.NormalizeWhitespace,
    preprocessors.HtmlBlockPreprocessor,
    md_in_html.HtmlBlockPreprocessor,
    fenced_code.FencedBlockPreprocessor,
    meta.MetaPreprocessor,
}
KNOWN_EARLY_TREEPROCESSORS = {footnotes.FootnoteTreeprocessor}  # builds the notes from the source
# Those of them that run after the triggers are read, with what they need to change a line:
# a fence, or an HTML parser's tag or reference ("&amp" comes back as "&amp;").
PREPROCESSOR_TRIGGERS = {
    fenced_code.FencedBlockPreprocessor: ("```", "~~~"),
    preprocessors.HtmlBlockPreprocessor: ("<", "&"),
    md_in_html.HtmlBlockPreprocessor: ("<", "&"),
}


# After whitespace is normalized (30) and the header removed (meta, 27); before fenced code
# (25) and HTML blocks (20) are stashed away.
PRIORITY = 26
RESTORE_PRIORITY = 1000  # the first tree processor: parsing is over


def inline_triggers(pattern) -> tuple[str, ...] | None:
    """The texts one of which an inline pattern needs; None: always try it."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        return tuple(pattern.tokens)  # "*" and "_": emphasis and strong
    expression = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
    return INLINE_TRIGGERS.get(expression)


def block_triggers(processor):
    """The texts (or a pattern) a block processor needs; None: always try it."""
    triggers = BLOCK_TRIGGERS[type(processor)]
    return (" " * processor.tab_length,) if triggers is INDENT else triggers


def _found(triggers, text: str) -> bool:
    if triggers is None:
        return True
    if isinstance(triggers, re.Pattern):
        return triggers.search(text) is not None
    return any(trigger in text for trigger in triggers)


def _markdown_in_html(text: str) -> bool:
    """Whether md_in_html may parse an HTML block of `text` (a markdown attribute, any case).

    It parses their text once an HTML parser has taken the tags out, which can end a line
    where a tag was (<div markdown="1">Title\n---</div>): such documents skip nothing.
    """
    # Looked for only where there is a tag: a case-insensitive search makes a lower-case
    # copy of the whole document, and most documents hold no tag.
    return "<" in text and "markdown" in text.lower()


class _Choice:
    """One registry's items, what each needs, and its pruned copies by what was kept."""

    def __init__(self, registry: Registry, triggers_of):
        self.full = registry
        self.items = tuple(registry._priority)  # (name, priority): no public way to read it
        self.needs = [triggers_of(registry[item.name]) for item in self.items]
        self._pruned: dict[tuple[bool, ...], Registry] = {}

    def for_text(self, text: str) -> Registry:
        """The registry of only the items whose triggers `text` has."""
        wanted = tuple(_found(needs, text) for needs in self.needs)
        pruned = self._pruned.get(wanted)
        if pruned is None:
            pruned = self._pruned[wanted] = Registry()
            for item, keep in zip(self.items, wanted, strict=True):
                if keep:
                    pruned.register(self.full[item.name], item.name, item.priority)
        return pruned


class ChooseByTriggers(Preprocessor):
    """Give the parser and the inline processor only the parts this document could use."""

    def __init__(self, md):
        super().__init__(md)
        # Blocks and inline choices (None: skip nothing) by every part of the converter. More
        # than one: Pelican takes the metadata preprocessor out to convert a formatted field.
        self.known: dict[tuple, tuple[_Choice, _Choice] | None] = {}
        self.choices: tuple[_Choice, _Choice] | None = None  # this document's
        self.full_blocks: Registry | None = None  # Markdown's own, while a pruned one parses

    def run(self, lines: list[str]) -> list[str]:
        """Choose the parts for the document in `lines`; return the lines as they were."""
        self.restore()  # in case the last conversion failed while parsing
        md = self.md
        parts = tuple(
            tuple(registry)
            for registry in (md.preprocessors, md.parser.blockprocessors, md.treeprocessors,
                             md.inlinePatterns)
        )  # fmt: skip
        if parts not in self.known:  # first use, or an extension changed the converter
            self.known[parts] = None
            if self._all_known():
                self.known[parts] = (
                    _Choice(md.parser.blockprocessors, block_triggers),
                    _Choice(md.inlinePatterns, inline_triggers),
                )
        self.choices = self.known[parts]
        text = "\n".join(lines)
        every_part = self.choices is None or _markdown_in_html(text)
        if "toc" in md.treeprocessors and isinstance(md.treeprocessors["toc"], _TableWhenMarked):
            table = md.treeprocessors["toc"]
            table.wanted = every_part or (bool(table.marker) and table.marker in text)
        for part in md.preprocessors:
            if isinstance(part, _Skippable):
                part.wanted = every_part or _found(part.triggers, text)
        if every_part:
            if "inline" in md.treeprocessors:
                # All of them again, after documents that were given fewer.
                md.treeprocessors["inline"].inlinePatterns = md.inlinePatterns
            return lines
        blocks, inline = self.choices
        self.full_blocks = md.parser.blockprocessors
        md.parser.blockprocessors = blocks.for_text(text)
        md.treeprocessors["inline"].inlinePatterns = inline.for_text(text)
        return lines

    def restore(self) -> None:
        """Put Markdown's own block processors back: its registry is public and stays whole."""
        if self.full_blocks is not None:
            self.md.parser.blockprocessors = self.full_blocks
            self.full_blocks = None

    def _all_known(self) -> bool:
        """Whether every part that could add text or match it is one this module knows."""
        md = self.md
        trees = md.treeprocessors
        if "inline" not in trees or type(trees["inline"]) is not InlineProcessor:
            return False
        inline_priority = next(item.priority for item in trees._priority if item.name == "inline")
        early = [trees[item.name] for item in trees._priority if item.priority > inline_priority]
        return (
            all(
                type(part) in KNOWN_PREPROCESSORS or part is self or isinstance(part, _Skippable)
                for part in md.preprocessors
            )
            and all(type(part) in BLOCK_TRIGGERS for part in md.parser.blockprocessors)
            and all(
                type(part) in KNOWN_EARLY_TREEPROCESSORS or isinstance(part, _Restore)
                for part in early
            )
            and all(type(part) in INLINE_CLASSES for part in md.inlinePatterns)
        )


class _Restore(Treeprocessor):
    """The first tree processor: parsing is over, Markdown's registry goes back in place."""

    def __init__(self, md, chooser: ChooseByTriggers):
        super().__init__(md)
        self.chooser = chooser

    def run(self, root):
        """Restore the block processors; change nothing in the tree."""
        self.chooser.restore()


class _Skippable(Preprocessor):
    """A preprocessor of PREPROCESSOR_TRIGGERS, run only for a document with its trigger."""

    def __init__(self, md, part: Preprocessor):
        super().__init__(md)
        self.part = part
        self.triggers = PREPROCESSOR_TRIGGERS[type(part)]
        self.wanted = True  # set for each document by ChooseByTriggers

    def run(self, lines: list[str]) -> list[str]:
        """The preprocessor's lines, or the document's as they are when it has no trigger."""
        return self.part.run(lines) if self.wanted else lines


class _TableWhenMarked(toc.TocTreeprocessor):
    """The toc extension's ids for headings, its table of contents built only for a document
    with the marker ("[TOC]") where the table goes into the HTML.

    The table is otherwise only kept as `md.toc`, which neither Pelican nor this site reads
    (the theme makes its own from the HTML: press.rendering.keep_reading): building and
    serializing it was half of what toc costs. The HTML is the same: without the marker in
    its text, no element of a document can be the marker. With a part this module does not
    know in the converter (which might read `md.toc`), every table is built.
    """

    wanted = True  # set for each document by ChooseByTriggers

    def build_toc_div(self, toc_list):
        """The table of contents, or an empty one for a document that does not show it."""
        return super().build_toc_div(toc_list) if self.wanted else etree.Element("div")


class MarkdownTriggers(Extension):
    """Try only the block processors and inline patterns whose trigger the document has."""

    def extendMarkdown(self, md):
        """Register the preprocessor that chooses, and the tree processor that restores."""
        chooser = ChooseByTriggers(md)
        md.preprocessors.register(chooser, "triggers", PRIORITY)
        md.treeprocessors.register(_Restore(md, chooser), "triggers_restore", RESTORE_PRIORITY)
        for item in list(md.preprocessors._priority):
            part = md.preprocessors[item.name]
            if item.priority < PRIORITY and type(part) in PREPROCESSOR_TRIGGERS:
                md.preprocessors.register(_Skippable(md, part), item.name, item.priority)
        # toc's own class only: a subclass may build its table in its own way.
        trees = md.treeprocessors
        found = "toc" in trees and type(trees["toc"]) is toc.TocTreeprocessor
        for extension in md.registeredExtensions if found else ():
            if isinstance(extension, toc.TocExtension):
                priority = next(i.priority for i in trees._priority if i.name == "toc")
                trees.register(_TableWhenMarked(md, extension.getConfigs()), "toc", priority)
