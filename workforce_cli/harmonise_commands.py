"""`workforce harmonise` (a harmonisation plan and its cost) and `workforce scenarios`.

Scenarios (pydantic), the harmonisation analysis (sqlite_utils) and Rich are imported by the
functions that use them: building the parser must stay light (start-up time).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from catalogue.vocabulary import BASES, PAY_POINTS
from pathways.figures import illustrative_note, money, wte
from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    format_option,
    open_db,
    write_output,
)
from workforce_cli.output import write_json

if TYPE_CHECKING:
    from catalogue.scenarios import ScenarioAssumptions, ScenarioPay
    from pathways.harmonise import HarmonisationResult, Summary
    from pathways.pay_harmonise import PaySummary

# The assumption flags, by the ScenarioAssumptions field each sets. Their defaults are None
# so a rerun of a saved scenario can tell "given now" from "left as saved".
ASSUMPTION_FLAGS = ("pay_year", "pay_point", "on_costs", "protection", "basis")


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()
    harmonise = commands.add_parser(
        "harmonise",
        parents=[db, format_option()],
        help="a harmonisation plan: move roles to target bands and cost it",
        description="Move every JD of each role to a target band and report the JDs and WTE "
        "moved up, down and unchanged, and the annual cost with on-costs, by trust, by role "
        "and in total. Moving up costs (target salary - current salary) x WTE x (1 + "
        "on-costs); moving down costs nothing under pay protection (the default) and saves "
        "money with --no-protection. Give --role R --band B for each role; --role R alone "
        "targets the role's modal band. After a --role, --rrp says what to do with its "
        "recruitment and retention premia (keep, remove at review, or align every trust to "
        "an amount) and --appoint-at the pay point every trust appoints new starters at; "
        "their cost is shown beside the band moves', with the same pay year, on-costs and "
        "protection. --scenario NAME reruns a saved plan on the catalogue as it is now; "
        "--scenario NAME --save stores the plan given. --trust T costs one trust's (or "
        "several trusts') share of the network plan: the targets stay the network's (a modal "
        "band is the network's), the costs and counts cover only those trusts' posts, and "
        "the output says so; a scenario saved with --trust is still the network's plan. "
        "Money is rounded to whole pounds per JD and every total is the sum of those, so the "
        "rows of a table add up to its total.",
    )
    harmonise.add_argument(
        "--role",
        dest="targets",
        action=_RoleAction,
        metavar="ROLE",
        help="a reference role id (repeat for more roles)",
    )
    harmonise.add_argument(
        "--band",
        dest="targets",
        action=_BandAction,
        metavar="BAND",
        help="target band of the --role just before it (default: the role's modal band)",
    )
    harmonise.add_argument(
        "--rrp",
        dest="pay_rules",
        action=_PayAction,
        metavar="ACTION",
        help="premia of the --role just before it: keep (as now; a percentage premium follows "
        "the band), remove (at their review dates: a saving, given up under pay protection), "
        "or align:AMOUNT (every trust pays AMOUNT a year, e.g. align:2000)",
    )
    harmonise.add_argument(
        "--appoint-at",
        dest="pay_rules",
        action=_PayAction,
        metavar="POINT",
        help="the pay point every trust appoints new starters of the --role before it at: "
        "entry, mid or top (costed on today's vacancies filled at that point)",
    )
    harmonise.add_argument(
        "--trust",
        dest="trusts",
        action="append",
        metavar="TRUST",
        help="cost only this trust's posts (ODS code or full name): its share of the network "
        "plan; repeat, or separate with commas, for several (--trust RRK --trust RL4)",
    )
    harmonise.add_argument(
        "--scenario", metavar="NAME", help="a saved scenario, or the name to save"
    )
    harmonise.add_argument("--save", action="store_true", help="save the plan as --scenario NAME")
    harmonise.add_argument(
        "--force", action="store_true", help="with --save: replace a scenario of that name"
    )
    add_assumption_options(harmonise)
    harmonise.set_defaults(handler=run_harmonise, targets=None, pay_rules=None)

    scenarios = commands.add_parser(
        "scenarios",
        parents=[db, format_option()],
        help="list, delete, export or import saved harmonisation scenarios",
        description="List saved harmonisation scenarios with what each costs on the catalogue "
        "as it is now; or delete one, export one to TOML, or import one from TOML.",
    )
    action = scenarios.add_mutually_exclusive_group()
    action.add_argument("--delete", metavar="NAME", help="delete the scenario NAME")
    action.add_argument(
        "--export", metavar="NAME", help="write the scenario NAME and its result as TOML"
    )
    action.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help="save the scenario in a TOML file written by --export",
    )
    scenarios.add_argument("-o", "--output", metavar="FILE", help="with --export: write to FILE")
    scenarios.add_argument(
        "--force",
        action="store_true",
        help="replace FILE (--export) or a scenario of the same name (--import)",
    )
    scenarios.set_defaults(handler=run_scenarios)


def add_assumption_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pay-point",
        choices=tuple(PAY_POINTS),
        default=None,
        help="pay point of each band (default top; mid is the intermediate point; a band "
        "without the point is paid at its nearest lower one: Band 2 has only entry, Bands 3 "
        "and 4 have no intermediate)",
    )
    parser.add_argument(
        "--on-costs",
        type=on_cost_rate,
        default=None,
        metavar="RATE",
        help="employer on-costs as a fraction of pay, e.g. 0.25 or 25%% (default: the "
        "catalogue's documented rate, shown in the output)",
    )
    parser.add_argument(
        "--protection",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="pay protection for JDs moved down (default on: they cost nothing; "
        "--no-protection: they save money)",
    )
    parser.add_argument(
        "--basis",
        choices=BASES,
        default=None,
        help="WTE in post (default) or funded establishment",
    )
    parser.add_argument("--pay-year", metavar="YEAR", help="e.g. 2024/25 (default: latest)")


def on_cost_rate(text: str) -> float:
    """'0.25' or '25%' -> 0.25; refuses a rate that reads like a percentage without '%'."""
    value = text.strip()
    try:
        rate = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate: use e.g. 0.25 or 25%") from error
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError(
            f"{text!r}: on-costs are a fraction of pay between 0 and 1 (0.25 or 25% for 25%)"
        )
    return rate


class _RoleAction(argparse.Action):
    """--role appends a (role, no band yet) pair, so each --band binds to the role before it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        pairs = list(getattr(namespace, self.dest, None) or [])
        pairs.append((str(values), None))
        setattr(namespace, self.dest, pairs)


class _BandAction(argparse.Action):
    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        pairs = list(getattr(namespace, self.dest, None) or [])
        if not pairs:
            parser.error(f"--band {values}: give the --role it is for first")
        role, band = pairs[-1]
        if band is not None:
            parser.error(f"--band {values}: {role} already has --band {band}; one --band a role")
        pairs[-1] = (role, str(values))
        setattr(namespace, self.dest, pairs)


class _PayAction(argparse.Action):
    """--rrp and --appoint-at set the pay rule of the --role before them: role -> fields."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        targets = getattr(namespace, "targets", None) or []
        if not targets:
            parser.error(f"{option_string} {values}: give the --role it is for first")
        role = targets[-1][0]
        rules = dict(getattr(namespace, self.dest, None) or {})
        rule = dict(rules.get(role, {"role": role}))
        try:
            if option_string == "--rrp":
                if "rrp_action" in rule:
                    parser.error(f"--rrp {values}: {role} already has --rrp; one a role")
                rule.update(_rrp_rule(str(values)))
            else:
                from catalogue.jd_pay import parse_point  # light: re and datetime

                rule["appointment_point"] = parse_point(str(values))
        except ValueError as error:
            parser.error(f"{option_string} {values}: {error}")
        rules[role] = rule
        setattr(namespace, self.dest, rules)


def _rrp_rule(text: str) -> dict[str, Any]:
    """'keep', 'remove', 'align:2000' (or 'align:£2,000') as a pay rule's fields."""
    from catalogue.jd_pay import parse_amount  # light: re and datetime

    action, _, amount = text.strip().partition(":")
    action = action.strip().lower()
    if action in ("keep", "remove") and not amount:
        return {"rrp_action": action}
    if action == "align" and amount:
        pounds = parse_amount(amount)
        if pounds is None:
            raise ValueError("align to an amount above zero, or use remove")
        return {"rrp_action": "align", "rrp_amount": pounds}
    raise ValueError("use keep, remove or align:AMOUNT (e.g. align:2000)")


def _pay_rules(args: argparse.Namespace) -> list[ScenarioPay]:
    from pydantic import ValidationError  # deferred: start-up time

    from catalogue.scenarios import ScenarioPay

    rules = []
    for fields in (args.pay_rules or {}).values():
        try:
            rules.append(ScenarioPay.model_validate(fields))
        except ValidationError as error:
            message = "; ".join(str(p["msg"]).removeprefix("Value error, ") for p in error.errors())
            raise UsageError(message) from error
    return rules


# ---- harmonise ----


def run_harmonise(args: argparse.Namespace) -> int:
    # deferred, as in every function here that uses them: pydantic and sqlite_utils (start-up)
    from catalogue.queries import illustrative_jds
    from catalogue.scenarios import (
        Scenario,
        ScenarioAssumptions,
        ScenarioError,
        ScenarioTarget,
        load_scenario,
        save_scenario,
    )
    from pathways.harmonise import (
        HarmonisationError,
        check_trusts,
        plan_harmonisation,
        plan_scenario,
    )

    targets: list[tuple[str, str | None]] | None = args.targets
    if args.save and not args.scenario:
        raise UsageError("--save needs --scenario NAME to save the plan under")
    if not targets and not args.scenario:
        raise UsageError("give --role ROLE [--band BAND] for each role, or --scenario NAME")
    pay_rules = _pay_rules(args)
    db = open_db(args)
    try:
        trusts = check_trusts(db, args.trusts) if args.trusts else []
        if targets:
            choices = _choices(args, ScenarioAssumptions())
            result = plan_harmonisation(db, targets, choices, pay_rules, trusts)
        else:
            saved = load_scenario(db, args.scenario)
            choices = _choices(args, saved.assumptions)
            result = plan_scenario(db, saved, choices.model_dump(), trusts)
        if args.save:
            stored = save_scenario(
                db,
                Scenario(
                    name=args.scenario,
                    targets=[ScenarioTarget(role=t.role, band=t.band) for t in result.targets],
                    assumptions=choices,
                    pay=pay_rules if targets else saved.pay,
                ),
                force=args.force,
            )
            whole = " (the network's plan: --trust narrows only what is shown)" if trusts else ""
            print(f"saved scenario {stored.name!r}{whole}", file=sys.stderr)
        elif targets and args.scenario:
            print(f"scenario {args.scenario!r} not saved: add --save to store it", file=sys.stderr)
    except (HarmonisationError, ScenarioError) as error:
        raise UsageError(str(error)) from error
    show_plan(result, args.format, scenario=args.scenario, illustrative=illustrative_jds(db))
    return EXIT_OK


def _choices(args: argparse.Namespace, base: ScenarioAssumptions) -> ScenarioAssumptions:
    """`base` with every assumption flag given on this command line applied."""
    from pydantic import ValidationError  # deferred: start-up time

    from catalogue.scenarios import ScenarioAssumptions

    given = {
        name: getattr(args, name) for name in ASSUMPTION_FLAGS if getattr(args, name) is not None
    }
    try:
        return ScenarioAssumptions.model_validate({**base.model_dump(), **given})
    except ValidationError as error:
        problems = "; ".join(_flag_problem(problem, given) for problem in error.errors())
        raise UsageError(problems) from error


def _flag_problem(problem: Any, given: dict[str, Any]) -> str:
    field = str(problem["loc"][0]) if problem["loc"] else ""
    flag = "--" + field.replace("_", "-")
    if field == "pay_year":
        return f"{flag} {given.get(field)!r}: write a pay year as e.g. 2025/26"
    return f"{flag}: {problem['msg']}"


def show_plan(
    result: HarmonisationResult, fmt: str, *, scenario: str | None = None, illustrative: int = 0
) -> None:
    if fmt == "json":
        write_json({"scenario": scenario, **result.to_dict()})
    elif fmt == "csv":
        from catalogue.export import rows_to_csv

        sys.stdout.write(rows_to_csv(plan_csv_rows(result)))
    else:
        print_plan(result, scenario=scenario, illustrative=illustrative)


def assumptions_line(result: HarmonisationResult) -> str:
    a = result.assumptions
    point = "intermediate" if a.pay_point == "mid" else a.pay_point
    protection = "on (JDs moved down keep their pay)" if a.protection else "off"
    basis = "WTE funded" if a.basis == "funded" else "WTE in post"
    return (
        f"Pay {a.pay_year} at the {point} point; on-costs {a.on_costs:.2%} "
        f"({a.on_costs_basis}); pay protection {protection}; {basis}."
    )


def plan_csv_rows(result: HarmonisationResult) -> list[dict[str, Any]]:
    """One flat table: a row per role, per trust, and the total, each with the assumptions."""
    from pathways.harmonise import whole_pounds  # deferred: start-up time

    a = result.assumptions
    tail = {
        # Whose posts every row covers: blank for the whole network, else the trusts whose
        # share of the network plan this is.
        "trusts": ";".join(result.trusts),
        "pay_year": a.pay_year,
        "pay_point": a.pay_point,
        "on_costs": a.on_costs,
        "protection": "on" if a.protection else "off",
        "basis": a.basis,
    }

    def row(scope: str, key: str, name: str, target: str, summary: Summary) -> dict[str, Any]:
        return {
            "scope": scope,
            "key": key,
            "name": name,
            "target_band": target,
            "moved_up_jds": summary.moved_up.jds,
            "moved_up_wte": round(summary.moved_up.wte, 2),
            "moved_down_jds": summary.moved_down.jds,
            "moved_down_wte": round(summary.moved_down.wte, 2),
            "unchanged_jds": summary.unchanged.jds,
            "unchanged_wte": round(summary.unchanged.wte, 2),
            "protected_wte": round(summary.protected_wte, 2),
            "protection_cost": whole_pounds(summary.protection_cost),
            "jds_without_wte": summary.jds_without_wte,
            "annual_cost": whole_pounds(summary.annual_cost),
            **tail,
        }

    rows = [row("role", r.target.role, r.title, r.target.band, r.summary) for r in result.roles]
    rows += [row("trust", t.trust, t.name, "", t.summary) for t in result.by_trust]
    rows.append(row("total", "", _all_label(result), "", result.total))
    # The pay rules' cost beside the band moves', in every row (0 where a scope has none).
    pay = result.pay
    for each in rows:
        scope, key = each["scope"], each["key"]
        summary = None
        if pay is not None:
            if scope == "total":
                summary = pay.total
            else:
                summary = (pay.by_role if scope == "role" else pay.by_trust).get(key)
        each.update(_pay_columns(summary, each["annual_cost"]))
    return rows


def _all_label(result: HarmonisationResult) -> str:
    """The total row's name: 'all trusts', or the trusts whose share it is."""
    if not result.trusts:
        return "all trusts"
    return f"share of {', '.join(result.trusts)} in the network plan"


def _pay_columns(summary: PaySummary | None, band_cost: int) -> dict[str, Any]:
    from pathways.figures import whole_pounds  # deferred: start-up time

    premium = whole_pounds(summary.premium_cost) if summary else 0
    appointment = whole_pounds(summary.appointment_cost) if summary else 0
    return {
        "pay_premium_cost": premium,
        "pay_appointment_cost": appointment,
        "pay_protection_cost": whole_pounds(summary.protection_cost) if summary else 0,
        "annual_cost_with_pay": band_cost + premium + appointment,
    }


def print_plan(
    result: HarmonisationResult,
    *,
    scenario: str | None = None,
    illustrative: int = 0,
    out: TextIO | None = None,
) -> None:
    from pathways.harmonise import protection_note  # deferred: start-up time

    stream = out or sys.stdout
    total = result.total
    heading = "Harmonisation plan" + (f": scenario {scenario}" if scenario else "")
    stream.write(heading + "\n")
    if result.trusts:
        stream.write(result.scope_text() + ".\n")
    role_rows = [
        {
            "role": r.target.role,
            "title": r.title,
            "target": f"{r.target.band} ({r.target.source})",
            "bands now": ", ".join(f"{band}: {n}" for band, n in r.bands_before.items())
            or "no JDs",
            **_counts(r.summary),
        }
        for r in result.roles
    ]
    _table(role_rows, "By role", stream)
    trust_rows = [{"trust": t.trust, "name": t.name, **_counts(t.summary)} for t in result.by_trust]
    trust_rows.append({"trust": "", "name": _all_label(result), **_counts(total)})
    _table(trust_rows, "By trust", stream)
    move_rows = [
        {
            "trust": m.jd.trust,
            "jd ref": m.jd.jd_ref,
            "title": m.jd.title,
            "band": f"{m.from_band} -> {m.to_band}",
            "wte": wte(m.wte) if m.wte_known else "none",
            "annual cost": money(m.cost),
        }
        for m in result.moves
        if m.direction != "unchanged"
    ]
    if move_rows:
        _table(move_rows, "JDs moved", stream)
    share = f" ({_all_label(result)})" if result.trusts else ""
    lines = [
        f"Annual cost{share}: {money(total.annual_cost)}. "
        f"Moved up: {total.moved_up.jds} JDs ({wte(total.moved_up.wte)} WTE); "
        f"moved down: {total.moved_down.jds} JDs ({wte(total.moved_down.wte)} WTE); "
        f"unchanged: {total.unchanged.jds} JDs ({wte(total.unchanged.wte)} WTE).",
    ]
    note = protection_note(total, result.assumptions.protection)
    if note is not None:
        label, words = note
        lines.append(f"{label}: {words}.")
    if result.pay is not None:
        _print_pay(result, stream)
        lines.extend(pay_lines(result))
    lines.append(assumptions_line(result))
    lines.extend(f"Note: {note}" for note in result.notes)
    if illustrative:
        lines.append(f"Note: {illustrative_note(illustrative)}.")
    stream.write("\n".join(lines) + "\n")


def _print_pay(result: HarmonisationResult, stream: TextIO) -> None:
    pay = result.pay
    assert pay is not None
    band_costs = {t.trust: t.summary.annual_cost for t in result.by_trust}
    rows = [
        {
            "trust": trust,
            "premia": money(summary.premium_cost),
            "appointment": money(summary.appointment_cost),
            "band moves": money(band_costs.get(trust, 0.0)),
            "annual cost": money(band_costs.get(trust, 0.0) + summary.annual_cost),
        }
        for trust, summary in pay.by_trust.items()
    ]
    rows.append(
        {
            "trust": _all_label(result),
            "premia": money(pay.total.premium_cost),
            "appointment": money(pay.total.appointment_cost),
            "band moves": money(result.total.annual_cost),
            "annual cost": money(result.annual_cost_with_pay),
        }
    )
    _table(rows, "Pay beyond the band, beside the band moves", stream)


def pay_lines(result: HarmonisationResult) -> list[str]:
    """The pay rules and what they cost, in words (the plan's and the board report's)."""
    pay = result.pay
    if pay is None:
        return []
    rules = "; ".join(_rule_text(rule) for rule in pay.rules)
    total = pay.total
    lines = [
        f"Pay rules: {rules}.",
        f"Pay beyond the band: premia {money(total.premium_cost)} a year "
        f"({total.premia_changed} JD(s) changed, {total.premia_removed} removed), "
        f"appointment points {money(total.appointment_cost)} a year "
        f"({total.appointments_changed} JD(s)). With the band moves: "
        f"{money(result.annual_cost_with_pay)} a year.",
    ]
    if total.protection_cost and result.assumptions.protection:
        lines.append(
            f"Pay protection: staff in the {wte(total.protected_wte)} WTE whose premium goes or "
            f"falls keep it; without protection the pay rules would cost "
            f"{money(total.protection_cost)} a year less."
        )
    lines.extend(f"Note: {note}" for note in pay.notes)
    return lines


def _rule_text(rule: dict[str, Any]) -> str:
    from pathways.pay_harmonise import rule_text  # deferred: start-up time

    return f"{rule['role']}: {rule_text(rule)}"


def _counts(summary: Summary) -> dict[str, str]:
    return {
        "up": f"{summary.moved_up.jds} ({wte(summary.moved_up.wte)} WTE)",
        "down": f"{summary.moved_down.jds} ({wte(summary.moved_down.wte)} WTE)",
        "unchanged": f"{summary.unchanged.jds} ({wte(summary.unchanged.wte)} WTE)",
        "annual cost": money(summary.annual_cost),
    }


RIGHT_ALIGNED = {"up", "down", "unchanged", "annual cost", "wte"}


def _table(rows: Sequence[dict[str, str]], title: str, stream: TextIO) -> None:
    """A Rich table whose cells are literal text (a title from a JD is never markup)."""
    from rich.console import Console  # deferred: JSON and CSV output need not load Rich
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), header_style="bold", expand=False)
    names = list(rows[0]) if rows else []
    for name in names:
        table.add_column(
            Text(name), justify="right" if name in RIGHT_ALIGNED else "left", overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(str(row[name])) for name in names))
    width = None if stream.isatty() else 200
    Console(file=stream, width=width).print(table)


# ---- scenarios ----


def run_scenarios(args: argparse.Namespace) -> int:
    from catalogue.scenarios import (  # deferred: pydantic and sqlite_utils (start-up time)
        ScenarioError,
        delete_scenario,
        load_scenario,
        read_scenario_toml,
        save_scenario,
        scenario_to_toml,
    )
    from pathways.harmonise import HarmonisationError, plan_scenario
    from pathways.scenario_draft import export_summary  # the app's export writes the same

    if args.output and not args.export:
        raise UsageError("-o/--output goes with --export NAME")
    db = open_db(args)
    try:
        if args.delete:
            delete_scenario(db, args.delete)
            print(f"deleted scenario {args.delete!r}", file=sys.stderr)
        elif args.export:
            scenario = load_scenario(db, args.export)
            result = plan_scenario(db, scenario)
            text = scenario_to_toml(scenario, export_summary(result))
            write_output(text, args.output, force=args.force)
        elif args.import_file:
            scenario = read_scenario_toml(Path(args.import_file))
            plan_scenario(db, scenario)  # refuse what cannot be planned before storing it
            save_scenario(db, scenario, force=args.force)
            print(f"imported scenario {scenario.name!r}", file=sys.stderr)
        else:
            list_saved(db, args.format)
    except (HarmonisationError, ScenarioError) as error:
        raise UsageError(str(error)) from error
    return EXIT_OK


def list_saved(db: Any, fmt: str) -> None:
    from catalogue.scenarios import list_scenarios  # deferred: start-up time
    from pathways.harmonise import HarmonisationError, plan_scenario, whole_pounds

    rows = []
    at_default: list[bool] = []  # per row: on-costs at the catalogue's default rate?
    default_rates: set[tuple[float, str]] = set()  # (rate, what it assumes) of default on-costs
    for scenario in list_scenarios(db):
        saved = scenario.assumptions
        row: dict[str, Any] = {
            "name": scenario.name,
            "roles": ", ".join(f"{t.role} -> {t.band}" for t in scenario.targets)
            + "".join(f"; {_rule_text(rule.model_dump())}" for rule in scenario.pay),
            "created": scenario.created,
            # Each scenario's own assumptions, so two plans with the same targets but, say,
            # different pay points can be told apart. As saved (None: the catalogue's default
            # when run) until the plan is costed, then as resolved for that cost.
            "pay_year": saved.pay_year,
            "pay_point": saved.pay_point,
            "on_costs": saved.on_costs,
            "protection": saved.protection,
            "basis": saved.basis,
            "annual_cost": None,
            "problem": "",
        }
        at_default.append(saved.on_costs is None)
        try:
            result = plan_scenario(db, scenario)
            resolved = result.assumptions
            row["pay_year"] = resolved.pay_year
            row["on_costs"] = resolved.on_costs
            row["annual_cost"] = whole_pounds(result.total.annual_cost)
            if result.pay is not None:  # the band moves' cost stays annual_cost, as before
                row["annual_cost_with_pay"] = whole_pounds(result.annual_cost_with_pay)
            row["assumptions"] = assumptions_line(result)
            if saved.on_costs is None:
                default_rates.add((resolved.on_costs, resolved.on_costs_basis))
        except HarmonisationError as error:  # the catalogue changed under a saved plan
            row["problem"] = str(error)
        rows.append(row)
    if fmt == "json":
        write_json(rows)
        return
    if fmt == "csv":
        from catalogue.export import rows_to_csv

        columns = [
            "name",
            "roles",
            "created",
            "pay_year",
            "pay_point",
            "on_costs",
            "protection",
            "basis",
            "annual_cost",
            "problem",
            "assumptions",
        ]
        # Protection as on/off, as in the plan's own CSV (`workforce harmonise --format csv`).
        flat = [{**r, "protection": "on" if r["protection"] else "off"} for r in rows]
        sys.stdout.write(rows_to_csv(flat, columns) if rows else ",".join(columns) + "\r\n")
        return
    if not rows:
        print("no saved scenarios: save one with workforce harmonise --scenario NAME --save")
        return
    table_rows = [
        {
            "name": r["name"],
            "roles": r["roles"],
            "assumptions": _compact_assumptions(r, default=default),
            "created": r["created"],
            "annual cost": _listed_cost(r),
            "problem": r["problem"],
        }
        for r, default in zip(rows, at_default, strict=True)
    ]
    _table(table_rows, "Saved scenarios (costed on the catalogue as it is now)", sys.stdout)
    for rate, basis in sorted(default_rates):
        print(f"(default) on-costs: the catalogue's documented rate, {_percent(rate)} ({basis}).")


def _listed_cost(row: dict[str, Any]) -> str:
    """'£418,405', or with pay rules '£796,240 (band moves £418,405)'."""
    if row["annual_cost"] is None:
        return ""
    if "annual_cost_with_pay" in row:
        return f"{money(row['annual_cost_with_pay'])} (band moves {money(row['annual_cost'])})"
    return money(row["annual_cost"])


def _compact_assumptions(row: dict[str, Any], *, default: bool) -> str:
    """One scenario's assumptions in a table cell: pay year and point, on-costs, protection,
    WTE basis (e.g. "2025/26 top; on-costs 38.78% (default); protection on; WTE in post")."""
    year = row["pay_year"] or "latest pay year,"
    point = PAY_POINTS.get(row["pay_point"], row["pay_point"])
    rate = row["on_costs"]
    on_costs = "default" if rate is None else _percent(rate) + (" (default)" if default else "")
    basis = "WTE funded" if row["basis"] == "funded" else "WTE in post"
    protection = "on" if row["protection"] else "off"
    return f"{year} {point}; on-costs {on_costs}; protection {protection}; {basis}"


def _percent(rate: float) -> str:
    """A rate as a percentage with the digits it has: 0.3878 -> 38.78%, 0.25 -> 25%."""
    return f"{round(rate * 100, 6):.10g}%"
