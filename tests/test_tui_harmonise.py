"""The Harmonise screen: the flags (worst first, filtered, paged), a scenario costed as it
changes, saved, exported and written into the board report."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from catalogue.scenarios import (
    Scenario,
    ScenarioAssumptions,
    list_scenarios,
    read_scenario_toml,
    save_scenario,
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
from tui.widgets.harmonise_views import bands_cell
from tui.widgets.tables import RowTable, shared_widths

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


# -- at 80 columns: figures whole, text shrunk ---------------------------------------------------


def _pounds(amount: float) -> str:
    pounds = whole_pounds(amount)
    return f"-£{-pounds:,}" if pounds < 0 else f"£{pounds:,}"


def _shown_whole(table: RowTable, key: str) -> None:
    """Column `key` is on screen without scrolling sideways, and every cell of it (and its
    header) fits its width: nothing in it is cut."""
    assert table.scroll_x == 0
    columns = table.ordered_columns
    index = next(i for i, column in enumerate(columns) if column.key.value == key)
    right_edge = sum(column.get_render_width(table) for column in columns[: index + 1])
    assert right_edge <= table.scrollable_content_region.width, (key, right_edge)
    column = columns[index]
    width = column.get_render_width(table) - 2 * table.cell_padding
    assert column.label.cell_len <= width
    for value in table.get_column(key):
        assert value.cell_len <= width, (key, value.plain, width)


def _all_on_screen(table: RowTable) -> None:
    total = sum(column.get_render_width(table) for column in table.ordered_columns)
    assert total <= table.scrollable_content_region.width


ISM = "imaging-services-manager"


async def test_at_80_columns_the_scenarios_money_is_shown_whole(catalogue_copy: Path) -> None:
    result = _plan(catalogue_copy, [("sonographer", None), (ISM, None)])
    by_role = {outcome.target.role: outcome for outcome in result.roles}
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, "sonographer")
        await pilot.press("t")
        await _to_flag_of(pilot, ISM)
        await pilot.press("t", "right_square_bracket")
        await settle(pilot)
        await pilot.pause()
        targets = app.screen.query_one("#targets", RowTable)
        assert shown_keys(targets) == ["sonographer", ISM]
        for role, outcome in by_role.items():
            money = _pounds(outcome.summary.annual_cost)
            assert targets.get_row(role)[-1].plain == money
        assert any(len(cell.plain) > 6 for cell in targets.get_column("Annual cost"))  # £405,053
        for key in ("Target", "Up", "Down", "Annual cost"):
            _shown_whole(targets, key)
        _all_on_screen(targets)
        # The role's title gave up width instead, and is seen to be cut.
        role = next(column for column in targets.ordered_columns if column.key.value == "Role")
        assert role.width < len("Imaging Services Manager")

        trusts = app.screen.query_one("#by-trust", RowTable)
        assert trusts.row_count == len(result.by_trust)
        for trust in result.by_trust:
            assert trusts.get_row(trust.trust)[-1].plain == _pounds(trust.summary.annual_cost)
        for key in ("Trust", "Up", "Down", "Unchanged", "Annual cost"):
            _shown_whole(trusts, key)
        _all_on_screen(trusts)
        # Every assumption is on screen (they take two lines here), none cut at the edge.
        for choice in ("#pay-point", "#on-costs", "#protection", "#basis", "#pay-year"):
            region = app.screen.query_one(choice).region
            assert region.width > 0 and region.right <= 80, choice


async def test_at_80_columns_a_flags_differs_from_is_shown_whole(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        table = _flags(app)
        assert any("mode 8a" in cell.plain for cell in table.get_column("Differs from"))
        for key in ("Sev", "Trust", "Band", "WTE", "Differs from"):
            _shown_whole(table, key)
        _all_on_screen(table)


async def test_the_tables_use_a_wide_screens_room(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISM)
        await pilot.press("t", "right_square_bracket")
        await settle(pilot)
        await pilot.pause()
        targets = app.screen.query_one("#targets", RowTable)
        row = targets.get_row(ISM)
        assert row[0].plain == "Imaging Services Manager"
        _shown_whole(targets, "Role")  # room for the whole title
        _shown_whole(targets, "JDs by band")  # and every band
        assert row[1].plain == "8a: 7, 8b: 5, 8c: 2, 8d: 1"
        _shown_whole(app.screen.query_one("#by-trust", RowTable), "Name")


def _in_cells(renderable: Text, width: int) -> str:
    """What a table cell `width` wide shows of `renderable` (as DataTable renders a cell)."""
    from rich.console import Console
    from rich.padding import Padding

    console = Console(width=100, file=open("/dev/null", "w"))  # noqa: SIM115
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = console.render_lines(Padding(renderable, (0, 0)), options)
    return "".join(segment.text for segment in lines[0]).rstrip()


def test_a_bands_cell_cut_short_drops_whole_bands() -> None:
    bands = bands_cell({"8a": 7, "8b": 5, "8c": 2, "8d": 12})
    assert bands.plain == "8a: 7, 8b: 5, 8c: 2, 8d: 12"
    assert _in_cells(bands, 30) == "8a: 7, 8b: 5, 8c: 2, 8d: 12"
    assert _in_cells(bands, 25) == "8a: 7, 8b: 5, 8c: 2, …"  # not "8a: 7, 8b: 5, 8c: 2, 8d: 1…"
    assert _in_cells(bands, 9) == "8a: 7, …"
    assert _in_cells(bands, 5) == "…"
    assert bands_cell({}).plain == "no JDs"


def test_narrow_columns_share_the_room_left() -> None:
    # What fits is kept whole; the rest share what is left; none below its floor.
    assert shared_widths({"a": 10, "b": 40}, 60, {}) == {"a": 10, "b": 40}
    assert shared_widths({"a": 10, "b": 40}, 30, {}) == {"a": 10, "b": 20}
    assert shared_widths({"a": 30, "b": 40}, 30, {}) == {"a": 15, "b": 15}
    assert shared_widths({"a": 30, "b": 40}, 10, {"a": 8, "b": 8}) == {"a": 8, "b": 8}


# -- the saved scenarios' pickers --------------------------------------------------------------


def test_a_saved_scenarios_label_says_its_assumptions() -> None:
    scenario = Scenario(
        name="ISW mid",
        targets=[{"role": ISW, "band": "3"}],  # type: ignore[list-item]
        assumptions=ScenarioAssumptions(
            pay_year="2024/25", pay_point="mid", on_costs=0.25, protection=False, basis="funded"
        ),
    )
    label = harmonise._scenario_label(scenario).plain
    assert "pay 2024/25, intermediate point, on-costs 25%, no pay protection, WTE funded" in label
    default = harmonise._scenario_label(Scenario(name="ISW", targets=scenario.targets)).plain
    assert "latest pay year, top point, default on-costs, pay protection, WTE in post" in default


async def test_scenarios_differing_only_in_pay_point_are_told_apart_when_opening(
    catalogue_copy: Path,
) -> None:
    db = open_catalogue(catalogue_copy)
    try:
        for name, point in (("ISW top", "top"), ("ISW entry", "entry")):
            save_scenario(
                db,
                Scenario.model_validate(
                    {
                        "name": name,
                        "targets": [{"role": ISW, "band": "3"}],
                        "assumptions": {"pay_point": point, "on_costs": 0.3878},
                    }
                ),
            )
    finally:
        db.close()
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("o", "D"):  # open, and delete: the same list
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ChoiceDialog)
            labels = {value: label.plain for value, label in dialog.choices}
            assert "top point, on-costs 38.78%" in labels["ISW top"]
            assert "entry point, on-costs 38.78%" in labels["ISW entry"]
            await pilot.press("escape")
            await settle(pilot)


# -- + and - on the Flags tab ---------------------------------------------------------------------


async def test_plus_and_minus_on_a_flag_move_its_roles_target_from_the_modal_band(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)  # modal band 3, not targeted
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        assert screen.check_action("step", (1,)) is True  # offered on the Flags tab
        await pilot.press("plus")  # a band above the mode
        await settle(pilot)
        assert f"{ISW} → 4" in _bar(app)
        assert _money(_plan(catalogue_copy, [(ISW, "4")])) in _bar(app)
        await pilot.press("plus", "plus")
        await settle(pilot)
        assert f"{ISW} → 6" in _bar(app)
        await pilot.press("minus")
        await settle(pilot)
        assert f"{ISW} → 5" in _bar(app)
        assert screen._on_flags_tab()  # it stayed on the flags
        # The Scenario tab shows the same target, which + and - move there too.
        await pilot.press("right_square_bracket", "minus")
        await settle(pilot)
        targets = screen.query_one("#targets", RowTable)
        assert targets.get_row(ISW)[2].plain == "4"


async def test_minus_on_a_flag_of_a_role_not_targeted_starts_from_the_mode(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _to_flag_of(pilot, ISW)
        await pilot.press("minus")
        await settle(pilot)
        assert f"{ISW} → 2" in _bar(app)
        await pilot.press("minus")  # Band 2 is the lowest target band: it stays
        await settle(pilot)
        assert f"{ISW} → 2" in _bar(app)


# -- the draft survives a catalogue changed on another screen --------------------------------------


async def test_an_unsaved_draft_survives_jds_imported_on_the_import_screen(
    catalogue_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft with its own choices (a pay year not the latest, on-costs typed), then JDs of
    its role imported on the Import screen: back on Harmonise the draft is as it was, costed
    again on the catalogue as it now is (the JDs imported counted)."""
    from catalogue.jd_format import FIELDS

    monkeypatch.chdir(tmp_path)
    source = tmp_path / "isw.csv"
    source.write_text(
        ",".join(FIELDS)
        + "\nRRK,TUI-ISW-1,Imaging Support Worker,imaging-support-worker,2,3,3,,,\n",
        encoding="utf-8",
    )
    app = make_app(catalogue_copy, screen="harmonise")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        year = screen.pay_years[-2]  # a year the draft names: not "latest"
        await _to_flag_of(pilot, ISW)
        await pilot.press("t", "right_square_bracket")
        await settle(pilot)
        screen.query_one("#pay-year", Select).value = year
        await pilot.press("tab", "tab")  # past the pay point to the on-costs
        await type_text(pilot, "25")
        await settle(pilot)
        draft = screen.draft
        assert draft.choices.pay_year == year and draft.choices.on_costs == 0.25
        target = draft.target(ISW)
        assert target is not None
        before = _money(_plan(catalogue_copy, [(ISW, target.band)], pay_year=year, on_costs=0.25))
        assert before in _bar(app)

        await pilot.press("escape", "9")  # the Import screen: check the file, confirm
        await settle(pilot)
        await pilot.press("p")
        await type_text(pilot, "isw.csv")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported" in static_text(app.screen.query_one("#import-verdict", Static))

        await pilot.press("6")
        await settle(pilot)
        assert app.screen is screen
        assert screen.draft == draft  # its targets and every choice, the pay year too
        assert screen.query_one("#pay-year", Select).value == year
        assert screen.query_one("#on-costs", Input).value == "25"
        assert "Unsaved scenario" in _bar(app)
        after = _money(_plan(catalogue_copy, [(ISW, target.band)], pay_year=year, on_costs=0.25))
        assert after != before  # the JD imported moves up too
        assert after in _bar(app)
