"""Hostile titles, summaries and tags come out as text everywhere: pages, feeds, meta tags."""

import shutil

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from built import html_files, page
from conftest import FIXTURE_CONTENT, build_site

ATOM = {"a": "http://www.w3.org/2005/Atom"}
# Fragments that would inject markup or code if anything on the way forgot to escape.
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "' onmouseover='alert(1)",
    "</title><script>x()</script>",
    "&amp; &lt;b&gt;",
    "]]><!--",
    "{{ 7*7 }}",
    "탈북민 <b>증언</b>",
    "a < b > c",
]
WORDS = ["Freedom", "탈북", "border", "증언", "night"]

fragment = st.sampled_from(HOSTILE) | st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S"), exclude_characters=","),
    min_size=1,
    max_size=12,
)


@st.composite
def hostile_text(draw, allow_comma=True):
    """A line of text that starts with a word and carries hostile fragments."""
    parts = [draw(st.sampled_from(WORDS)), *draw(st.lists(fragment, min_size=1, max_size=3))]
    text = " ".join(parts)
    if not allow_comma:
        text = text.replace(",", " ")
    return " ".join(text.split())  # metadata values are single lines, stripped


def write_article(content, title, summary, tags):
    """Replace the fixture's English-only article with one carrying the given metadata."""
    (content / "en" / "articles" / "english-only.md").write_text(
        f"Title: {title}\nDate: 2024-03-05\nAuthor: FFHR Editorial Desk\nCategory: Families\n"
        f"Tags: {', '.join(tags)}\nSummary: {summary}\n\nBody text.\n",
        encoding="utf-8",
    )


def assert_no_injected_markup(tree, path):
    """No script element and no event-handler or javascript: attribute anywhere."""
    assert not tree.xpath("//script"), path
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (path, name)
            assert not value.strip().lower().startswith("javascript:"), (path, name, value)


@settings(
    max_examples=10,
    deadline=None,
    # Each example is a real build (a fraction of a second): no shrinking, which could take
    # minutes, and the same examples on every run so CI is repeatable.
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(
    title='Freedom <script>alert(1)</script> "quoted"',
    summary='"><img src=x onerror=alert(1)> javascript:alert(1)',
    tags=["<b>bold</b> & co", "javascript:alert(1)"],
)
@given(
    title=hostile_text(),
    summary=hostile_text(),
    tags=st.lists(hostile_text(allow_comma=False), min_size=1, max_size=3),
)
def test_hostile_metadata_is_escaped_everywhere(tmp_path_factory, title, summary, tags):
    """Whatever the title, summary and tags, pages and feed show them as text, never as markup."""
    # Distinct tags, each with a word; "," and ";" separate tags, so none inside one.
    tags = [" ".join(f"t{i} {tag}".replace(";", " ").split()) for i, tag in enumerate(tags)]
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    write_article(content, title, summary, tags)
    site = build_site(root / "output", content)

    for path in html_files(site):
        tree = lxml_html.fromstring(path.read_bytes())
        assert_no_injected_markup(tree, path)

    article = page(site, "en/articles/english-only/")
    assert article.xpath("//h1/text()") == [title]
    assert article.xpath("//title/text()") == [f"{title} — FFHR"]
    assert article.xpath("//meta[@name='description']/@content") == [summary]
    shown_tags = article.xpath("//footer[@class='article__footer']/p[2]/a/text()")
    assert sorted(shown_tags) == sorted(tags)
    home = page(site, "en/")
    assert title in home.xpath("//h2/a/text()")
    assert summary in [
        d.text_content() for d in home.xpath("//div[@class='article-summary__text']")
    ]

    feed = etree.parse(str(site / "en" / "feeds" / "all.atom.xml"))
    entry = feed.xpath("//a:entry[a:link/@href='http://localhost:8000/en/articles/english-only/']",
                       namespaces=ATOM)[0]  # fmt: skip
    assert entry.findtext("a:title", namespaces=ATOM) == title
    summary_html = entry.findtext("a:summary", namespaces=ATOM)
    fragment_tree = lxml_html.fragment_fromstring(summary_html, create_parent="div")
    assert len(fragment_tree) == 0  # a feed reader finds text only, no element
    assert fragment_tree.text_content() == summary
    assert sorted(entry.xpath("a:category/@term", namespaces=ATOM)) == sorted(["Families", *tags])


def test_titles_are_escaped(tmp_path, content):
    """A title with markup is shown as text: templates autoescape."""
    source = content / "en" / "articles" / "english-only.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Title: Only in English", 'Title: <script>alert("x")</script> & "quotes"'
        ),
        encoding="utf-8",
    )
    output = build_site(tmp_path / "output", content)
    html = (output / "en" / "articles" / "english-only" / "index.html").read_text("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;" in html
