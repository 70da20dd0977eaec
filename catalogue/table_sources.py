"""Reading an import file that may hold any kind of catalogue rows: JDs and reference rows.

A TOML file holds the same tables the packaged data uses (`[[job]]`, `[[icb]]`, `[[trust]]`,
`[[route]]`, `[[edge]]`, `[[pay_point]]`, `[on_costs]`, ...), several kinds in one file if need
be. A CSV holds one kind, told from its columns (or named with `--kind`); a JSON file is a list
of objects of one kind, or an object of lists keyed by table name like TOML. Nothing is checked
against the catalogue here: rows only learn their kind, their fields and where they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogue.document_context import DocumentContext
from catalogue.errors import ImportProblem, ImportRefused, Problems
from catalogue.jd_format import ALL_FIELDS as JD_FIELDS
from catalogue.jd_sources import (
    SourceRow,
    check_columns,
    csv_records,
    csv_separator,
    field_name,
    json_item_lines,
    object_rows,
    parse_json,
    parse_toml,
    source_text,
    toml_places,
)
from catalogue.reference_kinds import BY_NAME, KINDS, Kind, kind_named

JDS = "jds"  # what --kind calls job descriptions
DOCUMENT_SUFFIXES = (".docx", ".xlsx")  # a trust's own Word JDs and Excel workbooks
_PAY_COLUMNS = ("entry", "intermediate", "top")


@dataclass
class FileRows:
    """What one file holds: JD rows, and reference rows by kind name."""

    file: str
    jds: list[SourceRow] = field(default_factory=list)
    reference: dict[str, list[SourceRow]] = field(default_factory=dict)
    # What was read from where, and anything assumed (a document's fields, an encoding).
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.jds and not any(self.reference.values())


def kind_choices() -> list[str]:
    """What --kind accepts."""
    return [JDS, *(kind.plural for kind in KINDS)]


def resolve_kind(written: str | None) -> Kind | str | None:
    """--kind as a Kind, JDS, or None (tell from the file); an unknown name is a usage error."""
    if written is None:
        return None
    if written.strip().lower() in (JDS, "jd", "job", "jobs"):
        return JDS
    kind = kind_named(written)
    if kind is None:
        raise ImportProblem(
            "--kind", "", None, f"unknown kind {written!r}: use one of {', '.join(kind_choices())}"
        )
    return kind


def read_file(
    path: Path,
    kind: Kind | str | None = None,
    *,
    documents: DocumentContext | None = None,
    sheet: str | None = None,
) -> FileRows:
    """Read every row of one file; raise ImportProblem or ImportRefused naming where.

    A trust's own Word JD or Excel workbook is read with `documents` (what reading one needs
    from the catalogue) and, for a workbook, the `sheet` asked for."""
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        from catalogue.document_sources import read_document  # deferred: start-up time

        return read_document(path, documents or DocumentContext(), sheet=sheet)
    source = source_text(path)
    name, suffix, text = source.name, source.suffix, source.text
    if suffix == ".csv":
        found = _read_csv(name, text, kind)
    elif suffix == ".toml":
        found = _read_toml(name, text, kind)
    else:
        found = _read_json(name, text, kind)
    if found.empty:
        raise ImportProblem(name, "", None, "the file holds no rows to import")
    found.notes.extend(source.notes)
    return found


# ---- telling a file's kind from its columns -------------------------------------------------


def _known_columns(kind: Kind) -> list[str]:
    return [*kind.fields, *sorted(kind.derived), *kind.aliases]


def _guess_kind(name: str, where: str, columns: Sequence[str]) -> Kind | str:
    names = {kind.aliases.get(c, c) for kind in KINDS for c in [field_name(c) for c in columns]}
    names |= {field_name(c) for c in columns}
    if {"trust", "jd_ref"} <= names:
        return JDS
    fitting = [
        (len(kind.signature), len(names & set(_known_columns(kind))), kind.name)
        for kind in KINDS
        if kind.signature and kind.signature <= names
    ]
    if not fitting:
        raise ImportProblem(
            name,
            where,
            None,
            "cannot tell what kind of rows these columns hold: name it with --kind "
            f"({', '.join(kind_choices())})",
        )
    return BY_NAME[max(fitting)[2]]


def _columns(
    name: str, where: str, written: Sequence[str], kind: Kind, **options: Any
) -> list[str]:
    """The field each column names for this kind (aliases followed), refusing unknown ones."""
    fields = check_columns(name, where, written, (), known=_known_columns(kind), **options)
    fields = [kind.aliases.get(f, f) for f in fields]
    missing = [part for part in kind.key if part not in fields]
    if missing:
        raise ImportRefused(
            [ImportProblem(name, where, part, "is required but missing") for part in missing]
        )
    return fields


# ---- rows of a kind -------------------------------------------------------------------------


def _add(found: FileRows, kind: Kind, rows: list[SourceRow]) -> None:
    if kind.name == "band":
        rows = _split_band_pay(rows)
        pay = [row for row in rows if row.values.get("__kind__") == "pay_point"]
        rows = [row for row in rows if row.values.get("__kind__") != "pay_point"]
        for row in pay:
            del row.values["__kind__"]
        found.reference.setdefault("pay_point", []).extend(pay)
    found.reference.setdefault(kind.name, []).extend(rows)


def _split_band_pay(rows: list[SourceRow]) -> list[SourceRow]:
    """A bands export holds one pay year's points beside each band: make them pay point rows."""
    out: list[SourceRow] = []
    for row in rows:
        values = dict(row.values)
        pay = {point: values.pop(point, None) for point in _PAY_COLUMNS}
        year = values.pop("pay_year", None)
        confidence = values.pop("pay_confidence", None)
        out.append(SourceRow(row.file, row.where, values))
        for point, salary in pay.items():
            if salary is None or (isinstance(salary, str) and not salary.strip()):
                continue
            point_row: dict[str, Any] = {
                "__kind__": "pay_point",
                "band": values.get("code"),
                "pay_year": year,
                "point": point,
                "salary": salary,
            }
            if confidence not in (None, ""):
                point_row["confidence"] = confidence
            out.append(SourceRow(row.file, f"{row.where}, {point}", point_row))
    return out


def _read_csv(name: str, text: str, kind: Kind | str | None) -> FileRows:
    known = sorted({*JD_FIELDS, *(c for k in KINDS for c in _known_columns(k))})
    separator = csv_separator(text, known)
    chosen: list[Kind | str] = []

    def columns_of(header: list[str]) -> list[str]:
        chosen.append(kind or _guess_kind(name, "line 1", header))
        if chosen[0] == JDS:
            return check_columns(name, "line 1", header, separator=separator)
        assert isinstance(chosen[0], Kind)
        return _columns(name, "line 1", header, chosen[0], separator=separator)

    columns, records = csv_records(name, text, separator, columns_of)
    rows = [
        SourceRow(name, where, dict(zip(columns, record, strict=True))) for where, record in records
    ]
    found = FileRows(name)
    if chosen[0] == JDS:
        found.jds = rows
    else:
        assert isinstance(chosen[0], Kind)
        _add(found, chosen[0], rows)
    return found


def _kind_rows(name: str, kind: Kind, places: list[str], items: list[Any]) -> list[SourceRow]:
    rows: list[SourceRow] = []
    problems = Problems()
    for where, item in zip(places, items, strict=True):
        with problems.gathered():
            if not isinstance(item, dict):
                raise ImportProblem(name, where, None, f"each {kind.label} must be a table")
            keys = [str(key) for key in item]
            fields = _columns(name, where, keys, kind, noun="key", separator=None)
            rows.append(SourceRow(name, where, dict(zip(fields, item.values(), strict=True))))
    problems.raise_any()
    return rows


def _table_kind(name: str, key: str) -> Kind | str:
    if field_name(key) in ("job", "jobs"):
        return JDS
    kind = kind_named(key)
    if kind is None:
        tables = ", ".join(f"[[{k.name}]]" for k in KINDS if k.key)
        raise ImportProblem(
            name,
            "",
            None,
            f"unexpected key or table '{key}': put each JD in a [[job]] table, and reference "
            f"rows in {tables} or [on_costs] tables",
        )
    return kind


def _read_toml(name: str, text: str, kind: Kind | str | None) -> FileRows:
    doc = parse_toml(name, text)
    found = FileRows(name)
    if isinstance(kind, Kind) and kind.name == "role_competency" and "role_competency" not in doc:
        # The packaged file's own form: a [role-id] table of competency = level.
        _add(found, kind, _role_competency_tables(name, doc))
        return found
    return _tables(name, doc, lambda key, count: toml_places(text, key, count), toml=True)


def _tables(
    name: str, doc: dict[str, Any], places_of: Callable[[str, int], list[str]], *, toml: bool
) -> FileRows:
    """The rows of a document of tables by name ({"route": [...], "job": [...]}), every
    table's problems at once. In TOML an array of tables is written [[name]]; JSON may also
    give one object where a list would hold one."""
    found = FileRows(name)
    problems = Problems()
    for key, value in doc.items():
        if key == "meta":
            continue
        with problems.gathered():
            table_kind = _table_kind(name, key)
            one_table = isinstance(table_kind, Kind) and not table_kind.key  # [on_costs]
            if isinstance(value, dict) and (one_table or not toml):
                value = [value]
            if not isinstance(value, list):
                shape = f"write [[{key}]]" if toml else "a list of objects"
                raise ImportProblem(name, "", None, f"'{key}' must be {shape}")
            count = len(value)
            places = [f"[{key}]"] * count if one_table and toml else places_of(key, count)
            if table_kind == JDS:
                found.jds.extend(object_rows(name, zip(places, value, strict=True)))
            else:
                assert isinstance(table_kind, Kind)
                _add(found, table_kind, _kind_rows(name, table_kind, places, value))
    problems.raise_any()
    return found


def _role_competency_tables(name: str, doc: dict[str, Any]) -> list[SourceRow]:
    rows = []
    for role, levels in doc.items():
        if role == "meta":
            continue
        if not isinstance(levels, dict):
            raise ImportProblem(name, f"[{role}]", None, "must be a table of competency = level")
        for competency, level in levels.items():
            rows.append(
                SourceRow(
                    name,
                    f"[{role}] {competency}",
                    {"role": role, "competency": competency, "level": level},
                )
            )
    return rows


def _read_json(name: str, text: str, kind: Kind | str | None) -> FileRows:
    doc = parse_json(name, text)
    found = FileRows(name)
    if isinstance(doc, dict) and kind is None:
        # Tables by name, as in TOML: {"route": [...], "edge": [...]}.
        return _tables(
            name,
            doc,
            lambda key, count: [f"'{key}' item {index}" for index in range(1, count + 1)],
            toml=False,
        )
    if isinstance(doc, dict):
        doc = [doc]
    if not isinstance(doc, list):
        raise ImportProblem(name, "", None, "expected a JSON list of objects")
    starts = json_item_lines(text) if text.lstrip().startswith("[") else []
    places = []
    for index in range(1, len(doc) + 1):
        line = starts[index - 1] if index <= len(starts) else None
        places.append(f"item {index}" + (f" (line {line})" if line else ""))
    if not doc:
        return found
    keys = sorted({str(k) for item in doc if isinstance(item, dict) for k in item})
    chosen = kind or _guess_kind(name, places[0], keys)
    if chosen == JDS:
        found.jds = object_rows(name, zip(places, doc, strict=True))
    else:
        assert isinstance(chosen, Kind)
        _add(found, chosen, _kind_rows(name, chosen, places, doc))
    return found
