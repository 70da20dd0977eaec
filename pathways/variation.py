"""Banding variation: the bands trusts give each reference role, and the JDs that stand out.

For each reference role: how many JDs sit at each band, the modal band (none when the top
count is tied), the spread (bands between the lowest and the highest, by band order) and the
local titles in use. For each JD, a flag listing every reason that applies:

- `modal`: its band differs from the role's modal band;
- `reference`: its band lies outside the reference role's band range;
- `je`: its band differs from the band its own JE score falls in (a score beyond Band 9 is a
  disagreement too, reported rather than clamped).

Severity is `high` for any JE disagreement or for a band two or more bands from what it is
compared with, `warn` for one band away. JDs with no role (unmapped) or no band (medical pay)
are not flagged; the report counts them in `skipped`.

With a trust filter the role statistics stay network-wide (the mode is the network's: a trust
is compared with everyone else, not with itself) but only that trust's flags are listed, and
only the roles it has JDs in.

Speed: a national catalogue holds tens of thousands of JDs, so the loader aggregates in SQL
(GROUP BY role, band and GROUP BY role, title) and fetches only the JDs that can be flagged.
The judgement itself (`modal_band`, `band_spread`, `judge`, ...) is pure functions over plain
counts and values, which the tests call directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlite_utils import Database

from catalogue.bands import BAND_ORDER, band_distance
from catalogue.je_scheme import JEScheme, band_for_score, load_scheme
from pathways.records import RoleInfo, load_roles

# Low to high; a threshold of "warn" includes "high".
SEVERITIES: tuple[str, ...] = ("warn", "high")
REASONS: tuple[str, ...] = ("modal", "reference", "je")


# --- role statistics ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleStats:
    """How one reference role is banded and titled across the JDs in scope."""

    role: str
    staff_group: str
    bands: dict[str, int]  # band -> JDs, lowest band first
    modal_band: str | None  # None: no banded JDs, or the top count is tied
    spread: int  # bands between the lowest and highest band in use (0: one band)
    titles: dict[str, int]  # local title -> JDs, most used first
    no_band: int = 0  # JDs of this role on medical pay (no AfC band)

    @property
    def jds(self) -> int:
        return sum(self.bands.values()) + self.no_band

    @property
    def varies(self) -> bool:
        """Whether the role shows any variation: more than one band, or more than one title."""
        return self.spread > 0 or len(self.titles) > 1


def modal_band(counts: Mapping[str, int]) -> str | None:
    """The band most JDs have; None when there are none or the top count is shared."""
    if not counts:
        return None
    top = max(counts.values())
    leaders = [band for band, count in counts.items() if count == top]
    return leaders[0] if len(leaders) == 1 else None


def band_spread(bands: Iterable[str]) -> int:
    """Bands between the lowest and highest of `bands`, by band order (7 to 8b is 2)."""
    orders = [BAND_ORDER[band] for band in bands]
    return max(orders) - min(orders) if orders else 0


def role_stats(
    role: str,
    staff_group: str,
    band_counts: Mapping[str | None, int],
    title_counts: Mapping[str, int],
) -> RoleStats:
    """One role's statistics from its JD counts by band (None: medical pay) and by title."""
    banded = {band: count for band, count in band_counts.items() if band is not None and count}
    ordered = dict(sorted(banded.items(), key=lambda item: BAND_ORDER[item[0]]))
    titles = dict(sorted(title_counts.items(), key=lambda item: (-item[1], item[0])))
    return RoleStats(
        role=role,
        staff_group=staff_group,
        bands=ordered,
        modal_band=modal_band(ordered),
        spread=band_spread(ordered),
        titles=titles,
        no_band=band_counts.get(None, 0),
    )


# --- flags ----------------------------------------------------------------------------------


def reference_label(band_min: str | None, band_max: str | None) -> str | None:
    """A reference role's band range as shown: '7', or '8a-8b'; None for medical pay."""
    if band_min is None and band_max is None:
        return None
    if band_min is None or band_max is None or band_min == band_max:
        return band_min or band_max
    return f"{band_min}-{band_max}"


def distance_outside(band: str, band_min: str | None, band_max: str | None) -> int:
    """Bands between `band` and the nearest end of the range; 0 inside it (or with no range)."""
    if band_min is not None and BAND_ORDER[band] < BAND_ORDER[band_min]:
        return band_distance(band, band_min)
    if band_max is not None and BAND_ORDER[band] > BAND_ORDER[band_max]:
        return band_distance(band, band_max)
    return 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What is wrong with a band for a role, and how badly: shared by every JD it fits.

    `distances` gives, per reason, how many bands apart; None for a JE score beyond Band 9,
    which has no band to measure from.
    """

    modal_band: str | None
    reference_band: str | None
    je_band: str | None
    reasons: tuple[str, ...]
    distances: dict[str, int | None]
    severity: str

    @property
    def distance(self) -> int | None:
        """The largest distance in bands over the reasons (None if none can be measured)."""
        known = [d for d in self.distances.values() if d is not None]
        return max(known) if known else None


def severity_of(distances: Mapping[str, int | None]) -> str:
    """`high` for a JE disagreement or two bands or more off; otherwise `warn`."""
    if "je" in distances:
        return "high"
    return "high" if any(d is not None and d >= 2 for d in distances.values()) else "warn"


def judge(
    band: str,
    *,
    modal: str | None,
    band_min: str | None,
    band_max: str | None,
    je_score: int | None = None,
    je_band: str | None = None,
) -> Verdict | None:
    """The verdict on one JD's band, or None when nothing is wrong with it.

    `je_band` is the band the JD's own JE score falls in, read only when `je_score` is given;
    None there means a score beyond the top band, which disagrees with every band.
    """
    distances: dict[str, int | None] = {}
    if modal is not None and band != modal:
        distances["modal"] = band_distance(band, modal)
    outside = distance_outside(band, band_min, band_max)
    if outside:
        distances["reference"] = outside
    if je_score is not None and je_band != band:
        distances["je"] = band_distance(band, je_band) if je_band is not None else None
    if not distances:
        return None
    return Verdict(
        modal_band=modal,
        reference_band=reference_label(band_min, band_max),
        je_band=je_band if je_score is not None else None,
        reasons=tuple(reason for reason in REASONS if reason in distances),
        distances=distances,
        severity=severity_of(distances),
    )


class Flag(NamedTuple):
    """One JD whose band stands out, with the verdict on it.

    A NamedTuple, not a dataclass: a national catalogue can flag thousands of JDs, and the
    verdict is shared by all JDs of the same role, band and JE band.
    """

    trust: str
    jd_ref: str
    role: str
    title: str
    band: str
    je_score: int | None
    wte_in_post: float | None
    verdict: Verdict


def flag_jds(
    candidates: Iterable[Sequence[Any]],
    stats: Mapping[str, RoleStats],
    roles: Mapping[str, RoleInfo],
    scheme: JEScheme,
) -> list[Flag]:
    """Judge each candidate JD against its role; the flags, sorted (see `sort_flags`).

    A candidate is (trust, jd_ref, role, title, band, je_score, wte_in_post), as the loader
    fetches it (CANDIDATE_COLUMNS).

    A verdict depends only on (role, band, JE band), so each is worked out once and shared.
    """
    verdicts: dict[tuple[str, str, bool, str | None], Verdict | None] = {}
    flags: list[Flag] = []
    for row in candidates:
        trust, jd_ref, role, title, band, score, wte = row
        je_band = band_for_score(scheme, score) if score is not None else None
        key = (role, band, score is not None, je_band)
        if key not in verdicts:
            info = roles[role]
            role_stat = stats.get(role)
            verdicts[key] = judge(
                band,
                modal=role_stat.modal_band if role_stat else None,
                band_min=info.band_min,
                band_max=info.band_max,
                je_score=score,
                je_band=je_band,
            )
        verdict = verdicts[key]
        if verdict is not None:
            flags.append(Flag(trust, jd_ref, role, title, band, score, wte, verdict))
    return sort_flags(flags)


def sort_flags(flags: Iterable[Flag]) -> list[Flag]:
    """High first, then most WTE in post (people affected), then trust and reference."""
    return sorted(
        flags,
        key=lambda f: (
            -SEVERITIES.index(f.verdict.severity),
            -(f.wte_in_post or 0.0),
            f.trust,
            f.jd_ref,
        ),
    )


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether `severity` is `threshold` or worse ('high' is at or above 'warn')."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


def any_at_or_above(flags: Iterable[Flag], threshold: str) -> bool:
    return any(at_or_above(flag.verdict.severity, threshold) for flag in flags)


# --- the report -----------------------------------------------------------------------------


@dataclass
class VariationReport:
    roles: list[RoleStats]
    flags: list[Flag]
    # JDs left out of the flags and why: no role yet ("unmapped"), medical pay ("no_band").
    skipped: dict[str, int] = field(default_factory=lambda: {"unmapped": 0, "no_band": 0})
    trust: str | None = None  # flags of this trust only; role statistics network-wide


def off_bands(
    stats: Mapping[str, RoleStats], roles: Mapping[str, RoleInfo]
) -> set[tuple[str, str]]:
    """The (role, band) pairs every JD of which is flagged: off the mode or the reference range.

    Only JDs in these pairs, or whose JE score falls outside their band, can be flagged, so
    the loader fetches just those rather than every JD.
    """
    pairs: set[tuple[str, str]] = set()
    for role_id, stat in stats.items():
        info = roles[role_id]
        for band in stat.bands:
            off_mode = stat.modal_band is not None and band != stat.modal_band
            if off_mode or distance_outside(band, info.band_min, info.band_max):
                pairs.add((role_id, band))
    return pairs


def variation(
    db: Database,
    *,
    role: str | None = None,
    staff_group: str | None = None,
    trust: str | None = None,
) -> VariationReport:
    """Banding variation over a catalogue, optionally one role's, staff group's or trust's."""
    roles = load_roles(db)
    stats = load_role_stats(db, roles, role=role, staff_group=staff_group)
    candidates = load_candidates(db, off_bands(stats, roles), role, staff_group, trust)
    flags = flag_jds(candidates, stats, roles, load_scheme(db))
    skipped = count_skipped(db, role, staff_group, trust)
    if trust is not None:
        held = {
            row[0]
            for row in db.execute(
                "SELECT DISTINCT role FROM job_description WHERE trust = ? AND role IS NOT NULL",
                [trust],
            )
        }
        stats = {role_id: stat for role_id, stat in stats.items() if role_id in held}
    return VariationReport(list(stats.values()), flags, skipped, trust)


def load_role_stats(
    db: Database,
    roles: Mapping[str, RoleInfo],
    *,
    role: str | None = None,
    staff_group: str | None = None,
) -> dict[str, RoleStats]:
    """Every mapped role's statistics (network-wide), from two GROUP BYs; by role id."""
    scope, params = _role_scope(role, staff_group)
    band_counts: dict[str, dict[str | None, int]] = {}
    for role_id, band, count in db.execute(
        f"SELECT role, band, COUNT(*) FROM job_description j WHERE {scope} GROUP BY role, band",
        params,
    ):
        band_counts.setdefault(role_id, {})[band] = count
    title_counts: dict[str, dict[str, int]] = {}
    # SQLite sorts to group: (title, role) sorts quicker than (role, title). Over all roles,
    # the unary + keeps the planner from walking the (role, band) index, a table lookup per
    # JD, just to skip the unmapped: one scan of the table is quicker.
    title_scope = scope if params else "+j.role IS NOT NULL"
    for title, role_id, count in db.execute(
        f"SELECT title, role, COUNT(*) FROM job_description j WHERE {title_scope} "
        "GROUP BY title, role",
        params,
    ):
        title_counts.setdefault(role_id, {})[title] = count
    return {
        role_id: role_stats(role_id, roles[role_id].staff_group, counts, title_counts[role_id])
        for role_id, counts in sorted(band_counts.items())
    }


CANDIDATE_COLUMNS = "j.trust, j.jd_ref, j.role, j.title, j.band, j.je_score, j.wte_in_post"


def load_candidates(
    db: Database,
    off: set[tuple[str, str]],
    role: str | None,
    staff_group: str | None,
    trust: str | None,
) -> list[tuple[Any, ...]]:
    """The JDs that can be flagged (CANDIDATE_COLUMNS); `judge` decides which are.

    Those in an off (role, band) pair, through the (role, band) index; and those whose JE
    score lies outside their band's range (ranges do not overlap, so exactly those whose JE
    band differs), in one scan. A JD that is both comes once.
    """
    in_trust, trust_params = (" AND j.trust = ?", [trust]) if trust is not None else ("", [])
    # The ids come from the (role, band) index; reading the rows by id, in id order, reads
    # the table front to back rather than hopping about it in index order.
    rows = db.execute(
        f"SELECT {CANDIDATE_COLUMNS} FROM job_description j WHERE j.id IN ("
        "SELECT id FROM job_description "
        "WHERE (role, band) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?)))"
        f"{in_trust}",
        [json.dumps(sorted(off)), *trust_params],
    ).fetchall()
    scope, params = _role_scope(role, staff_group)
    for row in db.execute(
        f"SELECT {CANDIDATE_COLUMNS} FROM job_description j JOIN band b ON b.code = j.band "
        "WHERE j.je_score IS NOT NULL AND (j.je_score < b.je_min OR j.je_score > b.je_max) "
        f"AND {scope}{in_trust}",
        [*params, *trust_params],
    ):
        if (row[2], row[4]) not in off:
            rows.append(row)
    return rows


def count_skipped(
    db: Database, role: str | None, staff_group: str | None, trust: str | None
) -> dict[str, int]:
    """JDs left out of the flags: with no role yet (`unmapped`), on medical pay (`no_band`).

    With a role or staff group chosen, unmapped JDs belong to neither, so they are not left
    out of it: only that scope's JDs on medical pay are counted.
    """
    scope, params = _role_scope(role, staff_group)
    where = "j.role IS NULL OR j.band IS NULL" if not params else f"{scope} AND j.band IS NULL"
    in_trust, trust_params = (" AND j.trust = ?", [trust]) if trust is not None else ("", [])
    skipped = {"unmapped": 0, "no_band": 0}
    for unmapped, count in db.execute(
        f"SELECT j.role IS NULL, COUNT(*) FROM job_description j WHERE ({where}){in_trust} "
        "GROUP BY 1",
        [*params, *trust_params],
    ):
        skipped["unmapped" if unmapped else "no_band"] = count
    return skipped


def _role_scope(role: str | None, staff_group: str | None) -> tuple[str, list[str]]:
    """SQL choosing the mapped JDs (`job_description j`) of a role, a staff group, or all."""
    if role is not None:
        return "j.role = ?", [role]
    if staff_group is not None:
        return "j.role IN (SELECT id FROM role WHERE staff_group = ?)", [staff_group]
    return "j.role IS NOT NULL", []


# --- the JSON shape -------------------------------------------------------------------------


def role_as_dict(stat: RoleStats) -> dict[str, Any]:
    return {
        "role": stat.role,
        "staff_group": stat.staff_group,
        "jds": stat.jds,
        "bands": dict(stat.bands),
        "no_band": stat.no_band,
        "modal_band": stat.modal_band,
        "spread": stat.spread,
        "titles": dict(stat.titles),
    }


def flag_as_dict(flag: Flag, roles: Mapping[str, RoleInfo]) -> dict[str, Any]:
    verdict = flag.verdict
    return {
        "trust": flag.trust,
        "jd_ref": flag.jd_ref,
        "role": flag.role,
        "staff_group": roles[flag.role].staff_group if flag.role in roles else None,
        "title": flag.title,
        "band": flag.band,
        "modal_band": verdict.modal_band,
        "reference_band": verdict.reference_band,
        "je_score": flag.je_score,
        "je_band": verdict.je_band,
        "reasons": list(verdict.reasons),
        "distance": verdict.distance,
        "severity": verdict.severity,
        "wte_in_post": flag.wte_in_post,
    }


def report_as_dict(report: VariationReport, roles: Mapping[str, RoleInfo]) -> dict[str, Any]:
    return {
        "roles": [role_as_dict(stat) for stat in report.roles],
        "flags": [flag_as_dict(flag, roles) for flag in report.flags],
        "skipped": dict(report.skipped),
        "trust": report.trust,
    }
