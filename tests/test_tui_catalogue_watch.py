"""The open app notices a change another program makes to its catalogue (an import in another
terminal) and shows it, keeping what the user was doing; its own changes are not taken for
another program's."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.factories import jd, make_catalogue
from tests.test_tui import settle, static_text
from tui.app import WorkforceApp, make_app
from tui.background import catalogue_in_thread
from tui.screens.trust_posts import TrustPostsScreen
from tui.widgets.tables import RowTable

HEADER = "trust,jd_ref,title,band,wte_funded,wte_in_post\r\n"


@pytest.fixture(autouse=True)
def _look_often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WorkforceApp, "CATALOGUE_WATCH_SECONDS", 0.1)


def _import_elsewhere(db: Path, tmp_path: Path, rows: str) -> None:
    """`workforce import` in a process of its own, as in another terminal."""
    source = tmp_path / "elsewhere.csv"
    source.write_text(HEADER + rows, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "workforce_cli.main", "import", str(source), "--db", str(db)],
        check=True,
        capture_output=True,
    )


async def _until(pilot, done, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        await settle(pilot)
        if done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the app did not show the change")


def _catalogue(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "XR-1", "diagnostic-radiographer", "5"),
            jd("RRK", "XR-2", "diagnostic-radiographer", "5"),
            jd("RRK", "XR-3", "diagnostic-radiographer", "6"),
            jd("RL4", "XR-9", "diagnostic-radiographer", "5"),
        ],
    )


def _notices(app: WorkforceApp) -> list[str]:
    return [notice.message for notice in app._notifications]


async def test_an_import_in_another_terminal_shows_on_the_network_screen_in_place(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _catalogue(reference_db, tmp_path)
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        label = app.screen.query_one("#catalogue-label", Static)
        assert "4 JDs" in static_text(label)
        trusts = app.screen.query_one("#trusts", RowTable)
        assert trusts.move_to_key("RL4")
        _import_elsewhere(path, tmp_path, "RRK,XR-4,Radiographer,5,1,1\r\nRRK,XR-5,Rad,5,1,1\r\n")
        await _until(pilot, lambda: "6 JDs" in static_text(label))
        assert trusts.highlighted_key() == "RL4"  # where the user was
        assert any("Another program changed the catalogue" in n for n in _notices(app))


async def test_a_trusts_post_list_reads_again_keeping_its_cursor(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _catalogue(reference_db, tmp_path)
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#trusts", RowTable).move_to_key("RRK")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrustPostsScreen)
        posts = app.screen.query_one("#posts", RowTable)
        await pilot.press("down")
        kept = posts.highlighted_key()
        assert kept is not None and posts.cursor_row == 1
        _import_elsewhere(path, tmp_path, "RRK,XR-0,Reporting Radiographer,7,1,0\r\n")
        await _until(pilot, lambda: posts.row_count == 4)
        assert posts.highlighted_key() == kept


async def test_the_apps_own_writes_are_not_taken_for_another_programs(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _catalogue(reference_db, tmp_path)
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)

        def write() -> None:  # as any screen's worker writes: through catalogue_in_thread
            with catalogue_in_thread(path) as db:
                db.execute("UPDATE job_description SET title = 'Radiographer (A&E)'")
                db.conn.commit()

        await asyncio.to_thread(write)
        for _ in range(6):  # several looks at the file
            await asyncio.sleep(0.1)
            await settle(pilot)
        assert not any("Another program" in n for n in _notices(app))
        # ... while another program's change after it still is noticed.
        _import_elsewhere(path, tmp_path, "RL4,XR-8,Radiographer,5,1,1\r\n")
        label = app.screen.query_one("#catalogue-label", Static)
        await _until(pilot, lambda: "5 JDs" in static_text(label))
