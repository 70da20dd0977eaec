"""The Routes screen: training routes by kind and level (unknown figures said to be unknown),
filtered as you type; and the educator's list of roles routes are missing for."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
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
from tui.screens.routes import RoutesScreen
from tui.widgets.filter_table import FilterTable


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
        assert _cells(table, unknown_cap.id)["Funding cap"] == "unknown (no source)"
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
