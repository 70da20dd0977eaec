"""Closed vocabularies shared by the data model, the analyses and the command line's choices.

Kept free of pydantic so the command line can offer them as choices without loading the
models (start-up time); models.py validates route kinds against ROUTE_KINDS.
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

# A harmonisation plan's assumptions. pathways.harmonise checks them; the command line offers
# them as --pay-point and --basis choices, and cannot import pathways.harmonise to do so: it
# loads sqlite_utils, which building the parser must not (start-up time).

# The pay point a person names, and the catalogue's name for it (pay_point.point).
PAY_POINTS: dict[str, str] = {"entry": "entry", "mid": "intermediate", "top": "top"}
# Which WTE a plan costs: the staff in post, or the funded establishment.
BASES: tuple[str, ...] = ("in_post", "funded")
