"""Pay years: which the catalogue holds, and adding one by an uplift on the latest.

A pay award is announced before NHS Employers publishes its table, so a network can add the
year at once by uplift ("3.3% on every point") and cost plans in it. Such points are marked
confidence "derived", with the uplift and the year they came from as their source, until the
published table is imported over them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from catalogue.errors import CatalogueError
from catalogue.reference_import import ReferencePlan, save_rows
from catalogue.reference_kinds import BY_NAME

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def pay_years(db: Any) -> list[str]:
    """The pay years the catalogue holds, oldest first."""
    return [str(row[0]) for row in db.execute("SELECT DISTINCT pay_year FROM pay_point ORDER BY 1")]


def require_pay_year(db: Any, year: str | None) -> str:
    """`year` if the catalogue has pay for it (the latest when None); else CatalogueError
    naming the years it has, never blank figures."""
    years = pay_years(db)
    if not years:
        raise CatalogueError("the catalogue holds no pay points: import a pay table first")
    if year is None:
        return years[-1]
    if year not in years:
        raise CatalogueError(
            f"no pay for {year} in the catalogue (pay years: {', '.join(years)}); add it with "
            f"`workforce pay-year add {year} --uplift PERCENT` or import its pay table"
        )
    return year


def next_year(year: str) -> str:
    """'2025/26' -> '2026/27'."""
    match = _YEAR.match(year)
    if not match:
        raise CatalogueError(f"{year!r} is not a pay year: write it as 2026/27")
    start = int(match.group(1)) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def parse_uplift(text: str) -> Decimal:
    """'3.3%' or '3.3' -> Decimal('3.3'): a percentage, between -50 and 100."""
    cleaned = text.strip().rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError as error:
        raise CatalogueError(f"--uplift {text!r}: give a percentage such as 3.3%") from error
    if not value.is_finite() or not Decimal(-50) < value <= Decimal(100):
        raise CatalogueError(f"--uplift {text!r}: give a percentage between -50% and 100%")
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
    """Add (or re-derive) pay year `year` as every point of `from_year` (default the latest)
    raised by `percent`, marked derived. Refuses to overwrite a year whose points are not all
    derived: a published table is never replaced by an estimate."""
    base = require_pay_year(db, from_year)
    if not _YEAR.match(year):
        raise CatalogueError(f"{year!r} is not a pay year: write it as 2026/27")
    if year == base:
        raise CatalogueError(f"{year} cannot be derived from itself: name another --from year")
    published = db.execute(
        "SELECT COUNT(*) FROM pay_point WHERE pay_year = ? AND confidence != 'derived'", [year]
    ).fetchone()[0]
    if published:
        raise CatalogueError(
            f"{year} already has {published} pay points that are not derived: import the "
            "published table to change them, rather than an uplift"
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
    return save_rows(db, BY_NAME["pay_point"], rows, source=source, dry_run=dry_run)
