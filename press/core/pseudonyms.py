"""The agreed pseudonyms (content/pseudonyms.toml), and how a language's pages write them.

Every name FFHR publishes is one of `pseudonyms`. A pseudonym may have a form of its own in a
language, in a table `[display.<language>]`: a team's name translated ("FFHR Editorial Desk"
on English pages, "FFHR 편집부" on Korean ones). Sources always name the pseudonym itself;
only what readers see changes.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from press.core.problems import Problem

MISSING = (
    'the pseudonym list is missing; create it with a line pseudonyms = ["..."] naming every '
    "agreed pseudonym"
)
DISPLAY_SHAPE = (
    'expected [display.<language>] tables of "pseudonym" = "how that language\'s pages write it"'
)


@dataclass(frozen=True)
class Pseudonyms:
    """The agreed pseudonyms, and their forms by language."""

    names: frozenset[str] = frozenset()
    display: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> name -> form

    def shown(self, name: str, lang: str) -> str:
        """How pages in `lang` write the pseudonym `name`: its form there, or itself."""
        return self.display.get(lang, {}).get(name, name)


def read_pseudonyms(path: Path) -> tuple[Pseudonyms, list[Problem]]:
    """Read the pseudonym list; its problems, each with what to do, when it has any."""
    if not path.is_file():
        return Pseudonyms(), [Problem.at(path, None, MISSING)]
    try:
        with path.open("rb") as fileobj:
            data = tomllib.load(fileobj)
    except tomllib.TOMLDecodeError as exc:
        return Pseudonyms(), [
            Problem.at(path, getattr(exc, "lineno", None), f"{exc}; fix the TOML")
        ]
    names = data.get("pseudonyms")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return Pseudonyms(), [Problem.at(path, None, 'expected pseudonyms = ["name", ...]')]
    display, problems = _display(path, data.get("display", {}), set(names))
    return Pseudonyms(frozenset(names), display), problems


def _display(path: Path, tables, names: set[str]) -> tuple[dict, list[Problem]]:
    """The [display.<language>] tables, with a problem for each form that cannot be used."""
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        return {}, [Problem.at(path, None, DISPLAY_SHAPE)]
    display, problems = {}, []
    for lang, forms in tables.items():
        for name, form in forms.items():
            if name not in names:
                problems.append(
                    Problem.at(
                        path,
                        None,
                        f'[display.{lang}] gives a form of "{name}", which is not in '
                        "pseudonyms; add it there first, or correct the name",
                    )
                )
            elif not isinstance(form, str) or not form.strip():
                problems.append(
                    Problem.at(
                        path, None, f'[display.{lang}] "{name}": the form must be a non-empty text'
                    )
                )
            else:
                display.setdefault(lang, {})[name] = form.strip()
    return display, problems
