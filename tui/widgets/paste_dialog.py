"""A dialog to paste a file's text into: how a browser user hands the app a passport (the app
served by `workforce serve` opens no file on the server's disk, and textual-serve offers no
upload). What is pasted is checked as the file would be, by the screen that asked."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from tui.widgets.dialogs import DIALOG_CSS


class PasteDialog(ModalScreen[str | None]):
    """Paste text (ctrl+v, or the browser's paste); dismissed with it, or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PasteDialog")
        + """
    PasteDialog > Vertical { width: 90; }
    PasteDialog TextArea { height: 16; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="paste-cancel", tooltip="Close, reading nothing"),
        Binding("ctrl+s", "take", "Read", id="paste-take", tooltip="Read the text pasted"),
    ]

    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.hint, markup=False)
            yield TextArea(id="paste-text", soft_wrap=False, show_line_numbers=True)
            yield Static("", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Read", id="paste-ok", variant="primary")
                yield Button("Cancel", id="paste-cancel")

    def on_mount(self) -> None:
        self.query_one("#paste-text", TextArea).focus()

    @on(Button.Pressed, "#paste-ok")
    def action_take(self) -> None:
        text = self.query_one("#paste-text", TextArea).text
        if not text.strip():
            self.query_one(".dialog-problem", Static).update("Paste the text first.")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#paste-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
