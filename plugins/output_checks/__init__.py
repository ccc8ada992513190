"""Checks of a finished build before it replaces the published output."""

from .output_checks import check_leaks, check_output, check_update

__all__ = ["check_leaks", "check_output", "check_update"]
