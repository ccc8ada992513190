"""`python -m press.cli.check`: the checks of `invoke check`, for any settings and folders."""

import sys

from press.checks.content import check_site, waiting
from press.cli.options import site_parser, site_settings
from press.core.clock import build_now
from press.safety.private_names import redact_all


def report(settings: dict) -> int:
    """Print every problem as path:line: message; return 1 when there is any, else 0.

    Articles kept out for a later date (embargoed) are listed too, as information.
    """
    problems = check_site(settings)
    for embargo in waiting(settings):
        print(embargo)
    for problem in redact_all(problems):
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("No problems found.")
    return 0


def main(argv=None) -> int:
    """Parse the arguments, then check (report)."""
    parser = site_parser("python -m press.cli.check", __doc__)
    parser.add_argument(
        "--now", help="judge embargoes at this date (and time) instead of now (BUILD_NOW)"
    )
    args = parser.parse_args(argv)
    settings = site_settings(parser, args, {"BUILD_NOW": args.now} if args.now else None)
    try:
        build_now(settings)
    except ValueError as exc:
        parser.error(f"--now: {exc}")
    return report(settings)


if __name__ == "__main__":
    sys.exit(main())
