"""The app's top-level screens: one entry each, read by the app (keys, palette, modes) and by
`workforce tui --screen` (deep links).

Deliberately free of Textual: the command line reads it to check `--screen`, `--role` and
`--trust` before anything heavy is loaded, and a screen's module is imported only when the
screen is first opened (which keeps the app's start cheap). Adding a screen is one entry in
SCREENS.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

# What a screen can be opened with selected: `--role ID` and/or `--trust CODE`.
SELECTIONS = ("role", "trust")


# A NamedTuple, not a dataclass: every `workforce` command reads this module to build its
# parser, and dataclasses (with inspect and re) cost it a quarter of its start-up.
class ScreenEntry(NamedTuple):
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
    ScreenEntry(
        name="ladders",
        title="Ladders",
        key="3",
        module="tui.screens.ladders",
        class_name="LaddersScreen",
        selects=frozenset({"role"}),
        summary="a staff group's career ladder, and a role's pay, competencies and posts",
    ),
    ScreenEntry(
        name="next-step",
        title="My next step",
        key="4",
        module="tui.screens.next_step",
        class_name="NextStepScreen",
        selects=frozenset({"role", "trust"}),
        summary="from where you are: the next rungs, paths to a target, staff passports",
    ),
    ScreenEntry(
        name="compare",
        title="Compare",
        key="5",
        module="tui.screens.compare",
        class_name="CompareScreen",
        selects=frozenset({"role", "trust"}),
        summary="a role's JDs across trusts, and two JDs side by side",
    ),
    ScreenEntry(
        name="harmonise",
        title="Harmonise",
        key="6",
        module="tui.screens.harmonise",
        class_name="HarmoniseScreen",
        selects=frozenset({"trust"}),
        summary="banding flags, and a harmonisation scenario's cost",
    ),
    ScreenEntry(
        name="routes",
        title="Routes",
        key="7",
        module="tui.screens.routes",
        class_name="RoutesScreen",
        selects=frozenset(),
        summary="training routes by kind and level, and where routes are missing",
    ),
    ScreenEntry(
        name="match",
        title="Matching",
        key="8",
        module="tui.screens.matching",
        class_name="MatchingScreen",
        selects=frozenset(),
        summary="map JDs with no reference role to their likely roles, one by one",
    ),
    ScreenEntry(
        name="import",
        title="Import",
        key="9",
        module="tui.screens.importing",
        class_name="ImportScreen",
        selects=frozenset(),
        summary="import JDs from a CSV, TOML or JSON file, after a dry run",
    ),
)

DEFAULT_SCREEN = SCREENS[0].name

# The screen that is all writing (importing JDs from files on the machine running the app):
# not offered at all on a read-only catalogue (`workforce tui --read-only`, `workforce serve`).
READ_ONLY_HIDDEN = "import"


def screen_entry(name: str) -> ScreenEntry:
    """The entry of a built screen (KeyError for any other name)."""
    for entry in SCREENS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def screen_names() -> list[str]:
    return [entry.name for entry in SCREENS]
