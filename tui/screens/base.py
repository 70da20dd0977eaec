"""What the app's screens share: help that lists the screen's keys, commands for the palette,
worker failures shown to the user, and exporting the rows a table shows."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import ActiveBinding, Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker

from tui.background import report_failure
from tui.messages import ExportFailed, ExportWritten
from tui.read_only import SAYS, writes

if TYPE_CHECKING:
    from tui.screens.export import ExportChoice

Row = dict[str, Any]

WEB_NOTE = (
    "Exports, reports and passports are still written: in a browser, as downloads; a "
    "passport is opened by pasting its text."
)


def _declared_bindings(node: type[DOMNode]) -> list[BindingType]:
    """The bindings a class of ours declares and inherits from classes of ours (Textual's own,
    such as tab to move focus, are Textual's to document)."""
    found: list[BindingType] = []
    for cls in reversed(node.__mro__):
        if cls.__module__.startswith("tui."):
            found += cls.__dict__.get("BINDINGS", [])
    return found


class WorkforceScreen(Screen[None]):
    """A screen of the app over the catalogue at `db_path`."""

    # On the screen rather than the app, so the footer shows it before the app's keys.
    BINDINGS = [
        Binding("question_mark", "app.help", "Help", id="help", tooltip="This screen's help"),
    ]

    # Prose for `?`; the table of keys is added from the bindings, so it cannot drift.
    HELP_TEXT: ClassVar[str] = ""
    # Keys handled by widgets rather than bindings of the screen, for the help: (key, does).
    WIDGET_KEYS: ClassVar[tuple[tuple[str, str], ...]] = ()
    # Widgets on the screen whose key bindings the help lists too.
    HELP_WIDGETS: ClassVar[tuple[type[DOMNode], ...]] = ()
    # The actions that change the catalogue: refused, and not shown, on a read-only
    # catalogue (tui/read_only.py). Each screen names its own.
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    # -- the header ------------------------------------------------------------------------

    def on_resize(self) -> None:
        """The header shortens the catalogue's path to the terminal's width (App.format_title):
        have it shortened again for the new width."""
        self.app.mutate_reactive(App.sub_title)

    def on_screen_resume(self) -> None:
        self.on_resize()  # the terminal may have been resized while another screen was shown

    # -- the catalogue changed by another program -----------------------------------------

    def show_catalogue_afresh(self) -> None:
        """Read again what this screen shows, keeping the cursor, filter and sort: another
        program changed the catalogue while it was in view. Its tables of rows read again
        here; a screen that shows more reads that again too."""
        from tui.widgets.filter_table import FilterTable

        for table in self.query(FilterTable):
            table.reload()

    # -- a read-only catalogue ---------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.app, "read_only", False))

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys that work here: on a read-only catalogue, none that would change it
        (the app refuses them too, saying why)."""
        bindings = super().active_bindings
        if not self.read_only:
            return bindings
        return {
            key: active
            for key, active in bindings.items()
            if not writes(active.node, active.binding.action)
        }

    def refuse_writing(self) -> bool:
        """For a change started other than by a key (a click on a row): True, saying why,
        if the catalogue is read-only here."""
        if self.read_only:
            self.notify(f"This catalogue is open read-only: {SAYS}.", severity="warning")
        return self.read_only

    # -- help -----------------------------------------------------------------------------

    def help_markdown(self) -> str:
        """This screen's help: its text and every key it (and the app) answers to."""
        rows: dict[str, tuple[list[str], str]] = {}
        bindings: list[BindingType] = []
        refused: set[str] = set()
        for node in (*self.HELP_WIDGETS, type(self), type(self.app)):
            declared = _declared_bindings(node)
            bindings += declared
            if self.read_only:
                found = Binding.make_bindings(declared)
                refused |= {b.action for b in found if writes(node, b.action)}
        for binding in Binding.make_bindings(bindings):
            if binding.system or binding.action == "select_cursor":
                continue  # Enter on a table is described in WIDGET_KEYS, for what it opens
            keys, _ = rows.get(binding.action, ([], ""))
            # "ctrl+q" spelled out (the footer's "^q" is terse for a help page).
            key = binding.key if "+" in binding.key else self.app.get_key_display(binding)
            if key not in keys:
                keys.append(key)
            does = binding.tooltip or binding.description
            if binding.action in refused:
                does += f" (*{SAYS}*)"
            rows[binding.action] = (keys, does)
        lines = [self.HELP_TEXT.rstrip(), "", "## Keys", "", "| key | does |", "| --- | --- |"]
        if self.read_only:
            lines[1:1] = ["", f"**Read-only:** this catalogue cannot be changed here. {WEB_NOTE}"]
        for key, does in self.WIDGET_KEYS:
            lines.append(f"| `{key}` | {does} |")
        for keys, does in rows.values():
            lines.append(f"| {' '.join(f'`{key}`' for key in keys)} | {does} |")
        lines.append("| `ctrl+p` | Command palette: every action by name |")
        return "\n".join(lines) + "\n"

    # -- the command palette ---------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the palette, named "area: action"."""
        return ()

    # -- workers ------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event):
            self.worker_failed()

    def worker_failed(self) -> None:
        """Undo what a running worker showed (a loading indicator); override where needed."""

    # -- export -------------------------------------------------------------------------------

    def start_export(
        self, rows: list[Row], *, noun: str, default_name: str, toml_table: str
    ) -> None:
        """Ask where to write `rows` (what the table shows), then write them there."""
        if not rows:
            self.notify(f"No {noun} shown: nothing to export.", severity="warning")
            return
        from tui.screens.export import ExportScreen  # deferred: not needed to start

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.write_export(rows, choice, toml_table, noun)

        self.app.push_screen(ExportScreen(f"{len(rows)} {noun}", default_name), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write_export(
        self, rows: list[Row], choice: ExportChoice, toml_table: str, noun: str
    ) -> None:
        from catalogue.export import rows_to_csv, rows_to_toml  # deferred: only on export
        from tui.widgets.file_output import FileRefused, write_or_deliver

        text = rows_to_csv(rows) if choice.format == "csv" else rows_to_toml(rows, toml_table)
        try:
            # The dialog has asked before replacing a file: whole or not at all, and never
            # through a link (in a browser: a download).
            write_or_deliver(self.app, choice.path, text, replace=True)
        except FileRefused as refused:
            self.post_message(ExportFailed(str(refused)))
            return
        self.post_message(ExportWritten(choice.path, len(rows), noun))

    def on_export_failed(self, event: ExportFailed) -> None:
        self.notify(event.reason, title="Not exported", severity="error", markup=False)

    def on_export_written(self, event: ExportWritten) -> None:
        from tui.widgets.file_output import where_written

        where = where_written(self.app, event.path)
        self.notify(f"Wrote {event.rows} {event.noun} {where}", title="Exported", markup=False)
