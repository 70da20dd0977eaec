"""How a catalogue row's detail (pathways.details) is drawn in the detail panel.

Every piece of catalogue text goes in as a rich Text, never as a str that Rich would read as
markup: a title may contain "[bold]" and must show those characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import singledispatch

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from pathways.details import (
    LEVEL_NAMES,
    BandDetail,
    CompetencyDetail,
    JDDetail,
    Move,
    Named,
    RoleDetail,
    RouteDetail,
    TrustDetail,
)
from pathways.records import RouteInfo
from tui.table_specs import UNKNOWN, money

NO_SOURCE = f"{UNKNOWN} (no source)"


def _title(text: str, key: str) -> Text:
    """The entry's name, and under it its id (what `--role`, imports and exports use)."""
    return Text.assemble((text, "bold"), ("\n" + key, "dim")) if key else Text(text, "bold")


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _fields(pairs: Iterable[tuple[str, str | Text]]) -> Table:
    """Label / value lines; values wrap within the panel."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in pairs:
        grid.add_row(Text(label), value if isinstance(value, Text) else Text(value))
    return grid


def _names(items: Sequence[Named], empty: str) -> RenderableType:
    if not items:
        return Text(empty, style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(Text(item.name))
    return grid


def _band_text(low: str | None, high: str | None) -> str:
    if not low:
        return "no AfC band (medical and dental pay)"
    return f"Band {low}" if low == high else f"Band {low} to {high}"


@singledispatch
def render_detail(detail: object) -> RenderableType:
    """The detail panel's content for one catalogue row."""
    return Text(repr(detail))


@render_detail.register
def _role(detail: RoleDetail) -> RenderableType:
    if detail.pay_system == "medical":
        pay = Text("medical and dental pay: not in the AfC pay tables here", style="dim")
    elif detail.pay_low is None or detail.pay_high is None:
        pay = Text(f"no pay points for {detail.pay_year}", style="dim")
    else:
        pay = Text(
            f"{money(detail.pay_low)} (Band {detail.band_min} entry) to "
            f"{money(detail.pay_high)} (Band {detail.band_max} top), {detail.pay_year}"
        )
    parts: list[RenderableType] = [
        _title(detail.title, detail.id),
        _fields(
            [
                ("Staff group", detail.staff_group_name),
                ("Career level", detail.career_level),
                ("Band", f"{_band_text(detail.band_min, detail.band_max)}"),
                ("Banding is", detail.band_confidence),
                ("Pay", pay),
                ("Registration", detail.registration),
                ("Profile", detail.national_profile or "—"),
                (
                    "Posts",
                    f"{_count(detail.posts, 'JD')} at {_count(detail.post_trusts, 'trust')} "
                    "in this catalogue",
                ),
            ]
        ),
    ]
    if detail.description:
        parts.append(Text("\n" + detail.description))
    parts += [_heading("Competencies needed"), _competencies(detail)]
    parts += [_heading("Routes in")]
    if detail.routes_in:
        routes = Table.grid(padding=(0, 1))
        routes.add_column(overflow="fold")
        routes.add_column(style="dim", no_wrap=True)
        for route in detail.routes_in:
            facts = [route.kind]
            if route.level is not None:
                facts.append(f"level {route.level}")
            if route.months is not None:
                facts.append(f"{route.months} months")
            if route.status != "open":
                facts.append(route.status)
            routes.add_row(Text(route.name), Text(", ".join(facts)))
        parts.append(routes)
    else:
        parts.append(Text("no training route leads to this role", style="dim"))
    parts += [_heading("Moves in (from)"), _moves(detail.moves_in, "none")]
    parts += [_heading("Moves on (to)"), _moves(detail.moves_out, "none: the top of its ladder")]
    if detail.source:
        parts.append(Text.assemble(("\nSource: ", "dim"), detail.source))
    return Group(*parts)


def _competencies(detail: RoleDetail) -> RenderableType:
    if not detail.competencies:
        return Text("none recorded", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold")
    grid.add_column(no_wrap=True)
    pillar = None
    for need in detail.competencies:
        if need.pillar != pillar:
            pillar = need.pillar
            grid.add_row(Text(pillar.capitalize(), style="italic"), Text(""))
        grid.add_row(
            Text("  " + need.name),
            Text(f"{need.level} {LEVEL_NAMES.get(need.level, '')}".rstrip()),
        )
    return grid


def _moves(moves: Sequence[Move], empty: str) -> RenderableType:
    if not moves:
        return Text(empty, style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold")
    for move in moves:
        when = f"after {move.months_in_post} months" if move.months_in_post else "any time"
        line = Text.assemble(move.title, (f"  {move.kind}, {when}", "dim"))
        if move.routes:
            line.append(f"\n  via {', '.join(move.routes)}", style="dim")
        grid.add_row(line)
    return grid


def _route_value(route: RouteInfo, name: str, value: object, shown: str | None = None) -> Text:
    """A route's field as shown: 'unknown (no source)' when no source settled it."""
    if name in route.unconfirmed:
        return Text(NO_SOURCE, style="italic")
    if value is None or value == "":
        return Text("—", style="dim")
    return Text(shown if shown is not None else str(value))


@render_detail.register
def _route(detail: RouteDetail) -> RenderableType:
    r = detail.route
    status = r.status + (f" since {r.status_from}" if r.status_from else "")
    status_style = "bold" if r.status != "open" else ""
    parts: list[RenderableType] = [
        _title(r.name, r.id),
        _fields(
            [
                ("Kind", r.kind),
                ("Level", _route_value(r, "level", r.level)),
                ("Months", _route_value(r, "months", r.months)),
                (
                    "Funding cap",
                    _route_value(r, "funding_cap", r.funding_cap, money(r.funding_cap)),
                ),
                ("Fee", _route_value(r, "fee", r.fee, money(r.fee or 0))),
                ("Fee source", _route_value(r, "fee_source", r.fee_source)),
                ("Graduates only", Text("yes: needs a degree" if r.needs_degree else "no")),
                ("Standard", _route_value(r, "standard_ref", r.standard_ref)),
                ("Registration", _route_value(r, "registration", r.registration)),
                ("Status", Text(status, style=status_style)),
                ("Status note", _route_value(r, "status_note", r.status_note)),
                ("Entry", _route_value(r, "entry_requirements", r.entry_requirements)),
                ("Source", _route_value(r, "source", r.source)),
            ]
        ),
        _heading("Leads to"),
        _names(detail.leads_to, "no role recorded"),
        _heading("Gives"),
        _names(detail.gives, "no competency recorded"),
        _heading("Progressions it makes"),
    ]
    if detail.makes:
        grid = Table.grid()
        grid.add_column(overflow="fold")
        for start, end in detail.makes:
            grid.add_row(Text(f"{start.name} → {end.name}"))
        parts.append(grid)
    else:
        parts.append(Text("none recorded", style="dim"))
    return Group(*parts)


@render_detail.register
def _band(detail: BandDetail) -> RenderableType:
    parts: list[RenderableType] = [
        _title(f"Band {detail.code}", ""),
        _fields(
            [
                ("JE points", f"{detail.je_min} to {detail.je_max}"),
                ("Open", "closed to new entrants" if detail.closed else "yes"),
                *([("Note", detail.note)] if detail.note else []),
            ]
        ),
        _heading("Pay points"),
    ]
    if detail.pay:
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="dim")
        table.add_column("Year", no_wrap=True)
        table.add_column("Point", no_wrap=True)
        table.add_column("Salary", justify="right", no_wrap=True)
        table.add_column("Confidence")
        for point in detail.pay:
            table.add_row(
                Text(point.pay_year),
                Text(point.point),
                Text(money(point.salary)),
                Text(point.confidence),
            )
        parts.append(table)
        sources = sorted({point.source for point in detail.pay})
        parts.append(Text.assemble(("Source: ", "dim"), "; ".join(sources)))
    else:
        parts.append(Text("no pay points recorded", style="dim"))
    parts += [_heading("Reference roles banded here"), _names(detail.roles, "none")]
    return Group(*parts)


@render_detail.register
def _competency(detail: CompetencyDetail) -> RenderableType:
    parts: list[RenderableType] = [
        _title(detail.name, detail.id),
        _fields([("Pillar", detail.pillar)]),
    ]
    if detail.description:
        parts.append(Text("\n" + detail.description))
    parts.append(_heading("Roles that need it"))
    if detail.roles:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(overflow="fold")
        grid.add_column(no_wrap=True)
        for role, level in detail.roles:
            grid.add_row(Text(role.name), Text(f"{level} {LEVEL_NAMES.get(level, '')}".rstrip()))
        parts.append(grid)
    else:
        parts.append(Text("none", style="dim"))
    parts += [_heading("Routes that give it"), _names(detail.routes, "none recorded")]
    return Group(*parts)


@render_detail.register
def _trust(detail: TrustDetail) -> RenderableType:
    parts: list[RenderableType] = [
        _title(detail.name, detail.code),
        _fields(
            [
                ("ICB", f"{detail.icb_name} ({detail.icb})"),
                (
                    "Posts",
                    f"{_count(detail.posts, 'JD')}, {detail.unmapped} not yet mapped to a role",
                ),
                ("WTE funded", f"{detail.wte_funded:,.1f}"),
                ("WTE in post", f"{detail.wte_in_post:,.1f}"),
                *([("Note", detail.note)] if detail.note else []),
            ]
        ),
        Text("\nIts posts: Network screen (1), Enter on the trust.", style="dim"),
    ]
    return Group(*parts)


def _count(number: int, noun: str) -> str:
    """'1 JD', '2 JDs': a count with its noun in the right number."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _wte(value: float | None) -> Text:
    return Text("not given", style="dim") if value is None else Text(f"{value:,.1f}")


@render_detail.register
def _jd(detail: JDDetail) -> RenderableType:
    # Everything here but the labels was imported from a trust's file: Text, never markup.
    jd = detail.jd
    if jd.role is None:
        role = Text("unmapped: no reference role yet (map it on the Matching screen)", "dim")
    else:
        role = Text.assemble(detail.role_title or jd.role, (f" ({jd.role})", "dim"))
    pairs: list[tuple[str, str | Text]] = [
        ("Trust", Text(f"{jd.trust} {detail.trust_name}")),
        ("Role", role),
        ("Band", Text(f"Band {jd.band}") if jd.band else Text("medical and dental pay")),
    ]
    if jd.role is not None:
        pairs.append(("Role's band", _band_text(detail.role_band_min, detail.role_band_max)))
    pairs += [
        ("WTE funded", _wte(jd.wte_funded)),
        ("WTE in post", _wte(jd.wte_in_post)),
        (
            "JE score",
            Text("no JE levels recorded", "dim") if jd.je_score is None else str(jd.je_score),
        ),
    ]
    parts: list[RenderableType] = [
        _title(jd.title, f"{jd.trust}:{jd.jd_ref}"),
        _fields(pairs),
        _heading("Summary"),
        Text(jd.summary) if jd.summary.strip() else Text("no summary", style="dim"),
        _heading("Competencies asked for"),
    ]
    if detail.competencies:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(overflow="fold")
        pillar = None
        for need in detail.competencies:
            if need.pillar != pillar:
                pillar = need.pillar
                grid.add_row(Text(pillar.capitalize(), style="italic"))
            grid.add_row(Text("  " + need.name))
        parts.append(grid)
    else:
        parts.append(Text("none recorded", style="dim"))
    if detail.je is not None:
        parts.extend(_je_parts(detail))
    parts += [
        _heading("Import"),
        _fields([("From", Text(detail.source)), ("On", Text(detail.imported_at))]),
    ]
    if detail.illustrative:
        parts.append(Text("ILLUSTRATIVE: shipped with the app, not a real post", style="bold"))
    return Group(*parts)


def _je_parts(detail: JDDetail) -> list[RenderableType]:
    """The JE view of a JD, as a panel checks it: each factor's level and points, the score and
    band, and the match against a JE profile when there is one."""
    from pathways.je_profile_match import fit_text  # deferred: it loads the profile models

    je = detail.je
    assert je is not None
    parts: list[RenderableType] = [_heading("JE factor levels and points")]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    match = detail.profile_match
    if match is not None:
        grid.add_column(no_wrap=True)
    for factor in je.factors:
        cells = [Text(str(factor.factor)), Text(factor.name), Text(factor.level.written)]
        cells.append(Text(factor.points_text, style="dim"))
        if match is not None:
            fit = match.factors[factor.factor - 1]
            cells.append(Text("") if fit.within else Text(fit_text(fit), "bold"))
        grid.add_row(*cells)
    parts.append(grid)
    band = "beyond Band 9" if je.je_band is None else f"Band {je.je_band}"
    if je.closed:
        band += " (closed to new entrants)"
    verdict = "" if je.agrees is None else (", agrees" if je.agrees else ", differs from its band")
    near = f"; near a boundary (within {je.margin} points)" if je.near_boundary else ""
    parts.append(Text(f"Total {je.score}: {band}{verdict}{near}"))
    parts.append(_heading("JE profile match"))
    if match is None:
        held = detail.profiles_held
        parts.append(
            Text(
                "j: match a JE profile"
                + (f" ({held} held)" if held else " (none held: import one)"),
                style="dim",
            )
        )
        return parts
    profile = match.profile
    kind = ", generic" if profile.generic else ""
    parts.append(Text(f"{profile.title} ({profile.id}, Band {profile.band}{kind})"))
    outside = len(match.outside)
    parts.append(
        Text(
            "within the profile on every factor"
            if not outside
            else f"{outside} factor{'s' if outside > 1 else ''} outside the profile (marked above)"
        )
    )
    holds = "holds" if match.band_holds else "does not hold"
    parts.append(Text(f"Band {profile.band} {holds}: {match.reason}"))
    if match.generic_rule_applied:
        parts.append(Text("The generic-profile rule was applied.", style="bold"))
    parts.append(Text("j: match another profile", style="dim"))
    return parts
