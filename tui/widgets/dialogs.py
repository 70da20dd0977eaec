"""Small dialogs the screens ask with: a file name, a scenario name, one of a list (a band, a
role, a saved scenario, a trust), yes or no. Each only chooses; the screen that opened it does
the work (in a worker).

A name that would replace something (a file, a saved scenario) is never taken on the first
Enter: the dialog says what exists and takes a second Enter (or the Replace button) as yes.
Every label that may hold catalogue text is literal (markup=False, or Text).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

DIALOG_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 72;
    max-width: 100%;
    height: auto;
    max-height: 90%;
    border: thick $accent;
    background: $surface;
    padding: 1 2;
}}
{name} .dialog-title {{
    text-style: bold;
    margin-bottom: 1;
}}
{name} .dialog-problem {{
    height: auto;
    color: $text-warning;
}}
{name} .dialog-buttons {{
    height: auto;
    margin-top: 1;
}}
{name} .dialog-buttons Button {{
    margin-right: 2;
}}
{name} OptionList {{
    height: auto;
    max-height: 16;
}}
"""


@dataclass(frozen=True)
class Answer:
    """What a name dialog chose: the text, and whether the user agreed to replace what has
    that name (a file, a saved scenario)."""

    value: str
    replace: bool


class NameDialog(ModalScreen[Answer | None]):
    """Ask for a name; refuse a bad one (`problem`), and ask again before replacing one that
    exists (`exists`). Subclasses say what is bad and what exists."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NameDialog")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel", tooltip="Close, doing nothing"),
    ]
    ACTION = "OK"

    def __init__(self, title: str, hint: str, default: str) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.default = default
        self._confirmed: str | None = None  # the value the user was warned about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.hint, markup=False)
            # The default selected: typing replaces it, Enter takes it.
            yield Input(self.default, id="dialog-name")
            yield Static("", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ACTION, id="dialog-ok", variant="primary")
                yield Button("Cancel", id="dialog-cancel")

    def on_mount(self) -> None:
        self.query_one("#dialog-name", Input).focus()

    def problem(self, value: str) -> str | None:
        """Why `value` cannot be taken, or None."""
        return None if value else "Give a name."

    def exists(self, value: str) -> str | None:
        """What `value` would replace (said to the user), or None."""
        return None

    @on(Input.Changed, "#dialog-name")
    def _changed(self) -> None:
        self._confirmed = None  # a new name needs its own confirmation
        self._say("")
        self.query_one("#dialog-ok", Button).label = self.ACTION

    @on(Input.Submitted, "#dialog-name")
    @on(Button.Pressed, "#dialog-ok")
    def _submit(self) -> None:
        value = self.query_one("#dialog-name", Input).value.strip()
        problem = self.problem(value)
        if problem:
            self._say(problem)
            return
        existing = self.exists(value)
        if existing and self._confirmed != value:
            self._confirmed = value
            self._say(f"{existing} Press Enter again to replace it.")
            self.query_one("#dialog-ok", Button).label = "Replace"
            return
        self.dismiss(Answer(value, replace=bool(existing)))

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, text: str) -> None:
        self.query_one(".dialog-problem", Static).update(text)


class AmountDialog(NameDialog):
    """Ask for an amount of pounds a year (as the JD pay fields take it: 2000, £2,000)."""

    def __init__(self, title: str, hint: str, default: str = "") -> None:
        super().__init__(title, hint, default)

    def problem(self, value: str) -> str | None:
        from catalogue.jd_pay import parse_amount  # light: re and datetime

        try:
            amount = parse_amount(value)
        except ValueError as error:
            return str(error)
        return None if amount is not None else "Give an amount above zero, such as 2000."


class FileNameDialog(NameDialog):
    """A file to write, relative to the current directory; its ending picks the format."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FileNameDialog")
    ACTION = "Write"

    def __init__(self, title: str, default: str, suffixes: Sequence[str]) -> None:
        self.suffixes = tuple(suffixes)
        endings = ", ".join(self.suffixes[:-1]) + " or " if len(self.suffixes) > 1 else ""
        endings += self.suffixes[-1]
        self.endings = endings
        # Where a relative name lands: the directory the app was started in.
        super().__init__(title, f"File name (ends in {endings}), in {Path.cwd()}:", default)

    def compose(self) -> ComposeResult:
        if self.app.is_web:  # in a browser: the download's name (tui/widgets/file_output.py)
            from tui.widgets.file_output import download_hint

            self.hint = download_hint(self.endings)
        yield from super().compose()

    def problem(self, value: str) -> str | None:
        if not value:
            return "Give a file name."
        path = Path(value).expanduser()
        if path.suffix.lower() not in self.suffixes:
            return f"{value}: end the name in {' or '.join(self.suffixes)}"
        if self.app.is_web:
            return None  # a download's name: nothing on the server's disk is looked at
        if path.is_dir():
            return f"{value} is a directory: give a file name"
        if not path.parent.is_dir():
            return f"{value}: the folder {path.parent} does not exist"
        return None

    def exists(self, value: str) -> str | None:
        if self.app.is_web:
            return None
        return f"{value} already exists." if Path(value).expanduser().exists() else None


class ScenarioNameDialog(NameDialog):
    """A name to save a scenario under; replacing a saved one needs confirming."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ScenarioNameDialog")
    ACTION = "Save"

    def __init__(self, default: str, saved: Collection[str]) -> None:
        super().__init__("Save the scenario", "Scenario name:", default)
        self.saved = set(saved)

    def problem(self, value: str) -> str | None:
        if not value:
            return "Give the scenario a name."
        if len(value) > 100:
            return "A scenario name has at most 100 characters."
        if not value.isprintable():
            return "A scenario name is printable text on one line."
        return None

    def exists(self, value: str) -> str | None:
        return f"A scenario named {value!r} is saved already." if value in self.saved else None


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of `choices` ((value, label) pairs), optionally narrowed by typing."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choice-cancel", tooltip="Close, choosing none"),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, Text]],
        *,
        hint: str = "",
        selected: str | None = None,
        searchable: bool = False,
        empty: str = "Nothing to choose from.",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.hint = hint
        self.selected = selected
        self.searchable = searchable
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.hint:
                yield Static(self.hint, markup=False)
            if self.searchable:
                yield Input(placeholder="type to narrow the list", id="choice-filter")
            yield OptionList(id="choice-list")
            yield Static("", classes="dialog-problem", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        options = self.query_one("#choice-list", OptionList)
        if self.selected is not None:
            for index, (value, _) in enumerate(self.choices):
                if value == self.selected:
                    options.highlighted = index
        if self.searchable:
            self.query_one("#choice-filter", Input).focus()
        else:
            options.focus()

    def _fill(self, text: str) -> None:
        needle = text.casefold()
        options = self.query_one("#choice-list", OptionList)
        options.clear_options()
        shown = [
            Option(label, id=value)
            for value, label in self.choices
            if needle in f"{value}\n{label.plain}".casefold()
        ]
        options.add_options(shown)
        if shown:
            options.highlighted = 0
        self.query_one(".dialog-problem", Static).update("" if shown else self.empty)

    @on(Input.Changed, "#choice-filter")
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#choice-filter")
    def _take_first(self) -> None:
        options = self.query_one("#choice-list", OptionList)
        if options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted or 0).id)

    def on_key(self, event: object) -> None:
        # Down from the filter moves into the list (typing stays in the filter).
        key = getattr(event, "key", "")
        filters = self.query("#choice-filter")
        if key == "down" and filters and filters.first().has_focus:
            self.query_one("#choice-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#choice-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing something that cannot be undone here (removing, discarding an edit).
    `y` (or the first button) says yes; `n`, Escape (or the second button) no; the arrows move
    between the buttons. The focus starts on no, so an Enter pressed too many times does
    nothing."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog") + (
        "ConfirmDialog > Vertical { width: 64; border: thick $warning; }"
    )
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes", tooltip="Yes, do it"),
        Binding("n", "answer(False)", "No", id="confirm-no", tooltip="No, leave it"),
        Binding("escape", "answer(False)", "No", id="confirm-escape", show=False),
        # The arrows move between the two buttons (Enter presses the one focused).
        Binding("left,up", "app.focus_previous", "Previous", id="confirm-previous", show=False),
        Binding("right,down", "app.focus_next", "Next", id="confirm-next", show=False),
    ]

    def __init__(self, title: str, message: str, *, yes: str, no: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, classes="confirm-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="error")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
