"""Checks of shared images and documents before they are published."""

from pathlib import Path

from media_privacy import document_names
from press.core.problems import Problem
from press.safety.images import ImageRefused, colour_problem, format_problem, open_image


def check_image(path: Path, max_pixels: int) -> list[Problem]:
    """An image must be what its name says, of a sane size, with colours that can be kept,
    and must open (its metadata is removed when it is published).

    `max_pixels`: CHECK_MAX_IMAGE_PIXELS; a larger image is refused before it is decoded.
    """
    # Imported here, as in media_privacy: only sites with images need Pillow loaded.
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


def check_document(path: Path, pseudonyms: set[str]) -> list[Problem]:
    """A PDF may name no author or creator other than an agreed pseudonym."""
    from pypdf.errors import PdfReadError

    try:
        names = document_names(path)
    except (PdfReadError, OSError, ValueError) as exc:
        return [Problem.at(path, None, f"cannot be read as a PDF ({exc}); export it again")]
    return [
        Problem.at(
            path,
            None,
            f"its {field} is '{value}'; a PDF keeps who made it in its properties: remove "
            "them (export again with document properties cleared) or set an agreed pseudonym",
        )
        for field, value in names
        if pseudonyms is not None and value not in pseudonyms
    ]
