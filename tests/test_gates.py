"""Publishing: each gate on a build that breaks it, deploys, rollback, offline ZIP, repeats."""

import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from built import html_files, parse
from conftest import ROOT, SETTINGS, build_site
from pelicanconf import DEPLOY
from press.build.errors import BuildError
from press.build.offline import MANIFEST, TOP, build_offline
from press.checks.gates import check_pages_match_sources, check_xml
from press.publishing.deploy import current_release, releases, rollback, to_gh_pages, to_releases
from press.publishing.reproducible import compare_trees
from press.translations.index import scan

IDENTITY = DEPLOY["IDENTITY"]


def snapshot(folder: Path) -> dict:
    """Every file of a folder with its bytes."""
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def theme(tmp_path) -> Path:
    """A writable copy of the theme, for gates that only a broken theme could trip."""
    copy = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", copy)
    return copy


def broken_build(tmp_path, **override) -> list[str]:
    """Build once successfully, then with `override`: return its problems, output untouched."""
    output = build_site(tmp_path / "output")
    before = snapshot(output)
    with pytest.raises(BuildError) as failure:
        build_site(output, **override)
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".output")) == []
    return failure.value.problems


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) in a file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_gate_other_hosts(tmp_path, theme):
    """A stylesheet, a font in CSS or an image from another host stops the publish."""
    edit(
        theme / "templates" / "base.html",
        '<link rel="stylesheet"',
        '<link rel="preconnect" href="https://fonts.example.com">\n  <link rel="stylesheet"',
    )
    # An attribute name in capitals is still the style attribute.
    edit(
        theme / "templates" / "base.html",
        '<main id="main" tabindex="-1">',
        '<main id="main" tabindex="-1" STYLE="background: url(https://img.example/bg.png)">',
    )
    css = theme / "static" / "css" / "site.css"
    css.write_text(
        "@import url(https://fonts.example.com/css?family=Noto);\n" + css.read_text("utf-8"),
        encoding="utf-8",
    )
    problems = broken_build(tmp_path, THEME=str(theme))
    elsewhere = "makes readers' browsers load it from https://fonts.example.com, not from this site"
    assert [p for p in problems if p.startswith("output/theme/")] == [
        f"output/theme/css/site.css:1: CSS 'https://fonts.example.com/css?family=Noto' {elsewhere}"
        "; serve the file from the site: an image from content/images/, linked as "
        "{static}/images/<name>, a theme's file from theme/static/"
    ]
    pages = len(html_files(tmp_path / "output")) - 1  # every page but the landing page
    preconnect = [p for p in problems if "<link href='https://fonts.example.com'>" in p]
    assert len(preconnect) == pages
    assert any(p.startswith("output/en/index.html:") for p in preconnect)
    inline = [p for p in problems if "<main style=...> is an inline style" in p]
    assert len(inline) == pages
    assert any(p.startswith("output/ko/index.html:") for p in inline)


def test_gate_broken_link_and_anchor(tmp_path, theme):
    """A link to a page or #anchor that does not exist stops the publish, with file and line."""
    edit(
        theme / "templates" / "base.html",
        '<a class="skip-link" href="#main">',
        '<a href="{{ SITEURL }}/contact/">x</a><a class="skip-link" href="#content">',
    )
    problems = broken_build(tmp_path, THEME=str(theme))
    home = [p for p in problems if p.startswith("output/en/index.html:")]
    line = next(
        n for n, text in enumerate((tmp_path / "output" / "en" / "index.html").read_text(
            "utf-8").splitlines(), 1) if "skip-link" in text
    )  # fmt: skip
    assert home == [
        f"output/en/index.html:{line}: link to './contact/' leads nowhere "
        "(output/en/contact/index.html does not exist)",
        f"output/en/index.html:{line}: link to '#content': no element with id 'content' in "
        "output/en/index.html",
    ]


def test_gate_links_between_folders(tmp_path, theme):
    """Links out of a language's folder (to the other language, the theme) are checked too."""
    edit(
        theme / "templates" / "base.html",
        '<a class="skip-link" href="#main">',
        '<a href="{{ SITEURL }}/../theme/missing.css">x</a>'
        '<a href="{{ SITEURL }}/../ko/#nowhere">y</a><a class="skip-link" href="#main">',
    )
    problems = broken_build(tmp_path, THEME=str(theme))
    home = [p.split(": ", 1)[1] for p in problems if p.startswith("output/en/index.html:")]
    assert home == [
        "link to './../theme/missing.css' leads nowhere (output/theme/missing.css does not exist)",
        "link to './../ko/#nowhere': no element with id 'nowhere' in output/ko/index.html",
    ]


def test_gate_leftover_files(tmp_path, theme):
    """A source or OS file that would be copied into the output stops the publish."""
    (theme / "static" / "notes.md").write_text("draft notes", encoding="utf-8")
    (theme / "static" / ".DS_Store").write_bytes(b"\x00")
    problems = broken_build(tmp_path, THEME=str(theme))
    kinds = (
        "must not be published: the site publishes only files of these kinds, and no hidden "
        "ones: .css, .html, .jpeg, .jpg, .pdf, .png, .txt, .webp, .xml, SHA256SUMS, _headers, "
        "_redirects (a source, catalog, editor or OS leftover?); remove what copies it"
    )
    assert problems == [f"output/theme/.DS_Store: {kinds}", f"output/theme/notes.md: {kinds}"]


def test_gate_pages_match_sources(tmp_path, fixture_site):
    """A page no published source made (a draft) and a source with no page are both named."""
    staging = tmp_path / "staging"
    shutil.copytree(fixture_site, staging)
    leaked = staging / "en" / "articles" / "unfinished" / "index.html"
    leaked.parent.mkdir()
    leaked.write_text("<html><body>draft</body></html>", encoding="utf-8")
    shutil.rmtree(staging / "ko" / "articles" / "korean-only")
    from press.core.settings import load_settings

    settings = load_settings(SETTINGS, {"PATH": str(ROOT / "tests" / "fixtures" / "content")})
    index = scan(Path(settings["PATH"]), {lang: settings for lang in settings["I18N_LANGUAGES"]})
    assert [str(p) for p in check_pages_match_sources(staging, settings, index, "output")] == [
        "output/en/articles/unfinished/index.html: no published source produced this page (a "
        "draft, an embargoed article, an unapproved translation?); it must not be published",
        "content/ko/articles/korean-only.md: is published but no page was written for it "
        "(output/ko/articles/korean-only/index.html); Pelican skipped it: see the build log",
    ]


def test_gate_xml_well_formed_and_absolute(tmp_path, fixture_site):
    """A broken feed or a relative link in the sitemap is refused."""
    staging = tmp_path / "staging"
    shutil.copytree(fixture_site, staging)
    (staging / "en" / "feeds" / "all.atom.xml").write_text("<feed><entry></feed>", "utf-8")
    sitemap = staging / "sitemap.xml"
    sitemap.write_text(
        sitemap.read_text("utf-8").replace("<loc>http://localhost:8000/</loc>", "<loc>/</loc>"),
        encoding="utf-8",
    )
    assert [str(p) for p in check_xml(staging, "output")] == [
        "output/en/feeds/all.atom.xml:1: not well-formed: mismatched tag: line 1, column 15",
        "output/sitemap.xml: <loc>/</loc> is not an absolute URL",
    ]


def test_sitemap_lists_every_page_with_hreflang(fixture_site):
    """sitemap.xml has every page once, with xhtml:link alternates for translated ones."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(fixture_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iterfind("s:url/s:loc", ns)]
    pages = [p for p in html_files(fixture_site) if p.name != "404.html"]
    assert len(locs) == len(set(locs)) == len(pages)
    entry = next(
        u
        for u in root.iterfind("s:url", ns)
        if u.findtext("s:loc", namespaces=ns).endswith("/en/articles/shared-story/")
    )
    links = {link.get("hreflang"): link.get("href") for link in entry.iterfind("x:link", ns)}
    assert links == {
        "en": "http://localhost:8000/en/articles/shared-story/",
        "ko": "http://localhost:8000/ko/articles/shared-story/",
        "x-default": "http://localhost:8000/en/articles/shared-story/",
    }
    assert "http://localhost:8000/ko/tags/%EC%A4%91%EA%B5%AD/" in locs  # Hangul percent-encoded
    assert (fixture_site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: http://localhost:8000/sitemap.xml\n"
    )
    assert "/  /ko/  302  Language=ko" in (fixture_site / "_redirects").read_text()
    assert "  X-Frame-Options: DENY" in (fixture_site / "_headers").read_text()


def test_two_builds_are_byte_identical(tmp_path, fixture_site):
    """The same sources built again give the same bytes: no time, path or user inside."""
    again = build_site(tmp_path / "again")
    assert compare_trees(fixture_site, again) == []
    (again / "en" / "index.html").write_text("changed", encoding="utf-8")
    assert [str(p) for p in compare_trees(fixture_site, again)] == [
        "output/en/index.html:1: differs between two builds of the same sources (a time, path "
        "or random value in it?); builds must be reproducible"
    ]


def git(cwd, *args) -> str:
    """Run git (with no identity of its own) and return its output."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def test_deploy_to_gh_pages_of_a_bare_repository(tmp_path, fixture_site, monkeypatch):
    """ghp-import pushes the site to gh-pages as the publishing pseudonym, with .nojekyll."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    git(project, "config", "user.name", "Kim Young-ho")  # the deployer's real identity
    git(project, "config", "user.email", "kim@example.org")
    to_gh_pages(fixture_site, project, str(remote), "gh-pages", "Publish the site", IDENTITY)
    log = git(remote, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "gh-pages").strip()
    assert log == (
        f"{IDENTITY['name']} <{IDENTITY['email']}>|{IDENTITY['name']} <{IDENTITY['email']}>|"
        "Publish the site"
    )
    listing = git(remote, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "gh-pages")
    tree = set(listing.split())
    expected = {
        p.relative_to(fixture_site).as_posix() for p in fixture_site.rglob("*") if p.is_file()
    }
    assert tree == expected | {".nojekyll"}
    assert "Kim" not in git(remote, "log", "--format=%an%ae%cn%ce", "gh-pages")


@pytest.mark.parametrize("shell_date", [None, "2024-05-02T09:30:00+09:00"])
def test_gh_pages_commits_are_dated_in_utc_and_say_nothing_of_the_machine(
    tmp_path, fixture_site, monkeypatch, shell_date
):
    """In Seoul or anywhere, every gh-pages commit is dated +0000 and holds only the pseudonym."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("TZ", "Asia/Seoul")  # the publisher's clock: +0900
    for variable in ("GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"):
        # A date a publisher's shell may carry, in local time: it must not reach the commit.
        if shell_date:
            monkeypatch.setenv(variable, shell_date)
        else:
            monkeypatch.delenv(variable, raising=False)
    before = int(time.time())
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    git(project, "config", "user.name", "Kim Young-ho")
    git(project, "config", "user.email", "kim@example.org")
    for _ in range(2):  # the first commit of the branch, then one with a parent
        to_gh_pages(fixture_site, project, str(remote), "gh-pages", "Publish the site", IDENTITY)
    commits = git(remote, "rev-list", "gh-pages").split()
    assert len(commits) == 2
    who = f"{IDENTITY['name']} <{IDENTITY['email']}>"
    for number, commit in enumerate(reversed(commits)):
        raw = git(remote, "cat-file", "-p", commit)
        header, message = raw.split("\n\n", 1)
        fields = [line.split(" ", 1) for line in header.splitlines()]
        assert [key for key, _ in fields] == ["tree"] + ["parent"] * number + [
            "author",
            "committer",
        ], raw
        values = dict(fields)
        for role in ("author", "committer"):
            name, stamp, zone = values[role].rsplit(" ", 2)
            assert name == who
            assert zone == "+0000", raw
            assert before <= int(stamp) <= time.time()  # the deploy's time, not the shell's
        assert message == "Publish the site"  # ghp-import writes it without a newline


def test_rsync_releases_and_rollback(tmp_path, fixture_site, content):
    """Each deploy is a new release; current switches atomically; rollback goes back."""
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed (Debian: apt-get install rsync)")
    target = tmp_path / "www"
    first = to_releases(fixture_site, target, keep=2)
    assert current_release(target) == first
    assert (target / "current" / "en" / "index.html").is_file()
    edit(content / "en" / "articles" / "english-only.md", "Only English readers", "Only readers")
    second_site = build_site(tmp_path / "second", content)
    second = to_releases(second_site, target, keep=2)
    assert releases(target) == [first, second]
    page = target / "current" / "en" / "articles" / "english-only" / "index.html"
    assert "Only readers" in page.read_text("utf-8")
    # Unchanged files are hard links to the previous release: no copy, no extra space.
    css = "theme/css/site.css"
    assert (target / "releases" / first / css).stat().st_ino == (
        target / "releases" / second / css
    ).stat().st_ino
    assert rollback(target) == first
    assert "Only English readers" in page.read_text("utf-8")
    third = to_releases(second_site, target, keep=2)
    assert releases(target) == [second, third] and current_release(target) == third


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


def test_github_workflow_tests_then_publishes_to_pages():
    """The workflow runs .ci/run on every push and PR and deploys main with GitHub's actions."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    # Embargoes end without a push: a daily build just after midnight in Seoul.
    assert triggers["schedule"] == [{"cron": "7 15 * * *"}]
    jobs = workflow["jobs"]
    assert [s.get("run") for s in jobs["test"]["steps"] if "run" in s] == ["bash .ci/run"]
    publish = jobs["publish"]
    assert publish["needs"] == "test"
    assert publish["if"] == (
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    )
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    runs = [s.get("run") for s in publish["steps"] if "run" in s]
    assert runs == ["make publish"]
    upload = next(s for s in publish["steps"] if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))  # fmt: skip
    assert upload["with"]["path"] == "output"
    used = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert all(u.startswith("actions/") and "@v" in u for u in used), used
    assert "actions/deploy-pages@v4" in used
    assert (ROOT / ".ci" / "run").is_file() and "make test" in (ROOT / ".ci" / "run").read_text()
