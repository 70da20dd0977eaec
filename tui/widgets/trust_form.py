"""The Catalogue screen's forms: adding a trust (here), a role's competencies
(role_competency_form.py) and a pay year by uplift (pay_year_form.py).

Every form is a dialog over the screen that opened it, built on `CatalogueForm` below:

- what it offers is read from the catalogue in a thread worker when it opens;
- each field is checked as it is typed, and what is wrong is said under the field (literally:
  a value quoted back is data, never markup);
- saving is one transaction through the catalogue's own API (`catalogue.reference_import`,
  `catalogue.retire`, `catalogue.pay_years`), in a thread worker; a refusal is shown in the
  form, word for word, and nothing is written;
- a form saved closes with a line saying what was saved; the screen then reads the catalogue
  again and tells the app (`CatalogueChanged`);
- Escape on a form with unsaved changes asks before they are discarded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
from textual.worker import Worker

from tui.background import catalogue_in_thread, report_failure
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sqlite_utils import Database

    from catalogue.errors import ImportProblem

Row = dict[str, Any]

# Where the catalogue's history says an edit came from.
SOURCE = "app: Catalogue screen"
ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
NEW_ICB = "__new_icb__"  # the ICB list's last choice: add an ICB with the trust

FORM_CSS = """
{name} {{
    align: center middle;
}}
{name} > #form {{
    width: 80;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $accent;
    background: $surface;
    padding: 0 2;
}}
{name} .form-title {{
    text-style: bold;
    margin-top: 1;
}}
{name} .form-hint {{
    color: $text-muted;
    height: auto;
    margin-bottom: 1;
}}
{name} .form-row {{
    height: auto;
}}
{name} .form-label {{
    width: 16;
    color: $text-muted;
}}
{name} .form-row Input, {name} .form-row Select {{
    width: 1fr;
}}
{name} .form-row Input {{
    padding: 0 1;
    background: $boost;
}}
{name} .form-row Input:focus {{
    background: $surface-lighten-1;
}}
{name} .form-group {{
    height: auto;
}}
{name} .field-problem {{
    display: none;
    height: auto;
    padding-left: 16;
    color: $text-error;
}}
{name} .field-problem.-shown {{
    display: block;
}}
{name} #form-status {{
    height: auto;
    margin-top: 1;
    color: $text-muted;
}}
{name} #form-refusal {{
    display: none;
    height: auto;
    margin-top: 1;
    color: $text-error;
    text-style: bold;
}}
{name} #form-refusal.-shown {{
    display: block;
}}
{name} .form-buttons {{
    height: auto;
    margin: 1 0;
}}
{name} .form-buttons Button {{
    margin-right: 2;
}}
"""


class FormRead(Message):
    """What a form offers (the ICBs, the pay years, ...) was read from the catalogue."""

    def __init__(self, data: Any) -> None:
        super().__init__()
        self.data = data


class FormSaved(Message):
    """A form's changes were written, in one transaction (`said`: what, in words)."""

    def __init__(self, said: str) -> None:
        super().__init__()
        self.said = said


class FormRefused(Message):
    """The catalogue refused a form's changes: nothing was written (`lines`: why)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines


def refusal_lines(problems: Sequence[ImportProblem]) -> list[str]:
    """An import refusal's problems, as the form says them: "code: ...", one a line."""
    return [
        f"{problem.field}: {problem.message}" if problem.field else problem.message
        for problem in problems
    ]


def field_row(label: str, field: Widget) -> ComposeResult:
    """A field with its label on the left and, under it, where its problem is said. Inputs
    are one line (compact), so a form fits an 80 by 24 terminal."""
    if isinstance(field, Input | Select):
        field.compact = True
    with Horizontal(classes="form-row"):
        yield Label(label, classes="form-label", markup=False)
        yield field
    yield Static("", id=f"{field.id}-problem", classes="field-problem", markup=False)


class CatalogueForm(ModalScreen[str | None]):
    """A form over the Catalogue screen that saves to the catalogue at `db_path`.

    A form says what it reads (`read`, in a worker), what it shows once read (`loaded`),
    what is wrong with its fields (`problems`), what it holds (`values`), whether it has
    unsaved changes (`dirty`) and how it saves (`save`, in a worker, one transaction). It is
    dismissed with what was saved, in words, or None when closed without saving."""

    DEFAULT_CSS = FORM_CSS.format(name="CatalogueForm")
    TITLE_TEXT: ClassVar[str] = ""
    HINT: ClassVar[str] = ""
    HELP_TEXT: ClassVar[str] = ""
    # Keys handled by the form's widgets, for the help: (key, does).
    WIDGET_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("tab", "Move to the next field (shift+tab: the one before)"),
        ("enter", "In a field: move to the next (a stray Enter saves nothing)"),
    )
    # The ids of the fields checked, in the order they are shown.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    BINDINGS = [
        Binding("question_mark", "app.help", "Help", id="form-help", tooltip="This form's help"),
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

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.ready = False  # what the form offers has been read
        self.saving = False
        self.touched: set[str] = set()  # fields changed: their problems are said
        self.show_every_problem = False  # after a save was refused for them
        self.saved_values: Any = None  # what was handed to `save` (the screen reads it)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Scrolls when a form and its problems do not fit (an 80 by 24 terminal).
        with VerticalScroll(id="form"):
            yield Label(self.form_title(), classes="form-title", markup=False)
            if self.HINT:
                yield Static(self.HINT, classes="form-hint", markup=False)
            yield from self.compose_fields()
            yield Static("Reading the catalogue…", id="form-status", markup=False)
            yield Static("", id="form-refusal", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button("Save", id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
        yield KeyBar()

    def form_title(self) -> str:
        return self.TITLE_TEXT

    def compose_fields(self) -> ComposeResult:
        """The form's own fields (see `field_row`)."""
        return iter(())

    def on_mount(self) -> None:
        self.query_one("#form-save", Button).disabled = True
        self.read_catalogue()

    # -- reading what the form offers -------------------------------------------------------

    @work(thread=True, exclusive=True, group="form-read", exit_on_error=False)
    def read_catalogue(self) -> None:
        with catalogue_in_thread(self.db_path) as db:
            data = self.read(db)
        self.post_message(FormRead(data))

    def read(self, db: Database) -> Any:
        """What the form offers, read in a worker thread (touch no widget here)."""
        return None

    def on_form_read(self, event: FormRead) -> None:
        event.stop()
        self.ready = True
        self.loaded(event.data)
        self.query_one("#form-save", Button).disabled = False
        self.recheck()

    def loaded(self, data: Any) -> None:
        """Show what was read (the choices, the defaults)."""

    # -- checking as you type ---------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What is wrong, by field id (each said under its field)."""
        return {}

    def values(self) -> Any:
        """What the form holds, for `save` (plain data: it is handed to a worker thread)."""
        return None

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved."""
        return False

    def status(self) -> Text | str:
        """The line above the buttons, once the catalogue is read."""
        return "ctrl+s saves (or the Save button); Escape closes."

    @on(Input.Changed)
    @on(Select.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed) -> None:
        blank = isinstance(event, Select.Changed) and event.value == Select.NULL
        if event.control.id in self.FIELDS and not blank:  # a list emptied is not a choice
            self.touched.add(event.control.id)
        self.field_changed(event.control.id or "")
        self._say_refused([])  # a refusal was about what the fields held then
        self.recheck()

    def field_changed(self, field_id: str) -> None:
        """A field changed (before it is checked): show or hide what depends on it."""

    def recheck(self) -> None:
        """Say what is wrong under each field changed (or under every field, after a save
        was refused for them), and the status line."""
        if not self.ready:
            return
        problems = self.problems()
        for field_id in self.FIELDS:
            shown = self.query(f"#{field_id}-problem")
            if not shown:
                continue
            said = problems.get(field_id, "")
            if not (field_id in self.touched or self.show_every_problem):
                said = ""
            widget = shown.first(Static)
            widget.update(said)
            widget.set_class(bool(said), "-shown")
        if not self.saving:
            self.query_one("#form-status", Static).update(self.status())

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a field moves on (ctrl+s saves): a form is not sent by a stray Enter, as
        # in the app's other forms (tui/widgets/form_fields.py).
        event.stop()
        self.focus_next()

    # -- saving -----------------------------------------------------------------------------

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        if self.saving:
            return
        if not self.ready:
            self._say_status("Still reading the catalogue: save again in a moment.")
            return
        problems = self.problems()
        if problems:
            self.show_every_problem = True
            self.recheck()
            self._say_status("Not saved: put right what is said under the fields.")
            first = next(field_id for field_id in self.FIELDS if field_id in problems)
            for widget in self.query(f"#{first}"):
                widget.focus()
            return
        unchanged = self.nothing_to_save()
        if unchanged:
            self._say_status(unchanged)
            return
        self.saving = True
        self.query_one("#form-save", Button).disabled = True
        self._say_refused([])
        self._say_status("Saving…")
        self.saved_values = self.values()
        self.save_in_thread(self.saved_values)

    def nothing_to_save(self) -> str | None:
        """Why saving would write nothing (said instead of saving), or None."""
        return None

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def save_in_thread(self, values: Any) -> None:
        from catalogue.errors import CatalogueError, ImportRefused

        with catalogue_in_thread(self.db_path) as db:
            try:
                said = self.save(db, values)
            except ImportRefused as refused:
                self.post_message(FormRefused(refusal_lines(refused.problems)))
                return
            except CatalogueError as error:
                self.post_message(FormRefused([str(error)]))
                return
        self.post_message(FormSaved(said))

    def save(self, db: Database, values: Any) -> str:
        """Write `values` in one transaction (in a worker thread: touch no widget here);
        what was saved, in words. Raise ImportRefused or CatalogueError to refuse."""
        raise NotImplementedError

    def on_form_saved(self, event: FormSaved) -> None:
        event.stop()
        self.saving = False
        self.dismiss(event.said)

    def on_form_refused(self, event: FormRefused) -> None:
        event.stop()
        self.saving = False
        self.query_one("#form-save", Button).disabled = False
        self._say_refused(event.lines)
        self._say_status("Nothing was saved: the catalogue is as it was.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event):
            self.saving = False
            self.query_one("#form-save", Button).disabled = not self.ready
            self._say_status("Could not read or write the catalogue: see the message.")

    def _say_status(self, text: str) -> None:
        self.query_one("#form-status", Static).update(text)

    def _say_refused(self, lines: Iterable[str]) -> None:
        lines = list(lines)
        refusal = self.query_one("#form-refusal", Static)
        # Literal (the Static is markup=False): a refusal quotes the values given.
        refusal.update("Refused:\n" + "\n".join(f"  {line}" for line in lines) if lines else "")
        refusal.set_class(bool(lines), "-shown")

    # -- closing ----------------------------------------------------------------------------

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        if self.saving:
            self.notify("Saving: wait for it to finish.", severity="warning")
            return
        if not self.dirty:
            self.dismiss(None)
            return
        from tui.widgets.dialogs import ChoiceDialog

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self.dismiss(None)

        choices = [("keep", Text("No, keep editing")), ("discard", Text("Discard the changes"))]
        self.app.push_screen(
            ChoiceDialog(
                f"{self.form_title()}: discard the changes?",
                choices,
                hint="Nothing in this form has been saved.",
                selected="keep",
            ),
            answered,
        )

    # -- help -------------------------------------------------------------------------------

    def help_markdown(self) -> str:
        """The form's help: its text and its keys."""
        from tui.screens.base import _declared_bindings

        lines = [self.HELP_TEXT.rstrip(), "", "## Keys", "", "| key | does |", "| --- | --- |"]
        for key, does in self.WIDGET_KEYS:
            lines.append(f"| `{key}` | {does} |")
        seen: set[str] = set()
        for binding in Binding.make_bindings(_declared_bindings(type(self))):
            if binding.action in seen:
                continue
            seen.add(binding.action)
            keys = [key.strip() for key in binding.key.split(",")]
            shown = " ".join(
                f"`{key if '+' in key else self.app.get_key_display(Binding(key, ''))}`"
                for key in keys
            )
            lines.append(f"| {shown} | {binding.tooltip or binding.description} |")
        return "\n".join(lines) + "\n"

    def value_of(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()


# -- adding a trust ----------------------------------------------------------------------------

TRUST_HELP = """\
# Add a trust

A trust of the network: its ODS code (3 to 5 capital letters or digits, such as `RRK`), its
name as the NHS writes it, and the integrated care board (ICB) it belongs to. Choose the ICB in
the list, or **New ICB…** (its last choice) to add the ICB in the same form: its ODS code and
name. A note is optional.

Each field is checked as you type; what is wrong is said under it. Saving writes the ICB (if
new) and the trust in one transaction, recorded in the catalogue's history as the network's
own; if the catalogue refuses them, it says why here and nothing is written.
"""


def ods_problem(code: str, noun: str, example: str) -> str | None:
    """What is wrong with an ODS code as typed, or None."""
    if not code:
        return f"Give the {noun}'s ODS code (such as {example})."
    if not ODS_CODE.match(code):
        return f"{code!r} is not an ODS code: 3 to 5 capital letters or digits, such as {example}."
    return None


class TrustForm(CatalogueForm):
    """Add a trust, in an ICB of the catalogue's or one added with it."""

    TITLE_TEXT = "Add a trust"
    HINT = "A trust of the network, in an ICB the catalogue holds or a new one."
    HELP_TEXT = TRUST_HELP
    FIELDS = ("trust-code", "trust-name", "trust-icb", "icb-code", "icb-name", "trust-note")

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        self.trusts: dict[str, str] = {}  # code -> name
        self.icbs: dict[str, str] = {}

    def compose_fields(self) -> ComposeResult:
        yield from field_row("ODS code", Input(id="trust-code", placeholder="e.g. RXX"))
        yield from field_row("Name", Input(id="trust-name", placeholder="the trust's full name"))
        yield from field_row(
            "ICB", Select[str]((), prompt="Choose the trust's ICB", id="trust-icb")
        )
        with Vertical(id="new-icb", classes="form-group"):
            yield from field_row("New ICB code", Input(id="icb-code", placeholder="e.g. QXX"))
            yield from field_row("New ICB name", Input(id="icb-name", placeholder="its name"))
        yield from field_row("Note", Input(id="trust-note", placeholder="optional"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#new-icb").display = False
        self.query_one("#trust-code", Input).focus()

    def read(self, db: Database) -> tuple[dict[str, str], dict[str, str]]:
        from catalogue.reference_kinds import BY_NAME, load_rows

        trusts = {row["code"]: row["name"] for row in load_rows(db, BY_NAME["trust"])}
        icbs = {row["code"]: row["name"] for row in load_rows(db, BY_NAME["icb"])}
        return trusts, icbs

    def loaded(self, data: tuple[dict[str, str], dict[str, str]]) -> None:
        self.trusts, self.icbs = data
        choices = [(Text(f"{code} {name}"), code) for code, name in sorted(self.icbs.items())]
        choices.append((Text("New ICB… (add it with the trust)", style="italic"), NEW_ICB))
        self.query_one("#trust-icb", Select).set_options(choices)

    def icb_choice(self) -> str | None:
        value = self.query_one("#trust-icb", Select).value
        return None if value == Select.NULL else str(value)

    def field_changed(self, field_id: str) -> None:
        if field_id == "trust-icb":
            self.query_one("#new-icb").display = self.icb_choice() == NEW_ICB

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        code = self.value_of("trust-code")
        problem = ods_problem(code, "trust", "RRK")
        if problem is None and code in self.trusts:
            problem = f"{code} is already a trust: {self.trusts[code]}."
        if problem:
            found["trust-code"] = problem
        name = self.value_of("trust-name")
        if not name:
            found["trust-name"] = "Give the trust's name."
        else:
            same = [c for c, n in self.trusts.items() if n.casefold() == name.casefold()]
            if same:
                found["trust-name"] = f"Trust {same[0]} already has this name."
        icb = self.icb_choice()
        if icb is None:
            found["trust-icb"] = "Choose the trust's ICB, or New ICB… (the last) to add one."
        elif icb == NEW_ICB:
            icb_code = self.value_of("icb-code")
            problem = ods_problem(icb_code, "ICB", "QHL")
            if problem is None and icb_code in self.icbs:
                problem = f"{icb_code} is already an ICB ({self.icbs[icb_code]}): choose it above."
            if problem:
                found["icb-code"] = problem
            if not self.value_of("icb-name"):
                found["icb-name"] = "Give the new ICB's name."
        return found

    def values(self) -> Row:
        icb = self.icb_choice()
        new_icb = None
        if icb == NEW_ICB:
            new_icb = {"code": self.value_of("icb-code"), "name": self.value_of("icb-name")}
            icb = new_icb["code"]
        trust = {
            "code": self.value_of("trust-code"),
            "name": self.value_of("trust-name"),
            "icb": icb,
            "note": self.value_of("trust-note"),
        }
        return {"trust": trust, "icb": new_icb}

    @property
    def dirty(self) -> bool:
        typed = any(self.query_one(f"#{i}", Input).value for i in self.FIELDS if i != "trust-icb")
        return typed or self.icb_choice() is not None

    def save(self, db: Database, values: Row) -> str:
        from catalogue.errors import CatalogueError
        from catalogue.reference_import import save_rows
        from catalogue.reference_kinds import BY_NAME, load_keys

        trust, icb = values["trust"], values["icb"]
        with db.atomic():
            # Added meanwhile (by another program)? Then saving would change it, not add it.
            if trust["code"] in load_keys(db, BY_NAME["trust"]):
                raise CatalogueError(f"{trust['code']} is a trust already (added meanwhile).")
            if icb is not None:
                if icb["code"] in load_keys(db, BY_NAME["icb"]):
                    raise CatalogueError(f"{icb['code']} is an ICB already (added meanwhile).")
                save_rows(db, BY_NAME["icb"], [icb], source=SOURCE)
            save_rows(db, BY_NAME["trust"], [trust], source=SOURCE)
        said = f"Added trust {trust['code']} {trust['name']}"
        return said + (f", in the new ICB {icb['code']} {icb['name']}" if icb else "")
