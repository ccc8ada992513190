"""Page weight: each page's HTML plus the same-origin files it loads, against a budget."""

from pathlib import Path

import pytest

from conftest import ROOT
from press.checks.weight import DEFAULT_BUDGET, format_table, over_budget, page_weights
from press.cli.weight import main

REPORT = ROOT / "test-artifacts" / "page-weight.txt"


def write(site: Path, path: str, data: str | bytes) -> None:
    """Write one file of a fake built site."""
    file = site / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    file.write_bytes(data)


@pytest.fixture
def site(tmp_path) -> Path:
    """A tiny built site: two pages sharing a stylesheet that imports another and an image."""
    site = tmp_path / "site"
    write(site, "theme/css/site.css", '@import "print.css";\nbody { background: url(../bg.png) }')
    write(site, "theme/css/print.css", "p { color: black }")
    write(site, "theme/bg.png", b"x" * 100)
    write(site, "images/photo.jpg", b"y" * 1000)
    write(site, "images/photo-2x.jpg", b"z" * 2000)
    write(
        site,
        "en/articles/a/index.html",
        '<link rel="stylesheet" href="../../../theme/css/site.css">'
        '<link rel="alternate" type="application/atom+xml" href="../../feeds/all.atom.xml">'
        '<link rel="canonical" href="https://ffhr.example.org/en/articles/a/">'
        '<img src="/images/photo.jpg" srcset="/images/photo.jpg 1x, /images/photo-2x.jpg 2x">'
        '<img src="https://elsewhere.example.com/tracker.gif">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<img src="../../../images/photo.jpg" alt="the same photo again">'
        '<img src="../../../images/gone.jpg">'
        '<a href="../b/">another page: followed by readers, not loaded</a>',
    )
    # A page served at any address finds its files through <base href>.
    write(
        site,
        "en/404.html",
        '<base href="/en/"><link rel="stylesheet" href="../theme/css/site.css">',
    )
    return site


def test_a_page_weighs_its_html_and_what_it_loads(site):
    """Stylesheets, what they import and url(), images and srcset count once each; links do not."""
    weights = {weight.page: weight for weight in page_weights(site)}
    article = weights["en/articles/a/index.html"]
    assert article.html == (site / article.page).stat().st_size
    assert article.assets == {
        "images/photo-2x.jpg": 2000,
        "images/photo.jpg": 1000,
        "theme/bg.png": 100,
        "theme/css/print.css": (site / "theme/css/print.css").stat().st_size,
        "theme/css/site.css": (site / "theme/css/site.css").stat().st_size,
    }
    assert article.missing == ("images/gone.jpg",)
    assert article.total == article.html + sum(article.assets.values())


def test_base_href_is_followed(site):
    """The 404 page's relative stylesheet resolves against its <base href>."""
    weights = {weight.page: weight for weight in page_weights(site)}
    assert set(weights["en/404.html"].assets) == {
        "theme/css/site.css",
        "theme/css/print.css",
        "theme/bg.png",
    }


def test_style_sheets_are_read_as_browsers_read_them(site):
    """What CSS loads is read by its tokenizer, as the last gate reads it: an escape is part
    of the address, a comment or a string loads nothing, url("...") and src("...") load."""
    write(site, "theme/a).png", b"a" * 10)
    write(site, "theme/b.png", b"b" * 20)
    write(site, "theme/c.png", b"c" * 40)
    write(
        site,
        "theme/css/odd.css",
        '/* url(../gone.png) */ p::before { content: "url(../gone-too.png)" }\n'
        'a { background: url(../a\\).png) } b { background: URL("../b.png") }',
    )
    write(
        site,
        "en/odd.html",
        '<link rel="stylesheet" href="../theme/css/odd.css">'
        '<p style="background: src(&quot;../theme/c.png&quot;)">',
    )
    (weight,) = [w for w in page_weights(site) if w.page == "en/odd.html"]
    assert set(weight.assets) == {
        "theme/css/odd.css",
        "theme/a).png",
        "theme/b.png",
        "theme/c.png",
    }
    assert weight.missing == ()


def test_absolute_urls_count_only_on_the_sites_own_address(site):
    """With the public address given, absolute links to it count; other hosts never do."""
    write(
        site,
        "en/abs.html",
        '<link rel="stylesheet" href="https://ffhr.example.org/theme/css/print.css">',
    )
    (weight,) = [w for w in page_weights(site) if w.page == "en/abs.html"]
    assert weight.assets == {}
    (weight,) = [
        w for w in page_weights(site, "https://ffhr.example.org") if w.page == "en/abs.html"
    ]
    assert set(weight.assets) == {"theme/css/print.css"}


def test_budget_table_and_exit_code(site, capsys):
    """Over budget: marked in the table, listed by over_budget, and exit code 1."""
    weights = page_weights(site)
    heavy = [weight.page for weight in over_budget(weights, 1000)]
    assert heavy == ["en/articles/a/index.html"]
    table = format_table(weights, 1000)
    assert "OVER BUDGET" in table
    assert "missing: images/gone.jpg" in table
    assert main([str(site), "--budget", "1000"]) == 1
    assert main([str(site), "--budget", "100000"]) == 0
    assert "all within" in capsys.readouterr().out


def test_real_site_is_within_budget(real_site, capsys):
    """Every page of the real site, articles included, is within the budget with its CSS."""
    assert DEFAULT_BUDGET == 60 * 1024  # an article page with its CSS, before compression
    weights = page_weights(real_site)
    assert not over_budget(weights), format_table(weights)
    assert all(not weight.missing for weight in weights), format_table(weights)
    articles = [weight for weight in weights if "/articles/" in weight.page]
    assert len(articles) == len(list(real_site.glob("*/articles/*/index.html"))) >= 1
    for article in articles:
        assert "theme/css/site.css" in article.assets
    assert main([str(real_site)]) == 0
    report = capsys.readouterr().out
    for article in articles:
        assert f"{article.total:>8,}" in report and article.page in report
    # Kept for people: the end of `make test` names this file.
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
