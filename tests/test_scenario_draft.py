"""The Harmonise screen's draft scenario (pathways.scenario_draft): edits as plain data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from catalogue.scenarios import Scenario, ScenarioAssumptions, ScenarioTarget, save_scenario
from catalogue.store import open_catalogue
from pathways.harmonise import plan_harmonisation, plan_scenario
from pathways.report import build_report, gather_report
from pathways.report_markdown import render_markdown
from pathways.scenario_draft import (
    TARGET_BANDS,
    Draft,
    DraftError,
    draft_from_scenario,
    export_summary,
    parse_percent,
    step_band,
    with_plan,
)
from tests.factories import jd, make_catalogue


def test_stepping_a_band_follows_band_order_and_stops_at_the_ends() -> None:
    assert step_band("7", 1) == "8a"  # by order, not as text
    assert step_band("8a", -1) == "7"
    assert step_band("8d", 1) == "9"
    assert step_band("9", 1) == "9"
    assert step_band("2", -1) == "2"  # Band 1 is closed to new entrants: never a target
    assert "1" not in TARGET_BANDS


def test_on_costs_are_typed_as_a_percentage() -> None:
    assert parse_percent("25") == 0.25
    assert parse_percent(" 38.78% ") == 0.3878
    assert parse_percent("") is None  # the catalogue's documented default
    for bad in ("abc", "101", "-1"):
        with pytest.raises(DraftError):
            parse_percent(bad)


def test_a_draft_keeps_roles_in_the_order_added_and_replaces_a_target_in_place() -> None:
    draft = Draft().with_target("sonographer", "7", "modal").with_target("mammographer", "6")
    draft = draft.with_target("sonographer", "6")
    assert [(t.role, t.band, t.source) for t in draft.targets] == [
        ("sonographer", "6", "given"),
        ("mammographer", "6", "given"),
    ]
    assert draft.stepped("mammographer", 2).target("mammographer").band == "8a"  # type: ignore[union-attr]
    assert draft.without("sonographer").requests() == [("mammographer", "6")]
    assert draft.stepped("not-targeted", 1) == draft
    with pytest.raises(DraftError):
        draft.with_target("sonographer", "10")


def test_choices_are_validated_and_a_draft_round_trips_through_a_scenario() -> None:
    draft = Draft().with_target("sonographer", "7").with_choices(on_costs=0.3, basis="funded")
    assert draft.choices == ScenarioAssumptions(on_costs=0.3, basis="funded")
    with pytest.raises(DraftError):
        draft.with_choices(pay_point="highest")
    scenario = draft.scenario("Sonographers to 7")
    assert scenario.targets == [ScenarioTarget(role="sonographer", band="7")]
    assert draft_from_scenario(scenario) == draft
    assert draft.with_choices(basis="funded") == draft  # equal drafts: nothing to recost


def test_export_summary_is_the_plan_without_its_moves(reference_db: Path, tmp_path: Path) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [jd("RRK", "A", "sonographer", "6", wte_in_post=1), jd("RBK", "B", "sonographer", "7")],
    )
    db = open_catalogue(path)
    try:
        result = plan_harmonisation(db, [("sonographer", "7")])
    finally:
        db.close()
    summary = export_summary(result)
    assert "moves" not in summary and summary["computed"]
    assert summary["annual_cost"] == result.to_dict()["annual_cost"]


def test_a_report_with_a_draft_shows_its_cost_as_a_saved_one_would(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RRK", "A", "sonographer", "6", wte_in_post=2),
            jd("RBK", "B", "sonographer", "7", wte_in_post=1),
            jd("RJE", "C", "sonographer", "7", wte_in_post=1),
        ],
    )
    written = datetime(2026, 1, 5, 9, 0).astimezone()
    draft = Draft().with_target("sonographer", "7")
    db = open_catalogue(path)
    try:
        scenario = draft.scenario("Sonographers")
        drafted = with_plan(
            gather_report(db, catalogue="hand.db", written=written),
            scenario,
            plan_harmonisation(db, draft.requests(), draft.choices),
        )
        save_scenario(db, Scenario(name="Sonographers", targets=scenario.targets))
        saved = gather_report(db, catalogue="hand.db", scenario="Sonographers", written=written)
        cost = plan_scenario(db, saved.plan.scenario).total.annual_cost  # type: ignore[union-attr]
    finally:
        db.close()
    text = render_markdown(build_report(drafted))
    assert "Harmonisation scenario: Sonographers" in text
    assert cost > 0 and f"£{round(cost):,}" in text
    # The scenario's tables and facts are those of the same scenario saved.
    assert _scenario_section(text) == _scenario_section(render_markdown(build_report(saved)))
    # No draft: the report says no scenario was chosen.
    assert with_plan(drafted, None, None).plan is None


def _scenario_section(text: str) -> list[str]:
    """The table rows and facts of a Markdown report's scenario section."""
    section = text.split("## Harmonisation scenario", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith(("|", "- "))]
