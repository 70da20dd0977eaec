"""What the app's edit forms share: checks of what is typed, a list to choose many from, a
dialog asking yes or no, and the form itself.

A form (`FormScreen`) checks its fields as they are typed and names what is wrong next to the
field; saves in a thread worker, in one transaction through the catalogue's own API (the
catalogue checks again, and a refusal is shown in the form, literally, with nothing saved);
and asks before an edit is thrown away. The screen that opened it is told what was saved and
reads the catalogue again. Every label that may hold catalogue text is literal (markup=False,
or Text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from tui.background import catalogue_in_thread, report_failure

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]

# The catalogue's ids (catalogue.models.Slug): lowercase words joined by hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_LENGTH = (2, 80)


# -- checks of what is typed (pure) ------------------------------------------------------------


def slug_problem(value: str) -> str | None:
    """Why `value` is not an id the catalogue takes, or None."""
    if not value:
        return "Give an id: lowercase letters and digits, words joined by '-'."
    least, most = SLUG_LENGTH
    if not least <= len(value) <= most:
        return f"An id is {least} to {most} characters long (this is {len(value)})."
    if not SLUG.match(value):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
        hint = f" (such as {suggestion!r})" if SLUG.match(suggestion) else ""
        return (
            "An id is lowercase letters and digits, words joined by single '-', with no "
            f"spaces{hint}."
        )
    return None


def whole_number(text: str) -> int | None:
    """`text` as a whole number ('12', '£12,000'), or None when it is not one."""
    cleaned = text.strip().lstrip("£").replace(",", "")
    if not cleaned.isdigit():  # no sign, no point: "-3" and "1.5" are not taken
        return None
    return int(cleaned)


def number_problem(
    text: str, noun: str, *, least: int, most: int | None = None, required: bool = False
) -> str | None:
    """Why `text` is not a whole number of `noun` from `least` (to `most`), or None. Empty
    is fine unless `required` (an optional figure left empty is not known)."""
    if not text.strip():
        return f"Give the {noun}." if required else None
    value = whole_number(text)
    if value is None:
        return f"The {noun} is a whole number, such as 12."
    if value < least or (most is not None and value > most):
        span = f"from {least} to {most}" if most is not None else f"{least} or more"
        return f"The {noun} is {span}."
    return None


def text_problem(text: str, noun: str, *, required: bool = False, most: int = 200) -> str | None:
    """Why `text` is not one line of text of at most `most` characters, or None."""
    if not text.strip():
        return f"Give the {noun}." if required else None
    if len(text) > most:
        return f"The {noun} has at most {most} characters (this has {len(text)})."
    if not text.isprintable():
        return f"The {noun} is printable text on one line."
    return None


# -- choosing many ---------------------------------------------------------------------------


class ChoiceList(Vertical):
    """Choose any of many (roles, competencies, routes): a filter box over a list, space (or
    Enter, or a click) to choose or unchoose. What is chosen stays chosen while the filter hides
    it, and is listed under the list."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
    }
    ChoiceList > Input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    ChoiceList > Input:focus {
        background: $surface-lighten-1;
    }
    ChoiceList > SelectionList {
        height: 8;
        border: none;
        padding: 0;
    }
    ChoiceList > .choice-summary {
        height: auto;
        color: $text-muted;
        padding: 0 1;
    }
    """

    class Changed(Message):
        """The user chose or unchose one."""

        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        chosen: Iterable[str] = (),
        *,
        noun: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.choices = list(choices)  # (value, label), in the order listed
        self.labels = dict(self.choices)
        self.noun = noun  # plural: "roles"
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        yield Input(placeholder=f"type to narrow the {self.noun}", classes="choice-filter")
        yield SelectionList[str](classes="choice-list")
        yield Static("", classes="choice-summary", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self._summarise()

    @property
    def chosen(self) -> list[str]:
        """The values chosen, sorted (the catalogue holds them as a set)."""
        return sorted(self._chosen)

    @property
    def filter_input(self) -> Input:
        return self.query_one(".choice-filter", Input)

    @property
    def selection_list(self) -> SelectionList[str]:
        return self.query_one(".choice-list", SelectionList)

    def _fill(self, text: str) -> None:
        needle = text.strip().casefold()
        listed = self.selection_list
        listed.clear_options()
        listed.add_options(
            [
                Selection(Text(label), value, value in self._chosen)
                for value, label in self.choices
                if needle in f"{value}\n{label}".casefold()
            ]
        )
        if listed.option_count:
            listed.highlighted = 0

    def _summarise(self) -> None:
        chosen = self.chosen
        if not chosen:
            text = f"No {self.noun} chosen."
        else:
            text = f"{len(chosen)} chosen: " + ", ".join(self.labels.get(v, v) for v in chosen)
        self.query_one(".choice-summary", Static).update(text)

    @on(Input.Changed, ".choice-filter")
    def _narrow(self, event: Input.Changed) -> None:
        event.stop()  # the filter's text is not a field of the form
        self._fill(event.value)

    @on(Input.Submitted, ".choice-filter")
    def _to_list(self, event: Input.Submitted) -> None:
        event.stop()
        self.selection_list.focus()

    @on(SelectionList.SelectedChanged)
    def _ignored(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()  # posted by refilling too: only a toggle by the user counts

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        value = event.selection.value
        if value in event.selection_list.selected:
            self._chosen.add(value)
        else:
            self._chosen.discard(value)
        self._summarise()
        self.post_message(self.Changed(self))

    def on_key(self, event: events.Key) -> None:
        # Down from the filter moves into the list (typing stays in the filter).
        if event.key == "down" and self.filter_input.has_focus:
            event.stop()
            self.selection_list.focus()


# -- yes or no -------------------------------------------------------------------------------


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing something that cannot be undone here (removing, discarding an edit).
    `y` (or the first button) says yes; `n`, Escape (or the second button) no. The focus starts
    on no, so an Enter pressed too many times does nothing."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog .confirm-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ConfirmDialog .confirm-buttons {
        height: auto;
        margin-top: 1;
    }
    ConfirmDialog .confirm-buttons Button {
        margin-right: 2;
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes", tooltip="Yes, do it"),
        Binding("n", "answer(False)", "No", id="confirm-no", tooltip="No, leave it"),
        Binding("escape", "answer(False)", "No", id="confirm-escape", show=False),
    ]

    def __init__(self, title: str, message: str, *, yes: str, no: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="confirm-title", markup=False)
            yield Static(self.message, classes="confirm-message", markup=False)
            with Horizontal(classes="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="error")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# -- the form --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """What a form saved: the key of the row, and what changed, in words."""

    key: str
    lines: tuple[str, ...]


class FormSaved(Message):
    """The form's row was written (`lines`: what changed, in words)."""

    def __init__(self, key: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.key = key
        self.lines = tuple(lines)


class FormRefused(Message):
    """The catalogue refused the form's row: nothing was written. `lines` say why, whole;
    `fields` says it again by the field named (where one is)."""

    def __init__(self, lines: Sequence[str], fields: Mapping[str, str]) -> None:
        super().__init__()
        self.lines = list(lines)
        self.fields = dict(fields)


FORM_CSS = """
FormScreen {
    align: center middle;
}
FormScreen > .form {
    width: 100;
    max-width: 100%;
    height: 90%;
    border: thick $accent;
    background: $surface;
    padding: 0 1;
}
FormScreen .form-title {
    width: 1fr;
    height: auto;
    text-style: bold;
    padding: 0 1;
    margin-bottom: 1;
}
FormScreen .form-fields {
    height: 1fr;
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
FormScreen .form-list-problem {
    padding: 0 1;
}
FormScreen .form-refused {
    display: none;
    height: auto;
    max-height: 8;
    color: $text-error;
    padding: 0 1;
    border-top: solid $error;
}
FormScreen .form-refused.-shown {
    display: block;
}
FormScreen .form-buttons {
    height: auto;
    padding: 0 1;
}
FormScreen .form-buttons Button {
    margin-right: 2;
}
FormScreen .form-keys {
    height: 1;
    color: $text-muted;
    padding: 0 1;
}
"""


class FormScreen(ModalScreen[Saved | None]):
    """A form over one catalogue row. Subclasses compose the fields (with `field_row` and
    `list_field`), and say what the fields hold (`values`), what is wrong with them
    (`problems`), and how to write them (`write`, run in a worker thread)."""

    DEFAULT_CSS = FORM_CSS
    # The field `first` focused as the form opens, once (each change of focus restyles it).
    AUTO_FOCUS = ".form-first"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form-save", tooltip="Save, in one transaction"),
        Binding(
            "escape",
            "cancel",
            "Close",
            id="form-cancel",
            tooltip="Close; asks first if anything was changed",
        ),
    ]
    # The fields in the order shown: the first one with a problem takes the focus on saving.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    NOUN: ClassVar[str] = "row"  # "route": in "Discard the changes to this route?"

    def __init__(self, db_path: Path, heading: str, *, first: str) -> None:
        super().__init__()
        self.first = first  # the field focused on opening (see AUTO_FOCUS)
        self.db_path = db_path
        self.heading = heading
        self.initial: Row | None = None  # the values as opened (None until drawn)
        self.touched: set[str] = set()  # fields changed: their problems are shown
        self.tried = False  # saving was tried: every problem is shown
        self.saving = False
        self._shown: dict[str, str] = {}  # the problem named beside each field

    # -- composing ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Label(self.heading, classes="form-title", markup=False)
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield Static("", classes="form-refused", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button("Save", id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
            yield Static(
                "ctrl+s save · Esc close · Tab next field · space chooses in a list",
                classes="form-keys",
                markup=False,
            )

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def field_row(self, name: str, label: str, control: Widget, hint: str = "") -> ComposeResult:
        """One field: its label beside its control (given the id `f-<name>`), a hint, and
        the place where what is wrong with it is named."""
        control.id = f"f-{name}"
        control.set_class(name == self.first, "form-first")
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label", markup=False)
            yield control
        if hint:
            yield Static(hint, classes="form-hint", markup=False)
        yield Static("", id=f"{name}-problem", classes="form-problem", markup=False)

    def list_field(self, name: str, label: str, control: ChoiceList) -> ComposeResult:
        """A list to choose many from, under its label."""
        control.id = f"f-{name}"
        yield Label(label, classes="form-list-label", markup=False)
        yield control
        yield Static(
            "", id=f"{name}-problem", classes="form-problem form-list-problem", markup=False
        )

    def control(self, name: str) -> Widget:
        return self.query_one(f"#f-{name}")

    def text(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value.strip()

    def choice(self, name: str) -> str:
        value = self.query_one(f"#f-{name}", Select).value
        return value if isinstance(value, str) else ""

    def chosen(self, name: str) -> list[str]:
        return self.query_one(f"#f-{name}", ChoiceList).chosen

    # -- what subclasses say ------------------------------------------------------------------

    def values(self) -> Row:
        """What the fields hold now."""
        return {}

    def problems(self, values: Row) -> dict[str, str]:
        """What is wrong with `values`, by field."""
        return {}

    def row_key(self, values: Row) -> str:
        """The key of the row `values` save."""
        raise NotImplementedError

    def nothing_to_save(self) -> bool:
        """Whether saving now would change nothing (a form opened and left as it was)."""
        return self.initial is not None and not self.dirty

    def write(self, db: Database, values: Row) -> list[str]:
        """Write `values` (in a worker thread, on its own connection): what changed, in words.
        Raises ImportRefused or CatalogueError, having written nothing."""
        raise NotImplementedError

    # -- checking as you type -------------------------------------------------------------------

    def on_mount(self) -> None:
        # The values as opened, once every control has taken its value.
        self.call_after_refresh(self._opened)

    def _opened(self) -> None:
        self.initial = self.values()
        self.check()

    @property
    def dirty(self) -> bool:
        return self.initial is not None and self.values() != self.initial

    @on(Input.Changed)
    @on(Select.Changed)
    @on(ChoiceList.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed | ChoiceList.Changed) -> None:
        control_id = event.control.id if event.control is not None else None
        if control_id and control_id.startswith("f-") and self.initial is not None:
            self.touched.add(control_id[2:])
        self._refused("", {})
        self.check()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a field moves on (ctrl+s saves): a form is not sent by a stray Enter.
        event.stop()
        self.focus_next()

    def check(self) -> dict[str, str]:
        """Name what is wrong beside each field changed (each field, once saving was tried)."""
        found = self.problems(self.values())
        for name in self.FIELDS:
            problem = found.get(name, "") if (self.tried or name in self.touched) else ""
            if self._shown.get(name, "") != problem:  # redrawn only when it changes
                self._show_problem(name, problem)
        return found

    def _show_problem(self, name: str, problem: str) -> None:
        self._shown[name] = problem
        shown = self.query_one(f"#{name}-problem", Static)
        shown.update(Text(problem))
        shown.set_class(bool(problem), "-shown")

    # -- saving ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        if self.saving:
            return
        self.tried = True
        found = self.check()
        if found:
            first = next(name for name in self.FIELDS if name in found)
            self._refused(f"Not saved: put right what is marked ({len(found)}).", {})
            control = self.control(first)
            if isinstance(control, ChoiceList):
                control.filter_input.focus()
            elif control.focusable:
                control.focus()
            return
        if self.nothing_to_save():
            self._refused("Nothing has changed: nothing to save.", {})
            return
        self.saving = True
        self.query_one("#form-save", Button).disabled = True
        self._refused("", {})
        values = self.values()
        self.save_in_thread(values, self.row_key(values))

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def save_in_thread(self, values: Row, key: str) -> None:
        from catalogue.errors import CatalogueError, ImportRefused

        try:
            with catalogue_in_thread(self.db_path) as db:
                lines = self.write(db, values)
        except ImportRefused as refused:
            fields = {p.field: p.message for p in refused.problems if p.field}
            self.post_message(FormRefused(str(refused).splitlines(), fields))
            return
        except CatalogueError as error:
            self.post_message(FormRefused([str(error)], {}))
            return
        self.post_message(FormSaved(key, lines))

    def on_form_saved(self, event: FormSaved) -> None:
        self.saving = False
        self.dismiss(Saved(event.key, event.lines))

    def on_form_refused(self, event: FormRefused) -> None:
        self.saving = False
        self.query_one("#form-save", Button).disabled = False
        heading = "Not saved: the catalogue refused it, and nothing was written."
        self._refused("\n".join([heading, *event.lines]), event.fields)

    def _refused(self, text: str, fields: Mapping[str, str]) -> None:
        shown = self.query_one(".form-refused", Static)
        if text or shown.has_class("-shown"):
            shown.update(Text(text))  # the catalogue's words, literally: never markup
            shown.set_class(bool(text), "-shown")
        for name, message in fields.items():
            if name in self.FIELDS:
                self._show_problem(name, message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event) or event.state is WorkerState.CANCELLED:
            self.saving = False
            self.query_one("#form-save", Button).disabled = False

    # -- leaving ----------------------------------------------------------------------------------

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        if self.saving:
            return  # the save is under way: its answer closes the form, or says why not
        if not self.dirty:
            self.dismiss(None)
            return

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
