"""The offline edition's signing key: minisign's formats, Ed25519, the secret kept outside.

The secret key is a file outside the repository (SIGNING_KEY_FILE), in minisign's own
format, optionally encrypted with a password (scrypt) as `minisign -G` does; its public half
is committed (the setting OFFLINE_EDITION_PUBLIC_KEY) and shown on the safety page. The
library py-minisign reads and writes both formats and signs as `minisign -S` does by
default (a prehashed "ED" signature), so the `minisign` tool checks what we sign, and signs
with a key that tool made.

A signature carries no time: its trusted comment names only the file, so the same bytes
signed with the same key give the same signature (Ed25519 is deterministic) and a build
stays reproducible. `minisign -S` writes the time there by default; we cannot, and the
edition's date is in its pages anyway.
"""

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import minisign

SIGNATURE_SUFFIX = ".minisig"  # beside the signed file, as minisign names it
# What the key's files say on their first line: minisign's words, for its users to know them.
PUBLIC_KEY_COMMENT = "minisign public key {key_id}"
SIGNATURE_COMMENT = "signature from the FFHR offline edition key {key_id}"


class SigningError(Exception):
    """A key that must not or cannot sign the edition; the message says why and what to do."""


@dataclass(frozen=True)
class SigningKey:
    """A secret key, decrypted, that matches the committed public key: ready to sign."""

    secret: minisign.SecretKey
    public_key: minisign.PublicKey

    @property
    def key_id(self) -> str:
        """The key's id as minisign shows it (`minisign public key 1A2B...`)."""
        return key_id(self.public_key)

    def sign(self, data: bytes, name: str) -> bytes:
        """The .minisig file of `data`, a file named `name`: the same bytes every time."""
        signature = self.secret.sign(
            data,
            prehash=True,  # minisign's default since 0.8: what `minisign -V` expects
            untrusted_comment=SIGNATURE_COMMENT.format(key_id=self.key_id),
            trusted_comment=trusted_comment(name),
        )
        return bytes(signature) + b"\n"


def trusted_comment(name: str) -> str:
    """What the signature vouches for beside the bytes: minisign's, without its timestamp."""
    return f"file:{name}\thashed"


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


def refuse_inside(path: Path, repository: Path) -> None:
    """SigningError if `path`, as given or with its links resolved, is inside `repository`.

    A secret key in the working tree is one `git add .` away from being public.
    """
    root, path = Path(repository).resolve(), Path(path)
    # Where the name is (a link in the tree, to a key elsewhere), and what it leads to.
    for where in (path.absolute().parent.resolve() / path.name, path.resolve()):
        if where.is_relative_to(root):
            raise SigningError(
                f"{path}: a secret key inside the repository ({root}) is refused: it could be "
                "committed or published. Move it outside (an encrypted USB stick, "
                "~/.minisign/), and point SIGNING_KEY_FILE at it"
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
        secret = minisign.SecretKey.from_bytes(secret_file.read_bytes())
    except FileNotFoundError:
        raise SigningError(f"{secret_file}: no secret key there (SIGNING_KEY_FILE)") from None
    except (OSError, minisign.Error) as exc:
        raise SigningError(f"{secret_file}: not a minisign secret key ({exc})") from None
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
            f"the offline edition must be signed, since its public key is committed "
            f"({committed}): set SIGNING_KEY_FILE to the file of its secret key (and "
            "SIGNING_KEY_PASSWORD, without a terminal, if it has one); see docs/publishing.md"
        )
    if signing_key.public_key.to_base64() != read_public_key(committed).to_base64():
        raise SigningError(
            f"the signing key (id {signing_key.key_id}) is not the one of the committed "
            f"public key {committed}"
        )


def generate_key_pair(
    secret_file: Path, public_key_file: Path, repository: Path, password: str | None = None
) -> str:
    """Make a key pair: the secret in `secret_file` (new, outside `repository`, readable by
    its owner alone, encrypted with `password` if given), the public key in
    `public_key_file` (replaced). Return the key's id."""
    secret_file = Path(secret_file)
    refuse_inside(secret_file, repository)
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
    public_key_file = Path(public_key_file)
    public_key_file.parent.mkdir(parents=True, exist_ok=True)
    comment = PUBLIC_KEY_COMMENT.format(key_id=identifier)
    public_key_file.write_text(
        f"untrusted comment: {comment}\n{public_key_text(pair.public_key)}\n", encoding="ascii"
    )
    return identifier
