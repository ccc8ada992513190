"""The benchmark of issue 7 keeps working: its corpus, and a tiny run of its rows.

Nothing here is timed: the figures of a run this small mean nothing, only that every row
builds what it should and the report has every figure and ratio.
"""

import json
import subprocess
import sys
from pathlib import Path

from bench.corpus import generate
from press.checks.content import check_site
from press.core.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_corpus_is_seeded_and_passes_the_content_checks(tmp_path):
    """One seed gives the same files; the corpus is valid content for the real build."""
    first = _files(generate(tmp_path / "first", 6, seed=3))
    assert first == _files(generate(tmp_path / "again", 6, seed=3))
    assert first != _files(generate(tmp_path / "other", 6, seed=4))
    articles = {lang: [name for name in first if name.startswith(f"{lang}/articles/")]
                for lang in ("en", "ko")}  # fmt: skip
    assert len(articles["en"]) == len(articles["ko"]) == 6
    assert {"en/pages/about.md", "ko/pages/about.md", "pseudonyms.toml"} <= first.keys()
    korean = first["ko/articles/article-0001.md"].decode("utf-8")
    assert "Translation-Of: en/articles/article-0001.md" in korean
    assert sum("\uac00" <= char <= "\ud7a3" for char in korean) > 1000  # Hangul syllables
    settings = load_settings(ROOT / "pelicanconf.py", {"PATH": str(tmp_path / "first")})
    assert [str(problem) for problem in check_site(settings)] == []


def test_a_small_run_builds_every_row_and_reports_every_ratio(tmp_path):
    """Every row but i18n-subsites (a benchmark-only dependency) runs and is reported."""
    rows = ["full", "pelican-en", "markdown", "markdown-triggers", "warm"]
    report = tmp_path / "bench.json"
    command = [sys.executable, "-m", "bench", "--articles", "3", "--runs", "1",
               "--only", ",".join([*rows, "edit-loop"]), "--json", str(report),
               "--max-others", "inf"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text("utf-8"))
    assert list(data["rows"]) == rows
    for name, row in data["rows"].items():
        assert row["median"]["wall"] > 0 and row["median"]["peak_rss"] > 0, name
    ratios = {ratio["label"]: ratio for ratio in data["ratios"]}
    assert ratios["full / markdown floor (wall)"]["value"] > 0
    assert ratios["full / markdown-triggers (wall)"]["target"] is None
    assert ratios["full / i18n-subsites (wall)"]["value"] is None  # its row did not run
    assert "full / markdown floor (wall)" in done.stdout
    # The edit loop: every saved edit reached its page, on both sites, each with a target.
    loops = {loop["name"]: loop for loop in data["edit_loops"]}
    assert set(loops) == {"edit-loop (real site)", "edit-loop (corpus)"}
    for loop in loops.values():
        assert len(loop["delays"]) >= 5 and all(delay > 0 for delay in loop["delays"])
        assert loop["target"] in (0.3, 0.6) and isinstance(loop["pass"], bool)
