"""The Matching screen: unmapped JDs with their likely roles, accepted, rejected and undone one by
one, each written (or undone) in its own transaction."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from catalogue.store import open_catalogue
from pathways.matching import suggest_matches
from tests.factories import jd, make_catalogue
from tests.test_tui import REPO, settle, static_text, type_text
from tools.illustrative_jds import intended_matches
from tui.app import WorkforceApp, make_app
from tui.screens import matching as matching_screen
from tui.screens.matching import MatchingScreen
from tui.screens.network import NetworkScreen
from tui.widgets.tables import RowTable

# An unmapped JD of the bundled catalogue, and the role it was written to be.
TRUST, TITLE = "RJE", "Superintendent Radiographer - Plain Film"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unmapped(path: Path) -> dict[int, tuple[str, str]]:
    """The catalogue's JDs with no role: id -> (trust, title)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, trust, title FROM job_description WHERE role IS NULL")
        return {jd_id: (trust, title) for jd_id, trust, title in rows}
    finally:
        conn.close()


def role_of(path: Path, jd_id: int) -> str | None:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT role FROM job_description WHERE id = ?", [jd_id]).fetchone()[0]
    finally:
        conn.close()


def set_role_elsewhere(path: Path, jd_id: int, role: str | None) -> None:
    """Another program (or person) changes a JD's role while the app is open."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("UPDATE job_description SET role = ? WHERE id = ?", [role, jd_id])
    finally:
        conn.close()


def ranked(path: Path, jd_id: int) -> list[str]:
    """The roles suggested for one JD, best first, as the analysis ranks them."""
    return [role for role, _ in scored(path, jd_id)]


def scored(path: Path, jd_id: int) -> list[tuple[str, float]]:
    """The roles suggested for one JD with the matcher's confidence, best first."""
    db = open_catalogue(path)
    try:
        suggestion = next(s for s in suggest_matches(db, limit=None) if s.jd.id == jd_id)
    finally:
        db.close()
    return [(candidate.role, candidate.confidence) for candidate in suggestion.candidates]


def audit_trail(path: Path) -> list[tuple[str, str, str | None, str | None, str, float | None]]:
    """The role_mapping rows, oldest first: (trust, jd_ref, role, previous, how, score)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT trust, jd_ref, role, previous_role, how, score FROM role_mapping ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def jd_ref_of(path: Path, jd_id: int) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT jd_ref FROM job_description WHERE id = ?", [jd_id]).fetchone()[
            0
        ]
    finally:
        conn.close()


def jd_id_of(path: Path, trust: str, title: str) -> int:
    return next(i for i, (t, name) in unmapped(path).items() if (t, name) == (trust, title))


def screen(app: WorkforceApp) -> MatchingScreen:
    assert isinstance(app.screen, MatchingScreen)
    return app.screen


def jds_table(app: WorkforceApp) -> RowTable:
    return screen(app).query_one("#match-jds", RowTable)


def shown_ids(app: WorkforceApp) -> list[int]:
    return [int(str(row.key.value)) for row in jds_table(app).ordered_rows]


def shown_titles(app: WorkforceApp) -> list[str]:
    table = jds_table(app)
    return [table.get_row(row.key)[2].plain for row in table.ordered_rows]


def status(app: WorkforceApp) -> str:
    return static_text(screen(app).query_one("#match-status", Static))


async def go_to(pilot: Pilot[None], title: str) -> None:
    """Filter the JDs down to `title` and put the cursor on it, as a person would."""
    await pilot.press("slash")
    await type_text(pilot, title)
    await pilot.press("enter")  # from the filter to the table
    assert shown_titles(pilot.app) == [title]  # type: ignore[arg-type]


async def test_lists_every_unmapped_jd_with_its_best_role(catalogue_copy: Path) -> None:
    wanted = unmapped(catalogue_copy)
    # The bundled unmapped JDs are the ones the generator left unmapped on purpose.
    assert set(wanted.values()) == set(intended_matches())
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert sorted(shown_ids(app)) == sorted(wanted)
        assert sorted(shown_titles(app)) == sorted(title for _, title in wanted.values())
        assert f"{len(wanted)} JDs left to match" in status(app)
        # Each row's best match is the analysis's first suggestion, by its title.
        table = jds_table(app)
        first = shown_ids(app)[0]
        db = open_catalogue(catalogue_copy)
        try:
            titles = dict(db.execute("SELECT id, title FROM role").fetchall())
        finally:
            db.close()
        best = table.get_row(str(first))[5].plain
        assert best == titles[ranked(catalogue_copy, first)[0]]


async def test_accepting_the_top_role_maps_the_jd_and_undo_unmaps_it(
    catalogue_copy: Path,
) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    confidence = dict(scored(catalogue_copy, jd_id))
    top = ranked(catalogue_copy, jd_id)[0]
    assert top == intended_matches()[(TRUST, TITLE)]
    before = len(unmapped(catalogue_copy))
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, TITLE)
        await pilot.press("a")
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) == top
        assert jd_id not in shown_ids(app)
        await pilot.press("escape")  # clear the filter: every other JD is still listed
        assert len(shown_ids(app)) == before - 1
        assert f"{before - 1} JDs left to match" in status(app) and "1 mapped" in status(app)

        await pilot.press("u")
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) is None
        assert jd_id in shown_ids(app) and len(shown_ids(app)) == before
        assert jds_table(app).highlighted_key() == str(jd_id)  # back under the cursor
        assert f"{before} JDs left to match" in status(app)
        # Nothing more to undo: u does nothing.
        await pilot.press("u")
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) is None

    # Both recorded, as a person's choice (with the matcher's confidence) and its undo.
    ref = jd_ref_of(catalogue_copy, jd_id)
    assert audit_trail(catalogue_copy) == [
        (TRUST, ref, top, None, "chosen", pytest.approx(confidence[top])),
        (TRUST, ref, None, top, "undone", None),
    ]


async def test_another_suggested_role_can_be_picked(catalogue_copy: Path) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    confidence = dict(scored(catalogue_copy, jd_id))
    second = ranked(catalogue_copy, jd_id)[1]
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, TITLE)
        await pilot.press("enter")  # to the JD's suggestions
        candidates = screen(app).query_one("#match-candidates", RowTable)
        assert app.focused is candidates
        await pilot.press("down", "enter")  # the second role: map to it
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) == second
    assert [row[2:] for row in audit_trail(catalogue_copy)] == [
        (second, None, "chosen", pytest.approx(confidence[second]))
    ]


async def test_rejecting_hides_the_jd_for_this_visit_only(catalogue_copy: Path) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    before = digest(catalogue_copy)
    count = len(unmapped(catalogue_copy))
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, TITLE)
        await pilot.press("x")
        assert jd_id not in shown_ids(app)
        await pilot.press("escape")
        assert jd_id not in shown_ids(app) and len(shown_ids(app)) == count - 1
        assert f"{count - 1} JDs left to match" in status(app) and "1 rejected" in status(app)
        assert digest(catalogue_copy) == before  # a rejection writes nothing
        # Leave the screen and come back: it is listed again.
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("8")
        await settle(pilot)
        assert jd_id in shown_ids(app) and len(shown_ids(app)) == count
        assert "rejected" not in status(app)


async def test_undo_ends_when_the_screen_is_left(catalogue_copy: Path) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    top = ranked(catalogue_copy, jd_id)[0]
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, TITLE)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("question_mark", "escape")  # a dialog over it: the same visit
        assert screen(app).mapped
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("8")
        await settle(pilot)
        assert not screen(app).mapped
        await pilot.press("u")
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) == top  # kept: undo was for that visit
        assert jd_id not in shown_ids(app)


async def test_undo_leaves_a_role_someone_changed_since(catalogue_copy: Path) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await go_to(pilot, TITLE)
        await pilot.press("a")
        await settle(pilot)
        set_role_elsewhere(catalogue_copy, jd_id, "radiography-team-manager")
        await pilot.press("u")
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) == "radiography-team-manager"
        assert jd_id not in shown_ids(app)
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("left as it is" in toast for toast in toasts), toasts


async def test_accepting_leaves_a_jd_mapped_elsewhere_since_it_was_read(
    catalogue_copy: Path,
) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, TITLE)
        set_role_elsewhere(catalogue_copy, jd_id, "radiography-team-manager")
        await pilot.press("a")
        await settle(pilot)
        assert role_of(catalogue_copy, jd_id) == "radiography-team-manager"
        assert jd_id not in shown_ids(app)  # it has a role now: nothing left to match
        assert not screen(app).mapped  # and nothing of ours to undo


async def test_titles_are_shown_literally(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A1", None, "6", title="[bold]x Radiographer"),
            jd("RKB", "B1", "diagnostic-radiographer", "5", title="Radiographer"),
        ],
    )
    app = make_app(path, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown_titles(app) == ["[bold]x Radiographer"]  # the mapped one is not listed
        label = static_text(screen(app).query_one("#match-for", Static))
        assert "[bold]x Radiographer" in label
        assert "1 JD left to match" in status(app)


async def test_a_long_list_is_ranked_a_page_at_a_time(
    reference_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching_screen, "PAGE_SIZE", 2)
    path = make_catalogue(
        reference_db,
        tmp_path,
        [jd("RRK", f"A{n}", None, "5", title=f"Radiographer {n}") for n in (1, 2, 3)],
    )
    app = make_app(path, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown_titles(app) == ["Radiographer 1", "Radiographer 2"]
        assert "3 JDs left to match" in status(app) and "the first 2 shown" in status(app)
        await pilot.press("x", "x")  # this page done: the next is ranked
        await settle(pilot)
        assert shown_titles(app) == ["Radiographer 3"]
        assert "1 JD left to match" in status(app) and "2 rejected" in status(app)


async def test_says_so_when_every_jd_has_a_role(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(reference_db, tmp_path, [jd("RKB", "B1", "diagnostic-radiographer", "5")])
    app = make_app(path, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown_ids(app) == []
        assert "Every JD has a reference role" in status(app)
        await pilot.press("a", "x", "u")  # nothing to act on: nothing happens
        await settle(pilot)
        assert shown_ids(app) == []


async def test_a_mapping_shows_on_other_screens_when_next_opened(catalogue_copy: Path) -> None:
    jd_id = jd_id_of(catalogue_copy, TRUST, TITLE)
    top = ranked(catalogue_copy, jd_id)[0]
    app = make_app(catalogue_copy, trust=TRUST)  # the Network, on the trust's posts
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        posts = app.screen.query_one("#posts", RowTable)
        row = posts.get_row(str(jd_id))
        assert row[-1].plain == "unmapped"
        await pilot.press("8")
        await settle(pilot)
        await go_to(pilot, TITLE)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("1")  # the Network is read afresh
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("slash")
        await type_text(pilot, TRUST)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # open the trust's posts
        await settle(pilot)
        posts = app.screen.query_one("#posts", RowTable)
        assert posts.get_row(str(jd_id))[-1].plain == top


async def test_question_mark_lists_accept_reject_and_undo(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        markdown = screen(app).help_markdown()
        for key in ("`a`", "`x`", "`u`", "`/`", "`e`", "`enter`", "`8`", "`9`"):
            assert key in markdown, key


async def test_at_80_columns_the_best_match_is_readable_and_the_figures_whole(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy, screen="match")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        for table in (jds_table(app), screen(app).query_one("#match-candidates", RowTable)):
            assert table.scroll_x == 0
            widths = [column.get_render_width(table) for column in table.ordered_columns]
            assert sum(widths) <= table.scrollable_content_region.width  # no column off screen
        table = jds_table(app)
        columns = {str(column.key.value): column for column in table.ordered_columns}
        # The figures and the reference are whole; the titles share the rest.
        for key in ("Trust", "Ref", "Band", "Conf."):
            width = columns[key].get_render_width(table) - 2 * table.cell_padding
            assert all(cell.cell_len <= width for cell in table.get_column(key)), key
        best = columns["Best match"]
        assert best.width >= 16  # "Imaging Booking C…", not "Imaging"
        cut = [cell.plain for cell in table.get_column("Best match") if cell.cell_len > best.width]
        assert cut  # some are longer: they end in "…" (the cells' overflow), never cut bare
        assert all(cell.overflow == "ellipsis" for cell in table.get_column("Best match"))


# -- snapshots ------------------------------------------------------------------------------


async def _matching_loaded(pilot: Pilot[None]) -> None:
    for _ in range(100):
        await settle(pilot)
        app = pilot.app
        if (
            isinstance(app.screen, MatchingScreen)
            and app.screen.loaded
            and app.illustrative_jds is not None  # type: ignore[attr-defined]
        ):
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never finished loading")


class TestMatchingSnapshots:
    def test_matching_screen(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        # A relative path keeps the header (which names the catalogue) the same everywhere.
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"), screen="match")
        assert snap_compare(app, terminal_size=(100, 30), run_before=_matching_loaded)
