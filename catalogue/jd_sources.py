"""Reading job description files (CSV, TOML, JSON) into raw rows that know where they came from.

Nothing here checks a value against the catalogue; it only turns a file into rows of named
fields, each carrying the file and line it came from, so that every later error can say
exactly where to look. Files are read as spreadsheets write them: UTF-8 with or without a
byte-order mark, CRLF or LF line ends, quoted fields with commas and line breaks inside.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import ImportProblem as ImportProblem
from catalogue.jd_format import FIELDS, REQUIRED_FIELDS


@dataclass(frozen=True)
class SourceRow:
    """One job description as written in a file, before it is checked."""

    file: str
    where: str  # "line 4", "[[job]] #3 (line 17)", "item 2 (line 9)"
    values: dict[str, Any]


SUPPORTED_SUFFIXES = (".csv", ".toml", ".json")


def read_source(path: Path) -> list[SourceRow]:
    """Read every job description row from a CSV, TOML or JSON file."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportProblem(
            name, "", None, f"unknown file type {suffix or '(none)'}: use .csv, .toml or .json"
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise ImportProblem(name, "", None, "file not found") from error
    except IsADirectoryError as error:
        raise ImportProblem(name, "", None, "is a folder, not a file") from error
    text = _decode(name, raw)
    if not text.strip():
        raise ImportProblem(name, "", None, "the file is empty")
    if suffix == ".csv":
        rows = _read_csv(name, text)
    elif suffix == ".toml":
        rows = _read_toml(name, text)
    else:
        rows = _read_json(name, text)
    if not rows:
        raise ImportProblem(name, "", None, "the file holds no job descriptions")
    return rows


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ImportProblem(
            name,
            f"line {line}",
            None,
            "the file is not UTF-8 text (in a spreadsheet, save it as 'CSV UTF-8')",
        ) from error


def check_columns(
    name: str, where: str, columns: list[str], required: tuple[str, ...] = REQUIRED_FIELDS
) -> None:
    """Refuse unknown, repeated or missing columns, suggesting the field that was meant."""
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if not column:
            raise ImportProblem(
                name, where, None, f"column {position} has no name (a stray comma in the header?)"
            )
        if column in seen:
            raise ImportProblem(name, where, column, "the column appears twice")
        seen.add(column)
        if column not in FIELDS:
            raise ImportProblem(name, where, column, f"unknown column{_suggest(column, FIELDS)}")
    for field in required:
        if field not in seen:
            raise ImportProblem(name, where, field, "is required but missing")


def _suggest(value: str, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _read_csv(name: str, text: str) -> list[SourceRow]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportProblem(name, "line 1", None, f"malformed CSV: {error}") from error
    columns = [column.strip().lower() for column in header]
    check_columns(name, "line 1", columns)
    rows: list[SourceRow] = []
    line = reader.line_num + 1  # the line the next record starts on
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportProblem(name, f"line {line}", None, f"malformed CSV: {error}") from error
        where = f"line {line}"
        line = reader.line_num + 1
        if not record or all(not cell.strip() for cell in record):
            continue  # blank lines, and rows of empty cells that spreadsheets leave behind
        if len(record) != len(columns):
            raise ImportProblem(
                name, where, None, f"{len(record)} fields, but the header has {len(columns)}"
            )
        rows.append(SourceRow(name, where, dict(zip(columns, record, strict=True))))
    return rows


_TOML_JOB_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*job[ \t]*\]\]", re.MULTILINE)


def _read_toml(name: str, text: str) -> list[SourceRow]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ImportProblem(name, "", None, f"not valid TOML: {error}") from error
    for key in doc:
        if key not in ("job", "meta"):
            raise ImportProblem(
                name, "", None, f"unexpected key or table '{key}': put each JD in a [[job]] table"
            )
    jobs = doc.get("job", [])
    if not isinstance(jobs, list):
        raise ImportProblem(name, "", None, "'job' must be an array of tables: write [[job]]")
    # tomllib keeps no positions; the n-th [[job]] header in the text is the n-th table.
    header_lines = [text.count("\n", 0, m.start()) + 1 for m in _TOML_JOB_HEADER.finditer(text)]
    rows = []
    for index, job in enumerate(jobs, start=1):
        line = header_lines[index - 1] if index <= len(header_lines) else None
        where = f"[[job]] #{index}" + (f" (line {line})" if line else "")
        rows.append(_object_row(name, where, job))
    return rows


def _read_json(name: str, text: str) -> list[SourceRow]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblem(
            name, f"line {error.lineno}", None, f"not valid JSON: {error.msg}"
        ) from error
    if not isinstance(doc, list):
        raise ImportProblem(name, "", None, "expected a JSON list of job description objects")
    starts = _json_item_lines(text)
    rows = []
    for index, item in enumerate(doc, start=1):
        line = starts[index - 1] if index <= len(starts) else None
        where = f"item {index}" + (f" (line {line})" if line else "")
        rows.append(_object_row(name, where, item))
    return rows


def _json_item_lines(text: str) -> list[int]:
    """The line each top-level list item starts on (json.loads keeps no positions)."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    lines: list[int] = []
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return lines
        lines.append(text.count("\n", 0, position) + 1)
        _, position = decoder.raw_decode(text, position)


def _object_row(name: str, where: str, item: object) -> SourceRow:
    if not isinstance(item, dict):
        raise ImportProblem(name, where, None, "each job description must be a table of fields")
    # A TOML or JSON record may leave out an empty band (a post on medical pay); the band
    # is then checked against the role like an empty CSV cell.
    required = tuple(f for f in REQUIRED_FIELDS if f != "band")
    check_columns(name, where, [str(key) for key in item], required)
    return SourceRow(name, where, dict(item))
