"""A dialog asking for a file name: to write a file (a file that exists is replaced only on a
second Enter) or to read one (whatever is given is handed back: the reader says what is wrong
with it, since only the reader knows).

It only chooses the path; the screen that opened it reads or writes (in a worker).
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.widgets.file_output import download_hint


class FileDialog(ModalScreen[Path | None]):
    """Ask for a file name (relative to the current directory); dismissed with its absolute
    path."""

    DEFAULT_CSS = """
    FileDialog {
        align: center middle;
    }
    FileDialog > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    FileDialog .file-title {
        text-style: bold;
        margin-bottom: 1;
    }
    FileDialog .file-problem {
        height: auto;
        color: $text-warning;
    }
    FileDialog Horizontal {
        height: auto;
        margin-top: 1;
    }
    FileDialog Button {
        margin-right: 2;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="file-cancel", tooltip="Close without a file"),
    ]

    def __init__(
        self, title: str, default_name: str, *, writing: bool, action: str, suffix: str = ""
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.default_name = default_name
        self.writing = writing  # an existing file is replaced only when confirmed
        self.action_label = action  # the button: "Save", "Open"
        self.suffix = suffix  # the ending a name must have (".toml"), or "" for any
        self._confirmed: Path | None = None  # the existing file the user was warned of

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, classes="file-title", markup=False)
            ending = f" (ends in {self.suffix})" if self.suffix else ""
            if self.writing and self.app.is_web:
                yield Static(download_hint(self.suffix or "any ending"), markup=False)
            else:
                # Where a name alone is: the directory the app was started in.
                yield Static(f"File name{ending}, in {Path.cwd()}:", markup=False)
            yield Input(self.default_name, id="file-name", select_on_focus=False)
            yield Static("", classes="file-problem", markup=False)
            with Horizontal():
                yield Button(self.action_label, id="file-ok", variant="primary")
                yield Button("Cancel", id="file-cancel")

    def on_mount(self) -> None:
        self.query_one("#file-name", Input).focus()

    @on(Input.Changed, "#file-name")
    def _name_changed(self) -> None:
        self._confirmed = None  # a new name needs its own confirmation
        self._say("")
        self.query_one("#file-ok", Button).label = self.action_label

    @on(Input.Submitted, "#file-name")
    @on(Button.Pressed, "#file-ok")
    def _submit(self) -> None:
        name = self.query_one("#file-name", Input).value.strip()
        if not name:
            self._say("Give a file name.")
            return
        path = Path(name).expanduser()
        if self.suffix and path.suffix.lower() != self.suffix:
            self._say(f"{name}: end the name in {self.suffix}")
            return
        if self.writing and self.app.is_web:  # a download's name, never a server path
            self.dismiss(Path(path.name))
            return
        if path.is_dir():
            self._say(f"{name} is a directory: give a file name")
            return
        if self.writing and path.exists() and self._confirmed != path:
            self._confirmed = path
            self._say(f"{name} already exists. Press Enter again to replace it.")
            self.query_one("#file-ok", Button).label = "Replace"
            return
        self.dismiss(path.absolute())  # what the screen then says it wrote or read, whole

    @on(Button.Pressed, "#file-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, problem: str) -> None:
        self.query_one(".file-problem", Static).update(problem)
