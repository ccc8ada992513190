"""Two builds of the same commit must be byte-identical: nothing of when, where or who."""

from pathlib import Path

from press.core.files import file_names
from press.core.problems import Problem


def compare_trees(first: Path, second: Path, label: str = "output") -> list[Problem]:
    """Every file that exists in only one build, or differs between the two."""
    files_a, files_b = set(file_names(first)), set(file_names(second))
    problems = [
        Problem(f"{label}/{name}", 0, "written by one build and not by the other")
        for name in sorted(files_a ^ files_b)
    ]
    for name in sorted(files_a & files_b):
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if a != b:
            index = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y) if (
                len(a) and len(b)
            ) else 0  # fmt: skip
            line = a.count(b"\n", 0, index) + 1
            problems.append(
                Problem(f"{label}/{name}", line, "differs between two builds of the same "
                        "sources (a time, path or random value in it?); builds must be "
                        "reproducible")
            )  # fmt: skip
    return problems
