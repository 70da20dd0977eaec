"""Staff passports: the pure matching, the passport file, and `workforce passport new/check`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pathways.passport import (
    Gap,
    PassportError,
    Vocabulary,
    check_passport,
    competency_gaps,
    match,
    new_passport,
    parse_passport,
    passport_toml,
    read_passport,
    trained_competencies,
    vacant_wte,
)
from pathways.records import JD, RoleInfo, RouteInfo
from tests.factories import jd, make_catalogue
from workforce_cli.main import main

REPO = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "data" / "passports"

# --- pure matching on hand-made inputs ---------------------------------------------------------


def test_meets_exactly_has_no_gap() -> None:
    assert competency_gaps({"a": 2, "b": 3}, {"a": 2, "b": 3}) == ()


def test_held_above_the_needed_level_counts() -> None:
    assert competency_gaps({"a": 4}, {"a": 2}) == ()


def test_missing_one_names_it_with_no_held_level() -> None:
    gaps = competency_gaps({"a": 2, "b": 3}, {"a": 2, "b": 3, "c": 1})
    assert gaps == (Gap("c", needed=1, held=None),)


def test_held_too_low_is_a_gap_with_both_levels() -> None:
    gaps = competency_gaps({"a": 1, "b": 3}, {"a": 2, "b": 3})
    assert gaps == (Gap("a", needed=2, held=1),)


def test_jd_requirement_without_levels_counts_any_level() -> None:
    # JDs list competencies without levels: held at level 1 is enough; not held is the gap.
    gaps = competency_gaps({"a": 1}, {"a": None, "b": None})
    assert gaps == (Gap("b", needed=None, held=None),)


def test_training_meets_a_jds_need_but_only_names_itself_on_a_roles() -> None:
    trained = {"b": ("pgcert",)}
    # A JD asks at no level: what completed training gives counts.
    assert competency_gaps({"a": 1}, {"a": None, "b": None}, trained) == ()
    # A role asks for a level the route does not state: still a gap, naming the route.
    assert competency_gaps({"a": 1}, {"a": 1, "b": 2}, trained) == (
        Gap("b", needed=2, held=None, trained_by=("pgcert",)),
    )
    # Without it, the JD's need is the usual gap.
    assert competency_gaps({"a": 1}, {"b": None}) == (Gap("b", needed=None, held=None),)


def test_only_completed_catalogue_routes_give_competencies() -> None:
    vocabulary = Vocabulary(
        competencies={"a": "A", "b": "B", "c": "C"},
        roles=frozenset(),
        trusts=frozenset(),
        routes=frozenset({"done", "doing", "other"}),
    )
    passport = parse_passport(
        {
            "competencies": [{"id": "a", "level": 2}],
            "training": [
                {"route": "done", "completed": "2024-07-01"},
                {"route": "doing"},  # under way: no completed date
                {"name": "A course in my own words", "completed": "2023-01-01"},
            ],
        },
        vocabulary,
        source="me.toml",
    )
    routes = {
        "done": _route("done", gives=("a", "b")),
        "doing": _route("doing", gives=("c",)),
        "other": _route("other", gives=("b",)),
    }
    assert passport.completed_routes() == ["done"]
    # "a" is held with a level already: only "b" comes from training.
    assert trained_competencies(passport, routes) == {"b": ("done",)}


def _route(route_id: str, gives: tuple[str, ...]) -> RouteInfo:
    return RouteInfo(
        id=route_id,
        name=route_id,
        kind="postgraduate",
        level=None,
        months=None,
        funding_cap=None,
        standard_ref="",
        entry_requirements="",
        registration="",
        status="open",
        status_note="",
        status_from="",
        unconfirmed=(),
        leads_to=(),
        gives=gives,
    )


def test_near_threshold() -> None:
    held = {"a": 3}
    needs = {
        "none-missing": {"a": 3},
        "one-missing": {"a": 3, "b": 1},
        "two-missing": {"a": 4, "b": 1},  # a held too low, b not held
        "three-missing": {"a": 4, "b": 1, "c": 1},
    }
    bands = dict.fromkeys(needs, "5")

    at_two = match(held, needs, bands, near=2)
    assert [fit.target for fit in at_two.meets] == ["none-missing"]
    assert [fit.target for fit in at_two.nearly] == ["one-missing", "two-missing"]
    assert at_two.nearly[1].gaps == (Gap("a", 4, 3), Gap("b", 1, None))

    assert match(held, needs, bands, near=0).nearly == []
    at_three = match(held, needs, bands, near=3)
    assert [fit.target for fit in at_three.nearly][-1] == "three-missing"


def test_ordered_by_fewest_missing_then_band() -> None:
    held = {"a": 2}
    needs = {
        "x-band-7": {"a": 2, "b": 1},
        "y-band-5": {"a": 2, "c": 1},
        "z-medical": {"a": 2, "d": 1},
        "w-band-8a-two-missing": {"b": 1, "c": 1},
        "v-band-8a": {"a": 1},
        "u-band-6": {"a": 2},
    }
    bands = {
        "x-band-7": "7",
        "y-band-5": "5",
        "z-medical": None,
        "w-band-8a-two-missing": "8a",
        "v-band-8a": "8a",
        "u-band-6": "6",
    }
    found = match(held, needs, bands, near=2)
    assert [fit.target for fit in found.meets] == ["u-band-6", "v-band-8a"]
    assert [fit.target for fit in found.nearly] == [
        "y-band-5",
        "x-band-7",
        "z-medical",  # no AfC band sorts after every band
        "w-band-8a-two-missing",
    ]


def test_a_target_needing_nothing_is_left_out() -> None:
    found = match({"a": 1}, {"empty": {}, "one": {"a": 1}}, {}, near=2)
    assert [fit.target for fit in found.meets] == ["one"]
    with pytest.raises(ValueError):
        match({}, {}, {}, near=-1)


def _role(rid: str, band: str | None) -> RoleInfo:
    return RoleInfo(rid, rid.title(), "radiography", band, band, "practitioner", "HCPC", "afc")


def _jd(
    jd_id: int, trust: str, band: str | None, funded: float | None, in_post: float | None
) -> JD:
    return JD(
        jd_id, trust, f"REF-{jd_id}", f"Post {jd_id}", None, band, funded, in_post, None, None, ""
    )


def test_check_passport_roles_by_level_jds_by_any_level() -> None:
    held = {"ct": 1, "xr": 3}
    roles = {"junior": _role("junior", "5"), "senior": _role("senior", "6")}
    role_needs = {
        "junior": {"xr": 3},
        "senior": {"xr": 3, "ct": 3},  # ct held at 1: a gap for a role
        "not-in-roles": {"xr": 1},  # needs of a role the caller did not list: ignored
    }
    jds = [_jd(1, "RRK", "6", 4.0, 3.0), _jd(2, "RKB", "5", None, None), _jd(3, "RBK", "5", 1, 1)]
    # Unmapped JDs saying no level: any level counts. JD 3 lists none.
    jd_needs: dict[int, dict[str, int | None]] = {1: {"ct": None, "xr": None}, 2: {"mri": None}}

    result = check_passport(held, roles, role_needs, jds, jd_needs, near=2)

    assert [fit.target for fit in result.roles.meets] == ["junior"]
    assert [(fit.target, fit.gaps) for fit in result.roles.nearly] == [
        ("senior", (Gap("ct", 3, 1),))
    ]
    assert [fit.target for fit in result.jds.meets] == [1]  # ct at level 1 is enough for a JD
    assert [(fit.target, fit.gaps) for fit in result.jds.nearly] == [(2, (Gap("mri", None, None),))]
    assert result.jds_without_competencies == 1


def test_a_jd_needs_its_roles_level_unless_it_says_its_own() -> None:
    # Issue 12 item 9: holding CT at 1 ("aware") does not meet a JD of a role needing it at 3.
    held = {"ct": 1, "xr": 3}
    roles = {"senior": _role("senior", "6")}
    role_needs = {"senior": {"xr": 3, "ct": 3}}
    mapped = [
        replace(_jd(1, "RRK", "6", 1, 1), role="senior"),  # levels from the role
        replace(_jd(2, "RKB", "6", 1, 1), role="senior"),  # says ct:1 itself
        replace(_jd(3, "RBK", "6", 1, 1), role="senior"),  # asks for one its role does not list
    ]
    jd_needs: dict[int, dict[str, int | None]] = {
        1: {"ct": None, "xr": None},
        2: {"ct": 1, "xr": None},
        3: {"xr": None, "mri": None},
    }
    result = check_passport(held, roles, role_needs, mapped, jd_needs, near=2)
    assert [fit.target for fit in result.jds.meets] == [2]
    nearly = {fit.target: fit.gaps for fit in result.jds.nearly}
    assert nearly[1] == (Gap("ct", 3, 1),)  # "nearly", with the levels missing
    assert nearly[3] == (Gap("mri", None, None),)  # not in the role: any level would do
    # Completed training (level not stated) does not meet a level the JD's role needs.
    trained = {"ct": ("pgcert-ct",)}
    result = check_passport({"xr": 3}, roles, role_needs, mapped[:1], jd_needs, 2, trained)
    assert [fit.gaps for fit in result.jds.nearly] == [(Gap("ct", 3, None, ("pgcert-ct",)),)]


def test_vacant_wte_is_funded_minus_in_post() -> None:
    assert vacant_wte(_jd(1, "RRK", "5", 5.0, 3.5)) == 1.5
    assert vacant_wte(_jd(1, "RRK", "5", 2.0, 2.5)) == -0.5  # over establishment, not hidden
    assert vacant_wte(_jd(1, "RRK", "5", None, 3.0)) is None


# --- the passport file ---------------------------------------------------------------------------

VOCABULARY = Vocabulary(
    competencies={
        "plain-film-imaging": "Plain-film imaging",
        "ct-scanning": "CT scanning",
        "cannulation": "Cannulation",
        "mri-scanning": "MRI scanning",
    },
    roles=frozenset({"diagnostic-radiographer", "specialist-radiographer"}),
    trusts=frozenset({"RRK", "RKB"}),
    routes=frozenset({"bsc-diagnostic-radiography"}),
)


def test_a_valid_passport_reads_with_native_and_quoted_dates() -> None:
    passport = read_passport(SAMPLES / "valid.toml", VOCABULARY)
    assert passport.name == "Sam Sample"
    assert passport.trust == "RRK"
    assert passport.held() == {"plain-film-imaging": 3, "ct-scanning": 2, "cannulation": 3}
    assert passport.competencies[0].achieved == dt.date(2023, 9, 1)
    assert passport.competencies[1].achieved == dt.date(2024, 3, 15)  # written in quotes
    assert passport.competencies[2].achieved is None
    assert passport.training[0].route == "bsc-diagnostic-radiography"
    assert passport.training[1].name == "IR(ME)R refresher, trust e-learning"


def test_a_lower_case_trust_code_is_accepted() -> None:
    assert parse_passport({"trust": "rkb"}, VOCABULARY, source="p").trust == "RKB"


BAD_SAMPLES = [
    # file, what the message must say. Lines counted by hand in each file.
    ("level_out_of_range.toml", ["competencies[3].level (line 12): must be 1-4 (got 5)"]),
    (
        "unknown_competency.toml",
        ["competencies[1].id (line 2): unknown competency 'ct-scaning'", "'ct-scanning'"],
    ),
    ("broken_syntax.toml", ["not valid TOML", "line 3"]),
    (
        "wrong_types.toml",
        [
            "3 problems",
            "competencies[1].level (line 2): must be a whole number 1-4, without quotes",
            "competencies[1].achieved (line 2): must be a date written YYYY-MM-DD, without a time",
            "competencies[1].evidance (line 2): unknown key (nearest: 'evidence')",
        ],
    ),
    ("unknown_key.toml", ["grade: unknown key", "allowed: name, role, trust"]),
    ("training_without_route_or_name.toml", ["training[1] (line 2): give `route`"]),
    ("no_such_file.toml", ["file not found"]),
]


@pytest.mark.parametrize(("name", "fragments"), BAD_SAMPLES)
def test_bad_passports_name_the_file_and_the_field(name: str, fragments: list[str]) -> None:
    path = SAMPLES / name
    with pytest.raises(PassportError) as raised:
        read_passport(path, VOCABULARY)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in message


def test_unknown_role_trust_and_route_name_the_nearest() -> None:
    data = {
        "role": "diagnostic-radiographr",
        "trust": "RRX",
        "training": [{"route": "bsc-diagnostic-radiograhy"}],
    }
    with pytest.raises(PassportError) as raised:
        parse_passport(data, VOCABULARY, source="mine.toml")
    message = str(raised.value)
    assert "role: unknown role 'diagnostic-radiographr' (nearest: 'diagnostic-radiographer'" in (
        message
    )
    assert "trust: unknown trust 'RRX' (nearest: 'RRK')" in message
    assert "training[1].route: unknown training route" in message


def test_a_competency_listed_twice_is_refused() -> None:
    data = {"competencies": [{"id": "cannulation", "level": 2}, {"id": "cannulation", "level": 3}]}
    with pytest.raises(PassportError, match=r"competencies\[2\]\.id: 'cannulation' is listed"):
        parse_passport(data, VOCABULARY, source="mine.toml")


def test_wrong_shapes_are_refused_not_guessed() -> None:
    for data, expected in (
        ({"competencies": {"id": "cannulation", "level": 2}}, "must be a list of tables"),
        ({"competencies": [{"id": "cannulation", "level": True}]}, "whole number 1-4"),
        ({"competencies": [{"id": "cannulation", "level": 2, "achieved": 20240101}]}, "YYYY"),
        ({"competencies": [{"id": "cannulation", "level": 2, "achieved": "2024-02-30"}]}, "cal"),
        ({"name": 7}, "name: must be text"),
        ({"competencies": [{"level": 2}]}, "competencies[1].id: is required"),
    ):
        with pytest.raises(PassportError) as raised:
            parse_passport(data, VOCABULARY, source="p.toml")
        assert expected in str(raised.value), data


def test_new_passport_round_trips_through_toml() -> None:
    passport = new_passport(
        name="Sam", role="diagnostic-radiographer", checklist={"ct-scanning": 2, "cannulation": 3}
    )
    text = passport_toml(passport, checklist_role="diagnostic-radiographer")
    data = tomllib.loads(text)
    # No trust given: left out (TOML has no null); training empty: left out too; and no
    # evidence given: left out, never `evidence = ""`.
    assert set(data) == {"name", "role", "competencies"}
    assert data["competencies"] == [
        {"id": "cannulation", "level": 3},
        {"id": "ct-scanning", "level": 2},
    ]
    assert parse_passport(data, VOCABULARY, source="p") == passport
    # Each competency is its own [[competencies]] table, for the person to add lines under.
    assert text.count("[[competencies]]\n") - text.count("#   [[competencies]]\n") == 2


def test_an_empty_new_passport_is_only_comments() -> None:
    text = passport_toml(new_passport())
    assert tomllib.loads(text) == {}
    assert all(not line.strip() or line.startswith("#") for line in text.splitlines())


# --- the commands over the bundled catalogue ----------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _reference_needs(role: str) -> dict[str, int]:
    """A role's needs read straight from the packaged data file, not through our code."""
    with open(REPO / "catalogue" / "data" / "role_competencies.toml", "rb") as handle:
        return dict(tomllib.load(handle)[role])


def test_a_diagnostic_radiographer_from_the_role_meets_it_and_nearly_specialist(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "me.toml"
    code, _, _ = run(
        capsys,
        "passport",
        "new",
        "--db",
        str(packaged_db),
        "--role",
        "diagnostic-radiographer",
        "--trust",
        "RRK",
        "--from-role",
        "-o",
        str(path),
    )
    assert code == 0
    held = _reference_needs("diagnostic-radiographer")
    specialist = _reference_needs("specialist-radiographer")
    expected_gap = [
        {"competency": cid, "needed": level, "held": held.get(cid)}
        for cid, level in sorted(specialist.items())
        if held.get(cid, 0) < level
    ]
    assert expected_gap  # the step up is a real gap

    def check(near: int) -> dict[str, Any]:
        code, out, _ = run(
            capsys,
            "passport",
            "check",
            str(path),
            "--db",
            str(packaged_db),
            "--format",
            "json",
            "--near",
            str(near),
        )
        assert code == 0
        loaded: dict[str, Any] = json.loads(out)
        return loaded

    result = check(len(expected_gap))
    assert result["role"] == "diagnostic-radiographer"
    assert result["trust"] == "RRK"
    assert result["held"] == held
    assert "diagnostic-radiographer" in [r["role"] for r in result["roles"]["meets"]]
    nearly = {r["role"]: r for r in result["roles"]["nearly"]}
    assert "specialist-radiographer" in nearly
    assert nearly["specialist-radiographer"]["band"] == "6"
    gap = nearly["specialist-radiographer"]["missing"]
    assert [{k: g[k] for k in ("competency", "needed", "held")} for g in gap] == expected_gap
    assert all(g["name"] for g in gap)
    counts = [len(r["missing"]) for r in result["roles"]["nearly"]]
    assert counts == sorted(counts)

    # One fewer allowed: specialist-radiographer is no longer "nearly".
    fewer = check(len(expected_gap) - 1)
    assert "specialist-radiographer" not in [r["role"] for r in fewer["roles"]["nearly"]]


def test_jd_matches_are_exactly_the_jds_whose_competencies_are_held(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held = _reference_needs("diagnostic-radiographer")
    path = tmp_path / "me.toml"
    path.write_text(
        "".join(f'[[competencies]]\nid = "{cid}"\nlevel = {lvl}\n\n' for cid, lvl in held.items()),
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "passport", "check", str(path), "--db", str(packaged_db), "--format", "json"
    )
    assert code == 0
    result = json.loads(out)

    # Worked out here with plain SQL: a JD is met when every competency it lists is held at
    # the level it says, else at its reference role's level, else at any level.
    conn = sqlite3.connect(packaged_db)
    asked: dict[tuple[str, str], dict[str, int | None]] = {}
    for trust, ref, competency, needed in conn.execute(
        "SELECT j.trust, j.jd_ref, c.competency, COALESCE(c.level, rc.level) "
        "FROM job_description j JOIN jd_competency c ON c.jd = j.id "
        "LEFT JOIN role_competency rc ON rc.role = j.role AND rc.competency = c.competency"
    ):
        asked.setdefault((trust, ref), {})[competency] = needed
    wte = {
        (t, r): (f, p)
        for t, r, f, p in conn.execute(
            "SELECT trust, jd_ref, wte_funded, wte_in_post FROM job_description"
        )
    }
    conn.close()

    def missing(needs: dict[str, int | None]) -> set[str]:
        return {c for c, level in needs.items() if c not in held or held[c] < (level or 0)}

    expected_meets = {key for key, needs in asked.items() if not missing(needs)}
    expected_nearly = {key for key, needs in asked.items() if 1 <= len(missing(needs)) <= 2}
    # Levels count: some JD is "nearly" only for a level held below the one needed.
    assert any(missing(needs) - (set(needs) - set(held)) for needs in asked.values())

    meets = {(j["trust"], j["jd_ref"]): j for j in result["jds"]["meets"]}
    assert set(meets) == expected_meets
    assert {(j["trust"], j["jd_ref"]) for j in result["jds"]["nearly"]} == expected_nearly
    for key, row in meets.items():
        funded, in_post = wte[key]
        if funded is not None and in_post is not None:
            assert row["vacant_wte"] == pytest.approx(funded - in_post)
    for row in result["jds"]["nearly"]:
        needs = asked[(row["trust"], row["jd_ref"])]
        assert {g["competency"] for g in row["missing"]} == missing(needs)
        for gap in row["missing"]:
            assert gap["needed"] == needs[gap["competency"]]
            assert gap["held"] == held.get(gap["competency"])


def _hand_made(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "R-1", "diagnostic-radiographer", "5", wte_funded=5, wte_in_post=3.5,
               competencies=["ct-scanning", "plain-film-imaging"]),
            jd("RKB", "K-1", "diagnostic-radiographer", "5", wte_funded=2, wte_in_post=2,
               competencies=["plain-film-imaging"]),
            jd("RKB", "K-2", "specialist-radiographer", "6", wte_funded=1, wte_in_post=0,
               competencies=["plain-film-imaging", "ct-scanning", "mri-scanning"]),
            jd("RBK", "B-1", "specialist-radiographer", "6",
               competencies=["plain-film-imaging", "mri-scanning", "cannulation", "dexa-scanning"]),
        ],
    )  # fmt: skip


def test_round_trip_new_edit_check(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _hand_made(reference_db, tmp_path)
    path = tmp_path / "passport.toml"
    code, _, _ = run(
        capsys, "passport", "new", "--db", str(db), "--name", "Sam", "--trust", "rrk", "-o",
        str(path),
    )  # fmt: skip
    assert code == 0
    # The person edits the file: adds what they hold under the header.
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[competencies]]\nid = "plain-film-imaging"\nlevel = 3\nachieved = 2023-09-01\n'
        + '\n[[competencies]]\nid = "ct-scanning"\nlevel = 1\nevidence = "CT taster week"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "passport", "check", str(path), "--db", str(db), "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert (result["person"], result["trust"], result["role"]) == ("Sam", "RRK", None)
    # Held: plain film 3, CT 1 ("aware"). A JD needs its competencies at its role's level:
    # K-1 (plain film) is met; R-1 needs CT at 2 (a diagnostic radiographer's level): nearly;
    # K-2 needs CT at 3 and MRI at 2 (a specialist's): nearly; B-1 lacks MRI, cannulation and
    # DEXA: three, beyond the default 2. The passport's own trust (RRK) first.
    assert [(j["trust"], j["jd_ref"]) for j in result["jds"]["meets"]] == [("RKB", "K-1")]
    assert result["jds"]["meets"][0]["vacant_wte"] == 0
    nearly = result["jds"]["nearly"]
    assert [(j["jd_ref"], j["vacant_wte"]) for j in nearly] == [("R-1", 1.5), ("K-2", 1)]
    assert nearly[0]["missing"] == [
        {
            "competency": "ct-scanning",
            "name": "CT scanning",
            "needed": 2,
            "held": 1,
            "trained_by": [],
        }
    ]
    assert [(g["competency"], g["needed"], g["held"]) for g in nearly[1]["missing"]] == [
        ("ct-scanning", 3, 1),
        ("mri-scanning", 2, None),
    ]

    # Can I move to RKB? Only RKB's posts.
    code, out, _ = run(
        capsys, "passport", "check", str(path), "--db", str(db), "--format", "json",
        "--trust", "RKB", "--near", "3",
    )  # fmt: skip
    result = json.loads(out)
    assert result["trust_filter"] == "RKB"
    assert [j["jd_ref"] for j in result["jds"]["meets"]] == ["K-1"]
    assert [j["jd_ref"] for j in result["jds"]["nearly"]] == ["K-2"]


def test_completed_training_counts_for_jds_and_is_named_on_role_gaps(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _hand_made(reference_db, tmp_path)
    path = tmp_path / "passport.toml"
    held = '[[competencies]]\nid = "plain-film-imaging"\nlevel = 3\n\n'
    held += '[[competencies]]\nid = "ct-scanning"\nlevel = 2\n\n'

    def check(training: str) -> dict[str, Any]:
        path.write_text(held + training, encoding="utf-8")
        code, out, _ = run(
            capsys, "passport", "check", str(path), "--db", str(db), "--format", "json",
            "--near", "20",
        )  # fmt: skip
        assert code == 0
        loaded: dict[str, Any] = json.loads(out)
        return loaded

    # Under way (no completed date): K-2 still lacks MRI.
    result = check('[[training]]\nroute = "pgcert-mri"\n')
    assert "K-2" not in [j["jd_ref"] for j in result["jds"]["meets"]]
    assert result["trained"] == {}

    # Completed: the route gives MRI scanning, at no stated level. K-2 asks for it at its
    # role's level (a specialist's 2), so the route does not meet it; the gap names the route.
    result = check('[[training]]\nroute = "pgcert-mri"\ncompleted = 2025-07-01\n')
    assert result["trained"] == {"mr-safety": ["pgcert-mri"], "mri-scanning": ["pgcert-mri"]}
    (k2,) = [j for j in result["jds"]["nearly"] if j["jd_ref"] == "K-2"]
    (mri,) = [g for g in k2["missing"] if g["competency"] == "mri-scanning"]
    assert (mri["needed"], mri["held"], mri["trained_by"]) == (2, None, ["pgcert-mri"])
    # A role needs MRI at a level the route does not state: a gap that names the route.
    gaps = [
        gap
        for role in result["roles"]["nearly"]
        for gap in role["missing"]
        if gap["competency"] == "mri-scanning"
    ]
    assert gaps and all(gap["trained_by"] == ["pgcert-mri"] for gap in gaps)
    assert all(gap["held"] is None for gap in gaps)


def test_check_as_csv_and_table(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _hand_made(reference_db, tmp_path)
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "[bold]Sam"\n[[competencies]]\nid = "plain-film-imaging"\nlevel = 3\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "passport", "check", str(path), "--db", str(db), "--format", "csv", "--near", "1"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    jd_rows = {row["jd_ref"]: row for row in rows if row["kind"] == "jd"}
    # Held plain film only: K-1 met; R-1 lacks CT (1 missing); K-2 lacks 2, B-1 lacks 3.
    assert {ref: row["status"] for ref, row in jd_rows.items()} == {"K-1": "meets", "R-1": "nearly"}
    assert jd_rows["R-1"]["missing"] == "ct-scanning (needs 2, not held)"  # its role's level
    assert jd_rows["R-1"]["vacant_wte"] == "1.5"

    code, out, _ = run(capsys, "passport", "check", str(path), "--db", str(db))
    assert code == 0
    assert "[bold]Sam" in out  # the name is data, printed literally
    assert "K-1" in out and "R-1" in out


def test_bad_passport_exits_2_naming_file_and_field(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, fragment in (
        ("level_out_of_range.toml", "competencies[3].level (line 12): must be 1-4"),
        ("broken_syntax.toml", "(at line 3"),
        ("unknown_competency.toml", "unknown competency 'ct-scaning' (nearest: 'ct-scanning'"),
        ("no_such_file.toml", "file not found"),
    ):
        path = SAMPLES / name
        code, out, err = run(capsys, "passport", "check", str(path), "--db", str(packaged_db))
        assert code == 2, name
        assert out == ""
        assert str(path) in err and fragment in err, err
        assert "Traceback" not in err


def test_check_refuses_an_unknown_trust_filter(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = SAMPLES / "valid.toml"
    code, _, err = run(
        capsys, "passport", "check", str(path), "--db", str(packaged_db), "--trust", "RKK"
    )
    assert code == 2
    assert "unknown trust 'RKK'" in err and "'RKB'" in err
    with pytest.raises(SystemExit) as exited:
        main(["passport", "check", str(path), "--db", str(packaged_db), "--near", "-1"])
    assert exited.value.code == 2


def test_new_never_overwrites_without_force(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# my own notes\n", encoding="utf-8")
    argv = ["passport", "new", "--db", str(packaged_db), "--name", "Sam", "-o", str(path)]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "already exists" in err
    assert path.read_text(encoding="utf-8") == "# my own notes\n"

    code, _, _ = run(capsys, *argv, "--force")
    assert code == 0
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"name": "Sam"}


def test_new_refuses_bad_options(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(packaged_db)
    code, out, err = run(capsys, "passport", "new", "--db", db, "--from-role")
    assert (code, out) == (2, "")
    assert "--from-role needs --role" in err
    code, _, err = run(capsys, "passport", "new", "--db", db, "--role", "diagnostic-radiografer")
    assert code == 2
    assert "unknown role 'diagnostic-radiografer' (nearest: 'diagnostic-radiographer'" in err
    code, _, err = run(capsys, "passport", "new", "--db", db, "--trust", "ZZZ")
    assert code == 2 and "unknown trust 'ZZZ'" in err


def test_new_to_stdout_reads_back_as_a_valid_passport(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "passport", "new", "--db", str(packaged_db), "--role", "mammographer",
        "--from-role", "--name", 'Jo "JJ" O\'Neil',
    )  # fmt: skip
    assert code == 0
    path = tmp_path / "jo.toml"
    path.write_text(out, encoding="utf-8")
    code, result_text, _ = run(
        capsys, "passport", "check", str(path), "--db", str(packaged_db), "--format", "json"
    )
    assert code == 0
    result = json.loads(result_text)
    assert result["person"] == 'Jo "JJ" O\'Neil'
    assert result["held"] == _reference_needs("mammographer")
    assert "mammographer" in [r["role"] for r in result["roles"]["meets"]]


def test_a_trust_is_taken_by_code_or_full_name_as_path_takes_it(
    packaged_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(packaged_db)
    path = tmp_path / "me.toml"
    code, _, err = run(
        capsys, "passport", "new", "--db", db, "--role", "diagnostic-radiographer",
        "--from-role", "--trust", "walsall healthcare NHS trust", "-o", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert tomllib.loads(path.read_text(encoding="utf-8"))["trust"] == "RBK"  # kept as the code
    for trust in ("Walsall Healthcare NHS Trust", "rbk"):
        code, out, err = run(
            capsys, "passport", "check", str(path), "--db", db, "--format", "json",
            "--trust", trust,
        )  # fmt: skip
        assert code == 0, err
        result = json.loads(out)
        assert result["trust_filter"] == "RBK"
        assert {j["trust"] for j in result["jds"]["meets"]} == {"RBK"}
    code, _, err = run(capsys, "passport", "check", str(path), "--db", db, "--trust", "Walsall")
    assert code == 2 and "unknown trust 'Walsall'" in err and "'RBK' (Walsall" in err


def test_the_passports_own_trust_comes_first_without_a_trust_filter(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _hand_made(reference_db, tmp_path)
    path = tmp_path / "p.toml"
    held = '[[competencies]]\nid = "plain-film-imaging"\nlevel = 3\n\n'
    held += '[[competencies]]\nid = "ct-scanning"\nlevel = 2\n'

    def jds(trust: str | None, *options: str) -> dict[str, list[tuple[str, str]]]:
        path.write_text((f'trust = "{trust}"\n' if trust else "") + held, encoding="utf-8")
        code, out, err = run(
            capsys, "passport", "check", str(path), "--db", str(db), "--format", "json", *options
        )
        assert code == 0, err
        found = json.loads(out)["jds"]
        return {key: [(j["trust"], j["jd_ref"]) for j in found[key]] for key in ("meets", "nearly")}

    # No trust named: fewest missing, then band, ties in catalogue order (RKB's K-1 first).
    assert jds(None)["meets"] == [("RKB", "K-1"), ("RRK", "R-1")]
    # The passport's trust is RRK: its JDs first in each list, the rest in the same order.
    assert jds("RRK")["meets"] == [("RRK", "R-1"), ("RKB", "K-1")]
    assert jds("RKB")["meets"] == [("RKB", "K-1"), ("RRK", "R-1")]
    # A --trust filter lists that trust alone, so the passport's trust plays no part.
    assert jds("RRK", "--trust", "RKB")["meets"] == [("RKB", "K-1")]
    code, out, _ = run(capsys, "passport", "check", str(path), "--db", str(db))
    assert code == 0 and "RRK's JDs (the passport's trust) first" in " ".join(out.split())


def test_table_titles_read_well_for_any_near(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _hand_made(reference_db, tmp_path)
    path = tmp_path / "p.toml"
    path.write_text('[[competencies]]\nid = "plain-film-imaging"\nlevel = 3\n', encoding="utf-8")

    def titles(near: str) -> str:
        code, out, _ = run(capsys, "passport", "check", str(path), "--db", str(db), "--near", near)
        assert code == 0
        return " ".join(out.split())

    exact = titles("0")
    assert "Reference roles met " in exact and "missing at most" not in exact
    assert "Trusts' JDs met; vacant WTE" in exact
    assert "missing at most 1 competency;" in titles("1")
    assert "Reference roles met, or missing at most 2 competencies" in titles("2")


# --- writing back a passport that was read --------------------------------------------------------


def _strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings_in(item)]
    return []


def test_with_held_changes_only_role_trust_and_what_is_held() -> None:
    from pathways.passport import with_held

    passport = read_passport(SAMPLES / "valid.toml", VOCABULARY)
    changed = with_held(
        passport,
        "specialist-radiographer",
        None,
        {"ct-scanning": 3, "plain-film-imaging": 3, "mri-scanning": 2},  # cannulation unticked
    )
    assert (changed.name, changed.role, changed.trust) == (
        "Sam Sample",
        "specialist-radiographer",
        None,
    )
    assert changed.training == passport.training
    plain, ct, mri = changed.competencies
    assert plain == passport.competencies[0]  # untouched: date and evidence kept
    assert (ct.level, ct.achieved, ct.evidence) == (
        3,
        dt.date(2024, 3, 15),
        "CT rotation, 12 weeks",
    )
    assert (mri.id, mri.level, mri.achieved, mri.evidence) == ("mri-scanning", 2, None, "")


def test_a_passport_written_back_keeps_its_comments_and_writes_no_empty_values() -> None:
    from pathways.passport import header_comments, with_held

    text = (SAMPLES / "valid.toml").read_text(encoding="utf-8")
    passport = read_passport(SAMPLES / "valid.toml", VOCABULARY)
    held = passport.held() | {"mri-scanning": 1}
    written = passport_toml(
        with_held(passport, passport.role, passport.trust, held), header=header_comments(text)
    )
    assert written.startswith("# A complete, valid passport: every key used once.\n\nname = ")
    data = tomllib.loads(written)
    assert "" not in _strings_in(data)
    assert data["competencies"][-1] == {"id": "mri-scanning", "level": 1}
    again = parse_passport(data, VOCABULARY, source="p")
    assert again.competencies[:3] == passport.competencies
    assert again.training == passport.training and again.name == passport.name


def test_the_explaining_header_is_written_afresh_and_a_file_without_comments_gets_none() -> None:
    from pathways.passport import HEADER, header_comments

    fresh = passport_toml(new_passport(role="diagnostic-radiographer"))
    checklist = passport_toml(
        new_passport(checklist={"cannulation": 3}), checklist_role="diagnostic-radiographer"
    )
    # Ours (the checklist note included): None, so it is written anew, the note only if true.
    assert header_comments(fresh) is None
    assert header_comments(checklist) is None
    assert header_comments('role = "x"\n# a comment lower down\n') == ""
    edited = "# my own note\n" + fresh
    assert header_comments(edited) == "# my own note\n" + HEADER.rstrip("\n")
    bare = passport_toml(new_passport(name="Sam"), header="")
    assert bare == 'name = "Sam"\n'
