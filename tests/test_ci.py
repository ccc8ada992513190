"""CI: the GitHub workflow tests every push and pull request, then publishes main to Pages;
completeness of translations is a job of its own, for release branches."""

import yaml

from conftest import ROOT


def test_github_workflow_tests_then_publishes_to_pages():
    """The workflow runs .ci/run on every push and PR and deploys main with GitHub's actions."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main", "release/**"] and "pull_request" in triggers
    # Embargoes end without a push: a daily build just after midnight in Seoul.
    assert triggers["schedule"] == [{"cron": "7 15 * * *"}]
    jobs = workflow["jobs"]
    assert [s.get("run") for s in jobs["test"]["steps"] if "run" in s] == ["bash .ci/run"]
    publish = jobs["publish"]
    assert publish["needs"] == "test"
    assert publish["if"] == (
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    )
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    runs = [s for s in publish["steps"] if "run" in s]
    assert runs[-1]["run"] == "make publish"
    # It signs the offline edition with a key from the repository's secrets, written outside
    # the checkout (a secret key inside the repository is refused).
    assert runs[-1]["env"]["SIGNING_KEY_FILE"].startswith("${{ runner.temp }}/")
    assert "$RUNNER_TEMP/" in runs[0]["run"] and "umask 077" in runs[0]["run"]
    upload = next(s for s in publish["steps"] if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))  # fmt: skip
    assert upload["with"]["path"] == "output"
    used = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert all(u.startswith("actions/") and "@v" in u for u in used), used
    assert "actions/deploy-pages@v4" in used
    assert (ROOT / ".ci" / "run").is_file() and "make test" in (ROOT / ".ci" / "run").read_text()


def test_translation_completeness_is_a_separate_job_publishing_never_waits_for():
    """translations-complete runs `translations.status --strict` on release branches and on
    demand; no job needs it, so an untranslated article never stops main from publishing."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    assert "workflow_dispatch" in workflow[True]
    jobs = workflow["jobs"]
    complete = jobs["translations-complete"]
    assert complete["if"] == (
        "startsWith(github.ref, 'refs/heads/release/') || github.event_name == 'workflow_dispatch'"
    )
    runs = [s["run"] for s in complete["steps"] if "run" in s]
    assert runs[-1] == "python -m invoke translations.status --strict"
    assert "--requirement requirements.txt" in runs[0]
    for name, job in jobs.items():
        needs = job.get("needs", [])
        assert "translations-complete" not in ([needs] if isinstance(needs, str) else needs), name
    assert jobs["publish"]["needs"] == "test"
    # Each branch runs alone: a release branch never queues with main's deploys.
    assert workflow["concurrency"] == {
        "group": "pages-${{ github.ref }}",
        "cancel-in-progress": False,
    }


def test_the_publish_job_stops_at_a_missing_signing_key_secret(tmp_path):
    """Run as the job runs it, the key's step fails, writing nothing, when the secret
    OFFLINE_EDITION_KEY is not set (GitHub passes it empty); with it, it writes the key
    outside the checkout, readable by its owner alone."""
    import os
    import subprocess

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    step = next(s for s in workflow["jobs"]["publish"]["steps"] if "OFFLINE_EDITION_KEY" in
                s.get("env", {}))  # fmt: skip
    key = tmp_path / "offline-edition.key"
    for secret, code in (("", 1), ("untrusted comment: a key\nRWQ...\n", 0)):
        env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "OFFLINE_EDITION_KEY": secret}
        result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env,
                                capture_output=True, text=True, check=False)  # fmt: skip
        assert result.returncode == code, result.stderr
        assert key.exists() == bool(code == 0)
        if code:
            assert "OFFLINE_EDITION_KEY" in result.stdout
    assert key.stat().st_mode & 0o777 == 0o600
