"""How the career screens (Ladders, My next step) draw what pathways/ works out: the posts of a
role by trust, a next step, and the ranked paths to a target.

Pure functions from records to rich renderables; every piece of catalogue or imported text goes
in as a rich Text (never a str Rich would read as markup).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pathways.details import LEVEL_NAMES
from pathways.figures import money
from pathways.ladder import band_range
from pathways.path_words import (
    cost_text,
    held_of_route_text,
    passed_over_texts,
    step_cost_text,
)
from pathways.paths import (
    Career,
    CareerPath,
    GapItem,
    Step,
    band_change,
    band_move,
    path_as_dict,
    step_as_dict,
    training_post_side,
)
from pathways.routes import status_on
from tui.widgets.ladder_tree import ARROWS, route_facts


def heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _wte(value: float) -> str:
    return f"{value:,.1f}"


# The narrowest the trust names are shown: narrower, they are left out (the codes stay).
NAMES_NARROWEST = 8


class PostsTable:
    """A role's posts by trust, fitted to the width it is drawn at: the code and the figures
    are always whole, and only the trust names are cut short ("…"), or left out when too
    narrow to read. (A rich Table too wide squeezes every column alike: the figures went.)"""

    HEADERS = ("Trust", "JDs", "Funded", "In post", "Vacant")

    def __init__(self, rows: Sequence[tuple[Text, ...]], names: Sequence[Text]) -> None:
        self.rows = rows  # the code and the figures of each trust, as HEADERS
        self.names = names

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fixed = [
            max([len(header), *(row[index].cell_len for row in self.rows)])
            for index, header in enumerate(self.HEADERS)
        ]
        # One space either side between columns (none at the edges): padding (0, 1) unpadded.
        room = options.max_width - sum(fixed) - 2 * len(fixed)
        widest = max((name.cell_len for name in self.names), default=0)
        named = room >= min(NAMES_NARROWEST, max(widest, len("Name")))
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="dim")
        for header in self.HEADERS:
            table.add_column(header, justify="left" if header == "Trust" else "right", no_wrap=True)
        if named:
            table.add_column("Name", overflow="ellipsis", no_wrap=True, max_width=room)
        for row, name in zip(self.rows, self.names, strict=True):
            table.add_row(*row, *([name] if named else []))
        yield table
        if not named:
            yield Text("Trust names are left out at this width.", style="dim")


def posts_table(posts: Sequence[Mapping[str, Any]], first: str | None = None) -> RenderableType:
    """A role's posts by trust (pathways.paths.posts_for): JDs, WTE and vacancies."""
    if not posts or (len(posts) == 1 and posts[0]["jds"] == 0):
        mine = f" ({first} has none)" if first else ""
        return Text(f"No trust in the catalogue has a post of this role{mine}.", style="dim")
    rows: list[tuple[Text, ...]] = []
    for row in posts:
        yours = row["trust"] == first
        vacant = Text(_wte(row["vacancies"]))
        if row["vacancies"] > 0:
            vacant.stylize("bold")
        rows.append(
            (
                Text.assemble((row["trust"], "bold"), (" (yours)", "italic"))
                if yours
                else Text(row["trust"]),
                Text(str(row["jds"])),
                Text(_wte(row["wte_funded"])),
                Text(_wte(row["wte_in_post"])),
                vacant,
            )
        )
    parts: list[RenderableType] = [PostsTable(rows, [Text(row["name"]) for row in posts])]
    unknown = sum(int(row["wte_unknown"]) for row in posts)
    if unknown:
        parts.append(Text(f"{unknown} JDs give no WTE figures: left out of the sums.", "dim"))
    return Group(*parts)


def gap_text(gap: Sequence[GapItem], career: Career) -> Text:
    """'nothing', or each competency to gain with the level needed (and held, if lower)."""
    if not gap:
        return Text("nothing: you hold what it needs", style="green")
    text = Text()
    for index, item in enumerate(gap):
        if index:
            text.append("\n")
        text.append(career.competencies.get(item.competency, item.competency))
        level = f" {item.needed} {LEVEL_NAMES.get(item.needed, '')}".rstrip()
        held = f", held {item.held}" if item.held else ""
        text.append(f"{level}{held}", style="dim")
    return text


def step_months(step: Step, career: Career) -> str:
    """A path step's months, short: '42 months (24 in post + 18 training)'."""
    move = step.move
    in_post = move.edge.months_in_post
    if not move.routes:
        return f"{move.months} months in post; no training route"
    side = training_post_side(career, move)
    if side == "leaving":
        return f"{move.months} months in the training post (its programme)"
    if side == "entering":
        # The months are the time in the current post: the programme is counted on leaving.
        return f"{move.months} months in your current post, then into the training post"
    if not move.route_needed:
        return f"{move.months} months in post; no training needed"
    if move.months_unknown:
        return f"{move.months}+ months ({in_post} in post + training of unknown length)"
    return f"{move.months} months ({in_post} in post + {move.training_months} training)"


def routes_grid(step: Step, today: date) -> RenderableType:
    move = step.move
    if not move.routes:
        note = f" ({move.edge.note})" if move.edge.note else ""
        return Text(f"none: a move by experience or appointment{note}", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for route in move.routes:
        counted = move.route is not None and route.id == move.route.id
        limited = status_on(route, today) != "open"
        fee = ""
        if route.fee is not None:
            fee = f", fee {money(route.fee)}"
        elif "fee" in route.unconfirmed:
            fee = ", fee unknown"
        grid.add_row(
            Text("*" if counted else " ", style="bold"),
            Text.assemble(
                route.name,
                (f"  {route_facts(route, today)}{fee}", "bold" if limited else "dim"),
                ("  graduates only" if route.needs_degree else "", "dim"),
            ),
        )
    return Group(grid, Text("* the route counted in the months", style="dim"))


def held_and_why(step: Step, career: Career, today: date) -> list[Text]:
    """What was counted as held of the route counted, and why quicker routes were not counted:
    in the words the command line uses (pathways.path_words)."""
    entry = step_as_dict(step, career, today)
    lines = [Text(text, style="dim") for text in passed_over_texts(entry)]
    held = held_of_route_text(entry)
    if held:
        lines.insert(0, Text(held, style="green" if step.move.credit else "dim"))
    return lines


def warnings_text(step: Step) -> Text | None:
    if not step.warnings:
        return None
    return Text("\n".join(f"! {warning['text']}" for warning in step.warnings), style="bold")


def step_detail(
    step: Step,
    career: Career,
    today: date,
    posts: Sequence[Mapping[str, Any]] | None,
    first: str | None,
) -> RenderableType:
    """One next step: the band change, how long, the routes, what to gain, where the posts are."""
    source = career.roles[step.move.edge.from_role]
    target = career.roles[step.move.edge.to_role]
    change, _bands_up = band_change(source, target)
    moved = band_move(source, target)
    if moved is not None:
        change += f" ({moved})"
    parts: list[RenderableType] = [
        Text.assemble((target.title, "bold"), (f"  {target.id}", "dim")),
        Text(f"{step.move.edge.kind} · bands {change} · {step_months(step, career)}"),
    ]
    warning = warnings_text(step)
    if warning is not None:
        parts.append(warning)
    parts.extend(held_and_why(step, career, today))
    cost = step_cost_text(step_as_dict(step, career, today))
    if cost:
        parts.append(Text(f"Cost: {cost}", style="dim"))
    parts += [heading("To gain"), gap_text(step.gap, career)]
    parts += [heading("Routes"), routes_grid(step, today)]
    parts.append(heading("Posts by trust"))
    if posts is None:
        parts.append(Text("reading…", style="dim"))
    else:
        parts.append(posts_table(posts, first))
    return Group(*parts)


def path_summary(path: CareerPath) -> str:
    """'60 months (5.0 years), 2 moves'; the costs are said under it (`path_cost`)."""
    total = f"{path.total_months} months ({path.total_months / 12:.1f} years)"
    if path.months_unknown:
        total += " plus routes of unknown length"
    moves = f"{len(path.steps)} move{'s' if len(path.steps) != 1 else ''}"
    return f"{total}, {moves}"


def path_cost(path: CareerPath, career: Career, today: date) -> str:
    """What an employer's levy covers and what a self-funder would pay, as the CLI says it."""
    return "Cost: " + cost_text(path_as_dict(path, career, today))


def paths_view(
    paths: Sequence[CareerPath],
    career: Career,
    today: date,
    start_gap: Sequence[GapItem],
) -> RenderableType:
    """The ranked paths to a target, fastest first, each move with its routes and warnings."""
    if not paths:
        return Text("No way there in the catalogue.", style="dim")
    first = paths[0].steps[0].move.edge.from_role
    target = paths[-1].steps[-1].move.edge.to_role
    parts: list[RenderableType] = [
        Text.assemble(
            (career.roles[first].title, "bold"),
            " → ",
            (career.roles[target].title, "bold"),
            (f"  {len(paths)} way{'s' if len(paths) != 1 else ''}, fastest first", "dim"),
        ),
    ]
    for number, path in enumerate(paths, start=1):
        parts.append(Text(f"\nPath {number}: {path_summary(path)}", style="bold"))
        parts.append(Text(path_cost(path, career, today), style="dim"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(overflow="fold")
        for index, step in enumerate(path.steps, start=1):
            role = career.roles[step.move.edge.to_role]
            lines: list[RenderableType] = [
                Text.assemble(
                    f"{ARROWS.get(step.move.edge.kind, '·')} ",
                    role.title,
                    (f"  band {band_range(role)} · {step_months(step, career)}", "dim"),
                )
            ]
            # Under the move, indented (wrapped lines too): its route, what was held of it,
            # routes passed over, gap and warnings.
            if step.move.route is not None:
                lines.append(Padding(Text(f"via {step.move.route.name}", "dim"), (0, 0, 0, 2)))
            lines.extend(Padding(line, (0, 0, 0, 2)) for line in held_and_why(step, career, today))
            if step.gap:
                gained = ", ".join(
                    career.competencies.get(item.competency, item.competency) for item in step.gap
                )
                lines.append(Padding(Text(f"to gain: {gained}", "dim"), (0, 0, 0, 2)))
            for warning in step.warnings:
                lines.append(Padding(Text(f"! {warning['text']}", "bold"), (0, 0, 0, 2)))
            grid.add_row(Text(f"{index}."), Group(*lines))
        parts.append(grid)
    names = [career.competencies.get(item.competency, item.competency) for item in start_gap]
    parts += [
        heading("To gain overall"),
        Text(", ".join(names)) if names else Text("nothing: you hold what it needs", "green"),
    ]
    return Group(*parts)
