"""Read-only details of one catalogue entry (a role, route, band, competency, trust or JD), and
a trust's posts a page at a time.

What the app shows when a row is opened. Pure reads over SQLite, no screen code, so each is
tested alone against a real catalogue; every figure comes from the catalogue, none is derived
beyond picking the pay point at each end of a band range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from catalogue.bands import band_order
from catalogue.je_levels import read_levels
from pathways.records import JD, POINT_ORDER, RouteInfo, load_pay, load_routes, salary_at

if TYPE_CHECKING:  # the JE check loads the factor plan's models: imported where it is used
    from pathways.je_check import JECheck
    from pathways.je_profile_match import ProfileMatch

# The four pillars of advanced practice first, then modality and professional skills.
PILLAR_ORDER = ("clinical", "leadership", "education", "research", "modality", "professional")

# What a competency level means (catalogue/data/README.md).
LEVEL_NAMES = {1: "aware", 2: "working", 3: "proficient", 4: "expert"}


@dataclass(frozen=True, slots=True)
class Named:
    """An entry referred to from another: its id and the name people read."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class CompetencyNeed:
    id: str
    name: str
    pillar: str
    level: int  # 1 aware .. 4 expert


@dataclass(frozen=True, slots=True)
class RouteSummary:
    id: str
    name: str
    kind: str
    level: int | None
    months: int | None
    status: str


@dataclass(frozen=True, slots=True)
class Move:
    """An edge of the career graph seen from one role: the role at the other end."""

    role: str
    title: str
    kind: str  # 'up' or 'lateral'
    months_in_post: int
    routes: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class RoleDetail:
    id: str
    title: str
    staff_group: str
    staff_group_name: str
    band_min: str | None  # None: medical and dental pay
    band_max: str | None
    band_confidence: str
    career_level: str
    registration: str
    pay_system: str
    national_profile: str
    description: str
    source: str
    pay_year: str
    pay_low: int | None  # entry point of band_min in pay_year
    pay_high: int | None  # top point of band_max in pay_year
    competencies: tuple[CompetencyNeed, ...]  # pillar order, then name
    routes_in: tuple[RouteSummary, ...]
    moves_in: tuple[Move, ...]
    moves_out: tuple[Move, ...]
    posts: int  # JDs in the catalogue mapped to this role
    post_trusts: int  # trusts holding those JDs


@dataclass(frozen=True, slots=True)
class RouteDetail:
    """A route's fields as every analysis reads them, and what it links to, with names."""

    route: RouteInfo  # `unconfirmed` names fields no source settled: shown as unknown
    leads_to: tuple[Named, ...]  # roles, by id
    gives: tuple[Named, ...]  # competencies, by name
    makes: tuple[tuple[Named, Named], ...]  # progression edges (from, to) it is a route for


@dataclass(frozen=True, slots=True)
class PayPoint:
    pay_year: str
    point: str
    salary: int
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class BandDetail:
    code: str
    je_min: int
    je_max: int
    closed: bool
    note: str
    pay: tuple[PayPoint, ...]  # newest year first, entry to top within a year
    roles: tuple[Named, ...]  # reference roles whose band range includes this band


@dataclass(frozen=True, slots=True)
class CompetencyDetail:
    id: str
    name: str
    pillar: str
    description: str
    roles: tuple[tuple[Named, int], ...]  # roles needing it, with the level
    routes: tuple[Named, ...]  # routes that give it


@dataclass(frozen=True, slots=True)
class TrustDetail:
    code: str
    name: str
    icb: str
    icb_name: str
    note: str
    posts: int
    unmapped: int  # posts with no reference role yet
    wte_funded: float
    wte_in_post: float


@dataclass(frozen=True, slots=True)
class JDCompetency:
    """A competency a JD asks for (JDs name competencies without a level)."""

    id: str
    name: str
    pillar: str


@dataclass(frozen=True, slots=True)
class JDDetail:
    """One trust's post as imported, with the names the catalogue gives its codes."""

    jd: JD
    trust_name: str
    role_title: str | None  # None: not mapped to a reference role yet
    role_band_min: str | None  # the reference role's range (None: medical, or unmapped)
    role_band_max: str | None
    je: (
        JECheck | None
    )  # its JE check (each factor's level and points, score, band); None: no levels
    competencies: tuple[JDCompetency, ...]  # pillar order, then name
    source: str  # the file its import batch read
    imported_at: str
    illustrative: bool  # from the packaged illustrative data, not a real post
    # Its match against a JE profile: the one asked for, else the one its reference role's
    # national profile names (by title), if the catalogue holds it; None: no profile to match.
    profile_match: ProfileMatch | None = None
    profiles_held: int = 0  # JE profiles in the catalogue, to offer a match against

    @property
    def je_factors(self) -> tuple[tuple[str, str], ...]:
        """(factor name, level as written: "4", "4a"), factor 1 first; () without JE levels."""
        if self.je is None:
            return ()
        return tuple((factor.name, factor.level.written) for factor in self.je.factors)


def _one(db: Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _pillar_key(pillar: str) -> int:
    return PILLAR_ORDER.index(pillar) if pillar in PILLAR_ORDER else len(PILLAR_ORDER)


def role_detail(db: Database, role_id: str) -> RoleDetail | None:
    """Everything the catalogue says about one reference role; None if there is no such role."""
    role = _one(
        db,
        "SELECT r.*, g.name AS staff_group_name FROM role r "
        "JOIN staff_group g ON g.id = r.staff_group WHERE r.id = ?",
        [role_id],
    )
    if role is None:
        return None
    pay_year, salaries = load_pay(db)
    low = salary_at(salaries, role["band_min"], "entry") if role["band_min"] else None
    high = salary_at(salaries, role["band_max"], "top") if role["band_max"] else None
    needs = [
        CompetencyNeed(cid, name, pillar, level)
        for cid, name, pillar, level in db.execute(
            "SELECT c.id, c.name, c.pillar, rc.level FROM role_competency rc "
            "JOIN competency c ON c.id = rc.competency WHERE rc.role = ?",
            [role_id],
        )
    ]
    needs.sort(key=lambda need: (_pillar_key(need.pillar), need.name))
    routes_in = tuple(
        RouteSummary(*row)
        for row in db.execute(
            "SELECT t.id, t.name, t.kind, t.level, t.months, t.status FROM route_role rr "
            "JOIN training_route t ON t.id = rr.route WHERE rr.role = ? "
            "ORDER BY t.kind, COALESCE(t.level, 0), t.name",
            [role_id],
        )
    )
    posts, post_trusts = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT trust) FROM job_description WHERE role = ?", [role_id]
    ).fetchone()
    return RoleDetail(
        id=role["id"],
        title=role["title"],
        staff_group=role["staff_group"],
        staff_group_name=role["staff_group_name"],
        band_min=role["band_min"],
        band_max=role["band_max"],
        band_confidence=role["band_confidence"],
        career_level=role["career_level"],
        registration=role["registration"],
        pay_system=role["pay_system"],
        national_profile=role["national_profile"],
        description=role["description"],
        source=role["source"],
        pay_year=pay_year,
        pay_low=low,
        pay_high=high,
        competencies=tuple(needs),
        routes_in=routes_in,
        moves_in=_moves(db, role_id, into=True),
        moves_out=_moves(db, role_id, into=False),
        posts=int(posts),
        post_trusts=int(post_trusts),
    )


def _moves(db: Database, role_id: str, *, into: bool) -> tuple[Move, ...]:
    """Progression edges into `role_id` (into=True) or out of it, with their routes."""
    here, there = ("to_role", "from_role") if into else ("from_role", "to_role")
    rows = db.execute(
        f"SELECT p.{there}, r.title, p.kind, p.months_in_post, p.note, "
        "(SELECT GROUP_CONCAT(route, ';') FROM (SELECT route FROM progression_route pr "
        " WHERE pr.from_role = p.from_role AND pr.to_role = p.to_role ORDER BY route)) "
        f"FROM progression p JOIN role r ON r.id = p.{there} WHERE p.{here} = ? "
        f"ORDER BY p.kind DESC, p.{there}",
        [role_id],
    ).fetchall()
    return tuple(
        Move(other, title, kind, months, tuple(routes.split(";")) if routes else (), note)
        for other, title, kind, months, note, routes in rows
    )


def route_detail(db: Database, route_id: str) -> RouteDetail | None:
    """One training route with every field; None if there is no such route."""
    route = load_routes(db, route_id).get(route_id)
    if route is None:
        return None
    leads_to = tuple(
        Named(*row)
        for row in db.execute(
            "SELECT r.id, r.title FROM route_role rr JOIN role r ON r.id = rr.role "
            "WHERE rr.route = ? ORDER BY r.id",
            [route_id],
        )
    )
    gives = tuple(
        Named(*row)
        for row in db.execute(
            "SELECT c.id, c.name FROM route_competency rc JOIN competency c "
            "ON c.id = rc.competency WHERE rc.route = ? ORDER BY c.name",
            [route_id],
        )
    )
    makes = tuple(
        (Named(a, a_title), Named(b, b_title))
        for a, a_title, b, b_title in db.execute(
            "SELECT pr.from_role, f.title, pr.to_role, t.title FROM progression_route pr "
            "JOIN role f ON f.id = pr.from_role JOIN role t ON t.id = pr.to_role "
            "WHERE pr.route = ? ORDER BY pr.from_role, pr.to_role",
            [route_id],
        )
    )
    return RouteDetail(route=route, leads_to=leads_to, gives=gives, makes=makes)


def band_detail(db: Database, code: str) -> BandDetail | None:
    """One AfC band: its JE score range, pay points by year and the roles banded in it."""
    band = _one(db, "SELECT * FROM band WHERE code = ?", [code])
    if band is None:
        return None
    pay = [
        PayPoint(*row)
        for row in db.execute(
            "SELECT pay_year, point, salary, confidence, source FROM pay_point WHERE band = ?",
            [code],
        )
    ]
    # Newest year first; within a year, entry to top (two stable sorts).
    pay.sort(key=lambda p: POINT_ORDER.index(p.point))
    pay.sort(key=lambda p: p.pay_year, reverse=True)
    order = band_order(code)
    roles = tuple(
        Named(role_id, title)
        for role_id, title, low, high in db.execute(
            "SELECT id, title, band_min, band_max FROM role WHERE band_min IS NOT NULL "
            "ORDER BY staff_group, id"
        )
        if band_order(low) <= order <= band_order(high)
    )
    return BandDetail(
        code=band["code"],
        je_min=band["je_min"],
        je_max=band["je_max"],
        closed=bool(band["closed"]),
        note=band["note"],
        pay=tuple(pay),
        roles=roles,
    )


def competency_detail(db: Database, competency_id: str) -> CompetencyDetail | None:
    """One competency: the roles that need it (with the level) and the routes that give it."""
    found = _one(db, "SELECT * FROM competency WHERE id = ?", [competency_id])
    if found is None:
        return None
    roles = tuple(
        (Named(role_id, title), level)
        for role_id, title, level in db.execute(
            "SELECT r.id, r.title, rc.level FROM role_competency rc JOIN role r "
            "ON r.id = rc.role WHERE rc.competency = ? ORDER BY rc.level DESC, r.id",
            [competency_id],
        )
    )
    routes = tuple(
        Named(*row)
        for row in db.execute(
            "SELECT t.id, t.name FROM route_competency rc JOIN training_route t "
            "ON t.id = rc.route WHERE rc.competency = ? ORDER BY t.name",
            [competency_id],
        )
    )
    return CompetencyDetail(
        id=found["id"],
        name=found["name"],
        pillar=found["pillar"],
        description=found["description"],
        roles=roles,
        routes=routes,
    )


def trust_detail(db: Database, code: str) -> TrustDetail | None:
    """One trust: its ICB and the size of its establishment in the catalogue."""
    trust = _one(
        db,
        "SELECT t.code, t.name, t.icb, i.name AS icb_name, t.note FROM trust t "
        "JOIN icb i ON i.code = t.icb WHERE t.code = ?",
        [code],
    )
    if trust is None:
        return None
    posts, unmapped, funded, in_post = db.execute(
        "SELECT COUNT(*), SUM(role IS NULL), COALESCE(SUM(wte_funded), 0), "
        "COALESCE(SUM(wte_in_post), 0) FROM job_description WHERE trust = ?",
        [code],
    ).fetchone()
    return TrustDetail(
        code=trust["code"],
        name=trust["name"],
        icb=trust["icb"],
        icb_name=trust["icb_name"],
        note=trust["note"],
        posts=int(posts),
        unmapped=int(unmapped or 0),
        wte_funded=float(funded),
        wte_in_post=float(in_post),
    )


def jd_detail(db: Database, key: str | int, profile: str | None = None) -> JDDetail | None:
    """One JD by its catalogue id (the posts table's row key); None if there is no such JD.

    With `profile` (a JE profile's id) its JE levels are matched against that profile;
    without, against the profile its reference role's national profile names, if held.
    """
    from catalogue.je_profiles import load_profiles  # deferred: loads pydantic models
    from catalogue.je_scheme import load_scheme
    from pathways.je_check import check_job
    from pathways.je_profile_match import match_profile

    try:
        jd_id = int(key)
    except ValueError:
        return None
    row = db.execute(
        f"SELECT {_JD_FIELDS}, t.name, r.title, r.band_min, r.band_max, "
        "b.source, b.imported_at, b.illustrative, r.national_profile FROM job_description j "
        "JOIN trust t ON t.code = j.trust LEFT JOIN role r ON r.id = j.role "
        "JOIN import_batch b ON b.id = j.import_batch WHERE j.id = ?",
        [jd_id],
    ).fetchone()
    if row is None:
        return None
    jd = _jd(row)
    trust_name, role_title, band_min, band_max, source, imported_at, illustrative = row[11:18]
    national_profile = row[18] or ""
    profiles = load_profiles(db)
    je = None
    match = None
    if jd.je_levels:
        scheme = load_scheme(db)
        je = check_job(scheme, jd.je_levels, jd.band)
        chosen = next(
            (
                item
                for item in profiles
                if item.id == profile
                or (profile is None and national_profile and item.title == national_profile)
            ),
            None,
        )
        if chosen is not None:
            match = match_profile(scheme, chosen, jd.je_levels)
    competencies = [
        JDCompetency(*found)
        for found in db.execute(
            "SELECT c.id, c.name, c.pillar FROM jd_competency jc "
            "JOIN competency c ON c.id = jc.competency WHERE jc.jd = ?",
            [jd_id],
        )
    ]
    competencies.sort(key=lambda need: (_pillar_key(need.pillar), need.name))
    return JDDetail(
        jd=jd,
        trust_name=trust_name,
        role_title=role_title,
        role_band_min=band_min,
        role_band_max=band_max,
        je=je,
        competencies=tuple(competencies),
        source=source,
        imported_at=imported_at,
        illustrative=bool(illustrative),
        profile_match=match,
        profiles_held=len(profiles),
    )


# A JD's own columns, in the order `_jd` reads them.
_JD_FIELDS = (
    "j.id, j.trust, j.jd_ref, j.title, j.role, j.band, j.wte_funded, j.wte_in_post, "
    "j.je_levels, j.je_score, j.summary"
)


def _jd(row: Any) -> JD:
    """A JD from a row whose first columns are `_JD_FIELDS`."""
    return JD(
        id=row[0],
        trust=row[1],
        jd_ref=row[2],
        title=row[3],
        role=row[4],
        band=row[5],
        wte_funded=row[6],
        wte_in_post=row[7],
        je_levels=read_levels(row[8]),
        je_score=row[9],
        summary=row[10],
    )


# A trust may hold thousands of posts in a national catalogue: they are read a page at a time,
# optionally only those whose reference, title or role contain some text.
# LIKE rather than instr(lower(...)): the same matches (SQLite's lower() and LIKE both ignore
# the case of ASCII letters only), in about a third of the time, since LIKE compares in place
# rather than building a lowered copy of every row's text (a filter is typed a key at a time).
_POST_TEXT = "(j.jd_ref || ' ' || j.title || ' ' || COALESCE(j.role, '')) LIKE ? ESCAPE '\\'"


def _post_filter(trust: str, text: str) -> tuple[str, list[Any]]:
    if text:
        return f"WHERE j.trust = ? AND {_POST_TEXT}", [trust, f"%{_like_literal(text)}%"]
    return "WHERE j.trust = ?", [trust]


def _like_literal(text: str) -> str:
    """`text` matched as typed by LIKE: its own % and _ are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def count_posts(db: Database, trust: str, text: str = "") -> int:
    """How many of a trust's JDs there are (containing `text`, case-insensitively, if given)."""
    where, params = _post_filter(trust, text)
    return int(db.execute(f"SELECT COUNT(*) FROM job_description j {where}", params).fetchone()[0])


def trust_posts(
    db: Database, trust: str, *, text: str = "", offset: int = 0, limit: int = 200
) -> list[JD]:
    """One page of a trust's JDs, in reference order (containing `text`, if given)."""
    where, params = _post_filter(trust, text)
    rows = db.execute(
        f"SELECT {_JD_FIELDS} FROM job_description j {where} "
        "ORDER BY j.jd_ref, j.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [_jd(row) for row in rows]
