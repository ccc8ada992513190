"""Pelican's content cache, safe for runs that share it: each file is written whole, and an
unreadable one is no cache rather than a crash.

`make serve`, `invoke build`, `invoke review` and `make publish` read the same sources with
the same settings, so their runs share one cache folder per language (press.build.cache):
the review site reuses what the last build read. Pelican writes each cache file in place
(`open(path, "wb")`), so a run starting while another saves read half a pickle and failed
(`EOFError: Ran out of input`); and it logs an unpicklable file as a warning, which fails
our build. Pelican has no setting or signal for its cacher (its generators and readers
create it themselves), so `share_safely` replaces the two methods that touch the file.
"""

import gzip
import logging
import pickle
from pathlib import Path

from pelican.cache import FileDataCacher, FileStampDataCacher

from press.core.files import replacing

logger = logging.getLogger(__name__)

_PELICAN_INIT = FileDataCacher.__init__
_PELICAN_STAMP = FileStampDataCacher._get_file_stamp


def share_safely() -> None:
    """Make Pelican's cache files load tolerantly and save in one rename (in this process)."""
    FileDataCacher.__init__ = _init
    FileDataCacher.save_cache = _save


def stamp_once() -> None:
    """Make Pelican stamp each source once in this process's run, instead of four times."""
    # Its reader's cache and its generator's each stamp a file before reading it and again
    # after, reading and hashing it whole each time (CHECK_MODIFIED_METHOD = "sha256").
    FileStampDataCacher._get_file_stamp = _stamp
    _STAMPS.clear()  # a new run, whose sources may have changed since the last


_STAMPS: dict[str, object] = {}


def _stamp(self, filename):
    """FileStampDataCacher._get_file_stamp, remembered for the run by the file's path (the
    reader and the generator both name it from the content folder, an absolute path)."""
    if filename not in _STAMPS:
        _STAMPS[filename] = _PELICAN_STAMP(self, filename)
    return _STAMPS[filename]


def load_cache(path: Path, gzipped: bool) -> dict:
    """The cache saved in `path`; empty when there is none or it cannot be read."""
    try:
        with (gzip.open if gzipped else open)(path, "rb") as fileobj:
            data = pickle.load(fileobj)
    except FileNotFoundError:
        return {}
    # Anything at all: a file cut short (EOFError), garbage (UnpicklingError, ValueError...),
    # classes of other code (AttributeError, ImportError). The run reads its sources again.
    except Exception as exc:
        logger.info("Unreadable content cache %s (%s); reading its sources again", path, exc)
        return {}
    if not isinstance(data, dict):
        logger.info("Unreadable content cache %s; reading its sources again", path)
        return {}
    return data


def _init(self, settings, cache_name, caching_policy, load_policy):
    """FileDataCacher.__init__, loading with load_cache."""
    # Pelican's own, with nothing to load: it sets the cache's path, opener and policies.
    _PELICAN_INIT(self, settings, cache_name, caching_policy, False)
    if load_policy:
        self._cache = load_cache(Path(self._cache_path), settings["GZIP_CACHE"])


def _save(self):
    """FileDataCacher.save_cache, writing a new file and renaming it over the old one."""
    if not self._cache_data_policy:
        return
    try:
        # Streamed into the file: a whole pickle in memory first would be the run's largest
        # moment (every article's HTML, twice).
        with replacing(Path(self._cache_path)) as fileobj:
            if self.settings["GZIP_CACHE"]:
                with gzip.GzipFile(fileobj=fileobj, mode="wb") as zipped:
                    pickle.dump(self._cache, zipped)
            else:
                pickle.dump(self._cache, fileobj)
    except (OSError, pickle.PicklingError, TypeError) as err:
        # As Pelican reports it: a cache that cannot be saved is a problem of the build.
        logger.warning("Could not save cache %s\n ... %s", self._cache_path, err)
