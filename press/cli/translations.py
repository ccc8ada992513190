"""`python -m press.cli.translations`: status, sync, diff and QA of translations (see tasks.py)."""

import argparse
import json
import sys
from pathlib import Path

from press.safety.private_names import redact_all


def main(argv=None) -> int:
    """Run one command; return its exit code (0 fine, 1 findings or changes, 2 usage)."""
    # Imported here, not at the top: the build imports this package's modules in turn.
    from press.core.settings import load_settings
    from press.core.sources import read_header
    from press.review.diff import format_changes
    from press.review.qa import qa_site
    from press.review.status import format_table, needs_work, status
    from press.translations.records import sync_translation

    parser = argparse.ArgumentParser(prog="python -m translation_review", description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--content", type=Path, help="content folder instead of PATH")
    parser.add_argument("--catalogs", type=Path, help="catalog folder instead of locale/")
    commands = parser.add_subparsers(dest="command", required=True)
    status_command = commands.add_parser("status", help="every translation's and catalog's state")
    status_command.add_argument("--json", action="store_true", help="print JSON")
    status_command.add_argument(
        "--strict", action="store_true", help="exit 1 if anything is not ready for release"
    )
    sync_command = commands.add_parser("sync", help="record a translation's source as synced")
    sync_command.add_argument("paths", nargs="*", type=Path, help="translated files")
    sync_command.add_argument("--all", action="store_true", help="every translation")
    diff_command = commands.add_parser("diff", help="the source's changes since the sync")
    diff_command.add_argument("path", type=Path, help="a translated file")
    commands.add_parser("qa", help="check every translation and catalog")
    args = parser.parse_args(argv)

    override = {"PATH": str(args.content.resolve())} if args.content else {}
    if args.catalogs:
        override["I18N_CATALOG_PATH"] = str(args.catalogs.resolve())
    settings = load_settings(args.settings, override)
    content = Path(settings["PATH"])

    if args.command == "status":
        report = status(settings)
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print(format_table(report, list(settings["I18N_LANGUAGES"])))
        unfinished = needs_work(report) if args.strict else []
        for line in unfinished:
            print(f"not ready: {line}", file=sys.stderr)
        return 1 if unfinished else 0

    if args.command == "sync":
        paths = args.paths
        if args.all:
            paths = [p for p in sorted(content.rglob("*.md")) if "translation-of" in read_header(p)]
        if not paths:
            parser.error("name a translated file, or --all")
        for path in paths:
            try:
                fingerprint = sync_translation(path, content)
            except ValueError as exc:
                print(exc, file=sys.stderr)
                return 1
            print(f"synced {path}: {len(fingerprint.paragraphs)} paragraphs, {fingerprint.digest}")
        return 0

    if args.command == "diff":
        try:
            text, code = format_changes(args.path, content)
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(text)
        return code

    problems = qa_site(settings)
    for problem in redact_all(problems):
        print(problem)
    print(f"{len(problems)} QA finding(s)." if problems else "No QA findings.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
