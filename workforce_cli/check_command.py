"""`workforce check`: the catalogue's integrity, as a person or a scheduled job would ask."""

from __future__ import annotations

import argparse
from typing import Any

from workforce_cli.common import EXIT_FINDINGS, EXIT_OK, catalogue_path, db_option


def register(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        parents=[db_option()],
        help="check the catalogue is whole and consistent (exit 1 with a list if not)",
        description="Check the catalogue: SQLite's integrity and foreign-key checks (a damaged "
        "page, a row naming one that is not there), then pay years missing points and JDs "
        "left on a role merged into another. Exit 0 when clean, 1 with one line per finding.",
    )
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    from catalogue.check import findings  # deferred: start-up time
    from workforce_cli.common import open_db

    db = open_db(args, build="never")
    found = findings(db)
    where = catalogue_path(args)
    if not found:
        print(f"{where}: no problems found")
        return EXIT_OK
    print(f"{where}: {len(found)} problem{'s' if len(found) != 1 else ''}")
    for line in found:
        print(f"  {line}")
    return EXIT_FINDINGS
