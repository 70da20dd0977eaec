"""The app's table: a DataTable whose Enter is shown in the footer as opening the row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Text, TextType
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import DataTable
from textual.widgets.data_table import Column, RowDoesNotExist, RowKey

from catalogue.control_characters import visible
from tui.fitting import ELLIPSIS, cut_at_word
from tui.widgets.centring import CentredUntilUserMoves


class RowTable(CentredUntilUserMoves, DataTable[Text]):
    """A row-cursor table of literal text cells (DataTable reads a str cell as markup, and
    our cells are data, so they are always given as Text).

    A table given `shrink_to_fit` fits its width by narrowing only the text columns named
    (titles, names): every other column, the figures, is always shown whole."""

    BINDINGS = [
        Binding(
            "enter", "select_cursor", "Open", id="open-row", tooltip="Open the highlighted row"
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._elastic: dict[str, int] = {}  # column key -> the narrowest it may be made
        self._fit_queued = False
        # A row chosen for the user (a deep link): kept centred while the table gets its
        # size, until the user moves. Where it ended otherwise depended on timing.
        self._centre_on: str | None = None

    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor, or None in an empty table."""
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return row_key.value

    def move_to_key(self, key: str, *, centre: bool = False) -> bool:
        """Put the cursor on the row with this key; False if there is none. `centre`: show
        it in the middle of the table (a row chosen for the user, who has not seen it yet)."""
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:  # filtered out, or never there
            return False
        self.move_cursor(row=index)
        if centre:
            self._centre_on, self._centring = key, True
            self.call_after_refresh(self.centre_again)
        return True

    def centre_again(self) -> None:
        if not self._centring or self._centre_on is None:
            return
        try:
            index = self.get_row_index(self._centre_on)
        except RowDoesNotExist:
            self._centre_on = None
            return
        top = sum(row.height for row in self.ordered_rows[:index])
        header = self.header_height if self.show_header else 0
        visible = max(self.scrollable_content_region.height - header, 1)
        self.scroll_to(y=max(top - visible // 2, 0), animate=False, immediate=True)

    # -- fitting the width ---------------------------------------------------------------

    def shrink_to_fit(self, columns: Mapping[str, int]) -> None:
        """From now on fit the table to its width by narrowing these text columns (column
        key -> the narrowest each may be made), and no others.

        Otherwise a DataTable wider than its widget scrolls sideways, and the columns past
        the edge are cut with no sign (£144,262 shows as "£144") or not seen at all. Here the
        other columns keep their full width, and the named ones share what is left (each as
        wide as its longest cell if there is room); a cell cut short ends in "…" (`cell`).
        Only when even the narrowest widths do not fit does the table scroll sideways."""
        self._elastic = dict(columns)
        self._queue_fit()

    def add_row(
        self,
        *cells: Text,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._queue_fit()  # a longer cell may want more room
        return row_key

    def clear(self, columns: bool = False) -> Self:
        super().clear(columns)
        self._queue_fit()
        return self

    def on_resize(self, event: Resize) -> None:
        self._queue_fit()  # also when a hidden tab is first shown: its width was 0
        self.call_after_refresh(self.centre_again)

    def watch_show_vertical_scrollbar(self) -> None:
        self._queue_fit()  # the scrollbar takes its width from the columns

    def _queue_fit(self) -> None:
        # Once after a batch of rows (a page is a hundred add_row calls), not per row.
        if self._elastic and not self._fit_queued and self.is_attached:
            self._fit_queued = True
            self.call_later(self._fit)

    def _fit(self) -> None:
        self._fit_queued = False
        scrollbar = self.styles.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
        width = self.size.width - scrollbar
        if not self._elastic or width <= 0:
            return  # not shown yet (a tab not chosen): fitted when it is resized
        padding = 2 * self.cell_padding
        elastic: dict[str, int] = {}  # the shrinking columns' natural widths
        taken = 0  # by the other columns, and by every column's padding
        for key, column in self.columns.items():
            wanted = _natural_width(column, self.get_column(key))
            if key.value is not None and key.value in self._elastic:
                elastic[key.value] = wanted
                taken += padding
            elif column.auto_width:
                # As DataTable will draw it: its measure only grows (clear() keeps it).
                taken += padding + max(wanted, column.content_width)
            else:
                taken += padding + column.width
        widths = shared_widths(elastic, width - taken, self._elastic)
        changed = False
        for key, column in self.columns.items():
            fitted = widths.get(key.value) if key.value is not None else None
            if fitted is not None and (column.auto_width or column.width != fitted):
                column.auto_width, column.width = False, fitted
                changed = True
        if changed:
            # DataTable has no public call to lay out again after a column's width is set:
            # these are what its own width and padding changes do.
            self._clear_caches()
            self._require_update_dimensions = True
            self.check_idle()
            self.refresh()


def _natural_width(column: Column, cells: Iterable[object]) -> int:
    """The width a column's label and cells need to be shown whole."""
    widths = [column.label.cell_len]
    for value in cells:
        widths.append(value.cell_len if isinstance(value, Text) else len(str(value)))
    return max(widths)


def shared_widths(
    natural: Mapping[str, int], room: int, floors: Mapping[str, int]
) -> dict[str, int]:
    """Share `room` cells among columns that want `natural` widths: the narrowest first take
    what they want, the rest share what is left equally; none below its floor (nor above
    what it wants)."""
    widths: dict[str, int] = {}
    left = max(room, 0)
    ordered = sorted(natural, key=lambda key: natural[key])
    for place, key in enumerate(ordered):
        share = -(-left // (len(ordered) - place))  # rounded up: the rest add up to `left`
        width = min(natural[key], share)
        left -= width
        widths[key] = min(natural[key], max(width, floors.get(key, 1)))
    return widths


class ListTable(RowTable):
    """A RowTable whose rows open nothing (yet): Enter is not offered in the footer."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="open-row", show=False),
    ]


def cell(value: object, *, right: bool = False) -> Text:
    """A table cell showing `value` literally ('' for None); numbers are set `right`.
    A control character (from a file's name, say) is shown as \\x1b, never acted on."""
    return WordCell(
        "" if value is None else visible(str(value)),
        justify="right" if right else "left",
        no_wrap=True,
        overflow="ellipsis",
    )


class WordCell(Text):
    """A cell's text that, cut short by its column's width, ends in "…" after its last whole
    word that fits ("Healthcare Science Assistant…"): seen to be cut, and never read as a
    word it is not ("Medic…")."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        if self.cell_len <= options.max_width:
            yield from super().__rich_console__(console, options)
            return
        kept = len(cut_at_word(self.plain, options.max_width)) - len(ELLIPSIS)
        shown = self[:kept]  # the spans (styles) of what is kept go with it
        shown.append(ELLIPSIS)
        shown.justify, shown.no_wrap, shown.overflow = self.justify, True, "ellipsis"
        yield from shown.__rich_console__(console, options)


class ItemsCell(Text):
    """A cell listing items ("6: 6, 7: 17"). Cut short by its column's width it shows only
    the items that fit whole, then ", …": an item that is a figure is never shown cut."""

    def __init__(self, items: Sequence[str], separator: str = ", ") -> None:
        super().__init__(separator.join(items), no_wrap=True, overflow="ellipsis")
        self.items = tuple(items)
        self.separator = separator

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        if self.cell_len <= options.max_width:
            yield from super().__rich_console__(console, options)
            return
        more = f"{self.separator}…" if self.items else "…"
        shown: list[str] = []
        for item in self.items:
            if Text(self.separator.join([*shown, item]) + more).cell_len > options.max_width:
                break
            shown.append(item)
        text = self.separator.join(shown) + more if shown else "…"
        yield from Text(text, style=self.style, no_wrap=True, overflow="ellipsis").__rich_console__(
            console, options
        )
