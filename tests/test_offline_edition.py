"""The offline edition: a ZIP whose every link opens a file from disk, the same bytes twice."""

import subprocess
import zipfile

from built import html_files, parse
from conftest import SETTINGS
from press.build.offline import MANIFEST, TOP, build_offline


def test_offline_zip_works_from_disk(tmp_path):
    """Every link of the unpacked offline edition opens an existing .html or file; manifest ok."""
    zip_path = build_offline(SETTINGS, tmp_path / "ffhr-offline.zip")
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        zf.extractall(tmp_path / "unpacked")
    site = tmp_path / "unpacked" / TOP
    assert (site / "index.html").is_file() and (site / "README.txt").is_file()
    assert not (site / "sitemap.xml").exists() and not (site / "en" / "feeds").exists()
    subprocess.run(["sha256sum", "--check", "--quiet", MANIFEST], cwd=site, check=True)
    pages = html_files(site)
    assert len(pages) > 30
    for page in pages:
        tree = parse(page)
        assert not tree.xpath("//link[@rel='canonical']"), page
        for url in tree.xpath("//a/@href | //link/@href | //img/@src"):
            assert "://" not in url and not url.startswith("/"), (page, url)
            path = url.split("#", 1)[0]
            if path:
                target = (page.parent / path).resolve()
                assert target.is_file(), (page, url)
    again = build_offline(SETTINGS, tmp_path / "again.zip")
    assert again.read_bytes() == zip_path.read_bytes()
