"""Paths exported as rows mean what the screen shows (issue 12): one row per step with that
step's own months, funding cap and fee; the path's totals once, on its first row. A programme
that spans a training post (two moves, one fee) is counted once, so a column sums to the
path's total."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from catalogue.store import open_catalogue
from pathways.path_export import PATH_COLUMNS, path_rows
from pathways.paths import Career, CareerPath, PathQuery, find_paths, load_career
from tests.support import run
from tests.test_tui import settle, type_text
from tests.test_tui_ladders import in_tmp as in_tmp  # the fixture: run in tmp_path
from tui.app import make_app

TODAY = date(2025, 6, 1)
# An apprentice radiographer becomes a sonographer through a trainee sonographer post whose
# postgraduate programme spans the two moves: one fee, on two steps.
FROM, TO = "apprentice-radiographer", "sonographer"


@pytest.fixture(scope="module")
def found(packaged_db: Path) -> tuple[Career, list[CareerPath]]:
    db = open_catalogue(packaged_db)
    try:
        career = load_career(db)
    finally:
        db.close()
    return career, find_paths(career, PathQuery(FROM, TO), TODAY)


def _spans_a_programme(path: CareerPath) -> bool:
    ids = [s.move.route.id for s in path.steps if s.move.route and s.fee is not None]
    return len(ids) != len(set(ids))


def _sums(rows: list[dict[str, str]], column: str) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[str(row["path"])] += int(row[column] or 0)
    return dict(totals)


def test_a_programme_over_two_steps_is_counted_once(
    found: tuple[Career, list[CareerPath]],
) -> None:
    career, paths = found
    assert any(_spans_a_programme(path) for path in paths)  # the case this is about
    rows = path_rows(paths, career, TODAY)
    assert list(rows[0]) == list(PATH_COLUMNS)
    for number, path in enumerate(paths, start=1):
        mine = [row for row in rows if row["path"] == number]
        assert len(mine) == len(path.steps)
        assert sum(row["fee"] or 0 for row in mine) == (path.fees or 0)
        assert sum(row["funding_cap"] or 0 for row in mine) == (path.apprenticeship_cost or 0)
        assert sum(row["months"] for row in mine) == path.total_months
        # The totals once, on the first row.
        assert mine[0]["path_fees"] == path.fees and mine[0]["path_months"] == path.total_months
        assert all(row["path_fees"] is None for row in mine[1:])
        if _spans_a_programme(path):
            assert any("counted at step" in row["counted"] for row in mine)


def test_path_format_csv_sums_like_the_screen(
    packaged_db: Path, found: tuple[Career, list[CareerPath]], capsys: pytest.CaptureFixture[str]
) -> None:
    _, paths = found
    argv = ("path", FROM, TO, "--db", str(packaged_db), "--format", "csv")
    code, out, _ = run(capsys, *argv, "--as-of", TODAY.isoformat())
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = {str(n): path.fees or 0 for n, path in enumerate(paths, start=1)}
    assert _sums(rows, "fee") == expected == _sums(rows, "path_fees")
    caps = {str(n): path.apprenticeship_cost or 0 for n, path in enumerate(paths, start=1)}
    assert _sums(rows, "funding_cap") == caps == _sums(rows, "path_funding_cap")


async def test_the_apps_path_export_is_the_same_rows(
    packaged_db: Path, in_tmp: Path, found: tuple[Career, list[CareerPath]]
) -> None:
    career, _ = found
    app = make_app(packaged_db, screen="next-step", role=FROM)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # the target tab, with the list of roles open
        await type_text(pilot, career.roles[TO].title)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        paths = list(screen.paths)  # type: ignore[attr-defined]
        await pilot.press("e", "enter")
        await settle(pilot)
    rows = list(csv.DictReader(io.StringIO((in_tmp / "paths.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(PATH_COLUMNS)
    assert _sums(rows, "fee") == {str(n): p.fees or 0 for n, p in enumerate(paths, start=1)}
    assert any(_spans_a_programme(path) for path in paths)
