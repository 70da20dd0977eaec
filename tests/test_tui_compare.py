"""The Compare screen: a role's JDs across trusts (off-mode bands and competencies only some
JDs ask for marked), and two JDs side by side."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from catalogue.store import open_catalogue
from pathways.compare import load_role_comparison
from pathways.records import load_role_competencies
from tests.factories import jd, make_catalogue
from tests.test_tui import REPO, _until, settle, shown_keys, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.compare import CompareScreen, PairScreen
from tui.widgets.compare_views import STANDS_OUT, matrix_heading, matrix_rows, role_heading
from tui.widgets.tables import RowTable

MARKUP_TITLE = "[bold]Sonographer[/bold] - Obstetrics"


def _jds(app: WorkforceApp) -> RowTable:
    return app.screen.query_one("#compare-jds", RowTable)


def _matrix(app: WorkforceApp) -> RowTable:
    return app.screen.query_one("#compare-matrix", RowTable)


def _cells(table: RowTable, key: str) -> list[str]:
    return [cell.plain for cell in table.get_row(key)]


def _band_styles(table: RowTable) -> dict[str, str]:
    """Each JD row's band cell style, by the row's key (TRUST:REF)."""
    column = table.get_column_index("Band")
    return {key: str(table.get_row(key)[column].style) for key in shown_keys(table)}


def _hand_made(reference_db: Path, tmp_path: Path) -> Path:
    """Three sonographer JDs: two at Band 7 (the mode), one at 6 with a markup-like title;
    RRK asks for two competencies the others do not, RBK lacks one both others have."""
    common = ["obstetric-ultrasound", "abdominal-ultrasound"]
    return make_catalogue(
        reference_db,
        tmp_path,
        [
            jd(
                "RRK",
                "US-1",
                "sonographer",
                "7",
                competencies=[*common, "cannulation", "clinical-audit"],
                wte_funded=2,
                wte_in_post=1.5,
                summary="Scans pregnant women across two sites.",
            ),
            jd(
                "RJE",
                "US-2",
                "sonographer",
                "7",
                competencies=common,
                summary="Scans pregnant women at one site.",
            ),
            jd("RBK", "US-3", "sonographer", "6", title=MARKUP_TITLE, competencies=common[:1]),
        ],
    )


async def test_reporting_radiographer_marks_rbk_and_rlt_off_the_mode(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        comparison = load_role_comparison(db, "reporting-radiographer")
    finally:
        db.close()
    off = {f"{i.jd.trust}:{i.jd.jd_ref}" for i in comparison.jds if i.off_mode}
    assert {key.split(":")[0] for key in off} == {"RBK", "RLT"}  # the data's deliberate outliers

    app = make_app(packaged_db, screen="compare", role="reporting-radiographer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _jds(app)
        assert len(shown_keys(table)) == len(comparison.jds)
        styles = _band_styles(table)
        assert {key for key, style in styles.items() if style == STANDS_OUT} == off
        for key in off:
            assert "▼1" in _cells(table, key)[JD_BAND]  # one band below the mode
        heading = static_text(app.screen.query_one("#compare-heading", Static))
        assert f"modal band {comparison.modal_band}" in heading
        trusts = len({item.jd.trust for item in comparison.jds})
        assert f"{len(comparison.jds)} JDs at {trusts} trusts" in " ".join(heading.split())
        assert f"{len(off)} off the mode" in heading


JD_BAND = 4  # the Band column of the JD table


async def test_a_role_is_picked_from_the_list_by_typing(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="compare")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.role is None
        await pilot.press("slash")
        await type_text(pilot, "reporting radio")
        await pilot.press("enter", "enter")  # to the table, then pick the role under it
        await settle(pilot)
        assert app.screen.role == "reporting-radiographer"
        assert "Reporting Radiographer" in static_text(app.screen.query_one("#compare-heading"))
        assert len(shown_keys(_jds(app))) > 1
        await pilot.press("r")  # back to the list, the role under the cursor
        await settle(pilot)
        roles = app.screen.query_one("#compare-roles", RowTable)
        assert roles.highlighted_key() == "reporting-radiographer"


async def test_two_marked_jds_side_by_side_show_competencies_only_in_one(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _hand_made(reference_db, tmp_path)
    app = make_app(path, screen="compare", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = _jds(app)
        assert shown_keys(table) == ["RBK:US-3", "RJE:US-2", "RRK:US-1"]  # trust order
        await pilot.press("down", "space", "down", "space")  # RJE first (A), then RRK (B)
        assert app.screen.marked == ["RJE:US-2", "RRK:US-1"]
        assert _cells(table, "RJE:US-2")[0] and _cells(table, "RRK:US-1")[0]  # marks shown
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PairScreen)
        text = static_text(app.screen.query_one("#pair-text", Static), width=120)
        assert "A RJE:US-2" in text and "B RRK:US-1" in text
        header = next(line for line in text.splitlines() if "Only in A" in line)
        assert "Only in A (0)" in header and "Only in B (2)" in header and "In both (2)" in header
        # The names of the competencies only B asks for, under "Only in B".
        assert "Cannulation" in text and "Clinical audit" in text
        # Fields that differ are marked; the summaries are compared word by word.
        assert any(line.lstrip().startswith("≠  WTE funded") for line in text.splitlines())
        assert "Scans pregnant women [-at one site.-] {+across two sites.+}" in text
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)


async def test_one_mark_and_the_cursor_make_a_pair_and_titles_show_literally(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _hand_made(reference_db, tmp_path)
    app = make_app(path, screen="compare", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = _jds(app)
        assert _cells(table, "RBK:US-3")[3] == MARKUP_TITLE  # brackets shown, not read
        await pilot.press("space", "down", "down", "d")  # RBK marked, the cursor on RRK
        await settle(pilot)
        assert isinstance(app.screen, PairScreen)
        text = static_text(app.screen.query_one("#pair-text", Static), width=120)
        assert MARKUP_TITLE in text
        assert "B is 1 band higher" in text


async def test_competencies_only_some_jds_ask_for_are_marked_and_listed_first(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _hand_made(reference_db, tmp_path)
    db = open_catalogue(path)
    try:
        reference = set(load_role_competencies(db)["sonographer"])
    finally:
        db.close()
    asked = {  # as _hand_made gives them
        "RRK": {"obstetric-ultrasound", "abdominal-ultrasound", "cannulation", "clinical-audit"},
        "RJE": {"obstetric-ultrasound", "abdominal-ultrasound"},
        "RBK": {"obstetric-ultrasound"},
    }
    by_all = set.intersection(*asked.values())
    # Marked: asked for by only some JDs, at least one and not all. The reference role's
    # competencies no JD asks for are not "some": they are listed last, unmarked, as 0/3.
    marked = set.union(*asked.values()) - by_all
    by_none = reference - set.union(*asked.values())
    assert by_none  # the sonographer's reference set has some no JD here asks for
    app = make_app(path, screen="compare", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        matrix = _matrix(app)
        keys = shown_keys(matrix)
        assert set(keys) == marked | by_all | by_none
        assert set(keys[: len(marked)]) == marked  # listed first
        assert set(keys[-len(by_none) :]) == by_none  # listed last
        for key in keys:
            name_style = str(matrix.get_row(key)[0].style)
            assert (name_style == STANDS_OUT) == (key in marked), key
        for key in by_none:
            assert _cells(matrix, key)[-1].split() == ["0/3"], key  # no star
        heading = static_text(app.screen.query_one("#matrix-heading", Static))
        assert f"{len(marked)} asked by only some JDs (*, first)" in heading
        cells = _cells(matrix, "cannulation")
        assert cells[-1].split() == ["1/3", "*"]
        assert cells[1].strip() == "–"  # not one of the reference role's
        assert _cells(matrix, "obstetric-ultrasound")[1].strip() == "3"  # the reference level
        columns = [str(column.label).strip() for column in matrix.ordered_columns]
        assert columns[2:5] == ["RBK", "RJE", "RRK"]
        assert [cell.strip() for cell in cells[2:5]] == ["", "", "✓"]  # only RRK asks


async def test_matrix_rows_group_over_the_jds_shown(reference_db: Path, tmp_path: Path) -> None:
    path = _hand_made(reference_db, tmp_path)
    db = open_catalogue(path)
    try:
        comparison = load_role_comparison(db, "sonographer")
        at_rrk = load_role_comparison(db, "sonographer", ["RRK"])
    finally:
        db.close()
    assert "· 1 JD at 1 trust" in role_heading(at_rrk, 1).plain  # not "1 JDs at 1 trusts"
    assert "· 3 JDs at 3 trusts" in role_heading(comparison, 3).plain
    every_jd = {"RBK": ["RBK:US-3"], "RJE": ["RJE:US-2"], "RRK": ["RRK:US-1"]}
    rows = matrix_rows(comparison, list(every_jd), every_jd)
    groups = {key: group for group, _, key in rows}
    assert groups["cannulation"] == "some" and groups["obstetric-ultrasound"] == "every"
    assert [group for group, _, _ in rows] == sorted(
        groups.values(), key=["some", "every", "none"].index
    )
    for group, cells, key in rows:  # a star exactly on those only some JDs ask for
        assert cells[-1].plain.endswith("*") == (group == "some"), key
        if group == "none":
            assert cells[-1].plain.split() == ["0/3"], key
    heading = matrix_heading([group for group, _, _ in rows])
    some = sum(1 for group in groups.values() if group == "some")
    none = sum(1 for group in groups.values() if group == "none")
    assert heading.startswith(f"{len(rows)} competencies by trust")
    assert f"; {some} asked by only some JDs (*, first)" in heading
    assert f"; {none} required by the reference role, asked by no JD (last)" in heading

    # One JD shown: nothing is asked by "only some"; what only the others ask is left out.
    rbk = {"RBK": ["RBK:US-3"]}
    rows = matrix_rows(comparison, ["RBK"], rbk)
    assert {group for group, _, _ in rows} == {"every", "none"}
    assert "cannulation" not in {key for _, _, key in rows}  # asked only by RRK
    assert "only some" not in matrix_heading([group for group, _, _ in rows])
    assert matrix_heading(["every"]).startswith("1 competency by trust")


async def test_the_filter_narrows_the_jds_and_the_matrix_trusts(
    reference_db: Path, tmp_path: Path
) -> None:
    path = _hand_made(reference_db, tmp_path)
    app = make_app(path, screen="compare", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "rrk")
        assert shown_keys(_jds(app)) == ["RRK:US-1"]
        columns = [str(column.label).strip() for column in _matrix(app).ordered_columns]
        assert "RRK" in columns and "RBK" not in columns
        status = static_text(app.screen.query_one("#compare-status", Static))
        assert "1 of 3 JDs" in status
        # One JD shown: no competency is asked by only some of them, so none is starred.
        assert not any(
            _cells(_matrix(app), key)[-1].endswith("*") for key in shown_keys(_matrix(app))
        )
        heading = static_text(app.screen.query_one("#matrix-heading", Static))
        assert "only some" not in heading
        await pilot.press("escape")  # clears the filter
        assert len(shown_keys(_jds(app))) == 3


async def test_a_trust_deep_link_starts_narrowed_to_it(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="compare", role="sonographer", trust="RRK")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        keys = shown_keys(_jds(app))
        assert keys and all(key.startswith("RRK:") for key in keys)


async def test_help_lists_the_compare_keys(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="compare", role="sonographer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        markdown = app.screen.help_markdown()
        for key in ("`space`", "`d`", "`r`", "`/`", "`e`", "`5`", "`6`"):
            assert key in markdown, key
        assert "modal band" in markdown


# -- snapshots -----------------------------------------------------------------------------


def _compared(app: WorkforceApp) -> bool:
    screen = app.screen
    return (
        isinstance(screen, CompareScreen)
        and screen.comparison is not None
        and app.illustrative_jds is not None
    )


async def _compare_loaded(pilot: Pilot[None]) -> None:
    await _until(pilot, _compared)


class TestCompareSnapshots:
    def test_reporting_radiographer_across_trusts(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"), screen="compare", role="reporting-radiographer")
        assert snap_compare(app, terminal_size=(100, 30), run_before=_compare_loaded)
