"""Growth: how times grow with the catalogue, at 6,000, 60,000 and 600,000 JDs (`--growth`).

At each size, on the project's illustrative JDs: `workforce import` of the JDs as CSV, TOML,
JSON and an Excel establishment workbook (each into a fresh reference-only catalogue);
`workforce variation --format json`, `workforce harmonise --role R --band B --format json` and
`workforce path FROM TO --format json` on the CSV-loaded catalogue; and the app's start in a
pseudo-terminal to its trusts on screen (as `app_terminal`). Each is a whole process, the median
of up to GROWTH_REPEATS runs, after one untimed run of each at the smallest size.

A row of the report is one step (e.g. 6,000 -> 60,000): ours is the time at the larger size,
baseline the time at the smaller, and the ratio the growth factor. The rows grow tenfold a step,
so import, variation and harmonise should grow no faster (factor <= 12), and app start and path,
which do not read every JD, should not grow (factor <= 1.5).
"""

from __future__ import annotations

import shutil
import statistics
from collections.abc import Callable
from pathlib import Path

from benchmarks.app_measures import trust_codes
from benchmarks.cli_commands import HARMONISE_BAND, ROLE, TARGET_ROLE
from benchmarks.data_files import export_jds, write_xlsx
from benchmarks.harness import Context, Result, import_file, run_command, write_jds_csv
from benchmarks.terminal import time_to_text

GROWTH_SIZES = (6_000, 60_000, 600_000)
QUICK_GROWTH_SIZES = (500, 5_000, 50_000)
GROWTH_REPEATS = 3
ROWS_TARGET = 12.0  # per tenfold step: no faster than the rows
FLAT_TARGET = 1.5  # per tenfold step: should not grow

# Metric -> its target per step.
METRICS: dict[str, float] = {
    "import CSV": ROWS_TARGET,
    "import TOML": ROWS_TARGET,
    "import JSON": ROWS_TARGET,
    "import Excel": ROWS_TARGET,
    "variation --format json": ROWS_TARGET,
    "harmonise": ROWS_TARGET,
    "path": FLAT_TARGET,
    "app start (terminal)": FLAT_TARGET,
}


def growth(ctx: Context) -> list[Result]:
    """Import (CSV, TOML, JSON, Excel), variation, harmonise, path and app start by JD count."""
    sizes = ctx.growth_sizes or (QUICK_GROWTH_SIZES if ctx.quick else GROWTH_SIZES)
    repeats = min(ctx.repeats, GROWTH_REPEATS)
    table: dict[str, dict[int, float]] = {metric: {} for metric in METRICS}
    notes: list[str] = []
    for index, size in enumerate(sizes):
        warmup = ctx.warmup if index == 0 else 0
        for metric, seconds in _at_size(ctx, size, repeats, warmup, notes).items():
            table[metric][size] = seconds
        print(f"    {size} JDs done", flush=True)
    results = []
    for metric, target in METRICS.items():
        for small, large in zip(sizes, sizes[1:], strict=False):
            results.append(
                Result(
                    f"growth: {metric} {small}->{large} JDs",
                    table[metric][large],
                    table[metric][small],
                    target,
                )
            )
    results[0].notes = [*format_growth(table, sizes), *notes]
    return results


def _at_size(
    ctx: Context, size: int, repeats: int, warmup: int, notes: list[str]
) -> dict[str, float]:
    folder = ctx.work / f"growth-{size}"
    folder.mkdir()
    try:
        csv_path = write_jds_csv(folder / "jds.csv", size)
        loaded = folder / "loaded.db"
        shutil.copyfile(ctx.reference_catalogue(), loaded)
        import_file(ctx, csv_path, loaded, size)  # untimed: the catalogue the commands read
        toml_path = export_jds(ctx, loaded, "toml", folder / "jds.toml")
        json_path = export_jds(ctx, loaded, "json", folder / "jds.json")
        xlsx_path, posts = write_xlsx(csv_path, folder / "jds.xlsx")
        notes.append(f"{size} JDs: the workbook holds the {posts} AfC posts (no medical)")

        def importing(path: Path, expected: int) -> Callable[[], float]:
            def run() -> float:
                db = Path(shutil.copyfile(ctx.reference_catalogue(), folder / "import.db"))
                try:
                    return import_file(ctx, path, db, expected)[0]
                finally:
                    db.unlink()

            return run

        def command(*argv: str) -> Callable[[], float]:
            return lambda: run_command(
                [*ctx.workforce, *argv, "--db", str(loaded), "--format", "json"], timeout=1800
            )[0]

        codes = trust_codes(loaded)
        tui = [*ctx.workforce, "tui", "--db", str(loaded)]
        steps: dict[str, Callable[[], float]] = {
            "import CSV": importing(csv_path, size),
            "import TOML": importing(toml_path, size),
            "import JSON": importing(json_path, size),
            "import Excel": importing(xlsx_path, posts),
            "variation --format json": command("variation"),
            "harmonise": command("harmonise", "--role", ROLE, "--band", HARMONISE_BAND),
            "path": command("path", ROLE, TARGET_ROLE),
            "app start (terminal)": lambda: time_to_text(tui, codes, timeout=600),
        }
        found = {}
        for metric, step in steps.items():
            for _ in range(warmup):
                step()
            found[metric] = statistics.median(step() for _ in range(repeats))
        return found
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def format_growth(table: dict[str, dict[int, float]], sizes: tuple[int, ...]) -> list[str]:
    """The small growth table: seconds at each size and the factor of each step."""
    header = ["measure", *(f"{size} JDs" for size in sizes)]
    header += [f"x{a}->{b}" for a, b in zip(sizes, sizes[1:], strict=False)]
    rows = [header]
    for metric, by_size in table.items():
        times = [by_size[size] for size in sizes]
        factors = [b / a if a > 0 else float("nan") for a, b in zip(times, times[1:], strict=False)]
        rows.append([metric, *(f"{t:.3f} s" for t in times), *(f"{f:.2f}x" for f in factors)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
