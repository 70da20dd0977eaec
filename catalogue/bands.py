"""Agenda for Change band codes: the one place that parses and orders them.

Every band written by a person (in a CSV, a TOML file, a command-line flag) goes through
`parse_band`, so "Band 8a", "B8A" and "8a" all become the code "8a", and anything else is
refused with a message that lists what is allowed.
"""

from __future__ import annotations

import re

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import BandError as BandError

# Ordered low to high. Band 1 is closed to new entrants but old posts still carry it.
BAND_CODES: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")

# Bands are compared by their position here, never as text ("8a" < "9" but "10" > "9").
BAND_ORDER: dict[str, int] = {code: index for index, code in enumerate(BAND_CODES)}

ALLOWED_TEXT = "1-9 or 8a-8d, optionally written 'Band 5', 'B5' or '8A'"

_BAND_PATTERN = re.compile(r"^(?:band|b)?\s*(?P<code>[1-79]|8\s*[a-d])$", re.IGNORECASE)


def parse_band(value: object) -> str:
    """Return the canonical band code for `value`, or raise BandError saying what is allowed.

    Whole numbers (5, or 5.0 from a JSON file) are accepted as well as text.
    """
    if isinstance(value, bool):  # bool is an int in Python; True is not a band
        raise BandError(f"{value!r} is not a band: use {ALLOWED_TEXT}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise BandError(f"{value!r} is not a band: use {ALLOWED_TEXT}")
    text = value.strip()
    if not text:
        raise BandError(f"the band is empty: use {ALLOWED_TEXT}")
    match = _BAND_PATTERN.match(text)
    if match is None:
        raise BandError(f"{text!r} is not a band: use {ALLOWED_TEXT}")
    code = re.sub(r"\s+", "", match.group("code")).lower()
    return code


def band_order(code: str) -> int:
    """The ordinal of a canonical band code (0 for Band 1)."""
    return BAND_ORDER[code]


def band_distance(a: str, b: str) -> int:
    """How many bands apart two canonical codes are (8a to 8c is 2; 7 to 8a is 1)."""
    return abs(BAND_ORDER[a] - BAND_ORDER[b])


def band_label(code: str | None) -> str:
    """How a band is shown to people: 'Band 8a', or 'no AfC band' for medical pay."""
    return f"Band {code}" if code else "no AfC band"
