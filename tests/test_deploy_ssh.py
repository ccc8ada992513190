"""Releases over ssh, to a real sshd on 127.0.0.1 started by the test: the remote releases
have a web server's modes, hard links, their commit, `current` and pruning, as local ones."""

import getpass
import os
import shlex
import shutil
import socket
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from test_deploy import committed_project, files_of, git

from conftest import run_invoke
from press.publishing.deploy import (
    DeployError,
    Remote,
    Source,
    parse_target,
    recorded_source,
    releases,
    rollback,
    to_remote_releases,
)

SOURCE = Source("0123456789abcdef0123456789abcdef01234567")
SSHD = Path("/usr/sbin/sshd")  # sshd refuses to start unless run by its absolute path
USER = getpass.getuser()


def needs(found: bool, reason: str):
    """Skip a test when something is missing here, fail it in CI (where .ci/run installs it)."""
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Sshd:
    """A running sshd: `ssh`, the command that reaches it (its key, port and host key only)."""

    ssh: tuple[str, ...]
    folder: Path

    def target(self, path: Path) -> str:
        """`path` on this server, as --target names it."""
        return f"{USER}@127.0.0.1:{path}"


def keygen(path: Path) -> None:
    """A new ed25519 key pair without a passphrase at `path` and `path`.pub."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(path)],
                   check=True, capture_output=True)  # fmt: skip


@pytest.fixture
def sshd(tmp_path_factory):
    """A real sshd on 127.0.0.1 that lets this user in with a key of its own, umask 077."""
    needs(SSHD.is_file(), "sshd is not installed (Debian: apt-get install openssh-server)")
    for tool, package in (("ssh", "openssh-client"), ("ssh-keygen", "openssh-client"),
                          ("rsync", "rsync")):  # fmt: skip
        needs(shutil.which(tool) is not None, f"{tool} is not installed ({package})")
    # sshd will not start without its privilege-separation folder, which only root can make.
    privsep = Path("/run/sshd")
    if not privsep.is_dir():
        needs(os.geteuid() == 0, "sshd needs /run/sshd, which only root can make")
        privsep.mkdir(mode=0o755, parents=True)
    folder = tmp_path_factory.mktemp("sshd")
    keygen(folder / "host_key")
    keygen(folder / "user_key")
    shutil.copy(folder / "user_key.pub", folder / "authorized_keys")
    port = free_port()
    (folder / "sshd_config").write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
        f"AllowUsers {USER}\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n",
        encoding="utf-8",
    )
    # The client trusts this server's host key, and no other: a deploy checks it as it would a
    # real server's, against known_hosts.
    host_key = (folder / "host_key.pub").read_text(encoding="utf-8").split()[:2]
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {' '.join(host_key)}\n")
    ssh = ("ssh", "-F", "/dev/null", "-p", str(port), "-i", str(folder / "user_key"),
           "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
           "-o", f"UserKnownHostsFile={folder / 'known_hosts'}",
           "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes")  # fmt: skip
    with (folder / "sshd.log").open("wb") as log:
        # umask 077 for every session, as a strict server gives: releases are 0755/0644 anyway.
        process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(folder / "sshd_config")],
                                   stdout=log, stderr=subprocess.STDOUT, umask=0o077)  # fmt: skip
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"sshd did not start: {(folder / 'sshd.log').read_text()}")
                time.sleep(0.05)
        else:
            pytest.fail(f"sshd did not listen on {port}: {(folder / 'sshd.log').read_text()}")
        yield Sshd(ssh, folder)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_test_server_is_real_and_strict(sshd):
    """Commands run over ssh as this user, under umask 077 (what the deploys must overcome)."""
    result = subprocess.run([*sshd.ssh, f"{USER}@127.0.0.1", "umask; id -un"], check=True,
                            capture_output=True, text=True)  # fmt: skip
    assert result.stdout.split() == ["0077", USER]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_releases_over_ssh_as_local_ones(tmp_path, fixture_site, sshd):
    """Modes 755/644 under umask 077, unchanged files linked, the commit beside, `current`
    switched, rollback, pruning to `keep`: on the remote host's disk."""
    staged = tmp_path / "staging"
    shutil.copytree(fixture_site, staged)
    for path in [staged, *staged.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)  # as a build's staging folder is made
    www = tmp_path / "remote" / "www"
    remote = parse_target(sshd.target(www), sshd.ssh)
    assert remote == Remote(f"{USER}@127.0.0.1", PurePosixPath(www), sshd.ssh)
    files = files_of(staged)
    mask = os.umask(0o077)
    try:
        first = to_remote_releases(staged, remote, SOURCE, keep=2)
        changed = Path("en/index.html")
        with (staged / changed).open("a", encoding="utf-8") as page:
            page.write("<!-- changed -->\n")
        for path in staged.rglob("*"):
            os.utime(path, (1_000_000_000, 1_000_000_000))  # another build's times
        second = to_remote_releases(staged, remote, SOURCE, keep=2)
    finally:
        os.umask(mask)
    assert first.id < second.id and releases(www) == [first.id, second.id]
    one, two = (www / "releases" / r.id for r in (first, second))
    assert (www / "current").readlink() == Path("releases") / second.id
    assert (www / "current" / changed).read_text("utf-8").endswith("<!-- changed -->\n")
    for folder in (www, www / "releases", one, two):
        assert mode(folder) == 0o755, folder
    for release in (one, two):
        modes = {p: mode(p) for p in release.rglob("*")}
        assert modes and all(m == (0o755 if p.is_dir() else 0o644) for p, m in modes.items()), {
            p: oct(m) for p, m in modes.items() if m not in (0o755, 0o644)
        }
    # Unchanged files are hard links to the previous release; the changed one is a copy.
    assert files_of(one) == files_of(two) == files
    same = [f for f in files if (one / f).stat().st_ino == (two / f).stat().st_ino]
    assert same == [f for f in files if f != changed]
    assert (first.linked, first.copied) == (0, len(files))
    assert (second.linked, second.copied) == (len(files) - 1, 1)
    for release in (first, second):
        record = www / "releases" / f"{release.id}.commit"
        assert record.read_text("utf-8") == f"commit {SOURCE.commit}\n" and mode(record) == 0o644
    assert sorted(p.name for p in (www / "releases").iterdir()) == sorted(
        [first.id, f"{first.id}.commit", second.id, f"{second.id}.commit"]
    )  # no partial upload or temporary record left
    assert not (www / ".current.new").exists()
    assert f"{USER}@127.0.0.1:{www}/releases/{second.id}" in second.describe()

    assert rollback(remote) == first.id
    assert (www / "current").readlink() == Path("releases") / first.id
    assert recorded_source(remote, first.id) == SOURCE.commit
    with pytest.raises(DeployError, match="no release before"):
        rollback(remote)

    third = to_remote_releases(staged, remote, SOURCE, keep=2)
    assert releases(www) == [second.id, third.id]
    assert not (www / "releases" / f"{first.id}.commit").exists()
    assert (www / "current").readlink() == Path("releases") / third.id
    assert (third.linked, third.copied) == (len(files) - 1, 1)  # linked to first, the current


def test_an_unknown_host_key_stops_the_deploy_before_anything_is_made(tmp_path, fixture_site, sshd):
    """ssh checks the server against known_hosts: a server it does not know gets nothing."""
    (sshd.folder / "empty_known_hosts").write_text("")
    ssh = tuple(
        "UserKnownHostsFile=" + str(sshd.folder / "empty_known_hosts")
        if arg.startswith("UserKnownHostsFile=")
        else arg
        for arg in sshd.ssh
    )
    www = tmp_path / "www"
    with pytest.raises(DeployError, match="Host key verification failed"):
        to_remote_releases(fixture_site, parse_target(sshd.target(www), ssh), SOURCE)
    assert not www.exists()


def test_invoke_deploy_over_ssh_says_what_it_did(tmp_path, monkeypatch, sshd):
    """`invoke deploy --target user@host:path` (ssh from $RSYNC_RSH) prints the release, the
    host, files linked and copied and the commit; `invoke rollback` goes back over ssh."""
    project = committed_project(tmp_path / "project", monkeypatch)
    head = git(project, "rev-parse", "HEAD").strip()
    assert run_invoke(project, "publish").returncode == 0
    monkeypatch.setenv("RSYNC_RSH", shlex.join(sshd.ssh))
    www = tmp_path / "remote" / "www"
    target = sshd.target(www)
    files = len(files_of(project / "output"))
    for linked, copied in ((0, files), (files, 0)):
        released = run_invoke(project, "deploy", "--to", "rsync", "--target", target)
        assert released.returncode == 0, released.stderr
        release = releases(www)[-1]
        assert f"Released {release} in {target}/releases/{release};" in released.stdout
        assert f"Files: {linked} linked to the previous release (unchanged), {copied} copied" in (
            released.stdout
        )
        assert f"Source: {head} (recorded in {target}/releases/{release}.commit)" in (
            released.stdout
        )
        assert (www / "releases" / f"{release}.commit").read_text("utf-8") == f"commit {head}\n"
        assert (www / "current").readlink() == Path("releases") / release
    first, _ = releases(www)
    back = run_invoke(project, "rollback", "--target", target)
    assert back.returncode == 0, back.stderr
    assert f"{target}/current now points at {first} (commit {head})." in back.stdout
    assert (www / "current").readlink() == Path("releases") / first


@pytest.mark.parametrize(
    ("target", "host", "path"),
    [
        ("deploy@example.org:/srv/ffhr", "deploy@example.org", "/srv/ffhr"),
        ("example.org:ffhr", "example.org", "ffhr"),  # in the user's home
        ("deploy@[2001:db8::1]:/srv/ffhr", "deploy@2001:db8::1", "/srv/ffhr"),
    ],
)
def test_a_target_with_a_host_is_remote(target, host, path):
    """`[user@]host:path` is a folder over ssh, named back as rsync names it."""
    remote = parse_target(target, ("ssh", "-p", "2222"))
    assert remote == Remote(host, PurePosixPath(path), ("ssh", "-p", "2222"))
    assert str(remote) == target


@pytest.mark.parametrize("target", ["/srv/ffhr", "./a:b", "www/x:y", "relative"])
def test_a_target_without_a_host_is_a_folder_here(target):
    """As rsync decides: a colon after a slash is part of a local path."""
    assert parse_target(target) == Path(target)


@pytest.mark.parametrize(
    "target",
    [
        "-oProxyCommand=x:/srv",  # an option to ssh, not a host
        "-l@example.org:/srv",
        "example.org::module",  # an rsync daemon, not ssh
        "example.org:",  # no folder
        "example.org:~/ffhr",  # ssh's shell would expand ~, rsync may not
        "deploy@:/srv",
    ],
)
def test_a_target_ssh_would_misread_is_refused(target):
    with pytest.raises(DeployError) as refused:
        parse_target(target)
    assert refused.value.code == 2
