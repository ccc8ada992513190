"""PDFs are published written anew with only what readers need, or refused with the reason.

Every PDF here is made in the test (pikepdf, pypdf, Pillow) the way an author's software,
a careless edit or an attacker would make it, and every assertion is on returned problems
and on the bytes and objects of the published file.
"""

import io
import shutil
import zlib
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Stream, String
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject

from conftest import FIXTURE_SETTINGS, build_site
from press.build.errors import BuildError
from press.checks.output import check_leaks
from press.cli.check import main as check
from press.core.problems import Problem
from press.safety.documents import (
    DocumentRefused,
    JpegError,
    clean_jpeg,
    clean_pdf,
    document_problems,
    document_text,
    published_document_problems,
)
from press.safety.private_names import PrivateNames

REAL_NAME = b"Kim Real-Name"
# Everything the hostile PDF hides that must not be published; each is one of its places.
SECRETS = [
    REAL_NAME,  # the old revision's Author and page text, EXIF Artist, IPTC, form of a name
    b"Kim subject", b"Kim keywords", b"Kim history", b"Kim annotator", b"Kim attachment",
    b"Kim open", b"Kim page", b"Kim names", b"Kim outline", b"Kim piece", b"Kim trailer",
    b"Kim comment", b"Kim after the end", b"Kim creator", b"run.exe", b"draft.pdf", b"photo.tif",
    b"smb://kim",
    b"Kim thumbnail", b"Kim XMP", b"Kim IPTC", b"2024-05-02 09:30",
]  # fmt: skip
GPS = (37.0, 33.0, 59.4)


def photo_jpeg(size=(16, 8)) -> bytes:
    """A JPEG as a phone writes it: EXIF with artist and GPS, XMP, IPTC, a comment, and data
    after its end."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x013B] = REAL_NAME.decode()  # Artist
    exif[0x0132] = "2024-05-02 09:30"  # DateTime
    exif.get_ifd(0x8825).update({1: "N", 2: GPS, 3: "E", 4: (126.0, 58.0, 40.6)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Kim XMP</x:xmpmeta>'
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, comment=b"Kim comment", quality=95)
    data = buffer.getvalue()
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x50\x00\x08Kim IPTC"
    return segment_after_start(data, 0xED, iptc) + b"Kim after the end"


def segment_after_start(jpeg: bytes, marker: int, body: bytes) -> bytes:
    """`jpeg` with one more segment right after its start marker."""
    return jpeg[:2] + bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body + jpeg[2:]


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's segments before its first scan."""
    markers, position = [], 2
    while data[position + 1] != 0xDA:
        markers.append(data[position + 1])
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


def pixels(jpeg: bytes) -> bytes:
    """What a decoder makes of a JPEG stream."""
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.convert("RGB").tobytes()


def new_pdf(text: bytes = b"Interview by E. Dickinson") -> tuple[pikepdf.Pdf, Dictionary]:
    """A one-page PDF with `text` in a standard font; returns it and its page."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0].obj
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    page.Resources = Dictionary(Font=Dictionary(F1=font), XObject=Dictionary())
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 20 150 Td (" + text + b") Tj ET")
    return pdf, page


def add_image(pdf, page, data: bytes, name="/Im1", **fields) -> Stream:
    """Place an image stream (already encoded) on the page."""
    image = Stream(pdf, data)
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height = fields.pop("Width", 16), fields.pop("Height", 8)
    image.ColorSpace, image.BitsPerComponent = Name.DeviceRGB, 8
    for key, value in fields.items():
        image[f"/{key}"] = value
    page.Resources.XObject[name] = image
    drawing = page.Contents.read_bytes() + f" q 16 0 0 8 20 20 cm {name} Do Q".encode()
    page.Contents = pdf.make_stream(drawing)
    return image


def annotation(pdf, subtype, **fields) -> Dictionary:
    """An indirect annotation dictionary."""
    return pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=subtype, Rect=Array([10, 10, 60, 30]), **fields)
    )


def xmp_stream(pdf) -> Stream:
    """An XMP packet with an editing history that names a person."""
    packet = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"><xmpMM:History>Kim history'
        b'</xmpMM:History></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    stream = pdf.make_stream(packet)
    stream.Type, stream.Subtype = Name.Metadata, Name.XML
    return stream


def hostile_pdf(path: Path) -> Path:
    """A PDF with everything that must not be published, its last edit an incremental save.

    The first revision names the author in its properties and its page; the second, appended
    by pypdf as an editor's "save" does, sets a pseudonym and new page text, and leaves the
    first revision in the file.
    """
    pdf, page = new_pdf(b"Interview by " + REAL_NAME)
    info = pdf.docinfo
    info.Title, info.Author, info.Subject = "Report", REAL_NAME.decode(), "Kim subject"
    info.Keywords, info.Creator = "Kim keywords", "Kim creator"
    info.CreationDate = "D:20240502093000+09'00'"
    xmp = xmp_stream(pdf)
    pdf.Root.Metadata = xmp
    page.Metadata = xmp
    image = add_image(pdf, page, photo_jpeg(), Filter=Name.DCTDecode, Metadata=xmp)
    image.OPI = Dictionary(F=String("C:\\Users\\Kim\\photo.tif"))
    page.PieceInfo = Dictionary(Illustrator=Dictionary(Private=String("Kim piece")))
    pdf.Root.PieceInfo = page.PieceInfo
    page.Thumb = pdf.make_stream(b"Kim thumbnail")
    note = annotation(
        pdf, Name.Text, Contents=String("A note"), T=String("Kim annotator"),
        M=String("D:20240502093000+09'00'"), CreationDate=String("D:20240502093000+09'00'"),
    )  # fmt: skip
    popup = annotation(pdf, Name.Popup, Parent=note)
    note.Popup = popup
    embedded = pdf.make_stream(b"Kim attachment")
    embedded.Type = Name.EmbeddedFile
    filespec = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("kim.txt"), EF=Dictionary(F=embedded))
    )
    attachment = annotation(pdf, Name.FileAttachment, FS=filespec, T=String("Kim annotator"))
    links = [
        annotation(pdf, Name.Link, A=Dictionary(S=Name.URI, URI=String(uri)))
        for uri in ("https://example.org/report", "javascript:app.alert('Kim page')",
                    " https://example.org/", "smb://kim/share")
    ]  # fmt: skip
    launch = annotation(
        pdf, Name.Link, A=Dictionary(S=Name.Launch, F=String("C:\\Users\\Kim\\run.exe"))
    )
    remote = annotation(
        pdf, Name.Link, A=Dictionary(S=Name.GoToR, F=String("C:\\Users\\Kim\\draft.pdf"),
                                     D=Array([0, Name.Fit]))
    )  # fmt: skip
    inside = annotation(
        pdf, Name.Link, A=Dictionary(
            S=Name.GoTo, D=Array([page, Name.Fit]),
            Next=Dictionary(S=Name.JavaScript, JS=String("app.alert('Kim page')")),
        ),
    )  # fmt: skip
    page.Annots = Array([note, popup, attachment, *links, launch, remote, inside])
    page.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.alert('Kim page')")))
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('Kim open')"))
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('Kim names')")))
    pdf.Root.Names = Dictionary(
        EmbeddedFiles=Dictionary(Names=Array([String("kim.txt"), filespec])),
        JavaScript=Dictionary(Names=Array([String("start"), script])),
    )
    outline = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=2))
    item = pdf.make_indirect(
        Dictionary(Title=String("Contents"), Parent=outline,
                   A=Dictionary(S=Name.JavaScript, JS=String("app.alert('Kim outline')")))
    )  # fmt: skip
    # An action dressed as a structure element (which has /S and a parent /P) is still run.
    disguised = Dictionary(S=Name.Launch, P=page, F=String("C:\\Users\\Kim\\run.exe"))
    second = pdf.make_indirect(
        Dictionary(Title=String("Appendix"), Parent=outline, Prev=item, A=disguised)
    )
    item.Next = second
    outline.First, outline.Last = item, second
    pdf.Root.Outlines = outline
    # Tagged: the structure tree refers to the attachment's annotation, so a cleaner that only
    # dropped it from the page would still write it, attached file and all.
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    element = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Annot, P=root, Pg=page,
                   K=Dictionary(Type=Name.OBJR, Obj=attachment, Pg=page))
    )  # fmt: skip
    root.K = Array([element])
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String("en")
    pdf.trailer.Private = String("Kim trailer")
    first = path.with_suffix(".first.pdf")
    pdf.save(first, compress_streams=False, fix_metadata_version=False)
    writer = PdfWriter(first, incremental=True)
    writer.add_metadata({"/Author": "E. Dickinson"})
    contents = DecodedStreamObject()
    contents.set_data(b"BT /F1 12 Tf 20 150 Td (Interview by E. Dickinson) Tj ET "
                      b"q 16 0 0 8 20 20 cm /Im1 Do Q")  # fmt: skip
    writer.pages[0].replace_contents(contents)
    with path.open("wb") as fileobj:
        writer.write(fileobj)
    first.unlink()
    return path


def legitimate_pdf(path: Path) -> Path:
    """What FFHR publishes: a titled, tagged report with text, a photo, a link and an outline."""
    pdf, page = new_pdf(b"Annual report")
    pdf.docinfo.Title = "Annual report 2024"
    image = Image.new("RGB", (16, 8), (30, 120, 30))
    add_image(pdf, page, zlib.compress(image.tobytes()), Filter=Name.FlateDecode)
    page.Annots = Array(
        [annotation(pdf, Name.Link, A=Dictionary(S=Name.URI, URI=String("https://ffhr.org/")))]
    )
    outline = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    item = pdf.make_indirect(
        Dictionary(Title=String("Summary"), Parent=outline, Dest=Array([page, Name.Fit]))
    )
    outline.First = outline.Last = item
    pdf.Root.Outlines = outline
    pdf.Root.Lang = String("en")
    pdf.save(path)
    return path


def every_byte_inside(path: Path) -> bytes:
    """The file's bytes, then every string and every stream of it decoded (as qpdf --qdf
    would show them), so nothing compressed escapes a search."""
    parts = [path.read_bytes()]
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, Stream):
                try:
                    parts.append(obj.read_bytes())
                except pikepdf.PdfError:  # an image a decoder of its own would read
                    parts.append(obj.read_raw_bytes())
            parts.append(obj.unparse() if hasattr(obj, "unparse") else b"")
        parts.append(pdf.trailer.unparse())
    return b"\n".join(parts)


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The hostile PDF, made once per test."""
    return hostile_pdf(tmp_path / "hostile.pdf")


def test_the_hostile_pdf_is_a_fair_test(hostile):
    """Before publishing, the file has two revisions and every secret, and the published-PDF
    check names each kind of thing that must go: that check can fail."""
    data = every_byte_inside(hostile)
    assert hostile.read_bytes().count(b"%%EOF") == 2
    assert REAL_NAME in hostile.read_bytes()  # the first revision, in plain bytes
    assert [secret for secret in SECRETS if secret not in data] == []
    assert PdfReader(hostile).metadata["/Author"] == "E. Dickinson"  # what a viewer shows now
    assert published_document_problems(hostile) == sorted(
        [
            "2 revisions",
            "a previous revision (/Prev)",
            "document information (/Author, /CreationDate, /Creator, /Keywords, /Subject)",
            "XMP metadata",
            "JPEG metadata (APP13)",
            "JPEG metadata (APP1)",
            "JPEG metadata (COM)",
            "JavaScript",
            "an action other than a link (/JavaScript)",
            "an action other than a link (/GoToR)",
            "an action other than a link (/Launch)",
            "an action other than a link (/URI)",
            "an attachment",
            "an annotation's author (/T)",
            "an annotation's date (/M)",
            "an annotation's date (/CreationDate)",
            "application data (/PieceInfo)",
            "a page thumbnail",
            "actions run by events",
        ]
    )


def test_cleaning_removes_every_secret_and_keeps_the_page(hostile, tmp_path):
    """Nothing of the hidden list survives, in the bytes or any decoded stream; the page's
    text, the photo's pixels, the web link, the title and the language remain."""
    assert document_problems(hostile) == []  # everything in it can be removed
    published = tmp_path / "published.pdf"
    clean_pdf(hostile, published)
    data = every_byte_inside(published)
    assert [secret.decode() for secret in SECRETS if secret in data] == []
    assert published.read_bytes().count(b"%%EOF") == 1
    assert published_document_problems(published) == []
    # The page's text as stored, then as laid out (the same here), each then reversed (for
    # glyphs drawn right to left), then every string, then every name.
    text = document_text(published)
    stored, backwards, laid_out, _, *rest = text.splitlines()
    assert stored == laid_out.strip() == backwards[::-1] == "Interview by E. Dickinson"
    assert sorted(rest[:6]) == [
        "A note", "Appendix", "Contents", "Report", "en", "https://example.org/report",
    ]  # fmt: skip
    assert "D S GoTo" in rest[6:]  # the link's action, by its names
    assert [secret.decode() for secret in SECRETS if secret.decode() in text] == []
    with pikepdf.open(published) as pdf:
        assert dict(pdf.docinfo) == {"/Title": "Report"}
        assert "/Prev" not in pdf.trailer
        assert sorted(pdf.Root.keys()) == [
            "/Lang", "/MarkInfo", "/Outlines", "/Pages", "/StructTreeRoot", "/Type",
        ]  # fmt: skip
        entries = [pdf.Root.Outlines.First, pdf.Root.Outlines.Last]
        assert [(str(e.Title), "/A" in e) for e in entries] == [
            ("Contents", False), ("Appendix", False),
        ]  # fmt: skip  # their actions went, the entries stay
        assert "/K" not in pdf.Root.StructTreeRoot.K[0]  # no tag leads to the attachment
        page = pdf.pages[0]
        annotations = [(str(a.Subtype), sorted(a.keys())) for a in page.Annots]
        assert annotations == [
            ("/Text", ["/Contents", "/Rect", "/Subtype", "/Type"]),
            ("/Link", ["/A", "/Rect", "/Subtype", "/Type"]),
            ("/Link", ["/A", "/Rect", "/Subtype", "/Type"]),
        ]
        assert page.Annots[1].A.URI == "https://example.org/report"
        assert sorted(page.Annots[2].A.keys()) == ["/D", "/S"]  # its chained script went
        assert sorted(page.obj.keys()) == [
            "/Annots", "/Contents", "/MediaBox", "/Parent", "/Resources", "/Type",
        ]  # fmt: skip
        published_jpeg = page.Resources.XObject.Im1.read_raw_bytes()
    source_jpeg = photo_jpeg()
    assert pixels(published_jpeg) == pixels(source_jpeg)  # not re-encoded
    assert jpeg_markers(published_jpeg) == jpeg_markers(clean_jpeg(source_jpeg))
    assert PdfReader(published).pages[0].extract_text().strip() == "Interview by E. Dickinson"


def test_the_same_pdf_published_twice_gives_the_same_bytes(hostile, tmp_path):
    """No time, random identifier or path goes into a published PDF."""
    copy = tmp_path / "elsewhere" / "copy.pdf"
    copy.parent.mkdir()
    shutil.copyfile(hostile, copy)
    clean_pdf(hostile, tmp_path / "first.pdf")
    clean_pdf(copy, tmp_path / "second.pdf")
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()


def test_only_the_structure_of_the_trailer_is_written(tmp_path):
    """A private key in the file's trailer, which no viewer shows, is not written."""
    pdf, _ = new_pdf()
    pdf.trailer.Private = String("Kim trailer")
    pdf.trailer.Info = pdf.make_indirect(Dictionary(Author=String(REAL_NAME.decode())))
    pdf.save(tmp_path / "source.pdf")
    clean_pdf(tmp_path / "source.pdf", tmp_path / "published.pdf")
    data = every_byte_inside(tmp_path / "published.pdf")
    assert b"Kim trailer" not in data and REAL_NAME not in data
    with pikepdf.open(tmp_path / "published.pdf") as published:
        assert "/Info" not in published.trailer  # it had no title to keep


def test_a_layer_keeps_its_name_not_who_made_it_or_for_whom(tmp_path):
    """Optional content shown by default stays, without the names its /Usage records."""
    pdf, _ = new_pdf()
    usage = Dictionary(
        CreatorInfo=Dictionary(Creator=String("Kim creator"), Subtype=Name.Artwork),
        User=Dictionary(Type=Name.Ind, Name=String(REAL_NAME.decode())),
    )
    layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Map"), Usage=usage))
    pdf.Root.OCProperties = Dictionary(
        OCGs=Array([layer]), D=Dictionary(ON=Array([layer]), AS=Array())
    )
    pdf.save(tmp_path / "source.pdf")
    clean_pdf(tmp_path / "source.pdf", tmp_path / "published.pdf")
    data = every_byte_inside(tmp_path / "published.pdf")
    assert b"Kim creator" not in data and REAL_NAME not in data
    with pikepdf.open(tmp_path / "published.pdf") as published:
        properties = published.Root.OCProperties
        assert [str(layer.Name) for layer in properties.OCGs] == ["Map"]
        assert sorted(properties.D.keys()) == ["/ON"]


def test_document_text_reads_pages_and_every_string(hostile, tmp_path):
    """What a private-names check reads: page text, properties, comments, XMP and more."""
    text = document_text(hostile)
    for expected in ("Interview by E. Dickinson", "Kim subject", "Kim annotator",
                     "Kim history", "kim.txt", "C:\\Users\\Kim\\run.exe"):  # fmt: skip
        assert expected in text


def encrypted(path: Path, user: str) -> None:
    pdf, _ = new_pdf()
    pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user=user, R=6))


def filled_form(path: Path) -> None:
    pdf, page = new_pdf()
    field = annotation(pdf, Name.Widget, FT=Name.Tx, T=String("name"), V=String("Kim"), P=page)
    page.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    pdf.save(path)


def jpeg_2000(path: Path) -> None:
    pdf, page = new_pdf()
    add_image(pdf, page, b"\x00\x00\x00\x0cjP  \r\n\x87\n", Filter=Name.JPXDecode)
    pdf.save(path)


def hidden_layer(path: Path) -> None:
    pdf, _ = new_pdf()
    layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Notes")))
    pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(OFF=Array([layer])))
    pdf.save(path)


def unapplied_redaction(path: Path) -> None:
    pdf, page = new_pdf()
    page.Annots = Array([annotation(pdf, Name.Redact)])
    pdf.save(path)


def inline_jpeg(path: Path) -> None:
    pdf, page = new_pdf()
    jpeg = photo_jpeg(size=(2, 2))
    page.Contents = pdf.make_stream(
        b"q 2 0 0 2 0 0 cm BI /W 2 /H 2 /CS /RGB /BPC 8 /F /DCT ID " + jpeg + b" EI Q"
    )
    pdf.save(path)


def broken_jpeg(path: Path) -> None:
    pdf, page = new_pdf()
    jpeg = photo_jpeg()
    add_image(pdf, page, jpeg[: jpeg.rindex(b"\xff\xd9") - 4], Filter=Name.DCTDecode)
    pdf.save(path)


def damaged(path: Path) -> None:
    pdf, _ = new_pdf()
    pdf.save(path)
    path.write_bytes(path.read_bytes().replace(b"startxref", b"startxxxx"))


def unknown_annotation(path: Path) -> None:
    pdf, page = new_pdf()
    page.Annots = Array([annotation(pdf, Name.Blink)])
    pdf.save(path)


UNLOCK = "export it again without a password or security settings"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: encrypted(p, user="secret"), f"is protected by a password; {UNLOCK}"),
        (lambda p: encrypted(p, user=""), f"is encrypted (with restrictions on its use); {UNLOCK}"),
        (filled_form, "has form fields (1 filled in); print it to a new PDF (which flattens the "
                      "form) or export it without form fields"),
        (jpeg_2000, "has a JPEG 2000 image, whose metadata cannot be removed here; export it "
                    "again with JPEG or lossless images"),
        (hidden_layer, "has hidden layers, which readers can show; delete or show them all and "
                       "export it again"),
        (unapplied_redaction, "has redactions that were marked but never applied, so the text "
                              "under them is still in the file; apply the redactions (or remove "
                              "the text) and export it again"),
        (inline_jpeg, "has a JPEG image written into a page's drawing instructions, which "
                      "cannot be cleaned here; export it again"),
        (broken_jpeg, "has a JPEG image that breaks off inside its image data; export it again"),
        (unknown_annotation, "has an annotation of a kind not known here (/Blink); remove it and "
                             "export it again"),
    ],
    ids=["password", "restrictions", "filled-form", "jpeg-2000", "hidden-layer",
         "unapplied-redaction", "inline-jpeg", "broken-jpeg", "unknown-annotation"],
)  # fmt: skip
def test_what_cannot_be_cleaned_is_refused(tmp_path, make, reason):
    """Each is reported by the check with the path, and publishing it writes nothing."""
    source = tmp_path / "x.pdf"
    make(source)
    assert document_problems(source) == [Problem.at(source, None, reason)]
    with pytest.raises(DocumentRefused) as refused:
        clean_pdf(source, tmp_path / "out" / "x.pdf")
    assert refused.value.reasons == [reason]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_damaged_pdf_is_refused_not_repaired(tmp_path):
    """A repair might bring back an object its author replaced: the file is refused."""
    source = tmp_path / "x.pdf"
    damaged(source)
    [problem] = document_problems(source)
    assert problem.path == str(source) and problem.line == 0
    assert problem.message.startswith("is damaged or not a PDF (")
    assert problem.message.endswith("); export it again")
    assert str(source) not in problem.message


@pytest.fixture
def report_site(tmp_path, content):
    """Fixture content with an article linking files/report.pdf."""
    (content / "files").mkdir()
    article = content / "en" / "articles" / "english-only.md"
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write("\n[The report]({static}/files/report.pdf)\n")
    return content


def test_build_publishes_a_legitimate_pdf_that_still_opens(tmp_path, report_site):
    """Text, a photo, a web link, an outline and the title survive, and the page count."""
    source = legitimate_pdf(report_site / "files" / "report.pdf")
    output = build_site(tmp_path / "output", report_site)
    published = output / "files" / "report.pdf"
    with pikepdf.open(source) as before, pikepdf.open(published) as after:
        assert len(after.pages) == len(before.pages) == 1
        assert dict(after.docinfo) == {"/Title": "Annual report 2024"}
        assert after.Root.Lang == "en"
        assert after.Root.Outlines.First.Title == "Summary"
        assert after.pages[0].Annots[0].A.URI == "https://ffhr.org/"
        image = pikepdf.PdfImage(after.pages[0].Resources.XObject.Im1).as_pil_image()
        assert image.tobytes() == Image.new("RGB", (16, 8), (30, 120, 30)).tobytes()
    assert PdfReader(published).pages[0].extract_text().strip() == "Annual report"
    assert published_document_problems(published) == []


def test_build_publishes_the_hostile_pdf_clean(tmp_path, report_site, capsys):
    """Through the real build (check, publish, gates): the file linked from the article is
    the cleaned one."""
    hostile_pdf(report_site / "files" / "report.pdf")
    assert check(["--settings", str(FIXTURE_SETTINGS), "--content", str(report_site)]) == 0
    output = build_site(tmp_path / "output", report_site)
    data = every_byte_inside(output / "files" / "report.pdf")
    assert [secret.decode() for secret in SECRETS if secret in data] == []
    assert b"Interview by E. Dickinson" in data


def test_check_and_build_refuse_an_encrypted_pdf(tmp_path, report_site, capsys):
    """`invoke check` names the file and the reason; the build fails and leaves output/."""
    pdf = report_site / "files" / "report.pdf"
    legitimate_pdf(pdf)
    output = build_site(tmp_path / "output", report_site)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    encrypted(pdf, user="secret")
    code = check(["--settings", str(FIXTURE_SETTINGS), "--content", str(report_site)])
    reason = f"is protected by a password; {UNLOCK}"
    assert (code, capsys.readouterr().err.splitlines()[:-1]) == (1, [f"{pdf}: {reason}"])
    with pytest.raises(BuildError) as failure:
        build_site(output, report_site)
    assert failure.value.problems == [f"{pdf}: {reason}"]
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


def test_gate_rereads_published_pdfs(tmp_path, hostile):
    """If a PDF reached the output uncleaned, the output check would stop the publish."""
    staging = tmp_path / "staging"
    (staging / "files").mkdir(parents=True)
    shutil.copyfile(hostile, staging / "files" / "report.pdf")
    clean_pdf(hostile, staging / "files" / "clean.pdf")
    problems = check_leaks(staging, {"PATH": str(tmp_path / "content")})
    assert [(p.path, p.line) for p in problems] == [("output/files/report.pdf", 0)]
    left = ", ".join(published_document_problems(hostile))  # each kind: see the fair test
    assert problems[0].message == (
        f"still carries {left} after cleaning; do not publish: report this as a bug"
    )


def test_clean_jpeg_keeps_what_decodes_and_drops_the_rest():
    """EXIF (GPS), XMP, IPTC, ICC, comments, a JFIF thumbnail and trailing data go; the
    pixels stay the same, progressive or not."""
    for progressive in (False, True):
        image = Image.new("RGB", (24, 16), (10, 200, 90))
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif.get_ifd(0x8825).update({1: "N", 2: GPS})
        image.save(buffer, "JPEG", exif=exif, comment=b"Kim comment", progressive=progressive,
                   icc_profile=b"Kim ICC profile")  # fmt: skip
        data = buffer.getvalue()
        jfif = data.index(b"JFIF\0")
        # A JFIF header with a 1x1 thumbnail of 3 bytes (RGB) after it.
        thumbnailed = (
            data[:jfif - 2] + (16 + 3).to_bytes(2, "big") + data[jfif:jfif + 12] + b"\x01\x01"
            + b"Kim" + data[jfif + 14:]
        )  # fmt: skip
        source = segment_after_start(thumbnailed, 0xED, b"Photoshop 3.0\0Kim IPTC") + b"Kim"
        clean = clean_jpeg(source)
        assert pixels(clean) == pixels(source)
        assert b"Kim" not in clean and b"Exif" not in clean
        assert clean.endswith(b"\xff\xd9")
        assert set(jpeg_markers(clean)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4}
        assert clean_jpeg(clean) == clean


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a", "does not start as a JPEG image"),
        (b"\xff\xd8\xff\xdb\x00\x43", "has a segment longer than the image"),
        (b"\xff\xd8\xff\xde\x00\x02\xff\xd9", "has a segment of a kind not known here "
                                          "(marker FFDE)"),
        (b"\xff\xd8\xff\xd9", "has no image frame"),
    ],
)  # fmt: skip
def test_clean_jpeg_refuses_what_it_does_not_know(data, message):
    """A JPEG of an unknown structure is not guessed at."""
    with pytest.raises(JpegError, match=message.replace("(", r"\(").replace(")", r"\)")):
        clean_jpeg(data)


def _font(pdf) -> Dictionary:
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    return Dictionary(Font=Dictionary(F1=pdf.make_indirect(font)))


def text_in_a_pattern(pdf, page, words: bytes) -> None:
    """Words drawn only as the cell of a tiling pattern that fills a rectangle."""
    cell = pdf.make_stream(
        b"BT /F1 10 Tf 0 5 Td (" + words + b") Tj ET",
        PatternType=1, PaintType=1, TilingType=1, BBox=[0, 0, 180, 20], XStep=180, YStep=20,
        Resources=_font(pdf),
    )  # fmt: skip
    page.Resources.Pattern = Dictionary(P1=cell)
    page.Contents = pdf.make_stream(b"/Pattern cs /P1 scn 10 10 180 20 re f")


def text_in_an_appearance(pdf, page, words: bytes) -> None:
    """Words drawn only by a comment's appearance stream (with no /Subtype, as allowed)."""
    look = pdf.make_stream(
        b"BT /F1 10 Tf 2 5 Td (" + words + b") Tj ET", BBox=[0, 0, 180, 20], Resources=_font(pdf)
    )
    note = annotation(pdf, Name.FreeText, Contents=String("a note"),
                      AP=Dictionary(N=look), DA=String("/F1 10 Tf"), P=page)  # fmt: skip
    page.Annots = Array([note])


@pytest.mark.parametrize("draw", [text_in_a_pattern, text_in_an_appearance])
def test_document_text_reads_every_drawing_not_only_pages(tmp_path, draw):
    """Text a reader sees in a pattern's cell or a comment's appearance is read too."""
    pdf, page = new_pdf(b"Cover")
    draw(pdf, page, b"Told by Kwon Taeryong-su")
    pdf.save(tmp_path / "drawn.pdf")
    assert "Kwon Taeryong-su" in document_text(tmp_path / "drawn.pdf")
    clean_pdf(tmp_path / "drawn.pdf", tmp_path / "clean.pdf")
    assert "Kwon Taeryong-su" in document_text(tmp_path / "clean.pdf")


def test_a_stream_kept_in_a_file_elsewhere_is_not_published(tmp_path):
    """A stream whose data a viewer would fetch from an address (/F with /FS /URL) loses it."""
    pdf, page = new_pdf()
    far = Dictionary(FS=Name.URL, F=String("https://tracker.example.net/p.bin"))
    page.Contents = pdf.make_stream(page.Contents.read_bytes())
    page.Contents.F = far
    page.Resources.XObject.Far = pdf.make_stream(
        b"", Subtype=Name.Form, BBox=[0, 0, 1, 1], F=String("https://tracker.example.net/q")
    )
    pdf.save(tmp_path / "far.pdf")
    assert published_document_problems(tmp_path / "far.pdf") == [
        "a file specification (/FS)",
        "a stream kept in a file elsewhere (/F)",
    ]
    clean_pdf(tmp_path / "far.pdf", tmp_path / "clean.pdf")
    with pikepdf.open(tmp_path / "clean.pdf") as clean:
        assert b"Interview" in clean.pages[0].obj.Contents.read_bytes()
        assert not any("tracker.example.net" in repr(obj) for obj in clean.objects)
    assert not published_document_problems(tmp_path / "clean.pdf")


@pytest.mark.parametrize(
    "drawing",
    [
        b"/Span <</ActualText (Kwon Taeryong-su)>> BDC BT /F1 12 Tf 20 100 Td (K. T.) Tj ET EMC",
        b"/Span <</Alt (Kwon Taeryong-su)>> BDC BT /F1 12 Tf 20 100 Td (a photo) Tj ET EMC",
        # A tag, which a viewer's content pane lists.
        b"/Kwon#20Taeryong-su BMC BT /F1 12 Tf 20 100 Td (a photo) Tj ET EMC",
        # Glyphs drawn right to left: the page shows the name, the text runs backwards.
        b"BT /F1 12 Tf -14.4 Tc 120 100 Td (us-gnoyreaT nowK) Tj ET",
    ],
)
def test_document_text_reads_what_marked_content_says_and_glyphs_drawn_backwards(tmp_path, drawing):
    """ActualText and Alt, which copying and screen readers give, and text drawn backwards."""
    pdf, page = new_pdf(b"Cover")
    page.Contents = pdf.make_stream(drawing)
    pdf.save(tmp_path / "marked.pdf")
    assert "Kwon Taeryong-su" in document_text(tmp_path / "marked.pdf")


# Named destinations: a viewer lists them, and a text editor shows them.
DESTINATION_NAMES = PrivateNames.from_file_text("Kim Cholsu\n김철수\n")


def destinations_in_catalog(pdf, page, name: Name) -> None:
    """A PDF 1.1 /Dests dictionary, whose keys are names."""
    pdf.Root.Dests = Dictionary({str(name): Array([page, Name.Fit])})


def destination_of_a_goto(pdf, page, name: Name) -> None:
    """A link whose GoTo action names its destination."""
    page.Annots = Array([annotation(pdf, Name.Link, A=Dictionary(S=Name.GoTo, D=name))])


def destination_of_a_link(pdf, page, name: Name) -> None:
    page.Annots = Array([annotation(pdf, Name.Link, Dest=name)])


def destination_of_a_bookmark(pdf, page, name: Name) -> None:
    outline = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    item = pdf.make_indirect(Dictionary(Title=String("Summary"), Parent=outline, Dest=name))
    outline.First = outline.Last = item
    pdf.Root.Outlines = outline


def destinations_in_a_name_tree(pdf, page, name: Name) -> None:
    """PDF 1.2's name tree, whose keys are strings."""
    key = String(str(name)[1:])
    pdf.Root.Names = Dictionary(Dests=Dictionary(Names=Array([key, Array([page, Name.Fit])])))


DESTINATION_NAME_FORMS = [
    (Name("/KimCholsu"), b"/KimCholsu"),
    (Name("/Kim Cholsu"), b"/Kim#20Cholsu"),  # escaped, as the file has it
    (Name("/Kim#20Cholsu"), b"/Kim#2320Cholsu"),  # escaped twice: a viewer shows "#20"
    (Name("/김철수"), b"/#EA#B9#80#EC#B2#A0#EC#88#98"),  # UTF-8, escaped
]


@pytest.mark.parametrize(
    ("place", "name", "written"),
    [
        (place, name, written)
        for place in (
            destinations_in_catalog,
            destination_of_a_goto,
            destination_of_a_link,
            destination_of_a_bookmark,
        )
        for name, written in DESTINATION_NAME_FORMS
    ]
    + [
        (destinations_in_a_name_tree, Name("/Kim Cholsu"), b"(Kim Cholsu)"),
        (destinations_in_a_name_tree, Name("/김철수"), b"<feffae40cca0c218>"),
    ],
)
def test_a_name_in_a_named_destination_stops_the_build(tmp_path, place, name, written):
    """The source (check) and the published file (gate) are read for destination names."""
    pdf, page = new_pdf(b"Cover")
    place(pdf, page, name)
    pdf.save(tmp_path / "source.pdf", object_stream_mode=pikepdf.ObjectStreamMode.disable)
    assert written.lower() in (tmp_path / "source.pdf").read_bytes().lower()
    clean_pdf(tmp_path / "source.pdf", tmp_path / "clean.pdf")
    for path in (tmp_path / "source.pdf", tmp_path / "clean.pdf"):
        assert DESTINATION_NAMES.entries_in(document_text(path)), path.name


def test_a_name_that_is_not_utf_8_is_read_not_refused(tmp_path):
    """A name whose bytes are not UTF-8 (here Latin-1: "Cholsü") is read as a code page shows it."""
    pdf, page = new_pdf(b"Cover")
    destinations_in_catalog(pdf, page, Name("/KimQQQCholsQQQ"))
    pdf.save(tmp_path / "made.pdf", object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = (tmp_path / "made.pdf").read_bytes().replace(b"/KimQQQCholsQQQ", b"/Kim#20Chols#FC")
    (tmp_path / "source.pdf").write_bytes(data)  # as long as before: the offsets still hold
    clean_pdf(tmp_path / "source.pdf", tmp_path / "clean.pdf")
    for path in (tmp_path / "source.pdf", tmp_path / "clean.pdf"):
        assert DESTINATION_NAMES.entries_in(document_text(path)), path.name


def test_ordinary_destination_names_are_no_names(tmp_path):
    """A report whose destinations are named by section is published, and nothing is found."""
    pdf, page = new_pdf(b"Annual report")
    section = Name("/section1")
    destinations_in_catalog(pdf, page, section)
    destination_of_a_bookmark(pdf, page, section)
    page.Annots = Array(
        [
            annotation(pdf, Name.Link, Dest=section),
            annotation(pdf, Name.Link, A=Dictionary(S=Name.GoTo, D=Name("/section_2"))),
        ]
    )
    pdf.save(tmp_path / "report.pdf")
    clean_pdf(tmp_path / "report.pdf", tmp_path / "clean.pdf")
    text = document_text(tmp_path / "clean.pdf")
    assert "section1" in text and "section_2" in text
    assert DESTINATION_NAMES.entries_in(text) == []
    with pikepdf.open(tmp_path / "clean.pdf") as clean:
        assert clean.Root.Dests.keys() == {"/section1"}
        assert clean.pages[0].Annots[0].Dest == section
