"""The offline edition as readers check it: its manifest, its signatures, `invoke verify`.

Inside the edition, SHA256SUMS lists the SHA-256 of every other file (sha256sum's format),
and SHA256SUMS.minisig signs it; beside the ZIP, <name>.zip.minisig signs the ZIP. A copy
is sound when its signatures are by the committed key, and its files are exactly those
SHA256SUMS lists, with those bytes.
"""

import hashlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import minisign

from press.core.files import file_names
from press.core.problems import Kind, Problem, display_path

from .signing import SIGNATURE_SUFFIX

MANIFEST = "SHA256SUMS"
MANIFEST_SIGNATURE = MANIFEST + SIGNATURE_SUFFIX
# The files of the edition that SHA256SUMS cannot list: itself and its signature.
UNLISTED = (MANIFEST, MANIFEST_SIGNATURE)
LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def manifest(site: Path) -> str:
    """sha256sum-style lines for every file, sorted by path."""
    lines = []
    for name in file_names(site):
        digest = hashlib.sha256((site / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Verification:
    """What `verify_edition` checked, and every problem it found (none: the copy is sound)."""

    checked: str  # the ZIP or folder, as its problems name it
    files: int  # files compared with SHA256SUMS
    signatures: list[str] = field(default_factory=list)  # the signed files found good
    problems: list[Problem] = field(default_factory=list)


def verify_edition(path: Path, public_key: minisign.PublicKey) -> Verification:
    """Check a copy of the offline edition, a ZIP or an unpacked folder, against `public_key`.

    A ZIP's signature is the .minisig beside it; inside, SHA256SUMS.minisig signs
    SHA256SUMS, which must list every other file with its bytes' SHA-256: a file changed,
    added or missing is a problem naming it. A folder is the edition's own, or one that
    holds it (unpacked there), whose other files are not the edition's.
    """
    path = Path(path)
    shown = display_path(path)
    problems, signatures = [], []
    if path.is_dir():
        # The edition's folder, or the folder it was unpacked into (whatever else is there).
        inner = [sub for sub in sorted(path.iterdir()) if (sub / MANIFEST).is_file()]
        if not (path / MANIFEST).is_file() and len(inner) == 1:
            path, shown = inner[0], f"{shown}/{inner[0].name}"
        files, label = _folder(path), shown
        base = "" if MANIFEST in files else None
    elif zipfile.is_zipfile(path):
        signature = path.with_name(path.name + SIGNATURE_SUFFIX)
        _check_signature(path.read_bytes(), signature, public_key, shown, problems, signatures)
        with zipfile.ZipFile(path) as archive:
            files, duplicates = _members(archive)
        problems += [
            Problem(f"{shown}/{name}", 0, "is in the ZIP twice; one of them was added",
                    Kind.EDITION_ADDED)
            for name in duplicates
        ]  # fmt: skip
        label = shown
        base = next((name.rpartition("/")[0] for name in files if _is_manifest(name)), None)
    else:
        problems.append(Problem(shown, 0, "is neither a ZIP file nor a folder", Kind.OTHER))
        return Verification(shown, 0, signatures, problems)
    if base is None:
        problems.append(
            Problem(f"{label}/{MANIFEST}", 0, "missing: not a copy of the offline edition, or "
                    "its list of files was removed", Kind.EDITION_MISSING)
        )  # fmt: skip
        return Verification(shown, 0, signatures, problems)
    prefix = f"{base}/" if base else ""
    label = f"{label}/{base}" if base else label
    inside = {name.removeprefix(prefix): read for name, read in files.items()
              if name.startswith(prefix)}  # fmt: skip
    problems += [
        Problem(f"{shown}/{name}", 0, "is outside the edition's folder: added to the copy",
                Kind.EDITION_ADDED)
        for name in sorted(files) if not name.startswith(prefix)
    ]  # fmt: skip
    data = inside[MANIFEST]()
    if MANIFEST_SIGNATURE in inside:
        _check_bytes(data, inside[MANIFEST_SIGNATURE](), f"{label}/{MANIFEST}", public_key,
                     problems, signatures)  # fmt: skip
    else:
        problems.append(
            Problem(f"{label}/{MANIFEST_SIGNATURE}", 0, "missing: the list of files is not "
                    "signed, so nothing here can be trusted", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
    listed = _listed(data, f"{label}/{MANIFEST}", problems)
    for name, digest in listed.items():
        if name not in inside:
            problems.append(
                Problem(f"{label}/{name}", 0, f"missing: {MANIFEST} lists it, this copy does "
                        "not have it", Kind.EDITION_MISSING)
            )  # fmt: skip
        elif hashlib.sha256(inside[name]()).hexdigest() != digest:
            problems.append(
                Problem(f"{label}/{name}", 0, f"changed: its SHA-256 is not the one {MANIFEST} "
                        "lists", Kind.EDITION_CHANGED)
            )  # fmt: skip
    for name in sorted(inside):
        if name not in listed and name not in UNLISTED:
            problems.append(
                Problem(f"{label}/{name}", 0, f"added: {MANIFEST} does not list it",
                        Kind.EDITION_ADDED)
            )  # fmt: skip
    return Verification(shown, len(listed), signatures, sorted(problems))


def _is_manifest(name: str) -> bool:
    """The edition's SHA256SUMS: at the top, or in the one folder at the top (the ZIP's)."""
    return name == MANIFEST or (name.count("/") == 1 and name.endswith(f"/{MANIFEST}"))


def _folder(folder: Path) -> dict[str, Callable[[], bytes]]:
    """Every file below `folder`, by its path inside it, with a way to read its bytes."""
    return {name: (folder / name).read_bytes for name in file_names(folder)}


def _members(archive: zipfile.ZipFile) -> tuple[dict[str, Callable[[], bytes]], list[str]]:
    """Every file of the ZIP with a way to read it, and the names it holds more than once."""
    files, duplicates = {}, []
    for member in archive.infolist():
        if member.is_dir():
            continue
        if member.filename in files:
            duplicates.append(member.filename)
        data = archive.read(member)  # read now: the archive is closed after this
        files[member.filename] = lambda data=data: data
    return files, duplicates


def _check_signature(data, signature: Path, public_key, shown, problems, signatures) -> None:
    """Check the .minisig file `signature` of `data` (the file `shown`)."""
    if not signature.is_file():
        problems.append(
            Problem(shown, 0, f"not signed: {signature.name} is not beside it (download it "
                    "too)", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
        return
    _check_bytes(data, signature.read_bytes(), shown, public_key, problems, signatures)


def _check_bytes(data, signature: bytes, shown, public_key, problems, signatures) -> None:
    """Check that `signature` (a .minisig's bytes) signs `data` with `public_key`."""
    try:
        public_key.verify(data, minisign.Signature.from_bytes(signature))
    except minisign.Error:
        problems.append(
            Problem(shown, 0, "its signature does not match: changed since it was signed, or "
                    "signed by another key", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
    else:
        signatures.append(shown)


def _listed(data: bytes, shown: str, problems: list[Problem]) -> dict[str, str]:
    """The files SHA256SUMS lists, with their digests; a problem for each line it cannot read."""
    listed = {}
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if match := LINE.fullmatch(line):
            listed[match[2]] = match[1]
        else:
            problems.append(
                Problem(shown, number, "is not a line of sha256sum's format",
                        Kind.EDITION_CHANGED)
            )  # fmt: skip
    return listed
