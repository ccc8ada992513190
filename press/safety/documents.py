"""PDFs written anew to be published, keeping only what readers need, or refused with the reason.

A PDF remembers more than it shows. Saving it again after an edit appends a revision and
keeps the old one, so an Author changed to a pseudonym is still in the file; XMP packets
keep an editing history; comments keep who wrote them and when; attachments, scripts and
the photos placed in it (with their GPS position) travel along. So a published PDF is
written anew by qpdf (pikepdf): a full rewrite holds only the objects the document uses,
which drops every earlier revision, and what it holds is taken from allowlists:

- the document information keeps its title alone (viewers show it as the window's title and
  screen readers announce it); no XMP metadata anywhere, no thumbnails, no application data;
- the catalog keeps pages, outline, page labels, destinations, language, structure tags,
  optional content shown by default and how to open (a page, never an action);
- links go to a page of the document or to an http, https or mailto address; every other
  action (JavaScript, opening files or programs, forms, sounds, actions on opening or on a
  page) is removed, and so are attachments;
- comments and markup keep their look and text, without their author, dates or replies;
- JPEG images keep the segments a decoder needs (no EXIF, GPS, XMP, IPTC, comments,
  thumbnails or data after the image), byte for byte otherwise: nothing is re-encoded.

What the allowlists do not know is refused, with the reason: a password or restrictions,
a damaged file, form fields, a portfolio, hidden layers, redactions marked but not applied,
sound, video or 3D, JPEG 2000 images, and anything else this module cannot be sure of.
"""

import io
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream, String

from press.core.problems import Problem
from press.safety.refusals import DocumentRefused

logger = logging.getLogger(__name__)

__all__ = [
    "DocumentRefused", "JpegError", "clean_jpeg", "clean_pdf", "document_problems",
    "document_text", "published_document_problems",
]  # fmt: skip

INFO_KEYS = {"/Title"}
TRAILER_KEYS = {"/Root", "/Info", "/Size"}  # qpdf writes the /ID (deterministic) itself
CATALOG_KEYS = {
    "/Type", "/Pages", "/PageLabels", "/Names", "/Dests", "/ViewerPreferences", "/PageLayout",
    "/PageMode", "/Outlines", "/OpenAction", "/StructTreeRoot", "/MarkInfo", "/Lang",
    "/OCProperties", "/Version",
}  # fmt: skip
NAMES_KEYS = {"/Dests"}  # not /JavaScript, /EmbeddedFiles, /AP, /Pages, /Templates, /URLS...
VIEWER_PREFERENCES_KEYS = {"/DisplayDocTitle", "/Direction"}
MARK_INFO_KEYS = {"/Marked", "/Suspects"}  # not /UserProperties
PAGE_MODES = {"/UseNone", "/UseOutlines", "/FullScreen", "/UseOC"}  # not attachments, thumbnails
PAGE_TREE_KEYS = {"/Type", "/Parent", "/Kids", "/Count", "/Resources", "/MediaBox", "/CropBox",
                  "/Rotate"}  # fmt: skip
PAGE_KEYS = {
    "/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
    "/ArtBox", "/Rotate", "/Contents", "/Annots", "/StructParents", "/Tabs", "/Group",
    "/UserUnit",
}  # fmt: skip
OUTLINE_KEYS = {"/Type", "/First", "/Last", "/Count"}
OUTLINE_ITEM_KEYS = {"/Title", "/Parent", "/Prev", "/Next", "/First", "/Last", "/Count", "/Dest",
                     "/A", "/C", "/F"}  # fmt: skip
STRUCT_ROOT_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap", "/ClassMap",
                    "/IDTree"}  # fmt: skip
STRUCT_ELEMENT_KEYS = {"/Type", "/S", "/P", "/ID", "/Pg", "/K", "/A", "/C", "/R", "/T", "/Lang",
                       "/Alt", "/E", "/ActualText", "/NS"}  # fmt: skip
# A layer keeps its name; its /Usage (who made it, for which user, by name) goes.
LAYER_KEYS = {"/Type", "/Name", "/Intent"}
OPTIONAL_CONTENT_KEYS = {"/OCGs", "/D"}  # not /Configs: other configurations may hide things
OPTIONAL_CONFIG_KEYS = {"/Name", "/BaseState", "/ON", "/OFF", "/Intent", "/Order", "/ListMode",
                        "/RBGroups", "/Locked"}  # fmt: skip  # not /AS: shown or hidden by event
ANNOTATION_KEYS = {"/Type", "/Subtype", "/Rect", "/Contents", "/P", "/F", "/AP", "/AS",
                   "/Border", "/C", "/StructParent", "/OC", "/BS"}  # fmt: skip
LINK_KEYS = ANNOTATION_KEYS | {"/A", "/Dest", "/H", "/QuadPoints"}
# Markup keeps its look and its text; /T (author), /M and /CreationDate (when), /NM, /Popup,
# /IRT and /RT (replies), /RC (rich text), /Subj, /State and /ExData are what is dropped.
MARKUP_KEYS = ANNOTATION_KEYS | {
    "/BE", "/IC", "/CA", "/Q", "/DA", "/DS", "/LE", "/L", "/LL", "/LLE", "/LLO", "/Cap", "/CP",
    "/CO", "/IT", "/Vertices", "/InkList", "/Path", "/QuadPoints", "/RD", "/Sy", "/Name",
    "/Open", "/FixedPrint", "/Matrix",
}  # fmt: skip
MARKUP = {
    "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Watermark",
}  # fmt: skip
# Annotations that are removed: a comment's pop-up window, and attachments.
REMOVED_ANNOTATIONS = {"/Popup", "/FileAttachment"}
FORM_FIELDS = (
    "has form fields{filled}; print it to a new PDF (which flattens the form) or export it "
    "without form fields"
)
REFUSED_ANNOTATIONS = {
    "/Widget": FORM_FIELDS.format(filled=""),
    "/Redact": "has redactions that were marked but never applied, so the text under them is "
    "still in the file; apply the redactions (or remove the text) and export it again",
    "/Sound": "has a sound in it; remove it and publish the sound separately",
    "/Movie": "has a video in it; remove it and publish the video separately",
    "/Screen": "has a video or other media in it; remove it and export it again",
    "/RichMedia": "has a video or other media in it; remove it and export it again",
    "/3D": "has a 3D model in it; remove it and export it again",
}
ANNOTATION_SUBTYPES = (
    MARKUP | REMOVED_ANNOTATIONS | set(REFUSED_ANNOTATIONS)
    | {"/Link", "/PrinterMark", "/TrapNet", "/Projection"}
)  # fmt: skip
IMAGE_KEYS = {
    "/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent", "/Intent",
    "/ImageMask", "/Mask", "/Decode", "/Interpolate", "/SMask", "/SMaskInData", "/Matte",
    "/StructParent", "/OC", "/Length", "/Filter", "/DecodeParms",
}  # fmt: skip  # not /Alternates, /OPI (a link to the original), /Measure, /PtData (GPS)
FORM_XOBJECT_KEYS = {
    "/Type", "/Subtype", "/FormType", "/BBox", "/Matrix", "/Resources", "/Group", "/OC",
    "/StructParent", "/StructParents", "/Length", "/Filter", "/DecodeParms",
}  # fmt: skip  # not /Ref: a page of another file, named by its path
LOSSLESS_FILTERS = {"/FlateDecode", "/LZWDecode", "/ASCII85Decode", "/ASCIIHexDecode",
                    "/RunLengthDecode", "/CCITTFaxDecode", "/JBIG2Decode"}  # fmt: skip
# Wherever they stand, these keys are dropped: metadata, private data of the application
# that made the file, dates, actions run by events, thumbnails, links to original images,
# associated and embedded files, scripts.
DROPPED_KEYS = {"/Metadata", "/PieceInfo", "/LastModified", "/AA", "/Thumb", "/OPI", "/AF",
                "/EF", "/RF", "/JS"}  # fmt: skip
DROPPED_TYPES = {"/EmbeddedFile", "/Filespec", "/Metadata"}
# A stream whose data is in a file elsewhere, which a viewer may fetch from an address
# (ISO 32000-1, 7.3.8.2): its data is the one in the document, or none.
EXTERNAL_STREAM_KEYS = {"/F", "/FFilter", "/FDecodeParms"}
ACTION_TYPES = {
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie",
    "/Hide", "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript",
    "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/RichMediaExecute", "/ECMAScript",
}  # fmt: skip
ACTION_KEYS = {"/GoTo": {"/Type", "/S", "/D"}, "/URI": {"/Type", "/S", "/URI"}}
# A link may lead to a web page or an e-mail address, written plainly: no other scheme (file:,
# smb:, javascript:), no relative address (resolved against a base the file may not say), no
# space or control character a viewer might strip to find another scheme behind it.
LINK_ADDRESS = re.compile(rb"\A(?:https?://|mailto:)[\x21-\x7e]+\Z", re.IGNORECASE)
_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z0-9_])BI(?![A-Za-z0-9_])")
XMP_MARKS = (b"<x:xmpmeta", b"<?xpacket", b"<rdf:RDF")


class JpegError(ValueError):
    """A JPEG stream whose structure is not one this module knows to clean."""


def clean_pdf(source: Path, target: Path) -> None:
    """Write `source` anew to `target` with only allowed content, or raise DocumentRefused."""
    source, target = Path(source), Path(target)
    with _open(source) as pdf:
        cleaning = _Cleaning(pdf)
        cleaning.run()
        if cleaning.reasons:
            raise DocumentRefused(source, cleaning.reasons)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(handle)
        written = Path(name)
        try:
            _save(pdf, written, source)
            if left := published_document_problems(written):
                raise DocumentRefused(
                    source,
                    [f"still carries {', '.join(left)} once written anew; do not publish "
                     "it: report this as a bug"],
                )  # fmt: skip
            written.chmod(0o644)  # as every other published file: mkstemp makes it 0600
            written.replace(target)
        finally:
            written.unlink(missing_ok=True)
    logger.debug("published %s anew as %s", source, target)


def document_problems(path: Path) -> list[Problem]:
    """What would keep the PDF at `path` from being published, one problem per reason."""
    try:
        with _open(path) as pdf:
            cleaning = _Cleaning(pdf)
            cleaning.run()
            reasons = cleaning.reasons
    except DocumentRefused as refused:
        return refused.problems
    return [Problem.at(path, None, reason) for reason in reasons]


def published_document_problems(path: Path) -> list[str]:
    """What a published PDF still carries that it should not, sorted (empty when it is clean).

    Reads the file again by rules of its own, not the cleaning's: one revision, the document
    information, and every object, used or not, for metadata, attachments, scripts, actions
    other than links, annotation authors and dates, and JPEG segments a decoder does not need.
    """
    path = Path(path)
    data = path.read_bytes()
    found = []
    if (revisions := data.count(b"%%EOF")) != 1:
        found.append(f"{revisions} revisions")
    try:
        pdf = pikepdf.open(path, attempt_recovery=False)
    except pikepdf.PdfError as exc:
        return [*found, f"a structure that cannot be read ({_reason(exc, path)})"]
    with pdf:
        if pdf.is_encrypted:
            found.append("encryption")
        if "/Prev" in pdf.trailer:
            found.append("a previous revision (/Prev)")
        info = pdf.trailer.get("/Info")
        if isinstance(info, Dictionary) and (extra := sorted(set(info.keys()) - INFO_KEYS)):
            found.append(f"document information ({', '.join(extra)})")
        for container in _every_container(pdf):
            found += _leftovers(container)
    return sorted(set(found))


def document_text(path: Path) -> str:
    """All text a reader could get out of the PDF, for the private names check.

    Its pages' text, then every string in it (metadata, comments, outline, link addresses,
    form values, attachment names), then the text of any XMP packet, then every name in it
    (named destinations, tags, fonts, as keys or values); one per line. Raises
    DocumentRefused when the file cannot be read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    path = Path(path)
    parts = []
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise DocumentRefused(path, ["is encrypted, so its text cannot be read; " + _UNLOCK])
        for page in reader.pages:
            # In the order it is stored, and as laid out on the page: a name drawn in two
            # pieces out of order reads whole only in the second. And each line reversed:
            # glyphs drawn right to left (a negative spacing) show in the other order.
            for text in (page.extract_text(), page.extract_text(extraction_mode="layout")):
                text = (text or "").strip()
                parts += [text, "\n".join(line[::-1] for line in text.splitlines())]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        raise DocumentRefused(path, [f"its text cannot be read ({exc}); export it again"]) from exc
    with _open(path) as pdf:
        try:
            parts += _drawn_text(pdf, PdfReader)
            parts += _marked_text(pdf)
        except (PyPdfError, pikepdf.PdfError, ValueError, KeyError, TypeError) as exc:
            raise DocumentRefused(
                path, [f"its text cannot be read ({exc}); export it again"]
            ) from exc
        identifiers = {bytes(value) for value in pdf.trailer.get("/ID", [])}  # random bytes
        names = {}  # one line per container, once: most repeat (/Type /Page /Parent...)
        for container in _every_container(pdf):
            values = container if isinstance(container, Array) else container.values()
            parts += [
                str(value)
                for value in values
                if isinstance(value, String) and bytes(value) not in identifiers
            ]
            if isinstance(container, Stream) and _is_xmp(container):
                parts.append(container.read_bytes().decode("utf-8", "replace"))
            names[_names_in(container)] = None
        parts += names
    return "\n".join(part for part in parts if part)


def _names_in(container) -> str:
    """Every name a dictionary (its keys too) or an array holds, as a viewer shows it."""
    # Names are text a reader sees: a viewer lists named destinations (/Dests keys, a link's
    # /Dest, a GoTo's /D), tags and fonts, and a text editor shows every one. Reading all of
    # them beats knowing which: a structural word (/Type, /XYZ) is no one's name.
    if isinstance(container, Array):
        keys, values = [], list(container)
    else:
        # In the order of their keys: pikepdf gives a dictionary's in an order of its own,
        # which changes from run to run, and so would what reads as one name across two.
        keys = sorted(container.keys())
        values = [container[key] for key in keys]
    # pikepdf gives a name with its #xx escapes decoded ("/Kim Cholsu"), a key with bytes
    # that are not UTF-8 as surrogates, and str() of such a name value raises: bytes, then.
    written = [key.encode("utf-8", "surrogateescape") for key in keys]
    written += [_unescaped(value.unparse()) for value in values if isinstance(value, Name)]
    return " ".join(reading for name in written for reading in _name_readings(name[1:]))


_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _unescaped(data: bytes) -> bytes:
    """A name as a file writes it (`/Kim#20Cholsu`) as the bytes it stands for."""
    return _NAME_ESCAPE.sub(lambda match: bytes.fromhex(match[1].decode()), data)


def _name_readings(data: bytes) -> list[str]:
    """How a viewer may show a name's bytes; never raises."""
    # A "#" left after decoding was escaped twice (/Kim#2320Cholsu): shown as "Kim#20Cholsu",
    # read by anyone as "Kim Cholsu".
    readings = []
    for each in (data, _unescaped(data)) if b"#" in data else (data,):
        try:
            readings.append(each.decode("utf-8"))  # what PDF 2.0 says a name's bytes are
        except UnicodeDecodeError:  # older files: the system's code page, Latin or Korean
            readings += [each.decode("latin-1"), each.decode("cp949", "replace")]
    return readings


def _marked_text(pdf: Pdf) -> list[str]:
    """What marked content says its drawing reads as (/ActualText), or describes (/Alt, /E),
    in every content stream: what copying the text and screen readers give; and its tags,
    which a viewer's content pane lists."""
    found = []
    streams = [page for page in pdf.pages]
    streams += [s for s in _every_container(pdf) if isinstance(s, Stream) and _draws(s)]
    for stream in streams:
        for operands, _operator in pikepdf.parse_content_stream(stream, "BMC BDC MP DP"):
            if operands and isinstance(operands[0], Name):
                found += _name_readings(_unescaped(operands[0].unparse())[1:])
            properties = operands[-1] if operands else None
            if isinstance(properties, Dictionary):
                found += [
                    str(properties[key])
                    for key in ("/ActualText", "/Alt", "/E")
                    if isinstance(properties.get(key), String)
                ]
    return found


def _draws(stream: Stream) -> bool:
    """A form, a tiling pattern's cell, or an appearance (which may say neither)."""
    return (
        stream.get("/Subtype") == Name.Form
        or stream.get("/PatternType") == 1
        or ("/BBox" in stream and "/Subtype" not in stream)
    )


def _drawn_text(pdf: Pdf, reader) -> list[str]:
    """The text of every drawing a reader may see that is not a page's own: form XObjects,
    tiling patterns' cells, annotations' appearances and Type 3 glyphs, each read as a page
    of its own (`reader`: pypdf's PdfReader, which decodes their fonts as it does a page's)."""
    drawings = []
    for container in _every_container(pdf):
        if isinstance(container, Stream) and (
            container.get("/Subtype") == Name.Form or container.get("/PatternType") == 1
        ):
            drawings.append(container)
        elif isinstance(container, Dictionary):
            if _is_annotation(container) and isinstance(container.get("/AP"), Dictionary):
                for look in container.AP.values():
                    looks = look.values() if isinstance(look, Dictionary) else [look]
                    drawings += [each for each in looks if isinstance(each, Stream)]
            if container.get("/Subtype") == Name.Type3 and "/CharProcs" in container:
                drawings += [g for g in container.CharProcs.values() if isinstance(g, Stream)]
    if not drawings:
        return []
    sheets = pikepdf.new()
    for drawing in drawings:
        page = sheets.add_blank_page(page_size=(10_000, 10_000)).obj
        copy = sheets.copy_foreign(drawing)  # with its resources: fonts and what they need
        page.Contents = sheets.make_stream(drawing.read_bytes())
        if isinstance(copy.get("/Resources"), Dictionary):
            page.Resources = copy.Resources
    buffer = io.BytesIO()
    sheets.save(buffer)
    return [
        (page.extract_text(**mode) or "").strip()
        for page in reader(buffer).pages
        for mode in ({}, {"extraction_mode": "layout"})
    ]


# JPEG markers (ITU-T T.81): what a decoder needs is kept, metadata is dropped, and anything
# else (hierarchical or extension markers, JPEG-LS) is not known well enough to keep.
_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_TABLES = {0xC4, 0xCC, 0xDB, 0xDD, 0xDC}  # Huffman, arithmetic, quantization, restart, lines
_START_OF_SCAN, _END, _JFIF, _ADOBE, _COMMENT = 0xDA, 0xD9, 0xE0, 0xEE, 0xFE
_METADATA = set(range(0xE0, 0xF0)) | {_COMMENT}  # APP0-APP15 and COM


def clean_jpeg(data: bytes) -> bytes:
    """The JPEG stream `data` with only the segments needed to decode it, unchanged otherwise.

    Keeps frames, tables, scans and their image data; the JFIF header without its thumbnail
    and Adobe's colour-transform marker, both of which change how the colours decode. Drops
    EXIF and XMP (APP1, GPS included), ICC profiles and MPF (APP2, which PDF ignores), IPTC
    (APP13), every other application segment, comments and anything after the image's end.
    Raises JpegError for a structure it does not know.
    """
    if data[:2] != b"\xff\xd8":
        raise JpegError("does not start as a JPEG image")
    kept = [b"\xff\xd8"]
    position, size, frames = 2, len(data), 0
    while True:
        if position >= size or data[position] != 0xFF:
            raise JpegError("breaks off before its end")
        while position < size and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= size:
            raise JpegError("breaks off before its end")
        marker = data[position]
        position += 1
        if marker == _END:
            kept.append(b"\xff\xd9")
            break
        if position + 2 > size:
            raise JpegError("breaks off inside a segment")
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > size:
            raise JpegError("has a segment longer than the image")
        body = data[position + 2 : position + length]
        position += length
        if marker in _FRAMES:
            frames += 1
            kept.append(_segment(marker, body))
        elif marker in _TABLES:
            kept.append(_segment(marker, body))
        elif marker == _JFIF and body[:5] == b"JFIF\0" and len(body) >= 14:
            kept.append(_segment(marker, body[:12] + b"\0\0"))  # no thumbnail
        elif marker == _ADOBE and body[:5] == b"Adobe" and len(body) >= 12:
            kept.append(_segment(marker, body[:12]))
        elif marker in _METADATA:
            continue
        elif marker == _START_OF_SCAN:
            kept.append(_segment(marker, body))
            start = position
            while True:  # entropy-coded data runs to the next marker that is not a restart
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= size:
                    raise JpegError("breaks off inside its image data")
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    position += 2
                elif following == 0xFF:
                    position += 1
                else:
                    break
            kept.append(data[start:position])
        else:
            raise JpegError(f"has a segment of a kind not known here (marker FF{marker:02X})")
    if not frames:
        raise JpegError("has no image frame")
    return b"".join(kept)


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body


_UNLOCK = "export it again without a password or security settings"


def _open(path: Path) -> Pdf:
    """Open a PDF as it is, never repaired: a repair may bring back what its author removed."""
    try:
        pdf = pikepdf.open(path, attempt_recovery=False)
    except pikepdf.PasswordError:
        raise DocumentRefused(path, ["is protected by a password; " + _UNLOCK]) from None
    except pikepdf.PdfError as exc:
        raise DocumentRefused(
            path, [f"is damaged or not a PDF ({_reason(exc, path)}); export it again"]
        ) from None
    if pdf.is_encrypted:
        pdf.close()
        raise DocumentRefused(path, ["is encrypted (with restrictions on its use); " + _UNLOCK])
    return pdf


def _save(pdf: Pdf, target: Path, source: Path) -> None:
    try:
        pdf.save(
            target,
            deterministic_id=True,  # an /ID from the content: the same input, the same bytes
            fix_metadata_version=False,  # never write an XMP packet
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            linearize=False,
        )
    except pikepdf.PdfError as exc:
        raise DocumentRefused(
            source, [f"is damaged ({_reason(exc, source)}); export it again"]
        ) from None


def _reason(exc: Exception, path: Path) -> str:
    """qpdf's message without the file's path, which the problem names already."""
    return str(exc).replace(f"{path}: ", "").replace(str(path), "the file").strip()


def _keep_only(obj, keys: set[str]) -> None:
    for key in list(obj.keys()):
        if key not in keys:
            del obj[key]


def _seen_before(obj, seen: set) -> bool:
    """Whether an indirect object was met already (and note it); direct ones are met once."""
    if not obj.is_indirect:
        return False
    if obj.objgen in seen:
        return True
    seen.add(obj.objgen)
    return False


def _filters(stream: Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    return [str(name) for name in value] if isinstance(value, Array) else [str(value)]


def _is_action(obj) -> bool:
    # Whatever else the dictionary says of itself: a viewer runs an action by its /S alone.
    # (No standard structure type shares a name with an action; a custom one that did
    # would lose its tag, which is safe.)
    return "/JS" in obj or _name(obj.get("/S")) in ACTION_TYPES


def _name(value) -> str:
    """A name's text, or "" for anything that is not a name."""
    return str(value) if isinstance(value, Name) else ""


def _allowed_action(action) -> bool:
    """A link's action that may stay: to a page of this document, or to a web or mail address."""
    kind = action.get("/S")
    if kind == Name.GoTo and "/JS" not in action:
        return True
    uri = action.get("/URI")
    return kind == Name.URI and isinstance(uri, String) and bool(LINK_ADDRESS.match(bytes(uri)))


def _is_annotation(obj) -> bool:
    return "/Rect" in obj and (
        obj.get("/Type") == Name.Annot or str(obj.get("/Subtype", "")) in ANNOTATION_SUBTYPES
    )


def _is_file_system(obj) -> bool:
    """A file specification naming its file system (/FS /URL): a file elsewhere, whose
    /Type /Filespec may be left out."""
    return isinstance(obj.get("/FS"), Name)


def _is_xmp(obj) -> bool:
    return obj.get("/Type") == Name.Metadata or obj.get("/Subtype") == Name.XML


class _Cleaning:
    """The changes that make one opened PDF publishable, and the reasons it cannot be."""

    def __init__(self, pdf: Pdf):
        self.pdf = pdf
        self.reasons: list[str] = []
        self.kept_annotations: set[tuple[int, int]] = set()
        self.removed_annotations: set[tuple[int, int]] = set()
        self.content_streams: list[Stream] = []

    def refuse(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def run(self) -> None:
        try:
            self._document()
            self._every_object()
            self._inline_images()
        except (pikepdf.PdfError, JpegError, TypeError, ValueError, AttributeError) as exc:
            # A structure that breaks the rules the cleaning reads it by: not published.
            self.refuse(f"has a structure that cannot be read ({exc}); export it again")

    def _document(self) -> None:
        pdf = self.pdf
        info = pdf.trailer.get("/Info")
        title = info.get("/Title") if isinstance(info, Dictionary) else None
        _keep_only(pdf.trailer, TRAILER_KEYS)
        if isinstance(title, String) and str(title).strip():
            pdf.trailer.Info = pdf.make_indirect(Dictionary(Title=String(str(title))))
        elif "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        catalog = pdf.Root
        self._forms(catalog)
        if "/Collection" in catalog:
            self.refuse("is a PDF portfolio (a package of files); publish each document by itself")
        _keep_only(catalog, CATALOG_KEYS)
        if isinstance(names := catalog.get("/Names"), Dictionary):
            _keep_only(names, NAMES_KEYS)
            if not len(names):
                del catalog["/Names"]
        if isinstance(preferences := catalog.get("/ViewerPreferences"), Dictionary):
            _keep_only(preferences, VIEWER_PREFERENCES_KEYS)
        if isinstance(marked := catalog.get("/MarkInfo"), Dictionary):
            _keep_only(marked, MARK_INFO_KEYS)
        if "/PageMode" in catalog and _name(catalog.PageMode) not in PAGE_MODES:
            del catalog["/PageMode"]
        opening = catalog.get("/OpenAction")
        if isinstance(opening, Dictionary) and opening.get("/S") != Name.GoTo:
            del catalog["/OpenAction"]  # only "open at this page" may stay
        self._optional_content(catalog)
        self._outline(catalog.get("/Outlines"))
        self._pages(catalog.get("/Pages"))
        self._structure(catalog.get("/StructTreeRoot"))

    def _forms(self, catalog) -> None:
        form = catalog.get("/AcroForm")
        if not isinstance(form, Dictionary):
            return
        if "/XFA" in form:
            self.refuse(FORM_FIELDS.format(filled=" (an XFA form)"))
        fields = filled = 0
        stack, seen = list(form.get("/Fields", [])), set()
        while stack:
            field = stack.pop()
            if not isinstance(field, Dictionary) or _seen_before(field, seen):
                continue
            fields += 1
            filled += "/V" in field and str(field.V) not in ("", "/Off")
            stack.extend(field.get("/Kids", []))
        if fields:
            self.refuse(FORM_FIELDS.format(filled=f" ({filled} filled in)" if filled else ""))

    def _optional_content(self, catalog) -> None:
        properties = catalog.get("/OCProperties")
        if not isinstance(properties, Dictionary):
            return
        _keep_only(properties, OPTIONAL_CONTENT_KEYS)
        for layer in properties.get("/OCGs", []):
            if isinstance(layer, Dictionary):
                _keep_only(layer, LAYER_KEYS)
        default = properties.get("/D")
        if isinstance(default, Dictionary):
            _keep_only(default, OPTIONAL_CONFIG_KEYS)
            if len(default.get("/OFF", [])) or default.get("/BaseState", Name.ON) != Name.ON:
                self.refuse(
                    "has hidden layers, which readers can show; delete or show them all and "
                    "export it again"
                )

    def _outline(self, outline) -> None:
        if not isinstance(outline, Dictionary):
            return
        _keep_only(outline, OUTLINE_KEYS)
        stack, seen = [outline.get("/First")], set()
        while stack:
            item = stack.pop()
            if not isinstance(item, Dictionary) or _seen_before(item, seen):
                continue
            _keep_only(item, OUTLINE_ITEM_KEYS)
            stack += [item.get("/Next"), item.get("/First")]

    def _pages(self, root) -> None:
        stack, seen = [root], set()
        while stack:
            node = stack.pop()
            if not isinstance(node, Dictionary) or _seen_before(node, seen):
                continue
            if "/Kids" in node:
                _keep_only(node, PAGE_TREE_KEYS)
                stack += reversed(list(node.Kids))
                continue
            _keep_only(node, PAGE_KEYS)
            contents = node.get("/Contents")
            streams = list(contents) if isinstance(contents, Array) else [contents]
            self.content_streams += [s for s in streams if isinstance(s, Stream)]
            self._annotations(node)

    def _annotations(self, page) -> None:
        annotations = page.get("/Annots")
        if annotations is None:
            return
        kept = Array()
        for annotation in annotations if isinstance(annotations, Array) else []:
            if not isinstance(annotation, Dictionary):
                continue
            subtype = str(annotation.get("/Subtype", ""))
            keep = False
            if subtype == "/Widget" and any(r.startswith("has form fields") for r in self.reasons):
                pass  # the form is refused already, with how many fields are filled in
            elif subtype in REFUSED_ANNOTATIONS:
                self.refuse(REFUSED_ANNOTATIONS[subtype])
            elif subtype == "/Link":
                _keep_only(annotation, LINK_KEYS)
                action = annotation.get("/A")
                if isinstance(action, Dictionary) and not _allowed_action(action):
                    del annotation["/A"]
                keep = "/A" in annotation or "/Dest" in annotation
            elif subtype in MARKUP:
                _keep_only(annotation, MARKUP_KEYS)
                keep = True
            elif subtype not in REMOVED_ANNOTATIONS:
                self.refuse(
                    f"has an annotation of a kind not known here ({subtype or 'none'}); "
                    "remove it and export it again"
                )
            if keep:
                annotation = (
                    annotation if annotation.is_indirect else self.pdf.make_indirect(annotation)
                )
                kept.append(annotation)
                self.kept_annotations.add(annotation.objgen)
            elif annotation.is_indirect:
                self.removed_annotations.add(annotation.objgen)
        if len(kept):
            page.Annots = kept
        else:
            del page["/Annots"]

    def _structure(self, root) -> None:
        """Keep the tags that make the document accessible, without references to what went."""
        if not isinstance(root, Dictionary):
            return
        _keep_only(root, STRUCT_ROOT_KEYS)
        stack, seen = [root], set()
        while stack:
            element = stack.pop()
            if _seen_before(element, seen):
                continue
            if element is not root:
                _keep_only(element, STRUCT_ELEMENT_KEYS)
            kids = element.get("/K")
            if isinstance(kids, Dictionary) and self._removed(kids):
                del element["/K"]
            elif isinstance(kids, Array):
                element.K = Array([kid for kid in kids if not self._removed(kid)])
            for kid in [kids] if isinstance(kids, Dictionary) else element.get("/K", []):
                if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR):
                    stack.append(kid)

    def _removed(self, kid) -> bool:
        """Whether `kid` is a structure tree's reference to an annotation that was removed."""
        if not isinstance(kid, Dictionary) or kid.get("/Type") != Name.OBJR:
            return False
        target = kid.get("/Obj")
        return target is None or target.objgen in self.removed_annotations

    def _every_object(self) -> None:
        """Apply the rules that hold wherever an object stands, to every object still used."""
        stack, seen = [self.pdf.trailer], set()
        while stack:
            container = stack.pop()
            if isinstance(container, Stream):
                self._stream(container)
            elif isinstance(container, Dictionary) and container.get("/Subtype") == Name.Type3:
                procedures = container.get("/CharProcs")
                if isinstance(procedures, Dictionary):
                    self.content_streams += [
                        s for s in procedures.values() if isinstance(s, Stream)
                    ]
            if isinstance(container, Array):
                items = list(enumerate(container))
            else:
                items = [(key, container[key]) for key in sorted(container.keys())]
            for key, child in items:
                if key in DROPPED_KEYS or not self._may_stay(child):
                    if isinstance(key, int):
                        container[key] = None
                    else:
                        del container[key]
                    continue
                if isinstance(child, Dictionary | Array | Stream):
                    if child.is_indirect:
                        if child.objgen in seen:
                            continue
                        seen.add(child.objgen)
                    stack.append(child)

    def _may_stay(self, obj) -> bool:
        if not isinstance(obj, Dictionary | Stream):
            return True
        if str(obj.get("/Type", "")) in DROPPED_TYPES or _is_file_system(obj) or _is_xmp(obj):
            return False
        if obj.get("/O") == Name.UserProperties:  # arbitrary properties an application kept
            return False
        if _is_action(obj):
            if not _allowed_action(obj):
                return False
            _keep_only(obj, ACTION_KEYS[str(obj.S)])
            return True
        if _is_annotation(obj):
            return obj.is_indirect and obj.objgen in self.kept_annotations
        return True

    def _stream(self, stream: Stream) -> None:
        for key in EXTERNAL_STREAM_KEYS & set(stream.keys()):
            del stream[key]
        subtype = stream.get("/Subtype")
        if subtype == Name.Image:
            self._image(stream)
        elif subtype == Name.Form:
            _keep_only(stream, FORM_XOBJECT_KEYS)
            self.content_streams.append(stream)
        elif subtype == Name.PS:
            self.refuse("has PostScript code in it; export it again as a plain PDF")
        elif stream.get("/PatternType") == 1:
            self.content_streams.append(stream)

    def _image(self, image: Stream) -> None:
        _keep_only(image, IMAGE_KEYS)
        filters = _filters(image)
        if "/JPXDecode" in filters:
            self.refuse(
                "has a JPEG 2000 image, whose metadata cannot be removed here; export it "
                "again with JPEG or lossless images"
            )
        elif unknown := sorted(set(filters) - LOSSLESS_FILTERS - {"/DCTDecode"}):
            self.refuse(f"has an image compressed in a way not known here ({', '.join(unknown)})")
        elif "/DCTDecode" in filters:
            if filters != ["/DCTDecode"]:
                self.refuse("has a JPEG image wrapped in another compression; export it again")
                return
            data = image.read_raw_bytes()
            try:
                clean = clean_jpeg(data)
            except JpegError as exc:
                self.refuse(f"has a JPEG image that {exc}; export it again")
                return
            if clean != data:
                image.write(clean, filter=image.Filter, decode_parms=image.get("/DecodeParms"))

    def _inline_images(self) -> None:
        """Images written into a page's drawing instructions may only be lossless ones."""
        seen = set()
        for stream in self.content_streams:
            if _seen_before(stream, seen):
                continue
            if not _INLINE_IMAGE.search(stream.read_bytes()):
                continue
            for instruction in pikepdf.parse_content_stream(stream):
                if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                    filters = set(instruction.iimage.filters)
                    if filters - LOSSLESS_FILTERS:
                        self.refuse(
                            "has a JPEG image written into a page's drawing instructions, "
                            "which cannot be cleaned here; export it again"
                        )


def _every_container(pdf: Pdf) -> Iterator[Dictionary | Array | Stream]:
    """Every dictionary, array and stream of the file, used or not, once each."""
    stack = [pdf.trailer, *pdf.objects]
    seen = set()
    while stack:
        obj = stack.pop()
        if not isinstance(obj, Dictionary | Array | Stream):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        children = obj if isinstance(obj, Array) else obj.values()
        stack += [
            child
            for child in children
            if isinstance(child, Dictionary | Array | Stream) and not child.is_indirect
        ]


def _leftovers(obj) -> list[str]:
    """What one object of a published PDF carries that publishing should have removed."""
    found = []
    children = {} if isinstance(obj, Array) else obj
    for key, what in (
        ("/Metadata", "XMP metadata"), ("/PieceInfo", "application data (/PieceInfo)"),
        ("/LastModified", "a modification date"), ("/Thumb", "a page thumbnail"),
        ("/EF", "an attachment"), ("/EmbeddedFiles", "an attachment"),
        ("/JS", "JavaScript"), ("/JavaScript", "JavaScript"), ("/AA", "actions run by events"),
    ):  # fmt: skip
        if key in children:
            found.append(what)
    if isinstance(obj, Array):
        return found
    if _is_xmp(obj):
        found.append("XMP metadata")
    if obj.get("/Type") in (Name.EmbeddedFile, Name.Filespec):
        found.append("an attachment")
    elif _is_file_system(obj):
        found.append("a file specification (/FS)")
    if isinstance(obj, Stream) and EXTERNAL_STREAM_KEYS & set(obj.keys()):
        found.append("a stream kept in a file elsewhere (/F)")
    if _is_action(obj) and not _allowed_action(obj):
        found.append(f"an action other than a link ({obj.get('/S', '/JavaScript')})")
    if _is_annotation(obj):
        if obj.get("/Subtype") == Name.FileAttachment:
            found.append("an attachment")
        for key in ("/T", "/M", "/CreationDate"):
            if key in obj:
                found.append(f"an annotation's {'author' if key == '/T' else 'date'} ({key})")
    if isinstance(obj, Stream):
        filters = _filters(obj)
        if "/JPXDecode" in filters:
            found.append("a JPEG 2000 image")
        elif "/DCTDecode" in filters:
            found += _jpeg_leftovers(obj.read_raw_bytes() if filters == ["/DCTDecode"] else b"")
        elif obj.get("/Subtype") != Name.Image:
            try:
                data = obj.read_bytes()
            except pikepdf.PdfError:
                data = obj.read_raw_bytes()
            if any(mark in data for mark in XMP_MARKS):
                found.append("XMP metadata")
    return found


def _jpeg_leftovers(data: bytes) -> list[str]:
    """The metadata segments (or trailing data) a JPEG stream still has."""
    try:
        clean = clean_jpeg(data)
    except JpegError as exc:
        return [f"a JPEG image that {exc}"]
    if clean == data:
        return []
    found, position = [], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (_START_OF_SCAN, _END):
            break
        end = position + 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in _METADATA and data[position:end] not in clean:  # dropped, or cut short
            name = "COM" if marker == _COMMENT else f"APP{marker - 0xE0}"
            found.append(f"JPEG metadata ({name})")
        position = end
    return found or ["JPEG data beyond what decoding needs"]
