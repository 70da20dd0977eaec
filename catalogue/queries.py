"""Read-only queries that list what the catalogue holds, as plain dicts.

Shared by the listing commands, the exports and the app, so each table is read one way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from catalogue.jd_format import ALL_FIELDS
from catalogue.jd_pay import rrp_text

if TYPE_CHECKING:
    # A plain sqlite3 connection will do (`open_reader`): no query here needs sqlite-utils.
    from catalogue.store import Reader

Row = dict[str, Any]


def _rows(db: Reader, sql: str, params: list[Any] | None = None) -> list[Row]:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def list_bands(db: Reader, pay_year: str | None = None) -> list[Row]:
    """Bands with JE ranges and pay (entry, intermediate, top) for a pay year (default latest)."""
    year = pay_year or latest_pay_year(db)
    return _rows(
        db,
        """
        SELECT b.code AS band, b.je_min, b.je_max, b.closed,
               e.salary AS entry, i.salary AS intermediate, t.salary AS top,
               ? AS pay_year, e.confidence AS pay_confidence
        FROM band b
        LEFT JOIN pay_point e ON e.band = b.code AND e.pay_year = ? AND e.point = 'entry'
        LEFT JOIN pay_point i ON i.band = b.code AND i.pay_year = ? AND i.point = 'intermediate'
        LEFT JOIN pay_point t ON t.band = b.code AND t.pay_year = ? AND t.point = 'top'
        ORDER BY b.ordinal
        """,
        [year, year, year, year],
    )


def latest_pay_year(db: Reader) -> str:
    row = db.execute("SELECT MAX(pay_year) FROM pay_point").fetchone()
    return str(row[0]) if row and row[0] else ""


def list_trusts(db: Reader) -> list[Row]:
    """Trusts with their ICB and how many JDs the catalogue holds for each."""
    return _rows(
        db,
        """
        SELECT t.code, t.name, t.icb, i.name AS icb_name,
               (SELECT COUNT(*) FROM job_description j WHERE j.trust = t.code) AS jds,
               t.note
        FROM trust t JOIN icb i ON i.code = t.icb
        ORDER BY t.icb, t.code
        """,
    )


def list_roles(db: Reader, staff_group: str | None = None) -> list[Row]:
    """Reference roles, ladder order within each staff group."""
    where = "WHERE r.staff_group = ?" if staff_group else ""
    return _rows(
        db,
        f"""
        SELECT r.id, r.title, r.staff_group, r.band_min, r.band_max, r.career_level,
               r.registration, r.pay_system, r.band_confidence, r.national_profile,
               r.description, r.source
        FROM role r
        LEFT JOIN band b ON b.code = r.band_min
        {where}
        ORDER BY r.staff_group, COALESCE(b.ordinal, 99), r.id
        """,
        [staff_group] if staff_group else [],
    )


def list_competencies(db: Reader) -> list[Row]:
    """Competencies with their pillar and how many reference roles ask for each."""
    return _rows(
        db,
        """
        SELECT c.id, c.name, c.pillar,
               (SELECT COUNT(*) FROM role_competency rc WHERE rc.competency = c.id) AS roles,
               c.description
        FROM competency c
        ORDER BY c.pillar, c.name
        """,
    )


def list_routes(db: Reader) -> list[Row]:
    """Training routes with the roles each leads to and the competencies it gives."""
    return _rows(
        db,
        """
        SELECT r.id, r.name, r.kind, r.level, r.months, r.funding_cap, r.standard_ref,
               r.status, r.status_note, r.status_from, r.registration, r.entry_requirements,
               (SELECT GROUP_CONCAT(role, ';') FROM
                    (SELECT role FROM route_role WHERE route = r.id ORDER BY role)) AS leads_to,
               (SELECT GROUP_CONCAT(competency, ';') FROM
                    (SELECT competency FROM route_competency WHERE route = r.id
                     ORDER BY competency)) AS gives,
               r.unconfirmed, r.source, r.fee, r.fee_source, r.needs_degree
        FROM training_route r
        ORDER BY r.kind, COALESCE(r.level, 0), r.name
        """,
    )


JD_COLUMNS = ALL_FIELDS  # JDs are listed and exported in the interchange format


def iter_jds(db: Reader, trust: str | None = None, role: str | None = None) -> Iterator[Row]:
    """Job descriptions in the interchange format, streamed (a national catalogue is large)."""
    clauses, params = [], []
    if trust:
        clauses.append("j.trust = ?")
        params.append(trust)
    if role:
        clauses.append("j.role = ?")
        params.append(role)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    cursor = db.execute(
        f"""
        SELECT j.trust, j.jd_ref, j.title, COALESCE(j.role, '') AS role,
               COALESCE(j.band, '') AS band,
               j.wte_funded, j.wte_in_post,
               COALESCE((SELECT GROUP_CONCAT(item, ';') FROM
                    (SELECT competency || COALESCE(':' || level, '') AS item
                     FROM jd_competency WHERE jd = j.id ORDER BY competency)),
                    '') AS competencies,
               COALESCE(j.je_levels, '') AS je_levels, j.summary,
               j.rrp_amount, j.rrp_percent, COALESCE(j.rrp_until, ''), j.appointment_point,
               j.supplement, j.pay_note
        FROM job_description j
        {where}
        ORDER BY j.trust, j.jd_ref
        """,
        params,
    )
    for values in cursor:
        # The premium is one column in files: an amount, or a percentage written "10%".
        *first, rrp_amount, rrp_percent, rrp_until, point, supplement, pay_note = values
        pay = (rrp_text(rrp_amount, rrp_percent), rrp_until, point, supplement, pay_note)
        yield dict(zip(JD_COLUMNS, (*first, *pay), strict=True))


def count_jds(db: Reader) -> int:
    return int(db.execute("SELECT COUNT(*) FROM job_description").fetchone()[0])


def illustrative_jds(db: Reader) -> int:
    """How many JDs came from the packaged illustrative data (shown as such everywhere)."""
    row = db.execute(
        "SELECT COUNT(*) FROM job_description j JOIN import_batch b ON b.id = j.import_batch "
        "WHERE b.illustrative = 1"
    ).fetchone()
    return int(row[0])


def import_history(db: Reader) -> list[Row]:
    """Every import, edit and update, oldest first; `kind` says which (jds, reference, edit,
    update)."""
    return _rows(
        db,
        "SELECT id, kind, source, imported_at, rows, added, updated, unchanged, illustrative "
        "FROM import_batch ORDER BY id",
    )


REFERENCE_CHANGE_COLUMNS = ["at", "kind", "key", "action", "detail", "source"]


def reference_changes(db: Reader, kind: str | None = None) -> list[Row]:
    """Every change to a reference row since the build, newest first, with what made it."""
    where = "WHERE c.kind = ?" if kind else ""
    return _rows(
        db,
        "SELECT b.imported_at AS at, c.kind, c.key, c.action, c.detail, b.source "
        f"FROM reference_change c JOIN import_batch b ON b.id = c.batch {where} "
        "ORDER BY c.id DESC",
        [kind] if kind else [],
    )


OWN_ROW_COLUMNS = ["kind", "key", "origin", "changed_at", "changed_by"]


def own_rows(db: Reader) -> list[Row]:
    """The reference rows that are the network's own (local), its changes to packaged rows
    (override) and the packaged rows it removed: what `workforce update` keeps as they are."""
    return _rows(
        db,
        "SELECT o.kind, o.key, o.origin, b.imported_at AS changed_at, b.source AS changed_by "
        "FROM reference_origin o LEFT JOIN import_batch b ON b.id = o.changed_by "
        "WHERE o.origin != 'packaged' ORDER BY o.kind, o.key",
    )


# The audit trail of role mappings, in the order `workforce history --mappings` shows it.
ROLE_MAPPING_COLUMNS = ["id", "at", "trust", "jd_ref", "how", "role", "previous_role", "score"]


def role_mappings(db: Reader, trust: str | None = None) -> list[Row]:
    """Role mappings made by matching (auto, chosen) and their undos, newest first.

    By id, not by `at`: ids follow the order the rows were written, and `at` is only to the
    second (a whole `--apply-above` run shares one).
    """
    where = "WHERE trust = ?" if trust else ""
    return _rows(
        db,
        f"SELECT {', '.join(ROLE_MAPPING_COLUMNS)} FROM role_mapping {where} ORDER BY id DESC",
        [trust] if trust else [],
    )


def role_mapping_counts(db: Reader) -> dict[str, int]:
    """How many role mappings were recorded of each kind: auto, chosen, undone (0 if none)."""
    counts = dict.fromkeys(("auto", "chosen", "undone"), 0)
    for how, count in db.execute("SELECT how, COUNT(*) FROM role_mapping GROUP BY how"):
        counts[str(how)] = int(count)
    return counts
