"""Reading job description files (CSV, TOML, JSON) into raw rows that know where they came from.

Nothing here checks a value against the catalogue; it only turns a file into rows of named
fields, each carrying the file and line it came from, so that every later error can say
exactly where to look. Files are read as spreadsheets write them: UTF-8 with or without a
byte-order mark, CRLF or LF line ends, quoted fields with commas and line breaks inside, and
columns separated by commas or, as Excel writes "CSV" in many locales, by semicolons (or tabs).
Column headers and keys are matched as people type them: see `field_name`.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.control_characters import CONTROL_CHARACTERS
from catalogue.errors import ImportProblem as ImportProblem
from catalogue.errors import ImportRefused, Problems
from catalogue.jd_format import (
    ALL_FIELDS,
    FORMULA_STARTS,
    REQUIRED_FIELDS,
)


@dataclass(frozen=True)
class SourceRow:
    """One job description as written in a file, before it is checked."""

    file: str
    where: str  # "line 4", "[[job]] #3 (line 17)", "item 2 (line 9)"
    values: dict[str, Any]

    def __post_init__(self) -> None:
        for name, value in self.values.items():
            if isinstance(value, str):
                check_text(self.file, self.where, name, value)


def check_text(file: str, where: str, field: str, value: str) -> None:
    """ImportProblem for text no field may hold, from any file we read: a control character
    (an escape sequence in a title would drive the terminal of whoever lists it) or more
    than MAX_FIELD_CHARS characters."""
    control = CONTROL_CHARACTERS.search(value)
    if control:
        raise ImportProblem(
            file,
            where,
            field,
            f"holds a control character (U+{ord(control.group()):04X}) at position "
            f"{control.start() + 1}: only text, tabs and line breaks are kept",
        )
    if len(value) > MAX_FIELD_CHARS:
        raise ImportProblem(
            file,
            where,
            field,
            f"is {len(value):,} characters long: more than {MAX_FIELD_CHARS:,}, the most a "
            "field may hold",
        )


SUPPORTED_SUFFIXES = (".csv", ".toml", ".json")


def unknown_type(suffix: str) -> str:
    """Why a file of this type is not read, and what to do."""
    resave = {
        ".doc": "save it from Word as .docx",
        ".xls": "save it from Excel as .xlsx",
        ".pdf": "a PDF cannot be read: import the JD's Word file (.docx)",
        ".odt": "save it as .docx",
        ".ods": "save it as .xlsx",
        ".xlsm": "save it from Excel as .xlsx",
    }.get(suffix)
    known = "use .csv, .toml or .json, or a trust's Word (.docx) or Excel (.xlsx) file"
    return f"unknown file type {suffix or '(none)'}: " + (f"{resave}" if resave else known)


@dataclass(frozen=True)
class SourceText:
    """An import file read as text, with anything assumed to read it (an encoding)."""

    name: str
    suffix: str
    text: str
    notes: tuple[str, ...] = ()


# One limit for every import file, and one for any field in it, whatever the format: a field
# a CSV could not hold again (the csv module's own limit is 131,072) is refused from JSON and
# TOML too, so every export imports back.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_FIELD_CHARS = 100_000


def regular_file(path: Path) -> int:
    """The size of the regular file at `path`; ImportProblem for anything else (missing, a
    folder, a pipe or device that would block or never end, a link that loops) or too big."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise ImportProblem(name, "", None, "file not found") from error
    except OSError as error:  # a symbolic link loop, a name too long, no permission
        raise ImportProblem(
            name, "", None, f"cannot be read ({error.strerror or error})"
        ) from error
    if stat.S_ISDIR(info.st_mode):
        raise ImportProblem(name, "", None, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ImportProblem(name, "", None, "is not a regular file (a pipe or a device?)")
    if info.st_size > MAX_FILE_BYTES:
        raise ImportProblem(
            name,
            "",
            None,
            f"is {info.st_size:,} bytes: more than {MAX_FILE_BYTES:,}, the most read",
        )
    return info.st_size


def _unreadable(name: str, error: OSError) -> ImportProblem:
    return ImportProblem(name, "", None, f"cannot be read ({error.strerror or error})")


def source_text(path: Path) -> SourceText:
    """An import file's text; ImportProblem for a file that is missing, a folder, of an unknown
    type, not text in an encoding it may have, or empty."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportProblem(name, "", None, unknown_type(suffix))
    regular_file(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportProblem(
            name, "", None, f"cannot be read ({error.strerror or error})"
        ) from error
    text, notes = decode_text(name, raw, spreadsheet=suffix == ".csv")
    if not text.strip():
        raise ImportProblem(name, "", None, "the file is empty")
    return SourceText(name, suffix, text, notes)


# Python refuses to read an integer of more than 4,300 digits (a guard against slow parsing).
TOO_MANY_DIGITS = "a number of thousands of digits, more than any field holds"


def parse_toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ImportProblem(name, "", None, f"not valid TOML: {error}") from error
    except RecursionError as error:
        raise ImportProblem(name, "", None, "not valid TOML: nested too deeply") from error
    except ValueError as error:  # an integer of thousands of digits
        raise ImportProblem(name, "", None, f"not valid TOML: {TOO_MANY_DIGITS}") from error


def parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblem(
            name, f"line {error.lineno}", None, f"not valid JSON: {error.msg}"
        ) from error
    except RecursionError as error:
        raise ImportProblem(name, "", None, "not valid JSON: nested too deeply") from error
    except ValueError as error:  # an integer of thousands of digits
        raise ImportProblem(name, "", None, f"not valid JSON: {TOO_MANY_DIGITS}") from error


def read_source(path: Path) -> list[SourceRow]:
    """Read every job description row from a CSV, TOML or JSON file."""
    source = source_text(path)
    name, suffix, text = source.name, source.suffix, source.text
    if suffix == ".csv":
        rows = read_csv_rows(name, text)
    elif suffix == ".toml":
        rows = _read_toml(name, text)
    else:
        rows = _read_json(name, text)
    if not rows:
        raise ImportProblem(name, "", None, "the file holds no job descriptions")
    return rows


def decode_text(name: str, raw: bytes, *, spreadsheet: bool = False) -> tuple[str, tuple[str, ...]]:
    """A file's text as spreadsheets save it: UTF-8, with or without a byte-order mark, or,
    for a spreadsheet's CSV, Windows-1252 (what Excel's plain "CSV" writes), said aloud."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark (Excel's
        try:  # "Unicode Text")
            return raw.decode("utf-16"), ("read as UTF-16 text (it has a byte-order mark)",)
        except UnicodeDecodeError as error:
            raise ImportProblem(name, "", None, "not readable UTF-16 text") from error
    if b"\x00" in raw:
        if raw.count(b"\x00") * 3 > len(raw) and raw.strip(b"\x00"):
            why = "looks like UTF-16 text without a byte-order mark: save it as " + (
                "'CSV UTF-8'" if spreadsheet else "UTF-8"
            )
        else:
            why = "holds NUL bytes: it is not a text file"
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ImportProblem(name, f"line {line}", None, why)
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError as error:
        if spreadsheet:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                pass
            else:
                return text, (
                    "not UTF-8: read as Windows-1252, the encoding Excel's plain "
                    "'CSV' uses (save as 'CSV UTF-8' to be sure of every character)",
                )
        line = raw.count(b"\n", 0, error.start) + 1
        raise ImportProblem(
            name,
            f"line {line}",
            None,
            "the file is not UTF-8 text (in a spreadsheet, save it as 'CSV UTF-8')",
        ) from error


def field_name(written: str) -> str:
    """The field a CSV column header, TOML key or JSON key names, as people write it.

    A deliberate normalisation: case is ignored and runs of spaces, hyphens and underscores
    count as one underscore, so "JD Ref", "jd-ref" and "JD_REF" all name jd_ref. Spreadsheet
    users title their headers ("Trust", "WTE Funded"); accepting "Trust" but not "WTE Funded"
    would be a rule nobody could guess. Two headers that name the same field are refused.
    """
    return re.sub(r"[\s_-]+", "_", written.strip().lower())


def check_columns(
    name: str,
    where: str,
    written: Sequence[str],
    required: tuple[str, ...] = REQUIRED_FIELDS,
    *,
    noun: str = "column",
    separator: str | None = ",",
    known: Sequence[str] = ALL_FIELDS,
) -> list[str]:
    """The field each column (or key) names; refuse unknown, repeated or missing ones.

    Every problem is reported at once, each naming the column as written in the file, so one
    fix of the header settles them all. `noun` is what the format calls a name ("column" in a
    CSV header, "key" in a TOML or JSON table); `separator` is the CSV's, for the advice on an
    unnamed column (None for keys). `known` are the fields allowed (a JD's by default).
    """
    problems: list[ImportProblem] = []
    fields = [field_name(column) for column in written]
    first_at: dict[str, int] = {}
    suggested: set[str] = set()  # fields offered for an unknown column: not also "missing"
    for position, (column, field) in enumerate(zip(written, fields, strict=True), start=1):
        if not field:
            stray = (
                f" (a stray {_SEPARATOR_NAMES.get(separator, 'separator')} in the header?)"
                if separator
                else ""
            )
            problems.append(
                ImportProblem(name, where, None, f"{noun} {position} has no name{stray}")
            )
            continue
        if field in first_at:
            earlier = written[first_at[field] - 1]
            problems.append(
                ImportProblem(
                    name,
                    where,
                    column,
                    f"the {noun} appears twice ({noun}s {first_at[field]} and {position})"
                    if earlier == column
                    else f"names the same field as {earlier!r} ({noun} {first_at[field]})",
                )
            )
            continue
        first_at[field] = position
        if field not in known:
            close = _close(field, known)
            suggested.update(close[:1])
            problems.append(
                ImportProblem(name, where, column, f"unknown {noun}{_did_you_mean(close)}")
            )
    problems.extend(
        ImportProblem(name, where, field, "is required but missing")
        for field in required
        if field not in first_at and field not in suggested
    )
    if problems:
        raise ImportRefused(problems)
    return fields


_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _close(value: str, known: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)


def _did_you_mean(close: Sequence[str]) -> str:
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def csv_separator(text: str, known: Sequence[str] = ALL_FIELDS) -> str:
    """The CSV's separator, told from its header row alone.

    Excel saves "CSV" with the locale's list separator, a semicolon in much of Europe, even
    as "CSV UTF-8", so asking people to re-save would not help them: such files are read as
    they are. A header that reads as one column with commas can never be valid (four columns
    are required), so if it splits on ';' or a tab, that is the separator: at worst each
    column is then named as unknown, with a suggestion, instead of the whole line as one.
    csv.Sniffer is not used: it guesses from character counts over the data too, where the
    ;-separated competencies column could sway it to ';' for a comma file.
    """
    first_line = text.split("\n", 1)[0]
    if len(_split_header(first_line, ",")) > 1:
        return ","
    candidates = [
        (sum(field_name(name) in known for name in names), len(names), separator)
        for separator in (";", "\t")
        if len(names := _split_header(first_line, separator)) > 1
    ]
    # The separator giving the most known column names (then the most columns) wins.
    return max(candidates)[2] if candidates else ","


def _split_header(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return []


def read_csv_rows(name: str, text: str) -> list[SourceRow]:
    separator = csv_separator(text)
    columns, records = csv_records(
        name,
        text,
        separator,
        lambda header: check_columns(name, "line 1", header, separator=separator),
    )
    return [
        SourceRow(name, where, dict(zip(columns, record, strict=True))) for where, record in records
    ]


def csv_records(
    name: str, text: str, separator: str, columns_of: Callable[[list[str]], list[str]]
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """A CSV's columns (the header as `columns_of` checks and names them) and its records,
    each with the line it starts on; blank rows skipped. The header is checked first, so a bad
    header is reported before any row."""
    csv.field_size_limit(MAX_FIELD_CHARS + 1)  # the one field limit (a longer field: below)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportProblem(name, "line 1", None, _csv_problem(error)) from error
    columns = columns_of(header)
    records: list[tuple[str, list[str]]] = []
    line = reader.line_num + 1  # the line the next record starts on
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportProblem(name, f"line {line}", None, _csv_problem(error)) from error
        where = f"line {line}"
        line = reader.line_num + 1
        if not record or all(not cell.strip() for cell in record):
            continue  # blank lines, and rows of empty cells that spreadsheets leave behind
        if len(record) != len(header):
            raise ImportProblem(
                name, where, None, f"{len(record)} fields, but the header has {len(header)}"
            )
        records.append((where, [read_cell(cell) for cell in record]))
    return columns, records


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field is more than {MAX_FIELD_CHARS:,} characters long, the most it may hold"
    return f"malformed CSV: {error}"


def read_cell(cell: str) -> str:
    """A CSV cell as meant: an apostrophe that kept a formula-like text inert is taken off."""
    rest = cell[1:]
    if (
        cell[:1] == "'"
        and rest[:1]
        and (
            rest[:1] in FORMULA_STARTS
            or (rest[:1] == "'" and rest[1:2] and rest[1:2] in FORMULA_STARTS)
        )
    ):
        return rest
    return cell


def toml_table_lines(text: str, table: str) -> list[int]:
    """The line of each `[[table]]` header in TOML text (tomllib keeps no positions)."""
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]", re.MULTILINE)
    return _lines_at(text, (m.start() for m in header.finditer(text)))


def _lines_at(text: str, positions: Iterable[int]) -> list[int]:
    """The line each of these ascending positions is on, counting each stretch of the text
    once (counting from the start for every position made a big file's import quadratic)."""
    lines, line, counted = [], 1, 0
    for position in positions:
        line += text.count("\n", counted, position)
        counted = position
        lines.append(line)
    return lines


def _read_toml(name: str, text: str) -> list[SourceRow]:
    doc = parse_toml(name, text)
    for key in doc:
        if key not in ("job", "meta"):
            raise ImportProblem(
                name, "", None, f"unexpected key or table '{key}': put each JD in a [[job]] table"
            )
    jobs = doc.get("job", [])
    if not isinstance(jobs, list):
        raise ImportProblem(name, "", None, "'job' must be an array of tables: write [[job]]")
    # tomllib keeps no positions; the n-th [[job]] header in the text is the n-th table.
    return object_rows(name, zip(toml_places(text, "job", len(jobs)), jobs, strict=True))


def toml_places(text: str, table: str, count: int) -> list[str]:
    """Where each of `count` [[table]] tables is: "[[route]] #2 (line 17)"."""
    header_lines = toml_table_lines(text, table)
    places = []
    for index in range(1, count + 1):
        line = header_lines[index - 1] if index <= len(header_lines) else None
        places.append(f"[[{table}]] #{index}" + (f" (line {line})" if line else ""))
    return places


def _read_json(name: str, text: str) -> list[SourceRow]:
    doc = parse_json(name, text)
    if not isinstance(doc, list):
        raise ImportProblem(name, "", None, "expected a JSON list of job description objects")
    starts = json_item_lines(text)
    places = []
    for index in range(1, len(doc) + 1):
        line = starts[index - 1] if index <= len(starts) else None
        places.append(f"item {index}" + (f" (line {line})" if line else ""))
    return object_rows(name, zip(places, doc, strict=True))


def json_item_lines(text: str, start: int | None = None) -> list[int]:
    """The line each top-level list item starts on (json.loads keeps no positions)."""
    decoder = json.JSONDecoder()
    position = (text.index("[") if start is None else start) + 1
    starts: list[int] = []
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return _lines_at(text, starts)
        starts.append(position)
        _, position = decoder.raw_decode(text, position)


def object_rows(name: str, items: Iterable[tuple[str, object]]) -> list[SourceRow]:
    """Rows from TOML tables or JSON objects, refusing with every bad table's keys at once."""
    rows: list[SourceRow] = []
    problems = Problems()
    for where, item in items:
        with problems.gathered():
            rows.append(_object_row(name, where, item))
    problems.raise_any()
    return rows


def _object_row(name: str, where: str, item: object) -> SourceRow:
    if not isinstance(item, dict):
        raise ImportProblem(name, where, None, "each job description must be a table of fields")
    # A TOML or JSON record may leave out an empty band (a post on medical pay); the band
    # is then checked against the role like an empty CSV cell.
    required = tuple(f for f in REQUIRED_FIELDS if f != "band")
    keys = [str(key) for key in item]
    fields = check_columns(name, where, keys, required, noun="key", separator=None)
    return SourceRow(name, where, dict(zip(fields, item.values(), strict=True)))
