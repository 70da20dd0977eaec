"""`workforce variation --pay`: who pays what for the same work, beyond the band.

The options are added to `workforce variation` (banding_commands registers them); the analysis
is imported by the function that uses it, not here (start-up time).
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from workforce_cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, illustrative_caption
from workforce_cli.output import emit, write_json

if TYPE_CHECKING:
    from catalogue.store import Reader
    from pathways.pay_variation import Pay, PayLine, PayVariation

TABLE_COLUMNS = (
    "severity",
    "role",
    "trust",
    "band",
    "posts",
    "appointed_at",
    "new_starter",
    "top",
    "rrp_until",
    "gap",
    "reasons",
)


def add_options(parser: argparse.ArgumentParser) -> None:
    """`--pay` and what goes with it, on `workforce variation`."""
    parser.add_argument(
        "--pay",
        action="store_true",
        help="pay variation beyond the band instead of banding: per role, what a new starter "
        "and a person at the top of the band are paid at each trust (basic pay at the "
        "appointment point, premium, supplement), flagging a premium or supplement other "
        "trusts do not pay, the same band paid differently by more than --threshold, and a "
        "premium past (or without) its review date",
    )
    parser.add_argument(
        "--threshold",
        metavar="PERCENT",
        help="with --pay: flag pay differing from the network's usual pay for the role and "
        "band by more than this (default: the catalogue's setting, 5%%, as equal-pay audits "
        "use); high at twice it",
    )
    parser.add_argument(
        "--pay-year", metavar="YEAR", help="with --pay: the pay year to cost in (default: latest)"
    )


def check_options(args: argparse.Namespace) -> None:
    if not args.pay and (args.threshold is not None or args.pay_year is not None):
        raise UsageError("--threshold and --pay-year go with --pay")


def threshold_fraction(text: str) -> float:
    """'5%' or '5' -> 0.05; refused outside 0-100% or as a bare fraction ('0.05')."""
    written = text.strip()
    number = written.removesuffix("%").strip()
    if not re.fullmatch(r"\d+(?:\.\d+)?", number):
        raise UsageError(f"--threshold {text!r}: give a percentage such as 5%")
    value = float(number)
    if not written.endswith("%") and value < 1:
        raise UsageError(
            f"--threshold {text!r}: write the percentage with its sign: {value * 100:g}% for "
            f"a fraction of {number}, or {number}% for {number} per cent"
        )
    if not 0 < value < 100:
        raise UsageError(f"--threshold {text!r}: give a percentage between 0% and 100%")
    return value / 100


def run_pay_variation(
    args: argparse.Namespace, db: Reader, trust: str | None, today: date | None = None
) -> int:
    from pathways.pay_variation import (
        CSV_COLUMNS,
        PayVariationError,
        line_row,
        pay_variation,
        variation_dict,
    )

    threshold = threshold_fraction(args.threshold) if args.threshold is not None else None
    try:
        result = pay_variation(
            db,
            role=args.role,
            staff_group=args.staff_group,
            trust=trust,
            pay_year=args.pay_year,
            threshold=threshold,
            today=today,
        )
    except PayVariationError as error:
        raise UsageError(str(error)) from error
    if args.format == "json":
        write_json(variation_dict(result))
    elif args.format == "csv":
        lines = [line for role in result.roles for line in role.lines]
        emit([line_row(line) for line in lines], "csv", columns=CSV_COLUMNS)
    else:
        _print(db, result, args.limit)
    if args.fail_on and any(
        line.severity is not None and _at_or_above(line.severity, args.fail_on)
        for line in result.flagged
    ):
        return EXIT_FINDINGS
    return EXIT_OK


def _at_or_above(severity: str, threshold: str) -> bool:
    from pathways.options import SEVERITIES

    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


def pay_text(pay: Pay) -> str:
    """'£52,591 (basic £47,810 + RRP £4,781)': the total, then every element paid."""
    from pathways.figures import money

    parts = [f"basic {money(pay.basic)}"]
    if pay.rrp:
        parts.append(f"RRP {money(pay.rrp)}")
    if pay.supplement:
        parts.append(f"supplement {money(pay.supplement)}")
    return money(pay.total) + (f" ({' + '.join(parts)})" if len(parts) > 1 else "")


def gap_text(line: PayLine) -> str:
    """'+10.0% / +10.0%': new starter and top against the network's usual pay."""
    return " / ".join(f"{line.gaps.get(m, 0.0):+.1%}" for m in ("new_starter", "top"))


def _print(db: Reader, result: PayVariation, limit: int | None) -> None:
    from pathways.pay_variation import REASON_TEXT, sort_lines

    shown_roles = [role for role in result.roles if role.varies]
    lines = sort_lines(line for role in shown_roles for line in role.lines)
    total = len(lines)
    if limit is not None:
        lines = lines[:limit]
    rows: list[dict[str, Any]] = [
        {
            "severity": line.severity or "",
            "role": line.role,
            "trust": line.trust,
            "band": line.band,
            "posts": len(line.jd_refs),
            "appointed_at": line.appointment_point,
            "new_starter": pay_text(line.new_starter),
            "top": pay_text(line.top),
            "rrp_until": line.rrp_until or "",
            "gap": gap_text(line),
            "reasons": "; ".join(REASON_TEXT[r] for r in line.reasons),
        }
        for line in lines
    ]
    counts = result.counts()
    hidden = len(result.roles) - len(shown_roles)
    caption = (
        f"{counts['flags']} pay line(s) flagged, {counts['high']} high. Pay year "
        f"{result.pay_year}; threshold {result.threshold:.1%}"
        f"{' (given)' if result.threshold_source == 'given for this run' else ''}; "
        f"premia judged as of {result.today}."
    )
    if hidden:
        caption += f" {hidden} role(s) paid only the band's pay, alike at every trust, not shown."
    if limit is not None and total > limit:
        caption += f" Showing the first {limit} of {total}."
    if result.missing_pay:
        caption += f" No pay in {result.pay_year} for band(s) {', '.join(result.missing_pay)}."
    skipped = result.skipped
    caption += (
        f" Not costed: {skipped.get('unmapped', 0)} unmapped JD(s), "
        f"{skipped.get('no_band', 0)} on medical pay."
    )
    illustrative = illustrative_caption(db)
    if illustrative:
        caption += f" {illustrative}."
    emit(
        rows,
        "table",
        columns=TABLE_COLUMNS,
        title="Pay beyond the band"
        + (f" at {result.trust} (compared network-wide)" if result.trust else "")
        + ": new starter and top of band, every element",
        caption=caption,
    )
