"""Markdown read faster into the same HTML: one converter per process, reset between files,
trying only the inline patterns each document could match."""

from .shared_markdown import SharedMarkdownReader, register
from .triggers import InlineTriggers

__all__ = ["InlineTriggers", "SharedMarkdownReader", "register"]
