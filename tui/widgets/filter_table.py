"""A catalogue table that filters as you type, sorts by any column, opens a row's detail
beside it (or over it, in a narrow terminal) and exports the rows it shows.

Its rows are read in a thread worker the first time it is shown (`ensure_loaded`), or handed
to it by its screen (`show_rows`); a row's detail is read in a worker when it is opened.
Filtering and sorting work on the rows in memory: a catalogue table holds tens of rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static
from textual.worker import Worker

from tui.background import cancelled, catalogue_in_thread, report_failure
from tui.messages import DetailLoaded, RowsLoaded
from tui.table_specs import TableSpec
from tui.widgets.tables import RowTable, cell

Row = dict[str, Any]

ARROWS = {False: "▲", True: "▼"}


class FilterTable(Vertical):
    # Unscoped: the narrow layout depends on a class of the screen, above this widget.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    FilterTable {
        height: 1fr;
    }
    FilterTable .table-body {
        height: 1fr;
    }
    FilterTable RowTable {
        width: 1fr;
    }
    FilterTable .detail {
        display: none;
        width: 48%;
        height: 1fr;
        border-left: tall $accent;
        padding: 0 1;
    }
    FilterTable.-detail-open .detail {
        display: block;
    }
    /* A narrow terminal: the detail, once open, covers the table. */
    .-narrow FilterTable.-detail-open RowTable {
        display: none;
    }
    .-narrow FilterTable.-detail-open .detail {
        width: 1fr;
        border-left: none;
    }
    """

    BINDINGS = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            id="filter",
            tooltip="Type to show only the rows containing some text",
        ),
        Binding(
            "s", "sort_next", "Sort", id="sort", tooltip="Sort by the next column (or click one)"
        ),
        Binding(
            "r",
            "reverse_sort",
            "Reverse",
            id="reverse",
            tooltip="Reverse the sort order",
            show=False,  # in the help; the footer keeps room for the keys used most
        ),
        Binding("e", "export", "Export", id="export", tooltip="Write the rows shown to a file"),
        Binding(
            "escape",
            "back",
            "Back",
            id="back",
            tooltip="Clear the filter, or close an open detail",
            show=False,
        ),
    ]

    def __init__(
        self,
        spec: TableSpec,
        db_path: Path,
        *,
        table_id: str | None = None,
        loading: bool = False,
    ) -> None:
        super().__init__(id=f"{spec.name}-view", classes="filter-table")
        self.spec = spec
        self.db_path = db_path
        self.table_id = table_id or f"{spec.name}-table"
        self.rows: list[Row] = []  # every row read
        self.shown: list[Row] = []  # the rows the table shows, filtered and in order
        self.loaded = False
        self.sort_column: int | None = None  # None: the order the catalogue gives
        self.sort_reverse = False
        self.detail_key: str | None = None  # the row whose detail is open
        self._pending: tuple[str, bool] | None = None  # (key, open detail) once rows arrive
        self._started = False
        self._loading_at_start = loading  # rows are coming from the screen

    def compose(self) -> ComposeResult:
        yield Input(placeholder=f"/ to filter {self.spec.noun}", classes="filter")
        yield Static("", classes="table-status", markup=False)
        with Horizontal(classes="table-body") as body:
            # The loading indicator covers the table's container, not the table: a covered
            # widget cannot take focus, and the table should have the keys from the start
            # (the footer then shows them once, rather than again when the rows arrive).
            body.loading = self._loading_at_start
            yield RowTable(id=self.table_id)
            if self.spec.detail is not None:
                with VerticalScroll(classes="detail"):
                    yield Static("", classes="detail-body")

    @property
    def table(self) -> RowTable:
        return self.query_one(f"#{self.table_id}", RowTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("Input.filter", Input)

    @property
    def filter_text(self) -> str:
        return self.filter_input.value.strip()

    # -- rows -------------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """Read the rows, the first time only (a hidden tab reads nothing until it is shown)."""
        if self._started or self.spec.load is None:
            return
        self._started = True
        self.busy = True
        self.load_rows()

    def reload(self) -> None:
        """Read the rows (and an open detail) again, keeping filter, sort and cursor: the
        catalogue was changed by another program. A table not yet read waits to be shown."""
        if not self._started or self.spec.load is None:
            return
        self.load_rows()
        if self.detail_key is not None:
            self.load_detail(self.detail_key)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def load_rows(self) -> None:
        from catalogue import queries

        assert self.spec.load is not None
        with catalogue_in_thread(self.db_path) as db:
            rows = getattr(queries, self.spec.load)(db)
        if not cancelled():
            self.post_message(RowsLoaded(rows))

    def on_rows_loaded(self, event: RowsLoaded) -> None:
        event.stop()
        self.show_rows(event.rows)

    def show_rows(self, rows: list[Row]) -> None:
        """Show these rows (filtered and sorted as the table is now)."""
        self._started = True
        self.rows = rows
        self.loaded = True
        self.busy = False
        self.refilter()
        if self._pending is not None:
            key, open_detail = self._pending
            self._pending = None
            self.select(key, open_detail=open_detail)

    @property
    def busy(self) -> bool:
        """Whether the rows are being read (a loading indicator shows over the table)."""
        return self.query_one(".table-body").loading

    @busy.setter
    def busy(self, value: bool) -> None:
        self.query_one(".table-body").loading = value

    def focus_table(self) -> None:
        self.table.focus()

    def select(self, key: str, *, open_detail: bool = True) -> None:
        """Put the cursor on the row `key` (now, or once the rows are read), opening it."""
        if not self.loaded:
            self._pending = (key, open_detail)
            return
        if self.table.move_to_key(key, centre=True) and open_detail:
            self.open_detail(key)

    def refilter(self) -> None:
        """Redraw the table from the rows: filtered by the filter's text, then sorted."""
        needle = self.filter_text.casefold()
        columns = self.spec.columns
        shown = [row for row in self.rows if needle in self._haystack(row)]
        if self.sort_column is not None:
            shown.sort(key=columns[self.sort_column].sort, reverse=self.sort_reverse)
        self.shown = shown

        table = self.table
        keep = table.highlighted_key()
        table.clear(columns=True)
        for index, column in enumerate(columns):
            label = column.label
            if index == self.sort_column:
                label = f"{label} {ARROWS[self.sort_reverse]}"
            table.add_column(
                Text(label, justify="right" if column.right else "left"), width=column.width
            )
        for row in shown:
            table.add_row(
                *(cell(column.text(row), right=column.right) for column in columns),
                key=str(row[self.spec.key]),
            )
        if keep is not None:
            table.move_to_key(keep)
        self._update_status()

    def _haystack(self, row: Row) -> str:
        """What the filter looks in: every cell shown, and the row's key."""
        texts = [column.text(row) for column in self.spec.columns]
        texts.append(str(row[self.spec.key]))
        return "\n".join(texts).casefold()

    def _update_status(self) -> None:
        spec = self.spec
        if not self.loaded:
            status = f"Reading {spec.noun}…"
        elif self.filter_text:
            status = (
                f"{len(self.shown)} of {len(self.rows)} {spec.noun} contain “{self.filter_text}”"
            )
        else:
            status = f"{len(self.rows)} {spec.noun}"
        if self.sort_column is not None:
            label = spec.columns[self.sort_column].label
            order = "descending" if self.sort_reverse else "ascending"
            status += f" · sorted by {label}, {order}"
        self.query_one(".table-status", Static).update(status)

    @on(Input.Changed, ".filter")
    def _filter_changed(self) -> None:
        if self.loaded:
            self.refilter()

    @on(Input.Submitted, ".filter")
    def _filter_done(self) -> None:
        self.table.focus()

    # -- sorting ----------------------------------------------------------------------------

    def sort_by(self, column: int, *, reverse: bool = False) -> None:
        self.sort_column = column
        self.sort_reverse = reverse
        self.refilter()

    def action_sort_next(self) -> None:
        column = 0 if self.sort_column is None else (self.sort_column + 1) % len(self.spec.columns)
        self.sort_by(column)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_column or 0, reverse=not self.sort_reverse)

    def on_data_table_header_selected(self, event: RowTable.HeaderSelected) -> None:
        event.stop()
        # The same header again reverses the order.
        reverse = event.column_index == self.sort_column and not self.sort_reverse
        self.sort_by(event.column_index, reverse=reverse)

    # -- the detail panel ---------------------------------------------------------------------

    @on(RowTable.RowSelected)
    def _row_opened(self, event: RowTable.RowSelected) -> None:
        if self.spec.detail is None:
            return  # the screen decides what opening a row does (it gets the message too)
        event.stop()
        if event.row_key.value is not None:
            self.open_detail(event.row_key.value)

    @on(RowTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        # With the detail open beside the table, it follows the cursor: the row under it now,
        # not the event's (a redraw of the table sends highlights that are already stale).
        key = self.table.highlighted_key()
        if self.detail_key is not None and key is not None and key != self.detail_key:
            self.open_detail(key)

    def open_detail(self, key: str) -> None:
        if self.spec.detail is None:
            return
        self.detail_key = key
        self.add_class("-detail-open")
        self.query_one(".detail", VerticalScroll).loading = True
        self.load_detail(key)

    def close_detail(self) -> None:
        self.detail_key = None
        self.remove_class("-detail-open")
        self.call_after_refresh(self.table.focus)

    @property
    def detail_open(self) -> bool:
        return self.detail_key is not None

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self, key: str) -> None:
        from pathways import details

        assert self.spec.detail is not None
        with catalogue_in_thread(self.db_path) as db:
            detail = getattr(details, self.spec.detail)(db, key)
        if not cancelled():
            self.post_message(DetailLoaded(key, detail))

    def on_detail_loaded(self, event: DetailLoaded) -> None:
        event.stop()
        if event.key != self.detail_key:
            return  # the cursor has moved on
        from tui.widgets.detail_views import render_detail

        panel = self.query_one(".detail", VerticalScroll)
        panel.loading = False
        body = self.query_one(".detail-body", Static)
        if event.detail is None:
            body.update(Text(f"{event.key}: no longer in the catalogue"))
        else:
            body.update(render_detail(event.detail))
        panel.scroll_home(animate=False)
        if self.screen.has_class("-narrow"):
            # The detail covers the table: it takes the keys, so it scrolls (now, not while it
            # was loading: a widget covered by its loading indicator cannot take focus).
            panel.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event):
            self.busy = False
            for panel in self.query(".detail"):
                panel.loading = False

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing a filter, letters are text: hide the letter keys from the footer.
        letters = ("sort_next", "reverse_sort", "export")
        inputs = self.query("Input.filter")  # none yet (or any more) while (un)mounting
        return not (action in letters and inputs and inputs.first().has_focus)

    def action_focus_filter(self) -> None:
        # At once, not later: the keys typed next (maybe already queued) are the filter's.
        self.screen.set_focus(self.filter_input)

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self.filter_input.value = ""
            self.table.focus()
        elif self.detail_open:
            self.close_detail()
        elif self.filter_text:
            self.filter_input.value = ""
        else:
            raise SkipAction()  # nothing here to undo: let the screen have the key

    def action_export(self, fmt: str = "csv") -> None:
        from tui.screens.base import WorkforceScreen

        screen = self.screen
        if isinstance(screen, WorkforceScreen):
            screen.start_export(
                list(self.shown),
                noun=self.spec.noun,
                default_name=f"{self.spec.name}.{fmt}",
                toml_table=self.spec.toml_table,
            )
