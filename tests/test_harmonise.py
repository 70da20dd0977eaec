"""The harmonisation plan: who moves, what it costs, and the command that shows it.

Salaries below are the catalogue's 2025/26 (and 2024/25) AfC figures from
catalogue/data/bands.toml, written out so each expected cost is worked by hand in the test. A
test that costs at those figures names its pay year, so a newer year in the catalogue (which
plans use by default) leaves it as it is; the default itself is tested on its own.
"""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest

from catalogue.reference import DATA_DIR
from catalogue.scenarios import ScenarioAssumptions
from catalogue.store import open_catalogue
from pathways.harmonise import (
    Assumptions,
    HarmonisationError,
    HarmonisationResult,
    MissingPayError,
    Target,
    compute_plan,
    modal_bands,
    plan_harmonisation,
    protection_note,
    whole_pounds,
)
from pathways.records import JD, load_jds
from tests.factories import jd, make_catalogue
from workforce_cli.main import main

# 2025/26, from catalogue/data/bands.toml.
B2_ENTRY = 24465
B3_ENTRY, B3_TOP = 24937, 26598
B4_ENTRY, B4_TOP = 27485, 30162
B5_TOP = 37796
B6_TOP = 46580
B7_TOP = 54710
B8A_TOP, B8B_TOP = 62682, 74896
# 2024/25: only Bands 2-5 have pay in the catalogue.
B3_TOP_2425, B4_TOP_2425 = 25674, 29114
# 2026/27, the latest year: DERIVED as the 2025/26 figure x 1.033, to the nearest pound.
B5_TOP_2627, B6_TOP_2627 = 39043, 48117


def choices(**given: object) -> ScenarioAssumptions:
    return ScenarioAssumptions.model_validate(given)


def plan(path: Path, targets: list[tuple[str, str | None]], **given: object) -> HarmonisationResult:
    db = open_catalogue(path)
    try:
        return plan_harmonisation(db, targets, choices(**given))
    finally:
        db.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---- costs on hand-made catalogues ----


def test_a_jd_moved_up_costs_the_pay_difference_with_on_costs(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "UP", "sonographer", "5", wte_funded=2, wte_in_post=2),
            jd("RL4", "SAME", "sonographer", "6", wte_funded=1, wte_in_post=1),
        ],
    )
    result = plan(path, [("sonographer", "6")], on_costs=0.25, pay_year="2025/26")

    expected = (B6_TOP - B5_TOP) * 2 * (1 + 0.25)
    assert result.total.annual_cost == pytest.approx(expected)
    assert (result.total.moved_up.jds, result.total.moved_up.wte) == (1, 2)
    assert (result.total.unchanged.jds, result.total.unchanged.wte) == (1, 1)
    assert result.total.moved_down.jds == 0
    by_trust = {t.trust: t.summary.annual_cost for t in result.by_trust}
    assert by_trust == {"RRK": pytest.approx(expected), "RL4": 0}
    data = result.to_dict()
    assert data["annual_cost"] == round(expected) and isinstance(data["annual_cost"], int)
    assert data["moved_up"] == {"jds": 1, "wte": 2}
    assert data["assumptions"] == {
        "pay_year": "2025/26",
        "pay_point": "top",
        "on_costs": 0.25,
        "on_costs_basis": "given for this plan",
        "protection": True,
        "basis": "in_post",
    }
    assert [m["jd_ref"] for m in data["moves"]] == ["UP"]


def test_moved_down_costs_nothing_under_protection_and_saves_without(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "D", "sonographer", "7", wte_in_post=1.5)]
    )
    saving = whole_pounds((B7_TOP - B6_TOP) * 1.5 * (1 + 0.3))  # a JD's cost: whole pounds

    protected = plan(path, [("sonographer", "6")], on_costs=0.3, pay_year="2025/26")
    assert protected.total.annual_cost == 0
    assert (protected.total.moved_down.jds, protected.total.moved_down.wte) == (1, 1.5)
    assert protected.total.protected_wte == 1.5
    assert protected.total.protection_cost == pytest.approx(saving)

    unprotected = plan(
        path, [("sonographer", "6")], on_costs=0.3, protection=False, pay_year="2025/26"
    )
    assert unprotected.total.annual_cost == pytest.approx(-saving)
    assert unprotected.total.protected_wte == 0
    assert unprotected.total.protection_cost == pytest.approx(saving)  # what protection would cost
    assert unprotected.to_dict()["annual_cost"] == whole_pounds(-saving) < 0


def test_bands_8a_and_8b_are_ordered_by_band_not_text(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "consultant-radiographer", "8a", wte_in_post=1),
            jd("RL4", "B", "consultant-radiographer", "8b", wte_in_post=1),
            jd("RJE", "C", "consultant-sonographer", "7", wte_in_post=1),
            jd("RKB", "D", "consultant-sonographer", "8b", wte_in_post=1),
        ],
    )
    result = plan(
        path,
        [("consultant-radiographer", "8b"), ("consultant-sonographer", "8a")],
        on_costs=0,
        protection=False,
        pay_year="2025/26",
    )
    moves = {m.jd.jd_ref: m for m in result.moves}
    assert moves["A"].direction == "up" and moves["B"].direction == "unchanged"
    assert moves["C"].direction == "up" and moves["D"].direction == "down"
    assert moves["A"].cost == B8B_TOP - B8A_TOP
    assert moves["C"].cost == B8A_TOP - B7_TOP
    assert moves["D"].cost == B8A_TOP - B8B_TOP
    roles = {r.target.role: r for r in result.roles}
    assert roles["consultant-sonographer"].bands_before == {"7": 1, "8b": 1}


def test_a_role_with_no_jds_costs_nothing_and_has_no_modal_band(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(reference_db, tmp_path, [jd("RRK", "S", "sonographer", "6")])
    result = plan(path, [("mammographer", "6")])
    assert result.total.annual_cost == 0 and result.moves == []
    (role,) = result.roles
    assert role.target.role == "mammographer" and role.bands_before == {}
    assert result.to_dict()["by_trust"] == []
    with pytest.raises(HarmonisationError, match="mammographer has no JDs"):
        plan(path, [("mammographer", None)])


def test_basis_funded_or_in_post_and_missing_wte_counts_as_zero(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6", wte_funded=3, wte_in_post=2),
            jd("RL4", "B", "sonographer", "6", wte_funded=1),  # nobody in post recorded
        ],
    )
    step = (B7_TOP - B6_TOP) * (1 + 0.2)
    in_post = plan(path, [("sonographer", "7")], on_costs=0.2, pay_year="2025/26")
    funded = plan(path, [("sonographer", "7")], on_costs=0.2, basis="funded", pay_year="2025/26")
    assert in_post.total.annual_cost == pytest.approx(step * 2)
    assert funded.total.annual_cost == pytest.approx(step * (3 + 1))
    assert in_post.total.moved_up.jds == 2 and in_post.total.moved_up.wte == 2
    assert in_post.total.jds_without_wte == 1 and funded.total.jds_without_wte == 0
    assert any("no WTE in post" in note for note in in_post.notes)
    moves = {m["jd_ref"]: m for m in in_post.to_dict()["moves"]}
    assert moves["B"]["wte"] is None and moves["A"]["wte"] == 2


def test_plans_cost_at_the_latest_pay_year_by_default(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db, tmp_path, [jd("RRK", "A", "sonographer", "5", wte_in_post=1)]
    )
    with (DATA_DIR / "bands.toml").open("rb") as handle:
        latest = max(point["pay_year"] for point in tomllib.load(handle)["pay_point"])
    default = plan(path, [("sonographer", "6")], on_costs=0)
    assert default.assumptions.pay_year == latest
    named = plan(path, [("sonographer", "6")], on_costs=0, pay_year=latest)
    assert default.total == named.total

    # 2026/27 (derived) costs the move at its own figures, not at 2025/26's.
    derived = plan(path, [("sonographer", "6")], on_costs=0, pay_year="2026/27")
    assert derived.total.annual_cost == B6_TOP_2627 - B5_TOP_2627 == 9074
    assert derived.total.annual_cost != B6_TOP - B5_TOP


def test_a_pay_year_without_pay_for_a_band_is_refused_naming_the_bands(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "5", wte_in_post=1),
            jd("RL4", "B", "imaging-booking-coordinator", "3", wte_in_post=1),
        ],
    )
    with pytest.raises(MissingPayError) as refused:
        plan(path, [("sonographer", "6")], pay_year="2024/25")
    message = str(refused.value)
    assert "no pay for Band 6 in 2024/25" in message
    assert "Band 2, Band 3, Band 4, Band 5" in message  # the bands that do have pay that year

    # Bands 3 and 4 have 2024/25 pay: the same year costs a move between them.
    result = plan(path, [("imaging-booking-coordinator", "4")], pay_year="2024/25", on_costs=0)
    assert result.total.annual_cost == B4_TOP_2425 - B3_TOP_2425
    assert result.assumptions.pay_year == "2024/25"
    with pytest.raises(HarmonisationError, match="2023/24"):
        plan(path, [("sonographer", "6")], pay_year="2023/24")


def test_pay_points_fall_back_to_the_nearest_lower_point(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "imaging-booking-coordinator", "3", wte_in_post=1),
            jd("RL4", "B", "imaging-support-worker", "2", wte_in_post=1),
        ],
    )
    # Bands 3 and 4 have no intermediate point: 'mid' is their entry point.
    mid = plan(
        path,
        [("imaging-booking-coordinator", "4")],
        pay_point="mid",
        on_costs=0,
        pay_year="2025/26",
    )
    assert mid.total.annual_cost == B4_ENTRY - B3_ENTRY
    # Band 2 has a single point: its 'top' is its entry.
    top = plan(path, [("imaging-support-worker", "3")], on_costs=0, pay_year="2025/26")
    assert top.total.annual_cost == B3_TOP - B2_ENTRY
    assert top.assumptions.pay_point == "top"


def test_money_is_rounded_per_jd_so_tables_add_up(reference_db: Path, tmp_path: Path) -> None:
    """Each JD's cost is rounded once and the totals add those whole pounds: a total beside
    rounded parts is their sum (issue 12: a by-trust table summing to one pound more than the
    total shown beside it)."""
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "5", wte_in_post=1),
            jd("RL4", "B", "sonographer", "5", wte_in_post=1),
            jd("RJE", "C", "sonographer", "5", wte_in_post=1),
        ],
    )
    rate = 0.3878
    each = (B6_TOP - B5_TOP) * 1 * (1 + rate)  # 12190.4352: three of them round apart
    assert round(each * 3) != 3 * round(each)  # the case where rounding at the end differs
    result = plan(path, [("sonographer", "6")], on_costs=rate, pay_year="2025/26")
    data = result.to_dict()
    by_trust = [t["annual_cost"] for t in data["by_trust"]]
    assert by_trust == [whole_pounds(each)] * 3
    assert data["annual_cost"] == sum(by_trust) == sum(m["annual_cost"] for m in data["moves"])
    assert sum(r["annual_cost"] for r in data["roles"]) == data["annual_cost"]


def test_modal_band_by_default_and_refusals(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "7", wte_in_post=1),
            jd("RL4", "B", "sonographer", "7", wte_in_post=1),
            jd("RJE", "C", "sonographer", "6", wte_in_post=1),
            jd("RRK", "D", "apprentice-radiographer", "3", wte_in_post=1),
            jd("RL4", "E", "apprentice-radiographer", "4", wte_in_post=1),
        ],
    )
    result = plan(path, [("sonographer", None)], on_costs=0, pay_year="2025/26")
    (target,) = result.targets
    assert target == Target("sonographer", "7", "modal")
    assert result.total.annual_cost == B7_TOP - B6_TOP

    with pytest.raises(HarmonisationError) as tied:
        plan(path, [("apprentice-radiographer", None)])
    assert "tied" in str(tied.value) and "Band 3 and Band 4" in str(tied.value)
    with pytest.raises(HarmonisationError, match="medical and dental pay"):
        plan(path, [("consultant-radiologist", None)])
    with pytest.raises(HarmonisationError, match="unknown role 'sonograper'.*sonographer"):
        plan(path, [("sonograper", "6")])
    with pytest.raises(HarmonisationError, match="Band 55|'55' is not a band"):
        plan(path, [("sonographer", "55")])
    with pytest.raises(HarmonisationError, match="more than once"):
        plan(path, [("sonographer", "6"), ("sonographer", "7")])


def test_several_roles_add_up_by_trust_and_role(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "S1", "sonographer", "6", wte_in_post=1),
            jd("RRK", "I1", "imaging-support-worker", "2", wte_in_post=4),
            jd("RL4", "I2", "imaging-support-worker", "2", wte_in_post=2),
            jd("RL4", "X", "diagnostic-radiographer", "5", wte_in_post=9),  # not a target
        ],
    )
    result = plan(
        path,
        [("sonographer", "7"), ("imaging-support-worker", "3")],
        on_costs=0.1,
        pay_year="2025/26",
    )
    sono = whole_pounds((B7_TOP - B6_TOP) * 1 * 1.1)  # each JD's cost in whole pounds
    isw = (B3_TOP - B2_ENTRY) * 1.1
    trusts = {t.trust: t.summary for t in result.by_trust}
    assert trusts["RRK"].annual_cost == sono + whole_pounds(isw * 4)
    assert trusts["RL4"].annual_cost == whole_pounds(isw * 2)
    roles = {r.target.role: r.summary for r in result.roles}
    assert roles["imaging-support-worker"].moved_up.wte == 6
    assert result.total.annual_cost == sono + whole_pounds(isw * 4) + whole_pounds(isw * 2)
    assert {m.jd.jd_ref for m in result.moves} == {"S1", "I1", "I2"}


def test_the_default_on_cost_rate_is_the_documented_one(reference_db: Path, tmp_path: Path) -> None:
    with (DATA_DIR / "settings.toml").open("rb") as handle:
        settings = tomllib.load(handle)["on_costs"]
    documented = sum(part["rate"] for part in settings["component"])
    assert all(part["source"] for part in settings["component"])
    path = make_catalogue(reference_db, tmp_path, [jd("RRK", "A", "sonographer", "6")])
    result = plan(path, [("sonographer", "7")])
    assert result.assumptions.on_costs == pytest.approx(documented)
    assert "ASSUMPTION" in result.assumptions.on_costs_basis

    # A catalogue built before the rate was stored in it uses the packaged settings, saying so.
    older = Path(shutil.copy(path, tmp_path / "older.db"))
    conn = sqlite3.connect(older)
    conn.execute("DELETE FROM catalogue_meta WHERE key LIKE 'on_costs%'")
    conn.commit()
    conn.close()
    fallback = plan(older, [("sonographer", "7")])
    assert fallback.assumptions.on_costs == pytest.approx(documented)
    assert "packaged settings.toml" in fallback.assumptions.on_costs_basis


# ---- the pure function on hand-made records ----


def record(ref: str, role: str, band: str, wte: float | None) -> JD:
    """A JD record made by hand (no catalogue): WTE funded and in post both `wte`."""
    return JD(0, "RRK", ref, role, role, band, wte, wte, None, None, "")


def test_compute_plan_on_plain_records() -> None:
    salaries = {("5", "top"): 100, ("6", "top"): 160, ("7", "top"): 200, ("5", "entry"): 90}
    jds = [
        record("a", "r1", "5", 2.0),
        record("b", "r1", "7", 1.0),
        record("c", "r2", "5", 1.0),  # not a target role
    ]
    assumptions = Assumptions(pay_year="2025/26", on_costs=0.5, protection=False)
    result = compute_plan(jds, [Target("r1", "6")], salaries, assumptions)
    assert result.total.annual_cost == pytest.approx((160 - 100) * 2 * 1.5 + (160 - 200) * 1 * 1.5)
    assert [m.jd.jd_ref for m in result.moves] == ["a", "b"]
    with pytest.raises(MissingPayError, match="Band 8a"):
        compute_plan(jds, [Target("r1", "8a")], salaries, assumptions)


def test_modal_bands_lists_every_tied_band_low_to_high() -> None:
    jds = [record("a", "r", "8b", 1), record("b", "r", "8a", 1), record("c", "r", "5", 1)]
    assert modal_bands(jds) == ["5", "8a", "8b"]
    assert modal_bands(jds[:1] + jds) == ["8b"]
    assert modal_bands([]) == []


# ---- the bundled catalogue ----


def test_bundled_support_workers_to_band_3(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        at_band_2 = [j for j in load_jds(db, role="imaging-support-worker") if j.band == "2"]
        result = plan_harmonisation(
            db, [("imaging-support-worker", "3")], choices(pay_year="2025/26")
        )
    finally:
        db.close()
    wte = sum(j.wte_in_post or 0 for j in at_band_2)
    expected = (B3_TOP - B2_ENTRY) * wte * (1 + result.assumptions.on_costs)
    assert at_band_2 and result.total.moved_up.jds == len(at_band_2)
    assert result.total.annual_cost == pytest.approx(expected)
    assert result.total.moved_down.jds == 0


# ---- the command ----


def test_harmonise_command_json_and_table(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "5", wte_in_post=2, title="Sono [bold]x[/bold]"),
            jd("RL4", "B", "sonographer", "7", wte_in_post=1),
        ],
    )
    db = str(path)
    code, out, _ = run(
        capsys, "harmonise", "--db", db, "--role", "sonographer", "--band", "6",
        "--pay-year", "2025/26", "--on-costs", "25%", "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["annual_cost"] == round((B6_TOP - B5_TOP) * 2 * 1.25)
    assert data["moved_down"] == {"jds": 1, "wte": 1}
    # 8130 x 1.25 = 10162.5: half a pound rounds up (not to even, as round() would).
    assert data["protection_cost"] == math.floor((B7_TOP - B6_TOP) * 1 * 1.25 + 0.5)
    assert set(data) >= {"annual_cost", "moved_up", "moved_down", "unchanged", "by_trust",
                         "roles", "assumptions"}  # fmt: skip
    assert data["assumptions"]["on_costs"] == 0.25

    code, out, _ = run(
        capsys, "harmonise", "--db", db, "--role", "sonographer", "--band", "6",
        "--pay-year", "2025/26",
    )  # fmt: skip
    assert code == 0
    assert "Sono [bold]x[/bold]" in out  # a title from a file is data, never markup
    assert "on-costs 38.78%" in out and "ASSUMPTION" in out
    assert f"£{round((B6_TOP - B5_TOP) * 2 * 1.3878):,}" in out

    code, out, _ = run(
        capsys, "harmonise", "--db", db, "--role", "sonographer", "--band", "6",
        "--pay-year", "2025/26", "--format", "csv",
    )  # fmt: skip
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("scope,key,name")
    assert lines[-1].startswith("total,") and ",0.3878," in lines[-1]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--role", "consultant-radiologist"], "medical and dental pay"),
        (["--role", "no-such-role", "--band", "5"], "unknown role 'no-such-role'"),
        (["--role", "sonographer", "--band", "11"], "'11' is not a band"),
        (["--role", "apprentice-radiographer"], "tied"),
        (["--role", "sonographer", "--band", "7", "--pay-year", "2024/25"], "no pay for Band"),
        (["--role", "sonographer", "--band", "7", "--pay-year", "2019"], "2019"),
        ([], "--role"),
        (["--role", "sonographer", "--save"], "--save needs --scenario"),
    ],
)
def test_harmonise_refuses_bad_input_with_exit_2(
    reference_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    says: str,
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6"),
            jd("RRK", "B", "apprentice-radiographer", "3"),
            jd("RL4", "C", "apprentice-radiographer", "4"),
        ],
    )
    code, _, err = run(capsys, "harmonise", "--db", str(path), *argv)
    assert code == 2
    assert says in err


def test_band_flags_bind_to_the_role_before_them(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["harmonise", "--band", "5", "--role", "sonographer"])
    assert exited.value.code == 2
    assert "give the --role it is for first" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["harmonise", "--on-costs", "25", "--role", "sonographer"])
    assert exited.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


# ---- pay protection, in words ----


def test_protection_is_said_as_the_saving_given_up_and_never_as_extra_cost(
    packaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Imaging services managers to their mode, 8a: those at 8b-8d move down.
    protected = plan(packaged_db, [("imaging-services-manager", None)])
    unprotected = plan(packaged_db, [("imaging-services-manager", None)], protection=False)
    total = protected.total
    assert total.moved_down.jds and total.protection_cost > 0
    # The saving given up is exactly what separates the two plans' costs.
    gap = protected.total.annual_cost - unprotected.total.annual_cost
    assert whole_pounds(gap) == whole_pounds(total.protection_cost)

    label, words = protection_note(total, protection=True) or ("", "")
    saving = f"£{whole_pounds(total.protection_cost):,}"
    assert label == "Pay protection"
    assert words.endswith(f"without protection the plan would cost {saving} a year less")
    label, words = protection_note(unprotected.total, protection=False) or ("", "")
    assert label == "Saving from moving down" and words.startswith(f"{saving} a year, already")
    assert protection_note(plan(packaged_db, [("sonographer", "7")]).total, True) is None

    # The command says it the same way.
    code, out, _ = run(
        capsys, "harmonise", "--db", str(packaged_db), "--role", "imaging-services-manager"
    )
    assert code == 0
    assert f"without protection the plan would cost {saving} a year less" in out
    assert "more than no protection" not in out
