"""What a person holds shortens a path; what a route costs; why a quicker route is not counted.

Hand-made career graphs first (each answer worked out by hand), then the bundled catalogue
through the command line, with a passport file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pathways.paths import (
    Career,
    Holdings,
    PathQuery,
    band_move,
    find_paths,
    next_steps,
    path_as_dict,
    step_as_dict,
)
from pathways.records import ProgressionEdge, RoleInfo, RouteInfo
from workforce_cli.main import main

TODAY = date(2026, 6, 1)


def role(
    rid: str, band: str = "5", top: str | None = None, level: str = "practitioner"
) -> RoleInfo:
    return RoleInfo(rid, rid.title(), "g", band, top or band, level, "none", "afc")


def route(
    rid: str,
    months: int | None,
    gives: tuple[str, ...],
    kind: str = "postgraduate",
    *,
    cap: int | None = None,
    fee: int | None = None,
    fee_unknown: bool = False,
    needs_degree: bool = False,
) -> RouteInfo:
    unconfirmed = ("months",) if months is None else ()
    return RouteInfo(
        id=rid,
        name=f"Route {rid}",
        kind=kind,
        level=7,
        months=months,
        funding_cap=cap,
        standard_ref="",
        entry_requirements="",
        registration="none",
        status="open",
        status_note="",
        status_from="",
        unconfirmed=unconfirmed + (("fee",) if fee_unknown else ()),
        leads_to=(),
        gives=gives,
        fee=fee,
        fee_source="a named university, 2024 entry" if fee is not None else "",
        needs_degree=needs_degree,
    )


def career(routes: list[RouteInfo], edges: list[ProgressionEdge], roles: list[RoleInfo]) -> Career:
    return Career(
        roles={r.id: r for r in roles},
        routes={r.id: r for r in routes},
        edges=tuple(edges),
        # A radiographer needs CT at 2; the CT specialist needs CT and contrast at 3 and MRI at 2.
        needs={
            "radiographer": {"ct": 2, "contrast": 2, "care": 3},
            "specialist": {"ct": 3, "contrast": 3, "mri": 2, "care": 3},
            "reporting": {"ct": 3, "contrast": 3, "mri": 2, "care": 3, "reporting": 3},
        },
        competencies={c: c for c in ("ct", "contrast", "mri", "care", "reporting")},
    )


def ct_specialist() -> Career:
    """radiographer -> specialist (24 months in post) by an 18-month apprenticeship giving
    neither CT nor MRI, a CT course of unknown length, or a 30-month MRI course; specialist ->
    reporting (12 in post) by a 12-month reporting course."""
    return career(
        [
            route("leadership-app", 18, ("care",), "apprenticeship", cap=7000),
            route("ct-course", None, ("ct", "contrast"), fee_unknown=True),
            route("mri-course", 30, ("mri",), fee=4000),
            route("reporting-course", 12, ("reporting", "ct"), fee=5000),
        ],
        [
            ProgressionEdge(
                "radiographer",
                "specialist",
                "up",
                24,
                "",
                ("ct-course", "leadership-app", "mri-course"),
            ),
            ProgressionEdge("specialist", "reporting", "up", 12, "", ("reporting-course",)),
        ],
        [role("radiographer", "5"), role("specialist", "6"), role("reporting", "7")],
    )


# --- 8. What you hold counts ------------------------------------------------------------------


def test_a_route_whose_competencies_are_held_is_not_needed_and_the_months_shrink() -> None:
    data = ct_specialist()
    (step,) = next_steps(data, "radiographer", TODAY)
    # Nothing held beyond the role: the 18-month apprenticeship is the shortest known route.
    assert step.move.route is not None and step.move.route.id == "leadership-app"
    assert step.move.months == 24 + 18 and step.move.credit is None
    # CT and contrast held at the specialist's level 3: the CT course is not needed.
    (step,) = next_steps(data, "radiographer", TODAY, {"ct": 3, "contrast": 4})
    assert step.move.route is not None and step.move.route.id == "ct-course"
    assert step.move.months == 24 and not step.move.months_unknown
    assert step.move.credit is not None and step.move.credit.not_needed
    assert step.move.credit.held == ("ct", "contrast")
    assert step.cost is None and step.fee is None and not step.fee_unknown
    entry = step_as_dict(step, data, TODAY)["held_of_route"]
    assert entry["not_needed"] and [h["competency"] for h in entry["held"]] == ["ct", "contrast"]


def test_levels_count_and_a_partly_held_route_counts_in_full() -> None:
    data = ct_specialist()
    # CT at 2 ("working") does not meet the specialist's 3: the CT course is still needed.
    (step,) = next_steps(data, "radiographer", TODAY, {"ct": 2, "contrast": 3})
    assert step.move.route is not None and step.move.route.id == "leadership-app"
    assert step.move.months == 42
    # CT held but not contrast: the CT course is needed in full (its provider decides any
    # credit for prior learning); what is held of it is named when it is the route counted.
    steps = next_steps(
        career(
            [route("ct-course", 12, ("ct", "contrast"))],
            [ProgressionEdge("radiographer", "specialist", "up", 24, "", ("ct-course",))],
            [role("radiographer"), role("specialist", "6")],
        ),
        "radiographer",
        TODAY,
        {"ct": 3},
    )
    move = steps[0].move
    assert move.months == 24 + 12 and move.credit is not None
    assert move.credit.held == ("ct",) and not move.credit.not_needed


def test_the_roles_own_competencies_never_make_a_route_redundant() -> None:
    # "care" is needed at 3 by both roles: the apprenticeship gives nothing the move asks to
    # gain, so holding care (as every radiographer does) does not make it redundant.
    data = ct_specialist()
    (step,) = next_steps(data, "radiographer", TODAY, {"care": 4})
    assert step.move.route is not None and step.move.route.id == "leadership-app"
    assert step.move.months == 42 and step.move.credit is None


def test_completed_training_is_not_needed_again_and_paths_use_it() -> None:
    data = ct_specialist()
    done = Holdings(completed=frozenset({"mri-course"}))
    (step,) = next_steps(data, "radiographer", TODAY, holdings=done)
    assert step.move.route is not None and step.move.route.id == "mri-course"
    assert step.move.months == 24 and step.move.credit is not None and step.move.credit.completed
    assert step.fee is None  # a course completed costs nothing more
    (path,) = find_paths(data, PathQuery("radiographer", "reporting", holdings=done), TODAY)
    assert path.total_months == 24 + 12 + 12
    # Held at the start is all that counts: without the course the path is 18 months longer.
    (bare,) = find_paths(data, PathQuery("radiographer", "reporting"), TODAY)
    assert bare.total_months == path.total_months + 18


# --- 10. The cost to the person ---------------------------------------------------------------


def test_a_path_shows_what_the_levy_covers_and_what_a_self_funder_pays() -> None:
    data = ct_specialist()
    (path,) = find_paths(data, PathQuery("radiographer", "reporting"), TODAY)
    assert path.apprenticeship_cost == 7000  # the 18-month apprenticeship, levy-funded
    assert path.fees == 5000 and not path.fees_unknown  # the reporting course's tuition
    as_json = path_as_dict(path, data, TODAY)
    assert (as_json["apprenticeship_cost"], as_json["fees"]) == (7000, 5000)
    assert as_json["steps"][1]["fee_source"] == "a named university, 2024 entry"
    # A course whose fee no source settled is unknown, never 0.
    held = {"mri": 2}
    data = career(
        [route("ct-course", 12, ("ct",), fee_unknown=True)],
        [ProgressionEdge("radiographer", "specialist", "up", 24, "", ("ct-course",))],
        [role("radiographer"), role("specialist", "6")],
    )
    (path,) = find_paths(data, PathQuery("radiographer", "specialist", holding=held), TODAY)
    assert path.fees is None and path.fees_unknown
    assert path_as_dict(path, data, TODAY)["steps"][0]["fee_unknown"] is True


# --- 11. Say why ------------------------------------------------------------------------------


def graduate_entry() -> Career:
    return career(
        [
            route("bsc-app", 36, ("ct",), "apprenticeship", cap=24000),
            route("msc-app", 24, ("ct",), "apprenticeship", cap=24000, needs_degree=True),
        ],
        [ProgressionEdge("assistant", "radiographer", "up", 12, "", ("bsc-app", "msc-app"))],
        [role("assistant", "4", level="assistant practitioner"), role("radiographer", "5")],
    )


def test_a_quicker_graduate_route_is_passed_over_with_the_reason_unless_a_degree_is_held() -> None:
    data = graduate_entry()
    (step,) = next_steps(data, "assistant", TODAY)
    assert step.move.route is not None and step.move.route.id == "bsc-app"
    assert step.move.months == 12 + 36
    (passed,) = step.move.passed_over
    assert (passed.route.id, passed.months) == ("msc-app", 24)
    assert "graduates only" in passed.reason
    assert step_as_dict(step, data, TODAY)["passed_over"] == [
        {"route": "msc-app", "months": 24, "reason": passed.reason}
    ]
    (step,) = next_steps(data, "assistant", TODAY, holdings=Holdings(degree=True))
    assert step.move.route is not None and step.move.route.id == "msc-app"
    assert step.move.months == 12 + 24 and step.move.passed_over == ()


def test_a_graduate_route_that_is_the_only_way_is_counted_with_a_warning() -> None:
    data = career(
        [route("stp", 36, ("ct",), needs_degree=True)],
        [ProgressionEdge("assistant", "radiographer", "up", 12, "", ("stp",))],
        [role("assistant", "4"), role("radiographer", "5")],
    )
    (step,) = next_steps(data, "assistant", TODAY)
    assert step.move.route is not None and step.move.route.id == "stp"
    assert any("graduates only" in warning["text"] for warning in step.warnings)
    (step,) = next_steps(data, "assistant", TODAY, holdings=Holdings(degree=True))
    assert step.warnings == ()


def test_a_band_range_that_widens_is_not_called_plus_zero() -> None:
    assert band_move(role("s", "3"), role("t", "3", "4")) == "same starting band, up to band 4"
    assert band_move(role("s", "5"), role("t", "6")) == "+1 band"
    assert band_move(role("s", "5"), role("t", "7")) == "+2 bands"
    assert band_move(role("s", "6"), role("t", "6")) == "same band"


# --- the bundled catalogue, from the command line -------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> dict[str, Any]:
    code, out, err = run(
        capsys, *argv, "--db", str(db), "--format", "json", "--as-of", "2026-06-01"
    )
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


CT_PASSPORT = """\
name = "A CT-experienced radiographer"
role = "diagnostic-radiographer"

[[competencies]]
id = "ct-scanning"
level = 3
evidence = "Two years on the CT rota, signed off"

[[competencies]]
id = "contrast-administration"
level = 3

[[training]]
route = "bsc-diagnostic-radiography"
completed = 2021-07-01
"""


def test_a_ct_experienced_radiographer_needs_no_ct_training_to_specialise(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("path", "diagnostic-radiographer", "specialist-radiographer")
    bare = as_json(capsys, packaged_db, *argv)
    passport = tmp_path / "ct.toml"
    passport.write_text(CT_PASSPORT, encoding="utf-8")
    held = as_json(capsys, packaged_db, *argv, "--passport", str(passport))
    first_bare, first_held = bare["paths"][0], held["paths"][0]
    assert first_bare["steps"][0]["training_months"] > 0  # without: some training counted
    step = first_held["steps"][0]
    assert step["training_months"] == 0 and step["held_of_route"]["not_needed"]
    assert first_held["total_months"] == step["months_in_post"] < first_bare["total_months"]
    # What was counted as held is in the output: the passport's levels, its training, a degree
    # (a completed undergraduate route).
    assert held["holding"] == {"contrast-administration": 3, "ct-scanning": 3}
    assert held["completed"] == ["bsc-diagnostic-radiography"] and held["degree"] is True
    code, out, err = run(capsys, *argv, "--db", str(packaged_db), "--passport", str(passport))
    assert code == 0, err
    assert f"from passport {passport}: contrast-administration 3, ct-scanning 3" in out
    assert "no training needed: you hold all that" in out
    assert "held: contrast-administration 3, ct-scanning 3 (all that" in out


def test_a_bad_passport_for_a_path_exits_2_naming_the_file(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passport = tmp_path / "bad.toml"
    passport.write_text('[[competencies]]\nid = "ct-scaning"\nlevel = 3\n', encoding="utf-8")
    code, _out, err = run(
        capsys,
        "next",
        "diagnostic-radiographer",
        "--db",
        str(packaged_db),
        "--passport",
        str(passport),
    )
    assert code == 2 and str(passport) in err and "ct-scaning" in err


def test_next_says_why_the_msc_apprenticeship_is_not_counted(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (row,) = as_json(capsys, packaged_db, "next", "apprentice-radiographer")["next"]
    assert row["route"] == "diagnostic-radiographer-degree-apprenticeship"
    assert [p["route"] for p in row["passed_over"]] == [
        "diagnostic-radiographer-msc-apprenticeship"
    ]
    (row,) = as_json(capsys, packaged_db, "next", "apprentice-radiographer", "--degree")["next"]
    assert row["route"] == "diagnostic-radiographer-msc-apprenticeship" and not row["passed_over"]
    code, out, _err = run(
        capsys, "next", "apprentice-radiographer", "--db", str(packaged_db), "--as-of", "2026-06-01"
    )
    assert "not counted: diagnostic-radiographer-msc-apprenticeship (24 months)" in out
    assert "months in the training post (its programme" in out


def test_moving_into_a_training_post_counts_the_time_in_the_current_post(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "next", "senior-imaging-support-worker", "--db", str(packaged_db))
    assert code == 0
    assert "12 months in the current post before moving into the training post" in out
    assert "in the training post (the training programme" not in out
    assert "bands 3 -> 3-4 (same starting band, up to band 4)" in out and "(+0)" not in out


def test_path_costs_show_the_levy_and_the_self_funder_fees(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = as_json(
        capsys, packaged_db, "path", "reporting-radiographer", "advanced-practitioner-radiographer"
    )
    (path,) = data["paths"]
    (step,) = path["steps"]
    assert step["route"] == "msc-advanced-clinical-practice"
    assert path["fees"] == step["fee"] == 8001 and "2,667" in step["fee_source"]
    code, out, _err = run(
        capsys,
        "path",
        "reporting-radiographer",
        "advanced-practitioner-radiographer",
        "--db",
        str(packaged_db),
        "--as-of",
        "2026-06-01",
    )
    assert "a self-funder would pay £8,001 in course fees" in out
    # A course of unknown fee says unknown, never £0.
    code, out, _err = run(
        capsys, "routes", "--db", str(packaged_db), "--format", "json", "--kind", "postgraduate"
    )
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["pgcert-ct"]["fee"] is None and "fee" in rows["pgcert-ct"]["unconfirmed"]


def test_a_missing_pay_year_is_explained_without_a_command_line_flag() -> None:
    # Choosing 2024/25 in the app told the user to "choose another --pay-year": the message is
    # shown by the app too, so it names no command-line option.
    from pathways.harmonise import Assumptions, MissingPayError, check_pay

    salaries = {("5", "entry"): 29_970, ("5", "top"): 36_483}
    with pytest.raises(MissingPayError) as refused:
        check_pay([("5", "6")], salaries, Assumptions(pay_year="2024/25"))
    message = str(refused.value)
    assert "no pay for Band 6 in 2024/25" in message
    assert message.endswith("choose another pay year") and "--" not in message
