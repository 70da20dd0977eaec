"""What reading a trust's own document (a Word JD, an Excel workbook) found, and where.

Shared by the readers (`catalogue.docx_jd`, `catalogue.xlsx_sources`) and the import that
shows their findings: each field read is kept with the place it came from (a table cell, a
paragraph, the page header, a column), so a person can check it before anything is written.
Also the lenient readers of values as people type them in documents: bands ("Agenda for
Change Band 7", "B6", "(Band 8a)"), hours and WTE.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from catalogue.bands import BandError, parse_band
from catalogue.control_characters import CONTROL_CHARACTERS

# "Band 6", "B6", "band 8A", "Agenda for Change Band 7", "AfC band 5", "Band: 8b".
_BAND_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:agenda\s+for\s+change\s+|afc\s+)?(?:pay\s+)?(?:band|b)\s*[-:]?\s*"
    r"([1-9](?:\s?[a-d])?)(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_BARE_BAND = re.compile(r"^\s*([1-9](?:\s?[a-d])?)\s*$", re.IGNORECASE)
# A band written beside a title: "Radiographer (Band 6)", "Radiographer - Band 6",
# "Band 6 Radiographer", "Band 6 - Radiographer".
_BAND_AFTER_TITLE = re.compile(
    r"\s*(?:[-\u2013\u2014,:]\s*|\(\s*)(?:agenda\s+for\s+change\s+|afc\s+)?(?:band|b)\s*"
    r"[1-9](?:\s?[a-d])?\s*\)?\s*$",
    re.IGNORECASE,
)
_BAND_BEFORE_TITLE = re.compile(
    r"^\s*\(?(?:agenda\s+for\s+change\s+|afc\s+)?band\s*[1-9](?:\s?[a-d])?\s*\)?\s*"
    r"(?:[-\u2013\u2014:,]\s*)?",
    re.IGNORECASE,
)
FULL_TIME_HOURS = 37.5  # Agenda for Change full-time working week


def plain_text(text: str) -> str:
    """A document's text with any control character (a stray form feed, an escape pasted in)
    as a space, outer spaces trimmed: what a trust's document says is read as text."""
    return CONTROL_CHARACTERS.sub(" ", text).strip()


# "Band 6/7", "Band 5-6", "B6 / B7": a range, which is not one band.
_BAND_RANGE = re.compile(
    r"(?:band|b)\s*[1-9](?:\s?[a-d])?\s*(?:/|-|\u2013|to|or)\s*(?:band\s*|b)?[1-9]",
    re.IGNORECASE,
)


def find_band(text: str, *, bare: bool = False) -> str | None:
    """The AfC band a piece of text names ("Band 8A" -> "8a"), or None: also None for a range
    ("Band 6/7") or two bands, which are not one band. With `bare`, a value that is only a
    band code ("6", "8a": a Band cell) counts too."""
    if _BAND_RANGE.search(text):
        return None
    found: set[str] = set()
    for match in _BAND_IN_TEXT.finditer(text):
        try:
            found.add(parse_band(match.group(1).replace(" ", "")))
        except BandError:
            continue
    if len(found) == 1:
        return found.pop()
    if found or not bare:
        return None
    bare_band = _BARE_BAND.search(text)
    if bare_band:
        try:
            return parse_band(bare_band.group(1).replace(" ", ""))
        except BandError:
            return None
    return None


def band_note(text: str, band: str | None) -> str | None:
    """Said aloud when a band was read from more than a band ("Band 6 (subject to JE)"), or
    could not be read as one band ("Band 6/7 (developmental)")."""
    if band is None:
        return f"band {text!r} is not one band: the import refuses it (give the band paid now)"
    bare = re.sub(r"(?i)(agenda\s+for\s+change|afc|pay|band|\bb(?=\d))", "", text)
    if re.sub(r"[\s:.()\-]", "", bare).lower() != band:
        return f"band read as {band} from {text!r}"
    return None


def title_without_band(title: str) -> str:
    """A title with a band written beside it taken off: "Sonographer (Band 7)" -> "Sonographer"."""
    cleaned = _BAND_AFTER_TITLE.sub("", title)
    cleaned = _BAND_BEFORE_TITLE.sub("", cleaned)
    return cleaned.strip(" -\u2013\u2014,:") or title.strip()


def wte_from(text: str, *, hours: bool) -> float | None:
    """WTE from a WTE value ("0.8", "1.0 WTE") or, with `hours`, from hours a week ("37.5",
    "22.5 hours per week": a full-time week is 37.5 hours); None if it says neither."""
    if re.search(r"\bfull[\s-]*time\b", text, re.IGNORECASE) and not re.search(r"\d", text):
        return 1.0
    match = re.search(r"\d+(?:\.\d+)?", text)
    if not match:
        return None
    number = float(match.group())
    if hours or number > 2:
        if not 0 < number <= 60:
            return None
        return round(number / FULL_TIME_HOURS, 2)
    return number if 0 < number <= 2 else None


@dataclass
class DocumentRead:
    """One post read from a document: its values, and where each came from."""

    file: str
    values: dict[str, object] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # field -> "table 1, row 2"
    notes: list[str] = field(default_factory=list)  # assumptions said aloud

    def put(self, name: str, value: object, where: str) -> None:
        """Keep the first value found for a field (documents repeat their title)."""
        if name not in self.values and value not in (None, "", [], ()):
            self.values[name] = value
            self.where[name] = where

    def report(
        self, fields: Mapping[str, str], optional: Mapping[str, str] | None = None
    ) -> list[str]:
        """What was read into each field and from where, then what could not be found;
        `optional` fields are named only where found."""
        lines = []
        for name, label in {**fields, **(optional or {})}.items():
            if name in self.values:
                shown = _shown(self.values[name])
                lines.append(f"{label}: {shown} ({self.where[name]})")
            elif name in fields:
                lines.append(f"{label}: not found")
        return lines + self.notes


def _shown(value: object) -> str:
    if isinstance(value, list | tuple):
        return (
            " ".join(str(item) for item in value)
            if all(isinstance(item, int) for item in value)
            else ", ".join(str(item) for item in value)
        )
    text = str(value)
    return repr(text[:77] + "...") if len(text) > 80 else repr(text)
