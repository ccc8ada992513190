"""`make publish` refuses what only a preview may be: a local address, no private names list."""

import pytest

from conftest import FIXTURE_CONTENT, copy_project, run_invoke


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project with the fixture content, as a maintainer's checkout."""
    return copy_project(tmp_path_factory.mktemp("production") / "project", FIXTURE_CONTENT)


def test_publishing_without_a_private_names_list_is_refused(project):
    """With PRIVATE_NAMES_FILE unset, no gate could see a real name: nothing is built."""
    done = run_invoke(project, "publish", env={"PRIVATE_NAMES_FILE": ""})
    assert done.returncode == 1
    assert "PRIVATE_NAMES_FILE is not set" in done.stderr
    assert "docs/safety.md" in done.stderr
    assert not (project / "output").exists()


def test_an_empty_private_names_list_publishes(project):
    """A site with no names to keep names a list with none: it publishes."""
    done = run_invoke(project, "publish")  # the tests' own list, with no names
    assert done.returncode == 0, done.stderr
    assert (project / "output" / "en" / "index.html").is_file()


@pytest.mark.parametrize(
    "siteurl",
    [
        "http://localhost:8000",
        "http://127.0.0.1",
        "https://[::1]:8443",
        "http://ffhr.example.org",  # not https: readers on watched networks
        "ffhr.example.org",  # no scheme
        "",
    ],
)
def test_a_production_address_that_is_not_public_https_is_refused(tmp_path, siteurl):
    """A misspelled SITEURL falls back to pelicanconf.py's localhost: publishing it would
    send feeds, canonical links and the sitemap there."""
    project = copy_project(tmp_path / "project", FIXTURE_CONTENT)
    publishconf = project / "publishconf.py"
    text = publishconf.read_text(encoding="utf-8")
    assert 'SITEURL = "https://ffhr.example.org"' in text
    publishconf.write_text(text.replace("https://ffhr.example.org", siteurl, 1), "utf-8")
    done = run_invoke(project, "publish")
    assert done.returncode == 1
    assert f"SITEURL is {siteurl!r}, not a public https:// address" in done.stderr
    assert not (project / "output").exists()
