"""The fixture site as `make publish` publishes it, its About page offering the offline edition."""

from pathlib import Path

from conftest import FIXTURE_SETTINGS
from press.build.publication import publish

ZIP = Path("offline") / "ffhr-offline.zip"  # inside the published site


def publish_offering_the_offline_edition(folder: Path) -> Path:
    """Publish the fixture site into `folder`/output, its About page offering the edition."""
    settings = folder / "publishconf.py"
    settings.write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('fixture', {str(FIXTURE_SETTINGS)!r})\n"
        "fixture = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(fixture)\n"
        "globals().update({k: v for k, v in vars(fixture).items() if k.isupper()})\n"
        f"CACHE_PATH = {str(folder / 'cache')!r}\n"
        "OFFLINE_EDITION_PAGE = 'pages/about'\n",
        encoding="utf-8",
    )
    return publish(settings, folder / "output").output
