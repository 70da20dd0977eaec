"""Paths and next steps in words: what was held of a route, why a quicker one was not counted,
what a path costs. One wording for the command line and the app (My next step), over the
JSON-ready dicts of pathways.paths (step_as_dict, path_as_dict).

Standard library only, as pathways.figures: the command line imports it to build its parser.
"""

from __future__ import annotations

from typing import Any

from pathways.figures import money


def cost_text(path: dict[str, Any]) -> str:
    """What an employer's levy covers and what a self-funder would pay, for a path."""
    if path["apprenticeship_cost"] is not None:
        levy = f"an employer's levy covers up to {money(path['apprenticeship_cost'])}"
        levy += " plus caps unknown" if path["cost_unknown"] else ""
        levy += " (apprenticeship funding caps)"
    elif path["cost_unknown"]:
        levy = "an employer's levy covers an apprenticeship of unknown funding cap"
    else:
        levy = "no apprenticeship for a levy to fund"
    if path["fees"] is not None:
        fees = f"a self-funder would pay {money(path['fees'])} in course fees"
        fees += " plus fees unknown" if path["fees_unknown"] else ""
    elif path["fees_unknown"]:
        fees = "a self-funder would pay course fees: unknown"
    else:
        fees = "no course fee to pay"
    return f"{levy}; {fees}"


def step_cost_text(step: dict[str, Any]) -> str:
    """A step's costs: the levy's funding cap or the course fee, each known or unknown."""
    parts = []
    if step["cost"] is not None:
        parts.append(f"an employer's levy covers up to {money(step['cost'])}")
    elif step["cost_unknown"]:
        parts.append("an employer's levy covers it (funding cap unknown)")
    if step["fee"] is not None:
        parts.append(f"a self-funder would pay {money(step['fee'])} in fees")
    elif step["fee_unknown"]:
        parts.append("a self-funder would pay fees: unknown")
    return "; ".join(parts)


def held_of_route_text(step: dict[str, Any]) -> str | None:
    """What was counted as held of the route counted, or None when nothing was."""
    held = step["held_of_route"]
    if held is None or held["completed"]:
        return None  # completing it is said with the months
    items = ", ".join(f"{item['competency']} {item['level']}" for item in held["held"])
    if held["not_needed"]:
        return f"held: {items} (all that {held['route']} gives toward this move)"
    return (
        f"held of what {held['route']} gives toward this move: {items}; it is counted in full "
        "(its provider decides any credit for prior learning)"
    )


def passed_over_texts(step: dict[str, Any]) -> list[str]:
    """Why each quicker-looking route was not counted."""
    return [
        f"not counted: {item['route']} ({item['months']} months), though quicker: {item['reason']}"
        for item in step["passed_over"]
    ]
