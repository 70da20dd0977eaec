"""The app, driven as a person would: keys pressed, what is shown asserted.

This module holds the app shell's tests, the helpers the other tests/test_tui_*.py modules
share, and the snapshot tests (one class per screen).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Header, Static
from textual.worker import WorkerCancelled

from pathways.records import load_roles
from tui.app import WorkforceApp, make_app
from tui.screens.catalogue import CatalogueScreen
from tui.screens.help import HelpScreen
from tui.screens.network import NetworkScreen
from tui.screens.registry import SCREENS
from tui.screens.trust_posts import TrustPostsScreen
from tui.widgets.filter_table import FilterTable
from tui.widgets.tables import RowTable

REPO = Path(__file__).resolve().parent.parent


# -- helpers shared by the tests/test_tui_*.py modules --------------------------------------


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker runs and what they sent has been drawn (a worker's result may
    start another, e.g. rows then a row's detail)."""
    for _ in range(20):
        # A worker superseded by a newer one of its group (the cursor moved on) ends
        # cancelled: wait again, for the newer one.
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            break


def plain(renderable: object, width: int = 100) -> str:
    """What a Rich renderable shows, as text."""
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def static_text(static: Static, width: int = 100) -> str:
    """What a Static shows (its content is a str, a Text or another Rich renderable)."""
    content = static.content
    return content if isinstance(content, str) else plain(content, width)


def header_text(app: WorkforceApp) -> str:
    return app.format_title(app.screen.title or "", app.sub_title).plain


def shown_keys(table: RowTable) -> list[str]:
    """The keys of the table's rows, top to bottom."""
    return [str(row.key.value) for row in table.ordered_rows]


def active_table(app: WorkforceApp) -> FilterTable:
    screen = app.screen
    assert isinstance(screen, CatalogueScreen)
    return screen.active_table()


def detail_text(table: FilterTable) -> str:
    return static_text(table.query_one(".detail-body", Static), width=120)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


# -- the shell -------------------------------------------------------------------------------


async def test_network_screen_lists_every_trust_and_says_jds_are_illustrative(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        table = app.screen.query_one("#trusts", RowTable)
        assert table.row_count == 15
        codes = {str(table.get_row(key)[1]) for key in table.rows}
        assert {"RRK", "RJE", "RQ3"} <= codes
        warning = static_text(app.screen.query_one("#illustrative-warning", Static))
        assert "ILLUSTRATIVE" in warning
        label = static_text(app.screen.query_one("#catalogue-label", Static))
        assert "15 trusts" in label
        # The header names the screen and the catalogue, and says the JDs are illustrative.
        assert app.screen.query_one(Header)
        header = header_text(app)
        assert "Network" in header and "ILLUSTRATIVE" in header
        # The catalogue's path, shortened from the left to fit: its file name whole.
        shown = header.split(" — ")[1]
        assert shown.endswith(packaged_db.name) and str(packaged_db).endswith(shown.lstrip("…"))


async def test_no_illustrative_warning_on_a_catalogue_of_real_imports(reference_db: Path) -> None:
    app = make_app(reference_db)
    async with app.run_test() as pilot:
        await settle(pilot)
        warning = static_text(app.screen.query_one("#illustrative-warning", Static))
        assert "ILLUSTRATIVE" not in warning
        assert "0 JDs" in static_text(app.screen.query_one("#catalogue-label", Static))
        assert "ILLUSTRATIVE" not in header_text(app)


async def test_number_keys_move_between_screens_and_each_keeps_its_state(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        assert "Catalogue" in header_text(app)
        await pilot.press("s")  # sort the roles, to see the state kept
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("2")
        await settle(pilot)
        assert active_table(app).sort_column == 0


async def test_the_palette_goes_to_a_screen_by_name(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "go: catalogue")
        await pilot.pause(0.3)  # the palette searches in a task of its own
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)


async def test_palette_commands_are_named_area_colon_action(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = [command.title for command in app.get_system_commands(app.screen)]
        assert all(": " in name for name in names), names
        for wanted in ("go: network", "go: catalogue", "theme: light", "theme: dark"):
            assert wanted in names
        assert "export: roles as CSV" in names and "export: roles as TOML" in names


async def test_themes_switch_from_the_palette_and_with_ctrl_t(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await type_text(pilot, "theme: light")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_question_mark_opens_each_screens_own_help_listing_its_keys(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        network_help = app.screen.markdown
        assert "# Network" in network_help and "illustrative" in network_help
        for key in ("`/`", "`s`", "`e`", "`enter`", "`ctrl+q`", "`1`", "`2`"):
            assert key in network_help, key
        await pilot.press("escape")
        assert isinstance(app.screen, NetworkScreen)

        await pilot.press("2")
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        catalogue_help = app.screen.markdown
        assert "# Catalogue" in catalogue_help
        assert "`]`" in catalogue_help and "`[`" in catalogue_help and "`r`" in catalogue_help
        await pilot.press("question_mark")  # ? again closes it too
        assert isinstance(app.screen, CatalogueScreen)

        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrustPostsScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "`n`" in app.screen.markdown and "`p`" in app.screen.markdown


async def test_number_keys_do_nothing_while_a_dialog_is_open(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark", "2")
        assert isinstance(app.screen, HelpScreen)


async def test_ctrl_q_quits(packaged_db: Path) -> None:
    app = make_app(packaged_db)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_deep_link_opens_the_catalogue_with_the_role_selected_and_open(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db, screen="catalogue", role="sonographer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = active_table(app)
        assert table.spec.name == "roles"
        assert table.table.highlighted_key() == "sonographer"
        assert table.detail_key == "sonographer"
        assert "Sonographer" in detail_text(table)


async def test_a_deep_link_opens_a_trusts_posts(packaged_db: Path) -> None:
    app = make_app(packaged_db, trust="RJE")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TrustPostsScreen)
        assert app.screen.trust == "RJE"
        await pilot.press("escape")  # back to the network, the trust under the cursor
        assert isinstance(app.screen, NetworkScreen)
        assert app.screen.query_one("#trusts", RowTable).highlighted_key() == "RJE"


async def test_a_trust_deep_link_on_the_catalogue_opens_the_trusts_tab(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db, screen="catalogue", trust="RKB")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = active_table(app)
        assert table.spec.name == "trusts" and table.detail_key == "RKB"
        assert "University Hospitals Coventry and Warwickshire" in detail_text(table)


async def test_a_role_and_a_trust_are_each_selected_on_their_own_tab(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="catalogue", role="sonographer", trust="RKB")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert active_table(app).detail_key == "sonographer"
        await pilot.press("left_square_bracket")  # from the first tab round to the last
        await settle(pilot)
        trusts = active_table(app)
        assert trusts.spec.name == "trusts" and trusts.table.highlighted_key() == "RKB"
        assert trusts.detail_key == "RKB"


def test_every_screen_in_the_registry_is_built_and_has_help() -> None:
    for entry in SCREENS:
        screen_class = entry.load()
        assert screen_class.HELP_TEXT.startswith("# "), entry.name


async def test_the_catalogue_reads_a_tab_only_when_it_is_shown(reference_db: Path) -> None:
    from catalogue.store import open_catalogue

    db = open_catalogue(reference_db)
    try:
        roles = load_roles(db)
    finally:
        db.close()
    app = make_app(reference_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert set(shown_keys(active_table(app).table)) == set(roles)
        screen = app.screen
        hidden = [t for t in screen.query(FilterTable) if t.spec.name != "roles"]
        assert hidden and all(not t.loaded and t.table.row_count == 0 for t in hidden)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        bands = active_table(app)
        assert bands.spec.name == "bands" and bands.loaded and bands.table.row_count > 0


# -- snapshots: one class per screen ---------------------------------------------------------


async def _until(pilot: Pilot[None], ready: Callable[[WorkforceApp], bool]) -> None:
    """Settle until `ready` holds: a snapshot of a half-loaded screen is never taken."""
    for _ in range(100):
        await settle(pilot)
        if ready(pilot.app):  # type: ignore[arg-type]
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never finished loading")


def _network_ready(app: WorkforceApp) -> bool:
    screen = app.screen
    return (
        isinstance(screen, NetworkScreen)
        and screen.query_one(FilterTable).loaded
        and app.illustrative_jds is not None
    )


def _role_open(app: WorkforceApp) -> bool:
    if not isinstance(app.screen, CatalogueScreen) or app.illustrative_jds is None:
        return False
    table = active_table(app)
    panel = table.query_one(".detail")
    return table.loaded and table.detail_key == "sonographer" and not panel.loading


async def _network_loaded(pilot: Pilot[None]) -> None:
    await _until(pilot, _network_ready)


async def _role_loaded(pilot: Pilot[None]) -> None:
    await _until(pilot, _role_open)


class TestNetworkSnapshots:
    def test_network_screen_snapshot(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        # A relative path keeps the screen (which names the catalogue) the same everywhere.
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"))
        assert snap_compare(app, terminal_size=(100, 30), run_before=_network_loaded)


class TestCatalogueSnapshots:
    def test_roles_with_a_role_open(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"), screen="catalogue", role="sonographer")
        assert snap_compare(app, terminal_size=(100, 30), run_before=_role_loaded)

    def test_a_role_open_in_80_by_24(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        # In a narrow terminal the detail covers the table; Escape gives the table back.
        monkeypatch.chdir(REPO)
        app = make_app(Path("workforce.db"), screen="catalogue", role="sonographer")
        assert snap_compare(app, terminal_size=(80, 24), run_before=_role_loaded)


async def test_a_failed_read_is_shown_and_stops_the_loading_indicator(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        catalogue_copy.unlink()  # the catalogue goes away while the app is open
        await pilot.press("2")
        await settle(pilot)
        table = active_table(app)
        assert not table.busy and not table.loaded
        await pilot.pause()  # the notification is drawn after the failure is handled
        messages = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("no catalogue there" in message for message in messages), messages


async def test_the_palette_opens_the_board_report_from_any_screen(packaged_db: Path) -> None:
    from tui.screens.harmonise import HarmoniseScreen
    from tui.widgets.dialogs import FileNameDialog

    app = make_app(packaged_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("ctrl+p")
        await type_text(pilot, "report")
        await pilot.pause(0.3)  # the palette searches in a task of its own
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "harmonise"
        dialog = app.screen
        assert isinstance(dialog, FileNameDialog)  # the report's dialog, over Harmonise
        assert isinstance(app.screen_stack[-2], HarmoniseScreen)
        assert "board report" in dialog.title_text
        await pilot.press("escape")  # cancelled: Harmonise, nothing written
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)
