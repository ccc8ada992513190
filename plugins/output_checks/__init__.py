"""Checks of a finished build before it replaces the published output."""

from .output_checks import (
    FolderReport,
    check_folder,
    check_leaks,
    check_output,
    check_published,
    check_update,
)

__all__ = [
    "FolderReport",
    "check_folder",
    "check_leaks",
    "check_output",
    "check_published",
    "check_update",
]
