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


def test_what_if_lists_the_fewest_levels_up() -> None:
    # From 15 (Band 2) Band 3 needs 30: A 1->3 gives 35 (two levels; A 1->2 is only 25);
    # B needs 1->4 (three levels: 30). The fewest is A's two.
    up, down = what_if(SMALL, (1, 1))
    assert up == (FactorChange(1, "A", 1, 3, 35, "3"),)
    assert down == ()  # both factors already at level 1


def test_what_if_lists_every_factor_tied_on_fewest_levels() -> None:
    # From 30 (Band 3): down, A 2->1 gives 20 and B 2->1 gives 25, one level each: both.
    # Up to Band 4 needs 50: A 2->3 gives 40, B 2->4 gives 40: no single factor does it.
    up, down = what_if(SMALL, (2, 2))
    assert up == ()
    assert down == (FactorChange(1, "A", 2, 1, 20, "2"), FactorChange(2, "B", 2, 1, 25, "2"))


def test_what_if_up_into_the_top_band() -> None:
    # From 45 (A 3, B 3: Band 3): B 3->4 gives 50, Band 4, one level. A is at its top.
    up, _ = what_if(SMALL, (3, 3))
    assert up == (FactorChange(2, "B", 3, 4, 50, "4"),)


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
    # 35 (three levels). The fewest is A's two.
    assert result.up == ()
    assert result.down == (FactorChange(1, "A", 3, 1, 30, "3"),)


def test_moving_beyond_the_top_band_is_not_a_way_up() -> None:
    short = JEScheme(
        factor_names=("A", "B"),
        points=SMALL.points,
        bands=(BandRange("2", 0, 29), BandRange("3", 30, 39)),
    )
    # From 30 (Band 3): A 2->3 gives 40 and B 2->4 gives 40, both beyond the top: not listed.
    assert what_if(short, (2, 2))[0] == ()


def test_parse_levels_reads_text_and_lists_and_names_the_factor() -> None:
    assert parse_levels("2 3", SMALL) == (2, 3)
    assert parse_levels("2, 3", SMALL) == (2, 3)
    assert parse_levels([2, 3], SMALL) == (2, 3)
    assert parse_levels("", SMALL) is None
    assert parse_levels([], SMALL) is None
    assert parse_levels(None, SMALL) is None
    with pytest.raises(JELevelError, match="factor 2 \\(B\\)"):
        parse_levels("1 9", SMALL)  # B has levels 1-4
    with pytest.raises(JELevelError, match="factor 2 \\(B\\).*not a whole number"):
        parse_levels("1 x", SMALL)
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
    # at 60 or less (+56 at most).
    result = check_job(scheme, ALL_ONES)
    assert result.score == 86 and result.je_band == "1" and not result.near_boundary
    assert result.up == (FactorChange(2, "Knowledge, training and experience", 1, 5, 190, "2"),)
    assert result.down == ()


def test_just_under_a_boundary_any_factor_up_one_level_crosses_it(scheme: JEScheme) -> None:
    # Factor 2 at level 4: 86 - 16 + 88 = 158, Band 1, within 5 points of 160|161.
    # Every factor's level 2 is at least 3 points above its level 1 (the smallest step is 4,
    # on factors 13, 14 and 16), so any one factor up one level reaches Band 2.
    levels = [1, 4] + [1] * 14
    result = check_job(scheme, levels, band="2")
    assert result.score == 158 and result.je_band == "1" and result.near_boundary
    assert result.agrees is False
    assert [change.factor for change in result.up] == list(range(1, 17))
    assert all(c.to_level == c.from_level + 1 and c.band == "2" for c in result.up)
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
    assert result["what_if"]["up"] == [
        {
            "factor": 2,
            "name": "Knowledge, training and experience",
            "from_level": 1,
            "to_level": 5,
            "score": 190,
            "band": "2",
        }
    ]
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
