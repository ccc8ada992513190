"""`python -m press.cli.translations`: status, sync, approve, ack, diff and QA of translations
(see tasks.py)."""

import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from press.checks.content import load_pseudonyms
from press.cli.options import emit, site_parser, site_settings
from press.core.problems import display_path
from press.review.diff import format_changes
from press.review.qa import qa_site
from press.review.status import format_table, needs_work, status
from press.safety.private_names import redact_all
from press.translations.records import (
    RecordError,
    SyncChange,
    acknowledge,
    apply_sync,
    approve_translation,
    plan_sync,
    sync_translation,
    translations_in,
)


def show_status(settings: dict, as_json=False, strict=False) -> int:
    """Print every translation's and catalog's state; with `strict`, 1 if any is unfinished."""
    state = status(settings)
    if as_json:
        emit(json.dumps(state, ensure_ascii=False, indent=2))
    else:
        emit(format_table(state, list(settings["I18N_LANGUAGES"])))
    unfinished = needs_work(state) if strict else []
    for line in unfinished:
        print(f"not ready: {line}", file=sys.stderr)
    return 1 if unfinished else 0


def sync(settings: dict, paths) -> int:
    """Record each translation's source as it is now; 1 on the first that cannot be synced,
    2 on one that does not exist."""
    content = Path(settings["PATH"])
    for path in paths:
        change, code = _recorded(path, sync_translation, Path(path), content)
        if code:
            return code
        _synced(path, change)
    return 0


def sync_all(settings: dict, yes=False) -> int:
    """Sync every translation whose record would change: only with `yes`; else list them all
    and write nothing (1 when any would change)."""
    content = Path(settings["PATH"])
    changes, problems = [], []
    for path in translations_in(content):
        try:
            change = plan_sync(path, content)
        except RecordError as exc:
            problems.append(str(exc))
            continue
        if change.changes:
            changes.append(change)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("Nothing was synced: fix these first.", file=sys.stderr)
        return 1
    if not changes:
        print("Every translation's record is current; nothing to sync.")
        return 0
    if not yes:
        for change in changes:
            print(f"would sync {display_path(change.translation.path)}: {change.describe()}")
        print(
            f"{len(changes)} translation(s) would change; nothing was written. Check the list, "
            "then run again with --yes to sync them all.",
            file=sys.stderr,
        )
        return 1
    for change in changes:
        apply_sync(change)
        _synced(display_path(change.translation.path), change)
    return 0


def _synced(path, change: SyncChange) -> None:
    """Say what a sync recorded, what it means for review, and whether to worry."""
    t = change.translation
    print(f"synced {path}: {len(t.current.paragraphs)} paragraphs, {t.current.digest}")
    if change.review_again:
        print(
            f"{path}: Review is now 'review': it was approved for an earlier version of "
            f"{t.source_name}, and readers do not see it until a reviewer approves it again "
            f"(invoke translations.approve --path {path} --reviewer NAME)"
        )
    if change.edited:
        print(
            f"{path}: Review is now 'review': it was edited since its approval, and readers "
            "do not see it until a reviewer approves it again "
            f"(invoke translations.approve --path {path} --reviewer NAME)"
        )
    if change.untranslated:
        print(
            f"warning: {path}: its text did not change since the last sync, but "
            f"{t.source_name} did ({t.changed_paragraphs} paragraph(s)); if nothing was "
            f"translated yet, undo this sync (git restore {path}), then translate what "
            f"invoke translations.diff --path {path} shows; if the changes need no "
            "translation, a reviewer acknowledges them instead (invoke translations.ack)",
            file=sys.stderr,
        )


def approve(settings: dict, path, reviewer: str) -> int:
    """Approve a synced, up-to-date translation in `reviewer`'s name (1: refused, 2: no file)."""
    content = Path(settings["PATH"])
    pseudonyms, problems = load_pseudonyms(content / settings["CHECK_PSEUDONYMS_FILE"])
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    t, code = _recorded(path, approve_translation, Path(path), content, reviewer, pseudonyms)
    if code:
        return code
    print(f"approved {path}: {t.source_name} as synced ({t.current.digest}), by {reviewer.strip()}")
    return 0


def ack(settings: dict, path, reason: str) -> int:
    """Record that the source's changes need no change in an approved translation (1: refused,
    2: no file)."""
    today = datetime.now(ZoneInfo(settings["TIMEZONE"])).date()
    t, code = _recorded(path, acknowledge, Path(path), Path(settings["PATH"]), reason, today)
    if code:
        return code
    print(
        f"acknowledged {path}: {t.source_name}'s changes ({t.changed_paragraphs} paragraph(s)) "
        "need no translation; it stays approved, and readers no longer see the notice"
    )
    return 0


def _recorded(path, command, *args):
    """Run a command that writes a translation's record: (its result, 0), or (None, the exit
    code) once it has said why it could not (1: refused, 2: no such file)."""
    try:
        return command(*args), 0
    except FileNotFoundError:
        print(f"{path}: no such file; name a translated file", file=sys.stderr)
        return None, 2
    except RecordError as exc:
        print(exc, file=sys.stderr)
        return None, 1


def diff(settings: dict, path) -> int:
    """Print the source's changes since the sync, the translation's since approval (1: any)."""
    try:
        text, code = format_changes(Path(path), Path(settings["PATH"]))
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    emit(text)
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
    sync_command.add_argument(
        "--yes", action="store_true", help="with --all: write, instead of listing what changes"
    )
    approve_command = commands.add_parser("approve", help="approve a synced translation")
    approve_command.add_argument("path", type=Path, help="a translated file")
    approve_command.add_argument("--reviewer", required=True, help="the reviewer's pseudonym")
    ack_command = commands.add_parser(
        "ack", help="record that source changes need no change in an approved translation"
    )
    ack_command.add_argument("path", type=Path, help="a translated file")
    ack_command.add_argument("--reason", required=True, help="why no change is needed")
    diff_command = commands.add_parser(
        "diff", help="the source's changes since the sync, the translation's since approval"
    )
    diff_command.add_argument("path", type=Path, help="a translated file")
    commands.add_parser("qa", help="check every translation and catalog")
    args = parser.parse_args(argv)

    settings = site_settings(parser, args)
    if args.command == "status":
        return show_status(settings, args.json, args.strict)
    if args.command == "sync":
        if args.all:
            return sync_all(settings, args.yes)
        if not args.paths:
            parser.error("name a translated file, or --all")
        return sync(settings, args.paths)
    if args.command == "approve":
        return approve(settings, args.path, args.reviewer)
    if args.command == "ack":
        return ack(settings, args.path, args.reason)
    if args.command == "diff":
        return diff(settings, args.path)
    return qa(settings)


if __name__ == "__main__":
    sys.exit(main())
