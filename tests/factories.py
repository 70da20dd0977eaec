"""Hand-made catalogues for tests: the packaged reference data plus exactly the JDs a test lists.

JDs go in through the real importer, so a test's catalogue is built the way users' are.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from catalogue.export import rows_to_csv
from catalogue.importer import import_files
from catalogue.jd_format import ALL_FIELDS, FIELDS
from catalogue.store import open_catalogue


def jd(trust: str, ref: str, role: str | None, band: str | None, **fields: Any) -> dict[str, Any]:
    """One JD row in the interchange format; title defaults to the role id or 'Post REF'.
    The pay fields (rrp, ...) are in the row only when given."""
    row: dict[str, Any] = {name: "" for name in FIELDS}
    row.update(
        trust=trust,
        jd_ref=ref,
        role=role or "",
        band=band or "",
        title=fields.pop("title", role or f"Post {ref}"),
    )
    for name, value in fields.items():
        if name not in ALL_FIELDS:
            raise KeyError(f"{name} is not a JD field")
        if name == "je_levels" and not isinstance(value, str):
            value = " ".join(str(level) for level in value)
        if name == "competencies" and not isinstance(value, str):
            value = ";".join(value)
        row[name] = value
    return row


def make_catalogue(
    reference_db: Path, tmp_path: Path, jds: Sequence[Mapping[str, Any]], name: str = "hand.db"
) -> Path:
    """A copy of the reference-only catalogue with `jds` imported; returns its path."""
    target = Path(shutil.copy(reference_db, tmp_path / name))
    if jds:
        source = tmp_path / f"{name}.csv"
        with_pay = any(name in row for row in jds for name in ALL_FIELDS[len(FIELDS) :])
        columns = list(ALL_FIELDS if with_pay else FIELDS)
        rows = [{name: row.get(name, "") for name in columns} for row in jds]
        source.write_text(rows_to_csv(rows, columns), encoding="utf-8")
        db = open_catalogue(target)
        try:
            import_files(db, [source])
        finally:
            db.close()
    return target
