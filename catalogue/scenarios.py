"""Saved harmonisation scenarios: a name, a target band per role, what to do with each
targeted role's pay beyond the band (premia, appointment point), and the assumptions.

A scenario stores what was proposed, not what it cost: the cost is worked out again from the
current job descriptions each time it is shown (pathways.harmonise). An assumption left to
its default (pay year, on-cost rate) is stored as absent, so it follows the catalogue: a
rerun after a new pay year is added costs the plan at the new year.

Scenarios can be written to TOML and read back; a file is validated (pydantic) before it can
change the catalogue, and a broken one is refused with a message naming the file and field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlite_utils import Database

from catalogue.bands import parse_band
from catalogue.errors import ImportProblem, first_problems
from catalogue.toml_files import read_toml_file

PayPointChoice = Literal["entry", "mid", "top"]
Basis = Literal["in_post", "funded"]

# Marks a file written by `workforce scenarios --export`, so a stray TOML file is not misread.
FILE_KIND = "workforce-pathways scenario"


class ScenarioError(ValueError):
    """A scenario that cannot be saved, found, or read (bad input: exit 2 on the command line)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ScenarioAssumptions(_Strict):
    """What a plan assumes. None means 'the catalogue's default when the plan is run'."""

    pay_year: str | None = Field(default=None, pattern=r"^\d{4}/\d{2}$")
    pay_point: PayPointChoice = "top"
    on_costs: float | None = Field(default=None, ge=0, le=1)
    protection: bool = True
    basis: Basis = "in_post"


class ScenarioTarget(_Strict):
    role: str = Field(min_length=1)
    band: str

    @field_validator("band", mode="before")
    @classmethod
    def _band(cls, value: object) -> str:
        return parse_band(value)  # BandError is a ValueError: pydantic reports it on the field


RrpAction = Literal["keep", "remove", "align"]
AppointmentPoint = Literal["entry", "intermediate", "top"]


class ScenarioPay(_Strict):
    """What a scenario does with a targeted role's pay beyond the band: its premia kept,
    removed at their review dates, or aligned to one annual amount at every trust; and the
    pay point every trust appoints new starters at (None: as each does now)."""

    role: str = Field(min_length=1)
    rrp_action: RrpAction = "keep"
    rrp_amount: int | None = Field(default=None, gt=0, le=100_000)
    appointment_point: AppointmentPoint | None = None

    @model_validator(mode="after")
    def _amount_goes_with_align(self) -> ScenarioPay:
        if self.rrp_action == "align" and self.rrp_amount is None:
            raise ValueError(f"{self.role}: aligning premia needs the amount to align them to")
        if self.rrp_action != "align" and self.rrp_amount is not None:
            raise ValueError(
                f"{self.role}: an amount goes with aligning premia, not {self.rrp_action!r}"
            )
        return self


class Scenario(_Strict):
    name: str = Field(min_length=1, max_length=100)
    created: str = ""
    targets: list[ScenarioTarget] = Field(min_length=1)
    assumptions: ScenarioAssumptions = ScenarioAssumptions()
    pay: list[ScenarioPay] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pay_rules_of_targets(self) -> Scenario:
        targeted = {target.role for target in self.targets}
        seen: set[str] = set()
        for rule in self.pay:
            if rule.role in seen:
                raise ValueError(f"role {rule.role!r} has more than one pay rule")
            seen.add(rule.role)
            if rule.role not in targeted:
                raise ValueError(
                    f"role {rule.role!r} has a pay rule but no target band: target it too "
                    "(its modal band, if its band is not to change)"
                )
        return self

    @field_validator("name")
    @classmethod
    def _printable(cls, value: str) -> str:
        if not value.isprintable():
            raise ValueError("a scenario name must be printable text on one line")
        return value

    @field_validator("targets")
    @classmethod
    def _one_target_per_role(cls, value: list[ScenarioTarget]) -> list[ScenarioTarget]:
        seen: set[str] = set()
        for target in value:
            if target.role in seen:
                raise ValueError(f"role {target.role!r} has more than one target")
            seen.add(target.role)
        return value


def now() -> str:
    """When a scenario is saved: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def scenario_names(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM scenario ORDER BY name")]


def _unknown(db: Database, name: str) -> ScenarioError:
    names = scenario_names(db)
    known = ", ".join(repr(n) for n in names) if names else "none saved yet"
    return ScenarioError(f"no scenario named {name!r} (saved: {known})")


def save_scenario(db: Database, scenario: Scenario, *, force: bool = False) -> Scenario:
    """Store `scenario` in one transaction; replace one of the same name only with `force`.

    Returns the scenario as stored (stamped with the time now when it carried none).
    """
    _check_references(db, scenario)
    if not scenario.created:
        scenario = scenario.model_copy(update={"created": now()})
    with db.atomic():
        exists = db.execute("SELECT 1 FROM scenario WHERE name = ?", [scenario.name]).fetchone()
        if exists and not force:
            raise ScenarioError(
                f"a scenario named {scenario.name!r} already exists: use --force to replace it"
            )
        # Explicit, not left to ON DELETE CASCADE: a connection without foreign keys on
        # would otherwise keep the old targets.
        db.execute("DELETE FROM scenario_target WHERE scenario = ?", [scenario.name])
        db.execute("DELETE FROM scenario_pay WHERE scenario = ?", [scenario.name])
        db.execute("DELETE FROM scenario WHERE name = ?", [scenario.name])
        db.execute(
            "INSERT INTO scenario (name, created, assumptions) VALUES (?, ?, ?)",
            [
                scenario.name,
                scenario.created,
                json.dumps(scenario.assumptions.model_dump(), sort_keys=True),
            ],
        )
        for position, target in enumerate(scenario.targets):
            db.execute(
                "INSERT INTO scenario_target (scenario, role, band, position) VALUES (?, ?, ?, ?)",
                [scenario.name, target.role, target.band, position],
            )
        for rule in scenario.pay:
            db.execute(
                "INSERT INTO scenario_pay (scenario, role, rrp_action, rrp_amount, "
                "appointment_point) VALUES (?, ?, ?, ?, ?)",
                [
                    scenario.name,
                    rule.role,
                    rule.rrp_action,
                    rule.rrp_amount,
                    rule.appointment_point,
                ],
            )
    return scenario


def _check_references(db: Database, scenario: Scenario) -> None:
    """Name an unknown role or band before SQLite's foreign keys refuse it less clearly."""
    roles = {row[0] for row in db.execute("SELECT id FROM role")}
    bands = {row[0] for row in db.execute("SELECT code FROM band")}
    for rule in scenario.pay:
        if rule.role not in roles:
            raise ScenarioError(f"scenario {scenario.name!r}: unknown role {rule.role!r}")
    for target in scenario.targets:
        if target.role not in roles:
            raise ScenarioError(f"scenario {scenario.name!r}: unknown role {target.role!r}")
        if target.band not in bands:
            raise ScenarioError(
                f"scenario {scenario.name!r}: band {target.band!r} not in catalogue"
            )


def load_scenario(db: Database, name: str) -> Scenario:
    row = db.execute(
        "SELECT name, created, assumptions FROM scenario WHERE name = ?", [name]
    ).fetchone()
    if row is None:
        raise _unknown(db, name)
    return _scenario_from_row(db, row)


def list_scenarios(db: Database) -> list[Scenario]:
    rows = db.execute("SELECT name, created, assumptions FROM scenario ORDER BY name").fetchall()
    return [_scenario_from_row(db, row) for row in rows]


def _scenario_from_row(db: Database, row: tuple[str, str, str]) -> Scenario:
    name, created, assumptions = row
    targets = [
        {"role": role, "band": band}
        for role, band in db.execute(
            "SELECT role, band FROM scenario_target WHERE scenario = ? ORDER BY position",
            [name],
        )
    ]
    # In the order the targets were given (scenario_pay keeps no order of its own).
    order = {target["role"]: index for index, target in enumerate(targets)}
    pay = sorted(
        (
            {"role": role, "rrp_action": action, "rrp_amount": amount, "appointment_point": point}
            for role, action, amount, point in db.execute(
                "SELECT role, rrp_action, rrp_amount, appointment_point FROM scenario_pay "
                "WHERE scenario = ?",
                [name],
            )
        ),
        key=lambda rule: order.get(str(rule["role"]), len(order)),
    )
    return Scenario.model_validate(
        {
            "name": name,
            "created": created,
            "targets": targets,
            "assumptions": json.loads(assumptions),
            "pay": pay,
        }
    )


def delete_scenario(db: Database, name: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM scenario_target WHERE scenario = ?", [name])
        db.execute("DELETE FROM scenario_pay WHERE scenario = ?", [name])
        deleted = db.execute("DELETE FROM scenario WHERE name = ?", [name]).rowcount
    if not deleted:
        raise _unknown(db, name)


def scenario_to_toml(scenario: Scenario, result: Mapping[str, Any] | None = None) -> str:
    """The scenario as TOML; `result` (a computed summary) is written for people and ignored
    when the file is read back. TOML has no null: an assumption left to its default is left
    out of the file, and comes back as the default."""
    doc: dict[str, Any] = {
        "kind": FILE_KIND,
        "name": scenario.name,
        "created": scenario.created,
        "assumptions": scenario.assumptions.model_dump(exclude_none=True),
        "target": [target.model_dump() for target in scenario.targets],
    }
    if scenario.pay:
        doc["pay"] = [rule.model_dump(exclude_none=True) for rule in scenario.pay]
    if result is not None:
        doc["result"] = _without_none(result)
    header = (
        "# A Workforce Pathways harmonisation scenario: the target band of each role, what to\n"
        "# do with their premia and appointment points ([[pay]]), and the assumptions.\n"
        "# [result] was computed when the file was written and is ignored on\n"
        "# import (the plan is costed again on the catalogue it is imported into).\n"
    )
    return header + tomli_w.dumps(doc)


def _without_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_none(item) for item in value if item is not None]
    return value


class _ScenarioFile(_Strict):
    kind: Literal["workforce-pathways scenario"]
    name: str
    created: str = ""
    assumptions: ScenarioAssumptions = ScenarioAssumptions()
    target: list[ScenarioTarget] = Field(min_length=1)
    pay: list[ScenarioPay] = Field(default_factory=list)
    result: dict[str, Any] | None = None  # computed on export; not read back


def read_scenario_toml(path: Path) -> Scenario:
    """A scenario from a file written by `scenario_to_toml`, or ScenarioError naming the file."""
    try:
        _, doc = read_toml_file(path)
    except ImportProblem as problem:
        raise ScenarioError(str(problem)) from problem
    try:
        parsed = _ScenarioFile.model_validate(doc)
        return Scenario(
            name=parsed.name,
            created=parsed.created,
            targets=parsed.target,
            assumptions=parsed.assumptions,
            pay=parsed.pay,
        )
    except ValidationError as error:
        raise ScenarioError(f"{path}: {_problems(error)}") from error


def _problems(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        # The file's [[target]] tables are the model's `targets`: name them as the file does.
        loc = ["target" if part == "targets" else str(part) for part in problem["loc"]]
        where = ".".join(loc) or "file"
        message = str(problem["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(first_problems(parts))
