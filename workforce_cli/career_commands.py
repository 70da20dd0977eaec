"""Subcommands of the career area: ladders, progression paths, next steps and training routes.

The analyses are in pathways/ (ladder, paths, routes, graph); this module reads arguments,
turns a bad role, competency or trust into exit 2, and prints. Tables for people are plain text
laid out like a ladder or a plan, with catalogue text printed as it is (never read as markup).
The analyses are imported by the functions that use them: building the parser must stay light
(start-up time).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from catalogue.vocabulary import ROUTE_KINDS
from pathways.figures import money  # standard library only: light enough for the parser
from pathways.options import DEFAULT_MAX_PATHS, VIA_CHOICES
from pathways.path_words import (  # standard library only, as figures
    cost_text,
    held_of_route_text,
    passed_over_texts,
    step_cost_text,
)
from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    format_option,
    open_for_reading,
    positive_int,
)
from workforce_cli.output import emit, print_table, write_json

if TYPE_CHECKING:
    from catalogue.store import Reader
    from pathways.paths import Career, CareerPath, Holdings, Step
    from pathways.records import RoleInfo


HOLDING_EPILOG = """\
What you hold counts. The competencies of the role you start from are held at the level it
needs them (unless --ignore-role-competencies), with --holding and a --passport's competencies
at the levels given; a passport's completed catalogue routes, and a degree (--degree, the
passport's `degree = true`, or a completed undergraduate route), count too. For each move:
- a route you have completed, or one all of whose competencies toward the move (those the
  role moved to needs above the level the role moved from needs them) you hold at the level
  needed, is not needed: its months and costs drop out, and the step says what was held;
- any other route counts in full, however much of it you hold: its provider decides any
  credit for prior learning (the step names what you hold of it);
- a graduate-entry route (it needs a degree) is not counted for someone not known to hold
  one, nor a restricted or closed route over an open one: where such a route looks quicker,
  the step says why it is not counted.
Costs: an apprenticeship's funding cap is what an employer's levy covers; a course's fee
(tuition, with its source) is what a self-funder would pay; "unknown" where no source gives
it, never 0.
"""


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()
    view = format_option(("table", "json"))
    as_of = argparse.ArgumentParser(add_help=False)
    as_of.add_argument(
        "--as-of",
        metavar="DATE",
        type=_iso_date,
        default=None,
        help="read route statuses on this date, YYYY-MM-DD (default: today)",
    )
    holding = argparse.ArgumentParser(add_help=False)
    holding.add_argument(
        "--holding",
        metavar="COMP,...",
        help="competencies you hold, by id or name, each optionally :LEVEL 1-4 (default 3)",
    )
    holding.add_argument(
        "--passport",
        metavar="FILE",
        help="a staff passport (TOML): its competencies (at their levels), its completed "
        "training and its `degree` count as held, with --holding",
    )
    holding.add_argument(
        "--degree",
        action="store_true",
        help="you hold a degree (any subject): graduate-entry routes count for you",
    )
    holding.add_argument(
        "--ignore-role-competencies",
        action="store_true",
        help="count only --holding (and --passport) as held, not the competencies of the role "
        "you start from",
    )

    ladder = commands.add_parser(
        "ladder",
        parents=[db, view, as_of],
        help="the career ladder of a staff group (with none given: the staff groups)",
        description="Show a staff group's ladder: its roles by band and career level, top rung "
        "first, with the moves up and across from each rung (and out to other ladders), the "
        "training routes that make them and the typical months in post first. With no staff "
        "group, list the staff groups (the ladders there are).",
    )
    ladder.add_argument(
        "staff_group",
        metavar="STAFF_GROUP",
        nargs="?",
        help='its id or name, any case, e.g. radiography or "Medical physics"; leave out to '
        "list them",
    )
    ladder.set_defaults(handler=run_ladder)

    path = commands.add_parser(
        "path",
        parents=[db, format_option(("table", "json", "csv")), holding, as_of],
        help="ways from one role to another, fastest first",
        description="Find the ways from one role to another over the career graph, fastest "
        "first: each move with its training routes, months (months in post plus the shortest "
        "known route), apprenticeship funding cap, competencies still to gain and warnings; "
        "then the trusts with such posts and their vacancies. --format csv writes one row per "
        "step with that step's own months, funding_cap and fee, and the path's totals once, "
        "on its first row (path_months, path_funding_cap, path_fees; blank on its other "
        "rows), so summing any column in a spreadsheet counts each figure once. A programme "
        "spanning a training post (two moves) has its cap or fee on the first move; the "
        "other says so in 'counted'.",
        epilog=HOLDING_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    path.add_argument("from_role", metavar="FROM_ROLE", help="the role you are in (an id)")
    path.add_argument("to_role", metavar="TO_ROLE", help="the role you aim for (an id)")
    path.add_argument(
        "--max",
        type=positive_int,
        default=DEFAULT_MAX_PATHS,
        metavar="N",
        help=f"at most N paths (default {DEFAULT_MAX_PATHS})",
    )
    path.add_argument(
        "--via",
        choices=VIA_CHOICES,
        default="any",
        help="apprenticeship: only moves an apprenticeship makes (or made by experience)",
    )
    path.add_argument("--trust", metavar="T", help="a trust (ODS code or name) to list first")
    path.set_defaults(handler=run_path)

    step = commands.add_parser(
        "next",
        parents=[db, view, holding, as_of],
        help="the roles one move from a role",
        description="List the roles one move away from a role, up or across: the band change, "
        "the competencies to gain and the routes with their months.",
        epilog=HOLDING_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    step.add_argument("role", metavar="ROLE", help="the role you are in (an id)")
    step.set_defaults(handler=run_next)

    routes = commands.add_parser(
        "routes",
        parents=[db, format_option(), as_of],
        help="list training routes, or where routes are missing (--gaps)",
        description="List training routes: level, months, funding cap, standard, entry "
        "requirements, status and the roles each opens. Fields no source settled show as "
        "'unknown'. With --gaps: roles no apprenticeship leads to, roles reached only by "
        "restricted or closed routes, and ladder rungs no route reaches.",
    )
    routes.add_argument("--kind", choices=ROUTE_KINDS, help="only routes of this kind")
    routes.add_argument("--level", type=int, metavar="N", help="only routes at RQF/FHEQ level N")
    routes.add_argument("--leads-to", metavar="ROLE", help="only routes leading to this role")
    routes.add_argument(
        "--gaps",
        action="store_true",
        help="the educator's view: where routes are missing (of every kind; takes no filter)",
    )
    routes.set_defaults(handler=run_routes)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from error


def _today(args: argparse.Namespace) -> date:
    return args.as_of or date.today()


class _Held(NamedTuple):
    """What the person holds, from --holding, --passport and --degree. (A NamedTuple: the
    parser loads this module, and dataclasses would add a tenth to every command's start.)"""

    competencies: dict[str, int]
    holdings: Holdings
    passport: str | None  # the passport file read, if any
    sources: tuple[str, ...]  # where the competencies beyond the role's come from


def _holding(args: argparse.Namespace, career: Career, db: Reader) -> _Held:
    from pathways.paths import (  # deferred: start-up time
        CareerInputError,
        Holdings,
        merge_held,
        parse_holding,
    )

    try:
        held = parse_holding(args.holding, career.competencies)
    except CareerInputError as error:
        raise UsageError(str(error)) from error
    completed: frozenset[str] = frozenset()
    degree = bool(args.degree)
    if args.passport:
        from pathways.passport import (
            PassportError,
            holds_degree,
            load_vocabulary,
            read_passport,
        )

        try:
            passport = read_passport(Path(args.passport), load_vocabulary(db))
        except PassportError as error:
            raise UsageError(str(error)) from None
        held = merge_held(held, passport.held())
        completed = frozenset(passport.completed_routes())
        degree = degree or holds_degree(passport, career.routes)
    sources = (["--holding"] if args.holding else []) + (
        [f"passport {args.passport}"] if args.passport else []
    )
    return _Held(held, Holdings(completed, degree), args.passport, tuple(sources))


def _plural(count: int, noun: str) -> str:
    """'1 move', '2 moves', '0 moves'."""
    return f"{count} {noun if count == 1 else noun + 's'}"


def _band_text(role: RoleInfo) -> str:
    """'band 5', 'band 8a-8b', or 'medical pay' (no AfC band: never 'band medical pay')."""
    from pathways.ladder import band_range  # deferred: start-up time

    return f"band {band_range(role)}" if role.band_min is not None else band_range(role)


def _role_label(career: Career, role_id: str) -> str:
    role = career.roles[role_id]
    return f"{role.title} ({role.id}, {_band_text(role)})"


def _route_text(entry: dict[str, Any]) -> str:
    """'pgcert-ct (postgraduate L7, months unknown)' for a route entry (see route_entry)."""
    facts = [entry["kind"] + (f" L{entry['level']}" if entry["level"] else "")]
    facts.append(f"{entry['months']} months" if entry["months"] is not None else "months unknown")
    if entry["funding_cap"] is not None:
        facts.append(f"funding cap {money(entry['funding_cap'])}")
    elif "funding_cap" in entry["unconfirmed"]:
        facts.append("funding cap unknown")
    if entry["fee"] is not None:
        facts.append(f"fee {money(entry['fee'])}")
    elif "fee" in entry["unconfirmed"]:
        facts.append("fee unknown")
    if entry["needs_degree"]:
        facts.append("graduates only")
    if entry["status"] != "open":
        since = f" since {entry['status_from']}" if entry["status_from"] else ""
        facts.append(f"{entry['status']}{since}")
    return f"{entry['id']} ({', '.join(facts)})"


def _gap_text(gap: Iterable[dict[str, Any]]) -> str:
    items = [
        f"{g['competency']} {g['level']}" + (f" (held {g['held']})" if g["held"] else "")
        for g in gap
    ]
    return ", ".join(items) if items else "nothing"


# --- ladder --------------------------------------------------------------------------------


def run_ladder(args: argparse.Namespace) -> int:
    # deferred, as in every handler here: the analyses load sqlite_utils (start-up time)
    from pathways.ladder import UnknownStaffGroup, build_ladder, ladder_as_dict
    from pathways.paths import load_career
    from pathways.records import load_staff_groups

    db = open_for_reading(args)
    career = load_career(db)
    groups = load_staff_groups(db)
    if args.staff_group is None:
        return _list_staff_groups(args, groups, career)
    try:
        ladder = build_ladder(args.staff_group, groups, career.roles, career.edges)
    except UnknownStaffGroup as error:
        raise UsageError(str(error)) from error
    data = ladder_as_dict(ladder, career.roles, career.routes, _today(args))
    if args.format == "json":
        write_json(data)
    else:
        print("\n".join(ladder_lines(data, career)))
    return EXIT_OK


def _list_staff_groups(args: argparse.Namespace, groups: dict[str, str], career: Career) -> int:
    """`workforce ladder` with no staff group: the ladders there are, to pick one from."""
    counts: dict[str, int] = {}
    for role in career.roles.values():
        counts[role.staff_group] = counts.get(role.staff_group, 0) + 1
    rows = [
        {"id": group_id, "name": name, "roles": counts.get(group_id, 0)}
        for group_id, name in sorted(groups.items())
    ]
    emit(
        rows,
        args.format,
        columns=["id", "name", "roles"],
        title="Staff groups (career ladders)",
        caption="Show one: workforce ladder ID (or its name, any case)",
    )
    return EXIT_OK


def ladder_lines(data: dict[str, Any], career: Career) -> list[str]:
    """The ladder as text, top rung first, each rung's moves listed under it."""
    rungs = list(reversed(data["rungs"]))
    width = max((len(r["bands"]) for r in rungs), default=0)
    lines = [
        f"{data['name']} ladder ({data['staff_group']}): {_plural(len(rungs), 'rung')}, "
        "top rung first",
        "Under each rung, its moves: the typical months in post first, then the routes.",
        "",
    ]
    for rung in rungs:
        lines.append(
            f"{rung['bands']:<{width}}  {rung['title']}  [{rung['role']}, {rung['career_level']}]"
        )
        for edge in sorted(
            (e for e in data["edges"] if e["from"] == rung["role"]),
            key=lambda e: (e["kind"] != "up", e["to"]),
        ):
            lines.extend(_edge_lines(edge, career, " " * (width + 4)))
    if data["entries"]:
        lines += ["", "Ways in from other ladders:"]
        for edge in data["entries"]:
            lines.extend(_edge_lines(edge, career, "  ", show_from=True))
    return lines


def _edge_lines(
    edge: dict[str, Any], career: Career, indent: str, show_from: bool = False
) -> list[str]:
    from pathways.ladder import band_range  # deferred: start-up time

    target = career.roles[edge["to"]]
    where = f", {target.staff_group}" if edge["leaves_group"] else ""
    source = f"{career.roles[edge['from']].title} " if show_from else ""
    head = (
        f"{indent}{edge['kind']:<7} {source}-> {target.title} "
        f"[{band_range(target)}{where}]: {_in_post_text(edge['months_in_post'])}"
    )
    if not edge["routes"]:
        return [f"{head}; no route in the catalogue ({edge['note']})"]
    return [head] + [f"{indent}          via {_route_text(route)}" for route in edge["routes"]]


def _in_post_text(months: int) -> str:
    return f"after {months} months in post" if months else "no time in post expected"


# --- path ----------------------------------------------------------------------------------


def run_path(args: argparse.Namespace) -> int:
    from pathways.paths import (  # deferred: start-up time
        CareerInputError,
        PathQuery,
        check_role,
        check_trust,
        competency_gap,
        find_paths,
        gap_entries,
        held_at_start,
        load_career,
        path_as_dict,
        posts_for,
    )
    from pathways.records import load_jds, load_trusts

    db = open_for_reading(args)
    career = load_career(db)
    today = _today(args)
    trusts = load_trusts(db)
    try:
        for role in (args.from_role, args.to_role):
            check_role(career, role)
        first = check_trust(trusts, args.trust) if args.trust else None
        held = _holding(args, career, db)
        query = PathQuery(
            from_role=args.from_role,
            to_role=args.to_role,
            max_paths=args.max,
            holding=held.competencies,
            include_from_role=not args.ignore_role_competencies,
            via=args.via,
            holdings=held.holdings,
        )
        paths = find_paths(career, query, today)
    except CareerInputError as error:
        raise UsageError(str(error)) from error
    posts = posts_for(load_jds(db, role=args.to_role), trusts, first)
    start = held_at_start(career, query.from_role, query.holding, query.include_from_role)
    data = {
        "from": query.from_role,
        "to": query.to_role,
        "via": query.via,
        "as_of": today.isoformat(),
        "holding": dict(sorted(query.holding.items())),
        **_holdings_json(held),
        "gap": gap_entries(competency_gap(career.needs.get(query.to_role, {}), start), career),
        "paths": [path_as_dict(path, career, today) for path in paths],
        "posts": posts,
    }
    if args.format == "json":
        write_json(data)
        return EXIT_OK
    if args.format == "csv":
        from catalogue.export import rows_to_csv  # deferred: start-up time
        from pathways.path_export import PATH_COLUMNS, path_rows

        sys.stdout.write(rows_to_csv(path_rows(paths, career, today), list(PATH_COLUMNS)))
        return EXIT_OK
    print("\n".join(path_lines(data, paths, career, args.ignore_role_competencies)))
    _print_posts(posts, career, query.to_role, first)
    return EXIT_OK


def _holdings_json(held: _Held) -> dict[str, Any]:
    return {
        "passport": held.passport,
        "held_from": list(held.sources),
        "completed": sorted(held.holdings.completed),
        "degree": held.holdings.degree,
    }


def held_text(data: dict[str, Any], ignore_role: bool, role: str) -> str:
    """'the competencies of ROLE, at its levels; from --holding: ct-scanning 4; training
    completed: X; a degree': what was counted as held at the start."""
    parts = [] if ignore_role else [f"the competencies of {role}, at its levels"]
    given = ", ".join(f"{comp} {level}" for comp, level in data["holding"].items())
    if given:
        parts.append(f"from {' and '.join(data['held_from'])}: {given}")
    if data["completed"]:
        parts.append(f"training completed: {', '.join(data['completed'])}")
    if data["degree"]:
        parts.append("a degree")
    return "; ".join(parts) or "nothing"


def path_lines(
    data: dict[str, Any], paths: list[CareerPath], career: Career, ignore_role: bool
) -> list[str]:
    held = held_text(data, ignore_role, data["from"])
    via = " by apprenticeships" if data["via"] == "apprenticeship" else ""
    lines = [
        f"From {_role_label(career, data['from'])}",
        f"to   {_role_label(career, data['to'])}{via}: {_plural(len(paths), 'way')}, fastest first",
        f"Held at the start: {held}. To gain overall: {_gap_text(data['gap'])}",
    ]
    # Ranked by the months that are known (the k-shortest search needs a number): a path with a
    # route of unknown length may take longer than its place says, so say which ones they are.
    unknown = [n for n, path in enumerate(data["paths"], start=1) if path["months_unknown"]]
    if unknown and len(unknown) == len(paths) > 1:
        lines.append(
            "Every path uses a training route of unknown length: each takes at least the months "
            "shown, and they are ranked by the months known."
        )
    elif unknown and len(paths) > 1:
        one = len(unknown) == 1
        which = ("Path " if one else "Paths ") + _and_list([str(n) for n in unknown])
        lines.append(
            f"Ranked by the months known: {which} {'uses' if one else 'use'} a training route "
            f"of unknown length, so {'it' if one else 'they'} may take longer than shown, and "
            f"longer than paths listed after {'it' if one else 'them'}."
        )
    for number, path in enumerate(data["paths"], start=1):
        years = f"{path['total_months'] / 12:.1f} years"
        if path["months_unknown"]:
            total = (
                f"at least {path['total_months']} months ({years}): a training route's length "
                "is unknown"
            )
        else:
            total = f"{path['total_months']} months ({years})"
        lines += [
            "",
            f"Path {number}: {total}; {_plural(len(path['steps']), 'move')}",
            f"  Cost: {cost_text(path)}",
        ]
        for index, step in enumerate(path["steps"], start=1):
            lines.extend(_step_lines(index, step, career))
    return lines


def _months_text(step: dict[str, Any]) -> str:
    if not step["routes"]:
        return f"{step['months']} months in post; no route in the catalogue ({step['note']})"
    if step["training_post"] == "leaving":
        return (
            f"{step['months']} months in the training post (its programme, {step['route']}, "
            "is its time in post)"
        )
    if step["training_post"] == "entering":
        return (
            f"{step['months']} months in the current post before moving into the training "
            f"post (its programme, {step['route']}, is counted on the move out of it)"
        )
    held = step["held_of_route"]
    if held is not None and held["not_needed"]:
        why = (
            f"you have completed {step['route']}"
            if held["completed"]
            else f"you hold all that {step['route']} gives toward this move"
        )
        return f"{step['months']} months in post; no training needed: {why}"
    if step["months_unknown"]:
        return (
            f"at least {step['months']} months: {step['months_in_post']} in post + training of "
            f"unknown length ({step['route']})"
        )
    training = f"{step['training_months']} months' training ({step['route']})"
    return f"{step['months']} months = {step['months_in_post']} in post + {training}"


def _and_list(items: list[str]) -> str:
    """'1', '1 and 3', '1, 2 and 3'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _step_lines(index: int, step: dict[str, Any], career: Career) -> list[str]:
    target = career.roles[step["to_role"]]
    lines = [
        f"  {index}. {step['from_role']} -> {step['to_role']} ({step['kind']}, "
        f"{_band_text(target)}): {_months_text(step)}"
    ]
    for route in step["routes"]:
        mark = "*" if route["id"] == step["route"] else " "
        lines.append(f"      {mark} {_route_text(route)}")
    held = held_of_route_text(step)
    if held:
        lines.append(f"      {held}")
    lines.extend(f"      {text}" for text in passed_over_texts(step))
    lines.append(f"      to gain: {_gap_text(step['gap'])}")
    lines.extend(f"      ! {warning['text']}" for warning in step["warnings"])
    return lines


def _print_posts(posts: list[dict[str, Any]], career: Career, role: str, first: str | None) -> None:
    title = f"Posts of {career.roles[role].title} by trust (ILLUSTRATIVE where the JDs are)"
    if not posts:
        print(f"\nNo trust in the catalogue has a JD mapped to {role}.")
        return
    print()
    columns = ["trust", "name", "jds", "wte_funded", "wte_in_post", "vacancies"]
    caption = "vacancies: WTE funded minus in post"
    if first:
        caption += f"; {first} first"
    print_table(posts, columns=columns, title=title, caption=caption)


# --- next ----------------------------------------------------------------------------------


def run_next(args: argparse.Namespace) -> int:
    from pathways.paths import (  # deferred: start-up time
        CareerInputError,
        check_role,
        load_career,
        next_step_as_dict,
        next_steps,
    )

    db = open_for_reading(args)
    career = load_career(db)
    today = _today(args)
    try:
        check_role(career, args.role)
        held = _holding(args, career, db)
        steps = next_steps(
            career,
            args.role,
            today,
            held.competencies,
            not args.ignore_role_competencies,
            held.holdings,
        )
    except CareerInputError as error:
        raise UsageError(str(error)) from error
    rows = [next_step_as_dict(step, career, today) for step in steps]
    data = {
        "role": args.role,
        "as_of": today.isoformat(),
        "holding": dict(sorted(held.competencies.items())),
        **_holdings_json(held),
        "next": rows,
    }
    if args.format == "json":
        write_json(data)
        return EXIT_OK
    lines = next_lines(args.role, rows, steps, career)
    if len(lines) > 1:
        lines.insert(1, f"Held: {held_text(data, args.ignore_role_competencies, args.role)}.")
    print("\n".join(lines))
    return EXIT_OK


def next_lines(
    role: str, rows: list[dict[str, Any]], steps: list[Step], career: Career
) -> list[str]:
    if not rows:
        return [f"No move in the catalogue leads on from {_role_label(career, role)}."]
    lines = [f"From {_role_label(career, role)}: {_plural(len(rows), 'next step')}, up first"]
    for row in rows:
        if row["band_steps"] is not None:
            change = f"bands {row['band_change']} ({row['band_move']})"
        else:  # a side on medical pay has no AfC band: "band 8c -> medical pay"
            source, target = career.roles[row["from_role"]], career.roles[row["to_role"]]
            change = f"{_band_text(source)} -> {_band_text(target)}"
        lines += [
            "",
            f"{row['kind']:<7} -> {row['title']} [{row['to_role']}]  {change}",
            f"        {_months_text(row)}",
        ]
        for route in row["routes"]:
            mark = "*" if route["id"] == row["route"] else " "
            lines.append(f"      {mark} {_route_text(route)}")
        held = held_of_route_text(row)
        if held:
            lines.append(f"        {held}")
        lines.extend(f"        {text}" for text in passed_over_texts(row))
        cost = step_cost_text(row)
        if cost:
            lines.append(f"        cost: {cost}")
        lines.append(f"        to gain: {_gap_text(row['gap'])}")
        lines.extend(f"        ! {warning['text']}" for warning in row["warnings"])
    return lines


# --- routes --------------------------------------------------------------------------------

ROUTE_TABLE_COLUMNS = [
    "id",
    "kind",
    "level",
    "months",
    "funding_cap",
    "standard_ref",
    "status",
    "leads_to",
]  # the fee, its source and needs_degree are in --format csv and json (the table is full)


def run_routes(args: argparse.Namespace) -> int:
    from pathways.paths import CareerInputError, check_role, load_career  # deferred: start-up
    from pathways.routes import RouteFilter, list_routes

    if args.gaps:
        _refuse_gap_filters(args)
    db = open_for_reading(args)
    career = load_career(db)
    today = _today(args)
    if args.gaps:
        return _run_gaps(args, career, today)
    if args.leads_to:
        try:
            check_role(career, args.leads_to)
        except CareerInputError as error:
            raise UsageError(str(error)) from error
    wanted = RouteFilter(kind=args.kind, level=args.level, leads_to=args.leads_to)
    rows = list_routes(career.routes, career.edges, today, wanted)
    if args.format == "json":
        write_json(rows)
        return EXIT_OK
    caption = "'unknown': no public source settled the figure; empty: it does not apply."
    if not rows:
        # Exit 0 as the other listings do when nothing matches, but say so and say what is there.
        caption = _no_routes_text(args, career, today)
    flat = [_flat_route(row) for row in rows]
    if args.format == "table":
        for row in flat:  # money as the ladder and path show it; CSV keeps the plain number
            if isinstance(row["funding_cap"], int):
                row["funding_cap"] = money(row["funding_cap"])
    emit(
        flat,
        args.format,
        columns=ROUTE_TABLE_COLUMNS if args.format == "table" else None,
        title="Training routes",
        caption=caption,
    )
    return EXIT_OK


def _filters_given(args: argparse.Namespace) -> list[str]:
    """The route filters given, as typed: ['--kind postgraduate', '--level 9']."""
    given = [("--kind", args.kind), ("--level", args.level), ("--leads-to", args.leads_to)]
    return [f"{option} {value}" for option, value in given if value is not None]


def _refuse_gap_filters(args: argparse.Namespace) -> None:
    """--gaps looks at every kind of route into every role (its first findings are about
    apprenticeships in particular), so a filter would be ignored: refuse it rather than
    answer a question that was not asked."""
    given = _filters_given(args)
    if not given:
        return
    options = " or ".join(item.split()[0] for item in given)
    raise UsageError(
        f"--gaps takes no {options}: it looks at routes of every kind into every role (roles "
        "no apprenticeship leads to, roles whose routes are all restricted or closed, rungs no "
        f"route reaches). For the routes that match, drop --gaps: `workforce routes "
        f"{' '.join(given)}`"
    )


def _no_routes_text(args: argparse.Namespace, career: Career, today: date) -> str:
    """'No routes match --level 9. Routes are at levels 2, 3, ...': what there is instead."""
    from pathways.routes import RouteFilter, list_routes  # deferred: start-up time

    given = _filters_given(args)
    if not given:
        return "The catalogue holds no training routes."
    text = f"No routes match {' '.join(given)}."
    if args.level is None:
        return text
    # The levels there are among routes meeting the other filters, if any were given.
    others = list_routes(
        career.routes,
        career.edges,
        today,
        RouteFilter(kind=args.kind, level=None, leads_to=args.leads_to),
    )
    scope = "Routes"
    if args.kind or args.leads_to:
        scope = "Routes matching " + " ".join(g for g in given if not g.startswith("--level"))
    levels = sorted({row["level"] for row in others if row["level"] is not None})
    without = sum(1 for row in others if row["level"] is None)
    if not others:
        return f"{text} No route matches the other filters either."
    if not levels:
        return f"{text} {scope} have no RQF/FHEQ level."
    text += f" {scope} are at levels {_and_list([str(level) for level in levels])}"
    if not without:
        return text + "."
    return text + f"; {without} {'has' if without == 1 else 'have'} no level."


def _flat_route(row: dict[str, Any]) -> dict[str, Any]:
    """A route row for a table or CSV: lists joined, unconfirmed figures shown as 'unknown'."""
    flat = {
        key: (";".join(value) if isinstance(value, list) else value) for key, value in row.items()
    }
    for name in row["unconfirmed"]:
        if name in flat and flat[name] in (None, ""):
            flat[name] = "unknown"
    return flat


def _run_gaps(args: argparse.Namespace, career: Career, today: date) -> int:
    from pathways.routes import gap_rows, gaps_as_dict, route_gaps  # deferred: start-up time

    gaps = route_gaps(career.roles, career.routes, career.edges, today)
    if args.format == "json":
        write_json(gaps_as_dict(gaps, career.roles, career.routes))
        return EXIT_OK
    # One row a role, every finding for it: the same rows as the app's Routes screen.
    emit(
        gap_rows(gaps, career.roles, career.routes),
        args.format,
        columns=["staff_group", "role", "title", "findings", "routes_in"],
        title=f"Where training routes are missing, as of {today.isoformat()}",
    )
    return EXIT_OK
