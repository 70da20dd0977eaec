"""Subcommands of the banding area: `workforce variation` and `workforce je`.

The analyses (and sqlite_utils under them) are imported by the functions that use them, not
here: building the parser must stay light (start-up time).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalogue.bands import band_label, parse_band
from catalogue.errors import JELevelError
from pathways.options import SEVERITIES
from workforce_cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    db_option,
    format_option,
    illustrative_caption,
    non_negative_int,
    open_db,
    open_for_reading,
    positive_int,
)
from workforce_cli.output import emit, write_json
from workforce_cli.pay_commands import add_options as add_pay_options
from workforce_cli.pay_commands import check_options as check_pay_options

if TYPE_CHECKING:
    from sqlite_utils import Database

    from catalogue.je_profiles import JEProfile
    from catalogue.je_scheme import JEScheme
    from catalogue.store import Reader
    from pathways import je_check, je_profile_match, variation

FLAG_COLUMNS = (
    "severity",
    "trust",
    "jd_ref",
    "title",
    "role",
    "band",
    "modal_band",
    "reference_band",
    "je_band",
    "reasons",
    "distance",
    "wte_in_post",
)
# CSV carries every key of a flag (the header stays even when there are no flags).
CSV_FLAG_COLUMNS = (
    "severity",
    "trust",
    "jd_ref",
    "title",
    "role",
    "staff_group",
    "band",
    "modal_band",
    "reference_band",
    "je_score",
    "je_band",
    "reasons",
    "distance",
    "wte_in_post",
)
MATCH_COLUMNS = (
    "profile",
    "profile_band",
    "outside_profile",
    "band_holds",
    "generic_rule_applied",
)
ROLE_COLUMNS = ("role", "jds", "bands", "modal_band", "spread", "titles", "flags")
JE_FILE_COLUMNS = (
    "trust",
    "jd_ref",
    "title",
    "band",
    "score",
    "je_band",
    "near_boundary",
    "agrees",
    "what_if_up",
    "what_if_down",
    "note",
)


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()

    var = commands.add_parser(
        "variation",
        parents=[db, format_option()],
        help="banding variation by role, and the JDs that stand out",
        description="Banding variation: per reference role the bands trusts give it, the modal "
        "band (none when tied), the spread and the local titles; per JD a flag with every "
        "reason that applies: 'modal' (differs from the role's modal band), 'reference' "
        "(outside the reference role's range), 'je' (differs from its own JE score's band). "
        "Severity: high for a JE disagreement or two bands or more off, warn for one. "
        "Unmapped JDs and JDs on medical pay are not flagged (counted as skipped). With "
        "--trust the role statistics stay network-wide and only that trust's flags are "
        "listed. The table shows each role's flags by severity with their WTE in post; JSON "
        "adds a 'summary' of the flags (and each role's 'flag_counts') by severity and "
        "reason. CSV output lists the flags. With --pay: pay variation beyond the band "
        "instead (see --pay).",
    )
    scope = var.add_mutually_exclusive_group()
    scope.add_argument("--role", metavar="ROLE", help="only this reference role")
    scope.add_argument("--staff-group", metavar="GROUP", help="only this staff group's roles")
    var.add_argument(
        "--trust", metavar="TRUST", help="only this trust's flags (ODS code or exact name)"
    )
    var.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when any flag of this severity or worse is listed (for scripted checks)",
    )
    var.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help="show at most N flags in the table, the first by severity and WTE (JSON and CSV "
        "list every flag; --fail-on always judges every flag)",
    )
    add_pay_options(var)
    var.set_defaults(handler=run_variation)

    je = commands.add_parser(
        "je",
        parents=[db, format_option()],
        help="JE score and band from factor levels, with each factor's points and the what-if",
        description="Job evaluation check, as a JE panel works: each factor's level and its "
        "points; the score and the band it falls in; whether it is near a band boundary; "
        "whether it agrees with the band given; and every single-factor change that would "
        "move it into another band, up or down, smallest first. A level may carry a sub-level "
        "letter ('4a', '3b', '3ab': scored as its level, shown as written) or be a range "
        "('2-3': the score becomes a range, and the check names every band it reaches). A "
        "score in a band closed to new entrants (Band 1) is said to be so. Give JD files "
        "(CSV, TOML or JSON in the import format, or Word JDs; rows without je_levels are "
        "reported as such) or one job's --levels. Writes nothing to the catalogue.",
    )
    je.add_argument("files", nargs="*", metavar="FILE", help="JD files to check")
    je.add_argument(
        "--levels",
        metavar="LEVELS",
        help='one job\'s 16 factor levels, factor 1 first, e.g. "4 6 4a 3 3 2-3 ..."',
    )
    je.add_argument("--band", metavar="BAND", help="the band given to that job (with --levels)")
    je.add_argument(
        "--margin",
        type=non_negative_int,
        metavar="POINTS",
        help="the near-boundary margin: a score is 'near boundary' when a change of this many "
        "points or fewer would move it into the next band up or down (default: the "
        "catalogue's setting, 5; 0 turns the flag off). Shown in the output.",
    )
    je.add_argument(
        "--profile",
        metavar="ID",
        help="match each job against this JE profile (`workforce profiles` lists them): the "
        "factors where the job falls outside the profile's range and by how many levels, and "
        "whether the profile's band still holds (saying when the generic-profile rule decided "
        "it)",
    )
    je.set_defaults(handler=run_je)


# --- workforce variation --------------------------------------------------------------------


def run_variation(args: argparse.Namespace) -> int:
    from pathways import variation  # deferred, as below: start-up time
    from pathways.records import load_roles

    db = open_for_reading(args)  # sqlite3 alone: sqlite-utils is not needed to read
    roles = load_roles(db)
    if args.role is not None:
        _check_known("role", args.role, roles)
    if args.staff_group is not None:
        groups = [row[0] for row in db.execute("SELECT id FROM staff_group ORDER BY id")]
        _check_known("staff group", args.staff_group, groups)
    trust = _trust_code(db, args.trust) if args.trust is not None else None
    check_pay_options(args)
    if args.pay:
        from workforce_cli.pay_commands import run_pay_variation  # deferred: start-up time

        return run_pay_variation(args, db, trust)

    summary = variation.variation_summary(
        db, role=args.role, staff_group=args.staff_group, trust=trust
    )
    # JSON and CSV list every flag, streamed from SQLite as they are written; the table
    # fetches only the flags it shows.
    if args.format == "json":
        data = variation.summary_as_dict(summary)
        flags = (variation.flag_as_dict(f, roles) for f in _flags(db, summary))
        _write_json_streaming(data, "flags", flags)
    elif args.format == "csv":
        _write_csv_streaming(_flag_rows(_flags(db, summary), roles, ";"), CSV_FLAG_COLUMNS)
    else:
        _print_variation(db, summary, roles, args.limit)

    # The summary counts every flag in scope, so --fail-on judges them all, shown or not.
    if args.fail_on and summary.flags.any_at_or_above(args.fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


def _flags(
    db: Reader, summary: variation.VariationSummary, limit: int | None = None
) -> Iterator[variation.Flag]:
    from pathways import variation  # deferred: start-up time

    return variation.list_flags(db, summary.rules, trust=summary.trust, limit=limit)


def _flag_rows(
    flags: Iterable[variation.Flag], roles: dict[str, Any], joiner: str
) -> Iterator[dict[str, Any]]:
    from pathways import variation  # deferred: start-up time

    for flag in flags:
        row = variation.flag_as_dict(flag, roles)
        row["reasons"] = joiner.join(row["reasons"])
        yield row


def _write_json_streaming(data: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """Write `data` as `write_json` would (indent 2), with `data[key]` the list of `items`,
    each written as it comes rather than all gathered first, one item a line.

    One line an item, not indented: Python's JSON encoder is in C only without an indent,
    and tens of thousands of indented flags spent two thirds of `variation --format json`'s
    time being formatted. A line a flag also greps well."""
    out = sys.stdout
    out.write("{")
    for index, (name, value) in enumerate(data.items()):
        out.write(("," if index else "") + "\n  " + json.dumps(name, ensure_ascii=False) + ": ")
        if name != key:
            out.write(_indent(json.dumps(value, indent=2, ensure_ascii=False), 2))
            continue
        out.write("[")
        count = 0
        for count, item in enumerate(items, 1):
            text = json.dumps(item, ensure_ascii=False)
            out.write(("," if count > 1 else "") + "\n    " + text)
        out.write("\n  ]" if count else "]")
    out.write("\n}\n" if data else "}\n")


def _indent(text: str, spaces: int) -> str:
    return text.replace("\n", "\n" + " " * spaces)


def _write_csv_streaming(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Write rows as `emit(rows, "csv", columns=...)` would, one at a time as they come."""
    from catalogue.export import csv_cell  # deferred: start-up time

    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(name, row.get(name)) for name in columns])


def _print_variation(
    db: Reader,
    summary: variation.VariationSummary,
    roles: dict[str, Any],
    limit: int | None,
) -> None:

    counts = summary.role_flags
    shown = [stat for stat in summary.roles if stat.varies or stat.role in counts]
    role_rows = [
        {
            "role": stat.role,
            "jds": stat.jds,
            "bands": _bands_text(stat),
            "modal_band": stat.modal_band or ("tied" if stat.bands else ""),
            "spread": stat.spread,
            "titles": "; ".join(f"{title} ({count})" for title, count in stat.titles.items()),
            "flags": _counts_text(counts.get(stat.role)),
        }
        for stat in shown
    ]
    uniform = len(summary.roles) - len(shown)
    emit(
        role_rows,
        "table",
        columns=ROLE_COLUMNS,
        title="Roles with banding or title variation, or flags"
        + (" (network-wide statistics; flags at " + summary.trust + ")" if summary.trust else ""),
        caption=f"{uniform} role(s) with one band, one title and no flags not shown"
        if uniform
        else None,
    )
    total = summary.flags.total
    high = summary.flags.by_severity["high"]
    skipped = summary.skipped
    caption = (
        f"{total.flags} flag(s), {high.flags} high; WTE in post {_wte(total.wte_in_post)} "
        f"flagged, {_wte(high.wte_in_post)} high. Not flagged: {skipped['unmapped']} unmapped "
        f"JD(s), {skipped['no_band']} on medical pay (no AfC band)."
    )
    rows = list(_flag_rows(_flags(db, summary, limit), roles, ", "))
    if limit is not None and total.flags > limit:
        caption += f" Showing the first {limit}."
    illustrative = illustrative_caption(db)
    if illustrative:
        caption += f" {illustrative}."
    emit(
        rows,
        "table",
        columns=FLAG_COLUMNS,
        title="Flags"
        + (f" at {summary.trust}" if summary.trust else "")
        + " (high first, then WTE in post)",
        caption=caption,
    )


def _counts_text(counts: variation.FlagCounts | None) -> str:
    """A role's flags by severity, worst first: 'high 2 (4.5 WTE), warn 1 (5 WTE)'."""
    if counts is None:
        return ""
    return ", ".join(
        f"{severity} {tally.flags} ({_wte(tally.wte_in_post)} WTE)"
        for severity, tally in counts.by_severity.items()
        if tally.flags
    )


def _wte(value: float) -> str:
    """WTE to two places at most, without trailing zeros: 4.5, 5, 312760.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _bands_text(stat: variation.RoleStats) -> str:
    parts = [f"{band}: {count}" for band, count in stat.bands.items()]
    if stat.no_band:
        parts.append(f"no AfC band: {stat.no_band}")
    return ", ".join(parts)


def _check_known(kind: str, value: str, known: Iterable[str]) -> None:
    names = list(known)
    if value in names:
        return
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UsageError(f"unknown {kind} {value!r}{hint}")


def _trust_code(db: Reader, given: str) -> str:
    """A trust's ODS code from its code (any case) or its exact name."""
    from pathways.records import load_trusts  # deferred: start-up time

    trusts = load_trusts(db)
    text = given.strip()
    if text.upper() in trusts:
        return text.upper()
    for code, info in trusts.items():
        if info.name == text:
            return code
    _check_known("trust", text, trusts)
    return text  # not reached: _check_known raised


# --- workforce je ---------------------------------------------------------------------------


def run_je(args: argparse.Namespace) -> int:
    from dataclasses import replace  # deferred, as below: start-up time

    from catalogue.document_context import DocumentContext
    from catalogue.document_sources import check_word_jd
    from catalogue.je_scheme import load_scheme
    from catalogue.table_sources import DOCUMENT_SUFFIXES, JDS, read_file
    from pathways import je_check

    if args.levels is not None and args.files:
        raise UsageError("give JD files or --levels, not both")
    if args.levels is None and not args.files:
        raise UsageError('give JD files to check, or one job\'s --levels "L1 ... L16"')
    if args.band is not None and args.levels is None:
        raise UsageError("--band goes with --levels (a file gives each JD's band)")
    band = parse_band(args.band) if args.band is not None else None
    db = open_db(args)
    scheme = load_scheme(db)
    profile = _profile(db, args.profile) if args.profile is not None else None
    if args.levels is not None:
        return _je_one(scheme, args.levels, band, args.format, args.margin, profile)
    documents = None
    if any(Path(name).suffix.lower() in DOCUMENT_SUFFIXES for name in args.files):
        documents = replace(DocumentContext.from_db(db), needs_trust=False)
    rows = []
    for name in args.files:
        found = read_file(Path(name), JDS, documents=documents)
        if documents is not None and found.file.lower().endswith(".docx"):
            check_word_jd(found, needs_trust=False)
        rows.extend(je_check.check_rows(scheme, found.jds, margin=args.margin))
    _je_files(rows, args.format, len(scheme.points), scheme, profile, args.margin)
    return EXIT_OK


def _profile(db: Database, profile_id: str) -> JEProfile:
    from catalogue.je_profiles import load_profile, load_profiles  # deferred: start-up time

    found = load_profile(db, profile_id)
    if found is None:
        known = [profile.id for profile in load_profiles(db)]
        close = difflib.get_close_matches(profile_id, known, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        held = (
            "see `workforce profiles`"
            if known
            else "the catalogue holds none: import one (README: JE profiles)"
        )
        raise UsageError(f"--profile: no JE profile {profile_id!r}{hint}; {held}")
    return found


def _je_one(
    scheme: JEScheme,
    text: str,
    band: str | None,
    fmt: str,
    margin: int | None,
    profile: JEProfile | None,
) -> int:
    from pathways import je_check, je_profile_match  # deferred: start-up time

    try:
        levels = je_check.parse_levels(text, scheme)
    except JELevelError as error:
        raise UsageError(f"--levels: {error}") from error
    if levels is None:
        raise UsageError("--levels: no levels given")
    check = je_check.check_job(scheme, levels, band, margin=margin)
    match = (
        je_profile_match.match_profile(scheme, profile, levels, margin=margin)
        if profile is not None
        else None
    )
    if fmt == "json":
        found = je_check.check_as_dict(check)
        if match is not None:
            found["profile_match"] = je_profile_match.match_as_dict(match)
        write_json(found)
        return EXIT_OK
    summary = {
        "levels": je_check.level_text(check.levels),
        "score": _score_text(check),
        "je_band": _bands_of(check),
        "near_boundary": _near_text(check),
        "band_given": band_label(band) if band else "",
        "agrees": _yes_no(check.agrees),
    }
    if fmt == "csv":
        emit(
            [
                summary
                | {"what_if_up": _changes_text(check.up), "what_if_down": _changes_text(check.down)}
                | _match_cells(match)
                | _factor_cells(check)
            ],
            "csv",
        )
        return EXIT_OK
    emit([summary], "table", title="JE check", caption=_je_notes(check))
    emit(
        [_factor_row(factor) for factor in check.factors],
        "table",
        columns=("factor", "name", "level", "points"),
        title="Factors: the level awarded and its points",
        caption=f"total {_score_text(check)}",
    )
    changes = [
        {"direction": direction, **je_check.change_as_dict(change)} | {"band": _change_band(change)}
        for direction, found in (("up", check.up), ("down", check.down))
        for change in found
    ]
    emit(
        changes,
        "table",
        columns=(
            "direction",
            "factor",
            "name",
            "from_level",
            "to_level",
            "levels_moved",
            "score",
            "band",
        ),
        title="What if: every single-factor change that moves the band, smallest first",
        caption=_what_if_caption(check, changes),
    )
    if match is not None:
        _print_match(match)
    return EXIT_OK


def _print_match(match: je_profile_match.ProfileMatch) -> None:
    from pathways import je_profile_match  # deferred: start-up time

    profile = match.profile
    kind = "generic profile, " if profile.generic else ""
    emit(
        [
            {
                "factor": fit.factor,
                "name": fit.name,
                "job": fit.job.written,
                "profile": fit.profile.written,
                "fit": je_profile_match.fit_text(fit),
            }
            for fit in match.factors
        ],
        "table",
        title=f"Profile match: {profile.id}, {profile.title} ({kind}Band {profile.band})",
        caption=f"profile scores {match.profile_score_min}-{match.profile_score_max}; "
        f"source: {profile.source}",
    )
    outside = len(match.outside)
    verdict = "holds" if match.band_holds else "does not hold"
    emit(
        [
            {
                "factors_outside": outside,
                "band": f"Band {profile.band} {verdict}",
                "generic_rule_applied": _yes_no(match.generic_rule_applied),
                "why": match.reason,
            }
        ],
        "table",
        title="Does the profile's band hold?",
    )


def _match_cells(match: je_profile_match.ProfileMatch | None) -> dict[str, Any]:
    """The profile match in a CSV row's columns (empty without --profile)."""
    from pathways import je_profile_match  # deferred: start-up time

    if match is None:
        return {}
    return {
        "profile": match.profile.id,
        "profile_band": match.profile.band,
        "outside_profile": je_profile_match.outside_text(match),
        "band_holds": _yes_no(match.band_holds),
        "generic_rule_applied": _yes_no(match.generic_rule_applied),
    }


def _je_files(
    rows: Sequence[je_check.RowCheck],
    fmt: str,
    factor_count: int,
    scheme: JEScheme,
    profile: JEProfile | None,
    margin: int | None,
) -> None:
    from pathways import je_check, je_profile_match  # deferred: start-up time

    matches = [
        je_profile_match.match_profile(scheme, profile, row.check.levels, margin=margin)
        if profile is not None and row.check is not None
        else None
        for row in rows
    ]
    if fmt == "json":
        found = []
        for row, match in zip(rows, matches, strict=True):
            item = je_check.row_check_as_dict(row)
            if profile is not None:
                item["profile_match"] = (
                    je_profile_match.match_as_dict(match) if match is not None else None
                )
            found.append(item)
        write_json(found)
        return
    table = []
    for row in rows:
        check = row.check
        table.append(
            {
                "trust": row.trust,
                "jd_ref": row.jd_ref,
                "title": row.title,
                "band": row.band,
                "score": _score_text(check) if check else None,
                "je_band": _bands_of(check) if check else None,
                "near_boundary": _near_text(check) if check else None,
                "agrees": _yes_no(check.agrees) if check else None,
                "what_if_up": _changes_text(check.up) if check else None,
                "what_if_down": _changes_text(check.down) if check else None,
                "note": None if check else "no JE levels",
            }
        )
    checked = sum(1 for row in rows if row.check)
    disagree = sum(1 for row in rows if row.check and row.check.agrees is False)
    caption = f"{checked} of {len(rows)} JD(s) with JE levels; {disagree} disagree with their band"
    columns = list(JE_FILE_COLUMNS)
    if profile is not None:
        columns[-1:-1] = MATCH_COLUMNS
        for line, match in zip(table, matches, strict=True):
            line.update(_match_cells(match))
    if fmt == "csv":
        factors = [_factor_cells(row.check) if row.check else {} for row in rows]
        # The header is the same whether or not any JD has levels.
        emit(
            [line | cells for line, cells in zip(table, factors, strict=True)],
            "csv",
            columns=[*columns, *_factor_columns(factor_count)],
        )
        return
    if profile is not None:
        caption += f"; matched against JE profile {profile.id} (Band {profile.band})"
    emit(table, fmt, columns=columns, title="JE check", caption=caption)
    matrix = [
        {"trust": row.trust, "jd_ref": row.jd_ref}
        | {
            f"F{factor.factor}": f"{factor.level.written}: {factor.points_text}"
            for factor in row.check.factors
        }
        for row in rows
        if row.check
    ]
    if matrix:
        emit(
            matrix,
            "table",
            title="Factors: level awarded: its points (F1 is factor 1, ... F16 factor 16)",
        )


def _score_text(check: je_check.JECheck) -> str:
    return str(check.score) if not check.is_range else f"{check.score}-{check.score_max}"


def _bands_of(check: je_check.JECheck) -> str:
    """The band, or the bands a score range reaches ("5-6"); a closed band says so."""
    names = [_je_band_text(band) for band in (check.bands[0], check.bands[-1])]
    text = names[0] if len(check.bands) == 1 else f"{names[0]} to {names[1]}"
    return text + (" (closed to new entrants)" if check.closed else "")


def _near_text(check: je_check.JECheck) -> str:
    return f"{_yes_no(check.near_boundary)} (margin {check.margin})"


def _je_notes(check: je_check.JECheck) -> str | None:
    notes = []
    if check.is_range:
        notes.append(
            f"levels given as ranges: the score runs {check.score} to {check.score_max}, "
            f"reaching band(s) {', '.join(_je_band_text(b) for b in check.bands)}"
        )
    for band in check.closed:
        notes.append(f"Band {band} is closed to new entrants")
    notes.append(
        f"near boundary: a change of {check.margin} point(s) or fewer would move the score "
        "into the next band (--margin)"
    )
    return "; ".join(notes)


def _what_if_caption(check: je_check.JECheck, changes: Sequence[dict[str, Any]]) -> str | None:
    if not changes:
        return "no single factor can move this job a band"
    if check.is_range:
        return "up: from each factor's highest level; down: from each factor's lowest"
    return None


def _change_band(change: je_check.FactorChange) -> str:
    text = _je_band_text(change.band)
    return f"{text} (closed to new entrants)" if change.closed else text


def _factor_row(factor: je_check.FactorScore) -> dict[str, Any]:
    return {
        "factor": factor.factor,
        "name": factor.name,
        "level": factor.level.written,
        "points": factor.points,
    }


def _factor_columns(count: int) -> list[str]:
    return [f"f{n}_{part}" for n in range(1, count + 1) for part in ("level", "points")]


def _factor_cells(check: je_check.JECheck) -> dict[str, Any]:
    """Each factor's level as written and its points, one pair of CSV columns per factor."""
    cells: dict[str, Any] = {}
    for factor in check.factors:
        cells[f"f{factor.factor}_level"] = factor.level.written
        cells[f"f{factor.factor}_points"] = factor.points
    return cells


def _je_band_text(band: str | None) -> str:
    return band if band is not None else "beyond Band 9"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _changes_text(changes: Sequence[je_check.FactorChange]) -> str:
    return "; ".join(
        f"F{c.factor} {c.from_level}->{c.to_level}: {c.score} ({_change_band(c)})" for c in changes
    )
