"""The app's table: a DataTable whose Enter is shown in the footer as opening the row."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class RowTable(DataTable[Text]):
    """A row-cursor table of literal text cells (DataTable reads a str cell as markup, and
    our cells are data, so they are always given as Text)."""

    BINDINGS = [
        Binding(
            "enter", "select_cursor", "Open", id="open-row", tooltip="Open the highlighted row"
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)

    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor, or None in an empty table."""
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return row_key.value

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with this key; False if there is none."""
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:  # filtered out, or never there
            return False
        self.move_cursor(row=index)
        return True


class ListTable(RowTable):
    """A RowTable whose rows open nothing (yet): Enter is not offered in the footer."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="open-row", show=False),
    ]


def cell(value: object, *, right: bool = False) -> Text:
    """A table cell showing `value` literally ('' for None); numbers are set `right`."""
    # A cell cut short by its column's width ends in "…", so it is seen to be cut.
    return Text(
        "" if value is None else str(value),
        justify="right" if right else "left",
        no_wrap=True,
        overflow="ellipsis",
    )
