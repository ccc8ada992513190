"""`make publish`: the production build, made twice, published only when both agree."""

import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from press import PROJECT_ROOT
from press.build.errors import BuildError
from press.build.offline import build_offline
from press.build.pipeline import BuildReport, build, read_settings
from press.build.staging import replace_output
from press.build.state import lock_path, locked
from press.core.settings import LOCAL_HOSTS, mirror_problem
from press.publishing.deploy import record_publication, source_of
from press.publishing.reproducible import compare_trees
from press.publishing.signing import (
    SigningError,
    SigningKey,
    check_publication_key,
    public_key_text,
    signature_path,
)
from press.safety.private_names import ENVIRONMENT_VARIABLE, PrivateNames, PrivateNamesError


class NotReproducible(BuildError):
    """Two builds of the same sources differ: something of when, where or who is in them."""


class NotSigned(BuildError):
    """The offline edition would be published unsigned, or signed by another key."""


class NotForProduction(BuildError):
    """The settings or the environment would publish what only a preview may be."""


def production_problems(settings: dict) -> list[str]:
    """Why `settings` (with the environment) must not publish: the site's address is not
    its public one, or no list of private names would be looked for."""
    problems = []
    siteurl = settings.get("SITEURL") or ""
    # The rule a mirror's address is held to (an onion service's http:// too), and no host
    # that names the machine the build runs on.
    problem = mirror_problem(siteurl)
    if problem is None and (urlsplit(siteurl).hostname or "").lower() in LOCAL_HOSTS:
        problem = "names this machine"
    if problem:
        problems.append(
            f"publishconf.py: SITEURL is {siteurl!r}, not a public https:// address: it "
            f"{problem}. Feeds, canonical links and the sitemap would lead there (is the name "
            "SITEURL misspelled?)"
        )
    try:
        names = PrivateNames.from_environment(PROJECT_ROOT)
    except PrivateNamesError as exc:
        problems.append(f"{ENVIRONMENT_VARIABLE} {exc}")
    else:
        if names is None:
            problems.append(
                f"{ENVIRONMENT_VARIABLE} is not set: without the list of private names, no "
                "build can see a real name in what it publishes. Set it to the list's file, "
                "kept outside the repository (docs/safety.md, 'Private names'); a site with "
                "no names to keep names a file with none"
            )
    return problems


def publish(
    settings_file,
    target: Path,
    jobs=None,
    override=None,
    signing_key: SigningKey | None = None,
) -> BuildReport:
    """Build twice, with every gate; replace `target` with the first only if both are equal.

    `override`: settings that differ from the file's (the onion mirror's, from
    press.core.settings.onion_override); the gates are the same for every build.
    The offline edition is signed with `signing_key`; once a public key is committed
    (OFFLINE_EDITION_PUBLIC_KEY), an edition without it is refused before anything is built.
    Raises BuildError (NotReproducible, NotSigned) and leaves `target` as it was otherwise.
    """
    if problems := production_problems(read_settings(settings_file, override)):
        raise NotForProduction(problems)
    # Taken before anything is built, so that an edit committed meanwhile is not recorded
    # as published (invoke deploy compares it with the commit it deploys).
    source = source_of(Path(settings_file).resolve().parent)
    try:
        check_publication_key(read_settings(settings_file), signing_key)
    except SigningError as exc:
        raise NotSigned([str(exc)]) from None  # its cause is the key, not the settings
    with tempfile.TemporaryDirectory(prefix=".publish-", dir=target.parent) as folder:
        # The offline edition first: both builds publish it and show its size and SHA-256.
        # It is the same for every address (no absolute URL in it), so built as the file says.
        edition = offline_edition(settings_file, Path(folder), jobs, signing_key)
        override = {**(override or {}), "OFFLINE_EDITION": edition}
        first = build(settings_file, output=Path(folder) / "a", jobs=jobs, override=override)
        second = build(settings_file, output=Path(folder) / "b", jobs=jobs, override=override)
        if differences := compare_trees(first.output, second.output):
            raise NotReproducible(differences)
        # After any build of `target` under way (`make serve` rebuilding): one switch at a time.
        cache = Path(read_settings(settings_file)["CACHE_PATH"])
        with locked(lock_path(cache, target.resolve())):
            replace_output(target, first.output)
            record_publication(cache, target, source)
    return replace(first, output=target)


def offline_edition(settings_file, folder: Path, jobs=None, signing_key=None) -> dict:
    """Build the offline edition into `folder`; return the OFFLINE_EDITION setting naming it:
    the ZIP's path, size and SHA-256, and, signed, its signature's path and the public key
    (None for both unsigned)."""
    name = read_settings(settings_file)["OFFLINE_EDITION_SAVE_AS"].rpartition("/")[2]
    path = build_offline(settings_file, folder / "offline" / name, jobs, signing_key)
    data = path.read_bytes()
    return {
        "path": str(path),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": str(signature_path(path)) if signing_key else None,
        "public_key": public_key_text(signing_key.public_key) if signing_key else None,
        "key_id": signing_key.key_id if signing_key else None,
    }
