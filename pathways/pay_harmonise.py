"""Harmonising pay beyond the band: what a scenario's pay rules cost, beside its band moves.

A scenario may say, per targeted role, what to do with recruitment and retention premia
(`keep` them, `remove` them at their review dates, `align` every trust to one annual amount)
and the pay point every trust appoints new starters at. `cost_pay_rules` (pure) costs them
with the plan's own assumptions (pay year, pay point, on-costs, protection, WTE basis), each
JD at the band the plan moves it to:

    premium     (premium after - premium now) x WTE x (1 + on-costs). A premium given as a
                percentage is of the basic pay at the plan's pay point: of the band now before,
                of the target band after, so keeping a percentage premium on a post moved up
                costs more. A premium taken away or cut is a saving, given up while pay
                protection is on (as for posts moved down); `remove` is costed as the year
                after the premium's review date, when it has gone.
    appointment (salary at the new appointment point - salary at the trust's point now, both at
                the target band) x the JD's vacant WTE (funded - in post) x (1 + on-costs):
                what filling today's vacancies at the new point costs a year. New starters
                have no pay to protect.

Each JD's costs are rounded to whole pounds once, when worked out, and every sum is of those
whole pounds, as for the band moves (`pathways.harmonise`): a by-trust table's parts add up
to its total, and a row's premia, appointment points and band moves to its annual cost.
`pathways.harmonise.plan_harmonisation` calls it and keeps the result beside the band moves
(`HarmonisationResult.pay`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlite_utils import Database

from catalogue.vocabulary import PAY_POINTS
from pathways.figures import whole_pounds
from pathways.records import salary_at


class PayRule(Protocol):
    """What a scenario does with one role's pay (catalogue.scenarios.ScenarioPay)."""

    @property
    def role(self) -> str: ...
    @property
    def rrp_action(self) -> str: ...
    @property
    def rrp_amount(self) -> int | None: ...
    @property
    def appointment_point(self) -> str | None: ...


class Costing(Protocol):
    """The plan's assumptions the pay costing shares (pathways.harmonise.Assumptions)."""

    @property
    def pay_point(self) -> str: ...
    @property
    def on_costs(self) -> float: ...
    @property
    def protection(self) -> bool: ...
    @property
    def basis(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PayPost:
    """A JD's pay beyond the band, as the costing reads it."""

    id: int
    trust: str
    jd_ref: str
    role: str
    band: str
    wte_funded: float | None
    wte_in_post: float | None
    rrp_amount: int | None = None
    rrp_percent: float | None = None
    appointment_point: str = "entry"


@dataclass(frozen=True, slots=True)
class PayChange:
    """What the rules do to one JD's pay, and what that costs a year."""

    post: PayPost
    to_band: str
    premium_before: float  # a year, per WTE
    premium_after: float
    premium_cost: float  # after protection; negative is a saving
    protection_cost: float  # the saving given up by protecting this JD's premium
    protected_wte: float
    appointment_from: str
    appointment_to: str
    vacant_wte: float
    appointment_cost: float

    @property
    def annual_cost(self) -> float:
        return self.premium_cost + self.appointment_cost


@dataclass(frozen=True, slots=True)
class PaySummary:
    premium_cost: float = 0.0
    appointment_cost: float = 0.0
    protection_cost: float = 0.0
    protected_wte: float = 0.0
    premia_removed: int = 0  # JDs whose premium goes
    premia_changed: int = 0  # JDs whose premium changes (aligned, or with a band move)
    appointments_changed: int = 0  # JDs whose appointment point changes

    @property
    def annual_cost(self) -> float:
        return self.premium_cost + self.appointment_cost


@dataclass(frozen=True)
class PayPlan:
    changes: list[PayChange]
    total: PaySummary
    by_trust: dict[str, PaySummary]
    by_role: dict[str, PaySummary]
    rules: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": list(self.rules),
            **summary_dict(self.total),
            "by_trust": [{"trust": k, **summary_dict(v)} for k, v in self.by_trust.items()],
            "by_role": [{"role": k, **summary_dict(v)} for k, v in self.by_role.items()],
            "changes": [
                {
                    "trust": c.post.trust,
                    "jd_ref": c.post.jd_ref,
                    "role": c.post.role,
                    "premium_before": whole_pounds(c.premium_before),
                    "premium_after": whole_pounds(c.premium_after),
                    "appointment_from": c.appointment_from,
                    "appointment_to": c.appointment_to,
                    "annual_cost": whole_pounds(c.annual_cost),
                }
                for c in self.changes
                if c.premium_before != c.premium_after or c.appointment_from != c.appointment_to
            ],
            "notes": list(self.notes),
        }


def summary_dict(summary: PaySummary) -> dict[str, Any]:
    return {
        "annual_cost": whole_pounds(summary.annual_cost),
        "premium_cost": whole_pounds(summary.premium_cost),
        "appointment_cost": whole_pounds(summary.appointment_cost),
        "protection_cost": whole_pounds(summary.protection_cost),
        "protected_wte": round(summary.protected_wte, 2),
        "premia_removed": summary.premia_removed,
        "premia_changed": summary.premia_changed,
        "appointments_changed": summary.appointments_changed,
    }


def rule_text(rule: Mapping[str, Any]) -> str:
    """A pay rule (`PayPlan.rules`) in words: 'premia aligned to £2,000 a year at every
    trust; new starters appointed at the intermediate point'."""
    from pathways.figures import money

    words = {
        "keep": "premia kept as each trust pays them",
        "remove": "premia removed at their review dates",
    }.get(
        str(rule["rrp_action"]),
        f"premia aligned to {money(rule.get('rrp_amount') or 0)} a year at every trust",
    )
    if rule.get("appointment_point"):
        words += f"; new starters appointed at the {rule['appointment_point']} point"
    return words


def premium_value(post: PayPost, basic: float) -> float:
    """A post's premium a year per WTE: its amount, or its percentage of `basic`."""
    if post.rrp_amount is not None:
        return float(post.rrp_amount)
    return basic * (post.rrp_percent or 0.0) / 100


def cost_pay_rules(
    posts: Iterable[PayPost],
    to_band: Mapping[int, str],
    rules: Sequence[PayRule],
    salaries: Mapping[tuple[str, str], int],
    assumptions: Costing,
) -> PayPlan:
    """The cost of `rules` over the JDs of their roles (no I/O). `to_band` is each JD's band
    after the plan's moves (a JD not in it stays at its band); `salaries` one pay year's
    table, whose bands `pathways.harmonise.check_pay` has already checked."""
    by_role = {rule.role: rule for rule in rules}
    pay = dict(salaries)
    point = PAY_POINTS[assumptions.pay_point]
    factor = 1 + assumptions.on_costs
    changes: list[PayChange] = []
    for post in posts:
        rule = by_role.get(post.role)
        if rule is None:
            continue
        target = to_band.get(post.id, post.band)
        before_basic = salary_at(pay, post.band, point) or 0
        after_basic = salary_at(pay, target, point) or 0
        has_premium = post.rrp_amount is not None or post.rrp_percent is not None
        before = premium_value(post, before_basic)
        if rule.rrp_action == "remove":
            after = 0.0
        elif rule.rrp_action == "align":
            after = float(rule.rrp_amount or 0)
        else:
            after = premium_value(post, after_basic)
        raw_wte = post.wte_funded if assumptions.basis == "funded" else post.wte_in_post
        wte = raw_wte or 0.0
        change = float(whole_pounds((after - before) * wte * factor))  # once, per JD
        protected = change < 0 and assumptions.protection
        new_point = rule.appointment_point or post.appointment_point
        vacant = max((post.wte_funded or 0.0) - (post.wte_in_post or 0.0), 0.0)
        step = (salary_at(pay, target, new_point) or 0) - (
            salary_at(pay, target, post.appointment_point) or 0
        )
        changes.append(
            PayChange(
                post=post,
                to_band=target,
                premium_before=before if has_premium else 0.0,
                premium_after=after,
                premium_cost=0.0 if protected else change,
                protection_cost=-change if change < 0 else 0.0,
                protected_wte=wte if protected else 0.0,
                appointment_from=post.appointment_point,
                appointment_to=new_point,
                vacant_wte=vacant,
                appointment_cost=float(whole_pounds(step * vacant * factor)),
            )
        )
    notes = []
    if any(rule.rrp_action == "remove" for rule in rules):
        notes.append(
            "premia removed at their review dates are costed for a year after the last of "
            "those dates, when all have gone"
        )
    if any(rule.appointment_point for rule in rules):
        notes.append(
            "a change of appointment point is costed on today's vacancies (WTE funded less "
            "in post), as filled at the new point; staff in post keep their pay point"
        )
    trusts = sorted({c.post.trust for c in changes})
    roles = [rule.role for rule in rules]
    return PayPlan(
        changes=changes,
        total=summarise(changes),
        by_trust={t: summarise(c for c in changes if c.post.trust == t) for t in trusts},
        by_role={r: summarise(c for c in changes if c.post.role == r) for r in roles},
        rules=[
            {
                "role": rule.role,
                "rrp_action": rule.rrp_action,
                "rrp_amount": rule.rrp_amount,
                "appointment_point": rule.appointment_point,
            }
            for rule in rules
        ],
        notes=notes,
    )


def summarise(changes: Iterable[PayChange]) -> PaySummary:
    premium = appointment = protection = protected = 0.0
    removed = changed = appointments = 0
    for change in changes:
        premium += change.premium_cost
        appointment += change.appointment_cost
        protection += change.protection_cost
        protected += round(change.protected_wte, 2)  # as shown, per JD: sums add up
        removed += change.premium_before > 0 and change.premium_after == 0
        changed += change.premium_before != change.premium_after
        appointments += change.appointment_from != change.appointment_to
    return PaySummary(premium, appointment, protection, protected, removed, changed, appointments)


def load_pay_posts(db: Database, roles: Iterable[str]) -> list[PayPost]:
    """The banded JDs of these roles with their premium and appointment point."""
    wanted = sorted(set(roles))
    if not wanted:
        return []
    marks = ",".join("?" for _ in wanted)
    return [
        PayPost(*row)
        for row in db.execute(
            "SELECT id, trust, jd_ref, role, band, wte_funded, wte_in_post, rrp_amount, "
            "rrp_percent, appointment_point FROM job_description "
            f"WHERE role IN ({marks}) AND band IS NOT NULL ORDER BY trust, jd_ref",
            wanted,
        )
    ]
