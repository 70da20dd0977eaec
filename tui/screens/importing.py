"""The Import screen: choose a file (job descriptions or reference rows: trusts, routes, moves,
pay points, ...; or a trust's own Word JD or Excel workbook of posts), see what importing it
would change (or every problem in it), then confirm to write it, all in one transaction.

Both steps are `catalogue.catalogue_import.import_catalogue`, as `workforce import` runs it: a
dry run first, always (it writes nothing), and nothing is written until the user confirms what
was shown. On confirming, the file is imported again and kept only if it made exactly the
changes shown (else rolled back, and the new dry run shown); a file refused changes nothing.

A trust's document is read with what the person chose for it here, as the command line's
options: the trust it belongs to where it names none (`t`), a workbook's sheet (`s`), and a
Word JD's fields put right where they were read wrong or not found (`c`, a form).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Static

from tui.background import catalogue_in_thread, reader_in_thread
from tui.messages import CatalogueChanged
from tui.screens.base import WorkforceScreen
from tui.screens.import_messages import ChoicesRead, FileChecked, FileImported
from tui.widgets.file_picker import FilePicker
from tui.widgets.import_views import (
    asks_for,
    changes_made,
    counts_text,
    plan_preview,
    problem_lines,
    same_changes,
)
from tui.widgets.key_bar import KeyBar
from tui.widgets.wrapped_log import WrappedLog

if TYPE_CHECKING:
    from catalogue.catalogue_import import ImportResult
    from catalogue.errors import ImportProblem
    from tui.widgets.form_fields import Saved

Row = dict[str, Any]

WORD, EXCEL = ".docx", ".xlsx"  # a trust's own Word JD, and workbook of posts
# The endings the importer reads (catalogue.jd_sources.SUPPORTED_SUFFIXES and, for a trust's
# own documents, catalogue.table_sources.DOCUMENT_SUFFIXES, which a test keeps in step): named
# here so that opening the screen does not load them.
SUFFIXES = (".csv", ".toml", ".json", WORD, EXCEL)
AS_THE_FILE_SAYS = "__as_the_file_says__"  # the trust list's first choice: none chosen

HELP = """\
# Import

Load any file `workforce import` reads. CSV, TOML or JSON: job descriptions (JDs) in the
interchange format (`workforce template jds` prints a blank CSV to fill), or reference rows
(ICBs, trusts, bands, pay points, competencies, roles, role competencies, training routes,
moves, national rates, on-costs), as `workforce export` writes them. A TOML or JSON file may
hold several kinds (`[[trust]]`, `[[route]]`, `[[edge]]`, `[[job]]`, ...); a CSV holds one,
told from its columns. Or what trusts send as they send it: a **Word JD** (`.docx`, one post)
or an **Excel workbook** of posts (`.xlsx`, an establishment list). Choose the file in the
list of the current directory's files (Enter on it), or press `p` and type its path, then
Enter.

First the file is checked against the catalogue, and nothing is written: you see, for each
kind of row, how many would be **added**, **updated** (a row is known by its key, a JD by its
trust and reference: importing it again updates it, never duplicates it) and **unchanged**,
the reference rows to add or change, the JDs to add and every change to a JD already held.
Reference rows are written first (an ICB before its trusts), so one file can bring a new
trust and its JDs together. A file with any problem is refused whole: every problem is
listed, with its line (or table) and field, and the catalogue is left exactly as it was.

For a Word JD or a workbook the dry run shows, first, what was read into each field and from
where (`table 1, row 2`, `page header`, a workbook's column mapping), and what was not found.
Where a document does not name its trust, `t` chooses it (from the catalogue's trusts); a
workbook with several sheets of posts asks which, and `s` chooses it. `c` opens what was read
from a Word JD in a form, field by field with where each came from, to correct any (a band or
title not found, a title read wrong): the corrections are used in the dry run and the import,
not written into the document. Each choice checks the file again.

Enter (or the Import button) then writes the changes shown, in one transaction. If the file or
the catalogue changed in between, nothing is written and the new dry run is shown instead.
`e` writes the problems (or the changes) shown to a CSV or TOML file.
"""


@dataclass
class FileOptions:
    """What the person chose here for one file, as `workforce import` takes them: the trust
    of a document that names none, a workbook's sheet, and a Word JD's fields put right."""

    trust: str | None = None
    sheet: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)

    def import_options(self, path: Path) -> dict[str, Any]:
        """import_catalogue's keyword arguments for `path`, read with these choices."""
        corrections = {str(path): dict(self.corrections)} if self.corrections else None
        return {"trust": self.trust, "sheet": self.sheet, "corrections": corrections}


def workbook_sheets(path: Path) -> list[str]:
    """The names of a workbook's sheets, in order (none when it cannot be read: the dry run
    says why)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook  # deferred: start-up time
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True)
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError):
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


class _NotAsShown(Exception):
    """Raised inside the import's transaction to roll back an import that would not make the
    changes the user confirmed."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


class ImportScreen(WorkforceScreen):
    DEFAULT_CSS = """
    ImportScreen #import-hint {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ImportScreen #import-main {
        height: 1fr;
    }
    ImportScreen #import-files {
        width: 34;
        max-width: 35%;
        height: 1fr;
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
    }
    ImportScreen #import-files:focus {
        border: round $accent;
    }
    ImportScreen #import-side {
        width: 1fr;
        height: 1fr;
        padding: 0 0 0 1;
    }
    ImportScreen #import-path {
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    ImportScreen #import-path:focus {
        background: $surface-lighten-1;
    }
    ImportScreen #import-verdict {
        height: auto;
        padding: 0 1;
        margin-top: 1;
    }
    ImportScreen #import-verdict.-refused {
        color: $text-error;
        text-style: bold;
    }
    ImportScreen #import-buttons {
        height: auto;
        margin: 1 0;
    }
    ImportScreen #import-buttons Button {
        margin: 0 2 0 1;
    }
    ImportScreen #import-result {
        height: 1fr;
    }
    ImportScreen #import-preview, ImportScreen #import-problems {
        height: 1fr;
        padding: 0 1;
        background: $surface;
    }
    ImportScreen #import-problems {
        display: none;
    }
    ImportScreen #import-result.-refused #import-problems {
        display: block;
    }
    ImportScreen #import-result.-refused #import-preview {
        display: none;
    }
    """
    TITLE = "Import"
    HELP_TEXT = HELP
    WRITE_ACTIONS = frozenset({"confirm", "correct"})
    AUTO_FOCUS = "#import-files"
    WIDGET_KEYS = (
        ("up/down", "Move in the list of files (or scroll the dry run)"),
        ("enter", "On a file (or a typed path): check it, writing nothing"),
        ("tab", "Move between the files, the path, the buttons and the dry run"),
    )
    BINDINGS = [
        Binding("p", "focus_path", "Path", id="import-path", tooltip="Type the file's path"),
        Binding(
            "enter",
            "confirm",
            "Import",
            id="import-confirm",
            tooltip="Write the changes shown to the catalogue, in one transaction",
        ),
        Binding("e", "export", "Export", id="import-export", tooltip="Write what is shown"),
        Binding("escape", "back", "Files", id="import-back", tooltip="Back to the list of files"),
        Binding(
            "t",
            "choose_trust",
            "Trust",
            id="import-trust",
            tooltip="A Word JD or workbook: choose the trust it belongs to, where it names none",
        ),
        Binding(
            "s",
            "choose_sheet",
            "Sheet",
            id="import-sheet",
            tooltip="An Excel workbook: choose the sheet of posts to read",
        ),
        Binding(
            "c",
            "correct",
            "Correct",
            id="import-correct",
            tooltip="A Word JD: each field as read, and where from; correct any",
        ),
    ]
    # The keys that choose how a document is read: hidden for other files.
    DOCUMENT_ACTIONS = {"choose_trust": (WORD, EXCEL), "choose_sheet": (EXCEL,), "correct": (WORD,)}

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        self.checked: Path | None = None  # the file the dry run shown is of
        self.plan: ImportResult | None = None  # a clean dry run, not yet written
        self.problems: list[ImportProblem] = []  # or why the file is refused
        self.checking = False  # a file is being checked (a newer check supersedes it)
        self.applying = False  # a checked file is being written (nothing else starts)
        self._checks = 0  # numbers each check: a result is shown only if it is the latest
        self._recheck = False  # the catalogue changed elsewhere: check the file again
        self.options: dict[str, FileOptions] = {}  # what was chosen for each file, by path

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Import a catalogue file (CSV, TOML, JSON: JDs, trusts, routes, moves, pay "
            "points, ...) or what a trust sent: a Word JD, an Excel list of posts. You see what "
            "would change, and what was read from where, first: nothing is written until you "
            "confirm.",
            id="import-hint",
            markup=False,
        )
        with Horizontal(id="import-main"):
            files = FilePicker(Path("."), suffixes=SUFFIXES, id="import-files")
            files.border_title = "csv toml json docx xlsx"
            yield files
            with Vertical(id="import-side"):
                yield Input(placeholder="p: type a path, then Enter to check it", id="import-path")
                yield Static(
                    "Choose a file: Enter on it in the list, or type its path.",
                    id="import-verdict",
                    markup=False,
                )
                with Horizontal(id="import-buttons"):
                    yield Button(
                        "Import", id="import-apply", variant="primary", disabled=True, compact=True
                    )
                    yield Button("Check again", id="import-check", disabled=True, compact=True)
                with Vertical(id="import-result"):
                    yield VerticalScroll(Static("", id="import-preview-body"), id="import-preview")
                    yield WrappedLog(id="import-problems")
        yield KeyBar()

    def catalogue_changed(self) -> None:
        """The catalogue was changed on another screen (JDs mapped, a trust added): a dry run
        shown may no longer be what importing would do, so it is run again when this screen
        is shown."""
        self._recheck = self.plan is not None or bool(self.problems)

    def show_catalogue_afresh(self) -> None:
        self.catalogue_changed()
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        # Files may have been saved here since the list was read.
        files = self.query_one("#import-files", FilePicker)
        if files.listed:
            files.list_files()
        if self._recheck and self.checked is not None and not self.applying:
            self._recheck = False
            self.check(self.checked)

    # -- choosing a file ----------------------------------------------------------------------

    @on(FilePicker.RowSelected, "#import-files")
    def _file_chosen(self, event: FilePicker.RowSelected) -> None:
        event.stop()
        if event.row_key.value is None:
            return
        path = self.query_one("#import-files", FilePicker).path_of(event.row_key.value)
        path_input = self.query_one("#import-path", Input)
        with path_input.prevent(Input.Changed):
            path_input.value = str(path)
        self.check(path)

    @on(Input.Submitted, "#import-path")
    def _path_given(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._verdict(
                "Type the path of a .csv, .toml, .json, .docx or .xlsx file first.", refused=True
            )
            return
        self.check(Path(text).expanduser())

    @on(Input.Changed, "#import-path")
    def _path_edited(self) -> None:
        # What was checked is no longer what is named: it cannot be confirmed.
        if self.plan is not None:
            self.plan = None
            self._verdict("The path has changed: Enter checks the new one.")
            self._update_buttons()

    @on(Button.Pressed, "#import-check")
    def _check_again(self) -> None:
        if self.checked is not None:
            self.check(self.checked)

    def check(self, path: Path) -> None:
        """Dry-run an import of `path` (in a worker): show what it would change, or why not."""
        if self.applying:
            self.notify("An import is being written: wait for it to finish.", severity="warning")
            return
        self._checks += 1
        self.plan, self.problems, self.checked = None, [], path
        self.checking = True
        self._set_loading(f"Checking {path}… (nothing is written)")
        self.check_file(self._checks, path, self.options_for(path).import_options(path))

    def options_for(self, path: Path) -> FileOptions:
        return self.options.setdefault(str(path), FileOptions())

    @work(thread=True, exclusive=True, group="import-check", exit_on_error=False)
    def check_file(self, check: int, path: Path, options: dict[str, Any]) -> None:
        # Deferred: loads pydantic.
        from catalogue.catalogue_import import import_catalogue
        from catalogue.errors import ImportProblem, ImportRefused

        with catalogue_in_thread(self.db_path) as db:
            try:
                # Writes nothing.
                result = import_catalogue(db, [path], dry_run=True, **options)
            except (ImportRefused, ImportProblem) as refused:
                problems = refused.problems if isinstance(refused, ImportRefused) else [refused]
                self.post_message(FileChecked(check, path, None, problems))
                return
        self.post_message(FileChecked(check, path, result))

    def on_file_checked(self, event: FileChecked) -> None:
        if event.check != self._checks:
            return  # a newer check has been asked for: its result is coming
        self.checking = self.applying = False
        self.checked, self.plan, self.problems = event.path, event.plan, event.problems
        result = self.query_one("#import-result")
        result.loading = False
        result.set_class(event.plan is None, "-refused")
        if event.plan is None:
            count = len(event.problems)
            self._verdict(
                f"{event.path}: refused, {count:,} problem{'s' if count != 1 else ''} "
                f"(listed below). Nothing was written: {self._advice(event)}.",
                refused=True,
            )
            problems = self.query_one("#import-problems", WrappedLog)
            problems.set_lines(problem_lines(event.problems))
            typed = self.query_one("#import-path", Input)
            unread = all(not problem.where for problem in event.problems)
            document = event.path.suffix.lower() in (WORD, EXCEL) and event.path.is_file()
            if document or not (unread and typed.has_focus):
                # The keys scroll the problems, and choose how a document is read (but a path
                # typed wrong, or a file of the wrong kind, is corrected where it was typed).
                problems.focus()
        else:
            changes = changes_made(event.plan)
            again = (
                "The file or the catalogue changed since it was checked: " if event.again else ""
            )
            then = (
                "Nothing written yet: Enter (or Import) writes these changes in one transaction."
                if changes
                else "Nothing to write."
            )
            self._verdict(f"{again}{event.path}: {counts_text(event.plan)}. {then}")
            self.query_one("#import-preview-body", Static).update(plan_preview(event.plan))
            preview = self.query_one("#import-preview", VerticalScroll)
            preview.scroll_home(animate=False)
            if changes:
                preview.focus()  # the keys scroll the dry run; Enter confirms it
        self._update_buttons()

    def _advice(self, event: FileChecked) -> str:
        """What the person can do about a refusal: choose here what the file does not say, or
        put the file right."""
        asked = asks_for(event.problems)
        suffix = event.path.suffix.lower()
        said = [
            *(["t chooses the trust"] if "trust" in asked else []),
            *(["s chooses the sheet"] if "sheet" in asked else []),
            *(["c corrects what was read"] if suffix == WORD else []),
        ]
        if not said:
            return "fix the file and check it again"
        return ", ".join(said) + "; it is then checked again"

    # -- confirming ---------------------------------------------------------------------------

    def can_confirm(self) -> bool:
        plan = self.plan
        busy = self.checking or self.applying
        return not busy and plan is not None and changes_made(plan) > 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = self.query("#import-path")  # none yet (or any more) while (un)mounting
        if action in ("focus_path", "export") and typing and typing.first().has_focus:
            return False  # letters typed in the path are text
        if action in self.DOCUMENT_ACTIONS:
            checked = self.checked
            if checked is None or checked.suffix.lower() not in self.DOCUMENT_ACTIONS[action]:
                return False  # not a file it applies to
            return None if self.checking or self.applying else True
        if action == "confirm":
            return self.can_confirm()
        if action == "export":
            return None if not (self.problems or self.plan) else True
        if action == "back":
            files = self.query("#import-files")
            return bool(files) and not files.first().has_focus
        return True

    @on(Button.Pressed, "#import-apply")
    def action_confirm(self) -> None:
        if not self.can_confirm() or self.plan is None or self.checked is None:
            return
        self.applying = True
        self._set_loading(f"Importing {self.checked}…")
        options = self.options_for(self.checked).import_options(self.checked)
        self.apply_file(self._checks, self.checked, self.plan, options)

    @work(thread=True, exclusive=False, group="import-apply", exit_on_error=False)
    def apply_file(
        self, check: int, path: Path, shown: ImportResult, options: dict[str, Any]
    ) -> None:
        from catalogue.catalogue_import import import_catalogue
        from catalogue.errors import ImportProblem, ImportRefused

        with catalogue_in_thread(self.db_path) as db:
            # Imported in a transaction of its own, kept only if it made the changes the user
            # saw (the file and the catalogue as they were then); else rolled back.
            try:
                with db.atomic():
                    result = import_catalogue(db, [path], **options)
                    if not same_changes(result, shown):
                        raise _NotAsShown(result)
            except (ImportRefused, ImportProblem) as refused:
                problems = refused.problems if isinstance(refused, ImportRefused) else [refused]
                self.post_message(FileChecked(check, path, None, problems, again=True))
                return
            except _NotAsShown as changed:
                self.post_message(FileChecked(check, path, changed.result, again=True))
                return
        self.post_message(FileImported(path, result))

    def on_file_imported(self, event: FileImported) -> None:
        self.applying = False
        self.plan = None
        self.query_one("#import-result").loading = False
        counts = counts_text(event.plan)
        self._verdict(
            f"Imported {event.path}: {counts}, in one transaction. "
            "The other screens show them when next opened."
        )
        self.query_one("#import-preview-body", Static).update(
            plan_preview(event.plan, written=True)
        )
        self._update_buttons()
        self.notify(f"{event.path}: {counts}", title="Imported", markup=False)
        self.app.post_message(CatalogueChanged())
        self.query_one("#import-files", FilePicker).focus()

    # -- what is shown --------------------------------------------------------------------------

    def _verdict(self, text: str, *, refused: bool = False) -> None:
        verdict = self.query_one("#import-verdict", Static)
        verdict.update(text)
        verdict.set_class(refused, "-refused")

    def _set_loading(self, verdict: str) -> None:
        self.query_one("#import-result").loading = True
        self._verdict(verdict)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.query_one("#import-apply", Button).disabled = not self.can_confirm()
        busy = self.checking or self.applying
        self.query_one("#import-check", Button).disabled = busy or self.checked is None
        self.refresh_bindings()

    def worker_failed(self) -> None:
        self.checking = self.applying = False
        self.query_one("#import-result").loading = False
        self._verdict("Could not read the file or the catalogue: see the message.", refused=True)
        self._update_buttons()

    def action_focus_path(self) -> None:
        self.set_focus(self.query_one("#import-path", Input))

    def action_back(self) -> None:
        self.query_one("#import-files", FilePicker).focus()

    # -- how a trust's document is read: its trust, its sheet, a Word JD corrected ---------

    def action_choose_trust(self) -> None:
        if self.checked is not None:
            self.read_trusts(self.checked)

    def action_choose_sheet(self) -> None:
        if self.checked is not None:
            self.read_sheets(self.checked, self.options_for(self.checked).trust)

    @work(thread=True, exclusive=True, group="import-choices", exit_on_error=False)
    def read_trusts(self, path: Path) -> None:
        with reader_in_thread(self.db_path) as conn:
            trusts = conn.execute("SELECT code, name FROM trust ORDER BY code").fetchall()
        choices = [(AS_THE_FILE_SAYS, Text("As the file says (none chosen here)", style="italic"))]
        choices += [(str(code), Text(f"{code}  {name}")) for code, name in trusts]
        self.post_message(ChoicesRead("trust", path, choices))

    @work(thread=True, exclusive=True, group="import-choices", exit_on_error=False)
    def read_sheets(self, path: Path, trust: str | None) -> None:
        """The workbook's sheets, each with the posts read from it (as the import reads them)."""
        from catalogue.errors import ImportProblem
        from catalogue.xlsx_sources import read_xlsx

        choices: list[tuple[str, Text]] = []
        for name in workbook_sheets(path):
            label = Text(name)
            try:
                # Counting its posts: any trust will do (the import asks for the trust after).
                read = read_xlsx(path, sheet=name, trust=trust or "-")
            except ImportProblem:
                label.append("  no posts found", style="dim")
            else:
                count = len(read.rows)
                label.append(
                    f"  {count} post{'s' if count != 1 else ''}, header on row {read.header_row}",
                    style="dim",
                )
            choices.append((name, label))
        self.post_message(ChoicesRead("sheet", path, choices))

    def on_choices_read(self, event: ChoicesRead) -> None:
        from tui.widgets.dialogs import ChoiceDialog

        if self.app.screen is not self or event.path != self.checked:
            return  # a dialog was opened meanwhile, or another file chosen
        options = self.options_for(event.path)

        def chosen(value: str | None) -> None:
            if value is None:
                return
            if event.what == "trust":
                options.trust = None if value == AS_THE_FILE_SAYS else value
            else:
                options.sheet = value
            self.check(event.path)

        name = event.path.name
        if event.what == "trust":
            dialog = ChoiceDialog(
                f"The trust of {name}",
                event.choices,
                hint="For a document that does not name its trust (or names it wrongly).",
                selected=options.trust or AS_THE_FILE_SAYS,
                searchable=True,
                empty="No trust matches.",
            )
        else:
            dialog = ChoiceDialog(
                f"The sheet of posts in {name}",
                event.choices,
                hint="The posts are read from this sheet only.",
                selected=options.sheet,
                empty="No sheets could be read from the workbook.",
            )
        self.app.push_screen(dialog, chosen)

    def action_correct(self) -> None:
        from tui.widgets.jd_form import JDForm

        path = self.checked
        if path is None:
            return
        options = self.options_for(path)

        def corrected(saved: Saved | None) -> None:
            if saved is None:
                return  # closed: the corrections are as they were
            options.corrections = dict(saved.values)
            self.notify("\n".join(saved.lines), title="Corrections", markup=False)
            self.check(path)

        form = JDForm(self.db_path, path, trust=options.trust, corrections=options.corrections)
        self.app.push_screen(form, corrected)

    def export_rows(self) -> list[Row]:
        """What the dry run shows: every problem, or every reference row to write, JD to add
        and change to make."""
        if self.problems:
            return [
                {
                    "file": problem.file,
                    "where": problem.where,
                    "field": problem.field or "",
                    "problem": problem.message,
                }
                for problem in self.problems
            ]
        if self.plan is None:
            return []
        rows: list[Row] = [
            {
                "change": "add" if change.action == "added" else "update",
                "kind": change.kind.name,
                "key": change.key,
                "detail": line,
            }
            for change, line in zip(
                self.plan.reference.changes, self.plan.reference.lines, strict=True
            )
        ]
        jds = self.plan.jds
        rows += [
            {"change": "add", "kind": "job", "key": f"{jd.trust}:{jd.jd_ref}", "detail": jd.title}
            for _, jd in jds.to_add
        ]
        rows += [
            {"change": "update", "kind": "job", "key": f"{jd.trust}:{jd.jd_ref}", "detail": line}
            for (_, _, jd), line in zip(jds.to_update, jds.changes, strict=True)
        ]
        return rows

    def action_export(self, fmt: str = "csv") -> None:
        noun = "problems" if self.problems else "changes"
        self.start_export(
            self.export_rows(),
            noun=noun,
            default_name=f"import-{noun}.{fmt}",
            toml_table="problem" if self.problems else "change",
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "import: type a path", "Type the path of a file to check", self.action_focus_path
        )
        if self.can_confirm():
            yield SystemCommand(
                "import: confirm", "Write the changes shown to the catalogue", self.action_confirm
            )
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: dry run as {fmt.upper()}",
                f"Write the problems or changes shown to a {fmt.upper()} file",
                partial(self.action_export, fmt),
            )
