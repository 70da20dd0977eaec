"""The baseline of the terminal app-start measure: a bare Textual app, run as a user runs ours.

    python benchmarks/bare_app.py

A Header, a DataTable of BARE_ROWS rows shaped like the Network screen's trusts (filled in
`on_mount`, so they are drawn in the first frames) and a Footer. It runs in the terminal it is
given, like `workforce tui`, until ctrl+q.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

# Codes the parent looks for in the terminal output: a row of the table has been drawn.
BARE_CODES = [f"BQ{number:02d}" for number in range(1, 21)]
BARE_ROWS = [
    ("QHL", code, f"Illustrative Hospitals {number} NHS Foundation Trust", str(100 * number))
    for number, code in enumerate(BARE_CODES, start=1)
]


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#table", DataTable)
        table.add_columns("ICB", "ODS", "Trust", "JDs")
        table.add_rows(BARE_ROWS)


if __name__ == "__main__":
    BareApp().run()
