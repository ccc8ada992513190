"""How heavy each built page is: its HTML plus the same-origin CSS and images it loads."""

from .page_weight import DEFAULT_BUDGET, PageWeight, format_table, over_budget, page_weights

__all__ = ["DEFAULT_BUDGET", "PageWeight", "format_table", "over_budget", "page_weights"]
