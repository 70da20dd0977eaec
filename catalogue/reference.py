"""Reading the reference data files under catalogue/data/ into validated records.

The files are the source of truth; this module refuses them (naming file, table and field)
when a record is malformed or points at something that does not exist, so a bad edit is
caught by `workforce init` and by the tests, never written into a catalogue.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import ReferenceDataError as ReferenceDataError
from catalogue.models import (
    ICB,
    Band,
    Competency,
    JEFactor,
    NationalRate,
    PayPoint,
    Progression,
    Role,
    RoleCompetency,
    StaffGroup,
    TrainingRoute,
    Trust,
)

DATA_DIR = Path(__file__).parent / "data"

# Every file the catalogue is built from, in the order they are read. The digest of these
# files is stored in the catalogue so a stale workforce.db can be recognised.
REFERENCE_FILES = (
    "bands.toml",
    "je_scheme.toml",
    "organisations.toml",
    "roles.toml",
    "competencies.toml",
    "role_competencies.toml",
    "routes.toml",
    "progression.toml",
    "national_rates.toml",
    "settings.toml",
    "release.toml",
)
ILLUSTRATIVE_JDS_FILE = "illustrative_jds.toml"

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class ReferenceData:
    bands: list[Band]
    pay_points: list[PayPoint]
    je_factors: list[JEFactor]
    icbs: list[ICB]
    trusts: list[Trust]
    staff_groups: list[StaffGroup]
    roles: list[Role]
    competencies: list[Competency]
    role_competencies: list[RoleCompetency]
    routes: list[TrainingRoute]
    progressions: list[Progression]
    national_rates: list[NationalRate]
    settings: dict[str, Any] = field(default_factory=dict)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning a syntax error into a message that names the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise ReferenceDataError(f"{path}: file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise ReferenceDataError(f"{path}: not valid TOML: {error}") from error


def validation_message(error: ValidationError) -> str:
    """One line per problem: 'field: what is wrong'."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "record"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def _records(path: Path, doc: dict[str, Any], table: str, model: type[ModelT]) -> list[ModelT]:
    records = []
    for index, raw in enumerate(doc.get(table, []), start=1):
        try:
            records.append(model.model_validate(raw))
        except ValidationError as error:
            raise ReferenceDataError(
                f"{path}: [[{table}]] #{index}: {validation_message(error)}"
            ) from error
    return records


def _role_competencies(path: Path, doc: dict[str, Any]) -> list[RoleCompetency]:
    links = []
    for role_id, levels in doc.items():
        if not isinstance(levels, dict):
            raise ReferenceDataError(f"{path}: [{role_id}] must be a table of competency = level")
        for competency_id, level in levels.items():
            try:
                links.append(RoleCompetency(role=role_id, competency=competency_id, level=level))
            except ValidationError as error:
                raise ReferenceDataError(
                    f"{path}: [{role_id}] {competency_id}: {validation_message(error)}"
                ) from error
    return links


class OnCostComponent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    rate: float = Field(ge=0, le=1)
    source: str = Field(min_length=1)  # never a rate without a public source


class OnCosts(BaseModel):
    """The default on-cost rate for costing pay changes, and what it is made of."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rate: float = Field(ge=0, le=1)
    label: str = Field(min_length=1)
    component: list[OnCostComponent] = Field(min_length=1)

    @model_validator(mode="after")
    def _rate_is_the_sum(self) -> OnCosts:
        total = sum(part.rate for part in self.component)
        if abs(total - self.rate) > 1e-9:
            raise ValueError(f"rate {self.rate} is not the sum of its components ({total:g})")
        return self

    @property
    def sources(self) -> str:
        return "; ".join(f"{part.name}: {part.rate:.2%} ({part.source})" for part in self.component)


def load_on_costs(data_dir: Path = DATA_DIR) -> OnCosts:
    """The [on_costs] table of settings.toml, checked."""
    path = data_dir / "settings.toml"
    try:
        return OnCosts.model_validate(read_toml(path).get("on_costs"))
    except ValidationError as error:
        raise ReferenceDataError(f"{path}: [on_costs]: {validation_message(error)}") from error


class PayVariationSetting(BaseModel):
    """The default threshold of pay variation: a fraction of pay, with its public source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(gt=0, lt=1)
    source: str = Field(min_length=1)


def load_pay_variation(data_dir: Path = DATA_DIR) -> PayVariationSetting:
    """The [pay_variation] table of settings.toml, checked."""
    path = data_dir / "settings.toml"
    try:
        return PayVariationSetting.model_validate(read_toml(path).get("pay_variation"))
    except ValidationError as error:
        raise ReferenceDataError(f"{path}: [pay_variation]: {validation_message(error)}") from error


def load_reference(data_dir: Path = DATA_DIR) -> ReferenceData:
    """Read and check every reference file; raise ReferenceDataError on the first problem."""
    docs = {name: read_toml(data_dir / name) for name in REFERENCE_FILES}

    def path(name: str) -> Path:
        return data_dir / name

    je_doc = docs["je_scheme.toml"]
    data = ReferenceData(
        bands=_records(path("bands.toml"), docs["bands.toml"], "band", Band),
        pay_points=_records(path("bands.toml"), docs["bands.toml"], "pay_point", PayPoint),
        je_factors=_records(path("je_scheme.toml"), je_doc, "factor", JEFactor),
        icbs=_records(path("organisations.toml"), docs["organisations.toml"], "icb", ICB),
        trusts=_records(path("organisations.toml"), docs["organisations.toml"], "trust", Trust),
        staff_groups=_records(path("roles.toml"), docs["roles.toml"], "staff_group", StaffGroup),
        roles=_records(path("roles.toml"), docs["roles.toml"], "role", Role),
        competencies=_records(
            path("competencies.toml"), docs["competencies.toml"], "competency", Competency
        ),
        role_competencies=_role_competencies(
            path("role_competencies.toml"), docs["role_competencies.toml"]
        ),
        routes=_records(path("routes.toml"), docs["routes.toml"], "route", TrainingRoute),
        progressions=_records(
            path("progression.toml"), docs["progression.toml"], "edge", Progression
        ),
        national_rates=_records(
            path("national_rates.toml"), docs["national_rates.toml"], "rate", NationalRate
        ),
        settings={
            "je_confidence": je_doc.get("confidence", ""),
            "je_source": je_doc.get("source", ""),
            "near_boundary_points": je_doc.get("near_boundary_points", 5),
            "on_costs": load_on_costs(data_dir),
            "pay_variation": load_pay_variation(data_dir),
            "release": str(docs["release.toml"].get("release", "")),
            "release_notes": [str(note) for note in docs["release.toml"].get("notes", [])],
        },
    )
    check_references(data, data_dir)
    return data


def _require(known: Iterable[str], used: str, what: str, where: str) -> None:
    if used not in known:
        raise ReferenceDataError(f"{where}: unknown {what} {used!r}")


def _unique(ids: list[str], what: str, where: Path) -> set[str]:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ReferenceDataError(f"{where}: {what} {item!r} appears twice")
        seen.add(item)
    return seen


def check_references(data: ReferenceData, data_dir: Path) -> None:
    """Every id a record points at exists, and ids are unique within their table."""
    bands = _unique([b.code for b in data.bands], "band", data_dir / "bands.toml")
    icbs = _unique([i.code for i in data.icbs], "ICB", data_dir / "organisations.toml")
    _unique([t.code for t in data.trusts], "trust", data_dir / "organisations.toml")
    groups = _unique([g.id for g in data.staff_groups], "staff group", data_dir / "roles.toml")
    roles = _unique([r.id for r in data.roles], "role", data_dir / "roles.toml")
    comps = _unique([c.id for c in data.competencies], "competency", data_dir / "competencies.toml")
    _unique([c.name for c in data.competencies], "competency name", data_dir / "competencies.toml")
    routes = _unique([r.id for r in data.routes], "route", data_dir / "routes.toml")
    factors = [f.number for f in data.je_factors]
    if factors != list(range(1, 17)):
        raise ReferenceDataError(f"{data_dir / 'je_scheme.toml'}: factors must be 1 to 16 in order")

    for pay in data.pay_points:
        _require(bands, pay.band, "band", f"{data_dir / 'bands.toml'}: pay point")
    for trust in data.trusts:
        _require(icbs, trust.icb, "ICB", f"{data_dir / 'organisations.toml'}: trust {trust.code}")
    for role in data.roles:
        where = f"{data_dir / 'roles.toml'}: role {role.id}"
        _require(groups, role.staff_group, "staff group", where)
    for link in data.role_competencies:
        where = f"{data_dir / 'role_competencies.toml'}: [{link.role}]"
        _require(roles, link.role, "role", where)
        _require(comps, link.competency, "competency", where)
    for route in data.routes:
        where = f"{data_dir / 'routes.toml'}: route {route.id}"
        for competency in route.gives:
            _require(comps, competency, "competency", where)
        for role_id in route.leads_to:
            _require(roles, role_id, "role", where)
    rated: set[str] = set()
    for rate in data.national_rates:
        where = f"{data_dir / 'national_rates.toml'}: rate {rate.id}"
        for role_id in rate.roles:
            _require(roles, role_id, "role", where)
            if role_id in rated:
                raise ReferenceDataError(f"{where}: role {role_id!r} already has a rate")
            rated.add(role_id)
    seen_edges: set[tuple[str, str]] = set()
    for edge in data.progressions:
        where = f"{data_dir / 'progression.toml'}: edge {edge.from_role} -> {edge.to_role}"
        _require(roles, edge.from_role, "role", where)
        _require(roles, edge.to_role, "role", where)
        for route_id in edge.routes:
            _require(routes, route_id, "route", where)
        if (edge.from_role, edge.to_role) in seen_edges:
            raise ReferenceDataError(f"{where}: appears twice")
        seen_edges.add((edge.from_role, edge.to_role))


def data_digest(data_dir: Path = DATA_DIR, *, include_illustrative: bool = True) -> str:
    """A SHA-256 over the data files, stored in the catalogue to detect a stale build."""
    names = list(REFERENCE_FILES)
    if include_illustrative:
        names.append(ILLUSTRATIVE_JDS_FILE)
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()
