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
    open_for_reading,
    write_output,
)
from workforce_cli.output import emit, visible, write_json


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
    init.add_argument(
        "--organisations",
        metavar="FILE",
        help="with --reference-only: start with the ICBs and trusts of FILE (TOML [[icb]] and "
        "[[trust]] tables, or a trusts CSV) instead of the West Midlands network's; "
        "--organisations none starts with none",
    )
    init.set_defaults(handler=run_init)

    load = commands.add_parser(
        "import",
        parents=[db],
        help="load JDs and reference rows (trusts, routes, moves, pay ...) from files",
        description="Load JDs and reference rows from CSV, TOML or JSON in one transaction: "
        "any bad row refuses the whole import and changes nothing. TOML holds the same tables "
        "as the packaged data ([[job]], [[icb]], [[trust]], [[staff_group]], [[band]], "
        "[[pay_point]], [[competency]], [[role]], [[role_competency]], [[route]], [[edge]], "
        "[[rate]], [on_costs]), several kinds in one file if need be; a CSV or JSON list holds "
        "one kind, told from its columns or named with --kind. Re-importing updates, never "
        "duplicates (JDs are keyed by trust and jd_ref, other rows by their id or code). A row "
        "that exists keeps the fields it leaves out. An empty JD role keeps the catalogue's "
        "mapping. The catalogue must exist already (`workforce init` builds one).",
    )
    load.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    load.add_argument(
        "--kind",
        metavar="KIND",
        help="what the files hold, where their columns do not say: jds, icbs, trusts, "
        "staff-groups, bands, pay-points, competencies, roles, role-competencies, routes, "
        "edges, rates, settings",
    )
    load.add_argument(
        "--trust",
        metavar="CODE",
        help="the trust whose Word JDs or Excel workbook these are, where they do not say "
        "(an ODS code or exact name)",
    )
    load.add_argument(
        "--sheet", metavar="NAME", help="the sheet of an Excel workbook that holds the posts"
    )
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would change, and what was read from each document and where; write nothing",
    )
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
        help="export JDs or any kind of reference row (routes, moves, pay points ...)",
        description="Export part of the catalogue as TOML, CSV or JSON: JDs or any kind of "
        "reference row. Every export imports again unchanged (settings as TOML or JSON).",
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
    history.add_argument(
        "--reference",
        action="store_true",
        help="list every change to reference rows (imports, edits, retirements, updates)",
    )
    history.add_argument(
        "--kind",
        metavar="KIND",
        help="with --reference: only changes to this kind of row (routes, edges, pay-points ...)",
    )
    history.add_argument(
        "--own",
        action="store_true",
        help="list the network's own reference rows, its changes to packaged rows and the "
        "packaged rows it removed (what `workforce update` keeps)",
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
    organisations = args.organisations
    if organisations is not None and not args.reference_only:
        raise UsageError(
            "--organisations starts a network's own catalogue: give --reference-only too (the "
            "illustrative JDs belong to the bundled network's trusts)"
        )
    path = build_catalogue(
        target,
        force=args.force,
        reference_only=args.reference_only,
        organisations=None
        if organisations is None
        else ("none" if organisations.strip().lower() == "none" else Path(organisations)),
    )
    with_jds = "reference data only" if args.reference_only else "with ILLUSTRATIVE JDs"
    if organisations is not None:
        with_jds += (
            ", no trusts"
            if organisations.strip().lower() == "none"
            else (f", organisations from {organisations}")
        )
    print(f"built {path} ({with_jds})", file=sys.stderr)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    # deferred: loads pydantic (start-up time)
    from catalogue.catalogue_import import import_catalogue
    from catalogue.table_sources import resolve_kind

    kind = resolve_kind(args.kind)
    # Never builds a missing catalogue: a trust's real JDs must not land among illustrative
    # ones because of a mistyped path (`workforce init` builds one on purpose).
    db = open_db(args, build="never")
    result = import_catalogue(
        db,
        [Path(f) for f in args.files],
        kind=kind,
        dry_run=args.dry_run,
        trust=args.trust,
        sheet=args.sheet,
    )
    if args.format == "json":
        write_json({**result.summary(), "read": result.reads})
        return EXIT_OK
    for file, notes in result.reads.items():
        # What a document gave each field is worth checking before the import, and assumptions
        # (an encoding, references made up) are said whether or not it is a dry run.
        shown = notes if args.dry_run else [n for n in notes if _is_assumption(n)]
        if shown:
            print(f"{file}:")
            for note in shown:
                print(f"  {visible(note)}")
    verb = "would be" if args.dry_run else "were"
    lines = result.lines()
    if args.dry_run:
        lines[-1] += " (dry run: nothing written)"
    for line in lines:
        print(line)
    if result.changes:
        print(f"changes that {verb} made:")
        for line in result.changes:
            print(f"  {line}")
    return EXIT_OK


def _is_assumption(note: str) -> bool:
    return any(word in note for word in ("made from", "read as", "not used", "skipped", "--trust"))


def run_template(args: argparse.Namespace) -> int:
    sys.stdout.write(template_csv())
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from catalogue.export import export_text  # deferred: loads sqlite_utils (start-up time)

    if args.what == "settings" and args.format == "csv":
        raise UsageError("settings hold nested tables: export them with --format toml or json")
    db = open_db(args)
    write_output(export_text(db, args.what, args.format), args.output, force=args.force)
    return EXIT_OK


def run_roles(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: start-up time

    db = open_for_reading(args)
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
    from catalogue import queries  # deferred: start-up time

    db = open_for_reading(args)
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
    from catalogue import queries  # deferred: start-up time

    db = open_for_reading(args)
    columns = ["id", "name", "pillar", "roles"] if args.format == "table" else None
    emit(queries.list_competencies(db), args.format, columns=columns, title="Competencies")
    return EXIT_OK


def run_bands(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: start-up time

    db = open_for_reading(args)
    from catalogue.pay_years import require_pay_year

    rows = queries.list_bands(db, require_pay_year(db, args.pay_year))
    year = rows[0]["pay_year"] if rows else ""
    emit(rows, args.format, title=f"Agenda for Change bands, pay {year}")
    return EXIT_OK


def run_history(args: argparse.Namespace) -> int:
    from catalogue import queries  # deferred: start-up time

    if args.trust is not None and not args.mappings:
        raise UsageError("--trust lists one trust's role mappings: give --mappings too")
    if sum((args.mappings, args.reference, args.own)) > 1:
        raise UsageError("give one of --mappings, --reference and --own")
    db = open_for_reading(args)
    if args.kind is not None and not args.reference:
        raise UsageError("--kind picks the reference changes to list: give --reference too")
    if args.reference:
        kind = None
        if args.kind is not None:
            from catalogue.reference_kinds import kind_named

            named = kind_named(args.kind)
            if named is None:
                raise UsageError(f"--kind {args.kind!r}: not a kind of reference row")
            kind = named.name
        rows = queries.reference_changes(db, kind)
        caption = None if rows else "No reference row has changed since the catalogue was built."
        emit(
            rows,
            args.format,
            columns=queries.REFERENCE_CHANGE_COLUMNS,
            title="Reference changes, newest first",
            caption=caption,
        )
        return EXIT_OK
    if args.own:
        rows = queries.own_rows(db)
        caption = (
            "origin: local = the network's own row, override = its change to a packaged row, "
            "removed = a packaged row it removed. `workforce update` keeps all of these."
            if rows
            else "Every reference row is as packaged."
        )
        emit(
            rows,
            args.format,
            columns=queries.OWN_ROW_COLUMNS,
            title="The network's own reference rows",
            caption=caption,
        )
        return EXIT_OK
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
