"""JE profiles: a national job profile, or a network's own harmonised one, as catalogue data.

A profile is what a JE panel matches a job against: for each of the 16 factors the level, or
range of levels, the profile allows ("4", "2-3", "4a"), the band the profile carries, and where
it came from. National profiles are published by NHS Employers; a network writes its own for a
harmonised role. Either is imported like any other reference data (kind `je_profile`,
`[[je_profile]]` in TOML, one column per factor in CSV), with its provenance.

As a file, one profile a table, each factor's level as written, under `factor_1` ...
`factor_16` (a CSV header may say "Factor 1" or "F1"):

    [[je_profile]]
    id = "network-radiographer-band-5"
    title = "Radiographer (Diagnostic), network harmonised"
    band = "5"
    generic = false
    source = "Network JE group, 2026"
    factor_1 = "4"
    factor_2 = "6"
    factor_6 = "2-3"
    ...

In the catalogue: `je_profile` (one row) and `je_profile_level` (one row per factor: its range
as numbers for matching, and as written for showing).
"""

from __future__ import annotations

import sqlite3
import tomllib
from functools import cache
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, field_validator

from catalogue.je_levels import check_level, read_level
from catalogue.models import BandCode, Record, Slug

FACTORS = 16  # the NHS JE scheme's factors; a profile gives a level for each
FACTOR_FIELDS = tuple(f"factor_{number}" for number in range(1, FACTORS + 1))


@cache
def factor_tops() -> tuple[int, ...]:
    """The highest level of each factor, from the packaged factor plan (the catalogue's JE
    scheme is built from it and is not network data)."""
    from catalogue.reference import DATA_DIR  # deferred: reference loads every data file

    doc = tomllib.loads((DATA_DIR / "je_scheme.toml").read_text(encoding="utf-8"))
    factors = sorted(doc["factor"], key=lambda factor: factor["number"])
    return tuple(len(factor["points"]) for factor in factors)


def _written(value: object) -> object:
    """A level as written, tidied ("2 - 3" is "2-3", 4 is "4"); left as it is when it is not
    a level, for the model's check to name."""
    level = read_level(value.strip() if isinstance(value, str) else value)
    return level.written if level is not None else value


WrittenLevel = Annotated[str, BeforeValidator(_written)]


class JEProfile(Record):
    id: Slug
    title: str
    band: BandCode
    # A generic profile covers jobs at several levels of the same band; its minimum score may
    # fall below the band's lower boundary by design (the JE handbook's generic-profile note).
    generic: bool = False
    source: str
    note: str = ""
    factor_1: WrittenLevel
    factor_2: WrittenLevel
    factor_3: WrittenLevel
    factor_4: WrittenLevel
    factor_5: WrittenLevel
    factor_6: WrittenLevel
    factor_7: WrittenLevel
    factor_8: WrittenLevel
    factor_9: WrittenLevel
    factor_10: WrittenLevel
    factor_11: WrittenLevel
    factor_12: WrittenLevel
    factor_13: WrittenLevel
    factor_14: WrittenLevel
    factor_15: WrittenLevel
    factor_16: WrittenLevel

    @field_validator(*FACTOR_FIELDS)
    @classmethod
    def _level_in_the_factor_plan(cls, written: str, info: ValidationInfo) -> str:
        number = int(str(info.field_name).removeprefix("factor_"))
        top = factor_tops()[number - 1]
        level = read_level(written)
        if level is None:
            raise ValueError(
                f"{written!r} is not a level (write 1-{top}, a range such as 2-3, or a "
                "sub-level such as 4a)"
            )
        problem = check_level(level, top)
        if problem:
            raise ValueError(problem)
        return written

    def levels(self) -> tuple[tuple[int, int, str], ...]:
        """Each factor's (lowest level, highest level, as written), factor 1 first."""
        found = []
        for name in FACTOR_FIELDS:
            level = read_level(getattr(self, name))
            assert level is not None  # checked when the record was made
            found.append((level.low, level.high, level.written))
        return tuple(found)


# ---- the catalogue's rows ---------------------------------------------------------------------


def load_profile_rows(db: Any) -> list[dict[str, Any]]:
    """Every profile in the model's shape (factor_1 ... factor_16 as written), by id."""
    written: dict[str, dict[str, str]] = {}
    for profile, factor, text in db.execute(
        "SELECT profile, factor, written FROM je_profile_level ORDER BY profile, factor"
    ):
        written.setdefault(profile, {})[f"factor_{factor}"] = text
    cursor = db.execute("SELECT id, title, band, generic, source, note FROM je_profile ORDER BY id")
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row["generic"] = bool(row["generic"])
        rows.append(row | written.get(row["id"], {}))
    return rows


def write_profile(conn: sqlite3.Connection, record: JEProfile) -> None:
    """Insert or replace one checked profile and its 16 factor ranges."""
    conn.execute(
        "INSERT INTO je_profile (id, title, band, generic, source, note) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
        "band = excluded.band, generic = excluded.generic, source = excluded.source, "
        "note = excluded.note",
        [
            record.id,
            record.title,
            record.band,
            int(record.generic),
            record.source,
            record.note,
        ],
    )
    conn.execute("DELETE FROM je_profile_level WHERE profile = ?", [record.id])
    conn.executemany(
        "INSERT INTO je_profile_level (profile, factor, level_min, level_max, written) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            [record.id, number, low, high, written]
            for number, (low, high, written) in enumerate(record.levels(), start=1)
        ],
    )


def delete_profile(conn: sqlite3.Connection, profile_id: str) -> None:
    conn.execute("DELETE FROM je_profile_level WHERE profile = ?", [profile_id])
    conn.execute("DELETE FROM je_profile WHERE id = ?", [profile_id])


def load_profile(db: Any, profile_id: str) -> JEProfile | None:
    """One profile by id; None when the catalogue has no such profile."""
    row = next((row for row in load_profile_rows(db) if row["id"] == profile_id), None)
    return JEProfile.model_validate(row) if row is not None else None


def load_profiles(db: Any) -> list[JEProfile]:
    return [JEProfile.model_validate(row) for row in load_profile_rows(db)]
