"""Each article's and page's URL computed once, when reading is over."""

from .frozen_urls import register

__all__ = ["register"]
