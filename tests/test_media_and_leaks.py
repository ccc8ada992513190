"""Published images carry no metadata and no build-machine path leaks (PDFs: test_documents)."""

import shutil
import struct
from pathlib import Path

import pytest
from PIL import Image

from built import file_for, page, resolve
from conftest import CACHE_SUFFIX, ROOT, build_site
from press.build.errors import BuildError
from press.checks.output import check_leaks
from press.safety.media import image_metadata, scrub_image

RED, BLUE = (220, 30, 30), (30, 30, 220)
ORIENTATION, ARTIST, SERIAL, GPS = 0x0112, 0x013B, 0xA431, 0x8825


def camera_photo(path: Path) -> None:
    """A JPEG as a phone writes it: stored sideways with an Orientation tag, GPS, serial, artist."""
    image = Image.new("RGB", (40, 20), BLUE)
    image.paste(RED, (0, 0, 20, 20))  # left half red as stored
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # "rotate 90° clockwise to display": red ends up on top
    exif[ARTIST] = "Kim Young-ho"
    exif[0xA430] = "Kim Young-ho"  # CameraOwnerName
    exif.get_ifd(0x8769)[SERIAL] = "SN-4410-2231"
    exif.get_ifd(GPS).update({1: "N", 2: (37.0, 33.0, 59.4), 3: "E", 4: (126.0, 58.0, 40.6)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Kim Young-ho</dc:creator></x:xmpmeta>'
    image.save(path, "JPEG", exif=exif, xmp=xmp, comment=b"taken at the safe house")


@pytest.fixture
def photo_site(tmp_path, content):
    """The fixture site with a phone photo in content/images/ shown in an article."""
    (content / "images").mkdir()
    camera_photo(content / "images" / "photo.jpg")
    article = content / "en" / "articles" / "english-only.md"
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write("\n![A red and blue test card]({static}/images/photo.jpg)\n")
    return build_site(tmp_path / "output", content)


def test_the_source_photo_really_carries_metadata(tmp_path):
    """The fixture is a fair test: before cleaning it has EXIF with GPS, XMP and a comment."""
    camera_photo(tmp_path / "photo.jpg")
    assert image_metadata(tmp_path / "photo.jpg") == ["EXIF with GPS position", "XMP", "comment"]
    with Image.open(tmp_path / "photo.jpg") as image:
        exif = image.getexif()
        assert exif[ARTIST] == "Kim Young-ho"
        assert exif.get_ifd(0x8769)[SERIAL] == "SN-4410-2231"


def test_published_photo_has_no_metadata_and_stands_upright(photo_site):
    """The published JPEG has no EXIF, GPS, serial, artist, XMP or comment, and red is on top."""
    published = photo_site / "images" / "photo.jpg"
    assert image_metadata(published) == []
    data = published.read_bytes()
    for secret in (b"Kim Young-ho", b"SN-4410-2231", b"safe house", b"Exif", b"xmpmeta"):
        assert secret not in data
    with Image.open(published) as image:
        assert image.format == "JPEG"
        assert image.size == (20, 40)  # turned upright
        top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert all(abs(a - b) < 40 for a, b in zip(top, RED, strict=True)), top
    assert all(abs(a - b) < 40 for a, b in zip(bottom, BLUE, strict=True)), bottom


def test_a_photo_with_malformed_exif_is_published_upright_and_clean(tmp_path):
    """EXIF Pillow cannot write back (BitsPerSample as text) still turns the photo upright."""
    image = Image.new("RGB", (40, 20), BLUE)
    image.paste(RED, (0, 0, 20, 20))
    # One IFD, big-endian: BitsPerSample (0x0102) as ASCII "Cam", then Orientation 6.
    ifd = struct.pack(">H", 2) + struct.pack(">HHI4s", 0x0102, 2, 4, b"Cam\0")
    ifd += struct.pack(">HHIHH", ORIENTATION, 3, 1, 6, 0) + struct.pack(">I", 0)
    image.save(tmp_path / "odd.jpg", "JPEG", exif=b"Exif\0\0MM\0\x2a" + struct.pack(">I", 8) + ifd)
    assert image_metadata(tmp_path / "odd.jpg") == ["EXIF"]
    scrub_image(tmp_path / "odd.jpg", tmp_path / "published.jpg", 10**6)
    assert image_metadata(tmp_path / "published.jpg") == []
    with Image.open(tmp_path / "published.jpg") as published:
        assert published.size == (20, 40)
        top = published.getpixel((10, 5))
    assert all(abs(a - b) < 40 for a, b in zip(top, RED, strict=True)), top


def test_article_links_the_one_shared_copy(photo_site):
    """The image is published once at /images/ and the article's img resolves to it."""
    article_file = file_for(photo_site, "en/articles/english-only/")
    src = page(photo_site, "en/articles/english-only/").xpath("//article//img/@src")[0]
    assert resolve(photo_site, article_file, src) == photo_site / "images" / "photo.jpg"
    assert sorted(p.name for p in photo_site.rglob("*.jpg")) == ["photo.jpg"]


def test_gate_rereads_images_and_refuses_metadata(tmp_path):
    """If an image reached the output uncleaned, the output check would stop the publish."""
    staging = tmp_path / "staging"
    (staging / "images").mkdir(parents=True)
    camera_photo(staging / "images" / "photo.jpg")
    settings = {"PATH": str(tmp_path / "content")}
    assert [str(p) for p in check_leaks(staging, settings)] == [
        "output/images/photo.jpg: still carries EXIF with GPS position, XMP, comment after "
        "cleaning; do not publish: report this as a bug"
    ]


def test_build_machine_paths_never_reach_the_output(tmp_path, content):
    """A page that would show this machine's home folder fails the build; output/ is untouched."""
    output = build_site(tmp_path / "output", content)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    article = content / "en" / "articles" / "english-only.md"
    home = str(Path.home())
    with article.open("a", encoding="utf-8") as fileobj:
        fileobj.write(f"\nThe draft is in {home}/Documents/draft.md on my laptop.\n")
    with pytest.raises(BuildError) as failure:
        build_site(output, content)
    html = "output/en/articles/english-only/index.html"
    leaks = [p for p in failure.value.problems if p.startswith(html)]
    assert len(leaks) == 1
    assert f"contains this machine's home folder ({home}); something wrote an absolute" in leaks[0]
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


def test_failed_build_leaves_nothing_half_built(tmp_path):
    """A run that fails while rendering (after other pages were written) leaves no output."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text(encoding="utf-8").replace("{{ article.title }}</h1>", "{{ nope }}</h1>"),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", THEME=str(theme))
    assert any("'nope' is undefined" in problem for problem in failure.value.problems)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(CACHE_SUFFIX)) == [
        "theme"
    ]
