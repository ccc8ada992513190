"""Give each article `reading_minutes`, from its body text and its language's reading rate.

The rates are the READING_TIME setting (pelicanconf.py), one entry per language:
{"unit": "words" | "characters", "rate": units per minute}. English is read, and counted, in
space-separated words; Korean by characters, since a Korean space-separated unit (eojeol)
carries a word and its particles and is no measure of length comparable to an English word.
A language without an entry gets no estimate (None) rather than a guessed one.
"""

import hashlib
import json
import logging
import math
import re
import unicodedata
from html import unescape
from pathlib import Path

from pelican.contents import Article

from press.core.files import replace_file

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


def rate_for(settings: dict, lang: str) -> tuple[str, float] | None:
    """Return (unit, rate) for `lang` from READING_TIME, None if it has no entry."""
    entry = settings.get("READING_TIME", {}).get(lang)
    if entry is None:
        return None
    unit, rate = entry.get("unit"), entry.get("rate")
    if unit not in UNITS:
        raise ValueError(f"READING_TIME[{lang!r}]: unit must be one of {UNITS}, not {unit!r}")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
        raise ValueError(f"READING_TIME[{lang!r}]: rate must be a positive number, not {rate!r}")
    return unit, rate


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
    key = (
        f"{found[0]} {found[1]} {hashlib.blake2b(html.encode('utf-8'), digest_size=16).hexdigest()}"
    )
    minutes = _MEMO.known.get(key)
    if not isinstance(minutes, int):
        minutes = reading_minutes(html, *found)
    _MEMO.used[key] = minutes
    instance.reading_minutes = minutes


class _Memo:
    """Minutes by body, kept beside the content cache from one build to the next.

    A rebuild reads most articles from Pelican's content cache, unchanged: their words need
    no counting again. Bodies are known by a hash of their HTML; the file also names this
    module's code, so a change in how minutes are counted starts anew.
    """

    def __init__(self):
        self.known: dict[str, int] = {}
        self.used: dict[str, int] = {}
        self.path: Path | None = None

    def load(self, settings: dict) -> None:
        """Read the minutes of the last run, when this run uses the content cache."""
        self.known, self.used = {}, {}
        self.path = None
        if not settings.get("CACHE_CONTENT"):
            return
        self.path = Path(settings["CACHE_PATH"]) / f"reading-time-{_CODE}.json"
        if settings.get("LOAD_CONTENT_CACHE") and self.path.is_file():
            try:
                known = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = None
            if isinstance(known, dict):
                self.known = known
            else:  # cut short or garbage: only costs counting again
                logger.debug("Unreadable %s; counting every article again", self.path)

    def save(self) -> None:
        """Keep this run's minutes (only those of articles it read) for the next run."""
        if self.path is None:
            return
        # Runs of other builds (review, publish) share the file: each writes it whole.
        replace_file(self.path, json.dumps(self.used).encode("utf-8"))
        for older in self.path.parent.glob("reading-time-*.json"):  # of earlier code
            if older != self.path:
                older.unlink(missing_ok=True)


_CODE = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
_MEMO = _Memo()


def load_memo(pelican):
    """Start a run with the minutes its last run counted."""
    _MEMO.load(pelican.settings)


def save_memo(pelican):
    """Keep the minutes of this run for the next."""
    _MEMO.save()
