"""`workforce update`: bring a catalogue up to the packaged data of the installed release.

Only packaged rows the network has not touched are changed. A row the network added (local),
changed (override) or removed stays as the network left it, and the update says what the
packaged data now holds for it, so nothing of the network's own is ever replaced: its JDs,
mappings, scenarios, local rows and overrides. Packaged rows dropped from a release are left in
place (something may name them) and listed. Before writing, the catalogue is copied beside
itself, so the update can be undone by hand.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from catalogue.errors import CatalogueError, ImportProblem
from catalogue.jd_sources import SourceRow
from catalogue.reference import DATA_DIR, ReferenceData, load_reference
from catalogue.reference_import import (
    KindCounts,
    RefChange,
    ReferencePlan,
    apply_reference,
    check_references,
    describe_change,
    normalised_row,
)
from catalogue.reference_kinds import KINDS, load_rows
from catalogue.release import RELEASE_META, catalogue_release


def packaged_rows(data: ReferenceData) -> dict[str, list[dict[str, Any]]]:
    """The packaged data, kind by kind, in the models' shape."""

    def dump(records: list[Any]) -> list[dict[str, Any]]:
        return [record.model_dump() for record in records]

    return {
        "icb": dump(data.icbs),
        "trust": dump(data.trusts),
        "staff_group": dump(data.staff_groups),
        "band": dump(data.bands),
        "pay_point": dump(data.pay_points),
        "competency": dump(data.competencies),
        "role": dump(data.roles),
        "role_competency": dump(data.role_competencies),
        "route": dump(data.routes),
        "edge": dump(data.progressions),
        "rate": dump(data.national_rates),
        "on_costs": [data.settings["on_costs"].model_dump()],
        # No national JE profiles are packaged (their factor levels are not in hand): every
        # profile is the network's own, imported.
        "je_profile": [],
    }


@dataclass
class UpdatePlan:
    release_from: str
    release_to: str
    notes: list[str]
    reference: ReferencePlan = field(default_factory=ReferencePlan)
    kept: list[str] = field(default_factory=list)  # the network's own, left as it is
    dropped: list[str] = field(default_factory=list)  # packaged before, not any more
    affects: list[str] = field(default_factory=list)  # what the changes touch

    @property
    def lines(self) -> list[str]:
        return self.reference.lines

    @property
    def empty(self) -> bool:
        return not self.reference.changes


def _origins(db: Any) -> dict[tuple[str, str], str]:
    return {
        (str(kind), str(key)): str(origin)
        for kind, key, origin in db.execute("SELECT kind, key, origin FROM reference_origin")
    }


def plan_update(db: Any, data_dir: Path = DATA_DIR) -> UpdatePlan:
    """What bringing the catalogue up to the packaged data would change; writes nothing."""
    data = load_reference(data_dir)
    plan = UpdatePlan(
        release_from=catalogue_release(db),
        release_to=str(data.settings["release"]),
        notes=list(data.settings["release_notes"]),
    )
    origins = _origins(db)
    source = f"packaged data, release {plan.release_to}"
    incoming: dict[str, dict[str, tuple[SourceRow, BaseModel]]] = {}
    packaged = packaged_rows(data)
    for kind in KINDS:
        current = {kind.key_of(row): row for row in load_rows(db, kind)}
        counts = plan.reference.by_kind.setdefault(kind.name, KindCounts())
        keys = set()
        for raw in packaged[kind.name]:
            record = kind.model.model_validate(raw)
            key = kind.key_of(raw)
            keys.add(key)
            counts.rows += 1
            origin = origins.get((kind.name, key), "packaged")
            new = normalised_row(kind, record.model_dump())
            if key not in current:
                if origin == "removed":
                    plan.kept.append(f"{kind.label} {key}: removed by the network, not restored")
                    continue
                plan.reference.changes.append(RefChange(kind, key, "added", record, source))
                counts.added += 1
            else:
                detail = describe_change(normalised_row(kind, current[key]), new)
                if not detail:
                    counts.unchanged += 1
                    continue
                if origin in ("local", "override"):
                    own = "own row" if origin == "local" else "change"
                    plan.kept.append(
                        f"{kind.label} {key}: the network's {own} kept; packaged now: {detail}"
                    )
                    continue
                plan.reference.changes.append(
                    RefChange(kind, key, "updated", record, source, detail)
                )
                counts.updated += 1
            incoming.setdefault(kind.name, {})[key] = (SourceRow(source, key, raw), record)
        for key in sorted(set(current) - keys):
            if origins.get((kind.name, key), "packaged") == "packaged":
                plan.dropped.append(
                    f"{kind.label} {key}: no longer in the packaged data; left in place"
                )
    plan.reference.per_file = {source: _total(plan.reference)} if plan.reference.changes else {}
    problems: list[ImportProblem] = check_references(db, incoming)
    if problems:
        raise CatalogueError(
            "the packaged data cannot be applied to this catalogue as it stands:\n"
            + "\n".join(f"  {problem.field}: {problem.message}" for problem in problems)
        )
    plan.affects = _affects(db, plan)
    return plan


def _total(plan: ReferencePlan) -> KindCounts:
    total = plan.totals()
    return KindCounts(rows=total.added + total.updated, added=total.added, updated=total.updated)


def _affects(db: Any, plan: UpdatePlan) -> list[str]:
    """What the changes touch that the network may want to revisit: saved scenarios whose
    cost a new or changed pay year moves, by name."""
    held_years = sorted(
        str(row[0]) for row in db.execute("SELECT DISTINCT pay_year FROM pay_point")
    )
    saved = {
        str(name): json.loads(assumptions).get("pay_year")
        for name, assumptions in db.execute("SELECT name, assumptions FROM scenario ORDER BY name")
    }
    pay = [c for c in plan.reference.changes if c.kind.name == "pay_point"]
    years = {str(getattr(c.record, "pay_year", "")) for c in pay}
    latest_after = max([*held_years, *years]) if held_years or years else ""
    found = []
    for year in sorted(years):
        added = year not in held_years
        # Scenarios saved at this year, and those that follow the latest year if this is it.
        at_year = [name for name, at in saved.items() if at == year]
        following = [name for name, at in saved.items() if at is None and year == latest_after]
        touched = at_year + following
        what = f"pay year {year} {'added' if added else 'changed'}"
        if touched:
            names = ", ".join(repr(name) for name in touched)
            what += f": the cost of saved scenario{'s' if len(touched) > 1 else ''} {names} moves"
        elif added:
            older = sorted({at for at in saved.values() if at and at < year})
            if older:
                what += (
                    f": saved scenarios costed at {', '.join(older)} stay so (`workforce "
                    f"harmonise --scenario NAME --pay-year {year}` costs one at {year})"
                )
        found.append(what)
    return found


def backup_path(path: Path, when: datetime) -> Path:
    return path.with_name(f"{path.name}.backup-{when.strftime('%Y%m%dT%H%M%S')}")


def backup(db: Any, path: Path) -> Path:
    """A byte-for-byte copy of the catalogue beside it, taken while no one else may write."""
    target = backup_path(path, datetime.now(UTC))
    if target.exists():
        raise CatalogueError(f"{target} exists already: wait a second and run the update again")
    db.conn.execute("BEGIN IMMEDIATE")  # holds off other writers while the file is copied
    try:
        shutil.copyfile(path, target)
    finally:
        db.conn.execute("ROLLBACK")
    return target


def apply_update(db: Any, plan: UpdatePlan) -> None:
    """Write the plan in one transaction and record the catalogue's new release."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    with db.atomic():
        apply_reference(
            db.conn,
            plan.reference,
            when=when,
            batch_kind="update",
            packaged_release=plan.release_to,
        )
        db.conn.execute(
            "INSERT INTO catalogue_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [RELEASE_META, plan.release_to],
        )
