"""FFHR's publishing system: what turns content/ and locale/ into the published sites.

Its packages are layers, each importing only those below it (docs/architecture.md), from
the bottom: core, safety, translations, rendering, checks, review and publishing, build,
cli. `press.core` holds what every other part builds on (problems, sources, settings);
`press.safety` decides what may be published at all.
"""

from pathlib import Path

# The project's folder, which holds this package: what must stay out of it (the private
# names list) and what its code is (the content cache's key).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
