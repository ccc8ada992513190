"""The options every `python -m press.cli` command that reads the site shares."""

import argparse
import os
import sys
from pathlib import Path

from press.core.settings import Settings, SettingsError, load_settings


def site_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A parser with --settings, --content and --catalogs."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--content", type=Path, help="content folder instead of PATH")
    parser.add_argument("--catalogs", type=Path, help="catalog folder instead of locale/")
    return parser


def site_settings(parser: argparse.ArgumentParser, args, override=None) -> Settings:
    """The settings the options name; a usage error (exit 2) names each problem in them."""
    override = dict(override or {})
    if args.content:
        override["PATH"] = str(args.content.resolve())
    if args.catalogs:
        override["I18N_CATALOG_PATH"] = str(args.catalogs.resolve())
    try:
        return load_settings(args.settings, override)
    except SettingsError as exc:
        parser.error("\n".join(exc.problems))


def emit(text: str) -> None:
    """Print a command's long output; quietly stop where its reader closed the pipe
    (`... | head`), as Unix tools do, rather than with a traceback."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # What is still buffered would fail again at exit: it goes nowhere instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
