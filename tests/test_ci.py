"""CI: the GitHub workflow tests every push and pull request, then publishes main to Pages."""

import yaml

from conftest import ROOT


def test_github_workflow_tests_then_publishes_to_pages():
    """The workflow runs .ci/run on every push and PR and deploys main with GitHub's actions."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
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
    runs = [s.get("run") for s in publish["steps"] if "run" in s]
    assert runs == ["make publish"]
    upload = next(s for s in publish["steps"] if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))  # fmt: skip
    assert upload["with"]["path"] == "output"
    used = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert all(u.startswith("actions/") and "@v" in u for u in used), used
    assert "actions/deploy-pages@v4" in used
    assert (ROOT / ".ci" / "run").is_file() and "make test" in (ROOT / ".ci" / "run").read_text()
