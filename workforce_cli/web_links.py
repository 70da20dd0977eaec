"""A served app's link (`/?screen=next-step&role=...`): which screen to open with what selected,
from options a browser sent, checked strictly before any of it reaches a command line.

Pure: the server hands in what the catalogue holds. An option that is wrong is left out and
said (the app opens on the screen it can, and tells the person why), never an error page:
a link in an email outlives the role it named.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from tui.screens.registry import READ_ONLY_HIDDEN, SCREENS, screen_entry

# What an id or ODS code may look like: anything else is not echoed back, let alone passed on.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Link:
    screen: str
    role: str | None = None
    trust: str | None = None
    problems: tuple[str, ...] = ()

    def notice(self) -> str | None:
        """What the app says on opening, when the link was not followed whole."""
        if not self.problems:
            return None
        return "The link was not followed whole: " + "; ".join(self.problems) + "."


@dataclass(frozen=True)
class Opening:
    """Where the server opens the app when a link names nothing (`workforce serve --screen`)."""

    screen: str
    role: str | None = None
    trust: str | None = None


def follow_link(
    screen: str | None,
    role: str | None,
    trust: str | None,
    *,
    opening: Opening,
    roles: Collection[str],
    trusts: Collection[str],
    read_only: bool,
) -> Link:
    """The screen, role and trust to open with, from a link's options (None or "" where the
    link gives none), each checked against the screens and the catalogue."""
    problems: list[str] = []
    if not (screen or role or trust):
        return Link(opening.screen, opening.role, opening.trust)
    chosen_role = _known("role", role, roles, problems, upper=False)
    chosen_trust = _known("trust", trust, trusts, problems, upper=True)
    names = [entry.name for entry in SCREENS]
    wanted = {name for name, value in (("role", chosen_role), ("trust", chosen_trust)) if value}
    chosen: str | None = None
    if screen:
        if screen not in names:
            problems.append(f"no screen {_shown(screen)} (the screens: {', '.join(names)})")
        elif read_only and screen == READ_ONLY_HIDDEN:
            problems.append(f"the {screen} screen changes the catalogue, which is read-only here")
        else:
            chosen = screen
    if chosen is None:
        # The first screen that takes what the link selects (the Network screen for none).
        chosen = next(
            (e.name for e in SCREENS if wanted <= e.selects and e.name != READ_ONLY_HIDDEN),
            opening.screen,
        )
    takes = screen_entry(chosen).selects
    if chosen_role and "role" not in takes:
        problems.append(f"the {chosen} screen selects no role")
        chosen_role = None
    if chosen_trust and "trust" not in takes:
        problems.append(f"the {chosen} screen selects no trust")
        chosen_trust = None
    return Link(chosen, chosen_role, chosen_trust, tuple(problems))


def _known(
    kind: str, value: str | None, known: Collection[str], problems: list[str], *, upper: bool
) -> str | None:
    if not value:
        return None
    if not SAFE_ID.fullmatch(value):
        problems.append(f"the {kind} given is not a {kind} id")
        return None
    value = value.upper() if upper else value
    if value not in known:
        problems.append(f"no {kind} {value!r} in this catalogue")
        return None
    return value


def _shown(value: str) -> str:
    """A value from the link, said back only if it looks like a name."""
    return repr(value) if SAFE_ID.fullmatch(value) else "by that name"
