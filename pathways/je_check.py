"""JE check: from a job's 16 factor levels, its score, its band, and what would change the band.

For one job: the score from the factor plan, the band it falls in (none beyond Band 9: reported,
never clamped), whether it lies within the scheme's margin of a band boundary, whether it agrees
with the band the trust gave, and a what-if: the smallest single-factor changes (one factor up
or down by the fewest levels) that would move the job into the next band up or down. Those
are what a JE panel argues about ("is this Analytical skills 3 or 4?").

Nothing here writes to a catalogue: the scheme is read once and passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.bands import BandError, parse_band
from catalogue.jd_sources import ImportProblem, SourceRow
from catalogue.je_scheme import (
    JELevelError,
    JEScheme,
    band_for_score,
    check_levels,
    je_score,
    near_boundary,
)


@dataclass(frozen=True, slots=True)
class FactorChange:
    """One factor moved from one level to another, and where that leaves the job."""

    factor: int  # 1-16
    name: str
    from_level: int
    to_level: int
    score: int
    band: str | None  # None: beyond the top band


@dataclass(frozen=True, slots=True)
class JECheck:
    levels: tuple[int, ...]
    score: int
    je_band: str | None  # None: the score lies beyond the top band (Band 9)
    near_boundary: bool
    band: str | None  # the band given, if any
    agrees: bool | None  # None when no band was given
    up: tuple[FactorChange, ...]  # smallest changes into a higher band
    down: tuple[FactorChange, ...]  # smallest changes into a lower band


def parse_levels(value: object, scheme: JEScheme) -> tuple[int, ...] | None:
    """Levels written as text ("3 5 2 ...") or a list; None when empty.

    Raises JELevelError naming the factor when a level is not a whole number, is outside the
    factor's range, or the count is not one per factor.
    """
    if value is None:
        return None
    if isinstance(value, str):
        parts: list[Any] = value.replace(",", " ").split()
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        raise JELevelError(f"JE levels must be {len(scheme.points)} whole numbers")
    if not parts:
        return None
    if len(parts) != len(scheme.points):
        raise JELevelError(
            f"needs {len(scheme.points)} factor levels (factor 1 first), found {len(parts)}"
        )
    levels: list[int] = []
    for index, part in enumerate(parts):
        level = _whole_number(part)
        if level is None:
            raise JELevelError(
                f"factor {index + 1} ({scheme.factor_names[index]}): {part!r} is not a whole "
                f"number (levels are 1-{scheme.levels(index)})"
            )
        levels.append(level)
    check_levels(scheme, levels)
    return tuple(levels)


def _whole_number(part: object) -> int | None:
    if isinstance(part, bool):
        return None
    if isinstance(part, int):
        return part
    if isinstance(part, float) and part.is_integer():
        return int(part)
    if isinstance(part, str):
        try:
            return int(part.strip())
        except ValueError:
            return None
    return None


def band_position(scheme: JEScheme, band: str | None) -> int:
    """Where a band sits in the scheme, low to high; beyond the top band (None) is past the end."""
    if band is None:
        return len(scheme.bands)
    return next(index for index, item in enumerate(scheme.bands) if item.code == band)


def what_if(
    scheme: JEScheme, levels: Sequence[int]
) -> tuple[tuple[FactorChange, ...], tuple[FactorChange, ...]]:
    """The smallest single-factor changes moving the job up a band, and down a band.

    For each factor, the fewest levels it must move (alone) to take the job out of its band
    that way; of those, every change needing the fewest levels overall, by factor number. "Up"
    means into a higher band of the scheme (a score beyond Band 9 is no band to move into);
    "down" means into a lower band. Empty when no single factor can do it.
    """
    check_levels(scheme, levels)
    score = je_score(scheme, levels)
    here = band_position(scheme, band_for_score(scheme, score))
    up: list[tuple[int, FactorChange]] = []
    down: list[tuple[int, FactorChange]] = []
    for index, level in enumerate(levels):
        points = scheme.points[index]
        for step, found in ((1, up), (-1, down)):
            to_level = level + step
            while 1 <= to_level <= len(points):
                new_score = score - points[level - 1] + points[to_level - 1]
                new_band = band_for_score(scheme, new_score)
                there = band_position(scheme, new_band)
                moved = there > here if step > 0 else there < here
                if moved:
                    if step < 0 or new_band is not None:
                        change = FactorChange(
                            index + 1,
                            scheme.factor_names[index],
                            level,
                            to_level,
                            new_score,
                            new_band,
                        )
                        found.append((abs(to_level - level), change))
                    break
                to_level += step
    return _fewest(up), _fewest(down)


def _fewest(found: list[tuple[int, FactorChange]]) -> tuple[FactorChange, ...]:
    if not found:
        return ()
    least = min(levels for levels, _ in found)
    return tuple(change for levels, change in found if levels == least)


def check_job(scheme: JEScheme, levels: Sequence[int], band: str | None = None) -> JECheck:
    """Score, band, nearness to a boundary, agreement with `band` (a canonical code) and what-if."""
    check_levels(scheme, levels)
    score = je_score(scheme, levels)
    je_band = band_for_score(scheme, score)
    up, down = what_if(scheme, levels)
    return JECheck(
        levels=tuple(levels),
        score=score,
        je_band=je_band,
        near_boundary=near_boundary(scheme, score),
        band=band,
        agrees=None if band is None else je_band == band,
        up=up,
        down=down,
    )


# --- JD files -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowCheck:
    """One JD of a file: as given, and its JE check (None when it has no JE levels)."""

    file: str
    where: str
    trust: str
    jd_ref: str
    title: str
    band: str | None
    check: JECheck | None


def check_rows(scheme: JEScheme, rows: Sequence[SourceRow]) -> list[RowCheck]:
    """Check every row of a JD file; raise ImportProblem (file, place, field) on a bad one."""
    checked: list[RowCheck] = []
    for row in rows:
        band = _row_band(row)
        try:
            levels = parse_levels(row.values.get("je_levels"), scheme)
        except JELevelError as error:
            raise ImportProblem(row.file, row.where, "je_levels", str(error)) from error
        checked.append(
            RowCheck(
                file=row.file,
                where=row.where,
                trust=_text(row.values.get("trust")),
                jd_ref=_text(row.values.get("jd_ref")),
                title=_text(row.values.get("title")),
                band=band,
                check=check_job(scheme, levels, band) if levels is not None else None,
            )
        )
    return checked


def _row_band(row: SourceRow) -> str | None:
    value = row.values.get("band")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # a post on medical and dental pay: nothing to agree with
    try:
        return parse_band(value)
    except BandError as error:
        raise ImportProblem(row.file, row.where, "band", str(error)) from error


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# --- the JSON shape -------------------------------------------------------------------------


def change_as_dict(change: FactorChange) -> dict[str, Any]:
    return {
        "factor": change.factor,
        "name": change.name,
        "from_level": change.from_level,
        "to_level": change.to_level,
        "score": change.score,
        "band": change.band,
    }


def check_as_dict(check: JECheck) -> dict[str, Any]:
    return {
        "levels": list(check.levels),
        "score": check.score,
        "je_band": check.je_band,
        "near_boundary": check.near_boundary,
        "band": check.band,
        "agrees": check.agrees,
        "what_if": {
            "up": [change_as_dict(change) for change in check.up],
            "down": [change_as_dict(change) for change in check.down],
        },
    }


def row_check_as_dict(row: RowCheck) -> dict[str, Any]:
    found: dict[str, Any] = {
        "trust": row.trust,
        "jd_ref": row.jd_ref,
        "title": row.title,
        "band": row.band,
        "file": row.file,
        "where": row.where,
    }
    if row.check is None:
        return found | {
            "levels": None,
            "score": None,
            "je_band": None,
            "near_boundary": None,
            "agrees": None,
            "what_if": None,
            "note": "no JE levels",
        }
    return found | check_as_dict(row.check) | {"note": None}
