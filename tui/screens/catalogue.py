"""The Catalogue screen: roles, bands and pay, competencies, training routes and trusts, one
tab each; every tab filters as you type, sorts, opens a row's detail and exports what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Header, Input, TabbedContent, TabPane
from textual.widgets.tabbed_content import ContentTabs

from tui.messages import CatalogueChanged
from tui.screens.base import WorkforceScreen
from tui.table_specs import BANDS, CATALOGUE_TABLES, ROLES, TRUSTS
from tui.widgets.filter_table import FilterTable
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.widgets.form_fields import FormScreen, Saved

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

## Changing the catalogue

Three forms change the reference data, each on its tab:

- `a` on the **Trusts** tab adds a trust: its ODS code (3 to 5 capital letters or digits),
  name and ICB, chosen from the catalogue's or added in the same form (its code and name).
- `c` on the **Roles** tab edits the competencies of the role under the cursor: add one,
  set its level (1 aware, 2 working, 3 proficient, 4 expert) or remove it.
- `u` on the **Bands and pay** tab adds a pay year by an uplift (`2027/28`, `3.3`%) on a year
  the catalogue holds (the latest by default), showing a few bands' new figures first; the
  new points are marked *derived* until the published table is imported.

Each field is checked as you type, and what is wrong is said under it (Enter or Tab moves to
the next field). Saving (ctrl+s) writes everything in the form in one transaction, recorded
in the catalogue's history; if the catalogue refuses it, the form says why and nothing is written.
Escape on a form with unsaved changes asks before discarding them. Once saved, the tables
here and every other screen show the catalogue as it now is.
"""

# The tab each form's key works on: action -> tab.
EDIT_TABS = {"add_trust": TRUSTS.name, "edit_competencies": ROLES.name, "add_pay_year": BANDS.name}


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
    WRITE_ACTIONS = frozenset({"add_trust", "edit_competencies", "add_pay_year"})
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
        Binding(
            "a",
            "add_trust",
            "Add trust",
            id="catalogue-add-trust",
            tooltip="On the Trusts tab: add a trust, in an ICB held or a new one",
        ),
        Binding(
            "c",
            "edit_competencies",
            "Competencies",
            id="catalogue-competencies",
            tooltip="On the Roles tab: edit the role's competencies and their levels",
        ),
        Binding(
            "u",
            "add_pay_year",
            "Pay year",
            id="catalogue-pay-year",
            tooltip="On the Bands and pay tab: add a pay year by an uplift on one held",
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
        self.refresh_bindings()  # each form's key works on its own tab

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

    # -- the forms that change the catalogue ------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in EDIT_TABS:
            return True
        tabs = self.query("#catalogue-tabs")  # none yet (or any more) while (un)mounting
        if not tabs or isinstance(self.focused, Input):
            return False  # letters typed in a filter are text
        return tabs.first(TabbedContent).active == EDIT_TABS[action]

    def table_of(self, name: str) -> FilterTable:
        return self.query_one(f"#{name}-view", FilterTable)

    def action_add_trust(self) -> None:
        from tui.widgets.trust_form import TrustForm

        self.open_form(TrustForm(self.db_path), TRUSTS.name)

    def action_edit_competencies(self) -> None:
        from tui.widgets.role_competency_form import RoleCompetencyForm

        roles = self.table_of(ROLES.name)
        role = roles.table.highlighted_key()
        if role is None:
            self.notify("Put the cursor on a role first (Roles tab).", severity="warning")
            return
        title = next((str(row["title"]) for row in roles.rows if row["id"] == role), role)
        self.open_form(RoleCompetencyForm(self.db_path, role, title), ROLES.name)

    def action_add_pay_year(self) -> None:
        from tui.widgets.pay_year_form import PayYearForm

        self.open_form(PayYearForm(self.db_path), BANDS.name)

    def open_form(self, form: FormScreen, tab: str) -> None:
        """Show `tab` and open `form` over the screen; once it is saved, read the catalogue
        again here and have every other screen do so (CatalogueChanged)."""
        self.show_tab(tab)

        def closed(saved: Saved | None) -> None:
            if saved is None:
                return  # closed without saving: nothing changed
            self.notify("\n".join(saved.lines), title="Saved", markup=False)
            # The cursor on the trust added (a pay year or a role's competencies: where it was).
            select = {tab: saved.key} if tab == TRUSTS.name else {}
            self.reload_tables(select=select)
            self.app.post_message(CatalogueChanged())

        self.app.push_screen(form, closed)

    def reload_tables(self, *, select: dict[str, str]) -> None:
        """Read every table shown so far (and its open detail) again: the catalogue was
        changed here. `select`: a row to put the cursor on, by tab, once it is read."""
        for table in self.query(FilterTable):
            if not (table.loaded or table.busy):
                continue  # never shown: it reads the catalogue when it is
            key = select.get(table.spec.name)
            if key is not None:
                table.loaded = False  # the row is selected once the rows are read
                table.select(key, open_detail=False)
            table.busy = True
            table.load_rows()
            if table.detail_key is not None:
                table.open_detail(table.detail_key)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "catalogue: add a trust", "Add a trust (and a new ICB)", self.action_add_trust
        )
        yield SystemCommand(
            "catalogue: edit a role's competencies",
            "The competencies and levels of the role under the cursor on the Roles tab",
            self.action_edit_competencies,
        )
        yield SystemCommand(
            "catalogue: add a pay year by uplift",
            "A new pay year as a held one raised by a percentage",
            self.action_add_pay_year,
        )
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
