"""A harmonisation scenario being edited (the Harmonise screen's draft), as plain data.

The draft is what a person has chosen so far: a target band per role, in the order the roles
were added, and the assumptions. It is immutable: each change returns a new draft, so a
worker costing one draft never sees it change under it. Costing is `pathways.harmonise`
(`compute_plan`); saving and exporting are `catalogue.scenarios`. The helpers here only turn
a person's edits into those modules' inputs, and a plan into the report and export shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from catalogue.bands import BAND_CODES, BAND_ORDER
from catalogue.scenarios import (
    Scenario,
    ScenarioAssumptions,
    ScenarioPay,
    ScenarioTarget,
    now,
)
from pathways.harmonise import HarmonisationResult, Target, TargetRequest
from pathways.report import ReportInputs, ScenarioPlan

# Bands a role can be moved to: Band 1 is closed to new entrants, so no plan moves posts to it.
TARGET_BANDS: tuple[str, ...] = tuple(code for code in BAND_CODES if code != "1")

# What an unsaved draft is called where a name is needed (a report, an exported file).
UNSAVED_NAME = "unsaved scenario"


class DraftError(ValueError):
    """An edit that cannot be made (a rate that is not a number, a band off the scale)."""


def step_band(band: str, step: int) -> str:
    """The target band `step` bands above (or below, when negative) `band`, kept within
    TARGET_BANDS (stepping past the top or bottom stays there)."""
    position = TARGET_BANDS.index(band) if band in TARGET_BANDS else 0
    return TARGET_BANDS[max(0, min(len(TARGET_BANDS) - 1, position + step))]


def parse_percent(text: str) -> float | None:
    """On-costs typed as a percentage ('38.78', '25%') -> a fraction (0.3878, 0.25); empty
    text -> None (the catalogue's documented default). DraftError for anything else."""
    value = text.strip().removesuffix("%").strip()
    if not value:
        return None
    try:
        percent = float(value)
    except ValueError as error:
        raise DraftError(f"on-costs {text.strip()!r}: give a percentage such as 25") from error
    if not 0 <= percent <= 100:
        raise DraftError(f"on-costs {text.strip()!r}: a percentage from 0 to 100")
    return round(percent / 100, 6)  # 38.78 / 100 is 0.38780000000000003 otherwise


@dataclass(frozen=True)
class Draft:
    """Target bands by role (in the order added), the assumptions chosen, and what to do
    with targeted roles' pay beyond the band (premia, appointment point)."""

    targets: tuple[Target, ...] = ()
    choices: ScenarioAssumptions = ScenarioAssumptions()
    pay: tuple[ScenarioPay, ...] = ()

    def pay_rule(self, role: str) -> ScenarioPay | None:
        return next((rule for rule in self.pay if rule.role == role), None)

    def with_pay(self, role: str, **changes: Any) -> Draft:
        """The draft with `role`'s pay rule changed (rrp_action, rrp_amount,
        appointment_point); a rule back to keeping everything as it is is dropped. DraftError
        for a role not targeted, or a rule refused."""
        if self.target(role) is None:
            raise DraftError(f"{role} is not targeted: target its band first")
        held = self.pay_rule(role)
        fields: dict[str, Any] = held.model_dump() if held is not None else {"role": role}
        fields.update(changes)
        if fields.get("rrp_action") != "align":
            fields["rrp_amount"] = None
        try:
            rule = ScenarioPay.model_validate(fields)
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            raise DraftError(str(error)) from error
        others = tuple(r for r in self.pay if r.role != role)
        plain = rule.rrp_action == "keep" and rule.appointment_point is None
        if plain:
            return replace(self, pay=others)
        if held is None:
            return replace(self, pay=(*others, rule))
        return replace(self, pay=tuple(rule if r.role == role else r for r in self.pay))

    def target(self, role: str) -> Target | None:
        return next((t for t in self.targets if t.role == role), None)

    def with_target(self, role: str, band: str, source: str = "given") -> Draft:
        """The draft with `role` targeted at `band` (replacing its target, in place)."""
        if band not in BAND_ORDER:
            raise DraftError(f"{band!r} is not a band")
        new = Target(role, band, "modal" if source == "modal" else "given")
        if self.target(role) is None:
            return replace(self, targets=(*self.targets, new))
        return replace(self, targets=tuple(new if t.role == role else t for t in self.targets))

    def without(self, role: str) -> Draft:
        return replace(
            self,
            targets=tuple(t for t in self.targets if t.role != role),
            pay=tuple(rule for rule in self.pay if rule.role != role),
        )

    def stepped(self, role: str, step: int) -> Draft:
        """The draft with `role`'s target moved `step` bands (a band stepped to is 'given')."""
        current = self.target(role)
        if current is None:
            return self
        return self.with_target(role, step_band(current.band, step))

    def with_choices(self, **changes: Any) -> Draft:
        """The draft with some assumptions changed; DraftError naming a value refused."""
        try:
            choices = ScenarioAssumptions.model_validate({**self.choices.model_dump(), **changes})
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            raise DraftError(str(error)) from error
        return replace(self, choices=choices)

    def requests(self) -> list[TargetRequest]:
        """The targets as `plan_harmonisation` takes them."""
        return [(t.role, t.band) for t in self.targets]

    def scenario(self, name: str, created: str = "") -> Scenario:
        """The draft as a scenario to save or export under `name`."""
        return Scenario(
            name=name,
            created=created,
            targets=[ScenarioTarget(role=t.role, band=t.band) for t in self.targets],
            assumptions=self.choices,
            pay=list(self.pay),
        )


def draft_from_scenario(scenario: Scenario) -> Draft:
    """A saved scenario opened for editing: its bands are all as given when it was saved."""
    return Draft(
        targets=tuple(Target(t.role, t.band, "given") for t in scenario.targets),
        choices=scenario.assumptions,
        pay=tuple(scenario.pay),
    )


def export_summary(result: HarmonisationResult) -> dict[str, Any]:
    """What an exported scenario file records of its result (as `workforce scenarios
    --export` writes it): totals, trusts and roles, and when it was computed."""
    summary = result.to_dict()
    summary.pop("moves")
    if summary.get("pay"):
        summary["pay"].pop("changes")  # like the moves: one line per post is the plan's own
    summary["computed"] = now()  # the result is a snapshot: the JDs may change after it
    return summary


def with_plan(
    inputs: ReportInputs, scenario: Scenario | None, result: HarmonisationResult | None
) -> ReportInputs:
    """The report's inputs with this scenario and its cost (a draft, saved or not), rather
    than a saved scenario read by name; None for either leaves the report without one."""
    plan = ScenarioPlan(scenario, result) if scenario is not None and result is not None else None
    return replace(inputs, plan=plan)
