"""The Workforce Pathways terminal app: one factory, used by `workforce` and by the tests."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from catalogue import queries  # light: sqlite3 alone (the first screen reads with it)
from catalogue.control_characters import visible
from tui.background import OWN_WRITES, reader_in_thread, report_failure
from tui.fitting import shortened_path
from tui.messages import CatalogueChanged, CatalogueSummarised
from tui.read_only import refuses_writing
from tui.screens.registry import (
    DEFAULT_SCREEN,
    READ_ONLY_HIDDEN,
    SCREENS,
    ScreenEntry,
    screen_entry,
)

THEMES = {"dark": "textual-dark", "light": "textual-light"}

# The header's title sits between its icon (8 cells) and the space kept for a clock (10).
HEADER_SIDES = 8 + 10

Stamp = tuple[int, int, int] | None


def file_stamp(path: Path) -> Stamp:
    """What changes when a program commits to the catalogue file: its identity, size and time
    of change (a rollback-journal commit writes the file itself). None: not there now."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _go_binding(entry: ScreenEntry) -> Binding:
    return Binding(
        entry.key,
        f"go('{entry.name}')",
        entry.title,
        id=f"go-{entry.name}",
        tooltip=f"Open the {entry.title} screen: {entry.summary}",
    )


class WorkforceApp(App[None]):
    """The app shell: one mode per top-level screen (each keeps its own state and stack),
    opened on `screen` with `role` or `trust` selected there."""

    TITLE = "Workforce Pathways"
    CSS_PATH = "app.tcss"
    # The app starts straight in the first screen's mode (no empty default screen first).
    DEFAULT_MODE = DEFAULT_SCREEN
    # The catalogue's detail panels sit beside their table when there is room, over it when not.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        *(_go_binding(entry) for entry in SCREENS),
        Binding(
            "ctrl+t", "toggle_theme", "Theme", id="theme", show=False, tooltip="Dark or light theme"
        ),
        # Not in the footer (Textual's usual key; in the help and the palette), which keeps
        # room in 80 columns for the keys that move between screens.
        Binding(
            "ctrl+q", "quit", "Quit", id="quit", tooltip="Leave the app", priority=True, show=False
        ),
    ]

    # How often the app looks whether another program changed the catalogue (a stat of the
    # file, not a query: it never waits on a lock).
    CATALOGUE_WATCH_SECONDS = 2.0

    # How many of the catalogue's JDs are illustrative (None until read): the header and the
    # Network screen's warning watch it, so the catalogue is asked once.
    illustrative_jds: reactive[int | None] = reactive(None)

    def __init__(
        self,
        db_path: Path,
        *,
        screen: str = DEFAULT_SCREEN,
        role: str | None = None,
        trust: str | None = None,
        read_only: bool = False,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        # Served to a browser unless asked otherwise: nothing changes the catalogue (the
        # screens refuse their editing keys; SQLite opens the file read-only besides).
        self.read_only = read_only
        self._notice = notice  # said once the app has started (a deep link not followed)
        self.initial_screen = screen_entry(screen).name
        self._selection = {"role": role, "trust": trust}
        self._built: dict[str, Screen[Any]] = {}  # each mode's screen, once built
        self._said_newer_data = False
        self._stamp = file_stamp(db_path)  # the catalogue file as the screens last read it
        self.sub_title = str(db_path)
        for entry in SCREENS:
            # Each screen's module is imported the first time the screen is opened.
            self.add_mode(entry.name, partial(self._build_screen, entry))

    def _build_screen(self, entry: ScreenEntry) -> Screen[Any]:
        selected: dict[str, str | None] = {}
        if entry.name == self.initial_screen:  # the deep link selects on its screen only
            selected = {name: value for name, value in self._selection.items() if value}
        screen: Screen[Any] = entry.load()(self.db_path, **selected)
        self._built[entry.name] = screen
        return screen

    def on_mount(self) -> None:
        if self.initial_screen != self.current_mode:  # a deep link to another screen
            self.switch_mode(self.initial_screen)
        self.summarise_catalogue()
        self.set_interval(self.CATALOGUE_WATCH_SECONDS, self.watch_catalogue_file)
        if self._notice:
            self.notify(self._notice, title="Link", severity="warning", timeout=12, markup=False)

    def watch_catalogue_file(self) -> None:
        """Another program (an import in another terminal) changed the catalogue: have every
        screen show it as it is now, keeping what the user was doing."""
        if OWN_WRITES.busy() or not self.is_running:
            return  # ours may be writing (look again next time), or the app is closing
        stamp = file_stamp(self.db_path)
        if OWN_WRITES.take_written():  # our own change: the screens show it already
            self._stamp = stamp
        elif stamp != self._stamp:
            self._stamp = stamp
            self.post_message(CatalogueChanged(elsewhere=True))

    # -- the header: which catalogue, and whether its JDs are illustrative -------------------

    @work(thread=True, exclusive=True, group="summary", exit_on_error=False)
    def summarise_catalogue(self) -> None:
        from catalogue.release import newer_data_notice

        with reader_in_thread(self.db_path) as db:
            summary = CatalogueSummarised(queries.illustrative_jds(db), newer_data_notice(db))
        self.post_message(summary)

    def on_catalogue_summarised(self, event: CatalogueSummarised) -> None:
        self.illustrative_jds = event.illustrative
        if event.newer_data and not self._said_newer_data:
            self._said_newer_data = True  # once a session, not on every re-read
            self.notify(
                event.newer_data[0].upper() + event.newer_data[1:] + ".",
                title="Newer reference data",
                timeout=12,
                markup=False,
            )

    def on_catalogue_changed(self, event: CatalogueChanged) -> None:
        """JDs were imported or mapped here, or another program changed the catalogue: read
        the header's figures again, and have every other screen show the catalogue as it is
        now when next opened. A screen holding work
        of the user's (a draft, a dry run) defines `catalogue_changed()` and reads the
        catalogue again itself; any other is built afresh."""
        if not self.is_running:
            return  # closing: its screens are being taken down, not rebuilt
        self.summarise_catalogue()
        self._selection = dict.fromkeys(self._selection)  # a rebuilt screen: no deep link
        if event.elsewhere:
            self.notify(
                "Another program changed the catalogue: the screens show it as it is now.",
                title="Catalogue changed",
                timeout=6,
            )
            # The screens in view read again where they stand (cursor, filter, draft kept);
            # a form open over them checks again when it saves.
            for screen in self.screen_stack:
                show_afresh = getattr(screen, "show_catalogue_afresh", None)
                if callable(show_afresh):
                    show_afresh()
        for entry in SCREENS:
            built = self._built.get(entry.name)
            if built is None or entry.name == self.current_mode:
                continue  # not built yet (it will read the catalogue), or the one in view
            refresh = getattr(built, "catalogue_changed", None)
            if callable(refresh):
                refresh()
            else:
                del self._built[entry.name]
                self.remove_mode(entry.name)
                self.add_mode(entry.name, partial(self._build_screen, entry))

    def watch_illustrative_jds(self) -> None:
        self.mutate_reactive(App.sub_title)  # the header watches the sub-title: redraw it

    def format_title(self, title: str, sub_title: str) -> Content:
        """ "Catalogue · ILLUSTRATIVE JDs — …/network/workforce.db": the screen, whether the JDs
        shown are illustrative, and the catalogue file, its path shortened from the left to fit
        the terminal's width (the file name kept whole), never the warning cut."""
        parts: list[Content | tuple[str, str] | str] = [(title or self.title, "bold")]
        if self.illustrative_jds:
            parts += [" · ", ("ILLUSTRATIVE JDs", "bold $text-warning")]
        if self.read_only:
            parts += [" · ", ("read-only", "bold")]
        if sub_title:  # the catalogue file as given: a path is data, never markup
            room = self.size.width - HEADER_SIDES - Content.assemble(*parts, " — ").cell_length
            path = shortened_path(sub_title, room, os.sep)
            parts += [(" — ", "dim"), Content(path).stylize("dim")]
        return Content.assemble(*parts)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, with any control character from a file (a name holding an
        escape sequence, quoted in an error) shown as \\x1b rather than sent to the terminal."""
        super().notify(
            visible(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    # -- navigation, help, themes ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go" and self.read_only and parameters[:1] == (READ_ONLY_HIDDEN,):
            return False  # importing is all writing: not offered on a read-only catalogue
        # A dialog (help, export, the palette) is answered or closed before moving on.
        return not (action == "go" and isinstance(self.screen, ModalScreen))

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key, click and command runs its action here: on a read-only catalogue an
        action that would change it is refused, saying why (its key is not shown either)."""
        if self.read_only and refuses_writing(self, action, default_namespace):
            self.notify(
                "This catalogue is open read-only here: nothing in it can be changed. "
                "Editing is for the network team's own copy of the app.",
                title="Read-only",
                severity="warning",
                markup=False,
            )
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def action_go(self, name: str) -> None:
        self.switch_mode(name)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        help_markdown = getattr(self.screen, "help_markdown", None)
        if help_markdown is not None:
            self.push_screen(HelpScreen(help_markdown()))

    def action_set_theme(self, name: str) -> None:
        self.theme = THEMES[name]

    def action_toggle_theme(self) -> None:
        self.theme = THEMES["light"] if self.theme == THEMES["dark"] else THEMES["dark"]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): every command named "area: action"."""
        for entry in SCREENS:
            if self.read_only and entry.name == READ_ONLY_HIDDEN:
                continue
            yield SystemCommand(
                f"go: {entry.name}", f"Open the {entry.title} screen", partial(self.go, entry)
            )

        yield SystemCommand(
            "report: board report (Harmonise)",
            "Write the board report (Markdown or HTML), with the Harmonise scenario if any",
            self.board_report,
        )
        screen_commands = getattr(screen, "palette_commands", None)
        if screen_commands is not None:
            yield from screen_commands()
        if getattr(screen, "help_markdown", None) is not None:
            yield SystemCommand("help: this screen", "Its keys and what it shows", self.action_help)
        for name in THEMES:
            yield SystemCommand(
                f"theme: {name}", f"Use the {name} theme", partial(self.action_set_theme, name)
            )
        yield SystemCommand("app: quit", "Leave the app", self.action_quit)

    def go(self, entry: ScreenEntry) -> None:
        self.switch_mode(entry.name)

    def board_report(self) -> None:
        """Harmonise's `w` from anywhere: show Harmonise, then ask where to write."""
        self.switch_mode("harmonise")
        self.call_after_refresh(self._ask_report_file)

    def _ask_report_file(self) -> None:
        from tui.screens.harmonise import HarmoniseScreen

        # Once Harmonise is shown (built on first use), whatever it has opened over itself
        # (a Compare screen) staying: the dialog opens on top.
        for shown in reversed(self.screen_stack):
            if isinstance(shown, HarmoniseScreen):
                shown.action_write_report()
                return


def make_app(
    db_path: Path,
    *,
    screen: str = DEFAULT_SCREEN,
    role: str | None = None,
    trust: str | None = None,
    read_only: bool = False,
    notice: str | None = None,
) -> WorkforceApp:
    """Build the app over the catalogue at `db_path` (which must exist), opened on `screen`
    with `role` or `trust` selected there (the caller checks they exist); `read_only`
    refuses every change to the catalogue; `notice` is said once the app has started."""
    return WorkforceApp(
        db_path, screen=screen, role=role, trust=trust, read_only=read_only, notice=notice
    )
