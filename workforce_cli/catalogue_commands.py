"""Subcommands that build, fill, list and export the catalogue.

Handlers import the catalogue modules they use when they run: building the parser must stay
light (start-up time), and a listing should not load the importer's pydantic models.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from catalogue.export_names import EXPORT_TABLES, FORMATS
from catalogue.jd_format import template_csv
from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    catalogue_path,
    db_option,
    format_option,
    illustrative_caption,
    open_db,
    write_output,
)
from workforce_cli.output import emit, write_json


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()

    init = commands.add_parser(
        "init",
        parents=[db],
        help="build the catalogue from the packaged data",
        description="Build a catalogue from the packaged reference data (and, unless "
        "--reference-only, the ILLUSTRATIVE job descriptions).",
    )
    init.add_argument("--force", action="store_true", help="replace an existing catalogue")
    init.add_argument(
        "--reference-only",
        action="store_true",
        help="leave out the illustrative JDs (start a network's own catalogue)",
    )
    init.set_defaults(handler=run_init)

    load = commands.add_parser(
        "import",
        parents=[db],
        help="load job descriptions from CSV, TOML or JSON files",
        description="Load JDs from CSV, TOML ([[job]] tables) or JSON (a list) in one "
        "transaction: any bad row refuses the whole import and changes nothing. The key is "
        "(trust, jd_ref): re-importing updates, never duplicates. An empty role keeps the "
        "catalogue's mapping. The catalogue must exist already (`workforce init` builds one).",
    )
    load.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    load.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    load.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    load.set_defaults(handler=run_import)

    template = commands.add_parser(
        "template",
        help="print a blank CSV template for trusts to fill",
        description="Print a blank template: `workforce template jds > our-jds.csv`.",
    )
    template.add_argument("what", choices=("jds",), help="which template")
    template.set_defaults(handler=run_template)

    export = commands.add_parser(
        "export",
        parents=[db],
        help="export JDs, roles, routes, competencies, trusts or bands",
        description="Export part of the catalogue as TOML, CSV or JSON; exported JDs can be "
        "imported again.",
    )
    export.add_argument("what", choices=sorted(EXPORT_TABLES), help="what to export")
    export.add_argument("--format", choices=FORMATS, required=True, help="file format")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(handler=run_export)

    listing = [db, format_option()]
    roles = commands.add_parser(
        "roles", parents=listing, help="list reference roles", description="List reference roles."
    )
    roles.add_argument("--staff-group", metavar="GROUP", help="only this staff group")
    roles.set_defaults(handler=run_roles)

    for name, help_text, handler in (
        ("trusts", "list trusts, their ICB and JD counts", run_trusts),
        ("competencies", "list competencies by pillar", run_competencies),
    ):
        sub = commands.add_parser(name, parents=listing, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)

    history = commands.add_parser(
        "history",
        parents=listing,
        help="list imports (or, with --mappings, the role mappings made by matching)",
        description="List imports: file, time, rows added and updated. With --mappings, list "
        "instead every JD mapped to a reference role by matching, newest first: how 'auto' "
        "(workforce match --apply-above), 'chosen' (a person, on the app's Matching screen "
        "or with workforce map) or 'undone' (a mapping taken away there or with workforce map "
        "--clear), with when and the matcher's confidence.",
    )
    history.add_argument(
        "--mappings", action="store_true", help="list the role mappings, not the imports"
    )
    history.add_argument(
        "--trust", metavar="CODE", help="with --mappings: only this trust's JDs (ODS code)"
    )
    history.set_defaults(handler=run_history)

    bands = commands.add_parser(
        "bands",
        parents=listing,
        help="list AfC bands, JE score ranges and pay",
        description="List AfC bands with their JE score ranges and pay points.",
    )
    bands.add_argument("--pay-year", metavar="YEAR", help="e.g. 2024/25 (default: latest)")
    bands.set_defaults(handler=run_bands)


def run_init(args: argparse.Namespace) -> int:
    from catalogue.build import build_catalogue  # deferred: loads pydantic (start-up time)

    target = catalogue_path(args)
    if not target.parent.is_dir():  # else SQLite's bare "unable to open database file"
        raise UsageError(f"no folder {target.parent} to build {target.name} in: create it first")
    path = build_catalogue(target, force=args.force, reference_only=args.reference_only)
    with_jds = "reference data only" if args.reference_only else "with ILLUSTRATIVE JDs"
    print(f"built {path} ({with_jds})", file=sys.stderr)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from catalogue.importer import (  # deferred: loads pydantic (start-up time)
        describe_counts,
        import_files,
    )

    # Never builds a missing catalogue: a trust's real JDs must not land among illustrative
    # ones because of a mistyped path (`workforce init` builds one on purpose).
    db = open_db(args, build="never")
    plan, counts = import_files(db, [Path(f) for f in args.files], dry_run=args.dry_run)
    if args.format == "json":
        write_json(counts)
        return EXIT_OK
    verb = "would be" if args.dry_run else "were"
    print(describe_counts(counts) + (" (dry run: nothing written)" if args.dry_run else ""))
    if plan.changes:
        print(f"changes that {verb} made:")
        for line in plan.changes:
            print(f"  {line}")
    return EXIT_OK


def run_template(args: argparse.Namespace) -> int:
    sys.stdout.write(template_csv())
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from catalogue.export import export_text  # deferred: loads sqlite_utils (start-up time)

    db = open_db(args)
    write_output(export_text(db, args.what, args.format), args.output, force=args.force)
    return EXIT_OK


def run_roles(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: loads sqlite_utils (start-up time)

    db = open_db(args)
    rows = queries.list_roles(db, args.staff_group)
    columns = None
    if args.format == "table":
        columns = [
            "id",
            "title",
            "staff_group",
            "band_min",
            "band_max",
            "career_level",
            "registration",
            "band_confidence",
        ]
    emit(rows, args.format, columns=columns, title="Reference roles")
    return EXIT_OK


def run_trusts(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: loads sqlite_utils (start-up time)

    db = open_db(args)
    columns = ["code", "name", "icb", "jds"] if args.format == "table" else None
    emit(
        queries.list_trusts(db),
        args.format,
        columns=columns,
        title="Trusts",
        caption=illustrative_caption(db),
    )
    return EXIT_OK


def run_competencies(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: loads sqlite_utils (start-up time)

    db = open_db(args)
    columns = ["id", "name", "pillar", "roles"] if args.format == "table" else None
    emit(queries.list_competencies(db), args.format, columns=columns, title="Competencies")
    return EXIT_OK


def run_bands(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: loads sqlite_utils (start-up time)

    db = open_db(args)
    rows = queries.list_bands(db, args.pay_year)
    year = rows[0]["pay_year"] if rows else ""
    emit(rows, args.format, title=f"Agenda for Change bands, pay {year}")
    return EXIT_OK


def run_history(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: loads sqlite_utils (start-up time)

    if args.trust is not None and not args.mappings:
        raise UsageError("--trust lists one trust's role mappings: give --mappings too")
    db = open_db(args)
    if not args.mappings:
        emit(queries.import_history(db), args.format, title="Imports")
        return EXIT_OK
    trust = None
    if args.trust is not None:
        trust = args.trust.strip().upper()
        if trust not in {row["code"] for row in queries.list_trusts(db)}:
            raise UsageError(
                f"--trust {args.trust!r}: no trust with that code (see `workforce trusts`)"
            )
    rows = queries.role_mappings(db, trust)
    where = f" at {trust}" if trust else ""
    caption = (
        "how: auto = workforce match --apply-above, chosen = picked by a person (in the app "
        "or with workforce map), undone = a mapping taken away (in the app or with workforce "
        "map --clear). Score: the matcher's confidence (0-1). Roles that came with imported "
        "JDs are not listed."
        if rows
        else f"No role mappings recorded{where}: no JD has been mapped by matching."
    )
    # Columns always given, so CSV has its header even when nothing is listed.
    emit(
        rows,
        args.format,
        columns=queries.ROLE_MAPPING_COLUMNS,
        title=f"Role mappings{where}, newest first",
        caption=caption,
    )
    return EXIT_OK
