"""One trust's view of a network plan (issue 12): `harmonise --trust`, `report --trust` and the
Harmonise screen's Scenario tab following the Flags tab's trust filter. The targets stay the
network's; the costs and counts are the named trusts' posts, and every output says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Select, Static

from catalogue.scenarios import ScenarioAssumptions, load_scenario
from catalogue.store import open_catalogue
from pathways.figures import money
from pathways.harmonise import (
    HarmonisationError,
    HarmonisationResult,
    check_trusts,
    plan_harmonisation,
)
from tests.support import run
from tests.test_tui import settle, static_text
from tui.app import make_app
from tui.screens.harmonise import HarmoniseScreen

ISW = "imaging-support-worker"
TARGET = [(ISW, "3")]


def _plan(path: Path, trusts: tuple[str, ...] = ()) -> HarmonisationResult:
    db = open_catalogue(path)
    try:
        return plan_harmonisation(db, TARGET, ScenarioAssumptions(), trusts=trusts)
    finally:
        db.close()


@pytest.fixture(scope="module")
def network(packaged_db: Path) -> HarmonisationResult:
    return _plan(packaged_db)


def _moving_trusts(network: HarmonisationResult) -> list[str]:
    """Trusts with a support worker post that moves: their share costs something."""
    trusts = [t.trust for t in network.by_trust if t.summary.annual_cost > 0]
    assert len(trusts) >= 2
    return trusts


def test_a_trusts_share_is_its_posts_of_the_network_plan(
    packaged_db: Path, network: HarmonisationResult
) -> None:
    first, second = _moving_trusts(network)[:2]
    share = _plan(packaged_db, (first, second))
    assert share.trusts and list(share.trusts) == sorted([first, second])
    assert share.targets == network.targets
    expected = {t.trust: t.summary for t in network.by_trust if t.trust in (first, second)}
    assert {t.trust: t.summary for t in share.by_trust} == expected
    assert share.total.annual_cost == sum(s.annual_cost for s in expected.values())
    assert share.total.annual_cost < network.total.annual_cost
    assert {m.jd.trust for m in share.moves} == {first, second}
    assert "2 trusts'" in share.scope_text() and "network's" in share.scope_text()
    assert [t["trust"] for t in share.to_dict()["trusts"]] == sorted([first, second])
    assert network.to_dict()["trusts"] is None and network.scope_text() == ""


def test_a_modal_target_is_the_networks_mode_not_the_trusts(
    reference_db: Path, tmp_path: Path
) -> None:
    from tests.factories import jd, make_catalogue

    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6", wte_in_post=1),  # RRK's mode is 6
            jd("RL4", "B", "sonographer", "7", wte_in_post=1),
            jd("RJE", "C", "sonographer", "7", wte_in_post=1),
        ],
    )
    db = open_catalogue(path)
    try:
        result = plan_harmonisation(db, [("sonographer", None)], trusts=["RRK"])
    finally:
        db.close()
    assert result.targets[0].band == "7"
    assert result.total.moved_up.jds == 1 and result.total.annual_cost > 0


def test_trusts_are_read_by_code_or_name_and_commas(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        name = db.execute("SELECT name FROM trust WHERE code = 'RBK'").fetchone()[0]
        assert check_trusts(db, ["rbk, RL4", name]) == ["RBK", "RL4"]
        with pytest.raises(HarmonisationError, match="unknown trust 'RZZ9'"):
            check_trusts(db, ["RBK,RZZ9"])
        with pytest.raises(HarmonisationError, match="names no trust"):
            check_trusts(db, [" , "])
    finally:
        db.close()


def test_harmonise_trust_json_table_and_csv_say_whose_posts(
    packaged_db: Path, network: HarmonisationResult, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _moving_trusts(network)[:2]
    base = ("harmonise", "--db", str(packaged_db), "--role", ISW, "--band", "3")
    code, out, _ = run(capsys, *base, "--trust", first, "--trust", second, "--format", "json")
    assert code == 0
    data = json.loads(out)
    share = {t.trust: t.summary.annual_cost for t in network.by_trust if t.trust in (first, second)}
    assert data["annual_cost"] == sum(share.values())
    assert {t["trust"] for t in data["trusts"]} == {first, second}

    code, out, _ = run(capsys, *base, "--trust", first)
    assert code == 0
    assert f"{first} (" in out and "share of a network plan" in out
    assert f"{money(share[first])}" in out

    code, out, _ = run(capsys, *base, "--trust", f"{first},{second}", "--format", "csv")
    assert code == 0
    total = [line for line in out.splitlines() if line.startswith("total,")]
    assert len(total) == 1 and "share of" in total[0] and "network plan" in total[0]

    code, _, err = run(capsys, *base, "--trust", "NOPE1")
    assert code == 2 and "--trust" in err and "NOPE1" in err


def test_a_scenario_saved_with_trust_is_the_networks(
    catalogue_copy: Path, network: HarmonisationResult, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _moving_trusts(network)[0]
    code, _, err = run(
        capsys,
        *("harmonise", "--db", str(catalogue_copy), "--role", ISW, "--band", "3"),
        *("--trust", first, "--scenario", "isw3", "--save"),
    )
    assert code == 0 and "network's plan" in err
    db = open_catalogue(catalogue_copy)
    try:
        saved = load_scenario(db, "isw3")
    finally:
        db.close()
    assert [(t.role, t.band) for t in saved.targets] == TARGET

    # The board report of one trust's share says whose posts it covers.
    report = catalogue_copy.parent / "board.md"
    code, _, _ = run(
        capsys, "report", str(report), "--db", str(catalogue_copy), "--scenario", "isw3",
        "--trust", first,
    )  # fmt: skip
    assert code == 0
    text = report.read_text(encoding="utf-8")
    cost = money(next(t.summary.annual_cost for t in network.by_trust if t.trust == first))
    assert f"**Annual cost:** {cost}" in text
    assert f"costed for {first}'s posts only" in text
    assert "share of a network plan" in text and f"All of {first}" in text

    other = str(report.with_name("other.md"))
    code, _, err = run(capsys, "report", other, "--db", str(catalogue_copy), "--trust", first)
    assert code == 2 and "--scenario" in err


async def test_the_scenario_tab_follows_the_flags_trust_filter(
    packaged_db: Path, network: HarmonisationResult
) -> None:
    first = _moving_trusts(network)[0]
    mine = money(next(t.summary.annual_cost for t in network.by_trust if t.trust == first))
    whole = money(network.total.annual_cost)
    app = make_app(packaged_db, screen="harmonise")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        from pathways.scenario_draft import Draft

        db = open_catalogue(packaged_db)
        try:
            targets = plan_harmonisation(db, TARGET).targets
        finally:
            db.close()
        screen.set_draft(Draft(targets=tuple(targets)))
        await settle(pilot)
        bar = static_text(screen.query_one("#scenario-bar", Static), width=200)
        assert whole in bar
        screen.query_one("#trust", Select).value = first
        await settle(pilot)
        bar = static_text(screen.query_one("#scenario-bar", Static), width=200)
        assert f"{mine} a year at {first}" in bar
        total = static_text(screen.query_one("#plan-total", Static), width=300)
        assert "share of a network plan" in total and "trust filter" in total
        assert f"Annual cost {mine}" in total
        screen.query_one("#trust", Select).clear()
        await settle(pilot)
        assert whole in static_text(screen.query_one("#scenario-bar", Static), width=200)
