"""Subcommands that keep the reference data the network's own: update, pay years, retire, remove.

Handlers import the catalogue modules they use when they run (start-up time).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    catalogue_path,
    db_option,
    format_option,
    open_db,
)
from workforce_cli.output import emit, write_json

# What `workforce remove` takes, as people call them (catalogue.reference_kinds plurals).
REMOVABLE = (
    "icbs",
    "trusts",
    "staff-groups",
    "competencies",
    "roles",
    "role-competencies",
    "routes",
    "edges",
    "rates",
)


# `workforce remove route X` reads as naturally as `remove routes X`.
SINGULAR = {
    "icb": "icbs",
    "trust": "trusts",
    "staff-group": "staff-groups",
    "competency": "competencies",
    "role": "roles",
    "role-competency": "role-competencies",
    "route": "routes",
    "edge": "edges",
    "move": "edges",
    "moves": "edges",
    "rate": "rates",
}


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()

    update = commands.add_parser(
        "update",
        parents=[db],
        help="bring the catalogue up to the installed release's packaged data",
        description="Bring the catalogue up to the packaged reference data of the installed "
        "release (new pay years, corrected standards, new roles and routes), in place, after "
        "copying it to FILE.backup-TIME beside it. Everything of the network's own is kept: "
        "JDs, mappings, scenarios, its own rows and its changes to packaged rows (the update "
        "lists what the packaged data now says of those).",
    )
    update.add_argument(
        "--dry-run", action="store_true", help="list what would change; write nothing"
    )
    update.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    update.set_defaults(handler=run_update)

    pay = commands.add_parser(
        "pay-year",
        parents=[db],
        help="list pay years, or add one by an uplift on the latest",
        description="`workforce pay-year list` shows the pay years held and how sure each is; "
        "`workforce pay-year add 2026/27 --uplift 3.3%` adds a year as every point of the "
        "latest year (or --from YEAR) raised by the uplift, marked 'derived' until the "
        "published table is imported over it.",
    )
    pay_commands = pay.add_subparsers(dest="pay_command", metavar="ACTION", required=True)
    listing = pay_commands.add_parser(
        "list", parents=[db, format_option()], help="the pay years held"
    )
    listing.set_defaults(handler=run_pay_years)
    add = pay_commands.add_parser("add", parents=[db], help="add a pay year by an uplift")
    add.add_argument("year", metavar="YEAR", help="the year to add, e.g. 2026/27")
    add.add_argument("--uplift", required=True, metavar="PERCENT", help="e.g. 3.3%%")
    add.add_argument("--from", dest="from_year", metavar="YEAR", help="default: the latest")
    add.add_argument("--note", default="", help="where the uplift comes from (kept as its source)")
    add.add_argument("--dry-run", action="store_true", help="show the figures; write nothing")
    add.set_defaults(handler=run_pay_year_add)

    retire = commands.add_parser(
        "retire",
        parents=[db],
        help="close or retire a route; retire a role or merge it into another",
        description="Nothing is deleted: a retired route or role stays for the moves, JDs, "
        "passports and saved scenarios that name it. `workforce retire route ID` (--closed: "
        "no new entrants but still running); `workforce retire role ID [--into ROLE]` (with "
        "--into, its JDs and saved scenario targets move to ROLE).",
    )
    retire.add_argument("what", choices=("route", "role"), help="what to retire")
    retire.add_argument("id", metavar="ID", help="the route's or role's id")
    state = retire.add_mutually_exclusive_group()
    state.add_argument("--closed", action="store_true", help="a route: close it, not retire it")
    state.add_argument("--reopen", action="store_true", help="a route: open it again")
    retire.add_argument("--into", metavar="ROLE", help="a role: merge it into this role")
    retire.add_argument("--note", help='why (the route\'s status note; "" clears it)')
    retire.set_defaults(handler=run_retire)

    remove = commands.add_parser(
        "remove",
        parents=[db],
        help="remove a reference row nothing names (a move, a role's competency ...)",
        description="Remove one reference row. Refused, saying what names it, while anything "
        "in the catalogue does (JDs, moves, routes, scenarios): retire routes and roles "
        "instead. Keys: an id or code; a move is FROM:TO; a role's competency ROLE:COMPETENCY. "
        "A packaged row removed stays removed across `workforce update`.",
    )
    remove.add_argument(
        "kind",
        choices=[*REMOVABLE, *SINGULAR],
        metavar="KIND",
        help=f"what kind of row: {', '.join(REMOVABLE)} (or one of each)",
    )
    remove.add_argument("key", metavar="KEY", help="its id, code, or FROM:TO")
    remove.set_defaults(handler=run_remove)


def run_update(args: argparse.Namespace) -> int:
    from catalogue.update import apply_update, backup, plan_update

    db = open_db(args, build="never")
    plan = plan_update(db)
    written = None
    if not args.dry_run and not plan.empty:
        written = backup(db, catalogue_path(args))
        apply_update(db, plan)
    elif not args.dry_run:
        apply_update(db, plan)  # records the release, so the notice stops
    if args.format == "json":
        write_json(
            {
                "release_from": plan.release_from,
                "release_to": plan.release_to,
                "dry_run": args.dry_run,
                "backup": str(written) if written else None,
                **plan.reference.totals().as_dict(),
                "changes": plan.lines,
                "kept": plan.kept,
                "dropped": plan.dropped,
                "affects": plan.affects,
            }
        )
        return EXIT_OK
    if plan.empty and plan.release_from == plan.release_to:
        print(f"The catalogue is at the installed packaged data (release {plan.release_to}).")
        for title, lines in (("the network's own, kept as it is", plan.kept),):
            if lines:
                print(f"{title}:")
                for line in lines:
                    print(f"  {line}")
        return EXIT_OK
    held = plan.release_from or "an earlier release"
    print(f"packaged data: {held} -> {plan.release_to}")
    for note in plan.notes:
        print(f"  {note}")
    totals = plan.reference.totals()
    verb = "would be" if args.dry_run else "were"
    print(f"{totals.added} rows {verb} added, {totals.updated} updated")
    for title, lines in (
        ("changes", plan.lines),
        ("the network's own, kept as it is", plan.kept),
        ("no longer packaged, left in place", plan.dropped),
        ("what this touches", plan.affects),
    ):
        if lines:
            print(f"{title}:")
            for line in lines:
                print(f"  {line}")
    if written:
        print(f"backup: {written}", file=sys.stderr)
    if args.dry_run:
        print("(dry run: nothing written)")
    return EXIT_OK


def run_pay_years(args: argparse.Namespace) -> int:
    db = open_db(args)
    rows = [
        {"pay_year": year, "points": points, "confidence": confidence}
        for year, points, confidence in db.execute(
            "SELECT pay_year, COUNT(*), GROUP_CONCAT(DISTINCT confidence) FROM pay_point "
            "GROUP BY pay_year ORDER BY pay_year"
        )
    ]
    emit(rows, args.format, title="Pay years")
    return EXIT_OK


def run_pay_year_add(args: argparse.Namespace) -> int:
    from catalogue.pay_years import add_pay_year_by_uplift, parse_uplift

    db = open_db(args, build="never")
    plan = add_pay_year_by_uplift(
        db,
        args.year,
        parse_uplift(args.uplift),
        from_year=args.from_year,
        note=args.note,
        dry_run=args.dry_run,
    )
    totals = plan.totals()
    verb = "would be" if args.dry_run else "were"
    print(
        f"pay year {args.year}: {totals.added} points {verb} added, {totals.updated} updated, "
        f"{totals.unchanged} unchanged (confidence: derived)"
    )
    for change in plan.changes:
        record: Any = change.record
        print(f"  Band {record.band} {record.point}: {record.salary:,}")
    if args.dry_run:
        print("(dry run: nothing written)")
    return EXIT_OK


def run_retire(args: argparse.Namespace) -> int:
    from catalogue.retire import retire_role, retire_route

    db = open_db(args, build="never")
    source = f"workforce retire {args.what} {args.id}"
    if args.what == "route":
        if args.into:
            raise UsageError("--into merges roles: a route is closed or retired")
        status = "open" if args.reopen else "closed" if args.closed else "retired"
        retire_route(db, args.id, status=status, note=args.note, source=source)
        print(f"route {args.id} is now {status}")
        return EXIT_OK
    if args.closed or args.reopen:
        raise UsageError("--closed and --reopen are for routes: a role is retired or merged")
    moved = retire_role(db, args.id, into=args.into, source=source)
    if args.into:
        print(f"role {args.id} retired and merged into {args.into}: {moved} JDs moved")
    else:
        print(f"role {args.id} retired (JDs, moves and scenarios that name it keep it)")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    from catalogue.reference_kinds import BY_PLURAL
    from catalogue.retire import remove_row

    db = open_db(args, build="never")
    kind = BY_PLURAL[SINGULAR.get(args.kind, args.kind)]
    key = args.key.strip()
    if kind.name in ("icb", "trust"):
        key = key.upper()  # ODS codes
    if len(kind.key) != len(key.split(":")):
        parts = ":".join(part.upper() for part in kind.key)
        raise UsageError(f"a {kind.label} is named as {parts}, not {args.key!r}")
    remove_row(db, kind, key, source=f"workforce remove {args.kind} {key}")
    print(f"{kind.label} {key} removed")
    return EXIT_OK
