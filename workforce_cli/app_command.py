"""`workforce` with no command (or `workforce tui`): open the terminal app.

Kept apart from the other commands so that only this path imports Textual, and only when run.
"""

from __future__ import annotations

import argparse
from typing import Any

from workforce_cli.common import EXIT_OK, catalogue_path, db_option, open_db


def register(commands: Any) -> None:
    """Add `workforce tui` to the `workforce` parser."""
    tui = commands.add_parser(
        "tui",
        parents=[db_option()],
        help="open the terminal app (the same as `workforce` alone)",
        description="Open the terminal app on the catalogue.",
    )
    tui.set_defaults(handler=open_app)


def open_app(args: argparse.Namespace) -> int:
    open_db(args).close()  # builds the catalogue first if there is none, saying so
    from tui.app import make_app  # deferred: the rest of the command line never loads Textual

    make_app(catalogue_path(args)).run()
    return EXIT_OK
