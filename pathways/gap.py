"""The workforce gap: establishment, staff in post, vacancies and vacancy rates, by group.

SQLite sums WTE per (trust, role) in one GROUP BY (`load_wte_cells`), so a national catalogue
of tens of thousands of JDs comes back as at most trusts x roles cells; everything after that
(rolling cells up to a grouping, rates, the national comparison, small-number suppression) is
pure functions over those cells that tests call on hand-made inputs.

Decisions (documented in `workforce gap --help` too):
- A JD missing either WTE figure is left out of both sums, so establishment and in post always
  cover the same posts, and counted in `jds_without_wte`.
- Vacancies may be negative (more in post than funded): `over_established` says so.
- A group's national rate is the national rates of its roles weighted by each role's
  establishment, over the roles that have a national figure; `national_coverage` is the share
  of the group's establishment those roles hold, and `vs_national` sets the vacancy rate of
  those same roles (`rated_vacancy_rate`) against it, like for like. The `rate-family`
  grouping sets the network against each national figure directly.
- Groups under 5 WTE establishment are `small`; suppression replaces their figures with None,
  and when exactly one group would be hidden it also hides the next smallest, so the hidden
  figures cannot be worked back from the total (secondary suppression, as NHS publications do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the command line imports this module to build its parser
    from sqlite_utils import Database

    from pathways.records import NationalRate

SMALL_WTE = 5.0
UNMAPPED = "unmapped"  # staff group of JDs not mapped to a reference role
NO_NATIONAL_FIGURE = "none"  # rate family of roles with no national rate
TOTAL = "total"
GROUPINGS = ("trust", "staff-group", "icb", "rate-family")


@dataclass(frozen=True, slots=True)
class WteCell:
    """The summed WTE of one trust's JDs of one role (role None: unmapped JDs)."""

    trust: str
    trust_name: str
    icb: str
    icb_name: str
    role: str | None
    staff_group: str | None
    staff_group_name: str | None
    jds: int
    jds_without_wte: int
    establishment: float | None  # None when no JD here has both WTE figures
    in_post: float | None


def load_wte_cells(db: Database) -> list[WteCell]:
    """WTE summed per trust and role in SQL, over JDs that have both WTE figures.

    Each JD's WTE is rounded to the 2 places shown before it is added (ROUND), so a table's
    rows add up to its total as shown and vacancies are establishment minus in post exactly
    (issue 12: totals that add up)."""
    known = "j.wte_funded IS NOT NULL AND j.wte_in_post IS NOT NULL"
    rows = db.execute(
        f"""
        SELECT j.trust, t.name, t.icb, i.name, j.role, r.staff_group, g.name,
               COUNT(*),
               SUM(CASE WHEN {known} THEN 0 ELSE 1 END),
               SUM(CASE WHEN {known} THEN ROUND(j.wte_funded, 2) END),
               SUM(CASE WHEN {known} THEN ROUND(j.wte_in_post, 2) END)
        FROM job_description j
        JOIN trust t ON t.code = j.trust
        JOIN icb i ON i.code = t.icb
        LEFT JOIN role r ON r.id = j.role
        LEFT JOIN staff_group g ON g.id = r.staff_group
        GROUP BY j.trust, j.role
        ORDER BY j.trust, j.role
        """
    ).fetchall()
    return [WteCell(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class GapGroup:
    """Sums for one group of cells, before rates and suppression."""

    key: str
    label: str
    jds: int
    jds_without_wte: int
    establishment: float | None
    in_post: float | None
    rated_establishment: float  # establishment of the roles with a national rate
    rated_in_post: float  # in post in those roles
    rate_weighted: float  # sum of establishment x national rate over those roles


@dataclass(frozen=True, slots=True)
class GapRow:
    """One line of the gap report; figures None when unknown or suppressed."""

    key: str
    label: str
    jds: int
    jds_without_wte: int
    establishment: float | None
    in_post: float | None
    vacancies: float | None
    vacancy_rate: float | None  # a fraction: 0.11 is 11%
    over_established: bool | None
    small: bool
    suppressed: str  # "", "small" (under the threshold) or "secondary" (to protect a small one)
    national_rate: float | None  # establishment-weighted over the roles that have one
    national_coverage: float | None  # share of establishment in roles with a national rate
    rated_vacancy_rate: float | None  # vacancy rate of those roles alone (like for like)
    vs_national: float | None  # rated_vacancy_rate minus national_rate (fraction)


def vacancies(establishment: float | None, in_post: float | None) -> float | None:
    """Establishment minus in post; negative when over-established; None if either unknown."""
    if establishment is None or in_post is None:
        return None
    return establishment - in_post


def vacancy_rate(establishment: float | None, in_post: float | None) -> float | None:
    """Vacancies as a share of establishment; None when establishment is unknown or zero."""
    gap = vacancies(establishment, in_post)
    if gap is None or not establishment or establishment <= 0:
        return None
    return gap / establishment


def is_small(establishment: float | None, threshold: float = SMALL_WTE) -> bool:
    """Under the small-number threshold (an unknown establishment is not small: it is unknown)."""
    return establishment is not None and establishment < threshold


def weighted_national_rate(
    parts: Iterable[tuple[float | None, float | None]],
) -> tuple[float | None, float]:
    """From (establishment, national rate) pairs: the establishment-weighted rate, and the
    establishment it covers. Parts lacking either are left out; None when nothing is covered.
    """
    covered = weighted = 0.0
    for establishment, rate in parts:
        if establishment is None or rate is None:
            continue
        covered += establishment
        weighted += establishment * rate
    return (weighted / covered if covered > 0 else None), covered


def role_rates(rates: Mapping[str, NationalRate]) -> dict[str, NationalRate]:
    """Each role's national rate (a role belongs to at most one)."""
    return {role: rate for rate in rates.values() for role in rate.roles}


def grouping_key(
    by: str, rates: Mapping[str, NationalRate]
) -> Callable[[WteCell], tuple[str, str]]:
    """How a cell is keyed and labelled for one of GROUPINGS."""
    by_role = role_rates(rates)

    def trust(cell: WteCell) -> tuple[str, str]:
        return cell.trust, cell.trust_name

    def icb(cell: WteCell) -> tuple[str, str]:
        return cell.icb, cell.icb_name

    def staff_group(cell: WteCell) -> tuple[str, str]:
        if cell.staff_group is None:
            return UNMAPPED, "Unmapped (no reference role)"
        return cell.staff_group, cell.staff_group_name or cell.staff_group

    def rate_family(cell: WteCell) -> tuple[str, str]:
        rate = by_role.get(cell.role or "")
        if rate is None:
            return NO_NATIONAL_FIGURE, "No national figure"
        return rate.id, rate.label

    keys = {"trust": trust, "icb": icb, "staff-group": staff_group, "rate-family": rate_family}
    if by not in keys:
        raise ValueError(f"cannot group by {by!r}: use one of {', '.join(GROUPINGS)}")
    return keys[by]


def _sum(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def roll_up(
    cells: Sequence[WteCell],
    key: Callable[[WteCell], tuple[str, str]],
    rates: Mapping[str, NationalRate],
) -> list[GapGroup]:
    """Sum cells into groups, ordered by key with unmapped / no-figure groups last."""
    by_role = role_rates(rates)
    members: dict[tuple[str, str], list[WteCell]] = {}
    for cell in cells:
        members.setdefault(key(cell), []).append(cell)
    groups = []
    for (group_key, label), group_cells in members.items():
        rate, covered = weighted_national_rate(
            (cell.establishment, _rate_of(by_role, cell.role)) for cell in group_cells
        )
        groups.append(
            GapGroup(
                key=group_key,
                label=label,
                jds=sum(cell.jds for cell in group_cells),
                jds_without_wte=sum(cell.jds_without_wte for cell in group_cells),
                establishment=_sum(cell.establishment for cell in group_cells),
                in_post=_sum(cell.in_post for cell in group_cells),
                rated_establishment=covered,
                rated_in_post=sum(
                    cell.in_post or 0.0
                    for cell in group_cells
                    if cell.establishment is not None and _rate_of(by_role, cell.role) is not None
                ),
                rate_weighted=(rate or 0.0) * covered,
            )
        )
    last = {UNMAPPED, NO_NATIONAL_FIGURE}
    groups.sort(key=lambda group: (group.key in last, group.key))
    return groups


def _rate_of(by_role: Mapping[str, NationalRate], role: str | None) -> float | None:
    rate = by_role.get(role or "")
    return rate.rate if rate else None


def total_of(cells: Sequence[WteCell], rates: Mapping[str, NationalRate]) -> GapGroup:
    """The whole network as one group (zeros and None for an empty catalogue)."""
    groups = roll_up(cells, lambda _cell: (TOTAL, "Network total"), rates)
    return (
        groups[0] if groups else GapGroup(TOTAL, "Network total", 0, 0, None, None, 0.0, 0.0, 0.0)
    )


def gap_row(group: GapGroup, threshold: float = SMALL_WTE) -> GapRow:
    """Rates and the national comparison for one group, figures rounded for people."""
    gap = vacancies(group.establishment, group.in_post)
    rate = vacancy_rate(group.establishment, group.in_post)
    national = (
        group.rate_weighted / group.rated_establishment if group.rated_establishment else None
    )
    rated_rate = (
        vacancy_rate(group.rated_establishment, group.rated_in_post)
        if national is not None
        else None
    )
    coverage = (
        group.rated_establishment / group.establishment
        if national is not None and group.establishment
        else None
    )
    return GapRow(
        key=group.key,
        label=group.label,
        jds=group.jds,
        jds_without_wte=group.jds_without_wte,
        establishment=_round(group.establishment, 2),
        in_post=_round(group.in_post, 2),
        vacancies=_round(gap, 2),
        vacancy_rate=_round(rate, 4),
        # a tolerance, so float noise in a sum (1e-15 below zero) is not over-establishment
        over_established=None if gap is None else gap < -1e-9,
        small=is_small(group.establishment, threshold),
        suppressed="",
        national_rate=_round(national, 4),
        national_coverage=_round(coverage, 4),
        rated_vacancy_rate=_round(rated_rate, 4),
        vs_national=(
            _round(rated_rate - national, 4)
            if rated_rate is not None and national is not None
            else None
        ),
    )


def _round(value: float | None, places: int) -> float | None:
    # + 0.0 turns the -0.0 that rounding a tiny negative gives into 0.0
    return None if value is None else round(value, places) + 0.0


def suppress_row(row: GapRow, reason: str) -> GapRow:
    """The row with its own figures hidden (the national rate is not the group's: it stays)."""
    return replace(
        row,
        establishment=None,
        in_post=None,
        vacancies=None,
        vacancy_rate=None,
        over_established=None,
        rated_vacancy_rate=None,
        vs_national=None,
        suppressed=reason,
    )


def suppress_small(rows: Sequence[GapRow], total: GapRow) -> tuple[list[GapRow], GapRow]:
    """Hide small groups' figures, and a second group when one alone would be hidden.

    With a total shown, one hidden group is the total minus the others; hiding the next
    smallest group as well stops that subtraction. The total is hidden only if it is small.
    """
    result = [suppress_row(row, "small") if row.small else row for row in rows]
    hidden = [row for row in result if row.suppressed]
    shown = [row for row in result if not row.suppressed and row.establishment is not None]
    if len(hidden) == 1 and shown:
        # rows are frozen: compare by key to find the one to hide
        smallest = min(shown, key=lambda row: (row.establishment or 0.0, row.key)).key
        result = [suppress_row(row, "secondary") if row.key == smallest else row for row in result]
    return result, suppress_row(total, "small") if total.small else total


@dataclass(frozen=True, slots=True)
class GapReport:
    by: str
    rows: tuple[GapRow, ...]
    total: GapRow
    suppressed: bool  # whether small-number suppression was applied
    threshold: float  # establishment (WTE) under which a group is small


def gap_report(
    cells: Sequence[WteCell],
    rates: Mapping[str, NationalRate],
    by: str,
    *,
    suppress: bool = False,
    threshold: float = SMALL_WTE,
) -> GapReport:
    """The gap by one of GROUPINGS, with a network total; small groups hidden if `suppress`."""
    groups = roll_up(cells, grouping_key(by, rates), rates)
    rows = [gap_row(group, threshold) for group in groups]
    total = gap_row(total_of(cells, rates), threshold)
    if suppress:
        rows, total = suppress_small(rows, total)
    return GapReport(by=by, rows=tuple(rows), total=total, suppressed=suppress, threshold=threshold)


ROW_FIELDS = tuple(GapRow.__dataclass_fields__)


def gap_row_as_dict(row: GapRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in ROW_FIELDS}


def gap_report_as_dict(report: GapReport, rates: Mapping[str, NationalRate]) -> dict[str, object]:
    return {
        "by": report.by,
        "small_threshold_wte": report.threshold,
        "suppressed": report.suppressed,
        "groups": [gap_row_as_dict(row) for row in report.rows],
        "total": gap_row_as_dict(report.total),
        "national_rates": [
            {"id": rate.id, "label": rate.label, "rate": rate.rate, "source": rate.source}
            for rate in rates.values()
        ],
    }
