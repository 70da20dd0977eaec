"""Progression paths and next steps: from a role (and what a person holds) to the roles beyond.

Each move of the career graph becomes a weighted edge: the typical months in post before the
move, plus the months of the shortest training route of known length that makes it. The k
best simple paths (pathways.graph) are then described step by step: the routes, the months,
the apprenticeship funding cap where there is one, the competencies still to gain, and a
warning where the route used is restricted, closed, or a level 7 apprenticeship.

Two readings of the catalogue a reviewer should know:
- A route of unknown length counts 0 training months, and the step says `months_unknown`.
  Paths are ranked by the months that are known; a path's total with such a step is a
  minimum (its `months_unknown` is set), which the views say ("at least").
- Where a move leads into or out of a training post (trainee, doctor in training), the
  catalogue's months in post for the training post already is the programme's length
  (progression.toml says so), so the route's months are not added again: the programme is
  counted once, as time in the training post (`training_in_post`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from catalogue.bands import band_order
from pathways.graph import Graph, k_shortest_paths, reaching
from pathways.ladder import band_range

# VIA_CHOICES and DEFAULT_MAX_PATHS are defined apart so the command line can offer them
# without importing this module; re-exported from here.
from pathways.options import DEFAULT_MAX_PATHS as DEFAULT_MAX_PATHS
from pathways.options import VIA_CHOICES as VIA_CHOICES
from pathways.records import (
    JD,
    ProgressionEdge,
    RoleInfo,
    RouteInfo,
    TrustInfo,
    load_competencies,
    load_progressions,
    load_role_competencies,
    load_roles,
    load_routes,
)
from pathways.routes import (
    APPRENTICESHIP,
    is_limited,
    route_entry,
    route_warning,
    sort_key,
    status_on,
)

if TYPE_CHECKING:  # a reader is a sqlite-utils Database or a plain sqlite3 connection
    from catalogue.store import Reader

Via = Literal["any", "apprenticeship"]
# Career levels whose months in post are the length of a training programme.
TRAINING_LEVELS = ("trainee", "doctor in training")
# A competency named without a level is taken as held at level 3, proficient (does it
# independently): the level most roles ask for; 4 (expert) has to be said.
DEFAULT_HELD_LEVEL = 3


class CareerInputError(ValueError):
    """A role, competency or trust the catalogue does not hold, or a question with no answer."""


class NoPath(CareerInputError):
    """No sequence of moves leads from one role to the other."""


@dataclass(frozen=True, slots=True)
class Career:
    """Everything the career views read, loaded once."""

    roles: Mapping[str, RoleInfo]
    routes: Mapping[str, RouteInfo]
    edges: tuple[ProgressionEdge, ...]
    needs: Mapping[str, Mapping[str, int]]  # role -> competency -> level
    competencies: Mapping[str, str]  # id -> name

    def edges_from(self, role: str) -> list[ProgressionEdge]:
        return [edge for edge in self.edges if edge.from_role == role]


def load_career(db: Reader) -> Career:
    return Career(
        roles=load_roles(db),
        routes=load_routes(db),
        edges=tuple(load_progressions(db)),
        needs=load_role_competencies(db),
        competencies=load_competencies(db),
    )


def check_role(career: Career, role: str) -> RoleInfo:
    """The role with this id, or CareerInputError naming it and the nearest ids."""
    if role in career.roles:
        return career.roles[role]
    by_title = {info.title.lower(): info.id for info in career.roles.values()}
    close = difflib.get_close_matches(role, list(career.roles), n=3)
    close += [
        by_title[title]
        for title in difflib.get_close_matches(role.lower(), list(by_title), n=2)
        if by_title[title] not in close
    ]
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `workforce roles`"
    raise CareerInputError(f"no role {role!r} in the catalogue{hint}")


def parse_holding(text: str | None, competencies: Mapping[str, str]) -> dict[str, int]:
    """'ct-scanning,mri-scanning:2' -> {id: level}. A competency may be named by id or name;
    a level is 1-4 (default 3, proficient)."""
    held: dict[str, int] = {}
    by_name = {name.lower(): comp_id for comp_id, name in competencies.items()}
    for raw in (text or "").split(","):
        item = raw.strip()
        if not item:
            continue
        name, _, level_text = item.rpartition(":") if ":" in item else (item, "", "")
        name = name.strip()
        level = DEFAULT_HELD_LEVEL
        if level_text:
            if not level_text.strip().isdigit() or not 1 <= int(level_text) <= 4:
                raise CareerInputError(f"{item!r}: a competency level is a whole number 1-4")
            level = int(level_text)
        comp_id = name if name in competencies else by_name.get(name.lower())
        if comp_id is None:
            close = difflib.get_close_matches(name, list(competencies), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise CareerInputError(f"no competency {name!r} in the catalogue{hint}")
        held[comp_id] = max(level, held.get(comp_id, 0))
    return held


def merge_held(*sources: Mapping[str, int]) -> dict[str, int]:
    """Competencies held, each at the highest level any source gives."""
    held: dict[str, int] = {}
    for source in sources:
        for comp, level in source.items():
            held[comp] = max(level, held.get(comp, 0))
    return held


@dataclass(frozen=True, slots=True)
class GapItem:
    competency: str
    needed: int
    held: int | None  # the level held, below what is needed; None if not held at all


def competency_gap(needs: Mapping[str, int], held: Mapping[str, int]) -> list[GapItem]:
    """What is needed and not held at the level needed, by competency id."""
    return [
        GapItem(comp, level, held.get(comp))
        for comp, level in sorted(needs.items())
        if held.get(comp, 0) < level
    ]


# --- What a person holds of a route --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holdings:
    """What a person brings to a move besides competencies: the catalogue training routes they
    have completed, and whether they hold a degree (graduate-entry routes need one)."""

    completed: frozenset[str] = frozenset()
    degree: bool = False


NO_HOLDINGS = Holdings()


@dataclass(frozen=True, slots=True)
class Credit:
    """What the person holds of one route toward one move.

    `toward`: the competencies the route gives that the move asks to gain (the role moved to
    needs them above the level the role moved from needs them); `held`: those of them held at
    the level the role moved to needs. The rule (README, `workforce path --help`):
    - a route completed, or one whose competencies toward the move are all held, is not
      needed: 0 months, no cost;
    - otherwise it counts in full, however much of it is held: a course or apprenticeship
      does not shorten by the share of it a person knows (its provider decides any credit for
      prior learning, RPL), so the step names what is held and the months stay whole;
    - a route giving nothing the move asks to gain is needed in full (what the role moved
      from already needs cannot make its training redundant, so the role's own competencies
      never shorten a path: only what a person says they hold beyond it).
    """

    route: str
    completed: bool
    toward: tuple[str, ...]
    held: tuple[str, ...]
    full_months: int | None

    @property
    def not_needed(self) -> bool:
        return self.completed or (bool(self.toward) and len(self.held) == len(self.toward))

    @property
    def months_left(self) -> int | None:
        """The route's months still to do; None when its length is unknown (and it is needed)."""
        return 0 if self.not_needed else self.full_months

    @property
    def counts(self) -> bool:
        """Whether anything of the route is held (to say so), needed or not."""
        return self.not_needed or bool(self.held)


def route_credit(
    route: RouteInfo,
    needs: Mapping[str, int],
    before: Mapping[str, int],
    held: Mapping[str, int],
    holdings: Holdings,
) -> Credit:
    """`needs`: what the role moved to needs; `before`: what the role moved from needs."""
    toward = tuple(comp for comp in route.gives if needs.get(comp, 0) > before.get(comp, 0))
    return Credit(
        route=route.id,
        completed=route.id in holdings.completed,
        toward=toward,
        held=tuple(comp for comp in toward if held.get(comp, 0) >= needs[comp]),
        full_months=route.months,
    )


# --- Moves: one edge of the career graph made with a route -------------------------------------


@dataclass(frozen=True, slots=True)
class PassedOver:
    """A route that looks quicker than the one counted, and why it is not counted."""

    route: RouteInfo
    months: int  # its months (left, after what is held)
    reason: str


@dataclass(frozen=True, slots=True)
class Move:
    """An edge with the routes usable for it and the one its months are counted with."""

    edge: ProgressionEdge
    routes: tuple[RouteInfo, ...]  # shortest first; empty: a move by experience or appointment
    route: RouteInfo | None
    training_months: int  # months added to the months in post
    months_unknown: bool  # the route counted has no known length (counted as 0)
    training_in_post: bool  # the programme's time is counted as months in a training post
    credit: Credit | None = None  # what is held of the route counted (None: nothing counts)
    passed_over: tuple[PassedOver, ...] = ()
    needs_degree_unmet: bool = False  # the route counted is for graduates; no degree is known

    @property
    def months(self) -> int:
        return self.edge.months_in_post + self.training_months

    @property
    def route_needed(self) -> bool:
        return self.route is not None and not (self.credit is not None and self.credit.not_needed)


def _entry_met(route: RouteInfo, holdings: Holdings) -> bool:
    return not route.needs_degree or holdings.degree


def _why_not(route: RouteInfo, today: date, holdings: Holdings) -> str:
    if is_limited(route, today):
        since = f" since {route.status_from}" if route.status_from else ""
        return f"it is {status_on(route, today)}{since}"
    if not _entry_met(route, holdings):
        return "it is for graduates only: it needs a degree you are not known to hold"
    return ""


def choose_route(
    routes: Sequence[RouteInfo],
    today: date,
    months: Mapping[str, int | None] | None = None,
    holdings: Holdings = NO_HOLDINGS,
) -> tuple[RouteInfo | None, tuple[PassedOver, ...]]:
    """The route a move's months are counted with, and the quicker-looking routes passed over.

    Of the routes open today whose entry the person meets (else of those open today, else of
    all), the shortest of known length (`months`: each route's months left after what is held;
    its own length if not given); if no length is known, the first by id. A route restricted or
    closed today is never counted over an open one, however short, nor a graduate-entry route
    for someone not known to hold a degree: most people cannot take it. Such a route that looks
    quicker is returned with the reason it is not counted, for the step to say."""
    left = dict(months or {})

    def length(route: RouteInfo) -> int | None:
        return left.get(route.id, route.months)

    open_today = [route for route in routes if not is_limited(route, today)]
    takeable = [route for route in open_today if _entry_met(route, holdings)]
    chosen: RouteInfo | None = None
    for group in (takeable, open_today, list(routes)):
        known = [route for route in group if length(route) is not None]
        pool = known or group
        if pool:
            chosen = min(pool, key=lambda r: (length(r) or 0, is_limited(r, today), r.id))
            break
    if chosen is None:
        return None, ()
    chosen_months = length(chosen)
    passed: list[PassedOver] = []
    for route in routes:
        months_left = length(route)
        if route is chosen or months_left is None:
            continue
        quicker = chosen_months is None or months_left < chosen_months
        reason = _why_not(route, today, holdings)
        if quicker and reason:
            passed.append(PassedOver(route, months_left, reason))
    return chosen, tuple(passed)


def plan_move(
    career: Career,
    edge: ProgressionEdge,
    via: Via,
    today: date,
    held: Mapping[str, int] | None = None,
    holdings: Holdings = NO_HOLDINGS,
) -> Move | None:
    """The move along `edge`, or None when `via` rules out every route that makes it.

    `held` (competency -> level) and `holdings` (routes completed, a degree) shorten or remove
    the training counted (see `Credit`); without them each route counts in full."""
    if career.roles[edge.to_role].status == "retired":
        return None  # no path leads into a role that is no longer filled
    # A retired route is no longer offered: the move is made by the routes still running.
    routes = sorted(
        (career.routes[r] for r in edge.routes if r in career.routes),
        key=sort_key,
    )
    running = [route for route in routes if status_on(route, today) != "retired"]
    if routes and not running:
        return None  # every route that made the move is retired: it cannot be made now
    routes = running
    if via == APPRENTICESHIP and routes:
        routes = [route for route in routes if route.kind == APPRENTICESHIP]
        if not routes:
            return None
    needs = career.needs.get(edge.to_role, {})
    before = career.needs.get(edge.from_role, {})
    credits = {
        route.id: route_credit(route, needs, before, held or {}, holdings) for route in routes
    }
    left = {route_id: credit.months_left for route_id, credit in credits.items()}
    chosen, passed = choose_route(routes, today, left, holdings)
    levels = {career.roles[edge.from_role].career_level, career.roles[edge.to_role].career_level}
    in_post = chosen is not None and bool(levels & set(TRAINING_LEVELS))
    credit = credits[chosen.id] if chosen is not None else None
    if in_post or (credit is not None and not credit.counts):
        credit = None  # a training post's programme is its time in post: nothing shortens it
    months_left = None if chosen is None else left[chosen.id]
    months_unknown = chosen is not None and months_left is None and not in_post
    training = 0 if chosen is None or in_post else (months_left or 0)
    return Move(
        edge,
        tuple(routes),
        chosen,
        training,
        months_unknown,
        in_post,
        credit,
        passed,
        needs_degree_unmet=chosen is not None and not _entry_met(chosen, holdings),
    )


def career_graph(
    career: Career,
    via: Via,
    today: date,
    held: Mapping[str, int] | None = None,
    holdings: Holdings = NO_HOLDINGS,
) -> tuple[Graph, dict[tuple[str, str], Move]]:
    """The career graph weighted by months (after what is held at the start), and the move
    behind each edge."""
    moves: dict[tuple[str, str], Move] = {}
    for edge in career.edges:
        move = plan_move(career, edge, via, today, held, holdings)
        if move is not None:
            moves[(edge.from_role, edge.to_role)] = move
    graph = Graph(career.roles, ((a, b, move.months) for (a, b), move in sorted(moves.items())))
    return graph, moves


def same_programme(into: Move, out: Move) -> Move:
    """Out of a training post by the programme taken into it, where that programme is one of
    the ways out: one apprenticeship, not a BSc route in and an MSc route out."""
    if into.route is not None and into.route in out.routes:
        return replace(out, route=into.route, credit=None, passed_over=(), needs_degree_unmet=False)
    return out


DEGREE_WARNING = "is for graduates only: it needs a degree you are not known to hold"


@dataclass(frozen=True, slots=True)
class Step:
    move: Move
    gap: tuple[GapItem, ...]
    warnings: tuple[dict[str, str], ...]

    @property
    def cost(self) -> int | None:
        """The apprenticeship funding cap of the route counted, where there is one (and the
        route is needed): what an employer's levy covers."""
        route = self.move.route
        if route is not None and route.kind == APPRENTICESHIP and self.move.route_needed:
            return route.funding_cap
        return None

    @property
    def cost_unknown(self) -> bool:
        route = self.move.route
        return (
            route is not None
            and route.kind == APPRENTICESHIP
            and route.funding_cap is None
            and self.move.route_needed
        )

    @property
    def fee(self) -> int | None:
        """The tuition fee of the route counted (whole route), where one is known and the
        route is needed: what a self-funder would pay."""
        route = self.move.route
        if route is not None and route.kind != APPRENTICESHIP and self.move.route_needed:
            return route.fee
        return None

    @property
    def fee_unknown(self) -> bool:
        route = self.move.route
        return (
            route is not None
            and route.kind != APPRENTICESHIP
            and route.fee is None
            and "fee" in route.unconfirmed
            and self.move.route_needed
        )


def make_step(move: Move, held: Mapping[str, int], career: Career, today: date) -> Step:
    needs = career.needs.get(move.edge.to_role, {})
    warnings: list[dict[str, str]] = []
    warning = route_warning(move.route, today) if move.route is not None else None
    if warning:
        warnings.append(warning)
    if move.route is not None and move.needs_degree_unmet:
        warnings.append(
            {
                "route": move.route.id,
                "status": move.route.status,
                "status_from": move.route.status_from,
                "status_note": "",
                "text": f"{move.route.name} {DEGREE_WARNING}; no other open route makes this move",
            }
        )
    return Step(move, tuple(competency_gap(needs, held)), tuple(warnings))


@dataclass(frozen=True, slots=True)
class CareerPath:
    steps: tuple[Step, ...]

    @property
    def total_months(self) -> int:
        return sum(step.move.months for step in self.steps)

    @property
    def months_unknown(self) -> bool:
        return any(step.move.months_unknown for step in self.steps)

    @property
    def apprenticeship_cost(self) -> int | None:
        """Funding caps of the apprenticeships counted, each route once (a programme spanning
        a training post makes two moves); None when no known cap is involved."""
        caps = {s.move.route.id: s.cost for s in self.steps if s.move.route and s.cost is not None}
        return sum(caps.values()) if caps else None

    @property
    def cost_unknown(self) -> bool:
        return any(step.cost_unknown for step in self.steps)

    @property
    def fees(self) -> int | None:
        """Tuition fees of the routes counted, each route once: what a self-funder would pay
        (apprenticeships are not self-funded); None when no known fee is involved."""
        fees = {s.move.route.id: s.fee for s in self.steps if s.move.route and s.fee is not None}
        return sum(fees.values()) if fees else None

    @property
    def fees_unknown(self) -> bool:
        return any(step.fee_unknown for step in self.steps)

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [warning for step in self.steps for warning in step.warnings]


@dataclass(frozen=True, slots=True)
class PathQuery:
    from_role: str
    to_role: str
    max_paths: int = DEFAULT_MAX_PATHS
    holding: Mapping[str, int] = field(default_factory=dict)
    include_from_role: bool = True  # count the FROM role's competencies as held
    via: Via = "any"
    holdings: Holdings = NO_HOLDINGS  # routes completed, a degree


def held_at_start(
    career: Career, role: str, holding: Mapping[str, int], include_role: bool
) -> dict[str, int]:
    return merge_held(holding, career.needs.get(role, {}) if include_role else {})


def find_paths(career: Career, query: PathQuery, today: date) -> list[CareerPath]:
    """The best `max_paths` ways from one role to another, fastest first.

    CareerInputError for an unknown role or the same role twice; NoPath when no way exists.
    """
    check_role(career, query.from_role)
    check_role(career, query.to_role)
    if query.from_role == query.to_role:
        raise CareerInputError(f"{query.from_role} is both the start and the target")
    if career.roles[query.to_role].status == "retired":
        raise CareerInputError(f"{query.to_role} is a retired role: no path leads into it")
    if query.max_paths < 1:
        raise CareerInputError("--max must be at least 1")
    start = held_at_start(career, query.from_role, query.holding, query.include_from_role)
    # The graph is weighted by what is held at the start; each path found is then described
    # move by move with what is held by then, which can only shorten it (re-ranked below).
    graph, moves = career_graph(career, query.via, today, start, query.holdings)
    found = k_shortest_paths(graph, query.from_role, query.to_role, query.max_paths)
    if not found:
        raise NoPath(_no_path_message(career, graph, query, today))
    paths = []
    for path in found:
        held = dict(start)
        steps: list[Step] = []
        for a, b in path.edges:
            move = moves[(a, b)]
            if held != start:
                move = plan_move(career, move.edge, query.via, today, held, query.holdings) or move
            if steps and move.training_in_post and steps[-1].move.training_in_post:
                move = same_programme(steps[-1].move, move)
            steps.append(make_step(move, held, career, today))
            # Having made the move, the person holds what the role they moved to needs.
            held = merge_held(held, career.needs.get(b, {}))
        paths.append(CareerPath(tuple(steps)))
    # stable: paths of equal months keep the search's order
    return sorted(paths, key=lambda path: path.total_months)


def _no_path_message(career: Career, graph: Graph, query: PathQuery, today: date) -> str:
    via = " by apprenticeships alone" if query.via == APPRENTICESHIP else ""
    # "path", not "route": a route is a training route (a degree, an apprenticeship).
    text = f"there is no path from {query.from_role} to {query.to_role}{via}"
    sources = sorted(reaching(graph, query.to_role) - {query.to_role})
    if not sources:
        text += f"; no move in the catalogue leads to {query.to_role}"
    else:
        shown = ", ".join(sources[:15])
        more = f" and {len(sources) - 15} more" if len(sources) > 15 else ""
        text += f"; {query.to_role} can be reached from: {shown}{more}"
    if query.via == APPRENTICESHIP:
        any_graph, _ = career_graph(career, "any", today)
        if k_shortest_paths(any_graph, query.from_role, query.to_role, 1):
            text += (
                " (there are paths when other kinds of training route are allowed: drop "
                "--via apprenticeship)"
            )
    return text


# --- Next steps: the roles one move away -------------------------------------------------------


def band_change(source: RoleInfo, target: RoleInfo) -> tuple[str, int | None]:
    """('5 -> 6', 1): the bands either side and how many bands the lowest band rises."""
    text = f"{band_range(source)} -> {band_range(target)}"
    if source.band_min is None or target.band_min is None:
        return text, None
    return text, band_order(target.band_min) - band_order(source.band_min)


def band_move(source: RoleInfo, target: RoleInfo) -> str | None:
    """The band change in words: '+1 band', 'same band', or, where the lowest band stays and
    the range widens ('3 -> 3-4'), 'same starting band, up to band 4' (never '+0', which read
    as no change at all); None when either side has no AfC band."""
    if source.band_min is None or target.band_min is None:
        return None
    low = band_order(target.band_min) - band_order(source.band_min)
    if low:
        return f"{low:+d} band{'s' if abs(low) != 1 else ''}"
    top_source = source.band_max or source.band_min
    top_target = target.band_max or target.band_min
    if band_order(top_target) > band_order(top_source):
        return f"same starting band, up to band {top_target}"
    if band_order(top_target) < band_order(top_source):
        return f"same starting band, top band {top_target} (down from {top_source})"
    return "same band"


def next_steps(
    career: Career,
    role: str,
    today: date,
    holding: Mapping[str, int] | None = None,
    include_role: bool = True,
    holdings: Holdings = NO_HOLDINGS,
) -> list[Step]:
    """Every move from `role`, up before lateral, then quickest first (after what is held)."""
    check_role(career, role)
    held = held_at_start(career, role, holding or {}, include_role)
    steps = []
    for edge in career.edges_from(role):
        move = plan_move(career, edge, "any", today, held, holdings)
        if move is not None:
            steps.append(make_step(move, held, career, today))
    return sorted(
        steps, key=lambda s: (s.move.edge.kind != "up", s.move.months, s.move.edge.to_role)
    )


# --- Where the posts are -----------------------------------------------------------------------


def posts_for(
    jds: Iterable[JD], trusts: Mapping[str, TrustInfo], first: str | None = None
) -> list[dict[str, Any]]:
    """Per trust with posts of a role: JDs, WTE and vacancies (funded minus in post, summed
    over JDs that give both). Most vacancies first; the trust `first` leads, posts or not."""
    rows: dict[str, dict[str, Any]] = {}
    for jd in jds:
        row = rows.setdefault(
            jd.trust,
            {
                "trust": jd.trust,
                "name": trusts[jd.trust].name if jd.trust in trusts else jd.trust,
                "jds": 0,
                "wte_funded": 0.0,
                "wte_in_post": 0.0,
                "vacancies": 0.0,
                "wte_unknown": 0,
            },
        )
        row["jds"] += 1
        if jd.wte_funded is None or jd.wte_in_post is None:
            row["wte_unknown"] += 1
            continue
        row["wte_funded"] += jd.wte_funded
        row["wte_in_post"] += jd.wte_in_post
        row["vacancies"] += jd.wte_funded - jd.wte_in_post
    for row in rows.values():
        for key in ("wte_funded", "wte_in_post", "vacancies"):
            row[key] = round(row[key], 2)
    if first and first not in rows:
        rows[first] = {
            "trust": first,
            "name": trusts[first].name if first in trusts else first,
            "jds": 0,
            "wte_funded": 0.0,
            "wte_in_post": 0.0,
            "vacancies": 0.0,
            "wte_unknown": 0,
        }
    return sorted(rows.values(), key=lambda r: (r["trust"] != first, -r["vacancies"], r["trust"]))


def check_trust(trusts: Mapping[str, TrustInfo], text: str) -> str:
    """A trust's ODS code from its code or its full name, either in any case ("rbk", "Walsall
    Healthcare NHS Trust"); CareerInputError naming the nearest trusts otherwise.

    The one reading of a trust given on the command line: `path --trust` and `passport
    new/check --trust` both use it, so a name one accepts the other accepts too."""
    wanted = " ".join(text.split()).casefold()  # spaces as typed or pasted do not matter
    for trust in trusts.values():
        if wanted in (trust.code.casefold(), " ".join(trust.name.split()).casefold()):
            return trust.code
    by_name = {trust.name.casefold(): trust.code for trust in trusts.values()}
    close = difflib.get_close_matches(wanted.upper(), list(trusts), n=3)
    # A part of a name ("walsall") or a near miss of a whole one points at the full name.
    named = [code for name, code in by_name.items() if wanted and wanted in name]
    named += [by_name[name] for name in difflib.get_close_matches(wanted, list(by_name), n=3)]
    close += [code for code in dict.fromkeys(named) if code not in close]
    hint = (
        "; did you mean " + ", ".join(f"{code!r} ({trusts[code].name})" for code in close[:5]) + "?"
        if close
        else "; see `workforce trusts`"
    )
    raise CareerInputError(
        f"unknown trust {text!r}: no trust in the catalogue has that ODS code or name{hint}"
    )


# --- JSON --------------------------------------------------------------------------------------


def gap_entries(gap: Iterable[GapItem], career: Career) -> list[dict[str, Any]]:
    return [
        {
            "competency": item.competency,
            "name": career.competencies.get(item.competency, item.competency),
            "level": item.needed,
            "held": item.held,
        }
        for item in gap
    ]


def training_post_side(career: Career, move: Move) -> Literal["leaving", "entering"] | None:
    """For a move counted as time in a training post: whether it leaves the training post (its
    months are the programme's) or enters it (its months are the time in the post before)."""
    if not move.training_in_post:
        return None
    if career.roles[move.edge.from_role].career_level in TRAINING_LEVELS:
        return "leaving"
    return "entering"


def credit_as_dict(credit: Credit | None, career: Career, to_role: str) -> dict[str, Any] | None:
    """What was counted as held of the route counted (None: nothing)."""
    if credit is None:
        return None
    needs = career.needs.get(to_role, {})
    return {
        "route": credit.route,
        "completed": credit.completed,
        "not_needed": credit.not_needed,
        "route_months": credit.full_months,
        "months_left": credit.months_left,
        "held": [{"competency": comp, "level": needs[comp]} for comp in credit.held],
        "toward": list(credit.toward),
    }


def step_as_dict(step: Step, career: Career, today: date) -> dict[str, Any]:
    move = step.move
    return {
        "from_role": move.edge.from_role,
        "to_role": move.edge.to_role,
        "kind": move.edge.kind,
        "routes": [route_entry(route, today) for route in move.routes],
        "route": move.route.id if move.route else None,
        "months_in_post": move.edge.months_in_post,
        "training_months": move.training_months,
        "months": move.months,
        "months_unknown": move.months_unknown,
        "training_in_post": move.training_in_post,
        "training_post": training_post_side(career, move),
        "cost": step.cost,
        "cost_unknown": step.cost_unknown,
        "fee": step.fee,
        "fee_unknown": step.fee_unknown,
        "fee_source": move.route.fee_source if step.fee is not None and move.route else "",
        "held_of_route": credit_as_dict(move.credit, career, move.edge.to_role),
        "passed_over": [
            {"route": p.route.id, "months": p.months, "reason": p.reason} for p in move.passed_over
        ],
        "gap": gap_entries(step.gap, career),
        "warnings": list(step.warnings),
        "note": move.edge.note,
    }


def path_as_dict(path: CareerPath, career: Career, today: date) -> dict[str, Any]:
    return {
        "steps": [step_as_dict(step, career, today) for step in path.steps],
        "total_months": path.total_months,
        "months_unknown": path.months_unknown,
        "apprenticeship_cost": path.apprenticeship_cost,
        "cost_unknown": path.cost_unknown,
        "fees": path.fees,
        "fees_unknown": path.fees_unknown,
        "warnings": path.warnings,
    }


def next_step_as_dict(step: Step, career: Career, today: date) -> dict[str, Any]:
    source = career.roles[step.move.edge.from_role]
    target = career.roles[step.move.edge.to_role]
    change, bands_up = band_change(source, target)
    return {
        **step_as_dict(step, career, today),
        "title": target.title,
        "band_change": change,
        "band_steps": bands_up,
        "band_move": band_move(source, target),
    }
