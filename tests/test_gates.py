"""Gates: each check of a finished build, on a build that breaks it; the output stays as it was."""

import shutil
from pathlib import Path

import pytest

from built import html_files
from conftest import FIXTURE_SETTINGS, ROOT, build_site, edit, snapshot
from press.build.errors import BuildError
from press.checks.gates import check_pages_match_sources, check_xml
from press.core.settings import load_settings
from press.translations.index import scan


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
    # Every page of base.html: all but the root's own, the landing and status pages.
    pages = len(html_files(tmp_path / "output")) - 2
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
        "ones: .css, .html, .jpeg, .jpg, .minisig, .pdf, .png, .txt, .webp, .xml, .xsl, .zip, "
        "SHA256SUMS, "
        "_headers, _redirects (a source, catalog, editor or OS leftover?); remove what copies it"
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
    settings = load_settings(
        FIXTURE_SETTINGS, {"PATH": str(ROOT / "tests" / "fixtures" / "content")}
    )
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


def test_the_built_folder_is_readable_by_a_web_server(tmp_path):
    """output/ itself, like every folder in it, is 755: a server running as another user reads
    it (its staging folder was made for its owner alone)."""
    output = build_site(tmp_path / "output")
    folders = [output, *(path for path in output.rglob("*") if path.is_dir())]
    assert {oct(folder.stat().st_mode & 0o777) for folder in folders} == {oct(0o755)}


def test_a_template_error_is_told_at_its_template_and_line(tmp_path, theme):
    """A variable no setting defines stops the build, told at the template's line that
    reads it, in each language's run, with Jinja's own words."""
    base = theme / "templates" / "base.html"
    edit(base, "</footer>", "<p>{{ SITE_FONT_URL }}</p></footer>")
    line = next(n for n, text in enumerate(base.read_text("utf-8").splitlines(), 1)
                if "SITE_FONT_URL" in text)  # fmt: skip
    problems = broken_build(tmp_path, THEME=str(theme))
    told = f"{base}:{line}: [{{}}] UndefinedError: 'SITE_FONT_URL' is undefined"
    assert sorted(problems) == [told.format("en"), told.format("ko")]
