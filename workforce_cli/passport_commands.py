"""Subcommands of the passport area: write a staff passport, check what it meets.

pathways.passport (pydantic) and the loaders (sqlite_utils) are imported by the functions that
use them: building the parser must stay light (start-up time).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workforce_cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    format_option,
    illustrative_caption,
    open_db,
    write_output,
)
from workforce_cli.output import emit, write_json

if TYPE_CHECKING:
    from sqlite_utils import Database

    from pathways.passport import Fit, Gap, Passport, PassportCheck, Vocabulary
    from pathways.records import JD, RoleInfo, TrustInfo

NEW_EPILOG = """\
The file is TOML with a header explaining every key. Fill it in with any text editor, then run
`workforce passport check FILE`. TOML has no empty value: optional keys you do not give are left
out. With --from-role the competencies of ROLE are pre-filled at the level the role needs, as a
checklist to confirm (add the date achieved and the evidence; delete what you do not hold).
An existing FILE is never replaced without --force.
"""

CHECK_EPILOG = """\
Roles need each competency at a level (1-4): a competency held below it is a gap. A JD needs
each of its competencies at the level it says (ct-scanning:3 in the JD file), else at the
level its reference role needs it; held at any level counts only where neither says (an
unmapped JD, or a competency its role does not list). Completed training (level not stated)
meets only such a need. "Nearly" means missing at most --near competencies (default 2), each
named with the level needed and held. Both lists are ordered by fewest missing, then band (low
first); without --trust, the JDs of the passport's own trust (its `trust`) come first. JDs
listing no competencies are left out (counted in the output). Vacant WTE is funded minus in post
(negative: over establishment; empty: not known).

--format json prints one object:
  {"passport": FILE, "person": name|null, "role": id|null, "trust": code|null,
   "near": N, "trust_filter": code|null, "held": {competency: level},
   "roles": {"meets":  [{"role", "title", "band"}],
             "nearly": [{"role", "title", "band", "missing": [GAP, ...]}]},
   "jds":   {"meets":  [{"trust", "trust_name", "jd_ref", "title", "role", "band",
                         "wte_funded", "wte_in_post", "vacant_wte"}],
             "nearly": [{...the same..., "missing": [GAP, ...]}]},
   "jds_without_competencies": count}
  GAP is {"competency", "name", "needed", "held", "trained_by"}: needed is null where no
  level is asked (any level), held is null when not held at all. A role's band is "5",
  "8a-8b", or null (medical pay).
--format csv prints one row per match: kind (role|jd), status (meets|nearly), role, title,
band, trust, trust_name, jd_ref, wte_funded, wte_in_post, vacant_wte, missing_count, missing
(gaps as "id (needs 3, holds 2)" joined by "; ").

A bad passport (missing file, broken TOML, unknown key, wrong type, level outside 1-4, unknown
competency, role, trust or route id) is an error naming the file and the field, e.g.
"competencies[3].level (line 27): must be 1-4"; tables are counted from 1. Exit code 2.
"""

CSV_COLUMNS = (
    "kind",
    "status",
    "role",
    "title",
    "band",
    "trust",
    "trust_name",
    "jd_ref",
    "wte_funded",
    "wte_in_post",
    "vacant_wte",
    "missing_count",
    "missing",
)


def register(commands: Any) -> None:
    """Add this module's subcommands to the `workforce` parser."""
    db = db_option()
    passport = commands.add_parser(
        "passport",
        parents=[db],
        help="staff passports: the competencies a person holds, portable between trusts",
        description="Staff passports: a TOML file a person keeps of the competencies and "
        "training they hold, and a check of which roles and trusts' posts it meets.",
    )
    actions = passport.add_subparsers(dest="passport_command", metavar="ACTION", required=True)

    new = actions.add_parser(
        "new",
        parents=[db],
        help="write a new passport file to fill in",
        description="Write a new staff passport (TOML) for a person to fill in and keep.",
        epilog=NEW_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new.add_argument("--role", metavar="ROLE", help="current reference role id")
    new.add_argument(
        "--trust",
        metavar="T",
        help="current trust: its ODS code (e.g. RRK) or full name, any case; stored as the code",
    )
    new.add_argument("--name", metavar="NAME", help="the person's name")
    new.add_argument(
        "--from-role",
        action="store_true",
        help="pre-fill the competencies ROLE needs, as a checklist to confirm",
    )
    new.set_defaults(handler=run_new)

    check = actions.add_parser(
        "check",
        parents=[db, format_option()],
        help="which roles and trusts' JDs a passport meets, or nearly meets",
        description="Check a passport: which reference roles and which trusts' JDs it meets "
        "in full, which it nearly meets, and the gap to each.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("file", metavar="FILE", help="the passport file (TOML)")
    check.add_argument(
        "--trust", metavar="T", help="only this trust's JDs (its ODS code or full name, any case)"
    )
    check.add_argument(
        "--near",
        metavar="N",
        type=_count,
        default=2,
        help="'nearly' means missing at most N competencies (default 2)",
    )
    check.set_defaults(handler=run_check)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _known_trust(text: str, db: Database, option: str) -> str:
    """The ODS code of the trust given by code or full name, read as `path --trust` reads it
    (pathways.paths.check_trust), so a name one command accepts the other accepts too."""
    from pathways.paths import CareerInputError, check_trust  # deferred: start-up time
    from pathways.records import load_trusts

    try:
        return check_trust(load_trusts(db), text)
    except CareerInputError as error:
        raise UsageError(f"{option}: {error}") from None


# --- passport new -----------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    # deferred, as in every function here that uses them: pydantic, sqlite_utils (start-up)
    from pathways.passport import load_vocabulary, nearest, new_passport, passport_toml
    from pathways.records import load_role_competencies

    db = open_db(args)
    vocabulary = load_vocabulary(db)
    role = args.role
    if role is not None and role not in vocabulary.roles:
        hint = nearest(role, vocabulary.roles) or " (see `workforce roles`)"
        raise UsageError(f"--role: unknown role {role!r}{hint}")
    if args.from_role and role is None:
        raise UsageError("--from-role needs --role ROLE (the role whose competencies to list)")
    trust = _known_trust(args.trust, db, "--trust") if args.trust else None
    checklist = load_role_competencies(db).get(role, {}) if args.from_role and role else {}
    if args.from_role and not checklist:
        print(f"workforce: the catalogue lists no competencies for {role}", file=sys.stderr)
    passport = new_passport(name=args.name, role=role, trust=trust, checklist=checklist)
    text = passport_toml(passport, checklist_role=role if checklist else None)
    try:
        write_output(text, args.output, force=args.force)
    except OSError as error:
        raise UsageError(f"{args.output}: cannot write ({error.strerror})") from None
    return EXIT_OK


# --- passport check ---------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    from pathways.passport import (  # deferred: pydantic and sqlite_utils (start-up time)
        PassportError,
        check_passport,
        load_vocabulary,
        read_passport,
        trained_competencies,
    )
    from pathways.records import (
        load_jd_competency_levels,
        load_jds,
        load_role_competencies,
        load_roles,
        load_routes,
        load_trusts,
    )

    db = open_db(args)
    vocabulary = load_vocabulary(db)
    trust_filter = _known_trust(args.trust, db, "--trust") if args.trust else None
    path = Path(args.file)
    try:
        passport = read_passport(path, vocabulary)
    except PassportError as error:
        raise UsageError(str(error)) from None
    roles = load_roles(db)
    trusts = load_trusts(db)
    jds = load_jds(db, trust=trust_filter)
    trained = trained_competencies(passport, load_routes(db))
    result = check_passport(
        passport.held(),
        roles,
        load_role_competencies(db),
        jds,
        load_jd_competency_levels(db, (jd.id for jd in jds)),
        args.near,
        trained,
    )
    by_id = {jd.id: jd for jd in jds}
    if trust_filter is None and passport.trust:
        # As `path --trust` lists that trust's posts first: the posts where the person works.
        result = _own_trust_first(result, by_id, passport.trust)
    report = _Report(
        path,
        passport,
        result,
        roles,
        trusts,
        by_id,
        vocabulary,
        args.near,
        trained,
    )
    if args.format == "json":
        write_json(report.as_json(trust_filter))
    elif args.format == "csv":
        emit(report.csv_rows(), "csv", columns=CSV_COLUMNS)
    else:
        report.print_tables(db, trust_filter)
    return EXIT_OK


def _own_trust_first(result: PassportCheck, jds: dict[int, JD], trust: str) -> PassportCheck:
    """The JD matches with `trust`'s first, each list otherwise in its order (fewest missing,
    then band): a stable sort on one key."""

    def first(fits: list[Fit[int]]) -> list[Fit[int]]:
        return sorted(fits, key=lambda fit: jds[fit.target].trust != trust)

    matches = result.jds
    return replace(
        result, jds=replace(matches, meets=first(matches.meets), nearly=first(matches.nearly))
    )


class _Report:
    """One check's result turned into rows: the shaping shared by the three formats."""

    def __init__(
        self,
        path: Path,
        passport: Passport,
        result: PassportCheck,
        roles: dict[str, RoleInfo],
        trusts: dict[str, TrustInfo],
        jds: dict[int, JD],
        vocabulary: Vocabulary,
        near: int,
        trained: dict[str, tuple[str, ...]],
    ) -> None:
        self.path = path
        self.passport = passport
        self.result = result
        self.roles = roles
        self.trusts = trusts
        self.jds = jds
        self.names = vocabulary.competencies
        self.near = near
        self.trained = trained  # competency -> completed routes giving it (level unstated)

    def role_row(self, fit: Fit[str]) -> dict[str, Any]:
        role = self.roles[fit.target]
        return {"role": role.id, "title": role.title, "band": _band_range(role)}

    def jd_row(self, fit: Fit[int]) -> dict[str, Any]:
        from pathways.passport import vacant_wte  # deferred: start-up time

        jd = self.jds[fit.target]
        trust = self.trusts.get(jd.trust)
        return {
            "trust": jd.trust,
            "trust_name": trust.name if trust else None,
            "jd_ref": jd.jd_ref,
            "title": jd.title,
            "role": jd.role,
            "band": jd.band,
            "wte_funded": jd.wte_funded,
            "wte_in_post": jd.wte_in_post,
            "vacant_wte": vacant_wte(jd),
        }

    def gap_json(self, gap: Gap) -> dict[str, Any]:
        return {
            "competency": gap.competency,
            "name": self.names.get(gap.competency, gap.competency),
            "needed": gap.needed,
            "held": gap.held,
            "trained_by": list(gap.trained_by),
        }

    def as_json(self, trust_filter: str | None) -> dict[str, Any]:
        roles, jds = self.result.roles, self.result.jds
        return {
            "passport": str(self.path),
            "person": self.passport.name,
            "role": self.passport.role,
            "trust": self.passport.trust,
            "near": self.near,
            "trust_filter": trust_filter,
            "held": self.passport.held(),
            # Given by completed routes at no stated level: they meet a JD's need, not a role's.
            "trained": {competency: list(ids) for competency, ids in self.trained.items()},
            "roles": {
                "meets": [self.role_row(fit) for fit in roles.meets],
                "nearly": [
                    {**self.role_row(fit), "missing": [self.gap_json(g) for g in fit.gaps]}
                    for fit in roles.nearly
                ],
            },
            "jds": {
                "meets": [self.jd_row(fit) for fit in jds.meets],
                "nearly": [
                    {**self.jd_row(fit), "missing": [self.gap_json(g) for g in fit.gaps]}
                    for fit in jds.nearly
                ],
            },
            "jds_without_competencies": self.result.jds_without_competencies,
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        roles, jds = self.result.roles, self.result.jds
        for status, role_fits in (("meets", roles.meets), ("nearly", roles.nearly)):
            for role_fit in role_fits:
                rows.append({"kind": "role", "status": status, **self.role_row(role_fit)})
                rows[-1].update(_gap_columns(role_fit.gaps, "; "))
        for status, jd_fits in (("meets", jds.meets), ("nearly", jds.nearly)):
            for jd_fit in jd_fits:
                rows.append({"kind": "jd", "status": status, **self.jd_row(jd_fit)})
                rows[-1].update(_gap_columns(jd_fit.gaps, "; "))
        return rows

    def print_tables(self, db: Database, trust_filter: str | None) -> None:

        passport = self.passport
        trust = self.trusts.get(passport.trust or "")
        where = f"{trust.code} {trust.name}" if trust else "no trust given"
        print(
            f"Passport {self.path}: {passport.name or 'no name given'}; "
            f"role {passport.role or 'not given'}; {where}; "
            f"{len(passport.competencies)} competencies held"
            + (
                f", {len(self.trained)} more from completed training (level not stated: they "
                "count where no level is asked; where one is, add them to your passport with "
                "your level)"
                if self.trained
                else ""
            )
        )
        roles, jds = self.result.roles, self.result.jds
        role_rows = [
            {"status": status, **self.role_row(fit), **_gap_columns(fit.gaps, "\n")}
            for status, fits in (("meets", roles.meets), ("nearly", roles.nearly))
            for fit in fits
        ]
        emit(
            role_rows,
            "table",
            columns=["status", "role", "title", "band", "missing_count", "missing"],
            title="Reference roles met" + _nearly_text(self.near),
            caption=None if role_rows else "none: a larger --near shows more",
        )
        jd_rows = [
            {"status": status, **self.jd_row(fit), **_gap_columns(fit.gaps, "\n")}
            for status, fits in (("meets", jds.meets), ("nearly", jds.nearly))
            for fit in fits
        ]
        scope = f"{trust_filter}'s" if trust_filter else "Trusts'"
        notes = []
        if trust_filter is None and trust and any(r["trust"] == trust.code for r in jd_rows):
            notes.append(f"{trust.code}'s JDs (the passport's trust) first")
        if not jd_rows:
            notes.append("none: a larger --near shows more")
        if self.result.jds_without_competencies:
            notes.append(f"{self.result.jds_without_competencies} JDs list no competencies")
        illustrative = illustrative_caption(db)
        if illustrative:
            notes.append(illustrative)
        emit(
            jd_rows,
            "table",
            columns=[
                "status",
                "trust",
                "trust_name",
                "jd_ref",
                "title",
                "role",
                "band",
                "vacant_wte",
                "missing_count",
                "missing",
            ],
            title=f"{scope} JDs met{_nearly_text(self.near)}; vacant WTE = funded - in post",
            caption="; ".join(notes) or None,
        )


def _nearly_text(near: int) -> str:
    """', or missing at most 2 competencies'; nothing when --near is 0 (only those met)."""
    if near == 0:
        return ""
    return f", or missing at most {near} {'competency' if near == 1 else 'competencies'}"


def _band_range(role: RoleInfo) -> str | None:
    if role.band_min is None:
        return None
    if role.band_max is None or role.band_max == role.band_min:
        return role.band_min
    return f"{role.band_min}-{role.band_max}"


def _gap_text(gap: Gap) -> str:
    held = "not held" if gap.held is None else f"holds {gap.held}"
    if gap.needed is None:  # no level asked: any level counts, so only "not held" is a gap
        return f"{gap.competency} ({held})"
    trained = f"; given by {', '.join(gap.trained_by)}, level not stated" if gap.trained_by else ""
    return f"{gap.competency} (needs {gap.needed}, {held}{trained})"


def _gap_columns(gaps: tuple[Gap, ...], separator: str) -> dict[str, Any]:
    return {"missing_count": len(gaps), "missing": separator.join(_gap_text(g) for g in gaps)}
