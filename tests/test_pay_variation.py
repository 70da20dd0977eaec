"""Pay variation beyond the band: each trust's pay for a role costed element by element, and
the flags (a premium others do not pay, pay differing beyond the threshold, a premium past or
without its review date); on the command line and in the app's Pay tab."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from catalogue.store import open_catalogue
from pathways.pay_variation import (
    PayLine,
    PayVariationError,
    PostPay,
    analyse_pay,
    line_dict,
    pay_at,
    pay_variation,
    usual_total,
)
from pathways.records import load_pay, salary_at
from tests.factories import jd, make_catalogue
from tests.support import run
from tests.test_tui import settle, shown_keys, static_text
from tui.app import make_app
from tui.screens.compare import CompareScreen
from tui.screens.harmonise import HarmoniseScreen
from tui.widgets.tables import RowTable

# A pay table made for the arithmetic to be checked by eye.
SALARIES = {
    ("7", "entry"): 40_000,
    ("7", "intermediate"): 42_000,
    ("7", "top"): 50_000,
    ("4", "entry"): 30_000,
    ("4", "top"): 33_000,
}
TODAY = date(2026, 6, 1)


def _post(trust: str, ref: str, **pay: object) -> PostPay:
    return PostPay(trust, ref, "sonographer", str(pay.pop("band", "7")), 1.0, **pay)  # type: ignore[arg-type]


def _lines(posts: list[PostPay], threshold: float = 0.05) -> dict[str, PayLine]:
    roles, missing = analyse_pay(posts, SALARIES, threshold=threshold, today=TODAY)
    assert not missing
    return {line.trust: line for role in roles for line in role.lines}


# ---- the arithmetic --------------------------------------------------------------------------


def test_a_percentage_premium_is_of_the_basic_pay_at_that_point() -> None:
    entry = pay_at(SALARIES, "7", "entry", rrp_percent=10.0, supplement=500)
    top = pay_at(SALARIES, "7", "top", rrp_percent=10.0, supplement=500)
    assert entry is not None and top is not None
    assert (entry.basic, entry.rrp, entry.supplement, entry.total) == (40_000, 4_000, 500, 44_500)
    assert (top.basic, top.rrp, top.total) == (50_000, 5_000, 55_500)
    fixed = pay_at(SALARIES, "7", "top", rrp_amount=1_500)
    assert fixed is not None and fixed.rrp == 1_500  # an amount is the same at every point


def test_a_band_without_the_appointment_point_is_paid_at_its_nearest_lower_point() -> None:
    pay = pay_at(SALARIES, "4", "intermediate")  # Band 4 has no intermediate point
    assert pay is not None and pay.basic == salary_at(SALARIES, "4", "entry") == 30_000
    assert pay_at(SALARIES, "8a", "entry") is None


def test_the_usual_pay_is_what_most_get_and_the_lowest_on_a_tie() -> None:
    assert usual_total([40_000, 40_000, 44_000]) == 40_000
    assert usual_total([44_000, 40_000]) == 40_000
    assert usual_total([44_000, 44_000, 40_000, 40_000, 50_000]) == 40_000


# ---- the flags, one rule each ------------------------------------------------------------------


def test_each_flag_rule_on_one_role() -> None:
    lines = _lines(
        [
            _post("A", "A1", rrp_percent=10.0, rrp_until="2026-01-01"),  # +10%, overdue
            _post("B", "B1"),
            _post("C", "C1"),
            _post("D", "D1", appointment_point="top"),  # new starters +25%
            _post("E", "E1", supplement=2_000),  # +5.0% exactly: not more than 5%
            _post("F", "F1", rrp_amount=1_500, rrp_until=TODAY.isoformat()),  # due today
            _post("G", "G1", rrp_amount=1_000),  # no review date
        ]
    )
    a, b, d, e, f, g = (lines[t] for t in "ABDEFG")
    assert a.reasons == ("premium", "pay_gap", "review_overdue") and a.severity == "high"
    assert a.gaps == pytest.approx({"new_starter": 0.10, "top": 0.10})
    assert b.reasons == () and b.severity is None
    assert d.reasons == ("pay_gap",) and d.severity == "high"
    assert d.new_starter.total == 50_000 and d.gaps["top"] == 0
    assert e.reasons == ("supplement",) and e.severity == "warn"
    assert f.reasons == ("premium",)
    assert g.reasons == ("premium", "no_review_date")


def test_a_gap_just_over_the_threshold_is_warn_and_at_twice_it_high() -> None:
    lines = _lines(
        [
            _post("A", "A1"),
            _post("B", "B1"),
            _post("C", "C1", supplement=2_001),  # 5.0025% at entry
            _post("D", "D1", supplement=4_000),  # 10% at entry
        ]
    )
    assert lines["C"].reasons == ("supplement", "pay_gap")
    assert lines["C"].severity == "warn"
    assert lines["D"].severity == "high"
    # The threshold is the caller's: at 20% neither differs enough.
    wider = _lines([_post("A", "A1"), _post("B", "B1"), _post("D", "D1", supplement=4_000)], 0.2)
    assert wider["D"].reasons == ("supplement",)


def test_a_premium_every_trust_pays_is_not_one_others_do_not() -> None:
    lines = _lines(
        [
            _post("A", "A1", rrp_amount=1_000, rrp_until="2099-03-31"),
            _post("B", "B1", rrp_amount=1_000, rrp_until="2099-03-31"),
        ]
    )
    assert lines["A"].reasons == () and lines["B"].reasons == ()


def test_posts_paid_alike_at_a_trust_are_one_line_and_others_their_own() -> None:
    roles, _ = analyse_pay(
        [_post("A", "A2"), _post("A", "A1"), _post("A", "A3", rrp_amount=900)],
        SALARIES,
        threshold=0.05,
        today=TODAY,
    )
    (role,) = roles
    assert [(line.jd_refs, line.wte_in_post) for line in role.lines] == [
        (("A1", "A2"), 2.0),
        (("A3",), 1.0),
    ]
    # One trust alone: nobody else to compare the premium with.
    assert all("premium" not in line.reasons for line in role.lines)


def test_bands_without_pay_are_left_out_and_named_and_a_bad_threshold_refused() -> None:
    roles, missing = analyse_pay(
        [_post("A", "A1"), _post("B", "B1", band="8a")], SALARIES, threshold=0.05, today=TODAY
    )
    assert missing == ["8a"] and [ln.trust for r in roles for ln in r.lines] == ["A"]
    with pytest.raises(PayVariationError, match="between 0 and 1"):
        analyse_pay([], SALARIES, threshold=0, today=TODAY)


# ---- over a catalogue, the command line and the app ---------------------------------------------


@pytest.fixture(scope="module")
def pay_catalogue(reference_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sonographers at four trusts, two with premia; one plain role. Do not modify."""
    return make_catalogue(
        reference_db,
        tmp_path_factory.mktemp("pay"),
        [
            jd(
                "RRK",
                "US-1",
                "sonographer",
                "7",
                wte_in_post="3",
                rrp="10%",
                rrp_until="2020-03-31",
            ),
            jd("RL4", "US-2", "sonographer", "7", wte_in_post="2", rrp_until="", rrp=""),
            jd("RBK", "US-3", "sonographer", "7", wte_in_post="4"),
            jd(
                "RNA",
                "US-4",
                "sonographer",
                "7",
                wte_in_post="1",
                supplement="800",
                pay_note="weekend lists",
                rrp_until="2099-03-31",
                rrp="1000",
            ),
            jd("RRK", "RAD-1", "diagnostic-radiographer", "5", wte_in_post="10"),
            jd("RL4", "RAD-2", "diagnostic-radiographer", "5", wte_in_post="8"),
        ],
    )


def test_the_catalogue_is_costed_in_its_latest_pay_year_at_its_threshold(
    pay_catalogue: Path,
) -> None:
    db = open_catalogue(pay_catalogue)
    try:
        result = pay_variation(db, today=TODAY)
        year, salaries = load_pay(db)
    finally:
        db.close()
    assert result.pay_year == year and result.threshold == 0.05
    assert "Equality and Human Rights Commission" in result.threshold_source
    sonographer = next(role for role in result.roles if role.role == "sonographer")
    by_trust = {line.trust: line for line in sonographer.lines}
    entry, top = salaries[("7", "entry")], salaries[("7", "top")]
    assert by_trust["RRK"].new_starter.total == pytest.approx(entry * 1.1)
    assert by_trust["RRK"].top.rrp == pytest.approx(top * 0.1)
    assert by_trust["RNA"].top.total == top + 1000 + 800
    assert by_trust["RRK"].reasons == ("premium", "pay_gap", "review_overdue")
    assert by_trust["RNA"].reasons == ("premium", "supplement")  # +1,800: under 5% of Band 7
    radiographer = next(role for role in result.roles if role.role == "diagnostic-radiographer")
    assert not radiographer.varies
    assert result.counts()["high"] == 1 and result.counts()["flags"] == 2


def test_a_trust_sees_its_own_lines_against_the_whole_network(pay_catalogue: Path) -> None:
    db = open_catalogue(pay_catalogue)
    try:
        result = pay_variation(db, trust="RRK", today=TODAY)
    finally:
        db.close()
    assert {line.trust for role in result.roles for line in role.lines} == {"RRK"}
    sonographer = next(role for role in result.roles if role.role == "sonographer")
    assert sonographer.bands[0].trusts == 4  # the comparison is network-wide
    assert "premium" in sonographer.lines[0].reasons


def test_the_command_line_shows_json_csv_and_a_table_and_fails_on_high(
    pay_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(pay_catalogue)]
    code, out, err = run(capsys, "variation", "--pay", "--format", "json", *db)
    assert code == 0, err
    data = json.loads(out)
    sonographer = next(role for role in data["roles"] if role["role"] == "sonographer")
    rrk = next(line for line in sonographer["lines"] if line["trust"] == "RRK")
    assert rrk["rrp"] == "10%" and rrk["rrp_until"] == "2020-03-31"
    assert rrk["new_starter"]["total"] == rrk["new_starter"]["basic"] + rrk["new_starter"]["rrp"]
    assert rrk["severity"] == "high" and "review_overdue" in rrk["reasons"]
    assert data["today"] == date.today().isoformat()  # the command line judges as of today

    code, out, _ = run(capsys, "variation", "--pay", "--format", "csv", *db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["trust"] for row in rows if row["role"] == "sonographer"} == {
        "RRK",
        "RL4",
        "RBK",
        "RNA",
    }
    assert next(row for row in rows if row["trust"] == "RNA")["top_supplement"] == "800"

    code, out, _ = run(capsys, "variation", "--pay", *db)
    assert code == 0 and "(basic £" in out and "+ RRP" in out and "2020-03-31" in out
    assert "2 pay line(s) flagged, 1 high" in out
    assert run(capsys, "variation", "--pay", "--fail-on", "high", *db)[0] == 1
    code, out, _ = run(capsys, "variation", "--pay", "--threshold", "50%", "--format", "json", *db)
    assert all(
        "pay_gap" not in line["reasons"]
        for role in json.loads(out)["roles"]
        for line in role["lines"]
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--pay", "--threshold", "0.05"], "write the percentage with its sign"),
        (["--pay", "--threshold", "five"], "give a percentage such as 5%"),
        (["--threshold", "5%"], "go with --pay"),
        (["--pay", "--pay-year", "1999/00"], "no pay for 1999/00"),
    ],
)
def test_bad_pay_options_are_refused(
    pay_catalogue: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, _, err = run(capsys, "variation", *args, "--db", str(pay_catalogue))
    assert code == 2 and says in err


def test_the_line_as_data_shows_every_element() -> None:
    roles, _ = analyse_pay(
        [_post("A", "A1", rrp_amount=1_200, rrp_until="2099-01-01"), _post("B", "B1")],
        SALARIES,
        threshold=0.05,
        today=TODAY,
    )
    data = line_dict(roles[0].lines[0])
    assert data["new_starter"] == {
        "point": "entry",
        "basic": 40_000,
        "rrp": 1_200,
        "supplement": 0,
        "total": 41_200,
    }
    assert data["rrp"] == 1_200 and data["reasons"] == ["premium"]


async def test_the_pay_tab_lists_who_pays_what_and_opens_the_role(pay_catalogue: Path) -> None:
    app = make_app(pay_catalogue, screen="harmonise")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")  # Flags, Scenario, Pay
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HarmoniseScreen)
        table = screen.query_one("#pay-lines", RowTable)
        assert app.focused is table
        keys = shown_keys(table)
        assert keys[0].startswith("sonographer|RRK|7")  # the high flag first
        assert not any(key.startswith("diagnostic-radiographer") for key in keys)
        first = table.get_row(keys[0])
        assert first[0].plain == "high" and "RRP £" in first[6].plain
        status = static_text(screen.query_one("#pay-status"), width=200)  # type: ignore[arg-type]
        assert "2 pay lines flagged (1 high, 1 warn)" in status
        await pilot.press("t")  # a flag's key: not on the Pay tab
        assert "no role targeted" in static_text(screen.query_one("#scenario-bar"), width=200)  # type: ignore[arg-type]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)


def test_the_bundled_catalogue_shows_illustrative_premia_flagged(packaged_db: Path) -> None:
    db = open_catalogue(packaged_db)
    try:
        result = pay_variation(db, today=date(2026, 12, 8))
    finally:
        db.close()
    flagged = {(line.role, line.trust): line for line in result.flagged}
    assert "review_overdue" in flagged[("sonographer", "RKB")].reasons
    assert flagged[("sonographer", "RJE")].appointment_point == "intermediate"
    assert "supplement" in flagged[("reporting-radiographer", "RL4")].reasons
    assert "no_review_date" in flagged[("reporting-radiographer", "RXK")].reasons
    # Every pay element shipped is labelled illustrative where it is described.
    assert all(
        line.pay_note.startswith("Illustrative") for line in flagged.values() if line.pay_note
    )
    assert {role for role, _ in flagged} == {"sonographer", "reporting-radiographer"}
