"""Pay years: which the catalogue holds, and adding one by an uplift on the latest.

A pay award is announced before NHS Employers publishes its table, so a network can add the
year at once by uplift ("3.3% on every point") and cost plans in it. Such points are marked
confidence "derived", with the uplift and the year they came from as their source, until the
published table is imported over them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from catalogue.errors import CatalogueError

if TYPE_CHECKING:  # adding a pay year loads these; listing the years (every listing) does not
    from catalogue.reference_import import ReferencePlan

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def pay_years(db: Any) -> list[str]:
    """The pay years the catalogue holds, oldest first."""
    return [str(row[0]) for row in db.execute("SELECT DISTINCT pay_year FROM pay_point ORDER BY 1")]


def pay_year(text: str) -> str:
    """A pay year as people type it, in the catalogue's form: '2026/27', '2026-27' and
    '2026/2027' are all '2026/27'. CatalogueError for one that cannot be a pay year ('2027/29')."""
    match = re.fullmatch(r"\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*", text)
    if not match:
        raise CatalogueError(f"{text!r} is not a pay year: write it as 2026/27")
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100 or (end >= 1000 and end != start + 1):
        raise CatalogueError(
            f"{text!r} is not a pay year: a pay year runs from April to March, as "
            f"{start}/{(start + 1) % 100:02d}"
        )
    return f"{start}/{(start + 1) % 100:02d}"


def require_pay_year(db: Any, year: str | None) -> str:
    """`year` if the catalogue has pay for it (the latest when None); else CatalogueError
    naming the years it has, never blank figures."""
    years = pay_years(db)
    if not years:
        raise CatalogueError("the catalogue holds no pay points: import a pay table first")
    if year is None:
        return years[-1]
    wanted = pay_year(year)
    if wanted not in years:
        raise CatalogueError(
            f"no pay for {wanted} in the catalogue (pay years: {', '.join(years)}); add it with "
            f"`workforce pay-year add {wanted} --uplift PERCENT` or import its pay table"
        )
    return wanted


def next_year(year: str) -> str:
    """'2025/26' -> '2026/27'."""
    start = int(pay_year(year)[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def parse_uplift(text: str) -> Decimal:
    """'3.3%' -> Decimal('3.3'): a percentage, between -50 and 100. A figure under 1 without
    its % sign is refused: '0.03' is as likely a fraction meant as 3% as it is 0.03%."""
    cleaned = text.strip()
    has_sign = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError as error:
        raise CatalogueError(f"--uplift {text!r}: give a percentage such as 3.3%") from error
    if not value.is_finite() or not Decimal(-50) < value <= Decimal(100):
        raise CatalogueError(f"--uplift {text!r}: give a percentage between -50% and 100%")
    if not has_sign and abs(value) < 1:
        raise CatalogueError(
            f"--uplift {text!r}: write the percentage with its sign: {value * 100:g}% if you "
            f"mean a fraction of {text}, or {text}% if you mean {text} per cent"
        )
    return value


def uplifted(salary: int, percent: Decimal) -> int:
    """A salary raised by `percent`, to the nearest pound (halves up, as pay tables round)."""
    exact = Decimal(salary) * (Decimal(1) + percent / Decimal(100))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_pay_year_by_uplift(
    db: Any,
    year: str,
    percent: Decimal,
    *,
    from_year: str | None = None,
    note: str = "",
    source: str = "workforce pay-year add",
    dry_run: bool = False,
) -> ReferencePlan:
    """Add (or re-derive) pay year `year` as every point of `from_year` (default: the latest
    year before it) raised by `percent`, marked derived. Refuses to overwrite a year whose
    points are not all derived (a published table is never replaced by an estimate), to
    derive a year from a later one, or from a year whose table is incomplete."""
    year = pay_year(year)
    held = pay_years(db)
    if from_year is None:
        # The year before it, as an award raises last year's table: never a later year.
        earlier = [held_year for held_year in held if held_year < year]
        if not earlier:
            raise CatalogueError(
                f"no pay year before {year} to derive it from (pay years: {', '.join(held)})"
            )
        base = earlier[-1]
    else:
        base = require_pay_year(db, from_year)
    if base >= year:
        raise CatalogueError(
            f"{year} cannot be derived from {base}: an uplift raises an earlier year's pay"
        )
    published = db.execute(
        "SELECT COUNT(*) FROM pay_point WHERE pay_year = ? AND confidence != 'derived'", [year]
    ).fetchone()[0]
    if published:
        raise CatalogueError(
            f"{year} already has {published} pay points that are not derived: import the "
            "published table to change them, rather than an uplift"
        )
    counts = dict(db.execute("SELECT pay_year, COUNT(*) FROM pay_point GROUP BY pay_year"))
    fullest = max(counts.values())
    if counts[base] < fullest:
        raise CatalogueError(
            f"{base} has pay for {counts[base]} points, other years for {fullest}: derive "
            "from a year whose table is complete (--from)"
        )
    said = f"{percent.normalize():f}%"
    why = f"derived: {base} x {1 + percent / 100} ({said} uplift)" + (f"; {note}" if note else "")
    rows = [
        {
            "band": band,
            "pay_year": year,
            "point": point,
            "salary": uplifted(int(salary), percent),
            "confidence": "derived",
            "source": why,
        }
        for band, point, salary in db.execute(
            "SELECT band, point, salary FROM pay_point WHERE pay_year = ? ORDER BY band, point",
            [base],
        )
    ]
    from catalogue.reference_import import save_rows
    from catalogue.reference_kinds import BY_NAME

    return save_rows(db, BY_NAME["pay_point"], rows, source=source, dry_run=dry_run)
