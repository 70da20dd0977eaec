"""`workforce` with no command (or `workforce tui`): open the terminal app.

Kept apart from the other commands so that only this path imports Textual, and only when run.
Deep links (`--screen`, `--role`, `--trust`) are checked against the catalogue before the app
opens, so a mistyped one is an error on the command line (exit 2), not an empty screen.
"""

from __future__ import annotations

import argparse
from typing import Any

# The registry of screens is plain data (no Textual): reading it here costs nothing.
from tui.screens.registry import (
    DEFAULT_SCREEN,
    READ_ONLY_HIDDEN,
    SCREENS,
    screen_entry,
    screen_names,
)
from workforce_cli.common import EXIT_OK, UsageError, catalogue_path, db_option, open_db


def register(commands: Any) -> None:
    """Add `workforce tui` to the `workforce` parser."""
    tui = commands.add_parser(
        "tui",
        parents=[db_option()],
        help="open the terminal app (the same as `workforce` alone)",
        description=(
            "Open the terminal app on the catalogue, optionally straight onto a screen with a "
            "role or trust selected there."
        ),
        epilog="Screens: "
        + "; ".join(f"{entry.name} ({entry.summary})" for entry in SCREENS)
        + ".",
    )
    tui.add_argument(
        "--screen",
        choices=screen_names(),
        help=f"the screen to open on (default {DEFAULT_SCREEN}, or the first that takes "
        "the --role/--trust given)",
    )
    tui.add_argument(
        "--role", metavar="ID", help="select this reference role (see `workforce roles`)"
    )
    tui.add_argument(
        "--trust", metavar="CODE", help="select this trust, by ODS code (see `workforce trusts`)"
    )
    tui.add_argument(
        "--read-only",
        action="store_true",
        help="open the catalogue read-only: no import, matching, editing or saving of "
        "scenarios (what `workforce serve` gives a browser unless --allow-edits)",
    )
    # Said once the app has started: `workforce serve` tells a browser why its link's options
    # were not followed. Not for people, so not in --help.
    tui.add_argument("--notice", help=argparse.SUPPRESS)
    tui.set_defaults(handler=open_app)


def chosen_screen(screen: str | None, role: str | None, trust: str | None) -> str:
    """The screen to open: the one asked for (if it takes the selection given),
    else the first that takes it. Raises UsageError saying what is wrong."""
    wanted = {name for name, value in (("role", role), ("trust", trust)) if value}
    if screen is not None:
        entry = screen_entry(screen)
        refused = sorted(wanted - entry.selects)
        if refused:
            takers = [e.name for e in SCREENS if set(refused) <= e.selects]
            raise UsageError(
                f"the {screen} screen takes no --{refused[0]}"
                + (f" (the {', '.join(takers)} screen does)" if takers else "")
            )
        return entry.name
    for entry in SCREENS:
        if wanted <= entry.selects:
            return entry.name
    raise UsageError("no screen takes both --role and --trust together")


def open_app(args: argparse.Namespace) -> int:
    role: str | None = getattr(args, "role", None)
    trust: str | None = getattr(args, "trust", None)
    read_only: bool = getattr(args, "read_only", False)
    screen = chosen_screen(getattr(args, "screen", None), role, trust)
    if read_only and screen == READ_ONLY_HIDDEN:
        raise UsageError(f"the {screen} screen changes the catalogue: not with --read-only")
    if read_only:  # not built, not migrated: nothing written
        from catalogue.store import open_catalogue

        db = open_catalogue(catalogue_path(args), read_only=True)
    else:
        # The app builds a missing catalogue wherever it is named, saying so (its issue: "if
        # none exists, one is built from the packaged data"); other commands build only the
        # default.
        db = open_db(args, build="any")
    try:
        if role is not None:
            role = _known_role(db, role)
        if trust is not None:
            trust = _known_trust(db, trust)
    finally:
        db.close()
    from tui.app import make_app  # deferred: the rest of the command line never loads Textual

    make_app(
        catalogue_path(args),
        screen=screen,
        role=role,
        trust=trust,
        read_only=read_only,
        notice=getattr(args, "notice", None),
    ).run()
    return EXIT_OK


def _known_role(db: Any, role: str) -> str:
    from pathways.records import load_roles

    if role not in load_roles(db):
        raise UsageError(f"unknown role {role!r}: `workforce roles` lists the reference roles")
    return role


def _known_trust(db: Any, trust: str) -> str:
    from pathways.records import load_trusts

    trusts = load_trusts(db)
    code = trust.strip().upper()  # ODS codes are upper case; accept them typed in lower
    if code not in trusts:
        raise UsageError(f"unknown trust {trust!r}: `workforce trusts` lists the ODS codes")
    return code
