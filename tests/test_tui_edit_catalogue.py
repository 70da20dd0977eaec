"""The Catalogue screen's forms: add a trust (with a new ICB), edit a role's competencies, add
a pay year by uplift. Each is driven with keys on a real catalogue copy and checked in SQLite.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from catalogue.reference_import import save_rows
from catalogue.reference_kinds import BY_NAME
from catalogue.store import open_catalogue
from tests.test_tui import active_table, detail_text, settle, shown_keys, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.catalogue import CatalogueScreen
from tui.screens.network import NetworkScreen
from tui.widgets.dialogs import ChoiceDialog, ConfirmDialog
from tui.widgets.form_fields import FormScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.pay_year_form import PayYearForm
from tui.widgets.role_competency_form import RoleCompetencyForm
from tui.widgets.tables import RowTable
from tui.widgets.trust_form import NEW_ICB, SOURCE, TrustForm

SIZE = (110, 40)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def problem_under(app: WorkforceApp, field_id: str) -> str:
    """What the form says under a field ('' when nothing is wrong, or not said yet)."""
    shown = app.screen.query_one(f"#{field_id}-problem", Static)
    rendered = shown.render()  # as drawn: markup in it would be gone, read as styles
    assert isinstance(rendered, Content)
    return rendered.plain if shown.has_class("-shown") else ""


def form_status(app: WorkforceApp) -> str:
    return static_text(app.screen.query_one("#form-status", Static), width=200)


def refusal(app: WorkforceApp) -> str:
    """The refusal as drawn: markup in it would be gone, read as styles."""
    rendered = app.screen.query_one("#form-refusal", Static).render()
    assert isinstance(rendered, Content)
    return rendered.plain


async def open_form(pilot: Pilot[None], tab_keys: list[str], key: str) -> FormScreen:
    """From the Catalogue screen: move to a tab, press the form's key, wait for it to read."""
    await settle(pilot)
    await pilot.press(*tab_keys)
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormScreen), form
    assert form.ready
    return form


async def fill(pilot: Pilot[None], field_id: str, text: str) -> None:
    """Replace a field's text, typing it key by key (checked as it is typed)."""
    field = pilot.app.screen.query_one(f"#f-{field_id}", Input)
    field.focus()
    field.value = ""
    await type_text(pilot, text)
    await settle(pilot)


async def put(pilot: Pilot[None], field_id: str, text: str) -> None:
    """Set a field's text at once (a long name: typing it key by key is slow, and what is
    checked as typed is the codes)."""
    pilot.app.screen.query_one(f"#f-{field_id}", Input).value = text
    await settle(pilot)


async def choose_new_icb(pilot: Pilot[None]) -> None:
    """Open the ICB list and take its last choice, New ICB…, by typing its start."""
    pilot.app.screen.query_one("#f-trust-icb", Select).focus()
    await pilot.press("enter")
    await type_text(pilot, "New")
    await pilot.press("enter")
    await settle(pilot)


# -- adding a trust ---------------------------------------------------------------------------


async def test_a_trust_added_with_a_new_icb_shows_on_the_network_and_catalogue_screens(
    catalogue_copy: Path,
) -> None:
    app = make_app(catalogue_copy)  # the Network screen first: it is built, and must reload
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await open_form(pilot, ["left_square_bracket"], "a")  # Roles -> Trusts (the last tab)
        assert isinstance(app.screen, TrustForm)
        await fill(pilot, "trust-code", "RZZ9")
        await fill(pilot, "trust-name", "Vale Trust")
        await choose_new_icb(pilot)
        assert app.screen.query_one("#f-trust-icb", Select).value == NEW_ICB
        assert app.screen.query_one("#new-icb").display  # the new ICB's fields show
        await fill(pilot, "icb-code", "QZZ")
        await put(pilot, "icb-name", "NHS Test Valley Integrated Care Board")
        assert not any(problem_under(app, field) for field in TrustForm.FIELDS), (
            "a good form says nothing is wrong"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, CatalogueScreen)  # saved: the form closed
        table = active_table(app)
        assert table.spec.name == "trusts"
        assert "RZZ9" in shown_keys(table.table)
        assert table.table.highlighted_key() == "RZZ9"  # the cursor on the trust added
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        network = app.screen.query_one("#trusts", RowTable)
        codes = {str(network.get_row(key)[1]) for key in network.rows}
        assert "RZZ9" in codes

    assert query(catalogue_copy, "SELECT code, name, icb FROM trust WHERE code = 'RZZ9'") == [
        ("RZZ9", "Vale Trust", "QZZ")
    ]
    assert query(catalogue_copy, "SELECT name FROM icb WHERE code = 'QZZ'") == [
        ("NHS Test Valley Integrated Care Board",)
    ]
    # Recorded as the network's own, from the app.
    origins = query(
        catalogue_copy,
        "SELECT o.kind, o.key, o.origin, b.source FROM reference_origin o "
        "JOIN import_batch b ON b.id = o.changed_by WHERE o.key IN ('RZZ9', 'QZZ') ORDER BY 1",
    )
    assert origins == [("icb", "QZZ", "local", SOURCE), ("trust", "RZZ9", "local", SOURCE)]


async def test_a_bad_ods_code_is_named_and_nothing_is_written(catalogue_copy: Path) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="catalogue")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, ["left_square_bracket"], "a")
        assert problem_under(app, "trust-code") == ""  # nothing said before typing
        await fill(pilot, "trust-code", "rz-9")
        said = problem_under(app, "trust-code")
        assert "'rz-9' is not an ODS code" in said and "3 to 5 capital letters" in said
        await fill(pilot, "trust-code", "RZZ999")  # six: too long
        assert "'RZZ999' is not an ODS code" in problem_under(app, "trust-code")
        await put(pilot, "trust-code", "[b]X")  # quoted back as typed, never as markup
        assert "'[b]X' is not an ODS code" in problem_under(app, "trust-code")
        await fill(pilot, "trust-code", "RRK")  # a trust the catalogue holds
        assert "RRK is already a trust" in problem_under(app, "trust-code")
        await fill(pilot, "trust-code", "RZZ9")
        assert problem_under(app, "trust-code") == ""
        await fill(pilot, "trust-code", "rzz9")
        await put(pilot, "trust-name", "A Trust")
        app.screen.query_one("#f-trust-icb", Select).value = "QHL"
        await settle(pilot)
        await pilot.press("ctrl+s")  # refused in the form: the code is still wrong
        await settle(pilot)
        assert isinstance(app.screen, TrustForm)
        assert "Not saved" in form_status(app)
        assert "'rzz9' is not an ODS code" in problem_under(app, "trust-code")
        assert app.focused is app.screen.query_one("#f-trust-code", Input)

        # Escape asks before the typing is thrown away; "keep" stays in the form.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the button focused first: keep editing
        await settle(pilot)
        assert isinstance(app.screen, TrustForm)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "enter")  # the arrow moves to Discard
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
    assert digest(catalogue_copy) == before


async def test_a_new_icbs_code_is_checked_and_an_empty_form_closes_without_asking(
    catalogue_copy: Path,
) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="catalogue")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, ["left_square_bracket"], "a")
        await choose_new_icb(pilot)
        await fill(pilot, "icb-code", "QHL")
        assert "QHL is already an ICB" in problem_under(app, "icb-code")
        await fill(pilot, "icb-code", "Q")
        assert "'Q' is not an ODS code" in problem_under(app, "icb-code")
        app.screen.query_one("#f-icb-code", Input).value = ""
        app.screen.query_one("#f-trust-icb", Select).clear()
        await settle(pilot)
        await pilot.press("escape")  # nothing typed any more: closes at once
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
    assert digest(catalogue_copy) == before


async def test_the_catalogues_refusal_is_shown_literally_and_nothing_is_saved(
    catalogue_copy: Path,
) -> None:
    name = "[bold]Racing[/bold] Imaging Trust"
    app = make_app(catalogue_copy, screen="catalogue")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, ["left_square_bracket"], "a")
        await fill(pilot, "trust-code", "RZZ8")
        await put(pilot, "trust-name", name)
        app.screen.query_one("#f-trust-icb", Select).value = "QHL"
        await settle(pilot)
        # Meanwhile another program adds a trust of that name: the catalogue refuses the form.
        db = open_catalogue(catalogue_copy)
        try:
            save_rows(
                db, BY_NAME["trust"], [{"code": "RZZ7", "name": name, "icb": "QHL"}], source="x"
            )
        finally:
            db.close()
        before = digest(catalogue_copy)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TrustForm)  # still open, to put right
        said = refusal(app)
        assert f"name '{name}' is already trust 'RZZ7''s" in said  # the brackets as typed
        assert "Nothing was saved" in form_status(app)
        assert digest(catalogue_copy) == before
    assert query(catalogue_copy, "SELECT code FROM trust WHERE code = 'RZZ8'") == []


# -- a role's competencies -------------------------------------------------------------------


def levels_of(path: Path, role: str) -> dict[str, int]:
    rows = query(path, "SELECT competency, level FROM role_competency WHERE role = ?", role)
    return dict(rows)


async def test_a_roles_competency_level_is_changed_one_removed_and_one_added(
    catalogue_copy: Path,
) -> None:
    role = "sonographer"
    before = levels_of(catalogue_copy, role)
    names = dict(query(catalogue_copy, "SELECT id, name FROM competency"))
    absent = sorted(set(names) - set(before))[0]
    app = make_app(catalogue_copy, screen="catalogue", role=role)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, [], "c")
        assert isinstance(form, RoleCompetencyForm) and form.role == role
        table = form.query_one("#competency-levels", RowTable)
        assert set(shown_keys(table)) == set(before)
        changed = table.highlighted_key()
        assert changed is not None
        new_level = 4 if before[changed] != 4 else 1
        await pilot.press(str(new_level))
        await pilot.press("down")
        removed = table.highlighted_key()
        assert removed is not None and removed != changed
        await pilot.press("x")
        assert "remove" in table.get_row(removed)[3].plain
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.query_one("#choice-filter", Input).value = absent  # narrowed to it
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert table.highlighted_key() == absent
        await pilot.press("plus")  # from 2 (working) to 3 (proficient)
        status = form_status(app)
        assert "1 to add, 1 level to change, 1 to remove" in status
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        # The role's detail, open, is read again.
        text = detail_text(active_table(app))
        line = next(line for line in text.splitlines() if names[absent] in line)
        assert "3 " in line, line
    after = levels_of(catalogue_copy, role)
    expected = {**before, changed: new_level, absent: 3}
    del expected[removed]
    assert after == expected


async def test_leaving_the_competencies_with_changes_asks_and_saving_none_says_so(
    catalogue_copy: Path,
) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="catalogue", role="sonographer")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, [], "c")
        await pilot.press("ctrl+s")
        assert "Nothing has changed" in form_status(app)
        await pilot.press("x")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("down", "enter")  # discard
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        assert form.dirty  # the changes were thrown away, not saved
    assert digest(catalogue_copy) == before


# -- a pay year by uplift --------------------------------------------------------------------


async def test_a_pay_year_added_by_uplift_shows_its_figures_first(catalogue_copy: Path) -> None:
    years = [year for (year,) in query(catalogue_copy, "SELECT DISTINCT pay_year FROM pay_point")]
    latest = max(years)
    app = make_app(catalogue_copy, screen="catalogue")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, ["right_square_bracket"], "u")  # Bands and pay
        assert isinstance(form, PayYearForm)
        start = int(latest[:4]) + 1
        suggested = f"{start}/{(start + 1) % 100:02d}"
        assert form.query_one("#f-pay-year", Input).value == suggested  # the year after
        assert form.query_one("#f-from-year", Select).value == latest
        await fill(pilot, "pay-year", "2027/28")
        form.query_one("#f-from-year", Select).value = "2025/26"
        await fill(pilot, "uplift", "3.3")
        preview = static_text(form.query_one("#pay-preview", Static), width=200)
        assert "2027/28: 2025/26 + 3.3%" in preview
        band_6 = next(line for line in preview.splitlines() if "Band 6" in line)
        # 38,682 x 1.033 = 39,958.506: rounded half up to the pound.
        assert "entry £38,682 → £39,959" in band_6
        await pilot.press("enter")  # Enter in a field moves on: it saves nothing
        assert app.focused is form.query_one("#f-from-year", Select)
        assert isinstance(app.screen, PayYearForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        bands = active_table(app)
        assert bands.spec.name == "bands"
        six = next(row for row in bands.rows if row["band"] == "6")
        assert six["pay_year"] == "2027/28" and six["entry"] == 39959  # the latest year shown
    rows = query(
        catalogue_copy,
        "SELECT salary, confidence FROM pay_point WHERE band = '6' AND pay_year = '2027/28' "
        "AND point = 'entry'",
    )
    assert rows == [(39959, "derived")]
    count = query(catalogue_copy, "SELECT COUNT(*) FROM pay_point WHERE pay_year = '2027/28'")
    assert count == query(
        catalogue_copy, "SELECT COUNT(*) FROM pay_point WHERE pay_year = '2025/26'"
    )


async def test_a_pay_year_and_uplift_are_checked_as_typed(catalogue_copy: Path) -> None:
    before = digest(catalogue_copy)
    app = make_app(catalogue_copy, screen="catalogue")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, ["right_square_bracket"], "u")
        await put(pilot, "pay-year", "2027-28")
        assert "write the pay year as NNNN/NN" in problem_under(app, "pay-year")
        await fill(pilot, "pay-year", "2027/29")
        assert "so it is 2027/28" in problem_under(app, "pay-year")
        await put(pilot, "pay-year", "2025/26")  # published: never replaced by an uplift
        assert "2025/26 is published" in problem_under(app, "pay-year")
        await put(pilot, "pay-year", "2027/28")
        assert problem_under(app, "pay-year") == ""
        await fill(pilot, "uplift", "abc")
        assert "'abc' is not a percentage" in problem_under(app, "uplift")
        await put(pilot, "uplift", "150")
        assert "between -50 and 100" in problem_under(app, "uplift")
        await put(pilot, "uplift", "-50")
        assert "between -50 and 100" in problem_under(app, "uplift")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PayYearForm)
        assert "Not saved" in form_status(app)
        await put(pilot, "uplift", "-1.5%")
        assert problem_under(app, "uplift") == ""
    assert digest(catalogue_copy) == before


# -- keys and help -----------------------------------------------------------------------------


async def test_each_forms_key_is_in_the_help_and_on_its_tab_only(catalogue_copy: Path) -> None:
    app = make_app(catalogue_copy, screen="catalogue")
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogueScreen)
        markdown = screen.help_markdown()
        for key in ("`a`", "`c`", "`u`"):
            assert key in markdown, key
        assert "Add a pay year" in markdown or "add a pay year" in markdown

        def bar() -> str:
            return str(app.screen.query_one(KeyBar).render())

        assert "c Competencies" in bar() and "a Add trust" not in bar()
        await pilot.press("a")  # not on the Roles tab
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "u Pay year" in bar() and "c Competencies" not in bar()
        await pilot.press("slash")  # typing a filter: letters are text
        await type_text(pilot, "u")
        assert isinstance(app.screen, CatalogueScreen)
        assert "u Pay year" not in bar()
        await pilot.press("escape", "u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PayYearForm)
        assert "^s Save" in bar() and "esc Cancel" in bar()
        assert "## Keys" in form.help_markdown() and "`ctrl+s`" in form.help_markdown()
