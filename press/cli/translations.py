"""`python -m press.cli.translations`: status, sync, diff and QA of translations (see tasks.py)."""

import json
import sys
from pathlib import Path

from press.cli.options import site_parser, site_settings
from press.review.diff import format_changes
from press.review.qa import qa_site
from press.review.status import format_table, needs_work, status
from press.safety.private_names import redact_all
from press.translations.records import sync_translation, translations_in


def show_status(settings: dict, as_json=False, strict=False) -> int:
    """Print every translation's and catalog's state; with `strict`, 1 if any is unfinished."""
    state = status(settings)
    if as_json:
        print(json.dumps(state, ensure_ascii=False, indent=2))
    else:
        print(format_table(state, list(settings["I18N_LANGUAGES"])))
    unfinished = needs_work(state) if strict else []
    for line in unfinished:
        print(f"not ready: {line}", file=sys.stderr)
    return 1 if unfinished else 0


def sync(settings: dict, paths) -> int:
    """Record each translation's source as synced; 1 on the first that cannot be."""
    content = Path(settings["PATH"])
    for path in paths:
        try:
            fingerprint = sync_translation(Path(path), content)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"synced {path}: {len(fingerprint.paragraphs)} paragraphs, {fingerprint.digest}")
    return 0


def diff(settings: dict, path) -> int:
    """Print what changed in a translation's source since its sync (1: changes, 2: no source)."""
    try:
        text, code = format_changes(Path(path), Path(settings["PATH"]))
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(text)
    return code


def qa(settings: dict) -> int:
    """Print every QA finding of every translation and catalog; 1 if there is any."""
    problems = qa_site(settings)
    for problem in redact_all(problems):
        print(problem)
    print(f"{len(problems)} QA finding(s)." if problems else "No QA findings.")
    return 1 if problems else 0


def main(argv=None) -> int:
    """Parse the arguments and run one command; return its exit code (2: usage)."""
    parser = site_parser("python -m press.cli.translations", __doc__)
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

    settings = site_settings(parser, args)
    if args.command == "status":
        return show_status(settings, args.json, args.strict)
    if args.command == "sync":
        paths = translations_in(Path(settings["PATH"])) if args.all else args.paths
        if not paths:
            parser.error("name a translated file, or --all")
        return sync(settings, paths)
    if args.command == "diff":
        return diff(settings, args.path)
    return qa(settings)


if __name__ == "__main__":
    sys.exit(main())
