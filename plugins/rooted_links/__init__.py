"""{filename}, {static} and {attach} links rewritten from the content root, once per source."""

from .rooted_links import register, rooted

__all__ = ["register", "rooted"]
