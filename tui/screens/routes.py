"""The Routes screen, the educator's view: every training route by kind and level with the roles
it opens, and where routes are missing (roles no apprenticeship leads to, roles reached only by
restricted or closed routes, rungs no route reaches), one tab each.

Both lists come from pathways.routes, read against today's date (a route restricted from a
date is open before it), in one worker; the tables filter, sort, open a row and export, and
fit the terminal's width: a name wraps, the figures are always shown whole (FittedTable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text, TextType
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Static, TabbedContent, TabPane
from textual.widgets.data_table import ColumnKey, RowKey
from textual.widgets.tabbed_content import ContentTabs

from tui.background import cancelled, catalogue_in_thread
from tui.messages import CatalogueChanged
from tui.screens.base import WorkforceScreen
from tui.table_specs import UNKNOWN, Column, TableSpec, money, text_column
from tui.widgets.filter_table import FilterTable
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import RowTable

if TYPE_CHECKING:
    from pathways.records import RoleInfo, RouteInfo
    from tui.widgets.form_fields import Saved
    from tui.widgets.route_form import RouteFormData

Row = dict[str, Any]

HELP = """\
# Routes

The educator's view of training routes, read against today's date.

**Training routes**: every apprenticeship, degree, postgraduate, in-house and other route,
grouped by kind and level: its level, length, funding cap, status (*restricted since* a date,
where it is), apprenticeship standard (ST reference), kind and the roles it opens (those it
leads to and those whose moves it makes). A figure no public source settled shows as
*unknown*, never as a guess; a blank is a figure that does not apply (a degree has no
apprenticeship funding cap). Enter opens a route: entry requirements, the competencies it
gives and the moves it makes.

The names and figures are always shown whole: in a narrow terminal a long name takes two
lines or more, and the columns that do not fit are past the right edge, whole (→ scrolls to
them).

**Where routes are missing**: one row per role with what is missing: *no apprenticeship*
(no apprenticeship route leads to it), *apprenticeships restricted/closed* (every one that
does is), *every route restricted/closed*, *no route reaches it* (an entry rung people are
recruited to, or a rung reached by experience or appointment only). Enter opens the role.

`[` and `]` switch tabs, `/` filters the rows (on any column), `s` sorts, `e` writes the rows
shown to a file.

**Editing routes**: `a` adds a training route, `c` changes the route under the cursor (on
the Training routes tab), `x` closes it (no new entrants), retires it (no longer offered) or
opens it again, with a note saying why. The form checks each field as you type and names what
is wrong beside it: the id is lowercase words joined by hyphens (`ct-academy-course`, 2 to 80
characters, fixed once added), months a whole number above 0, the level 1 to 8. Choose the
roles the route leads to and the competencies it gives in the lists (type to narrow a list,
space to choose or unchoose). `ctrl+s` saves, in one transaction, with the same checks as an
import: if the catalogue refuses, the form says why and nothing is saved. Escape closes the
form, asking first if you have changed anything. Every screen shows the change once saved; a
closed or retired route stays for the moves that name it.
"""


def _unconfirmed(row: Row) -> list[str]:
    return [name for name in str(row.get("unconfirmed") or "").split(",") if name]


def _route_value(name: str, shown: Any = str) -> Any:
    """A route's figure as a cell: 'unknown' when no source settled it (the line above the
    tabs says so; the route's detail says "unknown (no source)"), blank when it does not
    apply."""

    def text(row: Row) -> str:
        if name in _unconfirmed(row):
            return UNKNOWN
        value = row.get(name)
        return "" if value is None or value == "" else str(shown(value))

    return text


def _sort_value(name: str) -> Any:
    # Known figures first, in order; unknown and blank after them.
    return lambda row: (row.get(name) is None, row.get(name) or 0)


def _status(row: Row) -> str:
    status = str(row["status"])
    if status != "open" and row.get("status_from"):
        return f"{status} since {row['status_from']}"
    return status


ROUTE_LIST = TableSpec(
    name="routes",
    title="Training routes",
    noun="routes",
    key="id",
    toml_table="route",
    detail="route_detail",
    # The name (wrapped to fit, see FittedTable), then the figures and the status, which
    # are never cut, then the text that may go past the right edge: a figure no source settled
    # says just "unknown" (the line above the tabs says why), so the figures fit in 80 columns.
    columns=(
        text_column("Route", "name", width=34),
        Column("Level", _route_value("level"), _sort_value("level"), right=True),
        Column("Months", _route_value("months"), _sort_value("months"), right=True),
        Column(
            "Funding cap",
            _route_value("funding_cap", money),
            _sort_value("funding_cap"),
            right=True,
        ),
        Column(
            "Status",
            _status,
            lambda row: (row["status"], row.get("status_from") or ""),
            width=16,  # "restricted since" over its date: the room goes to the name
        ),
        Column("Standard", _route_value("standard_ref"), lambda r: r.get("standard_ref") or ""),
        text_column("Kind", "kind"),
        text_column("Opens", "opens_titles", width=40),
        text_column("Id", "id"),
    ),
)

ROUTE_GAPS = TableSpec(
    name="route-gaps",
    title="Where routes are missing",
    noun="roles",
    key="role",
    toml_table="gap",
    detail="role_detail",
    # What is missing, what the tab is for, beside the role (see FittedTable).
    columns=(
        text_column("Role", "title", width=32),
        text_column("Missing", "findings", width=36),
        text_column("Staff group", "staff_group"),
        text_column("Routes in", "routes_in", width=40),
        text_column("Id", "role"),
    ),
)

TABLES = (ROUTE_LIST, ROUTE_GAPS)

# The narrowest each table's first column, the name, is made to show the columns after it
# whole (it wraps, so the narrower the taller its rows): in 80 columns a route's name is 28
# wide beside its figures and status, the standard and kind past the edge; a role's name
# keeps 24 beside what is missing.
NAME_LEAST = {ROUTE_LIST.name: 28, ROUTE_GAPS.name: 24}
# The columns besides the name whose text wraps in its width rather than being cut: what a
# person reads the table for.
WRAPPED = {ROUTE_LIST.name: ("Status",), ROUTE_GAPS.name: ("Missing",)}


# -- fitting the tables to the terminal -------------------------------------------------------


def wrapped(text: Text) -> Text:
    """A cell that wraps, at words, over as many lines as its column's width needs: shown
    whole, never cut ("…BSc route" and "…MSc route" told apart by reading them)."""
    return Text(text.plain, justify=text.justify, no_wrap=False, overflow="fold")


def name_width(width: int, others: Sequence[int], least: int) -> int:
    """The width of a table's first column, the name, in `width` cells, with the columns after
    it `others` wide (each with its padding): those that fit, left to right, with the name at
    least `least` wide are shown whole, and the name takes the rest, so the first column that
    does not fit starts at the right edge, whole, rather than being cut there."""
    room = width - least
    used = 0
    for other in others:
        if used + other > room:
            break
        used += other
    return width - used


class FittedRows(RowTable):
    """The table of a FittedTable. FilterTable adds its columns unkeyed and its cells as plain
    Text; here each column is keyed by its label in the spec, so `shrink_to_fit` can name the
    first; before every fit the first column is given the room `name_width` leaves it (the
    only column narrowed: every other keeps its full width), and its names wrap in it: a row
    is as tall as its name needs."""

    def __init__(
        self, labels: Sequence[str], least: int, wrap: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.labels = tuple(labels)
        self.least = least
        # The name, and these columns: their cells wrap (see `wrapped`).
        self.wrap = {0} | {self.labels.index(label) for label in wrap}
        self._rows_measured_at: int | None = None  # the name's width the rows' heights fit

    def on_mount(self) -> None:
        self.shrink_to_fit({self.labels[0]: self.least})  # fitted as the rows come

    def add_column(
        self,
        label: TextType,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Text | None = None,
    ) -> ColumnKey:
        # FilterTable adds the spec's columns in order, after clearing them all.
        if key is None and len(self.columns) < len(self.labels):
            key = self.labels[len(self.columns)]
        return super().add_column(label, width=width, key=key, default=default)

    def add_row(
        self,
        *cells: Text,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        cells = tuple(wrapped(c) if i in self.wrap else c for i, c in enumerate(cells))
        # height None: as tall as the cells need (the name, wrapped at the column's width).
        return super().add_row(*cells, height=None, key=key, label=label)

    def _fit(self) -> None:
        # Run by RowTable once its rows, size or scrollbar change: the name's room is worked
        # out for what is shown now. (No second fit is queued: this one is running.)
        scrollbar = self.styles.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
        padding = 2 * self.cell_padding
        others = [padding + self._drawn_width(key) for key in list(self.columns)[1:] if key.value]
        width = name_width(self.size.width - scrollbar, others, self.least + padding)
        self.shrink_to_fit({self.labels[0]: max(width - padding, self.least)})
        super()._fit()
        self._measure_rows_again()

    def _drawn_width(self, key: ColumnKey) -> int:
        """A column's width as the table draws it (as RowTable measures it when fitting)."""
        column = self.columns[key]
        if not column.auto_width:
            return column.width
        cells = [
            cell.cell_len if isinstance(cell, Text) else len(str(cell))
            for cell in self.get_column(key)
        ]
        return max([column.label.cell_len, column.content_width, *cells])

    def _measure_rows_again(self) -> None:
        """DataTable works out a row's height once, when it is added: at the name's width
        then. The name's column narrowed or widened since, every row is measured again."""
        if not self.columns:
            return
        name = self.ordered_columns[0]
        if name.auto_width or name.width == self._rows_measured_at:
            return
        self._rows_measured_at = name.width
        # DataTable has no public call for this: a row of height 0 is one it will measure,
        # and these are what it does for a row just added.
        for row in self.rows.values():
            if row.auto_height:
                row.height = 0
        self._new_rows.update(self.rows)
        self._clear_caches()
        self._require_update_dimensions = True
        self.check_idle()
        self.refresh()


class FittedTable(FilterTable):
    """A FilterTable fitted to the terminal's width (see FittedRows): its first column, the
    name, wrapped; every other column whole, or past the right edge."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget) is RowTable:  # FilterTable's own table: this one in its place
                labels = [column.label for column in self.spec.columns]
                name = self.spec.name
                widget = FittedRows(labels, NAME_LEAST[name], WRAPPED[name], id=widget.id)
            yield widget


def route_rows(
    routes: Mapping[str, RouteInfo],
    listed: Iterable[Mapping[str, Any]],
    roles: Mapping[str, RoleInfo],
) -> list[Row]:
    """The routes as flat rows (lists joined with ';'), each with the roles it opens: those it
    leads to and those whose moves it makes."""
    rows: list[Row] = []
    for entry in listed:
        opens = set(entry["leads_to"])
        opens.update(move.split(" -> ")[1] for move in entry["makes"])
        ordered = sorted(opens, key=lambda r: roles[r].title if r in roles else r)
        rows.append(
            {
                "id": entry["id"],
                "name": entry["name"],
                "kind": entry["kind"],
                "level": entry["level"],
                "months": entry["months"],
                "funding_cap": entry["funding_cap"],
                "standard_ref": entry["standard_ref"],
                "status": entry["status"],
                "status_from": entry["status_from"],
                "status_note": entry["status_note"],
                "registration": entry["registration"],
                "entry_requirements": entry["entry_requirements"],
                "unconfirmed": ",".join(entry["unconfirmed"]),
                "opens": ";".join(ordered),
                "opens_titles": ", ".join(roles[r].title if r in roles else r for r in ordered),
                "makes": ";".join(entry["makes"]),
                "gives": ";".join(entry["gives"]),
            }
        )
    return rows


class RoutesListed(Message):
    """The routes and the gaps in them were worked out."""

    def __init__(self, routes: list[Row], gaps: list[Row], as_of: date) -> None:
        super().__init__()
        self.routes = routes
        self.gaps = gaps
        self.as_of = as_of


class RouteFormRead(Message):
    """What a route form chooses from was read: open the form (`form`: "add", "change" or
    "status"; `route`: the route changed)."""

    def __init__(self, form: str, route: str | None, data: RouteFormData) -> None:
        super().__init__()
        self.form = form
        self.route = route
        self.data = data


# The actions that edit, hidden from the key bar while a filter is typed in.
EDIT_ACTIONS = ("add_route", "change_route", "route_status")


class RoutesScreen(WorkforceScreen):
    DEFAULT_CSS = """
    RoutesScreen TabbedContent, RoutesScreen ContentSwitcher, RoutesScreen TabPane {
        height: 1fr;
    }
    RoutesScreen TabPane {
        padding: 0;
    }
    RoutesScreen #routes-as-of {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """
    AUTO_FOCUS = None  # the open tab's table is focused once shown
    TITLE = "Routes"
    HELP_TEXT = HELP
    WRITE_ACTIONS = frozenset({"add_route", "change_route", "route_status"})
    WIDGET_KEYS = (
        ("up/down", "Move between rows"),
        ("enter", "Open the route (or role) under the cursor"),
    )
    HELP_WIDGETS = (FilterTable,)
    BINDINGS = [
        Binding(
            "right_square_bracket",
            "step_tab(1)",
            "Tab",
            id="routes-next-tab",
            tooltip="The next tab",
        ),
        Binding(
            "left_square_bracket",
            "step_tab(-1)",
            "Previous tab",
            id="routes-previous-tab",
            tooltip="The previous tab",
            show=False,
        ),
        Binding("a", "add_route", "Add", id="route-add", tooltip="Add a training route"),
        Binding(
            "c",
            "change_route",
            "Change",
            id="route-change",
            tooltip="Change the route under the cursor: its figures, roles and competencies",
        ),
        Binding(
            "x",
            "route_status",
            "Close/retire",
            id="route-status",
            tooltip="Close, retire or reopen the route under the cursor",
        ),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        self.select_after: str | None = None  # the route to show once the routes are read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="routes-as-of", markup=False)
        with TabbedContent(id="routes-tabs"):
            for spec in TABLES:
                with TabPane(spec.title, id=spec.name):
                    yield FittedTable(spec, self.db_path, loading=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ContentTabs).can_focus = False  # tabs switch with [ and ]
        self.active_table().focus_table()
        self.list_routes()

    def show_catalogue_afresh(self) -> None:
        self.list_routes()  # shown where each table's cursor, filter and open detail were

    @work(thread=True, exclusive=True, group="routes", exit_on_error=False)
    def list_routes(self) -> None:
        from pathways.paths import load_career
        from pathways.routes import gap_rows, list_routes, route_gaps

        today = date.today()
        with catalogue_in_thread(self.db_path) as db:
            career = load_career(db)
        listed = list_routes(career.routes, career.edges, today)
        rows = route_rows(career.routes, listed, career.roles)
        gaps = route_gaps(career.roles, career.routes, career.edges, today)
        if not cancelled():
            self.post_message(
                RoutesListed(rows, gap_rows(gaps, career.roles, career.routes), today)
            )

    def on_routes_listed(self, event: RoutesListed) -> None:
        self.query_one("#routes-as-of", Static).update(
            f"Statuses as of {event.as_of.isoformat()} · unknown: no public source settled it"
        )
        for table in self.query(FilterTable):
            table.show_rows(event.routes if table.spec is ROUTE_LIST else event.gaps)
            if table.detail_key is not None:  # the detail shown: read again, as it is now
                table.open_detail(table.detail_key)
        if self.select_after is not None:
            self.route_table().select(self.select_after, open_detail=False)
            self.select_after = None

    def worker_failed(self) -> None:
        for table in self.query(FilterTable):
            table.busy = False

    def route_table(self) -> FilterTable:
        return self.query_one(f"#{ROUTE_LIST.name}-view", FilterTable)

    def active_table(self) -> FilterTable:
        tabs = self.query_one("#routes-tabs", TabbedContent)
        return tabs.get_pane(tabs.active).query_one(FilterTable)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Out of the tab left behind first, so focus there cannot pull that tab back.
        self.set_focus(None)
        event.pane.query_one(FilterTable).focus_table()

    def show_tab(self, name: str) -> None:
        self.query_one("#routes-tabs", TabbedContent).active = name

    def action_step_tab(self, step: int) -> None:
        names = [spec.name for spec in TABLES]
        current = names.index(self.query_one("#routes-tabs", TabbedContent).active)
        self.show_tab(names[(current + step) % len(names)])

    # -- editing ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in EDIT_ACTIONS:
            return True
        # While typing a filter, letters are text: hide the letter keys from the key bar.
        if any(find.has_focus for find in self.query("Input.filter")):
            return False
        if action == "add_route":
            return True
        # A route to change: on the routes tab, under the cursor.
        tabs = self.query("#routes-tabs")
        return bool(tabs) and tabs.first(TabbedContent).active == ROUTE_LIST.name

    def highlighted_route(self) -> str | None:
        if self.query_one("#routes-tabs", TabbedContent).active != ROUTE_LIST.name:
            return None
        return self.route_table().table.highlighted_key()

    def action_add_route(self) -> None:
        self.read_form_data("add", None)

    def action_change_route(self) -> None:
        self._edit_highlighted("change")

    def action_route_status(self) -> None:
        self._edit_highlighted("status")

    def _edit_highlighted(self, form: str) -> None:
        route = self.highlighted_route()
        if route is None:
            self.notify("Put the cursor on a route first.", severity="warning")
            return
        self.read_form_data(form, route)

    @work(thread=True, exclusive=True, group="route-form", exit_on_error=False)
    def read_form_data(self, form: str, route: str | None) -> None:
        from tui.widgets.route_form import load_route_form_data

        with catalogue_in_thread(self.db_path) as db:
            data = load_route_form_data(db)
        if not cancelled():
            self.post_message(RouteFormRead(form, route, data))

    def on_route_form_read(self, event: RouteFormRead) -> None:
        from tui.widgets.route_form import RouteForm, RouteStatusForm

        if self.app.screen is not self:
            return  # a dialog was opened meanwhile: the form would open over it
        if event.route is not None and event.route not in event.data.routes:
            self.notify(
                f"The route {event.route} is no longer in the catalogue.",
                severity="warning",
                markup=False,
            )
            self.list_routes()
            return
        if event.form == "status":
            assert event.route is not None
            form: RouteForm | RouteStatusForm = RouteStatusForm(
                self.db_path, event.data.routes[event.route]
            )
        else:
            form = RouteForm(self.db_path, event.data, event.route)
        self.app.push_screen(form, self.route_saved)

    def route_saved(self, saved: Saved | None) -> None:
        """A form saved a route: every screen shows the catalogue as it is now; this one
        reads its routes again, with the cursor on the route."""
        if saved is None:
            return
        self.notify("\n".join(saved.lines), title="Saved", markup=False)
        self.app.post_message(CatalogueChanged())
        self.show_tab(ROUTE_LIST.name)
        self.select_after = saved.key
        self.list_routes()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("routes: add a route", "Add a training route", self.action_add_route)
        if self.highlighted_route() is not None:
            yield SystemCommand(
                "routes: change the route",
                "Change the route under the cursor",
                self.action_change_route,
            )
            yield SystemCommand(
                "routes: close, retire or reopen the route",
                "Change the status of the route under the cursor",
                self.action_route_status,
            )
        active = self.active_table()
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: {active.spec.noun} as {fmt.upper()}",
                f"Write the {active.spec.noun} shown to a {fmt.upper()} file",
                partial(active.action_export, fmt),
            )
        for spec in TABLES:
            yield SystemCommand(
                f"routes: {spec.title.lower()}",
                f"Show the {spec.title.lower()} tab",
                partial(self.show_tab, spec.name),
            )
