"""Shared fixtures: real builds of a tiny fixture site and of the real site into tmp folders."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from press.build.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "pelicanconf.py"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
CACHE_SUFFIX = ".pelican-cache"  # each test build's own content cache, beside its output
# What a copy of the project needs to run its tasks: code, settings, theme and catalogs.
PROJECT_FILES = (
    "tasks.py", "pelicanconf.py", "publishconf.py", "babel.cfg", "plugins", "press", "theme",
    "locale",
)  # fmt: skip


def copy_project(folder: Path, content: Path = ROOT / "content") -> Path:
    """A copy of the project (no compiled catalogs) in `folder`, with `content` as content/."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("*.mo", "__pycache__")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=ignore)
        else:
            shutil.copy2(source, folder / name)
    shutil.copytree(content, folder / "content", ignore=ignore)
    return folder


def run_invoke(project: Path, *args, names: Path | None = None) -> subprocess.CompletedProcess:
    """Run `invoke <args>` in a copy of the project, as a maintainer would; return the process.

    `names`: the PRIVATE_NAMES_FILE to build with (never this machine's own).
    """
    env = {key: value for key, value in os.environ.items() if key != "PRIVATE_NAMES_FILE"}
    if names is not None:
        env["PRIVATE_NAMES_FILE"] = str(names)
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def build_site(output: Path, content: Path = FIXTURE_CONTENT, jobs=None, **override) -> Path:
    """Build every language of `content` with the project's settings, theme and catalogs."""
    return build_report(output, content, jobs, **override).output


def build_report(output: Path, content: Path = FIXTURE_CONTENT, jobs=None, **override):
    """Build as build_site does; return the build's report of what it did."""
    # A content cache beside the output: tests never share one, nor touch the project's.
    override.setdefault("CACHE_PATH", str(output.parent / f"{output.name}{CACHE_SUFFIX}"))
    return build(SETTINGS, output=output, jobs=jobs, override={"PATH": str(content), **override})


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture site (tests/fixtures/content), built once for the session."""
    return build_site(tmp_path_factory.mktemp("fixture") / "output")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The organization's real content/, built once for the session."""
    return build_site(tmp_path_factory.mktemp("real") / "output", ROOT / "content")


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the fixture content, for tests that break it."""
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy
