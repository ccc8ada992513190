"""Credits: a translation names its translator (`Translator:`, a pseudonym like `Reviewer:`)."""

import pytest

from conftest import SETTINGS, edit, line_of
from press.cli.check import main as check

PSEUDONYM_HINT = (
    "is not on the pseudonym list (content/pseudonyms.toml); people publish here only under "
    "agreed pseudonyms: use one from the list, or add the new pseudonym there"
)


def run_check(capsys, content) -> tuple[int, list[str]]:
    """Run `invoke check`'s checks on `content`; return the exit code and the problem lines."""
    code = check(["--settings", str(SETTINGS), "--content", str(content)])
    err = capsys.readouterr().err.splitlines()
    return code, [line for line in err if not line.endswith("problem(s) found.")]


@pytest.fixture
def translation(content):
    """The Korean fixture translation (approved), in a writable copy of the fixture."""
    return content / "ko" / "articles" / "shared-story.md"


def test_translator_on_the_pseudonym_list_is_accepted(capsys, content, translation):
    """`Translator:` is a known header key; an agreed pseudonym passes the checks."""
    edit(translation, "Reviewer:", "Translator: FFHR translators\nReviewer:")
    assert run_check(capsys, content) == (0, [])


def test_translator_not_on_the_pseudonym_list_is_refused(capsys, content, translation):
    """A translator's name that is not an agreed pseudonym is refused on its line."""
    edit(translation, "Reviewer:", "Translator: Kim Young-ho\nReviewer:")
    line = line_of(translation, "Translator:")
    assert run_check(capsys, content) == (
        1,
        [f"{translation}:{line}: Translator 'Kim Young-ho' {PSEUDONYM_HINT}"],
    )
