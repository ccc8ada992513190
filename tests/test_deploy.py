"""Deploys: gh-pages as the publishing pseudonym, dated in UTC; rsync releases and rollback."""

import calendar
import os
import shutil
import stat
import subprocess
import time

import pytest

from conftest import ROOT, build_site, copy_project, edit, run_invoke
from pelicanconf import DEPLOY
from press.publishing.deploy import (
    DeployError,
    Source,
    _release_id,
    current_release,
    deploy,
    recorded_source,
    release_order,
    releases,
    rollback,
    source_of,
    to_gh_pages,
    to_releases,
)

IDENTITY = DEPLOY["IDENTITY"]
SOURCE = Source("0123456789abcdef0123456789abcdef01234567")
DESK = ("-c", "user.name=FFHR Editorial Desk", "-c", "user.email=desk@ffhr.invalid")


def git(cwd, *args) -> str:
    """Run git (with no identity of its own) and return its output."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def test_deploy_to_gh_pages_of_a_bare_repository(tmp_path, fixture_site, monkeypatch):
    """ghp-import pushes the site to gh-pages as the publishing pseudonym, with .nojekyll."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    git(project, "config", "user.name", "Kim Young-ho")  # the deployer's real identity
    git(project, "config", "user.email", "kim@example.org")
    pushed = to_gh_pages(fixture_site, project, str(remote), "gh-pages", "Publish the site",
                         IDENTITY, SOURCE)  # fmt: skip
    log = git(remote, "log", "-1", "--format=%H|%an <%ae>|%cn <%ce>|%s", "gh-pages").strip()
    assert log == (
        f"{pushed.commit}|"
        f"{IDENTITY['name']} <{IDENTITY['email']}>|{IDENTITY['name']} <{IDENTITY['email']}>|"
        f"Publish the site ({SOURCE.commit})"
    )
    assert (pushed.remote, pushed.branch, pushed.source) == (str(remote), "gh-pages", SOURCE)
    listing = git(remote, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "gh-pages")
    tree = set(listing.split())
    expected = {
        p.relative_to(fixture_site).as_posix() for p in fixture_site.rglob("*") if p.is_file()
    }
    assert tree == expected | {".nojekyll"}
    assert "Kim" not in git(remote, "log", "--format=%an%ae%cn%ce", "gh-pages")


@pytest.mark.parametrize("shell_date", [None, "2024-05-02T09:30:00+09:00"])
def test_gh_pages_commits_are_dated_in_utc_and_say_nothing_of_the_machine(
    tmp_path, fixture_site, monkeypatch, shell_date
):
    """In Seoul or anywhere, every gh-pages commit is dated +0000 and holds only the pseudonym."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("TZ", "Asia/Seoul")  # the publisher's clock: +0900
    for variable in ("GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"):
        # A date a publisher's shell may carry, in local time: it must not reach the commit.
        if shell_date:
            monkeypatch.setenv(variable, shell_date)
        else:
            monkeypatch.delenv(variable, raising=False)
    before = int(time.time())
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    git(project, "config", "user.name", "Kim Young-ho")
    git(project, "config", "user.email", "kim@example.org")
    for _ in range(2):  # the first commit of the branch, then one with a parent
        to_gh_pages(fixture_site, project, str(remote), "gh-pages", "Publish the site", IDENTITY,
                    SOURCE)  # fmt: skip
    commits = git(remote, "rev-list", "gh-pages").split()
    assert len(commits) == 2
    who = f"{IDENTITY['name']} <{IDENTITY['email']}>"
    for number, commit in enumerate(reversed(commits)):
        raw = git(remote, "cat-file", "-p", commit)
        header, message = raw.split("\n\n", 1)
        fields = [line.split(" ", 1) for line in header.splitlines()]
        assert [key for key, _ in fields] == ["tree"] + ["parent"] * number + [
            "author",
            "committer",
        ], raw
        values = dict(fields)
        for role in ("author", "committer"):
            name, stamp, zone = values[role].rsplit(" ", 2)
            assert name == who
            assert zone == "+0000", raw
            assert before <= int(stamp) <= time.time()  # the deploy's time, not the shell's
        # ghp-import writes it without a newline
        assert message == f"Publish the site ({SOURCE.commit})"


def needs_rsync():
    """Skip a test when rsync is missing here, fail it in CI (where .ci/run installs it)."""
    if shutil.which("rsync") is None:
        reason = "rsync is not installed (Debian: apt-get install rsync)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def files_of(folder):
    """Every file of `folder`, relative to it."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_rsync_releases_and_rollback(tmp_path, fixture_site, content):
    """Each deploy is a new release; current switches atomically; rollback goes back."""
    needs_rsync()
    target = tmp_path / "www"
    first = to_releases(fixture_site, target, SOURCE, keep=2).id
    assert current_release(target) == first
    assert (target / "current" / "en" / "index.html").is_file()
    edit(content / "en" / "articles" / "english-only.md", "Only English readers", "Only readers")
    second_site = build_site(tmp_path / "second", content)
    second = to_releases(second_site, target, SOURCE, keep=2).id
    assert releases(target) == [first, second]
    page = target / "current" / "en" / "articles" / "english-only" / "index.html"
    assert "Only readers" in page.read_text("utf-8")
    # Unchanged files are hard links to the previous release: no copy, no extra space.
    css = "theme/css/site.css"
    assert (target / "releases" / first / css).stat().st_ino == (
        target / "releases" / second / css
    ).stat().st_ino
    assert rollback(target) == first
    assert "Only English readers" in page.read_text("utf-8")
    third = to_releases(second_site, target, SOURCE, keep=2).id
    assert releases(target) == [second, third] and current_release(target) == third


def test_a_release_is_readable_by_a_web_server_whatever_the_umask(tmp_path, fixture_site):
    """Folders 0755 and files 0644, from a 0700 staging folder under umask 077."""
    needs_rsync()
    staged = tmp_path / "staging"
    shutil.copytree(fixture_site, staged)
    for path in [staged, *staged.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)  # as a build's staging folder is made
    target = tmp_path / "www"
    mask = os.umask(0o077)
    try:
        release = to_releases(staged, target, SOURCE)
    finally:
        os.umask(mask)
    served = target / "releases" / release.id
    for folder in (target, target / "releases", served):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder
    modes = {
        path.relative_to(served).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in served.rglob("*")
    }
    assert modes and all(
        mode == (0o755 if (served / name).is_dir() else 0o644) for name, mode in modes.items()
    ), {name: oct(mode) for name, mode in modes.items()}


def test_unchanged_files_are_linked_though_a_new_build_gave_them_new_times(tmp_path, fixture_site):
    """The same bytes at other times (a fresh `make publish`) are hard links, every file."""
    needs_rsync()
    target = tmp_path / "www"
    first = to_releases(fixture_site, target, SOURCE)
    again = tmp_path / "again"
    shutil.copytree(fixture_site, again)
    for path in again.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # another build's times, same bytes
    second = to_releases(again, target, SOURCE)
    files = files_of(fixture_site)
    assert (first.linked, first.copied) == (0, len(files))
    assert (second.linked, second.copied) == (len(files), 0)
    one, two = (target / "releases" / r.id for r in (first, second))
    assert files_of(two) == files
    assert [(one / f).stat().st_ino for f in files] == [(two / f).stat().st_ino for f in files]


def test_releases_of_one_second_sort_by_number_for_pruning_and_rollback(tmp_path, fixture_site):
    """-10 is newer than -2: a deploy prunes -2, keeps -10 (current), and rollback goes to it."""
    needs_rsync()
    target = tmp_path / "www"
    for name in ("20261130T120000Z-2", "20261130T120000Z-10"):
        shutil.copytree(fixture_site, target / "releases" / name)
    (target / "current").symlink_to("releases/20261130T120000Z-10")
    new = to_releases(fixture_site, target, SOURCE, keep=2).id
    assert releases(target) == ["20261130T120000Z-10", new]
    assert sorted(p.name for p in (target / "releases").iterdir() if p.is_dir()) == [
        "20261130T120000Z-10",
        new,
    ]
    assert rollback(target) == "20261130T120000Z-10"
    assert (target / "current").resolve() == target / "releases" / "20261130T120000Z-10"


def test_a_new_release_id_comes_after_every_release():
    """The next number after the highest (not the first free one); never before the newest."""
    second = calendar.timegm((2026, 11, 30, 12, 0, 0))
    stamp = "20261130T120000Z"
    assert _release_id([], second) == stamp
    assert _release_id(["someone's-folder"], second) == stamp
    assert _release_id([stamp], second) == f"{stamp}-2"
    assert _release_id([stamp, f"{stamp}-2", f"{stamp}-9", f"{stamp}-10"], second) == f"{stamp}-11"
    assert _release_id([f"{stamp}-10"], second) == f"{stamp}-11"  # -1 to -9 pruned
    # Made by a machine whose clock is ahead: the new release still sorts last.
    assert _release_id(["20261130T120005Z"], second) == "20261130T120005Z-2"
    ids = [stamp, f"{stamp}-10", f"{stamp}-2", "20261129T235959Z-3", "20261130T120001Z"]
    assert sorted(ids, key=release_order) == [
        "20261129T235959Z-3",
        stamp,
        f"{stamp}-2",
        f"{stamp}-10",
        "20261130T120001Z",
    ]


def committed_project(folder, monkeypatch):
    """A git checkout of a copy of the project (fixture content), every source committed."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(folder.parent / "no-global-config"))
    project = copy_project(folder, ROOT / "tests" / "fixtures" / "content")
    shutil.copy2(ROOT / ".gitignore", project / ".gitignore")  # output/, *.mo, caches
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, *DESK, "commit", "-q", "-m", "The site")
    return project


def test_the_source_is_the_commit_and_its_uncommitted_changes_to_sources(tmp_path, monkeypatch):
    """source_of names HEAD, and each changed or new file of the sources, nothing else."""
    project = committed_project(tmp_path / "project", monkeypatch)
    head = git(project, "rev-parse", "HEAD").strip()
    assert source_of(project) == Source(head)
    (project / "notes.txt").write_text("not a source of the site\n", encoding="utf-8")
    assert source_of(project) == Source(head)
    edit(project / "content" / "en" / "articles" / "english-only.md", "Only", "Just")
    (project / "theme" / "new.css").write_text("p {}\n", encoding="utf-8")
    (project / "pelicanconf.py").unlink()
    assert source_of(project) == Source(head, (
        "content/en/articles/english-only.md: uncommitted (M)",
        "pelicanconf.py: uncommitted (D)",
        "theme/new.css: uncommitted (??)",
    ))  # fmt: skip
    assert source_of(project).label() == f"{head}, with uncommitted changes"
    elsewhere = tmp_path / "not-a-checkout"
    elsewhere.mkdir()
    assert source_of(elsewhere) == Source(None, checkout=False)
    assert source_of(elsewhere).label() == "none: not a git checkout"


def test_deploy_refuses_uncommitted_sources_and_names_them(tmp_path, monkeypatch):
    """Nothing is released from a dirty checkout; the refusal names each file."""
    project = committed_project(tmp_path / "project", monkeypatch)
    edit(project / "content" / "en" / "articles" / "english-only.md", "Only", "Just")
    target = tmp_path / "www"
    with pytest.raises(DeployError) as refused:
        deploy(tmp_path / "output", {}, "rsync", project, target=str(target))
    assert "uncommitted changes" in str(refused.value) and "--allow-dirty" in str(refused.value)
    assert refused.value.problems == ["content/en/articles/english-only.md: uncommitted (M)"]
    assert not target.exists()


def test_every_deploy_says_what_it_did_and_records_its_commit(tmp_path, monkeypatch):
    """invoke deploy: rsync and gh-pages name the commit; a dirty one is refused, or recorded."""
    needs_rsync()
    project = committed_project(tmp_path / "project", monkeypatch)
    head = git(project, "rev-parse", "HEAD").strip()
    assert run_invoke(project, "publish").returncode == 0
    target = tmp_path / "www"
    released = run_invoke(project, "deploy", "--to", "rsync", "--target", str(target))
    assert released.returncode == 0, released.stderr
    (release,) = releases(target)
    files = len(files_of(project / "output"))
    assert f"Released {release} in {target / 'releases' / release}" in released.stdout
    assert f"Files: 0 linked to the previous release (unchanged), {files} copied" in (
        released.stdout
    )
    assert f"Source: {head} (recorded in {target / 'releases' / release}.commit)" in (
        released.stdout
    )
    assert (target / "releases" / f"{release}.commit").read_text("utf-8") == f"commit {head}\n"
    assert recorded_source(target, release) == head
    assert not list((target / "releases" / release).rglob("*.commit"))  # not served

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    pushed = run_invoke(project, "deploy", "--to", "gh-pages", "--remote", str(remote))
    assert pushed.returncode == 0, pushed.stderr
    commit, message = git(remote, "log", "-1", "--format=%H|%s", "gh-pages").strip().split("|")
    assert message == f"Publish the site ({head})"
    assert f"Pushed commit {commit} to branch gh-pages of {remote}." in pushed.stdout
    assert f"Source: {head}" in pushed.stdout

    edit(project / "content" / "en" / "articles" / "english-only.md", "Only", "Just")
    refused = run_invoke(project, "deploy", "--to", "rsync", "--target", str(target))
    assert refused.returncode == 1
    assert "content/en/articles/english-only.md: uncommitted (M)" in refused.stderr
    assert "uncommitted changes" in refused.stderr and releases(target) == [release]
    dirty = run_invoke(project, "deploy", "--to", "rsync", "--target", str(target),
                       "--allow-dirty")  # fmt: skip
    assert dirty.returncode == 0, dirty.stderr
    assert f"Files: {files} linked to the previous release (unchanged), 0 copied" in dirty.stdout
    assert "--allow-dirty: 1 uncommitted file(s)" in dirty.stdout
    second = releases(target)[-1]
    assert (target / "releases" / f"{second}.commit").read_text("utf-8") == (
        f"commit {head}, with uncommitted changes\n"
        "content/en/articles/english-only.md: uncommitted (M)\n"
    )


def test_deploy_refuses_an_output_not_published_from_the_commit_it_deploys(tmp_path, monkeypatch):
    """An output published before a commit (a pulled article, say), one published with
    uncommitted changes, or one changed since it was published is not deployed, and the
    refusal says why; published again from the commit, it is."""
    needs_rsync()
    project = committed_project(tmp_path / "project", monkeypatch)
    target = tmp_path / "www"
    article = project / "content" / "en" / "articles" / "english-only.md"

    def deploy_():
        return run_invoke(project, "deploy", "--to", "rsync", "--target", str(target))

    assert run_invoke(project, "publish").returncode == 0
    built = git(project, "rev-parse", "HEAD").strip()
    edit(article, "Title: ", "Status: draft\nTitle: ")
    git(project, *DESK, "commit", "-q", "-am", "Pulled")
    now = git(project, "rev-parse", "HEAD").strip()
    refused = deploy_()
    assert refused.returncode == 1
    assert f"output/ was built from {built[:12]}, and the sources are at {now[:12]} now" in (
        refused.stderr
    )
    assert "run `make publish` again" in refused.stderr and not target.exists()

    edit(article, "Status: draft\n", "")  # published with the edit not yet committed,
    assert run_invoke(project, "publish").returncode == 0
    git(project, "checkout", "-q", "--", ".")  # then taken back
    dirty = deploy_().stderr
    assert "output/ was built with uncommitted changes (content/en/articles/english-only.md" in (
        dirty
    )
    assert not target.exists()

    assert run_invoke(project, "publish").returncode == 0
    page = project / "output" / "en" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<!-- by hand --></body>"))
    changed = deploy_()
    assert "output/ changed since `make publish` built it" in changed.stderr
    assert not target.exists()

    assert run_invoke(project, "publish").returncode == 0
    assert (done := deploy_()).returncode == 0, done.stderr
    assert f"Source: {git(project, 'rev-parse', 'HEAD').strip()}" in done.stdout
