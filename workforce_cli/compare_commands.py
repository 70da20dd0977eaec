"""Subcommands of the compare area: `workforce compare` (JDs of a role, or two JDs) and
`workforce gap` (establishment, in post and vacancies by group).

The analyses live in pathways.compare and pathways.gap; this module parses, checks names and
prints. Tables are laid out to read in 100 columns; every cell from the catalogue is a Rich
`Text`, so a title such as "Radiographer [Band 5]" prints literally. pathways.compare, the
queries and Rich are imported by the functions that use them: building the parser must stay
light (start-up time); pathways.gap is light and gives the parser its choices and help.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, TextIO

from catalogue.bands import band_label
from pathways.gap import (
    GROUPINGS,
    ROW_FIELDS,
    SMALL_WTE,
    GapReport,
    GapRow,
    gap_report,
    gap_report_as_dict,
    load_wte_cells,
)
from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    format_option,
    illustrative_caption,
    open_db,
)
from workforce_cli.output import write_json

if TYPE_CHECKING:
    from rich.console import Console

    from pathways.compare import PairComparison, RoleComparison

TABLE_WIDTH = 100  # piped output is laid out for this many columns

COMPARE_EPILOG = """\
examples:
  workforce compare reporting-radiographer
  workforce compare sonographer --trusts RRK,RBK,RJE --format json
  workforce compare --jd RBK:WHT_IMG_091 --jd RRK:RRK-IMG-0541

One role (JSON):
  {"role", "role_title", "reference_band_min", "reference_band_max",
   "modal_band",            null when the most common bands tie (then nothing is off mode)
   "trusts": [...],
   "jds": [{"trust", "jd_ref", "title", "band", "wte_funded", "wte_in_post",
            "je_score", "off_mode", "bands_from_mode" (signed, -1 = a band below),
            "extra" (competencies beyond the reference role's),
            "missing" (the reference role's competencies it does not ask for)}],
   "competencies": [{"id", "name", "reference_level" (null: not the reference role's),
                     "asked_by": ["TRUST:REF", ...], "common" (asked by every JD),
                     "group": "some" (asked by at least one JD, not all) | "every" |
                              "none" (required by the reference role, asked by no JD)}]}
  Competencies are listed by group (some, every, none); within one, the reference role's
  first, then the most asked for.
  The modal band is counted per JD over every JD of the role in the catalogue, also with
  --trusts (which narrows the JDs shown and the competency matrix, not the mode).
  CSV: one row per JD, list fields ;-separated.
  Table: the JDs, then the competency matrix with trusts as columns: a tick when every JD
  of that trust asks for it, k/n when k of its n JDs do; "ref" is the reference role's
  level (- : beyond the reference role); "JDs" is k/N, starred when only some JDs ask
  (at least one, not all). Rows are grouped: asked by only some JDs, by every JD, then
  the reference role's competencies no JD asks for.

Two JDs (JSON):
  {"a": {...}, "b": {...},   trust, jd_ref, title, role, band, WTE, je_score, je_levels,
                             competencies, summary
   "differences": [{"field", "a", "b", "note"}],   fields: title, role, band,
                             wte_funded, wte_in_post, je_score
   "competencies": {"only_a", "only_b", "both"},
   "je_levels": [{"factor", "name", "a", "b", "differs"}],   empty unless both have levels
   "je_levels_missing": ["a"|"b"],
   "summary_diff": [{"op": "same"|"only_a"|"only_b", "text"}]}   word by word
  CSV: section,item,a,b,differs. Table: [-words only in A-] {+words only in B+}.

Unknown role, trust or JD: exit 2 naming the nearest ones.
"""

_ROW_HELP = textwrap.fill(
    ", ".join(ROW_FIELDS), width=88, initial_indent="  ROW: ", subsequent_indent="       "
)

GAP_EPILOG = f"""\
Figures:
  establishment = sum of WTE funded; in post = sum of WTE in post; vacancies = the
  difference, negative when a group has more in post than funded (over_established: true);
  vacancy_rate = vacancies / establishment. A JD missing either WTE figure is left out of
  both sums (so they cover the same posts) and counted in jds_without_wte. JDs with no
  reference role are grouped as "unmapped" by staff group.

National comparison (the network strategy's figures, national_rate in the catalogue):
  national_rate is the rates of the group's roles weighted by their establishment, over
  the roles that have a national figure; national_coverage is the share of establishment
  in those roles; rated_vacancy_rate is the vacancy rate of those roles alone, and
  vs_national = rated_vacancy_rate - national_rate (like for like). --by rate-family sets
  the network against each national figure directly.

Small numbers:
  a group under {SMALL_WTE:g} WTE establishment has small: true. --suppress-small replaces its
  figures with null (JSON) or "*" (table, CSV) and sets suppressed: "small"; when only one
  group would be hidden, the next smallest is hidden too (suppressed: "secondary") so the
  total cannot reveal it. JD counts and national rates are not hidden.

JSON: {{"by", "small_threshold_wte", "suppressed", "groups": [ROW, ...], "total": ROW,
       "national_rates": [{{"id", "label", "rate", "source"}}]}}
{_ROW_HELP}
  Rates are fractions (0.11 is 11%). CSV: one row per group, then the total.
"""


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()
    fmt = format_option()

    compare = commands.add_parser(
        "compare",
        parents=[db, fmt],
        help="compare a role's JDs across trusts, or two JDs side by side",
        description="Compare the JDs of one reference role across trusts (band, title, WTE, "
        "JE score, which differ from the modal band, and a competency matrix against the "
        "reference role), or two JDs side by side with --jd TRUST:REF --jd TRUST:REF.",
        epilog=COMPARE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("role", nargs="?", metavar="ROLE", help="reference role id")
    compare.add_argument(
        "--trusts", metavar="A,B,...", help="only these trusts (ODS codes, comma-separated)"
    )
    compare.add_argument(
        "--jd",
        action="append",
        metavar="TRUST:REF",
        help="a JD to compare; give exactly two (instead of ROLE)",
    )
    compare.set_defaults(handler=run_compare)

    gap = commands.add_parser(
        "gap",
        parents=[db, fmt],
        help="establishment, in post, vacancies and vacancy rates",
        description="Workforce gap: establishment, staff in post, vacancies and vacancy rate "
        "by trust, staff group, ICB or national rate family, set against national rates.",
        epilog=GAP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gap.add_argument(
        "--by", choices=GROUPINGS, default="trust", help="how to group JDs (default trust)"
    )
    gap.add_argument(
        "--suppress-small",
        action="store_true",
        help=f"hide the figures of groups under {SMALL_WTE:g} WTE establishment",
    )
    gap.set_defaults(handler=run_gap)


# --- compare --------------------------------------------------------------------------------


def run_compare(args: argparse.Namespace) -> int:
    from pathways.compare import (  # deferred: loads sqlite_utils (start-up time)
        UnknownName,
        competency_names,
        load_pair_comparison,
        load_role_comparison,
    )

    if args.jd:
        if args.role or args.trusts:
            raise UsageError("give either ROLE (with --trusts) or two --jd TRUST:REF, not both")
        if len(args.jd) != 2:
            raise UsageError(f"--jd needs exactly two JDs (TRUST:REF), got {len(args.jd)}")
    elif not args.role:
        raise UsageError("name a ROLE to compare, or give two --jd TRUST:REF")
    db = open_db(args)
    try:
        if args.jd:
            pair = load_pair_comparison(db, args.jd[0], args.jd[1])
        else:
            trusts = [name for name in (args.trusts or "").split(",") if name.strip()]
            if args.trusts is not None and not trusts:
                raise UsageError("--trusts names no trust: give ODS codes such as RRK,RBK")
            comparison = load_role_comparison(db, args.role, trusts or None)
    except (UnknownName, ValueError) as error:
        raise UsageError(str(error)) from error
    if args.jd:
        _print_pair(pair, args.format, competency_names(db))
    else:
        caption = illustrative_caption(db)
        _print_role(comparison, args.format, caption)
    return EXIT_OK


def _print_role(comparison: RoleComparison, fmt: str, caption: str | None) -> None:
    from catalogue.export import rows_to_csv  # deferred, as below: start-up time
    from pathways.compare import role_comparison_as_dict

    data = role_comparison_as_dict(comparison)
    if fmt == "json":
        write_json(data)
        return
    if fmt == "csv":
        rows = []
        for jd in data["jds"]:
            row = dict(jd, role=data["role"], modal_band=data["modal_band"])
            row["off_mode"] = "true" if jd["off_mode"] else "false"  # as `workforce gap` writes
            for name in ("extra", "missing"):
                row[name] = ";".join(jd[name])
            row["competencies"] = ";".join(
                sorted(
                    item["id"]
                    for item in data["competencies"]
                    if f"{jd['trust']}:{jd['jd_ref']}" in item["asked_by"]
                )
            )
            rows.append(row)
        columns = [
            "role",
            "trust",
            "jd_ref",
            "title",
            "band",
            "modal_band",
            "off_mode",
            "bands_from_mode",
            "wte_funded",
            "wte_in_post",
            "je_score",
            "competencies",
            "extra",
            "missing",
        ]
        sys.stdout.write(rows_to_csv(rows, columns))
        return
    _print_role_tables(comparison, caption)


def _console(out: TextIO | None = None) -> Console:
    from rich.console import Console

    stream = out or sys.stdout
    return Console(file=stream, width=None if stream.isatty() else TABLE_WIDTH)


def _table(title: Any, caption: Any = None) -> Any:
    """A plain table: a rule under the header, one space of padding, no outer edge."""
    from rich import box
    from rich.table import Table

    # Right padding only: SIMPLE_HEAD's blank divider already separates the columns.
    return Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        header_style="bold",
    )


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


def _print_role_tables(comparison: RoleComparison, caption: str | None) -> None:
    from rich.text import Text

    from pathways.figures import count_text

    console = _console()
    role = comparison.role
    if role.band_min is None:
        reference = "no AfC band"
    elif role.band_min == role.band_max:
        reference = band_label(role.band_min)
    else:
        reference = f"Band {role.band_min}-{role.band_max}"
    if not comparison.jds:
        console.print(Text(f"{role.title} ({role.id}): no JDs to compare"))
        return
    if comparison.modal_band:
        mode = f"network modal band {comparison.modal_band}"
    else:
        mode = "no modal band (the most common bands tie: nothing marked)"
    trusts = comparison.trusts
    jds = _table(
        title=Text(
            f"{role.title} ({role.id}): {count_text(len(comparison.jds), 'JD')} at "
            f"{count_text(len(trusts), 'trust')}; {mode}; reference {reference}"
        ),
        caption=Text(
            "band (-1): bands from the mode; funded, in post: WTE; vs ref: how many "
            "competencies it asks beyond (+) or lacks (-) of the reference role's"
            + (f". {caption}" if caption else "")
        ),
    )
    # Only the reference and the title wrap; short columns keep their width.
    jds.add_column("trust", no_wrap=True)
    jds.add_column("JD ref", overflow="fold", max_width=18)
    jds.add_column("title", overflow="fold", ratio=1)
    jds.add_column("band", no_wrap=True)
    for name in ("funded", "in post", "JE", "vs ref"):
        jds.add_column(name, justify="right", no_wrap=True)
    for item in comparison.jds:
        jd = item.jd
        band = jd.band or "none"
        if item.bands_from_mode is not None:
            band += f" ({item.bands_from_mode:+d})"
        elif item.off_mode:
            band += " (off mode)"
        vs_ref = " ".join(
            f"{sign}{len(found)}"
            for sign, found in (("+", item.extra), ("-", item.missing))
            if found
        )
        cells = (
            jd.trust,
            jd.jd_ref,
            jd.title,
            band,
            _number(jd.wte_funded),
            _number(jd.wte_in_post),
            _number(jd.je_score),
            vs_ref,
        )
        jds.add_row(*(Text(cell) for cell in cells), style="bold" if item.off_mode else None)
    console.print(jds)
    for chunk in _chunks(trusts, _trusts_per_table(console.width)):
        console.print(_matrix(comparison, chunk))


_NAME_WIDTH = 28
_TRUST_WIDTH = 3


def _trusts_per_table(width: int) -> int:
    # Each column takes its text, one space of padding and one of divider: the competency
    # name, "ref" and "JDs" (k/N *) columns, then one column per trust.
    fixed = (_NAME_WIDTH + 2) + (3 + 2) + (7 + 2)
    return max(1, (width - fixed) // (_TRUST_WIDTH + 2))


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Split evenly: 14 trusts in tables of at most 10 are two tables of 7, not 10 and 4."""
    count = -(-len(items) // size)
    per = -(-len(items) // count) if count else size
    for start in range(0, len(items), per):
        yield items[start : start + per]


def _matrix(comparison: RoleComparison, trusts: Sequence[str]) -> Any:
    from rich.text import Text

    from pathways.compare import GROUP_HEADINGS, GROUP_ORDER, jd_key

    by_trust: dict[str, list[str]] = {}
    for item in comparison.jds:
        by_trust.setdefault(item.jd.trust, []).append(jd_key(item.jd))
    total = len(comparison.jds)
    table = _table(
        title=Text(f"Competencies asked by {', '.join(trusts)}"),
        caption=Text(
            "✓ every JD of the trust asks; k/n: k of its n JDs; ref: reference role's level "
            "(- beyond it); * asked by only some JDs (at least one, not all)"
        ),
    )
    table.add_column("competency", overflow="fold", max_width=_NAME_WIDTH)
    table.add_column("ref", justify="right")
    for trust in trusts:
        table.add_column(trust, justify="center", overflow="fold")
    table.add_column("JDs", justify="right", no_wrap=True)
    # The analysis lists the rows by group; each group under its own heading, so a reference
    # competency no JD asks for (0/N) is never read as one only some JDs ask for.
    for group in GROUP_ORDER:
        rows = [row for row in comparison.competencies if row.group == group]
        if not rows:
            continue
        if table.row_count:
            table.add_section()
        heading = GROUP_HEADINGS[group]
        table.add_row(Text(f"{heading[0].upper()}{heading[1:]} ({len(rows):,})", style="bold"))
        for row in rows:
            asked = set(row.asked_by)
            cells = [row.name, "-" if row.reference_level is None else str(row.reference_level)]
            for trust in trusts:
                keys = by_trust.get(trust, [])
                count = sum(1 for key in keys if key in asked)
                cells.append(
                    "✓" if keys and count == len(keys) else f"{count}/{len(keys)}" if count else ""
                )
            cells.append(f"{len(asked)}/{total}" + (" *" if row.group == "some" else ""))
            table.add_row(*(Text(cell) for cell in cells))
    return table


def _print_pair(pair: PairComparison, fmt: str, names: Mapping[str, str]) -> None:
    from catalogue.export import rows_to_csv  # deferred, as below: start-up time
    from pathways.compare import pair_comparison_as_dict

    data = pair_comparison_as_dict(pair)
    if fmt == "json":
        write_json(data)
        return
    if fmt == "csv":
        sys.stdout.write(rows_to_csv(_pair_rows(data), ["section", "item", "a", "b", "differs"]))
        return
    _print_pair_tables(pair, names)


def _pair_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    from pathways.compare import COMPARED_FIELDS  # deferred: start-up time

    a, b = data["a"], data["b"]
    rows: list[dict[str, Any]] = [
        {
            "section": "jd",
            "item": "trust:jd_ref",
            "a": f"{a['trust']}:{a['jd_ref']}",
            "b": f"{b['trust']}:{b['jd_ref']}",
            "differs": "yes",
        }
    ]
    for name in COMPARED_FIELDS:
        rows.append(
            {
                "section": "field",
                "item": name,
                "a": a[name],
                "b": b[name],
                "differs": "yes" if a[name] != b[name] else "no",
            }
        )
    for competency in sorted(set(a["competencies"]) | set(b["competencies"])):
        in_a, in_b = competency in a["competencies"], competency in b["competencies"]
        rows.append(
            {
                "section": "competency",
                "item": competency,
                "a": "yes" if in_a else "no",
                "b": "yes" if in_b else "no",
                "differs": "yes" if in_a != in_b else "no",
            }
        )
    for level in data["je_levels"]:
        rows.append(
            {
                "section": "je_factor",
                "item": f"{level['factor']} {level['name']}",
                "a": level["a"],
                "b": level["b"],
                "differs": "yes" if level["differs"] else "no",
            }
        )
    rows.append(
        {
            "section": "summary",
            "item": "summary",
            "a": a["summary"],
            "b": b["summary"],
            "differs": "yes" if a["summary"] != b["summary"] else "no",
        }
    )
    return rows


def _print_pair_tables(pair: PairComparison, names: Mapping[str, str]) -> None:
    from rich.text import Text

    from pathways.compare import COMPARED_FIELDS, jd_key

    console = _console()
    key_a, key_b = jd_key(pair.a), jd_key(pair.b)
    differing = {item.field: item for item in pair.differences}
    fields = _table(
        title=Text(f"A {key_a}  vs  B {key_b}"),
    )
    fields.add_column("field")
    fields.add_column("A", overflow="fold", ratio=2)
    fields.add_column("B", overflow="fold", ratio=2)
    fields.add_column("", overflow="fold", ratio=1)
    for name in COMPARED_FIELDS:
        value_a, value_b = getattr(pair.a, name), getattr(pair.b, name)
        difference = differing.get(name)
        mark = ("≠ " + difference.note).strip() if difference else ""
        fields.add_row(
            Text(name),
            Text(_value(value_a)),
            Text(_value(value_b)),
            Text(mark),
            style="bold" if difference else None,
        )
    console.print(fields)

    competencies = _table(
        title=Text("Competencies"),
    )
    for heading in (
        f"only A ({len(pair.only_a)})",
        f"only B ({len(pair.only_b)})",
        f"both ({len(pair.both)})",
    ):
        competencies.add_column(heading, overflow="fold", ratio=1)
    columns = [
        [names.get(item, item) for item in group] for group in (pair.only_a, pair.only_b, pair.both)
    ]
    for cells in zip_longest(*columns, fillvalue=""):
        competencies.add_row(*(Text(cell) for cell in cells))
    console.print(competencies)

    if pair.je_levels:
        levels = _table(
            title=Text(
                f"JE factor levels (score A {_value(pair.a.je_score)}, B {_value(pair.b.je_score)})"
            ),
        )
        for heading, justify in (
            ("factor", "right"),
            ("name", "left"),
            ("A", "right"),
            ("B", "right"),
            ("", "left"),
        ):
            levels.add_column(heading, justify=justify)
        for level in pair.je_levels:
            levels.add_row(
                Text(str(level.factor)),
                Text(level.name),
                Text(level.a.written),
                Text(level.b.written),
                Text("≠" if level.differs else ""),
                style="bold" if level.differs else None,
            )
        console.print(levels)
    else:
        lacking = " and ".join(side.upper() for side in pair.je_levels_missing)
        verb = "have" if len(pair.je_levels_missing) > 1 else "has"
        console.print(Text(f"JE factor levels: {lacking} {verb} none, so no factor comparison"))

    summary = Text()
    for chunk in pair.summary_diff:
        if summary:
            summary.append(" ")
        if chunk.op == "only_a":
            summary.append(f"[-{chunk.text}-]", style="red")
        elif chunk.op == "only_b":
            summary.append(f"{{+{chunk.text}+}}", style="green")
        else:
            summary.append(chunk.text)
    console.print(Text("Summary, A to B ([-only A-] {+only B+}):", style="bold"))
    console.print(summary if summary else Text("(both summaries empty)"))


def _value(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --- gap ------------------------------------------------------------------------------------


def run_gap(args: argparse.Namespace) -> int:
    from catalogue.export import rows_to_csv  # deferred, as below: start-up time
    from pathways.records import load_national_rates

    db = open_db(args)
    rates = load_national_rates(db)
    report = gap_report(load_wte_cells(db), rates, args.by, suppress=args.suppress_small)
    if args.format == "json":
        write_json(gap_report_as_dict(report, rates))
    elif args.format == "csv":
        rows = [_csv_row(row, report.suppressed) for row in (*report.rows, report.total)]
        sys.stdout.write(rows_to_csv(rows, list(ROW_FIELDS)))
    else:
        _print_gap_table(report, illustrative_caption(db))
    return EXIT_OK


_HIDDEN_FIELDS = (
    "establishment",
    "in_post",
    "vacancies",
    "vacancy_rate",
    "over_established",
    "rated_vacancy_rate",
    "vs_national",
)


def _csv_row(row: GapRow, suppressed: bool) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(row, name) for name in ROW_FIELDS}
    for name, value in values.items():
        if isinstance(value, bool):
            values[name] = "true" if value else "false"
    if row.suppressed:
        values.update({name: "*" for name in _HIDDEN_FIELDS})
    return values


def _wte(value: float | None) -> str:
    """WTE to one decimal place (two when the second is needed), so figures line up."""
    if value is None:
        return ""
    return f"{value:.1f}" if round(value, 1) == round(value, 2) else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


# Words every trust or ICB name ends with, left out of the table (JSON and CSV keep them).
_NAME_ENDINGS = (" NHS Foundation Trust", " NHS Trust", " Integrated Care Board")


def _short_name(label: str) -> str:
    for ending in _NAME_ENDINGS:
        if label.endswith(ending):
            label = label[: -len(ending)]
    return label.removeprefix("NHS ")


def _gap_notes(row: GapRow) -> list[str]:
    """What a reader must know about a row that its figures do not say."""
    notes = []
    if row.suppressed == "small":
        notes.append(f"under {SMALL_WTE:g} WTE: figures hidden")
    elif row.suppressed == "secondary":
        notes.append("figures hidden so a hidden small group cannot be worked out")
    elif row.small:
        notes.append(f"small numbers (under {SMALL_WTE:g} WTE)")
    if row.over_established:
        notes.append(
            f"over-established: {_wte(-(row.vacancies or 0.0))} WTE more in post than funded"
        )
    if row.jds_without_wte:
        plural = "s" if row.jds_without_wte != 1 else ""
        notes.append(f"{row.jds_without_wte} JD{plural} without WTE, left out of the sums")
    return notes


def _gap_cells(row: GapRow, with_name: bool) -> list[str]:
    hidden = bool(row.suppressed)

    def figure(text: str) -> str:
        return "*" if hidden else text

    cells = [row.key]
    if with_name:
        cells.append(_short_name(row.label))
    cells += [
        str(row.jds),
        figure(_wte(row.establishment)),
        figure(_wte(row.in_post)),
        figure(_wte(row.vacancies)),
        figure(_percent(row.vacancy_rate)),
        _percent(row.national_coverage),
        figure(_percent(row.rated_vacancy_rate)),
        _percent(row.national_rate),
    ]
    return cells


def _print_gap_table(report: GapReport, caption: str | None) -> None:
    from rich.text import Text

    console = _console()
    if not report.rows:
        console.print(Text("No job descriptions in the catalogue: no workforce gap to show."))
        return
    lines = [
        "vacant = establishment - in post (negative: over-established); rate = vacant / "
        "establishment. covered: share of establishment in roles with a national rate; "
        "rate cov.: the vacancy rate of those roles, set against national: their national "
        "rates weighted by establishment."
    ]
    if report.suppressed:
        lines.append(f"*: hidden (under {report.threshold:g} WTE, or protecting such a group).")
    if caption:
        lines.append(caption + ".")
    with_name = report.by in ("trust", "icb")
    table = _table(Text(f"Workforce gap by {report.by}"), Text(" ".join(lines)))
    table.add_column(report.by, no_wrap=True)
    if with_name:
        table.add_column("name", overflow="fold", ratio=1)
    for name in (
        "JDs",
        "WTE est.",
        "in post",
        "vacant",
        "rate",
        "covered",
        "rate cov.",
        "national",
    ):
        table.add_column(name, justify="right", no_wrap=True)
    notes: list[str] = []
    for row in report.rows:
        table.add_row(*(Text(cell) for cell in _gap_cells(row, with_name)))
        notes += [f"{row.key}: {note}" for note in _gap_notes(row)]
    table.add_section()
    table.add_row(*(Text(cell) for cell in _gap_cells(report.total, with_name)), style="bold")
    notes += [f"{report.total.key}: {note}" for note in _gap_notes(report.total)]
    console.print(table)
    for note in notes:
        console.print(Text(f"  {note}"))
