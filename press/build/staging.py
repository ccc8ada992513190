"""Staging: a build is written beside the output, and put in its place in one rename."""

import shutil
import tempfile
from pathlib import Path


def new_folder(target: Path, purpose: str) -> Path:
    """A new folder beside `target` (on its file system, so a rename can replace it)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{purpose}-", dir=target.parent))


def replace_output(target: Path, built: Path) -> None:
    """Put the finished build where `target` was, with one rename for the switch."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / target.name)
    # As every folder inside it: a web server running as another user reads it (mkdtemp
    # made it for its owner alone).
    built.chmod(0o755)
    built.rename(target)
    if old is not None:
        shutil.rmtree(old)
