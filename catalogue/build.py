"""Building a catalogue from the reference data files (`workforce init`).

The build writes to a temporary file beside the target and renames it into place only when
it is complete, so a failed build never leaves a half-made catalogue, and an existing one is
replaced only when asked (`force`). The result depends on the data files alone (no clock, no
machine), so the committed workforce.db can be checked against them.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from sqlite_utils import Database

from catalogue.importer import apply_plan, plan_import
from catalogue.reference import (
    DATA_DIR,
    ILLUSTRATIVE_JDS_FILE,
    ReferenceData,
    data_digest,
    load_reference,
    read_toml,
)
from catalogue.reference_kinds import BY_NAME, KINDS, load_keys, write_row
from catalogue.store import CatalogueError, open_catalogue

# The build is reproducible: packaged JDs carry this fixed provenance, not the build time.
PACKAGED_SOURCE = f"catalogue/data/{ILLUSTRATIVE_JDS_FILE} (packaged, ILLUSTRATIVE)"


_NEW_ROLE_COLUMNS = {"status", "merged_into"}


def write_reference(db: Database, data: ReferenceData) -> None:
    """Insert every reference record (the tables must be empty)."""
    db.table("band").insert_all(
        {
            "code": b.code,
            "ordinal": b.ordinal,
            "je_min": b.je_min,
            "je_max": b.je_max,
            "closed": int(b.closed),
            "note": b.note,
        }
        for b in data.bands
    )
    db.table("pay_point").insert_all(p.model_dump() for p in data.pay_points)
    db.table("je_factor").insert_all(
        {"number": f.number, "name": f.name, "levels": f.levels} for f in data.je_factors
    )
    db.table("je_level").insert_all(
        {"factor": f.number, "level": level, "points": points}
        for f in data.je_factors
        for level, points in enumerate(f.points, start=1)
    )
    db.table("icb").insert_all(i.model_dump() for i in data.icbs)
    db.table("trust").insert_all(t.model_dump() for t in data.trusts)
    db.table("staff_group").insert_all(g.model_dump() for g in data.staff_groups)
    # A role's status columns (migration 4) are written only when they say something, so the
    # same writer fills a catalogue at an older schema (as the migration tests do).
    db.table("role").insert_all(
        r.model_dump(
            exclude=_NEW_ROLE_COLUMNS if r.status == "active" and not r.merged_into else None
        )
        for r in data.roles
    )
    db.table("competency").insert_all(c.model_dump() for c in data.competencies)
    db.table("role_competency").insert_all(link.model_dump() for link in data.role_competencies)
    db.table("training_route").insert_all(
        {
            **route.model_dump(exclude={"gives", "leads_to"}),
            "unconfirmed": ",".join(route.unconfirmed),
        }
        for route in data.routes
    )
    db.table("route_competency").insert_all(
        {"route": r.id, "competency": c} for r in data.routes for c in r.gives
    )
    db.table("route_role").insert_all(
        {"route": r.id, "role": role} for r in data.routes for role in r.leads_to
    )
    db.table("national_rate").insert_all(
        r.model_dump(exclude={"roles"}) for r in data.national_rates
    )
    db.table("national_rate_role").insert_all(
        {"rate": r.id, "role": role} for r in data.national_rates for role in r.roles
    )
    db.table("progression").insert_all(e.model_dump(exclude={"routes"}) for e in data.progressions)
    db.table("progression_route").insert_all(
        {"from_role": e.from_role, "to_role": e.to_role, "route": route}
        for e in data.progressions
        for route in e.routes
    )


def mark_packaged(db: Database, release: str) -> None:
    """Record every reference row as packaged, from this release of the data."""
    db.conn.executemany(
        "INSERT INTO reference_origin (kind, key, origin, release) VALUES (?, ?, 'packaged', ?)",
        [(kind.name, key, release) for kind in KINDS for key in sorted(load_keys(db, kind))],
    )


def build_catalogue(
    target: Path,
    *,
    data_dir: Path = DATA_DIR,
    force: bool = False,
    reference_only: bool = False,
    organisations: Path | Literal["none"] | None = None,
) -> Path:
    """Build a catalogue at `target` from the data files; return its path.

    Refuses to replace an existing file unless `force` is set. `organisations` (with
    `reference_only`) starts another network's catalogue: "none" leaves out the bundled
    network's ICBs and trusts, a file's ICBs and trusts are imported in their place.
    """
    if target.exists() and not force:
        raise CatalogueError(f"{target} already exists: use --force to replace it")
    if organisations is not None and not reference_only:
        raise CatalogueError("another network's organisations go with reference data only")
    data = load_reference(data_dir)
    if organisations is not None:
        data = replace(data, icbs=[], trusts=[])
    partial = target.with_name(target.name + ".building")
    partial.unlink(missing_ok=True)
    try:
        db = open_catalogue(partial, create=True)
        try:
            with db.atomic():
                write_reference(db, data)
                db.table("catalogue_meta").insert_all(
                    [
                        {
                            "key": "data_digest",
                            "value": data_digest(data_dir, include_illustrative=not reference_only),
                        },
                        {"key": "illustrative", "value": "no" if reference_only else "yes"},
                        {"key": "je_confidence", "value": str(data.settings["je_confidence"])},
                        {"key": "je_source", "value": str(data.settings["je_source"])},
                        {
                            "key": "near_boundary_points",
                            "value": str(data.settings["near_boundary_points"]),
                        },
                        {"key": "data_release", "value": data.settings["release"]},
                        # The default threshold of pay variation, and why it is that.
                        {
                            "key": "pay_gap_threshold",
                            "value": repr(data.settings["pay_variation"].threshold),
                        },
                        {
                            "key": "pay_gap_source",
                            "value": data.settings["pay_variation"].source,
                        },
                    ]
                )
                # The harmonisation plan's default on-cost rate travels with the catalogue,
                # with what it assumes and where its parts come from.
                write_row(db.conn, BY_NAME["on_costs"], data.settings["on_costs"])
                mark_packaged(db, data.settings["release"])
            if not reference_only:
                _import_illustrative(db, data_dir)
            if isinstance(organisations, Path):
                # Through the importer, so a bad file is refused as any import is (and no
                # catalogue is left behind: the partial file is removed below).
                from catalogue.catalogue_import import import_catalogue

                import_catalogue(db, [organisations])
            db.execute("VACUUM")
        finally:
            db.close()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _import_illustrative(db: Database, data_dir: Path) -> None:
    """Load the packaged illustrative JDs through the same importer users' files go through."""
    path = data_dir / ILLUSTRATIVE_JDS_FILE
    meta = read_toml(path).get("meta", {})
    plan = plan_import(db, [path])
    # Record a stable source name, not this machine's path, so builds are reproducible.
    (counts,) = plan.per_file.values()
    plan.per_file = {PACKAGED_SOURCE: counts}
    plan.to_add = [(PACKAGED_SOURCE, jd) for _, jd in plan.to_add]
    apply_plan(db, plan, imported_at=str(meta.get("generated", "packaged")), illustrative=True)
