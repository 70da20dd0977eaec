"""`workforce match`: likely reference roles for JDs that have none, and applying the sure ones.

pathways.matching is imported by the functions that use it: building the parser must stay light
(start-up time), so the parser reads its defaults from pathways.options.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from pathways.options import DEFAULT_LIMIT, MIN_LEAD
from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    format_option,
    open_db,
    positive_int,
)
from workforce_cli.output import emit, write_json

if TYPE_CHECKING:
    from pathways.matching import Scored, Suggestion
    from pathways.records import JD

Row = dict[str, Any]
CSV_COLUMNS = ["trust", "jd_ref", "title", "band", "rank", "role", "confidence"]


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    match = commands.add_parser(
        "match",
        parents=[db_option(), format_option()],
        help="suggest reference roles for JDs that have none",
        description="Suggest reference roles for JDs with no role, ranked by a confidence "
        "from 0 to 1 built from the title (abbreviations understood), the competencies and the "
        "band. Suggestions only: nothing is mapped unless --apply-above is given, and then "
        f"only JDs whose best role reaches it and leads the next by at least {MIN_LEAD:.2f}, "
        "all in one transaction, each recorded as an automatic mapping (workforce history "
        "--mappings lists them). `workforce map` sets or clears one JD's role by hand.",
    )
    match.add_argument("--trust", metavar="CODE", help="only this trust's JDs (ODS code)")
    match.add_argument(
        "--limit",
        type=positive_int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"candidate roles shown per JD (default {DEFAULT_LIMIT})",
    )
    match.add_argument(
        "--apply-above",
        type=_confidence,
        metavar="C",
        help="map the JDs whose best role has confidence >= C (0-1) and is clearly ahead",
    )
    match.set_defaults(handler=run_match)

    mapping = commands.add_parser(
        "map",
        parents=[db_option()],
        help="set or clear one JD's reference role (to correct or undo a mapping)",
        description="Map one JD to a reference role, replacing any role it has (to correct a "
        "mapping), or with --clear take its role away (to undo one). Each change is recorded "
        "in the mapping history (workforce history --mappings): 'chosen' for a role set, "
        "'undone' for a role taken away; a replaced role records both, in one transaction.",
        epilog="Examples: workforce map RRK:RAD-014 specialist-radiographer; "
        "workforce map RRK:RAD-014 --clear.",
    )
    mapping.add_argument("jd", metavar="TRUST:REF", help="the JD: trust ODS code and JD reference")
    mapping.add_argument(
        "role", nargs="?", metavar="ROLE", help="reference role id (see `workforce roles`)"
    )
    mapping.add_argument("--clear", action="store_true", help="take the JD's role away")
    mapping.set_defaults(handler=run_map)


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be above 0 and at most 1")
    return value


def run_match(args: argparse.Namespace) -> int:
    from pathways.matching import apply_matches, confident, suggest_matches  # deferred: start-up

    db = open_db(args)
    trust = _trust(db, args.trust)
    # Rank every candidate: deciding "clearly ahead" needs the second even with --limit 1.
    suggestions = suggest_matches(db, trust=trust, limit=None)
    applying = args.apply_above is not None
    applied: list[tuple[JD, Scored]] = []
    # Held back, by the condition that held each back: its best role reached the threshold
    # but did not lead the next by MIN_LEAD (unclear), or its best role fell short (below).
    unclear: list[Suggestion] = []
    below = 0
    if applying:
        choices: list[tuple[JD, Scored]] = []
        for suggestion in suggestions:
            best = confident(suggestion.candidates, args.apply_above)
            if best is not None:
                choices.append((suggestion.jd, best))
            elif suggestion.candidates and suggestion.candidates[0].confidence >= args.apply_above:
                unclear.append(suggestion)
            else:
                below += 1
        applied = apply_matches(db, choices) if choices else []

    if args.format == "json":
        document: dict[str, Any] = {
            "suggestions": [_suggestion_json(s, args.limit) for s in suggestions]
        }
        if applying:
            document["applied"] = [_applied_json(jd, choice) for jd, choice in applied]
        write_json(document)
    elif args.format == "csv":
        emit(_csv_rows(suggestions, args.limit), "csv", columns=CSV_COLUMNS)
    else:
        _print_table(suggestions, args.limit, trust, applying=applying)
    if applying and args.format != "json":
        # JSON carries "applied" itself; CSV keeps stdout to its rows, so the account of what
        # was written goes to stderr.
        out = sys.stdout if args.format == "table" else sys.stderr
        _print_applied(applied, unclear, below, args.apply_above, out)
    return EXIT_OK


def _trust(db: Any, code: str | None) -> str | None:
    if code is None:
        return None
    from pathways.records import load_trusts  # deferred: start-up time

    wanted = code.strip().upper()
    if wanted not in load_trusts(db):
        raise UsageError(f"--trust {code!r}: no trust with that code (see `workforce trusts`)")
    return wanted


def _suggestion_json(suggestion: Suggestion, limit: int) -> Row:
    return {
        "trust": suggestion.jd.trust,
        "jd_ref": suggestion.jd.jd_ref,
        "title": suggestion.jd.title,
        "candidates": [
            {"role": c.role, "confidence": c.confidence} for c in suggestion.candidates[:limit]
        ],
    }


def _applied_json(jd: JD, choice: Scored) -> Row:
    return {
        "trust": jd.trust,
        "jd_ref": jd.jd_ref,
        "title": jd.title,
        "role": choice.role,
        "confidence": choice.confidence,
    }


def _csv_rows(suggestions: list[Suggestion], limit: int) -> list[Row]:
    return [
        {
            "trust": s.jd.trust,
            "jd_ref": s.jd.jd_ref,
            "title": s.jd.title,
            "band": s.jd.band,
            "rank": rank,
            "role": candidate.role,
            "confidence": candidate.confidence,
        }
        for s in suggestions
        for rank, candidate in enumerate(s.candidates[:limit], start=1)
    ]


def _print_table(
    suggestions: list[Suggestion], limit: int, trust: str | None, *, applying: bool
) -> None:
    if not suggestions:
        where = f" at {trust}" if trust else ""
        print(f"No unmapped JDs{where}: every JD has a reference role.")
        return
    rows = [
        {
            "trust": s.jd.trust,
            "jd_ref": s.jd.jd_ref,
            "title": s.jd.title,
            "band": s.jd.band or "",
            "candidates": "\n".join(f"{c.role} {c.confidence:.2f}" for c in s.candidates[:limit]),
        }
        for s in suggestions
    ]
    caption = (
        "Confidence 0-1, best first, as they stood before applying."
        if applying
        else "Suggestions only: confidence 0-1, best first. Nothing is mapped unless "
        "--apply-above is given."
    )
    emit(rows, "table", title="Likely reference roles for unmapped JDs", caption=caption)


def _jds(count: int) -> str:
    return f"{count} JD" if count == 1 else f"{count} JDs"


def _held_back(unclear: int, below: int, threshold: float) -> str:
    """Why JDs were not applied, each condition counted apart: a JD whose best role reached
    the threshold but was not clearly ahead needs a person's choice; one below needs more."""
    parts = []
    if unclear:
        parts.append(
            f"{_jds(unclear)} whose best role reached {_decimal(threshold)} but was less than "
            f"{MIN_LEAD:.2f} ahead of the next (listed below)"
        )
    if below:
        parts.append(f"{_jds(below)} whose best role was below {_decimal(threshold)}")
    return "; ".join(parts)


def _decimal(value: float) -> str:
    """Two decimals, or as many as the value given has (0.855 is not shown as 0.86)."""
    two = f"{value:.2f}"
    return two if float(two) == value else f"{value:g}"


def _print_applied(
    applied: list[tuple[JD, Scored]],
    unclear: list[Suggestion],
    below: int,
    threshold: float,
    out: TextIO,
) -> None:
    held_back = _held_back(len(unclear), below, threshold)
    if applied:
        print(
            f"Applied {len(applied)} mapping(s), in one transaction (confidence >= "
            f"{_decimal(threshold)} and at least {MIN_LEAD:.2f} ahead of the next role):",
            file=out,
        )
        for jd, choice in applied:
            print(
                f"  {jd.trust} {jd.jd_ref} {jd.title!r} -> {choice.role} ({choice.confidence:.2f})",
                file=out,
            )
        if held_back:
            print(f"Not applied: {held_back}.", file=out)
    elif held_back:
        print(f"Applied nothing: {held_back}.", file=out)
    else:
        print("Applied nothing: there are no unmapped JDs.", file=out)
    for suggestion in unclear:
        first, second = suggestion.candidates[0], suggestion.candidates[1]
        print(
            f"  not applied: {suggestion.jd.trust} {suggestion.jd.jd_ref} "
            f"{suggestion.jd.title!r}: {first.role} ({first.confidence:.2f}) is not clearly "
            f"ahead of {second.role} ({second.confidence:.2f})",
            file=out,
        )
    if applied:
        print(
            "Each mapping applied was recorded as automatic, with its confidence: see "
            "`workforce history --mappings`.",
            file=out,
        )
    if unclear:
        print(
            "Choose a role for one with `workforce map TRUST:REF ROLE` (or on the app's "
            "Matching screen).",
            file=out,
        )


# ---- workforce map: one JD's role by hand ----


def run_map(args: argparse.Namespace) -> int:
    # deferred, as everywhere here: these load sqlite_utils (start-up time)
    from pathways import matching
    from pathways.compare import UnknownName, find_jd, jd_key, resolve_role
    from pathways.records import load_roles

    if args.clear and args.role is not None:
        raise UsageError(f"give ROLE to set {args.jd}'s role, or --clear to take it away: not both")
    if not args.clear and args.role is None:
        raise UsageError(f"give the ROLE to map {args.jd} to, or --clear to take its role away")
    db = open_db(args)
    try:
        jd = find_jd(db, args.jd)
        role = None if args.clear else resolve_role(load_roles(db), args.role).id
    except UnknownName as error:
        hint = {"trust": "workforce trusts", "role": "workforce roles"}.get(error.kind)
        raise UsageError(
            str(error) + ("" if error.suggestions or hint is None else f" (see `{hint}`)")
        ) from error
    except ValueError as error:  # not TRUST:REF
        raise UsageError(str(error)) from error
    key = f"{jd_key(jd)} {jd.title!r}"
    if role is not None and role != jd.role:
        status, into = db.execute(
            "SELECT status, merged_into FROM role WHERE id = ?", [role]
        ).fetchone()
        if status == "retired":
            hint = f": it was merged into {into}; map the JD to that" if into else ""
            raise UsageError(f"role {role} is retired{hint}")
    if jd.role == role:
        state = f"is already mapped to {role}" if role else "has no reference role"
        print(f"{key} {state}: nothing changed.")
        return EXIT_OK
    score = None
    if role is not None:
        # The matcher's confidence in the role chosen, kept with the record (as the app does).
        (suggestion,) = matching.suggest_for(db, [jd], limit=None)
        score = next((c.confidence for c in suggestion.candidates if c.role == role), None)
    # Replacing a role is an undo then a choice: both recorded, both or neither written.
    # set_role and clear_role each open db.atomic(); inside this one they nest as savepoints.
    with db.atomic():
        if jd.role is not None and not matching.clear_role(db, jd.id, jd.role):
            raise _changed_meanwhile(jd)
        if role is not None and not matching.set_role(db, jd.id, role, score=score):
            raise _changed_meanwhile(jd)
    if role is None:
        print(f"Cleared {key}: it was mapped to {jd.role} and now has no reference role.")
    else:
        replacing = f", replacing {jd.role}" if jd.role else ""
        confidence = "" if score is None else f" (the matcher's confidence in it: {score:.2f})"
        print(f"Mapped {key} to {role}{replacing}{confidence}.")
    print(f"Recorded: see `workforce history --mappings --trust {jd.trust}`.")
    return EXIT_OK


def _changed_meanwhile(jd: JD) -> UsageError:
    return UsageError(
        f"{jd.trust}:{jd.jd_ref} changed while it was being mapped (mapped or imported again "
        "by someone else): nothing written; run the command again"
    )
