"""A JD's JE sub-levels ("4a", "3ab") through its whole life: imported from CSV, TOML, JSON and
Word, stored as written, scored as their levels, checked and matched, exported and imported
again exactly. A range ("2-3") stays refused on a JD."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from catalogue.catalogue_import import import_catalogue
from catalogue.importer import ImportRefused, import_files
from catalogue.store import open_catalogue
from pathways.details import jd_detail
from tests.support import digest, query, run
from tests.test_documents import table_jd

# A panel's record with sub-levels on factors 3, 5 and 12; PLAIN is the same without letters.
LETTERED = "4 6 4a 2 3b 5 1 2 1 1 1 3ab 3 3 2 3"
PLAIN = "4 6 4 2 3 5 1 2 1 1 1 3 3 3 2 3"
HEADER = "trust,jd_ref,title,band,je_levels"
EXAMPLE_PROFILES = Path(__file__).resolve().parent.parent / "docs" / "je-profiles-example.toml"


def _toml_list(levels: str) -> str:
    """Levels as a TOML or JSON list: numbers, a lettered level as text."""
    return "[" + ", ".join(x if x.isdigit() else f'"{x}"' for x in levels.split()) + "]"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _import(db_path: Path, *files: Path) -> dict[str, int]:
    db = open_catalogue(db_path)
    try:
        return import_files(db, list(files))[1]
    finally:
        db.close()


def _stored(db_path: Path) -> dict[str, tuple[object, object]]:
    """Each JD's (je_levels, je_score) as the catalogue file holds them, by reference."""
    rows = query(db_path, "SELECT jd_ref, je_levels, je_score FROM job_description")
    return {str(ref): (levels, score) for ref, levels, score in rows}


def _points(db_path: Path, levels: str) -> int:
    """The score of whole levels, added up by hand from the catalogue's factor plan."""
    points = dict(
        ((factor, level), value)
        for factor, level, value in query(db_path, "SELECT factor, level, points FROM je_level")
    )
    return sum(points[(factor, int(level))] for factor, level in enumerate(levels.split(), 1))


@pytest.fixture
def lettered(empty_catalogue: Path, tmp_path: Path) -> Path:
    """A catalogue holding L1 (LETTERED, from CSV), P1 (PLAIN) and L2, L3 (LETTERED, from TOML
    and JSON)."""
    csv_file = _write(
        tmp_path / "jds.csv",
        f"{HEADER}\nRRK,L1,Radiographer,5,{LETTERED}\nRRK,P1,Radiographer,5,{PLAIN}\n",
    )
    toml_file = _write(
        tmp_path / "jds.toml",
        '[[job]]\ntrust = "RRK"\njd_ref = "L2"\ntitle = "Radiographer"\nband = "5"\n'
        f"je_levels = {_toml_list(LETTERED)}\n",
    )
    json_file = _write(
        tmp_path / "jds.json",
        json.dumps(
            [
                {
                    "trust": "RRK",
                    "jd_ref": "L3",
                    "title": "Radiographer",
                    "band": "5",
                    "je_levels": json.loads(_toml_list(LETTERED)),
                }
            ]
        ),
    )
    counts = _import(empty_catalogue, csv_file, toml_file, json_file)
    assert counts["added"] == 4
    return empty_catalogue


def test_letters_are_stored_as_written_and_scored_as_their_levels(lettered: Path) -> None:
    stored = _stored(lettered)
    score = _points(lettered, PLAIN)
    assert stored["P1"] == (PLAIN, score)
    for ref in ("L1", "L2", "L3"):  # CSV, TOML and JSON alike
        assert stored[ref] == (LETTERED, score), ref


def test_a_stored_jd_with_letters_shows_them_and_is_checked_and_matched_as_its_levels(
    lettered: Path,
) -> None:
    db = open_catalogue(lettered)
    try:
        import_catalogue(db, [EXAMPLE_PROFILES])
        ids = dict(db.execute("SELECT jd_ref, id FROM job_description").fetchall())
        profile = "example-radiographer-band-5"
        with_letters = jd_detail(db, ids["L1"], profile)
        without = jd_detail(db, ids["P1"], profile)
    finally:
        db.close()
    assert with_letters is not None and without is not None
    assert with_letters.jd.je_levels is not None
    assert " ".join(level.written for level in with_letters.jd.je_levels) == LETTERED
    assert [level for _, level in with_letters.je_factors] == LETTERED.split()
    je, plain_je = with_letters.je, without.je
    assert je is not None and plain_je is not None
    # Scored, banded and what-if'd exactly as the same levels without their letters.
    assert (je.score, je.je_band, je.up, je.down) == (
        plain_je.score,
        plain_je.je_band,
        plain_je.up,
        plain_je.down,
    )
    assert [factor.points_text for factor in je.factors] == [
        factor.points_text for factor in plain_je.factors
    ]
    match, plain_match = with_letters.profile_match, without.profile_match
    assert match is not None and plain_match is not None
    assert [(fit.job.written, fit.below, fit.above) for fit in match.factors] == [
        (written, fit.below, fit.above)
        for written, fit in zip(LETTERED.split(), plain_match.factors, strict=True)
    ]
    assert (match.band_holds, match.reason) == (plain_match.band_holds, plain_match.reason)


@pytest.mark.parametrize("fmt", ["csv", "toml", "json"])
def test_export_writes_the_letters_and_import_is_exact(
    fmt: str,
    lettered: Path,
    reference_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_file = tmp_path / f"export.{fmt}"
    code, _, err = run(
        capsys, "export", "jds", "--db", str(lettered), "--format", fmt, "-o", str(out_file)
    )
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    if fmt == "csv":
        assert LETTERED in text and PLAIN in text
    else:
        rows = json.loads(text) if fmt == "json" else tomllib.loads(text)["job"]
        exported = {row["jd_ref"]: row["je_levels"] for row in rows}
        assert exported["L1"] == json.loads(_toml_list(LETTERED))  # "4a" among numbers
        assert exported["P1"] == [int(level) for level in PLAIN.split()]  # as before: numbers
    # Into the catalogue it came from: nothing changes ...
    code, out, err = run(capsys, "import", str(out_file), "--db", str(lettered), "--format", "json")
    assert code == 0, err
    counts = json.loads(out)
    assert (counts["added"], counts["updated"], counts["unchanged"]) == (0, 0, 4)
    # ... and into an empty one: the same levels and scores, letters and all.
    fresh = Path(shutil.copy(reference_db, tmp_path / "fresh.db"))
    code, _, err = run(capsys, "import", str(out_file), "--db", str(fresh))
    assert code == 0, err
    assert _stored(fresh) == _stored(lettered)


def test_changing_only_a_letter_is_an_update_said_as_written(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    first = _write(tmp_path / "a.csv", f"{HEADER}\nRRK,X1,Radiographer,5,{PLAIN}\n")
    again = _write(tmp_path / "b.csv", f"{HEADER}\nRRK,X1,Radiographer,5,{LETTERED}\n")
    _import(empty_catalogue, first)
    db = open_catalogue(empty_catalogue)
    try:
        plan, counts = import_files(db, [again])
    finally:
        db.close()
    assert (counts["updated"], counts["unchanged"]) == (1, 0)
    assert plan.changes == [f"RRK X1: je_levels {PLAIN} -> {LETTERED}"]
    assert _stored(empty_catalogue)["X1"] == (LETTERED, _points(empty_catalogue, PLAIN))


def test_a_word_jds_sub_levels_are_kept_on_import(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = table_jd(
        tmp_path / "ct.docx",
        [("Job Title:", "CT Radiographer"), ("Band:", "Band 6"), ("Job Reference:", "CT-6")],
        je=LETTERED.split(),
    )
    code, _, err = run(capsys, "import", str(document), "--db", str(empty_catalogue))
    assert code == 0, err
    assert _stored(empty_catalogue)["CT-6"] == (LETTERED, _points(empty_catalogue, PLAIN))


def test_a_range_on_a_jd_stays_refused_in_a_list_too(empty_catalogue: Path, tmp_path: Path) -> None:
    ranged = LETTERED.replace("4a", "3-4", 1)
    source = _write(
        tmp_path / "ranged.json",
        json.dumps(
            [{"trust": "RRK", "jd_ref": "R1", "title": "Radiographer", "band": "5"}]
            + [{"trust": "RRK", "jd_ref": "R2", "title": "R", "band": "5", "je_levels": []}]
        ).replace('"je_levels": []', f'"je_levels": {json.dumps(ranged.split())}'),
    )
    before = digest(empty_catalogue)
    db = open_catalogue(empty_catalogue)
    try:
        with pytest.raises(ImportRefused) as caught:
            import_files(db, [source])
    finally:
        db.close()
    message = str(caught.value)
    assert "ranged.json" in message and "je_levels" in message and "factor 3" in message
    assert "'3-4' is a range: a JD's record holds one level per factor" in message
    assert digest(empty_catalogue) == before
