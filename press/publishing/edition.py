"""The offline edition as readers check it: its manifest, its signatures, `invoke verify`.

Inside the edition, SHA256SUMS lists the SHA-256 of every other file (sha256sum's format),
and SHA256SUMS.minisig signs it; beside the ZIP, <name>.zip.minisig signs the ZIP. A copy
is sound when its signatures are by the committed key, and its files are exactly those
SHA256SUMS lists, with those bytes.
"""

import base64
import hashlib
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

import minisign

from press.core.files import file_names
from press.core.problems import Kind, Problem, display_path

from .signing import SIGNATURE_SUFFIX, key_id, signature_path

MANIFEST = "SHA256SUMS"
MANIFEST_SIGNATURE = MANIFEST + SIGNATURE_SUFFIX
# The files of the edition that SHA256SUMS cannot list: itself and its signature.
UNLISTED = (MANIFEST, MANIFEST_SIGNATURE)
LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
# What a copy may make `verify` read. Files are hashed as streams, a megabyte at a time; the
# list of files and the signatures are read whole, so they have a size no edition comes near.
CHUNK = 1 << 20
MANIFEST_LIMIT = 16 << 20  # SHA256SUMS: a line per file, some 100 bytes each
SIGNATURE_LIMIT = 16 << 10  # a .minisig: four lines, its trusted comment at most 8 KiB
# A ZIP whose own signature failed is a stranger's: no file in it is unpacked past these
# (a ZIP bomb's few kilobytes unpack to gigabytes), though its names are all compared.
UNTRUSTED_FILE_LIMIT = 64 << 20  # the edition's largest file is a few hundred kilobytes
UNTRUSTED_TOTAL_LIMIT = 1 << 30
# Where an unpacked copy has something else than a file, what it is.
NOT_FILES = {stat.S_IFIFO: "a FIFO (a named pipe)", stat.S_IFSOCK: "a socket",
             stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}  # fmt: skip
IS_A_LINK = "is a link, not a file: a copy holds only files"
DAMAGED = "damaged: a file in it ({name}) cannot be read; download it again"
UNREADABLE_SIGNATURE = "not a readable signature (cut short?): download it again"


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
    key_id: str = ""  # the public key checked with, by its id as minisign shows it
    public_key: str = ""  # and its file, if verify_edition was told it


class NoPublicKey(Exception):
    """No public key to check with in the file named; the message says what to do."""


def reader_public_key(path: Path) -> minisign.PublicKey:
    """The minisign public key of the file `path`, as a reader gives it; NoPublicKey if none."""
    where = (
        "copy the public key from the site's safety page (its offline edition section) into "
        "a file and name that file with --key, or use keys/offline-edition.pub of the project"
    )
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        raise NoPublicKey(
            f"{path}: no such file, so no public key to check with: {where}"
        ) from None
    except OSError as exc:
        raise NoPublicKey(f"{path}: cannot be read ({exc.strerror}): {where}") from None
    if not stat.S_ISREG(mode):
        raise NoPublicKey(f"{path}: not a file, so no public key to check with: {where}")
    try:
        with Path(path).open("rb") as fileobj:
            return minisign.PublicKey.from_bytes(fileobj.read(SIGNATURE_LIMIT))
    except (OSError, minisign.Error) as exc:
        raise NoPublicKey(f"{path}: not a minisign public key ({exc}): {where}") from None


@dataclass(frozen=True)
class _Entry:
    """A file of the copy: its real name, how to open it, and what fails if it can't be read."""

    name: str
    open: Callable[[], BinaryIO]
    size: int | None  # what it unpacks to, as its ZIP says; None for a file on disk
    damaged: Problem  # the problem if reading it fails


class _Refused(Exception):
    """A file that is not read (or not further): the problem says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def verify_edition(
    path: Path, public_key: minisign.PublicKey, key_file: Path | None = None
) -> Verification:
    """Check a copy of the offline edition, a ZIP or an unpacked folder, against `public_key`
    (of the file `key_file`, which the report names).

    A ZIP's signature is the .minisig beside it; inside, SHA256SUMS.minisig signs
    SHA256SUMS, which must list every other file with its bytes' SHA-256: a file changed,
    added or missing is a problem naming it. A folder is the edition's own, or one that
    holds it (unpacked there), whose other files are not the edition's. A folder's names are
    compared as Unicode NFC (macOS writes them decomposed); anything in it that is not a
    file or a folder (a link, a FIFO, a device) is refused by name, never opened. Nothing is
    read whole but SHA256SUMS and the signatures, each under a limit; a damaged or
    incomplete ZIP is a problem naming it.
    """
    path = Path(path)
    shown = display_path(path)
    problems, signatures = [], []
    with ExitStack() as stack:
        files = _copy(path, shown, public_key, stack, problems, signatures)
        if files is None:
            checked = 0
        else:
            shown, checked = files[0], _check_files(*files, public_key, problems, signatures)
    return Verification(
        shown,
        checked,
        signatures,
        sorted(problems),
        key_id(public_key),
        "" if key_file is None else display_path(key_file),
    )


def _copy(path, shown, public_key, stack, problems, signatures):
    """What verify_edition compares, once it knows what `path` is: (what it names the copy,
    the files by their NFC names, the folders and refused names, whether the ZIP's own
    signature was good); None, with a problem, for no copy at all."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        problems.append(Problem(shown, 0, "does not exist", Kind.OTHER))
        return None
    except OSError as exc:
        problems.append(Problem(shown, 0, f"cannot be read ({exc.strerror})", Kind.OTHER))
        return None
    if stat.S_ISDIR(mode):
        found = _edition_folder(path, shown, problems)
        if found is None:
            return None
        path, shown = found
        return (shown, *_folder(path, shown, problems), True)
    if not stat.S_ISREG(mode):  # a FIFO would make any reader wait forever
        problems.append(Problem(shown, 0, "is neither a ZIP file nor a folder", Kind.OTHER))
        return None
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        problems.append(_not_a_zip(path, shown))
        archive = None
    if archive is None and problems[-1].kind == Kind.OTHER:
        return None  # no ZIP at all, so no signature to look for
    signature = signature_path(path)
    trusted = _check_signature(path, signature, public_key, shown, problems, signatures)
    if archive is None:
        return None
    files, refused = _members(archive, shown, problems)
    return shown, files, set(), refused, trusted


def _not_a_zip(path: Path, shown: str) -> Problem:
    """What a file that zipfile cannot open is: cut short, damaged, or no ZIP at all."""
    try:
        with path.open("rb") as fileobj:
            start = fileobj.read(4)
    except OSError as exc:
        return Problem(shown, 0, f"cannot be read ({exc.strerror})", Kind.OTHER)
    if zipfile.is_zipfile(path):  # its end is there, so something before it is wrong
        return Problem(shown, 0, DAMAGED.format(name="its table of contents"),
                       Kind.EDITION_DAMAGED)  # fmt: skip
    if start == b"PK\x03\x04":  # begins as a ZIP, and its end is missing
        return Problem(shown, 0, "not a complete ZIP file (cut short?): download it again",
                       Kind.EDITION_DAMAGED)  # fmt: skip
    return Problem(shown, 0, "is neither a ZIP file nor a folder", Kind.OTHER)


def _edition_folder(path: Path, shown: str, problems) -> tuple[Path, str] | None:
    """The edition's folder: `path`, or the one folder in it holding a SHA256SUMS."""
    if os.path.lexists(path / MANIFEST):
        return path, shown
    try:
        inner = [sub for sub in sorted(path.iterdir()) if os.path.lexists(sub / MANIFEST)]
    except OSError as exc:
        problems.append(Problem(shown, 0, f"cannot be read ({exc.strerror})", Kind.OTHER))
        return None
    if len(inner) > 1:
        names = ", ".join(sub.name for sub in inner)
        problems.append(
            Problem(shown, 0, f"holds more than one copy of the offline edition ({names}): "
                    "name the one to check", Kind.OTHER)
        )  # fmt: skip
        return None
    if not inner:
        return path, shown  # no SHA256SUMS here: reported as missing
    if inner[0].is_symlink():
        problems.append(Problem(f"{shown}/{inner[0].name}", 0, IS_A_LINK, Kind.EDITION_NOT_A_FILE))
        return None
    return inner[0], f"{shown}/{inner[0].name}"


def _check_files(shown, files, folders, refused, trusted, public_key, problems, signatures):
    """Compare `files` with the SHA256SUMS among them; the number of files it lists."""
    names = set(files) | refused
    if MANIFEST in names:
        base = ""
    else:
        base = next((name.rpartition("/")[0] for name in sorted(names) if _is_manifest(name)),
                    None)  # fmt: skip
    if base is None:
        problems.append(
            Problem(f"{shown}/{MANIFEST}", 0, "missing: not a copy of the offline edition, or "
                    "its list of files was removed", Kind.EDITION_MISSING)
        )  # fmt: skip
        return 0
    prefix = f"{base}/" if base else ""
    label = f"{shown}/{base}" if base else shown
    inside = {name.removeprefix(prefix): entry for name, entry in files.items()
              if name.startswith(prefix)}  # fmt: skip
    problems += [
        Problem(f"{shown}/{files[name].name}", 0, "is outside the edition's folder: added to "
                "the copy", Kind.EDITION_ADDED)
        for name in sorted(files) if not name.startswith(prefix)
    ]  # fmt: skip
    if MANIFEST not in inside:  # it is there, but refused (a link, say): nothing to compare
        return 0
    try:
        data = _read(inside[MANIFEST], MANIFEST_LIMIT,
                     Problem(f"{label}/{MANIFEST}", 0, "is larger than any list of files of the "
                             "edition: not the edition's", Kind.EDITION_CHANGED))  # fmt: skip
    except _Refused as refusal:
        problems.append(refusal.problem)
        return 0
    signature_shown = f"{label}/{MANIFEST_SIGNATURE}"
    if MANIFEST_SIGNATURE in inside:
        unreadable = Problem(signature_shown, 0, UNREADABLE_SIGNATURE, Kind.EDITION_SIGNATURE)
        try:
            signature = _read(inside[MANIFEST_SIGNATURE], SIGNATURE_LIMIT, unreadable)
        except _Refused as refusal:
            problems.append(refusal.problem)
        else:
            _check_bytes(data, signature, f"{label}/{MANIFEST}", signature_shown, public_key,
                         problems, signatures)  # fmt: skip
    elif MANIFEST_SIGNATURE not in refused:
        problems.append(
            Problem(signature_shown, 0, "missing: the list of files is not signed, so nothing "
                    "here can be trusted", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
    listed = _listed(data, f"{label}/{MANIFEST}", problems)
    folders = {name.removeprefix(prefix) for name in folders}
    refused = {name.removeprefix(prefix) for name in refused}
    budget = None if trusted else UNTRUSTED_TOTAL_LIMIT
    for key, (name, digest) in listed.items():
        where = f"{label}/{name}"
        if any(part in refused for part in _folders_of(key)):
            continue  # said already: a link, a FIFO... (or a link to a folder holding it)
        if key in folders:
            problems.append(
                Problem(where, 0, f"is a folder, not a file: {MANIFEST} lists a file here",
                        Kind.EDITION_NOT_A_FILE)
            )  # fmt: skip
        elif key not in inside:
            problems.append(
                Problem(where, 0, f"missing: {MANIFEST} lists it, this copy does not have it",
                        Kind.EDITION_MISSING)
            )  # fmt: skip
        elif budget is not None and (size := inside[key].size or 0) > UNTRUSTED_FILE_LIMIT:
            problems.append(
                Problem(where, 0, f"not checked: it unpacks to {size:,} bytes, more than any "
                        "file of the edition, and the ZIP's own signature failed (a ZIP bomb?)",
                        Kind.EDITION_CHANGED)
            )  # fmt: skip
        elif budget is not None and size > budget:
            if budget >= 0:  # said once; no file after it is unpacked either
                problems.append(
                    Problem(where, 0, "not checked, nor any file after it: the ZIP's own "
                            "signature failed, and its files unpack to more than "
                            f"{UNTRUSTED_TOTAL_LIMIT:,} bytes (a ZIP bomb?)", Kind.EDITION_CHANGED)
                )  # fmt: skip
            budget = -1
        else:
            entry = inside[key]
            if budget is not None:
                budget -= entry.size or 0
            try:
                if _sha256(entry) != digest:
                    problems.append(
                        Problem(f"{label}/{entry.name}", 0, f"changed: its SHA-256 is not the one "
                                f"{MANIFEST} lists", Kind.EDITION_CHANGED)
                    )  # fmt: skip
            except _Refused as refusal:
                problems.append(refusal.problem)
    for key in sorted(inside):
        if key not in listed and key not in UNLISTED:
            problems.append(
                Problem(f"{label}/{inside[key].name}", 0, f"added: {MANIFEST} does not list it",
                        Kind.EDITION_ADDED)
            )  # fmt: skip
    return len(listed)


def _folders_of(name: str) -> Iterator[str]:
    """`name`, then each folder above it: a/b/c, a/b, a."""
    while name:
        yield name
        name = name.rpartition("/")[0]


def _is_manifest(name: str) -> bool:
    """The edition's SHA256SUMS: at the top, or in the one folder at the top (the ZIP's)."""
    return name == MANIFEST or (name.count("/") == 1 and name.endswith(f"/{MANIFEST}"))


def _nfc(name: str) -> str:
    """A name as it is compared: Unicode NFC, whichever form the copy's system wrote."""
    return unicodedata.normalize("NFC", name)


def _folder(folder: Path, shown: str, problems: list[Problem]):
    """Every file below `folder` by its NFC name; its folders; and the names refused (links,
    FIFOs, devices: each a problem, and never opened)."""
    files, folders, refused = {}, set(), set()
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            where = f"{shown}/{prefix}".rstrip("/")
            problems.append(Problem(where, 0, f"cannot be read ({exc.strerror})",
                                    Kind.EDITION_DAMAGED))  # fmt: skip
            continue
        for entry in entries:
            name = f"{prefix}{entry.name}"
            key, where = _nfc(name), f"{shown}/{name}"
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                problems.append(Problem(where, 0, f"cannot be read ({exc.strerror})",
                                        Kind.EDITION_DAMAGED))  # fmt: skip
                refused.add(key)
                continue
            if stat.S_ISDIR(mode):
                folders.add(key)
                pending.append((f"{name}/", entry.path))
            elif not stat.S_ISREG(mode):
                problems.append(_not_a_file(where, mode))
                refused.add(key)
            elif key in files:
                problems.append(
                    Problem(where, 0, "is in the copy twice, its name written two ways "
                            "(Unicode); one of them was added", Kind.EDITION_ADDED)
                )  # fmt: skip
            else:
                damaged = Problem(where, 0, "cannot be read: copy it again", Kind.EDITION_DAMAGED)
                files[key] = _Entry(name, partial(_open_file, entry.path, where), None, damaged)
    return files, folders, refused


def _not_a_file(where: str, mode: int) -> Problem:
    """The problem of something in a copy that is not a file (nor a folder)."""
    if stat.S_ISLNK(mode):
        return Problem(where, 0, IS_A_LINK, Kind.EDITION_NOT_A_FILE)
    what = NOT_FILES.get(stat.S_IFMT(mode), "not a file")
    return Problem(where, 0, f"is {what}, not a file: a copy holds only files",
                   Kind.EDITION_NOT_A_FILE)  # fmt: skip


def _open_file(path: str, where: str) -> BinaryIO:
    """The file `path` open to read, if it is a file still: never a link, never waiting on a
    FIFO that took its place since the folder was read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _Refused(_not_a_file(where, mode)) from None
        raise
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        raise _Refused(_not_a_file(where, mode))
    return os.fdopen(handle, "rb")


def _members(archive: zipfile.ZipFile, shown: str, problems: list[Problem]):
    """Every file of the ZIP by its NFC name, and the names refused (links, devices)."""
    files, refused = {}, set()
    for member in archive.infolist():
        if member.is_dir():
            continue
        key, where = _nfc(member.filename), f"{shown}/{member.filename}"
        mode = member.external_attr >> 16 if member.create_system == 3 else 0  # Unix's
        if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
            problems.append(_not_a_file(where, mode))
            refused.add(key)
            continue
        if key in files:
            problems.append(
                Problem(where, 0, "is in the ZIP twice; one of them was added",
                        Kind.EDITION_ADDED)
            )  # fmt: skip
        damaged = Problem(shown, 0, DAMAGED.format(name=member.filename), Kind.EDITION_DAMAGED)
        # The last one of a name is the one unpacking leaves.
        files[key] = _Entry(member.filename, partial(archive.open, member), member.file_size,
                            damaged)  # fmt: skip
    return files, refused


def _chunks(entry: _Entry) -> Iterator[bytes]:
    """The bytes of `entry`, a megabyte at a time; _Refused if they cannot be read."""
    try:
        with entry.open() as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
    except _Refused:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
            RuntimeError):  # fmt: skip
        # A byte changed in compressed data (zlib, or its CRC), cut short, an encrypted
        # or unknown compression; on disk, a read error.
        raise _Refused(entry.damaged) from None


def _sha256(entry: _Entry) -> str:
    """The SHA-256 of `entry`'s bytes, read as a stream."""
    digest = hashlib.sha256()
    for chunk in _chunks(entry):
        digest.update(chunk)
    return digest.hexdigest()


def _read(entry: _Entry, limit: int, too_large: Problem) -> bytes:
    """`entry`'s bytes, if there are at most `limit`; _Refused(too_large) if more."""
    if entry.size is not None and entry.size > limit:
        raise _Refused(too_large)
    data = bytearray()
    for chunk in _chunks(entry):
        data += chunk
        if len(data) > limit:
            raise _Refused(too_large)
    return bytes(data)


def _check_signature(path: Path, signature: Path, public_key, shown, problems, signatures) -> bool:
    """Check the .minisig file `signature` of the file `path` (shown as `shown`); whether good."""
    signature_shown = display_path(signature)
    try:
        mode = signature.stat().st_mode
    except FileNotFoundError:
        problems.append(
            Problem(shown, 0, f"not signed: {signature.name} is not beside it (download it "
                    "too)", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
        return False
    except OSError:
        mode = 0
    unreadable = Problem(signature_shown, 0, UNREADABLE_SIGNATURE, Kind.EDITION_SIGNATURE)
    if not stat.S_ISREG(mode):
        problems.append(unreadable)
        return False
    opened = _Entry(signature.name, partial(signature.open, "rb"), None, unreadable)
    try:
        data = _read(opened, SIGNATURE_LIMIT, unreadable)
    except _Refused as refusal:
        problems.append(refusal.problem)
        return False
    with path.open("rb") as fileobj:  # read as a stream by minisign (hashed: BLAKE2b)
        return _check_bytes(fileobj, data, shown, signature_shown, public_key, problems,
                            signatures)  # fmt: skip


def _check_bytes(data, signature: bytes, shown, signature_shown, public_key, problems,
                 signatures) -> bool:  # fmt: skip
    """Check that `signature` (a .minisig's bytes, the file `signature_shown`) signs `data`
    (bytes or a binary file, shown as `shown`) with `public_key`; whether it does."""
    try:
        parsed = minisign.Signature.from_bytes(signature)
    except minisign.Error:
        problems.append(Problem(signature_shown, 0, UNREADABLE_SIGNATURE, Kind.EDITION_SIGNATURE))
        return False
    signer, ours = _signer(parsed), key_id(public_key)
    if signer != ours:
        problems.append(
            Problem(shown, 0, f"signed by key {signer}, not by {ours}, the key it is checked "
                    "with: not our edition, or the wrong public key", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
        return False
    try:
        public_key.verify(data, parsed)
    except minisign.Error:
        problems.append(
            Problem(shown, 0, "its signature does not match: changed since it was signed, or "
                    "signed by another key", Kind.EDITION_SIGNATURE)
        )  # fmt: skip
        return False
    signatures.append(shown)
    return True


def _signer(signature: minisign.Signature) -> str:
    """The id of the key that made `signature`, as minisign shows it (see signing.key_id)."""
    raw = base64.b64decode(bytes(signature).splitlines()[1])
    return raw[2:10][::-1].hex().upper()


def _listed(data: bytes, shown: str, problems: list[Problem]) -> dict[str, tuple[str, str]]:
    """The files SHA256SUMS lists, by NFC name, with their names and digests; a problem for
    each line it cannot read."""
    listed = {}
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if match := LINE.fullmatch(line):
            listed[_nfc(match[2])] = (match[2], match[1])
        else:
            problems.append(
                Problem(shown, number, "is not a line of sha256sum's format",
                        Kind.EDITION_CHANGED)
            )  # fmt: skip
    return listed
