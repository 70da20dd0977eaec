"""At 80x24 and 100x30 nothing a person needs is cut: the catalogue's file name in the header,
the role picker's prompt, whole words in a cut cell, the status line under a notification, and
the full path of a file exported. (Route names wrapped whole: tests/test_tui_routes.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.console import Console
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.widgets._header import HeaderTitle

from tests.test_tui import active_table, settle
from tui.app import make_app
from tui.fitting import cut_at_word, shortened_path
from tui.screens.export import ExportScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import cell

SIZES = [(80, 24), (100, 30)]


def _shown(widget: Widget) -> list[str]:
    """The lines `widget` draws now, as text."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return [strip.text for strip in widget.render_lines(region)]


# -- the rules, as pure functions -------------------------------------------------------------


def test_a_cut_ends_after_a_whole_word() -> None:
    title = "Healthcare Science Assistant (Medical Physics)"
    assert cut_at_word(title, 100) == title
    assert cut_at_word(title, 36) == "Healthcare Science Assistant…"
    assert cut_at_word("Imaging Porter Assistant", 15) == "Imaging Porter…"
    # A comma or an opening bracket is not left hanging before the ellipsis.
    assert cut_at_word("apprenticeship, BSc route", 18) == "apprenticeship…"
    # Ending on a word that wastes much of the room would hide what tells values apart.
    assert cut_at_word("assistant-practitioner-radiography", 17) == "assistant-practi…"
    assert cut_at_word("Imaging Services Manager", 16) == "Imaging Service…"
    assert cut_at_word("Imaging Operations Manager", 16) == "Imaging Operati…"
    # A first word too long for the width is cut inside: there is no word to end on.
    assert cut_at_word("Supercalifragilistic", 8) == "Superca…"
    for width in range(0, 50):
        shown = cut_at_word(title, width)
        assert len(shown) <= width
        if shown.endswith("…") and len(shown) > 1:
            kept, room = shown[:-1], width - 1
            assert title.startswith(kept), (width, shown)
            # A whole word ends it, wasting at most a quarter of the room; else it is full.
            at_word = title[len(kept)] in " ,(" and room - len(kept) <= max(4, room // 4)
            assert at_word or len(kept) >= room - 1, (width, shown)


def test_a_path_is_shortened_from_the_left_keeping_its_file_name() -> None:
    path = "/home/someone/projects/nhs-imaging/west-midlands/network/workforce.db"
    assert shortened_path(path, 100) == path
    assert shortened_path(path, 25) == "…/network/workforce.db"
    assert shortened_path(path, 14) == "…/workforce.db"
    assert shortened_path(path, 5) == "…/workforce.db"  # the name whole, however narrow
    assert shortened_path("workforce.db", 5) == "workforce.db"


def test_a_cell_cut_by_its_column_ends_after_a_word() -> None:
    console = Console(width=36, file=open("/dev/null", "w"))  # noqa: SIM115
    lines = console.render_lines(cell("Healthcare Science Assistant (Medical Physics)"))
    assert "".join(segment.text for segment in lines[0]).rstrip() == (
        "Healthcare Science Assistant…"
    )


# -- on screen ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_the_header_keeps_a_long_catalogue_paths_file_name(
    packaged_db: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    folder = tmp_path / "nhs-imaging-workforce" / "west-midlands-network" / "2026-catalogues"
    folder.mkdir(parents=True)
    db = Path(shutil.copy(packaged_db, folder / "workforce-west-midlands.db"))
    app = make_app(db, screen="next-step")  # the longest screen title
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        title = app.screen.query_one(HeaderTitle)
        shown = "".join(_shown(title)).strip()
        assert "ILLUSTRATIVE JDs" in shown
        assert shown.endswith("/workforce-west-midlands.db")
        path = shown.split(" — ")[1]
        assert path.startswith("…/") and str(db).endswith(path.removeprefix("…"))
        # Widened, the header shows more of the path again.
        await pilot.resize_terminal(size[0] + 40, size[1])
        await settle(pilot)
        await pilot.pause()
        wider = "".join(_shown(title)).strip().split(" — ")[1]
        assert len(wider) > len(path) and str(db).endswith(wider.removeprefix("…"))


@pytest.mark.parametrize("size", SIZES)
async def test_the_role_pickers_prompt_and_role_are_shown_whole(
    packaged_db: Path, size: tuple[int, int]
) -> None:
    app = make_app(packaged_db, screen="next-step")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        label = app.screen.query_one("#role #label", Static)
        assert "".join(_shown(label)).strip() == "choose your role"
    app = make_app(packaged_db, screen="next-step", role="assistant-practitioner-radiography")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        label = app.screen.query_one("#role #label", Static)
        shown = " ".join(line.strip() for line in _shown(label))
        assert shown == "Assistant Practitioner (Radiography) (4)"


@pytest.mark.parametrize("size", SIZES)
async def test_role_titles_cut_in_the_table_end_after_a_whole_word(
    packaged_db: Path, size: tuple[int, int]
) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = active_table(app).table
        title = table.ordered_columns[0]
        width = title.get_render_width(table)
        cut = 0
        for y, row in enumerate(table.ordered_rows[: table.size.height - 1]):
            value = table.get_row(row.key)[0].plain
            shown = table.render_line(y + 1).text[:width].strip()
            if shown == value:
                continue
            cut += 1
            kept = shown.removesuffix("…")
            assert shown.endswith("…") and value.startswith(kept), (value, shown)
            assert value.startswith(kept), (value, shown)
            # A whole word, then the cut; or, where that would waste more than a quarter of
            # the column, the cut inside the word (the column used all but the ellipsis).
            room = len(shown) - 1
            assert value[len(kept)] in " ,(" or len(kept) == room, (value, shown)
        assert cut  # some titles are too long for the column at this size: the test bites


@pytest.mark.parametrize("size", SIZES)
async def test_a_notification_leaves_the_status_line_and_keys_clear(
    packaged_db: Path, size: tuple[int, int]
) -> None:
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        for number in range(3):
            app.notify(f"Notice {number}: " + "a long message " * 4, title="Written")
        await pilot.pause(0.2)
        toasts = list(app.screen.query("Toast"))
        assert len(toasts) == 3
        kept_clear = [app.screen.query_one("#scenario-bar"), app.screen.query_one(KeyBar)]
        for toast in toasts:
            for widget in kept_clear:
                assert not toast.region.overlaps(widget.region), (toast.region, widget.region)


@pytest.mark.parametrize("size", SIZES)
async def test_an_export_says_the_full_path_it_went_to(
    packaged_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        # Before writing, the dialog says which directory a name alone lands in.
        hint = " ".join(_shown(app.screen.query_one(".export-hint", Static)))
        # The path whole, wherever the dialog's lines wrap it (spaces aside).
        assert str(Path.cwd()).replace(" ", "") in "".join(hint.split())
        assert app.screen.query_one(Input).value == "roles.csv"
        await pilot.press("enter")
        await settle(pilot)
        written = Path.cwd() / "roles.csv"
        assert written.is_file()
        notices = [str(toast.render()) for toast in app.screen.query("Toast")]
        wrote = f"to{written}".replace(" ", "")
        assert any(wrote in "".join(notice.split()) for notice in notices), notices
