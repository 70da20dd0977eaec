"""`workforce check`: is the catalogue whole, and does everything in it refer to something?

SQLite's own integrity and foreign-key checks first (a damaged page, a row naming a row that is
not there), then the catalogue's rules that SQLite cannot hold: every pay year complete, no
JD newly kept on a retired role's merged-away id, every move's routes still known. Each finding
is one line a person can act on.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any


def damage(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What SQLite finds wrong with the file itself (empty when it is whole)."""
    pragma = "quick_check" if quick else "integrity_check"
    found = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if found == ["ok"] else [f"the file is damaged: {line}" for line in found[:20]]


def findings(db: Any) -> list[str]:
    """Everything `workforce check` reports, most serious first."""
    conn: sqlite3.Connection = db.conn if hasattr(db, "conn") else db
    try:
        broken = damage(conn)
    except sqlite3.DatabaseError as error:
        return [f"the file is damaged: {error}"]
    if broken:
        return broken
    lines = [
        f"{table} row {rowid} names a missing {parent} row"
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
    ]
    counts = dict(conn.execute("SELECT pay_year, COUNT(*) FROM pay_point GROUP BY pay_year"))
    if counts:
        # An older year may hold only the points a source confirmed (the packaged 2024/25
        # does); the latest year, which plans cost at, and years saved scenarios use must
        # be whole.
        used = {max(counts)} | {
            str(json.loads(assumptions).get("pay_year"))
            for (assumptions,) in conn.execute("SELECT assumptions FROM scenario")
        }
        fullest = max(counts.values())
        lines.extend(
            f"pay year {year} has {count} of the {fullest} pay points other years have, and "
            + ("plans cost at it by default" if year == max(counts) else "a scenario uses it")
            for year, count in sorted(counts.items())
            if count < fullest and year in used
        )
    lines.extend(
        f"JD {trust}:{ref} is mapped to {role}, retired and merged into {into}"
        for trust, ref, role, into in conn.execute(
            "SELECT j.trust, j.jd_ref, j.role, r.merged_into FROM job_description j "
            "JOIN role r ON r.id = j.role WHERE r.merged_into IS NOT NULL ORDER BY 1, 2"
        )
    )
    lines.extend(
        f"JD {trust}:{ref} has no band but its role {role} is on Agenda for Change pay"
        for trust, ref, role in conn.execute(
            "SELECT j.trust, j.jd_ref, j.role FROM job_description j JOIN role r ON r.id = j.role "
            "WHERE j.band IS NULL AND r.pay_system = 'afc' ORDER BY 1, 2"
        )
    )
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
    lines.extend(
        f"JD {trust}:{ref} holds a control character in its title or summary (imports refuse "
        "them now: correct it with an import of the post)"
        for trust, ref, title, summary in conn.execute(
            "SELECT trust, jd_ref, title, summary FROM job_description ORDER BY 1, 2"
        )
        if control.search(title) or control.search(summary)
    )
    return lines
