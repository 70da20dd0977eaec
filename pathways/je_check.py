"""JE check: from a job's 16 factor levels, its score, its band, and what would change the band.

For one job, as a JE panel works: each factor's level (as written: "4a", "2-3") and its
points; the score from the factor plan (a score range when levels are ranges) and the band or
bands it falls in (none beyond Band 9: reported, never clamped; Band 1 named as closed to new
entrants); whether it lies within the near-boundary margin of a band boundary; whether it
agrees with the band the trust gave; and a what-if: every single-factor change that would move
the job into another band, up or down, smallest first. Those are what a panel argues about ("is
this Analytical skills 3 or 4?").

Nothing here writes to a catalogue: the scheme is read once and passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.bands import BandError, parse_band
from catalogue.jd_sources import ImportProblem, SourceRow
from catalogue.je_levels import Level, check_level, read_level
from catalogue.je_scheme import (
    JELevelError,
    JEScheme,
    band_for_score,
    check_levels,
    closed_band,
    je_score,
    near_boundary,
)


@dataclass(frozen=True, slots=True)
class FactorScore:
    """One factor as a panel checks it: the level awarded (as written) and its points."""

    factor: int  # 1-16
    name: str
    level: Level
    points_low: int  # the points of the level, or of a range's lower level
    points_high: int  # equal to points_low unless the level is a range

    @property
    def points_text(self) -> str:
        """'32', or '9-15' for a range."""
        if self.points_low == self.points_high:
            return str(self.points_low)
        return f"{self.points_low}-{self.points_high}"

    @property
    def points(self) -> int | str:
        """The points as a number, or as text ('9-15') for a range: for tables and CSV."""
        return self.points_low if self.points_low == self.points_high else self.points_text


@dataclass(frozen=True, slots=True)
class FactorChange:
    """One factor moved from one level to another, and where that leaves the job."""

    factor: int  # 1-16
    name: str
    from_level: int
    to_level: int
    score: int
    band: str | None  # None: beyond the top band
    closed: bool = False  # the band it lands in is closed to new entrants (Band 1)

    @property
    def levels_moved(self) -> int:
        return abs(self.to_level - self.from_level)


@dataclass(frozen=True, slots=True)
class JECheck:
    """A job's JE check. Levels given as ranges give a score range: `score` and `je_band` are
    its lowest reading, `score_max` and `je_band_max` its highest (equal when every level is
    exact)."""

    factors: tuple[FactorScore, ...]
    score: int
    score_max: int
    je_band: str | None  # None: the score lies beyond the top band (Band 9)
    je_band_max: str | None
    bands: tuple[str | None, ...]  # every band the score range reaches, low to high
    near_boundary: bool  # either end within `margin` of a band boundary
    margin: int  # the near-boundary margin used
    band: str | None  # the band given, if any
    agrees: bool | None  # the band given is one the score range reaches; None: none given
    closed: tuple[str, ...]  # bands the score range reaches that are closed to new entrants
    up: tuple[FactorChange, ...]  # every single-factor change into a higher band
    down: tuple[FactorChange, ...]  # every single-factor change into a lower band

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(factor.level for factor in self.factors)

    @property
    def is_range(self) -> bool:
        return self.score != self.score_max


def parse_levels(value: object, scheme: JEScheme) -> tuple[Level, ...] | None:
    """Levels written as text ("3 5 2-3 4a ...") or a list; None when empty.

    A level may carry a sub-level letter ("4a": scored as level 4, kept as written) or be a
    range ("2-3"). Raises JELevelError naming the factor when a level is not one, is outside
    the factor's range, or the count is not one per factor.
    """
    if value is None:
        return None
    if isinstance(value, str):
        parts: list[Any] = value.replace(",", " ").split()
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        raise JELevelError(f"JE levels must be {len(scheme.points)} levels, factor 1 first")
    if not parts:
        return None
    if len(parts) != len(scheme.points):
        raise JELevelError(
            f"needs {len(scheme.points)} factor levels (factor 1 first), found {len(parts)}"
        )
    levels: list[Level] = []
    for index, part in enumerate(parts):
        name = f"factor {index + 1} ({scheme.factor_names[index]})"
        level = read_level(part)
        if level is None:
            raise JELevelError(
                f"{name}: {part!r} is not a level (write 1-{scheme.levels(index)}, with a "
                "sub-level letter such as 4a, or a range such as 2-3)"
            )
        problem = check_level(level, scheme.levels(index))
        if problem:
            raise JELevelError(f"{name}: {problem}")
        levels.append(level)
    return tuple(levels)


def exact_levels(levels: Sequence[Level | int | str]) -> tuple[Level, ...]:
    """Levels as Level objects: whole numbers and written levels ("4a", "2-3") are read."""
    found = []
    for index, level in enumerate(levels):
        read = level if isinstance(level, Level) else read_level(level)
        if read is None:
            raise JELevelError(f"factor {index + 1}: {level!r} is not a level")
        found.append(read)
    return tuple(found)


def factor_scores(scheme: JEScheme, levels: Sequence[Level]) -> tuple[FactorScore, ...]:
    return tuple(
        FactorScore(
            index + 1,
            scheme.factor_names[index],
            level,
            scheme.points[index][level.low - 1],
            scheme.points[index][level.high - 1],
        )
        for index, level in enumerate(levels)
    )


def band_position(scheme: JEScheme, band: str | None) -> int:
    """Where a band sits in the scheme, low to high; beyond the top band (None) is past the end."""
    if band is None:
        return len(scheme.bands)
    return next(index for index, item in enumerate(scheme.bands) if item.code == band)


def bands_between(scheme: JEScheme, low: str | None, high: str | None) -> tuple[str | None, ...]:
    """Every band from `low` to `high` in the scheme's order (None: beyond the top band)."""
    first, last = band_position(scheme, low), band_position(scheme, high)
    codes: list[str | None] = [band.code for band in scheme.bands]
    return tuple([*codes, None][first : last + 1])


def _changes(
    scheme: JEScheme, levels: Sequence[int], step: int
) -> list[tuple[int, int, FactorChange]]:
    """Every change of one factor, `step` = 1 upward or -1 downward, that moves the band."""
    check_levels(scheme, levels)
    score = je_score(scheme, levels)
    here = band_position(scheme, band_for_score(scheme, score))
    found: list[tuple[int, int, FactorChange]] = []
    for index, level in enumerate(levels):
        points = scheme.points[index]
        to_level = level + step
        while 1 <= to_level <= len(points):
            new_score = score - points[level - 1] + points[to_level - 1]
            new_band = band_for_score(scheme, new_score)
            there = band_position(scheme, new_band)
            moved = there > here if step > 0 else there < here
            # Beyond Band 9 is no band to move into: reported for a job, never offered as a
            # way up.
            if moved and (step < 0 or new_band is not None):
                change = FactorChange(
                    index + 1,
                    scheme.factor_names[index],
                    level,
                    to_level,
                    new_score,
                    new_band,
                    closed_band(scheme, new_band),
                )
                found.append((abs(to_level - level), abs(new_score - score), change))
            to_level += step
    return found


def _by_size(found: list[tuple[int, int, FactorChange]]) -> tuple[FactorChange, ...]:
    # Smallest first: fewest levels moved, then fewest points, then factor order.
    ordered = sorted(found, key=lambda item: (item[0], item[1], item[2].factor))
    return tuple(change for _, _, change in ordered)


def what_if(
    scheme: JEScheme, levels: Sequence[int], top: Sequence[int] | None = None
) -> tuple[tuple[FactorChange, ...], tuple[FactorChange, ...]]:
    """Every single-factor change that moves the job up a band, and every one that moves it
    down, each ordered by the size of the change (levels moved, then points).

    "Up" means into any higher band of the scheme (a score beyond Band 9 is no band to move
    into); "down" into any lower band. With `top` (the highest reading of levels given as
    ranges) the changes up start from `top` and the changes down from `levels` (the lowest
    reading): what it would take to leave the whole range of bands the job spans.
    """
    up = _changes(scheme, top if top is not None else levels, 1)
    down = _changes(scheme, levels, -1)
    return _by_size(up), _by_size(down)


def check_job(
    scheme: JEScheme,
    levels: Sequence[Level | int | str],
    band: str | None = None,
    *,
    margin: int | None = None,
) -> JECheck:
    """Score (a range for levels given as ranges), band(s), nearness to a boundary within
    `margin` points (default: the catalogue's setting), agreement with `band` (a canonical
    code), closed bands reached, and the what-if."""
    written = exact_levels(levels)
    low = [level.low for level in written]
    high = [level.high for level in written]
    check_levels(scheme, low)
    check_levels(scheme, high)
    margin = scheme.near_boundary_points if margin is None else margin
    score, score_max = je_score(scheme, low), je_score(scheme, high)
    je_band, je_band_max = band_for_score(scheme, score), band_for_score(scheme, score_max)
    bands = bands_between(scheme, je_band, je_band_max)
    up, down = what_if(scheme, low, high)
    return JECheck(
        factors=factor_scores(scheme, written),
        score=score,
        score_max=score_max,
        je_band=je_band,
        je_band_max=je_band_max,
        bands=bands,
        near_boundary=near_boundary(scheme, score, margin)
        or near_boundary(scheme, score_max, margin),
        margin=margin,
        band=band,
        agrees=None if band is None else band in bands,
        closed=tuple(code for code in bands if code is not None and closed_band(scheme, code)),
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


def check_rows(
    scheme: JEScheme, rows: Sequence[SourceRow], *, margin: int | None = None
) -> list[RowCheck]:
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
                check=(
                    check_job(scheme, levels, band, margin=margin) if levels is not None else None
                ),
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
        "levels_moved": change.levels_moved,
        "score": change.score,
        "band": change.band,
        "band_closed": change.closed,
    }


def factor_as_dict(factor: FactorScore) -> dict[str, Any]:
    return {
        "factor": factor.factor,
        "name": factor.name,
        "level": factor.level.written,
        "level_min": factor.level.low,
        "level_max": factor.level.high,
        "points_min": factor.points_low,
        "points_max": factor.points_high,
    }


def level_text(levels: Sequence[Level]) -> str:
    """Levels as written, factor 1 first: "4a 6 2-3 ..."."""
    return " ".join(level.written for level in levels)


# The keys of a check in JSON, in order (a JD without levels has them all, as null).
CHECK_KEYS = (
    "levels",
    "factors",
    "score",
    "score_max",
    "je_band",
    "je_band_max",
    "bands",
    "closed_bands",
    "near_boundary",
    "margin",
    "band",
    "agrees",
    "what_if",
)


def check_as_dict(check: JECheck) -> dict[str, Any]:
    return {
        "levels": level_text(check.levels),
        "factors": [factor_as_dict(factor) for factor in check.factors],
        "score": check.score,
        "score_max": check.score_max,
        "je_band": check.je_band,
        "je_band_max": check.je_band_max,
        "bands": list(check.bands),
        "closed_bands": list(check.closed),
        "near_boundary": check.near_boundary,
        "margin": check.margin,
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
        empty = {key: None for key in CHECK_KEYS if key != "band"}
        return found | empty | {"note": "no JE levels"}
    return found | check_as_dict(row.check) | {"note": None}
