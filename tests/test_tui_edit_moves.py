"""Editing moves on the Ladders screen: add one (from, to, kind, months in post, the routes that
make it), change one, remove one (after asking); the form names what is wrong as it is typed,
nothing is written unless it saves, and an edit is never lost without asking."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, Static
from textual.widgets.tree import TreeNode

from tests.test_tui import settle, static_text
from tests.test_tui_edit_routes import (
    cells,
    digest,
    fill,
    open_form,
    pick,
    problem,
    query,
    refused,
    route_table,
    save,
    toggle,
)
from tui.app import WorkforceApp, make_app
from tui.screens.ladders import LaddersScreen
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.ladder_tree import LadderItem, LadderTree
from tui.widgets.move_form import MoveForm

SIZE = (120, 40)
FROM = "diagnostic-radiographer"


def ladders(app: WorkforceApp) -> LaddersScreen:
    for screen in reversed(app.screen_stack):
        if isinstance(screen, LaddersScreen):
            return screen
    raise AssertionError("no Ladders screen")


def moves_from(app: WorkforceApp, role: str) -> dict[str, TreeNode[LadderItem]]:
    """The moves drawn under the rung `role`: the role each leads to -> its node."""
    rung = ladders(app).query_one(LadderTree).rung_nodes[role]
    return {str(node.data.role): node for node in rung.children if node.data is not None}


def move_row(path: Path, to_role: str) -> list[tuple[object, ...]]:
    return query(
        path,
        "SELECT kind, months_in_post FROM progression WHERE from_role = ? AND to_role = ?",
        FROM,
        to_role,
    )


def move_routes(path: Path, to_role: str) -> set[object]:
    rows = query(
        path,
        "SELECT route FROM progression_route WHERE from_role = ? AND to_role = ?",
        FROM,
        to_role,
    )
    return {route for (route,) in rows}


async def on_rung(pilot: Pilot[None], app: WorkforceApp) -> None:
    """The Ladders screen, its cursor on the rung FROM."""
    await settle(pilot)
    screen = ladders(app)
    screen.go_to_role(FROM)
    await pilot.pause()
    assert screen.rung_at_cursor() == FROM


async def on_move(pilot: Pilot[None], app: WorkforceApp, to_role: str) -> None:
    """The cursor moved down from the rung FROM to its move to `to_role`."""
    await on_rung(pilot, app)
    tree = ladders(app).query_one(LadderTree)
    for _ in range(len(moves_from(app, FROM))):
        await pilot.press("down")
        node = tree.cursor_node
        if node is not None and node.data is not None and node.data.role == to_role:
            return
    raise AssertionError(f"no move to {to_role} under {FROM}")


async def test_a_move_added_is_saved_and_shown_on_every_screen(catalogue_copy: Path) -> None:
    assert not move_row(catalogue_copy, "reporting-radiographer")  # none yet
    app = make_app(catalogue_copy, screen="routes")  # open before the change
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Reporting Radiographer" not in cells(route_table(app), "pgcert-ct")["Opens"]
        await pilot.press("3")
        await on_rung(pilot, app)
        await open_form(pilot, "a")
        form = app.screen
        assert isinstance(form, MoveForm)
        assert form.query_one("#f-from_role", Select).value == FROM  # the rung's role
        await pick(pilot, "to_role", "Reporting R")
        assert form.query_one("#f-to_role", Select).value == "reporting-radiographer"
        await pick(pilot, "kind", "lat")
        await fill(pilot, "months_in_post", "30")
        await toggle(pilot, "routes", "pgcert-ct")
        await save(pilot)
        assert isinstance(app.screen, LaddersScreen), refused(app)

        assert move_row(catalogue_copy, "reporting-radiographer") == [("lateral", 30)]
        assert move_routes(catalogue_copy, "reporting-radiographer") == {"pgcert-ct"}
        # Drawn under its rung, with the cursor back on the rung.
        move = moves_from(app, FROM)["reporting-radiographer"]
        label = str(move.label)
        assert label.startswith("→ Reporting Radiographer")
        assert "1 route" in label and "after 30 months in post" in label
        assert ladders(app).rung_at_cursor() == FROM

        await pilot.press("7")  # the Routes screen, read again: the route opens the role now
        await settle(pilot)
        assert "Reporting Radiographer" in cells(route_table(app), "pgcert-ct")["Opens"]


async def test_changing_a_move_saves_it_and_redraws_it(catalogue_copy: Path) -> None:
    target = "specialist-radiographer"
    routes = move_routes(catalogue_copy, target)
    assert "pgcert-ct" in routes and move_row(catalogue_copy, target) == [("up", 24)]
    app = make_app(catalogue_copy, screen="ladders")
    async with app.run_test(size=SIZE) as pilot:
        await on_move(pilot, app, target)
        await open_form(pilot, "c")
        form = app.screen
        assert isinstance(form, MoveForm)
        assert form.query_one("#f-from_role", Select).disabled  # its key: fixed
        assert form.query_one("#f-to_role", Select).value == target
        await fill(pilot, "months_in_post", "18")
        await toggle(pilot, "routes", "pgcert-ct")  # unchosen
        await save(pilot)
        assert isinstance(app.screen, LaddersScreen), refused(app)
        assert "after 18 months in post" in str(moves_from(app, FROM)[target].label)
    assert move_row(catalogue_copy, target) == [("up", 18)]
    assert move_routes(catalogue_copy, target) == routes - {"pgcert-ct"}
    assert query(catalogue_copy, "SELECT id FROM training_route WHERE id = 'pgcert-ct'")


async def test_removing_a_move_asks_first(catalogue_copy: Path) -> None:
    target = "pacs-administrator"
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="ladders")
    async with app.run_test(size=SIZE) as pilot:
        await on_move(pilot, app, target)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "PACS" in static_text(app.screen.query_one(".confirm-message", Static))
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, LaddersScreen)
        assert digest(catalogue_copy) == before  # kept
        assert target in moves_from(app, FROM)

        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert target not in moves_from(app, FROM)
        assert ladders(app).rung_at_cursor() == FROM
    assert move_row(catalogue_copy, target) == []
    assert move_routes(catalogue_copy, target) == set()
    # The route that made it stays.
    assert query(
        catalogue_copy,
        "SELECT id FROM training_route WHERE id = ?",
        "in-house-pacs-systems-training",
    )


async def test_the_form_names_what_is_wrong_and_nothing_is_written(catalogue_copy: Path) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="ladders")
    async with app.run_test(size=SIZE) as pilot:
        await on_rung(pilot, app)
        await open_form(pilot, "a")
        await pilot.press("escape")  # nothing changed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, LaddersScreen)

        await open_form(pilot, "a")
        await pick(pilot, "to_role", "Diagnostic R")  # the role it starts from
        assert "another role" in problem(app, "to_role")
        await pick(pilot, "to_role", "Specialist R")  # a move held already
        assert "already: change that one" in problem(app, "to_role")
        await pick(pilot, "to_role", "Reporting R")
        assert problem(app, "to_role") == ""
        await fill(pilot, "months_in_post", "0")
        assert "1 or more" in problem(app, "months_in_post")
        await fill(pilot, "months_in_post", "ten")
        assert "whole number" in problem(app, "months_in_post")
        await save(pilot)
        assert isinstance(app.screen, MoveForm)
        assert "Not saved" in refused(app)

        await pilot.press("escape")  # changed: asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no: back to the form, as it was
        await pilot.pause()
        assert isinstance(app.screen, MoveForm)
        assert app.screen.query_one("#f-to_role", Select).value == "reporting-radiographer"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert isinstance(app.screen, LaddersScreen)
    assert digest(catalogue_copy) == before
    assert move_row(catalogue_copy, "reporting-radiographer") == []


async def test_the_help_and_the_key_bar_name_the_new_keys(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=(200, 30)) as pilot:
        await on_rung(pilot, app)
        markdown = ladders(app).help_markdown()
        for line in (
            "| `a` | Add a move (from the rung under the cursor) |",
            "| `c` | Change the move under the cursor",
            "| `d` `del` | Remove the move under the cursor (asks first) |",
        ):
            assert line in markdown
        assert "Editing moves" in markdown
        bar = ladders(app).query_one("KeyBar")
        local, _ = bar.items()  # type: ignore[attr-defined]
        enabled = {item.description: item.enabled for item in local}
        # On a rung: a move may be added; changing or removing one waits for a move.
        assert enabled["Add move"] and not enabled["Change move"] and not enabled["Remove move"]
        await pilot.press("down")  # the rung's first move
        await pilot.pause()
        local, _ = bar.items()  # type: ignore[attr-defined]
        enabled = {item.description: item.enabled for item in local}
        assert enabled["Change move"] and enabled["Remove move"]
