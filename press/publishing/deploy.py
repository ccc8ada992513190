"""Deploys of a built site: to a gh-pages branch (ghp-import) or to releases with rsync.

Commits are made as a pseudonymous publishing identity, never as the person deploying: a
gh-pages history is public, and a real name in it is a real name on the internet. They are
dated in UTC for the same reason: a commit's time zone tells where its publisher lives.
"""

import logging
import os
import re
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


# What a site is built from, relative to the project. A deploy refuses uncommitted changes to
# any of them: they would be published, and the commit the release records would not hold them.
SOURCES = ("content", "theme", "locale", "plugins", "press", "pelicanconf.py", "publishconf.py")


@dataclass(frozen=True)
class Source:
    """The project a deploy publishes from.

    `commit`: its `git rev-parse HEAD` (None when it is not a git checkout, or has no commit
    yet); `changes`: its uncommitted changes to SOURCES, each naming its file (deployed only
    when asked to); `checkout`: whether it is a git checkout at all.
    """

    commit: str | None
    changes: tuple[str, ...] = ()
    checkout: bool = True

    def label(self) -> str:
        """The commit as a release records it: its id, and whether it was deployed dirty."""
        if not self.checkout:
            return "none: not a git checkout"
        commit = self.commit or "none: no commit yet"
        return f"{commit}, with uncommitted changes" if self.changes else commit


def _git(repo: Path, *args: str) -> str | None:
    """git's output in `repo`, or None when git fails (not a checkout, no such commit)."""
    result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=repo,
                            capture_output=True, text=True, check=False)  # fmt: skip
    return result.stdout if result.returncode == 0 else None


def source_of(repo: Path) -> Source:
    """The commit `repo` is at and its uncommitted changes to the site's sources."""
    if _git(repo, "rev-parse", "--is-inside-work-tree") is None:
        return Source(None, checkout=False)
    commit = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
    status = _git(repo, "status", "--porcelain", "--untracked-files=all", "--", *SOURCES)
    if status is None:
        raise DeployError(f"git status failed in {repo}")
    changes = tuple(f"{line[3:]}: uncommitted ({line[:2].strip()})"
                    for line in status.splitlines() if line)  # fmt: skip
    return Source(commit.strip() if commit else None, changes)


@dataclass(frozen=True)
class Pushed:
    """A gh-pages deploy made: the commit pushed to `branch` of `remote`, and its source."""

    remote: str
    branch: str
    commit: str
    source: Source

    def describe(self) -> str:
        """What was done, for the person deploying."""
        return (
            f"Pushed commit {self.commit} to branch {self.branch} of {self.remote}.\n"
            f"Source: {_source_line(self.source)}"
        )


def _source_line(source: Source) -> str:
    """The source of a deploy, said plainly (and what could not be checked)."""
    if not source.checkout:
        return "none recorded: not a git checkout, so uncommitted changes were not checked"
    line = source.label()
    if source.changes:
        line += f" (deployed with --allow-dirty: {len(source.changes)} uncommitted file(s))"
    return line


def deploy(output: Path, settings: dict, to: str, repo: Path, remote="", target="",
           allow_dirty=False):  # fmt: skip
    """Deploy `output` (a production build) to gh-pages or rsync; return what was done.

    Refuses (DeployError) uncommitted changes to the sources in `repo` unless `allow_dirty`,
    an output that is not a production build, and one the last gate finds anything in: a
    name added to the private list since `make publish`, say.
    """
    if to not in ("gh-pages", "rsync"):
        raise DeployError(f"unknown deploy '{to}': use gh-pages or rsync", code=2)
    source = source_of(repo)
    if source.changes and not allow_dirty:
        raise DeployError(
            "Deploy stopped: the site's sources have uncommitted changes, which the release "
            "would publish without recording them; commit them (or deploy them anyway, "
            "recorded as such, with --allow-dirty)",
            source.changes,
        )
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
        return to_gh_pages(output, repo, remote or pages["remote"], pages["branch"],
                           pages["message"], given["IDENTITY"], source)  # fmt: skip
    folder = release_folder(settings, target)
    return to_releases(output, folder, source, given["RSYNC"]["keep"])


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


def to_gh_pages(output: Path, repo: Path, remote: str, branch: str, message: str, identity,
                source: Source) -> Pushed:  # fmt: skip
    """Commit `output` to `branch` of the repository at `repo` and push it to `remote`.

    The commit's message names the source's commit: `<message> (<commit>)`.
    """
    message = f"{message} ({source.label()})"
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
    pushed = _git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    logger.info("Pushed %s to %s (%s) as %s", output, remote, branch, identity["name"])
    return Pushed(remote, branch, (pushed or "unknown").strip(), source)


# A release's id: the deploy's time in UTC, then -2, -3... for more in the same second.
RELEASE_STAMP = "%Y%m%dT%H%M%SZ"
_RELEASE_ID = re.compile(r"(\d{8}T\d{6}Z)(?:-(\d+))?")


def release_order(name: str) -> tuple[str, int]:
    """Sort key of a release id: by time, then by number (-10 after -2, as made)."""
    if match := _RELEASE_ID.fullmatch(name):
        return match[1], int(match[2] or 1)
    return name, 0  # a folder someone else made: by name


def _release_id(existing, now: float | None = None) -> str:
    """A new release id that sorts after every one of `existing`."""
    stamp = time.strftime(RELEASE_STAMP, time.gmtime(now))
    ours = [release_order(name) for name in existing if _RELEASE_ID.fullmatch(name)]
    # Pruning and rollback go by this order, so a new release must come last even when this
    # clock is behind the one that made the newest release (another machine's): it then
    # takes that release's time, numbered after it.
    stamp = max([stamp, *(each for each, _ in ours)])
    numbers = [number for each, number in ours if each == stamp]
    # One more than the highest number of that second, not the first number free: -1 to -9
    # may have been pruned while -10 remains.
    return f"{stamp}-{max(numbers) + 1}" if numbers else stamp


def _switch(target: Path, release: str) -> None:
    """Point target/current at releases/<release> in one atomic rename."""
    link = target / ".current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(Path("releases") / release)
    link.replace(target / "current")


def releases(target: Path) -> list[str]:
    """The releases in `target`, oldest first."""
    folder = target / "releases"
    names = [p.name for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []
    return sorted(names, key=release_order)


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
    source: Source

    def describe(self) -> str:
        """What was done, for the person deploying."""
        return (
            f"Released {self.id} in {self.target / 'releases' / self.id}; "
            f"`current` points at it, `invoke rollback` goes back.\n"
            f"Files: {self.linked} linked to the previous release (unchanged), "
            f"{self.copied} copied.\n"
            f"Source: {_source_line(self.source)} (recorded in {commit_file(self.target, self.id)})"
        )


# Modes a web server can read whatever the umask or the staging folder's mode (a staging
# folder is made 0700), applied by rsync as it creates each file and folder.
RELEASE_MODES = "D0755,F0644"


def commit_file(target: Path, release: str) -> Path:
    """Where a release records its source: beside its folder, outside what is served."""
    return target / "releases" / f"{release}.commit"


def recorded_source(target: Path, release: str) -> str:
    """The source commit `release` recorded (its first line), or why there is none."""
    path = commit_file(target, release)
    if not path.is_file():
        return "not recorded (a release made before releases recorded their commit)"
    return path.read_text(encoding="utf-8").partition("\n")[0].removeprefix("commit ")


def _record(target: Path, release: str, source: Source) -> None:
    """Write `release`'s source commit (and any uncommitted change deployed) beside it."""
    lines = [f"commit {source.label()}", *source.changes]
    path = commit_file(target, release)
    partial = path.with_name(f".{path.name}.new")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.chmod(0o644)
    partial.replace(path)


def to_releases(output: Path, target: Path, source: Source, keep: int = 5) -> Release:
    """Copy `output` into a new release with rsync, record its source commit beside it,
    switch `current` to it, prune old ones."""
    if shutil.which("rsync") is None:
        raise DeployError("rsync is not installed; install it (Debian: apt-get install rsync)")
    _readable_folder(target)
    folder = target / "releases"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)  # ours: a server must enter it, whatever made it before
    release = _release_id(releases(target))
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
    _record(target, release, source)
    _switch(target, release)
    for old in releases(target)[:-keep] if keep > 0 else []:
        if old != release:
            shutil.rmtree(folder / old)
            commit_file(target, old).unlink(missing_ok=True)
    logger.info("Released %s in %s", release, target)
    return Release(release, target, linked, copied, source)


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
