"""The Network screen, the app's first: the network's trusts by ICB and the JDs loaded.

Enter on a trust opens its posts (tui/screens/trust_posts.py), read a page at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.widgets import Header, Static

from catalogue import queries  # light: sqlite3 alone (the first screen reads with it)
from pathways.figures import count_text
from tui.background import cancelled, reader_in_thread
from tui.messages import TrustsLoaded
from tui.screens.base import WorkforceScreen
from tui.table_specs import TRUSTS
from tui.widgets.filter_table import FilterTable
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import RowTable

HELP = """\
# Network

The trusts of the imaging network, grouped by their integrated care board (ICB), with the
number of job descriptions (JDs) the catalogue holds for each. Press Enter on a trust to see
its posts: reference, local title, reference role, band and WTE funded and in post.

JDs shipped with the app are **illustrative**, not real posts: the line above the table and
the header say so whenever they are shown. Load your own with `workforce import FILE`.

Below the trusts, once read:

- **Banding flags**: the JDs whose band differs from the role's modal band, from the reference
  role's range or from their own JE score, counted by severity (*high*: a JE disagreement or
  two bands or more away; *warn*: one band) with the WTE in post, and the five biggest
  (`workforce variation` lists them all).
- **Vacancy rate by staff group**: WTE funded but not in post, as a share of WTE funded; the
  mark `┃` is the national rate of the group's roles that have one (*no national figure*
  where none has). `workforce gap --by staff-group` gives the figures like for like.

`/` filters the trusts (on any column), `s` sorts them, `e` writes those shown to a file.
"""

SUMMARY_DELAY = 0.1  # seconds from the trusts being shown to the summary being read

# The trusts as the Catalogue lists them; here Enter opens a trust's posts, not its detail,
# and the screen reads the rows itself (with the JD counts for the lines above them).
NETWORK_TRUSTS = replace(TRUSTS, load=None, detail=None)


class NetworkScreen(WorkforceScreen):
    DEFAULT_CSS = """
    NetworkScreen #summary-placeholder {
        height: 13;  /* the summary's height (tui/widgets/network_summary.py) */
        border-top: solid $primary 50%;
        padding: 0 1;
        color: $text-muted;
    }
    """
    AUTO_FOCUS = "RowTable"  # the table, not the filter above it: keys work at once
    TITLE = "Network"
    HELP_TEXT = HELP
    WIDGET_KEYS = (("up/down", "Move between trusts"), ("enter", "Open the trust's posts"))
    HELP_WIDGETS = (FilterTable,)

    def __init__(self, db_path: Path, *, trust: str | None = None) -> None:
        super().__init__(db_path)
        self.selected_trust = trust  # a deep link: open this trust's posts once loaded
        self.trust_names: dict[str, str] = {}
        self._trusts_requested = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="catalogue-label", markup=False)
        yield Static("", id="illustrative-warning", markup=False)
        yield FilterTable(NETWORK_TRUSTS, self.db_path, table_id="trusts", loading=True)
        # Below the table, a moment after the trusts are shown: banding flags and vacancy rates
        # (tui/widgets/network_summary.py). Until then a line holds its place, so the table
        # does not jump when it comes, and the first screen pays for none of it.
        yield Static(
            "Banding flags and vacancy rates by staff group: reading…",
            id="summary-placeholder",
            markup=False,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        # (AUTO_FOCUS gives the table the keys: it is focusable while its rows are read.)
        # The app reads how many JDs are illustrative (for the header too): show it when known.
        self.watch(self.app, "illustrative_jds", self._show_illustrative)

    def on_screen_resume(self) -> None:
        # Read the trusts when first shown: the app builds this screen (its first) even when a
        # deep link opens another, which should not pay for reading them.
        if not self._trusts_requested:
            self._trusts_requested = True
            self.load_trusts()

    def show_catalogue_afresh(self) -> None:
        if self._trusts_requested:
            self.load_trusts()  # shown where the cursor, filter and sort were
        from tui.widgets.network_summary import NetworkSummary

        for summary in self.query(NetworkSummary):
            summary.summarise()

    def _show_illustrative(self, illustrative: int | None) -> None:
        self.query_one("#illustrative-warning", Static).update(
            (
                f"{illustrative:,} of these JDs {'is' if illustrative == 1 else 'are'} "
                "ILLUSTRATIVE, not real posts"
            )
            if illustrative
            else ""
        )

    @work(thread=True, exclusive=True, group="network", exit_on_error=False)
    def load_trusts(self) -> None:
        with reader_in_thread(self.db_path) as db:
            trusts = queries.list_trusts(db)
        if not cancelled():
            self.post_message(TrustsLoaded(trusts))

    def on_trusts_loaded(self, event: TrustsLoaded) -> None:
        # Every JD belongs to a trust (the schema requires it): their counts add up to all.
        total = sum(int(trust["jds"]) for trust in event.trusts)
        label = self.query_one("#catalogue-label", Static)
        label.update(
            f"Catalogue {self.db_path}: {count_text(len(event.trusts), 'trust')}, "
            f"{count_text(total, 'JD')}"
        )
        self.trust_names = {str(trust["code"]): str(trust["name"]) for trust in event.trusts}
        self.query_one(FilterTable).show_rows(event.trusts)
        if self.query("#summary-placeholder"):
            self.show_summary_soon()
        if self.selected_trust and self.query_one("#trusts", RowTable).move_to_key(
            self.selected_trust
        ):
            self.open_posts(self.selected_trust)
        self.selected_trust = None

    @work(exclusive=True, group="network-summary-delay", exit_on_error=False)
    async def show_summary_soon(self) -> None:
        """The summary in a moment, not now: the table is drawn and answers keys first, and
        the analyses' thread worker does not compete with it (for the GIL) meanwhile.

        An asyncio worker rather than a timer: it is seen waiting (tests wait for it, as for
        any worker) and is cancelled at once if the app quits first (a thread worker started
        would be waited for)."""
        await asyncio.sleep(SUMMARY_DELAY)
        self.show_summary()

    def show_summary(self) -> None:
        """Put the summary in the placeholder's place; it reads itself once mounted."""
        from tui.widgets.network_summary import NetworkSummary  # deferred: after the table

        for placeholder in self.query("#summary-placeholder"):
            self.mount(NetworkSummary(self.db_path), after=placeholder)
            placeholder.remove()

    def worker_failed(self) -> None:
        self.query_one(FilterTable).busy = False

    def on_data_table_row_selected(self, event: RowTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_posts(event.row_key.value)

    def open_posts(self, code: str) -> None:
        from tui.screens.trust_posts import TrustPostsScreen

        self.app.push_screen(TrustPostsScreen(self.db_path, code, self.trust_names.get(code, "")))

    def palette_commands(self) -> Iterable[SystemCommand]:
        table = self.query_one(FilterTable)
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: trusts as {fmt.upper()}",
                f"Write the trusts shown to a {fmt.upper()} file",
                partial(table.action_export, fmt),
            )
