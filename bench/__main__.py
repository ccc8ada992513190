"""`python -m bench`: how fast the multilingual build is, beside what it replaces (issue 7).

Generates a seeded bilingual corpus once, then builds it several times with this project's
build and with the alternatives, each build in a fresh process, interleaved run by run, and
prints medians of wall time, CPU time and peak memory, and the ratios the issue sets targets
for. See bench/README.md.
"""

import argparse
import importlib.metadata
import json
import logging
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .corpus import adapt_for_i18n_subsites, article_name, generate
from .edit_loop import EditLoop, EditLoopError
from .edit_loop import measure as measure_edit_loop
from .measure import MeasurementError, Sample, Summary, run
from .sites import write_i18n_subsites_settings, write_plain_settings

logger = logging.getLogger("bench")

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "pelicanconf.py"  # relative to the project's snapshot, where every build runs
# Not copied into the snapshot: the builds read the generated corpus, not these.
NOT_SNAPSHOT = ("content/", "tests/", "output/")
GROWTH_BASE = 200  # articles of the small corpus of --growth
WARM_SENTENCE = "One more sentence, added for warm rebuild number {number}."
NAMES = (
    "full", "i18n-subsites", "pelican-en", "markdown", "markdown-triggers", "warm", "edit-loop",
)  # fmt: skip
# The edit loop's targets (issue 16): median seconds from saving an article to its page
# rewritten by `make serve`, on the project's own site and on the generated corpus.
EDIT_LOOP_TARGETS = {"real site": 0.3, "corpus": 0.6}
EDITS = 7  # edits timed per site: the median of an odd number is one of them
RETRIES = 3  # extra attempts of a run disturbed by other processes
RETRY_PAUSE = 10  # seconds to wait before such an attempt


@dataclass
class Benchmark:
    """One row of the table: what to run in a fresh process, and how to tell it did its work."""

    name: str
    what: str
    kind: str  # a function of bench/worker.py
    arguments: Callable[[Path], dict]  # run folder -> the worker's keyword arguments
    check: Callable[[Path, int], None]  # run folder, run number -> raise if work is missing
    prepare: Callable[[int], None] = lambda number: None  # before run `number`, untimed
    primed: bool = False  # starts from a finished full build (one untimed build first)


@dataclass(frozen=True)
class Ratio:
    """A ratio the issue sets a target for."""

    label: str
    numerator: str
    denominator: str
    metric: str  # "wall" or "peak_rss"
    target: float | None  # None: shown for what it tells, no target
    note: str = ""


def say(line: str = "") -> None:
    """Print one line of the report (the report is this command's output)."""
    print(line.rstrip())  # noqa: T201


def _version(distribution: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _expect(path: Path, *texts: str) -> None:
    """Raise unless `path` exists and contains every one of `texts`."""
    if not path.is_file():
        raise RuntimeError(f"the build did not write {path}")
    content = path.read_text(encoding="utf-8")
    for text in texts:
        if text not in content:
            raise RuntimeError(f"{path} lacks {text!r}")


def _expect_log(folder: Path, text: str) -> None:
    """Raise unless the run's log says `text`."""
    log = (folder / "log.txt").read_text(encoding="utf-8", errors="replace")
    if text not in log:
        raise RuntimeError(f"{folder / 'log.txt'} lacks {text!r}")


def benchmarks(work: Path, corpus: Path, articles: int, seed: int, growth: bool) -> list[Benchmark]:
    """Set up every benchmark's corpus copy and settings under `work`; return them in order."""
    last = article_name(articles)
    other_lang = f"ko/articles/{last}/"  # the switcher or translation link of the last article

    def full_check(size: int):
        def check(folder: Path, number: int) -> None:
            name = article_name(size)
            _expect(
                folder / "output" / "en" / "articles" / name / "index.html", f"ko/articles/{name}/"
            )
            _expect(folder / "output" / "ko" / "articles" / name / "index.html")

        return check

    def full_arguments(content: Path):
        return lambda folder: {
            "settings": SETTINGS,
            "content": str(content),
            "output": str(folder / "output"),
            "cache": str(folder / "cache"),
        }

    def i18n_check(folder: Path, number: int) -> None:
        _expect(folder / "output" / "articles" / last / "index.html", other_lang)
        _expect(folder / "output" / "ko" / "articles" / last / "index.html")

    i18n_settings = write_i18n_subsites_settings(
        work, adapt_for_i18n_subsites(corpus, work / "corpus-i18n-subsites")
    )
    plain_settings = write_plain_settings(work, corpus / "en")

    def pelican_arguments(settings: Path):
        return lambda folder: {
            "settings": str(settings),
            "output": str(folder / "output"),
            "cache": str(folder / "cache"),
        }

    warm_corpus = work / "corpus-warm"
    shutil.copytree(corpus, warm_corpus)

    def warm_article(number: int) -> str:
        return article_name(number % articles + 1)

    def warm_edit(number: int) -> None:
        source = warm_corpus / "en" / "articles" / f"{warm_article(number)}.md"
        with source.open("a", encoding="utf-8") as fileobj:
            fileobj.write(f"\n{WARM_SENTENCE.format(number=number + 1)}\n")

    def warm_check(folder: Path, number: int) -> None:
        page = folder / "output" / "en" / "articles" / warm_article(number) / "index.html"
        # Run -1 is the full build before the first edit.
        _expect(page, *([WARM_SENTENCE.format(number=number + 1)] if number >= 0 else []))

    rows = [
        Benchmark(
            "full",
            "this project's build: en + ko, one Pelican process per language",
            "ffhr",
            full_arguments(corpus),
            full_check(articles),
        ),
        Benchmark(
            "i18n-subsites",
            "Pelican + pelican-i18n-subsites 1.0.0: en site with a ko sub-site",
            "pelican",
            pelican_arguments(i18n_settings),
            i18n_check,
        ),
        Benchmark(
            "pelican-en",
            "plain Pelican, English folder only (one language)",
            "pelican",
            pelican_arguments(plain_settings),
            lambda folder, number: _expect(folder / "output" / "articles" / last / "index.html"),
        ),
        Benchmark(
            "markdown",
            f"floor: Python-Markdown (extra, meta, toc) on all {2 * articles + 2} files, 1 process",
            "markdown",
            lambda folder: {"settings": SETTINGS, "content": str(corpus)},
            lambda folder, number: _expect_log(folder, f"Converted {2 * articles + 2} files"),
        ),
        Benchmark(
            "markdown-triggers",
            "the floor with the build's MarkdownTriggers (skips what a file cannot contain)",
            "markdown",
            lambda folder: {"settings": SETTINGS, "content": str(corpus), "triggers": True},
            lambda folder, number: _expect_log(folder, f"Converted {2 * articles + 2} files"),
        ),
        Benchmark(
            "warm",
            "this project's build again after one English article changed",
            "ffhr",
            lambda folder: full_arguments(warm_corpus)(work / "warm"),
            lambda folder, number: warm_check(work / "warm", number),
            prepare=warm_edit,
            primed=True,
        ),
    ]
    if growth:
        small = generate(work / f"corpus-{GROWTH_BASE}", GROWTH_BASE, seed)
        rows.append(
            Benchmark(
                f"full-{GROWTH_BASE}",
                f"this project's build of a {GROWTH_BASE}-article corpus (for growth)",
                "ffhr",
                full_arguments(small),
                full_check(GROWTH_BASE),
            )
        )
    return rows


def _git(*args: str) -> str | None:
    """What a read-only git command prints in the project, or None when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


def snapshot(target: Path) -> Path:
    """Copy the project (code, theme, settings, catalogs) as it is now, for every build to use.

    Builds then measure one state of the project even while someone edits it, and never
    write into the working tree (the build compiles catalogs beside their .po files).
    """
    listed = _git("ls-files", "--cached", "--others", "--exclude-standard", "-z")
    if listed is None:  # not a git checkout: copy all but the obvious
        ignore = shutil.ignore_patterns(".git", ".venv", "output*", "__pycache__", "*.mo")
        shutil.copytree(ROOT, target, ignore=ignore)
        return target
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if name.startswith(NOT_SNAPSHOT) or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    return target


def project_state() -> str:
    """The commit the snapshot was taken from, and whether the working tree differs from it."""
    head = _git("rev-parse", "--short", "HEAD")
    if head is None:
        return "not a git checkout"
    changed = (_git("status", "--porcelain") or "").splitlines()
    return f"commit {head.strip()}" + (
        f" + uncommitted changes ({len(changed)} paths in git status)" if changed else ""
    )


def measure_all(
    rows: list[Benchmark], args, work: Path, project: Path
) -> tuple[dict[str, list[Sample]], int]:
    """Run every benchmark `args.runs` times, interleaved (run 1 of each, then run 2, ...).

    A run during which other processes kept more than `args.max_others` cores busy is run
    again (up to RETRIES times, after a pause); the least disturbed attempt is kept. Returns
    the samples and how many attempts were set aside.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))

    def once(row: Benchmark, number: int, label: str) -> Sample:
        folder = work / "runs" / f"{row.name}-{label}"
        folder.mkdir(parents=True)
        arguments = json.dumps(row.arguments(folder))
        command = [sys.executable, "-m", "bench.worker", row.kind, arguments]
        sample = run(command, cwd=project, env=env, log=folder / "log.txt")
        row.check(folder, number)
        # The folder stays until the benchmark ends (about 50 MB a build). Deleting thousands
        # of files makes ext4 skip each of their inodes for a minute when it allocates new
        # ones (without a journal, as on this machine), which added up to a second of
        # system time to the next builds that write files, more with every run.
        # Untimed: the files this build wrote reach the disk now, not during the next build.
        os.sync()
        return sample

    def disturbance(sample: Sample) -> float:
        """Cores other processes kept busy during the sample (0 when unknown)."""
        return 0.0 if sample.others is None else sample.others

    samples: dict[str, list[Sample]] = {row.name: [] for row in rows}
    set_aside = 0
    for row in rows:
        if row.primed:
            logger.info("Preparing %s: a full build first (not timed)", row.name)
            once(row, -1, "prepare")
    for number in range(args.runs):
        for row in rows:
            kept = None
            for attempt in range(1 + RETRIES):
                row.prepare(number)  # the warm row: a new edit for every attempt
                sample = once(row, number, f"{number + 1}-{attempt + 1}")
                logger.info(
                    "run %d/%d %-14s wall %6.2f s  cpu %6.2f s  peak %6.0f MiB  others %s",
                    number + 1, args.runs, row.name, sample.wall, sample.cpu, sample.peak_rss,
                    "?" if sample.others is None else f"{sample.others:.2f}",
                )  # fmt: skip
                if kept is None or disturbance(sample) < disturbance(kept):
                    kept = sample
                if disturbance(sample) <= args.max_others or attempt == RETRIES:
                    break
                set_aside += 1
                logger.info("  other processes were busy: run again in %d s", RETRY_PAUSE)
                time.sleep(RETRY_PAUSE)
            samples[row.name].append(kept)
    return samples, set_aside


def edit_loops(work: Path, project: Path, corpus: Path, articles: int) -> list[EditLoop]:
    """Time the edit loop of `make serve` on the project's own content and on the corpus."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    real = work / "content-real"
    shutil.copytree(ROOT / "content", real)
    edited = work / "corpus-edit-loop"
    shutil.copytree(corpus, edited)
    first_real = sorted((real / "en" / "articles").glob("*.md"))[0].stem
    sites = [
        ("real site", "the project's own content/", real, first_real),
        ("corpus", f"{articles} articles per language", edited, article_name(articles // 2 or 1)),
    ]
    loops = []
    for name, what, content, article in sites:
        folder = work / "runs" / f"edit-loop-{name.replace(' ', '-')}"
        target = EDIT_LOOP_TARGETS[name]
        loops.append(
            measure_edit_loop(
                f"edit-loop ({name})", what, project, env, content, article, folder, EDITS, target
            )
        )
    return loops


def ratios(articles: int, growth: bool) -> list[Ratio]:
    """The ratios of issue 7, with their targets (growth only when it was measured)."""
    large, small = max(articles, GROWTH_BASE), min(articles, GROWTH_BASE)
    by_size = {articles: "full", GROWTH_BASE: f"full-{GROWTH_BASE}"}
    fixed = [
        Ratio("full / i18n-subsites (wall)", "full", "i18n-subsites", "wall", 0.35),
        Ratio("full / markdown floor (wall)", "full", "markdown", "wall", 1.2),
        Ratio("warm rebuild / full (wall)", "warm", "full", "wall", 0.2),
        Ratio("peak memory full / pelican-en", "full", "pelican-en", "peak_rss", 1.5),
        # Markdown as the build runs it: what the build costs beyond its own Markdown.
        Ratio("full / markdown-triggers (wall)", "full", "markdown-triggers", "wall", None),
    ]
    if not growth:
        return fixed
    return [
        *fixed,
        Ratio(
            f"growth full({large}) / full({small}) (wall)",
            by_size[large],
            by_size[small],
            "wall",
            large / small,
            "linear",
        ),
    ]


def environment() -> dict:
    """What the figures depend on: the machine, Python and the versions of the builds."""
    return {
        "cpu_count": os.cpu_count(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "pelican": _version("pelican"),
        "markdown": _version("markdown"),
        "pelican-i18n-subsites": _version("pelican-i18n-subsites"),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "project": project_state(),
    }


def report(args, env, rows, summaries: dict[str, Summary], checks, corpus_seconds, set_aside):
    """Print the header, the table of medians and the ratios with PASS or FAIL."""
    say(f"FFHR build benchmark (issue 7): {env['project']}")
    say(
        f"machine: os.cpu_count()={env['cpu_count']}, {env['machine']}, "
        f"load average at start {env['load_average']}, at end {env['load_average_at_end']}"
    )
    say(
        f"versions: Python {env['python']}, Pelican {env['pelican']}, Markdown "
        f"{env['markdown']}, pelican-i18n-subsites {env['pelican-i18n-subsites']}"
    )
    say(
        f"corpus: {args.articles} English articles + {args.articles} Korean translations "
        f"+ About in each language, seed {args.seed}, generated in {corpus_seconds:.2f} s"
    )
    say(
        f"each build in a fresh process, {args.runs} run(s) each, interleaved; wall and CPU: "
        "medians; peak RSS: largest single process, largest over the runs"
    )
    say(
        f"runs disturbed by other processes (others > {args.max_others:g} cores) and run "
        f"again: {set_aside}"
    )
    say()
    say(
        f"{'row':<17} {'wall s':>7} {'(min-max)':>14} {'CPU s':>7} {'peak MiB':>9} "
        f"{'others':>6}  what"
    )
    for row in rows:
        s = summaries[row.name]
        spread = f"({s.wall_min:.2f}-{s.wall_max:.2f})"
        others = "?" if s.others is None else f"{s.others:.2f}"
        say(
            f"{row.name:<17} {s.wall:>7.2f} {spread:>14} {s.cpu:>7.2f} {s.peak_rss:>9.0f} "
            f"{others:>6}  {row.what}"
        )
    say(
        "others: cores kept busy by other processes during the row's runs (median); "
        "above ~0.2 the machine was not quiet and wall times are inflated"
    )
    say()
    say(f"{'ratio':<44} {'value':>6} {'target':>9} {'result':>7}  {'CPU ratio':>9}")
    for check in checks:
        target = "none" if check["target"] is None else f"<= {check['target']:.2f}"
        if check["value"] is None:
            say(f"{check['label']:<44} {'n/a':>6} {target:>9}")
            continue
        cpu = "" if check["cpu_value"] is None else f"{check['cpu_value']:.2f}"
        note = f"  ({check['note']})" if check["note"] else ""
        result = {True: "PASS", False: "FAIL", None: "info"}[check["pass"]]
        say(f"{check['label']:<44} {check['value']:>6.2f} {target:>9} {result:>7}  {cpu:>9}{note}")


def report_edit_loops(loops: list[EditLoop]) -> None:
    """Print each site's median time from saving an edit to its page rewritten."""
    say()
    say(
        f"{'edit loop: save -> page rewritten':<44} {'median':>6} {'target':>9} {'result':>7}"
        f"  {'(min-max), edits'}"
    )
    for loop in loops:
        spread = f"({min(loop.delays):.2f}-{max(loop.delays):.2f}), {len(loop.delays)}"
        result = "PASS" if loop.passed else "FAIL"
        label, target = f"{loop.name}, {loop.what}", f"<= {loop.target:.2f}"
        say(f"{label:<44} {loop.median:>6.2f} {target:>9} {result:>7}  {spread}")


def evaluate(summaries: dict[str, Summary], articles: int, growth: bool) -> list[dict]:
    """Each ratio's value (and its CPU-time counterpart) against its target."""
    results = []
    for ratio in ratios(articles, growth):
        value = cpu_value = None
        top, bottom = summaries.get(ratio.numerator), summaries.get(ratio.denominator)
        if top and bottom:
            value = getattr(top, ratio.metric) / getattr(bottom, ratio.metric)
            if ratio.metric == "wall":
                cpu_value = top.cpu / bottom.cpu
        results.append(
            {
                **asdict(ratio),
                "value": value,
                "cpu_value": cpu_value,
                "pass": None if value is None or ratio.target is None else value <= ratio.target,
            }
        )
    return results


def parse_args(argv=None):
    """The command line: sizes, repetitions, which rows, and where to write JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles per language")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of every build")
    parser.add_argument(
        "--growth", action="store_true", help=f"also build {GROWTH_BASE} articles, for growth"
    )
    parser.add_argument(
        "--only", help=f"comma-separated rows to run, of: {', '.join(NAMES)} (default: all)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpus")
    parser.add_argument(
        "--max-others",
        type=float,
        default=0.25,
        help="run a build again when other processes kept more cores than this busy "
        "(default 0.25; inf: never)",
    )
    args = parser.parse_args(argv)
    args.only = args.only.split(",") if args.only else list(NAMES)
    if unknown := set(args.only) - set(NAMES):
        parser.error(f"unknown row(s) {', '.join(sorted(unknown))}; choose from {', '.join(NAMES)}")
    if args.articles < 2 or args.runs < 1:
        parser.error("--articles must be at least 2 and --runs at least 1")
    return args


def main(argv=None) -> int:
    """Snapshot the project, generate the corpus, measure every row and print the report."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    if "i18n-subsites" in args.only and _version("pelican-i18n-subsites") is None:
        logger.error(
            "pelican-i18n-subsites is not installed; it is a benchmark-only dependency:\n"
            "  .venv/bin/python -m pip install -r bench/requirements.txt\n"
            "or leave it out: --only %s",
            ",".join(name for name in args.only if name != "i18n-subsites"),
        )
        return 2
    env = environment()
    with tempfile.TemporaryDirectory(prefix="ffhr-bench-") as tmp:
        work = Path(tmp)
        project = snapshot(work / "project")
        start = time.perf_counter()
        corpus = generate(work / "corpus", args.articles, args.seed)
        corpus_seconds = time.perf_counter() - start
        rows = [
            row
            for row in benchmarks(work, corpus, args.articles, args.seed, args.growth)
            if row.name in args.only or (args.growth and row.name == f"full-{GROWTH_BASE}")
        ]
        try:
            samples, set_aside = measure_all(rows, args, work, project)
            loops = []
            if "edit-loop" in args.only:
                loops = edit_loops(work, project, corpus, args.articles)
        except (MeasurementError, EditLoopError, RuntimeError) as exc:
            logger.error("A build failed or did not do its work, so nothing is reported:\n%s", exc)
            return 1
    env["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    summaries = {name: Summary.of(values) for name, values in samples.items()}
    checks = evaluate(summaries, args.articles, args.growth)
    report(args, env, rows, summaries, checks, corpus_seconds, set_aside)
    if loops:
        report_edit_loops(loops)
    if args.json:
        data = {
            "environment": env,
            "articles": args.articles,
            "runs": args.runs,
            "seed": args.seed,
            "max_others": args.max_others if math.isfinite(args.max_others) else None,
            "runs_set_aside": set_aside,
            "rows": {
                row.name: {
                    "what": row.what,
                    "median": asdict(summaries[row.name]),
                    "samples": [asdict(sample) for sample in samples[row.name]],
                }
                for row in rows
            },
            "ratios": checks,
            "edit_loops": [
                {**asdict(loop), "median": loop.median, "pass": loop.passed} for loop in loops
            ],
        }
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        logger.info("Wrote %s", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
