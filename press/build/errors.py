"""A failed build, and the problems that say what to fix."""

from press.safety.private_names import redact_all


class BuildError(Exception):
    """The build failed; `problems` lists each one, naming the file (and line) to fix."""

    def __init__(self, problems):
        # A problem may quote content: a name of the private list is never shown.
        self.problems = redact_all(map(str, problems))
        super().__init__("\n".join(self.problems))
