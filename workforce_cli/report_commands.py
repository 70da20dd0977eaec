"""`workforce report OUT.md|OUT.html`: the board report, written to a file.

The report's content is `pathways.report`; this module checks the command line, picks the
format from the file's suffix and writes the file atomically (a temporary file beside it,
then renamed), so a reader never opens half a report and a failed run leaves no file. The
report's modules (pydantic, sqlite_utils) are imported when a report is written: building the
parser must stay light (start-up time).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pathways.options import DEFAULT_TOP
from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    catalogue_path,
    db_option,
    open_db,
    positive_int,
)

if TYPE_CHECKING:
    from pathways.report import Document


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    report = commands.add_parser(
        "report",
        parents=[db_option()],
        help="write a board report (Markdown or HTML) of variation, a scenario and vacancies",
        description="Write a board report for an HR / workforce lead: a summary (catalogue, "
        "trusts, JDs, and a prominent warning when any are ILLUSTRATIVE), banding variation by "
        "staff group with the most significant flagged JDs, a saved harmonisation scenario's "
        "cost and people affected (--scenario; with none, the report says so and costs "
        "nothing), vacancies by staff group against national rates with small numbers "
        "suppressed, and where the figures come from (imports, reference data sources). The "
        "format follows the file's suffix: .md or .markdown (GitHub-flavoured Markdown), "
        ".html or .htm (one self-contained page, no scripts, printable).",
    )
    report.add_argument("output", metavar="OUT", help="the file to write: OUT.md or OUT.html")
    report.add_argument(
        "--scenario", metavar="NAME", help="a saved harmonisation scenario to cost and show"
    )
    report.add_argument(
        "--staff-group",
        metavar="GROUP",
        help="only this staff group's variation and vacancies (vacancies then by trust)",
    )
    report.add_argument(
        "--top",
        type=positive_int,
        default=DEFAULT_TOP,
        metavar="N",
        help=f"list the N most significant flagged JDs (default {DEFAULT_TOP})",
    )
    report.add_argument(
        "--pay-year",
        metavar="YEAR",
        help="cost the scenario in this pay year (default: the year it was saved with)",
    )
    report.add_argument(
        "--trust",
        dest="trusts",
        action="append",
        metavar="TRUST",
        help="cost the --scenario for this trust's posts only (ODS code or full name): its "
        "share of the network plan, said so in the report; repeat, or separate with commas, "
        "for several. Variation and vacancies stay network-wide",
    )
    report.add_argument("--force", action="store_true", help="replace OUT if it exists")
    report.set_defaults(handler=run_report)


def renderer_for(path: Path) -> Callable[[Document], str]:
    """The renderer the file's suffix asks for, or UsageError naming the suffixes allowed."""
    from pathways.report_html import render_html  # deferred: start-up time
    from pathways.report_markdown import render_markdown

    renderers: dict[str, Callable[[Document], str]] = {
        ".md": render_markdown,
        ".markdown": render_markdown,
        ".html": render_html,
        ".htm": render_html,
    }
    renderer = renderers.get(path.suffix.lower())
    if renderer is None:
        allowed = ", ".join(renderers)
        raise UsageError(
            f"{path}: cannot tell the report format from {path.suffix or 'no suffix'!r}: "
            f"name the file with one of {allowed}"
        )
    return renderer


def _check_staff_group(db: Any, given: str) -> None:
    groups = [row[0] for row in db.execute("SELECT id FROM staff_group ORDER BY id")]
    if given in groups:
        return
    close = difflib.get_close_matches(given, groups, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UsageError(f"unknown staff group {given!r} ({hint}staff groups: {', '.join(groups)})")


def run_report(args: argparse.Namespace) -> int:
    from catalogue.files import check_output, write_file
    from catalogue.scenarios import ScenarioError  # deferred: loads pydantic (start-up time)
    from pathways.harmonise import HarmonisationError, check_trusts
    from pathways.report import build_report, gather_report

    path = Path(args.output)
    render = renderer_for(path)
    check_output(path, replace=args.force)  # before the work, not only after it
    db = open_db(args)
    if args.staff_group is not None:
        _check_staff_group(db, args.staff_group)
    if args.pay_year is not None:
        if args.scenario is None:
            raise UsageError("--pay-year costs a scenario: give --scenario too")
        from catalogue.pay_years import require_pay_year

        require_pay_year(db, args.pay_year)
    if args.trusts and args.scenario is None:
        raise UsageError("--trust narrows a scenario's cost: give --scenario too")
    try:
        trusts = check_trusts(db, args.trusts) if args.trusts else []
        inputs = gather_report(
            db,
            catalogue=str(catalogue_path(args)),
            scenario=args.scenario,
            staff_group=args.staff_group,
            top=args.top,
            pay_year=args.pay_year,
            trusts=trusts,
        )
    except (ScenarioError, HarmonisationError) as error:
        raise UsageError(str(error)) from error
    write_file(path, render(build_report(inputs)), replace=args.force)
    if inputs.headline.illustrative:
        print(
            f"workforce: note: {inputs.headline.illustrative} JDs in this catalogue are "
            "ILLUSTRATIVE, not real posts; the report says so at the top",
            file=sys.stderr,
        )
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK
