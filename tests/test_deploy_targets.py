"""One deploy to several targets (DEPLOY['TARGETS']): each in turn, each one's result
reported, a failed one not stopping the others; the onion mirror's build to its own."""

import socket

import pytest
from test_deploy import committed_project, files_of, needs_rsync

from conftest import FIXTURE_SETTINGS, git, run_invoke
from mirror_sites import ONION, PUBLIC
from press.core.settings import SettingsError, load_settings
from press.publishing.deploy import (
    DeployError,
    Release,
    chosen_targets,
    current_release,
    deploy_to_targets,
    record_publication,
    releases,
    source_of,
)


def closed_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on: a server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def down_ssh() -> list[str]:
    """An ssh command that reaches no server: the port is closed, and nothing asks anything."""
    return ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-p", str(closed_port())]


def test_every_target_is_tried_and_each_result_reported(tmp_path, fixture_site, monkeypatch):
    """Two local targets are released though the two between them fail (a server down, a
    folder that cannot be made); the results come in the order asked, each saying why."""
    needs_rsync()
    monkeypatch.delenv("RSYNC_RSH", raising=False)
    project = committed_project(tmp_path / "project", monkeypatch)
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    targets = {
        "first": {"to": "rsync", "target": str(tmp_path / "www-1")},
        "down": {"to": "rsync", "target": "ffhr@127.0.0.1:/srv/ffhr"},
        "blocked": {"to": "rsync", "target": str(tmp_path / "a-file" / "www")},
        "second": {"to": "rsync", "target": str(tmp_path / "www-2")},
    }
    settings = load_settings(
        FIXTURE_SETTINGS,
        {"DEPLOY": {"TARGETS": targets, "RSYNC": {"ssh": down_ssh()}},
         "CACHE_PATH": str(tmp_path / "cache")},
    )  # fmt: skip
    # As `make publish` records it: the output was built from the project's commit.
    record_publication(tmp_path / "cache", fixture_site, source_of(project))
    results = deploy_to_targets({"public": (fixture_site, settings)}, settings, list(targets),
                                project)  # fmt: skip
    assert [(r.name, r.ok) for r in results] == [
        ("first", True), ("down", False), ("blocked", False), ("second", True),
    ]  # fmt: skip
    head = git(project, "rev-parse", "HEAD").strip()
    for result, folder in ((results[0], "www-1"), (results[3], "www-2")):
        assert isinstance(result.done, Release) and result.done.source.commit == head
        (release,) = releases(tmp_path / folder)
        assert current_release(tmp_path / folder) == release == result.done.id
        assert files_of(tmp_path / folder / "current") == files_of(fixture_site)
        assert result.describe().startswith(f"[{result.name}] deployed (public site).")
    assert "ssh ffhr@127.0.0.1 failed" in str(results[1].error)
    assert results[1].describe().startswith("[down] FAILED (public site): ssh ffhr@127.0.0.1")
    assert "NotADirectoryError" in str(results[2].error)
    assert not (tmp_path / "a-file" / "www").exists()


@pytest.mark.parametrize(
    ("targets", "wrong"),
    [
        ({"x": {"to": "ftp", "target": "/srv"}}, "has to='ftp'"),
        ({"x": {"to": "rsync"}}, "names no target folder"),
        ({"x": {"to": "rsync", "target": "/srv", "site": "tor"}}, "has site='tor'"),
        ({"x": {"to": "rsync", "target": "/srv", "host": "a"}}, "has unknown keys 'host'"),
        ({"all": {"to": "rsync", "target": "/srv"}}, "has a name"),
        ({"x": "rsync:/srv"}, "is 'rsync:/srv'"),
    ],
)
def test_a_target_the_deploy_could_not_use_is_refused_with_the_settings(targets, wrong):
    """DEPLOY['TARGETS'] is checked once with the other settings, naming the target."""
    with pytest.raises(SettingsError) as caught:
        load_settings(FIXTURE_SETTINGS, {"DEPLOY": {"TARGETS": targets}})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{FIXTURE_SETTINGS}: DEPLOY['TARGETS'][{next(iter(targets))!r}] ")
    assert wrong in problem


def test_targets_that_are_not_a_dict_of_targets_are_refused():
    """DEPLOY['TARGETS'] written as a list is a problem naming it, not a crash."""
    with pytest.raises(SettingsError) as caught:
        load_settings(FIXTURE_SETTINGS, {"DEPLOY": {"TARGETS": ["www"]}})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{FIXTURE_SETTINGS}: DEPLOY['TARGETS'] is ['www'], ")


def test_an_onion_target_needs_an_onion_url():
    """A target of the onion mirror's build, with no onion service set, is refused."""
    targets = {"tor": {"to": "rsync", "target": "/srv/onion", "site": "onion"}}
    with pytest.raises(SettingsError) as caught:
        load_settings(FIXTURE_SETTINGS, {"DEPLOY": {"TARGETS": targets}})
    assert "ONION_URL is not set" in caught.value.problems[0]
    load_settings(FIXTURE_SETTINGS, {"DEPLOY": {"TARGETS": targets}, "ONION_URL": ONION})


def test_invoke_publishes_both_sites_and_deploys_each_to_its_targets(tmp_path, monkeypatch):
    """invoke publish, publish --mirror onion, then deploy --targets all: the public site and
    the onion mirror each in their own target, a server down reported and the exit code 1;
    deploy --targets of the good ones only: 0."""
    needs_rsync()
    monkeypatch.delenv("RSYNC_RSH", raising=False)
    project = tmp_path / "project"
    committed_project(project, monkeypatch)
    targets = {
        "www": {"to": "rsync", "target": str(tmp_path / "www")},
        "down": {"to": "rsync", "target": "ffhr@127.0.0.1:/srv/ffhr"},
        "tor": {"to": "rsync", "target": str(tmp_path / "onion"), "site": "onion"},
    }
    with (project / "publishconf.py").open("a", encoding="utf-8") as fileobj:
        fileobj.write(
            f"\nONION_URL = {ONION!r}\n"
            f"DEPLOY = {{**DEPLOY, 'TARGETS': {targets!r}, 'RSYNC': {{'ssh': {down_ssh()!r}}}}}\n"
        )
    git(project, "commit", "-q", "-am", "An onion mirror and three targets")
    assert run_invoke(project, "publish").returncode == 0
    onion = run_invoke(project, "publish", "--mirror", "onion")
    assert onion.returncode == 0, onion.stderr
    assert (project / "output-onion" / "robots.txt").read_text("utf-8") != (
        project / "output" / "robots.txt"
    ).read_text("utf-8")
    deployed = run_invoke(project, "deploy", "--targets", "all")
    assert deployed.returncode == 1
    assert "[www] deployed (public site)." in deployed.stdout
    assert "[tor] deployed (onion site)." in deployed.stdout
    assert "[down] FAILED (public site): ssh ffhr@127.0.0.1 failed" in deployed.stderr
    assert "Deployed to 2 of 3 targets; failed: down" in deployed.stderr
    robots = (tmp_path / "www" / "current" / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots
    robots = (tmp_path / "onion" / "current" / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {ONION}/sitemap.xml" in robots
    headers = (tmp_path / "onion" / "current" / "_headers").read_text("utf-8")
    assert "Strict-Transport-Security" not in headers and "Onion-Location" not in headers
    assert "Onion-Location" in (tmp_path / "www" / "current" / "_headers").read_text("utf-8")

    good = run_invoke(project, "deploy", "--targets", "www,tor")
    assert good.returncode == 0, good.stderr
    assert "Deployed to all 2 targets." in good.stdout
    assert len(releases(tmp_path / "www")) == len(releases(tmp_path / "onion")) == 2
    unknown = run_invoke(project, "deploy", "--targets", "www,nowhere")
    assert unknown.returncode == 2 and "no target nowhere" in unknown.stderr


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        ("all", ["www", "local1", "local2"]),
        ("local2, www", ["local2", "www"]),
        ("local1", ["local1"]),
    ],
)
def test_the_targets_named_are_deployed_in_the_order_named(names, chosen):
    """--targets a,b is those, in that order (spaces around names aside); all is every one."""
    configured = {name: {} for name in ("www", "local1", "local2")}
    assert chosen_targets(names, configured) == chosen


@pytest.mark.parametrize(
    ("names", "naming"),
    [
        ("local1,local1", "local1"),
        ("local1,www,local1", "local1"),
        ("local1,", "empty"),
        (",local1", "empty"),
        ("local1,,www", "empty"),
        ("", "empty"),
        ("all,www", "all"),
        ("www,nowhere", "nowhere"),
    ],
)
def test_targets_named_twice_empty_or_unknown_are_a_usage_error(names, naming):
    """Nothing is deployed twice, and no empty name is looked for: each is refused before any
    deploy, exit code 2, the message naming what is wrong."""
    configured = {name: {} for name in ("www", "local1")}
    with pytest.raises(DeployError) as caught:
        chosen_targets(names, configured)
    assert caught.value.code == 2 and naming in str(caught.value)
    assert "target  " not in str(caught.value)


def test_invoke_deploy_refuses_a_target_named_twice_before_deploying(tmp_path, monkeypatch):
    """`invoke deploy --targets local1,local1` and `--targets local1,` exit 2, deploying
    nothing; the message names the target, or says a name is empty."""
    project = committed_project(tmp_path / "project", monkeypatch)
    targets = {"local1": {"to": "rsync", "target": str(tmp_path / "www")}}
    with (project / "publishconf.py").open("a", encoding="utf-8") as fileobj:
        fileobj.write(f"\nDEPLOY = {{**DEPLOY, 'TARGETS': {targets!r}}}\n")
    git(project, "commit", "-q", "-am", "A target")
    twice = run_invoke(project, "deploy", "--targets", "local1,local1")
    assert twice.returncode == 2 and "local1 more than once" in twice.stderr
    empty = run_invoke(project, "deploy", "--targets", "local1,")
    assert empty.returncode == 2 and "empty name" in empty.stderr
    assert not (tmp_path / "www").exists()
