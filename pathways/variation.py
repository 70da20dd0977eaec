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

Two parts, so that a national catalogue (tens of thousands of JDs) is never judged JD by JD:

- `variation_summary`: what a lead reads first. Per role the band counts, modal band, spread
  and titles, and the count and WTE in post of its flags by severity and by reason; from
  GROUP BYs over covering indexes, without fetching a flagged JD. A verdict depends only on
  (role, band, JE band), so it is worked out once per (role, band), and once per JE score
  outside its band, and counted.
- `list_flags`: the flags themselves, on demand, in order (high first, then WTE in post),
  a page at a time (`limit`, `offset`) or streamed one by one.

Both judge by the same `FlagRules`. The judgement itself (`modal_band`, `band_spread`,
`judge`, ...) is pure functions over plain counts and values, which the tests call directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from catalogue.bands import BAND_ORDER, band_distance
from catalogue.je_scheme import JEScheme, band_for_score, load_scheme

# SEVERITIES (low to high; a threshold of "warn" includes "high") is defined apart so the
# command line can offer it without importing this module; re-exported from here.
from pathways.options import SEVERITIES as SEVERITIES
from pathways.records import RoleInfo, load_roles

if TYPE_CHECKING:  # a reader is a sqlite-utils Database or a plain sqlite3 connection
    from catalogue.store import Reader

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

    A candidate is (trust, jd_ref, role, title, band, je_score, wte_in_post), as `list_flags`
    fetches it. The catalogue's own flags come from `list_flags`, which lets SQLite pick and
    order them; this judges records already in hand, by the same rules.
    """
    rules = FlagRules({role_id: stat.modal_band for role_id, stat in stats.items()}, roles, scheme)
    flags: list[Flag] = []
    for row in candidates:
        trust, jd_ref, role, title, band, score, wte = row
        verdict = rules.verdict(role, band, score)
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


def severity_rank(severity: str) -> int:
    """A sort key putting the worst severity first (the order flags are listed in)."""
    return -SEVERITIES.index(severity)


# --- the rules, shared by the summary and the flag list ---------------------------------------


class FlagRules:
    """What judging a JD needs, and the verdicts worked out so far.

    Each role's modal band (network-wide, within the role or staff group asked about), the
    reference ranges, the JE band ranges, and the (role, band) pairs in scope, which the flag
    list searches. A verdict depends only on (role, band, JE band): each is worked out once
    and shared by every JD it fits, and looked up by (role, band, score) thereafter.
    """

    def __init__(
        self,
        modes: Mapping[str, str | None],
        roles: Mapping[str, RoleInfo],
        scheme: JEScheme,
        pairs: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.modes = dict(modes)
        self.roles = roles
        self.scheme = scheme
        self.pairs = sorted(set(pairs))
        self._ranges = {band.code: (band.low, band.high) for band in scheme.bands}
        self._shared: dict[tuple[str, str, bool, str | None], Verdict | None] = {}
        self._by_score: dict[tuple[str, str, int | None], Verdict | None] = {}

    def verdict(self, role: str, band: str, je_score: int | None) -> Verdict | None:
        """The verdict on a JD of `role` at `band` with this JE score; None: not flagged."""
        key = (role, band, je_score)
        if key in self._by_score:
            return self._by_score[key]
        je_band = band_for_score(self.scheme, je_score) if je_score is not None else None
        verdict = self._by_score[key] = self.judged(role, band, je_score is not None, je_band)
        return verdict

    def judged(self, role: str, band: str, scored: bool, je_band: str | None) -> Verdict | None:
        """The verdict on a JD with a JE score (`scored`) falling in `je_band`, or with none."""
        key = (role, band, scored, je_band)
        if key not in self._shared:
            info = self.roles[role]
            self._shared[key] = judge(
                band,
                modal=self.modes.get(role),
                band_min=info.band_min,
                band_max=info.band_max,
                # judge reads a score only to know there is one; je_band says where it falls.
                je_score=0 if scored else None,
                je_band=je_band,
            )
        return self._shared[key]

    def je_range(self, band: str) -> tuple[int, int]:
        """The JE scores of `band`, lowest and highest.

        The bands' ranges do not overlap, so a JD's own JE band differs from its band exactly
        when its score lies outside this range: SQL can pick out the JE disagreements with
        two range searches of an index rather than scoring every JD.
        """
        return self._ranges[band]


def load_flag_rules(
    db: Reader, *, role: str | None = None, staff_group: str | None = None
) -> FlagRules:
    """The rules alone, from one GROUP BY role, band: enough to list flags (`list_flags`).

    `variation_summary` gives the same rules with the statistics; this is for a caller that
    wants flags and no summary.
    """
    scope, params = _role_scope(role, staff_group)
    counts: dict[str, dict[str, int]] = {}
    for role_id, band, count in db.execute(
        f"SELECT j.role, j.band, COUNT(*) FROM job_description j "
        f"WHERE {scope} AND j.band IS NOT NULL GROUP BY j.role, j.band",
        params,
    ):
        counts.setdefault(role_id, {})[band] = count
    modes = {role_id: modal_band(bands) for role_id, bands in counts.items()}
    pairs = [(role_id, band) for role_id, bands in counts.items() for band in bands]
    return FlagRules(modes, load_roles(db), load_scheme(db), pairs)


# --- the summary: what a lead reads first ----------------------------------------------------


@dataclass(slots=True)
class Tally:
    """A number of flags and the WTE in post of the JDs flagged (a JD giving none counts 0)."""

    flags: int = 0
    wte_in_post: float = 0.0


def _severity_tallies() -> dict[str, Tally]:
    return {severity: Tally() for severity in reversed(SEVERITIES)}  # worst first


def _reason_tallies() -> dict[str, Tally]:
    return {reason: Tally() for reason in REASONS}


@dataclass
class FlagCounts:
    """Flags counted in all, by severity and by reason (a JD flagged for two reasons counts
    under each, so the reasons can add up to more than the total)."""

    total: Tally = field(default_factory=Tally)
    by_severity: dict[str, Tally] = field(default_factory=_severity_tallies)
    by_reason: dict[str, Tally] = field(default_factory=_reason_tallies)

    def add(self, verdict: Verdict, flags: int, wte_in_post: float) -> None:
        reasons = [self.by_reason[reason] for reason in verdict.reasons]
        for tally in (self.total, self.by_severity[verdict.severity], *reasons):
            tally.flags += flags
            tally.wte_in_post += wte_in_post

    def any_at_or_above(self, threshold: str) -> bool:
        """Whether any flag counted is of `threshold` severity or worse."""
        return any(
            tally.flags and at_or_above(severity, threshold)
            for severity, tally in self.by_severity.items()
        )


@dataclass
class VariationSummary:
    """Role statistics and flag counts, without a single flagged JD fetched.

    With a trust the statistics (and the modes flags are judged against) stay network-wide,
    `roles` keeps the roles that trust has JDs in, and the counts are that trust's flags.
    """

    roles: list[RoleStats]
    flags: FlagCounts  # every flag in scope
    role_flags: dict[str, FlagCounts]  # by role id; a role with no flags is absent
    # JDs left out of the flags and why: no role yet ("unmapped"), medical pay ("no_band").
    skipped: dict[str, int]
    trust: str | None
    rules: FlagRules  # to list the flags counted here: `list_flags(db, summary.rules, ...)`


# (role, band) -> (JDs, their WTE in post)
PairTotals = dict[tuple[str, str], tuple[int, float]]


def variation_summary(
    db: Reader,
    *,
    role: str | None = None,
    staff_group: str | None = None,
    trust: str | None = None,
) -> VariationSummary:
    """Banding variation counted, optionally for one role, staff group or trust.

    Index-only reads (see catalogue/schema.py), none of them a fetch of flagged JDs: one
    GROUP BY role, title, band for the statistics (and so the modes and the rules); for each
    (role, band) flagged as a whole, its JDs and their WTE; the JDs whose JE score lies
    outside their band, by range search; and the unmapped, counted. Each verdict is worked
    out once and counted, never applied JD by JD.
    """
    roles = load_roles(db)
    scope, params = _role_scope(role, staff_group)
    stats = _load_role_stats(db, roles, scope, params)
    modes = {role_id: stat.modal_band for role_id, stat in stats.items()}
    pairs = [(role_id, band) for role_id, stat in stats.items() for band in stat.bands]
    rules = FlagRules(modes, roles, load_scheme(db), pairs)
    if trust is None:
        unmapped = 0 if params else _count_unmapped(db)
        skipped = {"unmapped": unmapped, "no_band": sum(s.no_band for s in stats.values())}
        shown = list(stats.values())
    else:
        held, skipped = _trust_roles(db, scope, params, trust)
        shown = [stat for role_id, stat in stats.items() if role_id in held]
    overall, by_role = _count_flags(
        rules, _flagged_pair_totals(db, rules, trust), _je_disagreements(db, rules, trust)
    )
    return VariationSummary(shown, overall, by_role, skipped, trust, rules)


def _load_role_stats(
    db: Reader, roles: Mapping[str, RoleInfo], scope: str, params: list[str]
) -> dict[str, RoleStats]:
    """Every mapped role's statistics in scope (network-wide), by role id.

    One GROUP BY role, title, band over the index on (role, title, band): the band counts and
    the titles both come from it, without reading the table.
    """
    band_counts: dict[str, dict[str | None, int]] = {}
    title_counts: dict[str, dict[str, int]] = {}
    for role_id, title, band, count in db.execute(
        "SELECT j.role, j.title, j.band, COUNT(*) FROM job_description j "
        f"WHERE {scope} GROUP BY j.role, j.title, j.band",
        params,
    ):
        bands = band_counts.setdefault(role_id, {})
        bands[band] = bands.get(band, 0) + count
        titles = title_counts.setdefault(role_id, {})
        titles[title] = titles.get(title, 0) + count
    return {
        role_id: role_stats(role_id, roles[role_id].staff_group, counts, title_counts[role_id])
        for role_id, counts in sorted(band_counts.items())
    }


def _count_unmapped(db: Reader) -> int:
    return int(db.execute("SELECT COUNT(*) FROM job_description WHERE role IS NULL").fetchone()[0])


def _trust_roles(
    db: Reader, scope: str, params: list[str], trust: str
) -> tuple[set[str], dict[str, int]]:
    """The roles a trust has JDs in (within scope), and its JDs left out of the flags.

    With a role or staff group chosen, unmapped JDs belong to neither, so they are not left
    out of it: only that scope's JDs on medical pay are counted.
    """
    where = f"({scope})" if params else "1"  # over all roles the unmapped count as skipped
    held: set[str] = set()
    skipped = {"unmapped": 0, "no_band": 0}
    for role_id, no_band, count in db.execute(
        "SELECT j.role, j.band IS NULL, COUNT(*) FROM job_description j "
        f"WHERE j.trust = ? AND {where} GROUP BY 1, 2",
        [trust, *params],
    ):
        if role_id is None:
            skipped["unmapped"] += count
            continue
        held.add(role_id)
        if no_band:
            skipped["no_band"] += count
    return held, skipped


def _flagged_pair_totals(db: Reader, rules: FlagRules, trust: str | None) -> PairTotals:
    """JDs and WTE of each (role, band) flagged as a whole (off the mode or the reference
    range): a count and a sum per pair, each over its stretch of the (role, band, ...) index.
    """
    flagged = [pair for pair in rules.pairs if rules.verdict(*pair, None) is not None]
    if not flagged:
        return {}
    in_trust = " AND j.trust = :trust" if trust is not None else ""
    over_pair = "FROM job_description j WHERE j.role = pair.role AND j.band = pair.band" + in_trust
    sql = (
        "WITH pair(role, band) AS (SELECT value ->> 0, value ->> 1 FROM json_each(:pairs)) "
        f"SELECT pair.role, pair.band, (SELECT COUNT(*) {over_pair}), "
        # Each JD's WTE to the 2 places shown before adding, so severities add up to the
        # total as shown (issue 12; as pathways.gap and pathways.harmonise do).
        f"(SELECT TOTAL(ROUND(j.wte_in_post, 2)) {over_pair}) FROM pair"
    )
    rows = db.execute(sql, {"pairs": json.dumps(flagged), "trust": trust})
    return {(role_id, band): (jds, wte) for role_id, band, jds, wte in rows if jds}


def _pairs_json(rules: FlagRules, *, with_rank: bool) -> str:
    """The rules' (role, band) pairs for SQL: [role, band, (rank,) JE low, JE high] each.

    `rank` is the pair's severity rank when every JD in it is flagged (off the mode or the
    reference range), else null: there only JE disagreements are flagged.
    """
    rows: list[list[Any]] = []
    for role_id, band in rules.pairs:
        low, high = rules.je_range(band)
        if with_rank:
            verdict = rules.verdict(role_id, band, None)
            rank = severity_rank(verdict.severity) if verdict is not None else None
            rows.append([role_id, band, rank, low, high])
        else:
            rows.append([role_id, band, low, high])
    return json.dumps(rows)


def _je_disagreements(
    db: Reader, rules: FlagRules, trust: str | None
) -> list[tuple[str, str, str | None, int, float]]:
    """(role, band, JE band, JDs, WTE) for the JDs whose JE score lies outside their band
    (JE band None: a score beyond the top band).

    Two range searches per (role, band) of the index on (role, band, je_score, ...), below
    the band's JE range and above it, so only the disagreeing JDs are read; their scores are
    put in JE bands (the rules' scheme) in SQL, which returns a row per verdict, not per score.
    """
    in_trust = " AND j.trust = :trust" if trust is not None else ""
    side = (
        "SELECT j.role, j.band, j.je_score, ROUND(j.wte_in_post, 2) "  # as shown: sums add up
        "FROM pair JOIN job_description j ON j.role = pair.role AND j.band = pair.band "
        f"AND j.je_score {{op}} pair.{{bound}}{in_trust}"
    )
    sql = (
        "WITH pair(role, band, low, high) AS ("
        "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(:pairs)), "
        "scheme(band, low, high) AS ("
        "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(:scheme)), "
        "outside(role, band, score, wte) AS ("
        + side.format(op="<", bound="low")
        + " UNION ALL "
        + side.format(op=">", bound="high")
        + ") SELECT o.role, o.band, scheme.band, COUNT(*), TOTAL(o.wte) FROM outside o "
        "LEFT JOIN scheme ON o.score BETWEEN scheme.low AND scheme.high GROUP BY 1, 2, 3"
    )
    args = {
        "pairs": _pairs_json(rules, with_rank=False),
        "scheme": json.dumps([[b.code, b.low, b.high] for b in rules.scheme.bands]),
        "trust": trust,
    }
    return list(db.execute(sql, args).fetchall())


def _count_flags(
    rules: FlagRules,
    flagged_pairs: PairTotals,
    disagreements: Iterable[tuple[str, str, str | None, int, float]],
) -> tuple[FlagCounts, dict[str, FlagCounts]]:
    """Count the flags: each JE disagreement by its own verdict, and the rest of each (role,
    band) flagged as a whole by the pair's (a JE score inside the band judges as none)."""
    # Summed by role and verdict first (verdicts are shared objects, so keyed by identity):
    # a national catalogue has hundreds of JE scores outside their band but few verdicts.
    summed: dict[tuple[str, int], tuple[Verdict, int, float]] = {}

    def add(role_id: str, verdict: Verdict | None, jds: int, wte: float) -> None:
        if verdict is None or not jds:
            return
        key = (role_id, id(verdict))
        _, jds_so_far, wte_so_far = summed.get(key, (verdict, 0, 0.0))
        summed[key] = (verdict, jds_so_far + jds, wte_so_far + wte)

    rest = dict(flagged_pairs)
    for role_id, band, je_band, jds, wte in disagreements:
        add(role_id, rules.judged(role_id, band, True, je_band), jds, wte)
        if (role_id, band) in rest:
            left_jds, left_wte = rest[(role_id, band)]
            rest[(role_id, band)] = (left_jds - jds, left_wte - wte)
    for (role_id, band), (jds, wte) in rest.items():
        add(role_id, rules.verdict(role_id, band, None), jds, wte)

    overall = FlagCounts()
    by_role: dict[str, FlagCounts] = {}
    for (role_id, _), (verdict, jds, wte) in summed.items():
        overall.add(verdict, jds, wte)
        if role_id not in by_role:
            by_role[role_id] = FlagCounts()
        by_role[role_id].add(verdict, jds, wte)
    return overall, by_role


def _role_scope(role: str | None, staff_group: str | None) -> tuple[str, list[str]]:
    """SQL choosing the mapped JDs (`job_description j`) of a role, a staff group, or all."""
    if role is not None:
        return "j.role = ?", [role]
    if staff_group is not None:
        return "j.role IN (SELECT id FROM role WHERE staff_group = ?)", [staff_group]
    return "j.role IS NOT NULL", []


# --- the flag list: fetched on demand, a page at a time ----------------------------------------

FLAG_COLUMNS = "j.trust, j.jd_ref, j.role, j.title, j.band, j.je_score, j.wte_in_post"


def list_flags(
    db: Reader,
    rules: FlagRules,
    *,
    trust: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[Flag]:
    """The flags in order (high first, then WTE in post, trust, reference), as SQLite reads
    them: `limit` and `offset` page the list; without a limit every flag is yielded, one at a
    time, never all held at once here.

    SQLite finds and orders the flagged JDs in the index on (role, band, je_score,
    wte_in_post, trust, jd_ref), without reading the table: every JD of a (role, band) pair
    that is flagged as a whole, and elsewhere the JE disagreements (range searches). Only
    the page's JDs are then read, for their titles. The order is `sort_flags`'s, worked out
    in SQL from each pair's severity (a JE disagreement is always the worst).
    """
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError(f"limit and offset must not be negative: {limit}, {offset}")
    in_trust = " AND j.trust = :trust" if trust is not None else ""
    picked = (
        "SELECT j.id, {rank} AS rank, COALESCE(j.wte_in_post, 0) AS wte, j.trust, j.jd_ref "
        "FROM pair JOIN job_description j ON j.role = pair.role AND j.band = pair.band{range} "
        f"WHERE pair.rank IS {{which}} NULL{in_trust}"
    )
    outside = "j.je_score < pair.low OR j.je_score > pair.high"
    page = " ORDER BY rank, wte DESC, trust, jd_ref LIMIT :limit OFFSET :offset"
    sql = (
        "WITH pair(role, band, rank, low, high) AS (SELECT value ->> 0, value ->> 1, "
        "value ->> 2, value ->> 3, value ->> 4 FROM json_each(:pairs)), "
        # A pair flagged as a whole: every JD in it, high when its JE disagrees as well.
        "flagged AS ("
        + picked.format(
            rank=f"CASE WHEN {outside} THEN :je ELSE pair.rank END", range="", which="NOT"
        )
        # Elsewhere only JE disagreements: scores below the band's range, then above it.
        + " UNION ALL "
        + picked.format(rank=":je", range=" AND j.je_score < pair.low", which="")
        + " UNION ALL "
        + picked.format(rank=":je", range=" AND j.je_score > pair.high", which="")
        + "), "
        # The page is chosen in the index; only its rows are read from the table.
        + f"page AS (SELECT * FROM flagged{page if limit is not None else ''}) "
        f"SELECT {FLAG_COLUMNS} FROM page JOIN job_description j ON j.id = page.id "
        "ORDER BY page.rank, page.wte DESC, page.trust, page.jd_ref"
    )
    args = {
        "pairs": _pairs_json(rules, with_rank=True),
        "je": severity_rank(severity_of({"je": None})),
        "trust": trust,
        "limit": limit,
        "offset": offset,
    }
    return _judged_rows(db.execute(sql, args), rules)


def _judged_rows(rows: Iterable[Sequence[Any]], rules: FlagRules) -> Iterator[Flag]:
    """Flags from the rows `list_flags` selects (FLAG_COLUMNS), one at a time."""
    for trust, jd_ref, role_id, title, band, score, wte in rows:
        verdict = rules.verdict(role_id, band, score)
        if verdict is None:  # not reached: SQL picks only what the rules flag
            raise AssertionError(f"{trust} {jd_ref} listed but not flagged")
        yield Flag(trust, jd_ref, role_id, title, band, score, wte, verdict)


# --- the whole report -------------------------------------------------------------------------


@dataclass
class VariationReport:
    """The summary and every flag it counts, in order."""

    summary: VariationSummary
    flags: list[Flag]

    @property
    def roles(self) -> list[RoleStats]:
        return self.summary.roles

    @property
    def skipped(self) -> dict[str, int]:
        return self.summary.skipped

    @property
    def trust(self) -> str | None:
        return self.summary.trust


def variation(
    db: Reader,
    *,
    role: str | None = None,
    staff_group: str | None = None,
    trust: str | None = None,
) -> VariationReport:
    """Banding variation over a catalogue, optionally one role's, staff group's or trust's:
    the summary and every flag, held in memory (a screen pages with `list_flags` instead)."""
    summary = variation_summary(db, role=role, staff_group=staff_group, trust=trust)
    return VariationReport(summary, list(list_flags(db, summary.rules, trust=trust)))


# --- the JSON shape -------------------------------------------------------------------------


def tally_as_dict(tally: Tally) -> dict[str, Any]:
    # Rounded only to drop the float noise of adding and subtracting WTE (12.400000000000002).
    return {"flags": tally.flags, "wte_in_post": round(tally.wte_in_post, 6)}


def counts_as_dict(counts: FlagCounts) -> dict[str, Any]:
    return {
        **tally_as_dict(counts.total),
        "by_severity": {name: tally_as_dict(t) for name, t in counts.by_severity.items()},
        "by_reason": {name: tally_as_dict(t) for name, t in counts.by_reason.items()},
    }


def role_as_dict(stat: RoleStats, counts: FlagCounts | None = None) -> dict[str, Any]:
    return {
        "role": stat.role,
        "staff_group": stat.staff_group,
        "jds": stat.jds,
        "bands": dict(stat.bands),
        "no_band": stat.no_band,
        "modal_band": stat.modal_band,
        "spread": stat.spread,
        "titles": dict(stat.titles),
        "flag_counts": counts_as_dict(counts or FlagCounts()),
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


def summary_as_dict(summary: VariationSummary) -> dict[str, Any]:
    """The report's JSON without its flags, in its key order; "flags" is filled in last."""
    return {
        "roles": [role_as_dict(s, summary.role_flags.get(s.role)) for s in summary.roles],
        "flags": [],
        "skipped": dict(summary.skipped),
        "trust": summary.trust,
        "summary": counts_as_dict(summary.flags),
    }


def report_as_dict(report: VariationReport, roles: Mapping[str, RoleInfo]) -> dict[str, Any]:
    data = summary_as_dict(report.summary)
    data["flags"] = [flag_as_dict(flag, roles) for flag in report.flags]
    return data
