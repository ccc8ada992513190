"""A Markdown extension that skips the inline patterns a document cannot match.

Python-Markdown tries every inline pattern on every piece of text, in Python, and most
patterns need a character most documents lack: a code span needs "`", an entity "&",
inline HTML and autolinks "<". Trying them was about a fifth of the time Markdown took on
the benchmark's articles. Before each conversion, this extension gives the inline
processor only the patterns whose character is in the source.

Why the HTML cannot change: every text the inline processor sees is made of the source's
characters (the preprocessors and block processors cut it up and remove from it, or put
placeholders in it, which are letters, digits and control characters), so a pattern whose
expression needs a character the source lacks could never match. Spaces made from tabs can
form a line break, which is why that pattern and any this module does not know (another
extension's) are always kept.
"""

from markdown import inlinepatterns
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import Registry

# Each expression of Python-Markdown's own patterns, and a text it cannot match without.
# Keyed by the expression, not the name: an extension may register something else under
# a known name, and a changed expression in a later release is simply always tried.
TRIGGERS = {
    inlinepatterns.BACKTICK_RE: "`",
    inlinepatterns.ESCAPE_RE: "\\",
    inlinepatterns.LINK_RE: "[",  # also the reference patterns'
    inlinepatterns.IMAGE_LINK_RE: "![",  # also the image reference patterns'
    inlinepatterns.AUTOLINK_RE: "<",
    inlinepatterns.AUTOMAIL_RE: "<",
    inlinepatterns.HTML_RE: "<",
    inlinepatterns.ENTITY_RE: "&",
    r"\[\^([^\]]*)\]": "[^",  # footnote references (markdown.extensions.footnotes)
}

# The priority of the preprocessor: above every other, so it sees the source as given.
PRIORITY = 1000


def triggers_of(pattern) -> tuple[str, ...] | None:
    """The texts one of which `pattern` needs in the source; None: always try it."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        return tuple(pattern.tokens)  # "*" and "_": emphasis and strong
    expression = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
    trigger = TRIGGERS.get(expression)
    return None if trigger is None else (trigger,)


class TriggeredPatterns(Preprocessor):
    """Give the inline processor the patterns this source could match (changes no line)."""

    def __init__(self, md):
        super().__init__(md)
        self._needs: dict[tuple, list] = {}  # by the registry's items: each one's triggers
        self._registries: dict[tuple, Registry] = {}  # by the items and which are kept

    def run(self, lines: list[str]) -> list[str]:
        """Choose the patterns for the document in `lines`; return the lines as they were."""
        inline = self.md.treeprocessors["inline"]
        if type(inline) is not InlineProcessor:
            return lines  # another extension's inline processor: leave it as it is
        patterns = self.md.inlinePatterns
        items = tuple(patterns._priority)  # sorted (name, priority): no public way to read it
        needs = self._needs.get(items)
        if needs is None:
            needs = self._needs[items] = [triggers_of(patterns[item.name]) for item in items]
        source = "\n".join(lines)
        wanted = tuple(texts is None or any(text in source for text in texts) for texts in needs)
        registry = self._registries.get((items, wanted))
        if registry is None:
            registry = Registry()
            for item, keep in zip(items, wanted, strict=True):
                if keep:
                    registry.register(patterns[item.name], item.name, item.priority)
            self._registries[items, wanted] = registry
        inline.inlinePatterns = registry
        return lines


class InlineTriggers(Extension):
    """Try only the inline patterns whose trigger character the document contains."""

    def extendMarkdown(self, md):
        """Register the preprocessor that chooses each document's patterns."""
        md.preprocessors.register(TriggeredPatterns(md), "inline_triggers", PRIORITY)
