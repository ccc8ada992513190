"""Which images may be published: the format their name says, a sane size, colours kept.

An image is opened lazily: its header gives its format, size, pixel mode and colour
profile before a single pixel is decoded, so a decompression bomb (a small file that
decodes to billions of pixels) is refused before it can fill the memory of the build.
"""

import io
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from press.core.problems import Problem

# The formats (as Pillow names them) each file name may hold. MPO is how Pillow opens the
# JPEGs of phones that add a depth map or a second view; they are published as plain JPEG.
FORMATS = {
    ".jpg": ("JPEG", "MPO"),
    ".jpeg": ("JPEG", "MPO"),
    ".png": ("PNG",),
    ".webp": ("WEBP",),
}
PUBLISHED_FORMAT = {"MPO": "JPEG"}
# The colour space of a profile that can describe the pixels of each mode.
PROFILE_SPACES = {
    "L": "GRAY", "LA": "GRAY", "RGB": "RGB", "RGBA": "RGB", "P": "RGB", "PA": "RGB",
    "CMYK": "CMYK",
}  # fmt: skip


class ImageRefused(Exception):
    """An image that cannot be published as it is; `problem` says why and what to do."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@contextmanager
def open_image(path: Path, max_pixels: int):
    """Open an image lazily; ImageRefused, before any pixel is decoded, if it is too large."""
    from PIL import Image

    # Pillow's own guard warns above some 89 million pixels and refuses twice that, in words
    # that name neither size: this limit, a setting, is checked instead and names both.
    # Builds open images in one thread, so lifting the guard for this call lifts it for
    # nothing else.
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        image = Image.open(path)
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    with image:
        width, height = image.size
        if width * height > max_pixels:
            raise ImageRefused(
                Problem.at(
                    path,
                    None,
                    f"{width:,} × {height:,} pixels ({width * height:,}) is over the limit of "
                    f"{max_pixels:,} (CHECK_MAX_IMAGE_PIXELS): decoding it would take "
                    f"{_memory(width * height * 4)} of memory. Resize it (a page shows no "
                    "more than some 2,000 pixels across)",
                )
            )
        yield image


def _memory(size: int) -> str:
    """A number of bytes as people read them: 1.5 KiB, 37.3 GiB."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def format_problem(path: Path, image_format: str | None) -> Problem | None:
    """An image whose content is not the format its name says, or no format we publish."""
    suffix = path.suffix.lower()
    if image_format in FORMATS.get(suffix, ()):
        return None
    names = [name for name, formats in FORMATS.items() if image_format in formats]
    if names:
        what = f"rename it to end in {names[0]} (browsers go by the name the server gives)"
    else:
        what = "export it as JPEG (photos) or PNG (drawings, screenshots)"
    found = image_format or "unknown"
    return Problem.at(path, None, f"is a {found} image, not what its name ({suffix}) says; {what}")


def colour_problem(path: Path, image) -> Problem | None:
    """An embedded colour profile that cannot be converted for the image's pixels."""
    data = image.info.get("icc_profile")
    if not data:
        return None
    space = profile_space(data)
    if space is None:
        return Problem.at(
            path, None, "its colour profile cannot be read; export it again (as sRGB)"
        )
    if PROFILE_SPACES.get(image.mode) != space:
        return Problem.at(
            path,
            None,
            f"its colour profile is for {space} colours but its pixels are in mode "
            f"{image.mode}; export it again as 8-bit RGB or grayscale (as sRGB)",
        )
    if reason := transform_problem(data, space):
        return Problem.at(
            path, None, f"its colour profile cannot be used ({reason}); export it again as sRGB"
        )
    return None


def transform_problem(data: bytes, space: str) -> str | None:
    """Why the profile cannot convert colours to sRGB (None when it can), before any pixel."""
    from PIL import ImageCms

    modes = {"GRAY": "L", "RGB": "RGB", "CMYK": "CMYK"}
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(data))
        ImageCms.buildTransform(source, _srgb(), modes[space], "RGB")
    except (OSError, ValueError, ImageCms.PyCMSError) as exc:
        return str(exc)
    return None


def profile_space(data: bytes) -> str | None:
    """The colour space of an ICC profile (GRAY, RGB, CMYK...), None if it is unreadable."""
    from PIL import ImageCms

    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(data)).profile.xcolor_space.strip()
    except (OSError, ValueError, ImageCms.PyCMSError):
        return None


@cache
def _srgb():
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


def to_srgb(image, profile: bytes | None):
    """The pixels of `image` as its colour profile means them, in sRGB: they look the same.

    Grayscale stays grayscale (a gray profile's tones, as sRGB grays) and alpha stays as
    it was; a palette image becomes RGB(A). Without a profile, the image as it is.
    """
    from PIL import Image, ImageCms

    if not profile:
        return image
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    if image.mode in ("P", "PA"):
        transparent = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    colour = image.convert(image.mode.removesuffix("A")) if alpha is not None else image
    if colour.mode == "L":
        # A gray profile converts to sRGB as neutral grays (R = G = B): their luma is the
        # sRGB gray, and the image keeps one channel.
        converted = ImageCms.profileToProfile(colour, source, _srgb(), outputMode="RGB")
        converted = converted.convert("L")
    else:
        converted = ImageCms.profileToProfile(colour, source, _srgb(), outputMode="RGB")
    if alpha is None:
        return converted
    return Image.merge(f"{converted.mode}A", (*converted.split(), alpha))
