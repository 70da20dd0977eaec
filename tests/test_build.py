"""Building the catalogue from catalogue/data/, and the committed workforce.db kept in step."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogue.build import build_catalogue
from catalogue.reference import DATA_DIR, ReferenceDataError, data_digest, load_reference
from catalogue.store import CatalogueError, open_catalogue, open_reader

REPO = Path(__file__).resolve().parent.parent
COMMITTED_DB = REPO / "workforce.db"

REQUIRED_ROLES = [
    "imaging-support-worker",
    "senior-imaging-support-worker",
    "assistant-practitioner-radiography",
    "diagnostic-radiographer",
    "specialist-radiographer",
    "reporting-radiographer",
    "advanced-practitioner-radiographer",
    "consultant-radiographer",
    "radiography-team-manager",
    "mammography-associate",
    "mammographer",
    "trainee-sonographer",
    "sonographer",
    "specialist-sonographer",
    "consultant-sonographer",
    "nuclear-medicine-practitioner",
    "healthcare-science-assistant",
    "clinical-technologist",
    "trainee-clinical-scientist",
    "clinical-scientist",
    "principal-clinical-scientist",
    "consultant-clinical-scientist",
    "nursing-associate",
    "radiology-nurse",
    "senior-radiology-nurse",
    "advanced-nurse-practitioner",
    "radiology-registrar",
    "consultant-radiologist",
    "pacs-manager",
    "imaging-services-manager",
    "practice-educator",
]
REQUIRED_GROUPS = [
    "radiography",
    "sonography",
    "medical-physics",
    "nuclear-medicine",
    "radiology-nursing",
    "radiology-medical",
    "admin-clerical",
    "digital-pacs",
    "management",
    "estates-facilities",
]


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_committed_catalogue_matches_the_data_files(packaged_db: Path) -> None:
    """Fails when catalogue/data/ changed and workforce.db was not rebuilt (init --force)."""
    assert COMMITTED_DB.exists(), "workforce.db is missing: run workforce init --db workforce.db"
    committed = open_catalogue(COMMITTED_DB)
    try:
        stored = committed.execute(
            "SELECT value FROM catalogue_meta WHERE key = 'data_digest'"
        ).fetchone()[0]
    finally:
        committed.close()
    assert stored == data_digest(), "workforce.db is stale: run workforce init --force"
    assert dump(COMMITTED_DB) == dump(packaged_db)


def test_the_build_is_reproducible(packaged_db: Path, tmp_path: Path) -> None:
    again = build_catalogue(tmp_path / "again.db")
    assert dump(again) == dump(packaged_db)


def test_reference_data_covers_the_network() -> None:
    data = load_reference()
    roles = {r.id for r in data.roles}
    assert set(REQUIRED_ROLES) <= roles
    assert len(roles) >= 40
    assert set(REQUIRED_GROUPS) <= {g.id for g in data.staff_groups}
    assert len(data.competencies) >= 60
    assert len(data.routes) >= 25
    assert len(data.trusts) == 15 and len(data.icbs) == 6
    pillars = {c.pillar for c in data.competencies}
    assert {"clinical", "leadership", "education", "research", "modality"} <= pillars
    on_ladder = {e.from_role for e in data.progressions} | {e.to_role for e in data.progressions}
    assert roles <= on_ladder, f"roles on no ladder: {sorted(roles - on_ladder)}"
    linked = {link.role for link in data.role_competencies}
    assert roles <= linked, f"roles with no competencies: {sorted(roles - linked)}"


def test_unconfirmed_facts_are_marked_not_guessed() -> None:
    data = load_reference()
    for route in data.routes:
        for name in route.unconfirmed:
            assert getattr(route, name) in (None, "", "none", []), (route.id, name)
    routes = {r.standard_ref: r for r in data.routes if r.standard_ref}
    assert routes["ST0619"].funding_cap == 24000
    assert routes["ST0217"].funding_cap is None and "funding_cap" in routes["ST0217"].unconfirmed
    restricted = [r for r in data.routes if r.status == "restricted"]
    assert restricted and all(r.status_from == "2026-01-01" and r.level == 7 for r in restricted)
    medical = [r for r in data.roles if r.pay_system == "medical"]
    assert {r.id for r in medical} >= {"consultant-radiologist", "radiology-registrar"}
    assert all(r.band_min is None for r in medical)


def test_the_packaged_catalogue_has_illustrative_jds_for_every_trust(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        per_trust = dict(db.execute("SELECT trust, COUNT(*) FROM job_description GROUP BY trust"))
        labelled = db.execute(
            "SELECT COUNT(*) FROM job_description j JOIN import_batch b ON b.id = j.import_batch "
            "WHERE b.illustrative = 1 AND b.source LIKE '%ILLUSTRATIVE%'"
        ).fetchone()[0]
    finally:
        db.close()
    assert len(per_trust) == 15
    assert sum(per_trust.values()) >= 300
    assert labelled == sum(per_trust.values())


def test_illustrative_jds_ask_for_what_their_work_needs(packaged_db: Path) -> None:
    """Read as a radiographer would: a CT specialist post does not ask for MRI scanning, nor
    an MRI one for CT, and plain-film (MSK, chest) reporting posts not for CT head reporting."""

    def asking(title_like: str, role: str, competency: str) -> tuple[int, int]:
        with sqlite3.connect(packaged_db) as conn:
            posts, asks = conn.execute(
                "SELECT COUNT(*), SUM(EXISTS (SELECT 1 FROM jd_competency c "
                "WHERE c.jd = j.id AND c.competency = ?)) FROM job_description j "
                "WHERE j.role = ? AND j.title LIKE ?",
                [competency, role, title_like],
            ).fetchone()
        return posts, asks or 0

    for title_like, role, competency in (
        ("%CT%", "specialist-radiographer", "mri-scanning"),
        ("%MRI%", "specialist-radiographer", "ct-scanning"),
        ("%MSK%", "reporting-radiographer", "ct-head-reporting"),
        ("%Chest%", "reporting-radiographer", "ct-head-reporting"),
    ):
        posts, asks = asking(title_like, role, competency)
        assert posts > 0 and asks == 0, (title_like, role, competency)


def test_reference_only_build_has_no_jds(reference_db: Path) -> None:
    db = open_catalogue(reference_db)
    try:
        assert db.execute("SELECT COUNT(*) FROM job_description").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM role").fetchone()[0] >= 40
    finally:
        db.close()


def test_bad_reference_data_is_refused_naming_file_and_table(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    roles = data_dir / "roles.toml"
    roles.write_text(roles.read_text().replace('band_max = "3"', 'band_max = "10"', 1))
    target = tmp_path / "w.db"
    with pytest.raises(ReferenceDataError) as caught:
        build_catalogue(target, data_dir=data_dir)
    assert "roles.toml: [[role]] #" in str(caught.value)
    assert "band_max" in str(caught.value)
    assert not target.exists()
    assert not list(tmp_path.glob("*.building"))


def test_a_dangling_reference_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    edges = data_dir / "progression.toml"
    edges.write_text(
        edges.read_text() + '\n[[edge]]\nfrom_role = "sonographer"\nto_role = "astronaut"\n'
    )
    with pytest.raises(ReferenceDataError, match="unknown role 'astronaut'"):
        load_reference(data_dir)


@pytest.mark.parametrize("opener", [open_catalogue, open_reader])
def test_opening_a_file_that_is_not_a_catalogue_is_refused(
    tmp_path: Path, opener: Callable[[Path], object]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all " * 100)
    with pytest.raises(CatalogueError, match="not a catalogue this release can read"):
        opener(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(CatalogueError, match="not a Workforce Pathways catalogue"):
        opener(other)
    with pytest.raises(CatalogueError, match="no catalogue there"):
        opener(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_a_reader_reads_without_sqlite_utils_and_cannot_write(packaged_db: Path) -> None:
    before = packaged_db.read_bytes()
    conn = open_reader(packaged_db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM trust").fetchone()[0] == 15
        with pytest.raises(sqlite3.OperationalError, match="readonly|query_only"):
            conn.execute("DELETE FROM trust")
    finally:
        conn.close()
    assert packaged_db.read_bytes() == before
