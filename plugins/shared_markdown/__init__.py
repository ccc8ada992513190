"""One Markdown converter per process, reset between files, instead of one built per file."""

from .shared_markdown import SharedMarkdownReader, register

__all__ = ["SharedMarkdownReader", "register"]
