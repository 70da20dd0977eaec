"""The Harmonise screen: the flags (worst first, filtered, paged), a scenario costed as it
changes, saved, exported and written into the board report."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from catalogue.scenarios import (
    Scenario,
    ScenarioAssumptions,
    list_scenarios,
    read_scenario_toml,
)
from catalogue.store import open_catalogue
from pathways.harmonise import HarmonisationResult, plan_harmonisation, whole_pounds
from pathways.variation import list_flags, variation_summary
from tests.factories import jd, make_catalogue
from tests.test_tui import REPO, _until, settle, shown_keys, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens import harmonise
from tui.screens.compare import CompareScreen
from tui.screens.harmonise import HarmoniseScreen
from tui.widgets.dialogs import ChoiceDialog, NameDialog
from tui.widgets.tables import RowTable

ISW = "imaging-support-worker"


def _plan(
    path: Path, targets: list[tuple[str, str | None]], **choices: object
) -> HarmonisationResult:
    db = open_catalogue(path)
    try:
        return plan_harmonisation(db, targets, ScenarioAssumptions.model_validate(choices))
    finally:
        db.close()


def _money(result: HarmonisationResult) -> str:
    pounds = whole_pounds(result.total.annual_cost)
    return f"-£{-pounds:,}" if pounds < 0 else f"£{pounds:,}"


def _flags(app: WorkforceApp) -> RowTable:
    return app.screen.query_one("#flags", RowTable)


def _severities(table: RowTable) -> list[str]:
    return [table.get_row(key)[0].plain for key in shown_keys(table)]


def _bar(app: WorkforceApp) -> str:
    return static_text(app.screen.query_one("#scenario-bar", Static), width=200)


async def _to_flag_of(pilot: Pilot[None], role: str) -> str:
    """Move the cursor down the flags to the first of `role`; its key."""
    screen = pilot.app.screen
    assert isinstance(screen, HarmoniseScreen)
    table = _flags(pilot.app)  # type: ignore[arg-type]
    for _ in range(table.row_count):
        key = table.highlighted_key()
        if key is not None and screen.flags[key].role == role:
            return key
        await pilot.press("down")
    raise AssertionError(f"no flag of {role} on the page")


async def _choose(pilot: Pilot[None], value: str) -> None:
    """In a choice dialog, move to the option `value` and take it."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ChoiceDialog)
    options = dialog.query_one("#choice-list")
    for _ in range(30):
        if options.highlighted_option is not None and options.highlighted_option.id == value:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def test_flags_are_listed_high_first_then_by_wte(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        counts = variation_summary(db).flags.by_severity
    finally:
        db.close()
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _flags(app)
        severities = _severities(table)
        high, warn = counts["high"].flags, counts["warn"].flags
        assert high and warn
        assert severities == ["high"] * high + ["warn"] * warn
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        for severity in ("high", "warn"):
            wte = [
                f.wte_in_post or 0 for f in screen.flags.values() if f.verdict.severity == severity
            ]
            assert wte == sorted(wte, reverse=True)
        status = static_text(screen.query_one("#flags-status", Static))
        assert f"{high + warn} flags ({high} high, {warn} warn)" in status


async def test_filtering_by_trust_and_severity(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        rbk = variation_summary(db, trust="RBK").flags
    finally:
        db.close()
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # the staff group filter
        assert isinstance(app.focused, Select) and app.focused.id == "staff-group"
        await pilot.press("tab", "enter")  # the trust filter, opened
        await type_text(pilot, "RBK")  # type to search
        await pilot.press("enter")
        await settle(pilot)
        table = _flags(app)
        keys = shown_keys(table)
        assert len(keys) == rbk.total.flags > 0
        assert all(key.startswith("RBK:") for key in keys)
        # And only its high flags.
        severity = app.screen.query_one("#severity", Select)
        severity.value = "high"
        await settle(pilot)
        assert len(shown_keys(table)) == rbk.by_severity["high"].flags
        assert set(_severities(table)) <= {"high"}


async def test_flags_are_read_a_page_at_a_time(
    packaged_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harmonise, "PAGE_SIZE", 10)
    db = open_catalogue(packaged_db)
    try:
        summary = variation_summary(db)
        expected = [f"{f.trust}:{f.jd_ref}" for f in list_flags(db, summary.rules)]
    finally:
        db.close()
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _flags(app)
        assert shown_keys(table) == expected[:10]
        assert "page 1 of" in static_text(app.screen.query_one("#flags-status", Static))
        await pilot.press("n")
        await settle(pilot)
        assert shown_keys(table) == expected[10:20]
        await pilot.press("p")
        await settle(pilot)
        assert shown_keys(table) == expected[:10]


async def test_setting_support_workers_to_band_3_shows_plan_harmonisations_cost(
    catalogue_copy: Path,
) -> None:
    expected = _money(_plan(catalogue_copy, [(ISW, "3")]))
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("b")  # choose the band
        assert isinstance(app.screen, ChoiceDialog)
        await _choose(pilot, "3")
        assert isinstance(app.screen, HarmoniseScreen)
        assert expected in _bar(app)
        await pilot.press("right_square_bracket")  # the Scenario tab
        await settle(pilot)
        targets = app.screen.query_one("#targets", RowTable)
        assert shown_keys(targets) == [ISW]
        assert targets.get_row(ISW)[-1].plain == expected
        total = static_text(app.screen.query_one("#plan-total", Static), width=200)
        assert f"Annual cost {expected}" in total


async def test_t_targets_the_modal_band_and_assumptions_recost(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("t")
        await settle(pilot)
        assert _money(_plan(catalogue_copy, [(ISW, None)])) in _bar(app)  # the modal band
        await pilot.press("right_square_bracket")
        await pilot.press("tab", "tab")  # past the pay point to the on-costs
        assert isinstance(app.focused, Input) and app.focused.id == "on-costs"
        await type_text(pilot, "25")
        await settle(pilot)
        assert _money(_plan(catalogue_copy, [(ISW, None)], on_costs=0.25)) in _bar(app)
        await type_text(pilot, "x")  # not a number: said, and the cost is left as it was
        await settle(pilot)
        total = static_text(app.screen.query_one("#plan-total", Static), width=200)
        assert "on-costs '25x'" in total
        await pilot.press("backspace", "escape", "minus", "minus")  # two bands down, to 1?
        await settle(pilot)
        # Band 2 is the lowest target band (Band 1 is closed): ISW ends at 2, moved down.
        result = _plan(catalogue_copy, [(ISW, "2")], on_costs=0.25)
        assert result.total.moved_down.jds and result.total.annual_cost == 0  # protected
        assert _money(result) in _bar(app)
        await pilot.press("tab", "tab", "tab", "space")  # pay protection off: a saving
        await settle(pilot)
        unprotected = _plan(catalogue_copy, [(ISW, "2")], on_costs=0.25, protection=False)
        assert unprotected.total.annual_cost < 0
        assert _money(unprotected) in _bar(app)


async def test_a_role_whose_modal_band_is_tied_asks_for_a_band(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, ChoiceDialog)
        await type_text(pilot, "apprentice-radiographer")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)  # now the band, not a default
        hint = " ".join(static_text(s) for s in app.screen.query(Static))
        assert "tied between Band 3 and Band 4" in hint
        await _choose(pilot, "4")
        expected = _money(_plan(catalogue_copy, [("apprentice-radiographer", "4")]))
        assert expected in _bar(app)


async def test_a_saved_scenario_is_in_the_catalogues_list_and_replacing_asks_first(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("t", "s")
        assert isinstance(app.screen, NameDialog)
        await type_text(pilot, "Support workers to 3")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)
        assert "Support workers to 3" in _bar(app)

        await pilot.press("right_square_bracket", "plus", "s")  # change it, save it again
        await pilot.press("enter")
        assert isinstance(app.screen, NameDialog)  # not replaced yet: asks first
        problem = static_text(app.screen.query_one(".dialog-problem", Static))
        assert "saved already" in problem
        await pilot.press("enter")  # yes
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)
    db = open_catalogue(catalogue_copy)
    try:
        saved = {s.name: s for s in list_scenarios(db)}
    finally:
        db.close()
    assert [(t.role, t.band) for t in saved["Support workers to 3"].targets] == [(ISW, "4")]


async def test_a_saved_scenario_reopens(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("b")
        await _choose(pilot, "4")
        await pilot.press("s")
        await type_text(pilot, "ISW at 4")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")  # on the Flags tab x does nothing
        await pilot.press("right_square_bracket", "x")  # the target taken out
        await settle(pilot)
        assert "no role targeted" in _bar(app)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await _choose(pilot, "ISW at 4")
        assert isinstance(app.screen, HarmoniseScreen)
        assert f"{ISW} → 4" in _bar(app) and "ISW at 4" in _bar(app)
        assert _money(_plan(catalogue_copy, [(ISW, "4")])) in _bar(app)


async def test_a_saved_scenario_is_deleted_after_asking_and_the_draft_shown_stays(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("b")
        await _choose(pilot, "4")
        await pilot.press("s")
        await type_text(pilot, "ISW at 4")
        await pilot.press("enter")
        await settle(pilot)
        assert "ISW at 4" in _bar(app)

        # Asked, and answered "keep": nothing goes.
        await pilot.press("D")
        await settle(pilot)
        await _choose(pilot, "ISW at 4")
        assert isinstance(app.screen, ChoiceDialog)
        assert "Delete the saved scenario ISW at 4?" in str(app.screen.title_text)
        await _choose(pilot, "keep")
        assert [s.name for s in _saved(catalogue_copy)] == ["ISW at 4"]

        # Asked again, and answered "delete".
        await pilot.press("D")
        await settle(pilot)
        await _choose(pilot, "ISW at 4")
        await _choose(pilot, "delete")
        assert isinstance(app.screen, HarmoniseScreen)
        assert _saved(catalogue_copy) == []
        assert "Unsaved scenario" in _bar(app) and f"{ISW} → 4" in _bar(app)
        assert app.screen.saved_names == []


def _saved(path: Path) -> list[Scenario]:
    db = open_catalogue(path)
    try:
        return list_scenarios(db)
    finally:
        db.close()


async def test_the_board_report_holds_the_scenarios_cost_and_a_flagged_jd(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    expected = _money(_plan(catalogue_copy, [(ISW, "3")]))
    db = open_catalogue(catalogue_copy)
    try:
        first = next(iter(list_flags(db, variation_summary(db).rules, limit=1)))
    finally:
        db.close()
    report = tmp_path / "board.md"
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("t", "w")
        assert isinstance(app.screen, NameDialog)
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, str(report))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)
    text = report.read_text(encoding="utf-8")
    assert "unsaved scenario" in text and f"**Annual cost:** {expected}" in text
    assert first.jd_ref in text and first.title in text


async def test_the_report_never_replaces_a_file_unless_confirmed_and_html_by_suffix(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    report = tmp_path / "board.html"
    report.write_text("old", encoding="utf-8")
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w", "home", "ctrl+k")
        await type_text(pilot, str(report))
        await pilot.press("enter")
        assert isinstance(app.screen, NameDialog)
        assert "already exists" in static_text(app.screen.query_one(".dialog-problem", Static))
        await pilot.press("escape")
        await settle(pilot)
        assert report.read_text(encoding="utf-8") == "old"
        await pilot.press("w", "home", "ctrl+k")
        await type_text(pilot, str(report))
        await pilot.press("enter", "enter")  # asked, then confirmed
        await settle(pilot)
    text = report.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    assert "No harmonisation scenario was chosen" in text


async def test_the_scenario_exports_as_toml_that_reads_back(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    target = tmp_path / "isw.toml"
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("t", "right_square_bracket", "e")
        assert isinstance(app.screen, NameDialog)
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot)
    scenario = read_scenario_toml(target)
    assert [(t.role, t.band) for t in scenario.targets] == [(ISW, "3")]
    expected = whole_pounds(_plan(catalogue_copy, [(ISW, "3")]).total.annual_cost)
    assert f"annual_cost = {expected}" in target.read_text(encoding="utf-8")


async def test_enter_on_a_flag_opens_compare_on_its_jd_and_escape_comes_back(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        key = await _to_flag_of(pilot, ISW)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.role == ISW
        assert app.screen.query_one("#compare-jds", RowTable).highlighted_key() == key
        await pilot.press("escape")
        assert isinstance(app.screen, HarmoniseScreen)
        assert _flags(app).highlighted_key() == key


async def test_flag_titles_are_shown_literally(reference_db: Path, tmp_path: Path) -> None:
    title = "[bold]Sonographer[/bold] [red]"
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "US-1", "sonographer", "7"),
            jd("RJE", "US-2", "sonographer", "7"),
            jd("RBK", "US-3", "sonographer", "6", title=title, wte_in_post=2),
        ],
    )
    app = make_app(path, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _flags(app)
        assert shown_keys(table) == ["RBK:US-3"]
        assert table.get_row("RBK:US-3")[2].plain == title
        assert table.get_row("RBK:US-3")[-1].plain == "mode 7"


async def test_a_catalogue_without_jds_has_no_flags_and_nothing_to_cost(
    reference_db: Path,
) -> None:
    app = make_app(reference_db, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _flags(app).row_count == 0
        assert "No flags" in static_text(app.screen.query_one("#flags-status", Static))
        await pilot.press("t", "s")  # nothing under the cursor, nothing to save
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)
        assert "no role targeted" in _bar(app)


async def test_a_trust_deep_link_opens_its_flags(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="harmonise", trust="RXK")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        keys = shown_keys(_flags(app))
        assert keys and all(key.startswith("RXK:") for key in keys)
        assert app.screen.query_one("#trust", Select).value == "RXK"


async def test_help_lists_the_harmonise_keys(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        markdown = app.screen.markdown  # type: ignore[attr-defined]
        for key in ("`t`", "`b`", "`s`", "`o`", "`w`", "`e`", "`/`", "`n`", "`]`", "`enter`"):
            assert key in markdown, key
        assert "modal band" in markdown and "pay protection" in markdown


# -- snapshots -----------------------------------------------------------------------------


def _flags_ready(app: WorkforceApp) -> bool:
    screen = app.screen
    return (
        isinstance(screen, HarmoniseScreen)
        and screen.ready
        and screen.total is not None
        and app.illustrative_jds is not None
    )


async def _harmonise_loaded(pilot: Pilot[None]) -> None:
    await _until(pilot, _flags_ready)


class TestHarmoniseSnapshots:
    def test_the_flags(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"), screen="harmonise")
        assert snap_compare(app, terminal_size=(100, 30), run_before=_harmonise_loaded)
