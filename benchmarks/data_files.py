"""The data set in the other formats `workforce import` reads: TOML, JSON and an Excel workbook.

TOML and JSON are what `workforce export jds` writes from a catalogue holding the data set (the
interchange format, which imports again unchanged). The workbook is an establishment return as
a trust's workforce team keeps it (catalogue/xlsx_sources.py reads it): a title row, a blank
row, a header row ("Trust", "Position No", "Job Title", "Band", "Funded WTE", "In Post WTE"),
then a row per post, bands written "Band 5". It holds the AfC posts only: an establishment
return on AfC has no band for a post on medical pay, and the Excel reader asks for one.
"""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.harness import BenchmarkError, Context, run_command

XLSX_HEADER = ["Trust", "Position No", "Job Title", "Band", "Funded WTE", "In Post WTE"]


def export_jds(ctx: Context, db: Path, fmt: str, path: Path) -> Path:
    """`workforce export jds --format FMT` from `db` into `path` (untimed set-up)."""
    run_command(
        [*ctx.workforce, "export", "jds", "--db", str(db), "--format", fmt, "-o", str(path)]
    )
    return path


def write_xlsx(csv_path: Path, path: Path) -> tuple[Path, int]:
    """An establishment workbook of the CSV's banded JDs; returns it and how many posts it holds."""
    from openpyxl import Workbook  # a dependency of the project (its Excel reader)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Establishment")
    sheet.append(["Imaging establishment return (ILLUSTRATIVE data)"])
    sheet.append([])
    sheet.append(XLSX_HEADER)
    posts = 0
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["band"]:
                continue
            sheet.append(
                [
                    row["trust"],
                    row["jd_ref"],
                    row["title"],
                    f"Band {row['band']}",
                    _number(row["wte_funded"]),
                    _number(row["wte_in_post"]),
                ]
            )
            posts += 1
    workbook.save(path)
    if not posts:
        raise BenchmarkError(f"{csv_path} holds no banded JDs for the workbook")
    return path, posts


def _number(text: str) -> float | None:
    return float(text) if text else None
