"""What a style sheet may load, read by a CSS tokenizer (tinycss2) as browsers read CSS.

Comments, escapes and quoting are the tokenizer's to read, never a pattern's: `url(a\\).png)`
loads "a).png", and "url(x)" in a comment or a string loads nothing.
"""

from collections.abc import Iterable, Iterator

import tinycss2


def addresses(nodes: Iterable) -> Iterator[tuple[str, int, bool]]:
    """(text, line, is it a URL) of every url(), src(), @import and string of these CSS nodes.

    A URL is loaded; a string may be an address too (a custom property can carry one into
    image-set() or src()), or only text ("content: '→'").
    """
    for node in nodes:
        node_type = getattr(node, "type", None)
        if node_type == "url":
            yield node.value, node.source_line, True
        elif node_type == "string":
            yield node.value, node.source_line, False
        elif node_type == "function":
            if node.lower_name in ("url", "src"):
                for argument in node.arguments:
                    if argument.type == "string":
                        yield argument.value, argument.source_line, True
            else:
                yield from addresses(node.arguments)
        elif node_type == "at-rule":
            if node.lower_at_keyword == "import":
                for token in node.prelude:
                    if token.type == "string":
                        yield token.value, token.source_line, True
            yield from addresses(node.prelude)
            yield from addresses(node.content or [])
        elif node_type == "qualified-rule":
            yield from addresses(node.prelude)
            yield from addresses(node.content)
        elif node_type == "declaration":
            yield from addresses(node.value)
        elif node_type in ("() block", "[] block", "{} block"):
            yield from addresses(node.content)


def style_sheet_addresses(text: str) -> list[tuple[str, int, bool]]:
    """(text, line, is it a URL) of every address a style sheet (a .css file, a <style>) holds."""
    return list(addresses(tinycss2.parse_stylesheet(text)))


def loaded_urls(text: str, declarations: bool = False) -> list[str]:
    """The URLs a style sheet loads: url(), src() and @import, in order.

    `declarations`: the text is a style attribute's declarations, not a style sheet.
    """
    nodes = (tinycss2.parse_blocks_contents if declarations else tinycss2.parse_stylesheet)(text)
    return [address for address, _, is_url in addresses(nodes) if is_url]
