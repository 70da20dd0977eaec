"""`workforce serve`: the app in a web browser, for staff who will never open a terminal.

Light to register (argparse only); the web server (aiohttp, textual-serve) loads when run.
"""

from __future__ import annotations

import argparse
from typing import Any

from tui.screens.registry import DEFAULT_SCREEN, READ_ONLY_HIDDEN, screen_names
from workforce_cli.app_command import chosen_screen
from workforce_cli.common import EXIT_OK, UsageError, catalogue_path, db_option, open_db

DEFAULT_HOST = "127.0.0.1"  # nothing is reachable from another machine unless asked
DEFAULT_PORT = 8000


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[db_option()],
        help="serve the app to web browsers (read-only unless --allow-edits)",
        description=(
            "Serve the terminal app to web browsers: each browser tab runs its own copy of "
            "the app, ended when the tab closes. The catalogue is read-only unless "
            "--allow-edits; exports, reports and passports reach the browser as downloads, "
            "never files on this machine. A link opens a screen: "
            "http://HOST:PORT/?screen=next-step&role=ID&trust=CODE."
        ),
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default {DEFAULT_HOST}: this machine only; "
        "0.0.0.0 for every network it is on)",
    )
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers reach the server by, when it is behind a proxy "
        "(https://pathways.example.nhs.uk); default: the address each browser used",
    )
    serve.add_argument(
        "--screen",
        choices=screen_names(),
        help=f"the screen a link without ?screen= opens on (default {DEFAULT_SCREEN})",
    )
    serve.add_argument("--role", metavar="ID", help="the role selected there")
    serve.add_argument("--trust", metavar="CODE", help="the trust selected there")
    serve.add_argument(
        "--allow-edits",
        action="store_true",
        help="let browsers change the catalogue (import, matching, editing, saving "
        "scenarios): for the network team's own use, never a link sent to staff",
    )
    serve.set_defaults(handler=serve_app)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1-65535)")
    return port


def serve_app(args: argparse.Namespace) -> int:
    from workforce_cli.app_command import _known_role, _known_trust
    from workforce_cli.web_links import Opening

    read_only = not args.allow_edits
    screen = chosen_screen(args.screen, args.role, args.trust)
    if read_only and screen == READ_ONLY_HIDDEN:
        raise UsageError(f"the {screen} screen changes the catalogue: serve it --allow-edits")
    # Built or brought up to date here, once: the served apps open it read-only.
    db = open_db(args)
    try:
        role = _known_role(db, args.role) if args.role else None
        trust = _known_trust(db, args.trust) if args.trust else None
    finally:
        db.close()
    from workforce_cli.web_server import WorkforceServer  # deferred: aiohttp is heavy

    WorkforceServer(
        catalogue_path(args),
        host=args.host,
        port=args.port,
        opening=Opening(screen, role, trust),
        read_only=read_only,
        public_url=args.public_url,
    ).serve()
    return EXIT_OK
