"""The Catalogue screen: filter as you type, sort, open a row's detail, switch tabs."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from catalogue.store import open_catalogue
from pathways.records import load_role_competencies, load_roles
from tests.test_tui import active_table, detail_text, settle, shown_keys, static_text, type_text
from tui.app import make_app

DATA = Path(__file__).resolve().parent.parent / "catalogue" / "data"


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def _roles(path: Path) -> dict[str, Any]:
    db = open_catalogue(path)
    try:
        return load_roles(db)
    finally:
        db.close()


async def test_typing_sono_shows_only_the_sonography_roles(packaged_db: Path) -> None:
    roles = _roles(packaged_db)
    sonography = {role.id for role in roles.values() if role.staff_group == "sonography"}
    assert len(sonography) > 1
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = active_table(app)
        assert len(shown_keys(table.table)) == len(roles)
        await pilot.press("slash")
        await type_text(pilot, "sono")
        assert set(shown_keys(table.table)) == sonography
        status = static_text(table.query_one(".table-status", Static))
        assert f"{len(sonography)} of {len(roles)} roles" in status
        # Escape clears the filter (and gives the keys back to the table).
        await pilot.press("escape")
        assert table.query_one(Input).value == ""
        assert len(shown_keys(table.table)) == len(roles)
        assert app.focused is table.table


async def test_the_filter_matches_any_column_ignoring_case(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "MEDICAL PAY")  # the Bands column of a role on medical pay
        table = active_table(app)
        medical = {r.id for r in _roles(packaged_db).values() if r.pay_system == "medical"}
        assert set(shown_keys(table.table)) == medical
        await type_text(pilot, "xyz")
        assert shown_keys(table.table) == []
        assert "0 of" in static_text(table.query_one(".table-status", Static))


async def test_enter_on_a_role_shows_its_competencies_by_pillar(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        needs = load_role_competencies(db)["sonographer"]
        names = dict(db.execute("SELECT id, name FROM competency").fetchall())
    finally:
        db.close()
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = active_table(app)
        await pilot.press("slash")
        await type_text(pilot, "sonographer")
        await pilot.press("enter")  # from the filter to the table
        while table.table.highlighted_key() != "sonographer":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert table.detail_key == "sonographer"
        text = detail_text(table)
        for competency, level in needs.items():
            line = next(line for line in text.splitlines() if names[competency] in line)
            assert f"{level} " in line, line
        assert "Competencies needed" in text and "Routes in" in text
        assert "Sonographer (integrated degree) apprenticeship" in text  # a route into it
        assert "Trainee Sonographer" in text  # the move up into it
        # Escape closes the detail.
        await pilot.press("escape")
        assert table.detail_key is None and not table.has_class("-detail-open")


async def test_the_detail_follows_the_cursor(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="catalogue", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = active_table(app)
        await pilot.press("down")
        await settle(pilot)
        below = table.table.highlighted_key()
        assert below != "sonographer" and table.detail_key == below
        title = _roles(packaged_db)[str(below)].title
        assert title in detail_text(table)


async def test_s_sorts_by_the_next_column_and_r_reverses(packaged_db: Path) -> None:
    roles = _roles(packaged_db)
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = active_table(app)
        await pilot.press("s")  # by Title
        titles = [roles[key].title for key in shown_keys(table.table)]
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("r")
        titles = [roles[key].title for key in shown_keys(table.table)]
        assert titles == sorted(titles, key=str.casefold, reverse=True)
        await pilot.press("s")  # by Staff group
        groups = [roles[key].staff_group for key in shown_keys(table.table)]
        assert groups == sorted(groups)
        assert "sorted by Staff group" in static_text(table.query_one(".table-status", Static))


async def test_numbers_sort_as_numbers_and_a_header_click_sorts_by_it(packaged_db: Path) -> None:
    wanted: dict[str, int] = {}
    for needs in _data("role_competencies.toml").values():
        for competency in needs:
            wanted[competency] = wanted.get(competency, 0) + 1
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")  # Competencies
        await settle(pilot)
        table = active_table(app)
        assert table.spec.name == "competencies"
        header = table.table
        # The Roles column (needed by how many roles) is the third: click its header.
        columns = header.ordered_columns
        x = sum(column.get_render_width(header) for column in columns[:2]) + 1
        await pilot.click(header, offset=(x, 0))
        counts = [wanted.get(key, 0) for key in shown_keys(table.table)]
        assert counts == sorted(counts)
        assert len(set(counts)) > 2  # numbers of one and two digits: "12" after "3"
        await pilot.click(header, offset=(x, 0))  # again: reversed
        counts = [wanted.get(key, 0) for key in shown_keys(table.table)]
        assert counts == sorted(counts, reverse=True)


async def test_a_route_shows_what_no_source_settled_as_unknown(packaged_db: Path) -> None:
    route = next(
        r for r in _data("routes.toml")["route"] if r["id"] == "sonographer-degree-apprenticeship"
    )
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*["right_square_bracket"] * 3)
        await settle(pilot)
        table = active_table(app)
        assert table.spec.name == "routes"
        await pilot.press("slash")
        await type_text(pilot, "sonographer-deg")  # enough to leave only this route
        await pilot.press("enter", "enter")
        await settle(pilot)
        text = detail_text(table)
        lines = {line.split(maxsplit=1)[0]: line for line in text.splitlines() if line.strip()}
        assert "unknown (no source)" in lines["Standard"]
        assert "unknown (no source)" in lines["Funding"]
        assert str(route["months"]) in lines["Months"]
        assert route["status_note"] in text
        # In the table too, a figure no source settled reads "unknown", never blank or a guess.
        row = table.table.get_row(route["id"])
        assert "unknown" in [cell.plain for cell in row]


async def test_a_band_shows_its_je_range_and_pay_points_by_year(packaged_db: Path) -> None:
    points = [p for p in _data("bands.toml")["pay_point"] if p["band"] == "6"]
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        table = active_table(app)
        assert table.table.move_to_key("6")
        await pilot.press("enter")
        await settle(pilot)
        text = detail_text(table)
        band = next(b for b in _data("bands.toml")["band"] if b["code"] == "6")
        assert f"{band['je_min']} to {band['je_max']}" in text
        for point in points:
            line = f"{point['pay_year']}  {point['point']}"
            found = [row for row in text.splitlines() if line in row]
            assert found, line
            assert f"£{point['salary']:,}" in found[0] and point["confidence"] in found[0]
