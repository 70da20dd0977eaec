"""Career ladders: rung order, the moves from each rung, and the `workforce ladder` command."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalogue.bands import band_order
from pathways.ladder import (
    UnknownStaffGroup,
    band_range,
    build_ladder,
    find_staff_group,
    ladder_as_dict,
)
from pathways.records import ProgressionEdge, RoleInfo, RouteInfo
from workforce_cli.main import main


def role(
    rid: str, band_min: str | None, band_max: str | None, level: str, group: str = "g"
) -> RoleInfo:
    return RoleInfo(rid, rid.title(), group, band_min, band_max, level, "none", "afc")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_rungs_go_by_band_then_career_level_then_top_band() -> None:
    roles = {
        r.id: r
        for r in [
            role("consultant", "8a", "8b", "consultant"),
            role("manager", "7", "7", "manager"),
            role("advanced", "7", "7", "advanced"),
            role("principal", "7", "8a", "manager"),
            role("support", "2", "3", "support worker"),
            role("trainee", "3", "4", "trainee"),
            role("senior-support", "3", "3", "senior support worker"),
            role("elsewhere", "5", "5", "practitioner", group="other"),
        ]
    }
    ladder = build_ladder("g", {"g": "Group", "other": "Other"}, roles, [])
    assert [r.id for r in ladder.rungs] == [
        "support",
        "senior-support",  # band 3 senior support worker below band 3 trainee
        "trainee",
        "manager",  # band 7: manager below advanced; 7-7 below 7-8a
        "principal",
        "advanced",
        "consultant",
    ]


def test_medical_roles_go_by_career_level() -> None:
    roles = {
        "consultant": RoleInfo(
            "consultant", "C", "med", None, None, "consultant", "GMC", "medical"
        ),
        "registrar": RoleInfo(
            "registrar", "R", "med", None, None, "doctor in training", "GMC", "medical"
        ),
    }
    ladder = build_ladder("med", {"med": "Medical"}, roles, [])
    assert [r.id for r in ladder.rungs] == ["registrar", "consultant"]
    assert band_range(roles["consultant"]) == "medical pay"
    assert band_range(role("x", "8a", "8b", "consultant")) == "8a-8b"
    assert band_range(role("x", "5", "5", "practitioner")) == "5"


def test_edges_leaving_and_entering_the_ladder() -> None:
    roles = {
        r.id: r
        for r in [
            role("a", "5", "5", "practitioner"),
            role("b", "6", "6", "enhanced"),
            role("x", "5", "5", "practitioner", group="other"),
            role("y", "2", "2", "support worker", group="other"),
        ]
    }
    edges = [
        ProgressionEdge("a", "b", "up", 24, "", ("r",)),
        ProgressionEdge("b", "a", "lateral", 0, "", ()),
        ProgressionEdge("a", "x", "lateral", 12, "", ()),
        ProgressionEdge("y", "a", "up", 12, "", ()),
        ProgressionEdge("y", "x", "up", 12, "", ()),
    ]
    routes = {
        "r": RouteInfo(
            "r",
            "R",
            "postgraduate",
            7,
            None,
            None,
            "",
            "",
            "none",
            "open",
            "",
            "",
            ("months",),
            ("b",),
            (),
        )
    }
    ladder = build_ladder("g", {"g": "G", "other": "O"}, roles, edges)
    assert [(e.from_role, e.to_role) for e in ladder.edges] == [("a", "b"), ("b", "a"), ("a", "x")]
    assert [(e.from_role, e.to_role) for e in ladder.entries] == [("y", "a")]
    assert [e.to_role for e in ladder.edges_from("a")] == ["b", "x"]  # up before lateral
    data = ladder_as_dict(ladder, roles, routes, date(2026, 6, 1))
    by_pair = {(e["from"], e["to"]): e for e in data["edges"]}
    assert by_pair[("a", "x")]["leaves_group"] and not by_pair[("a", "b")]["leaves_group"]
    # A route of unknown length stays unknown (null), with the field named as unconfirmed.
    (route,) = by_pair[("a", "b")]["routes"]
    assert route["months"] is None and route["unconfirmed"] == ["months"]
    assert [r["routes_in"] for r in data["rungs"]] == [[], ["r"]]


def test_an_unknown_staff_group_names_the_known_ones() -> None:
    with pytest.raises(
        UnknownStaffGroup, match="did you mean radiography.*known: nursing, radiography"
    ):
        build_ladder("radiografy", {"radiography": "R", "nursing": "N"}, {}, [])


def ladder_json(capsys: pytest.CaptureFixture[str], db: Path, group: str) -> dict[str, Any]:
    code, out, err = run(capsys, "ladder", group, "--db", str(db), "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_radiography_ladder_in_json(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ladder_json(capsys, packaged_db, "radiography")
    with sqlite3.connect(packaged_db) as conn:
        group_roles = {
            r for (r,) in conn.execute("SELECT id FROM role WHERE staff_group = 'radiography'")
        }
        leaving = set(
            conn.execute(
                "SELECT from_role, to_role FROM progression WHERE from_role IN "
                "(SELECT id FROM role WHERE staff_group = 'radiography')"
            )
        )
        route_count = dict(
            conn.execute(
                "SELECT from_role || '>' || to_role, COUNT(*) FROM progression_route GROUP BY 1"
            )
        )
    assert data["staff_group"] == "radiography"
    assert {r["role"] for r in data["rungs"]} == group_roles
    orders = [band_order(r["band_min"]) for r in data["rungs"]]
    assert orders == sorted(orders)
    assert data["rungs"][0]["role"] == "imaging-support-worker"
    assert {(e["from"], e["to"]) for e in data["edges"]} == leaving
    for e in data["edges"]:
        assert len(e["routes"]) == route_count.get(f"{e['from']}>{e['to']}", 0)
        assert e["leaves_group"] == (e["to"] not in group_roles)
        assert e["kind"] in ("up", "lateral") and e["months_in_post"] >= 0
    # Laterals out of the ladder: radiographer to sonography and nuclear medicine.
    out_of = {e["to"] for e in data["edges"] if e["leaves_group"]}
    assert {"trainee-sonographer", "nuclear-medicine-practitioner"} <= out_of
    assert all(e["to"] in group_roles for e in data["entries"])
    assert all(e["from"] not in group_roles for e in data["entries"])


def test_ladder_table_reads_top_rung_first(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "ladder", "radiography", "--db", str(packaged_db))
    assert code == 0
    lines = out.splitlines()
    consultant = next(
        i for i, line in enumerate(lines) if line.startswith("8a-8b  Consultant Radiographer")
    )
    support = next(i for i, line in enumerate(lines) if "Imaging Support Worker  [" in line)
    assert consultant < support
    reporting = next(i for i, line in enumerate(lines) if "Reporting Radiographer  [" in line)
    assert "Consultant Radiographer" in lines[reporting + 1]  # its way up listed under it


def test_medical_ladder_and_unknown_group(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ladder_json(capsys, packaged_db, "radiology-medical")
    assert [r["role"] for r in data["rungs"]] == ["radiology-registrar", "consultant-radiologist"]
    assert data["rungs"][0]["band_min"] is None
    code, _, err = run(capsys, "ladder", "radiografy", "--db", str(packaged_db))
    assert code == 2
    assert "radiografy" in err and "radiography" in err and "sonography" in err


def test_a_staff_group_is_found_by_id_or_name_in_any_case() -> None:
    groups = {"radiography": "Radiography", "medical-physics": "Medical physics"}
    for text in ("radiography", "Radiography", "RADIOGRAPHY", " radiography "):
        assert find_staff_group(text, groups) == "radiography", text
    assert find_staff_group("Medical Physics", groups) == "medical-physics"
    assert find_staff_group("MEDICAL-PHYSICS", groups) == "medical-physics"
    with pytest.raises(UnknownStaffGroup, match="did you mean medical-physics"):
        find_staff_group("Medical Phisics", groups)
    roles = {"r": role("r", "5", "5", "practitioner", group="radiography")}
    assert build_ladder("Radiography", groups, roles, []).staff_group == "radiography"


def test_ladder_takes_a_capitalised_group_or_its_name(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ladder_json(capsys, packaged_db, "Radiography")["staff_group"] == "radiography"
    assert ladder_json(capsys, packaged_db, "medical physics")["staff_group"] == "medical-physics"
    code, out, _ = run(capsys, "ladder", "Radiology (medical)", "--db", str(packaged_db))
    assert code == 0 and out.startswith("Radiology (medical) ladder (radiology-medical): 2 rungs")


def test_ladder_with_no_group_lists_the_staff_groups(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "ladder", "--db", str(packaged_db), "--format", "json")
    assert code == 0, err
    with sqlite3.connect(packaged_db) as conn:
        expected = {
            gid: (name, count)
            for gid, name, count in conn.execute(
                "SELECT g.id, g.name, COUNT(r.id) FROM staff_group g "
                "LEFT JOIN role r ON r.staff_group = g.id GROUP BY g.id"
            )
        }
    assert {row["id"]: (row["name"], row["roles"]) for row in json.loads(out)} == expected
    code, out, _ = run(capsys, "ladder", "--db", str(packaged_db))
    assert code == 0 and "Staff groups" in out and "Medical physics" in out
    assert "workforce ladder ID" in out  # how to show one
