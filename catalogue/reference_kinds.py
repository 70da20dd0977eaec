"""The kinds of reference row a network can import, export and change, and how each is stored.

One `Kind` per table of `catalogue/data/` (`[[icb]]`, `[[trust]]`, `[[route]]`, `[[edge]]`,
`[[pay_point]]`, ...): its model, its key, the lists it holds (CSV writes them `;`-separated),
what it refers to, and how its rows are read from and written to SQLite. The importer, the
exports, `workforce update` and the app's forms all go through these, so a row means the same
thing wherever it came from. KINDS is in dependency order: a kind refers only to kinds before
it (or to itself), so applying in this order never breaks a foreign key.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from catalogue.bands import BAND_ORDER
from catalogue.je_profiles import (
    FACTOR_FIELDS,
    JEProfile,
    delete_profile,
    load_profile_rows,
    write_profile,
)
from catalogue.models import (
    ICB,
    Band,
    Competency,
    NationalRate,
    PayPoint,
    Progression,
    Role,
    RoleCompetency,
    StaffGroup,
    TrainingRoute,
    Trust,
)
from catalogue.reference import OnCosts

Row = dict[str, Any]
KEY_SEPARATOR = ":"


@dataclass(frozen=True)
class Ref:
    """A field that names rows of another kind (or of its own, for a merged role)."""

    field: str
    kind: str


@dataclass(frozen=True)
class Kind:
    name: str  # the TOML table name: [[route]]; also the kind recorded in reference_origin
    plural: str  # what people call a set of them: `workforce export routes`, --kind routes
    label: str  # in messages: "route"
    model: type[BaseModel]
    key: tuple[str, ...]
    table: str  # the SQLite table the row itself lives in
    lists: dict[str, str] = field(default_factory=dict)  # list field -> CSV separator
    refs: tuple[Ref, ...] = ()
    # Columns an export adds that are not the row's own (a trust's JD count): skipped on import.
    derived: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)  # column as exported -> field
    # Columns that, present together, say a CSV or JSON file holds this kind.
    signature: frozenset[str] = frozenset()
    # Text fields that must be unique across the kind (trust names, competency names).
    unique: tuple[str, ...] = ()

    def key_of(self, record: Row) -> str:
        if not self.key:  # the one on-cost setting
            return ON_COSTS_KEY
        return KEY_SEPARATOR.join(str(record[part]) for part in self.key)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


def _kind(**values: Any) -> Kind:
    return Kind(**values)


KINDS: tuple[Kind, ...] = (
    _kind(
        name="icb",
        plural="icbs",
        label="ICB",
        model=ICB,
        key=("code",),
        table="icb",
        signature=frozenset({"code", "name"}),
    ),
    _kind(
        name="trust",
        plural="trusts",
        label="trust",
        model=Trust,
        key=("code",),
        table="trust",
        refs=(Ref("icb", "icb"),),
        derived=frozenset({"icb_name", "jds"}),
        signature=frozenset({"code", "name", "icb"}),
        unique=("name",),
    ),
    _kind(
        name="staff_group",
        plural="staff-groups",
        label="staff group",
        model=StaffGroup,
        key=("id",),
        table="staff_group",
        signature=frozenset({"id", "name", "description"}),
    ),
    _kind(
        name="band",
        plural="bands",
        label="band",
        model=Band,
        key=("code",),
        table="band",
        aliases={"band": "code"},
        # The bands export carries one pay year's points beside each band: read as pay points.
        derived=frozenset({"entry", "intermediate", "top", "pay_year", "pay_confidence"}),
        signature=frozenset({"code", "je_min", "je_max"}),
    ),
    _kind(
        name="pay_point",
        plural="pay-points",
        label="pay point",
        model=PayPoint,
        key=("band", "pay_year", "point"),
        table="pay_point",
        refs=(Ref("band", "band"),),
        signature=frozenset({"band", "pay_year", "point", "salary"}),
    ),
    _kind(
        name="competency",
        plural="competencies",
        label="competency",
        model=Competency,
        key=("id",),
        table="competency",
        derived=frozenset({"roles"}),
        signature=frozenset({"id", "name", "pillar"}),
        unique=("name",),
    ),
    _kind(
        name="role",
        plural="roles",
        label="role",
        model=Role,
        key=("id",),
        table="role",
        refs=(
            Ref("staff_group", "staff_group"),
            Ref("band_min", "band"),
            Ref("band_max", "band"),
            Ref("merged_into", "role"),
        ),
        signature=frozenset({"id", "title", "staff_group", "career_level"}),
    ),
    _kind(
        name="role_competency",
        plural="role-competencies",
        label="role competency",
        model=RoleCompetency,
        key=("role", "competency"),
        table="role_competency",
        refs=(Ref("role", "role"), Ref("competency", "competency")),
        signature=frozenset({"role", "competency", "level"}),
    ),
    _kind(
        name="route",
        plural="routes",
        label="route",
        model=TrainingRoute,
        key=("id",),
        table="training_route",
        lists={"gives": ";", "leads_to": ";", "unconfirmed": ","},
        refs=(Ref("gives", "competency"), Ref("leads_to", "role")),
        signature=frozenset({"id", "name", "kind"}),
    ),
    _kind(
        name="edge",
        plural="edges",
        label="move",
        model=Progression,
        key=("from_role", "to_role"),
        table="progression",
        lists={"routes": ";"},
        refs=(Ref("from_role", "role"), Ref("to_role", "role"), Ref("routes", "route")),
        signature=frozenset({"from_role", "to_role"}),
    ),
    _kind(
        name="rate",
        plural="rates",
        label="national vacancy rate",
        model=NationalRate,
        key=("id",),
        table="national_rate",
        lists={"roles": ";"},
        refs=(Ref("roles", "role"),),
        signature=frozenset({"id", "label", "rate", "roles"}),
    ),
    _kind(
        name="on_costs",
        plural="settings",
        label="on-cost setting",
        model=OnCosts,
        key=(),
        table="catalogue_meta",
        signature=frozenset({"rate", "label", "component"}),
    ),
)

# ---- JE profiles (catalogue/je_profiles.py): a profile and its 16 factor ranges ---------------
# One column per factor in CSV ("Factor 1" or "F1" name factor_1); refers to a band only.
KINDS += (
    _kind(
        name="je_profile",
        plural="je-profiles",
        label="JE profile",
        model=JEProfile,
        key=("id",),
        table="je_profile",
        refs=(Ref("band", "band"),),
        aliases={f"f{number}": field for number, field in enumerate(FACTOR_FIELDS, start=1)},
        signature=frozenset({"id", "title", "band", "factor_1"}),
    ),
)
# ---- end of JE profiles -------------------------------------------------------------------

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_PLURAL: dict[str, Kind] = {kind.plural: kind for kind in KINDS}
ON_COSTS_KEY = "on_costs"


def kind_named(written: str) -> Kind | None:
    """A kind from what a person types: 'routes', 'route', 'pay-points', 'pay_point'."""
    text = written.strip().lower().replace("_", "-")
    for kind in KINDS:
        if text in (kind.plural, kind.name.replace("_", "-")):
            return kind
    return None


# ---- reading rows from the catalogue, in the models' shape ----------------------------------


def _select(db: Any, sql: str) -> list[Row]:
    cursor = db.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _grouped(db: Any, sql: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in db.execute(sql):
        found.setdefault(str(key), []).append(value)
    return {key: sorted(values) for key, values in found.items()}


def _load_bands(db: Any) -> list[Row]:
    rows = _select(db, "SELECT code, je_min, je_max, closed, note FROM band ORDER BY ordinal")
    return [{**row, "closed": bool(row["closed"])} for row in rows]


def _load_routes(db: Any) -> list[Row]:
    gives = _grouped(db, "SELECT route, competency FROM route_competency")
    leads = _grouped(db, "SELECT route, role FROM route_role")
    rows = _select(
        db,
        "SELECT id, name, kind, level, months, funding_cap, standard_ref, entry_requirements, "
        "registration, status, status_note, status_from, unconfirmed, source, fee, fee_source, "
        "needs_degree FROM training_route ORDER BY kind, COALESCE(level, 0), name, id",
    )
    for row in rows:
        row["needs_degree"] = bool(row["needs_degree"])
        row["gives"] = gives.get(row["id"], [])
        row["leads_to"] = leads.get(row["id"], [])
        row["unconfirmed"] = [name for name in (row["unconfirmed"] or "").split(",") if name]
    return rows


def _load_edges(db: Any) -> list[Row]:
    routes = _grouped(
        db, f"SELECT from_role || '{KEY_SEPARATOR}' || to_role, route FROM progression_route"
    )
    rows = _select(
        db,
        "SELECT from_role, to_role, kind, months_in_post, note FROM progression "
        "ORDER BY from_role, to_role",
    )
    for row in rows:
        row["routes"] = routes.get(f"{row['from_role']}{KEY_SEPARATOR}{row['to_role']}", [])
    return rows


def _load_rates(db: Any) -> list[Row]:
    roles = _grouped(db, "SELECT rate, role FROM national_rate_role")
    rows = _select(db, "SELECT id, label, rate, source FROM national_rate ORDER BY id")
    for row in rows:
        row["roles"] = roles.get(row["id"], [])
    return rows


def _load_on_costs(db: Any) -> list[Row]:
    found = db.execute("SELECT value FROM catalogue_meta WHERE key = 'on_costs'").fetchone()
    return [json.loads(found[0])] if found else []


_LOADERS: dict[str, Callable[[Any], list[Row]]] = {
    "icb": lambda db: _select(db, "SELECT code, name FROM icb ORDER BY code"),
    "trust": lambda db: _select(db, "SELECT code, name, icb, note FROM trust ORDER BY icb, code"),
    "staff_group": lambda db: _select(
        db, "SELECT id, name, description FROM staff_group ORDER BY id"
    ),
    "band": _load_bands,
    "pay_point": lambda db: _select(
        db,
        "SELECT p.band, p.pay_year, p.point, p.salary, p.confidence, p.source FROM pay_point p "
        "JOIN band b ON b.code = p.band ORDER BY p.pay_year, b.ordinal, "
        "CASE p.point WHEN 'entry' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END",
    ),
    "competency": lambda db: _select(
        db, "SELECT id, name, pillar, description FROM competency ORDER BY pillar, name"
    ),
    "role": lambda db: _select(
        db,
        "SELECT r.id, r.title, r.staff_group, r.band_min, r.band_max, r.career_level, "
        "r.registration, r.pay_system, r.national_profile, r.band_confidence, r.description, "
        "r.source, r.status, r.merged_into FROM role r LEFT JOIN band b ON b.code = r.band_min "
        "ORDER BY r.staff_group, COALESCE(b.ordinal, 99), r.id",
    ),
    "role_competency": lambda db: _select(
        db, "SELECT role, competency, level FROM role_competency ORDER BY role, competency"
    ),
    "route": _load_routes,
    "edge": _load_edges,
    "rate": _load_rates,
    "on_costs": _load_on_costs,
    "je_profile": load_profile_rows,
}


def load_rows(db: Any, kind: Kind) -> list[Row]:
    """Every row of a kind, in the models' shape (lists as lists), in export order."""
    return _LOADERS[kind.name](db)


def load_keys(db: Any, kind: Kind) -> set[str]:
    """The keys of every row of a kind: what other rows may refer to."""
    if kind.name == "on_costs":
        return {ON_COSTS_KEY} if _load_on_costs(db) else set()
    columns = f" || '{KEY_SEPARATOR}' || ".join(kind.key)
    return {str(key) for (key,) in db.execute(f"SELECT {columns} FROM {kind.table}")}


# ---- writing one row ------------------------------------------------------------------------


def _upsert(conn: sqlite3.Connection, table: str, row: Row, key: tuple[str, ...]) -> None:
    columns = list(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({', '.join(key)}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING"),
        list(row.values()),
    )


def _replace_links(
    conn: sqlite3.Connection, table: str, owner: dict[str, str], column: str, values: list[str]
) -> None:
    where = " AND ".join(f"{name} = ?" for name in owner)
    conn.execute(f"DELETE FROM {table} WHERE {where}", list(owner.values()))
    names = [*owner, column]
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [[*owner.values(), value] for value in values],
    )


def write_row(conn: sqlite3.Connection, kind: Kind, record: BaseModel) -> None:
    """Insert or replace one checked row of `kind`, with the lists it holds."""
    if isinstance(record, JEProfile):  # a profile and its factor ranges: catalogue.je_profiles
        write_profile(conn, record)
        return
    data = record.model_dump()
    if kind.name == "on_costs":
        on_costs = OnCosts.model_validate(data)
        for key, value in (
            ("on_costs", json.dumps(data, sort_keys=True)),
            ("on_costs_rate", repr(on_costs.rate)),
            ("on_costs_label", on_costs.label),
            ("on_costs_sources", on_costs.sources),
        ):
            _upsert(conn, "catalogue_meta", {"key": key, "value": value}, ("key",))
        return
    if kind.name == "band":
        data["ordinal"] = BAND_ORDER[data["code"]]
        data["closed"] = int(data["closed"])
    if kind.name == "route":
        data["unconfirmed"] = ",".join(data["unconfirmed"])
    own = {name: value for name, value in data.items() if name not in kind.lists}
    if kind.name == "route":
        own["unconfirmed"] = data["unconfirmed"]
    _upsert(conn, kind.table, own, kind.key)
    if kind.name == "route":
        _replace_links(conn, "route_competency", {"route": data["id"]}, "competency", data["gives"])
        _replace_links(conn, "route_role", {"route": data["id"]}, "role", data["leads_to"])
    elif kind.name == "edge":
        owner = {"from_role": data["from_role"], "to_role": data["to_role"]}
        _replace_links(conn, "progression_route", owner, "route", data["routes"])
    elif kind.name == "rate":
        _replace_links(conn, "national_rate_role", {"rate": data["id"]}, "role", data["roles"])


def delete_row(conn: sqlite3.Connection, kind: Kind, key: str) -> None:
    """Remove one row and the lists it holds (callers check first that nothing names it)."""
    parts = dict(zip(kind.key, key.split(KEY_SEPARATOR), strict=True))
    if kind.name == "je_profile":
        delete_profile(conn, parts["id"])
        return
    if kind.name == "route":
        for table in ("route_competency", "route_role"):
            conn.execute(f"DELETE FROM {table} WHERE route = ?", [parts["id"]])
    elif kind.name == "edge":
        conn.execute(
            "DELETE FROM progression_route WHERE from_role = ? AND to_role = ?",
            [parts["from_role"], parts["to_role"]],
        )
    elif kind.name == "rate":
        conn.execute("DELETE FROM national_rate_role WHERE rate = ?", [parts["id"]])
    where = " AND ".join(f"{name} = ?" for name in parts)
    conn.execute(f"DELETE FROM {kind.table} WHERE {where}", list(parts.values()))
