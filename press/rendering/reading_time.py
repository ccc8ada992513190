"""Give each article `reading_minutes`, from its body text and its language's reading rate.

The rates are the READING_TIME setting (pelicanconf.py), one entry per language:
{"unit": "words" | "characters", "rate": units per minute}. English is read, and counted, in
space-separated words; Korean by characters, since a Korean space-separated unit (eojeol)
carries a word and its particles and is no measure of length comparable to an English word.

A language without an entry gets the default of its script (DEFAULT_RATES, by the script
Babel's CLDR data gives the language): Chinese, Japanese and Korean by characters, scripts
that separate words by spaces by words. A script that writes no spaces between words and is
not one of those (Thai, Khmer, Burmese...) has no default: `invoke check` asks for an entry.
"""

import logging
import math
import re
import unicodedata
from html import unescape

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from pelican.contents import Article

from press.rendering.memo import RunMemo, digest

logger = logging.getLogger(__name__)

UNITS = ("words", "characters")

# Elements whose boundaries separate words even when the HTML has no space there
# ("<p>one</p><p>two</p>" is two words); inline ones such as <em> do not.
_BLOCKS = (
    "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|"
    "hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
# Regular expressions, not an HTML parser: this runs on every article of every build, and
# the body is Markdown's own well-formed output (the markup allowlist refuses raw scripts).
_UNREAD = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCKS})\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_NOT_CHARACTER = re.compile(r"[\W_]")  # anything but a letter or digit (Hangul, Latin...)


def body_text(html: str) -> str:
    """Return the readable text of an HTML fragment."""
    text = _UNREAD.sub(" ", html)
    text = _BLOCK_TAG.sub(" ", text)
    return unescape(_ANY_TAG.sub("", text))


def count_words(text: str) -> int:
    """Count space-separated words; a token with no letter or digit (a dash) is not one."""
    tokens = text.split()
    # Most tokens are letters only (isalnum, in C); only the others are searched for one.
    return len(tokens) - sum(
        1 for token in tokens if not token.isalnum() and not _LETTER_OR_DIGIT.search(token)
    )


def count_characters(text: str) -> int:
    """Count letters and digits (Hangul syllables, Latin letters...), not spaces or punctuation."""
    # NFC first: a syllable typed as separate conjoining jamo counts once, as it is read.
    text = unicodedata.normalize("NFC", text)
    # Counted as all characters less the others: the others are few (spaces, punctuation),
    # so no list of every syllable is built.
    return len(text) - len(_NOT_CHARACTER.findall(text))


def reading_minutes(html: str, unit: str, rate: float) -> int:
    """Minutes to read an HTML body at `rate` units a minute, rounded up; 0 for no text."""
    text = body_text(html)
    count = count_words(text) if unit == "words" else count_characters(text)
    # Rounded up: a reader told "3 min" should not find it took four.
    return math.ceil(count / rate)


# Defaults by script, for a language READING_TIME has no entry for. The rates are the ones
# pelicanconf.py gives English and Korean, with the studies they come from: 238 words a minute
# (Brysbaert 2019, adults' silent reading of English non-fiction), 500 characters a minute
# (Korean measurements, and what Medium uses for Chinese, Japanese and Korean). They are
# defaults, not measurements of each language: give a language its own entry when a study
# of its readers gives another rate.
CHARACTER_SCRIPTS = frozenset({"Hani", "Hans", "Hant", "Jpan", "Kore", "Hang", "Hira", "Kana"})
# Scripts written without spaces between words: counted neither way, so no default.
UNSPACED_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr", "Mymr", "Tibt", "Bali", "Java", "Tale"})
DEFAULT_RATES = {"words": 238, "characters": 500}


def script_of(lang: str) -> str:
    """The script (ISO 15924) `lang` is written in: its own, or the likeliest (CLDR)."""
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return ""
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else ""


def default_rate(lang: str) -> tuple[str, float] | None:
    """The default (unit, rate) of `lang` by its script; None for one without a default."""
    script = script_of(lang)
    if script in CHARACTER_SCRIPTS:
        return "characters", DEFAULT_RATES["characters"]
    if not script or script in UNSPACED_SCRIPTS:
        return None
    return "words", DEFAULT_RATES["words"]


def rate_for(settings: dict, lang: str) -> tuple[str, float] | None:
    """Return (unit, rate) for `lang` from READING_TIME, else its script's default (None for a
    language without either: `invoke check` reports it, reading_time_problems)."""
    entry = settings.get("READING_TIME", {}).get(lang)
    if entry is None:
        return default_rate(lang)
    unit, rate = entry.get("unit"), entry.get("rate")
    if unit not in UNITS:
        raise ValueError(f"READING_TIME[{lang!r}]: unit must be one of {UNITS}, not {unit!r}")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
        raise ValueError(f"READING_TIME[{lang!r}]: rate must be a positive number, not {rate!r}")
    return unit, rate


def reading_time_problems(settings: dict) -> list[tuple[str, str]]:
    """(language, what is wrong) with the reading rate of each of the site's languages: a
    READING_TIME entry that is not a unit and a rate, or none for a language without a default."""
    problems = []
    for lang in settings["I18N_LANGUAGES"]:
        try:
            found = rate_for(settings, lang)
        except ValueError as exc:
            problems.append((lang, f"{exc}; correct READING_TIME in the settings"))
            continue
        if found is None:
            script = script_of(lang) or "unknown"
            problems.append(
                (
                    lang,
                    f"READING_TIME has no rate for {lang!r}, and its script ({script}) has no "
                    "default (it writes no spaces between words, and is not counted by "
                    f'characters): add READING_TIME[{lang!r}] = {{"unit": "words" or "characters", '
                    '"rate": units read a minute}, from a study of its readers',
                )
            )
    return problems


def add_reading_time(instance):
    """Set `reading_minutes` on an article: minutes, or None without a rate for its language."""
    if not isinstance(instance, Article):
        return
    found = rate_for(instance.settings, instance.lang)
    if found is None:
        instance.reading_minutes = None
        return
    # _content is the body as rendered from Markdown; the public `content` would also
    # rewrite {filename} links, which needs every other article read first, and links
    # change no text.
    html = instance._content
    key = digest(found[0], str(found[1]), html)
    minutes = _MEMO.get(key)
    if not isinstance(minutes, int):
        minutes = reading_minutes(html, *found)
    _MEMO.put(key, minutes)
    instance.reading_minutes = minutes


_MEMO = RunMemo("reading-time")


def load_memo(pelican):
    """Start a run with the minutes its last run counted."""
    _MEMO.load(pelican.settings)


def save_memo(pelican):
    """Keep the minutes of this run for the next."""
    _MEMO.save()
