"""Plain records the analyses work on, and the loaders that read them from a catalogue.

Every analysis in pathways/ is a pure function over these records, so tests can hand-make a
small catalogue (or the records themselves) and work the right answer out by hand. Loaders
are the only code here that touches SQLite; each reads one thing one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a reader is a sqlite-utils Database or a plain sqlite3 connection
    from catalogue.store import Reader

from catalogue.je_levels import Level, read_levels


@dataclass(frozen=True, slots=True)
class JD:
    """One trust's post."""

    id: int
    trust: str
    jd_ref: str
    title: str
    role: str | None  # None: not mapped to a reference role yet
    band: str | None  # None: a post on medical and dental pay
    wte_funded: float | None
    wte_in_post: float | None
    je_levels: tuple[Level, ...] | None  # each factor as written: "4a" scores as level 4
    je_score: int | None
    summary: str


@dataclass(frozen=True, slots=True)
class RoleInfo:
    """A reference role: one rung of a ladder."""

    id: str
    title: str
    staff_group: str
    band_min: str | None  # None for medical and dental pay
    band_max: str | None
    career_level: str
    registration: str
    pay_system: str
    # A retired role stays for what names it, but no new JD is matched to it and no path
    # leads into it.
    status: str = "active"


@dataclass(frozen=True, slots=True)
class TrustInfo:
    code: str
    name: str
    icb: str


def load_roles(db: Reader) -> dict[str, RoleInfo]:
    rows = db.execute(
        "SELECT id, title, staff_group, band_min, band_max, career_level, registration, "
        "pay_system, status FROM role ORDER BY id"
    ).fetchall()
    return {row[0]: RoleInfo(*row) for row in rows}


def load_trusts(db: Reader) -> dict[str, TrustInfo]:
    rows = db.execute("SELECT code, name, icb FROM trust ORDER BY code").fetchall()
    return {row[0]: TrustInfo(*row) for row in rows}


def load_jds(
    db: Reader,
    *,
    role: str | None = None,
    staff_group: str | None = None,
    trust: str | None = None,
) -> list[JD]:
    """Job descriptions, optionally only one role's, staff group's or trust's."""
    clauses: list[str] = []
    params: list[str] = []
    if role:
        clauses.append("j.role = ?")
        params.append(role)
    if staff_group:
        clauses.append("j.role IN (SELECT id FROM role WHERE staff_group = ?)")
        params.append(staff_group)
    if trust:
        clauses.append("j.trust = ?")
        params.append(trust)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = db.execute(
        "SELECT j.id, j.trust, j.jd_ref, j.title, j.role, j.band, j.wte_funded, j.wte_in_post, "
        f"j.je_levels, j.je_score, j.summary FROM job_description j {where} "
        "ORDER BY j.trust, j.jd_ref",
        params,
    ).fetchall()
    return [
        JD(
            id=jd_id,
            trust=trust_code,
            jd_ref=jd_ref,
            title=title,
            role=role_id,
            band=band,
            wte_funded=funded,
            wte_in_post=in_post,
            je_levels=read_levels(levels),
            je_score=score,
            summary=summary,
        )
        for (
            jd_id,
            trust_code,
            jd_ref,
            title,
            role_id,
            band,
            funded,
            in_post,
            levels,
            score,
            summary,
        ) in rows
    ]


def load_jd_competencies(db: Reader, jd_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The competency ids each of these JDs asks for (JDs asking for none are left out)."""
    wanted = sorted(set(jd_ids))
    found: dict[int, set[str]] = {}
    # SQLite limits bound parameters; fetch in chunks so a national catalogue works too.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        for jd_id, competency in db.execute(
            f"SELECT jd, competency FROM jd_competency WHERE jd IN ({marks})", chunk
        ):
            found.setdefault(jd_id, set()).add(competency)
    return {jd_id: frozenset(items) for jd_id, items in found.items()}


def load_jd_competency_levels(
    db: Reader, jd_ids: Iterable[int]
) -> dict[int, dict[str, int | None]]:
    """What each of these JDs asks for: {competency id: the level it says, or None where it
    says none (the level of its reference role applies)}. JDs asking for none are left out."""
    wanted = sorted(set(jd_ids))
    found: dict[int, dict[str, int | None]] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        for jd_id, competency, level in db.execute(
            f"SELECT jd, competency, level FROM jd_competency WHERE jd IN ({marks})", chunk
        ):
            found.setdefault(jd_id, {})[competency] = level
    return found


def load_role_competencies(db: Reader) -> dict[str, dict[str, int]]:
    """What each reference role needs: role id -> {competency id: level 1-4}."""
    needs: dict[str, dict[str, int]] = {}
    for role, competency, level in db.execute(
        "SELECT role, competency, level FROM role_competency ORDER BY role, competency"
    ):
        needs.setdefault(role, {})[competency] = level
    return needs


def load_pay(db: Reader, pay_year: str | None = None) -> tuple[str, dict[tuple[str, str], int]]:
    """One pay year's salaries by (band, point); the latest year unless one is named.

    A band with a single pay point has only 'entry'; callers asking for its 'top' should fall
    back to the highest point the band has (see `salary_at`).
    """
    year = pay_year or db.execute("SELECT MAX(pay_year) FROM pay_point").fetchone()[0]
    salaries = {
        (band, point): salary
        for band, point, salary in db.execute(
            "SELECT band, point, salary FROM pay_point WHERE pay_year = ?", [year]
        )
    }
    return str(year or ""), salaries


POINT_ORDER = ("entry", "intermediate", "top")


def salary_at(salaries: dict[tuple[str, str], int], band: str, point: str) -> int | None:
    """The salary at `point` of `band`, falling back to the nearest lower point the band has.

    Band 2 has one pay point: its 'top' and 'intermediate' are its 'entry'. Bands 3 and 4 have
    no intermediate point: theirs is taken as their entry point.
    """
    for candidate in reversed(POINT_ORDER[: POINT_ORDER.index(point) + 1]):
        if (band, candidate) in salaries:
            return salaries[(band, candidate)]
    return None


@dataclass(frozen=True, slots=True)
class NationalRate:
    """A national vacancy rate (a fraction, 0.11 for 11%) and the reference roles it covers."""

    id: str
    label: str
    rate: float
    source: str
    roles: tuple[str, ...]


def load_national_rates(db: Reader) -> dict[str, NationalRate]:
    """The catalogue's national vacancy rates by id, each with the roles it applies to."""
    roles: dict[str, list[str]] = {}
    for rate_id, role in db.execute(
        "SELECT rate, role FROM national_rate_role ORDER BY rate, role"
    ):
        roles.setdefault(rate_id, []).append(role)
    return {
        rate_id: NationalRate(rate_id, label, rate, source, tuple(roles.get(rate_id, ())))
        for rate_id, label, rate, source in db.execute(
            "SELECT id, label, rate, source FROM national_rate ORDER BY id"
        )
    }


# --- Careers: routes, the progression graph, staff groups, competencies -----------------------


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """A training route. None in level, months or funding_cap means no figure is held: the
    field is either not applicable or named in `unconfirmed` (no source settled it)."""

    id: str
    name: str
    kind: str
    level: int | None
    months: int | None
    funding_cap: int | None
    standard_ref: str
    entry_requirements: str
    registration: str
    status: str
    status_note: str
    status_from: str  # ISO date the status took effect, or ""
    unconfirmed: tuple[str, ...]
    leads_to: tuple[str, ...]  # role ids (route_role), sorted
    gives: tuple[str, ...]  # competency ids (route_competency), sorted
    source: str = ""
    fee: int | None = None  # tuition for the whole route, pounds; None: unknown or not charged
    fee_source: str = ""
    needs_degree: bool = False  # graduate entry: open only to people who hold a degree


@dataclass(frozen=True, slots=True)
class ProgressionEdge:
    """One move of the career graph, with the routes (ids, sorted) that make it."""

    from_role: str
    to_role: str
    kind: str  # "up" or "lateral"
    months_in_post: int
    note: str
    routes: tuple[str, ...]


def _grouped(db: Reader, sql: str, params: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for key, value in db.execute(sql, params):
        found.setdefault(key, []).append(value)
    return {key: tuple(sorted(values)) for key, values in found.items()}


def load_routes(db: Reader, route_id: str | None = None) -> dict[str, RouteInfo]:
    """Every training route by id, with the roles it leads to and the competencies it gives;
    only `route_id` (an empty dict if there is no such route) when it is given."""
    # One route's detail (pathways.details) reads it here too, so the two cannot drift apart.
    params = [] if route_id is None else [route_id]
    by_route, by_id = ("WHERE route = ?", "WHERE id = ?") if params else ("", "")
    leads_to = _grouped(db, f"SELECT route, role FROM route_role {by_route}", params)
    gives = _grouped(db, f"SELECT route, competency FROM route_competency {by_route}", params)
    rows = db.execute(
        "SELECT id, name, kind, level, months, funding_cap, standard_ref, entry_requirements, "
        "registration, status, status_note, status_from, unconfirmed, source, fee, fee_source, "
        f"needs_degree FROM training_route {by_id} ORDER BY id",
        params,
    ).fetchall()
    routes: dict[str, RouteInfo] = {}
    for row in rows:
        (route_id, name, kind, level, months, cap, ref, entry, registration) = row[:9]
        (status, status_note, status_from, unconfirmed, source, fee, fee_source) = row[9:16]
        routes[route_id] = RouteInfo(
            id=route_id,
            name=name,
            kind=kind,
            level=level,
            months=months,
            funding_cap=cap,
            standard_ref=ref,
            entry_requirements=entry,
            registration=registration,
            status=status,
            status_note=status_note,
            status_from=status_from,
            unconfirmed=tuple(name for name in (unconfirmed or "").split(",") if name),
            leads_to=leads_to.get(route_id, ()),
            gives=gives.get(route_id, ()),
            source=source,
            fee=fee,
            fee_source=fee_source,
            needs_degree=bool(row[16]),
        )
    return routes


def load_progressions(db: Reader) -> list[ProgressionEdge]:
    """Every edge of the career graph, ordered by (from_role, to_role)."""
    routes: dict[tuple[str, str], list[str]] = {}
    for from_role, to_role, route in db.execute(
        "SELECT from_role, to_role, route FROM progression_route"
    ):
        routes.setdefault((from_role, to_role), []).append(route)
    rows = db.execute(
        "SELECT from_role, to_role, kind, months_in_post, note FROM progression "
        "ORDER BY from_role, to_role"
    ).fetchall()
    return [
        ProgressionEdge(
            from_role=from_role,
            to_role=to_role,
            kind=kind,
            months_in_post=months,
            note=note,
            routes=tuple(sorted(routes.get((from_role, to_role), []))),
        )
        for from_role, to_role, kind, months, note in rows
    ]


def load_staff_groups(db: Reader) -> dict[str, str]:
    """Staff group id -> name."""
    return dict(db.execute("SELECT id, name FROM staff_group ORDER BY id").fetchall())


def load_competencies(db: Reader) -> dict[str, str]:
    """Competency id -> name."""
    return dict(db.execute("SELECT id, name FROM competency ORDER BY id").fetchall())
