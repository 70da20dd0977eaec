"""Banding variation: the pure judgement on hand-made counts and records, then the command.

Answers are worked out by hand in each test from the data it makes. Band order is
1 < 2 < ... < 7 < 8a < 8b < 8c < 8d < 9, so 7 to 8a is one band and 8a to 8c is two.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from catalogue.export import rows_to_csv
from catalogue.je_scheme import BandRange, JEScheme
from catalogue.store import open_catalogue
from pathways.records import RoleInfo, load_roles
from pathways.variation import (
    Flag,
    RoleStats,
    Verdict,
    any_at_or_above,
    at_or_above,
    band_spread,
    distance_outside,
    flag_as_dict,
    flag_jds,
    judge,
    list_flags,
    load_flag_rules,
    modal_band,
    reference_label,
    report_as_dict,
    role_stats,
    severity_of,
    sort_flags,
    variation,
    variation_summary,
)
from tests.factories import jd, make_catalogue
from workforce_cli.banding_commands import CSV_FLAG_COLUMNS
from workforce_cli.main import main

# --- modal band, spread, role statistics ----------------------------------------------------


def test_modal_band_is_the_most_common_band() -> None:
    assert modal_band({"5": 3, "6": 1}) == "5"
    assert modal_band({"6": 6, "7": 17}) == "7"


def test_a_tied_top_count_has_no_modal_band() -> None:
    assert modal_band({"3": 4, "4": 4}) is None
    assert modal_band({"2": 1, "3": 2, "4": 2}) is None  # tied at the top, not at the bottom
    assert modal_band({"2": 2, "3": 2, "4": 3}) == "4"  # a tie below the top does not matter


def test_no_bands_no_mode_no_spread() -> None:
    assert modal_band({}) is None
    assert band_spread([]) == 0


def test_spread_counts_bands_by_order_not_text() -> None:
    assert band_spread(["7", "8a"]) == 1
    assert band_spread(["8a", "8c"]) == 2
    assert band_spread(["6", "7", "8a"]) == 2
    assert band_spread(["9", "8a"]) == 4  # 8a to 8b, 8c, 8d, 9: four steps
    assert band_spread(["5"]) == 0


def test_role_stats_orders_bands_and_titles_and_counts_medical_pay_apart() -> None:
    stats = role_stats(
        "sonographer",
        "sonography",
        {"7": 3, "6": 1, None: 2},
        {"Sonographer": 2, "Band 7 Sonographer": 3, "Ultrasound Practitioner": 1},
    )
    assert list(stats.bands.items()) == [("6", 1), ("7", 3)]
    assert stats.modal_band == "7"
    assert stats.spread == 1
    assert list(stats.titles) == ["Band 7 Sonographer", "Sonographer", "Ultrasound Practitioner"]
    assert stats.no_band == 2
    assert stats.jds == 6
    assert stats.varies


def test_a_medical_role_has_titles_but_no_bands() -> None:
    stats = role_stats("consultant-radiologist", "radiology-medical", {None: 3}, {"Cons": 3})
    assert stats.bands == {} and stats.modal_band is None and stats.spread == 0
    assert stats.no_band == 3 and stats.jds == 3
    assert not stats.varies  # one title, no bands


# --- judging one band -----------------------------------------------------------------------


def test_reference_label_and_distance_outside_the_range() -> None:
    assert reference_label("7", "7") == "7"
    assert reference_label("8a", "8b") == "8a-8b"
    assert reference_label(None, None) is None
    assert distance_outside("6", "7", "8a") == 1
    assert distance_outside("8c", "7", "8a") == 2
    assert distance_outside("8a", "7", "8a") == 0
    assert distance_outside("3", None, None) == 0  # no range, nothing to be outside


def test_a_band_at_the_mode_and_in_range_is_not_flagged() -> None:
    assert judge("5", modal="5", band_min="5", band_max="5") is None


def test_one_band_from_the_mode_is_a_warning() -> None:
    verdict = judge("7", modal="8a", band_min="7", band_max="8a")
    assert verdict is not None
    assert verdict.reasons == ("modal",)
    assert verdict.distances == {"modal": 1}
    assert verdict.severity == "warn"
    assert verdict.modal_band == "8a" and verdict.reference_band == "7-8a"


def test_two_bands_from_the_mode_is_high() -> None:
    verdict = judge("8a", modal="8c", band_min="8a", band_max="8c")
    assert verdict is not None
    assert verdict.reasons == ("modal",) and verdict.distance == 2
    assert verdict.severity == "high"


def test_no_mode_means_no_modal_flag() -> None:
    # apprentice radiographer: tied 3 and 4, both inside its 3-4 range.
    assert judge("3", modal=None, band_min="3", band_max="4") is None
    assert judge("4", modal=None, band_min="3", band_max="4") is None


def test_outside_the_reference_range_is_flagged_even_at_the_mode() -> None:
    verdict = judge("7", modal="7", band_min="6", band_max="6")
    assert verdict is not None
    assert verdict.reasons == ("reference",)
    assert verdict.distance == 1 and verdict.severity == "warn"

    below = judge("3", modal="3", band_min="5", band_max="5")
    assert below is not None and below.distance == 2 and below.severity == "high"


def test_every_reason_that_applies_is_listed() -> None:
    # reporting radiographer at band 6: the mode is 7 and the reference role is 7.
    verdict = judge("6", modal="7", band_min="7", band_max="7", je_score=437, je_band="6")
    assert verdict is not None
    assert verdict.reasons == ("modal", "reference")  # JE agrees with 6: not a reason
    assert verdict.je_band == "6"
    assert verdict.severity == "warn"


def test_a_je_disagreement_is_high_even_one_band_away() -> None:
    verdict = judge("5", modal="5", band_min="5", band_max="5", je_score=420, je_band="6")
    assert verdict is not None
    assert verdict.reasons == ("je",)
    assert verdict.distances == {"je": 1}
    assert verdict.severity == "high"


def test_a_je_score_beyond_band_9_disagrees_and_is_not_clamped() -> None:
    verdict = judge("9", modal="9", band_min="8c", band_max="9", je_score=800, je_band=None)
    assert verdict is not None
    assert verdict.reasons == ("je",)
    assert verdict.je_band is None  # reported as no band, not as Band 9
    assert verdict.distances == {"je": None} and verdict.distance is None
    assert verdict.severity == "high"


def test_a_je_score_in_the_band_given_is_no_reason() -> None:
    assert judge("5", modal="5", band_min="5", band_max="5", je_score=350, je_band="5") is None


def test_without_a_je_score_the_je_band_is_ignored() -> None:
    assert judge("5", modal="5", band_min="5", band_max="5", je_score=None, je_band="6") is None


def test_severity_rises_with_distance_and_with_je() -> None:
    assert severity_of({"modal": 1}) == "warn"
    assert severity_of({"modal": 1, "reference": 1}) == "warn"
    assert severity_of({"modal": 1, "reference": 2}) == "high"
    assert severity_of({"je": 1}) == "high"
    assert severity_of({"je": None}) == "high"
    assert at_or_above("high", "warn") and at_or_above("warn", "warn")
    assert not at_or_above("warn", "high")


# --- flagging records -----------------------------------------------------------------------

# A small scheme: Band 4 is 271-325, Band 5 326-395, Band 6 396-465 (as in the catalogue).
SCHEME = JEScheme(
    factor_names=("only",),
    points=((1,),),
    bands=(BandRange("4", 271, 325), BandRange("5", 326, 395), BandRange("6", 396, 465)),
)


def _role(role_id: str, band_min: str | None, band_max: str | None) -> RoleInfo:
    return RoleInfo(role_id, role_id, "radiography", band_min, band_max, "practitioner", "", "")


ROLES = {
    "radiographer": _role("radiographer", "5", "5"),
    "apprentice": _role("apprentice", "3", "4"),
}


def _stats(role: str, bands: dict[str | None, int]) -> RoleStats:
    return role_stats(role, "radiography", bands, {role: sum(bands.values())})


def test_flag_jds_judges_each_record_against_its_role() -> None:
    stats = {
        "radiographer": _stats("radiographer", {"5": 3, "6": 1}),
        "apprentice": _stats("apprentice", {"3": 1, "4": 1}),  # tied: no mode
    }
    candidates = [
        ("RRK", "A", "radiographer", "Rad", "5", None, 4.0),  # at the mode: no flag
        ("RL4", "B", "radiographer", "Rad", "6", None, 2.0),  # mode 5, range 5: warn
        ("RJE", "C", "radiographer", "Rad", "5", 420, 1.0),  # JE 420 is Band 6: high
        ("RKB", "D", "radiographer", "Rad", "5", 350, 9.0),  # JE 350 is Band 5: no flag
        ("RRK", "E", "apprentice", "App", "3", None, 5.0),  # tie, in range: no flag
    ]
    flags = flag_jds(candidates, stats, ROLES, SCHEME)
    assert [(f.jd_ref, f.verdict.reasons, f.verdict.severity) for f in flags] == [
        ("C", ("je",), "high"),
        ("B", ("modal", "reference"), "warn"),
    ]
    assert flags[0].verdict.je_band == "6" and flags[0].je_score == 420


def _flag(ref: str, severity: str, wte: float | None, trust: str = "RRK") -> Flag:
    verdict = Verdict("5", "5", None, ("modal",), {"modal": 1}, severity)
    return Flag(trust, ref, "radiographer", "Rad", "6", None, wte, verdict)


def test_flags_sort_high_first_then_most_wte_in_post() -> None:
    flags = [
        _flag("w-big", "warn", 10.0),
        _flag("h-small", "high", 0.5),
        _flag("h-none", "high", None),
        _flag("h-big", "high", 3.0),
        _flag("w-small", "warn", 1.0),
    ]
    assert [f.jd_ref for f in sort_flags(flags)] == [
        "h-big",
        "h-small",
        "h-none",
        "w-big",
        "w-small",
    ]
    assert any_at_or_above(flags, "high")
    assert not any_at_or_above([_flag("w", "warn", 1.0)], "high")
    assert not any_at_or_above([], "warn")


# --- the command, on hand-made catalogues -----------------------------------------------------

ALL_ONES = [1] * 16  # 86 points: Band 1 (0-160)
BAND_2_PROFILE = [1, 5] + [1] * 14  # factor 2 at level 5: 86 - 16 + 120 = 190, Band 2


def _hand_jds() -> list[dict[str, Any]]:
    return [
        # sonographer (reference 6-7): 7, 7, 7 and one 6 at RJE -> mode 7, RJE warn.
        jd("RRK", "S1", "sonographer", "7", title="Sonographer", wte_in_post=3),
        jd("RL4", "S2", "sonographer", "7", title="Band 7 Sonographer", wte_in_post=2),
        jd("RKB", "S3", "sonographer", "7", title="Sonographer", wte_in_post=1),
        jd("RJE", "S4", "sonographer", "6", title="Sonographer [bold]MSK[/bold]", wte_in_post=5),
        # apprentice radiographer (3-4): tied 3 and 4 -> no mode, no flags.
        jd("RRK", "A1", "apprentice-radiographer", "3", wte_in_post=1),
        jd("RL4", "A2", "apprentice-radiographer", "4", wte_in_post=1),
        # diagnostic radiographer (5): 5, 5, 5 and a 7 at RKB -> two bands off: high.
        jd("RRK", "D1", "diagnostic-radiographer", "5", wte_in_post=10),
        jd("RL4", "D2", "diagnostic-radiographer", "5", wte_in_post=8),
        jd("RJE", "D3", "diagnostic-radiographer", "5", wte_in_post=6),
        jd("RKB", "D4", "diagnostic-radiographer", "7", wte_in_post=0.5),
        # imaging support worker (2-3): both at 2; I1's JE says Band 1, I2's Band 2.
        jd("RBK", "I1", "imaging-support-worker", "2", je_levels=ALL_ONES, wte_in_post=4),
        jd("RBK", "I2", "imaging-support-worker", "2", je_levels=BAND_2_PROFILE, wte_in_post=7),
        # Not flagged: a radiologist (medical pay) and an unmapped JD.
        jd("RRK", "M1", "consultant-radiologist", None, title="Consultant Radiologist"),
        jd("RRK", "U1", None, "5", title="Radiographer (unmapped)"),
    ]


@pytest.fixture
def hand_db(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(reference_db, tmp_path, _hand_jds())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def variation_json(
    capsys: pytest.CaptureFixture[str], db: Path, *options: str
) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "variation", "--db", str(db), "--format", "json", *options)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_variation_json_on_a_hand_made_catalogue(
    hand_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = variation_json(capsys, hand_db)
    assert code == 0  # findings alone never fail without --fail-on
    roles = {r["role"]: r for r in report["roles"]}
    assert roles["sonographer"]["bands"] == {"6": 1, "7": 3}
    assert roles["sonographer"]["modal_band"] == "7"
    assert roles["sonographer"]["spread"] == 1
    assert roles["sonographer"]["titles"] == {
        "Sonographer": 2,
        "Band 7 Sonographer": 1,
        "Sonographer [bold]MSK[/bold]": 1,
    }
    assert roles["apprentice-radiographer"]["modal_band"] is None
    assert roles["diagnostic-radiographer"]["spread"] == 2  # 5 to 7
    assert roles["consultant-radiologist"]["bands"] == {}
    assert roles["consultant-radiologist"]["modal_band"] is None

    flags = [(f["trust"], f["jd_ref"], f["reasons"], f["severity"]) for f in report["flags"]]
    # High first (D4 two bands off; I1 a JE disagreement), by WTE in post (I1 4 > D4 0.5);
    # then the warning.
    assert flags == [
        ("RBK", "I1", ["je"], "high"),
        ("RKB", "D4", ["modal", "reference"], "high"),
        ("RJE", "S4", ["modal"], "warn"),
    ]
    i1 = report["flags"][0]
    assert i1["je_score"] == 86 and i1["je_band"] == "1" and i1["band"] == "2"
    assert i1["modal_band"] == "2" and i1["reference_band"] == "2-3"
    d4 = report["flags"][1]
    assert d4["modal_band"] == "5" and d4["reference_band"] == "5" and d4["distance"] == 2
    assert d4["wte_in_post"] == 0.5 and d4["je_band"] is None
    assert report["skipped"] == {"unmapped": 1, "no_band": 1}
    expected_keys = {
        "trust",
        "jd_ref",
        "role",
        "title",
        "band",
        "modal_band",
        "reference_band",
        "je_band",
        "reasons",
        "severity",
        "wte_in_post",
    }
    assert expected_keys <= set(i1)
    assert {"role", "bands", "modal_band", "spread", "titles"} <= set(report["roles"][0])


def test_fail_on_exit_codes(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert variation_json(capsys, hand_db, "--fail-on", "warn")[0] == 1
    assert variation_json(capsys, hand_db, "--fail-on", "high")[0] == 1
    # Only sonographer's RJE warning: high finds nothing, warn finds it.
    assert variation_json(capsys, hand_db, "--role", "sonographer", "--fail-on", "high")[0] == 0
    assert variation_json(capsys, hand_db, "--role", "sonographer", "--fail-on", "warn")[0] == 1


def test_with_a_trust_the_mode_stays_the_networks(
    hand_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # RJE's only sonographer is a 6: on its own it would be its mode; the network's is 7.
    _, report = variation_json(capsys, hand_db, "--trust", "rje")
    assert [(f["trust"], f["jd_ref"]) for f in report["flags"]] == [("RJE", "S4")]
    assert report["flags"][0]["modal_band"] == "7"
    roles = {r["role"]: r for r in report["roles"]}
    assert set(roles) == {"sonographer", "diagnostic-radiographer"}  # the roles RJE has
    assert roles["sonographer"]["bands"] == {"6": 1, "7": 3}  # network-wide
    assert report["trust"] == "RJE"
    assert report["skipped"] == {"unmapped": 0, "no_band": 0}  # RJE has neither


def test_role_and_staff_group_filters(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, report = variation_json(capsys, hand_db, "--role", "diagnostic-radiographer")
    assert [r["role"] for r in report["roles"]] == ["diagnostic-radiographer"]
    assert [f["jd_ref"] for f in report["flags"]] == ["D4"]
    assert report["skipped"] == {"unmapped": 0, "no_band": 0}

    _, report = variation_json(capsys, hand_db, "--staff-group", "radiology-medical")
    assert [r["role"] for r in report["roles"]] == ["consultant-radiologist"]
    assert report["flags"] == []
    assert report["skipped"] == {"unmapped": 0, "no_band": 1}

    _, report = variation_json(capsys, hand_db, "--staff-group", "sonography")
    assert {r["role"] for r in report["roles"]} == {"sonographer"}
    assert [f["jd_ref"] for f in report["flags"]] == ["S4"]


def test_an_empty_catalogue_has_no_roles_no_flags_and_passes(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = variation_json(capsys, empty_catalogue, "--fail-on", "warn")
    assert code == 0
    assert report["roles"] == [] and report["flags"] == []
    assert report["skipped"] == {"unmapped": 0, "no_band": 0}
    code, out, _ = run(capsys, "variation", "--db", str(empty_catalogue))
    assert code == 0 and "0 flag(s)" in out


def test_unknown_role_group_or_trust_is_bad_input(
    hand_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "variation", "--db", str(hand_db), "--role", "sonographr")
    assert code == 2 and "sonographr" in err and "sonographer" in err
    code, _, err = run(capsys, "variation", "--db", str(hand_db), "--staff-group", "nope")
    assert code == 2 and "staff group" in err
    code, _, err = run(capsys, "variation", "--db", str(hand_db), "--trust", "XYZ")
    assert code == 2 and "trust" in err


def test_table_and_csv_output(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "variation", "--db", str(hand_db))
    assert code == 0
    assert "[bold]MSK[/bold]" in out  # title text is printed literally, never as markup
    assert "tied" in out  # apprentice radiographer's mode
    assert "3 flag(s), 2 high" in out and "1 unmapped" in out

    code, out, _ = run(
        capsys, "variation", "--db", str(hand_db), "--limit", "1", "--fail-on", "warn"
    )
    assert code == 1  # --fail-on judges every flag, not only those shown
    assert "Showing the first 1" in out and "I1" in out and "S4" not in out

    code, out, _ = run(capsys, "variation", "--db", str(hand_db), "--format", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("severity,trust,jd_ref,title,role")
    assert len(lines) == 4
    assert "modal;reference" in lines[2]


def test_variation_does_not_write_the_catalogue(
    hand_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hand_db.read_bytes()
    variation_json(capsys, hand_db, "--trust", "RRK")
    assert hand_db.read_bytes() == before


# --- the command, on the bundled (illustrative) catalogue --------------------------------------


def test_bundled_catalogue_flags_what_it_was_built_to_show(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = variation_json(capsys, packaged_db)
    roles = {r["role"]: r for r in report["roles"]}
    flags = report["flags"]

    # Reporting radiographers at band 6 at RBK and RLT: off the mode (7) and the reference (7).
    reporting = {f["trust"] for f in flags if f["role"] == "reporting-radiographer"}
    assert {"RBK", "RLT"} <= reporting
    for flag in flags:
        if flag["role"] == "reporting-radiographer" and flag["band"] == "6":
            assert {"modal", "reference"} <= set(flag["reasons"])

    # Every band-6 sonographer is flagged against the network's mode of 7.
    assert roles["sonographer"]["modal_band"] == "7"
    sixes = [f for f in flags if f["role"] == "sonographer" and f["band"] == "6"]
    assert len(sixes) == roles["sonographer"]["bands"]["6"]
    assert all("modal" in f["reasons"] for f in sixes)

    # Apprentice radiographers tie 3 and 4: no modal band and no modal flags.
    assert roles["apprentice-radiographer"]["modal_band"] is None
    assert not [
        f for f in flags if f["role"] == "apprentice-radiographer" and "modal" in f["reasons"]
    ]

    # JE disagreements are high; the order is severity, then WTE in post.
    assert all(f["severity"] == "high" for f in flags if "je" in f["reasons"])
    order = [(f["severity"] != "high", -(f["wte_in_post"] or 0)) for f in flags]
    assert order == sorted(order)


def test_bundled_je_flags_match_the_stored_scores(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Worked out another way: a JD's JE band differs from its band exactly when its stored
    # score lies outside its band's JE range.
    conn = sqlite3.connect(packaged_db)
    try:
        expected = {
            (trust, ref)
            for trust, ref in conn.execute(
                "SELECT j.trust, j.jd_ref FROM job_description j JOIN band b ON b.code = j.band "
                "WHERE j.role IS NOT NULL AND j.je_score IS NOT NULL "
                "AND j.je_score NOT BETWEEN b.je_min AND b.je_max"
            )
        }
        unmapped = conn.execute(
            "SELECT COUNT(*) FROM job_description WHERE role IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    _, report = variation_json(capsys, packaged_db)
    found = {(f["trust"], f["jd_ref"]) for f in report["flags"] if "je" in f["reasons"]}
    assert found == expected and expected
    assert report["skipped"]["unmapped"] == unmapped


# --- the summary and the flag list agree ------------------------------------------------------

# Factor 1 at level 6 (60), factor 2 at level 8 (240) and factor 10 at level 7 (60), the rest
# at level 1: 86 - 5 - 16 - 4 + 60 + 240 + 60 = 421, inside Band 6 (396-465).
BAND_6_PROFILE = [6, 8] + [1] * 7 + [7] + [1] * 6
TOP_LEVELS = [6, 8, 5, 5, 5, 8, 6, 6, 6, 7, 6, 6, 5, 5, 4, 5]  # 1000 points: beyond Band 9


def _mixed_jds() -> list[dict[str, Any]]:
    """JE disagreements inside pairs flagged as a whole and outside them, a JE agreement in a
    flagged pair, a score beyond Band 9, a flagged JD with no WTE given."""
    return [
        # diagnostic radiographer (reference 5): four at 5, three at 7 -> mode 5.
        jd("RRK", "D1", "diagnostic-radiographer", "5", je_levels=ALL_ONES, wte_in_post=10),
        jd("RL4", "D2", "diagnostic-radiographer", "5", wte_in_post=8),
        jd("RJE", "D3", "diagnostic-radiographer", "5", wte_in_post=6),
        jd("RKB", "D7", "diagnostic-radiographer", "5", wte_in_post=1),
        jd("RKB", "D4", "diagnostic-radiographer", "7", je_levels=ALL_ONES, wte_in_post=0.5),
        jd("RJE", "D5", "diagnostic-radiographer", "7"),  # no WTE given
        jd("RL4", "D6", "diagnostic-radiographer", "7", je_levels=TOP_LEVELS, wte_in_post=2),
        # sonographer (reference 6-7): four at 7, three at 6 -> mode 7.
        jd("RRK", "S1", "sonographer", "7", wte_in_post=1),
        jd("RL4", "S2", "sonographer", "7", wte_in_post=1),
        jd("RKB", "S3", "sonographer", "7", wte_in_post=1),
        jd("RBK", "S7", "sonographer", "7", wte_in_post=1),
        jd("RJE", "S4", "sonographer", "6", je_levels=ALL_ONES, wte_in_post=1),
        jd("RKB", "S5", "sonographer", "6", wte_in_post=5),
        jd("RRK", "S6", "sonographer", "6", je_levels=BAND_6_PROFILE, wte_in_post=3),
        # apprentice radiographer (3-4): tied, so no mode; A1's JE says Band 1.
        jd("RBK", "A1", "apprentice-radiographer", "3", je_levels=ALL_ONES, wte_in_post=1.5),
        jd("RRK", "A2", "apprentice-radiographer", "4", wte_in_post=1),
        jd("RRK", "M1", "consultant-radiologist", None),
        jd("RJE", "U1", None, "5", title="Radiographer (unmapped)"),
    ]


@pytest.fixture
def mixed_db(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(reference_db, tmp_path, _mixed_jds(), name="mixed.db")


def _tally(flags: int, wte: float) -> dict[str, Any]:
    return {"flags": flags, "wte_in_post": wte}


def test_the_summary_counts_flags_by_severity_reason_and_role(
    mixed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = variation_json(capsys, mixed_db)
    # Worked out by hand (see _mixed_jds):
    #   D1 je (10), D4 modal+reference+je (0.5), D5 modal+reference, two bands off (no WTE),
    #   D6 modal+reference+je beyond Band 9 (2), S4 modal+je (1), A1 je (1.5): high;
    #   S5 modal (5), S6 modal with its JE agreeing (3): warn.
    assert report["summary"] == {
        **_tally(8, 23.0),
        "by_severity": {"high": _tally(6, 15.0), "warn": _tally(2, 8.0)},
        "by_reason": {
            "modal": _tally(6, 11.5),
            "reference": _tally(3, 2.5),
            "je": _tally(5, 15.0),
        },
    }
    roles = {r["role"]: r for r in report["roles"]}
    assert roles["diagnostic-radiographer"]["flag_counts"]["by_severity"] == {
        "high": _tally(4, 12.5),
        "warn": _tally(0, 0.0),
    }
    assert roles["sonographer"]["flag_counts"]["by_severity"] == {
        "high": _tally(1, 1.0),
        "warn": _tally(2, 8.0),
    }
    assert roles["apprentice-radiographer"]["flag_counts"]["by_reason"]["je"] == _tally(1, 1.5)
    assert roles["consultant-radiologist"]["flag_counts"]["flags"] == 0
    # The list holds the same flags, high first by WTE (none given counts 0), then the warnings.
    order = [f["jd_ref"] for f in report["flags"]]
    assert order == ["D1", "D6", "A1", "S4", "D4", "D5", "S5", "S6"]
    by_ref = {f["jd_ref"]: f for f in report["flags"]}
    assert by_ref["D6"]["je_band"] is None  # beyond Band 9, not clamped
    assert by_ref["D6"]["reasons"] == ["modal", "reference", "je"]
    assert by_ref["S6"]["je_band"] == "6" and by_ref["S6"]["reasons"] == ["modal"]

    _, report = variation_json(capsys, mixed_db, "--trust", "RJE")
    assert report["summary"]["by_severity"] == {"high": _tally(2, 1.0), "warn": _tally(0, 0.0)}
    assert [f["jd_ref"] for f in report["flags"]] == ["S4", "D5"]
    assert report["skipped"] == {"unmapped": 1, "no_band": 0}


def _counts_from_flags(flags: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary's counts worked out from a list of flags, as the JSON gives them."""

    def tally(chosen: list[dict[str, Any]]) -> dict[str, Any]:
        return _tally(len(chosen), sum(f["wte_in_post"] or 0 for f in chosen))

    return {
        **tally(flags),
        "by_severity": {
            s: tally([f for f in flags if f["severity"] == s]) for s in ("high", "warn")
        },
        "by_reason": {
            r: tally([f for f in flags if r in f["reasons"]]) for r in ("modal", "reference", "je")
        },
    }


def _assert_counts_equal(counted: dict[str, Any], expected: dict[str, Any]) -> None:
    assert counted["flags"] == expected["flags"]
    assert counted["wte_in_post"] == pytest.approx(expected["wte_in_post"])
    for part in ("by_severity", "by_reason"):
        assert counted[part].keys() == expected[part].keys()
        for name in expected[part]:
            assert counted[part][name]["flags"] == expected[part][name]["flags"], (part, name)
            assert counted[part][name]["wte_in_post"] == pytest.approx(
                expected[part][name]["wte_in_post"]
            )


SCOPES: list[tuple[str, ...]] = [
    (),
    ("--trust", "RJE"),
    ("--trust", "RKB"),
    ("--role", "sonographer"),
    ("--staff-group", "radiography"),
    ("--staff-group", "radiography", "--trust", "RRK"),
]


@pytest.mark.parametrize("catalogue", ["hand_db", "mixed_db", "packaged_db"])
@pytest.mark.parametrize("options", SCOPES)
def test_the_summary_counts_exactly_the_flags_listed(
    catalogue: str,
    options: tuple[str, ...],
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, report = variation_json(capsys, request.getfixturevalue(catalogue), *options)
    flags = report["flags"]
    _assert_counts_equal(report["summary"], _counts_from_flags(flags))
    for role in report["roles"]:
        mine = [f for f in flags if f["role"] == role["role"]]
        _assert_counts_equal(role["flag_counts"], _counts_from_flags(mine))
    # Every flag's role is among the roles listed (with a trust: the roles it has JDs in).
    assert {f["role"] for f in flags} <= {r["role"] for r in report["roles"]}


@pytest.mark.parametrize("catalogue", ["hand_db", "mixed_db", "packaged_db"])
@pytest.mark.parametrize("trust", [None, "RKB"])
def test_pages_of_flags_are_the_full_list_in_order(
    catalogue: str, trust: str | None, request: pytest.FixtureRequest
) -> None:
    db = open_catalogue(request.getfixturevalue(catalogue))
    try:
        summary = variation_summary(db, trust=trust)
        full = list(list_flags(db, summary.rules, trust=trust))
        assert len(full) == summary.flags.total.flags
        # SQL orders the list as sort_flags does: severity, WTE in post, trust, reference.
        assert full == sort_flags(full)
        assert all(f.trust == trust for f in full) or trust is None
        for size in (1, 3, 50):
            pages: list[Flag] = []
            for offset in range(0, len(full) + size, size):
                pages += list(list_flags(db, summary.rules, trust=trust, limit=size, offset=offset))
            assert pages == full, size
        # The rules alone (no summary) page the same list.
        rules = load_flag_rules(db)
        assert list(list_flags(db, rules, trust=trust, limit=5, offset=1)) == full[1:6]
        assert list(list_flags(db, summary.rules, trust=trust, limit=0)) == []
        beyond = list_flags(db, summary.rules, trust=trust, limit=5, offset=len(full) + 10)
        assert list(beyond) == []
    finally:
        db.close()


def test_paging_refuses_a_negative_limit_or_offset(hand_db: Path) -> None:
    db = open_catalogue(hand_db)
    try:
        rules = load_flag_rules(db)
        with pytest.raises(ValueError, match="negative"):
            list_flags(db, rules, limit=-1)
        with pytest.raises(ValueError, match="negative"):
            list_flags(db, rules, offset=-5)
    finally:
        db.close()


@pytest.mark.parametrize("options", [(), ("--trust", "RBK"), ("--role", "sonographer")])
def test_json_and_csv_stream_what_the_whole_report_holds(
    packaged_db: Path, options: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    # Worked out another way: the report held in memory, printed as write_json and emit do.
    db = open_catalogue(packaged_db)
    try:
        trust = options[1] if options[:1] == ("--trust",) else None
        role = options[1] if options[:1] == ("--role",) else None
        report = variation(db, trust=trust, role=role)
        roles = load_roles(db)
    finally:
        db.close()
    expected = report_as_dict(report, roles)
    code, out, _ = run(capsys, "variation", "--db", str(packaged_db), "--format", "json", *options)
    assert code == 0 and json.loads(out) == expected
    assert expected["flags"]  # the bundled data has flags in each of these scopes
    # A flag a line (written by the C encoder; grep finds a flag's whole record).
    flag_lines = [line for line in out.splitlines() if line.startswith('    {"trust": ')]
    assert len(flag_lines) == len(expected["flags"])

    rows = []
    for flag in report.flags:
        row = flag_as_dict(flag, roles)
        row["reasons"] = ";".join(row["reasons"])
        rows.append(row)
    code, out, _ = run(capsys, "variation", "--db", str(packaged_db), "--format", "csv", *options)
    assert code == 0
    assert out == rows_to_csv(rows, list(CSV_FLAG_COLUMNS))


def test_json_with_no_flags_is_still_the_same_shape(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "variation", "--db", str(empty_catalogue), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["flags"] == [] and data["summary"]["flags"] == 0
    assert '"flags": []' in out


def test_the_table_shows_flagged_roles_and_their_counts(
    hand_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "variation", "--db", str(hand_db))
    assert code == 0
    # Imaging support workers share one band and one title, but I1's JE disagrees: shown.
    assert "imaging-support-worker" in out
    assert "high 1 (4 WTE)" in out  # I1, 4 WTE in post
    assert "warn 1 (5 WTE)" in out  # sonographer S4
    assert "WTE in post 9.5 flagged" in out


def test_flag_wte_by_severity_adds_up_to_the_total_as_shown(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1.334 WTE each: a high and a warn flag of 1.33 as shown, 2.66 added up; 2.668 (shown
    # 2.67) summed before rounding. Each JD's WTE is rounded before adding (issue 12).
    rows = [jd("RRK", f"M{n}", "sonographer", "7", wte_in_post=1) for n in range(4)]
    rows += [
        jd("RL4", "W", "sonographer", "6", wte_in_post=1.334),  # one band off: warn
        jd("RJE", "H", "sonographer", "5", wte_in_post=1.334),  # two bands off: high
    ]
    db = make_catalogue(reference_db, tmp_path, rows)
    code, out, _ = run(capsys, "variation", "--db", str(db), "--format", "json")
    assert code == 0
    summary = json.loads(out)["summary"]
    parts = [tally["wte_in_post"] for tally in summary["by_severity"].values()]
    assert sorted(parts) == [1.33, 1.33]
    assert summary["wte_in_post"] == pytest.approx(sum(parts))
