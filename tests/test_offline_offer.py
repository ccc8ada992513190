"""`make publish` offers the offline edition: the ZIP built first, published in the site, and
its size and SHA-256 (of those very bytes) on the chosen page of every language."""

import hashlib
import io
import zipfile

import pytest
from babel.messages.pofile import read_po

from built import file_for, parse, resolve
from conftest import ROOT
from offline_offer_site import publish_offering_the_offline_edition
from press.safety.headers import meta_policy
from press.safety.published import Site, problems
from press.safety.urls import site_base

KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The fixture site published, its About page offering the offline edition."""
    return publish_offering_the_offline_edition(tmp_path_factory.mktemp("publish"))


def test_the_zip_is_published_and_is_the_offline_edition(published):
    """output/offline/ffhr-offline.zip is the whole site for file://, with its manifest."""
    data = (published / "offline" / "ffhr-offline.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert "ffhr-offline/index.html" in names
    assert "ffhr-offline/SHA256SUMS" in names
    assert "ffhr-offline/en/about/index.html" in names


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_page_offers_it_with_its_true_size_and_digest(published, lang):
    """Each language's page links the published ZIP and gives the SHA-256 of its bytes, with
    the commands to check it, in the page's language."""
    zip_file = published / "offline" / "ffhr-offline.zip"
    digest = hashlib.sha256(zip_file.read_bytes()).hexdigest()
    page = file_for(published, f"{lang}/about/")
    tree = parse(page)
    (section,) = tree.xpath("//section[contains(@class, 'offline-edition')]")
    links = [resolve(published, page, href) for href in section.xpath(".//a/@href")]
    assert zip_file in links
    assert section.xpath("string(.//code[contains(@class, 'sha256')])") == digest
    assert "sha256sum ffhr-offline.zip" in section.text_content()
    if lang == "ko":
        with KO_PO.open("rb") as fileobj:
            heading = read_po(fileobj)["Read offline"].string
        assert section.xpath("string(h2)").strip() == heading
    # Only the chosen page offers it.
    assert not parse(file_for(published, f"{lang}/")).xpath("//*[contains(@class, 'offline')]")


def zipped(members: dict[str, bytes]) -> bytes:
    """A ZIP holding `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SITE = Site(site_base("http://localhost:8000"), meta_policy("default-src 'none'"))


def test_the_gate_judges_every_file_inside_the_zip():
    """A ZIP of another shape, a file that leaves its folder, a kind the site never publishes,
    a ZIP inside or something not a ZIP at all is refused."""
    assert problems("offline/x.zip", zipped({"top/notes.txt": b"plain"}), SITE) == []
    for members in (
        {"top/../evil.txt": b"x"},
        {"top/run.js": b"alert(1)"},
        {"top/inner.zip": zipped({"a/b.txt": b"x"})},
        {"top/feed.xml": b"<?xml version='1.0'?><!DOCTYPE x><x/>"},
    ):
        assert problems("offline/x.zip", zipped(members), SITE), members
    assert problems("offline/x.zip", b"not a zip", SITE)
