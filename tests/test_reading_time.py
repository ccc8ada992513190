"""Reading time: counted by words in English and by characters in Korean, shown in the byline."""

import re

import pytest
from lxml.html import tostring

from built import page, parse, resolve
from conftest import FIXTURE_SETTINGS, ROOT, build_site, fixture_languages
from languages import add_language
from pelicanconf import READING_TIME
from press.build.errors import BuildError
from press.checks.content import check_site
from press.core.settings import load_settings
from press.rendering.reading_time import (
    body_text,
    count_characters,
    count_words,
    rate_for,
    reading_minutes,
)
from site_invariants import versions

FIXTURE_READING_TIME = fixture_languages()["READING_TIME"]


def test_body_text_strips_tags_and_keeps_blocks_apart():
    """Tags go, entities are decoded, blocks separate words, inline tags do not split them."""
    html = "<h2>Title</h2><p>one <em>two</em>&amp;<br>three</p><p>f<b>ou</b>r</p><li>five</li>"
    assert body_text(html).split() == ["Title", "one", "two&", "three", "four", "five"]


def test_body_text_skips_scripts_and_styles():
    """Text nobody reads (script, style) is not counted."""
    html = "<p>read</p><style>p { color: red }</style><script>x = 1</script>"
    assert body_text(html).split() == ["read"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("one", 1),
        ("  one\ttwo\nthree  ", 3),
        ("well-known don't", 2),  # hyphenated and elided words are one word each
        ("a — b", 2),  # a dash alone is not a word
        ("In 2024, 3 families left.", 5),
        ('"Quoted," (aside) -- _ __init__ ... x_', 4),  # punctuation around a word is part of it
    ],
)
def test_count_words(text, words):
    """English is counted in space-separated words that contain a letter or digit."""
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("text", "characters"),
    [
        ("", 0),
        ("가족", 2),
        ("가족들이 함께 떠났습니다.", 11),  # spaces and the full stop do not count
        ("「탈북」, 2024년!", 7),  # brackets and punctuation do not; digits do
        ("FFHR의 글", 6),  # Latin letters in Korean text count one each
        ("\u1100\u1161\u11a8", 1),  # 각 typed as conjoining jamo is one syllable
    ],
)
def test_count_characters(text, characters):
    """Korean is counted in letters and digits: Hangul syllables, not space-separated units."""
    assert count_characters(text) == characters


def test_korean_is_not_counted_by_spaces():
    """One eojeol can be many syllables: a Korean text is longer than its space count says."""
    text = "정치범수용소에서살아남은사람들의증언입니다"  # no spaces at all
    assert count_words(text) == 1
    assert count_characters(text) == len(text)


def test_reading_minutes_rounds_up_and_counts_only_the_body():
    """238 words take one minute, 239 take two; markup adds nothing; no text is 0 minutes."""
    assert reading_minutes("<p>" + "word " * 238 + "</p>", "words", 238) == 1
    assert reading_minutes("<p>" + "word " * 239 + "</p>", "words", 238) == 2
    assert reading_minutes('<p><a href="https://example.org/a/b/c">x</a></p>', "words", 238) == 1
    assert reading_minutes("<p>가" + "나" * 999 + "</p>", "characters", 500) == 2
    assert reading_minutes("<p> </p>", "characters", 500) == 0


def test_rates_come_from_the_setting_and_are_checked():
    """Each language's unit and rate come from READING_TIME; a bad entry is a clear error."""
    assert rate_for({"READING_TIME": READING_TIME}, "en") == ("words", 238)
    assert rate_for({"READING_TIME": READING_TIME}, "ko") == ("characters", 500)
    assert rate_for({"READING_TIME": {"en": {"unit": "words", "rate": 200}}}, "en") == (
        "words",
        200,
    )
    with pytest.raises(ValueError, match="unit must be one of"):
        rate_for({"READING_TIME": {"en": {"unit": "syllables", "rate": 5}}}, "en")
    with pytest.raises(ValueError, match="rate must be a positive number"):
        rate_for({"READING_TIME": {"en": {"unit": "words", "rate": 0}}}, "en")


def byline_minutes(site, url):
    """The number of minutes the byline of the page at `url` shows."""
    shown = page(site, url).xpath("//article//*[@class='byline__reading-time']")[0].text_content()
    return shown, int(re.search(r"\d+", shown).group())


def test_articles_show_reading_time_in_the_readers_language(real_site):
    """English says "N min read" and Korean "N분 분량"; both versions need about as long."""
    for article in sorted((real_site / "en" / "articles").glob("*")):
        en, en_minutes = byline_minutes(real_site, f"en/articles/{article.name}/")
        assert en == f"{en_minutes} min read"
        assert 1 <= en_minutes <= 10
    for article in sorted((real_site / "ko" / "articles").glob("*")):
        ko, ko_minutes = byline_minutes(real_site, f"ko/articles/{article.name}/")
        assert ko == f"{ko_minutes}분 분량"
    # Same article, two scripts, two ways of counting: the estimates must agree, for every
    # article published in both languages and translated from its source as it is now.
    for by_lang in versions(ROOT / "content").values():
        en, ko = by_lang.get("en"), by_lang.get("ko")
        if en is None or ko is None or en.kind != "article" or not (en.listed and ko.listed):
            continue
        if (en if en.translation_of else ko).stale:
            continue  # an outdated translation may lag behind its source
        _, en_minutes = byline_minutes(real_site, en.page)
        _, ko_minutes = byline_minutes(real_site, ko.page)
        assert abs(en_minutes - ko_minutes) <= 1, (en.key, en_minutes, ko_minutes)


def test_article_lists_show_reading_time(real_site):
    """The home page's summaries carry the same estimate as the articles."""
    home = page(real_site, "ko/")
    shown = home.xpath("//li[@class='article-summary']//*[@class='byline__reading-time']")
    assert len(shown) == len(home.xpath("//li[@class='article-summary']"))


@pytest.mark.parametrize("site", ["fixture_site", "real_site"])
def test_every_listing_shows_each_articles_own_byline(site, request):
    """A summary's byline (authors, dates, reading time) is the one its article's page shows,
    on every listing page of every language: each is made once and shown again."""
    site = request.getfixturevalue(site)
    shown = 0
    for listing in sorted(site.glob("*/**/*.html")):
        tree = parse(listing)
        for summary in tree.xpath("//li[@class='article-summary']"):
            article = resolve(site, listing, summary.xpath(".//h2/a/@href")[0])
            own = parse(article).xpath("//article//p[@class='byline']")[0]
            byline = summary.xpath("./p[@class='byline']")[0]
            assert tostring(byline, with_tail=False) == tostring(own, with_tail=False), (
                listing,
                article,
            )
            shown += 1
    assert shown  # the site has listings with summaries


def test_a_new_rate_counts_again_with_the_same_cache(tmp_path):
    """Minutes kept from the last build are for its rates: another rate gives other minutes."""
    output = tmp_path / "output"
    build_site(output, ROOT / "content")
    url = "en/articles/families-1-life-under-watch/"
    _, minutes = byline_minutes(output, url)
    slower = {**READING_TIME, "en": {"unit": "words", "rate": READING_TIME["en"]["rate"] // 4}}
    build_site(output, ROOT / "content", READING_TIME=slower)  # the same content cache
    _, slower_minutes = byline_minutes(output, url)
    assert slower_minutes >= 4 * minutes - 3


@pytest.mark.parametrize(
    ("lang", "default"),
    [
        ("fr", ("words", 238)),  # Latin script: space-separated words
        ("ru", ("words", 238)),  # Cyrillic
        ("ar", ("words", 238)),  # Arabic
        ("ja", ("characters", 500)),  # Japanese: kanji and kana, no spaces
        ("zh", ("characters", 500)),
        ("zh_Hant", ("characters", 500)),
        ("th", None),  # Thai writes no spaces between words: no default
    ],
)
def test_a_language_without_an_entry_gets_its_scripts_default(lang, default):
    """Without a READING_TIME entry, a language is counted as its script is written."""
    assert rate_for({"READING_TIME": READING_TIME}, lang) == default


def test_japanese_without_an_entry_shows_a_reading_time_by_characters(tmp_path, content):
    """A Japanese article, with no READING_TIME entry for ja, shows minutes by characters."""
    override = add_language(
        "ja", content, tmp_path / "locale", {"articles/shared-story": japanese_story(1200)}
    )
    assert "ja" not in FIXTURE_READING_TIME
    site = build_site(tmp_path / "output", content, **override)
    shown = page(site, "ja/articles/shared-story/").xpath(
        "//article//*[@class='byline__reading-time']"
    )
    assert [re.search(r"\d+", each.text_content()).group() for each in shown] == ["3"]


def test_a_language_without_a_rate_or_a_default_is_a_check_problem(tmp_path, content, capsys):
    """Thai (no spaces between words) without an entry: `invoke check` names READING_TIME and
    the language, and the build stops with the same problem."""
    override = add_language("th", content, tmp_path / "locale", {})
    settings = load_settings(FIXTURE_SETTINGS, {"PATH": str(content), **override})
    problems = [p for p in check_site(settings, render_html=False) if "READING_TIME" in p.message]
    assert [(p.path, p.line) for p in problems] == [(str(content / "th"), 0)]
    assert "READING_TIME['th']" in problems[0].message
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", content, **override)
    assert any("READING_TIME['th']" in problem for problem in failure.value.problems)


def japanese_story(characters: int) -> str:
    """The fixture's shared story in Japanese, its body `characters` kana long."""
    return (
        "Title: 三つの言語で語る物語\nDate: 2024-01-10\nAuthor: E. Dickinson\n"
        "Category: 脱北者\nSummary: 日本語版です。\n"
        "Translation-Of: en/articles/shared-story.md\nReview: approved\n"
        "Reviewer: FFHR translators\n\n" + "あ" * characters + "\n"
    )
