"""Printing rows for people (a Rich table) or machines (JSON, CSV).

Rich is imported only when a table is printed, so machine formats start fast. Cell text is
wrapped in `Text` so that data such as "[bold]" is printed literally, never read as markup.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from catalogue.control_characters import visible

Row = dict[str, Any]
OUTPUT_FORMATS = ("table", "json", "csv")


def emit(
    rows: Iterable[Row],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    out: TextIO | None = None,
) -> None:
    """Print rows as a table, JSON or CSV; `columns` picks and orders the table's columns."""
    stream = out or sys.stdout
    rows = list(rows)
    if fmt == "json":
        stream.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from catalogue.export import rows_to_csv  # deferred: it loads sqlite_utils (start-up)

        stream.write(rows_to_csv(rows, list(columns) if columns else None))
    else:
        print_table(rows, columns=columns, title=title, caption=caption, out=stream)


def print_table(
    rows: list[Row],
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    out: TextIO | None = None,
) -> None:
    from rich.console import Console  # deferred: Rich costs start-up time JSON output need not pay
    from rich.table import Table
    from rich.text import Text

    names = list(columns) if columns else (list(rows[0]) if rows else [])
    table = Table(title=title, caption=caption, header_style="bold", expand=False)
    for name in names:
        numeric = bool(rows) and all(
            isinstance(row.get(name), int | float) or row.get(name) is None for row in rows
        )
        # fold, not ellipsis: an id cut short with "…" is an id nobody can type.
        table.add_column(
            name.replace("_", " "), justify="right" if numeric else "left", overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(visible(_cell(row.get(name)))) for name in names))
    stream = out or sys.stdout
    # Piped output has no terminal width; give it room rather than Rich's 80 columns.
    width = None if stream.isatty() else 200
    Console(file=stream, width=width).print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_json(data: object, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# Rich's own styling (Select Graphic Rendition: colour, bold) is the one escape sequence let
# through to a terminal; it changes only how text looks.
_STYLE = re.compile(r"\x1b\[[0-9;]*m")


class SafeStream:
    """A terminal stream that shows any other control character visibly, so text from files
    (a JD titled with an escape sequence that clears the screen, sets the window title or
    hides a link) cannot drive the terminal, whichever command prints it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        parts = []
        last = 0
        for match in _STYLE.finditer(text):
            parts.append(visible(text[last : match.start()]))
            parts.append(match.group())
            last = match.end()
        parts.append(visible(text[last:]))
        self._stream.write("".join(parts))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding ...
        return getattr(self._stream, name)


@contextmanager
def safe_terminal() -> Iterator[None]:
    """Standard error, and standard output when it is a terminal, shown safely while a
    command runs. Output to a pipe or file is left exact (an export is data)."""
    saved = sys.stdout, sys.stderr
    if sys.stdout.isatty():
        sys.stdout = SafeStream(sys.stdout)
    sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
