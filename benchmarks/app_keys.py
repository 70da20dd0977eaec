"""The child process of the keypress measure: press keys in our app and time each to repaint.

    python -m benchmarks.app_keys CATALOGUE.db PRESSES

Headless (`App.run_test`, 100x30), on the catalogue of the N JDs. For each action it presses a
key PRESSES times and prints one JSON line: {action: [seconds per press, ...]}.

What one press's time is: from just before the key event is handed to the app's driver (as
`Pilot.press` does, but without the idle waits `Pilot.press` adds, which sleep at least 40 ms)
until (1) what the key asked for is done: the table's cursor or sort has changed, or, for a key
that reads the catalogue in a worker, that worker's rows have arrived at the screen (seen by
the run's message hook) and (2) the screen has processed every message then pending
(`Pilot._wait_for_screen`) and (3) run its repaint (`Screen._on_timer_update`, as
`Pilot.pause` ends): layout and compositing of the new frame, written to the headless driver.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual import events
from textual.message import Message
from textual.pilot import Pilot

from benchmarks.app_start import SIZE, TIMEOUT, _filled

POLL = 0.001
FILTER_TEXT = "radiographer"  # typed a key at a time into a filter
COMPARED_ROLE = "diagnostic-radiographer"  # a role with thousands of JDs at 60,000

Done = Callable[[], bool]


class Seen:
    """The messages dispatched in the app since `clear` (the run's message hook)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def has(self, name: str, **fields: Any) -> bool:
        return any(
            type(m).__name__ == name and all(getattr(m, k, None) == v for k, v in fields.items())
            for m in self.messages
        )


async def press(pilot: Pilot[None], seen: Seen, key: str, done: Done) -> float:
    """Seconds from sending `key` until `done()` holds and the screen has caught up and
    repainted (see the module's docstring)."""
    app = pilot.app
    char = {"slash": "/", "space": " "}.get(key, key if len(key) == 1 else None)
    seen.messages.clear()
    start = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(events.Key(key, char))
    deadline = start + TIMEOUT
    while True:
        await pilot._wait_for_screen()
        if done():
            break
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{key!r} did not finish within {TIMEOUT:g} s")
        await asyncio.sleep(POLL)
    await pilot._wait_for_screen()
    app.screen._on_timer_update()
    return time.perf_counter() - start


def changed(read: Callable[[], object]) -> Done:
    """Done once `read()` differs from what it gives now (a cursor, a sort)."""
    before = read()
    return lambda: read() != before


def arrived(seen: Seen, **fields: Any) -> Done:
    """Done once a worker's PostsLoaded with these fields has been dispatched."""
    return lambda: seen.has("PostsLoaded", **fields)


def page_key(table: Any) -> str:
    """pagedown, or pageup once the cursor is on the last row (a table shorter than the
    presses): either moves the cursor a screenful and scrolls."""
    return "pageup" if table.cursor_row >= table.row_count - 1 else "pagedown"


async def until(pilot: Pilot[None], ready: Done) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not get ready")
        await asyncio.sleep(0.005)
    await pilot.pause()


def biggest_trust(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT trust FROM job_description GROUP BY trust ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])


async def run(db_path: Path, presses: int) -> dict[str, list[float]]:
    from textual.widgets import Input

    from tui.app import make_app
    from tui.screens.registry import screen_entry
    from tui.widgets.filter_table import FilterTable
    from tui.widgets.tables import RowTable

    trust = biggest_trust(db_path)
    times: dict[str, list[float]] = {}
    seen = Seen()
    app = make_app(db_path)
    async with app.run_test(size=SIZE, message_hook=seen) as pilot:
        await until(pilot, lambda: _filled(app, "#trusts"))

        # Sorting: `s` on the Network screen's trusts, the largest table that sorts.
        trusts = app.screen.query_one(FilterTable)
        trusts.table.focus()
        await pilot.pause()
        times["sort: s on the Network trusts"] = []
        for _ in range(presses):
            times["sort: s on the Network trusts"].append(
                await press(
                    pilot,
                    seen,
                    "s",
                    changed(lambda: (trusts.sort_column, trusts.sort_reverse)),
                )
            )

        # A trust's posts: the biggest trust, pages of 200 read from the catalogue.
        app.screen.open_posts(trust)  # type: ignore[attr-defined]
        await until(pilot, lambda: _posts_ready(app))
        posts = app.screen
        table = posts.query_one("#posts", RowTable)
        times["paging: pagedown/pageup in a trust's posts"] = []
        for _ in range(presses):
            times["paging: pagedown/pageup in a trust's posts"].append(
                await press(pilot, seen, page_key(table), changed(lambda: table.cursor_row))
            )
        if (posts.total or 0) > 200:  # type: ignore[attr-defined]
            times["paging: n/p, next/previous page of posts"] = []
            for index in range(presses):
                key, offset = ("n", 200) if index % 2 == 0 else ("p", 0)
                times["paging: n/p, next/previous page of posts"].append(
                    await press(pilot, seen, key, arrived(seen, offset=offset))
                )
        # Filtering: `/`, then the text a key at a time; each key reads the matching posts.
        await press(pilot, seen, "slash", lambda: posts.query_one("#posts-filter", Input).has_focus)
        times["filter: typing in a trust's posts"] = []
        for length in range(1, min(presses, len(FILTER_TEXT)) + 1):
            text = FILTER_TEXT[:length]
            times["filter: typing in a trust's posts"].append(
                await press(pilot, seen, text[-1], arrived(seen, text=text))
            )

        # Compare: one role's JDs across the network, the largest table (all in memory).
        compare_class = screen_entry("compare").load()
        app.push_screen(compare_class(db_path, role=COMPARED_ROLE))
        await until(pilot, lambda: _compare_ready(app))
        jds = app.screen.query_one("#compare-jds", RowTable)
        jds.focus()
        await pilot.pause()
        times["paging: pagedown/pageup in Compare's JDs"] = []
        for _ in range(presses):
            times["paging: pagedown/pageup in Compare's JDs"].append(
                await press(pilot, seen, page_key(jds), changed(lambda: jds.cursor_row))
            )
        times["compare_rows"] = [float(jds.row_count)]
        times["posts_total"] = [float(posts.total or 0)]  # type: ignore[attr-defined]
    return times


def _posts_ready(app: Any) -> bool:
    screen = app.screen
    if type(screen).__name__ != "TrustPostsScreen" or not screen.query("#posts-body"):
        return False  # not yet mounted
    return not screen.query_one("#posts-body").loading and screen.total is not None


def _compare_ready(app: Any) -> bool:
    screen = app.screen
    return type(screen).__name__ == "CompareScreen" and screen.comparison is not None


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    times = asyncio.run(run(Path(argv[0]), int(argv[1])))
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
