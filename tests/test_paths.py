"""Progression paths and next steps: on a hand-made career graph, then on the bundled catalogue."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalogue.store import open_catalogue
from pathways.paths import (
    Career,
    CareerInputError,
    NoPath,
    PathQuery,
    band_change,
    check_role,
    check_trust,
    find_paths,
    load_career,
    next_steps,
    parse_holding,
    posts_for,
)
from pathways.records import JD, ProgressionEdge, RoleInfo, RouteInfo, TrustInfo
from tests.factories import jd, make_catalogue
from workforce_cli.main import main

AFTER = date(2026, 6, 1)  # the level 7 restriction (from 2026-01-01) is in force
BEFORE = date(2025, 6, 1)


def role(rid: str, band: str | None, level: str = "practitioner", group: str = "g") -> RoleInfo:
    return RoleInfo(
        id=rid,
        title=rid.title(),
        staff_group=group,
        band_min=band,
        band_max=band,
        career_level=level,
        registration="none",
        pay_system="afc" if band else "medical",
    )


def route(
    rid: str,
    months: int | None,
    kind: str = "postgraduate",
    *,
    level: int | None = None,
    cap: int | None = None,
    status: str = "open",
    status_from: str = "",
    note: str = "",
) -> RouteInfo:
    return RouteInfo(
        id=rid,
        name=f"Route {rid}",
        kind=kind,
        level=level,
        months=months,
        funding_cap=cap,
        standard_ref="",
        entry_requirements="",
        registration="none",
        status=status,
        status_note=note,
        status_from=status_from,
        unconfirmed=("months",) if months is None else (),
        leads_to=(),
        gives=(),
    )


def edge(a: str, b: str, months: int, *routes: str, kind: str = "up") -> ProgressionEdge:
    return ProgressionEdge(a, b, kind, months, f"{a} to {b}", tuple(sorted(routes)))


def career(
    roles: list[RoleInfo],
    routes: list[RouteInfo],
    edges: list[ProgressionEdge],
    needs: dict[str, dict[str, int]] | None = None,
) -> Career:
    comps = {c for levels in (needs or {}).values() for c in levels}
    return Career(
        roles={r.id: r for r in roles},
        routes={r.id: r for r in routes},
        edges=tuple(edges),
        needs=needs or {},
        competencies={c: c.replace("-", " ") for c in sorted(comps)},
    )


# A small ladder: a -> b -> d and a -> c -> d, with a lateral loop b <-> c.
#   a -> b: 12 in post + shortest known route (x: 6; y: 18)           = 18
#   b -> d: 24 in post + route z (unknown length: counted 0)          = 24, months unknown
#   a -> c: 6 in post + apprenticeship app (level 7, restricted)      = 6 + 10 = 16
#   c -> d: 24 in post, no route                                      = 24
#   b -> c and c -> b: lateral, 0 in post, no route
def small() -> Career:
    return career(
        roles=[role("a", "4"), role("b", "5"), role("c", "5"), role("d", "6")],
        routes=[
            route("x", 6),
            route("y", 18),
            route("z", None, "in-house"),
            route(
                "app",
                10,
                "apprenticeship",
                level=7,
                cap=12000,
                status="restricted",
                status_from="2026-01-01",
                note="Levy funding for new starters under 22 only.",
            ),
        ],
        edges=[
            edge("a", "b", 12, "x", "y"),
            edge("b", "d", 24, "z"),
            edge("a", "c", 6, "app"),
            edge("c", "d", 24),
            edge("b", "c", 0, kind="lateral"),
            edge("c", "b", 0, kind="lateral"),
        ],
        needs={
            "a": {"care": 2},
            "b": {"care": 3, "imaging": 2},
            "c": {"care": 2, "imaging": 3},
            "d": {"care": 3, "imaging": 3, "reporting": 3},
        },
    )


def test_paths_are_ranked_by_months_with_the_shortest_known_route() -> None:
    paths = find_paths(small(), PathQuery("a", "d"), AFTER)
    ways = [[s.move.edge.to_role for s in p.steps] for p in paths]
    totals = [p.total_months for p in paths]
    # a-c-d 16+24=40; a-b-d 18+24=42; a-c-b-d 16+0+24=40 (3 steps, after a-c-d);
    # a-b-c-d 18+0+24=42 (3 steps, after a-b-d).
    assert ways == [["c", "d"], ["c", "b", "d"], ["b", "d"], ["b", "c", "d"]]
    assert totals == [40, 40, 42, 42]
    first_b = paths[2].steps[0]
    assert first_b.move.route is not None and first_b.move.route.id == "x"  # 6 beats 18
    assert [r.id for r in first_b.move.routes] == ["x", "y"]  # both shown, shortest first
    assert first_b.move.months == 12 + 6


def test_a_route_of_unknown_length_counts_zero_and_says_so() -> None:
    paths = find_paths(small(), PathQuery("a", "d"), AFTER)
    b_to_d = paths[2].steps[1]
    assert b_to_d.move.route is not None and b_to_d.move.route.id == "z"
    assert b_to_d.move.months == 24 and b_to_d.move.months_unknown
    assert paths[2].months_unknown
    assert not paths[0].months_unknown  # a-c-d uses no route of unknown length


def test_max_limits_the_paths_and_no_role_repeats() -> None:
    paths = find_paths(small(), PathQuery("a", "d", max_paths=2), AFTER)
    assert len(paths) == 2
    for path in find_paths(small(), PathQuery("a", "d", max_paths=10), AFTER):
        visited = [path.steps[0].move.edge.from_role] + [s.move.edge.to_role for s in path.steps]
        assert len(visited) == len(set(visited))


def test_a_restricted_level_7_apprenticeship_carries_its_warning_and_cost() -> None:
    path = find_paths(small(), PathQuery("a", "d"), AFTER)[0]
    a_to_c = path.steps[0]
    (warning,) = a_to_c.warnings
    assert warning["route"] == "app"
    assert warning["status_from"] == "2026-01-01"
    assert "since 2026-01-01" in warning["text"]
    assert "new starters under 22" in warning["text"]
    assert a_to_c.cost == 12000 and path.apprenticeship_cost == 12000
    # Before the restriction takes effect, the warning says from when it will apply.
    before = find_paths(small(), PathQuery("a", "d"), BEFORE)[0]
    assert "from 2026-01-01" in before.steps[0].warnings[0]["text"]


def test_an_open_level_7_apprenticeship_is_still_flagged() -> None:
    data = career(
        [role("a", "6"), role("b", "7")],
        [route("acp", 36, "apprenticeship", level=7, cap=12000)],
        [edge("a", "b", 24, "acp")],
    )
    (path,) = find_paths(data, PathQuery("a", "b"), AFTER)
    assert "level 7 apprenticeship" in path.steps[0].warnings[0]["text"]


def test_an_open_route_is_preferred_to_a_restricted_one_of_equal_length() -> None:
    data = career(
        [role("a", "6"), role("b", "7")],
        [
            route("msc", 36),
            route(
                "acp", 36, "apprenticeship", level=7, status="restricted", status_from="2026-01-01"
            ),
        ],
        [edge("a", "b", 24, "msc", "acp")],
    )
    (path,) = find_paths(data, PathQuery("a", "b"), AFTER)
    assert path.steps[0].move.route is not None and path.steps[0].move.route.id == "msc"
    assert path.steps[0].warnings == ()


def test_via_apprenticeship_keeps_only_moves_an_apprenticeship_makes() -> None:
    data = small()
    paths = find_paths(data, PathQuery("a", "d", via="apprenticeship", max_paths=10), AFTER)
    # a -> b has no apprenticeship route (x and y are postgraduate), b -> d only in-house:
    # only a -> c (app) and c -> d (no route: by experience) remain.
    assert [[s.move.edge.to_role for s in p.steps] for p in paths] == [["c", "d"]]
    (around,) = find_paths(data, PathQuery("a", "b", via="apprenticeship"), AFTER)
    assert [s.move.edge.to_role for s in around.steps] == ["c", "b"]
    only_postgraduate = career(
        [role("a", "5"), role("b", "6")], [route("x", 6)], [edge("a", "b", 1, "x")]
    )
    with pytest.raises(
        NoPath, match="no path from a to b by apprenticeships alone.*drop --via apprenticeship"
    ):
        find_paths(only_postgraduate, PathQuery("a", "b", via="apprenticeship"), AFTER)


def test_training_posts_count_the_programme_once() -> None:
    # s -> t (into a training post) and t -> q (out of it) are both made by the 36-month
    # programme p; the training post's 36 months in post already is the programme.
    data = career(
        [role("s", "3", "support worker"), role("t", "4", "trainee"), role("q", "5")],
        [
            route("p", 36, "apprenticeship", level=6, cap=24000),
            route("p2", 24, "apprenticeship", level=6, cap=24000),
        ],
        [edge("s", "t", 12, "p"), edge("t", "q", 36, "p", "p2")],
    )
    (path,) = find_paths(data, PathQuery("s", "q"), AFTER)
    assert [s.move.months for s in path.steps] == [12, 36]
    assert all(s.move.training_in_post for s in path.steps)
    # The programme taken into the post is the one out of it: p, not the shorter p2, and
    # its funding cap is counted once.
    assert [s.move.route.id for s in path.steps if s.move.route] == ["p", "p"]
    assert path.apprenticeship_cost == 24000


def test_the_gap_is_what_each_role_needs_beyond_what_is_held() -> None:
    data = small()
    path = find_paths(data, PathQuery("a", "d"), AFTER)[2]  # a -> b -> d
    step_b, step_d = path.steps
    # Held: a's care 2. b needs care 3 (held 2) and imaging 2.
    assert [(g.competency, g.needed, g.held) for g in step_b.gap] == [
        ("care", 3, 2),
        ("imaging", 2, None),
    ]
    # Having reached b, care 3 and imaging 2 are held: d adds imaging 3 and reporting 3.
    assert [(g.competency, g.needed, g.held) for g in step_d.gap] == [
        ("imaging", 3, 2),
        ("reporting", 3, None),
    ]
    holding = find_paths(data, PathQuery("a", "d", holding={"imaging": 3, "reporting": 4}), AFTER)[
        2
    ]
    assert [g.competency for g in holding.steps[0].gap] == ["care"]
    assert holding.steps[1].gap == ()
    bare = find_paths(data, PathQuery("a", "d", include_from_role=False), AFTER)[2]
    assert [(g.competency, g.held) for g in bare.steps[0].gap] == [
        ("care", None),
        ("imaging", None),
    ]


def test_unknown_roles_and_empty_questions_are_refused() -> None:
    data = small()
    with pytest.raises(CareerInputError, match="no role 'e'"):
        find_paths(data, PathQuery("a", "e"), AFTER)
    with pytest.raises(CareerInputError, match="both the start and the target"):
        find_paths(data, PathQuery("a", "a"), AFTER)
    # "path", not "route": a route is a training route.
    with pytest.raises(NoPath, match="there is no path from d to b; b can be reached from: a, c$"):
        find_paths(data, PathQuery("d", "b"), AFTER)
    with pytest.raises(NoPath, match="no move in the catalogue leads to a"):
        find_paths(data, PathQuery("d", "a"), AFTER)


def test_next_steps_are_up_first_with_band_change() -> None:
    steps = next_steps(small(), "b", AFTER)
    assert [(s.move.edge.to_role, s.move.edge.kind, s.move.months) for s in steps] == [
        ("d", "up", 24),
        ("c", "lateral", 0),
    ]
    assert band_change(role("b", "5"), role("d", "6")) == ("5 -> 6", 1)
    assert band_change(role("r", None), role("c", None)) == ("medical pay -> medical pay", None)


def test_holding_is_parsed_by_id_or_name_with_a_level() -> None:
    comps = {"ct-scanning": "CT scanning", "mri-scanning": "MRI scanning"}
    assert parse_holding("ct-scanning, MRI scanning:2", comps) == {
        "ct-scanning": 3,
        "mri-scanning": 2,
    }
    assert parse_holding(None, comps) == {}
    with pytest.raises(CareerInputError, match="did you mean ct-scanning"):
        parse_holding("ct-scaning", comps)
    with pytest.raises(CareerInputError, match="1-4"):
        parse_holding("ct-scanning:5", comps)


def test_posts_sum_vacancies_per_trust_with_the_chosen_trust_first() -> None:
    def post(trust: str, funded: float | None, in_post: float | None) -> JD:
        return JD(0, trust, "r", "t", "d", "6", funded, in_post, None, None, "")

    trusts = {c: TrustInfo(c, f"Trust {c}", "icb") for c in ("AAA", "BBB", "CCC")}
    jds = [
        post("AAA", 2.0, 1.5),
        post("AAA", 1.0, 1.0),
        post("BBB", 3.0, 1.0),
        post("BBB", None, 1),
    ]
    rows = posts_for(jds, trusts)
    assert [(r["trust"], r["jds"], r["vacancies"], r["wte_unknown"]) for r in rows] == [
        ("BBB", 2, 2.0, 1),
        ("AAA", 2, 0.5, 0),
    ]
    first = posts_for(jds, trusts, first="CCC")
    assert [(r["trust"], r["jds"]) for r in first] == [("CCC", 0), ("BBB", 2), ("AAA", 2)]
    assert check_trust(trusts, "aaa") == "AAA" and check_trust(trusts, "Trust BBB") == "BBB"
    with pytest.raises(CareerInputError, match="no trust"):
        check_trust(trusts, "ZZZ")


def test_a_trust_is_found_by_code_or_full_name_in_any_case() -> None:
    trusts = {
        "RBK": TrustInfo("RBK", "Walsall Healthcare NHS Trust", "QUA"),
        "RRK": TrustInfo("RRK", "University Hospitals Birmingham NHS Foundation Trust", "QHL"),
    }
    for text in (
        "RBK",
        "rbk",
        " Rbk ",
        "Walsall Healthcare NHS Trust",
        "walsall  HEALTHCARE nhs trust",
    ):
        assert check_trust(trusts, text) == "RBK", text
    # Part of a name is not a trust, but the message points at the full one.
    with pytest.raises(CareerInputError, match=r"unknown trust 'walsall'.*'RBK' \(Walsall Health"):
        check_trust(trusts, "walsall")


# --- The bundled catalogue ---------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def path_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> dict[str, Any]:
    code, out, err = run(
        capsys, "path", *argv, "--db", str(db), "--format", "json", "--as-of", "2026-06-01"
    )
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def catalogue_edges(db: Path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT from_role, to_role, months_in_post FROM progression")
        return {(a, b): months for a, b, months in rows}


def test_support_worker_to_consultant_radiographer(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = path_json(capsys, packaged_db, "imaging-support-worker", "consultant-radiographer")
    edges = catalogue_edges(packaged_db)
    assert data["from"] == "imaging-support-worker" and data["to"] == "consultant-radiographer"
    assert 1 <= len(data["paths"]) <= 5
    totals = [p["total_months"] for p in data["paths"]]
    assert totals == sorted(totals)
    for path in data["paths"]:
        roles = [path["steps"][0]["from_role"]] + [s["to_role"] for s in path["steps"]]
        assert roles[0] == "imaging-support-worker" and roles[-1] == "consultant-radiographer"
        assert len(set(roles)) == len(roles)
        assert path["total_months"] == sum(s["months"] for s in path["steps"])
        for step in path["steps"]:
            assert (step["from_role"], step["to_role"]) in edges
            assert step["months_in_post"] == edges[(step["from_role"], step["to_role"])]
            assert step["months"] == step["months_in_post"] + step["training_months"]
            known = [r["months"] for r in step["routes"] if r["months"] is not None]
            if step["training_in_post"] or not step["routes"]:
                assert step["training_months"] == 0
            elif known:
                assert step["training_months"] == min(known) and not step["months_unknown"]
            else:
                assert step["training_months"] == 0 and step["months_unknown"]
    # The consultant post is reached by appointment: the last move has no route.
    assert all(p["steps"][-1]["routes"] == [] for p in data["paths"])
    # Posts: the trusts with consultant radiographer JDs, vacancies worked out from the JDs.
    with sqlite3.connect(packaged_db) as conn:
        expected = {
            trust: round(vacant, 2)
            for trust, vacant in conn.execute(
                "SELECT trust, SUM(wte_funded - wte_in_post) FROM job_description "
                "WHERE role = 'consultant-radiographer' GROUP BY trust"
            )
        }
    assert {p["trust"]: p["vacancies"] for p in data["posts"]} == expected


def test_by_apprenticeship_the_level_7_restriction_is_warned(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = path_json(
        capsys,
        packaged_db,
        "imaging-support-worker",
        "consultant-radiographer",
        "--via",
        "apprenticeship",
        "--max",
        "3",
    )
    assert len(data["paths"]) == 3
    for path in data["paths"]:
        for step in path["steps"]:
            assert all(r["kind"] == "apprenticeship" for r in step["routes"])
        # Every way up to advanced practice by apprenticeship is the level 7 one, restricted.
        warned = [w for s in path["steps"] for w in s["warnings"]]
        assert any(w["status_from"] == "2026-01-01" and w["status_note"] for w in warned)


def test_max_and_holding_on_the_catalogue(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = path_json(
        capsys, packaged_db, "diagnostic-radiographer", "consultant-radiographer", "--max", "2"
    )
    assert len(two["paths"]) == 2
    plain = path_json(capsys, packaged_db, "diagnostic-radiographer", "specialist-radiographer")
    held = path_json(
        capsys,
        packaged_db,
        "diagnostic-radiographer",
        "specialist-radiographer",
        "--holding",
        "ct-scanning:4,mri-scanning",
    )
    plain_gap = {g["competency"] for g in plain["paths"][0]["steps"][0]["gap"]}
    held_gap = {g["competency"] for g in held["paths"][0]["steps"][0]["gap"]}
    assert {"ct-scanning", "mri-scanning"} <= plain_gap
    assert held_gap == plain_gap - {"ct-scanning", "mri-scanning"}


def test_path_errors_exit_2(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(packaged_db)]
    code, _, err = run(capsys, "path", "diagnostic-radiographr", "sonographer", *db)
    assert code == 2 and "diagnostic-radiographr" in err and "diagnostic-radiographer" in err
    code, _, err = run(capsys, "path", "consultant-radiographer", "imaging-support-worker", *db)
    assert code == 2
    assert "no path from consultant-radiographer to imaging-support-worker" in err
    assert "imaging-porter" in err  # what can reach a support worker post
    code, _, err = run(capsys, "path", "sonographer", "advanced-sonographer", "--holding", "x", *db)
    assert code == 2 and "no competency 'x'" in err
    code, _, err = run(
        capsys, "path", "sonographer", "advanced-sonographer", "--trust", "NOPE", *db
    )
    assert code == 2 and "no trust" in err


def test_trust_comes_first_in_posts(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "S1", "specialist-radiographer", "6", wte_funded=4, wte_in_post=3),
            jd("RRK", "S2", "specialist-radiographer", "6", wte_funded=2, wte_in_post=2),
            jd("RJE", "S3", "specialist-radiographer", "6", wte_funded=5, wte_in_post=2.5),
            jd("RL4", "D1", "diagnostic-radiographer", "5", wte_funded=9, wte_in_post=1),
        ],
    )
    data = path_json(capsys, db, "diagnostic-radiographer", "specialist-radiographer")
    # Most vacancies first: RJE 2.5, then RRK 1 (4-3 + 2-2). RL4 has no such post.
    assert [(p["trust"], p["jds"], p["vacancies"]) for p in data["posts"]] == [
        ("RJE", 1, 2.5),
        ("RRK", 2, 1.0),
    ]
    first = path_json(
        capsys, db, "diagnostic-radiographer", "specialist-radiographer", "--trust", "rrk"
    )
    assert [p["trust"] for p in first["posts"]] == ["RRK", "RJE"]
    code, out, _ = run(
        capsys, "path", "diagnostic-radiographer", "specialist-radiographer", "--db", str(db)
    )
    assert code == 0 and "Path 1" in out and "RJE" in out


def test_next_in_json(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "next", "diagnostic-radiographer", "--db", str(packaged_db), "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    edges = catalogue_edges(packaged_db)
    targets = [row["to_role"] for row in data["next"]]
    assert set(targets) == {b for (a, b) in edges if a == "diagnostic-radiographer"}
    kinds = [row["kind"] for row in data["next"]]
    assert kinds == sorted(kinds, key=lambda k: k != "up")  # up first
    specialist = next(r for r in data["next"] if r["to_role"] == "specialist-radiographer")
    assert specialist["band_change"] == "5 -> 6" and specialist["band_steps"] == 1
    assert specialist["gap"] and specialist["routes"]
    code, _, err = run(capsys, "next", "nope", "--db", str(packaged_db))
    assert code == 2 and "no role 'nope'" in err


def test_check_role_suggests_by_title_too(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        data = load_career(db)
    finally:
        db.close()
    assert check_role(data, "sonographer").title == "Sonographer"
    with pytest.raises(CareerInputError, match="did you mean .*reporting-radiographer"):
        check_role(data, "Reporting Radiographr")


# --- What the `path` and `next` text says ------------------------------------------------------


def path_text(data: Career, query: PathQuery) -> list[str]:
    from pathways.paths import path_as_dict
    from workforce_cli.career_commands import path_lines

    paths = find_paths(data, query, AFTER)
    shown = {
        "from": query.from_role,
        "to": query.to_role,
        "via": query.via,
        "holding": {},
        "held_from": [],
        "completed": [],
        "degree": False,
        "gap": [],
        "paths": [path_as_dict(path, data, AFTER) for path in paths],
    }
    return path_lines(shown, paths, data, ignore_role=False)


def test_a_path_with_a_route_of_unknown_length_says_at_least() -> None:
    # Ranked by known months (the search is unchanged): a-c-b-d (40) and a-b-d (42) end with
    # b -> d by z, of unknown length, so may take longer than a-b-c-d (42): the text says so.
    lines = path_text(small(), PathQuery("a", "d"))
    assert "Paths 2 and 3 use a training route of unknown length" in lines[3]
    assert "longer than paths listed after them" in lines[3]
    headings = [line for line in lines if line.startswith("Path ")]
    assert headings[0].startswith("Path 1: 40 months (3.3 years); 2 moves")
    assert headings[1].startswith("Path 2: at least 40 months (3.3 years)")
    assert headings[2].startswith("Path 3: at least 42 months (3.5 years)")
    assert headings[3].startswith("Path 4: 42 months (3.5 years); 3 moves")
    # One path alone with an unknown length: no ranking to qualify, its heading says it.
    only = path_text(small(), PathQuery("b", "d", max_paths=1))
    (single,) = [h for h in only if h.startswith("Path ")]
    assert not any(line.startswith("Ranked") for line in only)
    assert single.startswith("Path 1: at least 24 months")
    step = next(line for line in lines if line.startswith("  2. b -> d"))
    assert "at least 24 months: 24 in post + training of unknown length (z)" in step


def test_one_move_one_way_and_no_band_medical_pay() -> None:
    data = career(
        [role("reg", None, "doctor in training"), role("cons", None, "consultant")],
        [route("st", 60, "specialty training")],
        [edge("reg", "cons", 60, "st")],
    )
    lines = path_text(data, PathQuery("reg", "cons"))
    text = "\n".join(lines)
    assert ": 1 way, fastest first" in lines[1]
    assert "; 1 move" in text and "1 moves" not in text
    assert "(reg, medical pay)" in lines[0] and "band medical pay" not in text
    # A path of known months only: no note about unknown lengths.
    assert "unknown length" not in text


def test_path_text_on_the_catalogue(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "path", "radiology-registrar", "consultant-radiologist", "--db", str(packaged_db)
    )
    assert code == 0 and "band medical pay" not in out and "medical pay" in out
    code, out, _ = run(capsys, "next", "radiology-registrar", "--db", str(packaged_db))
    assert code == 0 and "band medical pay" not in out and "bands medical pay" not in out
    assert "1 next step," in out
    code, out, _ = run(
        capsys, "path", "diagnostic-radiographer", "specialist-radiographer", "--db",
        str(packaged_db), "--max", "1",
    )  # fmt: skip
    assert code == 0 and "funding cap £7,000" in out  # money as everywhere else


def test_path_takes_a_trust_by_full_name_in_any_case(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for trust in ("RBK", "rbk", "walsall healthcare NHS trust"):
        data = path_json(
            capsys, packaged_db, "sonographer", "advanced-sonographer", "--trust", trust
        )
        assert data["posts"][0]["trust"] == "RBK", trust
    code, _, err = run(
        capsys, "path", "sonographer", "advanced-sonographer", "--trust", "Walsall",
        "--db", str(packaged_db),
    )  # fmt: skip
    assert code == 2 and "unknown trust 'Walsall'" in err and "'RBK' (Walsall" in err
