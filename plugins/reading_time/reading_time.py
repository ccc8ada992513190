"""Give each article `reading_minutes`, from its body text and its language's reading rate.

The rates are the READING_TIME setting (pelicanconf.py), one entry per language:
{"unit": "words" | "characters", "rate": units per minute}. English is read, and counted, in
space-separated words; Korean by characters, since a Korean space-separated unit (eojeol)
carries a word and its particles and is no measure of length comparable to an English word.
A language without an entry gets no estimate (None) rather than a guessed one.
"""

import logging
import math
import unicodedata
from html.parser import HTMLParser

from pelican import signals
from pelican.contents import Article

logger = logging.getLogger(__name__)

UNITS = ("words", "characters")

# Elements whose boundaries separate words even when the HTML has no space there
# ("<p>one</p><p>two</p>" is two words); inline ones such as <em> do not.
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
     "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)  # fmt: skip
_UNREAD = frozenset({"script", "style", "template"})


class _TextCollector(HTMLParser):
    """Collects the text a reader reads: no tags, no scripts or styles, blocks kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _UNREAD:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _UNREAD:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def body_text(html: str) -> str:
    """Return the readable text of an HTML fragment."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)


def count_words(text: str) -> int:
    """Count space-separated words; a token with no letter or digit (a dash) is not one."""
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def count_characters(text: str) -> int:
    """Count letters and digits (Hangul syllables, Latin letters...), not spaces or punctuation."""
    # NFC first: a syllable typed as separate conjoining jamo counts once, as it is read.
    return sum(1 for char in unicodedata.normalize("NFC", text) if char.isalnum())


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
    # _content is the body as rendered from Markdown; the public `content` would also
    # rewrite {filename} links, which needs every other article read first, and links
    # change no text.
    instance.reading_minutes = reading_minutes(instance._content, *found) if found else None


def register():
    """Estimate each article's reading time once Pelican has read it."""
    signals.content_object_init.connect(add_reading_time)
