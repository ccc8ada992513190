"""A right-to-left language for tests: Arabic, added as a maintainer would add it (a settings
entry, a content folder with one approved translation, a catalog)."""

import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from conftest import ROOT
from pelicanconf import I18N_LANGUAGES
from press.safety.catalogs import name_no_one
from press.translations.records import sync_translation

# What an Arabic reader of the fixture site sees of the interface; the rest of the catalog is
# marked "(ar) ..." so a missing string shows, as in tests/french.py.
ARABIC = {
    "Skip to main content": "انتقل إلى المحتوى الرئيسي",
    "Language": "اللغة",
    "Main": "القائمة الرئيسية",
    "Articles": "المقالات",
    "Topics": "المواضيع",
    "Archives": "الأرشيف",
    "Tags": "الوسوم",
    "Topic:": "الموضوع:",
    "Tags:": "الوسوم:",
    "Latest articles": "أحدث المقالات",
    "By %(authors)s": "بقلم %(authors)s",
    "Translated by %(translator)s": "ترجمة %(translator)s",
    "Reviewed by %(reviewer)s": "مراجعة %(reviewer)s",
    "Atom feed": "موجز Atom",
    "Choose a language": "اختر لغة",
    "Translation status": "حالة الترجمة",
    "Read in this language": "اقرأ بالعربية",
    "Our authors write under pseudonyms to protect themselves and the people they write "
    "about.": "يكتب كتّابنا بأسماء مستعارة لحماية أنفسهم والأشخاص الذين يكتبون عنهم.",
    "This site loads nothing from other servers, sets no cookies and needs no "
    "JavaScript.": "لا يحمّل هذا الموقع شيئًا من خوادم أخرى، ولا يضع ملفات تعريف الارتباط، "
    "ولا يحتاج إلى جافاسكربت.",
    "This page has not been translated into %(language)s yet; the link leads to the home "
    "page in %(language)s.": "لم تُترجم هذه الصفحة إلى %(language)s بعد؛ يقود الرابط إلى "
    "الصفحة الرئيسية بـ%(language)s.",
}

# A translation of the fixture's shared-story with what right-to-left layout must mirror: a
# list, a quotation, a footnote, a Latin-script pseudonym in the byline and a Latin tag.
ARTICLE = """\
Title: قصة تُروى بثلاث لغات
Date: 2024-01-10
Author: E. Dickinson
Category: منشقون
Tags: الصين, FFHR
Summary: النسخة العربية من المقال.
Translation-Of: en/articles/shared-story.md
Review: approved
Translator: FFHR translators
Reviewer: FFHR Editorial Desk

## الجزء الأول

تنشر <bdi lang="en">FFHR</bdi> شهادات العائلات التي تهرب من كوريا الشمالية.[^1]

- تعبر العائلات الحدود ليلًا؛
- يساعدها المهربون مقابل المال؛
- تصل أخيرًا إلى بر الأمان.

> الطريق طويل، لكن العائلات لا تستسلم.

[^1]: جُمعت الشهادات بين عامي ٢٠١٩ و٢٠٢٣.
"""

SUBTITLE = "منشقون من كوريا الشمالية والعائلات التي تهرب"


def add_arabic(folder: Path, content: Path) -> dict:
    """Add Arabic to the fixture site: ar/ content in `content`, a catalog in `folder`/locale.

    Returns the settings that build it: an I18N_LANGUAGES entry and the catalogs' folder.
    """
    locale = folder / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    with (ROOT / "locale" / "messages.pot").open("rb") as fileobj:
        catalog = read_po(fileobj, locale="ar")
    for message in catalog:
        if message.id:
            if isinstance(message.id, tuple):
                # Arabic has six plural forms (CLDR): each gets the English plural, marked.
                message.string = (f"(ar) {message.id[1]}",) * catalog.num_plurals
            else:
                message.string = ARABIC.get(message.id, f"(ar) {message.id}")
    catalog.fuzzy = False
    name_no_one(catalog, "FFHR translators")  # as `invoke i18n.init` does
    (locale / "ar" / "LC_MESSAGES").mkdir(parents=True)
    with (locale / "ar" / "LC_MESSAGES" / "messages.po").open("wb") as fileobj:
        write_po(fileobj, catalog)

    article = content / "ar" / "articles" / "shared-story.md"
    article.parent.mkdir(parents=True)
    article.write_text(ARTICLE, encoding="utf-8")
    # Approved translations are published once synced to their source.
    sync_translation(article, content)
    languages = {**I18N_LANGUAGES, "ar": {"SITESUBTITLE": SUBTITLE}}
    return {"I18N_LANGUAGES": languages, "I18N_CATALOG_PATH": str(locale)}
