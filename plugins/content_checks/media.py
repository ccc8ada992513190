"""Checks of shared images and documents before they are published."""

from pathlib import Path

from media_privacy import document_names
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
