"""`python -m press.cli.check`: the checks of `invoke check`, for any settings and folders."""

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    """Print every problem as path:line: message; return 1 when there is any, else 0.

    Articles kept out for a later date (embargoed) are listed too, as information.
    """
    from press.build.errors import BuildError
    from press.build.pipeline import read_index
    from press.checks.content import check_site, embargoes
    from press.core.clock import build_now
    from press.core.settings import load_settings
    from press.safety.private_names import redact_all

    parser = argparse.ArgumentParser(prog="python -m content_checks", description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--content", type=Path, help="content folder instead of PATH")
    parser.add_argument("--catalogs", type=Path, help="catalog folder instead of locale/")
    parser.add_argument(
        "--now", help="judge embargoes at this date (and time) instead of now (BUILD_NOW)"
    )
    args = parser.parse_args(argv)
    override = {}
    if args.now:
        override["BUILD_NOW"] = args.now
    if args.content:
        override["PATH"] = str(args.content.resolve())
    if args.catalogs:
        override["I18N_CATALOG_PATH"] = str(args.catalogs.resolve())
    settings = load_settings(args.settings, override)
    try:
        build_now(settings)
    except ValueError as exc:
        parser.error(f"--now: {exc}")
    problems = check_site(settings)
    try:
        for embargo in embargoes(settings, read_index(settings)):
            print(embargo)
    except BuildError:
        pass  # headers the index cannot read: the problems below say why
    for problem in redact_all(problems):
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("No problems found.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
