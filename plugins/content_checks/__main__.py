"""`python -m content_checks`: the checks of `invoke check`, for any settings and folders."""

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    """Print every problem as path:line: message; return 1 when there is any, else 0."""
    from multilingual.build import load_settings
    from press.safety.private_names import redact_all

    from .checks import check_site

    parser = argparse.ArgumentParser(prog="python -m content_checks", description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--content", type=Path, help="content folder instead of PATH")
    parser.add_argument("--catalogs", type=Path, help="catalog folder instead of locale/")
    args = parser.parse_args(argv)
    override = {}
    if args.content:
        override["PATH"] = str(args.content.resolve())
    if args.catalogs:
        override["I18N_CATALOG_PATH"] = str(args.catalogs.resolve())
    problems = check_site(load_settings(args.settings, override))
    for problem in redact_all(problems):
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("No problems found.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
