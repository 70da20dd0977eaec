"""The Routes screen: training routes by kind and level (unknown figures said to be unknown),
filtered as you type; and the educator's list of roles routes are missing for."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from catalogue.store import open_catalogue
from pathways.records import (
    ProgressionEdge,
    RoleInfo,
    RouteInfo,
    load_progressions,
    load_roles,
    load_routes,
)
from tests.test_tui import settle, shown_keys, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.routes import RoutesScreen, name_width
from tui.widgets.filter_table import FilterTable
from tui.widgets.tables import RowTable


def _facts(path: Path) -> tuple[dict[str, RoleInfo], dict[str, RouteInfo], list[ProgressionEdge]]:
    db = open_catalogue(path)
    try:
        return load_roles(db), load_routes(db), load_progressions(db)
    finally:
        db.close()


def _table(app: WorkforceApp) -> FilterTable:
    screen = app.screen
    assert isinstance(screen, RoutesScreen)
    return screen.active_table()


def _cells(table: FilterTable, key: str) -> dict[str, str]:
    """The row `key` as shown: column label -> cell text."""
    labels = [column.label for column in table.spec.columns]
    return dict(zip(labels, (c.plain for c in table.table.get_row(key)), strict=True))


async def test_the_filter_apprenticeship_shows_the_apprenticeships(packaged_db: Path) -> None:
    _, routes, _ = _facts(packaged_db)
    # The cells shown that could hold the word: name, kind and id (no role title holds it).
    expected = {
        route.id
        for route in routes.values()
        if "apprenticeship" in f"{route.name} {route.kind} {route.id}".casefold()
    }
    assert expected and expected != set(routes)
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = _table(app)
        assert set(shown_keys(table.table)) == set(routes)
        await pilot.press("slash")
        await type_text(pilot, "apprenticeship")
        await pilot.press("enter")
        assert set(shown_keys(table.table)) == expected
        status = static_text(table.query_one(".table-status", Static))
        assert f"{len(expected)} of {len(routes)} routes" in status


async def test_routes_are_grouped_by_kind_and_level(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = _table(app).shown
        order = [(row["kind"], row["level"] or 0) for row in rows]
        assert order == sorted(order)


async def test_unknown_figures_and_restrictions_are_said(packaged_db: Path) -> None:
    _, routes, _ = _facts(packaged_db)
    unknown_cap = next(r for r in routes.values() if "funding_cap" in r.unconfirmed)
    known_cap = next(r for r in routes.values() if r.funding_cap is not None)
    restricted = next(r for r in routes.values() if r.status == "restricted" and r.status_from)
    in_force = date.fromisoformat(restricted.status_from) <= date.today()
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = _table(app)
        # "unknown", as the line above the tabs explains (the route's detail says it in full).
        assert _cells(table, unknown_cap.id)["Funding cap"] == "unknown"
        assert "unknown: no public source settled it" in static_text(
            app.screen.query_one("#routes-as-of", Static)
        )
        assert _cells(table, known_cap.id)["Funding cap"] == f"£{known_cap.funding_cap:,}"
        status = _cells(table, restricted.id)["Status"]
        if in_force:
            assert status == f"restricted since {restricted.status_from}"
        else:
            assert status == "open"
        opened = _cells(table, known_cap.id)["Opens"]
        roles, _, _ = _facts(packaged_db)
        for role in known_cap.leads_to:
            assert roles[role].title in opened


async def test_the_gap_list_shows_roles_no_apprenticeship_leads_to(packaged_db: Path) -> None:
    roles, routes, edges = _facts(packaged_db)
    into: dict[str, set[str]] = {role: set() for role in roles}
    for route in routes.values():
        for role in route.leads_to:
            into[role].add(route.id)
    for edge in edges:
        into[edge.to_role].update(edge.routes)
    no_apprenticeship = {
        role
        for role, found in into.items()
        if not any(routes[r].kind == "apprenticeship" for r in found if r in routes)
    }
    assert "consultant-radiographer" in no_apprenticeship
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        table = _table(app)
        assert table.spec.name == "route-gaps"
        flagged = {
            str(row["role"])
            for row in table.shown
            if "no apprenticeship" in str(row["findings"]).split("; ")
        }
        assert flagged == no_apprenticeship
        assert "no apprenticeship" in _cells(table, "consultant-radiographer")["Missing"]
        await pilot.press("slash")
        await type_text(pilot, "consultant radiographer")
        await pilot.press("enter", "enter")  # to the table, then open the role
        await settle(pilot)
        detail = static_text(table.query_one(".detail-body", Static), width=120)
        assert "Consultant Radiographer" in detail and "Routes in" in detail


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_export_writes_the_routes_shown(packaged_db: Path, in_tmp: Path) -> None:
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "postgraduate")
        await pilot.press("enter")
        shown = shown_keys(_table(app).table)
        await pilot.press("e", "enter")
        await settle(pilot)
    rows = list(csv.DictReader(io.StringIO((in_tmp / "routes.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == shown
    assert {"kind", "level", "months", "funding_cap", "standard_ref", "status", "opens"} <= set(
        rows[0]
    )


# -- fitted to the terminal: figures and statuses whole, names wrapped whole -----------------


def _lines(table: RowTable) -> list[str]:
    """What the table shows, line by line (its header first), as it is scrolled now."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def _shown_row(pilot: Pilot[None], table: RowTable, key: str) -> list[str]:
    """The lines the table shows for row `key` (a wrapped name takes several), once the
    cursor has brought it into view."""
    assert table.move_to_key(key)
    await pilot.pause()
    index = table.get_row_index(key)
    top = table.header_height + sum(row.height for row in table.ordered_rows[:index])
    top -= round(table.scroll_y)
    lines = _lines(table)
    height = table.ordered_rows[index].height
    assert top > 0 and top + height <= len(lines), "the whole row is in view"
    return lines[top : top + height]


def _shown_cell(table: RowTable, lines: list[str], label: str) -> str:
    """What column `label` shows on a row's `lines`, its wrapped lines joined by a space."""
    start = 0
    for column in table.ordered_columns:
        width = column.get_render_width(table)
        if column.key.value == label:
            parts = (line[start : start + width].strip() for line in lines)
            return " ".join(part for part in parts if part)
        start += width
    raise KeyError(label)


def _on_screen_whole(table: RowTable, label: str) -> None:
    """Column `label` is within the table's width, not scrolled sideways, and every cell of it
    (and its header) fits the column's width, on one line or wrapped at its words: nothing in
    it is cut."""
    assert table.scroll_x == 0
    columns = table.ordered_columns
    index = next(i for i, column in enumerate(columns) if column.key.value == label)
    right_edge = sum(column.get_render_width(table) for column in columns[: index + 1])
    assert right_edge <= table.scrollable_content_region.width, (label, right_edge)
    width = columns[index].get_render_width(table) - 2 * table.cell_padding
    assert columns[index].label.cell_len <= width
    for value in table.get_column(label):
        parts = value.plain.split() if not value.no_wrap else [value.plain]
        assert all(len(part) <= width for part in parts), (label, value.plain, width)


def _past_the_edge_whole(table: RowTable) -> None:
    """No column is cut by the right edge: each ends within it or starts at or past it."""
    edge = table.scrollable_content_region.width
    start = 0
    for column in table.ordered_columns:
        end = start + column.get_render_width(table)
        assert end <= edge or start >= edge, (column.key.value, start, end, edge)
        start = end


@pytest.mark.parametrize(
    ("size", "whole"),
    [
        ((80, 24), ("Level", "Months", "Funding cap", "Status")),
        ((100, 30), ("Level", "Months", "Funding cap", "Status", "Standard")),
    ],
)
async def test_names_figures_and_statuses_are_shown_whole(
    packaged_db: Path, size: tuple[int, int], whole: tuple[str, ...]
) -> None:
    _, routes, _ = _facts(packaged_db)
    restricted = next(r for r in routes.values() if r.status == "restricted" and r.status_from)
    assert date.fromisoformat(restricted.status_from) <= date.today()  # in force: said so
    capped = max((r for r in routes.values() if r.funding_cap), key=lambda r: r.funding_cap or 0)
    longest = max(routes.values(), key=lambda r: len(r.name))
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.pause()
        table = _table(app).table
        for label in ("Route", *whole):
            _on_screen_whole(table, label)
        _past_the_edge_whole(table)
        header = _lines(table)[0]
        for label in ("Route", *whole):
            assert label in header
        lines = await _shown_row(pilot, table, restricted.id)
        assert _shown_cell(table, lines, "Status") == f"restricted since {restricted.status_from}"
        assert _shown_cell(table, lines, "Funding cap") == f"£{restricted.funding_cap:,}"
        lines = await _shown_row(pilot, table, capped.id)
        assert _shown_cell(table, lines, "Funding cap") == f"£{capped.funding_cap:,}"
        assert _shown_cell(table, lines, "Months") == f"{capped.months}"
        # The longest name (136 characters) is on screen whole, over as many lines as it
        # needs; the name gave room to the figures but keeps at least 28.
        lines = await _shown_row(pilot, table, longest.id)
        assert _shown_cell(table, lines, "Route") == longest.name
        name = table.ordered_columns[0]
        assert 28 <= name.width < len(longest.name) and len(lines) > 1


async def test_routes_that_start_alike_are_told_apart_by_their_whole_names(
    packaged_db: Path,
) -> None:
    _, routes, _ = _facts(packaged_db)
    bsc = routes["diagnostic-radiographer-degree-apprenticeship"]
    msc = routes["diagnostic-radiographer-msc-apprenticeship"]
    assert bsc.name[:40] == msc.name[:40]  # what the catalogue says, checked here
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        table = _table(app).table
        assert table.ordered_columns[0].width < len(bsc.name)  # each wraps
        for route in (bsc, msc):
            lines = await _shown_row(pilot, table, route.id)
            assert _shown_cell(table, lines, "Route") == route.name
            assert "…" not in "".join(lines)


async def test_a_resized_terminal_wraps_the_names_again(packaged_db: Path) -> None:
    _, routes, _ = _facts(packaged_db)
    longest = max(routes.values(), key=lambda r: len(r.name))
    app = make_app(packaged_db, screen="routes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = _table(app).table
        narrow = len(await _shown_row(pilot, table, longest.id))
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        await pilot.pause()
        lines = await _shown_row(pilot, table, longest.id)
        assert len(lines) < narrow  # wider: fewer lines, and no blank one left over
        assert _shown_cell(table, lines, "Route") == longest.name


def test_the_name_takes_the_room_the_columns_that_fit_leave() -> None:
    # 80 wide, the name at least 18 (16 and padding): 9 + 9 + 13 + 29 fit, the next 10 not.
    assert name_width(78, [9, 9, 13, 29, 10, 20], 18) == 18
    # Wider: the next column fits too, and the name takes what is left.
    assert name_width(98, [9, 9, 13, 29, 10, 20], 18) == 28
    # Everything fits: the name takes the rest.
    assert name_width(200, [9, 9], 18) == 182
