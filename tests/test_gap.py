"""The workforce gap: sums by trust, staff group and ICB, rates, national rates, small numbers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pathways.gap import (
    GapRow,
    WteCell,
    gap_report,
    gap_row,
    is_small,
    roll_up,
    suppress_small,
    vacancies,
    vacancy_rate,
    weighted_national_rate,
)
from pathways.records import NationalRate
from tests.factories import jd, make_catalogue
from workforce_cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- pure functions ---------------------------------------------------------------------------


def test_vacancies_and_rates() -> None:
    assert vacancies(10.0, 8.0) == 2.0
    assert vacancies(4.0, 4.5) == -0.5  # over-established: negative, not hidden
    assert vacancies(None, 3.0) is None
    assert vacancy_rate(10.0, 8.0) == pytest.approx(0.2)
    assert vacancy_rate(4.0, 5.0) == pytest.approx(-0.25)
    assert vacancy_rate(0.0, 0.0) is None and vacancy_rate(None, None) is None


def test_small_numbers_threshold() -> None:
    assert is_small(4.9) and not is_small(5.0) and not is_small(None)
    assert is_small(0.0)


def test_weighted_national_rate() -> None:
    # 30 WTE at 10% and 10 WTE at 2%: (3 + 0.2) / 40 = 8%; a role with no rate is left out.
    rate, covered = weighted_national_rate([(30.0, 0.10), (10.0, 0.02), (60.0, None)])
    assert rate == pytest.approx(0.08) and covered == 40.0
    assert weighted_national_rate([(5.0, None)]) == (None, 0.0)
    assert weighted_national_rate([]) == (None, 0.0)


RATES = {
    "alpha": NationalRate("alpha", "Alpha staff", 0.10, "made up", ("role-a",)),
    "beta": NationalRate("beta", "Beta staff", 0.02, "made up", ("role-b",)),
}


def cell(
    trust: str,
    role: str | None,
    group: str | None,
    est: float | None,
    in_post: float | None,
    *,
    jds: int = 1,
    without: int = 0,
    icb: str = "Q1",
) -> WteCell:
    return WteCell(
        trust, f"{trust} trust", icb, f"{icb} board", role, group, group, jds, without, est, in_post
    )


def test_roll_up_weights_national_rates_by_establishment() -> None:
    cells = [
        cell("T1", "role-a", "g", 30.0, 27.0),
        cell("T2", "role-b", "g", 10.0, 10.0),
        cell("T2", "role-c", "g", 60.0, 50.0),
    ]
    (group,) = roll_up(cells, lambda c: (c.staff_group or "", "G"), RATES)
    row = gap_row(group)
    assert (row.establishment, row.in_post, row.vacancies) == (100.0, 87.0, 13.0)
    assert row.vacancy_rate == 0.13
    assert row.national_rate == 0.08  # (30 x 10% + 10 x 2%) / 40
    assert row.national_coverage == 0.4  # 40 of 100 WTE are in roles with a national rate
    assert row.rated_vacancy_rate == 0.075  # (3 + 0) / 40
    assert row.vs_national == -0.005


def test_gap_row_marks_over_establishment_and_unknowns() -> None:
    (over,) = roll_up([cell("T1", None, None, 4.0, 4.5)], lambda c: ("u", "U"), {})
    row = gap_row(over)
    assert row.vacancies == -0.5 and row.over_established and row.vacancy_rate == -0.125
    assert row.small and row.national_rate is None and row.vs_national is None
    (unknown,) = roll_up([cell("T1", None, None, None, None, without=2)], lambda c: ("u", "U"), {})
    row = gap_row(unknown)
    assert row.establishment is None and row.vacancy_rate is None
    assert row.over_established is None and not row.small and row.jds_without_wte == 2


def plain_row(key: str, establishment: float) -> GapRow:
    return gap_row(
        roll_up(
            [cell(key, None, None, establishment, establishment)], lambda c: (c.trust, c.trust), {}
        )[0]
    )


def test_suppression_hides_small_groups_and_one_more_when_alone() -> None:
    rows = [plain_row("A", 3.0), plain_row("B", 20.0), plain_row("C", 8.0)]
    total = plain_row("total", 31.0)
    hidden, shown_total = suppress_small(rows, total)
    by_key = {row.key: row for row in hidden}
    assert by_key["A"].suppressed == "small" and by_key["A"].establishment is None
    # A alone would be the total minus B and C, so the next smallest (C) is hidden too.
    assert by_key["C"].suppressed == "secondary" and by_key["C"].vacancy_rate is None
    assert by_key["B"].suppressed == "" and by_key["B"].establishment == 20.0
    assert shown_total.establishment == 31.0 and shown_total.suppressed == ""
    assert all(row.jds == 1 for row in hidden)  # JD counts are not suppressed

    two_small = [plain_row("A", 3.0), plain_row("B", 20.0), plain_row("C", 2.0)]
    hidden, _ = suppress_small(two_small, plain_row("total", 25.0))
    assert [row.suppressed for row in hidden] == ["small", "", "small"]

    tiny, tiny_total = suppress_small([plain_row("A", 3.0)], plain_row("total", 3.0))
    assert tiny[0].suppressed == "small" and tiny_total.suppressed == "small"


def test_gap_report_on_no_cells() -> None:
    report = gap_report([], RATES, "staff-group", suppress=True)
    assert report.rows == ()
    assert report.total.jds == 0 and report.total.establishment is None
    with pytest.raises(ValueError, match="cannot group by"):
        gap_report([], RATES, "colour")


# --- a hand-made catalogue --------------------------------------------------------------------

# RRK and RQ3 are in ICB QHL, RL4 in QUA (catalogue/data/organisations.toml).
HAND_JDS = [
    jd("RRK", "A", "diagnostic-radiographer", "5", wte_funded=10, wte_in_post=8),
    jd("RRK", "B", "sonographer", "7", wte_funded=4, wte_in_post=4.5),  # over-established
    jd("RQ3", "C", "diagnostic-radiographer", "5", wte_funded=6, wte_in_post=5.5),
    jd("RL4", "D", None, "4", title="Imaging helper", wte_funded=3, wte_in_post=2),  # unmapped
    jd("RL4", "E", "sonographer", "7", wte_in_post=2),  # no establishment: unknown
    jd("RL4", "F", "radiology-nurse", "5", wte_funded=5, wte_in_post=4),
]


@pytest.fixture
def hand_db(reference_db: Path, tmp_path: Path) -> Path:
    return make_catalogue(reference_db, tmp_path, HAND_JDS)


def gap_json(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> dict[str, Any]:
    code, out, _ = run(capsys, "gap", "--db", str(db), "--format", "json", *extra)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def national(db: Path) -> dict[str, float]:
    """Each role's national rate, read from the catalogue the way a reader would check it."""
    with sqlite3.connect(db) as conn:
        return dict(
            conn.execute(
                "SELECT rr.role, r.rate FROM national_rate_role rr "
                "JOIN national_rate r ON r.id = rr.rate"
            ).fetchall()
        )


def test_gap_by_trust(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gap_json(capsys, hand_db, "--by", "trust")
    groups = {g["key"]: g for g in data["groups"]}
    assert list(groups) == ["RL4", "RQ3", "RRK"]
    # RRK: A + B = 14 funded, 12.5 in post.
    assert (groups["RRK"]["establishment"], groups["RRK"]["in_post"]) == (14.0, 12.5)
    assert groups["RRK"]["vacancies"] == 1.5
    assert groups["RRK"]["vacancy_rate"] == round(1.5 / 14, 4)
    # RL4: D + F (E has no establishment, so its 2 in post are left out too).
    assert (groups["RL4"]["establishment"], groups["RL4"]["in_post"]) == (8.0, 6.0)
    assert groups["RL4"]["jds"] == 3 and groups["RL4"]["jds_without_wte"] == 1
    total = data["total"]
    assert (total["establishment"], total["in_post"], total["vacancies"]) == (28.0, 24.0, 4.0)
    assert total["vacancy_rate"] == round(4 / 28, 4)
    assert total["jds"] == 6 and total["jds_without_wte"] == 1


def test_gap_by_icb(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    groups = {g["key"]: g for g in gap_json(capsys, hand_db, "--by", "icb")["groups"]}
    assert set(groups) == {"QHL", "QUA"}
    assert (groups["QHL"]["establishment"], groups["QHL"]["in_post"]) == (20.0, 18.0)
    assert groups["QHL"]["jds"] == 3
    assert (groups["QUA"]["establishment"], groups["QUA"]["in_post"]) == (8.0, 6.0)


def test_gap_by_staff_group(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gap_json(capsys, hand_db, "--by", "staff-group")
    groups = {g["key"]: g for g in data["groups"]}
    assert list(groups) == ["radiography", "radiology-nursing", "sonography", "unmapped"]
    rates = national(hand_db)

    radiography = groups["radiography"]
    assert (radiography["establishment"], radiography["in_post"]) == (16.0, 13.5)
    assert radiography["national_rate"] == rates["diagnostic-radiographer"]
    assert radiography["national_coverage"] == 1.0

    sonography = groups["sonography"]
    assert (sonography["establishment"], sonography["in_post"]) == (4.0, 4.5)
    assert sonography["vacancies"] == -0.5 and sonography["over_established"] is True
    assert sonography["small"] is True and sonography["jds_without_wte"] == 1

    nursing = groups["radiology-nursing"]
    assert nursing["small"] is False  # exactly 5 WTE is not under 5
    assert "radiology-nurse" not in rates and nursing["national_rate"] is None

    unmapped = groups["unmapped"]
    assert unmapped["establishment"] == 3.0 and unmapped["small"] is True

    # The network: 16 WTE of radiographers and 4 of sonographers have national rates.
    expected = (16 * rates["diagnostic-radiographer"] + 4 * rates["sonographer"]) / 20
    assert data["total"]["national_rate"] == round(expected, 4)
    assert data["total"]["national_coverage"] == round(20 / 28, 4)
    assert data["total"]["rated_vacancy_rate"] == round((2.5 - 0.5) / 20, 4)


def test_gap_suppresses_small_groups(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gap_json(capsys, hand_db, "--by", "staff-group", "--suppress-small")
    groups = {g["key"]: g for g in data["groups"]}
    assert data["suppressed"] is True
    for key in ("sonography", "unmapped"):  # two small groups: no secondary needed
        assert groups[key]["suppressed"] == "small"
        assert groups[key]["establishment"] is None and groups[key]["vacancies"] is None
        assert groups[key]["vacancy_rate"] is None and groups[key]["over_established"] is None
    assert groups["radiography"]["establishment"] == 16.0
    assert groups["radiology-nursing"]["suppressed"] == ""
    assert data["total"]["establishment"] == 28.0

    code, out, _ = run(
        capsys,
        "gap",
        "--by",
        "staff-group",
        "--suppress-small",
        "--db",
        str(hand_db),
        "--format",
        "csv",
    )
    rows = {row["key"]: row for row in csv.DictReader(io.StringIO(out))}
    assert code == 0 and rows["sonography"]["establishment"] == "*"
    assert rows["radiography"]["establishment"] == "16.0" and "total" in rows

    code, out, _ = run(
        capsys, "gap", "--by", "staff-group", "--suppress-small", "--db", str(hand_db)
    )
    sonography_line = next(line for line in out.splitlines() if line.split()[:1] == ["sonography"])
    assert code == 0 and "*" in sonography_line and "4.5" not in sonography_line


def test_gap_table_says_over_establishment(
    hand_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "gap", "--by", "staff-group", "--db", str(hand_db))
    text = " ".join(out.split())
    assert code == 0
    assert "sonography: over-established: 0.5 WTE more in post than funded" in text
    assert "sonography: 1 JD without WTE" in text
    assert max(len(line) for line in out.splitlines()) <= 100


def test_gap_on_an_empty_catalogue(
    empty_catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = gap_json(capsys, empty_catalogue, "--by", "staff-group")
    assert data["groups"] == [] and data["total"]["jds"] == 0
    assert data["total"]["establishment"] is None and data["total"]["vacancy_rate"] is None
    code, out, _ = run(capsys, "gap", "--db", str(empty_catalogue))
    assert code == 0 and "No job descriptions" in out
    code, out, _ = run(capsys, "gap", "--db", str(empty_catalogue), "--format", "csv")
    assert code == 0 and list(csv.DictReader(io.StringIO(out)))[0]["key"] == "total"


def test_bad_grouping_exits_2(hand_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["gap", "--by", "colour", "--db", str(hand_db)])
    assert exited.value.code == 2


# --- the bundled catalogue --------------------------------------------------------------------


def test_bundled_gap_by_staff_group(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gap_json(capsys, packaged_db, "--by", "staff-group")
    groups = {g["key"]: g for g in data["groups"]}
    with sqlite3.connect(packaged_db) as conn:
        funded, in_post, count = conn.execute(
            "SELECT SUM(wte_funded), SUM(wte_in_post), COUNT(*) FROM job_description "
            "WHERE wte_funded IS NOT NULL AND wte_in_post IS NOT NULL"
        ).fetchone()
        unmapped = conn.execute(
            "SELECT COUNT(*) FROM job_description WHERE role IS NULL"
        ).fetchone()[0]
        radiography = conn.execute(
            "SELECT SUM(j.wte_funded) FROM job_description j JOIN role r ON r.id = j.role "
            "WHERE r.staff_group = 'radiography'"
        ).fetchone()[0]
    total = data["total"]
    assert total["establishment"] == pytest.approx(funded, abs=0.01)
    assert total["in_post"] == pytest.approx(in_post, abs=0.01)
    assert sum(g["jds"] for g in groups.values()) == total["jds"] >= count
    assert sum(g["establishment"] or 0 for g in groups.values()) == pytest.approx(funded, abs=0.1)
    assert groups["unmapped"]["jds"] == unmapped > 0
    assert groups["radiography"]["establishment"] == pytest.approx(radiography, abs=0.01)
    # Sonography's national rate: its roles' rates weighted by their establishment.
    with sqlite3.connect(packaged_db) as conn:
        weighted, covered = conn.execute(
            "SELECT SUM(j.wte_funded * n.rate), SUM(j.wte_funded) FROM job_description j "
            "JOIN role r ON r.id = j.role JOIN national_rate_role nr ON nr.role = j.role "
            "JOIN national_rate n ON n.id = nr.rate WHERE r.staff_group = 'sonography' "
            "AND j.wte_funded IS NOT NULL AND j.wte_in_post IS NOT NULL"
        ).fetchone()
    assert groups["sonography"]["national_rate"] == pytest.approx(weighted / covered, abs=1e-4)


def test_bundled_gap_by_rate_family(packaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gap_json(capsys, packaged_db, "--by", "rate-family")
    groups = {g["key"]: g for g in data["groups"]}
    rates = {r["id"]: r["rate"] for r in data["national_rates"]}
    for key, rate in rates.items():
        if key in groups:  # a family's national rate is its own figure
            assert groups[key]["national_rate"] == pytest.approx(rate)
    assert groups["none"]["national_rate"] is None
    assert groups["diagnostic-radiographers"]["vacancy_rate"] > 0
    code, out, _ = run(capsys, "gap", "--by", "trust", "--db", str(packaged_db))
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100


def test_trust_rows_add_up_to_the_total_as_shown(
    reference_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1.334 WTE at three trusts: 1.33 each as shown, 3.99 added up, but 4.002 (shown 4) summed
    # before rounding. Each JD's WTE is rounded to 2 places before it is added (issue 12).
    jds = [
        jd(trust, ref, "diagnostic-radiographer", "5", wte_funded=1.334, wte_in_post=1)
        for trust, ref in (("RRK", "A"), ("RQ3", "B"), ("RL4", "C"))
    ]
    db = make_catalogue(reference_db, tmp_path, jds)
    data = gap_json(capsys, db, "--by", "trust")
    parts = [group["establishment"] for group in data["groups"]]
    assert parts == [1.33] * 3
    assert data["total"]["establishment"] == pytest.approx(sum(parts))
    assert data["total"]["vacancies"] == pytest.approx(sum(g["vacancies"] for g in data["groups"]))
