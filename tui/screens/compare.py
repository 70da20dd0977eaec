"""The Compare screen: one reference role across the network's trusts, and two JDs side by side.

Without a role it lists the roles (filter as you type; Enter picks one). With a role: its JDs,
one row each (band, local title, WTE funded and in post, JE score; the bands off the network's
modal band marked), and under them the competency matrix (competencies by trust, the
reference role's level beside each; those only some JDs ask for marked and listed first).
Space marks a JD; `d` opens two marked JDs side by side (`PairScreen`).

The comparison is read in a worker (pathways.compare.load_role_comparison); filtering works on
the role's JDs in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Header, Input, Static

from tui.background import cancelled, catalogue_in_thread
from tui.screens.base import WorkforceScreen
from tui.table_specs import ROLES
from tui.widgets.filter_table import FilterTable
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import ListTable, RowTable, cell

if TYPE_CHECKING:
    from pathways.compare import ComparedJD, PairComparison, RoleComparison

HELP = """\
# Compare

One reference role across the network's trusts. Pick a role from the list (type `/` and part
of its name, then Enter), or open one from the Harmonise screen's flags.

The upper table has one row per job description (JD): the trust, its reference, the local
title (shown exactly as imported), the band, WTE funded and in post, the JE score and how
many competencies it asks beyond (+) or short of (−) the reference role's. A band that
differs from the network's **modal band** (the band most JDs of the role have) is marked in
red with how far: ▼1 is one band below. A role whose most common bands tie has no modal band,
and nothing is marked.

The lower table is the competency matrix: each competency any JD (or the reference role)
asks for, the reference role's level beside it (1 aware, 2 working, 3 proficient, 4 expert;
– not the reference role's), and per trust ✓ when every JD of that trust asks for it (k/n
when k of its n JDs do). Competencies asked for by only some of the JDs shown (at least one,
not all) are marked in red with * and listed first; those the reference role requires that
none of them asks for come last.

Two JDs side by side: mark them with Space (on each), then `d`. With one marked, `d` sets
it beside the JD under the cursor. Tab moves between the tables.

`/` narrows the JDs (and the matrix's trusts) to those containing some text: a trust code,
a title, a reference. `e` writes the JDs shown to a CSV or TOML file.
"""

# The roles as the Catalogue lists them; here Enter picks the role rather than opening it.
COMPARE_ROLES = replace(ROLES, detail=None)
JD_COLUMNS = ("", "Trust", "Ref", "Title", "Band", "Funded", "In post", "JE", "vs ref")
JD_NUMBERS = {"Funded", "In post", "JE"}
JD_WIDTHS = {"Ref": 16, "Title": 30}
NAME_WIDTH = 25
MARK = "●"
QUICK_REDRAW = 500  # JDs a filter redraws at every key; more wait for a pause in typing


class RoleCompared(Message):
    """A role's JDs were compared (`comparison` None: `problem` says why not)."""

    def __init__(self, role: str, comparison: RoleComparison | None, problem: str = "") -> None:
        super().__init__()
        self.role = role
        self.comparison = comparison
        self.problem = problem


class PairCompared(Message):
    """Two JDs were set side by side (`names`: competency id -> name)."""

    def __init__(self, pair: PairComparison, names: dict[str, str]) -> None:
        super().__init__()
        self.pair = pair
        self.names = names


class CompareScreen(WorkforceScreen):
    DEFAULT_CSS = """
    CompareScreen #compare-heading {
        height: auto;
        padding: 0 1;
    }
    CompareScreen #compare-jds-body, CompareScreen #compare-matrix-body {
        height: 1fr;
    }
    CompareScreen #matrix-heading {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    CompareScreen #compare-pick-hint {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """
    AUTO_FOCUS = None  # focus is given to the list or the JD table as each is shown
    TITLE = "Compare"
    HELP_TEXT = HELP
    WIDGET_KEYS = (
        ("up/down", "Move between rows"),
        ("tab", "Move between the JDs and the competency matrix"),
        ("enter", "In the list of roles: compare that role"),
    )
    HELP_WIDGETS = (FilterTable,)
    BINDINGS = [
        Binding("space", "mark", "Mark", id="compare-mark", tooltip="Mark this JD to compare"),
        Binding("d", "diff", "Diff", id="compare-diff", tooltip="Two marked JDs side by side"),
        Binding("r", "pick_role", "Role", id="compare-role", tooltip="Compare another role"),
        Binding("slash", "focus_filter", "Filter", id="compare-filter", tooltip="Narrow the JDs"),
        Binding("e", "export", "Export", id="compare-export", tooltip="Write the JDs shown"),
        Binding(
            "escape",
            "back",
            "Back",
            id="compare-back",
            tooltip="Clear the filter, or go back",
            show=False,
        ),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        role: str | None = None,
        trust: str | None = None,
        jd: str | None = None,
    ) -> None:
        super().__init__(db_path)
        self.role = role  # the role compared (None: the list of roles is shown)
        self.trust = trust  # a deep link's trust: the JDs start narrowed to it
        self.wanted_jd = jd  # TRUST:REF to put the cursor on once the JDs are read
        self.comparison: RoleComparison | None = None
        self.shown: list[ComparedJD] = []
        self.marked: list[str] = []  # JD keys (TRUST:REF), oldest first; two at most
        self._redraw_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="compare-role" if self.role else "compare-pick"):
            with Vertical(id="compare-pick"):
                yield Static(
                    "Pick a role to compare across trusts: Enter on it (/ to filter).",
                    id="compare-pick-hint",
                    markup=False,
                )
                yield FilterTable(COMPARE_ROLES, self.db_path, table_id="compare-roles")
            with Vertical(id="compare-role"):
                yield Static("", id="compare-heading", markup=False)
                yield Input(
                    self.trust or "",
                    placeholder="/ to narrow the JDs (trust, title, ref)",
                    classes="filter",
                )
                yield Static("", classes="table-status", id="compare-status", markup=False)
                with Vertical(id="compare-jds-body") as body:
                    body.loading = self.role is not None
                    yield ListTable(id="compare-jds")
                yield Static("", id="matrix-heading", markup=False)
                with Vertical(id="compare-matrix-body"):
                    # No padding between cells: fifteen trusts' columns fit in 100 columns.
                    yield ListTable(id="compare-matrix", fixed_columns=1, cell_padding=0)
        yield KeyBar()

    def on_mount(self) -> None:
        jds = self.query_one("#compare-jds", ListTable)
        for label in JD_COLUMNS:
            jds.add_column(
                Text(label, justify="right" if label in JD_NUMBERS else "left"),
                key=label or "mark",
                width=JD_WIDTHS.get(label),
            )
        if self.role:
            self.show_role(self.role)
        else:
            self.show_role_list()

    def show_catalogue_afresh(self) -> None:
        if self.query_one(ContentSwitcher).current != "compare-role" or self.role is None:
            super().show_catalogue_afresh()
            return
        self.wanted_jd = self.query_one("#compare-jds", ListTable).highlighted_key()
        marked = list(self.marked)
        self.comparison = None
        self.show_role(self.role)
        self.marked = marked  # dropped for a new role; this is the same one

    # -- the list of roles ----------------------------------------------------------------

    def show_role_list(self) -> None:
        self.query_one(ContentSwitcher).current = "compare-pick"
        roles = self.query_one(FilterTable)
        roles.ensure_loaded()
        if self.role:
            roles.select(self.role, open_detail=False)
        roles.focus_table()
        self.title = "Compare"
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: RowTable.RowSelected) -> None:
        if event.data_table.id == "compare-roles" and event.row_key.value is not None:
            event.stop()
            self.show_role(event.row_key.value)

    # -- one role -------------------------------------------------------------------------

    def show_role(self, role: str, jd: str | None = None) -> None:
        """Compare `role`'s JDs (read in a worker), the cursor on `jd` (TRUST:REF) if given."""
        if jd is not None:
            self.wanted_jd = jd
        self.query_one(ContentSwitcher).current = "compare-role"
        if role != self.role or self.comparison is None:
            self.role = role
            self.comparison = None
            self.marked = []
            self.query_one("#compare-jds-body").loading = True
            self.query_one("#compare-heading", Static).update(f"Reading {role}…")
            self.compare_role(role)
        self.query_one("#compare-jds", ListTable).focus()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def compare_role(self, role: str) -> None:
        from pathways.compare import UnknownName, load_role_comparison

        with catalogue_in_thread(self.db_path) as db:
            try:
                message = RoleCompared(role, load_role_comparison(db, role))
            except UnknownName as error:
                message = RoleCompared(role, None, str(error))
        if not cancelled():
            self.post_message(message)

    def on_role_compared(self, event: RoleCompared) -> None:
        if event.role != self.role:
            return  # another role was picked since
        self.query_one("#compare-jds-body").loading = False
        if event.comparison is None:
            self.query_one("#compare-heading", Static).update(event.problem)
            self.notify(event.problem, severity="error", markup=False)
            return
        self.comparison = event.comparison
        self.title = f"Compare: {event.comparison.role.title}"
        self.redraw()
        if self.wanted_jd:
            self.query_one("#compare-jds", ListTable).move_to_key(self.wanted_jd)
            self.wanted_jd = None

    def worker_failed(self) -> None:
        self.query_one("#compare-jds-body").loading = False

    @property
    def filter_text(self) -> str:
        return self.query_one("#compare-role Input.filter", Input).value.strip()

    def redraw(self) -> None:
        """Both tables from the comparison, narrowed by the filter."""
        comparison = self.comparison
        if comparison is None:
            return
        from pathways.compare import jd_key
        from tui.widgets.compare_views import role_heading

        needle = self.filter_text.casefold()
        self.shown = [
            item
            for item in comparison.jds
            if needle in f"{jd_key(item.jd)}\n{item.jd.title}\n{item.jd.band}".casefold()
        ]
        self.query_one("#compare-heading", Static).update(role_heading(comparison, len(self.shown)))
        self._draw_jds()
        self._draw_matrix()

    def _draw_jds(self) -> None:
        from pathways.compare import jd_key
        from tui.widgets.compare_views import band_cell, number, vs_reference

        table = self.query_one("#compare-jds", ListTable)
        keep = table.highlighted_key()
        table.clear()
        for item in self.shown:
            jd, key = item.jd, jd_key(item.jd)
            table.add_row(
                Text(MARK if key in self.marked else "", style="bold"),
                cell(jd.trust),
                cell(jd.jd_ref),
                cell(jd.title),  # literal: "[bold]X" shows its brackets
                band_cell(item),
                cell(number(jd.wte_funded), right=True),
                cell(number(jd.wte_in_post), right=True),
                cell(number(jd.je_score), right=True),
                cell(vs_reference(item)),
                key=key,
            )
        if keep is not None:
            table.move_to_key(keep)
        self._update_status()

    def _draw_matrix(self) -> None:
        from pathways.compare import jd_key
        from tui.widgets.compare_views import matrix_heading, matrix_rows

        comparison = self.comparison
        assert comparison is not None
        by_trust: dict[str, list[str]] = {}
        for item in self.shown:
            by_trust.setdefault(item.jd.trust, []).append(jd_key(item.jd))
        trusts = list(by_trust)
        table = self.query_one("#compare-matrix", ListTable)
        table.clear(columns=True)
        # Laid out by leading spaces (the table pads on the right only).
        table.add_column(Text(" Competency"), key="name", width=NAME_WIDTH)
        table.add_column(Text("Ref"), key="ref", width=4)
        for trust in trusts:
            table.add_column(Text(f" {trust}"), key=f"trust-{trust}", width=4)
        table.add_column(Text("    JDs"), key="jds", width=9)
        # By group over the JDs shown: asked by only some, by every one, then the reference
        # role's that none asks for.
        rows = matrix_rows(comparison, trusts, by_trust)
        for _, cells, key in rows:
            table.add_row(*cells, key=key)
        heading = matrix_heading([group for group, _, _ in rows])
        self.query_one("#matrix-heading", Static).update(heading)

    def _update_status(self) -> None:
        from pathways.figures import count_text

        comparison = self.comparison
        total = len(comparison.jds) if comparison else 0
        if self.filter_text:
            shown = len(self.shown)
            verb = "contains" if shown == 1 else "contain"
            status = f"{shown:,} of {count_text(total, 'JD')} {verb} “{self.filter_text}”"
        else:
            status = count_text(total, "JD")
        if self.marked:
            status += f" · marked: {', '.join(self.marked)}"
            status += " · d: side by side" if len(self.marked) == 2 else " · mark one more"
        else:
            status += " · Space marks a JD, d sets two side by side"
        self.query_one("#compare-status", Static).update(status)

    @on(Input.Changed, "#compare-role Input.filter")
    def _filter_changed(self) -> None:
        if self._redraw_timer is not None:
            self._redraw_timer.stop()
            self._redraw_timer = None
        if self.comparison is not None and len(self.comparison.jds) > QUICK_REDRAW:
            # A role with thousands of JDs (a national catalogue) takes a moment to redraw:
            # wait for a pause in the typing rather than redraw at every key.
            self._redraw_timer = self.set_timer(0.2, self.redraw)
        else:
            self.redraw()

    @on(Input.Submitted, "#compare-role Input.filter")
    def _filter_done(self) -> None:
        self.query_one("#compare-jds", ListTable).focus()

    # -- marking and two JDs side by side ---------------------------------------------------

    def _comparing(self) -> bool:
        return self.query_one(ContentSwitcher).current == "compare-role"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "diff", "export", "focus_filter", "pick_role"):
            if not self.is_mounted or not self.query(ContentSwitcher):
                return True
            inputs = self.query("#compare-role Input.filter")
            typing = bool(inputs) and inputs.first().has_focus
            if action == "focus_filter":
                return self._comparing()
            if typing or not self._comparing():
                return False  # in the role list its own table's keys apply
        return True

    def action_mark(self) -> None:
        table = self.query_one("#compare-jds", ListTable)
        key = table.highlighted_key()
        if key is None or not self.query_one("#compare-jds").has_focus:
            return
        if key in self.marked:
            self.marked.remove(key)
        else:
            self.marked = [*self.marked, key][-2:]  # a third mark replaces the oldest
        self._draw_jds()

    def action_diff(self) -> None:
        keys = list(self.marked)
        if len(keys) == 1:
            under = self.query_one("#compare-jds", ListTable).highlighted_key()
            if under is not None and under != keys[0]:
                keys.append(under)
        if len(keys) != 2:
            self.notify("Mark two JDs with Space first (or one, and put the cursor on another).")
            return
        self.app.push_screen(PairScreen(self.db_path, keys[0], keys[1]))

    def action_pick_role(self) -> None:
        self.show_role_list()

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#compare-role Input.filter", Input))

    def action_back(self) -> None:
        if self._comparing():
            filter_input = self.query_one("#compare-role Input.filter", Input)
            if filter_input.has_focus or filter_input.value:
                filter_input.value = ""
                self.query_one("#compare-jds", ListTable).focus()
                return
        if len(self.app.screen_stack) > 1:
            self.dismiss()  # opened from another screen (a flag on Harmonise): back there
        elif self._comparing():
            self.show_role_list()

    def action_export(self, fmt: str = "csv") -> None:
        if self.comparison is None:
            return
        from tui.widgets.compare_views import role_rows

        self.start_export(
            role_rows(self.comparison, self.shown),
            noun="JDs",
            default_name=f"compare-{self.comparison.role.id}.{fmt}",
            toml_table="job",
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("compare: pick a role", "Compare another role", self.show_role_list)
        if self.comparison is not None:
            for fmt in ("csv", "toml"):
                yield SystemCommand(
                    f"export: compared JDs as {fmt.upper()}",
                    f"Write the JDs shown to a {fmt.upper()} file",
                    partial(self.action_export, fmt),
                )


class PairScreen(WorkforceScreen):
    """Two JDs side by side, with what differs marked."""

    DEFAULT_CSS = """
    PairScreen #pair-body {
        height: 1fr;
        padding: 0 1;
        /* The text is laid out for the width left beside the scrollbar, not under it. */
        scrollbar-gutter: stable;
    }
    """
    TITLE = "Compare two JDs"
    HELP_TEXT = """\
# Two JDs side by side

JD A (marked first) and JD B. **Fields**: title, role, band, WTE funded and in post and JE
score, those that differ marked ≠ (with how B stands to A, e.g. "B is 1 band higher").
**Competencies**: those only A asks for, only B, and both. **JE factor levels**: factor by
factor when both JDs have them, those that differ marked ≠. **Summary**: the two summaries
word by word, [-words only in A-] struck out and {+words only in B+} underlined.

Text from the JDs is shown exactly as imported. `e` writes the comparison to a CSV or TOML
file (as `workforce compare --jd A --jd B --format csv`).
"""
    WIDGET_KEYS = (("up/down, page up/down", "Scroll"),)
    BINDINGS = [
        Binding("escape", "back", "Back", id="pair-back", tooltip="Back to the role's JDs"),
        Binding("e", "export", "Export", id="pair-export", tooltip="Write the comparison"),
    ]

    def __init__(self, db_path: Path, key_a: str, key_b: str) -> None:
        super().__init__(db_path)
        self.keys = (key_a, key_b)
        self.pair: PairComparison | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="pair-body") as body:
            body.loading = True
            yield Static("", id="pair-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Compare {self.keys[0]} and {self.keys[1]}"
        self.compare_pair()

    @work(thread=True, exclusive=True, group="pair", exit_on_error=False)
    def compare_pair(self) -> None:
        from pathways.compare import competency_names, load_pair_comparison

        with catalogue_in_thread(self.db_path) as db:
            pair = load_pair_comparison(db, *self.keys)
            names = competency_names(db)
        if not cancelled():
            self.post_message(PairCompared(pair, names))

    def on_pair_compared(self, event: PairCompared) -> None:
        from tui.widgets.compare_views import render_pair

        self.pair = event.pair
        body = self.query_one("#pair-body", VerticalScroll)
        body.loading = False
        self.query_one("#pair-text", Static).update(render_pair(event.pair, event.names))
        body.focus()

    def worker_failed(self) -> None:
        self.query_one("#pair-body").loading = False

    def action_back(self) -> None:
        self.dismiss()

    def action_export(self, fmt: str = "csv") -> None:
        if self.pair is None:
            return
        from tui.widgets.compare_views import pair_rows

        a, b = (key.replace(":", "_").replace("/", "_") for key in self.keys)
        self.start_export(
            pair_rows(self.pair),
            noun="rows of the comparison",
            default_name=f"compare-{a}-{b}.{fmt}",
            toml_table="difference",
        )
