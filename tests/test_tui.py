"""The app, driven as a person would: keys pressed, what is shown asserted."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tui.app import make_app
from tui.screens.help import HelpScreen
from tui.screens.network import NetworkScreen

REPO = Path(__file__).resolve().parent.parent


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the screen's workers to finish and the results to be drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_network_screen_lists_every_trust_and_says_jds_are_illustrative(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        table = app.screen.query_one("#trusts", DataTable)
        assert table.row_count == 15
        codes = {str(table.get_row(key)[1]) for key in table.rows}
        assert {"RRK", "RJE", "RQ3"} <= codes
        warning = str(app.screen.query_one("#illustrative-warning", Static).render())
        assert "ILLUSTRATIVE" in warning
        label = str(app.screen.query_one("#catalogue-label", Static).render())
        assert "15 trusts" in label


async def test_no_illustrative_warning_on_a_catalogue_of_real_imports(reference_db: Path) -> None:
    app = make_app(reference_db)
    async with app.run_test() as pilot:
        await settle(pilot)
        warning = str(app.screen.query_one("#illustrative-warning", Static).render())
        assert "ILLUSTRATIVE" not in warning
        assert "0 JDs" in str(app.screen.query_one("#catalogue-label", Static).render())


async def test_question_mark_opens_help_and_escape_closes_it(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "illustrative" in app.screen.markdown
        await pilot.press("escape")
        assert isinstance(app.screen, NetworkScreen)


def test_network_screen_snapshot(snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A relative path keeps the screen (which names the catalogue) the same on every machine.
    monkeypatch.chdir(REPO)

    async def loaded(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(Path("workforce.db")), terminal_size=(100, 30), run_before=loaded)
