"""A JE factor level as panels and national profiles write it: "4", "4a", "3ab", "2-3".

One reader for every place a level is written: `workforce je --levels`, JD files, the job
evaluation table of a Word JD, a JE profile's factor ranges, and a JD's levels as the catalogue
holds them (job_description.je_levels: each factor as written, space-separated, "4a 6 5 ...").

- A sub-level letter ("4a", "3b", "3ab") records where within a level a panel placed the job.
  The JE scheme scores levels only, so "4a" scores as level 4; the letter is kept as written,
  for showing, never dropped silently.
- A range ("2-3", also written with an en dash) is a level the panel or profile leaves open
  between two levels: it scores as a range, its lower level's points to its upper level's.
  Each end may carry a letter ("3b-4a").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ONE = r"([1-9])\s*([a-dA-D]{0,2})"
# "4", "4a", "3ab", "2-3", "2 - 3", "2–3", "3b-4a": whole text, nothing else.
_WRITTEN = re.compile(rf"^\s*{_ONE}(?:\s*[-–]\s*{_ONE})?\s*$")


@dataclass(frozen=True, slots=True)
class Level:
    """One factor's level: the lowest and highest whole level it means, and how it was written."""

    low: int
    high: int
    written: str  # as given, tidied of spaces: "4a", "2-3"

    def __str__(self) -> str:
        return self.written

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def is_plain(self) -> bool:
        """A whole level with no letter: "4", not "4a" or "2-3"."""
        return self.written == str(self.low) and not self.is_range


def read_level(value: object) -> Level | None:
    """The level written in `value` (text or a whole number); None when it is not one.

    A reversed range ("3-2") is read as written, low above high: callers refuse it with the
    factor named (see `check_level`).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Level(value, value, str(value))
    if isinstance(value, float) and value.is_integer():
        return Level(int(value), int(value), str(int(value)))
    if not isinstance(value, str):
        return None
    match = _WRITTEN.match(value)
    if match is None:
        return None
    low, low_letters, high, high_letters = match.groups()
    written = f"{low}{low_letters}"
    if high is None:
        return Level(int(low), int(low), written)
    return Level(int(low), int(high), f"{written}-{high}{high_letters}")


def is_level_text(text: str) -> bool:
    """Whether a table cell holds a level and nothing else ("4a", "2-3"), not a label."""
    return read_level(text) is not None


def check_level(level: Level, top: int) -> str | None:
    """What is wrong with a level for a factor of levels 1..top, in words; None when fine."""
    if level.low > level.high:
        return f"{level.written!r} runs high to low (write the lower level first)"
    if not 1 <= level.low <= top or not 1 <= level.high <= top:
        return f"level {level.written!r} is outside 1-{top}"
    return None


def write_levels(levels: Iterable[Level]) -> str:
    """A JD's levels as the catalogue holds them and CSV writes them: "4a 6 5 ...", as written."""
    return " ".join(level.written for level in levels)


def read_levels(text: str | None) -> tuple[Level, ...] | None:
    """A JD's levels as the catalogue holds them ("4a 6 5 ..."; older catalogues: "4 6 5 ...");
    None when it has none. Raises ValueError naming a part that is not a level."""
    if not text or not text.split():
        return None
    levels = []
    for number, part in enumerate(text.split(), start=1):
        level = read_level(part)
        if level is None:
            raise ValueError(f"JE levels {text!r}: factor {number} {part!r} is not a level")
        levels.append(level)
    return tuple(levels)


def level_value(level: Level) -> int | str:
    """A level as TOML and JSON write it: a number when whole ("4" -> 4), else its text ("4a"),
    so exports of plain levels stay lists of numbers and a letter is never lost."""
    return level.low if level.is_plain else level.written
