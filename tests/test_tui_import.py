"""The Import screen: a dry run first (what would be added, updated, unchanged; or every problem
in the file), then the import on confirming; a refused file changes nothing."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from catalogue.jd_format import FIELDS
from catalogue.jd_sources import SUPPORTED_SUFFIXES
from catalogue.table_sources import DOCUMENT_SUFFIXES
from tests.test_tui import active_table, settle, shown_keys, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.importing import SUFFIXES, ImportScreen
from tui.screens.network import NetworkScreen
from tui.widgets.file_picker import FilePicker
from tui.widgets.import_views import shown_path
from tui.widgets.wrapped_log import WrappedLog

HEADER = ",".join(FIELDS)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def jds(path: Path, trust: str) -> dict[str, tuple[str, str | None, str | None]]:
    """One trust's JDs in the catalogue: jd_ref -> (title, role, band)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT jd_ref, title, role, band FROM job_description WHERE trust = ?", [trust]
        )
        return {ref: (title, role, band) for ref, title, role, band in rows}
    finally:
        conn.close()


def screen(app: WorkforceApp) -> ImportScreen:
    assert isinstance(app.screen, ImportScreen)
    return app.screen


def verdict(app: WorkforceApp) -> str:
    return static_text(screen(app).query_one("#import-verdict", Static))


def preview(app: WorkforceApp) -> str:
    return static_text(screen(app).query_one("#import-preview-body", Static), width=80)


def problems_shown(app: WorkforceApp) -> list[str]:
    return list(screen(app).query_one("#import-problems", WrappedLog).lines)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own directory, the one its files are written to."""
    monkeypatch.chdir(tmp_path)


async def check_path(pilot: Pilot[None], path: Path) -> None:
    """Type a file's path (relative to the current directory: shorter to type) and press
    Enter: the dry run."""
    await pilot.press("p")
    await type_text(pilot, shown_path(path))
    await pilot.press("enter")
    await settle(pilot)


# Two new posts (one mapped, one left to match) and a post the catalogue holds, changed.
GOOD_ROWS = (
    "RRK,TUI-NEW-1,[bold]x Radiographer,diagnostic-radiographer,Band 5,2,1.5,,,",
    "RKB,TUI-NEW-2,Snr Rad CT,,6,1,1,,,",
)


async def test_a_good_file_shows_what_it_adds_then_imports_it_on_enter(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "new.csv", *GOOD_ROWS)
    before_rrk, before_rkb = jds(catalogue_copy, "RRK"), jds(catalogue_copy, "RKB")
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "2 added, 0 updated, 0 unchanged" in verdict(app)
        shown = preview(app)
        assert "To add (2)" in shown and "TUI-NEW-1" in shown and "TUI-NEW-2" in shown
        assert "[bold]x Radiographer" in shown  # the title as written: never markup
        # A dry run writes nothing.
        assert jds(catalogue_copy, "RRK") == before_rrk
        assert not screen(app).query_one("#import-apply", Button).disabled

        await pilot.press("enter")  # confirm
        await settle(pilot)
        assert "Imported" in verdict(app) and "2 added" in verdict(app)
        after_rrk, after_rkb = jds(catalogue_copy, "RRK"), jds(catalogue_copy, "RKB")
        assert after_rrk == {
            **before_rrk,
            "TUI-NEW-1": ("[bold]x Radiographer", "diagnostic-radiographer", "5"),
        }
        assert after_rkb == {**before_rkb, "TUI-NEW-2": ("Snr Rad CT", None, "6")}
        # Confirmed once: Enter again imports nothing more.
        assert screen(app).query_one("#import-apply", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert len(jds(catalogue_copy, "RRK")) == len(after_rrk)

        # The same file again: nothing to add, nothing to confirm.
        await pilot.press("escape")  # to the files
        await check_path(pilot, source)
        assert "0 added, 0 updated, 2 unchanged" in verdict(app)
        assert screen(app).query_one("#import-apply", Button).disabled


async def test_a_changed_post_shows_the_change_and_updates_it(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    ref, (title, role, band) = sorted(jds(catalogue_copy, "RRK").items())[0]
    assert band is not None and band != "9"
    # The post as it is but for its band (the title quoted: it may hold a comma).
    quoted = '"' + title.replace('"', '""') + '"'
    source = write_csv(tmp_path / "change.csv", f"RRK,{ref},{quoted},{role or ''},9,1,1,,,")
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "0 added, 1 updated" in verdict(app)
        assert f"RRK {ref}:" in preview(app) and f"band '{band}' -> '9'" in preview(app)
        await pilot.press("enter")
        await settle(pilot)
        assert jds(catalogue_copy, "RRK")[ref][2] == "9"


async def test_a_bad_file_lists_every_problem_and_changes_nothing(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = write_csv(
        tmp_path / "bad.csv",
        "RRK,BAD-1,Radiographer,diagnostic-radiographer,5,1,1,,,",  # line 2: fine
        "RRK,BAD-2,Radiographer,diagnostic-radiographer,Band 12,1,1,,,",  # line 3: band
        "RRK,BAD-3,Radiographer,diagnostic-radiographr,5,1,1,,,",  # line 4: role
    )
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "refused, 2 problems" in verdict(app)
        lines = problems_shown(app)
        assert any(line.strip().startswith("line 3: field 'band':") for line in lines), lines
        assert any(line.strip().startswith("line 4: field 'role':") for line in lines), lines
        assert not any("line 2" in line for line in lines)
        assert screen(app).query_one("#import-apply", Button).disabled
        await pilot.press("enter")  # nothing to confirm
        await settle(pilot)
    assert digest(catalogue_copy) == before


async def test_a_path_typed_wrong_is_said_so_and_can_be_typed_again(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, tmp_path / "no-such-file.csv")
        assert "refused" in verdict(app)
        assert any("file not found" in line for line in problems_shown(app))
        path_input = screen(app).query_one("#import-path", Input)
        assert app.focused is path_input  # still there, to correct it
        write_csv(tmp_path / "jds.csv", *GOOD_ROWS)
        path_input.value = ""
        await type_text(pilot, "jds.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert "jds.csv: 2 added" in verdict(app)
    assert digest(catalogue_copy) == before


async def test_every_problem_of_a_long_bad_file_is_listed(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    rows = [f"RRK,LONG-{n},Radiographer,,Band {10 + n % 3},1,1,,," for n in range(300)]
    source = write_csv(tmp_path / "long.csv", *rows)
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "refused, 300 problems" in verdict(app)
        starts = {line.split(":")[0].strip() for line in problems_shown(app)}
        assert {f"line {n}" for n in range(2, 302)} <= starts
    assert digest(catalogue_copy) == before


async def test_a_file_that_changed_after_its_dry_run_is_checked_again_not_written(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "new.csv", *GOOD_ROWS)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "2 added" in verdict(app)
        write_csv(source, *GOOD_ROWS, "RJE,TUI-NEW-3,Radiographer,,5,1,1,,,")
        before = digest(catalogue_copy)
        await pilot.press("enter")
        await settle(pilot)
        assert digest(catalogue_copy) == before  # what was shown is not what it holds now
        assert "changed since" in verdict(app) and "3 added" in verdict(app)
        await pilot.press("enter")  # this dry run, confirmed
        await settle(pilot)
        assert "TUI-NEW-3" in jds(catalogue_copy, "RJE")


async def test_the_list_offers_only_files_the_importer_reads(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    # The screen's list follows the importer: its files, and trusts' own documents.
    assert set(SUFFIXES) == {*SUPPORTED_SUFFIXES, *DOCUMENT_SUFFIXES}
    write_csv(tmp_path / "jds.csv", *GOOD_ROWS)
    (tmp_path / "notes.txt").write_text("not JDs", encoding="utf-8")
    (tmp_path / ".hidden.csv").write_text(HEADER, encoding="utf-8")
    (tmp_path / "more.JSON").write_text("[]", encoding="utf-8")
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        files = screen(app).query_one(FilePicker)
        assert [str(row.key.value) for row in files.ordered_rows] == ["jds.csv", "more.JSON"]
        assert app.focused is files
        await pilot.press("down", "up")  # to the first file, jds.csv; Enter: its dry run
        assert files.highlighted_key() == "jds.csv"
        await pilot.press("enter")
        await settle(pilot)
        assert screen(app).query_one("#import-path", Input).value == "jds.csv"
        assert "jds.csv: 2 added" in verdict(app)


async def test_a_loading_indicator_shows_while_the_file_is_checked(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "new.csv", *GOOD_ROWS)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # Another program holds the catalogue for a moment: the check waits for it.
        holder = sqlite3.connect(catalogue_copy)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            await pilot.press("p")
            await type_text(pilot, shown_path(source))
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert screen(app).query_one("#import-result").loading
            assert "Checking" in verdict(app)
        finally:
            holder.rollback()
            holder.close()
        await settle(pilot)
        assert not screen(app).query_one("#import-result").loading
        assert "2 added" in verdict(app)


async def test_imported_jds_show_on_other_screens_when_next_opened(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "new.csv", *GOOD_ROWS)
    total = sum(len(jds(catalogue_copy, code)) for code in ("RRK", "RKB"))
    app = make_app(catalogue_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        label = static_text(app.screen.query_one("#catalogue-label", Static))
        await pilot.press("9")
        await settle(pilot)
        await check_path(pilot, source)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        now = static_text(app.screen.query_one("#catalogue-label", Static))
        jd_counts = [int(word) for word in label.split() if word.isdigit()]
        assert now != label
        assert f"{jd_counts[-1] + 2} JDs" in now
    assert sum(len(jds(catalogue_copy, code)) for code in ("RRK", "RKB")) == total + 2


async def test_a_dry_run_is_run_again_after_jds_are_mapped_on_the_matching_screen(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(catalogue_copy)
    try:
        ref, title, band = conn.execute(
            "SELECT jd_ref, title, band FROM job_description "
            "WHERE trust = 'RJE' AND title = 'Superintendent Radiographer - Plain Film'"
        ).fetchone()
    finally:
        conn.close()
    assert band == "7"
    # The unmapped post again, role left empty ("not stated"), its band changed.
    source = write_csv(tmp_path / "rje.csv", f"RJE,{ref},{title},,8a,1,1,,,")
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "0 added, 1 updated" in verdict(app)
        await pilot.press("8")  # map it meanwhile
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, title)
        await pilot.press("enter", "a")
        await settle(pilot)
        role = jds(catalogue_copy, "RJE")[ref][1]
        assert role is not None
        await pilot.press("9")  # the dry run is run again: Enter writes it at once
        await settle(pilot)
        assert "changed since" not in verdict(app) and "1 updated" in verdict(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported" in verdict(app)
    # The new band, and the mapping made meanwhile kept (an empty role is "not stated").
    assert jds(catalogue_copy, "RJE")[ref] == (title, role, "8a")


async def test_question_mark_lists_the_import_keys(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        markdown = screen(app).help_markdown()
        assert markdown.startswith("# Import")
        for key in ("`p`", "`enter`", "`e`", "`esc`", "`9`"):
            assert key in markdown, key


# -- reference rows: any file `workforce import` reads ------------------------------------------

# A new route, and a move that names it: one file, the route written first.
ROUTE_AND_MOVE = """\
[[route]]
id = "tui-test-reporting-course"
name = "In-house plain film reporting course"
kind = "in-house"
leads_to = ["reporting-radiographer"]

[[edge]]
from_role = "diagnostic-radiographer"
to_role = "reporting-radiographer"
kind = "up"
routes = ["tui-test-reporting-course"]
months_in_post = 24
note = "Reporting plain film after two years in post"
"""


def moves(path: Path) -> dict[tuple[str, str], tuple[str, int, list[str]]]:
    conn = sqlite3.connect(path)
    try:
        routes: dict[tuple[str, str], list[str]] = {}
        for from_role, to_role, route in conn.execute(
            "SELECT from_role, to_role, route FROM progression_route ORDER BY route"
        ):
            routes.setdefault((from_role, to_role), []).append(route)
        return {
            (from_role, to_role): (kind, months, routes.get((from_role, to_role), []))
            for from_role, to_role, kind, months in conn.execute(
                "SELECT from_role, to_role, kind, months_in_post FROM progression"
            )
        }
    finally:
        conn.close()


async def test_a_toml_file_of_a_route_and_a_move_is_checked_then_imported(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "routes.toml"
    source.write_text(ROUTE_AND_MOVE, encoding="utf-8")
    move = ("diagnostic-radiographer", "reporting-radiographer")
    before = moves(catalogue_copy)
    assert move not in before
    unchanged = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        said = verdict(app)
        # The counts of each kind, as `workforce import` says them.
        assert "routes: 1 added, 0 updated, 0 unchanged" in said, said
        assert "edges: 1 added, 0 updated, 0 unchanged" in said, said
        assert "Nothing written yet" in said
        shown = preview(app)
        assert "Reference rows to write (2)" in shown
        assert "route tui-test-reporting-course: added" in shown
        assert "move diagnostic-radiographer:reporting-radiographer: added" in shown
        assert digest(catalogue_copy) == unchanged  # the dry run wrote nothing
        # `e` writes the changes shown, a row each.
        assert [(row["change"], row["kind"], row["key"]) for row in screen(app).export_rows()] == [
            ("add", "route", "tui-test-reporting-course"),
            ("add", "edge", "diagnostic-radiographer:reporting-radiographer"),
        ]

        await pilot.press("enter")  # confirm
        await settle(pilot)
        said = verdict(app)
        assert said.startswith("Imported routes.toml: routes: 1 added") and "edges: 1 added" in said
        assert "Reference rows written (2)" in preview(app)

        # The Catalogue screen (opened now) lists the route.
        await pilot.press("2", *["right_square_bracket"] * 3)
        await settle(pilot)
        table = active_table(app)
        assert table.spec.name == "routes"
        assert "tui-test-reporting-course" in shown_keys(table.table)
    after = moves(catalogue_copy)
    assert after == {**before, move: ("up", 24, ["tui-test-reporting-course"])}
    conn = sqlite3.connect(catalogue_copy)
    try:
        route = conn.execute(
            "SELECT name, kind FROM training_route WHERE id = 'tui-test-reporting-course'"
        ).fetchall()
    finally:
        conn.close()
    assert route == [("In-house plain film reporting course", "in-house")]


async def test_a_move_naming_an_unknown_route_is_refused_whole(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    # The route misspelt in the move: neither the route nor the move is written.
    source = tmp_path / "routes.toml"
    source.write_text(
        ROUTE_AND_MOVE.replace('routes = ["tui-test-reporting-course"]', 'routes = ["tui-test"]'),
        encoding="utf-8",
    )
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "refused, 1 problem " in verdict(app)
        said = " ".join(line.strip() for line in problems_shown(app))  # wrapped to the width
        assert "[[edge]] #1 (line 7): field 'routes': unknown route 'tui-test'" in said, said
        assert screen(app).query_one("#import-apply", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
    assert digest(catalogue_copy) == before


async def test_a_reference_file_that_changed_after_its_dry_run_is_not_written(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "routes.toml"
    source.write_text(ROUTE_AND_MOVE, encoding="utf-8")
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_path(pilot, source)
        assert "edges: 1 added" in verdict(app)
        source.write_text(ROUTE_AND_MOVE.replace("months_in_post = 24", "months_in_post = 6"))
        before = digest(catalogue_copy)
        await pilot.press("enter")
        await settle(pilot)
        # Imported and rolled back: the move is not the one shown.
        assert digest(catalogue_copy) == before
        assert "changed since" in verdict(app)
        assert "months_in_post" not in moves(catalogue_copy)
        await pilot.press("enter")  # the new dry run, confirmed
        await settle(pilot)
        assert "Imported" in verdict(app)
    move = moves(catalogue_copy)[("diagnostic-radiographer", "reporting-radiographer")]
    assert move == ("up", 6, ["tui-test-reporting-course"])


# -- snapshots ------------------------------------------------------------------------------


async def _dry_run_shown(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await check_path(pilot, Path("new-jds.csv"))
    for _ in range(100):
        await settle(pilot)
        app = pilot.app
        if (
            isinstance(app.screen, ImportScreen)
            and app.screen.plan is not None
            and app.illustrative_jds is not None  # type: ignore[attr-defined]
        ):
            return
        await pilot.pause(0.05)
    raise AssertionError("the dry run never showed")


class TestImportSnapshots:
    def test_dry_run(self, snap_compare, monkeypatch, packaged_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
        # In a directory of its own, so the list of files (and the header's relative path to
        # the catalogue) is the same everywhere.
        shutil.copy(packaged_db, tmp_path / "workforce.db")
        write_csv(tmp_path / "new-jds.csv", *GOOD_ROWS)
        monkeypatch.chdir(tmp_path)
        app = make_app(Path("workforce.db"), screen="import")
        assert snap_compare(app, terminal_size=(100, 30), run_before=_dry_run_shown)


async def test_a_file_named_with_an_escape_sequence_is_shown_not_obeyed(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    name = "jds\x1b]0;owned\x07\x1b[2J.csv"
    write_csv(tmp_path / name, *GOOD_ROWS)
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        files = screen(app).query_one(FilePicker)
        shown = files.get_row_at(0)[0].plain
        assert "\x1b" not in shown and "\x07" not in shown
        assert shown == "jds\\x1b]0;owned\\x07\\x1b[2J.csv"
        # A message quoting it (an error naming the file, say) shows it the same way.
        app.notify(f"{name}: cannot be read", title=name, markup=False)
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert "\x1b" not in notice.message + notice.title
        assert "\\x1b[2J" in notice.message
