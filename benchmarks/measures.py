"""The measures: each times our code against a baseline in the same run, on the same data.

To add one (e.g. banding variation against a plain SQL GROUP BY, target 3x), write a function
`(Context) -> list[Result]` and append it to MEASURES; `python -m benchmarks` runs it and puts
its rows in the report. `compare_calls` times two in-process calls for analyses like that one.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import (
    REPO,
    BenchmarkError,
    Context,
    Result,
    import_jds,
    run_command,
    time_call,
    time_pair,
)

Measure = Callable[[Context], list[Result]]

# Targets from the project brief: the largest acceptable ours / baseline ratio.
IMPORT_TARGET = 3.0
APP_START_TARGET = 1.5
VARIATION_TARGET = 3.0

APP_START_SCRIPT = REPO / "benchmarks" / "app_start.py"

# Run in a fresh interpreter: the CLI's main on a listing command, then which screen libraries
# that left loaded. Printed after main's own output, on a line of its own.
CLI_MODULES_SCRIPT = """\
import contextlib, io, json, sys
from workforce_cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
loaded = {name: name in sys.modules for name in ("textual", "rich")}
print(json.dumps({"code": code, **loaded}))
"""


def import_csv(ctx: Context) -> list[Result]:
    """`workforce import` into a fresh reference-only catalogue vs `sqlite-utils insert --csv`."""
    csv_path = ctx.jds_csv()
    ctx.reference_catalogue()  # built once by `workforce init --reference-only`, before timing
    last_ours: list[Path] = []

    def ours() -> float:
        db = ctx.fresh_reference_copy()  # untimed: a copy of the reference-only catalogue
        seconds = import_jds(ctx, db)
        last_ours[:] = [db]
        return seconds

    def baseline() -> float:
        db = ctx.scratch("baseline")
        seconds, _ = run_command(
            [*ctx.sqlite_utils, "insert", str(db), "jds", str(csv_path), "--csv"]
        )
        rows = _sqlite_count(db, "jds")
        if rows != ctx.jds:
            raise BenchmarkError(f"sqlite-utils inserted {rows} rows, not {ctx.jds}")
        return seconds

    timings = time_pair(ours, baseline, repeats=ctx.repeats)
    ctx.keep_loaded(last_ours[0])
    return [
        Result(
            f"import {ctx.jds} JDs (CSV)",
            timings.ours_median,
            timings.baseline_median,
            IMPORT_TARGET,
            notes=[
                "ours: workforce import FILE.csv into a fresh `workforce init --reference-only` "
                "catalogue; baseline: sqlite-utils insert Y.db jds FILE.csv --csv into an empty "
                "file",
                timings.note(),
            ],
        )
    ]


def _sqlite_count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0])
    finally:
        conn.close()


def app_start(ctx: Context) -> list[Result]:
    """Our app's first screen with its data vs a bare Textual app's (Header, DataTable, Footer)."""
    db = ctx.loaded_catalogue()  # holds the data set's JDs; imported outside the timing
    details: dict[str, list[dict[str, float]]] = {"ours": [], "bare": []}

    def child(*args: str) -> float:
        seconds, out = run_command([ctx.python, str(APP_START_SCRIPT), *args], timeout=120)
        report = json.loads(out.strip().splitlines()[-1])
        if not report["rows"]:
            raise BenchmarkError(f"app_start.py {args[0]}: the first screen showed no rows")
        details["ours" if args[0] == "ours" else "bare"].append(report)
        return seconds

    timings = time_pair(
        lambda: child("ours", str(db)),
        lambda: child("bare"),
        repeats=ctx.repeats,
        warmup=ctx.warmup,
    )
    return [
        Result(
            "app start to first screen",
            timings.ours_median,
            timings.baseline_median,
            APP_START_TARGET,
            notes=[
                f"ours: tui.app.make_app on a catalogue of {ctx.jds} JDs, until the Network "
                "screen's worker has filled the trusts table; baseline: bare Textual App "
                "(Header, DataTable of 5 rows, Footer); both headless via run_test, whole process",
                timings.note(),
                "inside the process (median): ours "
                + _inside(details["ours"][ctx.warmup :])
                + "; bare "
                + _inside(details["bare"][ctx.warmup :]),
            ],
        )
    ]


def _inside(reports: list[dict[str, float]]) -> str:
    if not reports:
        return "-"
    imports = statistics.median(r["import_s"] for r in reports)
    runs = statistics.median(r["run_s"] for r in reports)
    return f"imports {imports:.3f} s + run to first screen {runs:.3f} s"


def cli_start(ctx: Context) -> list[Result]:
    """`workforce trusts --format json` vs a bare interpreter; and the CLI leaves Textual out."""
    db = ctx.loaded_catalogue()
    argv = ["trusts", "--db", str(db), "--format", "json"]

    def ours() -> float:
        seconds, out = run_command([*ctx.workforce, *argv])
        if not json.loads(out):
            raise BenchmarkError("workforce trusts listed no trusts")
        return seconds

    def baseline() -> float:
        return run_command([ctx.python, "-c", "import sqlite3"])[0]

    timings = time_pair(ours, baseline, repeats=ctx.repeats, warmup=ctx.warmup)
    _, out = run_command([ctx.python, "-c", CLI_MODULES_SCRIPT, *argv])
    loaded = json.loads(out.strip().splitlines()[-1])
    if loaded["code"] != 0:
        raise BenchmarkError(f"workforce_cli.main.main({argv}) returned {loaded['code']}")
    return [
        Result(
            "CLI start: workforce trusts --format json",
            timings.ours_median,
            timings.baseline_median,
            None,
            notes=[
                f"ours: workforce trusts on a catalogue of {ctx.jds} JDs; "
                'baseline: python -c "import sqlite3"',
                timings.note(),
            ],
        ),
        Result(
            "CLI main leaves textual unloaded",
            target_text="not in sys.modules",
            check=not loaded["textual"],
            notes=[
                f"after main({' '.join(argv[:1] + argv[3:])}): textual "
                f"{'LOADED' if loaded['textual'] else 'not loaded'}, rich "
                f"{'loaded' if loaded['rich'] else 'not loaded'}"
            ],
        ),
    ]


def compare_calls(
    name: str,
    ctx: Context,
    ours: Callable[[], object],
    baseline: Callable[[], object],
    target: float | None,
) -> Result:
    """Time two in-process calls (e.g. an analysis and the plain SQL it should stay near)."""
    timings = time_pair(
        lambda: time_call(ours), lambda: time_call(baseline), repeats=ctx.repeats, warmup=ctx.warmup
    )
    return Result(
        name, timings.ours_median, timings.baseline_median, target, notes=[timings.note()]
    )


VARIATION_BASELINE_SQL = "SELECT role, band, COUNT(*) FROM job_description GROUP BY role, band"


def banding_variation(ctx: Context) -> list[Result]:
    """Banding variation (roles and flags) vs a plain SQL GROUP BY role, band, in process."""
    # A second, informative row times the role statistics alone (the two GROUP BYs behind
    # the roles, without the flags), to show where the time goes.
    from catalogue.store import open_catalogue  # the project, imported only when measured
    from pathways import variation
    from pathways.records import load_roles

    db = open_catalogue(ctx.loaded_catalogue())
    try:
        report = variation.variation(db)  # untimed: checks it did its job, sizes the notes
        if not report.roles:
            raise BenchmarkError("variation found no roles in the loaded catalogue")

        def baseline() -> object:
            return db.execute(VARIATION_BASELINE_SQL).fetchall()

        full = compare_calls(
            "banding variation (roles and flags)",
            ctx,
            lambda: variation.variation(db),
            baseline,
            target=VARIATION_TARGET,
        )
        full.notes.insert(
            0,
            f"ours: pathways.variation.variation(db) over {ctx.jds} JDs: {len(report.roles)} "
            f"roles, {len(report.flags)} flags; baseline: {VARIATION_BASELINE_SQL}",
        )
        stats = compare_calls(
            "banding variation: role statistics only",
            ctx,
            lambda: variation.load_role_stats(db, load_roles(db)),
            baseline,
            target=None,
        )
        stats.notes.insert(
            0,
            "ours: pathways.variation.load_role_stats (GROUP BY role, band and GROUP BY "
            "title, role); baseline: the same GROUP BY role, band",
        )
        return [full, stats]
    finally:
        db.close()


# The suite, in report order. A later analysis is one more function here (see
# banding_variation, which times an in-process analysis with compare_calls).
MEASURES: list[Measure] = [import_csv, app_start, cli_start, banding_variation]
