"""The offline edition's signing key: minisign's formats, Ed25519, the secret kept outside.

The secret key is a file outside the repository (SIGNING_KEY_FILE), in minisign's own
format, optionally encrypted with a password (scrypt) as `minisign -G` does; its public half
is committed (the setting OFFLINE_EDITION_PUBLIC_KEY) and shown on the safety page. The
library py-minisign reads and writes both formats and signs as `minisign -S` does by
default (a prehashed "ED" signature), so the `minisign` tool checks what we sign, and signs
with a key that tool made.

A signature carries no time of signing: its trusted comment names the file, the edition's
date and its source commit (`file:ffhr-offline.zip<TAB>edition:2026-11-30<TAB>commit:<12
hex>`), the date being the commit's own (its committer date), so the same commit signed with
the same key gives the same signature in any clone (Ed25519 is deterministic) and a build
stays reproducible. `minisign -V` prints that comment, so a reader sees which edition a
signature vouches for, and an old edition cannot pass for a new one. `minisign -S` writes
the wall clock's time there by default; we never read the clock.
"""

import base64
import os
import stat
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import minisign

from press.core.sources import read_header, sources_by_key, status_of
from press.publishing.deploy import SOURCES  # the site's sources, as a deploy records them

SIGNATURE_SUFFIX = ".minisig"  # beside the signed file, as minisign names it
# What the key's files say on their first line: minisign's words, for its users to know them.
PUBLIC_KEY_COMMENT = "minisign public key {key_id}"
SIGNATURE_COMMENT = "signature from the FFHR offline edition key {key_id}"


def signature_path(path: Path) -> Path:
    """Where the signature of the file `path` is: beside it, as minisign looks for it."""
    return path.with_name(path.name + SIGNATURE_SUFFIX)


class SigningError(Exception):
    """A key that must not or cannot sign the edition; the message says why and what to do."""


@dataclass(frozen=True)
class Edition:
    """Which edition a signature vouches for: its date (YYYY-MM-DD) and source commit.

    `commit`: the first 12 hex digits of the commit, with "-dirty" when the sources had
    uncommitted changes; None outside a git checkout.
    """

    date: str
    commit: str | None = None


COMMIT_DIGITS = 12


@dataclass(frozen=True)
class SigningKey:
    """A secret key, decrypted, that matches the committed public key: ready to sign."""

    secret: minisign.SecretKey
    public_key: minisign.PublicKey

    @property
    def key_id(self) -> str:
        """The key's id as minisign shows it (`minisign public key 1A2B...`)."""
        return key_id(self.public_key)

    def sign(self, data: bytes, name: str, edition: Edition | None = None) -> bytes:
        """The .minisig file of `data`, a file named `name` of `edition`: the same bytes
        every time."""
        signature = self.secret.sign(
            data,
            prehash=True,  # minisign's default since 0.8: what `minisign -V` expects
            untrusted_comment=SIGNATURE_COMMENT.format(key_id=self.key_id),
            trusted_comment=trusted_comment(name, edition),
        )
        return bytes(signature) + b"\n"


def trusted_comment(name: str, edition: Edition | None = None) -> str:
    """What the signature vouches for beside the bytes: the file, and the edition's date
    and commit (never the time of signing, which would make each build differ)."""
    fields = [f"file:{name}"]
    if edition is not None:
        fields.append(f"edition:{edition.date}")
        if edition.commit:
            fields.append(f"commit:{edition.commit}")
    return "\t".join(fields)


def _git(repository: Path, *args: str) -> str | None:
    """git's output in `repository`, stripped, or None when git fails (no checkout, no commit)."""
    try:
        result = subprocess.run(["git", *args], cwd=repository, capture_output=True,
                                text=True, check=False)  # fmt: skip
    except OSError:  # no git at all
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def edition_of(repository: Path, settings: Mapping) -> Edition:
    """The edition built from `repository` with `settings`: read from git, the same in
    every clone of the same commit; never from the clock.

    In a git checkout: the commit's committer date and id (marked -dirty when the site's
    sources have uncommitted changes). Outside one (a copy without its history): the
    newest Date or Modified among the content's published sources, and no commit.
    """
    found = _git(repository, "log", "-1", "--format=%H %cs", "HEAD")
    if found:
        commit, date = found.split()
        changes = _git(repository, "status", "--porcelain", "--untracked-files=all", "--",
                       *SOURCES)  # fmt: skip
        dirty = "-dirty" if changes else ""
        return Edition(date, commit[:COMMIT_DIGITS] + dirty)
    return Edition(newest_source_date(settings))


def newest_source_date(settings: Mapping) -> str:
    """The newest Date or Modified (YYYY-MM-DD) of the content's published sources; the
    earliest date a ZIP can hold (1980-01-01) when there is none. (Embargoed articles count
    too: which are embargoed depends on the clock. Only copies without git history use it.)"""
    dates = ["1980-01-01"]
    for sources in sources_by_key(settings).values():
        for path in sources.values():
            header = read_header(path)
            if status_of(header) == "published":
                dates += [header[k][:10] for k in ("date", "modified") if header.get(k)]
    return max(dates)


def key_id(public_key: minisign.PublicKey) -> str:
    """The key's id in hex as minisign prints it: its eight bytes read as a little-endian number."""
    raw = base64.b64decode(public_key.to_base64())
    return raw[2:10][::-1].hex().upper()


def public_key_text(public_key: minisign.PublicKey) -> str:
    """The key as readers pass it to `minisign -P`: one line of base64."""
    return public_key.to_base64().decode("ascii")


def committed_public_key(settings) -> Path | None:
    """The committed public key's file (OFFLINE_EDITION_PUBLIC_KEY), if there is one."""
    name = settings["OFFLINE_EDITION_PUBLIC_KEY"]
    return Path(name) if name and Path(name).is_file() else None


def read_public_key(path: Path) -> minisign.PublicKey:
    """The minisign public key in `path`; SigningError if there is none."""
    try:
        return minisign.PublicKey.from_bytes(Path(path).read_bytes())
    except FileNotFoundError:
        raise SigningError(
            f"{path}: no public key there; make a key pair with `invoke keygen`"
        ) from None
    except (OSError, minisign.Error) as exc:
        raise SigningError(f"{path}: not a minisign public key ({exc})") from None


# What to do with a secret key found inside the repository: one to sign with, or to make.
USE_OUTSIDE = (
    "Move it outside (an encrypted USB stick, ~/.minisign/), and point SIGNING_KEY_FILE at it"
)
MAKE_OUTSIDE = (
    "Name a path outside the repository with --secret (an encrypted USB stick, ~/.minisign/)"
)


def refuse_inside(path: Path, repository: Path, advice: str = USE_OUTSIDE) -> None:
    """SigningError if `path`, as given or with its links resolved, is inside `repository`;
    its message ends with `advice`.

    A secret key in the working tree is one `git add .` away from being public.
    """
    root, path = Path(repository).resolve(), Path(path)
    # Where the name is (a link in the tree, to a key elsewhere), and what it leads to.
    for where in (path.absolute().parent.resolve() / path.name, path.resolve()):
        if where.is_relative_to(root):
            raise SigningError(
                f"{path}: a secret key inside the repository ({root}) is refused: it could be "
                f"committed or published. {advice}"
            )


def environment_password(environ: Mapping[str, str], name: str) -> str | None:
    """The password in the variable `name`; None when it is unset or empty (an unset
    repository secret arrives as an empty variable, and no key has an empty password)."""
    return environ.get(name) or None


def refuse_readable(secret_file: Path) -> None:
    """SigningError if the unencrypted secret key `secret_file` is readable by its group or
    by others, as ssh refuses such a key. (An encrypted one is not refused: its password
    protects it, and some filesystems, vfat USB sticks, show every file as readable.)"""
    mode = secret_file.stat().st_mode
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        raise SigningError(
            f"{secret_file}: this secret key has no password and is readable by others "
            f"(mode {stat.S_IMODE(mode):o}); it is refused. Run `chmod 600 {secret_file}` "
            "(and consider a password: docs/publishing.md, 'The signing key')"
        )


def load_signing_key(
    secret_file: Path,
    public_key_file: Path,
    repository: Path,
    password: Callable[[], str | None] = lambda: None,
) -> SigningKey:
    """The secret key of `secret_file`, decrypted, once it is outside `repository` and
    matches the public key of `public_key_file`; SigningError saying what is wrong.

    `password` is asked only for an encrypted key; None there refuses it.
    """
    secret_file = Path(secret_file)
    refuse_inside(secret_file, repository)
    public_key = read_public_key(public_key_file)
    try:
        data = secret_file.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"{secret_file}: no secret key there (SIGNING_KEY_FILE)") from None
    except OSError as exc:
        raise SigningError(f"{secret_file}: cannot be read ({exc})") from None
    if not data.strip():
        raise SigningError(
            f"{secret_file}: the secret key file is empty; it should hold the two lines of a "
            "minisign secret key (in the GitHub workflow: the repository secret "
            "OFFLINE_EDITION_KEY)"
        )
    try:
        secret = minisign.SecretKey.from_bytes(data)
    except minisign.Error as exc:
        raise SigningError(f"{secret_file}: not a minisign secret key ({exc})") from None
    if not secret.is_encrypted():
        refuse_readable(secret_file)
    if secret.is_encrypted():
        given = password()
        if given is None:
            raise SigningError(
                f"{secret_file}: the secret key is protected by a password; give it in "
                "SIGNING_KEY_PASSWORD, or run the task from a terminal to be asked for it"
            )
        try:
            secret.decrypt(given)
        except minisign.Error:
            raise SigningError(f"{secret_file}: wrong password for this secret key") from None
    own = secret.get_public_key()
    if own.to_base64() != public_key.to_base64():
        raise SigningError(
            f"{secret_file}: this secret key (id {key_id(own)}) does not match the committed "
            f"public key {public_key_file} (id {key_id(public_key)}): readers could not check "
            "what it signs. Use the secret key of that public key, or, to change keys, follow "
            "'The signing key' in docs/publishing.md"
        )
    return SigningKey(secret, public_key)


def check_publication_key(settings, signing_key: SigningKey | None) -> None:
    """SigningError unless `make publish` may publish with `signing_key` (None: unsigned).

    Once a public key is committed, every published edition is signed, by its secret key.
    """
    committed = committed_public_key(settings)
    if committed is None:
        return
    if signing_key is None:
        raise SigningError(
            f"SIGNING_KEY_FILE is not set: {committed} is committed, so `make publish` "
            "publishes only a signed edition. Set SIGNING_KEY_FILE to the file of its secret "
            "key (and SIGNING_KEY_PASSWORD, without a terminal, if it has one); see "
            "docs/publishing.md, 'The signing key'"
        )
    if signing_key.public_key.to_base64() != read_public_key(committed).to_base64():
        raise SigningError(
            f"the signing key (id {signing_key.key_id}) is not the one of the committed "
            f"public key {committed}"
        )


def refuse_replacing(public_key_file: Path, replace: bool = False) -> None:
    """SigningError if `public_key_file` exists and may not be replaced (`replace`)."""
    if Path(public_key_file).exists() and not replace:
        raise SigningError(
            f"{public_key_file} exists: a new key pair would change the site's key, the one "
            "every reader checks the offline edition with. To rotate the key on purpose, "
            "give --replace and follow 'Rotating it' in docs/publishing.md"
        )


def generate_key_pair(
    secret_file: Path,
    public_key_file: Path,
    repository: Path,
    password: str | None = None,
    replace: bool = False,
) -> str:
    """Make a key pair: the secret in `secret_file` (new, outside `repository`, readable by
    its owner alone, encrypted with `password` if given), the public key in
    `public_key_file`, which may replace one only with `replace`. Return the key's id."""
    secret_file, public_key_file = Path(secret_file), Path(public_key_file)
    refuse_inside(secret_file, repository, MAKE_OUTSIDE)
    refuse_replacing(public_key_file, replace)
    if secret_file.exists():
        raise SigningError(
            f"{secret_file} exists already; a secret key is never overwritten (the editions "
            "it signed are checked with its public key). Name a new file"
        )
    pair = minisign.KeyPair.generate()
    if password:
        pair.secret_key.encrypt(password)
    secret_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Created for its owner alone, and never over an existing file (O_EXCL).
    handle = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as fileobj:
        fileobj.write(bytes(pair.secret_key) + b"\n")
    identifier = key_id(pair.public_key)
    public_key_file.parent.mkdir(parents=True, exist_ok=True)
    comment = PUBLIC_KEY_COMMENT.format(key_id=identifier)
    public_key_file.write_text(
        f"untrusted comment: {comment}\n{public_key_text(pair.public_key)}\n", encoding="ascii"
    )
    return identifier
