"""`workforce` with no command (or `workforce tui`): open the terminal app.

Kept apart from the other commands so that only this path imports Textual.
"""

from __future__ import annotations

import argparse

from workforce_cli.common import EXIT_OK, catalogue_path, open_db


def open_app(args: argparse.Namespace) -> int:
    open_db(args).close()  # builds the catalogue first if there is none, saying so
    from tui.app import make_app

    make_app(catalogue_path(args)).run()
    return EXIT_OK
