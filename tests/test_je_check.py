"""JE check: score, band, boundary, agreement and the what-if, on hand-made and real schemes.

The small scheme below has two factors so every answer can be worked out on paper:
factor A scores 10, 20, 30 at levels 1-3; factor B 5, 10, 15, 20 at levels 1-4; Band 2 is
0-29, Band 3 30-49, Band 4 50-54; above 54 is beyond the top band.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from catalogue.je_levels import Level
from catalogue.je_scheme import BandRange, JELevelError, JEScheme, load_scheme
from catalogue.store import open_catalogue
from pathways.je_check import (
    FactorChange,
    check_job,
    parse_levels,
    what_if,
)
from workforce_cli.main import main

SMALL = JEScheme(
    factor_names=("A", "B"),
    points=((10, 20, 30), (5, 10, 15, 20)),
    bands=(BandRange("2", 0, 29), BandRange("3", 30, 49), BandRange("4", 50, 54)),
    near_boundary_points=5,
)


def test_score_band_and_boundary() -> None:
    low = check_job(SMALL, (1, 1))  # 10 + 5 = 15: Band 2, far from 29|30
    assert (low.score, low.je_band, low.near_boundary, low.agrees) == (15, "2", False, None)
    edge = check_job(SMALL, (2, 2), band="3")  # 20 + 10 = 30: Band 3, just over 29|30
    assert (edge.score, edge.je_band, edge.near_boundary, edge.agrees) == (30, "3", True, True)
    assert check_job(SMALL, (2, 2), band="2").agrees is False


def test_what_if_lists_every_change_that_moves_the_band_smallest_first() -> None:
    # From 15 (Band 2) Band 3 needs 30: A 1->3 gives 35 (two levels; A 1->2 is only 25);
    # B 1->4 gives 30 (three levels). Both are listed, the two-level change first.
    up, down = what_if(SMALL, (1, 1))
    assert up == (FactorChange(1, "A", 1, 3, 35, "3"), FactorChange(2, "B", 1, 4, 30, "3"))
    assert down == ()  # both factors already at level 1


def test_what_if_orders_changes_of_as_many_levels_by_points() -> None:
    # From 30 (Band 3): down, A 2->1 gives 20 (-10) and B 2->1 gives 25 (-5), one level each:
    # both, the smaller change in points first. Up to Band 4 needs 50: A 2->3 gives 40,
    # B 2->4 gives 40: no single factor does it.
    up, down = what_if(SMALL, (2, 2))
    assert up == ()
    assert down == (FactorChange(2, "B", 2, 1, 25, "2"), FactorChange(1, "A", 2, 1, 20, "2"))


def test_what_if_up_into_the_top_band() -> None:
    # From 45 (A 3, B 3: Band 3): B 3->4 gives 50, Band 4, one level. A is at its top.
    # Down into Band 2 (<= 29): only A 3->1 (25); B 3->1 gives 35, still Band 3.
    up, down = what_if(SMALL, (3, 3))
    assert up == (FactorChange(2, "B", 3, 4, 50, "4"),)
    assert down == (FactorChange(1, "A", 3, 1, 25, "2"),)


def test_a_score_beyond_the_top_band_is_reported_not_clamped() -> None:
    # A 3, B 4: 50 in SMALL is Band 4; in a scheme ending at Band 3 (30-39), 50 is beyond it.
    short = JEScheme(
        factor_names=("A", "B"),
        points=SMALL.points,
        bands=(BandRange("2", 0, 29), BandRange("3", 30, 39)),
    )
    result = check_job(short, (3, 4), band="3")
    assert result.je_band is None and result.agrees is False
    # Nothing lies above "beyond": no way up. Down into Band 3 (<= 39): A 3->2 gives 40,
    # still beyond, A 3->1 gives 30 (two levels); B 4->3 gives 45, 4->2 gives 40, 4->1 gives
    # 35 (three levels). Both, the fewer levels first.
    assert result.up == ()
    assert result.down == (
        FactorChange(1, "A", 3, 1, 30, "3"),
        FactorChange(2, "B", 4, 1, 35, "3"),
    )


def test_moving_beyond_the_top_band_is_not_a_way_up() -> None:
    short = JEScheme(
        factor_names=("A", "B"),
        points=SMALL.points,
        bands=(BandRange("2", 0, 29), BandRange("3", 30, 39)),
    )
    # From 30 (Band 3): A 2->3 gives 40 and B 2->4 gives 40, both beyond the top: not listed.
    assert what_if(short, (2, 2))[0] == ()


def test_a_change_into_a_closed_band_says_so() -> None:
    closed = JEScheme(
        factor_names=SMALL.factor_names,
        points=SMALL.points,
        bands=(BandRange("1", 0, 29, closed=True), *SMALL.bands[1:]),
    )
    result = check_job(closed, (2, 2))  # 30: Band 3
    assert [change.closed for change in result.down] == [True, True]
    assert result.closed == ()
    low = check_job(closed, (1, 1))  # 15: in the closed band
    assert low.closed == ("1",) and low.je_band == "1"


def test_a_sub_level_letter_is_kept_as_written_and_scored_as_its_level() -> None:
    levels = parse_levels("2a 3b", SMALL)
    assert levels == (Level(2, 2, "2a"), Level(3, 3, "3b"))
    lettered, plain = check_job(SMALL, levels), check_job(SMALL, (2, 3))
    assert (lettered.score, lettered.je_band) == (plain.score, plain.je_band) == (35, "3")
    assert [factor.level.written for factor in lettered.factors] == ["2a", "3b"]
    assert parse_levels("3ab 1", SMALL) == (Level(3, 3, "3ab"), Level(1, 1, "1"))


def test_a_range_gives_a_score_range_and_every_band_it_reaches() -> None:
    # A 1-3 scores 10 to 30, with B 2 (10): 20 to 40, Band 2 (0-29) to Band 3 (30-49).
    levels = parse_levels("1-3 2", SMALL)
    assert levels == (Level(1, 3, "1-3"), Level(2, 2, "2"))
    result = check_job(SMALL, levels, band="3")
    assert (result.score, result.score_max) == (20, 40)
    assert (result.je_band, result.je_band_max, result.bands) == ("2", "3", ("2", "3"))
    assert result.agrees is True and check_job(SMALL, levels, band="4").agrees is False
    assert (result.factors[0].points_low, result.factors[0].points_high) == (10, 30)
    # The what-if starts up from the top of the range (A 3, B 2: 40; B 2->4 gives 50, Band 4)
    # and down from its bottom (A 1, B 2: 20; B 2->1 gives 15, still Band 2: no way down).
    assert result.up == (FactorChange(2, "B", 2, 4, 50, "4"),)
    assert result.down == ()
    assert parse_levels("2–3 1", SMALL)[0] == Level(2, 3, "2-3")  # type: ignore[index]


def test_the_near_boundary_margin_is_a_setting_and_can_be_given() -> None:
    # 30 is one point above the 29|30 boundary: a change of one point would cross it.
    assert check_job(SMALL, (2, 2)).near_boundary and check_job(SMALL, (2, 2)).margin == 5
    assert check_job(SMALL, (2, 2), margin=1).near_boundary
    assert not check_job(SMALL, (2, 2), margin=0).near_boundary
    # 25 needs 5 points to reach 30: near with a margin of 5, not of 4.
    assert check_job(SMALL, (2, 1), margin=5).near_boundary
    assert not check_job(SMALL, (2, 1), margin=4).near_boundary


def test_parse_levels_reads_text_and_lists_and_names_the_factor() -> None:
    two_three = (Level(2, 2, "2"), Level(3, 3, "3"))
    assert parse_levels("2 3", SMALL) == two_three
    assert parse_levels("2, 3", SMALL) == two_three
    assert parse_levels([2, 3], SMALL) == two_three
    assert parse_levels("", SMALL) is None
    assert parse_levels([], SMALL) is None
    assert parse_levels(None, SMALL) is None
    with pytest.raises(JELevelError, match="factor 2 \\(B\\)"):
        parse_levels("1 9", SMALL)  # B has levels 1-4
    with pytest.raises(JELevelError, match="factor 2 \\(B\\).*not a level"):
        parse_levels("1 x", SMALL)
    with pytest.raises(JELevelError, match="factor 1 \\(A\\).*high to low"):
        parse_levels("3-2 1", SMALL)
    with pytest.raises(JELevelError, match="factor 2 \\(B\\).*'3-5' is outside 1-4"):
        parse_levels("1 3-5", SMALL)
    with pytest.raises(JELevelError, match="needs 2 factor levels.*found 3"):
        parse_levels("1 1 1", SMALL)
    with pytest.raises(JELevelError, match="factor 1"):
        parse_levels([True, 1], SMALL)


# --- the real factor plan -------------------------------------------------------------------

ALL_ONES = [1] * 16


@pytest.fixture(scope="module")
def scheme(reference_db: Path) -> JEScheme:
    db = open_catalogue(reference_db)
    try:
        return load_scheme(db)
    finally:
        db.close()


def test_all_level_1_is_86_points_and_only_knowledge_can_lift_it(scheme: JEScheme) -> None:
    # Level-1 points: 5+16+6+6+6+4+5+5+5+4+5+5+3+3+5+3 = 86, Band 1 (0-160). Band 2 starts
    # at 161, 75 more points. Only factor 2 (Knowledge) gains that much alone: level 4 is 88
    # (+72, 158: not enough), level 5 is 120 (+104, 190: Band 2). Every other factor tops out
    # at 60 or less (+56 at most). Every level of factor 2 from 5 up moves the band: 6 is 156
    # (226, Band 3), 7 is 196 (266, Band 3), 8 is 240 (310, Band 4). Band 1 is closed to new
    # entrants: the check says the score lands there.
    result = check_job(scheme, ALL_ONES)
    assert result.score == 86 and result.je_band == "1" and not result.near_boundary
    assert result.closed == ("1",)
    knowledge = "Knowledge, training and experience"
    assert result.up == (
        FactorChange(2, knowledge, 1, 5, 190, "2"),
        FactorChange(2, knowledge, 1, 6, 226, "3"),
        FactorChange(2, knowledge, 1, 7, 266, "3"),
        FactorChange(2, knowledge, 1, 8, 310, "4"),
    )
    assert result.down == ()


def test_just_under_a_boundary_any_factor_up_one_level_crosses_it(scheme: JEScheme) -> None:
    # Factor 2 at level 4: 86 - 16 + 88 = 158, Band 1, within 5 points of 160|161.
    # Every factor's level 2 is at least 3 points above its level 1 (the smallest step is 4,
    # on factors 13, 14 and 16), so any one factor up one level reaches Band 2.
    levels = [1, 4] + [1] * 14
    result = check_job(scheme, levels, band="2")
    assert result.score == 158 and result.je_band == "1" and result.near_boundary
    assert result.agrees is False
    # Every factor one level up comes first (the smallest changes), then the larger ones.
    first = result.up[:16]
    assert sorted(change.factor for change in first) == list(range(1, 17))
    assert all(c.to_level == c.from_level + 1 and c.band == "2" for c in first)
    assert all(c.levels_moved > 1 for c in result.up[16:])
    gains = [c.score - result.score for c in first]
    assert gains == sorted(gains)
    # Band 1 is the lowest band: there is no way down.
    assert result.down == ()


# --- the command ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_je_levels_json(reference_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    levels = " ".join(str(level) for level in ALL_ONES)
    code, out, err = run(
        capsys, "je", "--db", str(reference_db), "--levels", levels, "--format", "json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["score"] == 86 and result["je_band"] == "1"
    assert result["near_boundary"] is False and result["agrees"] is None
    assert result["what_if"]["down"] == []
    assert result["what_if"]["up"][0] == {
        "factor": 2,
        "name": "Knowledge, training and experience",
        "from_level": 1,
        "to_level": 5,
        "levels_moved": 4,
        "score": 190,
        "band": "2",
        "band_closed": False,
    }
    assert [c["to_level"] for c in result["what_if"]["up"]] == [5, 6, 7, 8]
    assert result["closed_bands"] == ["1"] and result["margin"] == 5
    # Each factor's level and points, as a panel checks them.
    assert len(result["factors"]) == 16
    assert result["factors"][1] == {
        "factor": 2,
        "name": "Knowledge, training and experience",
        "level": "1",
        "level_min": 1,
        "level_max": 1,
        "points_min": 16,
        "points_max": 16,
    }
    assert sum(f["points_min"] for f in result["factors"]) == result["score"]
    code, out, _ = run(
        capsys,
        "je",
        "--db",
        str(reference_db),
        "--levels",
        levels,
        "--band",
        "Band 2",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["agrees"] is False


def test_je_levels_table(reference_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "je", "--db", str(reference_db), "--levels", "1 " * 16)
    assert code == 0
    assert "86" in out and "Knowledge, training and experience" in out
    assert "closed to new entrants" in out  # 86 is Band 1
    assert "margin 5" in out


# A Band 5 radiographer as a panel might record it (illustrative levels): sub-levels on
# factors 3 and 5, and factor 6 left open between 2 and 3.
PANEL = "4 6 4a 3 3b 2-3 3 2 1 2 2 2 2 2 2 2"


def test_je_levels_with_sub_levels_and_a_range(
    reference_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(reference_db)
    code, out, err = run(capsys, "je", "--db", db, "--levels", PANEL, "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["levels"] == PANEL
    factors = result["factors"]
    assert (factors[2]["level"], factors[2]["points_min"]) == ("4a", 42)  # scored as level 4
    assert (factors[5]["level_min"], factors[5]["level_max"]) == (2, 3)
    assert (factors[5]["points_min"], factors[5]["points_max"]) == (9, 15)
    # The range moves the score by factor 6's 9 to 15 points: 396 to 402.
    assert (result["score"], result["score_max"]) == (396, 402)
    assert sum(f["points_max"] for f in factors) == result["score_max"]
    assert result["bands"] == ["6"] and result["near_boundary"] is True
    # Factor 6 at 1 instead: one level lower everywhere reaches Band 5 at the bottom.
    wide = PANEL.replace("2-3", "1-3")
    code, out, _ = run(
        capsys, "je", "--db", db, "--levels", wide, "--band", "5", "--format", "json"
    )
    result = json.loads(out)
    assert (result["score"], result["score_max"]) == (391, 402)
    assert result["bands"] == ["5", "6"] and result["agrees"] is True

    code, out, _ = run(capsys, "je", "--db", db, "--levels", wide)
    assert code == 0 and "391-402" in out and "5 to 6" in out and "1-3" in out and "4-15" in out

    code, out, _ = run(capsys, "je", "--db", db, "--levels", PANEL, "--format", "csv")
    header, row = out.splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert (cells["f3_level"], cells["f3_points"]) == ("4a", "42")
    assert (cells["f6_level"], cells["f6_points"]) == ("2-3", "9-15")
    assert cells["score"] == "396-402"


def test_the_margin_is_shown_and_can_be_changed(
    reference_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(reference_db)
    # 158 (Band 1) is three points below 161: near with the default margin of 5, not of 2.
    levels = " ".join(["1", "4"] + ["1"] * 14)
    code, out, _ = run(capsys, "je", "--db", db, "--levels", levels, "--format", "json")
    assert json.loads(out)["near_boundary"] is True
    code, out, _ = run(
        capsys, "je", "--db", db, "--levels", levels, "--margin", "2", "--format", "json"
    )
    assert (json.loads(out)["near_boundary"], json.loads(out)["margin"]) == (False, 2)
    code, out, _ = run(capsys, "je", "--db", db, "--levels", levels, "--margin", "3")
    assert code == 0 and "yes (margin 3)" in out
    with pytest.raises(SystemExit, match="2"):
        main(["je", "--db", db, "--levels", levels, "--margin", "-1"])
    with pytest.raises(SystemExit):
        main(["je", "--help"])
    assert "a change of this many points or fewer" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(
    ("levels", "named"),
    [
        ("1 " * 15 + "9", "factor 16 (Working conditions)"),
        ("1 1 x" + " 1" * 13, "factor 3 (Analytical and judgemental skills)"),
        ("1 1 1", "needs 16 factor levels"),
    ],
)
def test_bad_levels_exit_2_naming_the_factor(
    reference_db: Path, capsys: pytest.CaptureFixture[str], levels: str, named: str
) -> None:
    code, out, err = run(capsys, "je", "--db", str(reference_db), "--levels", levels)
    assert code == 2 and named in err and out == ""


def test_je_usage_errors(reference_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(reference_db)
    assert run(capsys, "je", "--db", db)[0] == 2
    assert run(capsys, "je", "--db", db, "x.csv", "--levels", "1 " * 16)[0] == 2
    assert run(capsys, "je", "--db", db, "x.csv", "--band", "5")[0] == 2
    assert run(capsys, "je", "--db", db, "--levels", "1 " * 16, "--band", "Band 10")[0] == 2


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_je_file_checks_each_row(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ones = " ".join(["1"] * 16)
    band_2 = " ".join(["1", "5"] + ["1"] * 14)  # 190: Band 2
    source = _write(
        tmp_path / "jds.csv",
        "trust,jd_ref,title,band,je_levels\n"
        f"RRK,A,Support Worker,2,{ones}\n"
        "RRK,B,Radiographer,5,\n"
        f"RL4,C,Imaging Assistant,B2,{band_2}\n",
    )
    before = hashlib.sha256(empty_catalogue.read_bytes()).hexdigest()
    code, out, err = run(
        capsys, "je", str(source), "--db", str(empty_catalogue), "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["trust"], r["jd_ref"], r["title"], r["band"]) for r in rows] == [
        ("RRK", "A", "Support Worker", "2"),
        ("RRK", "B", "Radiographer", "5"),
        ("RL4", "C", "Imaging Assistant", "2"),
    ]
    assert (rows[0]["score"], rows[0]["je_band"], rows[0]["agrees"]) == (86, "1", False)
    assert rows[1]["score"] is None and rows[1]["note"] == "no JE levels"
    assert (rows[2]["score"], rows[2]["je_band"], rows[2]["agrees"]) == (190, "2", True)
    assert set(rows[2]["what_if"]) == {"up", "down"}
    # The catalogue is only read.
    assert hashlib.sha256(empty_catalogue.read_bytes()).hexdigest() == before

    code, out, _ = run(capsys, "je", str(source), "--db", str(empty_catalogue))
    assert code == 0 and "no JE levels" in out and "2 of 3" in out


def test_je_file_in_toml_with_levels_as_a_list(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "jds.toml",
        '[[job]]\ntrust = "RRK"\njd_ref = "T1"\ntitle = "[bold]Lead[/bold]"\nband = "1"\n'
        f"je_levels = {ALL_ONES}\n",
    )
    code, out, err = run(capsys, "je", str(source), "--db", str(reference_db), "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["title"] == "[bold]Lead[/bold]" and row["score"] == 86 and row["agrees"] is True


def test_a_bad_row_names_file_line_and_field(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "bad.csv",
        "trust,jd_ref,title,band,je_levels\n"
        "RRK,A,Fine,5,\n"
        f"RRK,B,Broken,5,{' '.join(['1'] * 15)} 7\n",
    )
    code, out, err = run(capsys, "je", str(source), "--db", str(reference_db))
    assert code == 2 and out == ""
    assert "bad.csv" in err and "line 3" in err and "je_levels" in err and "factor 16" in err

    bad_band = _write(tmp_path / "band.csv", "trust,jd_ref,title,band\nRRK,A,X,Band 55\n")
    code, _, err = run(capsys, "je", str(bad_band), "--db", str(reference_db))
    assert code == 2 and "line 2" in err and "'band'" in err

    code, _, err = run(capsys, "je", str(tmp_path / "missing.csv"), "--db", str(reference_db))
    assert code == 2 and "file not found" in err


def test_a_file_shows_each_jds_factor_levels_and_points(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "panel.csv",
        f"trust,jd_ref,title,band,je_levels\nRRK,P1,Radiographer,5,{PANEL}\nRRK,P2,Vacant,5,\n",
    )
    db = str(reference_db)
    code, out, err = run(capsys, "je", str(source), "--db", db, "--format", "json")
    assert code == 0, err
    first, empty = json.loads(out)
    assert first["factors"][2]["level"] == "4a" and first["score_max"] == 402
    assert empty["factors"] is None and empty["note"] == "no JE levels"
    code, out, _ = run(capsys, "je", str(source), "--db", db, "--format", "csv")
    lines = out.splitlines()
    assert lines[0].split(",")[-2:] == ["f16_level", "f16_points"]
    assert ",2-3,9-15," in lines[1]
    code, out, _ = run(capsys, "je", str(source), "--db", db)
    assert "4a: 42" in out and "2-3: 9-15" in out


def test_import_keeps_a_sub_level_scores_it_as_its_level_and_refuses_a_range(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lettered = PANEL.replace("2-3", "2")
    plain = "4 6 4 3 3 2 3 2 1 2 2 2 2 2 2 2"  # the same levels without their letters
    source = _write(
        tmp_path / "jds.csv",
        "trust,jd_ref,title,band,je_levels\n"
        f"RRK,P1,Radiographer,6,{lettered}\nRRK,P0,Radiographer,6,{plain}\n",
    )
    code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 0, err
    db = open_catalogue(empty_catalogue)
    try:
        stored = dict(
            (
                (ref, (levels, score))
                for ref, levels, score in db.execute(
                    "SELECT jd_ref, je_levels, je_score FROM job_description"
                )
            )
        )
        scheme = load_scheme(db)
    finally:
        db.close()
    assert stored["P1"][0] == lettered  # the letters kept as written
    assert stored["P1"][1] == stored["P0"][1] == check_job(scheme, plain.split()).score
    ranged = _write(
        tmp_path / "ranged.csv",
        f"trust,jd_ref,title,band,je_levels\nRRK,P2,Radiographer,6,{PANEL}\n",
    )
    code, _, err = run(capsys, "import", str(ranged), "--db", str(empty_catalogue))
    assert code == 2
    assert "ranged.csv" in err and "line 2" in err and "factor 6" in err and "range" in err
