"""The real site as readers get it in Chromium: phones and desktops, Korean and English, no JS."""

from itertools import pairwise

import pytest

from built import page as built_page

from .conftest import DESKTOP, PHONE

ARTICLE = "articles/families-2-the-road-out/"
OTHER = {"en": "ko", "ko": "en"}

# Each visual line of an element, as the browser laid it out: a new line starts where a
# character's box sits lower than the previous visible character's.
LINES_JS = """
(element) => {
  const lines = [];
  let line = "", lastTop = null;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const char = node.data[i];
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box || /\\s/.test(char)) { line += char; continue; }
      if (lastTop !== null && box.top > lastTop + box.height / 2) {
        lines.push(line);
        line = "";
      }
      line += char;
      lastTop = box.top;
    }
  }
  lines.push(line);
  return lines;
}
"""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_switcher_leads_to_the_translated_article(reader, site, lang):
    """Clicking the other language on an article opens the same article in that language."""
    other = OTHER[lang]
    with reader(javascript=False, viewport=PHONE) as r:
        page, _ = r.open(f"{lang}/{ARTICLE}")
        page.locator(f"nav.language-switcher a[hreflang='{other}']").click()
        page.wait_for_load_state()
        assert page.url == site.at(f"{other}/{ARTICLE}")
        assert page.locator("html").get_attribute("lang") == other
        expected = built_page(site.root, f"{other}/{ARTICLE}").xpath("//h1")[0].text_content()
        assert page.locator("h1").inner_text() == expected
        assert not r.elsewhere()


def test_every_page_reads_without_javascript(reader, site):
    """With JavaScript off (Tor Browser "Safest"), every page shows its text and a switcher."""
    problems = []
    with reader(javascript=False, viewport=PHONE) as r:
        for path in site.pages():
            page, response = r.open(path)
            if not response.ok:
                problems.append(f"{path}: HTTP {response.status}")
            if not page.locator("main").inner_text().strip():
                problems.append(f"{path}: <main> is empty")
            # The landing page is the language choice itself.
            switcher = page.locator("nav.language-switcher, .landing__choices").first
            if not switcher.is_visible():
                problems.append(f"{path}: no visible language switcher")
            elif switcher.bounding_box()["y"] > PHONE["height"] / 2:
                problems.append(f"{path}: the switcher is not near the top")
            links = switcher.locator("a[hreflang]")
            if links.count() < 1:
                problems.append(f"{path}: the switcher has no link to another language")
        assert not r.elsewhere()
    assert not problems, "\n".join(problems)


def test_no_request_leaves_the_site(reader, site):
    """Every request of every page, CSS included, goes to the site's own origin."""
    with reader(viewport=DESKTOP) as r:
        for path in site.pages():
            r.open(path)
        assert r.requests, "no request was recorded"
        assert r.elsewhere() == [], "requests to other origins"
        assert r.blocked == []


def test_no_page_scrolls_sideways_on_a_phone(reader, site):
    """At 360 px wide no page is wider than the screen, in either language."""
    too_wide = []
    with reader(viewport=PHONE) as r:
        for path in site.pages():
            page, _ = r.open(path)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                too_wide.append(f"{path}: {scroll} px wide on a {client} px screen")
    assert not too_wide, "\n".join(too_wide)


def test_korean_breaks_lines_between_words(reader, site):
    """On a phone, Korean lines end at spaces, never inside a word (word-break: keep-all)."""
    with reader(viewport=PHONE) as r:
        page, _ = r.open(f"ko/{ARTICLE}")
        broken = []
        paragraphs = page.locator(".article__body p")
        assert paragraphs.count() > 3
        for index in range(paragraphs.count()):
            lines = paragraphs.nth(index).evaluate(LINES_JS)
            for line, following in pairwise(lines):
                # Inside a word: letters or digits on both sides of the break. Breaks at
                # spaces, and before an opening bracket such as "강제북송|(북한으로의", are fine.
                if line[-1:].isalnum() and following[:1].isalnum():
                    broken.append(f"{line[-8:]!r} | {following[:8]!r}")
        assert not broken, "lines broken inside a word:\n" + "\n".join(broken)


def english_measure(line: str) -> int:
    """Characters in a line of English, spaces included, as typographers count them."""
    return len(line.strip())


def korean_measure(line: str) -> int:
    """Characters in a line of Korean, spaces left out: each Hangul syllable is a full em."""
    return sum(1 for char in line if not char.isspace())


@pytest.mark.parametrize(
    ("lang", "measure", "shortest", "longest", "leading"),
    [
        # English: 45-75 characters a line is the classic readable measure.
        ("en", english_measure, 45, 80, 1.5),
        # Korean: about 35 Hangul a line (README), and more leading than Latin text.
        ("ko", korean_measure, 25, 40, 1.7),
    ],
)
def test_articles_have_a_readable_measure_and_leading(
    reader, lang, measure, shortest, longest, leading
):
    """On a desktop, article lines keep a readable length and line height."""
    with reader(viewport=DESKTOP) as r:
        page, _ = r.open(f"{lang}/{ARTICLE}")
        body = page.locator(".article__body p").first
        size, height = body.evaluate(
            "(p) => [parseFloat(getComputedStyle(p).fontSize),"
            " parseFloat(getComputedStyle(p).lineHeight)]"
        )
        assert height / size >= leading
        full_lines = []
        paragraphs = page.locator(".article__body p")
        for index in range(paragraphs.count()):
            lines = paragraphs.nth(index).evaluate(LINES_JS)
            full_lines += [measure(line) for line in lines[:-1]]  # a last line is short
        full_lines.sort()
        median = full_lines[len(full_lines) // 2]
        assert shortest <= median <= longest, f"{median} characters a line"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_keyboard_reaches_the_skip_link_and_sees_focus(reader, lang):
    """The first Tab shows the skip link; Enter moves to the main text; focus is always visible."""
    with reader(viewport=PHONE) as r:
        page, _ = r.open(f"{lang}/{ARTICLE}")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("(a) => a === document.activeElement")
        box = skip.bounding_box()
        assert box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.goto(page.url.split("#")[0])
        for _ in range(6):
            page.keyboard.press("Tab")
            style, width, name = page.evaluate(
                "[getComputedStyle(document.activeElement).outlineStyle,"
                " parseFloat(getComputedStyle(document.activeElement).outlineWidth),"
                " document.activeElement.textContent.trim()]"
            )
            assert style != "none" and width >= 2, f"no visible focus on {name!r}"


DARK_ON_WHITE_JS = """
(selectors) => selectors.map((selector) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const element = document.querySelector(selector);
  return [selector, rgb(getComputedStyle(element).color)];
})
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_print_shows_the_article_without_navigation(reader, screenshots, lang, scheme):
    """Printed, an article is its title, byline and text in dark ink: no menus or footer."""
    with reader(viewport=DESKTOP, media="print", color_scheme=scheme) as r:
        page, _ = r.open(f"{lang}/{ARTICLE}")
        for hidden in (".site-header", ".site-footer", ".skip-link", "nav"):
            for index in range(page.locator(hidden).count()):
                assert not page.locator(hidden).nth(index).is_visible(), hidden
        for shown in ("article h1", ".byline", ".article__body"):
            assert page.locator(shown).is_visible(), shown
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(255, 255, 255)"
        # Even a reader whose screen is dark gets black and dark grey text on paper.
        for selector, rgb in page.evaluate(
            DARK_ON_WHITE_JS, ["article h1", ".byline", ".article__body p"]
        ):
            assert max(rgb) <= 0x44, f"{selector} prints in rgb{tuple(rgb)}"
        pdf = page.pdf()
        assert pdf.startswith(b"%PDF")
        if scheme == "light":
            (screenshots / f"print-{lang}-article.pdf").write_bytes(pdf)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(
    ("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)], ids=["phone", "desktop"]
)
def test_screenshots(reader, screenshots, lang, device, viewport):
    """Home and an article in each language, on a phone and a desktop, for people to look at."""
    with reader(viewport=viewport) as r:
        for name, path in (("home", f"{lang}/"), ("article", f"{lang}/{ARTICLE}")):
            page, response = r.open(path)
            assert response.ok
            page.screenshot(path=screenshots / f"{lang}-{name}-{device}.png", full_page=True)
