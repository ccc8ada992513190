"""The feeds' XSLT style sheets: one per language, translated, named by its feed; the gate
allows a feed only its own site's style sheet, and a style sheet only what shows a feed."""

import shutil

import pytest
from lxml import etree
from pelican.settings import get_settings_from_file

from conftest import FIXTURE_SETTINGS, ROOT, build_site
from press.build.errors import BuildError
from press.safety.headers import meta_policy
from press.safety.published import Site, problems
from press.safety.urls import site_base

ORIGIN = "http://localhost:8000"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
POLICY = get_settings_from_file(str(FIXTURE_SETTINGS))["CONTENT_SECURITY_POLICY"]
SITE = Site(site_base(ORIGIN), meta_policy(POLICY))


def styled_by(feed_file) -> str:
    """The address of the style sheet a feed names in its <?xml-stylesheet?>."""
    tree = etree.parse(str(feed_file))
    (instruction,) = [node for node in tree.getroot().itersiblings(preceding=True)]
    assert instruction.target == "xml-stylesheet"
    assert instruction.get("type") == "text/xsl"
    return instruction.get("href")


def test_each_language_feed_names_its_own_style_sheet(fixture_site):
    """Each feed's style sheet is a file of the site, written for its language, and shows the
    feed as a page in that language with the catalog's words."""
    texts = {}
    for lang in ("en", "ko"):
        feed = fixture_site / lang / "feeds" / "all.atom.xml"
        xsl = (feed.parent / styled_by(feed)).resolve()
        assert xsl.is_file() and xsl.is_relative_to(fixture_site.resolve())
        tree = etree.parse(str(xsl))
        assert tree.getroot().tag == f"{XSL}stylesheet"
        (html,) = tree.iter("html")
        assert html.get("lang") == lang
        texts[lang] = " ".join(tree.getroot().itertext())
        (css,) = tree.iter("link")
        assert (feed.parent / css.get("href")).resolve().is_file()
    assert texts["en"] != texts["ko"]


def test_pages_keep_no_script_while_the_header_allows_the_feeds_style_sheet(fixture_site):
    """The pages' <meta> policy has no script-src: default-src 'none' forbids them scripts."""
    assert "script-src 'self'" in POLICY and "script-src" not in meta_policy(POLICY)
    page = etree.HTML((fixture_site / "en" / "index.html").read_bytes())
    (policy,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "script-src" not in policy and "default-src 'none'" in policy


FEED = (
    '<?xml version="1.0" encoding="utf-8"?>\n{instruction}<feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>T</title></feed>"
)


@pytest.mark.parametrize(
    ("instruction", "refused"),
    [
        ('<?xml-stylesheet type="text/xsl" href="../../theme/feed-en.xsl"?>', False),
        ('<?xml-stylesheet type="text/xsl" href="https://elsewhere.example/f.xsl"?>', True),
        ('<?xml-stylesheet type="text/css" href="../../theme/css/site.css"?>', True),
        ("<?other data?>", True),
    ],
)
def test_a_feed_may_name_only_a_style_sheet_of_the_site(instruction, refused):
    """An <?xml-stylesheet?> of type text/xsl, leading to an .xsl of the site, and nothing else."""
    data = FEED.format(instruction=instruction).encode()
    assert bool(problems("en/feeds/all.atom.xml", data, SITE)) == refused


def test_the_sitemap_names_no_style_sheet():
    """Only feeds are shown as pages."""
    data = (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<?xml-stylesheet type="text/xsl" href="theme/feed-en.xsl"?>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    )
    assert problems("sitemap.xml", data, SITE)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            '<xsl:output method="html"',
            '<xsl:import href="https://elsewhere.example/x.xsl"/><xsl:output method="html"',
        ),
        ('select="atom:title"', "select=\"document('https://elsewhere.example/x.xml')\""),
        ('href="../../theme/css/site.css"', 'href="https://elsewhere.example/site.css"'),
        ("<main", '<script src="../../x.js"/><main'),
        ('<main id="main"', '<main onload="alert(1)" id="main"'),
        (
            '<?xml version="1.0" encoding="utf-8"?>',
            '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE x>',
        ),
    ],
)
def test_a_style_sheet_that_loads_or_runs_anything_else_is_refused(fixture_site, old, new):
    """Another document, another host, a script, a handler or a DOCTYPE: each is refused."""
    xsl = (fixture_site / "theme" / "feed-en.xsl").read_text("utf-8")
    assert problems("theme/feed-en.xsl", xsl.encode(), SITE) == []
    assert old in xsl
    assert problems("theme/feed-en.xsl", xsl.replace(old, new, 1).encode(), SITE)


def test_a_broken_theme_style_sheet_stops_the_build(tmp_path):
    """The gate runs on the build's own output: a theme whose feed page loads another host's
    style sheet is not published."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    xsl = theme / "templates" / "feed.xsl"
    xsl.write_text(
        xsl.read_text("utf-8").replace(
            'href="{{ CSS }}"', 'href="https://elsewhere.example/a.css"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", THEME=str(theme))
    assert any("feed-en.xsl" in str(problem) for problem in failure.value.problems)
