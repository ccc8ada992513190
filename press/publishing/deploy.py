"""Deploys of a built site: to a gh-pages branch (ghp-import) or to releases with rsync.

Commits are made as a pseudonymous publishing identity, never as the person deploying: a
gh-pages history is public, and a real name in it is a real name on the internet. They are
dated in UTC for the same reason: a commit's time zone tells where its publisher lives.
"""

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from press.checks.output import check_published
from press.safety.private_names import redact_all

logger = logging.getLogger(__name__)


class DeployError(Exception):
    """A deploy that could not be done; the message says what to do.

    `problems`: what the last gate found in the output, each naming its file; `code`: the
    exit code for the person deploying (2: the command was asked wrongly).
    """

    def __init__(self, message: str, problems=(), code: int = 1):
        super().__init__(message)
        self.problems = list(problems)
        self.code = code


def deploy(output: Path, settings: dict, to: str, repo: Path, remote="", target="") -> str:
    """Deploy `output` (a production build) to gh-pages or rsync; return what was done.

    Refuses (DeployError) an output that is not a production build, and one the last gate
    finds anything in: a name added to the private list since `make publish`, say.
    """
    public = settings["SITEURL"].rstrip("/")
    robots = output / "robots.txt"
    if not robots.is_file() or f"Sitemap: {public}/" not in robots.read_text(encoding="utf-8"):
        raise DeployError("output/ is not a production build; run `make publish` first")
    if problems := check_published(output, settings):
        raise DeployError(
            "Deploy stopped: output/ fails the last gate; fix it and run `make publish` again",
            redact_all(problems),
        )
    given = settings["DEPLOY"]
    if to == "gh-pages":
        pages = given["GH_PAGES"]
        to_gh_pages(output, repo, remote or pages["remote"], pages["branch"], pages["message"],
                    given["IDENTITY"])  # fmt: skip
        return ""
    if to == "rsync":
        folder = release_folder(settings, target)
        release = to_releases(output, folder, given["RSYNC"]["keep"])
        return f"Released {release.id} in {folder}; `invoke rollback` goes back."
    raise DeployError(f"unknown deploy '{to}': use gh-pages or rsync", code=2)


def release_folder(settings: dict, target="") -> Path:
    """The folder of rsync releases: `target`, else DEPLOY's."""
    folder = target or settings["DEPLOY"]["RSYNC"]["target"]
    if not folder:
        raise DeployError("no target: pass --target or set DEPLOY['RSYNC']['target']", code=2)
    return Path(folder)


def identity_env(identity: dict) -> dict:
    """Environment that makes git commit as `identity`, now in UTC, whatever the machine says."""
    # ghp-import dates its commit with GIT_COMMITTER_DATE if set (a publisher's shell may set
    # it in local time), else with the machine's local zone: give it the time in UTC, in the
    # RFC 2822 form its `git fast-import --date-format=rfc2822` reads. TZ covers anything
    # else git or ghp-import would date by the local clock.
    now = format_datetime(datetime.now(UTC).replace(microsecond=0))
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": identity["name"],
        "GIT_AUTHOR_EMAIL": identity["email"],
        "GIT_COMMITTER_NAME": identity["name"],
        "GIT_COMMITTER_EMAIL": identity["email"],
        "GIT_AUTHOR_DATE": now,
        "GIT_COMMITTER_DATE": now,
        "TZ": "UTC0",
    }


def to_gh_pages(output: Path, repo: Path, remote: str, branch: str, message: str, identity):
    """Commit `output` to `branch` of the repository at `repo` and push it to `remote`."""
    command = [
        sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force",
        "--remote", remote, "--branch", branch, "--message", message, str(output),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=repo, env=identity_env(identity), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise DeployError(
            f"ghp-import could not publish to {remote} ({branch}): "
            f"{(result.stderr or result.stdout).strip()}"
        )
    logger.info("Pushed %s to %s (%s) as %s", output, remote, branch, identity["name"])


def _release_id(releases: Path) -> str:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    candidate, number = stamp, 1
    while (releases / candidate).exists():
        number += 1
        candidate = f"{stamp}-{number}"
    return candidate


def _switch(target: Path, release: str) -> None:
    """Point target/current at releases/<release> in one atomic rename."""
    link = target / ".current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(Path("releases") / release)
    link.replace(target / "current")


def releases(target: Path) -> list[str]:
    """The releases in `target`, oldest first."""
    folder = target / "releases"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def current_release(target: Path) -> str | None:
    """The release `current` points at, if any."""
    link = target / "current"
    return link.readlink().name if link.is_symlink() else None


@dataclass(frozen=True)
class Release:
    """An rsync release made: its id, the folder of releases, and how its files got there.

    `linked`: files hard-linked to the previous release (the same bytes); `copied`: the rest.
    """

    id: str
    target: Path
    linked: int
    copied: int


# Modes a web server can read whatever the umask or the staging folder's mode (a staging
# folder is made 0700), applied by rsync as it creates each file and folder.
RELEASE_MODES = "D0755,F0644"


def to_releases(output: Path, target: Path, keep: int = 5) -> Release:
    """Copy `output` into a new release with rsync, switch `current` to it, prune old ones."""
    if shutil.which("rsync") is None:
        raise DeployError("rsync is not installed; install it (Debian: apt-get install rsync)")
    _readable_folder(target)
    folder = target / "releases"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)  # ours: a server must enter it, whatever made it before
    release = _release_id(folder)
    # Not --archive: its --times would keep the build's times, and rsync hard-links a file to
    # the previous release only if every kept attribute matches, so a fresh `make publish`
    # (new times, same bytes) would copy every file. --checksum compares the bytes instead.
    command = ["rsync", "--recursive", "--links", "--perms", f"--chmod={RELEASE_MODES}",
               "--checksum", "--delete"]  # fmt: skip
    previous = current_release(target)
    if previous:
        # Unchanged files become hard links to the previous release: fast, and no extra space.
        command.append(f"--link-dest={(folder / previous).resolve()}")
    command += [f"{output}/", str(folder / release)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise DeployError(f"rsync failed: {result.stderr.strip()}")
    linked, copied = _linked_and_copied(folder / release, folder / previous if previous else None)
    _switch(target, release)
    for old in releases(target)[:-keep] if keep > 0 else []:
        if old != release:
            shutil.rmtree(folder / old)
    logger.info("Released %s in %s", release, target)
    return Release(release, target, linked, copied)


def _readable_folder(folder: Path) -> None:
    """Make `folder` if it is missing, as 0755 whatever the umask (a server must enter it)."""
    if not folder.is_dir():
        folder.mkdir(parents=True)
        folder.chmod(0o755)


def _linked_and_copied(release: Path, previous: Path | None) -> tuple[int, int]:
    """How many files of `release` are hard links to `previous`'s, and how many are not."""
    linked = copied = 0
    for path in release.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        before = previous / path.relative_to(release) if previous else None
        if before is not None and before.is_file() and before.samefile(path):
            linked += 1
        else:
            copied += 1
    return linked, copied


def rollback(target: Path, to: str | None = None) -> str:
    """Point `current` back at the release before it (or at release `to`)."""
    known = releases(target)
    now = current_release(target)
    if to is None:
        if now not in known or known.index(now) == 0:
            raise DeployError(f"no release before {now} in {target / 'releases'} to go back to")
        to = known[known.index(now) - 1]
    elif to not in known:
        raise DeployError(f"no release {to} in {target / 'releases'}; there are: {known}")
    _switch(target, to)
    logger.info("Rolled %s back from %s to %s", target, now, to)
    return to
