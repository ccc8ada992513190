from .markup_allowlist import register

__all__ = ["register"]
