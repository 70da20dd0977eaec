"""A staff group's career ladder drawn as a tree: its rungs top first, under each rung the moves
leading on from it (up or across, or out to another ladder), under each move the training
routes that make it; last, the ways into the ladder from other ladders.

Every label is built as a rich Text (a Tree reads a str label as markup). The tree holds no
catalogue connection: the screen hands it a ladder already read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from pathways.ladder import Ladder, band_range, edge_routes
from pathways.records import ProgressionEdge, RoleInfo, RouteInfo
from pathways.routes import status_on
from tui.widgets.centring import CentredUntilUserMoves

ARROWS = {"up": "↑", "lateral": "→"}


@dataclass(frozen=True, slots=True)
class LadderItem:
    """What a node of the tree stands for: a rung, a move, a route, or the ways in."""

    kind: str  # "rung", "move", "route" or "entries"
    role: str | None = None  # the rung's role; for a move, the role it leads to
    route: str | None = None


def in_post_text(months: int) -> str:
    return f"after {months} months in post" if months else "any time"


def route_facts(route: RouteInfo, today: date) -> str:
    """'postgraduate L7, 12 months, cap £12,000, restricted since 2026-01-01'."""
    facts = [route.kind + (f" L{route.level}" if route.level else "")]
    if route.months is not None:
        facts.append(f"{route.months} months")
    elif "months" in route.unconfirmed:
        facts.append("months unknown")
    if route.funding_cap is not None:
        facts.append(f"cap £{route.funding_cap:,}")
    status = status_on(route, today)
    if status != "open":
        facts.append(status + (f" since {route.status_from}" if route.status_from else ""))
    return ", ".join(facts)


def limit_text(route: RouteInfo, today: date) -> str:
    """'RESTRICTED since 2026-01-01' for a route restricted (or closed) today; '' if open."""
    status = status_on(route, today)
    if status == "open":
        return ""
    return status.upper() + (f" since {route.status_from}" if route.status_from else "")


def route_figures(route: RouteInfo) -> list[str]:
    """['level 7', '36 months', 'cap £12,000']: the figures of a route held (or said to be
    unknown) that tell routes apart."""
    figures = []
    if route.level is not None:
        figures.append(f"level {route.level}")
    if route.months is not None:
        figures.append(f"{route.months} months")
    elif "months" in route.unconfirmed:
        figures.append("months unknown")
    if route.funding_cap is not None:
        figures.append(f"cap £{route.funding_cap:,}")
    elif "funding_cap" in route.unconfirmed:
        figures.append("cap unknown")
    return figures


def rung_label(role: RoleInfo, band_width: int) -> Text:
    return Text.assemble(
        (band_range(role).ljust(band_width), "bold"),
        "  ",
        role.title,
        (f"  {role.career_level}", "dim"),
    )


def routes_count(known: Sequence[RouteInfo], today: date) -> str:
    """'no route', '1 route', '2 routes', with those restricted or closed today said:
    '1 route, restricted', '3 routes, 1 restricted', '2 routes, all closed'."""
    if not known:
        return "no route"
    count = f"{len(known)} route{'s' if len(known) != 1 else ''}"
    limited = [status_on(route, today) for route in known]
    limited = [status for status in limited if status != "open"]
    if not limited:
        return count
    status = limited[0] if len(set(limited)) == 1 else "restricted, closed or retired"
    if len(limited) < len(known):
        return f"{count}, {len(limited)} {status}"
    return f"{count}, {status}" if len(known) == 1 else f"{count}, all {status}"


def move_label(
    edge: ProgressionEdge,
    roles: Mapping[str, RoleInfo],
    routes: Mapping[str, RouteInfo],
    ladder: Ladder,
    today: date,
    *,
    groups: Mapping[str, str] | None = None,
    show_from: bool = False,
) -> Text:
    """'↑ Specialist Radiographer  6 · 4 routes · after 24 months in post': where the move
    leads (and the ladder, if it leaves this one), then its routes, then the time in post:
    what matters first, as a line is cut at the tree's edge."""
    target = roles[edge.to_role]
    label = Text(f"{ARROWS.get(edge.kind, '·')} ", style="bold")
    if show_from:
        label.append(f"{roles[edge.from_role].title} → ")
    label.append(target.title)
    elsewhere = ""
    if edge.to_role not in ladder.rung_ids():
        elsewhere = f", {(groups or {}).get(target.staff_group, target.staff_group)}"
    known = edge_routes(edge, routes)
    label.append(
        f"  {band_range(target)}{elsewhere} · {routes_count(known, today)}"
        f" · {in_post_text(edge.months_in_post)}",
        style="dim",
    )
    return label


def route_label(route: RouteInfo, today: date) -> Text:
    """A route under a move, what matters first, as a line is cut at the tree's edge: a
    restriction in force, then the figures, then the name (and the kind, where the name does
    not say it): 'RESTRICTED since 2026-01-01 · level 7 · 36 months · cap £12,000 · via
    Advanced clinical practitioner apprenticeship'; 'level 7 · 36 months · via MSc advanced
    clinical practice (postgraduate)'."""
    label = Text()
    limit = limit_text(route, today)
    if limit:
        label.append(limit, style="bold")
        label.append(" · ")
    for figure in route_figures(route):
        label.append(figure, style="dim")
        label.append(" · ", style="dim")
    label.append(f"via {route.name}")
    if route.kind.casefold() not in route.name.casefold():
        label.append(f" ({route.kind})", style="dim")
    return label


class LadderTree(CentredUntilUserMoves, Tree[LadderItem]):
    """The ladder; Enter on a rung opens it, on a move goes to the role it leads to."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="ladder-open",
            tooltip="Open the role, or go to the role a move leads to",
        ),
        Binding(
            "space",
            "toggle_node",
            "Expand",
            id="ladder-toggle",
            tooltip="Show or hide the routes of a move (the moves of a rung)",
            show=False,
        ),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text("ladder"), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.auto_expand = False  # Enter opens; space expands
        self.guide_depth = 3
        self.center_scroll = True  # a rung is seen with the rungs above and below it
        self.rung_nodes: dict[str, TreeNode[LadderItem]] = {}
        # The rung `move_to_role` chose, centred again as the tree gets its size, until the
        # user moves (a deep link's rung ended half-way up or centred, by timing).
        self._centre_on: TreeNode[LadderItem] | None = None

    def show_ladder(
        self,
        ladder: Ladder,
        roles: Mapping[str, RoleInfo],
        routes: Mapping[str, RouteInfo],
        today: date,
        *,
        only: str = "",
        groups: Mapping[str, str] | None = None,
    ) -> int:
        """Draw `ladder` (its rungs containing `only`, if given); how many rungs are drawn.
        `groups` (staff group id -> name) names the ladders moves leave this one for."""
        self.clear()
        self.rung_nodes = {}
        needle = only.casefold()
        rungs = [
            role
            for role in reversed(ladder.rungs)  # top rung first
            if not needle or needle in f"{role.title} {role.id} {band_range(role)}".casefold()
        ]
        width = max((len(band_range(role)) for role in ladder.rungs), default=0)
        for role in rungs:
            moves = ladder.edges_from(role.id)
            label = rung_label(role, width)
            if not moves:
                # No expand mark on a rung with no move on: indent it as if it had one, so
                # the bands stay in a column.
                label = Text("  ") + label
            node = self.root.add(label, LadderItem("rung", role.id), expand=True)
            node.allow_expand = bool(moves)
            self.rung_nodes[role.id] = node
            for edge in moves:
                self._add_move(node, edge, ladder, roles, routes, today, groups=groups)
        if ladder.entries and not needle:
            entries = self.root.add(
                Text(f"Ways in from other ladders ({len(ladder.entries)})", style="italic"),
                LadderItem("entries"),
            )
            for edge in ladder.entries:
                self._add_move(
                    entries, edge, ladder, roles, routes, today, groups=groups, show_from=True
                )
        return len(rungs)

    def _add_move(
        self,
        parent: TreeNode[LadderItem],
        edge: ProgressionEdge,
        ladder: Ladder,
        roles: Mapping[str, RoleInfo],
        routes: Mapping[str, RouteInfo],
        today: date,
        *,
        groups: Mapping[str, str] | None,
        show_from: bool = False,
    ) -> None:
        label = move_label(edge, roles, routes, ladder, today, groups=groups, show_from=show_from)
        known = edge_routes(edge, routes)
        item = LadderItem("move", edge.to_role)
        if not known:
            parent.add_leaf(label, item)
            return
        move = parent.add(label, item)
        for route in known:
            move.add_leaf(route_label(route, today), LadderItem("route", route=route.id))

    def move_to_role(self, role: str) -> bool:
        """Put the cursor on the rung of `role`; False if it is not drawn."""
        node = self.rung_nodes.get(role)
        if node is None:
            return False
        _ = self.last_line  # lays the lines out now, so the node knows its line
        self.move_cursor(node)
        # Again once laid out, and whenever the tree is resized until the user moves: a tree
        # just drawn (or resized by a detail opening) has no final size to centre the rung in.
        self._centre_on, self._centring = node, True
        self.call_after_refresh(self.centre_again)
        return True

    def centre_again(self) -> None:
        if self._centring and self._centre_on is not None:
            self.scroll_to_node(self._centre_on, animate=False)

    def on_resize(self) -> None:
        self.centre_again()

    def highlighted_item(self) -> LadderItem | None:
        node = self.cursor_node
        return None if node is None else node.data
