"""What a finished build wrote, from which inputs; and the plan for updating it after edits.

The state is saved beside the content cache after every build that replaced the output. A
later build compares fingerprints with it: when only the bodies of some articles or pages
changed (no header, no file added or removed, nothing else in the project), it re-renders
just their pages, the translations whose "outdated" notice flips, the feeds and, if what a
listing shows of an article changed, the listings; and writes only files whose bytes
differ. Anything else, or an output folder touched since, means a full build.
"""

import fcntl
import hashlib
import json
import logging
import os
import posixpath
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from press.core.files import walk_files
from press.core.sources import MARKDOWN_EXTENSIONS, Fingerprint
from press.safety.private_names import ENVIRONMENT_VARIABLE

logger = logging.getLogger(__name__)

FORMAT = 7  # of the state file; another number means a full build
# Settings that name where this build writes, not what it writes; and its moment, whose
# effect (which articles are embargoed) the state keeps by itself.
WHERE_NOT_WHAT = ("OUTPUT_PATH", "CACHE_PATH", "BUILD_NOW")
# Libraries whose versions change the output.
PACKAGES = ("pelican", "markdown", "jinja2", "babel", "pillow", "feedgenerator")
# A header ends at its first blank line (Python-Markdown's meta extension).
_HEADER_END = re.compile(rb"\r?\n[ \t]*\r?\n")


@dataclass
class BuildState:
    """What one finished build read and wrote."""

    output: str  # absolute path of the output folder
    inputs: str  # fingerprint of everything but the language sources
    sources: dict[str, list]  # content path -> [header hash, body hash, size, mtime]
    stale: dict[str, bool]  # "lang/key" -> translation outdated
    listing_facts: dict[str, dict[str, str]]  # lang -> key -> listing fact
    files: dict[str, list[int]]  # output file -> [size, mtime_ns]
    fragment_links: dict  # page -> [(other page, #fragment)] (lists once saved)
    headers: dict[str, dict] = field(default_factory=dict)  # content path -> index fields
    # Content path -> [digest, paragraph hashes] of the sources staleness was judged by.
    fingerprints: dict[str, list] = field(default_factory=dict)
    # Content path -> when it may be published, of the articles it kept out for a later date.
    embargoes: dict[str, str] = field(default_factory=dict)
    # Content path -> "published" or "hidden", of every version whose page it wrote.
    visibility: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT


@dataclass
class Plan:
    """An update of a finished output: the sources whose bodies changed, the pages to write."""

    changed: list[str]  # content paths
    pages: dict[str, set[str]] = field(default_factory=dict)  # lang -> files inside its folder


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def source_fingerprints(content: Path, languages, previous=None) -> dict[str, list]:
    """[header hash, body hash, size, mtime] of every Markdown file in the language folders.

    A file whose size and modification time are those in `previous` (the last build's) is
    not read again, as make and Pelican's own cache decide.
    """
    previous = previous or {}
    found = {}
    for lang in languages:
        for name, stamp in file_stamps(content / lang).items():
            if not name.endswith(MARKDOWN_EXTENSIONS) or name.split("/")[-1].startswith("."):
                continue
            relative = f"{lang}/{name}"
            known = previous.get(relative)
            if known is not None and known[2:] == stamp:
                found[relative] = known
                continue
            data = (content / relative).read_bytes()
            end = _HEADER_END.search(data)
            header, body = (data[: end.start()], data[end.end() :]) if end else (data, b"")
            found[relative] = [_hash(header), _hash(body), *stamp]
    return found


def _tree_stamps(folder: Path, skip_suffixes=()) -> list:
    """(path, size, mtime) of every file under `folder`: what make and Pelican compare."""
    if not folder.is_dir():
        return []
    return [
        [path, *stamp]
        for path, stamp in sorted(file_stamps(folder).items())
        if not path.endswith(skip_suffixes) and "__pycache__/" not in path
    ]


def inputs_fingerprint(settings: dict, settings_file: Path) -> str:
    """A hash of the settings, theme, catalogs, plugins, shared files and library versions."""
    project = settings_file.resolve().parent
    content = Path(settings["PATH"])
    shown = {k: v for k, v in settings.items() if k not in WHERE_NOT_WHAT}
    parts = {
        # Functions by name: their repr holds an address that changes from run to run.
        "settings": json.dumps(
            shown,
            sort_keys=True,
            default=lambda v: f"{v.__module__}.{v.__qualname__}" if callable(v) else repr(v),
        ),
        "settings files": [[p.name, *_stamp(p)] for p in sorted(project.glob("*.py"))],
        "theme": _tree_stamps(Path(settings["THEME"])),
        "catalogs": _tree_stamps(Path(settings["I18N_CATALOG_PATH"]), (".mo",)),
        "plugins": [
            _tree_stamps(project / folder, (".pyc",)) for folder in settings["PLUGIN_PATHS"]
        ],
        # Shared images and files, the pseudonym list: all but the language folders.
        "shared content": [
            _tree_stamps(entry) if entry.is_dir() else [entry.name, *_stamp(entry)]
            for entry in sorted(content.iterdir())
            if entry.name not in settings["I18N_LANGUAGES"]
        ],
        "versions": [_version(name) for name in PACKAGES],
        # Output built without the private names list (or with another) was never searched
        # for these names: a new or changed list builds it all. Its size and time only.
        "private names": _private_names_stamp(),
    }
    return _hash(json.dumps(parts, sort_keys=True).encode("utf-8"))


def _private_names_stamp() -> list | None:
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    return [os.fspath(path), *_stamp(path)] if path.is_file() else [os.fspath(path)]


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def file_stamps(target: Path) -> dict[str, list[int]]:
    """[size, mtime_ns] of every file in a folder, by its path inside it."""
    stamps = {}
    for name, entry in walk_files(target):
        stat = entry.stat(follow_symlinks=False)
        stamps[name] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def visibility(index) -> dict[str, str]:
    """What readers get of each version whose page is written, by its content path:
    "published" (listed) or "hidden" (by its address only)."""
    return {
        version.source: "published" if version.published else "hidden"
        for _key, versions in index
        for version in versions.values()
        if version.written
    }


def embargoes(index) -> dict[str, str]:
    """When each embargoed version may be published, by its content path."""
    return {
        version.source: version.embargo
        for _key, versions in index
        for version in versions.values()
        if version.embargo
    }


def stale_flags(index) -> dict[str, bool]:
    """Whether each version is an outdated translation, by "lang/key"."""
    return {
        f"{lang}/{key}": version.stale
        for key, versions in index
        for lang, version in versions.items()
    }


def state_name(target: Path) -> str:
    """The state file's name for an output folder: the site, the review site and the offline
    edition share a content cache, and each keeps its own state."""
    return f"build-state-{_hash(os.fsencode(target))[:12]}.json"


WAITING = "Waiting for another build of the same output to finish"


def lock_path(cache: Path, target: Path) -> Path:
    """The lock file of an output folder, in the content cache's folder (CACHE_PATH).

    Named by the folder alone, not by the settings' key: every build of the folder (`make
    serve`, `make build`) and `make publish` putting its build there take the same one.
    """
    return cache / f"output-{_hash(os.fsencode(target))[:12]}.lock"


@contextmanager
def locked(lock_file: Path):
    """Hold the lock of an output folder (and so of its state) while the block runs."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info(WAITING)  # so that whoever started this build knows why it waits
            fcntl.flock(lock, fcntl.LOCK_EX)  # until the other build of this output ends
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def known_headers(state: BuildState | None, sources: dict) -> dict[str, dict]:
    """The index fields of the last build's sources whose headers are the same now."""
    if state is None:
        return {}
    return {
        name: state.headers[name]
        for name, fingerprint in sources.items()
        if name in state.headers
        and name in state.sources
        and state.sources[name][0] == fingerprint[0]  # the header's hash
    }


def known_fingerprints(state: BuildState | None, sources: dict) -> dict[str, Fingerprint]:
    """The Fingerprints of the last build's sources whose text is the same now."""
    if state is None:
        return {}
    return {
        name: Fingerprint(digest, tuple(paragraphs.split()))
        for name, (digest, paragraphs) in state.fingerprints.items()
        if name in sources
        and name in state.sources
        and state.sources[name][:2] == sources[name][:2]  # the header's and the body's hash
    }


def saved_fingerprints(index) -> dict[str, list]:
    """The index's Fingerprints as the state keeps them."""
    return {
        name: [fingerprint.digest, " ".join(fingerprint.paragraphs)]
        for name, fingerprint in index.fingerprints.items()
    }


def load_state(path: Path) -> BuildState | None:
    """The saved state, or None when there is none (or it is unreadable, or older)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return BuildState(**data)
    except (OSError, ValueError, TypeError):
        return None


def save_state(path: Path, state: BuildState) -> None:
    """Write the state in one rename, so a build cut short never leaves half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    # Shallow: asdict() would deep-copy every value, and the values are only read here.
    data = {item.name: getattr(state, item.name) for item in fields(state)}
    data["fragment_links"] = {
        page: sorted(map(list, links)) for page, links in sorted(state.fragment_links.items())
    }
    temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    temporary.replace(path)


def plan_update(
    state: BuildState | None, target: Path, inputs: str, sources: dict, index
) -> Plan | None:
    """The plan for updating the output after body-only edits; None when a full build is due."""
    if state is None or state.output != str(target) or state.inputs != inputs:
        return None
    if not target.is_dir():
        return None  # the output folder was removed
    if state.sources.keys() != sources.keys():
        return None  # a file was added or removed
    changed = sorted(
        path for path, prints in sources.items() if prints[:2] != state.sources[path][:2]
    )
    if any(sources[path][0] != state.sources[path][0] for path in changed):
        return None  # a header changed: titles, dates, tags, review states...
    if embargoes(index) != state.embargoes:
        return None  # an embargo ended (or began) with no source changed: pages come and go
    if visibility(index) != state.visibility:
        # A body edit took a translation out of print (edited since its approval) or back:
        # its page, listings, feeds, switchers and the sitemap change, as a full build does.
        return None
    if file_stamps(target) != state.files:
        return None  # someone changed the output folder since
    plan = Plan(changed=changed, pages=defaultdict(set))
    for path in changed:
        lang, inner = path.split("/", 1)
        version = index.versions(posixpath.splitext(inner)[0]).get(lang)
        if version is not None and version.written:
            plan.pages[lang].add(version.page)
    # An edited source can make its translations outdated (or up to date again).
    for lang_key, stale in stale_flags(index).items():
        if state.stale.get(lang_key) != stale:
            lang, key = lang_key.split("/", 1)
            version = index.versions(key)[lang]
            if version.written:
                plan.pages[lang].add(version.page)
    plan.pages = dict(plan.pages)
    return plan
