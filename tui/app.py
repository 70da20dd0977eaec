"""The Workforce Pathways terminal app: one factory, used by `workforce` and by the tests."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tui.screens.network import NetworkScreen


class WorkforceApp(App[None]):
    """The app shell: opens on the Network screen over one catalogue file."""

    TITLE = "Workforce Pathways"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave the app"),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.sub_title = str(db_path)

    def on_mount(self) -> None:
        self.push_screen(NetworkScreen(self.db_path))


def make_app(db_path: Path) -> WorkforceApp:
    """Build the app over the catalogue at `db_path` (which must exist)."""
    return WorkforceApp(db_path)
