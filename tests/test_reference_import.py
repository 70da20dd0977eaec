"""Importing reference rows: every kind, round trips, refusals, provenance, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.catalogue_import import import_catalogue
from catalogue.errors import ImportRefused
from catalogue.export import export_text
from catalogue.export_names import EXPORT_TABLES
from catalogue.store import open_catalogue
from tests.support import digest, query, run

ACADEMY = """
[[route]]
id = "academy-ct-practitioner-certificate"
name = "Regional imaging academy CT practitioner certificate"
kind = "in-house"
months = 6
leads_to = ["specialist-radiographer"]
gives = ["ct-scanning", "contrast-administration"]

[[edge]]
from_role = "diagnostic-radiographer"
to_role = "specialist-radiographer"
kind = "up"
months_in_post = 18
routes = ["academy-ct-practitioner-certificate", "pgcert-ct"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_academy_adds_its_route_and_the_move_it_serves(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "academy_routes.toml", ACADEMY)
    code, out, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 0, err
    assert "routes: 1 added" in out and "edges: 0 added, 1 updated" in out
    route = "academy-ct-practitioner-certificate"
    assert query(
        empty_catalogue, "SELECT kind, months, status FROM training_route WHERE id = ?", route
    ) == [("in-house", 6, "open")]
    assert query(empty_catalogue, "SELECT role FROM route_role WHERE route = ?", route) == [
        ("specialist-radiographer",)
    ]
    assert sorted(
        query(
            empty_catalogue,
            "SELECT route FROM progression_route WHERE from_role = 'diagnostic-radiographer' "
            "AND to_role = 'specialist-radiographer'",
        )
    ) == [(route,), ("pgcert-ct",)]
    # Provenance: the route is the network's own, the move its change to a packaged one.
    origins = dict(
        query(
            empty_catalogue,
            "SELECT kind || ' ' || key, origin FROM reference_origin WHERE origin != 'packaged'",
        )
    )
    assert origins == {
        f"route {route}": "local",
        "edge diagnostic-radiographer:specialist-radiographer": "override",
    }
    code, out, _ = run(
        capsys, "history", "--reference", "--format", "json", "--db", str(empty_catalogue)
    )
    changes = json.loads(out)
    assert {(c["kind"], c["action"], c["source"]) for c in changes} == {
        ("route", "added", str(source)),
        ("edge", "updated", str(source)),
    }
    # Importing the same file again changes nothing.
    code, out, _ = run(
        capsys, "import", str(source), "--format", "json", "--db", str(empty_catalogue)
    )
    counts = json.loads(out)
    assert (counts["added"], counts["updated"], counts["unchanged"]) == (0, 0, 2)


def test_the_new_route_is_used_by_paths_at_once(empty_catalogue: Path, tmp_path: Path) -> None:
    source = write(tmp_path, "academy.toml", ACADEMY)
    db = open_catalogue(empty_catalogue)
    import_catalogue(db, [source])
    from pathways.records import load_progressions, load_routes

    routes = load_routes(db)
    assert "academy-ct-practitioner-certificate" in routes
    edge = next(
        e
        for e in load_progressions(db)
        if (e.from_role, e.to_role) == ("diagnostic-radiographer", "specialist-radiographer")
    )
    assert "academy-ct-practitioner-certificate" in edge.routes
    assert edge.months_in_post == 18


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[edge]]\nfrom_role = "sonographer"\nto_role = "ct-wizard"\n',
            "[[edge]] #1 (line 1): field 'to_role': unknown role 'ct-wizard'",
        ),
        (
            '[[route]]\nid = "x-course"\nname = "X"\nkind = "in-house"\nleads_to = ["nobody"]\n',
            "[[route]] #1 (line 1): field 'leads_to': unknown role 'nobody'",
        ),
        (
            '[[pay_point]]\nband = "10"\npay_year = "2026/27"\npoint = "entry"\nsalary = 1\n'
            'source = "x"\n',
            "[[pay_point]] #1 (line 1): field 'band'",
        ),
        (
            '[[trust]]\ncode = "R0A"\nname = "Manchester University NHS Foundation Trust"\n'
            'icb = "QOP"\n',
            "[[trust]] #1 (line 1): field 'icb': unknown ICB 'QOP'",
        ),
        (
            '[[trust]]\ncode = "R0B"\nname = "University Hospitals Birmingham NHS Foundation '
            'Trust"\nicb = "QHL"\n',
            "field 'name': name 'University Hospitals Birmingham NHS Foundation Trust' is "
            "already trust 'RRK'",
        ),
        (
            '[[route]]\nid = "Not A Slug"\nname = "X"\nkind = "in-house"\n',
            "[[route]] #1 (line 1): field 'id'",
        ),
        (
            '[[route]]\nid = "y-course"\nname = "Y"\nkind = "correspondence"\n',
            "field 'kind'",
        ),
        ('[[rout]]\nid = "z"\n', "unexpected key or table 'rout'"),
        ('[[route]]\nid = "z-course"\nname = "Z"\nkind = "in-house"\nlenght = 3\n', "unknown key"),
    ],
)
def test_bad_reference_rows_are_refused_whole_and_change_nothing(
    empty_catalogue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    # A good row beside the bad one: it must not be written either.
    good = '[[staff_group]]\nid = "breast-imaging"\nname = "Breast imaging"\n'
    source = write(tmp_path, "bad.toml", text + "\n" + good)
    before = digest(empty_catalogue)
    code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 2
    assert str(source) in err and expected in err
    assert digest(empty_catalogue) == before


def test_another_network_starts_with_its_own_trusts_and_jds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "north-west.db"
    code, _, err = run(
        capsys, "init", "--reference-only", "--organisations", "none", "--db", str(db)
    )
    assert code == 0, err
    assert query(db, "SELECT COUNT(*) FROM trust") == [(0,)]
    assert query(db, "SELECT COUNT(*) FROM role") != [(0,)]
    source = write(
        tmp_path,
        "north_west.toml",
        """
[[icb]]
code = "QOP"
name = "NHS Greater Manchester Integrated Care Board"

[[trust]]
code = "R0A"
name = "Manchester University NHS Foundation Trust"
icb = "QOP"

[[job]]
trust = "R0A"
jd_ref = "MFT-RAD-001"
title = "Diagnostic Radiographer"
band = "5"
""",
    )
    code, out, err = run(capsys, "import", str(source), "--db", str(db))
    assert code == 0, err
    assert "jds: 1 added" in out and "trusts: 1 added" in out and "icbs: 1 added" in out
    assert query(db, "SELECT trust, title FROM job_description") == [
        ("R0A", "Diagnostic Radiographer")
    ]


def test_init_takes_another_networks_organisations_from_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    organisations = write(
        tmp_path,
        "organisations.csv",
        "code,name,icb\r\nQOP,NHS Greater Manchester Integrated Care Board,\r\n",
    )
    db = tmp_path / "nw.db"
    # A trusts CSV needs its ICB: refused, and no catalogue left behind.
    code, _, err = run(
        capsys, "init", "--reference-only", "--organisations", str(organisations), "--db", str(db)
    )
    assert code == 2 and "organisations.csv: line 2" in err
    assert not db.exists()
    organisations = write(
        tmp_path,
        "organisations.toml",
        '[[icb]]\ncode = "QOP"\nname = "NHS Greater Manchester ICB"\n\n'
        '[[trust]]\ncode = "R0A"\nname = "Manchester University NHS Foundation Trust"\n'
        'icb = "QOP"\n',
    )
    code, _, err = run(
        capsys, "init", "--reference-only", "--organisations", str(organisations), "--db", str(db)
    )
    assert code == 0, err
    assert query(db, "SELECT code, icb FROM trust") == [("R0A", "QOP")]
    assert query(db, "SELECT origin FROM reference_origin WHERE kind = 'trust'") == [("local",)]


@pytest.mark.parametrize("what", sorted(EXPORT_TABLES))
def test_every_export_imports_again_unchanged_and_exports_the_same_bytes(
    catalogue_copy: Path, tmp_path: Path, what: str
) -> None:
    db = open_catalogue(catalogue_copy)
    if what == "je-profiles":  # none are packaged: bring in the illustrative examples first
        import_catalogue(db, [Path(__file__).parent.parent / "docs" / "je-profiles-example.toml"])
    for fmt in ("toml", "csv", "json"):
        if what == "settings" and fmt == "csv":
            continue
        first = export_text(db, what, fmt)
        path = write(tmp_path, f"{what}.{fmt}", first)
        result = import_catalogue(db, [path])
        summary = result.summary()
        assert (summary["added"], summary["updated"]) == (0, 0), (fmt, result.changes)
        assert summary["unchanged"] > 0
        assert export_text(db, what, fmt) == first, fmt


def test_a_csv_of_some_columns_changes_only_those(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = query(empty_catalogue, "SELECT * FROM training_route WHERE id = 'pgcert-ct'")
    source = write(
        tmp_path, "close.csv", "id,name,kind,status\r\npgcert-ct,PgCert CT,postgraduate,closed\r\n"
    )
    code, out, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 0, err
    after = query(empty_catalogue, "SELECT * FROM training_route WHERE id = 'pgcert-ct'")
    changed = [i for i, (a, b) in enumerate(zip(before[0], after[0], strict=True)) if a != b]
    names = [d[1] for d in query(empty_catalogue, "PRAGMA table_info(training_route)")]
    assert {names[i] for i in changed} <= {"name", "status"}
    assert after[0][names.index("status")] == "closed"


def test_the_kind_of_a_csv_is_told_from_its_columns_or_named(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edges = write(
        tmp_path,
        "moves.csv",
        "From Role,To Role,Kind,Months In Post,Routes\r\n"
        "sonographer,specialist-sonographer,up,30,\r\n",
    )
    code, out, err = run(capsys, "import", str(edges), "--db", str(empty_catalogue))
    assert code == 0, err
    assert "updated" in out
    assert query(
        empty_catalogue,
        "SELECT months_in_post FROM progression WHERE from_role = 'sonographer' "
        "AND to_role = 'specialist-sonographer'",
    ) == [(30,)]
    unclear = write(tmp_path, "mystery.csv", "name,colour\r\nx,blue\r\n")
    code, _, err = run(capsys, "import", str(unclear), "--db", str(empty_catalogue))
    assert code == 2 and "cannot tell what kind of rows" in err and "--kind" in err
    code, _, err = run(
        capsys, "import", str(unclear), "--kind", "staff-groups", "--db", str(empty_catalogue)
    )
    assert code == 2 and "'colour': unknown column" in err
    code, _, err = run(
        capsys, "import", str(unclear), "--kind", "wizards", "--db", str(empty_catalogue)
    )
    assert code == 2 and "unknown kind 'wizards'" in err


def test_a_dry_run_says_what_would_change_and_writes_nothing(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "academy.toml", ACADEMY)
    before = digest(empty_catalogue)
    code, out, _ = run(capsys, "import", str(source), "--dry-run", "--db", str(empty_catalogue))
    assert code == 0
    assert "route academy-ct-practitioner-certificate: added" in out
    assert "months_in_post 24 -> 18" in out
    assert "dry run: nothing written" in out
    assert digest(empty_catalogue) == before


def test_a_refused_jd_refuses_the_reference_rows_of_the_same_import(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    source = write(
        tmp_path,
        "mixed.toml",
        ACADEMY + '\n[[job]]\ntrust = "RRK"\njd_ref = "A-1"\ntitle = "CT Radiographer"\n'
        'band = "Band 12"\n',
    )
    before = digest(empty_catalogue)
    with pytest.raises(ImportRefused) as refused:
        import_catalogue(open_catalogue(empty_catalogue), [source])
    assert "[[job]] #1" in str(refused.value) and "band" in str(refused.value)
    assert digest(empty_catalogue) == before


def test_an_edited_bands_export_adds_a_pay_year(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_catalogue(empty_catalogue)
    text = export_text(db, "bands", "csv")
    latest = text.splitlines()[1].split(",")[-2]
    lines = text.splitlines()
    header = lines[0].split(",")
    year_at = header.index("pay_year")
    edited = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[year_at] = "2031/32"
        edited.append(",".join(cells))
    source = write(tmp_path, "bands-2031.csv", "\r\n".join(edited) + "\r\n")
    code, out, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 0, err
    assert "pay-points:" in out and "bands: 0 added, 0 updated" in out
    rows = query(
        empty_catalogue,
        "SELECT salary, source FROM pay_point WHERE band = '6' AND point = 'entry' "
        "AND pay_year IN (?, '2031/32') ORDER BY pay_year",
        latest,
    )
    assert rows[0][0] == rows[1][0]
    assert "bands-2031.csv" in str(rows[1][1])
    code, out, _ = run(
        capsys, "bands", "--pay-year", "2031/32", "--format", "json", "--db", str(empty_catalogue)
    )
    assert {b["band"]: b["entry"] for b in json.loads(out)}["6"] == rows[1][0]


def test_import_counts_by_kind_in_json(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "academy.toml", ACADEMY)
    code, out, _ = run(
        capsys, "import", str(source), "--format", "json", "--db", str(empty_catalogue)
    )
    counts = json.loads(out)
    assert counts["by_kind"] == {
        "routes": {"added": 1, "updated": 0, "unchanged": 0, "repeated": 0},
        "edges": {"added": 0, "updated": 1, "unchanged": 0, "repeated": 0},
    }
    assert (counts["added"], counts["updated"]) == (1, 1)
