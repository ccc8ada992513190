"""One measured build, run in a fresh process: `python -m bench.worker KIND JSON-ARGUMENTS`.

The benchmark starts this module once per build and measures the whole process from
outside (wall time, CPU time and peak memory of it and every process it starts), so the
imports and the interpreter's start count, as they do for a person running a build.
"""

import json
import logging
import runpy
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


def ffhr(settings: str, content: str, output: str, cache: str) -> None:
    """This project's build of every language (the project's root must be on the path)."""
    from press.build.pipeline import build

    build(settings, output=output, override={"PATH": content, "CACHE_PATH": cache})


def pelican(settings: str, output: str, cache: str) -> None:
    """One Pelican run of a settings file (plain Pelican, or a site with i18n-subsites)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    Pelican(read_settings(settings, override={"OUTPUT_PATH": output, "CACHE_PATH": cache})).run()


def markdown(settings: str, content: str, triggers: bool = False) -> None:
    """The floor: Python-Markdown with the project's extensions converting every source.

    `triggers`: also with the build's MarkdownTriggers (press/rendering/triggers.py),
    which skips the parts a document cannot use: the floor of the way the build converts.
    """
    from markdown import Markdown

    config = dict(runpy.run_path(settings)["MARKDOWN"])
    # As Pelican's Markdown reader does: every configured extension, and always meta.
    extensions = [*config.get("extension_configs", {}), "markdown.extensions.meta"]
    extensions = list(dict.fromkeys(extensions))
    if triggers:
        # press.rendering.triggers imports Markdown alone, not Pelican, which the floor
        # does not run.
        from press.rendering.triggers import MarkdownTriggers

        extensions.append(MarkdownTriggers())
    converter = Markdown(**{**config, "extensions": extensions})
    converted = 0
    for path in sorted(Path(content).rglob("*.md")):
        converter.reset()
        converter.convert(path.read_text(encoding="utf-8"))
        converted += 1
    logger.info("Converted %d files", converted)


def serve(**arguments) -> None:
    """The watcher of the edit-loop row (bench/edit_loop.py)."""
    from bench.edit_loop import serve as watch_and_build

    watch_and_build(**arguments)


KINDS = {"ffhr": ffhr, "pelican": pelican, "markdown": markdown, "serve": serve}


def main(argv=None) -> int:
    """Run one kind of build with its keyword arguments given as JSON."""
    argv = sys.argv[1:] if argv is None else argv
    # Warnings of the builds, and this module's own messages (how much was converted).
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logger.setLevel(logging.INFO)
    kind, arguments = argv
    KINDS[kind](**json.loads(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
