"""The child process of the app-start measure: start an app headless, exit at its first screen.

    python benchmarks/app_start.py ours CATALOGUE.db   # our app: Network screen with its data
    python benchmarks/app_start.py bare                # bare Textual: Header, DataTable, Footer
    python benchmarks/app_start.py harmonise CATALOGUE.db  # ours, then the Harmonise screen

`harmonise` (for the memory measure) goes on from the first screen: presses 6 for the
Harmonise screen and waits until every worker has finished and the screen is drawn.

Both are driven the same way: imported, built and run with `App.run_test` (headless, the same
size), then `_first_screen` watches until the screen's table holds its rows (and, for ours, the
header knows whether the JDs are illustrative), lets the screen draw, and the process exits.
It prints one JSON line: the rows shown and the seconds spent importing and running (the
parent times the whole process from outside).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

START = time.perf_counter()
SIZE = (100, 30)
TIMEOUT = 60.0
HARMONISE_KEY = "6"  # opens the Harmonise screen from anywhere (tui/screens/registry.py)
POLL = 0.002  # seconds between looks at the screen while it starts

# A few rows shaped like the Network screen's (ICB, ODS code, trust, JD count).
BARE_COLUMNS = ("ICB", "ODS", "Trust", "JDs")
BARE_ROWS = [
    ("QHL", "RRK", "University Hospitals Birmingham NHS Foundation Trust", "9000"),
    ("QHL", "RQ3", "Birmingham Women's and Children's NHS Foundation Trust", "800"),
    ("QJ2", "RNA", "The Dudley Group NHS Foundation Trust", "3500"),
    ("QUA", "RKB", "University Hospitals Coventry and Warwickshire NHS Trust", "6000"),
    ("QNC", "RJE", "University Hospitals of North Midlands NHS Trust", "6500"),
]


async def _first_screen(
    app: App[None], table_id: str, ready: Callable[[], bool], then: str = ""
) -> int:
    """Run `app` headless until its current screen's table is filled and `ready()` holds, then
    until the screen has processed what that sent and been drawn; return the table's rows.

    It polls rather than waiting for every worker to finish: work a screen defers until after
    its first frame (the Network screen's summary) is not part of that frame, and whether it
    had started by the time the table filled would otherwise decide what was timed."""
    from textual.widgets import DataTable

    async with app.run_test(size=SIZE) as pilot:
        deadline = time.perf_counter() + TIMEOUT
        while not _filled(app, table_id) or not ready():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no filled {table_id} table after {TIMEOUT:g} s")
            await asyncio.sleep(POLL)
        await pilot._wait_for_screen()  # the messages the fill sent, processed
        app.screen._on_timer_update()  # and the screen drawn (as Pilot.pause does)
        rows = app.screen.query_one(table_id, DataTable).row_count
        if then:
            await pilot.press(then)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            if type(app.screen).__name__ != "HarmoniseScreen":
                raise RuntimeError(f"{then!r} opened {type(app.screen).__name__}, not Harmonise")
        return rows


def _filled(app: App[None], table_id: str) -> bool:
    from textual.widgets import DataTable

    tables = app.screen.query(table_id)
    if not tables:
        return False
    table = tables.first(DataTable)
    return not table.loading and table.row_count > 0


async def ours(db_path: Path, then: str = "") -> tuple[int, float]:
    from tui.app import make_app

    imported = time.perf_counter()
    app = make_app(db_path)
    # The first screen shows the trusts and, in the header, whether its JDs are illustrative.
    rows = await _first_screen(app, "#trusts", lambda: app.illustrative_jds is not None, then)
    return rows, imported


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
    return await _first_screen(BareApp(), "#table", lambda: True), imported


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["ours"] and len(argv) == 2:
        rows, imported = asyncio.run(ours(Path(argv[1])))
    elif argv[:1] == ["harmonise"] and len(argv) == 2:
        rows, imported = asyncio.run(ours(Path(argv[1]), then=HARMONISE_KEY))
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
