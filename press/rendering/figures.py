"""Images as readers need them: a titled image alone in its paragraph is a figure with a
caption, and every image of the site's own carries its width and height.

The caption comes from Markdown alone (`![alt](src "Caption")`), so it is cached with the
rest of the HTML. The sizes are read from the image file each time a run creates the
article (content_object_init): an image replaced under the same name gets its new size
without the content cache knowing about images. With the sizes, a browser keeps the
image's place before it arrives, and the text does not jump.
"""

import logging
import posixpath
import re
from functools import cache
from pathlib import Path
from xml.etree.ElementTree import SubElement

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

logger = logging.getLogger(__name__)

# An <img> tag, its quoted attribute values possibly holding ">".
_IMG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SIZED = re.compile(r"\s(?:width|height)\s*=", re.IGNORECASE)
# Pelican's links to files of the content folder, as written before it resolves them.
_STATIC = re.compile(r"^(?:\{static\}|\|static\|)")
# EXIF orientations whose upright image is the file's pixels turned a quarter:
# press.safety.media publishes images upright.
_TURNED = {5, 6, 7, 8}


class FigureProcessor(Treeprocessor):
    """Turn each paragraph holding only a titled image into a figure captioned by the title."""

    def run(self, root):
        """Rewrite the document's tree in place."""
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if len(children) != 1 or (paragraph.text or "").strip():
                continue
            image = children[0]
            if image.tag != "img" or (image.tail or "").strip() or not image.get("title"):
                continue
            paragraph.tag = "figure"
            paragraph.text = None
            image.tail = None
            caption = SubElement(paragraph, "figcaption")
            # The caption says it once: a title too would be read out twice.
            caption.text = image.attrib.pop("title")


class FigureExtension(Extension):
    """Markdown extension: titled images become figures (FigureProcessor)."""

    def extendMarkdown(self, md):
        """Run after the inline patterns (priority 20), which make the <img> elements."""
        md.treeprocessors.register(FigureProcessor(md), "ffhr_figures", 15)


def makeExtension(**kwargs):
    """The extension, as MARKDOWN's extension_configs names it."""
    return FigureExtension(**kwargs)


@cache
def image_size(path: Path, stamp: tuple[int, int]) -> tuple[int, int] | None:
    """Width and height of the image at `path` as published (upright); None if unreadable.

    `stamp` (size, mtime) makes a changed file read again.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
            if image.getexif().get(0x0112) in _TURNED:
                width, height = height, width
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return width, height


def _source_image(src: str, content_root: Path, source_path: str) -> Path | None:
    """The file of the content folder an <img src> names before Pelican resolves it."""
    if not _STATIC.match(src):
        return None
    target = _STATIC.sub("", src).split("?", 1)[0].split("#", 1)[0]
    if target.startswith("/"):
        relative = target.lstrip("/")
    else:
        folder = posixpath.dirname(Path(source_path).relative_to(content_root).as_posix())
        relative = posixpath.normpath(posixpath.join(folder, target))
    path = (content_root / relative).resolve()
    if not path.is_relative_to(content_root.resolve()) or not path.is_file():
        return None
    return path


def sized_images(html: str, content_root: Path, source_path: str) -> str:
    """`html` with width and height on every <img> of the content folder that lacks them."""

    def size(match):
        tag = match.group(0)
        src = _SRC.search(tag)
        if src is None or _SIZED.search(tag):
            return tag
        path = _source_image(src.group(1) or src.group(2) or "", content_root, source_path)
        if path is None:
            return tag
        stat = path.stat()
        found = image_size(path, (stat.st_size, stat.st_mtime_ns))
        if found is None:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} width="{found[0]}" height="{found[1]}"{tag[end:]}'

    return _IMG.sub(size, html) if "<img" in html.lower() else html


def add_image_sizes(instance):
    """content_object_init: give the article's or page's images their sizes."""
    content = getattr(instance, "_content", None)
    source = getattr(instance, "source_path", None)
    if not content or not source:
        return
    root = Path(instance.settings["PATH"])
    try:
        instance._content = sized_images(content, root, source)
    except ValueError:  # a source outside the content folder: nothing of ours to size
        logger.debug("no image sizes for %s", source)
