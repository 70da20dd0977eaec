"""The Routes screen, the educator's view: every training route by kind and level with the roles
it opens, and where routes are missing (roles no apprenticeship leads to, roles reached only by
restricted or closed routes, rungs no route reaches), one tab each.

Both lists come from pathways.routes, read against today's date (a route restricted from a
date is open before it), in one worker; the tables filter, sort, open a row and export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Static, TabbedContent, TabPane
from textual.widgets.tabbed_content import ContentTabs

from catalogue.bands import band_order
from tui.background import cancelled, catalogue_in_thread
from tui.screens.base import WorkforceScreen
from tui.table_specs import UNKNOWN, Column, TableSpec, money, text_column
from tui.widgets.detail_views import NO_SOURCE
from tui.widgets.filter_table import FilterTable
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from pathways.records import RoleInfo, RouteInfo
    from pathways.routes import RouteGaps

Row = dict[str, Any]

HELP = """\
# Routes

The educator's view of training routes, read against today's date.

**Training routes**: every apprenticeship, degree, postgraduate, in-house and other route,
grouped by kind and level: its apprenticeship standard (ST reference), length, funding cap,
status (*restricted since* a date, where it is) and the roles it opens (those it leads to and
those whose moves it makes). A figure no public source settled shows as *unknown* (a
funding cap as *unknown (no source)*), never as a guess; a blank is a figure that does not
apply (a degree has no apprenticeship funding cap). Enter opens a route: entry
requirements, the competencies it gives and the moves it makes.

**Where routes are missing**: one row per role with what is missing: *no apprenticeship*
(no apprenticeship route leads to it), *apprenticeships restricted/closed* (every one that
does is), *every route restricted/closed*, *no route reaches it* (an entry rung people are
recruited to, or a rung reached by experience or appointment only). Enter opens the role.

`[` and `]` switch tabs, `/` filters the rows (on any column), `s` sorts, `e` writes the rows
shown to a file.
"""

FINDINGS = {
    "no_apprenticeship": "no apprenticeship",
    "apprenticeship_limited": "apprenticeships restricted/closed",
    "only_limited": "every route restricted/closed",
    "unreached": "no route reaches it",
}


def _unconfirmed(row: Row) -> list[str]:
    return [name for name in str(row.get("unconfirmed") or "").split(",") if name]


def _route_value(name: str, shown: Any = str, unknown: str = NO_SOURCE) -> Any:
    """A route's figure as a cell: `unknown` ('unknown (no source)') when no source settled it,
    blank when it does not apply."""

    def text(row: Row) -> str:
        if name in _unconfirmed(row):
            return unknown
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
    columns=(
        text_column("Route", "name", width=34),
        text_column("Kind", "kind"),
        # Short columns say just "unknown" (the line above the tabs says why); the funding
        # cap, the figure educators look for, says it in full.
        Column("Level", _route_value("level", unknown=UNKNOWN), _sort_value("level"), right=True),
        Column(
            "Months", _route_value("months", unknown=UNKNOWN), _sort_value("months"), right=True
        ),
        Column("Funding cap", _route_value("funding_cap", money), _sort_value("funding_cap")),
        Column("Status", _status, lambda row: (row["status"], row.get("status_from") or "")),
        Column("Standard", _route_value("standard_ref"), lambda r: r.get("standard_ref") or ""),
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
    columns=(
        text_column("Role", "title", width=32),
        text_column("Staff group", "staff_group"),
        text_column("Missing", "findings", width=36),
        text_column("Routes in", "routes_in", width=40),
        text_column("Id", "role"),
    ),
)

TABLES = (ROUTE_LIST, ROUTE_GAPS)


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


def gap_rows(
    gaps: RouteGaps, roles: Mapping[str, RoleInfo], routes: Mapping[str, RouteInfo]
) -> list[Row]:
    """One row per role something is missing for, in ladder order, with every finding."""
    found: dict[str, list[str]] = {}
    routes_in: dict[str, tuple[str, ...]] = {}
    for name in FINDINGS:
        for item in getattr(gaps, name):
            finding = FINDINGS[name]
            if name == "unreached":
                finding += " (entry rung)" if item.entry else " (experience or appointment only)"
            found.setdefault(item.role, []).append(finding)
            routes_in[item.role] = item.routes

    def ladder_order(role: str) -> tuple[str, int, str]:
        info = roles.get(role)
        if info is None:
            return ("", 0, role)
        return (info.staff_group, band_order(info.band_min) if info.band_min else 99, role)

    listed = sorted(found, key=ladder_order)
    return [
        {
            "role": role,
            "title": roles[role].title if role in roles else role,
            "staff_group": roles[role].staff_group if role in roles else "",
            "findings": "; ".join(found[role]),
            "routes_in": ", ".join(routes[r].name if r in routes else r for r in routes_in[role])
            or "none",
        }
        for role in listed
    ]


class RoutesListed(Message):
    """The routes and the gaps in them were worked out."""

    def __init__(self, routes: list[Row], gaps: list[Row], as_of: date) -> None:
        super().__init__()
        self.routes = routes
        self.gaps = gaps
        self.as_of = as_of


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
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="routes-as-of", markup=False)
        with TabbedContent(id="routes-tabs"):
            for spec in TABLES:
                with TabPane(spec.title, id=spec.name):
                    yield FilterTable(spec, self.db_path, loading=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ContentTabs).can_focus = False  # tabs switch with [ and ]
        self.active_table().focus_table()
        self.list_routes()

    @work(thread=True, exclusive=True, group="routes", exit_on_error=False)
    def list_routes(self) -> None:
        from pathways.paths import load_career
        from pathways.routes import list_routes, route_gaps

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

    def worker_failed(self) -> None:
        for table in self.query(FilterTable):
            table.busy = False

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

    def palette_commands(self) -> Iterable[SystemCommand]:
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
