"""The files every language shares, written once by the build: theme files, images,
the landing page, the translation status page, the sitemap, robots.txt and the host files."""

import shutil
from pathlib import Path

from jinja2 import FileSystemLoader

from press.build.errors import BuildError
from press.core.settings import onion_location_of
from press.publishing.sitemap import page_url, robots_txt, write_sitemap
from press.rendering.multilingual import (
    ConfinedLoader,
    LanguageRun,
    feed_style,
    install_into,
    sandboxed,
    template_roots,
    term_alternates,
)
from press.review.status_page import STATES, site_progress
from press.safety.headers import meta_policy, netlify_headers, netlify_redirects
from press.safety.images import ImageRefused
from press.safety.media import publish_images
from press.safety.refusals import DocumentRefused
from press.translations.catalogs import load_all


def root_environment(settings: dict, run: LanguageRun):
    """The Jinja environment of the pages at the site's root, which speak every language."""
    catalogs = load_all(run.catalogs, run.names, run.msgid_lang)
    # The same Jinja options as Pelican's own environments (autoescape, i18n, ...).
    templates = FileSystemLoader(str(Path(settings["THEME"]) / "templates"))
    env = sandboxed(
        ConfinedLoader(templates, template_roots(settings)), settings["JINJA_ENVIRONMENT"]
    )
    install_into(env, catalogs, settings["DEFAULT_LANG"], offline=settings["OFFLINE"])
    return env


def write_landing(settings: dict, run: LanguageRun, output: Path, env=None) -> None:
    """Write the bilingual page at the site's root that lets a reader choose a language."""
    env = env or root_environment(settings, run)
    html = env.get_template(settings["LANDING_TEMPLATE"]).render(
        SITENAME=settings["SITENAME"],
        DEFAULT_LANG=settings["DEFAULT_LANG"],
        languages=run.names,
        site_urls=run.site_urls,
        landing_url=run.landing_url,
        subtitles={
            code: settings["I18N_LANGUAGES"][code].get("SITESUBTITLE", "") for code in run.names
        },
        THEME_STATIC_DIR=settings["THEME_STATIC_DIR"],
        CSP_META=meta_policy(settings["CONTENT_SECURITY_POLICY"]),
        OFFLINE=settings["OFFLINE"],
        # This page at the onion service, for Tor Browser where no host header can say so.
        onion_location=run.onion_location("index.html"),
    )
    (output / "index.html").write_text(html, encoding="utf-8")


def write_status_page(settings: dict, run: LanguageRun, output: Path, env=None) -> str | None:
    """Write the translation status page (STATUS_SAVE_AS); return its path inside `output`,
    or None when the settings ask for none.

    One page at the site's root, for every language at once, each language's part in that
    language: what it shows is the state of the whole site, and the main process has it from
    the index (press.review.status_page) while the languages render.
    """
    save_as = settings["STATUS_SAVE_AS"]
    if not save_as:
        return None
    env = env or root_environment(settings, run)
    html = env.get_template(settings["STATUS_TEMPLATE"]).render(
        SITENAME=settings["SITENAME"],
        DEFAULT_LANG=settings["DEFAULT_LANG"],
        languages=run.names,
        progress=site_progress(settings, run.index),
        states=STATES,
        root="../" * save_as.count("/"),
        status_url=page_url(settings["SITEURL"].rstrip("/"), save_as),
        THEME_STATIC_DIR=settings["THEME_STATIC_DIR"],
        CSP_META=meta_policy(settings["CONTENT_SECURITY_POLICY"]),
        OFFLINE=settings["OFFLINE"],
        REVIEW_BUILD=settings["REVIEW_BUILD"],
        onion_location=run.onion_location(save_as),
    )
    target = output / save_as
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return save_as


def write_feed_styles(settings: dict, run: LanguageRun, output: Path) -> None:
    """Each language's XSLT style sheet, which shows its feeds in a browser as a page in that
    language (the feeds name it: press.rendering.multilingual.finish_feed)."""
    catalogs = load_all(run.catalogs, run.names, run.msgid_lang)
    templates = FileSystemLoader(str(Path(settings["THEME"]) / "templates"))
    static = settings["THEME_STATIC_DIR"]
    for lang in run.names:
        env = sandboxed(
            ConfinedLoader(templates, template_roots(settings)), settings["JINJA_ENVIRONMENT"]
        )
        install_into(env, catalogs, lang)
        target = output / feed_style(static, lang)
        # Relative to the feed, whose address the page it becomes keeps.
        up = "../" * (settings["FEED_ALL_ATOM"].count("/") + 1)
        xsl = env.get_template(settings["FEED_STYLE_TEMPLATE"]).render(
            LANG=lang,
            SITENAME=settings["SITENAME"],
            CSS=f"{up}{static}/css/site.css",
            CSP_META=meta_policy(settings["CONTENT_SECURITY_POLICY"]),
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(xsl, encoding="utf-8")


def write_publishing_files(settings: dict, index, shared_pages, output: Path, files) -> None:
    """sitemap.xml, robots.txt, and the _headers and _redirects of Netlify-like hosts.

    `files`: the languages' files (paths inside `output`), as their runs listed them.
    """
    site_root = settings["SITEURL"].rstrip("/")
    languages = list(settings["I18N_LANGUAGES"])
    listings = shared_pages - {settings.get("NOTFOUND_SAVE_AS", "404.html")}
    if settings["STATUS_SAVE_AS"]:  # listed like every page of the site
        files = [*files, settings["STATUS_SAVE_AS"]]
    terms = term_alternates(index, settings)
    write_sitemap(
        output, site_root, index, languages, listings, settings["DEFAULT_LANG"], files, terms
    )
    allow = not settings["REVIEW_BUILD"]
    (output / "robots.txt").write_text(robots_txt(site_root, allow), encoding="utf-8")
    # Onion-Location on every page of the public site, when it has an onion service: the
    # landing page, the status page and every language's pages (not on the mirror itself).
    onion = onion_location_of(settings)
    pages = [name for name in ["index.html", *files] if name.endswith(".html")]
    headers = netlify_headers(settings["SECURITY_HEADERS"], onion, pages)
    (output / "_headers").write_text(headers, "utf-8")
    redirects = netlify_redirects(languages, settings["DEFAULT_LANG"])
    (output / "_redirects").write_text(redirects, encoding="utf-8")


FAVICON = "favicon.ico"  # where browsers look for a site's icon when a page names none
# The theme's colours (theme/static/css/site.css: --accent, --background).
_ICON_BACKGROUND, _ICON_LETTER = (0x1D, 0x4E, 0x89), (0xFD, 0xFC, 0xFA)


def write_favicon(output: Path) -> None:
    """Write the site's icon, an "F" drawn in the theme's colours, as a bitmap .ico.

    A bitmap, not SVG: Tor Browser's "Safest" level shows no SVG. Drawn with rectangles,
    no font, so every build writes the same bytes.
    """
    # Imported here, as press.safety.media does: Pillow is loaded only by what draws.
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (32, 32), _ICON_BACKGROUND)
    draw = ImageDraw.Draw(image)
    for box in ((9, 6, 13, 25), (9, 6, 23, 10), (9, 14, 20, 17)):  # stem, top bar, middle bar
        draw.rectangle(box, fill=_ICON_LETTER)
    image.save(output / FAVICON, format="ICO", sizes=[(16, 16), (32, 32)])


def write_shared_files(settings: dict, run: LanguageRun, staging: Path) -> None:
    """The theme's files, the shared images and documents (cleaned) and the landing page.

    `run`: what the default language's run knows of the site, which the landing page shows.
    """
    max_pixels = settings["CHECK_MAX_IMAGE_PIXELS"]
    # The theme's images and documents are cleaned like the content's: a logo can carry
    # metadata, private chunks or bytes after its end as well as a photo can.
    folders = [(Path(settings["THEME"]) / "static", staging / settings["THEME_STATIC_DIR"], True)]
    folders += [
        (Path(settings["PATH"]) / folder, staging / folder, False)
        for folder in settings["STATIC_PATHS"]
    ]
    for source, target, theme in folders:
        if not source.is_dir():
            continue
        try:
            publish_images(source, target, max_pixels, keep_times=theme)
        except ImageRefused as refused:  # what the checks could not know before decoding
            raise BuildError([str(refused.problem)]) from refused
        except DocumentRefused as refused:
            raise BuildError(map(str, refused.problems)) from None
    write_favicon(staging)
    env = root_environment(settings, run)
    write_landing(settings, run, staging, env)
    write_status_page(settings, run, staging, env)
    write_feed_styles(settings, run, staging)
    if edition := settings["OFFLINE_EDITION"]:
        # Built before this build by `make publish` (press.build.publication), which gave
        # every page its size and digest: published as those bytes.
        target = staging / settings["OFFLINE_EDITION_SAVE_AS"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(edition["path"], target)
        if signature := edition.get("signature"):
            # Beside the ZIP, under the name it was signed beside (<name>.zip.minisig), where
            # minisign looks for it. Named from its path rather than by press.publishing.signing,
            # whose minisign and cryptography would weigh on every build process (bench/README.md).
            shutil.copyfile(signature, target.parent / Path(signature).name)
