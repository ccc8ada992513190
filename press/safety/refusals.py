"""A file that may not be published, with every reason; light to import, for the build."""

from pathlib import Path

from press.core.problems import Problem


class DocumentRefused(Exception):
    """A document that cannot be published; `reasons` say why, each with what to do."""

    def __init__(self, path: Path, reasons: list[str]):
        self.path = Path(path)
        self.reasons = list(reasons)
        super().__init__("\n".join(map(str, self.problems)))

    @property
    def problems(self) -> list[Problem]:
        """One problem per reason, naming the file."""
        return [Problem.at(self.path, None, reason) for reason in self.reasons]
