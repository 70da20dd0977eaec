"""Harmonisation plan: move every JD of a role to one target band, and cost it.

Entry point: `plan_harmonisation(db, targets, choices) -> HarmonisationResult`. It reads the
catalogue once (JDs, roles, trusts, pay, the default on-cost rate) and hands plain records to
`compute_plan`, the pure function that decides each JD's move and its cost, so the
arithmetic can be tested on hand-made records and rerun cheaply (e.g. as a screen changes a
target).

The cost rule, per JD of a target role, at one pay year and pay point:
    moved up:    (salary at target band - salary at current band) x WTE x (1 + on-costs)
    moved down:  nothing while pay protection is on (the post-holder keeps their pay);
                 the same formula, a saving (negative), with protection off
    unchanged:   nothing
A band without the chosen pay point is costed at the nearest lower point it has
(`pathways.records.salary_at`: Band 2 has one point; Bands 3 and 4 have no intermediate).
A band with no pay at all in the year is refused (`MissingPayError`), never costed at 0.
WTE is the JD's WTE in post (or funded); a JD with no WTE counts as 0 and is reported.

One trust's view (`trusts`): the targets are always the network's (a modal band is the
network's mode), but only the named trusts' JDs are costed and counted, so the result is
those trusts' share of the network plan and says so (`HarmonisationResult.trusts`).

Rounding: a JD's cost is rounded to whole pounds, once, when it is worked out (`Move.cost`),
and every sum is of those whole pounds. So a table's parts add up to its total exactly
(three JDs of 50p each cost £1 + £1 + £1 = £3, shown as such, never £2 beside parts of £1),
and the by-role, by-trust and by-JD tables all come to the same total.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from sqlite_utils import Database

from catalogue.bands import BAND_ORDER, BandError, band_label, parse_band
from catalogue.reference import ReferenceDataError, load_on_costs
from catalogue.scenarios import Scenario, ScenarioAssumptions, ScenarioPay
from catalogue.store import meta
from catalogue.vocabulary import BASES, PAY_POINTS
from pathways.figures import money, wte
from pathways.figures import whole_pounds as whole_pounds  # re-exported: callers use it here
from pathways.records import (
    JD,
    RoleInfo,
    TrustInfo,
    load_jds,
    load_pay,
    load_roles,
    load_trusts,
    salary_at,
)

if TYPE_CHECKING:
    from pathways.pay_harmonise import PayPlan

Direction = Literal["up", "down", "unchanged"]
TargetRequest = tuple[str, str | None]  # (role id, band as written, or None for the modal band)


class HarmonisationError(ValueError):
    """A plan that cannot be made as asked (unknown role, tied mode, ...): bad input."""


class MissingPayError(HarmonisationError):
    """The pay year has no salary for a band the plan needs."""


@dataclass(frozen=True, slots=True)
class Assumptions:
    """Everything a plan's cost depends on besides the JDs, each value resolved."""

    pay_year: str
    pay_point: str = "top"  # entry | mid | top
    on_costs: float = 0.0  # a fraction of pay: 0.25 is 25%
    protection: bool = True
    basis: str = "in_post"  # in_post | funded
    on_costs_basis: str = ""  # what the rate is: the documented default, or given for this run


@dataclass(frozen=True, slots=True)
class Target:
    role: str
    band: str
    source: Literal["given", "modal"] = "given"


@dataclass(frozen=True, slots=True)
class Move:
    """What the plan does to one JD, and what that costs a year."""

    jd: JD
    to_band: str
    direction: Direction
    wte: float  # on the plan's basis; 0 when the JD has none
    wte_known: bool
    cost: float  # annual cost under the plan's assumptions; negative is a saving
    protection_cost: float  # the saving given up by protecting this JD's pay (moved down only)
    protected_wte: float

    @property
    def from_band(self) -> str:
        return self.jd.band or ""


@dataclass(frozen=True, slots=True)
class Tally:
    jds: int = 0
    wte: float = 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """The effect of a set of moves: in total, for one trust, or for one role."""

    annual_cost: float = 0.0
    moved_up: Tally = Tally()
    moved_down: Tally = Tally()
    unchanged: Tally = Tally()
    protected_wte: float = 0.0
    protection_cost: float = 0.0  # cost with protection minus cost without it
    jds_without_wte: int = 0


@dataclass(frozen=True, slots=True)
class RoleOutcome:
    target: Target
    title: str
    bands_before: dict[str, int]  # band -> JDs at it before the plan, low to high
    summary: Summary


@dataclass(frozen=True, slots=True)
class TrustOutcome:
    trust: str
    name: str
    summary: Summary


@dataclass(frozen=True)
class HarmonisationResult:
    assumptions: Assumptions
    targets: list[Target]
    moves: list[Move]
    total: Summary
    by_trust: list[TrustOutcome]
    roles: list[RoleOutcome]
    notes: list[str] = field(default_factory=list)
    # What the scenario's pay rules (premia, appointment points) cost beside the band moves:
    # pathways.pay_harmonise. None: the plan has no pay rules.
    pay: PayPlan | None = None
    # The trusts (code -> name) whose JDs alone are costed and counted: their share of a
    # network plan. Empty: the whole network.
    trusts: dict[str, str] = field(default_factory=dict)

    def scope_text(self) -> str:
        """Whose posts the figures cover, in words ('' for the whole network)."""
        return scope_text(self.trusts)

    @property
    def annual_cost_with_pay(self) -> float:
        """The band moves' annual cost and the pay rules' together."""
        return self.total.annual_cost + (self.pay.total.annual_cost if self.pay else 0.0)

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (the JSON shape): money in whole pounds, WTE to 2 places."""
        return {
            # Whose posts are costed: null for the whole network, else the trusts whose share
            # of the network plan this is.
            "trusts": (
                [{"trust": code, "name": name} for code, name in self.trusts.items()]
                if self.trusts
                else None
            ),
            **_summary_dict(self.total),
            "by_trust": [
                {"trust": t.trust, "name": t.name, **_summary_dict(t.summary)}
                for t in self.by_trust
            ],
            "roles": [
                {
                    "role": r.target.role,
                    "title": r.title,
                    "target_band": r.target.band,
                    "target_source": r.target.source,
                    "bands_before": r.bands_before,
                    **_summary_dict(r.summary),
                }
                for r in self.roles
            ],
            "moves": [
                {
                    "trust": m.jd.trust,
                    "jd_ref": m.jd.jd_ref,
                    "title": m.jd.title,
                    "role": m.jd.role,
                    "from_band": m.from_band,
                    "to_band": m.to_band,
                    "direction": m.direction,
                    "wte": round(m.wte, 2) if m.wte_known else None,
                    "annual_cost": whole_pounds(m.cost),
                }
                for m in self.moves
                if m.direction != "unchanged"
            ],
            "notes": list(self.notes),
            "assumptions": assumptions_dict(self.assumptions),
            "pay": self.pay.to_dict() if self.pay is not None else None,
            "annual_cost_with_pay": whole_pounds(self.annual_cost_with_pay),
        }


def protection_note(summary: Summary, protection: bool) -> tuple[str, str] | None:
    """What moving posts down does to the cost, as (label, words), said so that it cannot be
    read as part of the annual cost; None when nothing moves down.

    `protection_cost` is the saving the JDs moved down would make without protection: with
    protection on it is given up (not in the annual cost); with it off it is already taken off.
    """
    if not summary.moved_down.jds:
        return None
    saving = money(summary.protection_cost)
    if protection:
        return (
            "Pay protection",
            f"staff in the {wte(summary.protected_wte)} WTE moved down keep their pay, so the "
            f"annual cost includes no saving from them; without protection the plan would cost "
            f"{saving} a year less",
        )
    return (
        "Saving from moving down",
        f"{saving} a year, already taken off the annual cost (pay protection off)",
    )


def scope_text(trusts: Mapping[str, str]) -> str:
    """'RRK (Name)'s share of a network plan: ...' for a plan narrowed to some trusts' posts;
    '' for the whole network. Said wherever such a plan is shown, so a trust's cost is never
    read as the network's."""
    if not trusts:
        return ""
    named = ", ".join(f"{code} ({name})" if name != code else code for code, name in trusts.items())
    if len(trusts) == 1:
        whose, posts = f"{named}'s", "this trust's"
    else:
        whose, posts = f"{len(trusts)} trusts' ({named})", "these trusts'"
    return (
        f"{whose} share of a network plan: the target bands are the network's, the costs and "
        f"counts cover only {posts} posts"
    )


def whose_posts(trusts: Iterable[str]) -> str:
    """'RRK's posts', or 'the posts of RJE and RRK', for a plan narrowed to those trusts."""
    codes = list(trusts)
    if len(codes) == 1:
        return f"{codes[0]}'s posts"
    return f"the posts of {', '.join(codes[:-1])} and {codes[-1]}"


def _tally_dict(tally: Tally) -> dict[str, Any]:
    return {"jds": tally.jds, "wte": round(tally.wte, 2)}


def _summary_dict(summary: Summary) -> dict[str, Any]:
    return {
        "annual_cost": whole_pounds(summary.annual_cost),
        "moved_up": _tally_dict(summary.moved_up),
        "moved_down": _tally_dict(summary.moved_down),
        "unchanged": _tally_dict(summary.unchanged),
        "protected_wte": round(summary.protected_wte, 2),
        "protection_cost": whole_pounds(summary.protection_cost),
        "jds_without_wte": summary.jds_without_wte,
    }


def assumptions_dict(assumptions: Assumptions) -> dict[str, Any]:
    return {
        "pay_year": assumptions.pay_year,
        "pay_point": assumptions.pay_point,
        "on_costs": assumptions.on_costs,
        "on_costs_basis": assumptions.on_costs_basis,
        "protection": assumptions.protection,
        "basis": assumptions.basis,
    }


# ---- Targets ----


def band_counts(jds: Iterable[JD]) -> dict[str, int]:
    """How many JDs sit at each band, low band first (JDs with no band left out)."""
    counts = Counter(jd.band for jd in jds if jd.band)
    return {band: counts[band] for band in sorted(counts, key=BAND_ORDER.__getitem__)}


def modal_bands(jds: Iterable[JD]) -> list[str]:
    """The band(s) most JDs of a role sit at, low to high: more than one means a tie."""
    counts = band_counts(jds)
    if not counts:
        return []
    top = max(counts.values())
    return [band for band, count in counts.items() if count == top]


def resolve_targets(
    requests: Sequence[TargetRequest],
    roles: Mapping[str, RoleInfo],
    jds: Sequence[JD],
) -> list[Target]:
    """Check each requested (role, band) and fill a missing band with the role's modal band.

    Refuses an unknown role or band, a role on medical pay, a role asked for twice, and a
    modal default that does not exist (no JDs) or is tied.
    """
    if not requests:
        raise HarmonisationError("no roles given: name at least one --role")
    targets: list[Target] = []
    seen: set[str] = set()
    for role_id, band_text in requests:
        role = roles.get(role_id)
        if role is None:
            close = difflib.get_close_matches(role_id, list(roles), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise HarmonisationError(f"unknown role {role_id!r}{hint}")
        if role.pay_system == "medical" or role.band_min is None:
            raise HarmonisationError(
                f"{role_id} is on medical and dental pay, not Agenda for Change: "
                "it has no band to harmonise"
            )
        if role_id in seen:
            raise HarmonisationError(f"role {role_id!r} is given more than once")
        seen.add(role_id)
        if band_text is not None:
            try:
                band = parse_band(band_text)
            except BandError as error:
                raise HarmonisationError(f"--band for {role_id}: {error}") from error
            targets.append(Target(role_id, band, "given"))
            continue
        modes = modal_bands(jd for jd in jds if jd.role == role_id)
        if not modes:
            raise HarmonisationError(f"{role_id} has no JDs, so no modal band: give --band for it")
        if len(modes) > 1:
            tied = " and ".join(band_label(band) for band in modes)
            each = band_counts(jd for jd in jds if jd.role == role_id)[modes[0]]
            raise HarmonisationError(
                f"the modal band of {role_id} is tied between {tied} ({each} JDs each): "
                "give --band for it"
            )
        targets.append(Target(role_id, modes[0], "modal"))
    return targets


# ---- The pure computation ----


def _wte(jd: JD, basis: str) -> float | None:
    return jd.wte_funded if basis == "funded" else jd.wte_in_post


def _direction(current: str, target: str) -> Direction:
    if BAND_ORDER[target] > BAND_ORDER[current]:
        return "up"
    if BAND_ORDER[target] < BAND_ORDER[current]:
        return "down"
    return "unchanged"


def check_pay(
    moves: Iterable[tuple[str, str]],
    salaries: Mapping[tuple[str, str], int],
    assumptions: Assumptions,
) -> None:
    """Refuse a plan that needs a band with no pay in the year, naming the bands either way."""
    point = PAY_POINTS[assumptions.pay_point]
    pay = dict(salaries)
    needed = {band for pair in moves for band in pair}
    missing = sorted(
        (band for band in needed if salary_at(pay, band, point) is None),
        key=BAND_ORDER.__getitem__,
    )
    if not missing:
        return
    paid = sorted({band for band, _ in salaries}, key=BAND_ORDER.__getitem__)
    have = ", ".join(band_label(b) for b in paid) if paid else "no band"
    raise MissingPayError(
        f"no pay for {', '.join(band_label(b) for b in missing)} in {assumptions.pay_year}, "
        f"which this plan needs (the catalogue has pay for {have} in that year): "
        # Read in the app as well as at the command line: name no command-line option.
        "choose another pay year"
    )


def compute_plan(
    jds: Sequence[JD],
    targets: Sequence[Target],
    salaries: Mapping[tuple[str, str], int],
    assumptions: Assumptions,
    *,
    roles: Mapping[str, RoleInfo] | None = None,
    trust_names: Mapping[str, str] | None = None,
    trusts: Collection[str] = (),
) -> HarmonisationResult:
    """Move every JD of each target role to its band and cost the moves (no I/O).

    `salaries` is one pay year's table, {(band, point): salary}, as `load_pay` returns it.
    JDs of roles that are not targets are ignored. `roles` and `trust_names` only label the
    result (titles, names, a note when a target is outside a role's reference range).
    `trusts` (ODS codes) costs only those trusts' JDs: their share of the plan. The targets
    are taken as given, so resolve them on the whole network's JDs first.
    """
    if assumptions.pay_point not in PAY_POINTS:
        raise HarmonisationError(
            f"pay point {assumptions.pay_point!r}: use one of {', '.join(PAY_POINTS)}"
        )
    if assumptions.basis not in BASES:
        raise HarmonisationError(f"basis {assumptions.basis!r}: use {' or '.join(BASES)}")
    by_role = {t.role: t for t in targets}
    wanted = set(trusts)
    planned = [jd for jd in jds if jd.role in by_role and (not wanted or jd.trust in wanted)]
    for jd in planned:
        if not jd.band:
            raise HarmonisationError(f"{jd.trust} {jd.jd_ref}: no band to move from")
    pairs = [
        (jd.band or "", by_role[jd.role or ""].band)
        for jd in planned
        if jd.band != by_role[jd.role or ""].band
    ]
    check_pay(pairs, salaries, assumptions)

    point = PAY_POINTS[assumptions.pay_point]
    factor = 1 + assumptions.on_costs
    pay = dict(salaries)
    moves: list[Move] = []
    for jd in planned:
        current = jd.band or ""
        target = by_role[jd.role or ""].band
        direction = _direction(current, target)
        raw_wte = _wte(jd, assumptions.basis)
        wte = raw_wte or 0.0
        change = 0.0
        if direction != "unchanged":
            before = salary_at(pay, current, point)
            after = salary_at(pay, target, point)
            assert before is not None and after is not None  # check_pay made sure
            # Whole pounds per JD, once: every total is a sum of these (module docstring).
            change = float(whole_pounds((after - before) * wte * factor))
        protected = direction == "down" and assumptions.protection
        moves.append(
            Move(
                jd=jd,
                to_band=target,
                direction=direction,
                wte=wte,
                wte_known=raw_wte is not None,
                cost=0.0 if protected else change,
                protection_cost=-change if direction == "down" else 0.0,
                protected_wte=wte if protected else 0.0,
            )
        )

    role_info = roles or {}
    names = trust_names or {}
    scope = {code: names.get(code, code) for code in sorted(wanted)}
    trusts = sorted({m.jd.trust for m in moves})
    notes = _range_notes(targets, role_info)
    without_wte = sum(1 for m in moves if not m.wte_known)
    if without_wte:
        basis = "WTE funded" if assumptions.basis == "funded" else "WTE in post"
        notes.append(f"{without_wte} JD(s) have no {basis}: counted as 0")
    return HarmonisationResult(
        assumptions=assumptions,
        targets=list(targets),
        moves=moves,
        total=summarise(moves),
        by_trust=[
            TrustOutcome(
                code, names.get(code, code), summarise(m for m in moves if m.jd.trust == code)
            )
            for code in trusts
        ],
        roles=[
            RoleOutcome(
                target=t,
                title=role_info[t.role].title if t.role in role_info else t.role,
                bands_before=band_counts(jd for jd in planned if jd.role == t.role),
                summary=summarise(m for m in moves if m.jd.role == t.role),
            )
            for t in targets
        ],
        notes=notes,
        trusts=scope,
    )


def summarise(moves: Iterable[Move]) -> Summary:
    """Add up moves: JDs and WTE by direction, the cost, and what protection costs."""
    jds: Counter[str] = Counter()
    wte: dict[str, float] = {"up": 0.0, "down": 0.0, "unchanged": 0.0}
    cost = protection_cost = protected_wte = 0.0
    without_wte = 0
    for move in moves:
        jds[move.direction] += 1
        # WTE to the 2 places shown, per JD, as money is whole pounds per JD: sums add up.
        wte[move.direction] += round(move.wte, 2)
        cost += move.cost
        protection_cost += move.protection_cost
        protected_wte += round(move.protected_wte, 2)
        without_wte += not move.wte_known
    return Summary(
        annual_cost=cost,
        moved_up=Tally(jds["up"], wte["up"]),
        moved_down=Tally(jds["down"], wte["down"]),
        unchanged=Tally(jds["unchanged"], wte["unchanged"]),
        protected_wte=protected_wte,
        protection_cost=protection_cost,
        jds_without_wte=without_wte,
    )


# ---- Reading the catalogue ----


def pay_years(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT pay_year FROM pay_point ORDER BY 1")]


def default_on_costs(db: Database) -> tuple[float, str]:
    """The catalogue's documented default on-cost rate and what it assumes.

    A catalogue built before the rate was stored in it falls back to the packaged
    catalogue/data/settings.toml, and says so.
    """
    rate = meta(db, "on_costs_rate")
    if rate is not None:
        return float(rate), meta(db, "on_costs_label") or "catalogue default"
    try:
        packaged = load_on_costs()
    except ReferenceDataError as error:
        raise HarmonisationError(f"no default on-cost rate: {error}; give --on-costs") from error
    return packaged.rate, f"{packaged.label} (from the packaged settings.toml)"


def resolve_assumptions(db: Database, choices: ScenarioAssumptions) -> Assumptions:
    """Fill the defaults a person left out (latest pay year, documented on-cost rate)."""
    years = pay_years(db)
    if not years:
        raise HarmonisationError("the catalogue has no pay points")
    if choices.pay_year is None:
        year = years[-1]
    elif choices.pay_year in years:
        year = choices.pay_year
    else:
        raise HarmonisationError(
            f"no pay for {choices.pay_year} in the catalogue (pay years: {', '.join(years)})"
        )
    if choices.on_costs is None:
        rate, basis = default_on_costs(db)
    else:
        rate, basis = choices.on_costs, "given for this plan"
    return Assumptions(
        pay_year=year,
        pay_point=choices.pay_point,
        on_costs=rate,
        protection=choices.protection,
        basis=choices.basis,
        on_costs_basis=basis,
    )


def plan_harmonisation(
    db: Database,
    targets: Sequence[TargetRequest],
    choices: ScenarioAssumptions | None = None,
    pay_rules: Sequence[ScenarioPay] = (),
    trusts: Collection[str] = (),
) -> HarmonisationResult:
    """The plan for `targets` ((role, band) pairs; band None = the role's modal band) on the
    catalogue as it is now, under `choices` (defaults: latest pay year, top point, the
    documented on-cost rate, pay protection on, WTE in post). `trusts` (ODS codes, checked
    by `check_trusts`) narrows the cost to those trusts' posts; the targets stay the
    network's.

    Raises HarmonisationError (bad input) naming what is wrong.
    """
    assumptions = resolve_assumptions(db, choices or ScenarioAssumptions())
    roles = load_roles(db)
    wanted = {role for role, _ in targets}
    jds = [jd for jd in load_jds(db) if jd.role in wanted]
    resolved = resolve_targets(targets, roles, jds)
    _, salaries = load_pay(db, assumptions.pay_year)
    known: dict[str, TrustInfo] = load_trusts(db)
    result = compute_plan(
        jds,
        resolved,
        salaries,
        assumptions,
        roles=roles,
        trust_names={code: trust.name for code, trust in known.items()},
        trusts=trusts,
    )
    return with_pay_rules(db, result, pay_rules, salaries)


def with_pay_rules(
    db: Database,
    result: HarmonisationResult,
    rules: Sequence[ScenarioPay],
    salaries: Mapping[tuple[str, str], int],
) -> HarmonisationResult:
    """`result` with what its pay rules cost (pathways.pay_harmonise), each JD at the band
    the plan moves it to; refused for a rule of a role the plan does not target."""
    if not rules:
        return result
    from pathways.pay_harmonise import cost_pay_rules, load_pay_posts

    targeted = {target.role for target in result.targets}
    for rule in rules:
        if rule.role not in targeted:
            raise HarmonisationError(
                f"{rule.role} has a pay rule but no target band: give --role {rule.role}"
            )
    to_band = {move.jd.id: move.to_band for move in result.moves}
    posts = load_pay_posts(db, [rule.role for rule in rules])
    if result.trusts:  # the same trusts' posts as the band moves
        posts = [post for post in posts if post.trust in result.trusts]
    plan = cost_pay_rules(posts, to_band, rules, salaries, result.assumptions)
    return replace(result, pay=plan)


def plan_scenario(
    db: Database,
    scenario: Scenario,
    overrides: Mapping[str, Any] | None = None,
    trusts: Collection[str] = (),
) -> HarmonisationResult:
    """A saved scenario costed on the catalogue as it is now (its JDs may have changed).

    `overrides` replaces some of its assumptions for this run (e.g. {"on_costs": 0.3});
    `trusts` costs only those trusts' posts (as `plan_harmonisation`).
    """
    choices = scenario.assumptions
    if overrides:
        choices = ScenarioAssumptions.model_validate({**choices.model_dump(), **overrides})
    return plan_harmonisation(
        db, [(t.role, t.band) for t in scenario.targets], choices, scenario.pay, trusts
    )


def check_trusts(db: Database, given: Iterable[str]) -> list[str]:
    """The ODS codes of the trusts given, each by code or full name in any case, or several
    in one text separated by commas ("RRK,RL4"), as `workforce path --trust` reads one
    (`pathways.paths.check_trust`). Unknown: HarmonisationError naming the nearest."""
    from pathways.paths import CareerInputError, check_trust

    known = load_trusts(db)
    codes: list[str] = []
    for text in given:
        # A whole text that names a trust is that trust, commas and all; else split it.
        parts = [text] if _names_trust(known, text) else text.split(",")
        for part in (p.strip() for p in parts):
            if not part:
                continue
            try:
                code = check_trust(known, part)
            except CareerInputError as error:
                raise HarmonisationError(f"--trust: {error}") from None
            if code not in codes:
                codes.append(code)
    if not codes:
        raise HarmonisationError("--trust names no trust: give ODS codes such as RRK,RL4")
    return codes


def _names_trust(known: Mapping[str, TrustInfo], text: str) -> bool:
    from pathways.paths import CareerInputError, check_trust

    try:
        check_trust(known, text)
    except CareerInputError:
        return False
    return True


def _range_notes(targets: Iterable[Target], roles: Mapping[str, RoleInfo]) -> list[str]:
    """Say when a target lies outside the reference role's usual band range (allowed)."""
    notes = []
    for target in targets:
        role = roles.get(target.role)
        if role is None or role.band_min is None or role.band_max is None:
            continue
        low, high = BAND_ORDER[role.band_min], BAND_ORDER[role.band_max]
        if not low <= BAND_ORDER[target.band] <= high:
            span = role.band_min if low == high else f"{role.band_min}-{role.band_max}"
            notes.append(
                f"{target.role}: target {band_label(target.band)} is outside the reference "
                f"role's band range ({span})"
            )
    return notes
