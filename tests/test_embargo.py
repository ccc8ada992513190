"""An article dated in the future is embargoed: no build publishes it before its date.

The build's clock is a setting (BUILD_NOW), so these builds stand before or after a date
without sleeping or mocking time; its default, the real time, is what builds use.
"""

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.utils import get_date, set_date_tzinfo

from built import file_for, hreflangs, html_files, page, parse, resolve, switcher_links
from conftest import (
    FIXTURE_SETTINGS,
    assert_same_tree,
    build_report,
    build_site,
    reference_build,
    stamps,
)
from press.build.errors import BuildError
from press.build.review_site import build_review
from press.cli.check import main as check
from press.core.clock import DATE, article_date, embargoed_until
from press.translations.records import sync_translation

BEFORE = "2029-12-31 23:59:59"  # in TIMEZONE (Asia/Seoul)
AT = "2030-01-01"  # the embargoed articles' date: midnight in Seoul
LATER = "2030-01-02 09:00"
EMBARGOED = "en/articles/embargoed/"
TRANSLATION = "ko/articles/embargoed/"
LATE_TRANSLATION = "en/articles/korean-only/"  # of a published Korean article, dated later

ENGLISH = """\
Title: Released on New Year's Day
Date: 2030-01-01
Author: E. Dickinson
Category: Defectors
Tags: testimony
Summary: Written now, published on the first day of 2030.

Embargoed until the first of January.
"""
KOREAN = """\
Title: 새해 첫날 공개되는 글
Date: 2030-01-01
Author: E. Dickinson
Category: 탈북민
Tags: 증언
Summary: 지금 쓰고 2030년 첫날 공개합니다.
Translation-Of: en/articles/embargoed.md
Review: approved
Reviewer: FFHR Korean Desk

1월 1일까지 공개하지 않습니다.
"""
# The translation of a Korean original that is already published, dated after it.
LATE = """\
Title: Only in Korean, until 2030
Date: 2030-01-01
Author: FFHR Editorial Desk
Category: Families
Tags: testimony
Summary: The English version of the Korean-only article, published later.
Translation-Of: ko/articles/korean-only.md
Review: approved
Reviewer: FFHR Korean Desk

The English text.
"""


@pytest.fixture
def content(content) -> Path:
    """The fixture content with an article (and its translation) dated 2030-01-01."""
    (content / "en" / "articles" / "embargoed.md").write_text(ENGLISH, encoding="utf-8")
    (content / "ko" / "articles" / "embargoed.md").write_text(KOREAN, encoding="utf-8")
    (content / "en" / "articles" / "korean-only.md").write_text(LATE, encoding="utf-8")
    # Approved translations are published once synced to their source.
    for translation in ("ko/articles/embargoed.md", "en/articles/korean-only.md"):
        sync_translation(content / translation, content)
    return content


def mentions(site: Path, text: str) -> list[str]:
    """Every file of a built site whose text contains `text`."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.suffix in (".html", ".xml") and text in path.read_text(encoding="utf-8")
    )


def test_future_article_is_absent_from_everything(tmp_path, content):
    """Before its date: no page, listing, feed, sitemap entry or switcher leads to it."""
    site = build_site(tmp_path / "output", content, BUILD_NOW=BEFORE)
    for url in (EMBARGOED, TRANSLATION, LATE_TRANSLATION):
        assert not file_for(site, url).exists(), url
    for text in ("embargoed", "Released on New Year", "새해 첫날", "Only in Korean, until"):
        assert mentions(site, text) == [], text
    # The Korean original of the late translation: its switcher leads to the English home.
    korean = file_for(site, "ko/articles/korean-only/")
    tree = parse(korean)
    assert resolve(site, korean, switcher_links(tree)["en"]) == file_for(site, "en/")
    assert set(hreflangs(tree)) == {"ko", "x-default"}


@pytest.mark.parametrize(
    "now",
    [AT, LATER, datetime(2029, 12, 31, 15, 0, tzinfo=UTC)],
    ids=["at-its-date", "later", "same-moment-in-utc"],
)
def test_article_is_published_by_a_build_on_or_after_its_date(tmp_path, content, now):
    """From midnight of its date in TIMEZONE on, it is everywhere an article is."""
    site = build_site(tmp_path / "output", content, BUILD_NOW=now)
    for url in (EMBARGOED, TRANSLATION, LATE_TRANSLATION):
        assert file_for(site, url).is_file(), url
    for listing in ("en/", "en/archives/", "en/categories/defectors/", "en/tags/testimony/"):
        assert page(site, listing).xpath("//a[contains(@href, 'articles/embargoed/')]"), listing
    assert "articles/embargoed/" in (site / "en/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "articles/embargoed/" in (site / "ko/feeds/all.atom.xml").read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{EMBARGOED}" in sitemap and f"/{TRANSLATION}" in sitemap
    korean = file_for(site, "ko/articles/korean-only/")
    link = switcher_links(parse(korean))["en"]
    assert resolve(site, korean, link) == file_for(site, LATE_TRANSLATION)


def test_a_second_before_its_date_in_utc_is_still_embargoed(tmp_path, content):
    """BUILD_NOW with a time zone is that moment: 14:59:59 UTC is 23:59:59 in Seoul."""
    now = datetime(2029, 12, 31, 15, 0, tzinfo=UTC) - timedelta(seconds=1)
    site = build_site(tmp_path / "output", content, BUILD_NOW=now)
    assert not file_for(site, EMBARGOED).exists()


def test_rebuild_publishes_when_the_embargo_ends_though_no_source_changed(tmp_path, content):
    """The clock alone passing the date turns an update into the build that publishes it."""
    output = build_site(tmp_path / "output", content, BUILD_NOW=BEFORE)
    first = stamps(output)
    # Later, still before the date, nothing changed: an update that rewrites nothing.
    report = build_report(output, content, BUILD_NOW="2029-12-31 23:59:59.5")
    assert (report.kind, report.written) == ("update", ())
    assert stamps(output) == first
    # Past the date, still with no source changed: the embargoed pages appear.
    build_site(output, content, BUILD_NOW=AT)
    assert file_for(output, EMBARGOED).is_file()
    assert_same_tree(output, reference_build(tmp_path / "fresh", content, BUILD_NOW=AT))


def test_invoke_check_lists_embargoed_articles_as_information(capsys, content):
    """Not a problem (exit 0): each embargoed article and translation, with its Date line."""
    args = ["--settings", str(FIXTURE_SETTINGS), "--content", str(content)]
    assert check([*args, "--now", BEFORE]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        f"{content}/en/articles/embargoed.md:2: embargoed until 2030-01-01 00:00 (KST): no "
        "build publishes it before then",
        f"{content}/en/articles/korean-only.md:2: embargoed until 2030-01-01 00:00 (KST): no "
        "build publishes it before then",
        f"{content}/ko/articles/embargoed.md:2: embargoed with its source "
        "en/articles/embargoed.md until 2030-01-01 00:00 (KST): no build publishes it before "
        "then",
        "No problems found.",
    ]
    assert check([*args, "--now", AT]) == 0
    assert capsys.readouterr().out.splitlines() == ["No problems found."]


def test_invoke_check_judges_embargoes_at_the_real_time_by_default(capsys, content):
    """Without --now, the real time: an article dated in 2999 is listed."""
    path = content / "en" / "articles" / "embargoed.md"
    path.write_text(ENGLISH.replace("2030-01-01", "2999-01-01"), encoding="utf-8")
    assert check(["--settings", str(FIXTURE_SETTINGS), "--content", str(content)]) == 0
    assert f"{path}:2: embargoed until 2999-01-01 00:00 (KST)" in capsys.readouterr().out


def test_review_build_shows_embargoed_articles(tmp_path, content):
    """Reviewers see an embargoed article in the review copy, and its date on the dashboard."""
    review = build_review(
        FIXTURE_SETTINGS,
        tmp_path / "review",
        override={
            "PATH": str(content),
            "CACHE_PATH": str(tmp_path / "review-cache"),
            "BUILD_NOW": BEFORE,
        },
    )
    site = review / "site"
    assert file_for(site, EMBARGOED).is_file() and file_for(site, TRANSLATION).is_file()
    assert page(site, "en/").xpath("//a[contains(@href, 'articles/embargoed/')]")
    for path in html_files(site / "en") + html_files(site / "ko"):
        assert parse(path).xpath("//p[@class='review-banner']"), path
    items = [
        " ".join(item.text_content().split())
        for item in parse(review / "index.html").xpath("//ul[@class='embargoes']/li")
    ]
    assert f"{content}/en/articles/embargoed.md: until 2030-01-01 00:00 (KST)" in items


def test_build_now_that_is_no_date_stops_the_build(tmp_path, content, fixture_site):
    """A BUILD_NOW that cannot be read is named, and the output is left as it was."""
    output = tmp_path / "output"
    shutil.copytree(fixture_site, output)
    before = stamps(output)
    with pytest.raises(BuildError) as failure:
        build_site(output, content, BUILD_NOW="next Tuesday-ish")
    assert failure.value.problems == [
        "BUILD_NOW 'next Tuesday-ish' is not a date; write it as YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM (in Asia/Seoul)"
    ]
    assert stamps(output) == before


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    # The build's moment: within days of the date (where time zones matter), or anywhere.
    st.one_of(st.integers(-4 * 86400, 4 * 86400), st.integers(-(10**9), 10**9)),
    st.sampled_from(["Asia/Seoul", "UTC", "America/New_York", "Pacific/Kiritimati"]),
)
def test_embargo_is_a_date_after_the_builds_moment(date, seconds, timezone):
    """Embargoed exactly when its Date, in TIMEZONE, is later than the build's moment."""
    text = date.strftime("%Y-%m-%d %H:%M")
    moment = article_date(text, timezone)
    now = moment.astimezone(UTC) + timedelta(seconds=seconds)
    expected = moment if moment > now else None
    assert embargoed_until(text, timezone, now) == expected
    day = date.strftime("%Y-%m-%d")
    assert (embargoed_until(day, timezone, now) is None) == (article_date(day, timezone) <= now)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)))
def test_dates_are_read_as_pelican_reads_them(moment):
    """The index's quick reading of Date agrees with Pelican's own parser on every admitted form."""
    for text in (
        moment.strftime("%Y-%m-%d"),
        moment.strftime("%Y-%m-%d %H:%M"),
        moment.strftime("%Y-%m-%d %H:%M:%S"),
    ):
        assert DATE.fullmatch(text)
        expected = set_date_tzinfo(get_date(text), "Asia/Seoul")
        assert article_date(text, "Asia/Seoul") == expected, text
