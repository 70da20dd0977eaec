"""The Ladders screen: a staff group's ladder as a tree, top rung first; Enter on a rung opens its
detail (pay range, competencies, posts by trust), Enter on a move goes to the role it leads to."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from catalogue.store import open_catalogue
from pathways.ladder import band_range, rung_key
from pathways.records import (
    load_pay,
    load_progressions,
    load_roles,
    load_routes,
    load_staff_groups,
    salary_at,
)
from pathways.routes import status_on
from tests.factories import jd, make_catalogue
from tests.test_tui import REPO, _until, settle, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.export import ExportScreen
from tui.screens.ladders import LaddersScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.ladder_tree import LadderTree


def _tree(app: WorkforceApp) -> LadderTree:
    return app.screen.query_one(LadderTree)


def _rungs(app: WorkforceApp) -> list[str]:
    """The roles of the rungs drawn, top to bottom."""
    return list(_tree(app).rung_nodes)


def _detail(app: WorkforceApp) -> str:
    return static_text(app.screen.query_one("#ladder-detail-body", Static), width=120)


async def _choose_group(pilot: Pilot[None], name: str) -> None:
    """`g`, then the staff group's name typed into the open list, then Enter."""
    await pilot.press("g")
    await type_text(pilot, name)
    await pilot.press("enter")
    await settle(pilot)


def _catalogue_facts(path: Path):  # type: ignore[no-untyped-def]
    db = open_catalogue(path)
    try:
        return load_roles(db), load_progressions(db), load_pay(db)
    finally:
        db.close()


async def test_choosing_radiography_draws_its_ladder_top_rung_first(packaged_db: Path) -> None:
    roles, edges, _ = _catalogue_facts(packaged_db)
    radiography = [role for role in roles.values() if role.staff_group == "radiography"]
    top = max(radiography, key=rung_key)
    assert top.id == "consultant-radiographer"  # what the catalogue says, checked here
    into_top = {edge.from_role for edge in edges if edge.to_role == top.id}
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _choose_group(pilot, "Sonography")  # away first, so choosing radiography shows
        assert all(roles[role].staff_group == "sonography" for role in _rungs(app))
        await _choose_group(pilot, "Radiography")
        assert app.screen.query_one("#staff-group", Select).value == "radiography"
        assert _rungs(app)[0] == top.id
        assert set(_rungs(app)) == {role.id for role in radiography}
        # Under each rung moving up to the top, the move to it, named.
        tree = _tree(app)
        for source in into_top & set(_rungs(app)):
            moves = [child for child in tree.rung_nodes[source].children if child.data]
            to_top = [move for move in moves if move.data and move.data.role == top.id]
            assert len(to_top) == 1
            assert "↑ Consultant Radiographer" in str(to_top[0].label)
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "↑ Consultant Radiographer" in screen_text


async def test_enter_on_a_rung_shows_its_pay_range(packaged_db: Path) -> None:
    roles, _, (year, salaries) = _catalogue_facts(packaged_db)
    role = roles["diagnostic-radiographer"]
    assert role.band_min and role.band_max
    low = salary_at(salaries, role.band_min, "entry")
    high = salary_at(salaries, role.band_max, "top")
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "diagnostic-radiographer")
        await pilot.press("enter")  # from the filter back to the ladder, on the first rung
        assert _rungs(app) == ["diagnostic-radiographer"]
        await pilot.press("enter")
        await settle(pilot)
        detail = _detail(app)
        assert f"£{low:,} (Band {role.band_min} entry)" in detail
        assert f"£{high:,} (Band {role.band_max} top), {year}" in detail
        assert "Posts and vacancies by trust" in detail
        await pilot.press("escape")  # closes the detail
        assert app.screen.query_one("#ladder-body").has_class("-detail-open") is False


async def test_the_detail_lists_posts_and_vacancies_by_trust(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "S-1", "sonographer", "6", wte_funded=5, wte_in_post=3.5),
            jd("RRK", "S-2", "sonographer", "7", wte_funded=1, wte_in_post=1),
            jd("RL4", "S-3", "sonographer", "6", wte_funded=2, wte_in_post=2),
        ],
    )
    app = make_app(path, screen="ladders", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lines = {line.split()[0]: line.split() for line in _detail(app).splitlines() if line}
        # RRK: 2 JDs, 6 funded, 4.5 in post, 1.5 vacant; RL4: 1 JD, none vacant.
        assert lines["RRK"][:5] == ["RRK", "2", "6.0", "4.5", "1.5"]
        assert lines["RL4"][:5] == ["RL4", "1", "2.0", "2.0", "0.0"]


async def test_enter_on_a_move_goes_to_its_role_on_its_own_ladder(packaged_db: Path) -> None:
    roles, edges, _ = _catalogue_facts(packaged_db)
    away = next(
        edge
        for edge in edges
        if edge.from_role == "diagnostic-radiographer"
        and roles[edge.to_role].staff_group != "radiography"
    )
    app = make_app(packaged_db, screen="ladders", role="diagnostic-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = _tree(app)
        assert tree.cursor_node is tree.rung_nodes["diagnostic-radiographer"]
        while tree.cursor_node is None or tree.cursor_node.data.role != away.to_role:  # type: ignore[union-attr]
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        group = roles[away.to_role].staff_group
        assert app.screen.query_one("#staff-group", Select).value == group
        assert tree.cursor_node is tree.rung_nodes[away.to_role]


async def test_a_role_deep_link_opens_its_ladder_with_it_open(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="ladders", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LaddersScreen)
        assert app.screen.query_one("#staff-group", Select).value == "sonography"
        assert _tree(app).cursor_node is _tree(app).rung_nodes["sonographer"]
        assert "sonographer" in _detail(app).splitlines()[1]


async def test_brackets_step_through_the_staff_groups(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        select = app.screen.query_one("#staff-group", Select)
        first = select.value
        await pilot.press("right_square_bracket")
        assert select.value != first
        await pilot.press("left_square_bracket")
        assert select.value == first


def _shown(widget: Widget) -> list[str]:
    """What a widget shows, line by line, as it is scrolled now."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def _cursor_line(tree: LadderTree) -> str:
    return _shown(tree)[tree.cursor_line - round(tree.scroll_y)]


async def test_following_a_move_with_a_filter_on_lands_on_its_rung(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Specialist Radiographer")
        await pilot.press("enter", "down")
        tree = _tree(app)
        assert _rungs(app) == ["specialist-radiographer"]
        assert "↑ Advanced Practitioner Radiographer" in _cursor_line(tree)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        # The filter hid the rung: it is cleared, the whole ladder drawn, the cursor on it.
        assert app.screen.query_one("Input.filter", Input).value == ""
        assert len(_rungs(app)) > 1
        assert tree.cursor_node is tree.rung_nodes["advanced-practitioner-radiographer"]
        line = _cursor_line(tree)
        assert "Advanced Practitioner Radiographer" in line and "↑" not in line


async def test_backspace_goes_back_to_the_ladder_and_rung_a_move_left(packaged_db: Path) -> None:
    roles, edges, _ = _catalogue_facts(packaged_db)
    away = next(
        edge
        for edge in edges
        if edge.from_role == "diagnostic-radiographer"
        and roles[edge.to_role].staff_group != "radiography"
    )
    target = roles[away.to_role]
    app = make_app(packaged_db, screen="ladders", role="diagnostic-radiographer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # close the detail: the keys are the ladder's
        bar = app.screen.query_one(KeyBar)
        assert "⌫ Back" not in bar.render().plain  # nowhere to go back to yet
        tree = _tree(app)
        while f" {target.title}  " not in _cursor_line(tree):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        select = app.screen.query_one("#staff-group", Select)
        assert select.value == target.staff_group
        assert tree.cursor_node is tree.rung_nodes[target.id]
        await pilot.pause()
        assert "⌫ Back" in bar.render().plain
        await pilot.press("left_square_bracket")  # `[` is the neighbouring staff group...
        assert select.value not in ("radiography", target.staff_group)
        await pilot.press("backspace")  # ...backspace the ladder the move was followed from
        await settle(pilot)
        await pilot.pause()
        assert select.value == "radiography"
        assert tree.cursor_node is tree.rung_nodes["diagnostic-radiographer"]
        assert "Diagnostic Radiographer" in _cursor_line(tree)
        assert "⌫ Back" not in bar.render().plain
        await pilot.press("backspace")  # nothing more to go back to: nothing happens
        assert select.value == "radiography"


async def test_the_staff_groups_are_listed_by_name(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        groups = load_staff_groups(db)
    finally:
        db.close()
    names = sorted(groups.values(), key=str.casefold)
    assert names != [groups[group] for group in sorted(groups)]  # ids would order them apart
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        select = app.screen.query_one("#staff-group", Select)
        await pilot.press("g")
        await pilot.pause()
        listed = [line.strip() for line in _shown(select.query_one("SelectOverlay", Widget))]
        assert [name for name in listed if name in names] == names
        await pilot.press("escape")
        # `]` steps through them in the same order.
        await _choose_group(pilot, names[0])
        seen = [groups[str(select.value)]]
        for _ in names[1:]:
            await pilot.press("right_square_bracket")
            seen.append(groups[str(select.value)])
        assert seen == names


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_restricted_route_says_so_first(packaged_db: Path, size: tuple[int, int]) -> None:
    roles, edges, _ = _catalogue_facts(packaged_db)
    db = open_catalogue(packaged_db)
    try:
        routes = load_routes(db)
    finally:
        db.close()
    move = next(
        e
        for e in edges
        if (e.from_role, e.to_role)
        == ("specialist-radiographer", "advanced-practitioner-radiographer")
    )
    today = date.today()
    restricted = [routes[r] for r in move.routes if status_on(routes[r], today) == "restricted"]
    assert len(restricted) == 1 < len(move.routes)  # what the catalogue says, today
    route = restricted[0]
    app = make_app(packaged_db, screen="ladders")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Specialist Radiographer")
        await pilot.press("enter", "down")
        tree = _tree(app)
        # The move says how many of its routes are restricted, before the time in post.
        title = roles[move.to_role].title
        count = f"{len(move.routes)} routes, 1 restricted"
        bands = band_range(roles[move.to_role])
        assert f"↑ {title}  {bands} · {count} ·" in _cursor_line(tree)
        await pilot.press("space")  # its routes
        await pilot.pause()
        # Under it the route: the restriction first, then its figures, whole; then its name.
        lines = [line for line in _shown(tree) if "RESTRICTED" in line]
        assert len(lines) == 1
        figures = f"level {route.level} · {route.months} months · cap £{route.funding_cap:,}"
        assert f"├─ RESTRICTED since {route.status_from} · {figures} · via " in lines[0]
        if size[0] >= 100:  # and room for the start of its name
            assert f"via {route.name[:20]}" in lines[0]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_export_writes_the_ladder_one_row_per_move(packaged_db: Path, in_tmp: Path) -> None:
    roles, edges, _ = _catalogue_facts(packaged_db)
    sonography = {role.id for role in roles.values() if role.staff_group == "sonography"}
    moves = {(e.from_role, e.to_role) for e in edges if e.from_role in sonography}
    without_moves = sonography - {source for source, _ in moves}
    app = make_app(packaged_db, screen="ladders", role="sonographer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # close the detail: the keys are the ladder's
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await settle(pilot)
    text = (in_tmp / "ladder-sonography.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(row["role"], row["to_role"]) for row in rows if row["to_role"]} == moves
    assert {row["role"] for row in rows if not row["to_role"]} == without_moves


def _ladder_open(app: WorkforceApp) -> bool:
    screen = app.screen
    if not isinstance(screen, LaddersScreen) or app.illustrative_jds is None:
        return False
    return screen.detail_item is not None and not screen.query_one("#ladder-detail").loading


class TestLaddersSnapshots:
    def test_radiography_with_a_role_open(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"), screen="ladders", role="diagnostic-radiographer")

        async def ready(pilot: Pilot[None]) -> None:
            await _until(pilot, _ladder_open)
            await _scrolled(pilot)

        assert snap_compare(app, terminal_size=(100, 30), run_before=ready)


async def _scrolled(pilot: Pilot[None]) -> None:
    """Until the ladder has stopped scrolling: the tree centres the chosen rung once it is laid
    out (after a refresh), and a snapshot taken before then caught it half-way, now and then."""
    tree = _tree(pilot.app)  # type: ignore[arg-type]
    for _ in range(20):
        before = tree.scroll_offset
        await pilot.pause()
        await pilot.pause(0.02)
        if tree.scroll_offset == before:
            return
    raise AssertionError("the ladder never stopped scrolling")
