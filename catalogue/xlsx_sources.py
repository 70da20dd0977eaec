"""Reading posts from a trust's Excel workbook (.xlsx): an establishment or census return.

Such a workbook has a title row or two, then a header row, then a row per post (or per job
title and band), bands typed every way, and a total row at the foot. The reader finds the
header row by its column names (data: `catalogue/data/document_labels.toml`, [columns]), maps
the columns it knows and says which it did not use, skips blank and total rows, and reads each
row as a JD row for the importer. openpyxl's read-only mode keeps memory flat on large files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from catalogue.document_labels import label_key, load_labels
from catalogue.document_read import band_note, find_band, plain_text, title_without_band
from catalogue.errors import ImportProblem
from catalogue.jd_format import PAY_FIELDS
from catalogue.jd_pay import read_pay_text
from catalogue.jd_sources import SourceRow

HEADER_SEARCH_ROWS = 30  # how far down a sheet the header row may stand
_TOTAL = re.compile(r"^\s*(grand\s+)?(sub[\s-]?)?totals?\b", re.IGNORECASE)


@dataclass
class SheetRead:
    """The rows read from one sheet, and what the reader decided on the way."""

    file: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # column as written -> field
    unused: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "row 40 (a total row)"
    notes: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        mapped = ", ".join(f"{column!r} -> {name}" for column, name in self.columns.items())
        lines = [f"sheet {self.sheet!r}, header on row {self.header_row}: {mapped}"]
        if self.unused:
            lines.append("columns not used: " + ", ".join(repr(c) for c in self.unused))
        lines.append(f"{len(self.rows)} posts read")
        if self.skipped:
            lines.append("skipped: " + "; ".join(self.skipped))
        return lines + self.notes


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()  # a date cell: openpyxl reads every date as a datetime
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return plain_text(str(value))


def _header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[int, str]] | None:
    """The header row (1-based) and the field of each column it names: the row naming the most
    known columns, with a job title among them."""
    columns = load_labels().columns
    best: tuple[int, dict[int, str]] | None = None
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        mapped: dict[int, str] = {}
        for index, value in enumerate(row):
            name = columns.get(label_key(_text(value)))
            if name and name not in mapped.values():
                mapped[index] = name
        enough = "title" in mapped.values() and len(mapped) >= 2
        if enough and (best is None or len(mapped) > len(best[1])):
            best = (number, mapped)
    return best


def read_xlsx(
    path: Path,
    *,
    trust: str | None = None,
    sheet: str | None = None,
    trust_names: Mapping[str, str] | None = None,
) -> SheetRead:
    """Read the posts of the workbook's one establishment sheet (or `sheet`). With no trust
    column and no `trust`, a trust named in the title rows (`trust_names`: lower-cased name ->
    code) is the trust."""
    from openpyxl import load_workbook  # deferred: start-up time
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportProblem(
            name, "", None, "not an Excel workbook (.xlsx) that can be read"
        ) from error
    try:
        candidates = []
        for worksheet in workbook.worksheets:
            if sheet is not None and worksheet.title != sheet:
                continue
            rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            header = _header(rows)
            if header is not None:
                candidates.append((worksheet.title, rows, header))
        titles = [ws.title for ws in workbook.worksheets]
    finally:
        workbook.close()
    if sheet is not None and sheet not in titles:
        raise ImportProblem(
            name, "", None, f"no sheet {sheet!r} (sheets: {', '.join(repr(t) for t in titles)})"
        )
    if not candidates:
        where = f"sheet {sheet!r}" if sheet else "no sheet"
        raise ImportProblem(
            name,
            "",
            None,
            f"{where} has a header row naming a job title and another known column (such as "
            "'Job Title' and 'Band'): see the README for the column names understood",
        )
    if len(candidates) > 1:
        listed = ", ".join(repr(title) for title, _, _ in candidates)
        raise ImportProblem(
            name, "", None, f"several sheets hold posts ({listed}): choose one with --sheet NAME"
        )
    title, rows, (header_row, mapped) = candidates[0]
    where = ""
    if trust is None and "trust" not in mapped.values():
        trust, where = _trust_in_titles(rows[: header_row - 1], trust_names or {})
    read = _sheet_rows(name, title, rows, header_row, mapped, trust)
    if where:
        read.notes.append(f"trust {trust}: {where}")
    return read


def _add_wte(first: SourceRow, again: dict[str, Any], number: int, read: SheetRead) -> None:
    for name in ("wte_funded", "wte_in_post"):
        total = 0.0
        for values in (first.values, again):
            text = str(values.get(name) or "").strip()
            try:
                total += float(text) if text else 0.0
            except ValueError:
                return  # not a number: the importer will name the cell
        if first.values.get(name) or again.get(name):
            first.values[name] = f"{total:g}"
    first_row = first.where.rsplit(" row ", 1)[-1]
    read.notes.append(
        f"row {number}: the same title and band as row {first_row}, and no reference column: "
        "read as one post, its WTE added"
    )


def _read_pay(
    values: dict[str, Any],
    row: Sequence[Any],
    mapped: Mapping[int, str],
    number: int,
    read: SheetRead,
) -> None:
    """A row's pay cells as the importer takes them, anything assumed said aloud. A premium
    cell formatted as a percentage holds a fraction (0.1 for 10%): read as that percentage."""
    for index, name in mapped.items():
        if name not in PAY_FIELDS or index >= len(row):
            continue
        cell = row[index]
        if name == "rrp" and isinstance(cell, float) and 0 < cell < 1:
            values[name] = f"{cell * 100:g}%"
            read.notes.append(f"row {number}: rrp {cell:g} read as a percentage, {values[name]}")
            continue
        text = values.get(name)
        if isinstance(text, str) and text:
            values[name], note = read_pay_text(name, text)
            if note:
                read.notes.append(f"row {number}: {note}")


def _trust_in_titles(
    rows: Sequence[Sequence[Any]], trust_names: Mapping[str, str]
) -> tuple[str | None, str]:
    for number, row in enumerate(rows, start=1):
        for value in row:
            text = _text(value).lower()
            for trust_name, code in trust_names.items():
                if text and trust_name in text:
                    return code, f"named in the title on row {number}"
    return None, ""


def _sheet_rows(
    name: str,
    title: str,
    rows: Sequence[Sequence[Any]],
    header_row: int,
    mapped: dict[int, str],
    trust: str | None,
) -> SheetRead:
    header = [_text(value) for value in rows[header_row - 1]]
    read = SheetRead(
        file=name,
        sheet=title,
        header_row=header_row,
        columns={header[index]: field_name for index, field_name in mapped.items()},
        unused=[text for index, text in enumerate(header) if text and index not in mapped],
    )
    fields = set(mapped.values())
    if "trust" not in fields and trust is None:
        raise ImportProblem(
            name,
            f"sheet {title!r}",
            None,
            "no trust column: name the trust with --trust CODE",
        )
    made_refs: dict[str, int] = {}
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        cells = {
            field_name: _text(row[index]) if index < len(row) else ""
            for index, field_name in mapped.items()
        }
        where = f"sheet {title!r} row {number}"
        if not any(_text(value) for value in row):
            continue
        if any(_TOTAL.match(_text(value)) for value in row):
            read.skipped.append(f"row {number} (a total row)")
            continue
        if not cells.get("title"):
            read.skipped.append(f"row {number} (no job title)")
            continue
        values: dict[str, Any] = dict(cells)
        if trust is not None:
            values["trust"] = trust
        band_text = cells.get("band", "")
        band = find_band(band_text, bare=True) if band_text else find_band(cells["title"])
        values["band"] = band if band is not None else band_text
        note = band_note(band_text, band) if band_text else None
        if note:
            read.notes.append(f"row {number}: {note}")
        values["title"] = title_without_band(cells["title"])
        _read_pay(values, row, mapped, number, read)
        if not cells.get("jd_ref"):
            # No reference column: a post is known by its title and band, kept stable so the
            # same workbook imports again as the same posts.
            base = re.sub(r"[^0-9A-Za-z]+", "-", f"{values['title']}-B{band or 'X'}").strip("-")
            values["jd_ref"] = base.upper()
            if base in made_refs:
                # The same title and band again: one post with the WTE of both rows, as a
                # row number would not say which is which when the rows move next month.
                _add_wte(read.rows[made_refs[base]], values, number, read)
                continue
            made_refs[base] = len(read.rows)
        read.rows.append(SourceRow(name, where, values))
    if made_refs:
        read.notes.append(
            "no reference column: each post's reference is made from its title and band "
            "(e.g. " + repr(next(iter(made_refs)).upper()) + ")"
        )
    return read
