"""Career ladders: the roles of a staff group in rung order, and the moves up and across.

A rung's place is its lowest band (band_min), then its career level, then its highest band;
roles on medical pay have no band and are ordered by career level alone. The moves shown are
every edge leaving a rung of the ladder (up it, across it, or out to another ladder), and, apart,
the ways into the ladder from others.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalogue.bands import band_order
from pathways.records import ProgressionEdge, RoleInfo, RouteInfo
from pathways.routes import route_entry, sort_key

# Low to high. Used to order rungs of equal band, and medical roles (which have no band).
CAREER_LEVEL_ORDER: tuple[str, ...] = (
    "support worker",
    "senior support worker",
    "trainee",
    "assistant practitioner",
    "doctor in training",
    "practitioner",
    "enhanced",
    "manager",
    "advanced",
    "consultant",
)


class UnknownStaffGroup(ValueError):
    """A staff group id the catalogue does not hold."""


def career_level_rank(level: str) -> int:
    if level in CAREER_LEVEL_ORDER:
        return CAREER_LEVEL_ORDER.index(level)
    return len(CAREER_LEVEL_ORDER)


def rung_key(role: RoleInfo) -> tuple[int, int, int, int, str]:
    """Sort key, lowest rung first: AfC roles by band, then medical roles by career level."""
    if role.band_min is None:
        return (1, 0, career_level_rank(role.career_level), 0, role.id)
    band_max = role.band_max or role.band_min
    return (
        0,
        band_order(role.band_min),
        career_level_rank(role.career_level),
        band_order(band_max),
        role.id,
    )


def band_range(role: RoleInfo) -> str:
    """'8a-8b', '5', or 'medical pay' for a role with no AfC band."""
    if role.band_min is None:
        return "medical pay"
    if role.band_max and role.band_max != role.band_min:
        return f"{role.band_min}-{role.band_max}"
    return role.band_min


@dataclass(frozen=True, slots=True)
class Ladder:
    staff_group: str
    name: str
    rungs: tuple[RoleInfo, ...]  # lowest first
    edges: tuple[ProgressionEdge, ...]  # leaving a rung: up, across, or out of the ladder
    entries: tuple[ProgressionEdge, ...]  # into a rung from another ladder

    def rung_ids(self) -> set[str]:
        return {role.id for role in self.rungs}

    def edges_from(self, role: str) -> list[ProgressionEdge]:
        """Moves from one rung: up first, then across; each by destination rung."""
        return sorted(
            (edge for edge in self.edges if edge.from_role == role),
            key=lambda edge: (edge.kind != "up", edge.to_role),
        )


def find_staff_group(text: str, groups: Mapping[str, str]) -> str:
    """The id of the staff group named by `text`: its id or its name, in any case ("Radiography"
    is radiography); UnknownStaffGroup naming the nearest and the known ones otherwise."""
    wanted = " ".join(text.split()).casefold()
    for group_id, name in groups.items():
        if wanted in (group_id.casefold(), " ".join(name.split()).casefold()):
            return group_id
    by_id = {group_id.casefold(): group_id for group_id in groups}
    by_name = {name.casefold(): group_id for group_id, name in groups.items()}
    close = [by_id[key] for key in difflib.get_close_matches(wanted, list(by_id), n=3)]
    close += [
        by_name[key]
        for key in difflib.get_close_matches(wanted, list(by_name), n=2)
        if by_name[key] not in close
    ]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UnknownStaffGroup(
        f"no staff group {text!r}{hint}; known: {', '.join(sorted(groups))} "
        "(`workforce ladder` lists them with their names)"
    )


def build_ladder(
    staff_group: str,
    groups: Mapping[str, str],
    roles: Mapping[str, RoleInfo],
    edges: Iterable[ProgressionEdge],
) -> Ladder:
    """The ladder of `staff_group` (its id or name, any case: see find_staff_group);
    UnknownStaffGroup (naming the known ones) if there is none."""
    staff_group = find_staff_group(staff_group, groups)
    rungs = tuple(sorted((r for r in roles.values() if r.staff_group == staff_group), key=rung_key))
    ids = {role.id for role in rungs}
    edges = list(edges)
    return Ladder(
        staff_group=staff_group,
        name=groups[staff_group],
        rungs=rungs,
        edges=tuple(edge for edge in edges if edge.from_role in ids),
        entries=tuple(edge for edge in edges if edge.to_role in ids and edge.from_role not in ids),
    )


def edge_routes(edge: ProgressionEdge, routes: Mapping[str, RouteInfo]) -> list[RouteInfo]:
    """The routes making a move, shortest first (unknown lengths last)."""
    return sorted((routes[r] for r in edge.routes if r in routes), key=sort_key)


def ladder_as_dict(
    ladder: Ladder,
    roles: Mapping[str, RoleInfo],
    routes: Mapping[str, RouteInfo],
    today: date,
) -> dict[str, Any]:
    """The ladder as JSON: rungs lowest first, edges with their routes."""
    rung_ids = ladder.rung_ids()

    def edge_entry(edge: ProgressionEdge) -> dict[str, Any]:
        return {
            "from": edge.from_role,
            "to": edge.to_role,
            "kind": edge.kind,
            "months_in_post": edge.months_in_post,
            "routes": [route_entry(route, today) for route in edge_routes(edge, routes)],
            "note": edge.note,
            "leaves_group": edge.to_role not in rung_ids,
            "to_staff_group": roles[edge.to_role].staff_group,
        }

    routes_named: dict[str, list[str]] = {}
    for route in routes.values():
        for role in route.leads_to:
            routes_named.setdefault(role, []).append(route.id)
    return {
        "staff_group": ladder.staff_group,
        "name": ladder.name,
        "rungs": [
            {
                "role": role.id,
                "title": role.title,
                "band_min": role.band_min,
                "band_max": role.band_max,
                "bands": band_range(role),
                "career_level": role.career_level,
                "registration": role.registration,
                "pay_system": role.pay_system,
                "routes_in": sorted(routes_named.get(role.id, [])),
            }
            for role in ladder.rungs
        ],
        "edges": [edge_entry(edge) for edge in ladder.edges],
        "entries": [
            {**edge_entry(edge), "from_staff_group": roles[edge.from_role].staff_group}
            for edge in ladder.entries
        ],
    }
