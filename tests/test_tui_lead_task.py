"""A workforce lead's real task, end to end in the app: import a file of JDs, find the outliers,
set a target band, read the cost, save the scenario, write the board report, read the report."""

from __future__ import annotations

import shutil
from pathlib import Path

from catalogue.scenarios import list_scenarios
from catalogue.store import open_catalogue
from tests.test_tui import settle, type_text
from tests.test_tui_harmonise import ISW, _bar, _choose, _money, _plan, _to_flag_of
from tests.test_tui_import import check_path, verdict, write_csv
from tui.app import WorkforceApp, make_app
from tui.screens.harmonise import HarmoniseScreen
from tui.widgets.dialogs import NameDialog

# Two support-worker posts a trust sends in at Band 2, where most of the network uses Band 3.
NEW_POSTS = (
    "RRK,LEAD-ISW-1,Imaging Assistant (Band 2),imaging-support-worker,Band 2,6,5.5,,,",
    "RRK,LEAD-ISW-2,X-Ray Department Assistant,imaging-support-worker,B2,3,3,,,",
)


async def test_import_then_harmonise_then_report(catalogue_copy: Path, tmp_path: Path) -> None:
    before_import = shutil.copy(catalogue_copy, tmp_path / "before.db")
    source = write_csv(tmp_path / "rrk-support-workers.csv", *NEW_POSTS)
    report = tmp_path / "board.md"

    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # 1. Import: the dry run says what it would add; Enter confirms.
        await check_path(pilot, source)
        assert "2 added, 0 updated, 0 unchanged" in verdict(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported" in verdict(app)

        # 2. Harmonise: the support workers' flags are there; target Band 3.
        await pilot.press("escape")
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)
        await _to_flag_of(pilot, ISW)
        await pilot.press("b")
        await _choose(pilot, "3")

        # 3. The cost shown is the plan's on the catalogue as imported, and the new posts count.
        expected = _money(_plan(catalogue_copy, [(ISW, "3")]))
        assert expected != _money(_plan(Path(before_import), [(ISW, "3")]))
        assert expected in _bar(app)

        # 4. Save the scenario by name.
        await pilot.press("s")
        assert isinstance(app.screen, NameDialog)
        await type_text(pilot, "Support workers to 3")
        await pilot.press("enter")
        await settle(pilot)
        assert "Support workers to 3" in _bar(app)

        # 5. Write the board report.
        await pilot.press("w")
        assert isinstance(app.screen, NameDialog)
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, str(report))
        await pilot.press("enter")
        await settle(pilot)

    db = open_catalogue(catalogue_copy)
    try:
        saved = {s.name: s for s in list_scenarios(db)}
    finally:
        db.close()
    assert [(t.role, t.band) for t in saved["Support workers to 3"].targets] == [(ISW, "3")]
    text = report.read_text(encoding="utf-8")
    assert f"**Annual cost:** {expected}" in text
    assert "Support workers to 3" in text
    assert "ILLUSTRATIVE" in text.upper()


async def test_an_unsaved_draft_survives_an_import_on_another_screen(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    """The lead sets a target, then imports more JDs before saving: the target is kept, and
    the cost and the flags shown are the catalogue's as it is after the import."""
    before_import = shutil.copy(catalogue_copy, tmp_path / "before.db")
    source = write_csv(tmp_path / "rrk-support-workers.csv", *NEW_POSTS)

    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("b")
        await _choose(pilot, "3")
        assert _money(_plan(Path(before_import), [(ISW, "3")])) in _bar(app)
        assert "LEAD-ISW-1" not in _flag_refs(app)

        await pilot.press("9")
        await settle(pilot)
        await check_path(pilot, source)
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported" in verdict(app)

        await pilot.press("escape", "6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        assert [(t.role, t.band) for t in screen.draft.targets] == [(ISW, "3")]
        assert "Unsaved scenario" in _bar(app)
        expected = _money(_plan(catalogue_copy, [(ISW, "3")]))
        assert expected != _money(_plan(Path(before_import), [(ISW, "3")]))
        assert expected in _bar(app)
        assert "LEAD-ISW-1" in _flag_refs(app)  # a Band 2 post where the mode is 3: flagged


def _flag_refs(app: WorkforceApp) -> str:
    screen = app.screen
    assert isinstance(screen, HarmoniseScreen)
    return " ".join(screen.flags)
