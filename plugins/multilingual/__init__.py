"""One site per language from parallel content folders, with Babel catalogs and dates."""

from .multilingual import register

__all__ = ["register"]
