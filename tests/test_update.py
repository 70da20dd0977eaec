"""`workforce update`: a catalogue of one release brought up to the next, losing nothing.

Two starting points: a catalogue an earlier release of the program built and used (schema
version 3, before provenance: tests/data/catalogue-schema-v3.db holds three JDs, a mapping
made by hand and a saved scenario), and a catalogue built here from an older copy of the
packaged data that its network then changed (its own route, a changed move, a removed move).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from catalogue.build import build_catalogue
from catalogue.catalogue_import import import_catalogue
from catalogue.reference import DATA_DIR
from catalogue.reference_kinds import BY_NAME
from catalogue.release import newer_data_notice, packaged_release
from catalogue.retire import remove_row
from catalogue.scenarios import Scenario, ScenarioTarget, save_scenario
from catalogue.store import open_catalogue
from catalogue.update import apply_update, plan_update
from tests.support import digest, query, run

V3 = Path(__file__).parent / "data" / "catalogue-schema-v3.db"


@pytest.fixture
def v3_catalogue(tmp_path: Path) -> Path:
    return Path(shutil.copy(V3, tmp_path / "network.db"))


def network_work(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Everything of the network's own that an update must keep."""
    return {
        "jds": query(
            db, "SELECT trust, jd_ref, title, role, band FROM job_description ORDER BY 1, 2"
        ),
        "mappings": query(db, "SELECT trust, jd_ref, role, how FROM role_mapping ORDER BY id"),
        "scenarios": query(db, "SELECT name, assumptions FROM scenario ORDER BY name"),
        "targets": query(db, "SELECT scenario, role, band FROM scenario_target ORDER BY 1, 2"),
    }


def test_an_older_programs_catalogue_is_migrated_with_its_rows_packaged(
    v3_catalogue: Path,
) -> None:
    before = network_work(v3_catalogue)
    assert len(before["jds"]) == 3 and before["mappings"] and before["scenarios"]
    db = open_catalogue(v3_catalogue)
    assert network_work(v3_catalogue) == before
    origins = query(v3_catalogue, "SELECT DISTINCT origin FROM reference_origin")
    assert origins == [("packaged",)]
    roles = query(v3_catalogue, "SELECT COUNT(*) FROM role")[0][0]
    assert query(v3_catalogue, "SELECT COUNT(*) FROM reference_origin WHERE kind = 'role'") == [
        (roles,)
    ]
    notice = newer_data_notice(db)
    assert notice and packaged_release() in notice and "workforce update" in notice


def test_update_brings_the_new_pay_year_and_keeps_every_jd_mapping_and_scenario(
    v3_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_catalogue(v3_catalogue).close()  # migrate first: a dry run after it writes nothing
    before = network_work(v3_catalogue)
    unchanged = digest(v3_catalogue)
    code, out, err = run(capsys, "update", "--dry-run", "--db", str(v3_catalogue))
    assert code == 0, err
    assert "would be added" in out and "dry run: nothing written" in out
    assert "pay year 2026/27 added: saved scenarios costed at 2025/26 stay so" in out
    assert "pay year 2024/25 changed" in out  # two points corrected in this release
    assert "workforce update --dry-run" in err  # the notice, once
    assert err.count("newer than this catalogue") == 1
    assert digest(v3_catalogue) == unchanged

    code, out, err = run(capsys, "update", "--format", "json", "--db", str(v3_catalogue))
    assert code == 0, err
    report = json.loads(out)
    assert report["release_to"] == packaged_release() and report["added"] > 0
    backup = Path(report["backup"])
    assert backup.parent == v3_catalogue.parent and digest(backup) == unchanged
    assert network_work(v3_catalogue) == before
    assert query(v3_catalogue, "SELECT COUNT(*) FROM pay_point WHERE pay_year = '2026/27'") != [
        (0,)
    ]
    # Up to date now: no notice, nothing more to do.
    code, out, err = run(capsys, "update", "--format", "json", "--db", str(v3_catalogue))
    assert (json.loads(out)["added"], json.loads(out)["updated"]) == (0, 0)
    assert "newer than this catalogue" not in err
    code, _, err = run(capsys, "trusts", "--db", str(v3_catalogue))
    assert "newer than this catalogue" not in err


def _older_data(tmp_path: Path) -> Path:
    """A copy of the packaged data as an earlier release might have had it."""
    old = Path(shutil.copytree(DATA_DIR, tmp_path / "data-2026.11"))
    release = old / "release.toml"
    release.write_text(re.sub(r'release = "[^"]*"', 'release = "2026.11"', release.read_text()))
    routes = old / "routes.toml"
    routes.write_text(
        routes.read_text().replace(
            'name = "PgCert computed tomography (CT)"', 'name = "PgCert CT (old name)"'
        )
    )
    bands = old / "bands.toml"  # 2026/27 Band 7 top as an earlier release had it
    bands.write_text(bands.read_text().replace("salary = 56515", "salary = 56000"))
    moves = old / "progression.toml"
    text = moves.read_text()
    # Two moves as they were: one the network will change, one it will leave alone.
    text = text.replace(
        'to_role = "specialist-radiographer"\nkind = "up"\nroutes = ["pgcert-ct", "pgcert-mri", '
        '"in-house-ct-competency-programme", "enhanced-clinical-practitioner-apprenticeship"]\n'
        "months_in_post = 24",
        'to_role = "specialist-radiographer"\nkind = "up"\nroutes = ["pgcert-ct", "pgcert-mri", '
        '"in-house-ct-competency-programme", "enhanced-clinical-practitioner-apprenticeship"]\n'
        "months_in_post = 20",
    )
    text = text.replace(
        'to_role = "mammographer"\nkind = "up"\nroutes = ["mammography-postgraduate-award"]\n'
        "months_in_post = 12",
        'to_role = "mammographer"\nkind = "up"\nroutes = ["mammography-postgraduate-award"]\n'
        "months_in_post = 9",
    )
    moves.write_text(text)
    assert moves.read_text().count("months_in_post = 20") >= 1
    return old


def test_update_keeps_the_networks_own_rows_changes_and_removals(tmp_path: Path) -> None:
    old = _older_data(tmp_path)
    path = build_catalogue(tmp_path / "network.db", data_dir=old, reference_only=True)
    db = open_catalogue(path)
    own = tmp_path / "own.toml"
    own.write_text(
        '[[route]]\nid = "academy-ct-certificate"\nname = "Academy CT certificate"\n'
        'kind = "in-house"\nleads_to = ["specialist-radiographer"]\n\n'
        '[[edge]]\nfrom_role = "diagnostic-radiographer"\nto_role = "specialist-radiographer"\n'
        "months_in_post = 30\n\n"
        '[[job]]\ntrust = "RRK"\njd_ref = "OWN-1"\ntitle = "CT Radiographer"\nband = "6"\n'
        'role = "specialist-radiographer"\n',
        encoding="utf-8",
    )
    import_catalogue(db, [own])
    removed = "diagnostic-radiographer:pacs-administrator"
    remove_row(db, BY_NAME["edge"], removed, source="test")
    save_scenario(
        db,
        Scenario(name="Sonographers at 7", targets=[ScenarioTarget(role="sonographer", band="7")]),
    )

    plan = plan_update(db)
    assert (plan.release_from, plan.release_to) == ("2026.11", packaged_release())
    assert "route pgcert-ct: updated (name 'PgCert CT (old name)' -> " in "\n".join(plan.lines)
    assert any(
        line.startswith(
            "move diagnostic-radiographer:mammographer: updated (months_in_post 9 -> 12"
        )
        for line in plan.lines
    )
    kept = "\n".join(plan.kept)
    assert "move diagnostic-radiographer:specialist-radiographer: the network's change kept" in kept
    assert "months_in_post 30 -> 24" in kept
    assert f"move {removed}: removed by the network, not restored" in kept
    assert "pay year 2026/27 changed: the cost of saved scenario 'Sonographers at 7' moves" in (
        plan.affects
    )
    apply_update(db, plan)

    months = dict(
        (f"{a}:{b}", m)
        for a, b, m in query(path, "SELECT from_role, to_role, months_in_post FROM progression")
    )
    assert months["diagnostic-radiographer:specialist-radiographer"] == 30  # the network's
    assert months["diagnostic-radiographer:mammographer"] == 12  # the new packaged figure
    assert removed not in months
    assert query(path, "SELECT name FROM training_route WHERE id = 'academy-ct-certificate'") == [
        ("Academy CT certificate",)
    ]
    assert query(path, "SELECT title FROM job_description WHERE jd_ref = 'OWN-1'") == [
        ("CT Radiographer",)
    ]
    assert query(
        path,
        "SELECT origin, release FROM reference_origin WHERE kind = 'route' AND key = 'pgcert-ct'",
    ) == [("packaged", packaged_release())]
    assert newer_data_notice(db) is None
    assert plan_update(db).empty


def test_update_refuses_a_catalogue_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "update", "--db", str(tmp_path / "missing.db"))
    assert code == 2 and "no catalogue" in err
    assert not (tmp_path / "missing.db").exists()


async def test_the_app_says_once_that_newer_reference_data_is_installed(
    v3_catalogue: Path, packaged_db: Path
) -> None:
    from tui.app import make_app

    app = make_app(v3_catalogue)
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app._notifications:
                break
        said = [n.message for n in app._notifications]
        assert len(said) == 1 and "workforce update --dry-run" in said[0]
        app.summarise_catalogue()  # read again (as after an import): not said twice
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app._notifications) == 1
    app = make_app(packaged_db)  # a catalogue at the installed release: nothing to say
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert not app._notifications
