"""Writing catalogue rows as CSV, JSON or TOML.

Exported JDs use the interchange format, so an export can be imported again unchanged
(CSV: competencies ;-separated and JE levels space-separated; TOML and JSON: lists). A JE level
keeps its sub-level letter: "4a" in CSV, "4a" among the numbers of a TOML or JSON list.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import tomli_w
from sqlite_utils import Database

from catalogue import queries

# The names and formats live apart so the command line can offer them cheaply; re-exported.
from catalogue.export_names import EXPORT_TABLES
from catalogue.export_names import FORMATS as FORMATS
from catalogue.jd_format import COMPETENCY_SEPARATOR, FORMULA_STARTS
from catalogue.je_levels import level_value, read_levels
from catalogue.reference_kinds import KINDS, Kind, load_rows

Row = dict[str, Any]


def _kind_rows(db: Database, kind: Kind) -> list[Row]:
    return load_rows(db, kind)


# How the rows of each export in EXPORT_TABLES are read.
_READERS: dict[str, Callable[[Database], Iterable[Row]]] = {
    "jds": lambda db: queries.iter_jds(db),
    "roles": queries.list_roles,
    "routes": queries.list_routes,
    "competencies": queries.list_competencies,
    "trusts": queries.list_trusts,
    "bands": lambda db: queries.list_bands(db),
    # The other kinds are exported exactly as they import (catalogue.reference_kinds).
    **{
        kind.plural: partial(_kind_rows, kind=kind)
        for kind in KINDS
        if kind.plural
        in (
            "icbs",
            "staff-groups",
            "pay-points",
            "role-competencies",
            "edges",
            "rates",
            "settings",
            "je-profiles",
        )
    },
}
# What `workforce export` can write: rows, and the TOML table name each row goes into.
# (A name in EXPORT_TABLES without a reader fails here, at import, not at export time.)
EXPORTS: dict[str, tuple[Callable[[Database], Iterable[Row]], str]] = {
    name: (_READERS[name], table) for name, table in EXPORT_TABLES.items()
}

# Columns that hold lists in the flat (CSV) form, and how they are separated there.
_LIST_FIELDS = {
    "competencies": COMPETENCY_SEPARATOR,
    "je_levels": " ",
    **{name: separator for kind in KINDS for name, separator in kind.lists.items()},
}


def _structured(row: Row) -> Row:
    """A row with list fields as lists (for TOML and JSON)."""
    out = dict(row)
    for name, separator in _LIST_FIELDS.items():
        if name in out and isinstance(out[name], str):
            items = [item for item in out[name].split(separator) if item]
            if name == "je_levels":
                # As the importer reads them: numbers, a lettered level ("4a") as its text.
                out[name] = [level_value(level) for level in read_levels(" ".join(items)) or ()]
            else:
                out[name] = items
    return out


def inert(text: str) -> str:
    """Text a spreadsheet would read as a formula (=, +, -, @, a tab or CR first: formula or
    "CSV" injection, e.g. =HYPERLINK(...)) with the usual leading apostrophe, which Excel
    shows as nothing and the importer takes off again (catalogue.jd_sources.read_cell)."""
    guarded = text[:1] == "'" and text[1:2] in FORMULA_STARTS and text[1:2]
    return "'" + text if (text[:1] and text[:1] in FORMULA_STARTS) or guarded else text


def rows_to_csv(rows: Iterable[Row], columns: list[str] | None = None) -> str:
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=columns or list(row), lineterminator="\r\n")
            writer.writeheader()
        writer.writerow({k: csv_cell(k, v) for k, v in row.items()})
    if writer is None and columns:
        csv.writer(buffer, lineterminator="\r\n").writerow(columns)
    return buffer.getvalue()


def csv_cell(name: str, value: object) -> object:
    """A value as a CSV cell: lists joined the way the importer splits them, text that a
    spreadsheet would run as a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = _LIST_FIELDS.get(name, ";").join(str(item) for item in value)
    return inert(value) if isinstance(value, str) else value


def rows_to_json(rows: Iterable[Row]) -> str:
    return json.dumps([_structured(row) for row in rows], indent=2, ensure_ascii=False) + "\n"


def rows_to_toml(rows: Iterable[Row], table: str) -> str:
    # TOML has no null: a missing value is left out of its table.
    records = [
        {k: v for k, v in _structured(row).items() if v is not None and v != ""} for row in rows
    ]
    return tomli_w.dumps({table: records})


def export_text(db: Database, what: str, fmt: str) -> str:
    """The whole export of `what` in format `fmt` as text."""
    fetch, table = EXPORTS[what]
    rows = fetch(db)
    if what == "settings":  # one table of settings, not a list of rows
        if fmt == "csv":
            raise ValueError("settings hold nested tables: export them as TOML or JSON")
        settings = list(rows)
        if fmt == "toml":
            return tomli_w.dumps({table: settings[0]} if settings else {})
    if fmt == "csv":
        columns = list(queries.JD_COLUMNS) if what == "jds" else None
        return rows_to_csv(rows, columns)
    if fmt == "json":
        return rows_to_json(rows)
    if fmt == "toml":
        return rows_to_toml(rows, table)
    raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
