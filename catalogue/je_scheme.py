"""The NHS job evaluation (JE) scheme: score a job from its 16 factor levels, find its band.

A `JEScheme` holds the factor plan (points per level of each of the 16 factors) and the band
score ranges; `load_scheme` reads it from a catalogue, tests build one by hand. It lives in the
catalogue because the importer checks levels and stores each JD's score with it; the JE check
analysis (pathways/) builds on the same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import JELevelError as JELevelError

if TYPE_CHECKING:  # a reader is a sqlite-utils Database or a plain sqlite3 connection
    from catalogue.store import Reader


@dataclass(frozen=True)
class BandRange:
    code: str
    low: int
    high: int
    closed: bool = False  # closed to new entrants (Band 1): a score may land there, a post not


@dataclass(frozen=True)
class JEScheme:
    factor_names: tuple[str, ...]
    points: tuple[tuple[int, ...], ...]  # points[f][level - 1]
    bands: tuple[BandRange, ...]  # low to high
    # The near-boundary margin (a setting, catalogue_meta 'near_boundary_points'): a score is
    # near a boundary when a change of this many points or fewer would move it into the next
    # band up or down. `workforce je --margin` overrides it for one check.
    near_boundary_points: int = 5

    def levels(self, factor_index: int) -> int:
        return len(self.points[factor_index])


def check_levels(scheme: JEScheme, levels: Sequence[int]) -> None:
    """Raise JELevelError naming the factor when a level is out of range or the count is wrong."""
    if len(levels) != len(scheme.points):
        raise JELevelError(
            f"needs {len(scheme.points)} factor levels (factor 1 first), found {len(levels)}"
        )
    for index, level in enumerate(levels):
        top = scheme.levels(index)
        if not 1 <= level <= top:
            raise JELevelError(
                f"factor {index + 1} ({scheme.factor_names[index]}): level {level} "
                f"is outside 1-{top}"
            )


def je_score(scheme: JEScheme, levels: Sequence[int]) -> int:
    """The total weighted points of a job's factor levels."""
    check_levels(scheme, levels)
    return sum(scheme.points[index][level - 1] for index, level in enumerate(levels))


def band_for_score(scheme: JEScheme, score: int) -> str | None:
    """The band whose JE range holds `score`; None above the top of the highest band.

    A score beyond Band 9's range is reported as no band, never clamped to Band 9.
    """
    for band in scheme.bands:
        if band.low <= score <= band.high:
            return band.code
    return None


def near_boundary(scheme: JEScheme, score: int, margin: int | None = None) -> bool:
    """Whether a change of `margin` points or fewer (default: the scheme's setting) would move
    `score` into the next band up or down."""
    margin = scheme.near_boundary_points if margin is None else margin
    for lower, upper in zip(scheme.bands, scheme.bands[1:], strict=False):
        # The boundary sits between lower.high and upper.low (e.g. 395 | 396).
        if lower.high - margin < score < upper.low + margin:
            return True
    return False


def closed_band(scheme: JEScheme, band: str | None) -> bool:
    """Whether `band` is closed to new entrants (Band 1)."""
    return any(item.code == band and item.closed for item in scheme.bands)


def load_scheme(db: Reader) -> JEScheme:
    """The factor plan and band ranges held in a catalogue."""
    names = tuple(
        row[0] for row in db.execute("SELECT name FROM je_factor ORDER BY number").fetchall()
    )
    points: dict[int, list[int]] = {}
    for factor, _level, value in db.execute(
        "SELECT factor, level, points FROM je_level ORDER BY factor, level"
    ).fetchall():
        points.setdefault(factor, []).append(value)
    bands = tuple(
        BandRange(code, low, high, bool(closed))
        for code, low, high, closed in db.execute(
            "SELECT code, je_min, je_max, closed FROM band ORDER BY ordinal"
        ).fetchall()
    )
    margin_row = db.execute(
        "SELECT value FROM catalogue_meta WHERE key = 'near_boundary_points'"
    ).fetchone()
    return JEScheme(
        factor_names=names,
        points=tuple(tuple(points[number]) for number in sorted(points)),
        bands=bands,
        near_boundary_points=int(margin_row[0]) if margin_row else 5,
    )
