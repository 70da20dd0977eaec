"""The app on a read-only catalogue (`workforce tui --read-only`, what `workforce serve` gives a
browser): editing keys neither shown nor run, SQLite refusing a write behind them, the Import
screen not offered; in a browser, files become downloads and a passport is pasted. Links
from a browser are checked before they reach a command line (workforce_cli/web_links.py)."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual import work
from textual.widgets import TextArea

import tui.app
from catalogue.store import CatalogueError
from tests.test_tui import settle
from tui.app import WorkforceApp, make_app
from tui.background import catalogue_in_thread, reader_in_thread
from tui.screens.base import WorkforceScreen
from tui.screens.registry import SCREENS
from tui.widgets.form_fields import FormScreen
from tui.widgets.paste_dialog import PasteDialog
from workforce_cli.main import main
from workforce_cli.web_links import Opening, follow_link
from workforce_cli.web_server import WorkforceServer

SIZE = (120, 40)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown_actions(app: WorkforceApp) -> set[str]:
    return {active.binding.action for active in app.screen.active_bindings.values()}


# Each screen's editing key, and the form it would open.
EDITS = [("routes", "a"), ("ladders", "a"), ("harmonise", "s")]


async def test_editing_keys_are_neither_shown_nor_run_and_the_catalogue_is_unchanged(
    catalogue_copy: Path,
) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="routes", read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "read-only" in app.format_title("Routes", app.sub_title).plain
        for screen, key in EDITS:
            await pilot.press(str(next(e.key for e in SCREENS if e.name == screen)))
            await settle(pilot)
            current = app.screen
            assert isinstance(current, WorkforceScreen)
            assert current.WRITE_ACTIONS, screen
            assert not current.WRITE_ACTIONS & shown_actions(app), screen
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is current, f"{screen}: {key} opened {app.screen}"
            assert not isinstance(app.screen, FormScreen)
            assert any("read-only" in n.message for n in app._notifications), screen
            # `?` still lists the key, marked.
            assert "not on a read-only catalogue" in current.help_markdown()
        # The Import screen is not offered: not in the key bar, not by its key.
        assert "go('import')" not in shown_actions(app)
        await pilot.press("9")
        await settle(pilot)
        assert app.current_mode == "harmonise"
    assert digest(catalogue_copy) == before


async def test_the_same_keys_work_when_edits_are_allowed(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="routes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {"add_route", "change_route"} <= shown_actions(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)


class Probe(WorkforceApp):
    """The app, with workers that try to write through the app's own connections."""

    CSS_PATH = str(Path(tui.app.__file__).parent / "app.tcss")  # beside the app, not here

    @work(thread=True)
    def try_writing(self) -> str:
        with catalogue_in_thread(self.db_path) as db:
            try:
                db.conn.execute("CREATE TABLE probe_writer (x)")
            except sqlite3.OperationalError as error:
                return str(error)
        return "written"

    @work(thread=True)
    def try_writing_as_reader(self) -> str:
        with reader_in_thread(self.db_path) as conn:
            try:
                conn.execute("PRAGMA query_only = OFF")
                conn.execute("CREATE TABLE probe_reader (x)")
            except sqlite3.OperationalError as error:
                return str(error)
        return "written"


@pytest.mark.parametrize("read_only", [True, False])
async def test_sqlite_refuses_a_write_behind_the_screens(
    catalogue_copy: Path, read_only: bool
) -> None:
    app = Probe(catalogue_copy, read_only=read_only)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [await app.try_writing().wait(), await app.try_writing_as_reader().wait()]
    # Read-only: SQLite itself refuses; otherwise the app's connection writes (the reader
    # may be talked out of its query_only, which is why the file is opened read-only too).
    assert said == (["attempt to write a readonly database"] * 2 if read_only else ["written"] * 2)


# -- in a browser: downloads and a pasted passport ---------------------------------------------


@pytest.fixture
def in_a_browser(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The app as under textual-serve (its web driver): what it delivers, as (name, text)."""
    delivered: list[tuple[str, str]] = []

    def deliver_text(self: WorkforceApp, file: io.StringIO, **options: Any) -> str:
        delivered.append((options["save_filename"], file.getvalue()))
        return "key"

    monkeypatch.setattr(WorkforceApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(WorkforceApp, "deliver_text", deliver_text)
    return delivered


async def test_in_a_browser_a_passport_is_pasted_and_saved_as_a_download(
    packaged_db: Path,
    in_a_browser: list[tuple[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # where a file written by mistake would land
    conn = sqlite3.connect(packaged_db)
    role, competency, level = conn.execute(
        "SELECT role, competency, level FROM role_competency ORDER BY role, competency LIMIT 1"
    ).fetchone()
    conn.close()
    passport = f'# Sam\'s passport\nrole = "{role}"\n\n[[competencies]]\nid = "{competency}"\n'
    passport += f"level = {level}\n"
    app = make_app(packaged_db, screen="next-step", read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PasteDialog)
        app.screen.query_one(TextArea).text = passport
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert screen.role == role  # type: ignore[attr-defined]
        assert dict(screen.held) == {competency: level}  # type: ignore[attr-defined]
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    (name, text), *_ = in_a_browser
    assert name == "passport.toml"
    assert f'role = "{role}"' in text and competency in text and "Sam's passport" in text
    assert list(tmp_path.iterdir()) == []


async def test_in_a_browser_a_bad_passport_pasted_says_where(
    packaged_db: Path, in_a_browser: list[tuple[str, str]]
) -> None:
    app = make_app(packaged_db, screen="next-step", read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one(TextArea).text = 'role = "no-such-role"\n'
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(app.screen.query_one("#passport-status").render())
    assert "passport.toml" in status and "no-such-role" in status


# -- links from a browser ----------------------------------------------------------------------

ROLES = {"sonographer", "diagnostic-radiographer"}
TRUSTS = {"RRK", "RQ3"}
OPENING = Opening("network")


def link(screen: str | None, role: str | None = None, trust: str | None = None) -> Any:
    return follow_link(
        screen, role, trust, opening=OPENING, roles=ROLES, trusts=TRUSTS, read_only=True
    )


def test_a_link_is_followed_when_every_option_is_known() -> None:
    assert (
        link(None)
        == link("", "", "")
        == follow_link(None, None, None, opening=OPENING, roles=(), trusts=(), read_only=True)
    )
    followed = link("next-step", "sonographer", "rrk")
    assert (followed.screen, followed.role, followed.trust) == ("next-step", "sonographer", "RRK")
    assert followed.notice() is None
    assert link(None, role="sonographer").screen == "catalogue"  # the first that takes a role


@pytest.mark.parametrize(
    ("options", "opens", "says"),
    [
        (("nope", None, None), "network", "no screen 'nope'"),
        (("import", None, None), "network", "the import screen changes the catalogue"),
        (("next-step", "x; rm -rf /", None), "next-step", "the role given is not a role id"),
        (("next-step", "nurse", None), "next-step", "no role 'nurse' in this catalogue"),
        (("routes", "sonographer", None), "routes", "the routes screen selects no role"),
        (("$(id)", None, "RRK"), "network", "no screen by that name"),
    ],
)
def test_a_link_not_understood_opens_what_it_can_and_says_why(
    options: tuple[str | None, str | None, str | None], opens: str, says: str
) -> None:
    followed = link(*options)
    assert followed.screen == opens
    assert followed.role is None
    notice = followed.notice()
    assert notice is not None and says in notice


def test_each_tab_runs_the_app_with_every_part_quoted(packaged_db: Path) -> None:
    server = WorkforceServer(
        packaged_db, host="127.0.0.1", port=8000, opening=OPENING, read_only=True
    )
    command = server.app_command(link("nope", "sonographer"))
    assert command.startswith("exec ") and "--read-only" in command
    assert "--notice 'The link was not followed whole: no screen '\"'\"'nope'\"'\"'" in command
    writable = WorkforceServer(
        packaged_db, host="127.0.0.1", port=8000, opening=OPENING, read_only=False
    )
    assert "--read-only" not in writable.app_command(link(None))


# -- the command line --------------------------------------------------------------------------


def test_tui_read_only_refuses_the_import_screen_and_a_missing_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.db"
    assert main(["tui", "--read-only", "--screen", "import"]) == 2
    assert "not with --read-only" in capsys.readouterr().err
    assert main(["tui", "--read-only", "--db", str(missing)]) == 2
    assert "no catalogue there" in capsys.readouterr().err
    assert not missing.exists()  # read-only: never built


def test_serve_refuses_a_bad_port_and_the_import_screen_read_only(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--db", str(packaged_db), "--port", "99999"])
    assert "not a port" in capsys.readouterr().err
    assert main(["serve", "--db", str(packaged_db), "--screen", "import"]) == 2
    assert "--allow-edits" in capsys.readouterr().err
    assert main(["serve", "--db", str(packaged_db), "--role", "nurse"]) == 2
    assert "unknown role" in capsys.readouterr().err


def test_catalogue_error_is_what_a_read_only_open_of_nothing_raises(tmp_path: Path) -> None:
    from catalogue.store import open_catalogue

    with pytest.raises(CatalogueError):
        open_catalogue(tmp_path / "none.db", create=True, read_only=True)
