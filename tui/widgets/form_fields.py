"""The app's edit forms: what every one shares (`FormScreen`).

A form is a dialog over the screen that opened it, over one thing of the catalogue's (a route,
a move, a trust, a role's competencies, a pay year, a Word JD as read):

- it is given what it shows, or reads it from the catalogue in a thread worker on opening
  (`read`, then `loaded`);
- each field is checked as it is typed, and what is wrong is said under the field, literally
  (a value quoted back is data, never markup);
- ctrl+s saves in a thread worker, through the catalogue's own API, in one transaction (the
  catalogue checks again); a refusal is shown in the form word for word, beside the field it
  names where it names one, and nothing is written;
- a form saved closes with what it saved (`Saved`); the screen that opened it reads the
  catalogue again and tells the app (`CatalogueChanged`);
- Escape on a form with unsaved changes asks before they are discarded;
- `?` shows its help, and the key bar its keys.

The checks of typed values are in field_checks.py, the list to choose many from in
choice_list.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from tui.background import catalogue_in_thread, report_failure
from tui.widgets.choice_list import ChoiceList
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sqlite_utils import Database

    from catalogue.errors import ImportProblem

Row = dict[str, Any]


@dataclass(frozen=True)
class Saved:
    """What a form saved: the key of what it saved, what changed (in words, a line each),
    and the values the form held."""

    key: str
    lines: tuple[str, ...]
    values: Any = None


class FormRead(Message):
    """What a form shows was read from the catalogue (`data`: whatever its `read` returned)."""

    def __init__(self, data: Any) -> None:
        super().__init__()
        self.data = data


class FormSaved(Message):
    """The form's changes were written, in one transaction (`lines`: what, in words)."""

    def __init__(self, key: str, lines: Sequence[str], values: Any) -> None:
        super().__init__()
        self.key = key
        self.lines = tuple(lines)
        self.values = values


class FormRefused(Message):
    """The catalogue refused the form's changes: nothing was written. `lines` say why, whole;
    `fields` says it again by the field named (where one is)."""

    def __init__(self, lines: Sequence[str], fields: Mapping[str, str]) -> None:
        super().__init__()
        self.lines = list(lines)
        self.fields = dict(fields)


def refusal_lines(problems: Sequence[ImportProblem]) -> list[str]:
    """A refusal's problems as a form shows them, one a line: "route 1: field 'gives': ..."
    (the file is the form itself, so it is left out)."""
    lines = []
    for problem in problems:
        field = f"field '{problem.field}'" if problem.field else ""
        where = ": ".join(part for part in (problem.where, field) if part)
        lines.append(f"{where}: {problem.message}" if where else problem.message)
    return lines


FORM_CSS = """
FormScreen {
    align: center middle;
}
FormScreen > .form {
    width: 100;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $accent;
    background: $surface;
    padding: 0 1;
}
FormScreen .form-title {
    width: 1fr;
    height: auto;
    text-style: bold;
    padding: 0 1;
    margin-top: 1;
}
FormScreen .form-intro {
    height: auto;
    color: $text-muted;
    padding: 0 1;
}
FormScreen .form-fields {
    height: auto;
    margin-top: 1;
}
FormScreen .form-row {
    height: auto;
}
FormScreen .form-label {
    width: 20;
    padding: 0 1;
    color: $text-muted;
}
FormScreen .form-row > Input, FormScreen .form-row > Select {
    width: 1fr;
}
FormScreen .form-row > Input {
    padding: 0 1;
    background: $boost;
}
FormScreen .form-row > Input:focus {
    background: $surface-lighten-1;
}
FormScreen .form-group {
    height: auto;
}
FormScreen .form-hint {
    height: auto;
    color: $text-muted;
    padding: 0 1 0 21;
}
FormScreen .form-problem {
    display: none;
    height: auto;
    color: $text-warning;
    padding: 0 1 0 21;
}
FormScreen .form-problem.-shown {
    display: block;
}
FormScreen .form-list-label {
    margin-top: 1;
    padding: 0 1;
    color: $text-muted;
}
FormScreen .form-list-hint {
    height: auto;
    color: $text-muted;
    padding: 0 1;
}
FormScreen .form-list-problem {
    padding: 0 1;
}
FormScreen #form-status {
    height: auto;
    margin-top: 1;
    padding: 0 1;
    color: $text-muted;
}
FormScreen #form-refusal {
    display: none;
    height: auto;
    max-height: 8;
    overflow-y: auto;
    color: $text-error;
    padding: 0 1;
    border-top: solid $error;
}
FormScreen #form-refusal.-shown {
    display: block;
}
FormScreen .form-buttons {
    height: auto;
    margin: 1 0;
    padding: 0 1;
}
FormScreen .form-buttons Button {
    margin-right: 2;
}
"""


class FormScreen(ModalScreen[Saved | None]):
    """A form over the catalogue at `db_path`, titled `heading`, with the field `first`
    focused as it opens.

    A subclass composes its fields (`compose_fields`, with `field_row` and `list_field`) and
    says what they hold (`values`: plain data, compared to tell whether anything changed),
    what is wrong with them (`problems`), the key of what it saves (`row_key`) and how it
    writes them (`write`, in a worker thread). One that reads what it offers on opening says
    so in `read` (in a worker) and shows it in `loaded`."""

    DEFAULT_CSS = FORM_CSS
    # The field `first` focused as the form opens, once (each change of focus restyles it).
    AUTO_FOCUS = ".form-first"
    HINT: ClassVar[str] = ""  # a line under the title, saying what the form is for
    HELP_TEXT: ClassVar[str] = ""  # prose for `?`; the keys are added from the bindings
    # Keys handled by the form's widgets, for the help: (key, does).
    WIDGET_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("tab", "Move to the next field (shift+tab: the one before)"),
        ("enter", "In a field: move to the next (a stray Enter saves nothing)"),
    )
    # The fields in the order shown: the first one with a problem takes the focus on saving.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    NOUN: ClassVar[str] = "row"  # "route": in "You have changed this route and not saved it."
    SAVE_LABEL: ClassVar[str] = "Save"
    BINDINGS = [
        Binding("question_mark", "app.help", "Help", id="form-help", tooltip="This form's help"),
        # In a field, ? is typed: F1 shows the help from anywhere in the form.
        Binding("f1", "app.help", "Help", id="form-help-f1", tooltip="This form's help"),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="form-save",
            tooltip="Save the form to the catalogue, in one transaction",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form-cancel",
            tooltip="Close the form (asks first when it has unsaved changes)",
        ),
    ]

    def __init__(self, db_path: Path, heading: str, *, first: str | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.heading = heading
        self.first = first  # the field focused on opening (see AUTO_FOCUS)
        self.ready = False  # what the form shows is in hand (read, when it reads it)
        self.initial: Any = None  # the values as opened (None until the form is ready)
        self.touched: set[str] = set()  # fields changed: their problems are shown
        self.tried = False  # saving was tried: every problem is shown
        self.saving = False
        self._shown: dict[str, str] = {}  # the problem said under each field

    # -- composing ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Label(self.heading, classes="form-title", markup=False)
            if self.HINT:
                yield Static(self.HINT, classes="form-intro", markup=False)
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield Static("Reading the catalogue…", id="form-status", markup=False)
            yield Static("", id="form-refusal", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button(self.SAVE_LABEL, id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
        yield KeyBar()

    def compose_fields(self) -> ComposeResult:
        """The form's own fields (see `field_row` and `list_field`)."""
        yield from ()

    def field_row(
        self, name: str, label: str, control: Widget, hint: str | None = None
    ) -> ComposeResult:
        """One field: its label beside its control (given the id `f-<name>`; an input or a
        list is one line, so a form fits an 80 by 24 terminal), a hint under it (`hint`; ""
        keeps a place for one said later, `<name>-hint`), and the place where what is wrong
        with it is said (`<name>-problem`)."""
        control.id = f"f-{name}"
        control.set_class(name == self.first, "form-first")
        if isinstance(control, Input | Select):
            control.compact = True
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label", markup=False)
            yield control
        if hint is not None:
            yield Static(hint, id=f"{name}-hint", classes="form-hint", markup=False)
        yield Static("", id=f"{name}-problem", classes="form-problem", markup=False)

    def list_field(
        self, name: str, label: str, control: ChoiceList, hint: str | None = None
    ) -> ComposeResult:
        """A list to choose many from, under its label (and a hint, as for `field_row`)."""
        control.id = f"f-{name}"
        control.set_class(name == self.first, "form-first")
        yield Label(label, classes="form-list-label", markup=False)
        yield control
        if hint is not None:
            yield Static(hint, id=f"{name}-hint", classes="form-list-hint", markup=False)
        yield Static(
            "", id=f"{name}-problem", classes="form-problem form-list-problem", markup=False
        )

    def control(self, name: str) -> Widget:
        return self.query_one(f"#f-{name}")

    def text(self, name: str) -> str:
        """What the input `name` holds, without the spaces around it."""
        return self.query_one(f"#f-{name}", Input).value.strip()

    def choice(self, name: str) -> str:
        """The value chosen in the drop-down `name` ("" when none is)."""
        value = self.query_one(f"#f-{name}", Select).value
        return value if isinstance(value, str) else ""

    def chosen(self, name: str) -> list[str]:
        return self.query_one(f"#f-{name}", ChoiceList).chosen

    # -- what subclasses say ----------------------------------------------------------------

    def read(self, db: Database) -> Any:
        """What the form shows, read in a worker thread (touch no widget here). A form that
        is given what it shows does not define it."""
        return None

    def loaded(self, data: Any) -> None:
        """Show what `read` returned (the choices, the values as held)."""

    def values(self) -> Any:
        """What the form holds now: plain data (it is handed to a worker thread, and compared
        with the values as opened to tell whether anything changed)."""
        return {}

    def problems(self, values: Any) -> dict[str, str]:
        """What is wrong with `values`, by field."""
        return {}

    def row_key(self, values: Any) -> str:
        """The key of what `values` save (the screen puts its cursor there)."""
        return ""

    def status(self) -> Text | str:
        """The line above the buttons while nothing else is to be said there."""
        return "ctrl+s saves (or the Save button); Escape closes."

    def field_changed(self, name: str) -> None:
        """The field `name` changed (before it is checked): show or hide what depends on it."""

    def nothing_to_save(self) -> str | None:
        """Why saving now would change nothing (said instead of saving), or None."""
        return None if self.dirty else "Nothing has changed: nothing to save."

    def write(self, db: Database, values: Any) -> list[str]:
        """Write `values` (in a worker thread, on its own connection; touch no widget here),
        in one transaction: what changed, in words. Raise ImportRefused, ImportProblem or
        CatalogueError to refuse, having written nothing."""
        raise NotImplementedError

    # -- opening ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.query_one("#form-save", Button).disabled = True
        if type(self).read is FormScreen.read:
            self._ready(None)  # given what it shows: nothing to read
        else:
            self.read_catalogue()

    @work(thread=True, exclusive=True, group="form-read", exit_on_error=False)
    def read_catalogue(self) -> None:
        with catalogue_in_thread(self.db_path) as db:
            data = self.read(db)
        self.post_message(FormRead(data))

    def on_form_read(self, event: FormRead) -> None:
        event.stop()
        self._ready(event.data)

    def _ready(self, data: Any) -> None:
        self.ready = True
        self.loaded(data)
        self.query_one("#form-save", Button).disabled = False
        # The values as opened, once every control has taken its value.
        self.call_after_refresh(self._opened)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_fields)

    def _fit_fields(self) -> None:
        """Give the fields the room the screen has left, so that the title, the status, a
        refusal and the buttons stay in view (the fields scroll)."""
        form = self.query_one(".form")
        fields = self.query_one(".form-fields")
        taken = sum(
            child.outer_size.height + child.styles.margin.height
            for child in form.children
            if child is not fields and child.display
        )
        key_bar = self.query_one(KeyBar).outer_size.height
        room = self.size.height - key_bar - form.styles.gutter.height - taken
        fields.styles.max_height = max(room - fields.styles.margin.height, 3)

    def _opened(self) -> None:
        self.initial = self.values()
        self.check()
        self.refresh_bindings()  # keys that wait for the form to open work now

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved."""
        return self.initial is not None and self.values() != self.initial

    # -- checking as you type -----------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(ChoiceList.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed | ChoiceList.Changed) -> None:
        control_id = event.control.id if event.control is not None else None
        if not (control_id and control_id.startswith("f-")):
            return  # not a field of the form (a list's filter box)
        name = control_id[2:]
        blank = isinstance(event, Select.Changed) and event.value == Select.NULL
        if self.initial is not None and not blank:  # a list emptied is not a choice
            self.touched.add(name)
        self.field_changed(name)
        if self.initial is not None:
            self._say_refused([], {})  # a refusal was about what the fields held then
            self.check()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a field moves on (ctrl+s saves): a form is not sent by a stray Enter.
        event.stop()
        self.focus_next()

    def check(self) -> dict[str, str]:
        """Say what is wrong under each field changed (under every field, once saving was
        tried), and the status line; what is wrong, by field."""
        found = self.problems(self.values())
        for name in self.FIELDS:
            problem = found.get(name, "") if (self.tried or name in self.touched) else ""
            if self._shown.get(name, "") != problem:  # redrawn only when it changes
                self._show_problem(name, problem)
        if not self.saving:
            self._say_status(self.status())
        return found

    def _show_problem(self, name: str, problem: str) -> None:
        shown = self.query(f"#{name}-problem")
        if not shown:
            return  # a field the form does not show now
        self._shown[name] = problem
        widget = shown.first(Static)
        widget.update(Text(problem))
        widget.set_class(bool(problem), "-shown")

    # -- saving -------------------------------------------------------------------------------

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        if self.saving:
            return
        if self.initial is None:
            self._say_status("Still reading the catalogue: save again in a moment.")
            return
        self.tried = True
        found = self.check()
        if found:
            first = next((name for name in self.FIELDS if name in found), None)
            self._say_status(f"Not saved: put right what is said under the fields ({len(found)}).")
            if first is not None:
                self._focus_field(first)
            return
        unchanged = self.nothing_to_save()
        if unchanged:
            self._say_status(unchanged)
            return
        self.saving = True
        self.query_one("#form-save", Button).disabled = True
        self._say_refused([], {})
        self._say_status("Saving…")
        values = self.values()
        self.save_in_thread(values, self.row_key(values))

    def _focus_field(self, name: str) -> None:
        control = self.query(f"#f-{name}")
        if not control:
            return
        widget = control.first()
        if isinstance(widget, ChoiceList):
            widget.filter_input.focus()
        elif widget.focusable:
            widget.focus()

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def save_in_thread(self, values: Any, key: str) -> None:
        from catalogue.errors import CatalogueError, ImportProblem, ImportRefused

        try:
            with catalogue_in_thread(self.db_path) as db:
                lines = self.write(db, values)
        except (ImportRefused, ImportProblem) as refused:
            problems = refused.problems if isinstance(refused, ImportRefused) else [refused]
            fields = {p.field: p.message for p in problems if p.field}
            self.post_message(FormRefused(refusal_lines(problems), fields))
            return
        except CatalogueError as error:
            self.post_message(FormRefused([str(error)], {}))
            return
        self.post_message(FormSaved(key, lines, values))

    def on_form_saved(self, event: FormSaved) -> None:
        event.stop()
        self.saving = False
        self.dismiss(Saved(event.key, event.lines, event.values))

    def on_form_refused(self, event: FormRefused) -> None:
        event.stop()
        self.saving = False
        self.query_one("#form-save", Button).disabled = False
        self._say_refused(event.lines, event.fields)
        self._say_status("Nothing was saved: the catalogue refused it, so nothing was written.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event) or event.state is WorkerState.CANCELLED:
            self.saving = False
            self.query_one("#form-save", Button).disabled = not self.ready
            self._say_status("Could not read or write the catalogue: see the message.")

    def _say_status(self, text: Text | str) -> None:
        self.query_one("#form-status", Static).update(text)
        self.call_after_refresh(self._fit_fields)  # it may take more lines, or fewer

    def _say_refused(self, lines: Iterable[str], fields: Mapping[str, str]) -> None:
        lines = list(lines)
        refusal = self.query_one("#form-refusal", Static)
        if lines or refusal.has_class("-shown"):
            # The catalogue's words, literally (they quote the values given): never markup.
            said = "Refused:\n" + "\n".join(f"  {line}" for line in lines) if lines else ""
            refusal.update(Text(said))
            refusal.set_class(bool(lines), "-shown")
            self.call_after_refresh(self._fit_fields)
        for name, message in fields.items():
            if name in self.FIELDS:
                self._show_problem(name, message)

    # -- leaving --------------------------------------------------------------------------------

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        if self.saving:
            self.notify("Saving: wait for it to finish.", severity="warning")
            return
        if not self.dirty:
            self.dismiss(None)
            return
        from tui.widgets.dialogs import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard your changes?",
                f"You have changed this {self.NOUN} and not saved it. Discard the changes?",
                yes="Discard",
                no="Keep editing",
            ),
            answered,
        )

    # -- help -------------------------------------------------------------------------------------

    def help_markdown(self) -> str:
        """The form's help: its text and its keys."""
        from tui.screens.base import _declared_bindings

        lines = [self.HELP_TEXT.rstrip(), "", "## Keys", "", "| key | does |", "| --- | --- |"]
        for key, does in self.WIDGET_KEYS:
            lines.append(f"| `{key}` | {does} |")
        rows: dict[str, tuple[list[str], str]] = {}  # action -> (its keys, what it does)
        for binding in Binding.make_bindings(_declared_bindings(type(self))):
            keys, _ = rows.get(binding.action, ([], ""))
            # A form's own binding for a key says what it does there, over the base's.
            rows[binding.action] = (keys, binding.tooltip or binding.description)
            key = binding.key
            shown = key if "+" in key else self.app.get_key_display(Binding(key, ""))
            if shown not in keys:
                keys.append(shown)
        for keys, does in rows.values():
            lines.append(f"| {' '.join(f'`{key}`' for key in keys)} | {does} |")
        return "\n".join(lines) + "\n"
