"""The child process of the app-start measure: start an app headless, exit at its first screen.

    python benchmarks/app_start.py ours CATALOGUE.db   # our app: Network screen with its data
    python benchmarks/app_start.py bare                # bare Textual: Header, DataTable, Footer

Both are driven the same way: imported, built and run with `App.run_test` (headless, the same
size), then `_first_screen` waits until the workers are done and the screen's table holds its
rows and has been refreshed, and the process exits. It prints one JSON line: the rows shown and
the seconds spent importing and running (the parent times the whole process from outside).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

START = time.perf_counter()
SIZE = (100, 30)
TIMEOUT = 60.0

# A few rows shaped like the Network screen's (ICB, ODS code, trust, JD count).
BARE_COLUMNS = ("ICB", "ODS", "Trust", "JDs")
BARE_ROWS = [
    ("QHL", "RRK", "University Hospitals Birmingham NHS Foundation Trust", "9000"),
    ("QHL", "RQ3", "Birmingham Women's and Children's NHS Foundation Trust", "800"),
    ("QJ2", "RNA", "The Dudley Group NHS Foundation Trust", "3500"),
    ("QUA", "RKB", "University Hospitals Coventry and Warwickshire NHS Trust", "6000"),
    ("QNC", "RJE", "University Hospitals of North Midlands NHS Trust", "6500"),
]


async def _first_screen(app: App[None], table_id: str) -> int:
    """Run `app` headless until its current screen's table is filled; return its row count."""
    from textual.widgets import DataTable

    async with app.run_test(size=SIZE) as pilot:
        deadline = time.perf_counter() + TIMEOUT
        while True:
            await app.workers.wait_for_complete()
            await pilot.pause()  # let the screen process what the workers sent, and refresh
            tables = app.screen.query(table_id)
            if tables:
                table = tables.first(DataTable)
                if not table.loading and table.row_count:
                    return table.row_count
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no filled {table_id} table after {TIMEOUT:g} s")


async def ours(db_path: Path) -> tuple[int, float]:
    from tui.app import make_app

    imported = time.perf_counter()
    return await _first_screen(make_app(db_path), "#trusts"), imported


async def bare() -> tuple[int, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(id="table")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one("#table", DataTable)
            table.add_columns(*BARE_COLUMNS)
            table.add_rows(BARE_ROWS)

    imported = time.perf_counter()
    return await _first_screen(BareApp(), "#table"), imported


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["ours"] and len(argv) == 2:
        rows, imported = asyncio.run(ours(Path(argv[1])))
    elif list(argv) == ["bare"]:
        rows, imported = asyncio.run(bare())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    done = time.perf_counter()
    report = {"rows": rows, "import_s": imported - START, "run_s": done - imported}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
