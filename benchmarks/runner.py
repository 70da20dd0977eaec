"""Run the measures and print the report: `python -m benchmarks [--quick] [--jds N]`."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.harness import BenchmarkError, Context, Result
from benchmarks.measures import MEASURES, OPTIONAL, Measure

DEFAULT_JDS = 60_000
DEFAULT_REPEATS = 5
QUICK_JDS = 5_000
QUICK_REPEATS = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time Workforce Pathways against baselines measured in the same run, on the "
        "same data, and print each ratio beside its target. A report: it exits 0 whatever the "
        "figures (speed is never asserted in the tests).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: {QUICK_JDS} JDs and {QUICK_REPEATS} repeats unless given",
    )
    parser.add_argument(
        "--jds", type=int, metavar="N", help=f"JDs in the data set (default {DEFAULT_JDS})"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        metavar="N",
        help=f"timed runs of each side; the median is reported (default {DEFAULT_REPEATS})",
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="also run the growth measure (slow: 6,000, 60,000 and 600,000 JDs; "
        "500, 5,000 and 50,000 with --quick)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        choices=[measure.__name__ for measure in MEASURES],
        help="run only this measure (may be given more than once)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    jds = args.jds if args.jds is not None else (QUICK_JDS if args.quick else DEFAULT_JDS)
    repeats = args.repeats or (QUICK_REPEATS if args.quick else DEFAULT_REPEATS)
    if jds < 1 or repeats < 1:
        print("python -m benchmarks: --jds and --repeats must be at least 1", file=sys.stderr)
        return 2
    measures = [m for m in MEASURES if _selected(m.__name__, args.only, args.growth)]

    started = time.perf_counter()
    print(
        f"Workforce Pathways benchmarks: {jds} JDs, median of {repeats} runs per side; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs",
        flush=True,
    )
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="workforce-bench-") as work:
        ctx = Context(work=Path(work), jds=jds, repeats=repeats, warmup=1, quick=args.quick)
        for measure in measures:
            results.extend(_run(measure, ctx))
    print()
    print(format_table(results))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 0


def _selected(name: str, only: list[str] | None, growth: bool) -> bool:
    """`--only` names the measures; else every one but the slow ones (growth unless asked)."""
    if only:
        return name in only
    return name not in OPTIONAL or growth


def _run(measure: Measure, ctx: Context) -> list[Result]:
    """Run one measure, printing its rows' notes as they come; a failure becomes an ERROR row."""
    print(f"\n== {measure.__name__}: {(measure.__doc__ or '').strip()}", flush=True)
    started = time.perf_counter()
    try:
        results = measure(ctx)
    except BenchmarkError as error:
        results = [Result(measure.__name__, error=str(error))]
    except Exception as error:  # a report: show the failure and go on to the next measure
        results = [Result(measure.__name__, error=f"{type(error).__name__}: {error}")]
    for result in results:
        print(f"  {result.measure}: {result.verdict}", flush=True)
        for note in result.notes:
            print(f"    {note}", flush=True)
        if result.error:
            print(f"    error: {result.error}", flush=True)
    print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    return results


def format_table(results: Sequence[Result]) -> str:
    header = ("measure", "ours", "baseline", "ratio", "target", "ok?")
    rows = [header]
    for r in results:
        rows.append(
            (
                r.measure,
                _value(r.ours, r.unit),
                _value(r.baseline, r.unit),
                "-" if r.ratio is None else f"{r.ratio:.2f}x",
                r.target_label,
                r.verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:.3f} s" if unit == "s" else f"{value:.1f} {unit}"
