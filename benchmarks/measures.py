"""The measures: each times our code against a baseline in the same run, on the same data.

To add one (e.g. banding variation against a plain SQL GROUP BY, target 3x), write a function
`(Context) -> list[Result]` and append it to MEASURES; `python -m benchmarks` runs it and puts
its rows in the report. `compare_calls` times two in-process calls for analyses like that one.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
from collections.abc import Callable
from pathlib import Path

from benchmarks.app_measures import app_keys, app_memory, app_terminal
from benchmarks.cli_commands import cli_commands
from benchmarks.data_files import export_jds
from benchmarks.growth import growth
from benchmarks.harness import (
    REPO,
    BenchmarkError,
    Context,
    Result,
    import_file,
    run_command,
    run_measured,
    time_call,
    time_pair,
)

Measure = Callable[[Context], list[Result]]

# Targets from the project brief: the largest acceptable ours / baseline ratio.
IMPORT_TARGET = 3.0
IMPORT_MEMORY_TARGET = 2.0
FORMAT_TARGET = 3.0  # TOML or JSON import against the same JDs' CSV import
APP_START_TARGET = 1.3  # issue 13: the first useful screen within 1.3x the bare app
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
    rss: dict[str, list[float]] = {"ours": [], "baseline": []}

    def ours() -> float:
        db = ctx.fresh_reference_copy()  # untimed: a copy of the reference-only catalogue
        seconds, peak = import_file(ctx, csv_path, db, ctx.jds)
        rss["ours"].append(peak)
        last_ours[:] = [db]
        return seconds

    def baseline() -> float:
        db = ctx.scratch("baseline")
        seconds, _, peak = run_measured(
            [*ctx.sqlite_utils, "insert", str(db), "jds", str(csv_path), "--csv"]
        )
        rows = _sqlite_count(db, "jds")
        if rows != ctx.jds:
            raise BenchmarkError(f"sqlite-utils inserted {rows} rows, not {ctx.jds}")
        rss["baseline"].append(peak)
        return seconds

    timings = time_pair(ours, baseline, repeats=ctx.repeats, warmup=ctx.warmup)
    ctx.keep_loaded(last_ours[0])
    ours_rss, base_rss = rss["ours"][ctx.warmup :], rss["baseline"][ctx.warmup :]
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
        ),
        Result(
            f"peak RSS: import {ctx.jds} JDs (CSV)",
            statistics.median(ours_rss),
            statistics.median(base_rss),
            IMPORT_MEMORY_TARGET,
            unit="MB",
            notes=[
                "the same runs' peak RSS (ru_maxrss, by /usr/bin/time -f %M): ours "
                + ", ".join(f"{m:.1f}" for m in ours_rss)
                + " MB; baseline "
                + ", ".join(f"{m:.1f}" for m in base_rss)
                + " MB"
            ],
        ),
    ]


def import_formats(ctx: Context) -> list[Result]:
    """`workforce import` of the data set as TOML and as JSON vs the same JDs as CSV."""
    csv_path = ctx.jds_csv()
    loaded = ctx.loaded_catalogue()
    results = []
    for fmt in ("toml", "json"):
        path = export_jds(ctx, loaded, fmt, ctx.scratch(f"jds-{ctx.jds}", f".{fmt}"))
        timings = time_pair(
            _importing(ctx, path),
            _importing(ctx, csv_path),
            repeats=ctx.repeats,
            warmup=ctx.warmup,
        )
        size = path.stat().st_size / 1e6
        results.append(
            Result(
                f"import {ctx.jds} JDs as {fmt.upper()} vs as CSV",
                timings.ours_median,
                timings.baseline_median,
                FORMAT_TARGET,
                notes=[
                    f"ours: workforce import FILE.{fmt} ({size:.1f} MB, written by workforce "
                    "export jds from the loaded catalogue); baseline: workforce import "
                    f"FILE.csv ({csv_path.stat().st_size / 1e6:.1f} MB), the same JDs; each "
                    "into a fresh reference-only catalogue",
                    timings.note(),
                ],
            )
        )
    return results


def _importing(ctx: Context, path: Path) -> Callable[[], float]:
    """A timed step: import `path` into a fresh reference-only catalogue."""
    return lambda: import_file(ctx, path, ctx.fresh_reference_copy(), ctx.jds)[0]


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
VARIATION_PAGE = 50  # flags on the first page, as a screen would show them


def banding_variation(ctx: Context) -> list[Result]:
    """Banding variation against a plain SQL GROUP BY role, band, in process.

    Rows: the summary a lead reads first (target 3x); the first page of flags from scratch
    (target 3x); every flag listed, and the whole report as `workforce variation --format json`
    builds it (informative: they fetch thousands of rows, which no GROUP BY does).
    """
    from catalogue.store import open_catalogue  # the project, imported only when measured
    from pathways import variation

    path = ctx.loaded_catalogue()
    db = open_catalogue(path)
    try:
        # Untimed: check that each side did its job, and size the notes.
        summary = variation.variation_summary(db)
        every = list(variation.list_flags(db, summary.rules))
        if not every:
            raise BenchmarkError("variation found no flags in the loaded catalogue")
        if summary.flags.total.flags != len(every):
            raise BenchmarkError(
                f"the summary counts {summary.flags.total.flags} flags; the list has {len(every)}"
            )
        page = list(variation.list_flags(db, variation.load_flag_rules(db), limit=VARIATION_PAGE))
        if page != every[:VARIATION_PAGE]:
            raise BenchmarkError("the first page of flags is not the head of the full list")

        def baseline() -> object:
            return db.execute(VARIATION_BASELINE_SQL).fetchall()

        def first_page() -> object:
            rules = variation.load_flag_rules(db)
            return list(variation.list_flags(db, rules, limit=VARIATION_PAGE))

        def all_flags() -> object:
            return list(variation.list_flags(db, variation.load_flag_rules(db)))

        summary_row = compare_calls(
            "variation summary (role stats + flag counts)",
            ctx,
            lambda: variation.variation_summary(db),
            baseline,
            target=VARIATION_TARGET,
        )
        summary_row.notes[:0] = [
            f"ours: pathways.variation.variation_summary(db) over {ctx.jds} JDs: "
            f"{len(summary.roles)} roles, {summary.flags.total.flags} flags counted by "
            f"severity and reason, none fetched; baseline: {VARIATION_BASELINE_SQL}",
            _narrow_index_note(ctx, path, summary_row),
        ]
        page_row = compare_calls(
            f"variation: first page of {VARIATION_PAGE} flags",
            ctx,
            first_page,
            baseline,
            target=VARIATION_TARGET,
        )
        further = _median_call(
            ctx, lambda: list(variation.list_flags(db, summary.rules, limit=VARIATION_PAGE))
        )
        page_row.notes[:0] = [
            "ours: from scratch, load_flag_rules(db) (a GROUP BY role, band) then "
            f"list_flags(db, rules, limit={VARIATION_PAGE}); baseline: the same GROUP BY",
            f"a further page with the summary's rules in hand (as a screen pages): "
            f"{further * 1000:.1f} ms median",
        ]
        every_row = compare_calls(
            f"variation: every flag listed ({len(every)} rows)",
            ctx,
            all_flags,
            baseline,
            target=None,
        )
        every_row.notes.insert(
            0,
            "ours: load_flag_rules(db), then every flag from list_flags, in order, each row "
            "read from the table for its title; baseline: the same GROUP BY",
        )
        report_row = compare_calls(
            "variation: whole report (summary + every flag)",
            ctx,
            lambda: variation.variation(db),
            baseline,
            target=None,
        )
        report_row.notes.insert(
            0,
            "ours: pathways.variation.variation(db), what `workforce variation --format json` "
            "computes (it streams the flags rather than holding them); baseline: the same "
            "GROUP BY",
        )
        return [summary_row, page_row, every_row, report_row]
    finally:
        db.close()


def _median_call(ctx: Context, call: Callable[[], object]) -> float:
    for _ in range(ctx.warmup):
        call()
    return statistics.median(time_call(call) for _ in range(ctx.repeats))


def _narrow_index_note(ctx: Context, path: Path, summary_row: Result) -> str:
    """The baseline on a copy whose (role, band) index is narrow, as before it was widened.

    The variation indexes widen the one the baseline GROUP BY reads, which could slow the
    baseline and flatter the ratio; this says by how much, on a scratch copy.
    """
    copy = Path(shutil.copyfile(path, ctx.scratch("narrow-index")))
    conn = sqlite3.connect(copy)
    try:
        conn.execute("DROP INDEX job_description_role_band")
        conn.execute("CREATE INDEX job_description_role_band ON job_description(role, band)")
        conn.commit()
        narrow = _median_call(ctx, lambda: conn.execute(VARIATION_BASELINE_SQL).fetchall())
    finally:
        conn.close()
        copy.unlink()
    ours = summary_row.ours or 0.0
    return (
        f"the same GROUP BY on a narrow (role, band) index, as before it was widened: "
        f"{narrow:.4f} s (here {summary_row.baseline or 0.0:.4f} s); the summary is "
        f"{ours / narrow:.2f}x that"
    )


# The suite, in report order. A later analysis is one more function here (see
# banding_variation, which times an in-process analysis with compare_calls).
MEASURES: list[Measure] = [
    import_csv,
    import_formats,
    app_start,
    app_terminal,
    app_keys,
    app_memory,
    cli_start,
    cli_commands,
    banding_variation,
    growth,
]

# Slow measures, run only when asked for (`--growth`, or `--only growth`).
OPTIONAL = {"growth"}
