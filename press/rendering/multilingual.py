"""Signal receivers that make one Pelican run build one language's site.

The build (press.build.runs) gives each run an `I18N_RUN` setting: its language, every
language's site URL and the translation index. From it, each article and page learns its
translation key and its versions in the other languages, and the templates get the
language's catalog, Babel-formatted dates and the language switcher.
"""

import io
import logging
import posixpath
import types
import weakref
from collections import abc, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, lru_cache, partial
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pelican
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.units import format_unit
from jinja2 import BaseLoader, Environment, TemplateNotFound, pass_context, pass_eval_context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markupsafe import Markup
from pelican.contents import Article, Content, Page
from pelican.urlwrappers import Category, Tag

from press.core.pseudonyms import Pseudonyms
from press.core.sources import linked_source, source_language
from press.rendering.sharing import og_locale, share_image
from press.safety.headers import onion_location
from press.translations.catalogs import Catalogs, Compiled, load_all
from press.translations.index import TranslationIndex

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LanguageRun:
    """What one language's Pelican run knows about the whole multilingual site."""

    lang: str
    default_lang: str
    names: dict[str, str]  # every language, in settings order, by its own name
    site_urls: dict[str, str]  # absolute root of each language's site, no trailing slash
    landing_url: str  # absolute URL of the bilingual landing page
    index: TranslationIndex
    # Every language's interface catalog, compiled by this build in memory
    # (press.translations.catalogs.compile_all): nothing in locale/ is shared with another
    # build running at the same time.
    catalogs: Compiled
    msgid_lang: str
    # Output files every language's site has (index, archives, ...): their switcher
    # leads to the same listing in the other language.
    shared_pages: frozenset[str] = field(default_factory=frozenset)
    offline: bool = False  # links name files (index.html), for reading from file://
    # The agreed pseudonyms, and how each language's pages write them (press.core.pseudonyms).
    pseudonyms: Pseudonyms = field(default_factory=Pseudonyms)
    # The onion service's address (ONION_URL), for each page's Onion-Location <meta>; None
    # where there is none, offline, and in the onion build itself.
    onion_url: str | None = None

    def onion_location(self, name: str) -> str | None:
        """The page saved as `name` (its path in the build) at the onion service, or None."""
        return onion_location(self.onion_url, name) if self.onion_url else None


@dataclass(frozen=True)
class LanguageLink:
    """One language version of the page being rendered."""

    lang: str
    name: str
    direction: str  # "ltr" or "rtl", for dir= wherever its name or text shows
    href: str  # for <a href>: relative when the site uses relative URLs
    url: str  # absolute, for hreflang
    current: bool
    available: bool  # False: no such version; href leads to what `leads_to` names
    # Where an unavailable link leads instead: "home" (the page is not translated), "tags"
    # or "categories" (a tag or category with no counterpart: that language's list of them),
    # "first" (a later page of a listing: the first page of that language's listing).
    leads_to: str = "home"


@dataclass(frozen=True)
class PageLanguages:
    """The language facts of one rendered page: canonical URL, versions, x-default."""

    canonical: str
    links: list[LanguageLink]
    x_default: str
    # The same page at the onion service, for Tor Browser's Onion-Location; None without one.
    onion_location: str | None = None

    @property
    def alternates(self) -> list[LanguageLink]:
        """The versions that exist, the page itself included (for hreflang)."""
        return [link for link in self.links if link.available]

    @property
    def others(self) -> list[LanguageLink]:
        """The other languages, for the switcher."""
        return [link for link in self.links if not link.current]


@cache
def text_direction(lang: str) -> str:
    """'rtl' or 'ltr': how the language's script runs, from Babel's CLDR data."""
    # CLDR knows it for every language Babel knows, and check_languages refused the others:
    # a new right-to-left language (fa, he, ur...) needs no list kept here.
    return Locale.parse(lang).text_direction


@cache
def language_name(lang: str, locale: str) -> str:
    """The name of language `lang` as readers of `locale` write it ("영어" on a Korean page)."""
    return Locale.parse(lang).get_display_name(locale)


def language_run(settings: dict) -> LanguageRun:
    """Return the run's language facts, or fail clearly when Pelican was started without them."""
    run = settings.get("I18N_RUN")
    if run is None:
        raise RuntimeError(
            "the multilingual plugin needs the I18N_RUN setting: build with `invoke build`, "
            "not with the plain `pelican` command"
        )
    return run


def attach_versions(instance):
    """Give an article or page its translation key: its path inside the language folder."""
    if not isinstance(instance, (Article, Page)):
        return
    run = language_run(instance.settings)
    # The content checks (press.checks.markdown) refused Slug and Lang lines, so the URL is
    # the file name's and the language the folder's.
    source = instance.relative_source_path  # e.g. "en/articles/slug.md"
    instance.translation_key = posixpath.splitext(source.removeprefix(f"{run.lang}/"))[0]
    version = run.index.versions(instance.translation_key)[run.lang]
    # The index decided what is written (press.translations.index.scan): an embargoed
    # article, a translation that is not approved or whose source is not written, is kept
    # out like a draft (never written, listed or in a feed); the translation of a hidden
    # source is hidden with it.
    if instance.status in ("published", "hidden"):
        if not version.written:
            instance.status = "draft"
        elif not version.published:
            instance.status = "hidden"
    instance.translation_stale = version.stale
    instance.original = (
        run.index.versions(instance.translation_key).get(source_language(version.translation_of))
        if version.translation_of
        else None
    )


def link_other_languages(instance):
    """Lead each {filename} link of an article or page to the version readers can open.

    A link to this language's version of an article or page that it lacks (or does not
    publish) leads to the version in the page's source language, else in the first other
    language that has one; a link written to another language's version (for example
    {filename}../../en/articles/x.md) leads there. Either way the link says the language of
    what it leads to (hreflang). The link keeps Pelican's {filename} form, now naming the
    other language's source from the content folder: `know_other_languages` gives the run
    that source's URL, so Pelican writes it relative to each page, and absolute in feeds.
    """
    if not isinstance(instance, (Article, Page)) or "{filename}" not in (instance._content or ""):
        return
    run = language_run(instance.settings)
    page = instance.relative_source_path
    original = getattr(instance, "original", None)
    preferred = [*([original.lang] if original else []), run.default_lang, *run.names]

    led = False

    def lead(match):
        nonlocal led
        if match["what"] != "filename":
            return match.group()
        parts = urlsplit(match["value"])
        target = linked_source(page, unquote(unescape(parts.path)))
        version = run.index.link_version(run.lang, target, preferred) if target else None
        if version is None or version.lang == run.lang:
            return match.group()  # Pelican's own link (or its warning when it finds none)
        markup = match["markup"]
        if markup[:2].lower() == "<a" and "hreflang" not in markup:
            markup = f'{markup[:2]} hreflang="{version.lang}"{markup[2:]}'
        query = f"?{parts.query}" if parts.query else ""
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        quote = match["quote"]
        led = True
        return f"{markup}{quote}{{filename}}/{version.source}{query}{fragment}{quote}"

    content = instance._get_intrasite_link_regex().sub(lead, instance._content)
    if led:
        # Only then: the reader's HTML, which Pelican's cache also holds, stays one string.
        instance._content = content


def know_other_languages(generator):
    """Give the run the URL of every written version in another language, by its source, so
    that Pelican resolves {filename} links to them (link_other_languages)."""
    run = language_run(generator.settings)
    known = generator.context.setdefault("generated_content", {})
    for _key, versions in run.index:
        for version in versions.values():
            if version.lang != run.lang and version.written and version.source not in known:
                # Relative to this language's site root: the other's is beside it.
                known[version.source] = OtherLanguage(f"../{version.lang}/{version.url}")


@dataclass(frozen=True)
class OtherLanguage:
    """Another language's article or page, as Pelican's {filename} links need it: its URL."""

    url: str


def forget_rendered_content(path, context):
    """Drop the HTML Pelican keeps of every article once a page using it is written.

    Pelican memoizes each article's body, with its links rewritten for the page being
    written, on the Content class: every body stayed in memory twice until the process
    ended. A page written needs it no more; a page still to write computes it again.
    """
    Content.get_content.cache.clear()


def leave_static_files_to_the_build(generator):
    """Keep the run from copying static files: the build publishes them, cleaned, once."""
    generator.context["staticfiles"] = []


# When a feed with no entries says it was updated: a fixed moment, the Unix epoch.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


def feed_style(static_dir: str, lang: str) -> str:
    """The XSLT style sheet of a language's feeds, by its path inside the output."""
    return f"{static_dir}/feed-{lang}.xsl"


def styled_write(write, href: str):
    """A feed's `write(outfile, encoding)` that names its style sheet after the declaration."""

    def write_styled(outfile, encoding):
        written = io.StringIO()
        write(written, encoding)
        declaration, end, rest = written.getvalue().partition("?>")
        # type="text/xsl": what browsers recognise; href relative, so the host is the feed's.
        outfile.write(f'{declaration}{end}\n<?xml-stylesheet type="text/xsl" href="{href}"?>{rest}')

    return write_styled


def finish_feed(context, feed):
    """Give a feed its language, its style sheet for browsers, and its entries their titles
    and summaries as plain text."""
    # Pelican's feed writer knows no language; Atom's xml:lang tells readers' apps.
    lang = context["DEFAULT_LANG"]
    feed.feed["language"] = lang
    # Opened in a browser, the feed reads as a page in its language (theme/templates/feed.xsl,
    # written by the build at the site's root, beside the theme's style sheet).
    site = urlsplit(language_run(context).site_urls[lang]).path.rstrip("/")
    path = urlsplit(feed.feed["feed_url"]).path.removeprefix(f"{site}/")
    up = "../" * (path.count("/") + 1)
    feed.write = styled_write(feed.write, up + feed_style(context["THEME_STATIC_DIR"], lang))
    if not feed.items:
        # A language with no article yet: the feed would say it was updated at the moment it
        # was built, and no two builds of the same sources would be the same bytes.
        feed.latest_post_date = lambda: EMPTY_FEED_UPDATED
    # Pelican strips tags from titles (losing text such as "a <b> c") and puts summaries
    # in an HTML field unescaped. Titles and summaries are plain text here: a title is an
    # XML text node, and a summary is escaped so feed readers show it and never run it.
    by_url = {article.url: article for article in context.get("articles", [])}
    for item in feed.items:
        article = by_url.get(item["link"].removeprefix(context["SITEURL"] + "/"))
        if article is None:
            continue
        item["title"] = article.title
        if item["description"] is not None:
            item["description"] = escape(article.summary)


@dataclass(frozen=True)
class Listing:
    """A tag's or category's listing page: what its switcher needs to find its counterparts."""

    kind: str  # "tag" or "category"
    slug: str  # Pelican's slug of the tag or category in this page's language
    counterparts: dict[str, str]  # language -> the slug it pairs with there, where one does


# Term pairings by translation index: worked out once per run, for every tag page of it.
_PAIRINGS: "weakref.WeakKeyDictionary[TranslationIndex, dict]" = weakref.WeakKeyDictionary()


def term_pairings(index: TranslationIndex, kind: str, slug_of) -> dict:
    """(language, slug) -> {other language: slug} for each tag or category (`kind`) that the
    translations of the whole site pair one to one; `slug_of(name)` is Pelican's slug.

    From the index alone, so an update that reads a few articles pairs them as a full build
    does. Every pair of published versions of an article is evidence: when both list as many
    tags, the tags pair in order (translators keep the order); otherwise each tag of one may
    be any tag of the other. A term pairs with the one candidate left after all the evidence
    for it, and only when that one pairs back: anything else (no evidence, two candidates,
    two terms claiming one) is no pairing, and the switcher says so rather than guess.
    """
    pairings = _PAIRINGS.setdefault(index, {})
    if kind in pairings:
        return pairings[kind]

    slugs: dict[str, str] = {}  # the same few names on every article: slugified once each

    def terms(version) -> list[str]:
        names = version.tags if kind == "tag" else [version.category]
        for name in names:
            if name not in slugs:
                slugs[name] = slug_of(name.strip())
        return list(dict.fromkeys(slug for name in names if (slug := slugs[name])))

    candidates: dict[tuple[str, str, str], set[str]] = {}  # (lang, slug, other lang) -> slugs
    for _key, versions in index:
        published = [v for v in versions.values() if v.published and v.kind == "article"]
        for one in published:
            for other in published:
                if one is other:
                    continue
                mine, theirs = terms(one), terms(other)
                for position, slug in enumerate(mine):
                    found = {theirs[position]} if len(mine) == len(theirs) else set(theirs)
                    where = (one.lang, slug, other.lang)
                    candidates[where] = candidates[where] & found if where in candidates else found
    chosen = {where: next(iter(found)) for where, found in candidates.items() if len(found) == 1}
    paired: dict[tuple[str, str], dict[str, str]] = {}
    for (lang, slug, other), their_slug in chosen.items():
        if chosen.get((other, their_slug, lang)) == slug:
            paired.setdefault((lang, slug), {})[other] = their_slug
    pairings[kind] = paired
    return paired


def term_alternates(index: TranslationIndex, settings: dict) -> dict[str, dict[str, str]]:
    """Each tag and category page paired across languages (term_pairings), as the output
    file "lang/path" -> {language: its counterpart's file}, itself included: the sitemap
    names the same alternates as the pages' own hreflang links."""
    alternates = {}
    for kind, wrapper in (("tag", Tag), ("category", Category)):
        save_as = settings[f"{kind.upper()}_SAVE_AS"]

        def slug_of(name, wrapper=wrapper):
            return wrapper(name, settings).slug if name else ""

        for (lang, slug), others in term_pairings(index, kind, slug_of).items():
            pages = {lang: slug, **others}
            alternates[f"{lang}/{save_as.format(slug=slug)}"] = {
                code: f"{code}/{save_as.format(slug=their)}" for code, their in pages.items()
            }
    return alternates


def page_languages(
    run: LanguageRun,
    siteurl: str,
    output_file: str,
    content=None,
    listing: Listing | None = None,
    first_page: str | None = None,
    settings: dict | None = None,
) -> PageLanguages:
    """Work out the canonical URL, language versions and x-default of one output file.

    `listing`: the tag or category a listing page is of. `first_page`: the output file of
    the first page of the listing a later page (index2.html...) belongs to. `settings`: the
    run's, for the URLs of tags and categories.
    """
    own_url = page_link(output_file, run.offline)
    relative = not siteurl.startswith(("http://", "https://", "/"))

    def href(lang, url):
        if not relative:
            return f"{run.site_urls[lang]}/{url}"
        return f"{siteurl}/../{lang}/{url}"

    home = page_link("index.html", run.offline)
    # Where an unavailable language's link leads instead, and what it says of it.
    instead: dict[str, tuple[str, str]] = {}
    if content is not None:
        # A hidden page leads to the other hidden versions too; a listed page only to
        # versions that are listed as well.
        hidden = getattr(content, "status", "published") == "hidden"
        index = run.index
        versions = (index.written if hidden else index.published)(content.translation_key)
        targets = {lang: version.url for lang, version in versions.items()}
        default = run.default_lang if run.default_lang in targets else run.lang
        x_default = f"{run.site_urls[default]}/{targets.get(default, own_url)}"
    elif listing is not None:
        save_as = settings[f"{listing.kind.upper()}_SAVE_AS"]
        whole = settings[f"{'TAGS' if listing.kind == 'tag' else 'CATEGORIES'}_SAVE_AS"]
        lists = "tags" if listing.kind == "tag" else "categories"
        paired = {
            lang: page_link(save_as.format(slug=slug), run.offline)
            for lang, slug in listing.counterparts.items()
        }
        if first_page is None:
            targets = paired
        else:
            # A later page's counterpart is no page of the same articles: the other
            # language's listing from its start, and no hreflang alternate.
            targets = {}
            instead = {lang: (url, "first") for lang, url in paired.items()}
        for lang in run.names:
            if lang not in paired:
                instead[lang] = (page_link(whole, run.offline), lists)
        x_default = run.landing_url
    elif first_page is not None and first_page in run.shared_pages:
        targets = {}
        instead = {lang: (page_link(first_page, run.offline), "first") for lang in run.names}
        x_default = run.landing_url
    elif output_file in run.shared_pages:
        targets = dict.fromkeys(run.names, own_url)
        x_default = run.landing_url
    else:
        targets = {}
        x_default = run.landing_url
    targets[run.lang] = own_url

    links = []
    for lang, name in run.names.items():
        available = lang in targets
        url, leads_to = (targets[lang], "home") if available else instead.get(lang, (home, "home"))
        links.append(
            LanguageLink(
                lang=lang,
                name=name,
                direction=text_direction(lang),
                href=href(lang, url),
                url=f"{run.site_urls[lang]}/{url}",
                current=lang == run.lang,
                available=available,
                leads_to=leads_to,
            )
        )
    onion = run.onion_location(f"{run.lang}/{output_file}")
    return PageLanguages(
        canonical=f"{run.site_urls[run.lang]}/{own_url}",
        links=links,
        x_default=x_default,
        onion_location=onion,
    )


@pass_context
def _page_languages(context) -> PageLanguages:
    """Jinja global: the language facts of the page being rendered."""
    content = context.get("article") or context.get("page")
    run = context["I18N_RUN"]
    listing = first_page = settings = None
    if content is None:
        page = context.get("articles_page")
        if page is not None and page.number > 1:
            first_page = context["articles_paginator"].page(1).save_as
        # An article's page has its category too; only a listing's is of a tag or category.
        for kind, wrapper in (("tag", Tag), ("category", Category)):
            term = context.get(kind)
            if isinstance(term, wrapper):
                settings = term.settings  # the run's, which Pelican gave each tag

                def slug_of(name, wrapper=wrapper, settings=settings):
                    return wrapper(name, settings).slug if name else ""

                pairings = term_pairings(run.index, kind, slug_of)
                listing = Listing(kind, term.slug, pairings.get((run.lang, term.slug), {}))
                break
    return page_languages(
        run,
        context["SITEURL"],
        context["output_file"],
        content=content,
        listing=listing,
        first_page=first_page,
        settings=settings,
    )


# The objects on which Jinja's sandbox finds internal attributes beyond a leading "_"
# (jinja2.sandbox.is_internal_attribute): functions, methods, types, frames, generators.
_WITH_INTERNALS = (
    types.FunctionType, types.MethodType, type, types.CodeType, types.TracebackType,
    types.FrameType, types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType,
)  # fmt: skip
# ... and the containers whose changing methods the immutable sandbox refuses.
_ASKED_IN_FULL = (*_WITH_INTERNALS, abc.MutableSet, abc.MutableMapping, abc.MutableSequence, deque)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox that also forbids changing lists and dicts (a template could otherwise
    rewrite the settings the gates read), with its most frequent question answered in one
    step."""

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        """Jinja's answer: templates read every attribute of every page through this."""
        if attr.startswith("_"):
            return False
        kind = type(obj)
        asked = _ASKED_BY_TYPE.get(kind)
        if asked is None or obj.__class__ is not kind:
            # isinstance() with abstract classes costs a call into abc each time; the answer
            # is the type's, unless an object claims another class than its type.
            asked = isinstance(obj, _ASKED_IN_FULL)
            if obj.__class__ is kind:
                _ASKED_BY_TYPE[kind] = asked
        if asked:
            return super().is_safe_attribute(obj, attr, value)
        return True

    def getattr(self, obj, attribute: str):
        """Jinja's answer, in one step for an object whose type is not asked in full and a
        value that is not a method (only a str's bound format methods are wrapped)."""
        kind = type(obj)
        if attribute[:1] != "_" and _ASKED_BY_TYPE.get(kind) is False and obj.__class__ is kind:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if type(value) not in _METHODS:
                    return value
        return super().getattr(obj, attribute)


# Whether objects of a type are asked in full (_ASKED_IN_FULL), by type, as they are met.
_ASKED_BY_TYPE: dict[type, bool] = {}
# Values Jinja's sandbox looks at again (jinja2.sandbox.SandboxedEnvironment.wrap_str_format).
_METHODS = (types.MethodType, types.BuiltinMethodType)


class ConfinedLoader(BaseLoader):
    """Loads templates only from inside the folders they are meant to come from.

    Jinja's FileSystemLoader follows symbolic links: a link in the theme would let a template
    include any file of the machine (the private names list, /proc/self/environ).
    """

    def __init__(self, loader: BaseLoader, roots):
        self.loader = loader
        self.roots = [Path(root).resolve() for root in roots]

    def get_source(self, environment, template):
        """The template's source, if its real path lies inside one of the roots."""
        source, filename, uptodate = self.loader.get_source(environment, template)
        if filename is not None and not any(
            Path(filename).resolve().is_relative_to(root) for root in self.roots
        ):
            raise TemplateNotFound(f"{template} (outside the theme: a symbolic link?)")
        return source, filename, uptodate

    def list_templates(self):
        """The templates the wrapped loader lists."""
        return self.loader.list_templates()


def template_roots(settings: dict) -> list[Path]:
    """Where templates may come from: the theme, its overrides, and Pelican's own theme."""
    return [
        Path(settings["THEME"]) / "templates",
        *map(Path, settings.get("THEME_TEMPLATES_OVERRIDES", [])),
        Path(pelican.__file__).parent / "themes",
    ]


def sandboxed(loader, options: dict, like: Environment | None = None) -> SandboxedEnvironment:
    """A Jinja environment whose templates cannot reach Python beyond what they are given.

    Pelican's own is a plain Environment, in which a template can walk from any function to
    `os` and open any file (the private names list among them): a theme is data here, and
    only the plugins are code. `like`: an environment whose filters, globals and tests to keep.
    """
    env = Sandbox(loader=loader, **options)
    if like is not None:
        env.filters.update(like.filters)
        env.globals.update(like.globals)
        env.tests.update(like.tests)
    return env


def install_interface(generator):
    """Sandbox the generator's Jinja, then install the language's catalog, Babel date filters
    and language helpers into it."""
    # generator_init comes before any template is loaded, so every page renders sandboxed.
    generator.env = sandboxed(
        ConfinedLoader(generator.env.loader, template_roots(generator.settings)),
        generator.settings["JINJA_ENVIRONMENT"],
        like=generator.env,
    )
    run = language_run(generator.settings)
    catalogs = load_all(run.catalogs, run.names, run.msgid_lang)
    install_into(generator.env, catalogs, run.lang, generator.settings["OFFLINE"], run.pseudonyms)
    generator.env.globals["page_languages"] = _page_languages


def install_into(
    env, catalogs: Catalogs, lang: str, offline: bool = False, pseudonyms: Pseudonyms | None = None
) -> None:
    """Give a Jinja environment gettext for `lang`, `gettext_in`, Babel dates, page_link, the
    text direction of `lang` (DIRECTION) and of any language (the text_direction filter), and
    how `lang`'s pages write each pseudonym (the pseudonym filter)."""
    translations = catalogs.get(lang)
    env.install_gettext_translations(translations, newstyle=True)
    # Jinja's newstyle functions, without the two calls through the template context that
    # each string took, on every string of every page; `_` is gettext itself.
    gettext = _newstyle_gettext(translations.gettext)
    env.globals.update(
        _=gettext, gettext=gettext, ngettext=_newstyle_ngettext(translations.ngettext)
    )
    env.filters["page_link"] = partial(page_link, offline=offline)
    env.filters["pseudonym"] = partial((pseudonyms or Pseudonyms()).shown, lang=lang)
    env.globals["gettext_in"] = _gettext_in(catalogs)
    env.filters["format_date"] = partial(_format_date, locale=lang)
    env.filters["format_skeleton"] = partial(_format_skeleton, locale=lang)
    env.filters["format_size"] = partial(format_size, locale=lang)
    env.tests["ascii"] = str.isascii
    # The page's own direction, and any other language's for its names and text inside it.
    env.globals["DIRECTION"] = text_direction(lang)
    env.filters["text_direction"] = text_direction
    # Another language named inside a sentence of this one ("Read the original in Korean").
    env.filters["language_name"] = partial(language_name, locale=lang)
    # Open Graph's locales and a page's image to share (press.rendering.sharing).
    env.filters["og_locale"] = og_locale
    env.globals["share_image"] = share_image
    env.globals["remembered"] = _remembered()


def _remembered():
    """`remembered(kind, item, make)`: `make(item)` (a macro), made once per item and kind in
    an environment, for a part of a page that depends on the item alone (an article's byline,
    which every listing that shows the article repeats)."""
    made = {}

    def remembered(kind: str, item, make):
        key = (kind, id(item))
        if key not in made:
            made[key] = (item, make(item))  # the item kept: its id is not given to another
        return made[key][1]

    return remembered


def _newstyle_gettext(translate):
    """jinja2.ext's newstyle gettext; a string without variables is made once per language."""
    made = {}

    @pass_eval_context
    def gettext(eval_ctx, string, /, **variables):
        if not eval_ctx.autoescape:
            return translate(string) % variables
        if variables:
            return Markup(translate(string)) % variables
        if string not in made:
            # Formatted even without variables, as Jinja does: "%%" becomes "%".
            made[string] = Markup(translate(string)) % variables
        return made[string]

    return gettext


def _newstyle_ngettext(translate):
    """jinja2.ext's newstyle ngettext."""

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        text = translate(singular, plural, num)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    return ngettext


def _gettext_in(catalogs: Catalogs):
    @pass_eval_context
    def gettext_in(eval_ctx, lang, message, **variables):
        return catalogs.gettext_in(lang, message, autoescape=eval_ctx.autoescape, **variables)

    return gettext_in


def page_link(save_as: str, offline: bool = False) -> str:
    """The link to an output file: its folder online, the file itself offline (file://)."""
    return save_as if offline else save_as.removesuffix("index.html")


# Memoized: a listing formats the same few hundred dates again on every page, and Babel
# looks up the locale's patterns on each call.
@lru_cache(maxsize=4096)
def _format_date(value, format="long", locale="en"):
    return format_date(value, format=format, locale=locale)


@lru_cache(maxsize=4096)
def _format_skeleton(value, skeleton, locale="en"):
    return format_skeleton(skeleton, value, locale=locale)


def format_size(size: int, locale: str = "en") -> str:
    """A file's size as the language writes it: "1.2 MB" (Korean "1.2MB"), "35 kB" below one."""
    if size >= 1_000_000:
        return format_unit(round(size / 1e6, 1), "digital-megabyte", length="short", locale=locale)
    kilobytes = max(1, round(size / 1000))
    return format_unit(kilobytes, "digital-kilobyte", length="short", locale=locale)
