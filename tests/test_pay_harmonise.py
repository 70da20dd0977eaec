"""Harmonising pay, not only bands: a scenario's premia (keep, remove, align) and appointment
points costed beside its band moves, with the same pay year, on-costs and protection; saved,
exported, reported, and set on the app's Scenario tab."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError
from textual.widgets import Input, Static

from catalogue.scenarios import (
    Scenario,
    ScenarioAssumptions,
    ScenarioPay,
    ScenarioTarget,
    load_scenario,
    read_scenario_toml,
    save_scenario,
    scenario_to_toml,
)
from catalogue.store import open_catalogue
from pathways.figures import money, whole_pounds
from pathways.harmonise import HarmonisationError, plan_harmonisation
from pathways.pay_harmonise import PayPost, cost_pay_rules
from pathways.records import load_pay
from tests.factories import jd, make_catalogue
from tests.support import query, run
from tests.test_tui import settle, static_text, type_text
from tui.app import make_app
from tui.screens.harmonise import HarmoniseScreen
from tui.widgets.dialogs import AmountDialog, ChoiceDialog

SALARIES = {
    ("6", "entry"): 38_000,
    ("6", "top"): 46_000,
    ("7", "entry"): 40_000,
    ("7", "intermediate"): 42_000,
    ("7", "top"): 50_000,
}


@dataclass(frozen=True)
class Costing:
    pay_point: str = "top"
    on_costs: float = 0.25
    protection: bool = True
    basis: str = "in_post"


def _post(ref: str, band: str = "7", **pay: object) -> PayPost:
    fields = {"wte_funded": 3.0, "wte_in_post": 2.0, **pay}
    return PayPost(int(ref[1:]), ref[0], ref, "sonographer", band, **fields)  # type: ignore[arg-type]


def _rule(**fields: object) -> ScenarioPay:
    return ScenarioPay.model_validate({"role": "sonographer", **fields})


# ---- the pure costing, one rule each ------------------------------------------------------------


def test_a_kept_percentage_premium_follows_the_band_a_post_moves_to() -> None:
    plan = cost_pay_rules(
        [_post("A1", band="6", rrp_percent=10.0)], {1: "7"}, [_rule()], SALARIES, Costing()
    )
    (change,) = plan.changes
    assert (change.premium_before, change.premium_after) == (4_600, 5_000)  # 10% of top
    assert change.premium_cost == pytest.approx(400 * 2.0 * 1.25)
    assert plan.total.premia_removed == 0 and plan.total.premia_changed == 1


def test_removing_premia_saves_only_without_protection() -> None:
    posts = [_post("A1", rrp_amount=1_500), _post("B2")]
    protected = cost_pay_rules(posts, {}, [_rule(rrp_action="remove")], SALARIES, Costing())
    assert protected.total.premium_cost == 0
    assert protected.total.protection_cost == pytest.approx(1_500 * 2.0 * 1.25)
    assert protected.total.protected_wte == 2.0 and protected.total.premia_removed == 1
    unprotected = cost_pay_rules(
        posts, {}, [_rule(rrp_action="remove")], SALARIES, Costing(protection=False)
    )
    assert unprotected.total.premium_cost == pytest.approx(-1_500 * 2.0 * 1.25)


def test_aligning_gives_every_post_the_amount_and_protects_a_cut() -> None:
    posts = [_post("A1", rrp_amount=3_000), _post("B2")]
    plan = cost_pay_rules(
        posts, {}, [_rule(rrp_action="align", rrp_amount=2_000)], SALARIES, Costing()
    )
    by_trust = plan.by_trust
    assert by_trust["A"].premium_cost == 0  # a cut, protected
    assert by_trust["A"].protection_cost == pytest.approx(1_000 * 2.0 * 1.25)
    assert by_trust["B"].premium_cost == pytest.approx(2_000 * 2.0 * 1.25)
    assert plan.total.premium_cost == by_trust["B"].premium_cost


def test_a_new_appointment_point_is_costed_on_vacancies_at_the_target_band() -> None:
    plan = cost_pay_rules(
        [_post("A1", band="6"), _post("B2", wte_funded=2.0)],
        {1: "7"},
        [_rule(appointment_point="intermediate")],
        SALARIES,
        Costing(),
    )
    a, b = plan.changes
    assert a.vacant_wte == 1.0 and a.appointment_cost == pytest.approx(2_000 * 1.0 * 1.25)
    assert b.vacant_wte == 0 and b.appointment_cost == 0  # no vacancy, nothing to fill
    assert plan.total.appointments_changed == 2
    assert any("vacancies" in note for note in plan.notes)


def test_the_wte_basis_is_the_plans() -> None:
    plan = cost_pay_rules(
        [_post("B2")],
        {},
        [_rule(rrp_action="align", rrp_amount=1_000)],
        SALARIES,
        Costing(basis="funded"),
    )
    assert plan.total.premium_cost == pytest.approx(1_000 * 3.0 * 1.25)


def test_each_posts_cost_is_whole_pounds_so_the_trusts_add_up_to_the_total() -> None:
    # A premium of £1 on 0.4 WTE at 25% on-costs is 50p a post: rounded at the end, three
    # trusts' £1 each would sit beside a total of £2 (issue 12).
    posts = [_post(ref, wte_in_post=0.4) for ref in ("A1", "B2", "C3")]
    plan = cost_pay_rules(posts, {}, [_rule(rrp_action="align", rrp_amount=1)], SALARIES, Costing())
    parts = [whole_pounds(summary.premium_cost) for summary in plan.by_trust.values()]
    assert parts == [1, 1, 1]
    assert whole_pounds(plan.total.premium_cost) == sum(parts)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"rrp_action": "align"}, "needs the amount"),
        ({"rrp_action": "keep", "rrp_amount": 10}, "an amount goes with aligning"),
        ({"rrp_action": "raise"}, "rrp_action"),
        ({"appointment_point": "mid"}, "appointment_point"),
    ],
)
def test_a_bad_pay_rule_is_refused(fields: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        _rule(**fields)


def test_a_pay_rule_needs_its_role_targeted_and_only_once() -> None:
    target = [ScenarioTarget(role="sonographer", band="7")]
    with pytest.raises(ValidationError, match="no target band"):
        Scenario(name="x", targets=target, pay=[ScenarioPay(role="reporting-radiographer")])
    with pytest.raises(ValidationError, match="more than one pay rule"):
        Scenario(name="x", targets=target, pay=[_rule(), _rule(rrp_action="remove")])


# ---- over a catalogue: plan, save, export, command line, report, app ----------------------------


@pytest.fixture(scope="module")
def pay_db(reference_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sonographers at three trusts: one Band 6, a 10% premium, a £3,000 one. Do not modify."""
    return make_catalogue(
        reference_db,
        tmp_path_factory.mktemp("pay-plan"),
        [
            jd(
                "RRK",
                "US-1",
                "sonographer",
                "7",
                wte_funded="4",
                wte_in_post="3",
                rrp="10%",
                rrp_until="2027-03-31",
            ),
            jd(
                "RKB",
                "US-2",
                "sonographer",
                "7",
                wte_funded="2",
                wte_in_post="2",
                rrp="3000",
                rrp_until="2026-09-30",
            ),
            jd("RNA", "US-3", "sonographer", "6", wte_funded="5", wte_in_post="4"),
        ],
    )


def _by_hand(db_path: Path, on_costs: float) -> dict[str, float]:
    """Align to £2,000 and appoint at intermediate, Band 7 for all, top point, protection on."""
    db = open_catalogue(db_path)
    try:
        _, pay = load_pay(db)
    finally:
        db.close()
    factor = 1 + on_costs
    step = pay[("7", "intermediate")] - pay[("7", "entry")]
    return {
        # Each JD's premium and appointment costs are whole pounds, added up as such.
        "RRK": whole_pounds(step * 1 * factor),  # 10% premium > £2,000: protected; 1 vacancy
        "RKB": 0.0,  # £3,000 cut to £2,000: protected; no vacancy
        "RNA": whole_pounds(2_000 * 4 * factor) + whole_pounds(step * 1 * factor),  # new premium
    }


def test_a_plan_costs_its_pay_rules_beside_its_band_moves(pay_db: Path) -> None:
    db = open_catalogue(pay_db)
    try:
        rules = [_rule(rrp_action="align", rrp_amount=2_000, appointment_point="intermediate")]
        result = plan_harmonisation(db, [("sonographer", "7")], ScenarioAssumptions(), rules)
        with pytest.raises(HarmonisationError, match="no target band"):
            plan_harmonisation(
                db, [("sonographer", "7")], None, [ScenarioPay(role="reporting-radiographer")]
            )
    finally:
        db.close()
    assert result.pay is not None
    expected = _by_hand(pay_db, result.assumptions.on_costs)
    for trust, cost in expected.items():
        assert result.pay.by_trust[trust].annual_cost == pytest.approx(cost), trust
    assert result.total.moved_up.jds == 1  # RNA's Band 6 post moves up as well
    assert result.annual_cost_with_pay == pytest.approx(
        result.total.annual_cost + sum(expected.values())
    )
    data = result.to_dict()
    assert data["annual_cost_with_pay"] == whole_pounds(result.annual_cost_with_pay)
    assert data["pay"]["rules"][0]["rrp_action"] == "align"


def test_pay_rules_are_saved_exported_and_read_back(pay_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(pay_db.read_bytes())
    scenario = Scenario(
        name="Sonographer pay",
        targets=[ScenarioTarget(role="sonographer", band="7")],
        pay=[_rule(rrp_action="remove", appointment_point="top")],
    )
    db = open_catalogue(copy)
    try:
        save_scenario(db, scenario)
        loaded = load_scenario(db, "Sonographer pay")
    finally:
        db.close()
    assert loaded.pay == scenario.pay
    assert query(copy, "SELECT role, rrp_action, appointment_point FROM scenario_pay") == [
        ("sonographer", "remove", "top")
    ]
    path = tmp_path / "scenario.toml"
    path.write_text(scenario_to_toml(loaded), encoding="utf-8")
    assert "[[pay]]" in path.read_text(encoding="utf-8")
    assert read_scenario_toml(path).pay == scenario.pay


def test_the_command_line_costs_saves_and_reruns_pay_rules(
    pay_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(pay_db.read_bytes())
    db = ["--db", str(copy)]
    code, out, err = run(
        capsys,
        "harmonise",
        "--role",
        "sonographer",
        "--band",
        "7",
        "--rrp",
        "align:£2,000",
        "--appoint-at",
        "mid",
        "--scenario",
        "pay",
        "--save",
        "--format",
        "json",
        *db,
    )
    assert code == 0, err
    data = json.loads(out)
    expected = _by_hand(copy, data["assumptions"]["on_costs"])
    by_trust = {row["trust"]: row["annual_cost"] for row in data["pay"]["by_trust"]}
    assert by_trust == {trust: whole_pounds(cost) for trust, cost in expected.items()}
    rerun = json.loads(run(capsys, "harmonise", "--scenario", "pay", "--format", "json", *db)[1])
    assert rerun["pay"] == data["pay"] and rerun["annual_cost_with_pay"] > rerun["annual_cost"]
    code, out, _ = run(capsys, "harmonise", "--scenario", "pay", *db)
    assert "Pay beyond the band, beside the band moves" in out
    assert money(data["annual_cost_with_pay"]) in out
    code, out, _ = run(capsys, "harmonise", "--scenario", "pay", "--format", "csv", *db)
    assert "annual_cost_with_pay" in out.splitlines()[0]
    report = tmp_path / "board.md"
    assert run(capsys, "report", str(report), "--scenario", "pay", *db)[0] == 0
    text = report.read_text(encoding="utf-8")
    assert "### Pay beyond the band" in text
    assert f"**{money(data['annual_cost_with_pay'])}**" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--rrp", "remove", "--role", "sonographer"], "give the --role it is for first"),
        (["--role", "sonographer", "--rrp", "raise"], "use keep, remove or align:AMOUNT"),
        (["--role", "sonographer", "--rrp", "align:0"], "above zero"),
        (["--role", "sonographer", "--appoint-at", "step 2"], "not a pay point"),
    ],
)
def test_bad_pay_options_are_refused(
    pay_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(capsys, "harmonise", *args, "--db", str(pay_db))
    assert exited.value.code == 2 and says in capsys.readouterr().err


async def test_the_scenario_tab_sets_premia_and_appointment_points(
    pay_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(pay_db.read_bytes())
    db = open_catalogue(copy)
    try:
        rules = [_rule(rrp_action="align", rrp_amount=2_000, appointment_point="intermediate")]
        expected = plan_harmonisation(db, [("sonographer", "7")], None, rules)
    finally:
        db.close()
    app = make_app(copy, screen="harmonise")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a")  # the Scenario tab; add a role
        assert isinstance(app.screen, ChoiceDialog)
        await type_text(pilot, "sonographer")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HarmoniseScreen)  # targeted at its modal band, 7
        await pilot.press("r")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")  # align
        assert isinstance(app.screen, AmountDialog)
        await type_text(pilot, "ten")
        await pilot.press("enter")
        assert isinstance(app.screen, AmountDialog)  # refused, said why
        app.screen.query_one(Input).value = ""
        await type_text(pilot, "2000")
        await pilot.press("enter")
        await pilot.press("i", "down", "down", "enter")  # the intermediate point
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        assert screen.draft.pay == tuple(rules)
        total = static_text(screen.query_one("#plan-total", Static), width=300)
        assert "Pay beyond the band" in total
        assert money(expected.annual_cost_with_pay) in total
        targets = screen.query_one("#targets")
        role_cell = targets.get_row("sonographer")[0].plain  # type: ignore[attr-defined]
        assert role_cell == "Sonographer · RRP £2,000 · new at intermediate"
        await pilot.press("s")
        await type_text(pilot, "pay")
        await pilot.press("enter")
        await settle(pilot)
    assert query(copy, "SELECT rrp_action, rrp_amount, appointment_point FROM scenario_pay") == [
        ("align", 2000, "intermediate")
    ]
