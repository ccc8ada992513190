"""The build's one "now", and article dates read as Pelican reads them: for embargoes.

An article dated after the moment a build starts is not published by it (WITH_FUTURE_DATES
= False). Pelican would compare with its own clock, article by article; the build asks
this module once, so the translation index, the pages written, the gates and the
incremental state all agree on which articles are still embargoed.
"""

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# The forms of Date that `invoke check` admits: YYYY-MM-DD, optionally with HH:MM[:SS].
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")


def article_date(value: str | datetime, timezone: str) -> datetime:
    """A Date header's moment, as Pelican reads it: its parser, in TIMEZONE unless given one."""
    from pelican.utils import get_date, set_date_tzinfo

    if isinstance(value, datetime):
        date = value
    elif DATE.fullmatch(value):
        # Pelican's parser (dateutil) reads these forms as ISO dates, the long way round:
        # the index reads every article's date in every build. A test holds the two
        # equal.
        date = datetime.fromisoformat(value)
    else:
        date = get_date(value.replace("_", " "))
    return set_date_tzinfo(date, timezone)


def build_now(settings: dict) -> datetime:
    """The moment this build stands at: BUILD_NOW when set, else the real time."""
    if settings["BUILD_NOW"] is None:
        return datetime.now(UTC)
    try:
        return article_date(settings["BUILD_NOW"], settings["TIMEZONE"])
    except ValueError:
        raise ValueError(
            f"BUILD_NOW {settings['BUILD_NOW']!r} is not a date; write it as YYYY-MM-DD or "
            f"YYYY-MM-DD HH:MM (in {settings['TIMEZONE']})"
        ) from None


def embargo_clock(settings: dict) -> datetime | None:
    """The moment embargoes are judged at; None when future dates are published at once.

    A review build (`invoke review`) shows embargoed articles to reviewers, so it has none.
    """
    if settings["WITH_FUTURE_DATES"] or settings["REVIEW_BUILD"]:
        return None
    return build_now(settings)


def embargoed_until(date: str, timezone: str, now: datetime | None) -> datetime | None:
    """When an article with this Date may be published, if that is still after `now`."""
    if now is None or not date:
        return None
    # Most dates are days before the build's: compared as text, they need no parsing (a
    # day's margin keeps time zones and clock changes out of the question).
    if date[:10] < _day_before(now, timezone) and DATE.fullmatch(date):
        return None
    moment = article_date(date, timezone)
    # Pelican publishes an article whose date equals the build's moment.
    return moment if moment > now else None


@lru_cache(maxsize=16)
def _day_before(now: datetime, timezone: str) -> str:
    """The day before `now` in `timezone`, as YYYY-MM-DD."""
    return (now.astimezone(ZoneInfo(timezone)) - timedelta(days=1)).date().isoformat()
