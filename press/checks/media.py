"""Checks of shared images and documents before they are published."""

from pathlib import Path

from press.core.problems import Problem
from press.safety.images import ImageRefused, colour_problem, format_problem, open_image


def check_image(path: Path, max_pixels: int) -> list[Problem]:
    """An image must be what its name says, of a sane size, with colours that can be kept,
    and must open (its metadata is removed when it is published).

    `max_pixels`: CHECK_MAX_IMAGE_PIXELS; a larger image is refused before it is decoded.
    """
    # Imported here, as in press.safety.media: only sites with images need Pillow loaded.
    from PIL import UnidentifiedImageError

    try:
        with open_image(path, max_pixels) as image:
            if problem := format_problem(path, image.format) or colour_problem(path, image):
                return [problem]
            image.verify()
    except ImageRefused as refused:
        return [refused.problem]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return [Problem.at(path, None, f"cannot be read as an image ({exc}); export it again")]
    return []


def check_document(path: Path) -> list[Problem]:
    """A PDF must be one that can be written anew clean: what would be refused, and why."""
    # Imported here: only sites with documents need pikepdf loaded.
    from press.safety.documents import document_problems

    return document_problems(path)
