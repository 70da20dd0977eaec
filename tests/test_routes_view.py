"""Training routes: the listing with its filters, unknown figures shown as unknown, and --gaps."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pathways.records import ProgressionEdge, RoleInfo, RouteInfo
from pathways.routes import route_gaps, status_on
from workforce_cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def routes_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> Any:
    code, out, err = run(capsys, "routes", "--db", str(db), "--format", "json", *argv)
    assert code == 0, err
    return json.loads(out)


def role(rid: str, group: str = "g") -> RoleInfo:
    return RoleInfo(rid, rid.title(), group, "5", "5", "practitioner", "none", "afc")


def route(
    rid: str, kind: str, leads_to: tuple[str, ...] = (), status: str = "open", since: str = ""
) -> RouteInfo:
    return RouteInfo(
        rid, rid, kind, 6, 12, None, "", "", "none", status, "", since, (), leads_to, ()
    )


def test_a_status_takes_effect_on_its_date() -> None:
    limited = route("r", "apprenticeship", status="restricted", since="2026-01-01")
    assert status_on(limited, date(2025, 12, 31)) == "open"
    assert status_on(limited, date(2026, 1, 1)) == "restricted"
    assert status_on(route("c", "in-house", status="closed"), date(2000, 1, 1)) == "closed"


def test_gaps_on_a_hand_made_graph() -> None:
    roles = {
        r.id: r for r in [role("entry"), role("named"), role("edged"), role("limited"), role("top")]
    }
    routes = {
        r.id: r
        for r in [
            route("pg", "postgraduate", leads_to=("named",)),
            route("app", "apprenticeship"),
            route(
                "l7",
                "apprenticeship",
                leads_to=("limited",),
                status="restricted",
                since="2026-01-01",
            ),
        ]
    }
    edges = [
        ProgressionEdge("entry", "named", "up", 12, "", ()),
        ProgressionEdge("named", "edged", "up", 12, "", ("app",)),  # apprenticeship on the edge
        ProgressionEdge("edged", "limited", "up", 12, "", ()),
        ProgressionEdge("limited", "top", "up", 12, "", ()),  # by appointment
    ]
    after = route_gaps(roles, routes, edges, date(2026, 6, 1))
    assert [i.role for i in after.no_apprenticeship] == ["entry", "named", "top"]
    assert [i.role for i in after.apprenticeship_limited] == ["limited"]
    assert [i.role for i in after.only_limited] == ["limited"]
    assert [(i.role, i.entry) for i in after.unreached] == [("entry", True), ("top", False)]
    before = route_gaps(roles, routes, edges, date(2025, 6, 1))
    assert before.only_limited == () and before.apprenticeship_limited == ()


def test_default_table_keeps_its_columns(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "routes", "--db", str(packaged_db))
    assert code == 0
    assert "ST0619" in out
    header = next(line for line in out.splitlines() if "standard ref" in line)
    for column in ("id", "kind", "level", "months", "funding cap", "status", "leads to"):
        assert column in header


def test_every_route_in_json_with_unknowns_as_null(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = routes_json(capsys, packaged_db, "--as-of", "2026-06-01")
    with sqlite3.connect(packaged_db) as conn:
        expected = {
            rid: (months, unconfirmed)
            for rid, months, unconfirmed in conn.execute(
                "SELECT id, months, unconfirmed FROM training_route"
            )
        }
        opens = {}
        for rid, role_id in conn.execute("SELECT route, role FROM route_role"):
            opens.setdefault(rid, set()).add(role_id)
    assert {r["id"] for r in rows} == set(expected)
    for row in rows:
        months, unconfirmed = expected[row["id"]]
        assert row["months"] == months
        assert row["unconfirmed"] == [f for f in unconfirmed.split(",") if f]
        assert set(row["leads_to"]) == opens.get(row["id"], set())
        if "months" in row["unconfirmed"]:
            assert row["months"] is None  # unknown, never 0
    assert {r["status"] for r in rows if r["level"] == 7 and r["kind"] == "apprenticeship"} == {
        "restricted"
    }


def test_filters(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    apprenticeships = routes_json(capsys, packaged_db, "--kind", "apprenticeship")
    assert apprenticeships and {r["kind"] for r in apprenticeships} == {"apprenticeship"}
    level_7 = routes_json(capsys, packaged_db, "--level", "7")
    assert level_7 and {r["level"] for r in level_7} == {7}
    both = routes_json(capsys, packaged_db, "--kind", "apprenticeship", "--level", "7")
    assert {r["id"] for r in both} == {r["id"] for r in apprenticeships} & {
        r["id"] for r in level_7
    }
    into = routes_json(capsys, packaged_db, "--leads-to", "specialist-radiographer")
    with sqlite3.connect(packaged_db) as conn:
        expected = {
            r
            for (r,) in conn.execute(
                "SELECT route FROM route_role WHERE role = 'specialist-radiographer' UNION "
                "SELECT route FROM progression_route WHERE to_role = 'specialist-radiographer'"
            )
        }
    assert {r["id"] for r in into} == expected
    code, _, err = run(capsys, "routes", "--db", str(packaged_db), "--leads-to", "nope")
    assert code == 2 and "no role 'nope'" in err


def test_csv_shows_unconfirmed_figures_as_unknown(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "routes", "--db", str(packaged_db), "--format", "csv")
    assert code == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    # ST0217: months and funding cap not settled by any source.
    senior = rows["senior-healthcare-support-worker-apprenticeship"]
    assert senior["months"] == "unknown" and senior["funding_cap"] == "unknown"
    # A postgraduate certificate has no apprenticeship funding cap: empty, not unknown.
    assert rows["pgcert-image-interpretation"]["funding_cap"] == ""
    assert rows["pgcert-image-interpretation"]["months"] == "12"


def test_gaps_on_the_catalogue(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    after = routes_json(capsys, packaged_db, "--gaps", "--as-of", "2026-06-01")
    before = routes_json(capsys, packaged_db, "--gaps", "--as-of", "2025-06-01")
    with sqlite3.connect(packaged_db) as conn:
        apprenticeship_into = {
            r
            for (r,) in conn.execute(
                "SELECT rr.role FROM route_role rr JOIN training_route t ON t.id = rr.route "
                "WHERE t.kind = 'apprenticeship' UNION SELECT p.to_role FROM progression_route p "
                "JOIN training_route t ON t.id = p.route WHERE t.kind = 'apprenticeship'"
            )
        }
        all_roles = {r for (r,) in conn.execute("SELECT id FROM role")}
    assert {r["role"] for r in after["no_apprenticeship"]} == all_roles - apprenticeship_into
    # Clinical scientist: its only apprenticeship is level 7, restricted from 2026-01-01.
    limited = {r["role"] for r in after["apprenticeship_limited"]}
    assert "clinical-scientist" in limited
    assert before["apprenticeship_limited"] == []
    # The consultant radiographer is appointed, not trained into: a rung no route reaches.
    radiography = next(g for g in after["unreached_rungs"] if g["staff_group"] == "radiography")
    assert "consultant-radiographer" in {r["role"] for r in radiography["roles"]}
    assert "diagnostic-radiographer" not in {r["role"] for r in radiography["roles"]}
    code, out, _ = run(capsys, "routes", "--gaps", "--db", str(packaged_db))
    assert code == 0 and "no route reaches it" in out
    # The table and CSV list a role once, with every finding for it, as the app does (the
    # app showed 34 rows where the command line showed 45, a role per finding).
    code, out, _ = run(capsys, "routes", "--gaps", "--format", "csv", "--db", str(packaged_db))
    listed = [row["role"] for row in csv.DictReader(io.StringIO(out))]
    today = routes_json(capsys, packaged_db, "--gaps")
    found = {
        r["role"]
        for key in ("no_apprenticeship", "apprenticeship_limited", "only_limited")
        for r in today[key]
    }
    found |= {r["role"] for ladder in today["unreached_rungs"] for r in ladder["roles"]}
    assert sorted(listed) == sorted(found)


def test_gaps_refuse_the_route_filters_rather_than_ignore_them(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(packaged_db)]
    code, out, err = run(capsys, "routes", "--gaps", "--kind", "postgraduate", *db)
    assert (code, out) == (2, "")
    assert "--gaps takes no --kind" in err
    assert "`workforce routes --kind postgraduate`" in err  # what to run instead
    code, _, err = run(capsys, "routes", "--gaps", "--level", "7", "--leads-to", "x", *db)
    assert code == 2 and "--gaps takes no --level or --leads-to" in err


def test_no_match_says_so_and_lists_the_levels_there_are(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(packaged_db) as conn:
        levels = [n for (n,) in conn.execute("SELECT DISTINCT level FROM training_route")]
        pg_levels = [
            n
            for (n,) in conn.execute(
                "SELECT DISTINCT level FROM training_route WHERE kind = 'postgraduate'"
            )
        ]
    assert 9 not in levels
    # Exit 0 with the empty list, as `roles` and `history` do when nothing matches.
    assert routes_json(capsys, packaged_db, "--level", "9") == []
    code, out, _ = run(capsys, "routes", "--db", str(packaged_db), "--level", "9")
    text = " ".join(out.split())  # the caption wraps under the narrow empty table
    assert code == 0
    assert "No routes match --level 9." in text
    known = sorted(n for n in levels if n is not None)
    assert f"Routes are at levels {', '.join(map(str, known[:-1]))} and {known[-1]}" in text
    code, out, _ = run(
        capsys, "routes", "--db", str(packaged_db), "--level", "9", "--kind", "postgraduate"
    )
    text = " ".join(out.split())
    pg_known = sorted(n for n in pg_levels if n is not None)
    assert code == 0 and "Routes matching --kind postgraduate are at levels" in text
    assert all(str(n) in text for n in pg_known)


def test_the_table_shows_funding_caps_as_money_and_csv_as_numbers(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(packaged_db) as conn:
        ((route_id, cap),) = conn.execute(
            "SELECT id, funding_cap FROM training_route WHERE funding_cap >= 1000 "
            "ORDER BY funding_cap DESC, id LIMIT 1"
        )
    code, out, _ = run(capsys, "routes", "--db", str(packaged_db))
    line = next(line for line in out.splitlines() if route_id in line)
    assert code == 0 and f"£{cap:,}" in line  # as the ladder and path show it
    code, out, _ = run(capsys, "routes", "--db", str(packaged_db), "--format", "csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows[route_id]["funding_cap"] == str(cap)
