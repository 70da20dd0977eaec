"""The Import screen: choose a catalogue file (job descriptions, or reference rows: trusts,
routes, moves, pay points, ...), see what importing it would change (or every problem in it),
then confirm to write it, all in one transaction.

Both steps are `catalogue.catalogue_import.import_catalogue`, as `workforce import` runs it: a
dry run first, always (it writes nothing), and nothing is written until the user confirms what
was shown. On confirming, the file is imported again and kept only if it made exactly the
changes shown (else rolled back, and the new dry run shown); a file refused changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Static

from tui.background import catalogue_in_thread
from tui.messages import CatalogueChanged
from tui.screens.base import WorkforceScreen
from tui.widgets.file_picker import FilePicker
from tui.widgets.key_bar import KeyBar
from tui.widgets.wrapped_log import WrappedLog

if TYPE_CHECKING:
    from catalogue.catalogue_import import ImportResult
    from catalogue.errors import ImportProblem

Row = dict[str, Any]

# The endings the importer reads (catalogue.jd_sources.SUPPORTED_SUFFIXES, for every kind of
# file, which a test keeps in step): named here so that opening the screen does not load it.
SUFFIXES = (".csv", ".toml", ".json")
# JDs to add (and lines of changes) listed in the preview; the counts above them cover all.
PREVIEW_ROWS = 500

HELP = """\
# Import

Load any file `workforce import` reads, CSV, TOML or JSON: job descriptions (JDs) in the
interchange format (`workforce template jds` prints a blank CSV to fill), or reference rows
(ICBs, trusts, bands, pay points, competencies, roles, role competencies, training routes,
moves, national rates, on-costs), as `workforce export` writes them. A TOML or JSON file may
hold several kinds (`[[trust]]`, `[[route]]`, `[[edge]]`, `[[job]]`, ...); a CSV holds one,
told from its columns. Choose the file in the list of the current directory's files (Enter
on it), or press `p` and type its path, then Enter.

First the file is checked against the catalogue, and nothing is written: you see, for each
kind of row, how many would be **added**, **updated** (a row is known by its key, a JD by its
trust and reference: importing it again updates it, never duplicates it) and **unchanged**,
the reference rows to add or change, the JDs to add and every change to a JD already held.
Reference rows are written first (an ICB before its trusts), so one file can bring a new
trust and its JDs together. A file with any problem is refused whole: every problem is
listed, with its line (or table) and field, and the catalogue is left exactly as it was.

Enter (or the Import button) then writes the changes shown, in one transaction. If the file or
the catalogue changed in between, nothing is written and the new dry run is shown instead.
`e` writes the problems (or the changes) shown to a CSV or TOML file.
"""


class FileChecked(Message):
    """A file was read and checked against the catalogue, nothing written: `plan` is what
    importing it would change (a dry run's result), or `problems` why it is refused (`again`:
    it was checked again on confirming, and no longer made the changes shown). `check`
    numbers the request."""

    def __init__(
        self,
        check: int,
        path: Path,
        plan: ImportResult | None,
        problems: Sequence[ImportProblem] = (),
        *,
        again: bool = False,
    ) -> None:
        super().__init__()
        self.check = check
        self.path = path
        self.plan = plan
        self.problems = list(problems)
        self.again = again


class FileImported(Message):
    """A checked file was written to the catalogue, in one transaction."""

    def __init__(self, path: Path, plan: ImportResult) -> None:
        super().__init__()
        self.path = path
        self.plan = plan


class _NotAsShown(Exception):
    """Raised inside the import's transaction to roll back an import that would not make the
    changes the user confirmed."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


def counts_text(result: ImportResult) -> str:
    """The counts in words, as the command line says them: "2 added, 0 updated, 1 unchanged",
    or one kind after another: "routes: 1 added, ...; edges: 1 added, ..."."""
    return "; ".join(result.lines()) or "no rows"


def changes_made(result: ImportResult) -> int:
    """How many rows of every kind an import adds or updates."""
    reference = result.reference.totals()
    return reference.added + reference.updated + result.jds.added + result.jds.updated


def _same_changes(one: ImportResult, other: ImportResult) -> bool:
    """Whether two imports write the same thing: the same counts, the same reference rows
    (each with the same values) and the same JDs to add and to update."""

    def reference(result: ImportResult) -> list[tuple[str, str, str, object]]:
        return [
            (change.kind.name, change.key, change.action, change.record)
            for change in result.reference.changes
        ]

    return (
        one.summary() == other.summary()
        and one.changes == other.changes
        and reference(one) == reference(other)
        and one.jds.to_add == other.jds.to_add
        and one.jds.to_update == other.jds.to_update
    )


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def plan_preview(result: ImportResult, *, written: bool = False) -> RenderableType:
    """The reference rows an import adds or changes, the JDs it adds, and each change it makes
    to a JD the catalogue holds (the first PREVIEW_ROWS of each; the counts above them cover
    all). Every line of `result.changes` is among them."""
    parts: list[RenderableType] = []
    reference = result.reference.lines
    if reference:
        title = f"{'Reference rows written' if written else 'Reference rows to write'}"
        parts.append(Text(f"{title} ({len(reference):,})", style="bold"))
        parts.extend(Text(f"  {line}") for line in reference[:PREVIEW_ROWS])
        if len(reference) > PREVIEW_ROWS:
            more = len(reference) - PREVIEW_ROWS
            parts.append(Text(f"  … and {more:,} more (e writes them all to a file)", style="dim"))
        parts.append(Text(""))
    plan = result.jds
    if plan.to_add:
        title = f"{'Added' if written else 'To add'} ({plan.added:,})"
        added = Table(title=title, title_justify="left", title_style="bold", box=None, expand=True)
        # The title takes the room left (folded, never cut: it is what the user checks); a
        # narrow terminal cuts the role id before anything else.
        added.add_column("Trust", no_wrap=True)
        added.add_column("Ref", overflow="fold", min_width=8)
        added.add_column("Title", ratio=1, overflow="fold", min_width=12)
        added.add_column("Band", no_wrap=True)
        added.add_column("Role", no_wrap=True, overflow="ellipsis", max_width=26)
        for _, jd in plan.to_add[:PREVIEW_ROWS]:
            # Text, never str: a title or reference from the file is data, not markup.
            added.add_row(
                Text(jd.trust),
                Text(jd.jd_ref),
                Text(jd.title),
                Text(jd.band or "medical"),
                Text(jd.role) if jd.role else Text("to match", style="dim italic"),
            )
        parts.append(added)
        if plan.added > PREVIEW_ROWS:
            more = plan.added - PREVIEW_ROWS
            parts.append(Text(f"… and {more:,} more (e writes them all to a file)", style="dim"))
    if plan.changes:
        title = f"{'Updated' if written else 'To update'} ({plan.updated:,})"
        parts.append(Text(f"\n{title}", style="bold"))
        parts.extend(Text(f"  {line}") for line in plan.changes[:PREVIEW_ROWS])
        if len(plan.changes) > PREVIEW_ROWS:
            more = len(plan.changes) - PREVIEW_ROWS
            parts.append(Text(f"  … and {more:,} more (e writes them all to a file)", style="dim"))
    if not parts:
        parts.append(Text("Every row in the file is in the catalogue as given: nothing to do."))
    return Group(*parts)


def problem_lines(problems: Sequence[ImportProblem]) -> list[str]:
    """Every problem, one a line, under the file it is in: "line 3: field 'band': ..."."""
    lines: list[str] = []
    current: str | None = None
    for problem in problems:
        if problem.file != current:
            current = problem.file
            lines += ([""] if lines else []) + [shown_path(Path(problem.file))]
        field = f"field '{problem.field}'" if problem.field else ""
        where = ": ".join(part for part in (problem.where, field) if part)
        lines.append(f"  {where}: {problem.message}" if where else f"  {problem.message}")
    return lines


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
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        self.checked: Path | None = None  # the file the dry run shown is of
        self.plan: ImportResult | None = None  # a clean dry run, not yet written
        self.problems: list[ImportProblem] = []  # or why the file is refused
        self.checking = False  # a file is being checked (a newer check supersedes it)
        self.applying = False  # a checked file is being written (nothing else starts)
        self._checks = 0  # numbers each check: a result is shown only if it is the latest
        self._recheck = False  # the catalogue changed elsewhere: check the file again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Import a catalogue file (CSV, TOML or JSON): job descriptions, or reference rows "
            "such as trusts, routes, moves and pay points. You see what would change first: "
            "nothing is written until you confirm.",
            id="import-hint",
            markup=False,
        )
        with Horizontal(id="import-main"):
            files = FilePicker(Path("."), suffixes=SUFFIXES, id="import-files")
            files.border_title = "Here: .csv .toml .json"
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
            self._verdict("Type the path of a .csv, .toml or .json file first.", refused=True)
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
        self.check_file(self._checks, path)

    @work(thread=True, exclusive=True, group="import-check", exit_on_error=False)
    def check_file(self, check: int, path: Path) -> None:
        # Deferred: loads pydantic.
        from catalogue.catalogue_import import import_catalogue
        from catalogue.errors import ImportRefused

        with catalogue_in_thread(self.db_path) as db:
            try:
                result = import_catalogue(db, [path], dry_run=True)  # writes nothing
            except ImportRefused as refused:
                self.post_message(FileChecked(check, path, None, refused.problems))
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
                "(listed below). Nothing was written: fix the file and check it again.",
                refused=True,
            )
            problems = self.query_one("#import-problems", WrappedLog)
            problems.set_lines(problem_lines(event.problems))
            typed = self.query_one("#import-path", Input)
            unread = all(not problem.where for problem in event.problems)
            if not (unread and typed.has_focus):
                # The keys scroll the problems (but a path typed wrong, or a file of the wrong
                # kind, is corrected where it was typed).
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

    # -- confirming ---------------------------------------------------------------------------

    def can_confirm(self) -> bool:
        plan = self.plan
        busy = self.checking or self.applying
        return not busy and plan is not None and changes_made(plan) > 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = self.query("#import-path")  # none yet (or any more) while (un)mounting
        if action in ("focus_path", "export") and typing and typing.first().has_focus:
            return False  # letters typed in the path are text
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
        self.apply_file(self._checks, self.checked, self.plan)

    @work(thread=True, exclusive=False, group="import-apply", exit_on_error=False)
    def apply_file(self, check: int, path: Path, shown: ImportResult) -> None:
        from catalogue.catalogue_import import import_catalogue
        from catalogue.errors import ImportRefused

        with catalogue_in_thread(self.db_path) as db:
            # Imported in a transaction of its own, kept only if it made the changes the user
            # saw (the file and the catalogue as they were then); else rolled back.
            try:
                with db.atomic():
                    result = import_catalogue(db, [path])
                    if not _same_changes(result, shown):
                        raise _NotAsShown(result)
            except ImportRefused as refused:
                self.post_message(FileChecked(check, path, None, refused.problems, again=True))
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
