"""Tasks of the FFHR site: `invoke --list` shows them, README.md explains them."""

import getpass
import logging
import os
import shutil
import sys
import threading
from contextlib import chdir, nullcontext, suppress
from functools import partial
from pathlib import Path

from invoke import Collection, Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from press.build.errors import BuildError
from press.build.offline import build_offline
from press.build.pipeline import build as build_site
from press.build.preview import PortInUse, preview_server, served_siteurl
from press.build.publication import NotReproducible
from press.build.publication import publish as publish_site
from press.build.review_site import build_review
from press.build.watch import watch as watch_sources
from press.checks.content import agreed_names
from press.cli import translations
from press.cli.check import report as check_content
from press.cli.weight import report as page_weight
from press.core.clock import build_now
from press.core.settings import (
    TARGET_SITES,
    SettingsError,
    load_settings,
    onion_override,
    unknown_language,
)
from press.publishing.deploy import (
    DeployError,
    chosen_targets,
    deploy_to_targets,
    recorded_source,
    release_folder,
)
from press.publishing.deploy import deploy as deploy_output
from press.publishing.deploy import rollback as roll_back
from press.publishing.edition import NoPublicKey, reader_public_key, verify_edition
from press.publishing.nginx import nginx_config
from press.publishing.signing import (
    MAKE_OUTSIDE,
    SigningError,
    environment_password,
    generate_key_pair,
    load_signing_key,
    refuse_inside,
    refuse_replacing,
    signature_path,
)
from press.review.glossary import glossary_path, start_glossary
from press.safety.catalogs import name_no_one
from press.translations.catalogs import (
    KEYWORDS,
    CatalogError,
    catalog_path,
    theme_messages,
    write_compiled,
)

SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
LOCALE = ROOT / "locale"
POT = LOCALE / "messages.pot"
BABEL_CONFIG = ROOT / "babel.cfg"
HOST, PORT, REVIEW_PORT = "127.0.0.1", 8000, 8001  # review and serve can run at once
TRANSLATOR_PSEUDONYM = "FFHR translators"  # new catalogs' Last-Translator and Language-Team
# The offline edition's secret key: a file outside the repository, and its password if any.
SIGNING_KEY_FILE, SIGNING_KEY_PASSWORD = "SIGNING_KEY_FILE", "SIGNING_KEY_PASSWORD"


def _pybabel(*args):
    """Run a pybabel command in this process, stopping on failure."""
    from babel.messages.frontend import CommandLineInterface

    if CommandLineInterface().run(["pybabel", *args]):
        raise Exit(f"pybabel {args[0]} failed", code=1)


def _log_progress():
    """Show the build's progress, and Pelican's warnings and errors but not every file written."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pelican").setLevel(logging.WARNING)
    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # the watcher names the changes


def _build(settings, jobs, override=None):
    _log_progress()
    try:
        return build_site(settings, jobs=jobs, override=override).output
    except BuildError as exc:
        count = len(exc.problems)
        _stop(
            exc.problems, f"Build failed: {count} problem(s), output/ left as it was", count=False
        )


@task(help={"now": "list the articles still embargoed at this date (YYYY-MM-DD [HH:MM])"})
def check(c, now=""):
    """Check all content and catalogs; print every problem as path:line: what to do."""
    settings = _settings(SETTINGS, {"BUILD_NOW": now} if now else None)
    try:
        build_now(settings)
    except ValueError as exc:
        raise Exit(f"--now: {exc}", 2) from None
    if check_content(settings):
        raise Exit(code=1)


@task
def build(c, jobs=0):
    """Build every language's site into output/ (development settings)."""
    _build(SETTINGS, jobs or None)


@task(help={"mirror": "onion: build the onion mirror (ONION_URL) into ONION_OUTPUT_PATH"})
def publish(c, jobs=0, mirror=""):
    """Build for production twice, run every gate, then replace output/ (needs SIGNING_KEY_FILE)."""
    settings, override = _site_settings(mirror or "public")
    folder = ROOT / (settings["ONION_OUTPUT_PATH"] if override else "output")
    name = f"{folder.relative_to(ROOT)}/"
    key = _signing_key(settings)
    _log_progress()
    try:
        publish_site(PUBLISH_SETTINGS, folder, jobs or None, override, key)
    except NotReproducible as exc:
        _stop(exc.problems, f"Publish stopped: two builds differ; {name} left as it was")
    except BuildError as exc:
        _stop(exc.problems, f"Publish stopped; {name} left as it was")
    print(f"Published {settings['SITEURL']} into {name}: every gate passed, and two builds "
          "were identical.")  # fmt: skip
    print(f"{name}{settings['OFFLINE_EDITION_SAVE_AS']}: {_signed_by(key)}")


def _signing_key(settings):
    """The key of SIGNING_KEY_FILE, checked against the committed public key; None without.

    Stops, saying why, at a key that must not or cannot sign.
    """
    secret = os.environ.get(SIGNING_KEY_FILE)
    if not secret:
        return None
    public_key = settings["OFFLINE_EDITION_PUBLIC_KEY"]
    if not public_key:
        raise Exit(f"{SIGNING_KEY_FILE} is set, but no OFFLINE_EDITION_PUBLIC_KEY to check "
                   "its key against; nothing was done", 1)  # fmt: skip
    try:
        return load_signing_key(Path(secret), Path(public_key), ROOT, _password)
    except SigningError as exc:
        raise Exit(f"Signing key refused: {exc}; nothing was done", 1) from None


def _password(confirm=False):
    """The secret key's password: SIGNING_KEY_PASSWORD, or asked at a terminal; else None.

    `confirm`: for a new key, asked twice, and empty for none. An empty SIGNING_KEY_PASSWORD
    is no password (an unset repository secret arrives as one): as if it were unset.
    """
    if (given := environment_password(os.environ, SIGNING_KEY_PASSWORD)) is not None:
        return given
    if not sys.stdin.isatty():
        return None
    ask = "A password for the new secret key (empty: none): " if confirm else "Password: "
    try:
        password = getpass.getpass(ask)
        if confirm and getpass.getpass("The same password again: ") != password:
            raise Exit("The two passwords differ; nothing was done", 1)
    except EOFError:  # Ctrl-D
        raise Exit("No password given; nothing was done", 1) from None
    return password


def _signed_by(key) -> str:
    """What the person publishing should know of the offline edition's signature."""
    if key is None:
        return (
            f"The offline edition is NOT signed ({SIGNING_KEY_FILE} is not set): a development "
            "edition, not for readers."
        )
    return f"The offline edition is signed with key {key.key_id}."


def _site_settings(site: str):
    """The production settings of `site` ("public" or "onion") and what they override."""
    if site not in TARGET_SITES:
        raise Exit(f"unknown mirror '{site}': the one mirror built here is onion", 2)
    settings = _settings(PUBLISH_SETTINGS)
    if site == "public":
        return settings, None
    try:
        override = onion_override(settings)
    except SettingsError as exc:
        _stop(exc.problems, "No onion mirror is configured; nothing was done")
    return _settings(PUBLISH_SETTINGS, override), override


def _settings(settings_file, override=None):
    """The settings of `settings_file`; stop, naming each problem, if they have any."""
    try:
        return load_settings(settings_file, override)
    except SettingsError as exc:
        _stop(exc.problems, f"{Path(settings_file).name} has problems; nothing was done")


def _stop(problems, message, count=True):
    """Print every problem, then stop with `message` (and how many there were) and code 1."""
    for problem in problems:
        print(problem, file=sys.stderr)
    raise Exit(f"{message} ({len(problems)} problem(s))" if count else message, 1)


@task(help={"to": "gh-pages or rsync", "remote": "git remote or URL (gh-pages)",
            "target": "release folder (rsync): a path, or [user@]host:path over ssh",
            "targets": "names of DEPLOY['TARGETS'], comma-separated, or all: each in turn",
            "allow-dirty": "deploy uncommitted changes to sources (recorded as such)"})  # fmt: skip
def deploy(c, to="", remote="", target="", targets="", allow_dirty=False):
    """Deploy output/ (from make publish) to GitHub Pages or rsync, or to configured targets."""
    if targets:
        if to or remote or target:
            raise Exit("--targets deploys the targets the settings name: no --to, --remote "
                       "or --target with it", 2)  # fmt: skip
        _deploy_targets(targets, allow_dirty)
        return
    if not to:
        raise Exit("say where: --to gh-pages, --to rsync, or --targets <names> (or all)", 2)
    try:
        done = deploy_output(ROOT / "output", _settings(PUBLISH_SETTINGS), to, ROOT, remote,
                             target, allow_dirty)  # fmt: skip
    except DeployError as exc:
        _refused(exc)
    print(done.describe())


def _deploy_targets(names: str, allow_dirty: bool):
    """Deploy to each named target in turn, print each one's result; exit 1 if any failed."""
    settings = _settings(PUBLISH_SETTINGS)
    try:
        chosen = chosen_targets(names, settings["DEPLOY"]["TARGETS"])
    except DeployError as exc:
        _refused(exc)
    sites = {"public": (ROOT / "output", settings)}
    if settings["ONION_URL"]:
        onion, _ = _site_settings("onion")
        sites["onion"] = (ROOT / settings["ONION_OUTPUT_PATH"], onion)
    results = deploy_to_targets(sites, settings, chosen, ROOT, allow_dirty)
    for result in results:
        print(result.describe(), file=sys.stdout if result.ok else sys.stderr)
    failed = [result.name for result in results if not result.ok]
    if failed:
        raise Exit(f"Deployed to {len(results) - len(failed)} of {len(results)} targets; "
                   f"failed: {', '.join(failed)}", 1)  # fmt: skip
    print(f"Deployed to all {len(results)} targets.")


@task(help={"target": "release folder (rsync): a path, or [user@]host:path over ssh",
            "to": "a release id (default: the previous)"})  # fmt: skip
def rollback(c, target="", to=""):
    """Point an rsync deploy's current release back at the previous one."""
    try:
        folder = release_folder(_settings(PUBLISH_SETTINGS), target)
        release = roll_back(folder, to or None)
    except DeployError as exc:
        _refused(exc)
    print(f"{folder}/current now points at {release} (commit {recorded_source(folder, release)}).")


@task(help={"check": "only check that deploy/nginx.conf is up to date (exit 1 if not)",
            "mirror": "onion: deploy/nginx-onion.conf, the onion mirror's server"})  # fmt: skip
def nginx(c, check=False, mirror=""):
    """Write deploy/nginx.conf, the self-hosting configuration, from publishconf.py."""
    settings, override = _site_settings(mirror or "public")
    path = ROOT / "deploy" / ("nginx-onion.conf" if override else "nginx.conf")
    try:
        config = nginx_config(settings)
    except DeployError as exc:  # a target over ssh it cannot read
        _refused(exc)
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if check:
        if current != config:
            raise Exit(f"{path.relative_to(ROOT)} is out of date: run `invoke nginx`", 1)
        print(f"{path.relative_to(ROOT)} is up to date.")
        return
    path.write_text(config, encoding="utf-8")
    print(f"{path.relative_to(ROOT)} written ({len(config.splitlines())} lines).")


def _refused(exc: DeployError):
    """Stop with a refused deploy's problems and message."""
    if exc.problems:
        _stop(exc.problems, str(exc))
    raise Exit(str(exc), exc.code) from None


@task(help={"articles": "articles per language", "runs": "repetitions of each build"})
def bench(c, articles=1000, runs=5, growth=False):
    """Benchmark the build against pelican-i18n-subsites, plain Pelican and Markdown alone."""
    c.run(f"{sys.executable} -m bench --articles {articles} --runs {runs}"
          + (" --growth" if growth else ""), pty=False)  # fmt: skip


@task
def weight(c, budget=61440):
    """Print every built page's weight with its CSS and images; fail over the budget."""
    output = ROOT / "output"
    if not output.is_dir():
        raise Exit(f"{output} is not a folder: build the site first (invoke build)", 2)
    if code := page_weight(output, budget):
        raise Exit(code=code)


@task
def offline(c, jobs=0):
    """Write dist/ffhr-offline.zip (signed with SIGNING_KEY_FILE's key, if set), for file://."""
    key = _signing_key(_settings(PUBLISH_SETTINGS))
    _log_progress()
    target = ROOT / "dist" / "ffhr-offline.zip"
    try:
        zip_path = build_offline(PUBLISH_SETTINGS, target, jobs or None, key)
    except BuildError as exc:
        _stop(exc.problems, "Offline edition not written")
    print(f"{zip_path.relative_to(ROOT)}: {zip_path.stat().st_size:,} bytes")
    if key is not None:
        print(f"{signature_path(zip_path).relative_to(ROOT)}: its signature")
    print(_signed_by(key))


@task(help={"path": "the offline edition: its ZIP (with its .minisig beside it) or a folder",
            "key": "the public key to check with (default: the committed one)"})  # fmt: skip
def verify(c, path, key=""):
    """Check a copy of the offline edition: its signatures, and every file against SHA256SUMS."""
    public_key_file = key or _settings(PUBLISH_SETTINGS)["OFFLINE_EDITION_PUBLIC_KEY"]
    if not public_key_file:
        raise Exit("No public key: give one with --key", 2)
    try:
        public_key = reader_public_key(Path(public_key_file))
    except NoPublicKey as exc:
        raise Exit(str(exc), 2) from None
    report = verify_edition(Path(path), public_key, Path(public_key_file))
    if report.problems:
        _stop(report.problems, f"{report.checked} is NOT a sound copy of the offline edition "
              f"({len(report.problems)} problem(s)): do not open it or pass it on; get a copy "
              "from the site again and check it", count=False)  # fmt: skip
    print(f"{report.checked}: signed by key {report.key_id} ({report.public_key}); signatures "
          f"good ({', '.join(report.signatures)}); all {report.files} files of SHA256SUMS "
          "there and unchanged, none added.")  # fmt: skip


@task(help={"secret": "the secret key's new file, outside the repository "
                      f"(default: ${SIGNING_KEY_FILE})",
            "replace": "replace the committed public key: a new key for every reader "
                       "(docs/publishing.md, 'Rotating it')"})  # fmt: skip
def keygen(c, secret="", replace=False):
    """Make the offline edition's key pair: the secret outside, the public key committed."""
    secret = secret or os.environ.get(SIGNING_KEY_FILE, "")
    if not secret:
        raise Exit(f"Name the secret key's file, outside the repository: --secret PATH or "
                   f"{SIGNING_KEY_FILE}", 2)  # fmt: skip
    public_key = Path(_settings(PUBLISH_SETTINGS)["OFFLINE_EDITION_PUBLIC_KEY"] or "")
    if not public_key.name:
        raise Exit("OFFLINE_EDITION_PUBLIC_KEY is not set: say where the public key goes", 2)
    try:  # before any password is asked for
        refuse_inside(Path(secret), ROOT, MAKE_OUTSIDE)
        refuse_replacing(ROOT / public_key, replace)
    except SigningError as exc:
        raise Exit(f"No key made: {exc}", 1) from None
    replaced = (
        public_key.read_text(encoding="ascii").split("\n", 1)[0] if public_key.is_file() else ""
    )
    password = _password(confirm=True) or None
    try:
        key_id = generate_key_pair(Path(secret), public_key, ROOT, password, replace)
    except SigningError as exc:
        raise Exit(f"No key made: {exc}", 1) from None
    if replaced:
        print(f"Replaced the old public key ({replaced.removeprefix('untrusted comment: ')}): "
              "see 'The signing key' in docs/publishing.md for what comes next.")  # fmt: skip
    print(
        f"Secret key {key_id}: {secret} ("
        + ("protected by a password" if password else "NOT protected by a password")
        + ")"
    )
    print(f"Public key: {public_key.relative_to(ROOT)}. Commit it; keep the secret key offline, "
          "with a backup (docs/publishing.md).")  # fmt: skip


WATCH_HELP = {"watch": "build again after each edit (the default); --no-watch: build once"}


@task(help={**WATCH_HELP, "port": f"the port to serve on (default {PORT})"})
def serve(c, port=PORT, watch=True):
    """Build, serve output/ at http://localhost:8000 and rebuild after each edit, until Ctrl-C."""
    # The port first: a busy one stops the task before it builds anything.
    with _server(ROOT / "output", port, "make serve PORT=8123 / invoke serve --port") as server:
        override = {"SITEURL": served_siteurl(_settings(SETTINGS)["SITEURL"], port)}
        _build(SETTINGS, None, override)
        _serve(server, partial(build_site, SETTINGS, override=override) if watch else None)


def _server(output, port, option):
    """A preview server for `output` on `port`; stop naming `option` if the port is busy."""
    settings = _settings(SETTINGS)
    try:
        return preview_server(
            output, port, settings["I18N_LANGUAGES"], settings["DEFAULT_LANG"], HOST
        )
    except PortInUse:
        raise Exit(f"port {port} is in use; choose another: {option}", 1) from None


def _serve(server, rebuild=None):
    """Serve until Ctrl-C; with `rebuild`, call it after each edit of the sources meanwhile."""
    stop = threading.Event()
    if rebuild is not None:
        # Settings, content, theme and catalogs; not plugins/: their code is already loaded.
        paths = [ROOT / "content", ROOT / "theme", LOCALE, SETTINGS]
        threading.Thread(target=watch_sources, args=(rebuild, paths, stop), daemon=True).start()
        print("Watching content/, theme/, locale/ and pelicanconf.py for edits")
    print(
        f"Serving {server.folder} at http://localhost:{server.server_address[1]}/ (Ctrl-C to stop)"
    )
    try:
        with suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        stop.set()


@task
def lint(c, fix=False):
    """Check the Python code with ruff (lint and format); --fix rewrites it."""
    if fix:
        c.run(f"{sys.executable} -m ruff check --fix .")
        c.run(f"{sys.executable} -m ruff format .")
    else:
        c.run(f"{sys.executable} -m ruff check .")
        c.run(f"{sys.executable} -m ruff format --check .")


@task(pre=[lint])
def test(c):
    """Run ruff and the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=False)


@task
def clean(c):
    """Remove what builds leave: output/ (and the onion mirror's), review/, dist/, cache/
    and compiled catalogs."""
    for name in ("output", _settings(PUBLISH_SETTINGS)["ONION_OUTPUT_PATH"], "review", "dist",
                 "cache"):  # fmt: skip
        shutil.rmtree(ROOT / name, ignore_errors=True)
    for mo in LOCALE.glob("*/LC_MESSAGES/*.mo"):
        mo.unlink()


@task
def extract(c):
    """Extract the theme's interface text into locale/messages.pot."""
    keywords = [
        f"-k{name}:{','.join(map(str, spec))}"
        for name, spec in KEYWORDS.items()
        if name == "gettext_in"
    ]
    # The project is named as the catalog checks expect it: the site's own name.
    site = _settings(SETTINGS)["SITENAME"]
    # Run from the root so the catalog names templates by relative path, not this machine's.
    with chdir(ROOT):
        _pybabel(
            "extract",
            "-F",
            "babel.cfg",
            *keywords,
            "-o",
            str(POT.relative_to(ROOT)),
            f"--project={site}",
            f"--copyright-holder={site}",
            "--sort-by-file",
            ".",
        )


@task
def init(c, lang):
    """Start the catalog of a new language from locale/messages.pot, and its glossary."""
    from babel.messages.pofile import read_po, write_po

    if (problem := unknown_language(lang)) is not None:
        raise Exit(f"--lang: {problem}; nothing was done", 2)
    po = catalog_path(LOCALE, lang)
    if po.exists():
        # pybabel init would write an empty catalog over it, translations and all.
        print(
            f"{po.relative_to(ROOT)} exists already; left as it is (`invoke i18n.update` brings "
            "it up to date with locale/messages.pot)."
        )
    else:
        _pybabel("init", "-i", str(POT), "-d", str(LOCALE), "-l", lang)
        # pybabel fills in placeholder names and addresses; catalogs are published, so they
        # name the team by its pseudonym and give no address (invoke check refuses others).
        with po.open("rb") as fileobj:
            catalog = read_po(fileobj)
        name_no_one(catalog, TRANSLATOR_PSEUDONYM)
        with po.open("wb") as fileobj:
            write_po(fileobj, catalog, width=100)
    # Translations into the language are checked against its glossary (translations.qa):
    # start one, with no terms yet, for its translators to fill.
    glossary = glossary_path(LOCALE, lang).relative_to(ROOT)
    if start_glossary(LOCALE, lang, _settings(SETTINGS)["DEFAULT_LANG"]):
        print(
            f"Wrote {glossary}: a glossary with no terms yet, for translations into {lang}; "
            "add the agreed terms there (an example is in its comments)."
        )
    else:
        print(f"{glossary} exists already; left as it is.")


@task
def update(c):
    """Merge locale/messages.pot into every language's catalog."""
    # Lines as wide as i18n.init writes them (and the project's code): a catalog keeps its
    # shape, and its diffs show only what changed.
    _pybabel(
        "update", "-i", str(POT), "-d", str(LOCALE), "--previous", "--ignore-pot-creation-date",
        "--width", "100",
    )  # fmt: skip


@task(name="compile")
def compile_(c):
    """Check and compile every catalog to .mo (the build compiles its own, in memory)."""
    settings = _settings(SETTINGS)
    names, problems = agreed_names(settings)
    if problems:
        _stop(problems, "The pseudonym list has problems; nothing was compiled")
    try:
        used = theme_messages(ROOT, BABEL_CONFIG)
        written = write_compiled(
            LOCALE,
            settings["I18N_LANGUAGES"],
            settings["I18N_MSGID_LANG"],
            expected=used,
            names=names,
        )
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        raise Exit("Catalogs have problems; nothing was compiled for them", 1) from None
    for path in written:
        print(f"Compiled {path.relative_to(ROOT).with_suffix('.po')} to {path.name}")


def _exit_with(code: int) -> None:
    """Stop with a command's exit code, unless it is 0."""
    if code:
        raise Exit(code=code)


@task(name="status")
def translation_status(c, json=False, strict=False):
    """Show every translation's and catalog's state; --strict fails on any unfinished one."""
    _exit_with(translations.show_status(_settings(SETTINGS), json, strict))


@task(
    name="sync",
    help={
        "path": "the translated file",
        "all": "every translation: lists what would change (add --yes to write it)",
        "yes": "with --all: write the changes it lists",
    },
)
def translation_sync(c, path="", all=False, yes=False):
    """Record a translation's source as it is now (approved and changed: back to review)."""
    settings = _settings(SETTINGS)
    if all:
        _exit_with(translations.sync_all(settings, yes))
    elif path:
        _exit_with(translations.sync(settings, [path]))
    else:
        raise Exit("name a translated file with --path, or --all", 2)


@task(name="approve", help={"path": "the translated file", "reviewer": "your pseudonym"})
def translation_approve(c, path, reviewer=""):
    """Approve a synced, up-to-date translation: readers see it from the next build."""
    if not reviewer.strip():
        raise Exit(
            "--reviewer NAME is needed: the pseudonym you sign the approval with (one of "
            "content/pseudonyms.toml); nothing was done",
            2,
        )
    _exit_with(translations.approve(_settings(SETTINGS), path, reviewer))


@task(
    name="ack",
    help={"path": "the translated file", "reason": "why the source's changes need no change"},
)
def translation_ack(c, path, reason=""):
    """Record that an approved translation needs no change for its source's edits (and why)."""
    _exit_with(translations.ack(_settings(SETTINGS), path, reason))


@task(name="diff")
def translation_diff(c, path):
    """Show what changed in a translation's source since its sync, and in it since approval."""
    _exit_with(translations.diff(_settings(SETTINGS), path))


@task(name="qa")
def translation_qa(c):
    """Check every translation against its source and every catalog; list each finding."""
    _exit_with(translations.qa(_settings(SETTINGS)))


@task(
    help={
        "serve": f"serve it at http://localhost:{REVIEW_PORT}, building again after each edit",
        "port": f"the port to serve it on (default {REVIEW_PORT})",
    }
)
def review(c, serve=False, port=REVIEW_PORT):
    """Build the review site into review/: dashboard, side by side pages, every translation."""
    review_folder = ROOT / "review"
    option = "invoke review --serve --port 8123"
    with _server(review_folder, port, option) if serve else nullcontext() as server:
        _log_progress()
        try:
            output = build_review(SETTINGS, review_folder)
        except BuildError as exc:
            _stop(exc.problems, "Review build failed", count=False)
        print(f"Review site: {output / 'index.html'}")
        if server is not None:
            _serve(server, partial(build_review, SETTINGS, review_folder))


namespace = Collection(
    check,
    build,
    publish,
    serve,
    review,
    deploy,
    rollback,
    nginx,
    offline,
    verify,
    keygen,
    weight,
    bench,
    lint,
    test,
    clean,
)
namespace.add_collection(Collection("i18n", extract, init, update, compile_))
namespace.add_collection(
    Collection(
        "translations",
        translation_status,
        translation_sync,
        translation_approve,
        translation_ack,
        translation_diff,
        translation_qa,
    )
)
