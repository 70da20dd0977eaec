"""`workforce profiles`: the JE profiles the catalogue holds, or one profile's factor ranges.

Profiles are imported like other reference data (`workforce import`, kind `je-profiles`); this
lists them, with each profile's score range from the factor plan, so a panel can see what it
would be matching against before `workforce je --profile ID`.
"""

from __future__ import annotations

import argparse
from typing import Any

from workforce_cli.common import EXIT_OK, UsageError, db_option, format_option, open_db
from workforce_cli.output import emit, write_json

LIST_COLUMNS = ("id", "title", "band", "generic", "score_min", "score_max", "source", "check")


def register(commands: Any) -> None:
    """Add `workforce profiles` to the `workforce` parser."""
    profiles = commands.add_parser(
        "profiles",
        parents=[db_option(), format_option()],
        help="list the JE profiles held, or one profile's factor levels",
        description="JE profiles (national profiles, or the network's own harmonised ones) "
        "held in the catalogue: id, title, band, whether generic, the profile's score range "
        "(every factor at its lowest level, and at its highest) and its source. 'check' notes "
        "a profile whose minimum score falls below its band's lower boundary without being "
        "marked generic. With an ID: that profile's level for each factor, as written, and "
        "its points. Import profiles with `workforce import FILE` ([[je_profile]] tables, or "
        "a CSV with one column per factor); match a job with `workforce je --profile ID`.",
    )
    profiles.add_argument("profile", nargs="?", metavar="ID", help="show this profile's levels")
    profiles.set_defaults(handler=run_profiles)


def run_profiles(args: argparse.Namespace) -> int:
    from catalogue.je_profiles import load_profiles  # deferred: start-up time
    from catalogue.je_scheme import load_scheme
    from pathways.je_check import factor_scores
    from pathways.je_profile_match import profile_levels, profile_note

    db = open_db(args)
    scheme = load_scheme(db)
    profiles = load_profiles(db)
    if args.profile is not None:
        profile = next((item for item in profiles if item.id == args.profile), None)
        if profile is None:
            known = ", ".join(item.id for item in profiles) or "none"
            raise UsageError(f"no JE profile {args.profile!r} (held: {known})")
        factors = factor_scores(scheme, profile_levels(profile))
        rows = [
            {
                "factor": factor.factor,
                "name": factor.name,
                "level": factor.level.written,
                "points": factor.points,
            }
            for factor in factors
        ]
        low = sum(factor.points_low for factor in factors)
        high = sum(factor.points_high for factor in factors)
        if args.format == "json":
            write_json(profile.model_dump() | {"score_min": low, "score_max": high})
            return EXIT_OK
        emit(
            rows,
            args.format,
            title=f"{profile.id}: {profile.title} (Band {profile.band}"
            + (", generic)" if profile.generic else ")"),
            caption=f"scores {low}-{high}; source: {profile.source}",
        )
        return EXIT_OK
    listing = []
    for profile in profiles:
        factors = factor_scores(scheme, profile_levels(profile))
        listing.append(
            {
                "id": profile.id,
                "title": profile.title,
                "band": profile.band,
                "generic": "yes" if profile.generic else "no",
                "score_min": sum(factor.points_low for factor in factors),
                "score_max": sum(factor.points_high for factor in factors),
                "source": profile.source,
                "check": profile_note(scheme, profile) or "",
            }
        )
    emit(
        listing,
        args.format,
        columns=LIST_COLUMNS,
        title="JE profiles",
        caption=None
        if listing
        else "none held: import national or network profiles (README: JE profiles)",
    )
    return EXIT_OK
