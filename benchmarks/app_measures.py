"""What a person feels in the app: start-up in a real terminal, keys, and memory.

- `app_terminal`: `workforce tui` started in a pseudo-terminal until a trust's row is on
  screen, against a bare Textual app started the same way until its rows are (target 1.5x),
  on the bundled catalogue and on the N-JD one.
- `app_keys`: key press to repaint on the biggest tables (targets 50 ms median, 150 ms worst).
- `app_memory`: peak RSS of the app to its first screen and after opening Harmonise, against
  the bare app's (target 2x).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
from pathlib import Path

from benchmarks.bare_app import BARE_CODES
from benchmarks.harness import (
    REPO,
    BenchmarkError,
    Context,
    Result,
    run_measured,
    time_pair,
)
from benchmarks.terminal import SIZE, time_to_text

APP_TERMINAL_TARGET = 1.3  # issue 13: the first useful screen within 1.3x the bare app
KEY_MEDIAN_MS = 50.0
KEY_WORST_MS = 150.0
MEMORY_TARGET = 2.0
KEY_PRESSES = 12  # per action (the filter types up to this many characters)
QUICK_KEY_PRESSES = 6

BARE_APP = REPO / "benchmarks" / "bare_app.py"
APP_START_SCRIPT = REPO / "benchmarks" / "app_start.py"


def trust_codes(db: Path) -> list[str]:
    """The catalogue's trust codes: any of them on screen means the trusts table is drawn."""
    conn = sqlite3.connect(db)
    try:
        codes = [str(row[0]) for row in conn.execute("SELECT code FROM trust")]
    finally:
        conn.close()
    if not codes:
        raise BenchmarkError(f"{db} holds no trusts")
    return codes


def app_start_in_terminal(ctx: Context, db: Path, label: str) -> Result:
    """`workforce tui --db DB` in a pty to its trusts on screen vs the bare app to its rows."""
    ours_argv = [*ctx.workforce, "tui", "--db", str(db)]
    bare_argv = [ctx.python, str(BARE_APP)]
    codes = trust_codes(db)
    timings = time_pair(
        lambda: time_to_text(ours_argv, codes),
        lambda: time_to_text(bare_argv, BARE_CODES),
        repeats=ctx.repeats,
        warmup=ctx.warmup,
    )
    columns, lines = SIZE
    return Result(
        f"app start in a terminal ({label})",
        timings.ours_median,
        timings.baseline_median,
        APP_TERMINAL_TARGET,
        notes=[
            f"ours: workforce tui --db X in a {columns}x{lines} pty, until a trust code of the "
            "catalogue is in its output (the Network screen's trusts drawn); baseline: "
            "benchmarks/bare_app.py (Header, DataTable of 20 rows filled in on_mount, Footer) "
            "in the same pty, until one of its rows' codes is; then ctrl+q",
            timings.note(),
        ],
    )


def app_terminal(ctx: Context) -> list[Result]:
    """Whole-process app start in a pseudo-terminal vs a bare Textual app started the same way."""
    bundled = Path(shutil.copyfile(REPO / "workforce.db", ctx.scratch("bundled")))
    return [
        app_start_in_terminal(ctx, bundled, "bundled workforce.db"),
        app_start_in_terminal(ctx, ctx.loaded_catalogue(), f"{ctx.jds} JDs"),
    ]


def app_keys(ctx: Context) -> list[Result]:
    """Key press to repaint in the app at N JDs: paging, filtering and sorting (via Pilot)."""
    presses = QUICK_KEY_PRESSES if ctx.quick else KEY_PRESSES
    _, out, _ = run_measured(
        [ctx.python, "-m", "benchmarks.app_keys", str(ctx.loaded_catalogue()), str(presses)],
        timeout=600,
    )
    times: dict[str, list[float]] = json.loads(out.strip().splitlines()[-1])
    compare_rows = int(times.pop("compare_rows")[0])
    posts = int(times.pop("posts_total")[0])
    results = []
    for action, seconds in times.items():
        ms = [s * 1000 for s in seconds]
        notes = [
            f"{len(ms)} presses: " + ", ".join(f"{m:.0f}" for m in ms) + " ms",
            "from the key handed to the app until its effect is done (cursor/sort changed, or "
            "the worker's rows arrived), the screen has processed what is pending and repainted "
            "(headless, 100x30)",
        ]
        if "trust's posts" in action:
            notes.append(f"the trust with most JDs: {posts} posts after the filter; 200 a page")
        if "Compare" in action:
            notes.append(f"Compare on diagnostic-radiographer: {compare_rows} JDs in the table")
        results.append(
            Result(
                f"keys: {action} (median)",
                statistics.median(ms),
                unit="ms",
                limit=KEY_MEDIAN_MS,
                notes=notes,
            )
        )
        results.append(Result(f"keys: {action} (worst)", max(ms), unit="ms", limit=KEY_WORST_MS))
    return results


def app_memory(ctx: Context) -> list[Result]:
    """Peak RSS of the app at N JDs (first screen; after Harmonise) vs the bare Textual app."""
    db = str(ctx.loaded_catalogue())
    script = str(APP_START_SCRIPT)

    def rss(*args: str) -> float:
        return run_measured([ctx.python, script, *args], timeout=300)[2]

    bare = [rss("bare") for _ in range(ctx.repeats)]
    first = [rss("ours", db) for _ in range(ctx.repeats)]
    harmonise = [rss("harmonise", db) for _ in range(ctx.repeats)]
    bare_mb = statistics.median(bare)
    note = (
        "peak RSS (ru_maxrss, by /usr/bin/time -f %M) of benchmarks/app_start.py, headless; "
        "baseline: its bare app (Header, DataTable, Footer) to its first screen"
    )
    return [
        Result(
            f"peak RSS: app to first screen ({ctx.jds} JDs)",
            statistics.median(first),
            bare_mb,
            MEMORY_TARGET,
            unit="MB",
            notes=[note, _runs(first, bare)],
        ),
        Result(
            f"peak RSS: app after opening Harmonise ({ctx.jds} JDs)",
            statistics.median(harmonise),
            bare_mb,
            MEMORY_TARGET,
            unit="MB",
            notes=[
                "ours: the first screen, then 6 (Harmonise), every worker finished, drawn",
                _runs(harmonise, bare),
            ],
        ),
    ]


def _runs(ours: list[float], bare: list[float]) -> str:
    return (
        f"runs: ours {', '.join(f'{m:.1f}' for m in ours)} MB; "
        f"baseline {', '.join(f'{m:.1f}' for m in bare)} MB"
    )
