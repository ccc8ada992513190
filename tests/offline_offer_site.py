"""The fixture site as `make publish` publishes it, its About page offering the offline edition."""

from pathlib import Path

from conftest import fixture_publish_settings
from press.build.publication import publish

ZIP = Path("offline") / "ffhr-offline.zip"  # inside the published site


def publish_offering_the_offline_edition(folder: Path) -> Path:
    """Publish the fixture site into `folder`/output, its About page offering the edition."""
    settings = fixture_publish_settings(folder, OFFLINE_EDITION_PAGE="pages/about")
    return publish(settings, folder / "output").output
