"""Shared fixtures: real builds of a tiny fixture site and of the real site into tmp folders."""

import shutil
from pathlib import Path

import pytest

from multilingual.build import build

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "pelicanconf.py"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
CACHE_SUFFIX = ".pelican-cache"  # each test build's own content cache, beside its output


def build_site(output: Path, content: Path = FIXTURE_CONTENT, jobs=None, **override) -> Path:
    """Build every language of `content` with the project's settings, theme and catalogs."""
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
