"""The Import screen with what trusts send: a Word JD and an Excel workbook of posts are read,
shown field by field with where each came from, and imported; the trust or the sheet a
document does not say is chosen here (no command-line flags quoted); a Word JD read short is
corrected in a form, field by field, then imported. Real .docx and .xlsx files, written by
python-docx and openpyxl; the catalogue checked in SQLite and by its SHA-256."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.support import digest
from tests.test_documents import establishment, table_jd
from tests.test_tui import settle, static_text
from tests.test_tui_import import problems_shown, screen, verdict
from tui.app import WorkforceApp, make_app
from tui.screens.importing import ImportScreen
from tui.widgets.dialogs import ChoiceDialog, ConfirmDialog
from tui.widgets.file_picker import FilePicker
from tui.widgets.import_views import SCREEN_WORDS
from tui.widgets.jd_form import JDForm
from tui.widgets.key_bar import KeyBar

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own directory, the one its files are written to."""
    monkeypatch.chdir(tmp_path)


def posts(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT trust, jd_ref, title, band, wte_funded, wte_in_post FROM job_description "
            "ORDER BY trust, jd_ref"
        ).fetchall()
    finally:
        conn.close()


def preview(app: WorkforceApp) -> str:
    """The dry run as shown, with its lines joined again where they wrapped."""
    text = static_text(screen(app).query_one("#import-preview-body", Static), width=300)
    return "\n".join(line.rstrip() for line in text.splitlines())


def key_bar(app: WorkforceApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def choose_file(pilot: Pilot[None], name: str) -> None:
    """Enter on the file `name` in the list of the directory's files: its dry run."""
    files = screen(pilot.app).query_one(FilePicker)  # type: ignore[arg-type]
    files.focus()
    assert files.move_to_key(name), [str(row.key.value) for row in files.ordered_rows]
    await pilot.press("enter")
    await settle(pilot)


async def choose_trust(pilot: Pilot[None], code: str) -> None:
    """`t`, then the trust `code` typed in the list of trusts and taken: a dry run again."""
    await pilot.press("t")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ChoiceDialog)
    dialog.query_one("#choice-filter", Input).value = code
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def field(app: WorkforceApp, name: str) -> Input:
    return app.screen.query_one(f"#f-{name}", Input)


def said_under(app: WorkforceApp, name: str, what: str) -> str:
    """The form's hint (`what` "hint") or problem ("problem") under the field `name`."""
    shown = app.screen.query_one(f"#{name}-{what}", Static)
    if what == "problem" and not shown.has_class("-shown"):
        return ""
    return static_text(shown, width=300).strip()


async def open_form(pilot: Pilot[None]) -> JDForm:
    await pilot.press("c")
    await settle(pilot)
    await pilot.pause()  # the form takes the values it opened with
    form = pilot.app.screen
    assert isinstance(form, JDForm), form
    return form


async def put(pilot: Pilot[None], name: str, text: str) -> None:
    field(pilot.app, name).value = text  # type: ignore[arg-type]
    await settle(pilot)


# -- read, shown, imported ------------------------------------------------------------------


async def test_a_word_jd_and_a_workbook_show_what_was_read_then_import(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    table_jd(
        tmp_path / "ct.docx",
        [
            ("Job Title:", "CT Radiographer (Band 6)"),
            ("Job Reference:", "UHB-CT-1"),
            ("Hours:", "30 hours per week"),
        ],
        purpose="Performs CT scanning and contrast administration; cannulation.",
    )
    establishment(tmp_path / "est.xlsx")
    (tmp_path / "notes.txt").write_text("not read", encoding="utf-8")
    (tmp_path / "~$ct.docx").write_bytes(b"Word's own lock file while ct.docx is open")
    unchanged = digest(empty_catalogue)
    app = make_app(empty_catalogue, screen="import")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        files = screen(app).query_one(FilePicker)
        assert [str(row.key.value) for row in files.ordered_rows] == ["ct.docx", "est.xlsx"]

        await choose_file(pilot, "ct.docx")
        assert "ct.docx: 1 added, 0 updated, 0 unchanged" in verdict(app)
        shown = preview(app)
        # What was read into each field, and from where, as `workforce import --dry-run` says.
        assert "Read from ct.docx" in shown
        assert "title: 'CT Radiographer' (table 1, row 1)" in shown
        assert "band: '6' (table 1, row 1, in the title)" in shown
        assert "reference: 'UHB-CT-1' (table 1, row 2)" in shown
        assert "WTE: '0.8' (table 1, row 3: 30 hours per week, as WTE of a 37.5-hour week)" in (
            shown
        )
        assert "trust: 'RRK' (page header names" in shown
        assert "To add (1)" in shown and "UHB-CT-1" in shown
        assert digest(empty_catalogue) == unchanged  # the dry run wrote nothing
        # A Word JD: its trust may be chosen, and what was read corrected; it has no sheets.
        assert "t Trust" in key_bar(app) and "c Correct" in key_bar(app)
        assert "s Sheet" not in key_bar(app)

        await pilot.press("enter")  # confirm
        await settle(pilot)
        assert "Imported ct.docx: 1 added" in verdict(app)
        assert posts(empty_catalogue) == [("RRK", "UHB-CT-1", "CT Radiographer", "6", 0.8, None)]

        await choose_file(pilot, "est.xlsx")
        assert "est.xlsx: 3 added" in verdict(app)
        shown = preview(app)
        assert "Read from est.xlsx" in shown
        assert "sheet 'Establishment', header on row 3: 'Position No' -> jd_ref" in shown
        assert "'Post Title' -> title" in shown and "'AfC Band' -> band" in shown
        assert "columns not used: 'Cost Centre'" in shown
        assert "skipped: row 8 (a total row)" in shown
        assert "trust RRK: named in the title on row 1" in shown
        assert "s Sheet" in key_bar(app) and "c Correct" not in key_bar(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported est.xlsx: 3 added" in verdict(app)
    assert posts(empty_catalogue) == [
        ("RRK", "P001", "Diagnostic Radiographer", "5", 12.0, 10.4),
        ("RRK", "P002", "Sonographer", "7", 4.0, 3.2),
        ("RRK", "P003", "Imaging Assistant", "3", 3.5, 3.5),
        ("RRK", "UHB-CT-1", "CT Radiographer", "6", 0.8, None),
    ]


# -- a Word JD corrected -----------------------------------------------------------------------


async def test_a_word_jd_with_no_band_is_refused_then_corrected_and_imported(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    table_jd(tmp_path / "no-band.docx", [("Job Title", "Imaging Assistant"), ("Job Ref", "A-1")])
    unchanged = digest(empty_catalogue)
    app = make_app(empty_catalogue, screen="import")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_file(pilot, "no-band.docx")
        said = verdict(app)
        assert "no-band.docx: refused, 1 problem" in said and "c corrects what was read" in said
        assert any("no band found" in line for line in problems_shown(app))
        assert digest(empty_catalogue) == unchanged  # refused: not a byte written

        form = await open_form(pilot)
        # Each field as read, and where from; the band, not found, is what to put right.
        assert field(app, "title").value == "Imaging Assistant"
        assert said_under(app, "title", "hint").strip() == "where read: table 1, row 1"
        assert field(app, "jd_ref").value == "A-1"
        assert field(app, "band").value == ""
        assert said_under(app, "band", "hint") == "not found in the document"
        assert "Give the band" in said_under(app, "band", "problem")
        assert "page header" in said_under(app, "trust", "hint")

        await put(pilot, "band", "Band 12")
        assert "'Band 12' is not a band" in said_under(app, "band", "problem")
        await put(pilot, "band", "3")
        assert said_under(app, "band", "problem") == ""
        await put(pilot, "title", "Imaging Support Worker [b]")  # text is data, never markup
        assert "2 fields corrected" in static_text(form.query_one("#form-status", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)  # the dry run again, with the corrections
        assert isinstance(app.screen, ImportScreen)
        assert "no-band.docx: 1 added" in verdict(app)
        shown = preview(app)
        assert "band: corrected by hand to '3'" in shown
        assert "title: corrected by hand to 'Imaging Support Worker [b]'" in shown
        assert digest(empty_catalogue) == unchanged  # the form's check and the dry run

        # Opened again: the corrections are what it shows, and says so.
        await open_form(pilot)
        assert field(app, "band").value == "3"
        assert said_under(app, "band", "hint").startswith("corrected here (none read)")
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)

        await pilot.press("enter")  # the import, with the corrections
        await settle(pilot)
        assert "Imported no-band.docx: 1 added" in verdict(app)
    assert posts(empty_catalogue) == [("RRK", "A-1", "Imaging Support Worker [b]", "3", None, None)]


async def test_the_form_names_what_is_wrong_and_shows_a_refusal_beside_its_field(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    table_jd(
        tmp_path / "jd.docx",
        [("Job Title", "Radiographer"), ("Band", "5"), ("Job Ref", "R-5")],
    )
    unchanged = digest(empty_catalogue)
    app = make_app(empty_catalogue, screen="import")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_file(pilot, "jd.docx")
        assert "jd.docx: 1 added" in verdict(app)
        form = await open_form(pilot)
        await put(pilot, "wte_funded", "one")
        assert "'one' is not a number of WTE" in said_under(app, "wte_funded", "problem")
        await put(pilot, "je_levels", "1 2 3")
        assert "Give 16 levels" in said_under(app, "je_levels", "problem")
        await put(pilot, "title", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JDForm)  # not used: still open
        status = static_text(form.query_one("#form-status", Static))
        assert "Not saved: put right what is said under the fields (3)" in status
        assert app.focused is field(app, "title")  # the first field to put right

        # 16 levels, one out of the scheme's range: the catalogue refuses it, in the form.
        await put(pilot, "title", "Radiographer")
        await put(pilot, "wte_funded", "1")
        await put(pilot, "je_levels", " ".join(["99"] + ["2"] * 15))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JDForm)
        assert "level '99' is outside" in said_under(app, "je_levels", "problem")
        refusal = static_text(form.query_one("#form-refusal", Static), width=300)
        assert "field 'je_levels'" in refusal and "level '99' is outside" in refusal
        assert "Nothing was saved" in static_text(form.query_one("#form-status", Static))

        await pilot.press("escape")  # changed: asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        assert "jd.docx: 1 added" in verdict(app)  # the dry run as it was: no corrections
        assert screen(app).options_for(tmp_path / "jd.docx").corrections == {}
    assert digest(empty_catalogue) == unchanged


# -- what a document does not say, chosen here -----------------------------------------------


async def test_a_jd_naming_no_trust_is_given_one_here(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    table_jd(
        tmp_path / "agency.docx",
        [("Job Title", "Radiographer"), ("Band", "5"), ("Job Ref", "AG-1")],
        header="Imaging services",
    )
    unchanged = digest(empty_catalogue)
    app = make_app(empty_catalogue, screen="import")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_file(pilot, "agency.docx")
        assert "t chooses the trust" in verdict(app)
        lines = problems_shown(app)
        assert any("no trust named in the document: choose its trust with t" in x for x in lines)
        assert not any("--trust" in line for line in lines)  # a key here, not a flag
        assert digest(empty_catalogue) == unchanged

        await choose_trust(pilot, "RBK")
        assert "agency.docx: 1 added" in verdict(app)
        assert "trust: 'RBK' (chosen here with t)" in preview(app)
        assert digest(empty_catalogue) == unchanged
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported" in verdict(app)
    assert posts(empty_catalogue) == [("RBK", "AG-1", "Radiographer", "5", None, None)]


async def test_a_workbook_of_several_sheets_offers_them_then_its_trust(
    empty_catalogue: Path, tmp_path: Path
) -> None:
    establishment(tmp_path / "two.xlsx", extra_sheet=True)
    unchanged = digest(empty_catalogue)
    app = make_app(empty_catalogue, screen="import")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_file(pilot, "two.xlsx")
        assert "s chooses the sheet" in verdict(app)
        said = " ".join(line.strip() for line in problems_shown(app))
        assert "several sheets hold posts ('Establishment', 'Last year'): choose one with s" in (
            said
        )
        assert digest(empty_catalogue) == unchanged

        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        labels = [label.plain for _, label in dialog.choices]
        assert labels == [
            "Establishment  3 posts, header on row 3",
            "Last year  1 post, header on row 1",
        ]
        await pilot.press("down", "enter")  # Last year: no trust column, no title naming one
        await settle(pilot)
        assert "t chooses the trust" in verdict(app)
        assert any("choose its trust with t" in line for line in problems_shown(app))

        await choose_trust(pilot, "RBK")
        assert "two.xlsx: 1 added" in verdict(app)
        assert "sheet 'Last year', header on row 1" in preview(app)
        assert digest(empty_catalogue) == unchanged  # refusals and dry runs: nothing written
        await pilot.press("enter")
        await settle(pilot)
        assert "Imported" in verdict(app)
    assert posts(empty_catalogue) == [("RBK", "RADIOGRAPHER-B5", "Radiographer", "5", 11.0, None)]


async def test_the_document_keys_are_in_the_help_and_only_for_documents(
    catalogue_copy: Path, tmp_path: Path
) -> None:
    (tmp_path / "jds.csv").write_text("trust,jd_ref,title,band\nRRK,X-1,Radiographer,5\n")
    app = make_app(catalogue_copy, screen="import")
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        markdown = screen(app).help_markdown()
        for key in ("| `t` |", "| `s` |", "| `c` |"):
            assert key in markdown, key
        assert "Word JD" in markdown and "Excel workbook" in markdown
        await choose_file(pilot, "jds.csv")
        assert "jds.csv: 1 added" in verdict(app)
        for item in ("t Trust", "s Sheet", "c Correct"):
            assert item not in key_bar(app)  # a CSV says its trust and has no sheets


def test_the_screens_words_follow_the_importers() -> None:
    """Each flag the screen puts a key in place of is still in the importer's words (else
    they show as the importer says them, flags and all)."""
    catalogue = Path(__file__).resolve().parent.parent / "catalogue"
    readers = ("document_sources.py", "xlsx_sources.py", "docx_jd.py")
    sources = "".join((catalogue / name).read_text(encoding="utf-8") for name in readers)
    for flag, _ in SCREEN_WORDS:
        assert flag.strip("()") in sources, flag
