"""`e` writes the rows a table shows (after filtering, in their order) to CSV or TOML, asking
for a file name and never replacing a file unless the user confirms."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from catalogue import queries
from catalogue.store import open_catalogue
from tests.test_tui import active_table, settle, shown_keys, static_text, type_text
from tui.app import make_app
from tui.screens.catalogue import CatalogueScreen
from tui.screens.export import ExportScreen


def _role_fields(path: Path) -> list[str]:
    db = open_catalogue(path)
    try:
        return list(queries.list_roles(db)[0])
    finally:
        db.close()


async def _filter(pilot: Pilot[None], text: str) -> list[str]:
    """Filter the active table to `text`; the keys it then shows."""
    await pilot.press("slash")
    await pilot.press("home", "ctrl+k")  # clear what is there
    await type_text(pilot, text)
    await pilot.press("enter")
    return shown_keys(active_table(pilot.app).table)  # type: ignore[arg-type]


async def _name(pilot: Pilot[None], name: str) -> None:
    """In the export dialog, replace the file name."""
    await pilot.press("home", "ctrl+k")
    await type_text(pilot, name)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the dialog's default name is in the current directory
    return tmp_path


async def test_export_writes_the_filtered_rows_as_csv(packaged_db: Path, in_tmp: Path) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # sorted by title: the export keeps the order shown
        shown = await _filter(pilot, "sono")
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one(Input).value == "roles.csv"
        assert f"Export {len(shown)} roles" in str(app.screen.query_one("#export-title").content)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
    rows = list(csv.DictReader(io.StringIO((in_tmp / "roles.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == shown
    assert list(rows[0]) == _role_fields(packaged_db)  # the fields of `workforce export roles`


async def test_export_as_toml_by_the_names_ending(packaged_db: Path, in_tmp: Path) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = await _filter(pilot, "radiographer")
        await pilot.press("e")
        await _name(pilot, "radiographers.toml")
        await pilot.press("enter")
        await settle(pilot)
    data = tomllib.loads((in_tmp / "radiographers.toml").read_text(encoding="utf-8"))
    assert [role["id"] for role in data["role"]] == shown


async def test_export_never_replaces_a_file_unless_confirmed(
    packaged_db: Path, in_tmp: Path
) -> None:
    target = in_tmp / "roles.csv"
    target.write_text("keep me\n", encoding="utf-8")
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = await _filter(pilot, "sono")
        await pilot.press("e", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)  # asked, not written
        problem = static_text(app.screen.query_one("#export-problem", Static))
        assert "already exists" in problem
        assert target.read_text(encoding="utf-8") == "keep me\n"
        await pilot.press("escape")  # cancelled: still not written
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "keep me\n"
        await pilot.press("e", "enter", "enter")  # asked, then confirmed
        await settle(pilot)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == shown


async def test_export_refuses_a_name_with_no_format(packaged_db: Path, in_tmp: Path) -> None:
    app = make_app(packaged_db, screen="catalogue")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await _name(pilot, "roles.txt")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen)
        problem = static_text(app.screen.query_one("#export-problem", Static))
        assert ".csv or .toml" in problem
    assert list(in_tmp.iterdir()) == []


async def test_export_from_the_palette_and_from_a_trusts_posts(
    packaged_db: Path, in_tmp: Path
) -> None:
    app = make_app(packaged_db, trust="RLT")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "export: posts as TOML")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one(Input).value == "posts-RLT.toml"
        await pilot.press("enter")
        await settle(pilot)
    db = open_catalogue(packaged_db)
    try:
        refs = [row["jd_ref"] for row in queries.iter_jds(db, trust="RLT")]
    finally:
        db.close()
    data = tomllib.loads((in_tmp / "posts-RLT.toml").read_text(encoding="utf-8"))
    assert sorted(job["jd_ref"] for job in data["job"]) == sorted(refs)
    assert all(job["trust"] == "RLT" for job in data["job"])
