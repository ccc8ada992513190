"""`python -m press.cli.weight OUTPUT [--budget BYTES]`: every page's weight; 1 if over budget."""

import argparse
import sys
from pathlib import Path

from press.checks.weight import DEFAULT_BUDGET, format_table, over_budget, page_weights


def main(argv=None) -> int:
    """Print the table; return 0 when every page is within the budget, 1 when one is not."""
    parser = argparse.ArgumentParser(prog="python -m page_weight", description=__doc__)
    parser.add_argument("output", type=Path, help="a built site, e.g. output/")
    parser.add_argument(
        "--budget", type=int, default=DEFAULT_BUDGET, help="bytes a page may weigh (%(default)s)"
    )
    parser.add_argument("--site-url", help="the site's public address, for absolute URLs")
    args = parser.parse_args(argv)
    if not args.output.is_dir():
        parser.error(f"{args.output} is not a folder: build the site first (invoke build)")
    weights = page_weights(args.output, args.site_url)
    print(format_table(weights, args.budget))
    return 1 if over_budget(weights, args.budget) or not weights else 0


if __name__ == "__main__":
    sys.exit(main())
