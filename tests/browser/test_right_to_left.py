"""A right-to-left language in Chromium: the fixture site with Arabic added (tests/rtl_language.py)
lays out as the mirror of its English pages, and the English ones stay as they were."""

import re
import shutil

import pytest

from conftest import FIXTURE_CONTENT, build_site
from rtl_language import add_arabic

from .conftest import DESKTOP, PHONE, _open_reader, served
from .test_accessibility import violations

ARTICLE = "articles/shared-story/"

# The boxes a test compares, measured in the page: an element's border box, or for text the
# box of its characters alone (a block's box spans the whole line whichever side text starts).
BOXES_JS = """
() => {
  const box = (rect) => ({left: rect.left, right: rect.right, top: rect.top});
  const text = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return box(range.getBoundingClientRect());
  };
  const one = (selector) => document.querySelector(selector);
  const all = (selector) => [...document.querySelectorAll(selector)];
  const byline = one(".article__header .byline");
  // The words before the author's name ("By", "بقلم"): the byline's first text node.
  const lead = document.createRange();
  lead.selectNodeContents(byline.firstChild);
  return {
    width: document.documentElement.clientWidth,
    main: box(one("main").getBoundingClientRect()),
    siteName: text(one(".site-name a")),
    switcher: all(".language-switcher li").map((li) => box(li.getBoundingClientRect())),
    title: text(one(".article__header h1")),
    lead: box(lead.getBoundingClientRect()),
    author: box(one(".byline__author").getBoundingClientRect()),
    date: box(one(".byline time").getBoundingClientRect()),
  };
}
"""


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory):
    """The fixture site with Arabic added as a maintainer would, built and served."""
    folder = tmp_path_factory.mktemp("right-to-left")
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    output = build_site(folder / "output", content, **add_arabic(folder, content))
    with served(output) as serving:
        yield serving


@pytest.fixture
def open_reader(browser, arabic_site):
    """A reader of the Arabic fixture site: `with open_reader(PHONE) as r:` (JavaScript on)."""
    readers = []

    def open_one(viewport, color_scheme="light"):
        current = _open_reader(
            browser,
            arabic_site,
            javascript=True,
            viewport=viewport,
            color_scheme=color_scheme,
            media="screen",
        )
        readers.append(current)
        return current

    yield open_one
    for current in readers:
        current.context.close()


@pytest.mark.parametrize("path", [f"ar/{ARTICLE}", "ar/"])
def test_arabic_pages_run_right_to_left(open_reader, path):
    """On Arabic pages the document and its body are right to left, the English pages' left
    to right."""
    tab, response = open_reader(PHONE).open(path)
    assert response.ok
    directions = tab.evaluate(
        "[document.documentElement.dir, getComputedStyle(document.documentElement).direction,"
        " getComputedStyle(document.body).direction]"
    )
    assert directions == ["rtl", "rtl", "rtl"]
    tab.goto(tab.url.replace("/ar/", "/en/"))
    assert tab.evaluate(
        "[document.documentElement.dir, getComputedStyle(document.body).direction]"
    ) == ["ltr", "ltr"]


def test_arabic_article_is_the_mirror_of_the_english_one(open_reader):
    """Title, site name, switcher and byline start at the right on the Arabic article, and at
    the left on the English one."""
    reader = open_reader(DESKTOP)
    tab, _ = reader.open(f"ar/{ARTICLE}")
    ar = tab.evaluate(BOXES_JS)
    main = ar["main"]
    # Each line starts at the right: the title ends at the right of its column, and leaves
    # space to its left; the site's name is at the right, the switcher at the left.
    assert ar["title"]["right"] == pytest.approx(main["right"] - 20, abs=2)
    assert ar["title"]["left"] > main["left"] + 100
    assert ar["siteName"]["left"] > ar["switcher"][0]["right"]
    # The switcher's first language (English) is its rightmost one.
    lefts = [item["left"] for item in ar["switcher"]]
    assert lefts == sorted(lefts, reverse=True)
    # The byline reads "بقلم <name> · <date>" from right to left (the words before the name
    # end with the space that touches it).
    assert ar["lead"]["left"] >= ar["author"]["right"] > ar["date"]["right"]

    tab.goto(tab.url.replace("/ar/", "/en/"))
    en = tab.evaluate(BOXES_JS)
    assert en["title"]["left"] == pytest.approx(main["left"] + 20, abs=2)
    assert en["siteName"]["right"] < en["switcher"][0]["left"]
    lefts = [item["left"] for item in en["switcher"]]
    assert lefts == sorted(lefts)
    assert en["lead"]["right"] <= en["author"]["left"] < en["date"]["left"]


# Where the list's markers and the quotation's rule are: the padding that holds the markers,
# the text of each item against its box, and the width of the quotation's borders.
BODY_JS = """
() => {
  const list = document.querySelector(".article__body ul");
  const style = getComputedStyle(list);
  const items = [...list.children].map((li) => {
    const range = document.createRange();
    range.selectNodeContents(li);
    const text = range.getBoundingClientRect();
    const box = li.getBoundingClientRect();
    return {textLeft: text.left, textRight: text.right, left: box.left, right: box.right};
  });
  const listBox = list.getBoundingClientRect();
  const quote = getComputedStyle(document.querySelector(".article__body blockquote"));
  return {
    paddingLeft: parseFloat(style.paddingLeft),
    paddingRight: parseFloat(style.paddingRight),
    listLeft: listBox.left,
    listRight: listBox.right,
    items,
    quoteLeft: parseFloat(quote.borderLeftWidth),
    quoteRight: parseFloat(quote.borderRightWidth),
  };
}
"""


def test_bullets_and_quotation_rule_are_on_the_right(open_reader):
    """A list's bullets stand at the right of its items' text, and a quotation's rule at its
    right edge."""
    tab, _ = open_reader(PHONE).open(f"ar/{ARTICLE}")
    body = tab.evaluate(BODY_JS)
    # The markers sit in the list's padding on the side lines start: the right.
    assert body["paddingRight"] > 20 and body["paddingLeft"] == 0
    for item in body["items"]:
        assert item["right"] == pytest.approx(body["listRight"] - body["paddingRight"], abs=1)
        assert item["textRight"] == pytest.approx(item["right"], abs=1)
        assert item["textLeft"] > item["left"]
    marker = tab.evaluate(
        "getComputedStyle(document.querySelector('.article__body li'), '::marker').content"
    )
    assert marker != "none"
    assert (body["quoteLeft"], body["quoteRight"]) == (0, 4)


def test_latin_pseudonym_is_isolated_left_to_right(open_reader):
    """The Latin pseudonym in the Arabic byline is isolated and runs left to right; the tags
    each take their own script's direction."""
    tab, _ = open_reader(PHONE).open(f"ar/{ARTICLE}")
    author = tab.evaluate(
        """() => {
          const name = document.querySelector(".byline__author");
          const style = getComputedStyle(name);
          return [name.localName, name.lang, style.direction, style.unicodeBidi, name.textContent];
        }"""
    )
    assert author == ["bdi", "en", "ltr", "isolate", "E. Dickinson"]
    tags = tab.evaluate(
        """() => [...document.querySelectorAll(".article__footer a[href*='tags']")].map(
          (a) => [a.textContent, getComputedStyle(a).direction, getComputedStyle(a).unicodeBidi])"""
    )
    assert tags == [["الصين", "rtl", "isolate"], ["FFHR", "ltr", "isolate"]]


def test_no_arabic_page_scrolls_sideways_on_a_phone(open_reader, arabic_site):
    """At 360 px wide no Arabic page, nor the landing and status pages, is wider than the
    screen: a right-to-left page overflows to the left, where no scroll bar reaches."""
    reader = open_reader(PHONE)
    paths = [path for path in arabic_site.pages() if path.startswith("ar/")]
    assert len(paths) >= 5
    too_wide = []
    for path in [*paths, "", "status/"]:
        tab, response = reader.open(path)
        assert response.ok, path
        scroll, inner, left = tab.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth,"
            " Math.min(...[...document.body.querySelectorAll('*')]"
            ".map((e) => e.getBoundingClientRect().left))]"
        )
        if scroll > inner or left < 0:
            too_wide.append(f"{path}: {scroll} px wide, from {left} px, on a {inner} px screen")
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("path", [f"ar/{ARTICLE}", "ar/", "ar/tags/", "", "status/"])
def test_arabic_pages_have_no_wcag_violations(open_reader, axe_source, path):
    """axe-core's WCAG 2 A/AA rules pass on the Arabic pages, on a phone and a dark desktop."""
    problems = []
    for viewport, scheme in ((PHONE, "light"), (DESKTOP, "dark")):
        tab, response = open_reader(viewport, scheme).open(path)
        assert response.ok
        problems += [
            f"{viewport['width']} px, {scheme}: {violation}"
            for violation in violations(tab, axe_source)
        ]
    assert not problems, f"{path or '/'}:\n" + "\n".join(problems)


def test_screenshot_of_the_arabic_article_on_a_phone(open_reader, screenshots):
    """The Arabic article on a phone, for people to look at (test-artifacts/screenshots)."""
    tab, _ = open_reader(PHONE).open(f"ar/{ARTICLE}")
    tab.screenshot(path=screenshots / "ar-article-360.png", full_page=True)
    tab.goto(tab.url.replace("/ar/", "/en/"))
    tab.screenshot(path=screenshots / "en-article-360-beside-arabic.png", full_page=True)


# The style sheet as it was before its sides became logical ones: each logical side is the
# physical one it means in a left-to-right page.
PHYSICAL = {
    "inset-inline-start": "left",
    "border-inline-start": "border-left",
    "margin-inline-start": "margin-left",
    "padding-inline-end": "padding-right",
    "padding-inline-start": "padding-left",
    "text-align: start": "text-align: left",
    "text-align: end": "text-align: right",
}
SWAP_STYLES_JS = """
(css) => {
  document.querySelector("link[rel=stylesheet]").remove();
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
}
"""


@pytest.mark.parametrize(
    "path", ["en/articles/defectors-struggle-for-freedom/", "en/", "en/tags/", "status/"]
)
def test_english_pages_look_as_with_left_and_right(shared_reader, site, path):
    """The real site's left-to-right pages look, pixel for pixel, as they would with the
    physical sides (left, right) the logical ones replaced."""
    css = (site.root / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    physical = css
    for logical, side in PHYSICAL.items():
        physical = physical.replace(logical, side)
    assert not re.search(r"inline-(start|end)\s*:|:\s*(start|end)\b", physical)
    tab, _ = shared_reader(PHONE).open(path)
    logical_pixels = tab.screenshot(full_page=True)
    tab.evaluate(SWAP_STYLES_JS, physical)
    assert tab.screenshot(full_page=True) == logical_pixels
