"""Every listing and analysing CLI command as a whole process, against a fresh `python -c` that
runs the plain sqlite3 query giving the same rows and prints them as JSON.

The baseline is what a person could write in a few lines without the project: open the file,
run the query, `json.dumps` the rows (indented like ours). Listing commands, whose rows are one
query's rows, have a target (2.5x) and must give as many rows as their baseline (else the
baseline is not the same rows, and the row is an ERROR). `variation --format json` has the same
target: its baseline finds the same flags in one SQL statement. The analyses (gap, ladder,
path, next, harmonise) do more than a query can say fairly, so their ratios are informative.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness import BenchmarkError, Context, Result, run_command, time_pair

LISTING_TARGET = 2.5
VARIATION_JSON_TARGET = 2.5

# The roles the analysing commands are asked about: in the packaged reference data, with many
# JDs in the illustrative data set, and a path of several moves between them.
ROLE = "diagnostic-radiographer"
TARGET_ROLE = "consultant-radiographer"
HARMONISE_BAND = "6"
STAFF_GROUP = "radiography"
SCENARIO = "benchmark"

# A fresh interpreter: argv[1] the catalogue, argv[2] the queries as JSON ({name: sql}), argv[3]
# the parameters as JSON. One query prints its rows; several print {name: rows}.
BASELINE_SCRIPT = """\
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
params = json.loads(sys.argv[3])
found = {name: [dict(row) for row in db.execute(sql, params)]
         for name, sql in json.loads(sys.argv[2]).items()}
print(json.dumps(next(iter(found.values())) if len(found) == 1 else found, indent=2))
"""

# The pay each band is costed at: its top point in the latest pay year (else the nearest lower
# point), as harmonise's default --pay-point top.
_PAY = """pay AS (
  SELECT band, COALESCE(MAX(CASE WHEN point = 'top' THEN salary END),
                        MAX(CASE WHEN point = 'intermediate' THEN salary END),
                        MAX(CASE WHEN point = 'entry' THEN salary END)) AS salary
  FROM pay_point WHERE pay_year = (SELECT MAX(pay_year) FROM pay_point) GROUP BY band),
on_costs AS (
  SELECT COALESCE((SELECT CAST(value AS REAL) FROM catalogue_meta
                   WHERE key = 'on_costs_rate'), 0) AS rate)"""

QUERIES: dict[str, dict[str, str]] = {
    "trusts": {
        "trusts": "SELECT t.code, t.name, t.icb, i.name AS icb_name, COUNT(j.id) AS jds, t.note "
        "FROM trust t JOIN icb i ON i.code = t.icb "
        "LEFT JOIN job_description j ON j.trust = t.code "
        "GROUP BY t.code ORDER BY i.name, t.name"
    },
    "roles": {
        "roles": "SELECT id, title, staff_group, band_min, band_max, career_level, registration, "
        "pay_system, band_confidence, national_profile, description, source FROM role "
        "WHERE status = 'active' ORDER BY staff_group, band_min, id"
    },
    "bands": {
        "bands": "SELECT b.code AS band, b.je_min, b.je_max, b.closed, "
        "MAX(CASE WHEN p.point = 'entry' THEN p.salary END) AS entry, "
        "MAX(CASE WHEN p.point = 'intermediate' THEN p.salary END) AS intermediate, "
        "MAX(CASE WHEN p.point = 'top' THEN p.salary END) AS top, "
        "p.pay_year, MIN(p.confidence) AS pay_confidence "
        "FROM band b LEFT JOIN pay_point p ON p.band = b.code "
        "AND p.pay_year = (SELECT MAX(pay_year) FROM pay_point) "
        "GROUP BY b.code ORDER BY b.ordinal"
    },
    "routes": {
        "routes": "SELECT r.*, "
        "(SELECT json_group_array(role) FROM route_role WHERE route = r.id) AS leads_to, "
        "(SELECT json_group_array(from_role || ' -> ' || to_role) FROM progression_route "
        " WHERE route = r.id) AS makes, "
        "(SELECT json_group_array(competency) FROM route_competency WHERE route = r.id) "
        " AS gives "
        "FROM training_route r ORDER BY r.level, r.name"
    },
    "history": {
        "history": "SELECT id, kind, source, imported_at, rows, added, updated, unchanged, "
        "illustrative FROM import_batch ORDER BY id"
    },
    "ladder": {
        "groups": "SELECT g.id, g.name, COUNT(r.id) AS roles FROM staff_group g "
        "LEFT JOIN role r ON r.staff_group = g.id AND r.status = 'active' "
        "GROUP BY g.id ORDER BY g.id"
    },
    "scenarios": {
        "scenarios": f"WITH {_PAY} "
        "SELECT s.name, s.created, s.assumptions, "
        "json_group_array(DISTINCT st.role || ':' || st.band) AS targets, "
        "ROUND(SUM(CASE WHEN b.ordinal < tb.ordinal "
        "  THEN (tp.salary - p.salary) * j.wte_in_post ELSE 0 END) "
        "  * (1 + (SELECT rate FROM on_costs))) AS annual_cost "
        "FROM scenario s JOIN scenario_target st ON st.scenario = s.name "
        "JOIN band tb ON tb.code = st.band JOIN pay tp ON tp.band = st.band "
        "LEFT JOIN job_description j ON j.role = st.role "
        "LEFT JOIN band b ON b.code = j.band LEFT JOIN pay p ON p.band = j.band "
        "GROUP BY s.name ORDER BY s.name"
    },
    # Per role its band counts; per JD a flag where its band is off the role's modal band (none
    # when tied), outside the reference role's range, or not its own JE score's band; AfC roles
    # and banded JDs only, as `workforce variation` judges.
    "variation": {
        "roles": "SELECT role, band, COUNT(*) AS jds FROM job_description "
        "WHERE role IS NOT NULL GROUP BY role, band",
        "flags": "WITH counts AS (SELECT role, band, COUNT(*) AS n FROM job_description "
        "  WHERE role IS NOT NULL AND band IS NOT NULL GROUP BY role, band), "
        "modal AS (SELECT c.role, c.band FROM counts c "
        "  WHERE c.n = (SELECT MAX(n) FROM counts d WHERE d.role = c.role) "
        "  AND (SELECT COUNT(*) FROM counts d WHERE d.role = c.role AND d.n = c.n) = 1) "
        "SELECT j.trust, j.jd_ref, j.role, r.staff_group, j.title, j.band, "
        "m.band AS modal_band, r.band_min, r.band_max, j.je_score, jb.code AS je_band, "
        "j.wte_in_post "
        "FROM job_description j JOIN role r ON r.id = j.role AND r.pay_system = 'afc' "
        "JOIN band b ON b.code = j.band LEFT JOIN modal m ON m.role = j.role "
        "LEFT JOIN band lo ON lo.code = r.band_min LEFT JOIN band hi ON hi.code = r.band_max "
        "LEFT JOIN band jb ON j.je_score BETWEEN jb.je_min AND jb.je_max "
        "WHERE (m.band IS NOT NULL AND j.band != m.band) "
        "OR b.ordinal < lo.ordinal OR b.ordinal > hi.ordinal "
        "OR (j.je_score IS NOT NULL AND (jb.code IS NULL OR jb.code != j.band)) "
        "ORDER BY j.role, j.trust, j.jd_ref",
    },
    "gap": {
        "groups": "SELECT j.trust AS key, t.name AS label, COUNT(*) AS jds, "
        "SUM(j.wte_funded IS NULL OR j.wte_in_post IS NULL) AS jds_without_wte, "
        "SUM(CASE WHEN j.wte_in_post IS NOT NULL THEN j.wte_funded END) AS establishment, "
        "SUM(CASE WHEN j.wte_funded IS NOT NULL THEN j.wte_in_post END) AS in_post "
        "FROM job_description j JOIN trust t ON t.code = j.trust "
        "GROUP BY j.trust ORDER BY t.name"
    },
    "ladder GROUP": {
        "rungs": "SELECT r.id AS role, r.title, r.band_min, r.band_max, r.career_level, "
        "r.registration, r.pay_system, "
        "(SELECT json_group_array(route) FROM route_role WHERE role = r.id) AS routes_in "
        "FROM role r WHERE r.staff_group = :group AND r.status = 'active' "
        "ORDER BY r.band_min, r.id",
        "moves": "SELECT p.from_role, p.to_role, p.kind, p.months_in_post, "
        "json_group_array(pr.route) AS routes FROM progression p "
        "LEFT JOIN progression_route pr USING (from_role, to_role) "
        "WHERE p.from_role IN (SELECT id FROM role WHERE staff_group = :group) "
        "GROUP BY p.from_role, p.to_role",
    },
    "next ROLE": {
        "next": "SELECT p.from_role, p.to_role, p.kind, p.months_in_post, t.* "
        "FROM progression p LEFT JOIN progression_route pr USING (from_role, to_role) "
        "LEFT JOIN training_route t ON t.id = pr.route WHERE p.from_role = :role",
        "to_gain": "SELECT rc.role, rc.competency, c.name, rc.level FROM role_competency rc "
        "JOIN competency c ON c.id = rc.competency "
        "WHERE rc.role IN (SELECT to_role FROM progression WHERE from_role = :role) "
        "AND NOT EXISTS (SELECT 1 FROM role_competency h WHERE h.role = :role "
        "AND h.competency = rc.competency AND h.level >= rc.level)",
    },
    "path FROM TO": {
        "paths": "WITH RECURSIVE walk(role, trail, months, steps) AS ("
        "SELECT :role, :role, 0, 0 UNION ALL "
        "SELECT p.to_role, w.trail || ' > ' || p.to_role, w.months + p.months_in_post, "
        "w.steps + 1 FROM walk w JOIN progression p ON p.from_role = w.role "
        "WHERE w.steps < 8 AND instr(w.trail, p.to_role) = 0) "
        "SELECT trail, months FROM walk WHERE role = :to ORDER BY months LIMIT 5",
        "posts": "SELECT trust, COUNT(*) AS jds, SUM(wte_funded - wte_in_post) AS vacancies "
        "FROM job_description WHERE role = :to GROUP BY trust ORDER BY vacancies DESC",
    },
    "harmonise": {
        "by_trust": f"WITH {_PAY}, target AS (SELECT b.ordinal, p.salary FROM band b "
        "  JOIN pay p ON p.band = b.code WHERE b.code = :band) "
        "SELECT j.trust, t.name, "
        "SUM(b.ordinal < target.ordinal) AS up_jds, "
        "SUM(CASE WHEN b.ordinal < target.ordinal THEN j.wte_in_post END) AS up_wte, "
        "SUM(b.ordinal > target.ordinal) AS down_jds, "
        "SUM(CASE WHEN b.ordinal > target.ordinal THEN j.wte_in_post END) AS down_wte, "
        "SUM(b.ordinal = target.ordinal) AS unchanged_jds, "
        "ROUND(SUM(CASE WHEN b.ordinal < target.ordinal "
        "  THEN (target.salary - p.salary) * j.wte_in_post ELSE 0 END) "
        "  * (1 + (SELECT rate FROM on_costs))) AS annual_cost "
        "FROM job_description j JOIN trust t ON t.code = j.trust "
        "JOIN band b ON b.code = j.band JOIN pay p ON p.band = j.band, target "
        "WHERE j.role = :role GROUP BY j.trust ORDER BY t.name"
    },
}


@dataclass
class Case:
    """One command: its arguments after `workforce`, its baseline queries and its target."""

    name: str
    argv: list[str]
    queries: dict[str, str]
    target: float | None
    rows: Callable[[Any], int] | None = None  # ours' row count, checked against the baseline's
    notes: list[str] = field(default_factory=list)


def _listed(out: Any) -> int:
    return len(out)


def cases(db: Path) -> list[Case]:
    d = ["--db", str(db)]
    listing = LISTING_TARGET
    return [
        Case("trusts", ["trusts", *d, "--format", "json"], QUERIES["trusts"], listing, _listed),
        Case("roles", ["roles", *d, "--format", "json"], QUERIES["roles"], listing, _listed),
        Case("bands", ["bands", *d, "--format", "json"], QUERIES["bands"], listing, _listed),
        Case("routes", ["routes", *d, "--format", "json"], QUERIES["routes"], listing, _listed),
        Case("history", ["history", *d, "--format", "json"], QUERIES["history"], listing, _listed),
        Case("ladder", ["ladder", *d, "--format", "json"], QUERIES["ladder"], listing, _listed),
        Case(
            "scenarios",
            ["scenarios", *d, "--format", "json"],
            QUERIES["scenarios"],
            listing,
            _listed,
            ["one saved scenario (harmonise the role to its band), costed by both sides"],
        ),
        Case(
            "variation --format json",
            ["variation", *d, "--format", "json"],
            QUERIES["variation"],
            VARIATION_JSON_TARGET,
        ),
        Case("gap", ["gap", *d, "--format", "json"], QUERIES["gap"], None),
        Case(
            f"ladder {STAFF_GROUP}",
            ["ladder", STAFF_GROUP, *d, "--format", "json"],
            QUERIES["ladder GROUP"],
            None,
        ),
        Case(f"next {ROLE}", ["next", ROLE, *d, "--format", "json"], QUERIES["next ROLE"], None),
        Case(
            f"path {ROLE} {TARGET_ROLE}",
            ["path", ROLE, TARGET_ROLE, *d, "--format", "json"],
            QUERIES["path FROM TO"],
            None,
        ),
        Case(
            f"harmonise --role {ROLE} --band {HARMONISE_BAND}",
            ["harmonise", "--role", ROLE, "--band", HARMONISE_BAND, *d, "--format", "json"],
            QUERIES["harmonise"],
            None,
        ),
    ]


def cli_commands(ctx: Context) -> list[Result]:
    """Each listing or analysing command, whole process, vs python -c and its plain SQL query."""
    # A copy: the scenario saved for `scenarios` stays out of the catalogue other measures use.
    db = Path(shutil.copyfile(ctx.loaded_catalogue(), ctx.scratch("commands")))
    run_command(
        [
            *ctx.workforce,
            *["harmonise", "--db", str(db), "--role", ROLE, "--band", HARMONISE_BAND],
            *["--scenario", SCENARIO, "--save"],
        ]
    )
    params = json.dumps(
        {"role": ROLE, "to": TARGET_ROLE, "band": HARMONISE_BAND, "group": STAFF_GROUP}
    )
    results = []
    for case in cases(db):
        try:
            results.append(_measure(ctx, case, db, params))
        except BenchmarkError as error:
            results.append(Result(f"CLI {case.name}", target=case.target, error=str(error)))
    return results


def _measure(ctx: Context, case: Case, db: Path, params: str) -> Result:
    found: dict[str, Any] = {}

    def ours() -> float:
        seconds, out = run_command([*ctx.workforce, *case.argv])
        found["ours"] = json.loads(out)
        return seconds

    def baseline() -> float:
        argv = [ctx.python, "-c", BASELINE_SCRIPT, str(db), json.dumps(case.queries), params]
        seconds, out = run_command(argv)
        found["baseline"] = json.loads(out)
        return seconds

    timings = time_pair(ours, baseline, repeats=ctx.repeats, warmup=ctx.warmup)
    result = Result(
        f"CLI {case.name}",
        timings.ours_median,
        timings.baseline_median,
        case.target,
        notes=[
            f"ours: workforce {' '.join(case.argv)}; baseline: python -c (sqlite3 + json) "
            f"running {_describe(case.queries)}",
            *case.notes,
            timings.note(),
        ],
    )
    theirs = found["baseline"]
    if case.rows is not None:
        ours_rows, base_rows = case.rows(found["ours"]), len(theirs)
        result.notes.append(f"rows: ours {ours_rows}, baseline {base_rows}")
        if ours_rows != base_rows:
            result.error = f"ours lists {ours_rows} rows, the baseline query {base_rows}"
    elif case.name.startswith("variation"):
        ours_flags = len(found["ours"]["flags"])
        result.notes.append(f"flags: ours {ours_flags}, baseline {len(theirs['flags'])}")
        if ours_flags != len(theirs["flags"]):
            result.error = f"ours lists {ours_flags} flags, the baseline {len(theirs['flags'])}"
    return result


def _describe(queries: dict[str, str]) -> str:
    names = ", ".join(queries)
    return f"{len(queries)} quer{'y' if len(queries) == 1 else 'ies'} ({names})"
