"""The export dialog: asks for a file name (its ending picks CSV or TOML) and never replaces a
file unless the user confirms it.

It only chooses where to write; the screen that opened it writes the rows (in a worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.widgets.file_output import download_hint

FORMATS = {".csv": "csv", ".toml": "toml"}


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    format: str  # "csv" or "toml"


def export_format(path: Path) -> str | None:
    """The format a file name asks for by its ending, or None if it asks for none we write."""
    return FORMATS.get(path.suffix.lower())


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Where to export `what` (e.g. "7 roles"): a file name, default in the current directory."""

    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    #export-dialog {
        width: 70;
        max-width: 100%;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    #export-title {
        text-style: bold;
        margin-bottom: 1;
    }
    #export-problem {
        height: auto;
        color: $text-warning;
    }
    #export-buttons {
        height: auto;
        margin-top: 1;
    }
    #export-buttons Button {
        margin-right: 2;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export-cancel", tooltip="Close without writing"),
    ]

    def __init__(self, what: str, default_name: str) -> None:
        super().__init__()
        self.what = what
        self.default_name = default_name
        # The path the user has been warned exists; writing over it needs a second Enter.
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(f"Export {self.what}", id="export-title", markup=False)
            yield Static(
                download_hint(".csv or .toml")
                if self.app.is_web
                # Where a name alone is written: the directory the app was started in.
                else f"File name (ends in .csv or .toml), in {Path.cwd()}:",
                classes="export-hint",
                markup=False,
            )
            yield Input(self.default_name, id="export-name", select_on_focus=False)
            yield Static("", id="export-problem", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-ok", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-name", Input).focus()

    @on(Input.Changed, "#export-name")
    def _name_changed(self) -> None:
        # A new name needs its own confirmation.
        self._confirmed = None
        self._say("")
        self.query_one("#export-ok", Button).label = "Export"

    @on(Input.Submitted, "#export-name")
    @on(Button.Pressed, "#export-ok")
    def _submit(self) -> None:
        name = self.query_one("#export-name", Input).value.strip()
        if not name:
            self._say("Give a file name.")
            return
        path = Path(name).expanduser()
        fmt = export_format(path)
        if fmt is None:
            self._say(f"{name}: end the name in .csv or .toml")
            return
        if self.app.is_web:  # a download's name: nothing on the server's disk is looked at
            self.dismiss(ExportChoice(Path(path.name), fmt))
            return
        if path.is_dir():
            self._say(f"{name} is a directory: give a file name")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self._say(f"{name} already exists. Press Enter again to replace it.")
            self.query_one("#export-ok", Button).label = "Replace"
            return
        # Absolute: the notice after writing says where the file went, whole.
        self.dismiss(ExportChoice(path.absolute(), fmt))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, problem: str) -> None:
        self.query_one("#export-problem", Static).update(problem)
