"""`workforce serve`: the terminal app in a web browser, through textual-serve.

Each browser tab's websocket starts its own app process (`workforce tui`, read-only unless
`--allow-edits`) and ends it when the tab closes. What textual-serve leaves to us: the link.
Its page connects to a fixed websocket URL (adding the tab's size to its query), so a link's
options (`/?screen=next-step&role=...`) are carried in the websocket's path instead, and
checked (workforce_cli/web_links.py) before they reach the app's command line, each quoted.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from workforce_cli.web_links import SAFE_ID, Link, Opening, follow_link

log = logging.getLogger("textual-serve")

NONE = "_"  # a link option not given, in the websocket's path
NOT_A_NAME = "~"  # one given that could not be a name (refused, and said, when it connects)


def _in_path(value: str | None) -> str:
    if not value:
        return NONE
    return value if SAFE_ID.fullmatch(value) else NOT_A_NAME


class WorkforceServer(Server):
    def __init__(
        self,
        db_path: Path,
        *,
        host: str,
        port: int,
        opening: Opening,
        read_only: bool,
        public_url: str | None = None,
    ) -> None:
        super().__init__("workforce", host=host, port=port, title="Workforce Pathways")
        self.db_path = db_path.absolute()  # the app processes may start elsewhere
        self.opening = opening
        self.read_only = read_only
        # None: the address the browser used (so a server on 0.0.0.0 works by its name).
        self.given_public_url = public_url.rstrip("/") if public_url else None
        self.sockets: set[web.WebSocketResponse] = set()  # the tabs open now

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping the server (ctrl+c) closes every tab's websocket, which ends its app;
        aiohttp would otherwise wait for each browser to leave."""
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{screen}/{role}/{trust}", self.handle_websocket, name="link-ws")
        return app

    async def on_startup(self, app: web.Application) -> None:
        mode = "read-only" if self.read_only else "EDITS ALLOWED"
        where = self.given_public_url or f"http://{self.host}:{self.port}"
        self.console.print(
            f"Serving Workforce Pathways ({mode}) on {where}, catalogue {self.db_path}",
            markup=False,
            highlight=False,
        )
        self.console.print("Press Ctrl+C to stop.", markup=False)

    def _public_url(self, request: web.Request) -> str:
        return self.given_public_url or f"{request.scheme}://{request.host}"

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: textual-serve's, its websocket pointed at the link's options."""
        base = self._public_url(request)
        query = request.query
        # Quoted into the path by the router; checked when the websocket connects (anyone
        # can open a websocket URL without this page).
        path = request.app.router["link-ws"].url_for(
            screen=_in_path(query.get("screen")),
            role=_in_path(query.get("role")),
            trust=_in_path(query.get("trust")),
        )
        scheme, rest = f"{base}{path}".split(":", 1)
        static = request.app.router["static"].url_for(filename="/")
        return {
            "font_size": to_int(query.get("fontsize", "16"), 16),
            "app_websocket_url": ("wss:" if scheme == "https" else "ws:") + rest,
            "config": {"static": {"url": f"{base}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    def _link(self, request: web.Request) -> Link:
        def option(name: str) -> str | None:
            value = request.match_info.get(name, NONE)
            return None if value == NONE else value

        from catalogue.store import open_catalogue
        from pathways.records import load_roles, load_trusts

        db = open_catalogue(self.db_path, read_only=True)
        try:
            roles, trusts = set(load_roles(db)), set(load_trusts(db))
        finally:
            db.close()
        return follow_link(
            option("screen"),
            option("role"),
            option("trust"),
            opening=self.opening,
            roles=roles,
            trusts=trusts,
            read_only=self.read_only,
        )

    def app_command(self, link: Link) -> str:
        """The shell command for one session's app: every part quoted; `exec`, so the app is
        the session's process itself (what ends when the tab closes)."""
        argv = [sys.executable, "-m", "workforce_cli.main", "tui", "--db", str(self.db_path)]
        argv += ["--screen", link.screen]
        if link.role:
            argv += ["--role", link.role]
        if link.trust:
            argv += ["--trust", link.trust]
        if self.read_only:
            argv.append("--read-only")
        notice = link.notice()
        if notice:
            argv += ["--notice", notice]
        return "exec " + shlex.join(argv)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: its own app process, from start to the tab closing (as
        textual-serve's own handler, with the command made for this tab's link)."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            link = await asyncio.to_thread(self._link, request)
            await websocket.prepare(request)
            self.sockets.add(websocket)
            app_service = AppService(
                self.app_command(link),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,  # type: ignore[arg-type]  # as textual-serve passes it
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            self.sockets.discard(websocket)
            if app_service is not None:
                await app_service.stop()
        return websocket
