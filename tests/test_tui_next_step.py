"""My next step: choose a role (and trust and competencies held), see the next rungs and the gap
to each, pick a target for the ranked paths; save a staff passport and open it again."""

from __future__ import annotations

import csv
import io
import tomllib
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, Static

from catalogue.store import open_catalogue
from pathways.paths import Career, PathQuery, find_paths, load_career
from tests.factories import jd, make_catalogue
from tests.test_tui import REPO, _until, settle, static_text, type_text
from tui.app import WorkforceApp, make_app
from tui.screens.next_step import NextStepScreen
from tui.widgets.file_dialog import FileDialog
from tui.widgets.held_checklist import HeldChecklist
from tui.widgets.tables import RowTable


def _career(path: Path) -> Career:
    db = open_catalogue(path)
    try:
        return load_career(db)
    finally:
        db.close()


def _screen(app: WorkforceApp) -> NextStepScreen:
    screen = app.screen
    assert isinstance(screen, NextStepScreen)
    return screen


def _steps(app: WorkforceApp) -> dict[str, list[str]]:
    """The next steps table: role id -> its cells as shown."""
    table = app.screen.query_one("#steps", RowTable)
    return {
        str(row.key.value): [cell.plain for cell in table.get_row(row.key)]
        for row in table.ordered_rows
    }


def _text(app: WorkforceApp, selector: str) -> str:
    return static_text(app.screen.query_one(selector, Static), width=100)


async def _choose(pilot: Pilot[None], select_id: str, typed: str) -> None:
    """Open a Select with Enter, type to find the option, Enter to choose it."""
    pilot.app.screen.query_one(select_id, Select).focus()
    await pilot.press("enter")
    await type_text(pilot, typed)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_diagnostic_radiographer_sees_specialist_as_a_next_rung_with_its_gap(
    packaged_db: Path,
) -> None:
    career = _career(packaged_db)
    mine = career.needs["diagnostic-radiographer"]
    wanted = career.needs["specialist-radiographer"]
    # Held: what a diagnostic radiographer needs, at its level; the gap is the rest.
    gap = {comp for comp, level in wanted.items() if mine.get(comp, 0) < level}
    assert gap
    app = make_app(packaged_db, screen="next-step")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#role", Select)
        await _choose(pilot, "#role", "Diagnostic Radiographer")
        screen = _screen(app)
        assert screen.role == "diagnostic-radiographer"
        assert screen.held == dict(mine)
        steps = _steps(app)
        targets = {edge.to_role for edge in career.edges_from("diagnostic-radiographer")}
        assert set(steps) == targets
        specialist = steps["specialist-radiographer"]
        assert specialist[0] == "↑" and specialist[1] == "Specialist Radiographer"
        assert specialist[-1] == str(len(gap))
        # The first step is highlighted, an up move (up first; which one is the data's: the
        # quickest up move, Mammographer since that move is recorded as up). The specialist
        # step's detail, once highlighted, names what is to gain.
        table = app.screen.query_one("#steps", RowTable)
        first = table.highlighted_key()
        assert first == next(iter(steps)) and steps[first][0] == "↑"
        assert table.move_to_key("specialist-radiographer")
        await settle(pilot)
        assert table.highlighted_key() == "specialist-radiographer"
        detail = _text(app, "#step-detail-body")
        for comp in gap:
            assert career.competencies[comp] in detail
        assert "Posts by trust" in detail


async def test_unticking_a_competency_widens_the_gap(packaged_db: Path) -> None:
    career = _career(packaged_db)
    mine = career.needs["diagnostic-radiographer"]
    wanted = career.needs["specialist-radiographer"]
    shared = sorted(comp for comp, level in wanted.items() if mine.get(comp, 0) >= level)
    assert shared
    gap = {comp for comp, level in wanted.items() if mine.get(comp, 0) < level}
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one("#held-list", SelectionList)
        checklist.focus()
        checklist.highlighted = checklist.get_option_index(shared[0])
        await pilot.press("space")
        await settle(pilot)
        assert shared[0] not in _screen(app).held
        assert _steps(app)["specialist-radiographer"][-1] == str(len(gap) + 1)
        await pilot.press("space", "plus")  # held again, one level higher
        assert _screen(app).held[shared[0]] == min(4, mine[shared[0]] + 1)


async def test_a_target_shows_the_fastest_path_with_its_months(packaged_db: Path) -> None:
    career = _career(packaged_db)
    query = PathQuery(
        "diagnostic-radiographer",
        "consultant-radiographer",
        holding=career.needs["diagnostic-radiographer"],
        include_from_role=False,
    )
    fastest = find_paths(career, query, date.today())[0]
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer", trust="RRK")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # the target tab, with the list of roles open
        await type_text(pilot, "Consultant Radiographer")
        await pilot.press("enter")
        await settle(pilot)
        paths = _text(app, "#paths-body")
        assert f"Path 1: {fastest.total_months} months" in paths
        for step in fastest.steps:
            assert career.roles[step.move.edge.to_role].title in paths
        assert "Posts of Consultant Radiographer by trust" in paths


async def test_enter_on_a_next_step_makes_it_the_target(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The step highlighted first is the data's quickest up move (see the test above).
        highlighted = app.screen.query_one("#steps", RowTable).highlighted_key()
        assert highlighted is not None
        await pilot.press("enter")
        await settle(pilot)
        assert _screen(app).target == highlighted
        assert "Path 1:" in _text(app, "#paths-body")


async def test_your_trust_is_listed_first_among_the_posts(
    reference_db: Path, tmp_path: Path
) -> None:
    path = make_catalogue(
        reference_db,
        tmp_path,
        [
            jd("RL4", "S-1", "specialist-radiographer", "6", wte_funded=6, wte_in_post=2),
            jd("RRK", "S-2", "specialist-radiographer", "6", wte_funded=1, wte_in_post=1),
        ],
    )
    app = make_app(path, screen="next-step", role="diagnostic-radiographer", trust="RRK")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Specialist is not the first step (Mammographer, the quickest up move, is): go to it.
        assert app.screen.query_one("#steps", RowTable).move_to_key("specialist-radiographer")
        await settle(pilot)
        detail = _text(app, "#step-detail-body")
        posts = detail[detail.index("Posts by trust") :].splitlines()
        trusts = [line.split()[0] for line in posts[2:] if line.strip()]
        assert trusts[:2] == ["RRK", "RL4"]  # yours first, though RL4 has more vacant
        assert posts[2].startswith("RRK (yours)")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _in_dialog(pilot: Pilot[None], name: str) -> None:
    assert isinstance(pilot.app.screen, FileDialog)
    await pilot.press("home", "ctrl+k")
    await type_text(pilot, name)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_passport_is_saved_and_opened_again(packaged_db: Path, in_tmp: Path) -> None:
    career = _career(packaged_db)
    mine = dict(career.needs["diagnostic-radiographer"])
    dropped = sorted(mine)[0]
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer", trust="RKB")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one("#held-list", SelectionList)
        checklist.focus()
        checklist.highlighted = checklist.get_option_index(dropped)
        await pilot.press("space")  # not held
        await pilot.press("w")
        await _in_dialog(pilot, "mine.toml")
        saved = tomllib.loads((in_tmp / "mine.toml").read_text(encoding="utf-8"))
        del mine[dropped]
        assert saved["role"] == "diagnostic-radiographer" and saved["trust"] == "RKB"
        assert {c["id"]: c["level"] for c in saved["competencies"]} == mine
        # Where it went, whole: the name typed was in the directory the app started in.
        assert f"Saved your passport to {Path.cwd() / 'mine.toml'} (" in _text(
            app, "#passport-status"
        )

        await _choose(pilot, "#role", "Sonographer")  # somewhere else entirely
        assert _screen(app).role == "sonographer"
        await pilot.press("o")
        await _in_dialog(pilot, "mine.toml")
        screen = _screen(app)
        assert (screen.role, screen.trust, screen.held) == ("diagnostic-radiographer", "RKB", mine)
        assert app.screen.query_one("#role", Select).value == "diagnostic-radiographer"
        assert app.screen.query_one(HeldChecklist).held == mine
        assert "specialist-radiographer" in _steps(app)


async def test_opening_a_passport_names_what_its_completed_training_gives(
    packaged_db: Path, in_tmp: Path
) -> None:
    (in_tmp / "trained.toml").write_text(
        'role = "diagnostic-radiographer"\n'
        '[[competencies]]\nid = "plain-film-imaging"\nlevel = 3\n'
        '[[training]]\nroute = "pgcert-mri"\ncompleted = 2025-07-01\n',
        encoding="utf-8",
    )
    app = make_app(packaged_db, screen="next-step")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await _in_dialog(pilot, "trained.toml")
        status = _text(app, "#passport-status")
        assert "1 competency held" in status
        assert "training also gives MR safety, MRI scanning, at no stated level" in status
        assert _screen(app).held == {"plain-film-imaging": 3}  # not ticked for the person


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('role = "diagnostic-radiographer"\n[[competencies]\n', "not valid TOML"),
        ('[[competencies]]\nid = "cannulation"\nlevel = 5\n', "competencies[1].level"),
        ('role = "radiographr"\n', "unknown role 'radiographr'"),
    ],
)
async def test_a_bad_passport_shows_what_is_wrong(
    packaged_db: Path, in_tmp: Path, content: str, says: str
) -> None:
    (in_tmp / "bad.toml").write_text(content, encoding="utf-8")
    app = make_app(packaged_db, screen="next-step", role="sonographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await _in_dialog(pilot, "bad.toml")
        status = _text(app, "#passport-status")
        assert status.startswith(f"Could not use the passport: {Path.cwd() / 'bad.toml'}")
        assert says in status and "Traceback" not in status
        assert _screen(app).role == "sonographer"  # nothing was taken from it


async def test_a_missing_passport_file_says_so(packaged_db: Path, in_tmp: Path) -> None:
    app = make_app(packaged_db, screen="next-step")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await _in_dialog(pilot, "nowhere.toml")
        assert "nowhere.toml: file not found" in _text(app, "#passport-status")


def _next_step_ready(app: WorkforceApp) -> bool:
    screen = app.screen
    if not isinstance(screen, NextStepScreen) or app.illustrative_jds is None:
        return False
    return bool(screen.steps) and bool(screen.step_posts)


class TestNextStepSnapshots:
    def test_a_diagnostic_radiographer_at_rrk(self, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.chdir(REPO)
        app = make_app(
            Path("workforce.db"), screen="next-step", role="diagnostic-radiographer", trust="RRK"
        )

        async def ready(pilot: Pilot[None]) -> None:
            await _until(pilot, _next_step_ready)

        assert snap_compare(app, terminal_size=(100, 30), run_before=ready)


async def test_export_writes_the_next_steps_shown(packaged_db: Path, in_tmp: Path) -> None:
    career = _career(packaged_db)
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = list(_steps(app))
        await pilot.press("e", "enter")
        await settle(pilot)
    text = (in_tmp / "next-steps.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["to_role"] for row in rows] == shown
    assert {row["from_role"] for row in rows} == {"diagnostic-radiographer"}
    assert set(shown) == {edge.to_role for edge in career.edges_from("diagnostic-radiographer")}


# -- a passport opened is written back whole ------------------------------------------------

RICH_PASSPORT = """\
# Sam's passport: kept in my documents folder.
# Updated after the CT rotation.

name = "Sam Sample"
role = "diagnostic-radiographer"
trust = "RRK"

[[competencies]]
id = "plain-film-imaging"
level = 3
achieved = 2023-09-01
evidence = "Preceptorship sign-off"

[[competencies]]
id = "ct-scanning"
level = 2
achieved = 2024-03-15
evidence = "CT rotation, 12 weeks"

[[competencies]]
id = "cannulation"
level = 3

[[training]]
route = "bsc-diagnostic-radiography"
completed = 2023-07-01
note = "First class"

[[training]]
name = "IR(ME)R refresher, trust e-learning"
completed = 2025-01-15
"""


def _strings(value: object) -> list[str]:
    """Every string value in parsed TOML."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


async def _toggle(pilot: Pilot[None], competency: str) -> None:
    checklist = pilot.app.screen.query_one("#held-list", SelectionList)
    checklist.focus()
    checklist.highlighted = checklist.get_option_index(competency)
    await pilot.press("space")
    await settle(pilot)


async def test_saving_an_opened_passport_keeps_all_it_held(packaged_db: Path, in_tmp: Path) -> None:
    path = in_tmp / "sam.toml"
    path.write_text(RICH_PASSPORT, encoding="utf-8")
    before = tomllib.loads(RICH_PASSPORT)
    role_needs = _career(packaged_db).needs["diagnostic-radiographer"]
    app = make_app(packaged_db, screen="next-step")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await _in_dialog(pilot, "sam.toml")
        await _toggle(pilot, "cannulation")  # not held after all
        await _toggle(pilot, "mr-safety")  # newly held
        status = _text(app, "#passport-status")
        opened = Path.cwd() / "sam.toml"
        assert f"Changed since the passport of Sam Sample was opened from {opened}" in status
        assert "3 competencies held now" in status
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, FileDialog)
        # The file offered is the one opened, with its directory.
        offered = dialog.query_one("#file-name", Input).value
        assert Path(offered).expanduser() == path.absolute()
        await pilot.press("enter", "enter")  # save; it exists: replace it
        await settle(pilot)
        assert "Saved your passport to" in _text(app, "#passport-status")
    text = path.read_text(encoding="utf-8")
    after = tomllib.loads(text)
    assert text.startswith(
        "# Sam's passport: kept in my documents folder.\n# Updated after the CT rotation.\n"
    )
    assert (after["name"], after["role"], after["trust"]) == (
        "Sam Sample",
        "diagnostic-radiographer",
        "RRK",
    )
    assert after["training"] == before["training"]
    # Untouched competencies keep their dates and evidence; the unticked one is gone; the new
    # one is held at the level the role needs it, with no date or evidence made up.
    assert after["competencies"] == [
        *before["competencies"][:2],
        {"id": "mr-safety", "level": role_needs.get("mr-safety", 3)},
    ]
    assert "" not in _strings(after)


async def test_opening_a_passport_takes_role_and_trust_from_it_alone(
    packaged_db: Path, in_tmp: Path
) -> None:
    (in_tmp / "first.toml").write_text(RICH_PASSPORT, encoding="utf-8")
    (in_tmp / "second.toml").write_text(
        '[[competencies]]\nid = "cannulation"\nlevel = 2\n', encoding="utf-8"
    )
    app = make_app(packaged_db, screen="next-step")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await _in_dialog(pilot, "first.toml")
        assert (_screen(app).role, _screen(app).trust) == ("diagnostic-radiographer", "RRK")
        await pilot.press("o")
        await _in_dialog(pilot, "second.toml")
        screen = _screen(app)
        assert (screen.role, screen.trust, screen.held) == (None, None, {"cannulation": 2})
        assert app.screen.query_one("#trust", Select).is_blank()
        assert app.screen.query_one("#role", Select).is_blank()
        assert f"Opened the passport from {Path.cwd() / 'second.toml'}: 1 competency held" in _text(
            app, "#passport-status"
        )


async def test_tab_and_down_land_on_the_first_competency(packaged_db: Path) -> None:
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one("#held-list", SelectionList)
        first = checklist.get_option_at_index(0).value
        app.screen.query_one("#held-filter", Input).focus()
        await pilot.press("tab")
        assert app.focused is checklist and checklist.highlighted == 0
        await pilot.press("space")  # acts at once: not held now
        assert first not in _screen(app).held

        await pilot.press("slash")
        await type_text(pilot, "MRI scan")
        await pilot.press("down")  # from the finder into what it found
        assert app.focused is checklist
        assert checklist.get_option_at_index(checklist.highlighted or 0).value == "mri-scanning"
        await pilot.press("space")
        assert "mri-scanning" in _screen(app).held


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_figures_are_shown_whole(packaged_db: Path, size: tuple[int, int]) -> None:
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer", trust="RRK")
    async with app.run_test(size=size) as pilot:
        await _until(pilot, _next_step_ready)
        screen = _screen(app)
        label = app.screen.query_one("#held-label", Static)
        shown = str(label.render())
        total = len(screen.query_one(HeldChecklist).entries)
        assert shown.endswith(f"{len(screen.held)} of {total}")
        assert len(shown) <= label.content_size.width
        body = app.screen.query_one("#step-detail-body", Static)
        detail = static_text(body, width=body.content_size.width)
        lines = detail[detail.index("Posts by trust") :].splitlines()
        assert lines[1].split()[:6] == ["Trust", "JDs", "Funded", "In", "post", "Vacant"]
        step = screen.query_one("#steps", RowTable).highlighted_key()
        assert step is not None
        posts = screen.step_posts[step]
        for line, post in zip(lines[2:], posts, strict=False):
            cells = line.split()
            assert cells[0] == post["trust"]
            figures = [str(post["jds"])] + [
                f"{post[key]:,.1f}" for key in ("wte_funded", "wte_in_post", "vacancies")
            ]
            at = 2 if post["trust"] == "RRK" else 1  # "RRK (yours)": two words
            assert cells[at : at + 4] == figures, line


# --- What you hold counts, what it costs, why a route is not counted (issue 12) ---------------


async def test_a_ct_passport_drops_the_ct_training_from_the_specialist_step(
    packaged_db: Path, in_tmp: Path
) -> None:
    (in_tmp / "ct.toml").write_text(
        'role = "diagnostic-radiographer"\n'
        '[[competencies]]\nid = "ct-scanning"\nlevel = 3\n'
        '[[competencies]]\nid = "contrast-administration"\nlevel = 3\n',
        encoding="utf-8",
    )
    app = make_app(packaged_db, screen="next-step", role="diagnostic-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = int(_steps(app)["specialist-radiographer"][3])
        await pilot.press("o")
        await _in_dialog(pilot, "ct.toml")
        # Held: the passport's competencies only (the screen shows the person's record).
        months = _steps(app)["specialist-radiographer"][3]
        assert months == "24" and int(months) < before
        assert app.screen.query_one("#steps", RowTable).move_to_key("specialist-radiographer")
        await settle(pilot)
        detail = _text(app, "#step-detail-body")
        assert "24 months in post; no training needed" in detail
        assert "held: contrast-administration 3, ct-scanning 3 (all that" in detail


async def test_a_degree_lets_the_msc_apprenticeship_count_and_the_step_says_why_not_before(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db, screen="next-step", role="apprentice-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        (step,) = screen.steps
        assert step.move.route is not None
        assert step.move.route.id == "diagnostic-radiographer-degree-apprenticeship"
        detail = _text(app, "#step-detail-body")
        assert "not counted: diagnostic-radiographer-msc-apprenticeship (24 months)" in detail
        assert "36 months in the training post (its programme)" in detail
        app.screen.query_one("#degree").focus()
        await pilot.press("space")
        await settle(pilot)
        (step,) = screen.steps
        assert screen.holdings.degree
        assert step.move.route is not None
        assert step.move.route.id == "diagnostic-radiographer-msc-apprenticeship"
        assert "not counted" not in _text(app, "#step-detail-body")


async def test_a_path_says_what_the_levy_covers_and_what_a_self_funder_pays(
    packaged_db: Path,
) -> None:
    app = make_app(packaged_db, screen="next-step", role="reporting-radiographer")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _screen(app).set_target("advanced-practitioner-radiographer")
        await settle(pilot)
        paths = _text(app, "#paths-body")
        assert "a self-funder would pay £8,001 in course fees" in paths
        assert "Cost:" in paths
