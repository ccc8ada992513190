"""Keys of the caches the build keeps: what must change a key, so no stale page is served."""

import hashlib
import json
import logging
from functools import cache
from pathlib import Path

import markdown
import pelican
from jinja2 import FileSystemBytecodeCache

from press import PROJECT_ROOT

logger = logging.getLogger(__name__)

CODE_FOLDERS = (PROJECT_ROOT / "plugins", PROJECT_ROOT / "press")


def cache_key(settings: dict) -> str:
    """A short hash of the settings and versions that decide how sources are read."""

    shaping = {
        key: settings.get(key)
        for key in ("MARKDOWN", "FORMATTED_FIELDS", "PATH_METADATA", "FILENAME_METADATA",
                    "SLUGIFY_USE_UNICODE", "SLUG_REGEX_SUBSTITUTIONS", "TIMEZONE", "READERS",
                    "DEFAULT_METADATA", "TYPOGRIFY", "SUMMARY_MAX_LENGTH", "I18N_LANGUAGES")
    }  # fmt: skip
    # The cached categories, tags and authors keep the URL settings of the run that read
    # them: the offline edition's must not serve the website's folders.
    shaping.update(
        (key, value) for key, value in settings.items() if key.endswith(("_URL", "_SAVE_AS"))
    )
    # Functions (the toc extension's slugify) by name: their repr changes from run to run.
    text = json.dumps(
        [shaping, pelican.__version__, markdown.__version__, code_fingerprint()],
        sort_keys=True,
        default=lambda value: (
            f"{value.__module__}.{value.__qualname__}" if callable(value) else repr(value)
        ),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@cache
def code_fingerprint() -> str:
    """A hash of the project's own code: the plugins and press/ shape what is read and kept.

    A change to any of them must not be served from a cache that an older version filled.
    """
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def template_cache(settings: dict) -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates, beside the content cache (with the cache on).

    Every build process compiled every template otherwise. Jinja checks each entry against
    its template's source, so an edited template is compiled again.
    """
    if not (settings["CACHE_CONTENT"] and settings["LOAD_CONTENT_CACHE"]):
        return None
    folder = Path(settings["CACHE_PATH"]) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return TolerantBytecodeCache(str(folder))


class TolerantBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache, which already writes each entry whole (a rename); an unreadable
    entry (cut short by a crash, garbage) compiles its template again instead of failing."""

    def load_bytecode(self, bucket):
        """Jinja's load_bytecode; any failure leaves the bucket empty."""
        try:
            super().load_bytecode(bucket)
        except Exception as exc:  # pickle and marshal fail in many ways on garbage
            logger.info("Unreadable template cache entry %s (%s)", bucket.key, exc)
            bucket.reset()
