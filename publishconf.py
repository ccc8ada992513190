"""Production settings: everything in pelicanconf.py, with what publishing changes."""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

# The public address of the site; feeds, canonical and hreflang links start with it.
SITEURL = "https://ffhr.example.org"

# A production build reads every source afresh rather than trust a cache, and so is
# always built whole: the build updates an output only with the cache on.
LOAD_CONTENT_CACHE = False
