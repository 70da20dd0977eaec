"""Importing reference rows (trusts, routes, moves, pay points, ...): check all, then write all.

Like a JD import, two steps. `plan_reference` resolves every row against the catalogue and the
other rows of the same import, collecting every problem; it writes nothing. `apply_reference`
writes a clean plan inside the caller's transaction, with its provenance: each row's origin
(the network's own, or its override of a packaged row) and a line in `reference_change`.

A row names its key and the fields it sets. Fields it leaves out keep their values when the row
exists already (a CSV of `id,status` closes routes without restating them), and take their
defaults when it is new: a route needs only id, name and kind.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from catalogue.bands import BandError, parse_band
from catalogue.errors import ImportProblem, ImportRefused
from catalogue.jd_sources import SourceRow
from catalogue.reference_kinds import (
    BY_NAME,
    KINDS,
    Kind,
    Row,
    load_keys,
    load_rows,
    write_row,
)
from catalogue.table_sources import FileRows

KIND_ORDER = {kind.name: index for index, kind in enumerate(KINDS)}


@dataclass
class KindCounts:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    repeated: int = 0  # exact copies of an earlier row of the same import: skipped

    def as_dict(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repeated": self.repeated,
        }


@dataclass
class RefChange:
    """One reference row an import adds or changes."""

    kind: Kind
    key: str
    action: str  # added | updated
    record: BaseModel
    file: str
    detail: str = ""  # "months 12 -> 6; status 'open' -> 'closed'"


@dataclass
class ReferencePlan:
    changes: list[RefChange] = field(default_factory=list)
    by_kind: dict[str, KindCounts] = field(default_factory=dict)
    per_file: dict[str, KindCounts] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        """In words, for --dry-run and the app: "route academy-ct: added"."""
        return [
            f"{change.kind.label} {change.key}: {change.action}"
            + (f" ({change.detail})" if change.detail else "")
            for change in self.changes
        ]

    def totals(self) -> KindCounts:
        total = KindCounts()
        for counts in self.by_kind.values():
            total.rows += counts.rows
            total.added += counts.added
            total.updated += counts.updated
            total.unchanged += counts.unchanged
            total.repeated += counts.repeated
        return total


def _nearest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _optional(kind: Kind, name: str) -> bool:
    info = kind.model.model_fields.get(name)
    return info is not None and not info.is_required() and info.default is None


def coerce(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """Values as a file gives them, in the model's terms: CSV lists split, empty cells None."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in kind.derived:
            continue  # an export's extra column (a trust's JD count): not the row's own
        if name in kind.lists:
            if isinstance(value, str):
                # Items are ids or field names: neither holds a ';' or a ','.
                value = [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
            elif value is None:
                value = []
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                value = sorted(item.strip() for item in value)  # sets: order carries no meaning
        elif isinstance(value, str) and not value.strip() and _optional(kind, name):
            value = None
        elif (kind.name, name) == ("trust", "icb") and isinstance(value, str):
            value = value.strip().upper()  # an ODS code
        out[name] = value
    return out


def _show(value: object) -> str:
    if value is None or value == [] or value == "":
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return repr(value) if isinstance(value, str) else str(value)


def describe_change(old: Row, new: Row) -> str:
    """The fields that differ, old -> new."""
    return "; ".join(
        f"{name} {_show(old.get(name))} -> {_show(value)}"
        for name, value in new.items()
        if old.get(name) != value
    )


def _problem(row: SourceRow, field_name: str | None, message: str) -> ImportProblem:
    return ImportProblem(row.file, row.where, field_name, message)


# What a pattern asks for, in words (pydantic would quote the regular expression).
_PATTERNS = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "lower-case letters and digits joined by hyphens, "
    "e.g. 'academy-ct-certificate'",
    r"^[A-Z0-9]{3,5}$": "an ODS code: 3 to 5 capital letters and digits, e.g. 'RRK'",
    r"^\d{4}/\d{2}$": "a pay year such as 2026/27",
}


def _validation_problems(row: SourceRow, error: ValidationError) -> list[ImportProblem]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or None
        message = item["msg"]
        pattern = (item.get("ctx") or {}).get("pattern")
        if item["type"] == "string_pattern_mismatch" and pattern in _PATTERNS:
            message = f"{item['input']!r} is not {_PATTERNS[pattern]}"
        elif item["type"] == "missing":
            message = "is required but missing"
        message = message.removeprefix("Value error, ")
        problems.append(_problem(row, where, message))
    return problems


def _empty_required(kind: Kind, row: SourceRow, record: Row) -> list[ImportProblem]:
    """Required text left empty ("" passes the models' type checks, but means nothing)."""
    return [
        _problem(row, name, "is empty")
        for name, info in kind.model.model_fields.items()
        if info.is_required() and isinstance(record.get(name), str) and not record[name].strip()
    ]


def normalised_row(kind: Kind, row: Row) -> Row:
    """A catalogue row as its model dumps it, so an unchanged import compares equal."""
    try:
        dumped = kind.model.model_validate(row).model_dump()
    except ValidationError:
        dumped = dict(row)
    return {
        name: sorted(value) if name in kind.lists and isinstance(value, list) else value
        for name, value in dumped.items()
    }


def plan_reference(db: Any, files: Sequence[FileRows]) -> ReferencePlan:
    """Check every reference row of these files against the catalogue and each other.

    Raises ImportRefused with every problem found; writes nothing.
    """
    plan = ReferencePlan()
    problems: list[ImportProblem] = []
    rows_by_kind: dict[str, list[SourceRow]] = {}
    for found in files:
        for name, rows in found.reference.items():
            rows_by_kind.setdefault(name, []).extend(rows)
    incoming: dict[str, dict[str, tuple[SourceRow, BaseModel]]] = {}
    current: dict[str, dict[str, Row]] = {}
    for kind in KINDS:
        rows = rows_by_kind.get(kind.name, [])
        if not rows:
            continue
        existing = {kind.key_of(row): row for row in load_rows(db, kind)}
        current[kind.name] = existing
        counts = plan.by_kind.setdefault(kind.name, KindCounts())
        seen = incoming.setdefault(kind.name, {})
        for row in rows:
            counts.rows += 1
            file_counts = plan.per_file.setdefault(row.file, KindCounts())
            file_counts.rows += 1
            values = coerce(kind, row.values)
            missing = [part for part in kind.key if values.get(part) in (None, "")]
            if missing:
                problems.extend(_problem(row, part, "is empty") for part in missing)
                continue
            try:
                values = _key_values(kind, values)
            except BandError as error:
                problems.append(
                    _problem(row, "band" if kind.name != "band" else "code", str(error))
                )
                continue
            key = kind.key_of(values)
            base = existing.get(key)
            merged = {**base, **values} if base else _defaults(kind, values, row.file)
            empty = _empty_required(kind, row, merged)
            if empty:
                problems.extend(empty)
                continue
            try:
                record = kind.model.model_validate(merged)
            except ValidationError as error:
                problems.extend(_validation_problems(row, error))
                continue
            earlier = seen.get(key)
            if earlier is not None:
                if earlier[1] != record:
                    first = earlier[0]
                    problems.append(
                        _problem(
                            row,
                            None,
                            f"{kind.label} {key!r} appears again with different values (first "
                            f"at {first.file}: {first.where}); each {kind.label} is one row",
                        )
                    )
                else:
                    counts.repeated += 1
                    file_counts.repeated += 1
                continue
            seen[key] = (row, record)
            new = record.model_dump()
            if base is None:
                plan.changes.append(RefChange(kind, key, "added", record, row.file))
                counts.added += 1
                file_counts.added += 1
                continue
            old = normalised_row(kind, base)
            detail = describe_change(old, new)
            if not detail:
                counts.unchanged += 1
                file_counts.unchanged += 1
                continue
            plan.changes.append(RefChange(kind, key, "updated", record, row.file, detail))
            counts.updated += 1
            file_counts.updated += 1
    if not problems:
        problems.extend(check_references(db, incoming))
        problems.extend(_check_unique(db, incoming, current))
    if problems:
        raise ImportRefused(problems)
    return plan


def _key_values(kind: Kind, values: Row) -> Row:
    """The key fields written as the catalogue holds them ("Band 8A" is band 8a), so a row
    finds the one it updates however the file wrote its key."""
    out = dict(values)
    for part in kind.key:
        value = out[part]
        if (kind.name, part) in (("band", "code"), ("pay_point", "band")):
            out[part] = parse_band(value)
        elif kind.name in ("icb", "trust") and isinstance(value, str):
            out[part] = value.strip().upper()  # ODS codes are written in capitals
        elif isinstance(value, str):
            out[part] = value.strip()
    return out


def _defaults(kind: Kind, values: Row, file: str) -> Row:
    """A new row's values: what the file gives, and a source naming the file if it gives none."""
    if "source" in kind.model.model_fields and not values.get("source"):
        return {**values, "source": f"the network's own, imported from {file}"}
    return dict(values)


def check_references(
    db: Any, incoming: dict[str, dict[str, tuple[SourceRow, BaseModel]]]
) -> list[ImportProblem]:
    """Every row an import adds or changes names only rows that exist, or that it adds."""
    known: dict[str, set[str]] = {}

    def keys(kind_name: str) -> set[str]:
        if kind_name not in known:
            known[kind_name] = load_keys(db, BY_NAME[kind_name]) | set(incoming.get(kind_name, {}))
        return known[kind_name]

    problems = []
    for kind_name, rows in incoming.items():
        kind = BY_NAME[kind_name]
        for row, record in rows.values():
            for ref in kind.refs:
                value = getattr(record, ref.field)
                values = value if isinstance(value, list) else [value]
                for item in values:
                    if item is None or item in keys(ref.kind):
                        continue
                    target = BY_NAME[ref.kind]
                    problems.append(
                        _problem(
                            row,
                            ref.field,
                            f"unknown {target.label} {item!r}{_nearest(item, keys(ref.kind))}"
                            f" (add it in the same import, or see `workforce export "
                            f"{target.plural}`)",
                        )
                    )
    return problems


def _check_unique(
    db: Any,
    incoming: dict[str, dict[str, tuple[SourceRow, BaseModel]]],
    current: dict[str, dict[str, Row]],
) -> list[ImportProblem]:
    """Names that must be unique stay so (two trusts, or two competencies, of one name), and
    a role has at most one national vacancy rate."""
    problems = []
    for kind_name, rows in incoming.items():
        kind = BY_NAME[kind_name]
        checks: list[tuple[str, str]] = [(name, name) for name in kind.unique]
        if kind.name == "rate":
            checks.append(("roles", "role"))
        for field_name, noun in checks:
            owner: dict[str, str] = {}
            for key, held in current.get(kind_name, {}).items():
                if key not in rows:
                    for value in _as_list(held.get(field_name)):
                        owner[str(value).lower()] = key
            for key, (row, record) in rows.items():
                for value in _as_list(getattr(record, field_name)):
                    holder = owner.get(str(value).lower())
                    if holder is not None and holder != key:
                        problems.append(
                            _problem(
                                row,
                                field_name,
                                f"{noun} {value!r} is already {kind.label} {holder!r}'s",
                            )
                        )
                    owner[str(value).lower()] = key
    return problems


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# ---- writing --------------------------------------------------------------------------------


def record_origin(
    conn: sqlite3.Connection,
    kind: Kind,
    key: str,
    action: str,
    batch: int,
    *,
    detail: str = "",
    packaged_release: str | None = None,
) -> None:
    """Note who changed a reference row: the network (an import, an edit, a command) or, with
    `packaged_release`, `workforce update` bringing in the packaged data."""
    found = conn.execute(
        "SELECT origin FROM reference_origin WHERE kind = ? AND key = ?", [kind.name, key]
    ).fetchone()
    if packaged_release is not None:
        origin, release = "packaged", packaged_release
    elif found is None:
        origin, release = "local", ""
    elif found[0] in ("packaged", "removed", "override"):
        origin, release = "override", ""
    else:
        origin, release = str(found[0]), ""
    if action == "removed":
        origin = "removed" if found is not None and found[0] != "local" else ""
    if origin:
        conn.execute(
            "INSERT INTO reference_origin (kind, key, origin, release, changed_by) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET "
            "origin = excluded.origin, changed_by = excluded.changed_by, "
            "release = CASE WHEN excluded.release != '' THEN excluded.release ELSE release END",
            [kind.name, key, origin, release, batch],
        )
    else:
        conn.execute("DELETE FROM reference_origin WHERE kind = ? AND key = ?", [kind.name, key])
    conn.execute(
        "INSERT INTO reference_change (batch, kind, key, action, detail) VALUES (?, ?, ?, ?, ?)",
        [batch, kind.name, key, action, detail],
    )


def new_batch(
    conn: sqlite3.Connection, source: str, when: str, kind: str, counts: KindCounts
) -> int:
    """A line of the import history for reference rows (an import, an edit, an update)."""
    cursor = conn.execute(
        "INSERT INTO import_batch (source, imported_at, rows, added, updated, unchanged, kind) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [source, when, counts.rows, counts.added, counts.updated, counts.unchanged, kind],
    )
    return int(cursor.lastrowid or 0)


def apply_reference(
    conn: sqlite3.Connection,
    plan: ReferencePlan,
    *,
    when: str,
    batch_kind: str = "reference",
    packaged_release: str | None = None,
) -> None:
    """Write a checked plan; the caller holds the transaction."""
    batches = {
        file: new_batch(conn, file, when, batch_kind, counts)
        for file, counts in plan.per_file.items()
    }
    for change in sorted(plan.changes, key=lambda c: KIND_ORDER[c.kind.name]):
        write_row(conn, change.kind, change.record)
        record_origin(
            conn,
            change.kind,
            change.key,
            change.action,
            batches[change.file],
            detail=change.detail,
            packaged_release=packaged_release,
        )


def save_rows(
    db: Any,
    kind: Kind,
    rows: Sequence[Row],
    *,
    source: str,
    when: str | None = None,
    dry_run: bool = False,
) -> ReferencePlan:
    """Add or change reference rows given as field values (the app's forms, a command), with
    the same checks and provenance as an import; all or nothing. Raises ImportRefused."""
    found = FileRows(source)
    found.reference[kind.name] = [
        SourceRow(source, f"{kind.label} {index}", dict(row)) for index, row in enumerate(rows, 1)
    ]
    plan = plan_reference(db, [found])
    if not dry_run:
        stamp = when or datetime.now(UTC).isoformat(timespec="seconds")
        with db.atomic():
            apply_reference(db.conn, plan, when=stamp, batch_kind="edit")
    return plan
