"""Run a command in a fresh process and measure it: wall time, CPU time and peak memory."""

import logging
import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


class MeasurementError(Exception):
    """A measured command failed; the message ends with the tail of what it wrote."""


@dataclass(frozen=True)
class Sample:
    """One measured run of a command."""

    wall: float  # seconds, from starting the process to reaping it
    cpu: float  # user + system seconds of the process and every process it waited for
    peak_rss: float  # MiB: the largest resident set of any one of those processes
    others: float | None = None  # cores kept busy by other processes meanwhile (Linux)


@dataclass(frozen=True)
class Summary:
    """Several samples of one command, summed up."""

    wall: float  # median
    wall_min: float
    wall_max: float
    cpu: float  # median
    peak_rss: float  # the largest over the samples
    runs: int
    others: float | None = None  # median; above ~0.2 the machine was not quiet

    @classmethod
    def of(cls, samples: list[Sample]) -> "Summary":
        """Medians of time, and the largest peak memory, of `samples`."""
        walls = [s.wall for s in samples]
        return cls(
            wall=statistics.median(walls),
            wall_min=min(walls),
            wall_max=max(walls),
            cpu=statistics.median(s.cpu for s in samples),
            peak_rss=max(s.peak_rss for s in samples),
            runs=len(samples),
            others=(
                statistics.median(s.others for s in samples)
                if all(s.others is not None for s in samples)
                else None
            ),
        )


def busy_seconds() -> float | None:
    """CPU seconds every process of the machine has used since boot, or None off Linux."""
    try:
        with Path("/proc/stat").open(encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    # cpu user nice system idle iowait irq softirq steal ...: all but idle and iowait.
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(command: list[str], *, cwd: Path, env: dict, log: Path) -> Sample:
    """Run `command` in a new process, its output going to `log`; measure it from outside."""
    with log.open("wb") as output:
        busy_before = busy_seconds()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        # wait4 returns the process's own usage plus that of every child it reaped (the
        # build's worker processes): CPU is summed, ru_maxrss is the largest single process.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        busy_after = busy_seconds()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise MeasurementError(
            f"{' '.join(command)} exited with {process.returncode}; its log ({log}) ends:\n{tail}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    others = None
    if busy_before is not None and busy_after is not None:
        others = max(0.0, (busy_after - busy_before - cpu) / wall)
    # Linux reports ru_maxrss in KiB.
    return Sample(wall=wall, cpu=cpu, peak_rss=usage.ru_maxrss / 1024, others=others)
