"""Estimated reading time of each article, counted the way its language is read."""

from .reading_time import (
    body_text,
    count_characters,
    count_words,
    reading_minutes,
    register,
)

__all__ = ["body_text", "count_characters", "count_words", "reading_minutes", "register"]
