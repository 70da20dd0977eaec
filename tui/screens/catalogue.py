"""The Catalogue screen: roles, bands and pay, competencies, training routes and trusts, one
tab each; every tab filters as you type, sorts, opens a row's detail and exports what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Header, TabbedContent, TabPane
from textual.widgets.tabbed_content import ContentTabs

from tui.screens.base import WorkforceScreen
from tui.table_specs import CATALOGUE_TABLES, ROLES, TRUSTS
from tui.widgets.filter_table import FilterTable
from tui.widgets.key_bar import KeyBar

HELP = """\
# Catalogue

The reference data the analyses use, one tab each:

- **Roles**: the reference roles (rungs of the career ladders), their bands and staff group.
  Open one for its pay range, the competencies it needs by pillar (level 1 aware, 2 working,
  3 proficient, 4 expert), the training routes into it and the moves into and out of it.
- **Bands and pay**: Agenda for Change bands, their job evaluation (JE) score range and pay
  points, with how sure the catalogue is of each figure.
- **Competencies**: what roles need, grouped by pillar, with how many roles need each.
- **Training routes**: apprenticeships, degrees, postgraduate and in-house routes. A figure
  no source settled shows as *unknown*, never as a guess.
- **Trusts**: the network's trusts and how many JDs the catalogue holds for each.

Type `/` and some text to show only the rows containing it (in any column); Escape clears it.
Press `s` to sort by the next column (or click a column's header; again to reverse), Enter to
open a row's detail, and `e` to write the rows shown (after filtering, in their order) to a
CSV or TOML file, in the same fields as `workforce export`.
"""


class CatalogueScreen(WorkforceScreen):
    DEFAULT_CSS = """
    CatalogueScreen TabbedContent, CatalogueScreen ContentSwitcher, CatalogueScreen TabPane {
        height: 1fr;
    }
    CatalogueScreen TabPane {
        padding: 0;
    }
    """
    # None: the screen focuses the open tab's table itself once it has rows. Textual's own
    # choice could be a table in a tab not yet hidden, and focus there would switch tabs.
    AUTO_FOCUS = None
    TITLE = "Catalogue"
    HELP_TEXT = HELP
    WIDGET_KEYS = (
        ("up/down", "Move between rows"),
        ("enter", "Open the row's detail (it follows the cursor)"),
    )
    HELP_WIDGETS = (FilterTable,)
    BINDINGS = [
        Binding("right_square_bracket", "next_tab", "Tab", id="next-tab", tooltip="The next tab"),
        Binding(
            "left_square_bracket",
            "previous_tab",
            "Previous tab",
            id="previous-tab",
            tooltip="The previous tab",
            show=False,  # the footer shows "] Tab" only, to fit 80 columns; the help shows both
        ),
    ]

    def __init__(self, db_path: Path, *, role: str | None = None, trust: str | None = None) -> None:
        super().__init__(db_path)
        # A deep link selects (and opens) the role on the Roles tab and the trust on the
        # Trusts tab; the screen opens on the role's tab if there is one.
        self.selected = {ROLES.name: role, TRUSTS.name: trust}
        self.initial_tab = TRUSTS.name if trust and not role else ROLES.name

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_tab, id="catalogue-tabs"):
            for spec in CATALOGUE_TABLES:
                with TabPane(spec.title, id=spec.name):
                    yield FilterTable(spec, self.db_path)
        yield KeyBar()

    def on_mount(self) -> None:
        # Tabs are switched with [ and ] (or a click), so focus stays in the table.
        self.query_one(ContentTabs).can_focus = False
        for table in self.query(FilterTable):
            key = self.selected.get(table.spec.name)
            if key:
                table.select(key)  # once its rows are read, whenever that is
        active = self.active_table()
        active.ensure_loaded()
        active.focus_table()

    def active_table(self) -> FilterTable:
        tabs = self.query_one("#catalogue-tabs", TabbedContent)
        pane = tabs.get_pane(tabs.active)
        return pane.query_one(FilterTable)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        table = event.pane.query_one(FilterTable)
        table.ensure_loaded()  # a tab's rows are read the first time it is shown
        # Take focus out of the tab left behind first: else Textual moves it to a widget still
        # shown there, and that pane, holding focus, becomes the active tab again.
        self.set_focus(None)
        table.focus_table()

    def show_tab(self, name: str) -> None:
        self.query_one("#catalogue-tabs", TabbedContent).active = name

    def _step_tab(self, step: int) -> None:
        names = [spec.name for spec in CATALOGUE_TABLES]
        current = names.index(self.query_one("#catalogue-tabs", TabbedContent).active)
        self.show_tab(names[(current + step) % len(names)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def palette_commands(self) -> Iterable[SystemCommand]:
        active = self.active_table().spec
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: {active.noun} as {fmt.upper()}",
                f"Write the {active.noun} shown to a {fmt.upper()} file",
                partial(self.active_table().action_export, fmt),
            )
        for spec in CATALOGUE_TABLES:
            yield SystemCommand(
                f"catalogue: {spec.title.lower()}",
                f"Show the {spec.title.lower()} tab",
                partial(self.show_tab, spec.name),
            )
