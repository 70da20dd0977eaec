"""Saved harmonisation scenarios: storage, rerun, TOML round trip, and migrations 2 and 3."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from catalogue.importer import import_files
from catalogue.scenarios import (
    Scenario,
    ScenarioAssumptions,
    ScenarioError,
    ScenarioTarget,
    delete_scenario,
    list_scenarios,
    load_scenario,
    read_scenario_toml,
    save_scenario,
    scenario_to_toml,
)
from catalogue.schema import LATEST_VERSION, MIGRATIONS, _statements, current_version
from catalogue.store import open_catalogue, open_reader
from pathways.harmonise import plan_scenario
from tests.factories import jd, make_catalogue
from workforce_cli.main import main

# 2025/26, catalogue/data/bands.toml. Scenarios costed at these name that pay year, so a newer
# (latest, default) year in the catalogue leaves the expected costs as they are.
B6_TOP, B7_TOP = 46580, 54710


def scenario(name: str = "sono-7", **assumptions: object) -> Scenario:
    return Scenario(
        name=name,
        targets=[
            ScenarioTarget(role="sonographer", band="7"),
            ScenarioTarget(role="imaging-support-worker", band="Band 3"),
        ],
        assumptions=ScenarioAssumptions.model_validate(assumptions),
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_save_list_load_and_delete(empty_catalogue: Path) -> None:
    db = open_catalogue(empty_catalogue)
    try:
        stored = save_scenario(db, scenario(on_costs=0.2, protection=False))
        assert stored.created  # stamped on saving
        save_scenario(db, scenario("another"))
        assert [s.name for s in list_scenarios(db)] == ["another", "sono-7"]

        again = load_scenario(db, "sono-7")
        assert again == stored
        assert {t.role: t.band for t in again.targets} == {
            "sonographer": "7",
            "imaging-support-worker": "3",  # parsed: "Band 3" is stored as its code
        }
        assert again.assumptions.on_costs == 0.2 and again.assumptions.protection is False
        assert again.assumptions.pay_year is None  # left to default: follows the catalogue

        delete_scenario(db, "sono-7")
        assert [s.name for s in list_scenarios(db)] == ["another"]
        with pytest.raises(ScenarioError, match="no scenario named 'sono-7'.*'another'"):
            load_scenario(db, "sono-7")
        with pytest.raises(ScenarioError, match="no scenario named"):
            delete_scenario(db, "sono-7")
        assert db.execute("SELECT COUNT(*) FROM scenario_target").fetchone()[0] == 2
    finally:
        db.close()


def test_replacing_needs_force_and_replaces_every_target(empty_catalogue: Path) -> None:
    db = open_catalogue(empty_catalogue)
    try:
        save_scenario(db, scenario())
        smaller = Scenario(name="sono-7", targets=[ScenarioTarget(role="sonographer", band="6")])
        with pytest.raises(ScenarioError, match="already exists: use --force"):
            save_scenario(db, smaller)
        assert len(load_scenario(db, "sono-7").targets) == 2  # unchanged by the refusal
        save_scenario(db, smaller, force=True)
        assert load_scenario(db, "sono-7").targets == [ScenarioTarget(role="sonographer", band="6")]
    finally:
        db.close()


def test_saving_is_one_transaction(empty_catalogue: Path) -> None:
    db = open_catalogue(empty_catalogue)
    try:
        save_scenario(db, scenario())
        # Make SQLite itself refuse the second target row of a replacement, half-way through.
        db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON scenario_target "
            "WHEN NEW.role = 'imaging-support-worker' AND NEW.band = '2' "
            "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
        )
        replacement = Scenario(
            name="sono-7",
            targets=[
                ScenarioTarget(role="sonographer", band="6"),
                ScenarioTarget(role="imaging-support-worker", band="2"),
            ],
        )
        with pytest.raises(sqlite3.DatabaseError, match="refused by test"):
            save_scenario(db, replacement, force=True)
        kept = load_scenario(db, "sono-7")
        assert {t.role: t.band for t in kept.targets} == {
            "sonographer": "7",
            "imaging-support-worker": "3",
        }
    finally:
        db.close()


def test_unknown_roles_and_bad_records_are_refused(empty_catalogue: Path) -> None:
    db = open_catalogue(empty_catalogue)
    try:
        with pytest.raises(ScenarioError, match="unknown role 'nope'"):
            save_scenario(db, Scenario(name="x", targets=[ScenarioTarget(role="nope", band="5")]))
        assert list_scenarios(db) == []
    finally:
        db.close()
    with pytest.raises(ValueError, match="more than one target"):
        Scenario(
            name="x",
            targets=[
                ScenarioTarget(role="sonographer", band="6"),
                ScenarioTarget(role="sonographer", band="7"),
            ],
        )
    with pytest.raises(ValueError, match="not a band"):
        ScenarioTarget(role="sonographer", band="10")


def test_a_saved_scenario_reruns_on_the_catalogue_as_it_is_now(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "A", "sonographer", "6", wte_in_post=1)]
    )
    saved = Scenario(
        name="sono-7",
        targets=[ScenarioTarget(role="sonographer", band="7")],
        assumptions=ScenarioAssumptions(on_costs=0.1, pay_year="2025/26"),
    )
    db = open_catalogue(path)
    try:
        save_scenario(db, saved)
        before = plan_scenario(db, load_scenario(db, "sono-7"))
        assert before.total.annual_cost == pytest.approx((B7_TOP - B6_TOP) * 1 * 1.1)

        # A trust sends another Band 6 sonographer post: the same scenario now costs more.
        more = tmp_path / "more.csv"
        more.write_text(
            "trust,jd_ref,title,role,band,wte_in_post\nRL4,B,Sonographer,sonographer,6,2\n",
            encoding="utf-8",
        )
        import_files(db, [more])
        after = plan_scenario(db, load_scenario(db, "sono-7"))
        assert after.total.annual_cost == pytest.approx((B7_TOP - B6_TOP) * 3 * 1.1)
        assert after.total.moved_up.jds == 2

        overridden = plan_scenario(db, load_scenario(db, "sono-7"), {"on_costs": 0})
        assert overridden.total.annual_cost == (B7_TOP - B6_TOP) * 3
    finally:
        db.close()


def test_toml_export_and_import_round_trip(tmp_path: Path) -> None:
    original = scenario(pay_year="2025/26", pay_point="mid", on_costs=0.3, basis="funded")
    original = original.model_copy(update={"created": "2025-06-01T10:00:00+00:00"})
    path = tmp_path / "s.toml"
    path.write_text(scenario_to_toml(original, {"annual_cost": 123, "note": None}), "utf-8")
    text = path.read_text("utf-8")
    assert "[result]" in text and "annual_cost = 123" in text
    assert read_scenario_toml(path) == original

    # Defaults left out of the file come back as defaults.
    plain = scenario("plain")
    path.write_text(scenario_to_toml(plain), "utf-8")
    assert "pay_year" not in path.read_text("utf-8")
    assert read_scenario_toml(path).assumptions == ScenarioAssumptions()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('kind = "workforce-pathways scenario"\nname = ', "not valid TOML"),
        ('name = "x"\n[[target]]\nrole = "sonographer"\nband = "6"\n', "kind"),
        ('kind = "workforce-pathways scenario"\nname = "x"\n', "target"),
        (
            'kind = "workforce-pathways scenario"\nname = "x"\n'
            '[[target]]\nrole = "sonographer"\nband = "12"\n',
            "target.0.band: '12' is not a band",
        ),
        (
            'kind = "workforce-pathways scenario"\nname = "x"\n[assumptions]\nbasis = "both"\n'
            '[[target]]\nrole = "sonographer"\nband = "6"\n',
            "assumptions.basis",
        ),
        (
            'kind = "workforce-pathways scenario"\nname = "x"\n[assumptions]\nonCosts = 0.2\n'
            '[[target]]\nrole = "sonographer"\nband = "6"\n',
            "assumptions.onCosts",
        ),
    ],
)
def test_a_broken_scenario_file_is_refused_naming_file_and_field(
    tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        read_scenario_toml(path)
    assert str(path) in str(refused.value)
    assert says in str(refused.value)


def _version_1_catalogue(path: Path) -> None:
    """An empty catalogue as the first release made it (schema version 1)."""
    conn = sqlite3.connect(path)
    (first,) = [m for m in MIGRATIONS if m.version == 1]
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL)"
    )
    for statement in _statements(first.sql):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, ?)", [first.description])
    conn.commit()
    conn.close()


def _reference_as_then(db: Any, reference_db: Path) -> None:
    """Reference data in an older catalogue as its release wrote it: today's rows, in the
    tables and columns that release had (a newer release's columns would not exist)."""
    db.execute("ATTACH DATABASE ? AS now", [str(reference_db)])
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN "
            "('schema_version', 'catalogue_meta', 'import_batch', 'job_description', "
            "'jd_competency', 'scenario', 'scenario_target', 'role_mapping')"
        )
    ]
    for table in tables:
        columns = ", ".join(row[1] for row in db.execute(f"PRAGMA main.table_info({table})"))
        db.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM now.{table}")


def test_migration_2_upgrades_a_version_1_catalogue_and_keeps_its_data(
    tmp_path: Path, reference_db: Path
) -> None:
    path = tmp_path / "v1.db"
    _version_1_catalogue(path)
    # Fill it the way a release at version 1 did: reference data, then JDs by the importer.
    from sqlite_utils import Database

    db = Database(sqlite3.connect(path))
    assert current_version(db.conn) == 1
    _reference_as_then(db, reference_db)
    db.conn.commit()
    roles = db.execute("SELECT COUNT(*) FROM role").fetchone()[0]
    db.close()

    upgraded = open_catalogue(path)
    try:
        assert current_version(upgraded.conn) == LATEST_VERSION >= 2
        assert upgraded.execute("SELECT COUNT(*) FROM role").fetchone()[0] == roles
        save_scenario(upgraded, scenario())
        assert [s.name for s in list_scenarios(upgraded)] == ["sono-7"]
        fks = {row[2] for row in upgraded.execute("PRAGMA foreign_key_list(scenario_target)")}
        assert fks == {"scenario", "role", "band"}
    finally:
        upgraded.close()
    # Opening a current catalogue again changes nothing.
    assert count(path, "schema_version") == LATEST_VERSION


def test_the_apps_reader_brings_a_version_1_catalogue_up_to_date_first(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _version_1_catalogue(path)

    reader = open_reader(path)
    try:
        assert current_version(reader) == LATEST_VERSION
        assert reader.execute("SELECT COUNT(*) FROM scenario").fetchone()[0] == 0
    finally:
        reader.close()


def _version_2_catalogue(path: Path) -> None:
    """An empty catalogue as the release with saved scenarios made it (schema version 2)."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL)"
    )
    for migration in MIGRATIONS:
        if migration.version > 2:
            break
        for statement in _statements(migration.sql):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_version VALUES (?, ?)", [migration.version, migration.description]
        )
    conn.commit()
    conn.close()


def test_migration_3_upgrades_a_version_2_catalogue_and_keeps_its_data(
    tmp_path: Path, reference_db: Path
) -> None:
    from sqlite_utils import Database

    from pathways.matching import set_role

    path = tmp_path / "v2.db"
    _version_2_catalogue(path)
    # Fill it as a version-2 release could: reference data, an unmapped JD, a saved scenario.
    db = Database(sqlite3.connect(path))
    assert current_version(db.conn) == 2
    _reference_as_then(db, reference_db)
    with db.atomic():
        db.execute(
            "INSERT INTO import_batch (id, source, imported_at, rows, added, updated, unchanged) "
            "VALUES (1, 'old.csv', '2025-01-01T00:00:00+00:00', 1, 1, 0, 0)"
        )
        db.execute(
            "INSERT INTO job_description (trust, jd_ref, title, band, import_batch) "
            "VALUES ('RRK', 'A1', 'Snr Radiographer - CT', '6', 1)"
        )
        db.execute(
            "INSERT INTO scenario (name, created, assumptions) VALUES ('kept', 'then', '{}')"
        )
    db.close()

    upgraded = open_catalogue(path)
    try:
        assert current_version(upgraded.conn) == LATEST_VERSION >= 3
        assert upgraded.execute("SELECT name FROM scenario").fetchall() == [("kept",)]
        assert upgraded.execute("SELECT COUNT(*) FROM role_mapping").fetchone()[0] == 0
        (index,) = [
            row[1]
            for row in upgraded.execute("PRAGMA index_list(role_mapping)")
            if row[1] == "role_mapping_jd"
        ]
        columns = [row[2] for row in upgraded.execute(f"PRAGMA index_info({index})")]
        assert columns == ["trust", "jd_ref"]
        with pytest.raises(sqlite3.IntegrityError):  # the CHECK on how
            upgraded.execute(
                "INSERT INTO role_mapping (trust, jd_ref, how, at) VALUES ('RRK', 'A1', 'guessed', "
                "'2025-01-01T00:00:00+00:00')"
            )
        # The JD from version 2 can be mapped, and the mapping is recorded.
        (jd_id,) = upgraded.execute("SELECT id FROM job_description").fetchone()
        assert set_role(upgraded, jd_id, "specialist-radiographer", score=0.9) is True
        recorded = upgraded.execute("SELECT trust, jd_ref, role, how FROM role_mapping").fetchall()
        assert recorded == [("RRK", "A1", "specialist-radiographer", "chosen")]
    finally:
        upgraded.close()
    # Opening a current catalogue again writes nothing.
    before = path.read_bytes()
    open_catalogue(path).close()
    assert path.read_bytes() == before
    assert count(path, "schema_version") == LATEST_VERSION


# ---- the commands ----


def test_scenario_commands_end_to_end(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6", wte_in_post=1),
            jd("RL4", "B", "sonographer", "7", wte_in_post=1),
            jd("RJE", "C", "sonographer", "7", wte_in_post=1),
        ],
    )
    db = ["--db", str(path)]
    save = [
        "harmonise", *db, "--role", "sonographer", "--pay-year", "2025/26",
        "--scenario", "[bold]plan", "--save",
    ]  # fmt: skip
    code, out, err = run(capsys, *save, "--on-costs", "0.5", "--format", "json")
    assert code == 0 and "saved scenario" in err
    assert json.loads(out)["annual_cost"] == round((B7_TOP - B6_TOP) * 1.5)  # modal band 7

    code, _, err = run(capsys, *save)
    assert code == 2 and "--force" in err
    code, _, err = run(capsys, *save, "--force", "--on-costs", "0")
    assert code == 0

    code, out, _ = run(capsys, "scenarios", *db, "--format", "json")
    (listed,) = json.loads(out)
    assert listed["name"] == "[bold]plan" and listed["roles"] == "sonographer -> 7"
    assert listed["annual_cost"] == B7_TOP - B6_TOP
    code, out, _ = run(capsys, "scenarios", *db)
    assert code == 0 and "[bold]plan" in out  # a name is data, never markup

    code, out, _ = run(capsys, "harmonise", *db, "--scenario", "[bold]plan", "--format", "json")
    rerun = json.loads(out)
    assert code == 0 and rerun["scenario"] == "[bold]plan"
    assert rerun["assumptions"]["on_costs"] == 0

    exported = tmp_path / "plan.toml"
    code, _, _ = run(capsys, "scenarios", *db, "--export", "[bold]plan", "-o", str(exported))
    assert code == 0 and f"annual_cost = {B7_TOP - B6_TOP}" in exported.read_text("utf-8")
    code, _, err = run(capsys, "scenarios", *db, "--export", "[bold]plan", "-o", str(exported))
    assert code == 2 and "already exists" in err

    code, _, _ = run(capsys, "scenarios", *db, "--delete", "[bold]plan")
    assert code == 0 and count(path, "scenario") == 0
    code, _, err = run(capsys, "scenarios", *db, "--delete", "[bold]plan")
    assert code == 2 and "no scenario named" in err

    code, _, err = run(capsys, "scenarios", *db, "--import", str(exported))
    assert code == 0 and "imported" in err
    code, out, _ = run(capsys, "harmonise", *db, "--scenario", "[bold]plan", "--format", "json")
    assert json.loads(out)["annual_cost"] == B7_TOP - B6_TOP

    broken = tmp_path / "broken.toml"
    broken.write_text("kind = [", encoding="utf-8")
    code, _, err = run(capsys, "scenarios", *db, "--import", str(broken))
    assert code == 2 and "broken.toml" in err and "not valid TOML" in err


def test_a_refused_plan_is_not_saved(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "apprentice-radiographer", "3"),
            jd("RL4", "B", "apprentice-radiographer", "4"),
        ],
    )
    code, _, err = run(
        capsys,
        "harmonise", "--db", str(path), "--role", "apprentice-radiographer",
        "--scenario", "tied", "--save",
    )  # fmt: skip
    assert code == 2 and "tied" in err
    assert count(path, "scenario") == 0
