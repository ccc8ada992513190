"""Deploys of a built site: to a gh-pages branch (ghp-import) or to releases with rsync, in a
folder here or on another machine over ssh.

Commits are made as a pseudonymous publishing identity, never as the person deploying: a
gh-pages history is public, and a real name in it is a real name on the internet. They are
dated in UTC for the same reason: a commit's time zone tells where its publisher lives.
"""

import hashlib
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path, PurePosixPath

from press.checks.output import check_published
from press.core.files import walk_files
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


def publication_record(cache: Path, output: Path) -> Path:
    """Where `make publish` records what it built `output` from (beside the build's state)."""
    key = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(cache) / f"published-{key}.json"


def output_digest(output: Path) -> str:
    """One digest of every file of `output` by name, size and time: a publish replaces the
    folder whole, so any later change to it (a build, an edit by hand) changes this."""
    digest = hashlib.sha256()
    for name, entry in sorted(walk_files(output)):
        stat = entry.stat(follow_symlinks=False)
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def record_publication(cache: Path, output: Path, source: "Source") -> None:
    """Record that `output` was just published from `source`, for deploys to check."""
    path = publication_record(cache, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"commit": source.commit, "changes": list(source.changes),
              "files": output_digest(output)}  # fmt: skip
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    temporary.replace(path)


def publication_problem(cache: Path, output: Path, source: "Source", command: str,
                        allow_dirty: bool = False) -> str | None:  # fmt: skip
    """Why `output` is not what `make publish` built from `source`'s commit; None if it is."""
    try:
        record = json.loads(publication_record(cache, output).read_text(encoding="utf-8"))
        commit, changes, files = record["commit"], record["changes"], record["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return f"{output.name}/ has no record of the publish that built it; run `{command}`"
    if commit != source.commit:
        built = commit[:12] if commit else "no commit"
        now = source.commit[:12] if source.commit else "no commit"
        return (
            f"{output.name}/ was built from {built}, and the sources are at {now} now: it "
            f"would be recorded as what it is not; run `{command}` again"
        )
    if changes and not allow_dirty:
        return (
            f"{output.name}/ was built with uncommitted changes ({'; '.join(changes)}); commit "
            f"them and run `{command}` again (or deploy it anyway with --allow-dirty)"
        )
    if files != output_digest(output):
        return f"{output.name}/ changed since `{command}` built it; run `{command}` again"
    return None


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
    command = "invoke publish --mirror onion" if settings["MIRROR_OF"] else "make publish"
    if not robots.is_file() or f"Sitemap: {public}/" not in robots.read_text(encoding="utf-8"):
        raise DeployError(
            f"{output.name}/ is not a production build of {public}; run `{command}` first"
        )
    cache = Path(settings["CACHE_PATH"])
    if problem := publication_problem(cache, output, source, command, allow_dirty):
        raise DeployError(f"Deploy stopped: {problem}")
    if problems := check_published(output, settings):
        raise DeployError(
            f"Deploy stopped: {output.name}/ fails the last gate; fix it and run `{command}` again",
            redact_all(problems),
        )
    given = settings["DEPLOY"]
    if to == "gh-pages":
        pages = given["GH_PAGES"]
        return to_gh_pages(output, repo, remote or pages["remote"], pages["branch"],
                           pages["message"], given["IDENTITY"], source)  # fmt: skip
    folder = release_folder(settings, target)
    if isinstance(folder, Remote):
        return to_remote_releases(output, folder, source, given["RSYNC"]["keep"])
    return to_releases(output, folder, source, given["RSYNC"]["keep"])


@dataclass(frozen=True)
class TargetResult:
    """What a deploy to one of DEPLOY['TARGETS'] did: `done` (a Pushed or a Release) when it
    succeeded, else `error`, the DeployError that stopped it."""

    name: str
    site: str  # "public" or "onion": which build it deployed
    done: "Pushed | Release | None" = None
    error: DeployError | None = None

    @property
    def ok(self) -> bool:
        """Whether this target was deployed."""
        return self.error is None

    def describe(self) -> str:
        """This target's result, for the person deploying: what was done, or why not."""
        if self.done is not None:
            return f"[{self.name}] deployed ({self.site} site).\n{self.done.describe()}"
        lines = [f"[{self.name}] FAILED ({self.site} site): {self.error}"]
        return "\n".join([*lines, *(f"  {problem}" for problem in self.error.problems)])


def chosen_targets(names: str, configured) -> list[str]:
    """The targets `invoke deploy --targets` names (`a,b`, or `all` for every one, in the
    settings' order), each once; DeployError (code 2) for none, an empty name, one named
    twice or one not in DEPLOY['TARGETS'] (`configured`), naming each."""
    if not configured:
        raise DeployError("DEPLOY['TARGETS'] names no target: add them (docs/publishing.md)",
                          code=2)  # fmt: skip
    there = f"(there are: {', '.join(configured)})"
    if names.strip() == "all":
        return list(configured)
    chosen = [name.strip() for name in names.split(",")]
    if "" in chosen:
        raise DeployError(f"--targets {names!r} has an empty name (a comma too many?): write "
                          f"names separated by single commas, or all {there}", code=2)  # fmt: skip
    if twice := sorted({name for name in chosen if chosen.count(name) > 1}):
        raise DeployError(f"--targets names {', '.join(twice)} more than once: each target is "
                          "deployed once; name it once", code=2)  # fmt: skip
    if "all" in chosen:
        raise DeployError(f"--targets all stands alone: all, or names {there}", code=2)
    if unknown := [name for name in chosen if name not in configured]:
        raise DeployError(f"no target {', '.join(unknown)} in DEPLOY['TARGETS'] {there}",
                          code=2)  # fmt: skip
    return chosen


def deploy_to_targets(sites: dict, settings: dict, names, repo: Path,
                      allow_dirty=False) -> list[TargetResult]:  # fmt: skip
    """Deploy to each of DEPLOY['TARGETS'] named in `names`, in that order; return each one's
    result.

    `sites`: "public" (and "onion", when there is an onion mirror) -> (its output, its
    settings). A failed target does not stop the others: one server down must not keep the
    site from the rest, and each result says what happened there.
    """
    results = []
    for name in names:
        target = settings["DEPLOY"]["TARGETS"][name]
        site = target.get("site", "public")
        try:
            if site not in sites:
                raise DeployError(f"no {site} site to deploy: set ONION_URL and publish it")
            output, site_settings = sites[site]
            done = deploy(output, site_settings, target["to"], repo, target.get("remote", ""),
                          target.get("target", ""), allow_dirty)  # fmt: skip
        except (DeployError, OSError) as exc:
            # OSError: a local folder that cannot be made or written (a full disk, a file
            # where the folder should be), reported as that target's failure too.
            error = (
                exc if isinstance(exc, DeployError) else DeployError(f"{type(exc).__name__}: {exc}")
            )
            logger.info("Deploy to %s failed: %s", name, error)
            results.append(TargetResult(name, site, error=error))
        else:
            results.append(TargetResult(name, site, done=done))
    return results


def release_folder(settings: dict, target="") -> "Path | Remote":
    """The folder of rsync releases: `target`, else DEPLOY's; `[user@]host:path` is remote."""
    folder = target or settings["DEPLOY"]["RSYNC"]["target"]
    if not folder:
        raise DeployError("no target: pass --target or set DEPLOY['RSYNC']['target']", code=2)
    return parse_target(folder, ssh_command(settings))


def ssh_command(settings: dict) -> tuple[str, ...]:
    """The ssh command of remote deploys: $RSYNC_RSH if set (as rsync reads it), else DEPLOY's."""
    # The environment wins: it is the person deploying's (a key, a port, a jump host), as
    # their ~/.ssh/config is; the settings are the project's.
    if given := os.environ.get("RSYNC_RSH", "").strip():
        return tuple(shlex.split(given))
    return tuple(settings["DEPLOY"]["RSYNC"]["ssh"])


@dataclass(frozen=True)
class Remote:
    """A folder on another machine, reached with ssh.

    `host`: as ssh names it, `[user@]host`; `path`: the folder there, relative to the user's
    home unless absolute; `ssh`: the command that connects (ssh and its options).
    """

    host: str
    path: PurePosixPath
    ssh: tuple[str, ...] = ("ssh",)

    def __truediv__(self, name: str) -> "Remote":
        return replace(self, path=self.path / name)

    def __str__(self) -> str:
        """As rsync names it: `[user@]host:path`, an IPv6 address in brackets."""
        user, at, name = self.host.rpartition("@")
        return f"{user}{at}{f'[{name}]' if ':' in name else name}:{self.path}"


# `[user@]host:path` as rsync reads it; an IPv6 address is written in brackets.
_REMOTE = re.compile(
    r"(?:(?P<user>[^@/:\s]+)@)?(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<host>[^@/:\[\]\s]+)):(?P<path>.*)",
    re.S,
)


def parse_target(target: str, ssh=("ssh",)) -> "Path | Remote":
    """A release folder: on another machine if a colon comes before any slash, as rsync
    decides (`./a:b` is local), else a folder here."""
    if ":" not in target.partition("/")[0]:
        return Path(target)
    match = _REMOTE.fullmatch(target)
    if match is None or match["path"].startswith(":"):
        raise DeployError(f"{target}: not a folder over ssh; write [user@]host:path", code=2)
    user, host, path = match["user"], match["ip6"] or match["host"], match["path"]
    # ssh would read a host or user that starts with '-' as an option (-oProxyCommand=...).
    if host.startswith("-") or (user or "").startswith("-"):
        raise DeployError(f"{target}: a host or user cannot start with '-'", code=2)
    if not path:
        raise DeployError(f"{target}: name the folder after the colon (host:/srv/ffhr)", code=2)
    # The remote shell expands a leading ~ and rsync may not: the two would be two folders.
    # A relative path starts in the home folder anyway.
    if path.startswith("~"):
        raise DeployError(f"{target}: write the folder without ~ (host:ffhr is in the home "
                          "folder)", code=2)  # fmt: skip
    return Remote(f"{user}@{host}" if user else host, PurePosixPath(path), tuple(ssh))


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


def _switch_remote(remote: "Remote", release: str) -> None:
    """Point remote/current at releases/<release> in one atomic rename, as _switch does."""
    _on(remote, f"cd -- {_quoted(remote.path)}\n{_SWITCH.format(release=shlex.quote(release))}")


# `mv -T` renames the new link over `current` (rename(2), atomic) rather than into the
# folder it points at; GNU coreutils, so any Linux server.
_SWITCH = """rm -f -- .current.new
ln -s -- releases/{release} .current.new
mv -T -- .current.new current"""


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
    target: "Path | Remote"
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


# Not --archive: its --times would keep the build's times, and rsync hard-links a file to
# the previous release only if every kept attribute matches, so a fresh `make publish`
# (new times, same bytes) would copy every file. --checksum compares the bytes instead.
# --chmod: modes a web server can read whatever the umask or the staging folder's mode (a
# staging folder is made 0700), applied by rsync as it creates each file and folder.
RSYNC = ("rsync", "--recursive", "--links", "--perms", "--chmod=D0755,F0644", "--checksum",
         "--delete")  # fmt: skip


def _to_prune(known: list[str], release: str, keep: int) -> list[str]:
    """The releases of `known` (with `release`, the new one) beyond the newest `keep`."""
    ordered = sorted({*known, release}, key=release_order)
    return [old for old in ordered[:-keep] if old != release] if keep > 0 else []


def commit_file(target, release: str):
    """Where a release records its source: beside its folder, outside what is served."""
    return target / "releases" / f"{release}.commit"


def recorded_source(target, release: str) -> str:
    """The source commit `release` recorded (its first line), or why there is none."""
    path = commit_file(target, release)
    if isinstance(path, Remote):
        recorded = _on(
            path, f"if [ -f {_quoted(path.path)} ]; then cat -- {_quoted(path.path)}; fi"
        )
    else:
        recorded = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not recorded:
        return "not recorded (a release made before releases recorded their commit)"
    return recorded.partition("\n")[0].removeprefix("commit ")


def _record_text(source: Source) -> str:
    """What a release's .commit file says: its source commit, and each uncommitted change."""
    return "\n".join([f"commit {source.label()}", *source.changes]) + "\n"


def _record(target: Path, release: str, source: Source) -> None:
    """Write `release`'s source commit (and any uncommitted change deployed) beside it."""
    path = commit_file(target, release)
    partial = path.with_name(f".{path.name}.new")
    partial.write_text(_record_text(source), encoding="utf-8")
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
    command = list(RSYNC)
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
    for old in _to_prune(releases(target), release, keep):
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


def to_remote_releases(output: Path, remote: Remote, source: Source, keep: int = 5) -> Release:
    """Copy `output` into a new release on `remote` with rsync over ssh, as to_releases does
    here: modes, hard links to the previous release, the source commit, `current`, pruning."""
    if shutil.which("rsync") is None:
        raise DeployError("rsync is not installed; install it (Debian: apt-get install rsync)")
    known, previous = _remote_state(remote, make=True)
    release = _release_id(known)
    # rsync fills a hidden folder, renamed to the release once whole: a failed transfer (the
    # network, a full disk) leaves no half release among the releases to roll back to.
    partial = f".{release}.partial"
    command = [*RSYNC, f"--rsh={shlex.join(remote.ssh)}", "--protect-args"]
    if previous in known:
        # Relative to the folder rsync fills, on the remote host.
        command.append(f"--link-dest=../{previous}")
    command += [f"{output}/", str(remote / "releases" / partial)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise DeployError(
            f"rsync to {remote.host} failed; nothing was switched: {result.stderr.strip()}"
        )
    name = shlex.quote(release)
    script = "\n".join([
        f"cd -- {_quoted(remote.path)}",
        f"mv -- releases/{shlex.quote(partial)} releases/{name}",
        # Counted before pruning, which may remove the previous release and its links: a
        # file with another link is one rsync linked to the previous release (rsync makes
        # no links of its own without --hard-links).
        f"linked=$(find releases/{name} -type f -links +1 | wc -l)",
        f"copied=$(find releases/{name} -type f ! -links +1 | wc -l)",
        f"cat > releases/.{name}.commit.new",  # the record, from stdin
        f"chmod 644 releases/.{name}.commit.new",
        f"mv -f -- releases/.{name}.commit.new releases/{name}.commit",
        _SWITCH.format(release=name),
        *(f"rm -rf -- releases/{shlex.quote(old)} releases/{shlex.quote(old + '.commit')}"
          for old in _to_prune(known, release, keep)),
        'echo "$linked $copied"',
    ])  # fmt: skip
    linked, copied = (int(n) for n in _on(remote, script, _record_text(source)).split())
    logger.info("Released %s in %s", release, remote)
    return Release(release, remote, linked, copied, source)


def _quoted(path: PurePosixPath) -> str:
    """`path` for the remote shell: quoted, and never read as an option."""
    return shlex.quote(str(path) if path.is_absolute() else f"./{path}")


def _on(remote: Remote, script: str, stdin: str = "") -> str:
    """The output of the sh `script`, run on `remote`'s host with `stdin`; it stops at an error."""
    # ssh hands the remote login shell one string, whatever that shell is (bash, zsh): it
    # only starts sh with the script, quoted whole.
    command = [*remote.ssh, remote.host, "sh -c " + shlex.quote(f"set -e\n{script}")]
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode:
        raise DeployError(
            f"ssh {remote.host} failed (exit {result.returncode}): "
            f"{(result.stderr or result.stdout).strip()}"
        )
    return result.stdout


def _remote_state(remote: Remote, make=False) -> tuple[list[str], str | None]:
    """The releases on `remote`, oldest first, and the one `current` points at.

    `make`: make the folder (0755, as _readable_folder) and its releases/ if missing.
    """
    script = [f"T={_quoted(remote.path)}"]
    if make:
        script += ['if [ ! -d "$T" ]; then mkdir -p -- "$T"; chmod 755 -- "$T"; fi',
                   'mkdir -p -- "$T/releases"', 'chmod 755 -- "$T/releases"']  # fmt: skip
    script += [
        'cd -- "$T"',
        # NUL after each name, which no name holds; not a dot folder (a partial one).
        "for r in releases/*; do",
        '  if [ -d "$r" ] && [ ! -L "$r" ]; then printf "r%s\\0" "${r#releases/}"; fi',
        "done",
        'if [ -L current ]; then printf "c%s\\0" "$(readlink current)"; fi',
    ]
    entries = [entry for entry in _on(remote, "\n".join(script)).split("\0") if entry]
    known = sorted((e[1:] for e in entries if e[0] == "r"), key=release_order)
    now = next((PurePosixPath(e[1:]).name for e in entries if e[0] == "c"), None)
    return known, now


def rollback(target, to: str | None = None) -> str:
    """Point `current` back at the release before it (or at release `to`), here or remote."""
    if isinstance(target, Remote):
        known, now = _remote_state(target)
    else:
        known, now = releases(target), current_release(target)
    if to is None:
        if now not in known or known.index(now) == 0:
            raise DeployError(f"no release before {now} in {target / 'releases'} to go back to")
        to = known[known.index(now) - 1]
    elif to not in known:
        raise DeployError(f"no release {to} in {target / 'releases'}; there are: {known}")
    if isinstance(target, Remote):
        _switch_remote(target, to)
    else:
        _switch(target, to)
    logger.info("Rolled %s back from %s to %s", target, now, to)
    return to
