"""Pay years: added by uplift, marked derived, chosen for costs and reports, never blank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import digest, run


def test_a_pay_year_by_uplift_is_derived_and_used_by_bands(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "pay-year",
        "add",
        "2027/28",
        "--uplift",
        "3.3%",
        "--from",
        "2025/26",
        "--db",
        str(empty_catalogue),
    )
    assert code == 0, err
    # The figures for 2025/26 x 1.033 (halves rounded up).
    assert "Band 6 entry: 39,959" in out and "Band 7 top: 56,515" in out
    code, out, _ = run(
        capsys, "bands", "--pay-year", "2027/28", "--format", "json", "--db", str(empty_catalogue)
    )
    bands = {b["band"]: b for b in json.loads(out)}
    assert (bands["6"]["entry"], bands["6"]["intermediate"], bands["6"]["top"]) == (
        39959,
        42170,
        48117,
    )
    assert bands["6"]["pay_confidence"] == "derived"
    code, out, _ = run(capsys, "pay-year", "list", "--format", "json", "--db", str(empty_catalogue))
    assert {"pay_year": "2027/28", "points": 30, "confidence": "derived"} in json.loads(out)


def test_a_published_pay_year_is_not_overwritten_by_an_uplift(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(empty_catalogue)
    code, _, err = run(
        capsys,
        "pay-year",
        "add",
        "2025/26",
        "--uplift",
        "3%",
        "--from",
        "2024/25",
        "--db",
        str(empty_catalogue),
    )
    assert code == 2 and "not derived" in err
    code, _, err = run(
        capsys, "pay-year", "add", "2030/31", "--uplift", "lots", "--db", str(empty_catalogue)
    )
    assert code == 2 and "give a percentage" in err
    assert digest(empty_catalogue) == before


def test_a_pay_year_the_catalogue_lacks_is_an_error_naming_the_years(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "bands", "--pay-year", "2031/32", "--db", str(empty_catalogue))
    assert code == 2 and out == ""
    assert "no pay for 2031/32" in err and "2025/26" in err


def test_a_report_costs_a_scenario_in_the_year_asked_and_says_so(
    catalogue_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(catalogue_copy)
    code, _, err = run(
        capsys,
        "harmonise",
        "--role",
        "imaging-support-worker",
        "--band",
        "3",
        "--pay-year",
        "2024/25",
        "--scenario",
        "Support workers at 3",
        "--save",
        "--db",
        db,
    )
    assert code == 0, err
    report = tmp_path / "board.md"
    code, _, err = run(
        capsys,
        "report",
        str(report),
        "--scenario",
        "Support workers at 3",
        "--pay-year",
        "2025/26",
        "--db",
        db,
    )
    assert code == 0, err
    text = report.read_text()
    assert "2025/26 (chosen for this report: the scenario is saved at 2024/25)" in text
    code, _, err = run(
        capsys,
        "report",
        str(tmp_path / "b.md"),
        "--scenario",
        "Support workers at 3",
        "--pay-year",
        "2040/41",
        "--db",
        db,
    )
    assert code == 2 and "no pay for 2040/41" in err
    assert not (tmp_path / "b.md").exists()
