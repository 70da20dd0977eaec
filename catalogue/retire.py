"""Retiring and removing reference rows without orphaning what names them.

A route can be closed (no new entrants) or retired (no longer offered), a role retired or
merged into another: the row stays for the JDs, moves, passports and saved scenarios that name
it. Removing a row outright is refused while anything in the catalogue names it (the message
says what), unless the caller asks for those references to be moved to another row first.
Passports are the staff's own files, outside the catalogue: a retired role or route stays
readable for them, which is why retiring is the usual way and removing the exception.
"""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from typing import Any

from catalogue.errors import CatalogueError
from catalogue.reference_import import KindCounts, new_batch, record_origin
from catalogue.reference_kinds import BY_NAME, Kind, delete_row, load_keys

# What names a row of each kind: (what it is called, SQL counting the rows that name ?).
_REFERRERS: dict[str, tuple[tuple[str, str], ...]] = {
    "icb": (("trust", "SELECT code FROM trust WHERE icb = ?"),),
    "trust": (("JD", "SELECT jd_ref FROM job_description WHERE trust = ?"),),
    "staff_group": (("role", "SELECT id FROM role WHERE staff_group = ?"),),
    "competency": (
        ("role", "SELECT role FROM role_competency WHERE competency = ?"),
        ("route", "SELECT route FROM route_competency WHERE competency = ?"),
        (
            "JD",
            "SELECT j.trust || ':' || j.jd_ref FROM jd_competency c "
            "JOIN job_description j ON j.id = c.jd WHERE c.competency = ?",
        ),
    ),
    "role": (
        ("JD", "SELECT trust || ':' || jd_ref FROM job_description WHERE role = ?"),
        ("move from", "SELECT to_role FROM progression WHERE from_role = ?"),
        ("move to", "SELECT from_role FROM progression WHERE to_role = ?"),
        ("route", "SELECT route FROM route_role WHERE role = ?"),
        ("national vacancy rate", "SELECT rate FROM national_rate_role WHERE role = ?"),
        ("saved scenario", "SELECT scenario FROM scenario_target WHERE role = ?"),
        ("role merged into it", "SELECT id FROM role WHERE merged_into = ?"),
    ),
    "route": (
        (
            "move",
            "SELECT from_role || ' -> ' || to_role FROM progression_route WHERE route = ?",
        ),
    ),
}
# Kinds that nothing can name: removing one needs no check. Bands are the national structure
# and are never removed; pay points are removed by pay year (see remove_pay_year).
_FREE = ("role_competency", "edge", "rate")


def referrers(db: Any, kind: Kind, key: str) -> list[str]:
    """What in the catalogue names this row: "3 JDs (RRK:IMG-1, ...)", "1 move to (...)"."""
    found = []
    for noun, sql in _REFERRERS.get(kind.name, ()):
        names = sorted(str(row[0]) for row in db.execute(sql, [key]))
        if names:
            shown = ", ".join(names[:5]) + (
                f", and {len(names) - 5} more" if len(names) > 5 else ""
            )
            plural = noun if len(names) == 1 else f"{noun}s" if " " not in noun else noun
            found.append(f"{len(names)} {plural} ({shown})")
    return found


def _batch(db: Any, source: str, action: str) -> int:
    when = datetime.now(UTC).isoformat(timespec="seconds")
    return new_batch(db.conn, source, when, action, KindCounts(rows=1, updated=1))


def _require(db: Any, kind: Kind, key: str) -> None:
    keys = load_keys(db, kind)
    if key not in keys:
        close = difflib.get_close_matches(key, sorted(keys), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise CatalogueError(f"no {kind.label} {key!r} in the catalogue{hint}")


def remove_row(db: Any, kind: Kind, key: str, *, source: str) -> None:
    """Remove one row, refusing (with what names it) while anything in the catalogue does."""
    if kind.name in ("band", "pay_point", "on_costs"):
        raise CatalogueError(
            f"{kind.label}s are not removed one by one: bands are national, pay points go by "
            "pay year (`workforce pay-year remove`), settings can only be changed"
        )
    _require(db, kind, key)
    if kind.name not in _FREE:
        named_by = referrers(db, kind, key)
        if named_by:
            raise CatalogueError(
                f"{kind.label} {key!r} is named by " + "; ".join(named_by) + ": nothing was "
                "removed. "
                + (
                    "Retire it instead (`workforce retire`), or move what names it first."
                    if kind.name in ("role", "route")
                    else "Change or remove what names it first."
                )
            )
    with db.atomic():
        batch = _batch(db, source, "edit")
        delete_row(db.conn, kind, key)
        record_origin(db.conn, kind, key, "removed", batch)


def retire_route(db: Any, route: str, *, status: str, note: str | None, source: str) -> None:
    """Close (no new entrants) or retire (no longer offered) a route; moves keep naming it.
    `note` replaces the status note ("" clears it); None keeps it."""
    from catalogue.reference_import import save_rows

    if status not in ("closed", "retired", "open"):
        raise CatalogueError(f"a route is open, closed or retired, not {status!r}")
    _require(db, BY_NAME["route"], route)
    row: dict[str, Any] = {"id": route, "status": status}
    if note is not None:
        row["status_note"] = note
    row["status_from"] = datetime.now(UTC).date().isoformat() if status != "open" else ""
    save_rows(db, BY_NAME["route"], [row], source=source)


def retire_role(db: Any, role: str, *, into: str | None, source: str) -> int:
    """Retire a role; with `into`, merge it: its JDs and saved scenarios' targets move to
    `into`. Moves, routes and rates keep naming the retired role. Returns the JDs moved."""
    roles = BY_NAME["role"]
    _require(db, roles, role)
    if into is not None:
        _require(db, roles, into)
        if into == role:
            raise CatalogueError("a role cannot be merged into itself")
        status = db.execute("SELECT status FROM role WHERE id = ?", [into]).fetchone()[0]
        if status == "retired":
            raise CatalogueError(f"{into!r} is retired itself: merge into an active role")
    with db.atomic():
        batch = _batch(db, source, "edit")
        db.conn.execute(
            "UPDATE role SET status = 'retired', merged_into = ? WHERE id = ?", [into, role]
        )
        moved = 0
        detail = "retired"
        if into is not None:
            moved = db.conn.execute(
                "UPDATE job_description SET role = ? WHERE role = ?", [into, role]
            ).rowcount
            # A scenario that targeted both keeps its target for `into`.
            db.conn.execute(
                "UPDATE OR IGNORE scenario_target SET role = ? WHERE role = ?", [into, role]
            )
            db.conn.execute("DELETE FROM scenario_target WHERE role = ?", [role])
            detail = f"merged into {into}; {moved} JDs moved"
        record_origin(db.conn, roles, role, "retired", batch, detail=detail)
    return moved
