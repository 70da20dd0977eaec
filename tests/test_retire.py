"""Retire, don't orphan: routes and roles stay for what names them. On real catalogue files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from catalogue.store import open_catalogue
from pathways.paths import CareerInputError, NoPath, PathQuery, find_paths, load_career
from tests.support import digest, query, run


def test_a_role_named_by_jds_is_not_removed_and_the_refusal_says_by_what(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(catalogue_copy)
    code, _, err = run(capsys, "remove", "roles", "sonographer", "--db", str(catalogue_copy))
    assert code == 2
    assert "role 'sonographer' is named by" in err and "JDs (" in err and "move" in err
    assert "Retire it instead" in err
    assert digest(catalogue_copy) == before


def test_retiring_a_role_into_another_moves_its_jds_and_scenario_targets(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jds = query(catalogue_copy, "SELECT COUNT(*) FROM job_description WHERE role = 'sonographer'")
    assert jds[0][0] > 0
    code, out, err = run(
        capsys,
        "retire",
        "role",
        "sonographer",
        "--into",
        "specialist-sonographer",
        "--db",
        str(catalogue_copy),
    )
    assert code == 0, err
    assert f"{jds[0][0]} JDs moved" in out
    assert query(
        catalogue_copy, "SELECT COUNT(*) FROM job_description WHERE role = 'sonographer'"
    ) == [(0,)]
    assert query(
        catalogue_copy, "SELECT status, merged_into FROM role WHERE id = 'sonographer'"
    ) == [("retired", "specialist-sonographer")]
    # The moves that name it stay, but no path leads into it any more.
    assert query(catalogue_copy, "SELECT COUNT(*) FROM progression WHERE to_role = 'sonographer'")[
        0
    ][0]
    career = load_career(open_catalogue(catalogue_copy))
    with pytest.raises(CareerInputError, match="retired"):
        find_paths(career, PathQuery("trainee-sonographer", "sonographer"), date(2026, 12, 8))
    # A JD cannot be newly mapped to it: the message names the role it became.
    trust, ref = query(catalogue_copy, "SELECT trust, jd_ref FROM job_description LIMIT 1")[0]
    code, _, err = run(capsys, "map", f"{trust}:{ref}", "sonographer", "--db", str(catalogue_copy))
    assert code == 2
    assert "role sonographer is retired: it was merged into specialist-sonographer" in err


def test_a_retired_route_is_not_used_by_paths(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = date(2026, 12, 8)
    query_ = PathQuery("diagnostic-radiographer", "specialist-radiographer", max_paths=10)
    used = {
        step.move.route.id
        for path in find_paths(load_career(open_catalogue(catalogue_copy)), query_, today)
        for step in path.steps
        if step.move.route is not None
    }
    assert used
    retired = sorted(used)[0]
    code, out, err = run(
        capsys,
        "retire",
        "route",
        retired,
        "--note",
        "replaced by the academy's certificate",
        "--db",
        str(catalogue_copy),
    )
    assert code == 0, err
    assert f"route {retired} is now retired" in out
    used_after = {
        route.id
        for path in find_paths(load_career(open_catalogue(catalogue_copy)), query_, today)
        for step in path.steps
        for route in step.move.routes
    }
    assert retired not in used_after
    assert query(
        catalogue_copy, "SELECT status, status_note FROM training_route WHERE id = ?", retired
    ) == [("retired", "replaced by the academy's certificate")]


def test_a_move_is_removed_and_an_update_does_not_bring_it_back(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "diagnostic-radiographer:pacs-administrator"
    code, out, err = run(capsys, "remove", "edges", key, "--db", str(catalogue_copy))
    assert code == 0, err
    assert query(
        catalogue_copy,
        "SELECT COUNT(*) FROM progression WHERE from_role = 'diagnostic-radiographer' "
        "AND to_role = 'pacs-administrator'",
    ) == [(0,)]
    assert query(
        catalogue_copy, "SELECT origin FROM reference_origin WHERE kind = 'edge' AND key = ?", key
    ) == [("removed",)]
    code, out, _ = run(capsys, "update", "--dry-run", "--db", str(catalogue_copy))
    assert f"move {key}: removed by the network, not restored" in out
    code, _, err = run(capsys, "remove", "edges", "nonsense", "--db", str(catalogue_copy))
    assert code == 2 and "FROM_ROLE:TO_ROLE" in err


def test_jds_keep_a_retired_role_on_reimport_but_none_is_newly_given_it(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holders = query(
        catalogue_copy, "SELECT COUNT(*) FROM job_description WHERE role = 'mammographer'"
    )
    assert holders[0][0] > 0
    code, _, err = run(capsys, "retire", "role", "mammographer", "--db", str(catalogue_copy))
    assert code == 0, err
    export = tmp_path / "jds.csv"
    run(capsys, "export", "jds", "--format", "csv", "-o", str(export), "--db", str(catalogue_copy))
    code, out, err = run(
        capsys, "import", str(export), "--format", "json", "--db", str(catalogue_copy)
    )
    assert code == 0, err
    assert json.loads(out)["updated"] == 0
    new = tmp_path / "new.csv"
    new.write_text(
        "trust,jd_ref,title,role,band\r\nRRK,NEW-MAMMO,Mammographer,mammographer,6\r\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", str(new), "--db", str(catalogue_copy))
    assert code == 2
    assert "new.csv: line 2: field 'role': role 'mammographer' is retired" in err


ONLY_ROUTE = """
[[route]]
id = "academy-ct-certificate"
name = "Academy CT certificate"
kind = "in-house"
months = 6
leads_to = ["specialist-radiographer"]

[[edge]]
from_role = "mammographer"
to_role = "specialist-radiographer"
kind = "lateral"
months_in_post = 12
routes = ["academy-ct-certificate"]
"""


def test_a_move_whose_every_route_is_retired_is_no_path_and_a_closed_route_is_not_counted(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "academy.toml"
    source.write_text(ONLY_ROUTE, encoding="utf-8")
    db = str(catalogue_copy)
    assert run(capsys, "import", str(source), "--db", db)[0] == 0
    today = date(2026, 12, 8)
    query_ = PathQuery("mammographer", "specialist-radiographer", max_paths=5)

    def first_moves() -> list[tuple[str, str | None]]:
        career = load_career(open_catalogue(catalogue_copy))
        try:
            paths = find_paths(career, query_, today)
        except NoPath:
            return []
        return [
            (
                path.steps[0].move.edge.to_role,
                path.steps[0].move.route and path.steps[0].move.route.id,
            )
            for path in paths
        ]

    assert ("specialist-radiographer", "academy-ct-certificate") in first_moves()
    # Closed, with no other route: still counted (with its warning), there being no other.
    run(capsys, "retire", "route", "academy-ct-certificate", "--closed", "--db", db)
    assert ("specialist-radiographer", "academy-ct-certificate") in first_moves()
    # Retired: the move cannot be made, and no path is made faster by dropping its training.
    run(capsys, "retire", "route", "academy-ct-certificate", "--db", db)
    assert all(step != "specialist-radiographer" for step, _ in first_moves())


def test_an_open_route_is_counted_before_a_closed_shorter_one(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "short.toml"
    source.write_text(
        '[[route]]\nid = "short-course"\nname = "Short course"\nkind = "in-house"\nmonths = 1\n'
        'leads_to = ["specialist-radiographer"]\n\n[[edge]]\nfrom_role = "diagnostic-radiographer"'
        '\nto_role = "specialist-radiographer"\nroutes = ["short-course", '
        '"enhanced-clinical-practitioner-apprenticeship"]\n',
        encoding="utf-8",
    )
    db = str(catalogue_copy)
    assert run(capsys, "import", str(source), "--db", db)[0] == 0
    query_ = PathQuery("diagnostic-radiographer", "specialist-radiographer")
    today = date(2026, 12, 8)

    def counted() -> str | None:
        (path,) = find_paths(load_career(open_catalogue(catalogue_copy)), query_, today)
        route = path.steps[0].move.route
        return route.id if route else None

    assert counted() == "short-course"
    run(capsys, "retire", "route", "short-course", "--closed", "--db", db)
    assert counted() == "enhanced-clinical-practitioner-apprenticeship"
