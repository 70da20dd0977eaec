"""How the Compare screen draws what pathways.compare finds: the cells of a role's JD table
and competency matrix, and two JDs side by side.

Every piece of catalogue text goes in as a rich Text, never as a str Rich would read as
markup: a title "[bold]X" shows its brackets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import zip_longest
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from pathways.compare import (
    COMPARED_FIELDS,
    GROUP_HEADINGS,
    GROUP_ORDER,
    ComparedJD,
    CompetencyGroup,
    CompetencyRow,
    PairComparison,
    RoleComparison,
    competency_group,
    jd_key,
)
from pathways.figures import count_text

# Off the modal band, and the competencies only some JDs ask for: one style, read in both
# themes (a Rich style: DataTable cells cannot use the theme's variables).
STANDS_OUT = "bold red"
FIELD_NAMES = {
    "title": "title",
    "role": "role",
    "band": "band",
    "wte_funded": "WTE funded",
    "wte_in_post": "WTE in post",
    "je_score": "JE score",
}


def value_text(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


def band_range(comparison: RoleComparison) -> str:
    role = comparison.role
    if role.band_min is None:
        return "no AfC band (medical pay)"
    if role.band_min == role.band_max:
        return f"Band {role.band_min}"
    return f"Band {role.band_min}–{role.band_max}"


def role_heading(comparison: RoleComparison, shown: int) -> Text:
    """'Reporting Radiographer (reporting-radiographer) · reference Band 7 · modal band 7 ·
    14 JDs at 14 trusts · 2 off the mode'."""
    role = comparison.role
    off = sum(1 for item in comparison.jds if item.off_mode)
    if comparison.modal_band:
        mode = f"modal band {comparison.modal_band}"
    elif comparison.jds:
        mode = "no modal band (tied: nothing marked)"
    else:
        mode = "no JDs"
    text = Text.assemble(
        (role.title, "bold"),
        f" ({role.id}) · reference {band_range(comparison)} · {mode} · ",
        f"{count_text(len(comparison.jds), 'JD')} at {count_text(len(comparison.trusts), 'trust')}",
    )
    if off:
        text.append(f" · {off} off the mode", style=STANDS_OUT)
    if shown != len(comparison.jds):
        text.append(f" · {shown} shown")
    return text


def band_cell(item: ComparedJD) -> Text:
    """The band, and how far off the modal band (▲ above, ▼ below) when it is."""
    band = item.jd.band or "none"
    if not item.off_mode:
        return Text(band, no_wrap=True)
    steps = item.bands_from_mode
    arrow = "" if steps is None else f" {'▲' if steps > 0 else '▼'}{abs(steps)}"
    return Text(band + arrow, style=STANDS_OUT, no_wrap=True)


def vs_reference(item: ComparedJD) -> str:
    """How many competencies beyond (+) or short of (−) the reference role's."""
    return " ".join(
        f"{sign}{len(found)}" for sign, found in (("+", item.extra), ("−", item.missing)) if found
    )


def matrix_cells(
    row: CompetencyRow, trusts: Sequence[str], by_trust: Mapping[str, Sequence[str]]
) -> tuple[list[Text], bool]:
    """One competency's cells over `trusts` (✓ every JD of the trust asks, k/n some), and
    whether only some of the JDs shown ask for it: at least one and not all (a reference
    competency no JD shown asks for is not "some": `matrix_rows` lists it in a group of its
    own).

    Cells are laid out with leading spaces for a table without cell padding (the Compare
    screen's, so fifteen trusts fit in 100 columns)."""
    asked = set(row.asked_by)
    shown = [key for keys in by_trust.values() for key in keys]
    count = sum(1 for key in shown if key in asked)
    differs = competency_group(count, len(shown), row.reference_level is not None) == "some"
    style = STANDS_OUT if differs else ""
    cells = [
        Text(" " + row.name, style=style, no_wrap=True, overflow="ellipsis"),
        Text(
            ("–" if row.reference_level is None else str(row.reference_level)) + " ",
            justify="right",
        ),
    ]
    for trust in trusts:
        keys = by_trust.get(trust, ())
        mine = sum(1 for key in keys if key in asked)
        text = "✓" if keys and mine == len(keys) else f"{mine}/{len(keys)}" if mine else ""
        cells.append(Text(f"  {text}" if len(text) == 1 else f" {text}"))
    cells.append(Text(f"{count}/{len(shown)}".rjust(7) + (" *" if differs else "")))
    return cells, differs


def matrix_rows(
    comparison: RoleComparison, trusts: Sequence[str], by_trust: Mapping[str, Sequence[str]]
) -> list[tuple[CompetencyGroup, list[Text], str]]:
    """The matrix over the JDs shown (`by_trust`), as (group, cells, competency id), by group:
    asked by only some of them, by every one, then the reference role's asked by none.

    A competency only JDs filtered out ask for is left out. Groups are worked out over the
    JDs shown, so a filter can move a row from one to another; within a group the rows keep
    the analysis's order."""
    shown = {key for keys in by_trust.values() for key in keys}
    rows = []
    for row in comparison.competencies:
        count = sum(1 for key in row.asked_by if key in shown)
        group = competency_group(count, len(shown), row.reference_level is not None)
        if group is None:
            continue
        cells, _ = matrix_cells(row, trusts, by_trust)
        rows.append((group, cells, row.id))
    rows.sort(key=lambda found: GROUP_ORDER.index(found[0]))
    return rows


def matrix_heading(groups: Sequence[CompetencyGroup]) -> str:
    """The line above the matrix: how many rows, and how many in each group that stands out
    ('14 competencies by trust; ...; 3 asked by only some JDs (*, first); 2 required by the
    reference role, asked by no JD (last)')."""
    heading = f"{count_text(len(groups), 'competency', 'competencies')} by trust; Ref: the "
    heading += "reference role's level"
    some, none = groups.count("some"), groups.count("none")
    if some:
        heading += f"; {some:,} {GROUP_HEADINGS['some']} (*, first)"
    if none:
        heading += f"; {none:,} {GROUP_HEADINGS['none']} (last)"
    return heading


def pair_heading(pair: PairComparison) -> Text:
    return Text.assemble(
        ("A ", "bold"),
        jd_key(pair.a),
        "  ",
        pair.a.title,
        ("\nB ", "bold"),
        jd_key(pair.b),
        "  ",
        pair.b.title,
    )


def render_pair(pair: PairComparison, names: Mapping[str, str]) -> RenderableType:
    """Two JDs side by side: fields (differences marked ≠, with how B stands to A), the
    competencies only in A, only in B and in both, JE factor levels when both have them,
    and the summaries word by word."""
    differing = {item.field: item for item in pair.differences}
    fields = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold", expand=True)
    fields.add_column("", no_wrap=True, width=1)
    fields.add_column("field", no_wrap=True)
    fields.add_column("A", overflow="fold", ratio=2)
    fields.add_column("B", overflow="fold", ratio=2)
    fields.add_column("", overflow="fold", ratio=1)
    for name in COMPARED_FIELDS:
        difference = differing.get(name)
        style = STANDS_OUT if difference else ""
        fields.add_row(
            Text("≠" if difference else "", style=style),
            Text(FIELD_NAMES[name], style=style),
            Text(value_text(getattr(pair.a, name))),
            Text(value_text(getattr(pair.b, name))),
            Text(difference.note if difference else "", style="dim"),
        )

    competencies = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold", expand=True)
    groups = (pair.only_a, pair.only_b, pair.both)
    for heading, group, style in zip(
        ("Only in A", "Only in B", "In both"), groups, (STANDS_OUT, STANDS_OUT, ""), strict=True
    ):
        competencies.add_column(Text(f"{heading} ({len(group)})", style=style), ratio=1)
    columns = [[names.get(item, item) for item in group] for group in groups]
    for cells in zip_longest(*columns, fillvalue=""):
        competencies.add_row(*(Text(cell) for cell in cells))
    if not any(columns):
        competencies.add_row(Text("none", style="dim"), Text(""), Text(""))

    parts: list[RenderableType] = [
        pair_heading(pair),
        _heading("Fields"),
        fields,
        _heading("Competencies"),
        competencies,
        _heading(
            f"JE factor levels (score A {value_text(pair.a.je_score)}, "
            f"B {value_text(pair.b.je_score)})"
        ),
    ]
    if pair.je_levels:
        levels = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
        for heading, justify in (("", "left"), ("#", "right"), ("factor", "left")):
            levels.add_column(heading, justify=justify)  # type: ignore[arg-type]
        levels.add_column("A", justify="right")
        levels.add_column("B", justify="right")
        for level in pair.je_levels:
            style = STANDS_OUT if level.differs else ""
            levels.add_row(
                Text("≠" if level.differs else "", style=style),
                Text(str(level.factor)),
                Text(level.name, style=style),
                Text(level.a.written),
                Text(level.b.written),
            )
        parts.append(levels)
    else:
        lacking = " and ".join(side.upper() for side in pair.je_levels_missing)
        parts.append(
            Text(
                f"{lacking} {'have' if len(pair.je_levels_missing) > 1 else 'has'} no JE "
                "levels: no factor to compare",
                style="dim",
            )
        )
    parts += [_heading("Summary, A to B (struck out: only in A; underlined: only in B)")]
    parts.append(summary_text(pair))
    return Group(*parts)


def summary_text(pair: PairComparison) -> Text:
    """The summaries word by word: words only in A struck out in [- -], only in B
    underlined in {+ +} (the marks survive copying the text out of the terminal)."""
    summary = Text()
    for chunk in pair.summary_diff:
        if summary:
            summary.append(" ")
        if chunk.op == "only_a":
            summary.append(f"[-{chunk.text}-]", style="red strike")
        elif chunk.op == "only_b":
            summary.append(f"{{+{chunk.text}+}}", style="green underline")
        else:
            summary.append(chunk.text)
    return summary if summary else Text("(both summaries are empty)", style="dim")


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def pair_rows(pair: PairComparison) -> list[dict[str, Any]]:
    """The comparison as rows (section, item, a, b, differs), as `workforce compare --jd ...
    --format csv` writes it."""
    yes = {True: "yes", False: "no"}
    rows: list[dict[str, Any]] = [
        {
            "section": "jd",
            "item": "trust:jd_ref",
            "a": jd_key(pair.a),
            "b": jd_key(pair.b),
            "differs": "yes",
        }
    ]
    for name in COMPARED_FIELDS:
        a, b = getattr(pair.a, name), getattr(pair.b, name)
        rows.append({"section": "field", "item": name, "a": a, "b": b, "differs": yes[a != b]})
    for competency in sorted(pair.competencies_a | pair.competencies_b):
        in_a, in_b = competency in pair.competencies_a, competency in pair.competencies_b
        rows.append(
            {
                "section": "competency",
                "item": competency,
                "a": yes[in_a],
                "b": yes[in_b],
                "differs": yes[in_a != in_b],
            }
        )
    for level in pair.je_levels:
        rows.append(
            {
                "section": "je_factor",
                "item": f"{level.factor} {level.name}",
                "a": level.a.written,
                "b": level.b.written,
                "differs": yes[level.differs],
            }
        )
    rows.append(
        {
            "section": "summary",
            "item": "summary",
            "a": pair.a.summary,
            "b": pair.b.summary,
            "differs": yes[pair.a.summary != pair.b.summary],
        }
    )
    return rows


def role_rows(comparison: RoleComparison, shown: Sequence[ComparedJD]) -> list[dict[str, Any]]:
    """The JDs shown as rows, in the fields of `workforce compare ROLE --format csv`."""
    asked: dict[str, list[str]] = {}
    for row in comparison.competencies:
        for key in row.asked_by:
            asked.setdefault(key, []).append(row.id)
    return [
        {
            "role": comparison.role.id,
            "trust": item.jd.trust,
            "jd_ref": item.jd.jd_ref,
            "title": item.jd.title,
            "band": item.jd.band,
            "modal_band": comparison.modal_band,
            "off_mode": "true" if item.off_mode else "false",
            "bands_from_mode": item.bands_from_mode,
            "wte_funded": item.jd.wte_funded,
            "wte_in_post": item.jd.wte_in_post,
            "je_score": item.jd.je_score,
            "competencies": ";".join(sorted(asked.get(jd_key(item.jd), []))),
            "extra": ";".join(item.extra),
            "missing": ";".join(item.missing),
        }
        for item in shown
    ]
