"""Checks of what is typed in a form's fields: each says why a value will not do, or None.

Pure functions (no widgets), so the forms' checks are the same everywhere and tested alone.
"""

from __future__ import annotations

import re

# The catalogue's ids (catalogue.models.Slug): lowercase words joined by hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_LENGTH = (2, 80)


def slug_problem(value: str) -> str | None:
    """Why `value` is not an id the catalogue takes, or None."""
    if not value:
        return "Give an id: lowercase letters and digits, words joined by '-'."
    least, most = SLUG_LENGTH
    if not least <= len(value) <= most:
        return f"An id is {least} to {most} characters long (this is {len(value)})."
    if not SLUG.match(value):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
        hint = f" (such as {suggestion!r})" if SLUG.match(suggestion) else ""
        return (
            "An id is lowercase letters and digits, words joined by single '-', with no "
            f"spaces{hint}."
        )
    return None


def whole_number(text: str) -> int | None:
    """`text` as a whole number ('12', '£12,000'), or None when it is not one."""
    cleaned = text.strip().lstrip("£").replace(",", "")
    if not cleaned.isdigit():  # no sign, no point: "-3" and "1.5" are not taken
        return None
    return int(cleaned)


def number_problem(
    text: str, noun: str, *, least: int, most: int | None = None, required: bool = False
) -> str | None:
    """Why `text` is not a whole number of `noun` from `least` (to `most`), or None. Empty
    is fine unless `required` (an optional figure left empty is not known)."""
    if not text.strip():
        return f"Give the {noun}." if required else None
    value = whole_number(text)
    if value is None:
        return f"The {noun} is a whole number, such as 12."
    if value < least or (most is not None and value > most):
        span = f"from {least} to {most}" if most is not None else f"{least} or more"
        return f"The {noun} is {span}."
    return None


def text_problem(text: str, noun: str, *, required: bool = False, most: int = 200) -> str | None:
    """Why `text` is not one line of text of at most `most` characters, or None."""
    if not text.strip():
        return f"Give the {noun}." if required else None
    if len(text) > most:
        return f"The {noun} has at most {most} characters (this has {len(text)})."
    if not text.isprintable():
        return f"The {noun} is printable text on one line."
    return None
