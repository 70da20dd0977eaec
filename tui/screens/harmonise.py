"""The Harmonise screen: the banding flags, and a harmonisation scenario costed as it changes.

Three tabs. **Flags**: the JDs whose band stands out (pathways.variation), worst first then by
WTE, filtered by staff group, trust and severity, read a page at a time (`list_flags` with a
limit and offset: a national catalogue has thousands). Enter opens the Compare view of the
flag's role. **Scenario**: a target band per role and the assumptions (pay point, on-costs,
pay protection, WTE basis, pay year); what it costs, whom it moves, per trust. **Pay**: pay
beyond the band, trust by trust (tui/widgets/pay_pane.py, a pane with its own worker).

Every change to the scenario is costed in a worker (`exclusive`: a newer change cancels an
older one's result) by `pathways.harmonise.compute_plan` over inputs read once and kept
(`PlanInputs`, harmonise_plan.py), so the screen never waits. Saving, opening, deleting and
exporting scenarios are catalogue.scenarios; the board report is pathways.report, written
atomically. The workers' messages are in harmonise_messages.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup, Vertical
from textual.widgets import (
    Checkbox,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.tabbed_content import ContentTabs

from tui.background import cancelled, catalogue_in_thread
from tui.screens.base import WorkforceScreen
from tui.screens.harmonise_messages import (
    FileWritten,
    FlagFilter,
    FlagsLoaded,
    HarmoniseReady,
    PlanCosted,
    Refused,
    ScenarioDeleted,
    ScenarioSaved,
    ScenariosListed,
)
from tui.screens.harmonise_plan import PlanInputs
from tui.widgets.harmonise_views import (
    assumptions_text,
    bands_cell,
    bands_text,
    differs_from,
    file_stem,
    modal,
    money,
    moved,
    pay_rule_text,
    saved_when,
    summary_cells,
    total_text,
    wte,
)
from tui.widgets.key_bar import KeyBar
from tui.widgets.pay_pane import PayPane
from tui.widgets.tables import ListTable, RowTable, cell

if TYPE_CHECKING:
    from catalogue.scenarios import Scenario, ScenarioPay
    from pathways.harmonise import HarmonisationResult
    from pathways.records import RoleInfo
    from pathways.scenario_draft import Draft
    from pathways.variation import Flag
    from tui.widgets.dialogs import Answer

PAGE_SIZE = 100
SEVERITY_CHOICES = (("high", "high"), ("warn", "warn"))
PAY_POINT_CHOICES = (("top point", "top"), ("intermediate point", "mid"), ("entry point", "entry"))
BASIS_CHOICES = (("WTE in post", "in_post"), ("WTE funded", "funded"))
LATEST = "latest"  # the pay year Select's value for "the catalogue's latest year"
# The screen's actions on letter keys, hidden from the footer while a field has the keys.
LETTER_ACTIONS = frozenset(
    {"target", "choose_band", "remove", "add_role", "save", "open_saved", "delete_saved"}
    | {"write_report", "premia", "appoint_at"}
    | {"export", "page", "step", "focus_filter", "next_tab"}
)
REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm")
TAB_ORDER = ("flags-tab", "scenario-tab", "pay-tab")  # ] goes round them in this order
# The scenario's keys that act on a flag's or a target's role: not on the Pay tab.
PAY_TAB_HIDDEN = frozenset(
    {"target", "page", "focus_filter", "remove", "choose_band", "step", "add_role"}
    | {"premia", "appoint_at"}
)
# The tables' columns. Each shows its cells whole but the text columns named in *_SHRINK
# (column -> the narrowest it may be made), which give up width to fit the screen and end
# in "…" when cut: figures (band, WTE, money, "mode 7") are never cut. The Compare view
# (Enter) shows a flag's JD whole.
FLAG_COLUMNS = ("Sev", "Trust", "Title", "Role", "Band", "WTE", "Differs from")
FLAG_SHRINK = {"Title": 10, "Role": 10}
TARGET_COLUMNS = ("Role", "JDs by band", "Target", "Up", "Down", "Annual cost")
TARGET_SHRINK = {"Role": 10, "JDs by band": 9}  # bands drop whole: "8a: 7, …"
SCENARIO_TAB_ONLY = frozenset({"premia", "appoint_at", "remove"})  # keys on a target's role
TRUST_COLUMNS = ("Trust", "Name", "Up", "Down", "Unchanged", "Annual cost")
TRUST_SHRINK = {"Name": 10}

HELP = """\
# Harmonise

Where trusts band a role differently, and what bringing them into line would cost.

## Flags

Each row is a job description (JD) whose band differs from the role's **modal band** (the
band most JDs of the role have), lies outside the reference role's band range, or differs
from its own job evaluation (JE) score's band. **High** first (a JE disagreement, or two
bands or more away), then **warn** (one band away); within each, most WTE in post first.
*Differs from* says from what: `mode 3`, `ref 2–3`, `JE 6`.

Filter by staff group, trust and severity in the line above the table (`/` goes there; Tab
moves between them; Escape back to the table). Flags are read a page at a time (`n`, `p`).
Enter on a flag opens the Compare view of its role, the JD under the cursor.

## Scenario

`t` on a flag sets its role's target band to the modal band (a role whose most common bands
tie asks which band). `b` chooses the band. `+` and `-` move it a band up or down, on either
tab: on the Flags tab they act on the flag's role, and a role not targeted yet starts from
its modal band (so `+` on a flag targets a band above the mode). `x` on the Scenario tab takes
the role out; `a` adds any role. Set the pay point, on-costs (a percentage; empty: the
catalogue's documented rate), pay protection (those moved down keep their pay) and the WTE
basis on the Scenario tab (`]`); the cost, the JDs and WTE moved up and down and the cost by
trust follow each change. Moving up costs (salary at the target band - salary now) x WTE x
(1 + on-costs) a year; moving down costs nothing under pay protection and saves without it.
Each JD's cost is whole pounds and the totals add those up, so the trusts add up to the total.

With a trust chosen in the Flags tab's filter, the Scenario tab costs that trust's posts
alone: its share of the network plan, said above the cost (the targets, and a modal band,
stay the network's). The board report (`w`) follows it and says whose posts it covers; a
scenario saved (`s`) or exported (`e`) is always the whole network's plan
(`workforce harmonise --trust` on the command line).

Pay beyond the band, on the Scenario tab: `r` says what to do with the target role's
recruitment and retention premia (keep them, remove them at their review dates, or align
every trust to one annual amount) and `i` the pay point every trust appoints new starters at.
Their cost (premia x WTE, a new appointment point on today's vacancies, with the same pay
year, on-costs and protection) is shown under the band moves' and with them; a role's
rule follows its title in the targets table.

`s` saves the scenario by name (replacing a saved one asks first), `o` opens a saved one,
`D` deletes a saved one (after asking; a scenario shown stays on screen, unsaved), `e` on the
Scenario tab exports it as TOML (as `workforce scenarios --export`), and `w` writes the board
report (Markdown or HTML by the file name's ending) with this scenario. `e` on the Flags tab
writes the flags shown to a CSV or TOML file.

## Pay

Pay beyond the band: for each role paid differently anywhere (a recruitment and retention
premium, a local supplement, new starters appointed above the band's entry point), each
trust's way of paying it: what a **new starter** (basic pay at the appointment point) and a
person at the **top of the band** receive a year, with the premium and supplement beside the
basic pay. *Gap* is each against the network's usual pay for the role at that band (the pay
most posts get). Flags: a premium or supplement other trusts do not pay (warn); the same band
paid differently by more than the threshold (5% by default, as equal-pay audits use: warn;
high at twice it); a premium past its review date (high) or with none (warn). Enter opens
the role's Compare view; `e` writes the lines shown to a CSV or TOML file. The same analysis
on the command line: `workforce variation --pay`.
"""


# -- the screen ------------------------------------------------------------------------------


class HarmoniseScreen(WorkforceScreen):
    DEFAULT_CSS = """
    HarmoniseScreen TabbedContent, HarmoniseScreen ContentSwitcher, HarmoniseScreen TabPane {
        height: 1fr;
    }
    HarmoniseScreen TabPane {
        padding: 0;
    }
    HarmoniseScreen .choices {
        height: 1;
        padding: 0 1;
    }
    HarmoniseScreen .choices Select {
        width: 1fr;
        margin-right: 1;
    }
    HarmoniseScreen .choices Label {
        margin-right: 1;
        color: $text-muted;
    }
    HarmoniseScreen .choice-group {
        width: auto;
    }
    HarmoniseScreen.-narrow #assumptions {
        layout: vertical;
        height: 2;
    }
    HarmoniseScreen #pay-point {
        width: 22;
    }
    HarmoniseScreen #basis {
        width: 15;
    }
    HarmoniseScreen #pay-year {
        width: 18;
    }
    HarmoniseScreen #on-costs {
        width: 8;
        margin-right: 1;
    }
    HarmoniseScreen #protection {
        margin-right: 1;
    }
    HarmoniseScreen #flags-body, HarmoniseScreen #trusts-body {
        height: 1fr;
    }
    HarmoniseScreen #scenario-name, HarmoniseScreen #plan-total {
        height: auto;
        padding: 0 1;
    }
    HarmoniseScreen #scenario-bar {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    """
    AUTO_FOCUS = None  # the flags table takes the keys (focused on mount)
    TITLE = "Harmonise"
    HELP_TEXT = HELP
    WRITE_ACTIONS = frozenset({"save", "delete_saved"})
    WIDGET_KEYS = (
        ("up/down", "Move between rows"),
        ("enter", "Open the Compare view of the flag's (or target's) role"),
        ("tab", "Move between the filters, the table and the scenario's choices"),
    )
    BINDINGS = [
        Binding("t", "target", "Target", id="harmonise-target", tooltip="Target the modal band"),
        Binding("b", "choose_band", "Band", id="harmonise-band", tooltip="Choose a target band"),
        Binding(
            "plus,equals_sign",
            "step(1)",
            "Up",
            id="harmonise-up",
            tooltip="The role's target a band up (from its modal band if not targeted yet)",
        ),
        Binding(
            "minus",
            "step(-1)",
            "Down",
            id="harmonise-down",
            tooltip="The role's target a band down (from its modal band if not targeted yet)",
        ),
        Binding("x,delete", "remove", "Remove", id="harmonise-remove", tooltip="Untarget role"),
        Binding("a", "add_role", "Add", id="harmonise-add", tooltip="Target another role"),
        Binding(
            "r",
            "premia",
            "Premia",
            id="harmonise-premia",
            tooltip="Keep, remove or align the target role's premia",
        ),
        Binding(
            "i",
            "appoint_at",
            "Appoint at",
            id="harmonise-appoint",
            tooltip="The pay point new starters of the target role are appointed at",
        ),
        Binding("s", "save", "Save", id="harmonise-save", tooltip="Save the scenario by name"),
        Binding("o", "open_saved", "Open", id="harmonise-open", tooltip="Open a saved scenario"),
        Binding(
            "D",
            "delete_saved",
            "Delete saved",
            id="harmonise-delete",
            tooltip="Delete a saved scenario (asks first)",
            show=False,  # rarely wanted: in the help and the palette, not the key bar
        ),
        Binding("w", "write_report", "Report", id="harmonise-report", tooltip="Board report"),
        Binding("e", "export", "Export", id="harmonise-export", tooltip="Flags, or scenario TOML"),
        Binding("n", "page(1)", "Next", id="harmonise-next", tooltip="The next page of flags"),
        Binding("p", "page(-1)", "Prev", id="harmonise-prev", tooltip="The previous page"),
        Binding("slash", "focus_filter", "Filter", id="harmonise-filter", tooltip="Filters"),
        Binding("right_square_bracket", "next_tab", "Tab", id="harmonise-tab", tooltip="Tab"),
        Binding(
            "left_square_bracket",
            "next_tab(-1)",
            "Tab",
            id="harmonise-tab-back",
            tooltip="The tab before",
            show=False,
        ),
        Binding("escape", "back", "Back", id="harmonise-back", show=False, tooltip="To table"),
    ]

    def __init__(self, db_path: Path, *, trust: str | None = None) -> None:
        super().__init__(db_path)
        self.filters = FlagFilter(trust=trust)
        self.page_start = 0
        self.total: int | None = None
        self.counts: dict[str, int] = {}
        self.flags: dict[str, Flag] = {}  # the page shown, by TRUST:REF
        self.roles: dict[str, RoleInfo] = {}
        self.bands: dict[str, dict[str, int]] = {}  # role -> band -> JDs (network-wide)
        self.saved_names: list[str] = []
        self.pay_years: list[str] = []
        self.choice_problem = ""  # an assumption typed wrongly (on-costs "abc")
        self.on_costs_default: tuple[float, str] | None = None
        self.ready = False
        # The scenario being edited (a pathways.scenario_draft.Draft, made once that module
        # is loaded by the first worker: it costs a fifth of a second to import).
        self._draft: Draft | None = None
        self.scenario_name: str | None = None  # the name it was saved or opened under
        self.scenario_created = ""
        self.saved_draft: Draft | None = None  # as saved or opened (to tell changes)
        self.result: HarmonisationResult | None = None
        self.problem = ""
        self.generation = 0  # of the newest costing asked for
        self.costed = 0  # of the costing shown
        self.plan_inputs = PlanInputs()
        self._stale = False  # the catalogue changed on another screen since it was read

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="flags-tab", id="harmonise-tabs"):
            with TabPane("Flags", id="flags-tab"):
                with Horizontal(classes="choices", id="flag-filters"):
                    yield Select[str]((), prompt="All staff groups", id="staff-group", compact=True)
                    yield Select[str]((), prompt="All trusts", id="trust", compact=True)
                    yield Select[str](
                        [(Text(label), value) for label, value in SEVERITY_CHOICES],
                        prompt="All severities",
                        id="severity",
                        compact=True,
                    )
                yield Static("Reading the flags…", id="flags-status", classes="table-status")
                with Vertical(id="flags-body") as body:
                    body.loading = True
                    yield ListTable(id="flags")
            with TabPane("Scenario", id="scenario-tab"):
                yield Static("", id="scenario-name")
                yield ListTable(id="targets")
                # One line when there is room; two in a narrow terminal (the screen's -narrow
                # class, tui/app.py), where one line cut the last choices off.
                with Horizontal(classes="choices", id="assumptions"):
                    with HorizontalGroup(classes="choice-group"):
                        yield Select[str](
                            [(Text(label), value) for label, value in PAY_POINT_CHOICES],
                            allow_blank=False,
                            value="top",
                            id="pay-point",
                            compact=True,
                        )
                        yield Label("On-costs %")
                        yield Input(id="on-costs", compact=True, placeholder="default")
                        yield Checkbox("Protection", True, id="protection", compact=True)
                    with HorizontalGroup(classes="choice-group"):
                        yield Select[str](
                            [(Text(label), value) for label, value in BASIS_CHOICES],
                            allow_blank=False,
                            value="in_post",
                            id="basis",
                            compact=True,
                        )
                        yield Select[str](
                            [(Text("latest pay year"), LATEST)],
                            allow_blank=False,
                            value=LATEST,
                            id="pay-year",
                            compact=True,
                        )
                yield Static("", id="plan-total")
                with Vertical(id="trusts-body"):
                    yield ListTable(id="by-trust")
            with TabPane("Pay", id="pay-tab"):
                yield PayPane(self.db_path, id="pay-pane")
        yield Static("", id="scenario-bar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ContentTabs).can_focus = False  # tabs switch with ] and [
        flags = self.query_one("#flags", ListTable)
        for label in FLAG_COLUMNS:
            flags.add_column(_header(label, right=label == "WTE"), key=label)
        flags.shrink_to_fit(FLAG_SHRINK)
        targets = self.query_one("#targets", ListTable)
        # Inline: the app's stylesheet gives every DataTable the height left (1fr), and it
        # outranks a screen's default CSS. The targets take the rows they have, up to 8.
        targets.styles.height = "auto"
        targets.styles.max_height = 8
        for label in TARGET_COLUMNS:
            targets.add_column(
                _header(label, right=label in ("Up", "Down", "Annual cost")), key=label
            )
        targets.shrink_to_fit(TARGET_SHRINK)
        trusts = self.query_one("#by-trust", ListTable)
        for label in TRUST_COLUMNS:
            trusts.add_column(_header(label, right=label not in ("Trust", "Name")), key=label)
        trusts.shrink_to_fit(TRUST_SHRINK)
        flags.focus()
        self._show_scenario()
        self.read_choices()
        self.load_flags(self.filters, 0)

    # -- the catalogue changed on another screen ----------------------------------------------

    def catalogue_changed(self) -> None:
        """JDs were imported or mapped on another screen. The draft (its targets and
        choices) is the user's work and is kept; the flags, the modal bands, the saved names
        and the draft's cost are read again when this screen is next shown."""
        self._stale = True

    def show_catalogue_afresh(self) -> None:
        self._stale = True
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        if not self._stale:
            return
        self._stale = False
        self.plan_inputs = PlanInputs()  # its JDs and roles are the catalogue as it was
        self.query_one(PayPane).reload()
        self.read_choices()
        self._read_flags(0)
        if self._draft is not None:
            self.generation += 1
            self._cost(self._draft)

    # -- reading what the choices are made from --------------------------------------------

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def read_choices(self) -> None:
        import pathways.scenario_draft  # noqa: F401  (loaded here, off the UI thread)
        from catalogue.scenarios import scenario_names
        from pathways.harmonise import HarmonisationError, default_on_costs, pay_years
        from pathways.records import load_roles, load_staff_groups, load_trusts
        from pathways.variation import variation_summary

        with catalogue_in_thread(self.db_path) as db:
            # Every role's JDs by band, network-wide: the modal band a target defaults to.
            stats = variation_summary(db).roles
            try:
                on_costs: tuple[float, str] | None = default_on_costs(db)
            except HarmonisationError:  # a catalogue with no documented rate: one is typed
                on_costs = None
            ready = HarmoniseReady(
                staff_groups=load_staff_groups(db),
                trusts={code: t.name for code, t in load_trusts(db).items()},
                roles=load_roles(db),
                bands={stat.role: dict(stat.bands) for stat in stats if stat.bands},
                pay_years=pay_years(db),
                on_costs=on_costs,
                saved=scenario_names(db),
            )
        self.post_message(ready)

    def on_harmonise_ready(self, event: HarmoniseReady) -> None:
        self.roles, self.bands = event.roles, event.bands
        self.saved_names = event.saved
        self.pay_years = event.pay_years
        self.on_costs_default = event.on_costs
        self.ready = True
        self._draw_flags()  # with the roles' titles now known
        # Read again when the catalogue changed on another screen (catalogue_changed): setting
        # a list's options empties it, so each is set back to what was chosen. The pay year
        # is the draft's own: a list left at "latest" would post Select.Changed, and the
        # draft (taking its choices from the lists) would lose its year without a word.
        groups = self.query_one("#staff-group", Select)
        by_name = sorted(event.staff_groups.items(), key=lambda item: item[1].casefold())
        groups.set_options((Text(name), key) for key, name in by_name)
        if self.filters.staff_group in event.staff_groups:
            groups.value = self.filters.staff_group
        trusts = self.query_one("#trust", Select)
        trusts.set_options((Text(f"{code} {name}"), code) for code, name in event.trusts.items())
        if self.filters.trust in event.trusts:
            trusts.value = self.filters.trust
        years = self.query_one("#pay-year", Select)
        latest = event.pay_years[-1] if event.pay_years else ""
        years.set_options(
            [(Text(f"latest ({latest})"), LATEST)]
            + [(Text(year), year) for year in reversed(event.pay_years)]
        )
        chosen = self._draft.choices.pay_year if self._draft is not None else None
        if chosen is not None and chosen not in event.pay_years:
            # Removed meanwhile (`workforce pay-year remove`): the draft cannot keep it.
            self.notify(
                f"The scenario's pay year {chosen} is no longer in the catalogue: it is costed "
                f"in the latest year ({latest}) instead.",
                title="Pay year changed",
                severity="warning",
                timeout=10,
                markup=False,
            )
            chosen = None
        years.value = chosen or LATEST
        if event.on_costs is not None:
            rate, _ = event.on_costs
            self.query_one("#on-costs", Input).placeholder = f"{rate * 100:g} (default)"
        if self._draft is None:
            from pathways.scenario_draft import Draft

            self._draft = Draft()
        self._show_scenario()

    # -- the flags -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="flags", exit_on_error=False)
    def load_flags(self, filters: FlagFilter, offset: int) -> None:
        from pathways.variation import list_flags, variation_summary

        with catalogue_in_thread(self.db_path) as db:
            summary = variation_summary(db, staff_group=filters.staff_group, trust=filters.trust)
            counts = {name: tally.flags for name, tally in summary.flags.by_severity.items()}
            # Flags come worst first: a severity's flags are one stretch of the list.
            if filters.severity == "high":
                start, total = 0, counts.get("high", 0)
            elif filters.severity == "warn":
                start, total = counts.get("high", 0), counts.get("warn", 0)
            else:
                start, total = 0, summary.flags.total.flags
            limit = max(0, min(PAGE_SIZE, total - offset))
            flags = (
                list(
                    list_flags(
                        db, summary.rules, trust=filters.trust, limit=limit, offset=start + offset
                    )
                )
                if limit
                else []
            )
        if not cancelled():
            self.post_message(FlagsLoaded(filters, offset, total, counts, flags))

    def on_flags_loaded(self, event: FlagsLoaded) -> None:
        if event.filters != self.filters:
            return  # the filters changed since: a newer page is coming
        self.page_start, self.total, self.counts = event.offset, event.total, event.counts
        self.flags = {f"{flag.trust}:{flag.jd_ref}": flag for flag in event.flags}
        self._draw_flags()
        self.query_one("#flags-body").loading = False
        self._flags_status()
        self.refresh_bindings()

    def _draw_flags(self) -> None:
        table = self.query_one("#flags", ListTable)
        keep = table.highlighted_key()
        table.clear()
        for key, flag in self.flags.items():
            role = self.roles.get(flag.role)
            high = flag.verdict.severity == "high"
            table.add_row(
                Text(flag.verdict.severity, style="bold red" if high else ""),
                cell(flag.trust),
                cell(flag.title),  # literal: "[bold]X" shows its brackets
                cell(role.title if role else flag.role),
                cell(flag.band),
                cell(wte(flag.wte_in_post) if flag.wte_in_post is not None else "", right=True),
                cell(differs_from(flag)),
                key=key,
            )
        if keep is not None:
            table.move_to_key(keep)

    def _flags_status(self) -> None:
        total = self.total or 0
        high, warn = self.counts.get("high", 0), self.counts.get("warn", 0)
        filtered = any((self.filters.staff_group, self.filters.trust, self.filters.severity))
        status = f"{total} flags" + (" match" if filtered else "")
        if self.filters.severity is None:
            status += f" ({high} high, {warn} warn)"
        if total > PAGE_SIZE:
            first, last = self.page_start + 1, self.page_start + len(self.flags)
            page, pages = self.page_start // PAGE_SIZE + 1, -(-total // PAGE_SIZE)
            status += f": {first}–{last} shown, page {page} of {pages} (n, p)"
        if total:
            status += " · high first, then most WTE · t: target the role's modal band"
        else:
            status = "No flags" + (" match these filters" if filtered else "")
        self.query_one("#flags-status", Static).update(status)

    @on(Select.Changed, "#flag-filters Select")
    def _filter_changed(self) -> None:
        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return None if value == Select.NULL else str(value)

        filters = FlagFilter(chosen("#staff-group"), chosen("#trust"), chosen("#severity"))
        if filters == self.filters:
            return
        trust_changed = filters.trust != self.filters.trust
        self.filters = filters
        self._read_flags(0)
        if trust_changed and self._draft is not None:  # the Scenario tab follows the trust
            self.generation += 1
            self._show_scenario()
            self._cost(self._draft)

    def action_page(self, step: int) -> None:
        self._read_flags(self.page_start + step * PAGE_SIZE)

    def _read_flags(self, offset: int) -> None:
        self.query_one("#flags-body").loading = True
        self.load_flags(self.filters, offset)

    def worker_failed(self) -> None:
        self.query_one("#flags-body").loading = False
        self.query_one("#trusts-body").loading = False

    # -- which role the keys act on ---------------------------------------------------------

    def _on_flags_tab(self) -> bool:
        return self.query_one("#harmonise-tabs", TabbedContent).active == "flags-tab"

    def _on_pay_tab(self) -> bool:
        return self.query_one("#harmonise-tabs", TabbedContent).active == "pay-tab"

    def current_role(self) -> str | None:
        """The role of the flag (Flags tab), pay line (Pay tab) or target (Scenario tab)
        under the cursor."""
        if self._on_pay_tab():
            line = self.query_one(PayPane).highlighted()
            return line.role if line else None
        if self._on_flags_tab():
            key = self.query_one("#flags", ListTable).highlighted_key()
            flag = self.flags.get(key or "")
            return flag.role if flag else None
        return self.query_one("#targets", ListTable).highlighted_key()

    def on_data_table_row_selected(self, event: RowTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None:
            return
        from tui.screens.compare import CompareScreen

        if event.data_table.id == "pay-lines":
            line = self.query_one(PayPane).highlighted()
            if line is not None:
                self.app.push_screen(
                    CompareScreen(
                        self.db_path, role=line.role, jd=f"{line.trust}:{line.jd_refs[0]}"
                    )
                )
        elif event.data_table.id == "flags" and key in self.flags:
            self.app.push_screen(CompareScreen(self.db_path, role=self.flags[key].role, jd=key))
        elif event.data_table.id == "targets":
            self.app.push_screen(CompareScreen(self.db_path, role=key))

    # -- the draft and its cost -------------------------------------------------------------

    @property
    def draft(self) -> Draft:
        if self._draft is None:
            from pathways.scenario_draft import Draft

            self._draft = Draft()
        return self._draft

    def set_draft(self, draft: Draft) -> None:
        """Show `draft` and cost it (in a worker; a newer change supersedes this one)."""
        if draft == self._draft:
            return
        self._draft = draft
        self.generation += 1
        self._show_scenario()
        self._cost(draft)

    @property
    def cost_trusts(self) -> tuple[str, ...]:
        """The trusts whose posts the Scenario tab costs: the Flags tab's trust filter (its
        share of the network plan), or none for the whole network."""
        return (self.filters.trust,) if self.filters.trust else ()

    def _cost(self, draft: Draft) -> None:
        if not draft.targets:
            self.result, self.problem, self.costed = None, "", self.generation
            self._show_scenario()
            return
        self.query_one("#trusts-body").loading = True
        self.cost_draft(draft, self.generation, self.cost_trusts)

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def cost_draft(self, draft: Draft, generation: int, trusts: tuple[str, ...] = ()) -> None:
        from pathways.harmonise import HarmonisationError

        with catalogue_in_thread(self.db_path) as db:
            try:
                message = PlanCosted(generation, self.plan_inputs.cost(db, draft, trusts))
            except HarmonisationError as error:
                message = PlanCosted(generation, None, str(error))
        if not cancelled():
            self.post_message(message)

    def on_plan_costed(self, event: PlanCosted) -> None:
        if event.generation != self.generation:
            return  # the draft changed since: its own costing is coming
        self.result, self.problem, self.costed = event.result, event.problem, event.generation
        self.query_one("#trusts-body").loading = False
        self._show_scenario()

    def _scenario_label(self) -> str:
        """'Unsaved scenario', 'Scenario NAME', or 'Scenario NAME (changed since saved)'."""
        if self.scenario_name is None:
            return "Unsaved scenario"
        if self.saved_draft is not None and self.saved_draft != self._draft:
            return f"Scenario {self.scenario_name} (changed since saved)"
        return f"Scenario {self.scenario_name}"

    def _show_scenario(self) -> None:
        """The Scenario tab and the bar under both tabs, from the draft and its cost."""
        draft = self._draft
        targets = draft.targets if draft is not None else ()
        costing = self.costed != self.generation
        result = None if costing else self.result
        label = self._scenario_label()
        bar = Text.assemble((label, "bold"), ": ")
        if not targets:
            bar.append("no role targeted yet (t on a flag targets its role's modal band)")
        else:
            bar.append(", ".join(f"{t.role} → {t.band}" for t in targets))
            if costing:
                bar.append(" · costing…", style="dim")
            elif self.problem:
                bar.append(f" · cannot cost: {self.problem}", style="bold red")
            elif result is not None:
                total = result.total
                bar.append(" · ")
                bar.append(f"{money(total.annual_cost)} a year", style="bold")
                if result.trusts:  # one trust's share: never read as the network's cost
                    bar.append(f" at {', '.join(result.trusts)}", style="bold")
                if result.pay is not None:
                    bar.append(f" (with pay rules {money(result.annual_cost_with_pay)})")
                bar.append(
                    f" · up {moved(total.moved_up.jds, total.moved_up.wte)}"
                    f" · down {moved(total.moved_down.jds, total.moved_down.wte)}"
                )
        self.query_one("#scenario-bar", Static).update(bar)

        name = Text(label, style="bold")
        if self.scenario_created and self.scenario_name:
            name.append(f" · saved {saved_when(self.scenario_created)}", style="dim")
        name.append("  (s save · o open · e export · w report)", style="dim")
        self.query_one("#scenario-name", Static).update(name)
        self._draw_targets(targets, result)
        panel = self.query_one("#plan-total", Static)
        if self.choice_problem:
            panel.update(Text(self.choice_problem, style="bold red"))
        elif not targets:
            panel.update(
                Text(
                    "No role targeted yet: t on a flag targets its role's modal band; a adds any "
                    "role.",
                    style="dim",
                )
            )
        elif self.problem and not costing:
            panel.update(Text(f"Cannot cost this scenario: {self.problem}", style="bold red"))
        elif result is not None:
            text = total_text(result)
            if result.trusts:
                text = Text.assemble(
                    (result.scope_text(), "bold"),
                    " (the Flags tab's trust filter; saved and exported scenarios are the "
                    "network's).\n",
                    text,
                )
            panel.update(text)
        else:
            panel.update(Text("Costing…", style="dim"))
        self._draw_trusts(result)

    def _draw_targets(self, targets: Sequence[Any], result: HarmonisationResult | None) -> None:
        table = self.query_one("#targets", ListTable)
        keep = table.highlighted_key()
        table.clear()
        outcomes = {r.target.role: r for r in result.roles} if result is not None else {}
        for target in targets:
            role = self.roles.get(target.role)
            outcome = outcomes.get(target.role)
            source = " (modal)" if target.source == "modal" else ""
            numbers = (
                summary_cells(outcome.summary)
                if outcome is not None
                else [cell("…", right=True)] * 3
            )
            # A pay rule follows the role's title ("Sonographer · RRP £2,000"), cut first.
            rule = pay_rule_text(self.draft.pay_rule(target.role))
            title = role.title if role else target.role
            table.add_row(
                cell(f"{title} · {rule}" if rule else title),
                bands_cell(self.bands.get(target.role, {})),
                Text(f"{target.band}{source}", style="bold"),
                *numbers,
                key=target.role,
            )
        if keep is not None:
            table.move_to_key(keep)

    def _draw_trusts(self, result: HarmonisationResult | None) -> None:
        table = self.query_one("#by-trust", ListTable)
        table.clear()
        if result is None:
            return
        for outcome in result.by_trust:
            summary = outcome.summary
            up, down, cost = summary_cells(summary)
            table.add_row(
                cell(outcome.trust),
                cell(outcome.name),
                up,
                down,
                cell(moved(summary.unchanged.jds, summary.unchanged.wte), right=True),
                cost,
                key=outcome.trust,
            )

    # -- setting targets -------------------------------------------------------------------

    def action_target(self) -> None:
        role = self.current_role()
        if role is None:
            return
        self.target_role(role)

    def target_role(self, role: str) -> None:
        """Target `role` at its modal band; ask for the band when the mode is tied."""
        bands = self.bands.get(role, {})
        modes = modal(bands)
        if len(modes) == 1:
            self.set_draft(self.draft.with_target(role, modes[0], "modal"))
            self.notify(f"{role}: target Band {modes[0]} (its modal band)", markup=False)
            return
        self.ask_band(role)

    def action_choose_band(self) -> None:
        role = self.current_role()
        if role is not None:
            self.ask_band(role)

    def ask_band(self, role: str) -> None:
        from pathways.scenario_draft import TARGET_BANDS
        from tui.widgets.dialogs import ChoiceDialog

        bands = self.bands.get(role, {})
        modes = modal(bands)
        title = self.roles[role].title if role in self.roles else role
        if len(modes) > 1:
            each = bands[modes[0]]
            tied = " and ".join(f"Band {band}" for band in modes)
            hint = f"Its JDs are tied between {tied} ({each} each): choose the target band."
        elif not bands:
            hint = "It has no JDs with a band: choose the target band."
        else:
            hint = f"JDs now: {bands_text(bands)}; modal band {modes[0]}."
        current = self.draft.target(role)
        selected = current.band if current else (modes[0] if modes else None)
        choices = []
        for band in TARGET_BANDS:
            label = Text(f"Band {band}")
            if band in bands:
                label.append(f"  {bands[band]} JDs now", style="dim")
            if band in modes and len(modes) == 1:
                label.append("  modal", style="bold")
            choices.append((band, label))

        def chosen(band: str | None) -> None:
            if band is not None:
                self.set_draft(self.draft.with_target(role, band))

        self.app.push_screen(
            ChoiceDialog(f"Target band for {title}", choices, hint=hint, selected=selected),
            chosen,
        )

    def action_step(self, step: int) -> None:
        """Move the role's target a band up or down. On the Flags tab, a role not targeted
        yet is first targeted at its modal band (as `t` does), so `+` there is "a band above
        the mode"; a role whose modes tie asks for the band instead."""
        role = self.current_role()
        if role is None:
            return
        flags_tab = self._on_flags_tab()
        draft = self.draft
        current = draft.target(role)
        if current is not None:
            start, was = current.band, f"was Band {current.band}"
        elif not flags_tab:
            return
        else:
            modes = modal(self.bands.get(role, {}))
            if len(modes) != 1:
                self.ask_band(role)  # no one modal band to start from
                return
            start, was = modes[0], f"its modal band is {modes[0]}"
            draft = draft.with_target(role, start, "modal")
        stepped = draft.stepped(role, step)
        self.set_draft(stepped)
        if flags_tab:
            # The targets table is on the other tab: say what the key did.
            target = stepped.target(role)
            band = target.band if target is not None else start
            if band == start:
                said = f"{role}: target Band {band}, the {'highest' if step > 0 else 'lowest'} band"
            else:
                said = f"{role}: target Band {band} ({was})"
            self.notify(said, markup=False)

    def action_remove(self) -> None:
        role = self.current_role()
        if role is not None and self.draft.target(role) is not None:
            self.set_draft(self.draft.without(role))

    def action_premia(self) -> None:
        """Choose what the scenario does with the target role's premia (align asks the
        amount)."""
        found = self._pay_target()
        if found is None:
            return
        role, title, held = found
        from tui.widgets.dialogs import AmountDialog, ChoiceDialog

        choices = [
            ("keep", Text("Keep them as each trust pays them")),
            ("remove", Text("Remove them at their review dates")),
            ("align", Text("Align every trust to one annual amount…")),
        ]

        def amount(answer: Answer | None) -> None:
            if answer is not None:
                from catalogue.jd_pay import parse_amount

                self._set_pay(role, rrp_action="align", rrp_amount=parse_amount(answer.value))

        def chosen(action: str | None) -> None:
            if action is None:
                return
            if action != "align":
                self._set_pay(role, rrp_action=action)
                return
            default = str(held.rrp_amount) if held is not None and held.rrp_amount else ""
            self.app.push_screen(
                AmountDialog(
                    f"Premia of {title}",
                    "Every trust pays this recruitment and retention premium, pounds a year:",
                    default,
                ),
                amount,
            )

        self.app.push_screen(
            ChoiceDialog(
                f"Premia of {title}",
                choices,
                hint="Costed with the plan's pay year, on-costs and protection.",
                selected=held.rrp_action if held is not None else "keep",
            ),
            chosen,
        )

    def action_appoint_at(self) -> None:
        found = self._pay_target()
        if found is None:
            return
        role, title, held = found
        from tui.widgets.dialogs import ChoiceDialog

        choices = [
            ("as-now", Text("As each trust appoints now")),
            ("entry", Text("Entry point")),
            ("intermediate", Text("Intermediate point")),
            ("top", Text("Top of the band")),
        ]

        def chosen(point: str | None) -> None:
            if point is not None:
                self._set_pay(role, appointment_point=None if point == "as-now" else point)

        held_point = held.appointment_point if held is not None else None
        self.app.push_screen(
            ChoiceDialog(
                f"New starters of {title} appointed at",
                choices,
                hint="Costed on today's vacancies, filled at the new point.",
                selected=held_point or "as-now",
            ),
            chosen,
        )

    def _pay_target(self) -> tuple[str, str, ScenarioPay | None] | None:
        """The targeted role under the cursor, its title and its pay rule; None if none."""
        role = self.current_role()
        if role is None or self.draft.target(role) is None:
            return None
        title = self.roles[role].title if role in self.roles else role
        return role, title, self.draft.pay_rule(role)

    def _set_pay(self, role: str, **changes: object) -> None:
        from pathways.scenario_draft import DraftError

        try:
            self.set_draft(self.draft.with_pay(role, **changes))
        except DraftError as error:
            self.notify(str(error), severity="error", markup=False)

    def action_add_role(self) -> None:
        from tui.widgets.dialogs import ChoiceDialog

        choices = []
        for role_id, bands in sorted(self.bands.items()):
            role = self.roles.get(role_id)
            if role is None or role.band_min is None:
                continue  # medical and dental pay: no band to harmonise
            modes = modal(bands)
            mode = f"modal {modes[0]}" if len(modes) == 1 else "tied"
            label = Text(role.title)
            label.append(f"  {role_id} · {bands_text(bands)} · {mode}", style="dim")
            choices.append((role_id, label))

        def chosen(role: str | None) -> None:
            if role is not None:
                self.target_role(role)

        self.app.push_screen(
            ChoiceDialog(
                "Target a role",
                choices,
                hint="Roles with JDs in the catalogue. Type to narrow, Enter to choose.",
                searchable=True,
                empty="No role matches.",
            ),
            chosen,
        )

    # -- assumptions -------------------------------------------------------------------------

    @on(Select.Changed, "#assumptions Select")
    @on(Checkbox.Changed, "#protection")
    def _assumption_changed(self) -> None:
        self._apply_choices()

    @on(Input.Changed, "#on-costs")
    def _on_costs_changed(self) -> None:
        self._apply_choices()

    def _apply_choices(self) -> None:
        if self._draft is None:
            return  # still starting: the draft is made once its module is loaded
        from pathways.scenario_draft import DraftError, parse_percent

        year = self.query_one("#pay-year", Select).value
        try:
            on_costs = parse_percent(self.query_one("#on-costs", Input).value)
            draft = self.draft.with_choices(
                pay_point=self.query_one("#pay-point", Select).value,
                basis=self.query_one("#basis", Select).value,
                protection=self.query_one("#protection", Checkbox).value,
                on_costs=on_costs,
                pay_year=None if year in (LATEST, Select.NULL) else year,
            )
        except DraftError as error:
            # Shown until the field is put right; the cost shown stays the last good one's.
            self.choice_problem = str(error)
            self._show_scenario()
            return
        self.choice_problem = ""
        if draft == self._draft:
            self._show_scenario()  # a typo put right: clear what it said
        else:
            self.set_draft(draft)

    def _show_choices(self, draft: Draft) -> None:
        """Set the assumption widgets to `draft`'s (a scenario opened)."""
        choices = draft.choices
        self.query_one("#pay-point", Select).value = choices.pay_point
        self.query_one("#basis", Select).value = choices.basis
        self.query_one("#protection", Checkbox).value = choices.protection
        self.query_one("#on-costs", Input).value = (
            "" if choices.on_costs is None else f"{choices.on_costs * 100:g}"
        )
        year = choices.pay_year if choices.pay_year in self.pay_years else LATEST
        self.query_one("#pay-year", Select).value = year

    # -- saving and opening ----------------------------------------------------------------

    def action_save(self) -> None:
        if not self.draft.targets:
            self.notify("Target a role first (t on a flag): there is nothing to save.")
            return
        from tui.widgets.dialogs import ScenarioNameDialog

        def chosen(answer: Answer | None) -> None:
            if answer is not None:
                self.save(self.draft, answer.value, answer.replace)

        self.app.push_screen(ScenarioNameDialog(self.scenario_name or "", self.saved_names), chosen)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, draft: Draft, name: str, replace: bool) -> None:
        from catalogue.scenarios import ScenarioError, save_scenario

        with catalogue_in_thread(self.db_path) as db:
            try:
                stored = save_scenario(db, draft.scenario(name), force=replace)
            except (ScenarioError, ValueError) as error:
                self.post_message(Refused(f"Not saved: {error}"))
                return
        self.post_message(ScenarioSaved(stored.name, stored.created, draft))

    def on_scenario_saved(self, event: ScenarioSaved) -> None:
        self.scenario_name, self.scenario_created = event.name, event.created
        self.saved_draft = event.draft
        if event.name not in self.saved_names:
            self.saved_names = sorted([*self.saved_names, event.name])
        self._show_scenario()
        self.notify(f"Saved scenario {event.name!r}", title="Saved", markup=False)

    def on_refused(self, event: Refused) -> None:
        self.notify(event.problem, severity="error", timeout=10, markup=False)

    def action_open_saved(self) -> None:
        self.list_saved("open")

    def action_delete_saved(self) -> None:
        self.list_saved("delete")

    @work(thread=True, exclusive=True, group="saved", exit_on_error=False)
    def list_saved(self, purpose: str) -> None:
        from catalogue.scenarios import list_scenarios

        with catalogue_in_thread(self.db_path) as db:
            scenarios = list_scenarios(db)
        self.post_message(ScenariosListed(scenarios, purpose))

    def on_scenarios_listed(self, event: ScenariosListed) -> None:
        from tui.widgets.dialogs import ChoiceDialog

        self.saved_names = [scenario.name for scenario in event.scenarios]
        by_name = {scenario.name: scenario for scenario in event.scenarios}
        choices = [(scenario.name, _scenario_label(scenario)) for scenario in event.scenarios]
        deleting = event.purpose == "delete"

        def chosen(name: str | None) -> None:
            if name is not None and deleting:
                self.confirm_delete(name)
            elif name is not None:
                self.open_scenario(by_name[name])

        self.app.push_screen(
            ChoiceDialog(
                "Delete a saved scenario" if deleting else "Open a saved scenario",
                choices,
                hint="You are asked again before it goes."
                if deleting
                else "Costed again on the catalogue as it is now.",
                selected=self.scenario_name,
                searchable=len(choices) > 8,
                empty="No scenario is saved yet: s saves this one.",
            ),
            chosen,
        )

    def confirm_delete(self, name: str) -> None:
        from tui.widgets.dialogs import ChoiceDialog

        def answered(answer: str | None) -> None:
            if answer == "delete":
                self.delete_saved(name)

        choices = [("keep", Text("No, keep it")), ("delete", Text(f"Delete {name}"))]
        self.app.push_screen(
            ChoiceDialog(f"Delete the saved scenario {name}?", choices, selected="keep"),
            answered,
        )

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def delete_saved(self, name: str) -> None:
        from catalogue.scenarios import ScenarioError, delete_scenario

        with catalogue_in_thread(self.db_path) as db:
            try:
                delete_scenario(db, name)
            except ScenarioError as error:  # deleted meanwhile (by the CLI, say)
                self.post_message(Refused(f"Not deleted: {error}"))
                return
        self.post_message(ScenarioDeleted(name))

    def on_scenario_deleted(self, event: ScenarioDeleted) -> None:
        self.saved_names = [name for name in self.saved_names if name != event.name]
        kept = ""
        if self.scenario_name == event.name:
            # The draft on screen is the user's work: it stays, as an unsaved scenario.
            self.scenario_name, self.scenario_created, self.saved_draft = None, "", None
            kept = "; the scenario shown is kept, unsaved"
            self._show_scenario()
        self.notify(f"Deleted scenario {event.name!r}{kept}", title="Deleted", markup=False)

    def open_scenario(self, scenario: Scenario) -> None:
        from pathways.scenario_draft import draft_from_scenario

        draft = draft_from_scenario(scenario)
        self.scenario_name, self.scenario_created = scenario.name, scenario.created
        self.saved_draft = draft
        self._show_choices(draft)
        self.set_draft(draft)
        self._show_scenario()
        self.query_one("#harmonise-tabs", TabbedContent).active = "scenario-tab"
        self._focus_tab_table()

    # -- export and the board report ------------------------------------------------------

    def action_export(self, fmt: str = "csv") -> None:
        if self._on_pay_tab():
            rows = self.query_one(PayPane).rows()
            self.start_export(rows, noun="pay lines", default_name=f"pay.{fmt}", toml_table="pay")
        elif self._on_flags_tab():
            self.export_flags(fmt)
        else:
            self.export_scenario()

    def export_flags(self, fmt: str = "csv") -> None:
        from pathways.variation import flag_as_dict

        rows = []
        for flag in self.flags.values():
            row = flag_as_dict(flag, self.roles)
            row["reasons"] = ";".join(row["reasons"])
            rows.append(row)
        self.start_export(rows, noun="flags", default_name=f"flags.{fmt}", toml_table="flag")

    def _named(self) -> str:
        from pathways.scenario_draft import UNSAVED_NAME

        return self.scenario_name or UNSAVED_NAME

    def export_scenario(self) -> None:
        if not self.draft.targets:
            self.notify("Target a role first (t on a flag): there is no scenario to export.")
            return
        from tui.widgets.dialogs import FileNameDialog

        draft, name = self.draft, self._named()

        def chosen(answer: Answer | None) -> None:
            if answer is not None:
                path = Path(answer.value).expanduser().absolute()
                self.write_scenario(draft, name, path, answer.replace)

        self.app.push_screen(
            FileNameDialog(f"Export scenario {name}", f"{file_stem(name)}.toml", (".toml",)),
            chosen,
        )

    @work(thread=True, exclusive=True, group="write", exit_on_error=False)
    def write_scenario(self, draft: Draft, name: str, path: Path, replace: bool) -> None:
        from catalogue.scenarios import scenario_to_toml
        from pathways.harmonise import HarmonisationError
        from pathways.scenario_draft import export_summary
        from tui.widgets.file_output import FileRefused, write_or_deliver

        try:
            with catalogue_in_thread(self.db_path) as db:
                result = self.plan_inputs.cost(db, draft)
            text = scenario_to_toml(
                draft.scenario(name, self.scenario_created), export_summary(result)
            )
            write_or_deliver(self.app, path, text, replace=replace)
        except (HarmonisationError, FileRefused, OSError) as error:
            self.post_message(Refused(f"Not written: {error}"))
            return
        self.post_message(FileWritten(path, f"scenario {name!r}"))

    def action_write_report(self) -> None:
        from tui.widgets.dialogs import FileNameDialog

        draft, name = self.draft, self._named()

        def chosen(answer: Answer | None) -> None:
            if answer is not None:
                path = Path(answer.value).expanduser().absolute()
                self.write_report(draft, name, path, answer.replace, self.cost_trusts)

        what = f"with scenario {name}" if draft.targets else "(no scenario: no cost shown)"
        if draft.targets and self.cost_trusts:
            what += f", costed for {self.cost_trusts[0]}'s posts (the trust filter)"
        self.app.push_screen(
            FileNameDialog(f"Write the board report {what}", "board-report.md", REPORT_SUFFIXES),
            chosen,
        )

    @work(thread=True, exclusive=True, group="write", exit_on_error=False)
    def write_report(
        self, draft: Draft, name: str, path: Path, replace: bool, trusts: tuple[str, ...] = ()
    ) -> None:
        from pathways.harmonise import HarmonisationError
        from pathways.report import build_report, gather_report
        from pathways.report_html import render_html
        from pathways.report_markdown import render_markdown
        from pathways.scenario_draft import with_plan
        from tui.widgets.file_output import FileRefused, write_or_deliver

        render = render_html if path.suffix.lower() in (".html", ".htm") else render_markdown
        try:
            with catalogue_in_thread(self.db_path) as db:
                inputs = gather_report(db, catalogue=str(self.db_path))
                if draft.targets:
                    scenario = draft.scenario(name, self.scenario_created)
                    # As the Scenario tab shows it: the filter's trust's share, if one.
                    result = self.plan_inputs.cost(db, draft, trusts)
                    inputs = with_plan(inputs, scenario, result)
            write_or_deliver(self.app, path, render(build_report(inputs)), replace=replace)
        except (HarmonisationError, FileRefused, OSError) as error:
            self.post_message(Refused(f"Report not written: {error}"))
            return
        self.post_message(FileWritten(path, "the board report"))

    def on_file_written(self, event: FileWritten) -> None:
        from tui.widgets.file_output import where_written

        where = where_written(self.app, event.path)
        self.notify(f"Wrote {event.what} {where}", title="Written", markup=False)

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted or not self.query("#harmonise-tabs"):
            return True
        if isinstance(self.focused, Input) and action in LETTER_ACTIONS:
            return False  # letters typed in a field are text: not offered in the footer
        flags_tab = self._on_flags_tab()
        if self._on_pay_tab() and action in PAY_TAB_HIDDEN:
            return False
        if action in ("target", "page", "focus_filter") and not flags_tab:
            return False
        if action in SCENARIO_TAB_ONLY and flags_tab:
            return False
        if action == "page":
            total = self.total or 0
            if total <= PAGE_SIZE:
                return False
            target = self.page_start + int(str(parameters[0])) * PAGE_SIZE
            return None if target < 0 or target >= total else True
        return True

    def on_tabbed_content_tab_activated(self) -> None:
        self._focus_tab_table()
        self.refresh_bindings()

    def _focus_tab_table(self) -> None:
        # The screen's own focus, not Widget.focus(): that focuses on the app's screen, which
        # is still a dialog when a scenario is opened from one (and focus left in the hidden
        # tab would switch the tabs back to it).
        table_id = {"flags-tab": "#flags", "pay-tab": "#pay-lines"}.get(
            self.query_one("#harmonise-tabs", TabbedContent).active, "#targets"
        )
        self.set_focus(self.query_one(table_id, ListTable))

    def action_next_tab(self, step: int = 1) -> None:
        tabs = self.query_one("#harmonise-tabs", TabbedContent)
        order = TAB_ORDER
        tabs.active = order[(order.index(tabs.active) + step) % len(order)]

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#staff-group", Select))

    def action_back(self) -> None:
        if not isinstance(self.focused, ListTable):
            self._focus_tab_table()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "harmonise: save scenario", "Save the scenario by name", self.action_save
        )
        yield SystemCommand(
            "harmonise: open scenario", "Open a saved scenario", self.action_open_saved
        )
        yield SystemCommand(
            "harmonise: delete scenario",
            "Delete a saved scenario (asks first)",
            self.action_delete_saved,
        )
        yield SystemCommand(
            "harmonise: board report", "Write the board report", self.action_write_report
        )
        yield SystemCommand(
            "export: scenario as TOML", "Write the scenario to a TOML file", self.export_scenario
        )
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: flags as {fmt.upper()}",
                f"Write the flags shown to a {fmt.upper()} file",
                partial(self.export_flags, fmt),
            )


def _header(label: str, *, right: bool = False) -> Text:
    # A header narrowed with its column (a shrinking one) ends in "…" as its cells do.
    return Text(label, justify="right" if right else "left", no_wrap=True, overflow="ellipsis")


def _scenario_label(scenario: Scenario) -> Text:
    """A saved scenario in a list: its name, targets, assumptions (two scenarios with the
    same targets but another pay point are told apart) and when it was saved."""
    label = Text(scenario.name, style="bold")
    targets = ", ".join(f"{t.role} → {t.band}" for t in scenario.targets)
    label.append(f"\n  {targets}", style="dim")
    label.append(f"\n  {assumptions_text(scenario.assumptions)}", style="dim")
    if scenario.created:
        label.append(f"\n  saved {saved_when(scenario.created)}", style="dim")
    return label
