"""Checks of shared images and documents before they are published."""

from pathlib import Path

from press.core.problems import Problem


def check_image(path: Path) -> list[Problem]:
    """An image must open and decode (its metadata is removed when it is published)."""
    # Imported here, as in media_privacy: only sites with images need Pillow loaded.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        return [Problem.at(path, None, f"cannot be read as an image ({exc}); export it again")]
    return []


def check_document(path: Path) -> list[Problem]:
    """A PDF must be one that can be written anew clean: what would be refused, and why."""
    # Imported here: only sites with documents need pikepdf loaded.
    from press.safety.documents import document_problems

    return document_problems(path)
