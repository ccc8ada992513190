"""Re-encode images without EXIF, XMP, IPTC, comments or GPS; write PDFs anew, clean.

A photo straight from a phone carries where it was taken, when, and the camera's serial
number. Re-encoding from pixels is the one way to be sure nothing else travels along:
orientation is applied to the pixels first (so the picture still stands the right way up),
and an embedded colour profile is converted to sRGB (so colours stay as they were).
"""

import logging
import shutil
import struct
from pathlib import Path

from press.core.files import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, file_names
from press.core.problems import Problem
from press.safety.images import (
    PUBLISHED_FORMAT,
    ImageRefused,
    colour_problem,
    format_problem,
    open_image,
    to_srgb,
)

logger = logging.getLogger(__name__)

# What a clean image may still carry in Pillow's `info`: encoding facts, nothing personal.
HARMLESS_INFO = {
    "dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression",
    "adobe", "adobe_transform", "gamma", "srgb", "transparency", "aspect", "interlace",
    "lossless", "loop", "duration", "background", "background_color", "blend", "disposal",
}  # fmt: skip
SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 6},
}


# Pillow and pikepdf (press.safety.documents) are imported by the functions that use them,
# when a site has images or documents: every build process (one per language) would
# otherwise load them for nothing.


def scrub_image(source: Path, target: Path, max_pixels: int) -> None:
    """Write `source` to `target` re-encoded from its pixels alone, upright and in sRGB.

    ImageRefused (press.safety.images) names an image that cannot be published.
    """
    from PIL import Image, ImageCms

    try:
        with open_image(source, max_pixels) as original:
            image_format = PUBLISHED_FORMAT.get(original.format, original.format)
            problem = format_problem(source, original.format) or colour_problem(source, original)
            if problem is not None:
                raise ImageRefused(problem)
            image = to_srgb(_upright(original), original.info.get("icc_profile"))
            # A fresh image holds pixels only: no info, no EXIF, no text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
    except (OSError, ValueError, SyntaxError, struct.error, ImageCms.PyCMSError) as exc:
        message = f"cannot be read as an image ({exc}); export it again"
        raise ImageRefused(Problem.at(source, None, message)) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    clean.save(target, format=image_format, **SAVE_OPTIONS.get(image_format, {}))


def _upright(image):
    """The image turned as its EXIF Orientation says, its EXIF itself left behind."""
    from PIL import Image

    # Pillow's ImageOps.exif_transpose also writes the EXIF back without its Orientation,
    # and fails on a malformed tag (BitsPerSample as text) that nothing here publishes.
    method = _TURNS.get(image.getexif().get(_ORIENTATION))
    return image if method is None else image.transpose(getattr(Image.Transpose, method))


_ORIENTATION = 0x0112
# EXIF Orientation values, and the turn that stands the picture upright (EXIF 2.32, 4.6.4).
_TURNS = {
    2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE",
    6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90",
}  # fmt: skip


def image_metadata(path: Path) -> list[str]:
    """Name every kind of metadata still in an image (empty when it is clean)."""
    from PIL import Image, IptcImagePlugin

    found = []
    with Image.open(path) as image:
        if len(image.getexif()):
            tags = image.getexif()
            gps = " with GPS position" if tags.get_ifd(0x8825) or 0x8825 in tags else ""
            found.append(f"EXIF{gps}")
        if IptcImagePlugin.getiptcinfo(image):
            found.append("IPTC")
        for key in image.info:
            if key == "exif":
                continue
            if key not in HARMLESS_INFO:
                found.append("XMP" if "xmp" in str(key).lower() else str(key))
    return sorted(set(found))


def publish_images(
    source_dir: Path, target_dir: Path, max_pixels: int, keep_times: bool = False
) -> list[Path]:
    """Publish images scrubbed, PDFs written anew, other files as they are; return the images.

    `max_pixels`: the largest image decoded (CHECK_MAX_IMAGE_PIXELS). A PDF that cannot be
    cleaned raises press.safety.refusals.DocumentRefused. `keep_times`: other files keep
    their modification times (the theme's: rsync hard-links what did not change).
    """
    images = []
    for name in file_names(source_dir):
        path = source_dir / name
        target = target_dir / path.relative_to(source_dir)
        if path.suffix.lower() in IMAGE_EXTENSIONS:
            scrub_image(path, target, max_pixels)
            images.append(target)
        elif path.suffix.lower() in DOCUMENT_EXTENSIONS:
            # Imported here: only sites with documents need pikepdf loaded.
            from press.safety.documents import clean_pdf

            clean_pdf(path, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Content's timestamps say when someone wrote it: not copied.
            (shutil.copy2 if keep_times else shutil.copyfile)(path, target)
    logger.debug("published %d images from %s", len(images), source_dir)
    return images
