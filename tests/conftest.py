"""Shared fixtures: real builds of a tiny fixture site and of the real site into tmp folders."""

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pelican.settings import get_settings_from_file

from press.build.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "pelicanconf.py"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
# The fixture site's settings: the project's, with the fixture's own languages (en, ko) and
# reading rates, so a language added to pelicanconf.py changes nothing the fixture tests see.
FIXTURE_SETTINGS = ROOT / "tests" / "fixtures" / "settings.py"
FIXTURE_LANGUAGE_KEYS = ("DEFAULT_LANG", "I18N_LANGUAGES", "READING_TIME")
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
    if settings_for(content) == FIXTURE_SETTINGS:  # before the copy has its own content/
        # The copy's tasks read its pelicanconf.py: give it the fixture site's languages.
        with (folder / "pelicanconf.py").open("a", encoding="utf-8") as fileobj:
            fileobj.write("\n# The fixture site's own languages (tests/fixtures/settings.py).\n")
            for key, value in fixture_languages().items():
                fileobj.write(f"{key} = {value!r}\n")
    return folder


def fixture_languages() -> dict:
    """The settings that make the fixture site's languages what they are, from its file."""
    settings = get_settings_from_file(str(FIXTURE_SETTINGS))
    return {key: settings[key] for key in FIXTURE_LANGUAGE_KEYS}


# This machine's own private names list and signing key: never what a test builds with.
PRIVATE_VARIABLES = ("PRIVATE_NAMES_FILE", "SIGNING_KEY_FILE", "SIGNING_KEY_PASSWORD")
# The address the fixture site is published at (publishing refuses a local one).
PUBLIC_SITEURL = "https://ffhr.example.org"


@pytest.fixture(scope="session", autouse=True)
def tests_private_names(tmp_path_factory) -> Path:
    """The tests' own list of private names, with none on it: publishing requires a list,
    and a test must never read this machine's. A test that needs names gives its own."""
    names = tmp_path_factory.mktemp("private-names") / "names.txt"
    names.write_text("# The tests' own list: no names.\n", encoding="utf-8")
    previous = os.environ.get("PRIVATE_NAMES_FILE")
    os.environ["PRIVATE_NAMES_FILE"] = str(names)
    yield names
    if previous is None:
        os.environ.pop("PRIVATE_NAMES_FILE", None)
    else:
        os.environ["PRIVATE_NAMES_FILE"] = previous


def run_invoke(
    project: Path, *args, names: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run `invoke <args>` in a copy of the project, as a maintainer would; return the process.

    `names`: the PRIVATE_NAMES_FILE to build with (never this machine's own); `env`: more
    variables (a SIGNING_KEY_FILE of the test's own).
    """
    environment = {k: v for k, v in os.environ.items() if k not in PRIVATE_VARIABLES}
    # The tests' own list (tests_private_names) unless the test gives one.
    environment["PRIVATE_NAMES_FILE"] = str(names or os.environ["PRIVATE_NAMES_FILE"])
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def settings_for(content: Path) -> Path:
    """The settings file that builds `content`: the project's for the real content/, a copy
    of the project's own for its content (copy_project), the fixture's (its own languages)
    for the fixture site and the copies tests make of it."""
    content = Path(content).resolve()
    if content == (ROOT / "content").resolve():
        return SETTINGS
    if content.name == "content" and (content.parent / "pelicanconf.py").is_file():
        return content.parent / "pelicanconf.py"
    return FIXTURE_SETTINGS


def fixture_publish_settings(folder: Path, **settings) -> Path:
    """A publishconf.py in `folder`: the fixture site's settings, its cache in `folder`, and
    `settings` on top (the way a project's publishconf.py imports its pelicanconf.py); at a
    public address, as publishing requires, unless `settings` give another."""
    settings.setdefault("SITEURL", PUBLIC_SITEURL)
    folder.mkdir(parents=True, exist_ok=True)
    settings_file = folder / "publishconf.py"
    settings_file.write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('fixture', {str(FIXTURE_SETTINGS)!r})\n"
        "fixture = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(fixture)\n"
        "globals().update({k: v for k, v in vars(fixture).items() if k.isupper()})\n"
        f"CACHE_PATH = {str(folder / 'cache')!r}\n"
        + "".join(f"{key} = {value!r}\n" for key, value in settings.items()),
        encoding="utf-8",
    )
    return settings_file


def build_site(
    output: Path, content: Path = FIXTURE_CONTENT, jobs=None, settings=None, **override
) -> Path:
    """Build every language of `content` with its settings (settings_for), theme and catalogs."""
    return build_report(output, content, jobs, settings, **override).output


def build_report(output: Path, content: Path = FIXTURE_CONTENT, jobs=None, settings=None,
                 **override):  # fmt: skip
    """Build as build_site does; return the build's report of what it did.

    `settings`: the settings file, when not the one settings_for(content) gives (a copy of
    the real content is built with the project's, SETTINGS).
    """
    # A content cache beside the output: tests never share one, nor touch the project's.
    override.setdefault("CACHE_PATH", str(output.parent / f"{output.name}{CACHE_SUFFIX}"))
    return build(
        settings or settings_for(content),
        output=output,
        jobs=jobs,
        override={"PATH": str(content), **override},
    )


def reference_build(output: Path, content: Path = FIXTURE_CONTENT, **override) -> Path:
    """The build others are compared with: one process, no content cache, nothing incremental."""
    return build_site(output, content, jobs=1, LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False,
                      **override)  # fmt: skip


def assert_same_tree(built: Path, reference: Path) -> None:
    """Both folders hold the same files, byte for byte (the first differing file is named)."""
    files = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    for name in files:
        assert (built / name).read_bytes() == (reference / name).read_bytes(), name


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def stamps(output: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every output file: a file written again gets a new inode or mtime."""
    return {
        path.relative_to(output).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file (which must contain it) with `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    """Add `text` at the end of a file, as an author typing more would."""
    with path.open("a", encoding="utf-8") as fileobj:
        fileobj.write(text)


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` containing `text`."""
    # Lines end at "\n" only, as the checks count them (a form feed in a line is not an end).
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def wait_for(condition, seconds=60.0) -> bool:
    """Poll `condition` until it holds or `seconds` pass (a wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


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


def git(repo: Path, *args) -> str:
    """Run git in `repo` as a pseudonymous committer; return its output."""
    return subprocess.run(
        ["git", "-c", "user.name=FFHR Editorial Desk", "-c", "user.email=desk@ffhr.invalid",
         *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
