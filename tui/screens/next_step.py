"""My next step: where you are (role, trust, the competencies you hold), the roles one move on
with the gap to each, and the ranked paths to any role you aim for, with where those posts are.

The career graph is small (tens of roles and moves): it is read once in a worker, and next
steps are worked out from it on the UI thread as the checklist changes. Paths to a target,
posts by trust (thousands of JDs in a national catalogue) and passport files are read and
written in workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Checkbox,
    Header,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.tabbed_content import ContentTabs

from tui.background import cancelled, catalogue_in_thread
from tui.screens.base import WorkforceScreen
from tui.widgets.held_checklist import CompetencyEntry, HeldChanged, HeldChecklist
from tui.widgets.key_bar import KeyBar
from tui.widgets.tables import RowTable, cell

if TYPE_CHECKING:
    from pathways.passport import Passport
    from pathways.paths import Career, CareerPath, GapItem, Holdings, Step
    from pathways.records import TrustInfo

Posts = list[dict[str, Any]]

# What a pasted passport is called (in problems, and the name it is saved, downloaded, under).
PASTED_PASSPORT = "passport.toml"

HELP = """\
# My next step

Say where you are on the left: your **role**, your **trust** (its posts are listed first) and
the **competencies you hold**. The checklist starts as the competencies your role needs, at
the level it needs them; tick more you hold (space), untick those you do not, and change the
level held with `+` and `-` (1 aware, 2 working, 3 proficient, 4 expert). `/` finds one.
Tick **I hold a degree** if you have one (any subject): some routes are for graduates only.

What you hold counts: a route all of whose competencies toward a move you hold, at the level
the role needs, or one your passport says you completed, is not needed, and its months and
costs drop out (the step says what was held). A route you hold part of counts in full: its
provider decides any credit for prior learning. Where a quicker-looking route is not counted
(for graduates only, restricted or closed), the step says why. Each step and path says what
an employer's levy covers (apprenticeship funding caps) and what a self-funder would pay
(course fees; unknown where no source gives one).

**Next steps** lists the roles one move on from yours, up (`↑`) before across (`→`), quickest
first: the bands either side, the months (typical time in post first, plus the shortest
training route of known length) and how many competencies you would still need. Below, for
the highlighted one: what to gain, every route that makes the move (`*` the one counted), any
warning (restricted routes; level 7 apprenticeships, whose levy funding is limited since
1 January 2026) and the trusts with such posts and their vacancies (WTE funded minus in post).
Enter on a next step makes it your target.

**Path to a target** (`t` to choose one, any role) ranks the ways there, fastest first, each
move with its route, months and warnings, then where those posts are, your trust first.

`w` saves a **staff passport** (a TOML file you keep) with your role, trust and the
competencies ticked; `o` opens one to fill them in (a passport that is not valid says what is
wrong and where). Saving an opened passport changes only those: its name, the dates and
evidence of the competencies still ticked, its training and its comments are kept, and the
file opened is the one offered. While a passport is open, choosing another role keeps what
is ticked. `e` writes the next steps, or the paths, shown to a file.

In a web browser, `w` and `e` download the file, and `o` asks you to paste your passport's
text (open passport.toml in a text editor and copy all of it).
"""


@dataclass(frozen=True, slots=True)
class NextStepData:
    career: Career
    trusts: dict[str, TrustInfo]
    competencies: list[CompetencyEntry]


class NextStepDataLoaded(Message):
    """The career graph, the trusts and the competencies were read."""

    def __init__(self, data: NextStepData) -> None:
        super().__init__()
        self.data = data


class StepPostsLoaded(Message):
    """The posts by trust of each role one move on were read."""

    def __init__(self, role: str, trust: str | None, posts: dict[str, Posts]) -> None:
        super().__init__()
        self.role = role
        self.trust = trust
        self.posts = posts


class PathsFound(Message):
    """The paths to a target (or why there are none) and its posts by trust were worked out."""

    def __init__(
        self,
        key: tuple[Any, ...],
        paths: list[CareerPath],
        problem: str,
        start_gap: list[GapItem],
        posts: Posts,
    ) -> None:
        super().__init__()
        self.key = key
        self.paths = paths
        self.problem = problem
        self.start_gap = start_gap
        self.posts = posts


class PassportRead(Message):
    """A passport was read; `trained`: the names of competencies its completed routes give
    that it does not list (no level stated, so they are not ticked for the person);
    `header`: the comments heading the file (pathways.passport.header_comments);
    `degree`: whether it says its holder has a degree (pathways.passport.holds_degree)."""

    def __init__(
        self, path: Path, passport: Passport, trained: list[str], header: str | None, degree: bool
    ) -> None:
        super().__init__()
        self.path = path
        self.passport = passport
        self.trained = trained
        self.header = header
        self.degree = degree


class PassportFailed(Message):
    """A passport could not be read or written: `problem` says what and where."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class PassportWritten(Message):
    """A passport was written: `passport` as written, under `header` (None: the standard)."""

    def __init__(self, path: Path, passport: Passport, header: str | None) -> None:
        super().__init__()
        self.path = path
        self.passport = passport
        self.header = header


class StepTable(RowTable):
    """The next steps: Enter aims for the one under the cursor."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Aim for",
            id="aim-for",
            tooltip="Make the highlighted next step your target",
        ),
    ]


def _role_options(career: Career) -> list[tuple[Text, str]]:
    """Every role, by staff group then rung (lowest band first), as Select options."""
    from pathways.ladder import band_range, rung_key

    roles = sorted(career.roles.values(), key=lambda r: (r.staff_group, rung_key(r)))
    return [(Text(f"{role.title} ({band_range(role)})"), role.id) for role in roles]


class NextStepScreen(WorkforceScreen):
    DEFAULT_CSS = """
    NextStepScreen #you {
        width: 40;
        border-right: tall $primary 50%;
    }
    NextStepScreen.-narrow #you {
        width: 28;
    }
    NextStepScreen .you-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    NextStepScreen .picker {
        height: 1;
        padding: 0 1;
    }
    NextStepScreen .picker Label {
        width: 7;
        color: $text-muted;
    }
    NextStepScreen .picker Select {
        width: 1fr;
    }
    /* Where you are: the prompt ("choose your role") and the role chosen are shown whole in
       28 columns, a long title on a second line rather than cut. */
    NextStepScreen #you .picker {
        height: auto;
    }
    NextStepScreen #you .picker Label {
        width: 6;
    }
    NextStepScreen #you .picker SelectCurrent {
        padding: 0 1 0 0;
    }
    NextStepScreen TabbedContent, NextStepScreen ContentSwitcher, NextStepScreen TabPane {
        height: 1fr;
    }
    NextStepScreen #next-tabs {
        width: 1fr;
    }
    NextStepScreen TabPane {
        padding: 0;
    }
    NextStepScreen #steps {
        height: auto;
        max-height: 9;
    }
    NextStepScreen #step-detail, NextStepScreen #paths {
        height: 1fr;
        padding: 0 1;
    }
    NextStepScreen #passport-status {
        display: none;
        height: auto;
        max-height: 6;
        padding: 0 1;
        color: $text-warning;
    }
    NextStepScreen #passport-status.-shown {
        display: block;
    }
    NextStepScreen #passport-status.-ok {
        color: $text-success;
    }
    """
    AUTO_FOCUS = None  # focus is given once the catalogue is read
    TITLE = "My next step"
    HELP_TEXT = HELP
    WIDGET_KEYS = (
        ("up/down", "Move between next steps, or competencies"),
        ("space", "Tick or untick the highlighted competency"),
        ("enter", "On a next step: make it your target"),
        ("tab", "Move between role, trust, checklist and the steps"),
    )
    HELP_WIDGETS = (HeldChecklist,)
    BINDINGS = [
        Binding(
            "t", "choose_target", "Target", id="choose-target", tooltip="Choose a role to aim for"
        ),
        Binding(
            "w",
            "save_passport",
            "Save passport",
            id="save-passport",
            tooltip="Write a staff passport file: role, trust and competencies held",
        ),
        Binding(
            "o",
            "open_passport",
            "Open passport",
            id="open-passport",
            tooltip="Read a staff passport file into role, trust and competencies held",
        ),
        Binding(
            "slash",
            "focus_filter",
            "Find",
            id="find-competency",
            tooltip="Find a competency in the checklist",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="next-export",
            tooltip="Write the next steps (or the paths) shown to a file",
        ),
        Binding(
            "right_square_bracket", "step_tab(1)", "Tab", id="next-tab", tooltip="The next tab"
        ),
        Binding(
            "left_square_bracket",
            "step_tab(-1)",
            "Previous tab",
            id="previous-tab",
            tooltip="The previous tab",
            show=False,
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="next-back",
            show=False,
            tooltip="Clear the competency finder",
        ),
    ]

    def __init__(self, db_path: Path, *, role: str | None = None, trust: str | None = None) -> None:
        super().__init__(db_path)
        self.data: NextStepData | None = None
        self.role: str | None = role
        self.trust: str | None = trust
        self.target: str | None = None
        self.held: dict[str, int] = {}
        self._held_kept: dict[str, int] | None = None  # what was ticked, kept over a re-read
        from pathways.paths import NO_HOLDINGS  # deferred here, as elsewhere: start-up time

        # Routes completed (from a passport opened) and a degree: they count on paths too.
        self.holdings: Holdings = NO_HOLDINGS
        self.steps: list[Step] = []
        self.step_posts: dict[str, Posts] = {}
        self.paths: list[CareerPath] = []
        self.today = date.today()
        self._paths_key: tuple[Any, ...] | None = None
        # The passport last opened or saved, kept whole: saving writes it back with only
        # role, trust and the competencies held changed (its name, dates, evidence, training
        # and comments are the person's, and the screen does not show them).
        self.passport: Passport | None = None
        self.passport_path: Path | None = None
        self.passport_header: str | None = None  # its own comments; None: the standard ones
        self._passport_how = "opened from"  # or "saved to": for the status line

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="next-body") as body:
            body.loading = True
            with Vertical(id="you"):
                yield Static("Where you are", classes="you-title", markup=False)
                with Horizontal(classes="picker"):
                    yield Label("Role")
                    yield Select[str]([], id="role", prompt="choose your role", compact=True)
                with Horizontal(classes="picker"):
                    yield Label("Trust")
                    yield Select[str]([], id="trust", prompt="no trust", compact=True)
                yield Checkbox(
                    "I hold a degree",
                    self.holdings.degree,
                    id="degree",
                    compact=True,
                    tooltip="Any subject: graduate-entry routes count for you",
                )
                yield HeldChecklist()
            with TabbedContent(id="next-tabs"):
                with TabPane("Next steps", id="next-steps"):
                    yield StepTable(id="steps")
                    with VerticalScroll(id="step-detail"):
                        yield Static("", id="step-detail-body")
                with TabPane("Path to a target", id="target"):
                    with Horizontal(classes="picker"):
                        yield Label("Target")
                        yield Select[str](
                            [], id="target-role", prompt="choose a role", compact=True
                        )
                    with VerticalScroll(id="paths"):
                        yield Static("", id="paths-body")
        yield Static("", id="passport-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ContentTabs).can_focus = False  # tabs switch with [ and ]
        table = self.query_one("#steps", RowTable)
        # Short headers, and the role's title given the room the figures leave (cut after a
        # word only where it must be), so the figures fit beside the checklist in 80 columns
        # ("Gain": competencies still to gain; the detail below names them).
        for label, right in (
            ("", False),
            ("Next role", False),
            ("Bands", False),
            ("Months", True),
            ("Gain", True),
        ):
            table.add_column(Text(label, justify="right" if right else "left"), key=label or "kind")
        table.shrink_to_fit({"Next role": 16})
        self.load_catalogue()

    # -- reading the catalogue ------------------------------------------------------------------

    def show_catalogue_afresh(self) -> None:
        if self.data is not None:
            self._held_kept = dict(self.held)  # what the person ticked is theirs, not the data's
            self.load_catalogue()

    @work(thread=True, exclusive=True, group="next-step", exit_on_error=False)
    def load_catalogue(self) -> None:
        from catalogue.queries import list_competencies
        from pathways.paths import load_career
        from pathways.records import load_trusts

        with catalogue_in_thread(self.db_path) as db:
            data = NextStepData(
                load_career(db),
                load_trusts(db),
                [
                    CompetencyEntry(str(row["id"]), str(row["name"]), str(row["pillar"]))
                    for row in list_competencies(db)
                ],
            )
        if not cancelled():
            self.post_message(NextStepDataLoaded(data))

    def on_next_step_data_loaded(self, event: NextStepDataLoaded) -> None:
        self.data = data = event.data
        self.query_one("#next-body").loading = False
        roles = _role_options(data.career)
        for select_id, options in (
            ("#role", roles),
            ("#target-role", roles),
            ("#trust", [(Text(f"{t.code} {t.name}"), t.code) for t in data.trusts.values()]),
        ):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.set_options(options)
        self.query_one(HeldChecklist).set_catalogue(data.competencies)
        if self.role not in data.career.roles:
            self.role = None
        if self.trust not in data.trusts:
            self.trust = None
        held, self._held_kept = self._held_kept, None
        self._show_where(held=self._role_needs() if held is None else held)
        if self.role is None:
            self.query_one("#role", Select).focus()
        else:
            self.query_one("#steps", RowTable).focus()

    def worker_failed(self) -> None:
        self.query_one("#next-body").loading = False
        for panel in self.query("#step-detail, #paths"):
            panel.loading = False

    def _role_needs(self) -> dict[str, int]:
        if self.data is None or self.role is None:
            return {}
        return dict(self.data.career.needs.get(self.role, {}))

    def _show_where(self, *, held: Mapping[str, int]) -> None:
        """Show role, trust and `held` as chosen, and everything worked out from them."""
        self.held = dict(held)
        for select_id, value in (("#role", self.role), ("#trust", self.trust)):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.value = value if value is not None else Select.NULL
        self.query_one(HeldChecklist).set_held(self.held, self._role_needs())
        self.recompute()
        self.load_step_posts()

    # -- choices -------------------------------------------------------------------------------

    @on(Select.Changed, "#role")
    def _role_chosen(self, event: Select.Changed) -> None:
        role = event.value if isinstance(event.value, str) else None
        if role != self.role:
            self.role = role
            # The checklist starts from the role's needs; but with a passport open it is the
            # person's record, kept as it is (what a move would need shows as the gap).
            held = self._role_needs() if self.passport is None else self.held
            self._show_where(held=held)
            self._changed_since_passport()

    @on(Select.Changed, "#trust")
    def _trust_chosen(self, event: Select.Changed) -> None:
        trust = event.value if isinstance(event.value, str) else None
        if trust != self.trust:
            self.trust = trust
            self.load_step_posts()
            self.find_target_paths()
            self._changed_since_passport()

    @on(Select.Changed, "#target-role")
    def _target_chosen(self, event: Select.Changed) -> None:
        target = event.value if isinstance(event.value, str) else None
        if target != self.target:
            self.target = target
            self.find_target_paths()

    @on(Checkbox.Changed, "#degree")
    def _degree_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.holdings.degree:
            self.holdings = replace(self.holdings, degree=event.value)
            self.recompute()
            self._changed_since_passport()

    def on_held_changed(self, event: HeldChanged) -> None:
        self.held = event.held
        self.recompute()
        self._changed_since_passport()

    # -- next steps ----------------------------------------------------------------------------

    def recompute(self) -> None:
        """Next steps from the role and what is held (pure and quick: on the UI thread), and
        the paths to the target again."""
        from pathways.paths import next_steps

        table = self.query_one("#steps", RowTable)
        keep = table.highlighted_key()
        table.clear()
        self.steps = []
        if self.data is not None and self.role is not None:
            career = self.data.career
            self.steps = next_steps(
                career, self.role, self.today, self.held, include_role=False, holdings=self.holdings
            )
            for step in self.steps:
                table.add_row(*self._step_cells(step), key=step.move.edge.to_role)
        if keep is not None:
            table.move_to_key(keep)
        self.show_step_detail()
        self.find_target_paths()

    def _step_cells(self, step: Step) -> list[Text]:
        from pathways.ladder import band_range

        assert self.data is not None
        career = self.data.career
        source = career.roles[step.move.edge.from_role]
        target = career.roles[step.move.edge.to_role]
        kind = step.move.edge.kind
        months = f"{step.move.months}{'+' if step.move.months_unknown else ''}"
        gain = str(len(step.gap)) if step.gap else "none"
        return [
            Text("↑" if kind == "up" else "→", style="bold"),
            cell(target.title),
            cell(f"{band_range(source)}→{band_range(target)}"),
            cell(months, right=True),
            cell(gain, right=True),
        ]

    def _highlighted_step(self) -> Step | None:
        key = self.query_one("#steps", RowTable).highlighted_key()
        return next((s for s in self.steps if s.move.edge.to_role == key), None)

    @on(RowTable.RowHighlighted, "#steps")
    def _step_highlighted(self) -> None:
        self.show_step_detail()

    @on(RowTable.RowSelected, "#steps")
    def _step_chosen(self, event: RowTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.set_target(event.row_key.value)

    def show_step_detail(self) -> None:
        from tui.widgets.career_views import step_detail

        body = self.query_one("#step-detail-body", Static)
        step = self._highlighted_step()
        if self.data is None:
            return
        if self.role is None:
            body.update(Text("Choose your role (on the left) to see your next steps.", "dim"))
            return
        if step is None:
            title = self.data.career.roles[self.role].title
            body.update(Text(f"No move in the catalogue leads on from {title}.", "dim"))
            return
        posts = self.step_posts.get(step.move.edge.to_role)
        body.update(step_detail(step, self.data.career, self.today, posts, self.trust))

    def load_step_posts(self) -> None:
        self.step_posts = {}
        if self.data is None or self.role is None:
            return
        roles = [edge.to_role for edge in self.data.career.edges_from(self.role)]
        self.read_step_posts(self.role, self.trust, roles)

    @work(thread=True, exclusive=True, group="step-posts", exit_on_error=False)
    def read_step_posts(self, role: str, trust: str | None, roles: list[str]) -> None:
        from pathways.paths import posts_for
        from pathways.records import load_jds

        assert self.data is not None
        posts: dict[str, Posts] = {}
        with catalogue_in_thread(self.db_path) as db:
            for other in roles:
                if cancelled():
                    return
                posts[other] = posts_for(load_jds(db, role=other), self.data.trusts, trust)
        self.post_message(StepPostsLoaded(role, trust, posts))

    def on_step_posts_loaded(self, event: StepPostsLoaded) -> None:
        if (event.role, event.trust) != (self.role, self.trust):
            return  # chosen again since
        self.step_posts = event.posts
        self.show_step_detail()

    # -- the target ----------------------------------------------------------------------------

    def set_target(self, role: str) -> None:
        self.target = role
        select = self.query_one("#target-role", Select)
        with select.prevent(Select.Changed):
            select.value = role
        self.query_one("#next-tabs", TabbedContent).active = "target"
        self.find_target_paths()

    def find_target_paths(self) -> None:
        body = self.query_one("#paths-body", Static)
        if self.data is None:
            return
        if self.target is None:
            self._paths_key = None
            self.paths = []
            body.update(Text("Choose a role to aim for (t), any role in the catalogue.", "dim"))
            return
        key = (
            self.role,
            self.target,
            self.trust,
            tuple(sorted(self.held.items())),
            self.holdings,
        )
        if key == self._paths_key:
            return
        self._paths_key = key
        self.query_one("#paths").loading = True
        self.work_out_paths(key)

    @work(thread=True, exclusive=True, group="paths", exit_on_error=False)
    def work_out_paths(self, key: tuple[Any, ...]) -> None:
        from pathways.paths import (
            CareerInputError,
            PathQuery,
            competency_gap,
            find_paths,
            posts_for,
        )
        from pathways.records import load_jds

        assert self.data is not None
        career = self.data.career
        role, target, trust, held_items, holdings = key
        held = dict(held_items)
        paths: list[CareerPath] = []
        problem = ""
        if role is None:
            problem = "Choose your role (on the left) to see the ways to this one."
        else:
            try:
                query = PathQuery(
                    role, target, holding=held, include_from_role=False, holdings=holdings
                )
                paths = find_paths(career, query, self.today)
            except CareerInputError as error:
                problem = str(error)
        start_gap = competency_gap(career.needs.get(target, {}), held)
        with catalogue_in_thread(self.db_path) as db:
            posts = posts_for(load_jds(db, role=target), self.data.trusts, trust)
        if not cancelled():
            self.post_message(PathsFound(key, paths, problem, start_gap, posts))

    def on_paths_found(self, event: PathsFound) -> None:
        if event.key != self._paths_key:
            return
        from tui.widgets.career_views import heading, paths_view, posts_table

        assert self.data is not None
        self.paths = event.paths
        self.query_one("#paths").loading = False
        parts: list[RenderableType] = []
        if event.problem:
            parts.append(Text(event.problem))
        else:
            parts.append(paths_view(event.paths, self.data.career, self.today, event.start_gap))
        title = self.data.career.roles[event.key[1]].title
        parts += [heading(f"Posts of {title} by trust"), posts_table(event.posts, self.trust)]
        self.query_one("#paths-body", Static).update(Group(*parts))

    # -- passports -----------------------------------------------------------------------------

    def _passport_file_offered(self) -> str:
        """The file the passport dialogs offer: the passport last opened or saved (saving over
        it is the usual thing), else passport.toml in the current directory; shown with its
        directory, as "the current directory" alone does not say which."""
        path = (self.passport_path or Path("passport.toml")).expanduser().absolute()
        home = Path.home()
        if path.is_relative_to(home) and home != Path("/"):
            return str(Path("~") / path.relative_to(home))
        return str(path)

    def action_save_passport(self) -> None:
        from tui.widgets.file_dialog import FileDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.write_passport(
                    path,
                    self.passport,
                    self.passport_header,
                    self.role,
                    self.trust,
                    dict(self.held),
                    self.holdings.degree,
                )

        self.app.push_screen(
            FileDialog(
                "Save your staff passport",
                self._passport_file_offered(),
                writing=True,
                action="Save",
                suffix=".toml",
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="passport", exit_on_error=False)
    def write_passport(
        self,
        path: Path,
        kept: Passport | None,
        header: str | None,
        role: str | None,
        trust: str | None,
        held: dict[str, int],
        degree: bool,
    ) -> None:
        from pathways.passport import holds_degree, new_passport, passport_toml, with_held

        assert self.data is not None
        needs = dict(self.data.career.needs.get(role or "", {}))
        # The passport opened (or saved) is written back whole, with only what this screen
        # sets changed; with none, a new one.
        passport = with_held(kept or new_passport(), role, trust, held)
        if degree != holds_degree(passport, self.data.career.routes):
            # Said only where the passport does not say it already (a degree route completed).
            passport = passport.model_copy(update={"degree": degree})
        # The header calls the list "the competencies the role needs" only while it is (and
        # no date or evidence has been added: then it is the person's record).
        checklist = (
            bool(held)
            and held == needs
            and all(not c.achieved and not c.evidence for c in passport.competencies)
        )
        text = passport_toml(passport, checklist_role=role if checklist else None, header=header)
        from tui.widgets.file_output import FileRefused, write_or_deliver

        try:
            # Saving over the person's own passport is what they asked: whole or not at all
            # (in a browser: a download).
            write_or_deliver(self.app, path, text, replace=True)
        except FileRefused as refused:
            self.post_message(PassportFailed(str(refused)))
            return
        self.post_message(PassportWritten(path, passport, header))

    def on_passport_written(self, event: PassportWritten) -> None:
        self._keep_passport(event.path, event.passport, event.header, "saved to")
        count = _competencies(len(event.passport.competencies))
        from tui.widgets.file_output import where_written

        self._say(f"Saved your passport {where_written(self.app, event.path)} ({count}).", ok=True)

    def action_open_passport(self) -> None:
        if self.app.is_web:  # no file on the server is opened for a browser: pasted instead
            self.paste_passport()
            return
        from tui.widgets.file_dialog import FileDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.read_passport_file(path)

        self.app.push_screen(
            FileDialog(
                "Open a staff passport",
                self._passport_file_offered(),
                writing=False,
                action="Open",
            ),
            chosen,
        )

    def paste_passport(self) -> None:
        from tui.widgets.paste_dialog import PasteDialog

        def pasted(text: str | None) -> None:
            if text is not None:
                self.read_passport_file(Path(PASTED_PASSPORT), text)

        hint = (
            "Open your passport file (passport.toml) in a text editor, copy all of it, and "
            "paste it here; then Read (or ctrl+s)."
        )
        self.app.push_screen(PasteDialog("Open a staff passport", hint), pasted)

    @work(thread=True, exclusive=True, group="passport", exit_on_error=False)
    def read_passport_file(self, path: Path, pasted: str | None = None) -> None:
        from pathways.passport import (
            PassportError,
            header_comments,
            holds_degree,
            load_vocabulary,
            read_passport,
            read_passport_text,
            trained_competencies,
        )
        from pathways.records import load_routes

        with catalogue_in_thread(self.db_path) as db:
            vocabulary = load_vocabulary(db)
            routes = load_routes(db)
        try:
            if pasted is not None:
                passport = read_passport_text(pasted, vocabulary, source=str(path))
                header = header_comments(pasted)
            else:
                passport = read_passport(path, vocabulary)
                # Read again for its comments (tomllib keeps none); it was read just now.
                header = header_comments(path.read_text(encoding="utf-8-sig"))
        except PassportError as error:
            self.post_message(PassportFailed(str(error)))
            return
        except (OSError, UnicodeDecodeError) as error:
            self.post_message(PassportFailed(f"{path}: cannot be read ({error})"))
            return
        trained = [vocabulary.competencies[c] for c in trained_competencies(passport, routes)]
        degree = holds_degree(passport, routes)
        self.post_message(PassportRead(path, passport, trained, header, degree))

    def on_passport_read(self, event: PassportRead) -> None:
        passport = event.passport
        # Where the person is, as this passport says: what it leaves out is cleared, not kept
        # from whatever was shown before (another person's passport, perhaps).
        self.role = passport.role
        self.trust = passport.trust
        from pathways.paths import Holdings

        self.holdings = Holdings(frozenset(passport.completed_routes()), event.degree)
        degree = self.query_one("#degree", Checkbox)
        with degree.prevent(Checkbox.Changed):
            degree.value = event.degree
        self._keep_passport(event.path, passport, event.header, "opened from")
        self._show_where(held=passport.held())
        trained = (
            f" Your completed training also gives {', '.join(event.trained)}, at no stated "
            "level: tick those you hold, at your level."
            if event.trained
            else ""
        )
        completed = self.holdings.completed
        counted = (
            f" Training completed counts on paths: {', '.join(sorted(completed))}."
            if completed
            else ""
        )
        self._say(
            f"Opened the passport{self._whose()} from {event.path}: "
            f"{_competencies(len(passport.competencies))} held.{counted}{trained}",
            ok=True,
        )

    def _keep_passport(self, path: Path, passport: Passport, header: str | None, how: str) -> None:
        self.passport, self.passport_path, self.passport_header = passport, path, header
        self._passport_how = how  # "opened from" / "saved to": for the status line

    def _whose(self) -> str:
        name = self.passport.name if self.passport is not None else None
        return f" of {name}" if name else ""

    def _changed_since_passport(self) -> None:
        """Role, trust or what is held changed: the status line said what the passport held
        when opened or saved, so it now says what changed since (or goes, if no passport)."""
        status = self.query_one("#passport-status", Static)
        if self.passport is None or self.passport_path is None:
            status.remove_class("-shown")
            return
        self._say(
            f"Changed since the passport{self._whose()} was {self._passport_how} "
            f"{self.passport_path}: {_competencies(len(self.held))} held now, not yet saved (w).",
            ok=False,
        )

    def on_passport_failed(self, event: PassportFailed) -> None:
        self._say(f"Could not use the passport: {event.problem}", ok=False)
        self.notify(event.problem, title="Passport", severity="error", markup=False, timeout=10)

    def _say(self, text: str, *, ok: bool) -> None:
        status = self.query_one("#passport-status", Static)
        status.update(text)
        status.add_class("-shown")
        status.set_class(ok, "-ok")

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing in the competency finder, letters are text.
        letters = ("choose_target", "save_passport", "open_passport", "export", "step_tab")
        finder = self.query("#held-filter")
        return not (action in letters and finder and finder.first().has_focus)

    def action_choose_target(self) -> None:
        self.query_one("#next-tabs", TabbedContent).active = "target"
        select = self.query_one("#target-role", Select)
        select.focus()
        select.expanded = True

    def action_step_tab(self, step: int) -> None:
        tabs = self.query_one("#next-tabs", TabbedContent)
        names = ["next-steps", "target"]
        tabs.active = names[(names.index(tabs.active) + step) % len(names)]

    def action_focus_filter(self) -> None:
        self.query_one(HeldChecklist).focus_filter()

    def action_back(self) -> None:
        if not self.query_one(HeldChecklist).clear_filter():
            raise SkipAction()

    def _export_rows(self) -> tuple[list[dict[str, Any]], str]:
        """What the open tab shows, as rows; and what a row is."""
        if self.data is None:
            return [], "rows"
        from pathways.paths import step_as_dict

        career = self.data.career
        tabs = self.query_one("#next-tabs", TabbedContent)
        rows: list[dict[str, Any]] = []
        if tabs.active == "target":
            from pathways.path_export import path_rows  # as `workforce path --format csv`

            # A step's own figures, the path's totals once: a column sums to what it means.
            return path_rows(self.paths, career, self.today), "path steps"
        for step in self.steps:
            rows.append(_flat_step(step_as_dict(step, career, self.today)))
        return rows, "next steps"

    def action_export(self, fmt: str = "csv") -> None:
        rows, noun = self._export_rows()
        name = "paths" if noun == "path steps" else "next-steps"
        self.start_export(rows, noun=noun, default_name=f"{name}.{fmt}", toml_table="step")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "passport: save", "Write a staff passport file", self.action_save_passport
        )
        yield SystemCommand(
            "passport: open", "Read a staff passport file", self.action_open_passport
        )
        yield SystemCommand(
            "next step: choose a target", "Choose a role to aim for", self.action_choose_target
        )
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: next steps or paths as {fmt.upper()}",
                f"Write what the open tab shows to a {fmt.upper()} file",
                partial(self.action_export, fmt),
            )


def _competencies(count: int) -> str:
    return f"{count} competenc{'y' if count == 1 else 'ies'}"


def _flat_step(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A step (step_as_dict) as one flat row: routes, gap and warnings joined with ';'."""
    return {
        "from_role": entry["from_role"],
        "to_role": entry["to_role"],
        "kind": entry["kind"],
        "months": entry["months"],
        "months_in_post": entry["months_in_post"],
        "training_months": entry["training_months"],
        "months_unknown": entry["months_unknown"],
        "route": entry["route"] or "",
        "routes": ";".join(route["id"] for route in entry["routes"]),
        "cost": entry["cost"],
        "to_gain": ";".join(f"{g['competency']}:{g['level']}" for g in entry["gap"]),
        "warnings": ";".join(w["text"] for w in entry["warnings"]),
    }
