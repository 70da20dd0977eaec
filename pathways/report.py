"""The board report: what an HR / workforce lead takes to the board, as a plain document.

Two halves, so the content can be tested without a catalogue:

- `gather_report(db, ...)` reads the catalogue through the analyses (banding variation, a
  saved harmonisation scenario costed now, the workforce gap) and the provenance tables, into
  `ReportInputs`: plain records and dicts, nothing worked out here.
- `build_report(inputs)` turns those into a `Document`: headings, paragraphs, facts, tables,
  a notice; every string in it plain text. It does no I/O.

Rendering a document is `pathways.report_markdown` and `pathways.report_html`: the content
is decided once, here, and each format only lays it out and escapes it (catalogue text is
data, never markup).

Decisions:
- With no scenario chosen the report costs nothing: it says so and how to save one, rather
  than inventing a default target band for every role that varies.
- Vacancy figures are always shown with small-number suppression (`pathways.gap`), as NHS
  publications do: a board paper travels further than a terminal.
- `staff_group` narrows the variation and the vacancies to one staff group (vacancies are
  then shown by trust within it); the headline counts and a chosen scenario stay whole.
- `trusts` narrows the scenario's cost to those trusts' posts, their share of the network
  plan (the targets stay the network's); the report says whose posts it covers wherever the
  cost appears. Variation and vacancies stay network-wide, as the summary says.
- A total beside rounded parts is their sum: money is whole pounds per JD and WTE 2 places
  per JD before anything is added (`pathways.harmonise`, `pathways.gap`).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from catalogue import queries
from catalogue.bands import band_label
from catalogue.scenarios import Scenario, load_scenario, scenario_names
from catalogue.store import meta
from pathways.figures import count_text as count_text  # re-exported: the report's words
from pathways.figures import money as money  # re-exported: the report's figures
from pathways.figures import wte as wte
from pathways.gap import (
    SMALL_WTE,
    GapReport,
    GapRow,
    gap_report,
    load_wte_cells,
)
from pathways.harmonise import (
    HarmonisationResult,
    Summary,
    plan_scenario,
    protection_note,
    whose_posts,
)

# DEFAULT_TOP is defined apart so the command line can read it without importing this module.
from pathways.options import DEFAULT_TOP as DEFAULT_TOP
from pathways.records import NationalRate, load_national_rates, load_roles, load_staff_groups
from pathways.variation import VariationReport, list_flags, report_as_dict, variation_summary

ILLUSTRATIVE_WARNING = "Contains illustrative data, not real posts"

# --- the document: what the renderers lay out ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2  # 2 for a section, 3 within one (the document's title is level 1)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Notice:
    """What a reader must not miss (illustrative data): shown boxed, at the top."""

    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Facts:
    """Labelled values: 'Written: 3 June 2025'."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Command:
    """A command line for the reader to type."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()  # indexes of the columns aligned right
    caption: str = ""
    total: bool = False  # the last row is a total


Block = Heading | Paragraph | Notice | Facts | Bullets | Command | Table


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    blocks: tuple[Block, ...]


# --- what the report is built from ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Headline:
    written: datetime
    catalogue: str  # the catalogue file as the user named it
    trusts: int
    trusts_with_jds: int
    jds: int
    illustrative: int  # JDs from the packaged illustrative data
    staff_group: str | None = None  # the scope, if narrowed to one staff group
    staff_group_name: str | None = None


@dataclass(frozen=True, slots=True)
class ScenarioPlan:
    """A saved scenario and what it costs on the catalogue as it is now."""

    scenario: Scenario
    result: HarmonisationResult
    pay_year_chosen: bool = False  # the report was asked for another year than the saved one


@dataclass(frozen=True, slots=True)
class PaySource:
    pay_year: str
    confidence: str
    source: str
    points: int


@dataclass(frozen=True)
class Provenance:
    imports: list[dict[str, Any]]  # queries.import_history rows
    pay: list[PaySource]
    je_confidence: str | None
    je_source: str | None  # None: a catalogue built before it was recorded
    on_costs_rate: str | None
    on_costs_label: str | None
    on_costs_sources: str | None
    national_rates: list[NationalRate]
    role_band_confidence: dict[str, int]  # confidence -> reference roles
    data_digest: str | None
    role_mappings: dict[str, int]  # how (auto, chosen, undone) -> mappings recorded


@dataclass(frozen=True)
class ReportInputs:
    headline: Headline
    variation: dict[str, Any]  # `variation.report_as_dict`, its flags the first `top`
    top: int
    staff_groups: Mapping[str, str]  # id -> name
    role_titles: Mapping[str, str]  # role id -> title
    plan: ScenarioPlan | None
    saved_scenarios: list[str]
    gap: GapReport
    provenance: Provenance


# --- formatting numbers for people ----------------------------------------------------------


def percent(value: float | None, places: int = 1) -> str:
    return "" if value is None else f"{value * 100:.{places}f}%"


def written_text(when: datetime) -> str:
    """'3 June 2025, 14:05 BST': the day first, as British board papers write it."""
    zone = when.strftime("%Z") if when.tzinfo else ""
    return f"{when.day} {when:%B %Y}, {when:%H:%M}" + (f" {zone}" if zone else "")


def saved_text(stamp: str) -> str:
    """When a scenario was saved, as `written_text` shows times; as stored if unreadable."""
    try:
        return written_text(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp


# --- the sections ---------------------------------------------------------------------------


def build_report(inputs: ReportInputs) -> Document:
    """The whole report, in the order a board reads it."""
    head = inputs.headline
    title = "Imaging workforce: banding variation and harmonisation"
    if head.illustrative:
        title += " (ILLUSTRATIVE DATA)"
    blocks: list[Block] = [
        *headline_section(inputs),
        *variation_section(inputs.variation, inputs.staff_groups, inputs.role_titles, inputs.top),
        *(
            scenario_section(inputs.plan, head.staff_group)
            if inputs.plan is not None
            else no_scenario_section(inputs.saved_scenarios)
        ),
        *vacancy_section(inputs.gap, head.staff_group_name),
        *provenance_section(inputs.provenance, head),
    ]
    return Document(title, tuple(blocks))


def illustrative_notice(head: Headline) -> Notice | None:
    if not head.illustrative:
        return None
    return Notice(
        ILLUSTRATIVE_WARNING,
        f"{head.illustrative:,} of the {count_text(head.jds, 'job description')} in this "
        f"catalogue {'is' if head.illustrative == 1 else 'are'} ILLUSTRATIVE: packaged "
        "examples made up to show how the tool works, not real posts at any trust. No figure "
        "in this report describes a real trust.",
    )


def headline_section(inputs: ReportInputs) -> list[Block]:
    head = inputs.headline
    notice = illustrative_notice(head)
    scope = (
        f"Staff group {head.staff_group_name or head.staff_group} ({head.staff_group}) only"
        if head.staff_group
        else "All staff groups"
    )
    if inputs.plan is not None and inputs.plan.result.trusts:
        scope += (
            f"; the scenario's cost covers {whose_posts(inputs.plan.result.trusts)} only "
            "(variation and vacancies are the network's)"
        )
    jds = f"{head.jds:,}"
    if head.illustrative:
        jds += f" ({head.illustrative:,} ILLUSTRATIVE)"
    facts = Facts(
        (
            ("Written", written_text(head.written)),
            ("Catalogue", head.catalogue),
            ("Trusts", f"{head.trusts:,} ({head.trusts_with_jds:,} with job descriptions)"),
            ("Job descriptions", jds),
            ("Scope", scope),
            (
                "Harmonisation scenario",
                scenario_fact(inputs.plan) if inputs.plan else "none chosen",
            ),
        )
    )
    blocks: list[Block] = [notice] if notice else []
    return [*blocks, Heading("Summary"), facts, Bullets(tuple(key_points(inputs)))]


def scenario_fact(plan: ScenarioPlan) -> str:
    """The scenario's name, and whose posts its cost covers when not the whole network's."""
    trusts = plan.result.trusts
    if not trusts:
        return plan.scenario.name
    return f"{plan.scenario.name}, costed for {whose_posts(trusts)} only"


def all_label(result: HarmonisationResult) -> str:
    """The name of a table's total row: all trusts, or the trusts whose share it is."""
    return f"All of {', '.join(result.trusts)}" if result.trusts else "All trusts"


def key_points(inputs: ReportInputs) -> list[str]:
    """The few sentences a board member reads if they read nothing else."""
    data = inputs.variation
    varied = [role for role in data["roles"] if len(role["bands"]) > 1]
    summary = data["summary"]
    high = summary["by_severity"]["high"]
    points = [
        f"{count_text(len(varied), 'role')} of {len(data['roles']):,} with job descriptions "
        f"{'has' if len(varied) == 1 else 'have'} more than one band in use across trusts.",
        f"{count_text(summary['flags'], 'job description')} flagged for banding "
        f"({high['flags']:,} high), covering {wte(summary['wte_in_post'])} WTE in post.",
    ]
    if inputs.plan is not None:
        total = inputs.plan.result.total
        up, down = total.moved_up.jds, total.moved_down.jds
        trusts = inputs.plan.result.trusts
        at = f" for {whose_posts(trusts)} (a share of the network plan)" if trusts else ""
        points.append(
            f"Scenario {inputs.plan.scenario.name} costs {money(total.annual_cost)} a year{at}: "
            f"{count_text(up, 'job description')} ({wte(total.moved_up.wte)} WTE) "
            f"{'moves' if up == 1 else 'move'} up, {down:,} ({wte(total.moved_down.wte)} WTE) "
            f"{'moves' if down == 1 else 'move'} down."
        )
    else:
        points.append("No harmonisation scenario was chosen, so no cost is shown.")
    total_gap = inputs.gap.total
    if total_gap.vacancy_rate is not None:
        points.append(
            f"Vacancy rate {percent(total_gap.vacancy_rate)}: {wte(total_gap.vacancies)} WTE "
            f"vacant of {wte(total_gap.establishment)} WTE funded"
            + (" in this staff group." if inputs.headline.staff_group else ".")
        )
    return points


# --- banding variation ----------------------------------------------------------------------


def severity_tally(counts: Mapping[str, Any], severity: str) -> tuple[int, float]:
    tally = counts["by_severity"][severity]
    return int(tally["flags"]), float(tally["wte_in_post"])


def by_staff_group(roles: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Roles in `variation.report_as_dict` shape summed per staff group, in id order."""
    groups: dict[str, dict[str, Any]] = {}
    for role in roles:
        group = groups.setdefault(
            role["staff_group"],
            {
                "roles": 0,
                "varied": 0,
                "jds": 0,
                "high": 0,
                "high_wte": 0.0,
                "warn": 0,
                "warn_wte": 0.0,
            },
        )
        group["roles"] += 1
        group["varied"] += len(role["bands"]) > 1
        group["jds"] += role["jds"]
        for severity in ("high", "warn"):
            flags, flagged_wte = severity_tally(role["flag_counts"], severity)
            group[severity] += flags
            group[f"{severity}_wte"] += flagged_wte
    return [{"staff_group": key, **groups[key]} for key in sorted(groups)]


def flag_reason_text(flag: Mapping[str, Any]) -> str:
    """Why a JD is flagged, in words: 'modal band 7; reference 7; JE score 437 is Band 6'."""
    parts = []
    if "modal" in flag["reasons"]:
        parts.append(f"modal band {flag['modal_band']}")
    if "reference" in flag["reasons"]:
        parts.append(f"reference range {flag['reference_band']}")
    if "je" in flag["reasons"]:
        je_band = flag["je_band"]
        where = band_label(je_band) if je_band else "beyond Band 9"
        parts.append(f"JE score {flag['je_score']} is {where}")
    return "; ".join(parts)


def flags_text(counts: Mapping[str, Any]) -> str:
    """'high 1 (0.9 WTE), warn 3 (6 WTE)'; empty when none."""
    parts = []
    for severity in ("high", "warn"):
        flags, flagged_wte = severity_tally(counts, severity)
        if flags:
            parts.append(f"{severity} {flags} ({wte(flagged_wte)} WTE)")
    return ", ".join(parts)


def bands_text(role: Mapping[str, Any]) -> str:
    parts = [f"{band}: {count}" for band, count in role["bands"].items()]
    if role.get("no_band"):
        parts.append(f"no AfC band: {role['no_band']}")
    return ", ".join(parts)


def variation_section(
    data: Mapping[str, Any],
    staff_groups: Mapping[str, str],
    role_titles: Mapping[str, str],
    top: int,
) -> list[Block]:
    blocks: list[Block] = [
        Heading("Banding variation"),
        Paragraph(
            "A job description (JD) is flagged when its band differs from the band most "
            "trusts give the role (the modal band), lies outside the reference role's band "
            "range, or differs from the band its own job evaluation (JE) score falls in. "
            "Severity is high for a JE disagreement or a band two or more bands away, warn "
            "for one band away. WTE is whole-time equivalent staff in post in the JDs flagged."
        ),
    ]
    groups = by_staff_group(data["roles"])
    if not groups:
        return [*blocks, Paragraph("No job descriptions are mapped to a reference role yet.")]
    rows = [
        (
            staff_groups.get(g["staff_group"], g["staff_group"]),
            f"{g['roles']:,}",
            f"{g['varied']:,}",
            f"{g['jds']:,}",
            f"{g['high']:,}",
            wte(g["high_wte"]),
            f"{g['warn']:,}",
            wte(g["warn_wte"]),
        )
        for g in groups
    ]
    summary = data["summary"]
    high, high_wte = severity_tally(summary, "high")
    warn, warn_wte = severity_tally(summary, "warn")
    rows.append(
        (
            "All",
            f"{sum(g['roles'] for g in groups):,}",
            f"{sum(g['varied'] for g in groups):,}",
            f"{sum(g['jds'] for g in groups):,}",
            f"{high:,}",
            wte(high_wte),
            f"{warn:,}",
            wte(warn_wte),
        )
    )
    blocks.append(
        Table(
            (
                "Staff group",
                "Roles",
                "Roles with more than one band",
                "JDs",
                "High flags",
                "High WTE",
                "Warn flags",
                "Warn WTE",
            ),
            tuple(rows),
            numeric=frozenset(range(1, 8)),
            caption="Banding variation by staff group",
            total=True,
        )
    )
    skipped = data["skipped"]
    if skipped.get("unmapped") or skipped.get("no_band"):
        blocks.append(
            Paragraph(
                f"Not flagged: {count_text(skipped.get('unmapped', 0), 'JD')} not yet mapped to "
                f"a reference role, {count_text(skipped.get('no_band', 0), 'JD')} on medical "
                "and dental pay (no Agenda for Change band)."
            )
        )
    blocks += varied_roles_blocks(data["roles"], staff_groups, role_titles)
    blocks += top_flags_blocks(data["flags"], summary["flags"], top, role_titles)
    return blocks


def varied_roles_blocks(
    roles: Sequence[Mapping[str, Any]],
    staff_groups: Mapping[str, str],
    role_titles: Mapping[str, str],
) -> list[Block]:
    varied = [role for role in roles if len(role["bands"]) > 1]
    blocks: list[Block] = [Heading("Roles with more than one band in use", 3)]
    if not varied:
        return [*blocks, Paragraph("Every role is given one band by every trust.")]
    rows = tuple(
        (
            role_titles.get(role["role"], role["role"]),
            staff_groups.get(role["staff_group"], role["staff_group"]),
            f"{role['jds']:,}",
            bands_text(role),
            role["modal_band"] or "tied",
            str(role["spread"]),
            flags_text(role["flag_counts"]),
        )
        for role in sorted(varied, key=lambda r: (-r["spread"], r["staff_group"], r["role"]))
    )
    blocks.append(
        Table(
            ("Role", "Staff group", "JDs", "Bands in use (JDs)", "Modal band", "Spread", "Flags"),
            rows,
            numeric=frozenset({2, 5}),
            caption="Spread: bands between the lowest and highest in use. Modal band 'tied': "
            "no single band is most used.",
        )
    )
    return blocks


def top_flags_blocks(
    flags: Sequence[Mapping[str, Any]],
    total: int,
    top: int,
    role_titles: Mapping[str, str],
) -> list[Block]:
    shown = list(flags)[:top]
    blocks: list[Block] = [Heading("Most significant flagged JDs", 3)]
    if not shown:
        return [*blocks, Paragraph("No job description is flagged.")]
    rows = tuple(
        (
            str(number),
            flag["severity"],
            flag["trust"],
            flag["jd_ref"],
            flag["title"],
            role_titles.get(flag["role"], flag["role"]),
            flag["band"],
            flag_reason_text(flag),
            wte(flag["wte_in_post"]) or "not given",
        )
        for number, flag in enumerate(shown, 1)
    )
    return [
        *blocks,
        Table(
            ("#", "Severity", "Trust", "JD ref", "Title", "Role", "Band", "Differs from", "WTE"),
            rows,
            numeric=frozenset({0, 8}),
            caption=f"The first {len(shown):,} of {count_text(total, 'flag')}: high first, "
            "then most WTE in post.",
        ),
    ]


# --- the harmonisation scenario -------------------------------------------------------------


def assumption_facts(plan: ScenarioPlan) -> Facts:
    a = plan.result.assumptions
    saved = plan.scenario.assumptions
    year = a.pay_year
    if plan.pay_year_chosen:
        saved_at = saved.pay_year or "the latest pay year"
        year += f" (chosen for this report: the scenario is saved at {saved_at})"
    elif saved.pay_year is None:
        year += " (the latest in the catalogue: the scenario follows the latest pay year)"
    on_costs = f"{percent(a.on_costs, 2)}: {a.on_costs_basis}"
    return Facts(
        (
            ("Pay year", year),
            ("Pay point", "intermediate" if a.pay_point == "mid" else a.pay_point),
            ("On-costs", on_costs),
            (
                "Pay protection",
                "on: staff in posts moved down keep their pay (no saving)"
                if a.protection
                else "off: posts moved down save money",
            ),
            ("Basis", "WTE funded (establishment)" if a.basis == "funded" else "WTE in post"),
        )
    )


def _moves(summary: Summary) -> tuple[str, str, str, str, str, str]:
    return (
        f"{summary.moved_up.jds:,}",
        wte(summary.moved_up.wte),
        f"{summary.moved_down.jds:,}",
        wte(summary.moved_down.wte),
        f"{summary.unchanged.jds:,}",
        money(summary.annual_cost),
    )


def scenario_section(plan: ScenarioPlan, staff_group: str | None = None) -> list[Block]:
    result, scenario = plan.result, plan.scenario
    total = result.total
    saved = f"Saved {saved_text(scenario.created)}. " if scenario.created else ""
    blocks: list[Block] = [
        Heading(f"Harmonisation scenario: {scenario.name}"),
        *([Paragraph(result.scope_text() + ".")] if result.trusts else []),
        Paragraph(
            f"{saved}Every JD of each role below moves to the role's target band. The cost is "
            "worked out now, on the job descriptions in the catalogue today: (salary at the "
            "target band - salary now) x WTE x (1 + on-costs), a year. Each JD's cost is "
            "rounded to whole pounds and the totals add those up."
        ),
        Heading("Assumptions", 3),
        assumption_facts(plan),
        Heading("Cost and people affected", 3),
        Facts(
            (
                ("Annual cost", money(total.annual_cost)),
                (
                    "Moved up",
                    f"{count_text(total.moved_up.jds, 'JD')}, {wte(total.moved_up.wte)} WTE",
                ),
                (
                    "Moved down",
                    f"{count_text(total.moved_down.jds, 'JD')}, {wte(total.moved_down.wte)} WTE",
                ),
                (
                    "Unchanged",
                    f"{count_text(total.unchanged.jds, 'JD')}, {wte(total.unchanged.wte)} WTE",
                ),
                *protection_facts(plan),
            )
        ),
    ]
    columns = ("Up JDs", "Up WTE", "Down JDs", "Down WTE", "Unchanged JDs", "Annual cost")
    role_rows = tuple(
        (
            role.title,
            band_label(role.target.band),
            ", ".join(f"{band}: {n}" for band, n in role.bands_before.items()) or "no JDs",
            *_moves(role.summary),
        )
        for role in result.roles
    )
    blocks.append(
        Table(
            ("Role", "Target", "Bands now (JDs)", *columns),
            role_rows,
            numeric=frozenset(range(3, 9)),
            caption="By role",
        )
    )
    trust_rows = [(t.trust, t.name, *_moves(t.summary)) for t in result.by_trust]
    trust_rows.append(("All", all_label(result), *_moves(total)))
    blocks.append(
        Table(
            ("Trust", "Name", *columns),
            tuple(trust_rows),
            numeric=frozenset(range(2, 8)),
            caption="By trust",
            total=True,
        )
    )
    blocks += moved_posts(plan)
    blocks += pay_rules_section(plan)
    notes = list(result.notes)
    if staff_group is not None:
        notes.append("The scenario is shown whole: it is not narrowed to the staff group.")
    if notes:
        blocks.append(Bullets(tuple(notes)))
    return blocks


def pay_rules_section(plan: ScenarioPlan) -> list[Block]:
    """What the scenario does with pay beyond the band (premia, appointment points) and what
    that costs, by trust, beside the band moves' cost (pathways.pay_harmonise)."""
    result = plan.result
    pay = result.pay
    if pay is None:
        return []
    from pathways.pay_harmonise import rule_text  # loaded with the plan's pay rules

    rules = [f"{rule['role']}: {rule_text(rule)}" for rule in pay.rules]
    band_costs = {t.trust: t.summary.annual_cost for t in result.by_trust}
    rows = [
        (
            trust,
            money(summary.premium_cost),
            money(summary.appointment_cost),
            money(band_costs.get(trust, 0.0)),
            money(band_costs.get(trust, 0.0) + summary.annual_cost),
        )
        for trust, summary in pay.by_trust.items()
    ]
    rows.append(
        (
            all_label(result),
            money(pay.total.premium_cost),
            money(pay.total.appointment_cost),
            money(result.total.annual_cost),
            money(result.annual_cost_with_pay),
        )
    )
    facts: list[tuple[str, str]] = [
        ("Pay rules, a year", money(pay.total.annual_cost)),
        ("With the band moves, a year", money(result.annual_cost_with_pay)),
    ]
    if pay.total.protection_cost and result.assumptions.protection:
        facts.append(
            (
                "Pay protection",
                f"staff in the {wte(pay.total.protected_wte)} WTE whose premium goes or falls "
                f"keep it; without protection the pay rules would cost "
                f"{money(pay.total.protection_cost)} a year less",
            )
        )
    blocks: list[Block] = [
        Heading("Pay beyond the band", 3),
        Paragraph(
            "What the scenario does with recruitment and retention premia and appointment "
            "points, costed with the same pay year, pay point, on-costs and protection: "
            "(premium after - premium now) x WTE x (1 + on-costs), a percentage premium "
            "taken of the basic pay at the band the post moves to; a new appointment point "
            "on today's vacancies."
        ),
        Bullets(tuple(rules)),
        Facts(tuple(facts)),
        Table(
            ("Trust", "Premia", "Appointment points", "Band moves", "Annual cost"),
            tuple(rows),
            numeric=frozenset(range(1, 5)),
            caption="Pay rules and band moves by trust",
            total=True,
        ),
    ]
    if pay.notes:
        blocks.append(Bullets(tuple(pay.notes)))
    return blocks


MOVED_POSTS_SHOWN = 25  # a board reads the biggest; the command lists every one


def moved_posts(plan: ScenarioPlan) -> list[Block]:
    """The posts whose band the plan changes, costliest first (a national plan moves
    thousands: the first MOVED_POSTS_SHOWN, and how to list them all)."""
    moved = [m for m in plan.result.moves if m.direction != "unchanged"]
    if not moved:
        return []
    moved.sort(key=lambda m: (-abs(m.cost), m.jd.trust, m.jd.jd_ref))
    shown = moved[:MOVED_POSTS_SHOWN]
    caption = "Posts that change band, costliest first"
    if len(moved) > len(shown):
        caption += (
            f": the {len(shown)} costliest of {len(moved):,} (`workforce harmonise --scenario "
            f"{shlex.quote(plan.scenario.name)}{trust_options(plan.result)}` lists them all)"
        )
    rows = tuple(
        (
            m.jd.trust,
            m.jd.jd_ref,
            m.jd.title,
            f"{band_label(m.from_band)} → {band_label(m.to_band)}",
            wte(m.wte) if m.wte_known else "not given",
            money(m.cost),
        )
        for m in shown
    )
    return [
        Table(
            ("Trust", "Reference", "Title", "Band", "WTE", "Annual cost"),
            rows,
            numeric=frozenset({4, 5}),
            caption=caption,
        )
    ]


def trust_options(result: HarmonisationResult) -> str:
    """' --trust RRK,RL4' for a plan narrowed to those trusts, '' for the network's."""
    return f" --trust {','.join(result.trusts)}" if result.trusts else ""


def protection_facts(plan: ScenarioPlan) -> list[tuple[str, str]]:
    """What moving posts down does to the cost (`protection_note`), and JDs without WTE."""
    total = plan.result.total
    facts = []
    note = protection_note(total, plan.result.assumptions.protection)
    if note is not None:
        facts.append(note)
    if total.jds_without_wte:
        facts.append(("JDs without WTE", f"{total.jds_without_wte:,} (counted as 0)"))
    return facts


def no_scenario_section(saved: Sequence[str]) -> list[Block]:
    saved_text = (
        "Saved scenarios in this catalogue: " + ", ".join(saved) + "."
        if saved
        else "No scenario is saved in this catalogue yet."
    )
    return [
        Heading("Harmonisation scenario"),
        Paragraph(
            "No harmonisation scenario was chosen for this report, so no cost is shown: the "
            "report does not assume a target band for any role. " + saved_text
        ),
        Paragraph("To cost one, save a scenario and write the report with it:"),
        Command(
            "workforce harmonise --role ROLE --band BAND [--role ROLE ...] "
            "--scenario NAME --save\nworkforce report REPORT.md --scenario NAME"
        ),
    ]


# --- vacancies ------------------------------------------------------------------------------


def _hidden(row: GapRow, text: str) -> str:
    return "*" if row.suppressed else text


def gap_cells(row: GapRow) -> tuple[str, ...]:
    return (
        f"{row.jds:,}",
        _hidden(row, wte(row.establishment)),
        _hidden(row, wte(row.in_post)),
        _hidden(row, wte(row.vacancies)),
        _hidden(row, percent(row.vacancy_rate)),
        percent(row.national_rate),
        _hidden(row, percent(row.rated_vacancy_rate)),
        percent(row.national_coverage, 0),
    )


def gap_notes(row: GapRow) -> list[str]:
    notes = []
    if row.over_established:
        notes.append(
            f"{row.label}: over-established, {wte(-(row.vacancies or 0.0))} WTE more in post "
            "than funded."
        )
    if row.jds_without_wte:
        notes.append(
            f"{row.label}: {count_text(row.jds_without_wte, 'JD')} without WTE figures, left "
            "out of the sums."
        )
    return notes


def vacancy_section(report: GapReport, staff_group_name: str | None = None) -> list[Block]:
    by_trust = report.by == "trust"
    blocks: list[Block] = [
        Heading("Vacancies"),
        Paragraph(
            "Vacant WTE is funded establishment minus staff in post; the vacancy rate is "
            "vacant WTE over establishment. The national rate is the national vacancy rate of "
            "the group's roles that have one, weighted by establishment; 'same roles' is this "
            "network's rate for those roles alone, to compare like with like; 'coverage' is "
            "the share of establishment in them. A blank national rate: none of the group's "
            "roles has a national figure."
        ),
    ]
    if not report.rows:
        return [*blocks, Paragraph("There are no job descriptions, so no vacancy figures.")]
    first = "Trust" if by_trust else "Staff group"
    rows = [
        (f"{row.key} {row.label}" if by_trust else row.label, *gap_cells(row))
        for row in report.rows
    ]
    rows.append(
        (f"All ({staff_group_name})" if staff_group_name else "All", *gap_cells(report.total))
    )
    caption = f"Vacancies by {'trust' if by_trust else 'staff group'}"
    if staff_group_name:
        caption += f": {staff_group_name}"
    blocks.append(
        Table(
            (
                first,
                "JDs",
                "Establishment WTE",
                "In post WTE",
                "Vacant WTE",
                "Vacancy rate",
                "National rate",
                "Same roles",
                "Coverage",
            ),
            tuple(rows),
            numeric=frozenset(range(1, 9)),
            caption=caption,
            total=True,
        )
    )
    hidden = [row for row in (*report.rows, report.total) if row.suppressed]
    suppression = (
        f"Small numbers are suppressed, as NHS statistical publications do: a group under "
        f"{report.threshold:g} WTE establishment has its figures shown as *, and when only one "
        "group would be hidden the next smallest is hidden too, so the hidden figures cannot "
        "be worked out from the total."
    )
    if hidden:
        suppression += f" Hidden here: {', '.join(row.label for row in hidden)}."
    blocks.append(Paragraph(suppression))
    notes = [note for row in (*report.rows, report.total) for note in gap_notes(row)]
    if notes:
        blocks.append(Bullets(tuple(notes)))
    return blocks


# --- provenance -----------------------------------------------------------------------------


def provenance_section(prov: Provenance, head: Headline) -> list[Block]:
    digest = f" (reference data digest {prov.data_digest[:12]})" if prov.data_digest else ""
    blocks: list[Block] = [
        Heading("Where the figures come from"),
        Paragraph(
            f"Written {written_text(head.written)} from the catalogue {head.catalogue}{digest}. "
            "Figures are worked out from the catalogue when the report is written."
        ),
        Heading("Job descriptions imported", 3),
    ]
    if prov.imports:
        blocks.append(
            Table(
                ("#", "File", "Imported", "Rows", "Added", "Updated", "Unchanged", "Illustrative"),
                tuple(
                    (
                        str(batch["id"]),
                        str(batch["source"]),
                        str(batch["imported_at"]),
                        f"{batch['rows']:,}",
                        f"{batch['added']:,}",
                        f"{batch['updated']:,}",
                        f"{batch['unchanged']:,}",
                        "yes" if batch["illustrative"] else "no",
                    )
                    for batch in prov.imports
                ),
                numeric=frozenset({0, 3, 4, 5, 6}),
            )
        )
    else:
        blocks.append(Paragraph("No job descriptions have been imported."))
    blocks.append(Paragraph(role_mappings_text(prov.role_mappings)))
    blocks += [Heading("Reference data", 3), reference_sources_table(prov)]
    return blocks


def role_mappings_text(counts: Mapping[str, int]) -> str:
    """One line telling machine-made role mappings from human ones (the role_mapping table)."""
    auto, chosen, undone = (counts.get(how, 0) for how in ("auto", "chosen", "undone"))
    if not (auto or chosen or undone):
        return "No JD has been mapped to a reference role by matching: JDs' roles are as imported."
    return (
        f"JDs mapped to a reference role by matching: {auto:,} automatically "
        f"(workforce match --apply-above), {chosen:,} chosen by a person, {undone:,} "
        "undone; workforce history --mappings lists them."
    )


def reference_sources_table(prov: Provenance) -> Table:
    rows: list[tuple[str, str, str]] = []
    for pay in prov.pay:
        rows.append(
            (
                f"Pay {pay.pay_year} ({count_text(pay.points, 'pay point')})",
                pay.confidence,
                pay.source,
            )
        )
    rows.append(
        (
            "Job evaluation scheme points",
            prov.je_confidence or "not recorded",
            prov.je_source
            or "NHS Job Evaluation Handbook factor plan, as packaged with Workforce Pathways "
            "(this catalogue predates recording the source)",
        )
    )
    if prov.on_costs_rate is not None:
        rows.append(
            (
                f"Default on-cost rate {percent(float(prov.on_costs_rate), 2)}",
                prov.on_costs_label or "",
                prov.on_costs_sources or "not recorded",
            )
        )
    for rate in prov.national_rates:
        rows.append((f"National vacancy rate: {rate.label}", percent(rate.rate), rate.source))
    if prov.role_band_confidence:
        counts = ", ".join(
            f"{confidence} {count}" for confidence, count in prov.role_band_confidence.items()
        )
        rows.append(
            (
                "Reference roles' bands",
                counts,
                "Each role's own source (workforce roles --format csv lists them)",
            )
        )
    return Table(("What", "Confidence", "Source"), tuple(rows))


# --- reading the catalogue ------------------------------------------------------------------


def gather_report(
    db: Database,
    *,
    catalogue: str,
    scenario: str | None = None,
    staff_group: str | None = None,
    top: int = DEFAULT_TOP,
    written: datetime | None = None,
    pay_year: str | None = None,
    trusts: Sequence[str] = (),
) -> ReportInputs:
    """Everything the report shows, read from the catalogue through the analyses.

    Raises `catalogue.scenarios.ScenarioError` for an unknown scenario (naming the saved
    ones) and `pathways.harmonise.HarmonisationError` for one that cannot be costed (or a
    `pay_year` the catalogue has no pay for). `pay_year` costs the scenario in that year;
    `trusts` (ODS codes) costs only those trusts' posts.
    """
    if top < 0:
        raise ValueError(f"top must not be negative: {top}")
    plan = None
    if scenario is not None:
        saved = load_scenario(db, scenario)
        overrides = {"pay_year": pay_year} if pay_year else None
        plan = ScenarioPlan(
            saved, plan_scenario(db, saved, overrides, trusts), pay_year is not None
        )
    staff_groups = load_staff_groups(db)
    roles = load_roles(db)
    summary = variation_summary(db, staff_group=staff_group)
    flags = list(list_flags(db, summary.rules, limit=top))
    variation = report_as_dict(VariationReport(summary, flags), roles)
    listed = queries.list_trusts(db)
    headline = Headline(
        written=written or datetime.now().astimezone(),
        catalogue=catalogue,
        trusts=len(listed),
        trusts_with_jds=sum(1 for trust in listed if trust["jds"]),
        jds=queries.count_jds(db),
        illustrative=queries.illustrative_jds(db),
        staff_group=staff_group,
        staff_group_name=staff_groups.get(staff_group) if staff_group else None,
    )
    return ReportInputs(
        headline=headline,
        variation=variation,
        top=top,
        staff_groups=staff_groups,
        role_titles={role_id: info.title for role_id, info in roles.items()},
        plan=plan,
        saved_scenarios=scenario_names(db),
        gap=vacancy_report(db, staff_group),
        provenance=load_provenance(db),
    )


def vacancy_report(db: Database, staff_group: str | None = None) -> GapReport:
    """The gap by staff group (or, for one staff group, by trust), small numbers suppressed."""
    rates = load_national_rates(db)
    cells = load_wte_cells(db)
    if staff_group is None:
        return gap_report(cells, rates, "staff-group", suppress=True, threshold=SMALL_WTE)
    mine = [cell for cell in cells if cell.staff_group == staff_group]
    return gap_report(mine, rates, "trust", suppress=True, threshold=SMALL_WTE)


def load_provenance(db: Database) -> Provenance:
    pay = [
        PaySource(year, confidence, source, points)
        for year, confidence, source, points in db.execute(
            "SELECT pay_year, confidence, source, COUNT(*) FROM pay_point "
            "GROUP BY pay_year, confidence, source ORDER BY pay_year DESC, confidence, source"
        )
    ]
    confidence = dict(
        db.execute(
            "SELECT band_confidence, COUNT(*) FROM role GROUP BY band_confidence "
            "ORDER BY COUNT(*) DESC, band_confidence"
        ).fetchall()
    )
    return Provenance(
        imports=queries.import_history(db),
        pay=pay,
        je_confidence=meta(db, "je_confidence"),
        je_source=meta(db, "je_source"),
        on_costs_rate=meta(db, "on_costs_rate"),
        on_costs_label=meta(db, "on_costs_label"),
        on_costs_sources=meta(db, "on_costs_sources"),
        national_rates=list(load_national_rates(db).values()),
        role_band_confidence=confidence,
        data_digest=meta(db, "data_digest"),
        role_mappings=queries.role_mapping_counts(db),
    )
