"""What every measure shares: the run's context, timing helpers and the result of a measure.

A measure is a function `(Context) -> list[Result]` (see `benchmarks.measures.MEASURES`). It
times our code and a baseline in the same run, on the same data, through `time_pair`, which
alternates the two so that a machine slowing down mid-run hits both alike, and reports medians.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# A timed step: does its own untimed setup, then returns the seconds the timed part took.
Step = Callable[[], float]


class BenchmarkError(RuntimeError):
    """A measure could not be taken (a command failed, or did not do what it should)."""


@dataclass
class Result:
    """One row of the report.

    `target` is the largest acceptable ours/baseline ratio; None makes the row informative. A row
    with `check` set is a yes/no check rather than a timing (`target_text` says what is checked).
    """

    measure: str
    ours: float | None = None
    baseline: float | None = None
    target: float | None = None
    target_text: str = ""
    check: bool | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    unit: str = "s"  # of ours and baseline: "s", "ms" or "MB"
    limit: float | None = None  # an absolute target: ours at most this (in `unit`), no ratio

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline is None or self.baseline <= 0:
            return None
        return self.ours / self.baseline

    @property
    def target_label(self) -> str:
        if self.target_text:
            return self.target_text
        if self.limit is not None:
            return f"<= {self.limit:g} {self.unit}"
        if self.error is not None and self.target is None:
            return "-"
        return "informative" if self.target is None else f"<= {self.target:g}x"

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return "ERROR"
        if self.check is not None:
            return "OK" if self.check else "FAIL"
        if self.limit is not None:
            return "ok" if self.ours is not None and self.ours <= self.limit else "MISS"
        if self.target is None:
            return "info"
        ratio = self.ratio
        return "ok" if ratio is not None and ratio <= self.target else "MISS"


@dataclass
class Timings:
    ours: list[float]
    baseline: list[float]

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline)

    def note(self) -> str:
        return f"runs: ours {_spread(self.ours)}; baseline {_spread(self.baseline)}"


def _spread(values: Sequence[float]) -> str:
    return f"{len(values)}x, {min(values):.3f}-{max(values):.3f} s"


def time_pair(ours: Step, baseline: Step, *, repeats: int, warmup: int = 0) -> Timings:
    """Run each step `warmup` times untimed, then `repeats` times, alternating which goes first."""
    for _ in range(warmup):
        ours()
        baseline()
    timings = Timings([], [])
    for index in range(repeats):
        if index % 2 == 0:
            timings.ours.append(ours())
            timings.baseline.append(baseline())
        else:
            timings.baseline.append(baseline())
            timings.ours.append(ours())
    return timings


def time_call(function: Callable[[], object]) -> float:
    """Seconds one in-process call takes (for analyses measured without a subprocess)."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def user_env() -> dict[str, str]:
    """The environment for every child: this one without PYTHONDONTWRITEBYTECODE.

    A machine that sets it makes every process compile every module it imports, which a user's
    Python (writing and reusing .pyc files) does not do; with it removed, the untimed warm-up
    run of each side leaves the .pyc files the timed runs then read, as on a user's machine."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_command(argv: Sequence[str], *, timeout: float = 300) -> tuple[float, str]:
    """Run a command from the repository root; return (wall seconds, stdout).

    The time covers the whole process: interpreter start, imports, work and exit. Raises
    BenchmarkError if the command fails, so a broken command is never reported as fast.
    """
    seconds, out, _ = run_measured(argv, timeout=timeout)
    return seconds, out


def run_measured(argv: Sequence[str], *, timeout: float = 300) -> tuple[float, str, float]:
    """`run_command`, also returning the child's peak resident memory (MB, its ru_maxrss).

    The child is started by a small process (GNU `/usr/bin/time -f %M`, else a Python fork
    wrapper) rather than by this one: on Linux a process's ru_maxrss starts from the memory of
    the process that forked it, and this one (holding the measures' data) is larger than most
    children, which would make every child look as big as it. GNU time adds about a
    millisecond to each run, on both sides alike."""
    start = time.perf_counter()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file,
    ):
        proc = subprocess.Popen(
            [*_rss_prefix(rss_file.name), *argv], cwd=REPO, stdout=out, stderr=err, env=user_env()
        )
        # A blocking wait, with a timer to kill a child that runs too long: Popen.wait with a
        # timeout polls, sleeping up to 50 ms between looks, which rounded every short run
        # up to a step of 50 ms (0.064, 0.114, 0.165 s) and made ratios of them meaningless.
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            proc.wait()
        finally:
            watchdog.cancel()
        elapsed = time.perf_counter() - start
        if elapsed >= timeout:
            raise BenchmarkError(f"{_show(argv)} took over {timeout:g} s")
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        rss_text = rss_file.read().strip().splitlines()
    if proc.returncode != 0:
        tail = [line for line in (stderr or stdout).strip().splitlines() if line][-5:]
        raise BenchmarkError(
            f"{_show(argv)} exited {proc.returncode}: " + " | ".join(tail or ["(no output)"])
        )
    try:
        rss_kb = float(rss_text[-1])
    except (IndexError, ValueError) as error:
        raise BenchmarkError(f"no peak memory reported for {_show(argv)}") from error
    return elapsed, stdout, rss_kb / 1024


GNU_TIME = Path("/usr/bin/time")
# A Python stand-in for `/usr/bin/time -f %M -o FILE CMD...`: fork, exec, write ru_maxrss (KB).
RSS_WRAPPER = """\
import os, resource, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _rss_prefix(rss_path: str) -> list[str]:
    if GNU_TIME.exists() and sys.platform.startswith("linux"):
        return [str(GNU_TIME), "-f", "%M", "-o", rss_path]
    return [sys.executable, "-c", RSS_WRAPPER, rss_path]


def _show(argv: Sequence[str]) -> str:
    return " ".join(Path(argv[0]).name if i == 0 else str(a) for i, a in enumerate(argv))


def console_script(name: str, module: str) -> list[str]:
    """The venv's `name` script beside this interpreter, else on PATH, else `python -m module`."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else [sys.executable, "-m", module]


@dataclass
class Context:
    """The run: options, the scratch directory and the data made for it (shared by measures)."""

    work: Path  # a temporary directory, removed after the run
    jds: int  # how many JDs the data set holds
    repeats: int
    warmup: int  # untimed runs of each side of a start-up measure (disk cache, .pyc files)
    quick: bool  # a smoke run: a measure may do less
    growth_sizes: tuple[int, ...] = ()  # the growth measure's sizes (empty: its default)
    python: str = sys.executable
    _csv: Path | None = None
    _reference: Path | None = None
    _loaded: Path | None = None
    _serial: int = 0

    @property
    def workforce(self) -> list[str]:
        return console_script("workforce", "workforce_cli.main")

    @property
    def sqlite_utils(self) -> list[str]:
        return console_script("sqlite-utils", "sqlite_utils")

    def scratch(self, stem: str, suffix: str = ".db") -> Path:
        """A new file name in the scratch directory (nothing is created)."""
        self._serial += 1
        return self.work / f"{stem}-{self._serial:03d}{suffix}"

    def jds_csv(self) -> Path:
        """The data set: `jds` illustrative JDs as CSV, made once by the project's generator."""
        if self._csv is None:
            self._csv = write_jds_csv(self.work / f"jds-{self.jds}.csv", self.jds)
        return self._csv

    def reference_catalogue(self) -> Path:
        """A reference-only catalogue (no JDs) from `workforce init`: copy it, never change it."""
        if self._reference is None:
            path = self.work / "reference-template.db"
            run_command([*self.workforce, "init", "--reference-only", "--db", str(path)])
            self._reference = path
        return self._reference

    def fresh_reference_copy(self) -> Path:
        return Path(shutil.copyfile(self.reference_catalogue(), self.scratch("ours")))

    def loaded_catalogue(self) -> Path:
        """A catalogue holding the data set's JDs (imported untimed unless a measure gave one)."""
        if self._loaded is None:
            path = self.fresh_reference_copy()
            import_jds(self, path)
            self._loaded = path
        return self._loaded

    def keep_loaded(self, path: Path) -> None:
        """Offer a catalogue a measure filled with the whole data set, to save importing again."""
        if self._loaded is None:
            self._loaded = path


def import_jds(ctx: Context, db: Path) -> float:
    """`workforce import` the data set into `db`; check every JD was added; return the seconds."""
    return import_file(ctx, ctx.jds_csv(), db, ctx.jds)[0]


def import_file(ctx: Context, path: Path, db: Path, expected: int) -> tuple[float, float]:
    """`workforce import PATH` into `db`; check `expected` JDs were added; return the seconds
    and the process's peak RSS (MB)."""
    seconds, out, rss = run_measured(
        [*ctx.workforce, "import", str(path), "--db", str(db), "--format", "json"]
    )
    if f'"added": {expected},' not in out:
        raise BenchmarkError(
            f"workforce import {path.name} did not add {expected} JDs: {out.strip()[:200]!r}"
        )
    return seconds, rss


# ---- Data ---------------------------------------------------------------------------------------


def write_jds_csv(path: Path, count: int) -> Path:
    """Write the first `count` JDs of the project's illustrative generator, as CSV, to `path`.

    The same data as `python -m tools.illustrative_jds --scale S --format csv` (scale 180 is
    about 60,000 JDs), cut to exactly `count` rows so the size follows `--jds`.
    """
    if str(REPO) not in sys.path:  # tools/ is not installed: it is imported from the repository
        sys.path.insert(0, str(REPO))
    try:
        from tools import illustrative_jds as generator
    except ImportError as error:
        raise BenchmarkError(f"cannot import tools.illustrative_jds: {error}") from error

    data_dir = generator.DEFAULT_DATA_DIR
    per_copy = len(generator.generate(data_dir, seed=generator.DEFAULT_SEED, scale=1))
    scale = max(1, math.ceil(count / per_copy))
    jobs = generator.generate(data_dir, seed=generator.DEFAULT_SEED, scale=scale)
    while len(jobs) < count:  # copies vary a little in size
        scale += 1
        jobs = generator.generate(data_dir, seed=generator.DEFAULT_SEED, scale=scale)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(generator.to_csv(jobs[:count]))
    return path
