"""Markdown read faster into the same HTML: one converter per process, reset between files,
trying only the block processors and inline patterns each document could use."""

from .shared_markdown import SharedMarkdownReader, register
from .triggers import MarkdownTriggers

__all__ = ["MarkdownTriggers", "SharedMarkdownReader", "register"]
