"""Rebuild only what an edit changed: the build's state, and a Pelican writer that skips.

`state` (used by the build, in the parent process) fingerprints every input, saves what a
finished build wrote, and plans an update when only article bodies changed.
`incremental` (a Pelican plugin, in each language's run) writes only the planned files and
notes what listings show of each article, so the next plan knows when they need writing.
"""

from .incremental import register

__all__ = ["register"]
