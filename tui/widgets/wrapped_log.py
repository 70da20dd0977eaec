"""A read-only list of text lines, each wrapped to the widget's width with a hanging indent.

Built on Textual's Log, which draws only the lines in view: a file refused for twenty thousand
rows lists every problem and still scrolls at once (a Static would lay all of them out first,
for a second or more on the UI thread). Lines are plain text, shown literally, never markup;
they can be selected with the mouse and copied.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from textual.events import Resize
from textual.widgets import Log


class WrappedLog(Log):
    """Lines wrapped at the widget's width; a wrapped line's continuation is indented
    `hanging` columns further than its start, so each line stays one block."""

    def __init__(self, *, hanging: int = 4, **kwargs: Any) -> None:
        super().__init__(auto_scroll=False, **kwargs)
        self.hanging = hanging
        self.source: list[str] = []  # the lines as given, before wrapping
        self._wrapped_at = 0  # the width they were last wrapped at (0: not yet)

    def set_lines(self, lines: Sequence[str]) -> None:
        """Show these lines (replacing any shown), from the top."""
        self.source = list(lines)
        self._wrapped_at = 0
        self._rewrap()

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _rewrap(self) -> None:
        width = self._content_width()
        if width <= self.hanging + 10:  # not laid out yet (or hidden): wrap once it is
            return
        self._wrapped_at = width
        wrapped: list[str] = []
        for line in self.source:
            lead = len(line) - len(line.lstrip(" "))
            wrapped += textwrap.wrap(
                line,
                width=width,
                subsequent_indent=" " * (lead + self.hanging),
                break_on_hyphens=False,
                drop_whitespace=True,
            ) or [""]
        self.clear()
        self.write_lines(wrapped)
        self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        if self.source and self._content_width() != self._wrapped_at:
            self._rewrap()
