"""Closed vocabularies shared by the data model and the command line's option choices.

Kept free of pydantic so the command line can offer them as choices without loading the
models (start-up time); models.py validates against the same tuples.
"""

from __future__ import annotations

ROUTE_KINDS: tuple[str, ...] = (
    "apprenticeship",
    "undergraduate",
    "postgraduate",
    "in-house",
    "return to practice",
    "international",
    "specialty training",
)
