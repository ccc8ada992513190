"""The fixture site with an onion service and mirrors: its public build and its onion build."""

import base64
import hashlib
from pathlib import Path

from conftest import build_site, fixture_publish_settings
from press.build.publication import publish
from press.core.settings import load_settings, onion_override


def onion_address(seed: bytes) -> str:
    """A valid v3 onion address (rend-spec-v3) for the key made from `seed`: a stand-in for
    a real service's, which no test ever reaches."""
    key, version = hashlib.sha256(seed).digest(), b"\x03"
    checksum = hashlib.sha3_256(b".onion checksum" + key + version).digest()[:2]
    return f"http://{base64.b32encode(key + checksum + version).decode().lower()}.onion"


PUBLIC = "https://ffhr.example.org"
ONION = onion_address(b"ffhr test onion service")
MIRROR_ONION = onion_address(b"ffhr test second onion")
MIRRORS = ["https://mirror.example.net/ffhr", MIRROR_ONION]
# The fixture's About page stands for the safety page.
SETTINGS = {
    "SITEURL": PUBLIC,
    "ONION_URL": ONION,
    "MIRRORS": MIRRORS,
    "OFFLINE_EDITION_PAGE": "pages/about",
}


def build_public(output: Path) -> Path:
    """The fixture site built for its public address, with the onion service and mirrors."""
    return build_site(output, **SETTINGS)


def publish_onion(folder: Path) -> tuple[Path, dict]:
    """The fixture site published for its onion address, as `invoke publish --mirror onion`
    does (both builds, every gate); returns the output and the onion build's settings."""
    settings_file = publish_settings(folder)
    override = onion_override(load_settings(settings_file))
    report = publish(settings_file, folder / "output-onion", override=override)
    return report.output, load_settings(settings_file, override)


def publish_settings(folder: Path) -> Path:
    """A publishconf.py in `folder`: the fixture site's settings with SETTINGS."""
    return fixture_publish_settings(folder, **SETTINGS)
