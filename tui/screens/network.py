"""The Network screen, the app's first: the network's trusts by ICB and the JDs loaded."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.screens.help import HelpScreen

HELP = """\
# Network

The trusts of the imaging network, grouped by their integrated care board (ICB), with the
number of job descriptions (JDs) the catalogue holds for each.

JDs shipped with the app are **illustrative**, not real posts: the line above the table says
so whenever they are shown. Load your own with `workforce import FILE`.

| key | does |
| --- | --- |
| `?` | this help |
| `ctrl+q` | quit |
"""


class NetworkScreen(Screen[None]):
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Help for this screen"),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="catalogue-label", markup=False)
        yield Static("", id="illustrative-warning", markup=False)
        table: DataTable[Text] = DataTable(id="trusts", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#trusts", DataTable)
        table.add_columns("ICB", "ODS", "Trust", "JDs")
        self.load_trusts()

    @work(thread=True, exclusive=True, group="network")
    def load_trusts(self) -> None:
        # SQLite connections belong to the thread that opened them: open one here.
        from catalogue import queries
        from catalogue.store import open_catalogue

        db = open_catalogue(self.db_path)
        try:
            trusts = queries.list_trusts(db)
            total = queries.count_jds(db)
            illustrative = queries.illustrative_jds(db)
        finally:
            db.close()
        self.app.call_from_thread(self._show, trusts, total, illustrative)

    def _show(self, trusts: list[dict[str, object]], total: int, illustrative: int) -> None:
        label = self.query_one("#catalogue-label", Static)
        label.update(f"Catalogue {self.db_path}: {len(trusts)} trusts, {total} JDs")
        warning = self.query_one("#illustrative-warning", Static)
        warning.update(
            f"{illustrative} of these JDs are ILLUSTRATIVE, not real posts" if illustrative else ""
        )
        table = self.query_one("#trusts", DataTable)
        for trust in trusts:
            # Text, not str: DataTable reads a str cell as markup, and names are data.
            table.add_row(
                Text(str(trust["icb"])),
                Text(str(trust["code"])),
                Text(str(trust["name"])),
                Text(str(trust["jds"]), justify="right"),
                key=str(trust["code"]),
            )
        table.loading = False

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(HELP))
