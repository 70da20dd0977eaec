"""Training routes: what each one is, whether it is open on a date, and the educator's view of gaps.

A route's status is read against a date: a route marked 'restricted' from 2026-01-01 is open
before that day and restricted from it. A figure no source settled (listed in the route's
`unconfirmed`) is unknown, never 0; a figure that does not apply (a degree has no apprenticeship
funding cap) is simply absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalogue.bands import band_order
from pathways.records import ProgressionEdge, RoleInfo, RouteInfo

APPRENTICESHIP = "apprenticeship"
# Statuses that stop most people using a route (the status note says who still may).
LIMITED_STATUSES = ("restricted", "closed", "retired")
# Since 1 January 2026 levy funding for level 7 apprenticeships is limited (see status notes):
# a level 7 apprenticeship is flagged even where the catalogue still calls it open.
FLAGGED_APPRENTICESHIP_LEVEL = 7


def status_on(route: RouteInfo, today: date) -> str:
    """The route's status on `today`: a restriction dated later is not in force yet."""
    pending = bool(route.status_from) and date.fromisoformat(route.status_from) > today
    if route.status in LIMITED_STATUSES and pending:
        return "open"
    return route.status


def is_limited(route: RouteInfo, today: date) -> bool:
    """Restricted or closed on `today`."""
    return status_on(route, today) in LIMITED_STATUSES


def sort_key(route: RouteInfo) -> tuple[bool, int, str]:
    """Routes of one move listed shortest first; those of unknown length last."""
    return (route.months is None, route.months or 0, route.id)


def route_entry(route: RouteInfo, today: date) -> dict[str, Any]:
    """A route as the career views show it (JSON-ready)."""
    return {
        "id": route.id,
        "name": route.name,
        "kind": route.kind,
        "level": route.level,
        "months": route.months,
        "funding_cap": route.funding_cap,
        "fee": route.fee,
        "fee_source": route.fee_source,
        "needs_degree": route.needs_degree,
        "standard_ref": route.standard_ref,
        "status": status_on(route, today),
        "status_from": route.status_from,
        "status_note": route.status_note,
        "unconfirmed": list(route.unconfirmed),
    }


def route_warning(route: RouteInfo, today: date) -> dict[str, str] | None:
    """Why a plan that needs this route should be checked, or None if nothing stands out.

    Restricted and closed routes say since when (or from when, if not yet in force) and carry
    their status note; a level 7 apprenticeship is flagged whatever its status says.
    """
    level_7 = route.kind == APPRENTICESHIP and route.level == FLAGGED_APPRENTICESHIP_LEVEL
    if route.status not in LIMITED_STATUSES and not level_7:
        return None
    if route.status in LIMITED_STATUSES:
        in_force = status_on(route, today) == route.status
        when = ""
        if route.status_from:
            when = f" {'since' if in_force else 'from'} {route.status_from}"
        text = f"{route.name} is {route.status}{when}"
    else:
        text = f"{route.name} is a level 7 apprenticeship: check levy funding for the learner"
    if route.status_note:
        text += f": {route.status_note}"
    return {
        "route": route.id,
        "status": route.status,
        "status_from": route.status_from,
        "status_note": route.status_note,
        "text": text,
    }


def routes_into(
    role: str, routes: Mapping[str, RouteInfo], edges: Iterable[ProgressionEdge]
) -> set[str]:
    """Ids of the routes that lead to `role`: those naming it (route_role) and those making a
    move into it (progression_route)."""
    found = {route.id for route in routes.values() if role in route.leads_to}
    for edge in edges:
        if edge.to_role == role:
            found.update(edge.routes)
    return found


# --- The route listing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RouteFilter:
    kind: str | None = None
    level: int | None = None
    leads_to: str | None = None  # a role id: routes naming it or making a move into it


def list_routes(
    routes: Mapping[str, RouteInfo],
    edges: Iterable[ProgressionEdge],
    today: date,
    wanted: RouteFilter = RouteFilter(),
) -> list[dict[str, Any]]:
    """Every route (or those `wanted`), by kind, level and name, with the roles it opens and
    the moves of the career graph it makes."""
    edges = list(edges)
    makes: dict[str, list[str]] = {}
    for edge in edges:
        for route_id in edge.routes:
            makes.setdefault(route_id, []).append(f"{edge.from_role} -> {edge.to_role}")
    into = routes_into(wanted.leads_to, routes, edges) if wanted.leads_to else None
    rows = []
    for route in sorted(routes.values(), key=lambda r: (r.kind, r.level or 0, r.name)):
        if wanted.kind and route.kind != wanted.kind:
            continue
        if wanted.level is not None and route.level != wanted.level:
            continue
        if into is not None and route.id not in into:
            continue
        rows.append(
            {
                **route_entry(route, today),
                "entry_requirements": route.entry_requirements,
                "registration": route.registration,
                "leads_to": list(route.leads_to),
                "makes": makes.get(route.id, []),
                "gives": list(route.gives),
                "source": route.source,
            }
        )
    return rows


# --- The educator's view: where routes are missing ---------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleRoutes:
    """A role and the routes that lead to it (ids, sorted)."""

    role: str
    staff_group: str
    routes: tuple[str, ...]
    entry: bool = False  # no move of the career graph leads to it: people are recruited to it


@dataclass(frozen=True, slots=True)
class RouteGaps:
    as_of: date
    # No apprenticeship route leads to these roles.
    no_apprenticeship: tuple[RoleRoutes, ...]
    # Apprenticeship routes lead to these roles, but every one is restricted or closed.
    apprenticeship_limited: tuple[RoleRoutes, ...]
    # Routes lead to these roles, but every one is restricted or closed.
    only_limited: tuple[RoleRoutes, ...]
    # Rungs no route reaches: no route names them and no move into them has a route.
    unreached: tuple[RoleRoutes, ...]


def _role_order(role: RoleInfo) -> tuple[str, int, str]:
    return (role.staff_group, band_order(role.band_min) if role.band_min else 99, role.id)


def route_gaps(
    roles: Mapping[str, RoleInfo],
    routes: Mapping[str, RouteInfo],
    edges: Iterable[ProgressionEdge],
    today: date,
) -> RouteGaps:
    """Roles no apprenticeship leads to, roles reached only by restricted or closed routes, and
    the rungs of each ladder that no route reaches, on `today`."""
    edges = list(edges)
    entered = {edge.to_role for edge in edges}
    no_apprenticeship: list[RoleRoutes] = []
    apprenticeship_limited: list[RoleRoutes] = []
    only_limited: list[RoleRoutes] = []
    unreached: list[RoleRoutes] = []
    for role in sorted(roles.values(), key=_role_order):
        ids = sorted(routes_into(role.id, routes, edges))
        item = RoleRoutes(role.id, role.staff_group, tuple(ids), entry=role.id not in entered)
        into = [routes[route_id] for route_id in ids if route_id in routes]
        apprenticeships = [route for route in into if route.kind == APPRENTICESHIP]
        if not apprenticeships:
            no_apprenticeship.append(item)
        elif all(is_limited(route, today) for route in apprenticeships):
            apprenticeship_limited.append(item)
        if into and all(is_limited(route, today) for route in into):
            only_limited.append(item)
        if not into:
            unreached.append(item)
    return RouteGaps(
        as_of=today,
        no_apprenticeship=tuple(no_apprenticeship),
        apprenticeship_limited=tuple(apprenticeship_limited),
        only_limited=tuple(only_limited),
        unreached=tuple(unreached),
    )


def gaps_as_dict(
    gaps: RouteGaps, roles: Mapping[str, RoleInfo], routes: Mapping[str, RouteInfo]
) -> dict[str, Any]:
    """The gaps as JSON: unreached rungs grouped by ladder (staff group)."""

    def role_entry(item: RoleRoutes) -> dict[str, Any]:
        return {
            "role": item.role,
            "title": roles[item.role].title,
            "staff_group": item.staff_group,
            "routes_in": list(item.routes),
        }

    def limited_entry(item: RoleRoutes, only_apprenticeships: bool) -> dict[str, Any]:
        chosen = [routes[r] for r in item.routes if r in routes]
        if only_apprenticeships:
            chosen = [r for r in chosen if r.kind == APPRENTICESHIP]
        return {
            **role_entry(item),
            "limited_routes": [
                {
                    "id": r.id,
                    "status": status_on(r, gaps.as_of),
                    "status_from": r.status_from,
                    "status_note": r.status_note,
                }
                for r in chosen
            ],
        }

    ladders: dict[str, list[dict[str, Any]]] = {}
    for item in gaps.unreached:
        ladders.setdefault(item.staff_group, []).append(
            {"role": item.role, "title": roles[item.role].title, "entry": item.entry}
        )
    return {
        "as_of": gaps.as_of.isoformat(),
        "no_apprenticeship": [role_entry(item) for item in gaps.no_apprenticeship],
        "apprenticeship_limited": [
            limited_entry(item, True) for item in gaps.apprenticeship_limited
        ],
        "only_limited": [limited_entry(item, False) for item in gaps.only_limited],
        "unreached_rungs": [
            {"staff_group": group, "roles": items} for group, items in sorted(ladders.items())
        ],
    }


# What each list of RouteGaps finds, as a row says it.
FINDINGS = {
    "no_apprenticeship": "no apprenticeship",
    "apprenticeship_limited": "apprenticeships restricted/closed",
    "only_limited": "every route restricted/closed",
    "unreached": "no route reaches it",
}


def gap_rows(
    gaps: RouteGaps, roles: Mapping[str, RoleInfo], routes: Mapping[str, RouteInfo]
) -> list[dict[str, Any]]:
    """One row per role something is missing for, in ladder order, with every finding: the
    one list the app and `workforce routes --gaps` (table and CSV) both show. A restricted or
    closed route in names its status and since when."""
    found: dict[str, list[str]] = {}
    routes_in: dict[str, tuple[str, ...]] = {}
    for name, finding in FINDINGS.items():
        for item in getattr(gaps, name):
            if name == "unreached":
                finding_text = finding + (
                    " (entry rung)" if item.entry else " (experience or appointment only)"
                )
            else:
                finding_text = finding
            found.setdefault(item.role, []).append(finding_text)
            routes_in[item.role] = item.routes

    def ladder_order(role: str) -> tuple[str, int, str]:
        info = roles.get(role)
        if info is None:
            return ("", 0, role)
        return (info.staff_group, band_order(info.band_min) if info.band_min else 99, role)

    def route_text(route_id: str) -> str:
        route = routes.get(route_id)
        if route is None:
            return route_id
        if not is_limited(route, gaps.as_of):
            return route.name
        since = f" since {route.status_from}" if route.status_from else ""
        return f"{route.name} ({status_on(route, gaps.as_of)}{since})"

    return [
        {
            "role": role,
            "title": roles[role].title if role in roles else role,
            "staff_group": roles[role].staff_group if role in roles else "",
            "findings": "; ".join(found[role]),
            "routes_in": ", ".join(route_text(r) for r in routes_in[role]) or "none",
        }
        for role in sorted(found, key=ladder_order)
    ]
