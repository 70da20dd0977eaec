"""The `workforce` command: the terminal app with no arguments, subcommands for everything else.

Exit codes: 0 done, 1 findings where a command was asked to fail on them, 2 bad input or
usage. This module must never import Textual at module level: the command line has to start
fast, and only `workforce` / `workforce tui` open the app. For the same reason building the
parser loads only argparse and light constants: each command's handler imports the modules it
needs (pydantic, sqlite_utils, Rich, the analyses) when it runs, so `workforce --help` and a
listing pay only for what they use.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence

# From catalogue.errors, not the modules that raise them: those load pydantic and sqlite_utils.
from catalogue.errors import (
    BandError,
    CatalogueError,
    ImportProblem,
    ImportRefused,
    JELevelError,
    OutputRefused,
    ReferenceDataError,
    SchemaError,
)
from workforce_cli import (
    app_command,
    banding_commands,
    career_commands,
    catalogue_commands,
    check_command,
    compare_commands,
    harmonise_commands,
    match_commands,
    passport_commands,
    profile_commands,
    reference_commands,
    report_commands,
    serve_command,
)
from workforce_cli.common import EXIT_BAD_INPUT, EXIT_OK, UsageError
from workforce_cli.output import safe_terminal

BAD_INPUT_ERRORS = (
    BandError,
    CatalogueError,
    ImportProblem,
    ImportRefused,
    JELevelError,
    OutputRefused,
    ReferenceDataError,
    SchemaError,
    UsageError,
)

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workforce",
        description=(
            "Career pathways and role harmonisation for an NHS imaging network. "
            "With no command, opens the terminal app."
        ),
        epilog="Catalogue: --db PATH, else $WORKFORCE_DB, else ./workforce.db.",
    )
    parser.add_argument("--db", metavar="PATH", help="the catalogue file to use")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each module adds its own subcommands; one module per area of the product.
    for module in (
        app_command,
        catalogue_commands,
        check_command,
        reference_commands,
        banding_commands,
        profile_commands,
        match_commands,
        compare_commands,
        harmonise_commands,
        career_commands,
        passport_commands,
        report_commands,
        serve_command,
    ):
        module.register(commands)
    parser.set_defaults(handler=app_command.open_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    if handler is app_command.open_app:  # the app drives the terminal itself
        try:
            return handler(args)
        except BAD_INPUT_ERRORS as error:
            print(f"workforce: error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    with safe_terminal():
        try:
            return handler(args)
        except BAD_INPUT_ERRORS as error:
            print(f"workforce: error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except sqlite3.Error as error:  # busy, read-only, full, damaged: a cause, not a trace
            from catalogue.store import database_trouble, resolve_db_path

            where = resolve_db_path(getattr(args, "db", None))
            print(f"workforce: error: {where}: {database_trouble(error)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except BrokenPipeError:  # `workforce export jds | head` is not an error
            return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
