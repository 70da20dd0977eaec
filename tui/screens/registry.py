"""The app's top-level screens: one entry each, read by the app (keys, palette, modes) and by
`workforce tui --screen` (deep links).

Deliberately free of Textual: the command line reads it to check `--screen`, `--role` and
`--trust` before anything heavy is loaded, and a screen's module is imported only when the
screen is first opened (which keeps the app's start cheap). Adding a screen is one entry in
SCREENS (and taking its name out of PLANNED).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

# What a screen can be opened with selected: `--role ID` and/or `--trust CODE`.
SELECTIONS = ("role", "trust")


@dataclass(frozen=True)
class ScreenEntry:
    name: str  # `--screen NAME`, the palette's "go: NAME", the app mode's name
    title: str  # in the header, the footer and help
    key: str  # the key that opens it from anywhere
    module: str  # where the Screen class lives; imported on first use
    class_name: str
    selects: frozenset[str]  # which of SELECTIONS it accepts
    summary: str  # one line, for the palette and help

    def load(self) -> Any:
        """The screen class; its constructor takes (db_path, *, role=None, trust=None)."""
        return getattr(importlib.import_module(self.module), self.class_name)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        name="network",
        title="Network",
        key="1",
        module="tui.screens.network",
        class_name="NetworkScreen",
        selects=frozenset({"trust"}),
        summary="the network's trusts and their posts",
    ),
    ScreenEntry(
        name="catalogue",
        title="Catalogue",
        key="2",
        module="tui.screens.catalogue",
        class_name="CatalogueScreen",
        selects=frozenset({"role", "trust"}),
        summary="roles, bands and pay, competencies, training routes, trusts",
    ),
)

# Screens the design promises that are not built yet: `--screen` knows their names so it can
# say so plainly rather than call them unknown.
PLANNED: tuple[str, ...] = ("ladders", "next-step", "compare", "harmonise", "routes")

DEFAULT_SCREEN = SCREENS[0].name


def screen_entry(name: str) -> ScreenEntry:
    """The entry of a built screen (KeyError for any other name)."""
    for entry in SCREENS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def screen_names() -> list[str]:
    return [entry.name for entry in SCREENS]
