"""JE profiles: imported as reference data, listed, and matched against a job's levels.

The profiles are the ILLUSTRATIVE examples in docs/je-profiles-example.toml (not national
profiles). Their scores, worked from the factor plan (catalogue/data/je_scheme.toml):

- example-radiographer-band-5 (Band 5, 326-395; not generic): every factor at its lowest
  level 32+156+27+15+27+30+5+12+5+4+5+21+12+12+11+12 = 386; factor 8 at 3 instead of 2 adds
  21-12 = 9: 395.
- example-imaging-support-worker-band-3 (Band 3, 216-270; generic): lowest
  21+60+15+6+15+15+5+12+5+4+5+12+7+7+11+7 = 207, below Band 3's 216 by design; highest 250.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalogue.catalogue_import import import_catalogue
from catalogue.je_profiles import load_profile
from catalogue.je_scheme import JEScheme, load_scheme
from catalogue.store import open_catalogue
from pathways.je_profile_match import match_profile, profile_note
from tests.support import digest, query, run

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "je-profiles-example.toml"
RADIOGRAPHER = "example-radiographer-band-5"
SUPPORT = "example-imaging-support-worker-band-3"
# The radiographer profile at its lowest levels (386) and the support worker's (207).
RADIOGRAPHER_LOW = [4, 6, 3, 2, 3, 5, 1, 2, 1, 1, 1, 3, 3, 3, 2, 3]
SUPPORT_LOW = [3, 3, 2, 1, 2, 3, 1, 2, 1, 1, 1, 2, 2, 2, 2, 2]


@pytest.fixture(scope="module")
def profiles_db(reference_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reference catalogue with the two example profiles imported. Do not modify."""
    path = Path(shutil.copy(reference_db, tmp_path_factory.mktemp("profiles") / "je.db"))
    db = open_catalogue(path)
    try:
        import_catalogue(db, [EXAMPLE])
    finally:
        db.close()
    return path


@pytest.fixture(scope="module")
def scheme(profiles_db: Path) -> JEScheme:
    db = open_catalogue(profiles_db)
    try:
        return load_scheme(db)
    finally:
        db.close()


def _profile(path: Path, profile_id: str):  # type: ignore[no-untyped-def]
    db = open_catalogue(path)
    try:
        found = load_profile(db, profile_id)
    finally:
        db.close()
    assert found is not None
    return found


# --- as reference data ------------------------------------------------------------------------


def test_the_example_profiles_import_with_their_levels_and_provenance(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "import", str(EXAMPLE), "--db", str(empty_catalogue))
    assert code == 0, err
    assert "JE profile example-radiographer-band-5: added" in out
    assert query(
        empty_catalogue,
        "SELECT factor, level_min, level_max, written FROM je_profile_level "
        "WHERE profile = ? AND factor IN (5, 8) ORDER BY factor",
        RADIOGRAPHER,
    ) == [(5, 3, 3, "3b"), (8, 2, 3, "2-3")]
    assert query(empty_catalogue, "SELECT band, generic FROM je_profile WHERE id = ?", SUPPORT) == [
        ("3", 1)
    ]
    origins = query(
        empty_catalogue, "SELECT key, origin FROM reference_origin WHERE kind = 'je_profile'"
    )
    assert sorted(origins) == [(SUPPORT, "local"), (RADIOGRAPHER, "local")]
    code, out, _ = run(
        capsys, "history", "--reference", "--format", "json", "--db", str(empty_catalogue)
    )
    assert {(c["kind"], c["key"]) for c in json.loads(out)} == {
        ("je_profile", RADIOGRAPHER),
        ("je_profile", SUPPORT),
    }


def test_a_csv_has_one_column_per_factor_named_as_people_write_it(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    factors = ",".join(f"Factor {n}" for n in range(1, 17))
    levels = ",".join(["3", "4", "2-3", "2", "3a"] + ["1"] * 11)
    source = tmp_path / "network-profiles.csv"
    source.write_text(
        f"ID,Title,Band,Generic,Source,{factors}\r\n"
        f"network-mri-assistant,MRI assistant (network),Band 3,false,Network JE group,{levels}\r\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", str(source), "--db", str(empty_catalogue))
    assert code == 0, err
    assert query(
        empty_catalogue,
        "SELECT written FROM je_profile_level WHERE profile = 'network-mri-assistant' "
        "ORDER BY factor LIMIT 5",
    ) == [("3",), ("4",), ("2-3",), ("2",), ("3a",)]
    # "F1" ... "F16" name the same fields.
    short = tmp_path / "short.csv"
    short.write_text(
        "id,title,band,source," + ",".join(f"F{n}" for n in range(1, 17)) + "\r\n"
        "network-mri-assistant,MRI assistant (network),3,Network JE group,"
        + ",".join(["3", "4", "3", "2", "3a"] + ["1"] * 11)
        + "\r\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", str(short), "--db", str(empty_catalogue))
    assert code == 0, err
    assert "factor_3 '2-3' -> '3'" in out


def test_a_bad_profile_is_refused_naming_file_line_and_field(
    empty_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    # Factor 15 (Emotional effort) has levels 1-4 only; factor 3 written high to low.
    bad.write_text(
        text.replace('factor_15 = "2"     # Emotional effort', 'factor_15 = "5"').replace(
            'factor_3 = "3"      # Analytical', 'factor_3 = "3-2"  # Analytical'
        ),
        encoding="utf-8",
    )
    before = digest(empty_catalogue)
    code, out, err = run(capsys, "import", str(bad), "--db", str(empty_catalogue))
    assert code == 2 and out == ""
    assert "bad.toml: [[je_profile]] #1 (line 15)" in err
    assert "field 'factor_15': level '5' is outside 1-4" in err
    assert "field 'factor_3': '3-2' runs high to low" in err
    missing = tmp_path / "missing.toml"
    missing.write_text(text.replace('factor_16 = "3"     # Working conditions', ""), "utf-8")
    code, _, err = run(capsys, "import", str(missing), "--db", str(empty_catalogue))
    assert code == 2 and "factor_16" in err and "required" in err
    unknown_band = tmp_path / "band.toml"
    unknown_band.write_text(text.replace('band = "5"', 'band = "Band 10"'), "utf-8")
    code, _, err = run(capsys, "import", str(unknown_band), "--db", str(empty_catalogue))
    assert code == 2 and "band" in err
    assert digest(empty_catalogue) == before


# --- matching ---------------------------------------------------------------------------------


def test_a_job_within_the_profile_keeps_its_band(profiles_db: Path, scheme: JEScheme) -> None:
    profile = _profile(profiles_db, RADIOGRAPHER)
    match = match_profile(scheme, profile, RADIOGRAPHER_LOW)
    assert (match.profile_score_min, match.profile_score_max) == (386, 395)
    assert match.outside == () and match.band_holds and not match.generic_rule_applied
    assert match.job.score == 386


def test_factors_outside_the_profile_by_how_much_and_whether_the_band_holds(
    profiles_db: Path, scheme: JEScheme
) -> None:
    profile = _profile(profiles_db, RADIOGRAPHER)
    # Analytical 4 instead of 3 (+15: 401, Band 6) and Planning 1 instead of 2 (-9: 392).
    levels = list(RADIOGRAPHER_LOW)
    levels[2], levels[3] = 4, 1
    match = match_profile(scheme, profile, levels)
    assert [(fit.factor, fit.below, fit.above) for fit in match.outside] == [(3, 0, 1), (4, 1, 0)]
    assert match.job.score == 386 + 15 - 9 and match.band_holds  # 392: still Band 5
    levels[3] = 2  # Planning back to 2: 401, Band 6
    moved = match_profile(scheme, profile, levels)
    assert moved.job.score == 401 and not moved.band_holds
    assert "Band 6" in moved.reason and "not Band 5" in moved.reason
    # A range on the job is outside when either end is: Analytical 3-5 is 2 above.
    ranged = match_profile(scheme, profile, ["4", "6", "3-5", *map(str, RADIOGRAPHER_LOW[3:])])
    assert [(fit.factor, fit.above) for fit in ranged.outside] == [(3, 2)]


def test_a_generic_profile_allows_a_minimum_below_its_band_and_says_so(
    profiles_db: Path, scheme: JEScheme
) -> None:
    profile = _profile(profiles_db, SUPPORT)
    match = match_profile(scheme, profile, SUPPORT_LOW)
    assert match.job.score == 207 and match.job.je_band == "2"  # below Band 3's 216
    assert match.outside == () and match.band_holds and match.generic_rule_applied
    assert "generic-profile rule" in match.reason
    # Outside the profile on a factor (Communication 2, below its 3), the rule does not apply.
    below = list(SUPPORT_LOW)
    below[0] = 2
    outside = match_profile(scheme, profile, below)
    assert not outside.band_holds and not outside.generic_rule_applied
    assert "does not apply" in outside.reason
    # The same levels against a profile not marked generic: the band does not hold.
    plain = profile.model_copy(update={"generic": False})
    assert not match_profile(scheme, plain, SUPPORT_LOW).band_holds
    assert profile_note(scheme, plain) is not None and profile_note(scheme, profile) is None
    # Within the band proper, the rule is not needed: Physical skills 3 (+12) gives 219.
    within = list(SUPPORT_LOW)
    within[4] = 3
    held = match_profile(scheme, profile, within)
    assert held.job.score == 219 and held.band_holds and not held.generic_rule_applied


# --- the commands -----------------------------------------------------------------------------


def test_je_profile_from_the_command_line(
    profiles_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(profiles_db)
    levels = " ".join(map(str, SUPPORT_LOW))
    code, out, err = run(
        capsys, "je", "--db", db, "--levels", levels, "--profile", SUPPORT, "--format", "json"
    )
    assert code == 0, err
    found = json.loads(out)["profile_match"]
    assert (found["band_holds"], found["generic_rule_applied"]) == (True, True)
    assert found["outside"] == [] and found["profile_score_min"] == 207
    code, out, _ = run(capsys, "je", "--db", db, "--levels", levels, "--profile", SUPPORT)
    assert "Band 3 holds" in out and "generic-profile rule" in " ".join(out.split())
    code, out, _ = run(
        capsys, "je", "--db", db, "--levels", levels, "--profile", RADIOGRAPHER, "--format", "csv"
    )
    header, row = out.splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["band_holds"] == "no" and cells["profile"] == RADIOGRAPHER
    assert cells["outside_profile"].startswith("F1 1 below; F2 3 below")
    code, _, err = run(capsys, "je", "--db", db, "--levels", levels, "--profile", "radiographer")
    assert code == 2 and "no JE profile 'radiographer'" in err and RADIOGRAPHER in err


def test_je_files_against_a_profile(
    profiles_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "jds.csv"
    low = " ".join(map(str, RADIOGRAPHER_LOW))
    source.write_text(
        f"trust,jd_ref,title,band,je_levels\nRRK,R1,Radiographer,5,{low}\nRRK,R2,Vacant,5,\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys,
        "je",
        str(source),
        "--db",
        str(profiles_db),
        "--profile",
        RADIOGRAPHER,
        "--format",
        "json",
    )
    assert code == 0, err
    first, empty = json.loads(out)
    assert first["profile_match"]["band_holds"] is True and empty["profile_match"] is None
    code, out, _ = run(
        capsys, "je", str(source), "--db", str(profiles_db), "--profile", RADIOGRAPHER
    )
    assert "matched against JE profile" in " ".join(out.split())


def test_profiles_lists_them_and_shows_one(
    profiles_db: Path, empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "profiles", "--db", str(profiles_db), "--format", "json")
    listed = {row["id"]: row for row in json.loads(out)}
    assert (listed[RADIOGRAPHER]["score_min"], listed[RADIOGRAPHER]["score_max"]) == (386, 395)
    assert listed[SUPPORT]["generic"] == "yes" and listed[SUPPORT]["check"] == ""
    code, out, _ = run(capsys, "profiles", RADIOGRAPHER, "--db", str(profiles_db))
    assert code == 0 and "3b" in out and "12-21" in out and "386-395" in out
    code, _, err = run(capsys, "profiles", "nope", "--db", str(profiles_db))
    assert code == 2 and "no JE profile 'nope'" in err
    code, out, _ = run(capsys, "profiles", "--db", str(empty_catalogue))
    assert code == 0 and "none held" in " ".join(out.split())
