"""The offline edition: a ZIP whose every link opens a file from disk, the same bytes twice."""

import subprocess
import zipfile

from built import html_files, parse
from conftest import SETTINGS
from press.build.offline import MANIFEST, TOP, build_offline, check_offline


def test_only_links_may_leave_the_edition(tmp_path):
    """A link to another site stays (an article's source); a resource from elsewhere, a link
    from the root or scheme-relative, and one to a missing file are each refused."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "index.html").write_text(
        '<!doctype html><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<p><a href="https://www.example.org/report">a source</a>'
        '<a href="http://example.net/old">an older one</a>'
        '<a href="//evil.example/x">scheme-relative</a>'
        '<a href="/en/about/">from the root</a>'
        '<a href="missing.html">gone</a>'
        '<img src="https://tracker.example/p.png" alt=""></p>',
        encoding="utf-8",
    )
    refused = {problem.message.split("'")[1] for problem in check_offline(tmp_path)}
    assert refused == {
        "https://cdn.example/x.css",
        "//evil.example/x",
        "/en/about/",
        "missing.html",
        "https://tracker.example/p.png",
    }


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
        for url in tree.xpath("//link/@href | //img/@src"):
            assert "://" not in url and not url.startswith("/"), (page, url)
        for url in tree.xpath("//a/@href | //link/@href | //img/@src"):
            assert not url.startswith("/"), (page, url)
            if url.startswith(("https://", "http://")):
                continue  # a source on another site, as online
            assert "://" not in url, (page, url)
            path = url.split("#", 1)[0]
            if path:
                target = (page.parent / path).resolve()
                assert target.is_file(), (page, url)
    again = build_offline(SETTINGS, tmp_path / "again.zip")
    assert again.read_bytes() == zip_path.read_bytes()
