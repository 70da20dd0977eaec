"""How the Harmonise screen words and lays out what pathways.variation and
pathways.harmonise find: a flag's reasons, moves, money, the plan's totals.

Catalogue text goes in as rich Text (a title is data, never markup).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text

from pathways.figures import money as money  # re-exported: the screen's figures
from pathways.figures import wte as wte
from tui.widgets.tables import ItemsCell, cell

if TYPE_CHECKING:
    from catalogue.scenarios import ScenarioAssumptions
    from pathways.harmonise import HarmonisationResult, Summary
    from pathways.variation import Flag


def moved(jds: int, value: float) -> str:
    return f"{jds} ({wte(value)} WTE)"


def differs_from(flag: Flag) -> str:
    """Why a JD is flagged, tersely: 'mode 3, ref 2–3, JE 6'."""
    verdict = flag.verdict
    parts = []
    if "modal" in verdict.reasons:
        parts.append(f"mode {verdict.modal_band}")
    if "reference" in verdict.reasons:
        parts.append(f"ref {(verdict.reference_band or '').replace('-', '–')}")
    if "je" in verdict.reasons:
        parts.append(f"JE {verdict.je_band}" if verdict.je_band else "JE above 9")
    return ", ".join(parts)


def bands_text(bands: Mapping[str, int]) -> str:
    return ", ".join(_band_counts(bands)) or "no JDs"


def bands_cell(bands: Mapping[str, int]) -> Text:
    """A role's JDs by band as a table cell: cut short, it drops whole bands ("8a: 7, …"),
    never part of a count."""
    counts = _band_counts(bands)
    return ItemsCell(counts) if counts else cell("no JDs")


def _band_counts(bands: Mapping[str, int]) -> list[str]:
    return [f"{band}: {count}" for band, count in bands.items()]


def modal(bands: Mapping[str, int]) -> list[str]:
    """The band(s) most JDs have, low to high: more than one is a tie."""
    if not bands:
        return []
    top = max(bands.values())
    return [band for band, count in bands.items() if count == top]


def total_text(result: HarmonisationResult) -> Text:
    from pathways.harmonise import protection_note  # loaded with the screen's first costing

    total = result.total
    text = Text.assemble(
        ("Annual cost ", "bold"),
        (money(total.annual_cost), "bold"),
        f" · moved up {moved(total.moved_up.jds, total.moved_up.wte)}",
        f" · moved down {moved(total.moved_down.jds, total.moved_down.wte)}",
        f" · unchanged {moved(total.unchanged.jds, total.unchanged.wte)}",
    )
    protection = protection_note(total, result.assumptions.protection)
    if protection is not None:
        label, words = protection
        text.append(f"\n{label}: {words}.")
    a = result.assumptions
    text.append(
        f"\nPay {a.pay_year}, {point_words(a.pay_point)}; on-costs {a.on_costs:.2%} "
        f"({a.on_costs_basis}); protection {'on' if a.protection else 'off'}; "
        f"{basis_words(a.basis)}.",
        style="dim",
    )
    for note in result.notes:
        text.append(f"\nNote: {note}", style="dim")
    pay = result.pay
    if pay is not None:
        text.append("\nPay beyond the band ", style="bold")
        text.append(
            f"{money(pay.total.annual_cost)} a year (premia {money(pay.total.premium_cost)}, "
            f"appointment points {money(pay.total.appointment_cost)}); with the band moves "
        )
        text.append(f"{money(result.annual_cost_with_pay)}", style="bold")
        if pay.total.protection_cost and result.assumptions.protection:
            text.append(f"; premia protected: {money(pay.total.protection_cost)} a year not saved")
        for note in pay.notes:
            text.append(f"\nNote: {note}", style="dim")
    return text


def pay_rule_text(rule: object | None) -> str:
    """A target's pay rule in a table cell: 'RRP £2,000 · new at intermediate', '' for none."""
    if rule is None:
        return ""
    action = getattr(rule, "rrp_action", "keep")
    parts = []
    if action == "remove":
        parts.append("RRP removed")
    elif action == "align":
        parts.append(f"RRP {money(getattr(rule, 'rrp_amount', 0) or 0)}")
    point = getattr(rule, "appointment_point", None)
    if point:
        parts.append(f"new at {point}")
    return " · ".join(parts)


def point_words(pay_point: str) -> str:
    return f"{'intermediate' if pay_point == 'mid' else pay_point} point"


def basis_words(basis: str) -> str:
    return "WTE funded" if basis == "funded" else "WTE in post"


def assumptions_text(choices: ScenarioAssumptions) -> str:
    """A saved scenario's assumptions in one line, so two with the same targets are told
    apart: 'pay 2024/25, mid point, on-costs 25%, no protection, WTE funded'. What was left
    to the catalogue's default (None) says so: it is settled when the scenario is costed."""
    year = f"pay {choices.pay_year}" if choices.pay_year else "latest pay year"
    on_costs = (
        "default on-costs" if choices.on_costs is None else f"on-costs {choices.on_costs:.2%}"
    )
    on_costs = on_costs.replace(".00%", "%")  # 25%, not 25.00%; 38.78% kept
    protection = "pay protection" if choices.protection else "no pay protection"
    return ", ".join(
        (year, point_words(choices.pay_point), on_costs, protection, basis_words(choices.basis))
    )


def summary_cells(summary: Summary) -> list[Text]:
    return [
        cell(moved(summary.moved_up.jds, summary.moved_up.wte), right=True),
        cell(moved(summary.moved_down.jds, summary.moved_down.wte), right=True),
        cell(money(summary.annual_cost), right=True),
    ]


def saved_when(stamp: str) -> str:
    """When a scenario was saved, as the board report writes it ('28 November 2026, 10:54')."""
    from pathways.report import saved_text

    return saved_text(stamp)


def file_stem(name: str) -> str:
    """A scenario's name as a file name's stem: letters, digits and dashes."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in name.casefold()).strip("-")
    return "-".join(part for part in stem.split("-") if part) or "scenario"
