"""Editing routes on the Routes screen: add one (with the roles it leads to and the competencies
it gives), change one, close and retire one; the form names what is wrong as it is typed, a
refusal by the catalogue is shown in it literally, and nothing is written unless it saves."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.test_tui import settle, shown_keys, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.ladders import LaddersScreen
from tui.screens.routes import RoutesScreen
from tui.widgets.choice_list import ChoiceList
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.filter_table import FilterTable
from tui.widgets.form_fields import FormScreen
from tui.widgets.ladder_tree import LadderTree
from tui.widgets.route_form import RouteForm, RouteStatusForm

SIZE = (120, 40)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def routes_screen(app: WorkforceApp) -> RoutesScreen:
    for screen in reversed(app.screen_stack):
        if isinstance(screen, RoutesScreen):
            return screen
    raise AssertionError("no Routes screen")


def route_table(app: WorkforceApp) -> FilterTable:
    return routes_screen(app).route_table()


def cells(table: FilterTable, key: str) -> dict[str, str]:
    labels = [column.label for column in table.spec.columns]
    return dict(zip(labels, (c.plain for c in table.table.get_row(key)), strict=True))


def problem(app: WorkforceApp, name: str) -> str:
    """What the form names as wrong beside field `name` ('' when it is hidden)."""
    shown = app.screen.query_one(f"#{name}-problem", Static)
    return static_text(shown, width=200) if shown.has_class("-shown") else ""


def refused(app: WorkforceApp) -> str:
    """What the form says about saving: its status line, and the catalogue's refusal (when
    it shows one)."""
    status = static_text(app.screen.query_one("#form-status", Static), width=300)
    shown = app.screen.query_one("#form-refusal", Static)
    refusal = static_text(shown, width=300) if shown.has_class("-shown") else ""
    return f"{status}\n{refusal}"


# -- driving a form by its keys ------------------------------------------------------------------


async def paste(pilot: Pilot[None], field: Input, text: str) -> None:
    """Into `field`: what it holds selected, then `text` pasted over it (a keystroke each
    takes a tenth of a second in a test)."""
    field.focus()
    await pilot.pause()
    await pilot.press("ctrl+shift+a")  # select all
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    assert field.value == text


async def fill(pilot: Pilot[None], name: str, text: str) -> None:
    """The field `name` made to hold `text`."""
    await paste(pilot, pilot.app.screen.query_one(f"#f-{name}", Input), text)


async def pick(pilot: Pilot[None], name: str, text: str) -> None:
    """Open the drop-down `name`, type to find `text`, take it."""
    select = pilot.app.screen.query_one(f"#f-{name}", Select)
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def toggle(pilot: Pilot[None], name: str, text: str) -> None:
    """In the list `name`: narrow it to `text`, then choose (or unchoose) the first left."""
    choices = pilot.app.screen.query_one(f"#f-{name}", ChoiceList)
    await paste(pilot, choices.filter_input, text)
    await pilot.press("down", "space")
    await pilot.pause()


async def open_form(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)
    await pilot.pause()  # the form takes the values it opened with


async def save(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await settle(pilot)  # the routes read again after saving


async def cursor_on(pilot: Pilot[None], app: WorkforceApp, route: str) -> None:
    table = route_table(app)
    assert table.table.move_to_key(route)
    await pilot.pause()


def today() -> str:
    return datetime.now(UTC).date().isoformat()


# -- adding ----------------------------------------------------------------------------------


async def test_a_route_added_with_roles_and_competencies_is_saved_and_shown(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot, "a")
        assert isinstance(app.screen, RouteForm)
        await fill(pilot, "id", "ct-academy-course")
        await fill(pilot, "name", "CT academy course")
        await pick(pilot, "kind", "in-h")
        await fill(pilot, "months", "6")
        await fill(pilot, "level", "6")
        await toggle(pilot, "leads_to", "specialist-radiographer")
        await toggle(pilot, "leads_to", "reporting-radiographer")
        await toggle(pilot, "gives", "ct-scanning")
        await toggle(pilot, "gives", "cannulation")
        assert app.screen.query_one("#f-leads_to", ChoiceList).chosen == [
            "reporting-radiographer",
            "specialist-radiographer",
        ]
        await save(pilot)
        assert isinstance(app.screen, RoutesScreen), refused(app)

        rows = query(
            catalogue_copy,
            "SELECT name, kind, months, level, status FROM training_route WHERE id = ?",
            "ct-academy-course",
        )
        assert rows == [("CT academy course", "in-house", 6, 6, "open")]
        leads = query(
            catalogue_copy,
            "SELECT role FROM route_role WHERE route = ? ORDER BY role",
            "ct-academy-course",
        )
        assert leads == [("reporting-radiographer",), ("specialist-radiographer",)]
        gives = query(
            catalogue_copy,
            "SELECT competency FROM route_competency WHERE route = ? ORDER BY competency",
            "ct-academy-course",
        )
        assert gives == [("cannulation",), ("ct-scanning",)]
        # Recorded as the app's edit.
        sources = query(
            catalogue_copy,
            "SELECT b.source FROM reference_change c JOIN import_batch b ON b.id = c.batch "
            "WHERE c.kind = 'route' AND c.key = ?",
            "ct-academy-course",
        )
        assert sources == [("app: Routes screen",)]

        # Shown on the Routes screen, the cursor on it, with the roles it opens.
        table = route_table(app)
        assert "ct-academy-course" in shown_keys(table.table)
        assert table.table.highlighted_key() == "ct-academy-course"
        shown = cells(table, "ct-academy-course")
        assert shown["Months"] == "6" and shown["Status"] == "open"
        assert "Specialist Radiographer" in shown["Opens"]
        assert "Reporting Radiographer" in shown["Opens"]


async def test_a_bad_id_is_named_in_the_form_and_nothing_is_written(
    catalogue_copy: Path,
) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot, "a")
        await fill(pilot, "id", "CT Academy")
        assert "lowercase" in problem(app, "id")  # named as it is typed
        assert "'ct-academy'" in problem(app, "id")  # with one it would take
        await fill(pilot, "name", "CT academy course")
        await pick(pilot, "kind", "in-h")
        await fill(pilot, "months", "1.5")
        assert "whole number" in problem(app, "months")
        await save(pilot)
        assert isinstance(app.screen, RouteForm)  # not saved, still open
        assert "Not saved" in refused(app)
        assert app.screen.focused is app.screen.query_one("#f-id")  # the first wrong field

        await fill(pilot, "id", "x")
        assert "2 to 80 characters" in problem(app, "id")
        await fill(pilot, "id", "pgcert-ct")  # a route held already
        assert "exists already" in problem(app, "id")
        await fill(pilot, "id", "ct-academy")
        assert problem(app, "id") == ""
        await save(pilot)
        assert isinstance(app.screen, RouteForm)  # the months are still wrong
        assert "whole number" in problem(app, "months")
    assert digest(catalogue_copy) == before
    assert not query(catalogue_copy, "SELECT id FROM training_route WHERE id LIKE 'ct-academy%'")


async def test_a_refusal_by_the_catalogue_is_shown_literally_and_nothing_is_saved(
    catalogue_copy: Path,
) -> None:
    # A competency that goes from the catalogue while the form is open (another user).
    query(catalogue_copy, "SELECT 1")
    conn = sqlite3.connect(catalogue_copy)
    conn.execute(
        "INSERT INTO competency (id, name, pillar, description) VALUES (?, ?, ?, '')",
        ["zz-passing", "Passing [bold]skill[/bold]", "clinical"],
    )
    conn.commit()
    conn.close()
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot, "a")
        await fill(pilot, "id", "passing-course")
        await fill(pilot, "name", "Passing course")
        await pick(pilot, "kind", "in-h")
        await toggle(pilot, "gives", "zz-passing")
        summary = app.screen.query_one("#f-gives .choice-summary", Static)
        assert "Passing [bold]skill[/bold]" in static_text(summary)  # a name is never markup
        conn = sqlite3.connect(catalogue_copy)
        conn.execute("DELETE FROM competency WHERE id = 'zz-passing'")
        conn.commit()
        conn.close()
        before = digest(catalogue_copy)
        await save(pilot)
        assert isinstance(app.screen, RouteForm)
        text = refused(app)
        assert "nothing was written" in text
        assert "field 'gives': unknown competency 'zz-passing'" in text
        assert "unknown competency 'zz-passing'" in problem(app, "gives")  # beside the list
    assert digest(catalogue_copy) == before


# -- changing --------------------------------------------------------------------------------


async def test_changing_a_route_saves_only_what_changed(catalogue_copy: Path) -> None:
    route = "senior-healthcare-support-worker-apprenticeship"
    (name, source, unconfirmed) = query(
        catalogue_copy, "SELECT name, source, unconfirmed FROM training_route WHERE id = ?", route
    )[0]
    assert unconfirmed == "months,funding_cap"  # what the catalogue says, checked here
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert cells(route_table(app), route)["Months"] == "unknown"
        await cursor_on(pilot, app, route)
        await open_form(pilot, "c")
        form = app.screen
        assert isinstance(form, RouteForm)
        assert form.query_one("#f-id", Input).disabled  # the key is fixed
        assert form.query_one("#f-name", Input).value == name
        assert "unknown" in form.query_one("#f-months", Input).placeholder
        await fill(pilot, "months", "18")
        await toggle(pilot, "gives", "team-leadership")  # unchosen
        await toggle(pilot, "gives", "cannulation")  # chosen
        await toggle(pilot, "leads_to", "imaging-support-worker")
        await save(pilot)
        assert isinstance(app.screen, RoutesScreen), refused(app)
        shown = cells(route_table(app), route)
        assert shown["Months"] == "18"
        assert shown["Funding cap"] == "unknown"  # still unknown: not touched
        assert "Imaging Support Worker" in shown["Opens"]
        assert route_table(app).table.highlighted_key() == route

    row = query(
        catalogue_copy,
        "SELECT name, source, months, unconfirmed FROM training_route WHERE id = ?",
        route,
    )[0]
    assert row == (name, source, 18, "funding_cap")  # the months are known now
    gives = {
        c
        for (c,) in query(
            catalogue_copy, "SELECT competency FROM route_competency WHERE route = ?", route
        )
    }
    assert "team-leadership" not in gives and "cannulation" in gives
    assert "safeguarding" in gives  # left as it was
    leads = {
        r for (r,) in query(catalogue_copy, "SELECT role FROM route_role WHERE route = ?", route)
    }
    assert leads == {"senior-imaging-support-worker", "imaging-support-worker"}


async def test_close_then_retire_a_route(catalogue_copy: Path) -> None:
    route = "pgcert-ct"  # it makes the move diagnostic -> specialist radiographer
    app = make_app(catalogue_copy, screen="ladders", role="diagnostic-radiographer")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)  # the Ladders screen, open before the change
        await pilot.press("7")
        await settle(pilot)
        assert cells(route_table(app), route)["Status"] == "open"
        await cursor_on(pilot, app, route)
        await open_form(pilot, "x")
        assert isinstance(app.screen, RouteStatusForm)
        assert app.screen.query_one("#f-status", Select).value == "closed"  # proposed
        await fill(pilot, "note", "No intake from 2027")
        await save(pilot)
        assert isinstance(app.screen, RoutesScreen), refused(app)
        assert cells(route_table(app), route)["Status"] == f"closed since {today()}"
        assert query(
            catalogue_copy,
            "SELECT status, status_note, status_from FROM training_route WHERE id = ?",
            route,
        ) == [("closed", "No intake from 2027", today())]

        await open_form(pilot, "x")
        assert app.screen.query_one("#f-status", Select).value == "retired"  # proposed next
        await save(pilot)
        assert isinstance(app.screen, RoutesScreen), refused(app)
        assert cells(route_table(app), route)["Status"] == f"retired since {today()}"

        await pilot.press("3")  # the Ladders screen shows it too
        await settle(pilot)
        ladders = app.screen
        assert isinstance(ladders, LaddersScreen) and ladders.data is not None
        assert ladders.data.career.routes[route].status == "retired"
        ladders.go_to_role("diagnostic-radiographer")
        await pilot.pause()
        tree = ladders.query_one(LadderTree)
        moves = tree.rung_nodes["diagnostic-radiographer"].children
        (move,) = [m for m in moves if m.data and m.data.role == "specialist-radiographer"]
        assert "1 retired" in str(move.label)
    assert query(catalogue_copy, "SELECT status FROM training_route WHERE id = ?", route) == [
        ("retired",)
    ]
    # The moves that name it still do.
    assert query(catalogue_copy, "SELECT count(*) FROM progression_route WHERE route = ?", route)[
        0
    ][0]


# -- leaving ---------------------------------------------------------------------------------


async def test_escape_with_unsaved_changes_asks_first(catalogue_copy: Path) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot, "a")
        await pilot.press("escape")  # nothing changed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, RoutesScreen)

        await open_form(pilot, "a")
        await fill(pilot, "name", "Half-typed route")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, RouteForm)
        assert app.screen.query_one("#f-name", Input).value == "Half-typed route"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert isinstance(app.screen, RoutesScreen)
    assert digest(catalogue_copy) == before


async def test_the_help_and_the_key_bar_name_the_new_keys(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        markdown = routes_screen(app).help_markdown()
        for line in (
            "| `a` | Add a training route |",
            "| `c` | Change the route under the cursor",
            "| `x` | Close, retire or reopen the route under the cursor |",
        ):
            assert line in markdown
        assert "Editing routes" in markdown
        bar = str(app.screen.query_one("KeyBar").render())
        assert "a Add" in bar and "c Change" in bar and "x Close/retire" in bar
        await pilot.press("slash")  # typing a filter: letters are text
        await pilot.pause()
        bar = str(app.screen.query_one("KeyBar").render())
        assert "a Add" not in bar
        await type_text(pilot, "ax")
        assert not isinstance(app.screen, FormScreen)


async def test_a_fee_is_saved_only_with_its_source_and_a_route_can_be_for_graduates(
    catalogue_copy: Path,
) -> None:
    # Issue 12 item 10: a route's tuition fee, with where it comes from; 'fee' unknown till then.
    route = "pgcert-ct"
    assert query(catalogue_copy, "SELECT fee, unconfirmed FROM training_route WHERE id = ?", route)[
        0
    ] == (None, "months,fee")
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await cursor_on(pilot, app, route)
        await open_form(pilot, "c")
        assert isinstance(app.screen, RouteForm)
        assert "unknown" in app.screen.query_one("#f-fee", Input).placeholder
        await fill(pilot, "fee", "4200")
        await save(pilot)
        assert isinstance(app.screen, RouteForm)  # not saved without a source
        assert "where the fee comes from" in problem(app, "fee_source")
        await fill(pilot, "fee_source", "A university, 2025 entry: 4,200 pounds (https://x.ac.uk)")
        await pick(pilot, "needs_degree", "yes")
        await save(pilot)
        assert isinstance(app.screen, RoutesScreen), refused(app)
    row = query(
        catalogue_copy,
        "SELECT fee, fee_source, needs_degree, unconfirmed FROM training_route WHERE id = ?",
        route,
    )[0]
    assert row[0] == 4200 and row[1].startswith("A university, 2025 entry")
    assert row[2] == 1 and row[3] == "months"  # the fee is known now
