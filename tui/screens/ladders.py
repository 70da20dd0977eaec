"""The Ladders screen: a staff group's career ladder as a tree (top rung first, the moves on
from each rung and the routes that make them), and the detail of a role or route beside it.

The catalogue's career graph is small (tens of roles and moves): it is read once, in a worker,
and each ladder is built from it on the UI thread. A role's detail (and its posts by trust,
which a national catalogue holds thousands of) is read in a worker when it is opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Input, Label, Select, Static, Tree

from tui.background import cancelled, catalogue_in_thread
from tui.messages import CatalogueChanged
from tui.screens.base import WorkforceScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.ladder_tree import LadderItem, LadderTree

if TYPE_CHECKING:
    from pathways.ladder import Ladder
    from pathways.paths import Career
    from pathways.records import ProgressionEdge
    from tui.widgets.form_fields import Saved
    from tui.widgets.move_form import MoveFormData

HELP = """\
# Ladders

A staff group's career ladder: its reference roles (rungs) by band, the top rung first. Under
each rung, the moves on from it: `↑` up the ladder, `→` across it (or out to another ladder,
whose staff group is named), with the number of training routes that make the move (and how
many of them are restricted or closed today), then the typical months in post. Under a move,
its routes: first *RESTRICTED since* a date (or *CLOSED*), where it is, then level, months and
apprenticeship funding cap, then the route's name (and its kind, where the name does not say
it). Last, the ways into the ladder from other ladders.

Press Enter on a rung to open its detail beside the ladder: band and pay range, competencies
by pillar (level 1 aware, 2 working, 3 proficient, 4 expert), routes in, moves in and on, and
its posts and vacancies by trust (vacant: WTE funded minus in post). Enter on a move goes to
the role it leads to (on its own ladder if it leaves this one), and backspace comes back to
the ladder and rung you left; Enter on a route opens the route. Space shows or hides the
routes of a move.

`g` chooses the staff group (or `[` and `]` for the previous and next, in the order of their
names), `/` shows only the rungs containing some text, `e` writes the ladder shown (one row
per move) to a file.

**Editing moves**: `a` adds a move (from the rung under the cursor, unless you choose
another role), `c` changes the move under the cursor (or the move of the route under it), `d`
(or Delete) removes it, after asking. A move has a from role and a to role (different ones:
they are its key, fixed once added), a kind (up the ladder, or lateral: across it or to
another ladder), the typical months in post before it (a whole number above 0) and the
training routes that make it (type to narrow the list, space to choose or unchoose). The form
checks each field as you type and names what is wrong beside it; `ctrl+s` saves, in one
transaction, with the same checks as an import: if the catalogue refuses, the form says why
and nothing is saved. Escape closes the form, asking first if you have changed anything.
Every screen shows the change once saved.
"""


@dataclass(frozen=True, slots=True)
class LadderData:
    groups: dict[str, str]  # staff group id -> name
    career: Career


class LadderDataLoaded(Message):
    """The staff groups and the career graph were read."""

    def __init__(self, data: LadderData) -> None:
        super().__init__()
        self.data = data


class LadderDetailLoaded(Message):
    """The detail of a role (with its posts by trust) or of a route was read."""

    def __init__(self, item: LadderItem, detail: RenderableType) -> None:
        super().__init__()
        self.item = item
        self.detail = detail


class MoveFormRead(Message):
    """What the move form chooses from was read: open it, on the move `move` ("from:to"), or
    to add one from the role `from_role`."""

    def __init__(self, data: MoveFormData, move: str | None, from_role: str | None) -> None:
        super().__init__()
        self.data = data
        self.move = move
        self.from_role = from_role


class MoveRemoved(Message):
    """The move `move` ("from:to") was removed (`refused`: why it was not, instead)."""

    def __init__(self, move: str, refused: str | None = None) -> None:
        super().__init__()
        self.move = move
        self.refused = refused


def groups_by_name(groups: dict[str, str]) -> list[str]:
    """The staff group ids in the order of their names, as the picker and `[`/`]` list them."""
    return sorted(groups, key=lambda group: (groups[group].casefold(), group))


def default_group(data: LadderData) -> str:
    """The staff group shown first: the one with the most rungs (then by name)."""
    counts = {group: 0 for group in data.groups}
    for role in data.career.roles.values():
        if role.staff_group in counts:
            counts[role.staff_group] += 1
    return min(counts, key=lambda group: (-counts[group], data.groups[group]))


# The actions that edit, hidden from the key bar while a filter is typed in.
EDIT_ACTIONS = ("add_move", "change_move", "remove_move")


class LaddersScreen(WorkforceScreen):
    DEFAULT_CSS = """
    LaddersScreen #ladder-top {
        height: 1;
        padding: 0 1;
    }
    LaddersScreen #ladder-top Label {
        width: auto;
        padding-right: 1;
        color: $text-muted;
    }
    LaddersScreen #staff-group {
        width: 34;
    }
    LaddersScreen #ladder-status {
        width: 1fr;
        padding-left: 2;
        color: $text-muted;
    }
    LaddersScreen #ladder-body {
        height: 1fr;
    }
    LaddersScreen LadderTree {
        width: 1fr;
    }
    LaddersScreen #ladder-detail {
        display: none;
        width: 50%;
        border-left: tall $accent;
        padding: 0 1;
    }
    LaddersScreen #ladder-body.-detail-open #ladder-detail {
        display: block;
    }
    /* A narrow terminal: the detail, once open, covers the ladder. */
    LaddersScreen.-narrow #ladder-body.-detail-open LadderTree {
        display: none;
    }
    LaddersScreen.-narrow #ladder-body.-detail-open #ladder-detail {
        width: 1fr;
        border-left: none;
    }
    """
    AUTO_FOCUS = "LadderTree"
    TITLE = "Ladders"
    HELP_TEXT = HELP
    WRITE_ACTIONS = frozenset({"add_move", "change_move", "remove_move"})
    WIDGET_KEYS = (
        ("up/down", "Move along the ladder"),
        ("enter", "Open a rung or route; on a move, go to the role it leads to"),
        ("space", "Show or hide the routes of a move"),
    )
    BINDINGS = [
        Binding(
            "backspace",
            "go_back",
            "Back",
            id="ladder-go-back",
            tooltip="Back to the ladder and rung you followed a move from",
        ),
        Binding("g", "choose_group", "Group", id="choose-group", tooltip="Choose the staff group"),
        Binding(
            "right_square_bracket",
            "step_group(1)",
            "Next group",
            id="next-group",
            tooltip="The next staff group's ladder",
        ),
        Binding(
            "left_square_bracket",
            "step_group(-1)",
            "Previous group",
            id="previous-group",
            tooltip="The previous staff group's ladder",
            show=False,
        ),
        Binding(
            "slash",
            "focus_find",
            "Filter",
            id="ladder-filter",
            tooltip="Show only the rungs containing some text",
        ),
        Binding("e", "export", "Export", id="ladder-export", tooltip="Write the ladder to a file"),
        Binding(
            "escape",
            "back",
            "Back",
            id="ladder-back",
            tooltip="Close the detail, or clear the filter",
            show=False,
        ),
        Binding(
            "a",
            "add_move",
            "Add move",
            id="move-add",
            tooltip="Add a move (from the rung under the cursor)",
        ),
        Binding(
            "c",
            "change_move",
            "Change move",
            id="move-change",
            tooltip="Change the move under the cursor: its kind, months in post and routes",
        ),
        Binding(
            "d,delete",
            "remove_move",
            "Remove move",
            id="move-remove",
            tooltip="Remove the move under the cursor (asks first)",
        ),
    ]

    def __init__(self, db_path: Path, *, role: str | None = None) -> None:
        super().__init__(db_path)
        self.selected_role = role  # a deep link: shown (and opened) once the ladders are read
        self.data: LadderData | None = None
        self.group: str | None = None
        self.ladder: Ladder | None = None
        self.detail_item: LadderItem | None = None
        self.today = date.today()
        # Where each move followed was taken from, as (staff group, role of the rung the move
        # is under), the latest last: backspace goes back along it.
        self.came_from: list[tuple[str, str | None]] = []
        # The rung to put the cursor on once the ladders are read again (after an edit).
        self.return_to: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ladder-top"):
            yield Label("Staff group")
            yield Select[str]([], id="staff-group", prompt="choose one", compact=True)
            yield Static("", id="ladder-status", markup=False)
        yield Input(placeholder="/ to show only the rungs containing…", classes="filter")
        with Horizontal(id="ladder-body") as body:
            body.loading = True
            yield LadderTree(id="ladder")
            with VerticalScroll(id="ladder-detail"):
                yield Static("", id="ladder-detail-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load_ladders()

    def show_catalogue_afresh(self) -> None:
        if self.data is not None:
            self.return_to = self.rung_at_cursor()
            self.load_ladders()

    # -- reading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="ladders", exit_on_error=False)
    def load_ladders(self) -> None:
        from pathways.paths import load_career
        from pathways.records import load_staff_groups

        with catalogue_in_thread(self.db_path) as db:
            data = LadderData(load_staff_groups(db), load_career(db))
        if not cancelled():
            self.post_message(LadderDataLoaded(data))

    def on_ladder_data_loaded(self, event: LadderDataLoaded) -> None:
        self.data = data = event.data
        self.query_one("#ladder-body").loading = False
        select = self.query_one("#staff-group", Select)
        with select.prevent(Select.Changed):  # the group is shown below, once
            select.set_options(
                (Text(data.groups[group]), group) for group in groups_by_name(data.groups)
            )
        if self.return_to is not None:  # read again after an edit: back where it was
            self._returned(data)
            return
        role = data.career.roles.get(self.selected_role or "")
        group = role.staff_group if role is not None else default_group(data)
        self.show_group(group)
        if role is not None:
            self.go_to_role(role.id, open_detail=True)
        self.selected_role = None

    def _returned(self, data: LadderData) -> None:
        role, self.return_to = self.return_to, None
        detail = self.detail_item
        group = self.group if self.group in data.groups else default_group(data)
        assert group is not None
        self.show_group(group)  # redrawn from the catalogue as it is now
        if role is not None and role in data.career.roles:
            self.go_to_role(role)
        if detail is not None:
            self.open_detail(detail)

    def worker_failed(self) -> None:
        self.query_one("#ladder-body").loading = False
        self.query_one("#ladder-detail").loading = False

    # -- the ladder -------------------------------------------------------------------------

    def show_group(self, group: str) -> None:
        """Draw the ladder of `group` (with the filter as it is)."""
        from pathways.ladder import build_ladder

        assert self.data is not None
        career = self.data.career
        self.group = group
        self.ladder = build_ladder(group, self.data.groups, career.roles, career.edges)
        select = self.query_one("#staff-group", Select)
        if select.value != group:
            with select.prevent(Select.Changed):
                select.value = group
        self.redraw()
        self.close_detail(focus=False)

    def redraw(self) -> None:
        if self.data is None or self.ladder is None:
            return
        tree = self.query_one(LadderTree)
        career = self.data.career
        text = self.filter_text
        shown = tree.show_ladder(
            self.ladder, career.roles, career.routes, self.today, only=text, groups=self.data.groups
        )
        total = len(self.ladder.rungs)
        status = f"{total} rungs, top first"
        if text:
            status = f"{shown} of {total} rungs contain “{text}”"
        self.query_one("#ladder-status", Static).update(status)
        if tree.rung_nodes:
            tree.move_to_role(next(iter(tree.rung_nodes)))

    @on(Select.Changed, "#staff-group")
    def _group_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.group:
            self.show_group(event.value)
            self.query_one(LadderTree).focus()

    def go_to_role(self, role: str, *, open_detail: bool = False) -> None:
        """Put the cursor on `role`'s rung, on its own ladder (and the filter cleared if it
        hides the rung)."""
        if self.data is None or role not in self.data.career.roles:
            return
        group = self.data.career.roles[role].staff_group
        if group != self.group:
            self.show_group(group)
        tree = self.query_one(LadderTree)
        if not tree.move_to_role(role) and self.filter_text:
            find = self.query_one("Input.filter", Input)
            # Redrawn here, at once: the Changed message clearing the filter would redraw
            # again later, and a redraw puts the cursor on the top rung.
            with find.prevent(Input.Changed):
                find.value = ""
            self.redraw()
            tree.move_to_role(role)
        tree.focus()
        if open_detail:
            self.open_detail(LadderItem("rung", role))

    @property
    def filter_text(self) -> str:
        return self.query_one("Input.filter", Input).value.strip()

    @on(Input.Changed, "Input.filter")
    def _filter_changed(self) -> None:
        self.redraw()

    @on(Input.Submitted, "Input.filter")
    def _filter_done(self) -> None:
        self.query_one(LadderTree).focus()

    # -- the detail panel -----------------------------------------------------------------------

    @on(Tree.NodeSelected, "LadderTree")
    def _node_opened(self, event: Tree.NodeSelected[LadderItem]) -> None:
        item = event.node.data
        if item is None:
            return
        if item.kind == "move" and item.role is not None:
            if self.group is not None:
                rung = event.node.parent.data if event.node.parent is not None else None
                self.came_from.append((self.group, rung.role if rung is not None else None))
                self.refresh_bindings()  # backspace is offered from now on
            self.go_to_role(item.role, open_detail=self.detail_item is not None)
        elif item.kind in ("rung", "route"):
            self.open_detail(item)
        elif item.kind == "entries":
            event.node.toggle()

    @on(Tree.NodeHighlighted, "LadderTree")
    def _node_highlighted(self, event: Tree.NodeHighlighted[LadderItem]) -> None:
        self.refresh_bindings()  # changing or removing a move is offered on a move
        # With the detail open beside the ladder, it follows the cursor to rungs and routes.
        item = event.node.data
        if self.detail_item is None or self.has_class("-narrow") or item is None:
            return
        if item.kind in ("rung", "route") and item != self.detail_item:
            self.open_detail(item)

    def open_detail(self, item: LadderItem) -> None:
        self.detail_item = item
        self.query_one("#ladder-body").add_class("-detail-open")
        self.query_one("#ladder-detail").loading = True
        self.load_detail(item)

    def close_detail(self, *, focus: bool = True) -> None:
        self.detail_item = None
        self.query_one("#ladder-body").remove_class("-detail-open")
        if focus:
            self.call_after_refresh(self.query_one(LadderTree).focus)

    @work(thread=True, exclusive=True, group="ladder-detail", exit_on_error=False)
    def load_detail(self, item: LadderItem) -> None:
        from pathways.details import role_detail, route_detail
        from pathways.paths import posts_for
        from pathways.records import load_jds, load_trusts
        from tui.widgets.career_views import heading, posts_table
        from tui.widgets.detail_views import render_detail

        detail: RenderableType
        with catalogue_in_thread(self.db_path) as db:
            if item.kind == "route" and item.route is not None:
                found: Any = route_detail(db, item.route)
                detail = render_detail(found) if found else Text(f"{item.route}: not found")
            else:
                assert item.role is not None
                found = role_detail(db, item.role)
                posts = posts_for(load_jds(db, role=item.role), load_trusts(db))
                detail = (
                    Group(
                        render_detail(found),
                        heading("Posts and vacancies by trust"),
                        posts_table(posts),
                    )
                    if found
                    else Text(f"{item.role}: no longer in the catalogue")
                )
        if not cancelled():
            self.post_message(LadderDetailLoaded(item, detail))

    def on_ladder_detail_loaded(self, event: LadderDetailLoaded) -> None:
        if event.item != self.detail_item:
            return  # the cursor has moved on
        panel = self.query_one("#ladder-detail", VerticalScroll)
        panel.loading = False
        self.query_one("#ladder-detail-body", Static).update(event.detail)
        panel.scroll_home(animate=False)
        if self.has_class("-narrow"):
            panel.focus()  # the detail covers the ladder: it takes the keys, so it scrolls

    # -- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing a filter, letters are text: hide the letter keys from the footer.
        if action == "go_back":
            # Offered once a move has been followed; not while the staff groups are listed.
            picker = self.query("#staff-group").results(Select)
            return bool(self.came_from) and not any(select.expanded for select in picker)
        letters = ("choose_group", "export", "step_group", *EDIT_ACTIONS)
        inputs = self.query("Input.filter")
        if action in letters and inputs and inputs.first().has_focus:
            return False
        if action in ("change_move", "remove_move"):
            # Shown, dimmed, until the cursor is on a move (or one of its routes).
            return True if self.move_at_cursor() is not None else None
        return True

    def action_choose_group(self) -> None:
        select = self.query_one("#staff-group", Select)
        select.focus()
        select.expanded = True

    def action_step_group(self, step: int) -> None:
        if self.data is None or self.group is None:
            return
        groups = groups_by_name(self.data.groups)
        self.show_group(groups[(groups.index(self.group) + step) % len(groups)])
        self.query_one(LadderTree).focus()

    def action_go_back(self) -> None:
        """Back to the ladder and rung the last move followed was taken from."""
        if self.data is None or not self.came_from:
            return
        group, role = self.came_from.pop()
        self.refresh_bindings()
        if role is not None:
            self.go_to_role(role, open_detail=self.detail_item is not None)
            return
        # From the ways in (under no rung): that ladder, from the top.
        if group != self.group:
            self.show_group(group)
        self.query_one(LadderTree).focus()

    def action_focus_find(self) -> None:
        self.set_focus(self.query_one("Input.filter", Input))

    def action_back(self) -> None:
        find = self.query_one("Input.filter", Input)
        if find.has_focus:
            find.value = ""
            self.query_one(LadderTree).focus()
        elif self.detail_item is not None:
            self.close_detail()
        elif find.value:
            find.value = ""
        else:
            raise SkipAction()

    def ladder_rows(self) -> list[dict[str, Any]]:
        """The ladder shown, one row per move (a rung with no move on: one row, no move)."""
        if self.data is None or self.ladder is None:
            return []
        from pathways.ladder import band_range, edge_routes

        career = self.data.career
        tree = self.query_one(LadderTree)
        rows: list[dict[str, Any]] = []
        for role_id in tree.rung_nodes:
            role = career.roles[role_id]
            base = {
                "staff_group": self.ladder.staff_group,
                "role": role.id,
                "title": role.title,
                "bands": band_range(role),
                "career_level": role.career_level,
            }
            moves = self.ladder.edges_from(role_id)
            for edge in moves:
                routes = edge_routes(edge, career.routes)
                rows.append(
                    {
                        **base,
                        "move": edge.kind,
                        "to_role": edge.to_role,
                        "to_title": career.roles[edge.to_role].title,
                        "to_bands": band_range(career.roles[edge.to_role]),
                        "months_in_post": edge.months_in_post,
                        "routes": ";".join(route.id for route in routes),
                    }
                )
            if not moves:
                rows.append(
                    {
                        **base,
                        "move": "",
                        "to_role": "",
                        "to_title": "",
                        "to_bands": "",
                        "months_in_post": None,
                        "routes": "",
                    }
                )
        return rows

    def action_export(self, fmt: str = "csv") -> None:
        self.start_export(
            self.ladder_rows(),
            noun="ladder moves",
            default_name=f"ladder-{self.group or 'staff-group'}.{fmt}",
            toml_table="move",
        )

    # -- editing moves ----------------------------------------------------------------------------

    def move_at_cursor(self) -> ProgressionEdge | None:
        """The move under the cursor (or whose route is under it), or None."""
        if self.ladder is None:
            return None
        trees = self.query(LadderTree)
        node = trees.first().cursor_node if trees else None
        if node is not None and node.data is not None and node.data.kind == "route":
            node = node.parent
        if node is None or node.data is None or node.data.kind != "move" or node.parent is None:
            return None
        above = node.parent.data
        if above is None:
            return None
        if above.kind == "rung":
            return next(
                (e for e in self.ladder.edges_from(str(above.role)) if e.to_role == node.data.role),
                None,
            )
        if above.kind == "entries":
            # The ways in are drawn in the ladder's order, one node each (LadderTree).
            index = list(node.parent.children).index(node)
            entries = list(self.ladder.entries)
            return entries[index] if index < len(entries) else None
        return None

    def rung_at_cursor(self) -> str | None:
        """The role of the rung under the cursor (or of the rung a move under it leaves)."""
        node = self.query_one(LadderTree).cursor_node
        while node is not None and node.data is not None and node.data.kind != "rung":
            node = node.parent
        return node.data.role if node is not None and node.data is not None else None

    def action_add_move(self) -> None:
        if self.data is None:
            return
        edge = self.move_at_cursor()
        self.read_form_data(None, edge.from_role if edge is not None else self.rung_at_cursor())

    def action_change_move(self) -> None:
        edge = self.move_at_cursor()
        if edge is None:
            self.notify("Put the cursor on a move first.", severity="warning")
            return
        self.read_form_data(f"{edge.from_role}:{edge.to_role}", edge.from_role)

    @work(thread=True, exclusive=True, group="move-form", exit_on_error=False)
    def read_form_data(self, move: str | None, from_role: str | None) -> None:
        from tui.widgets.move_form import load_move_form_data

        with catalogue_in_thread(self.db_path) as db:
            data = load_move_form_data(db)
        if not cancelled():
            self.post_message(MoveFormRead(data, move, from_role))

    def on_move_form_read(self, event: MoveFormRead) -> None:
        from tui.widgets.move_form import MoveForm

        if self.app.screen is not self:
            return  # a dialog was opened meanwhile: the form would open over it
        if event.move is not None and event.move not in event.data.moves:
            self.notify(
                f"The move {event.move} is no longer in the catalogue.",
                severity="warning",
                markup=False,
            )
            self.reload(event.from_role)
            return
        form = MoveForm(self.db_path, event.data, event.move, from_role=event.from_role)
        self.app.push_screen(form, self.move_saved)

    def move_saved(self, saved: Saved | None) -> None:
        """A move was saved: every screen shows the catalogue as it is now; this one reads
        the ladders again, with the cursor on the rung the move leaves."""
        if saved is None:
            return
        self.notify("\n".join(saved.lines), title="Saved", markup=False)
        self.app.post_message(CatalogueChanged())
        self.reload(self._rung_of(saved.key))

    def _rung_of(self, move: str) -> str:
        """The rung of the ladder shown that the move `move` ("from:to") is drawn by: the one
        it leaves, or (a way in from another ladder) the one it leads to."""
        from_role, to_role = move.split(":", 1)
        rungs = self.ladder.rung_ids() if self.ladder is not None else set()
        return from_role if from_role in rungs or to_role not in rungs else to_role

    def reload(self, role: str | None) -> None:
        """Read the ladders again, then show the ladder shown now, with the cursor on `role`."""
        self.return_to = role or self.rung_at_cursor()
        self.load_ladders()

    def action_remove_move(self) -> None:
        edge = self.move_at_cursor()
        if edge is None or self.data is None:
            self.notify("Put the cursor on a move first.", severity="warning")
            return
        from tui.widgets.dialogs import ConfirmDialog

        roles = self.data.career.roles
        source = roles[edge.from_role].title if edge.from_role in roles else edge.from_role
        target = roles[edge.to_role].title if edge.to_role in roles else edge.to_role
        key = f"{edge.from_role}:{edge.to_role}"
        made = f", made by {len(edge.routes)} route{'s' if len(edge.routes) != 1 else ''}"
        made = made if edge.routes else ""

        def answered(remove: bool | None) -> None:
            if remove:
                self.remove_move(key)

        self.app.push_screen(
            ConfirmDialog(
                "Remove this move?",
                f"{source} → {target} ({edge.kind}{made}): the move will be removed from the "
                "catalogue. The routes themselves stay.",
                yes="Remove",
                no="Keep it",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="move-remove", exit_on_error=False)
    def remove_move(self, key: str) -> None:
        from catalogue.errors import CatalogueError
        from tui.widgets.move_form import remove_move

        try:
            with catalogue_in_thread(self.db_path) as db:
                remove_move(db, key)
        except CatalogueError as error:
            self.post_message(MoveRemoved(key, refused=str(error)))
            return
        self.post_message(MoveRemoved(key))

    def on_move_removed(self, event: MoveRemoved) -> None:
        if event.refused is not None:
            self.notify(
                f"Nothing was removed: {event.refused}",
                title="Not removed",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"move {event.move}: removed", title="Removed", markup=False)
        self.app.post_message(CatalogueChanged())
        self.reload(self._rung_of(event.move))

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "ladder: add a move", "Add a move to the career graph", self.action_add_move
        )
        if self.move_at_cursor() is not None:
            yield SystemCommand(
                "ladder: change the move",
                "Change the move under the cursor",
                self.action_change_move,
            )
            yield SystemCommand(
                "ladder: remove the move",
                "Remove the move under the cursor",
                self.action_remove_move,
            )
        for fmt in ("csv", "toml"):
            yield SystemCommand(
                f"export: ladder as {fmt.upper()}",
                f"Write the ladder shown to a {fmt.upper()} file",
                partial(self.action_export, fmt),
            )
        if self.data is not None:
            for group in groups_by_name(self.data.groups):
                name = self.data.groups[group]
                yield SystemCommand(
                    f"ladder: {name.lower()}",
                    f"Show the {name} ladder",
                    partial(self._palette_group, group),
                )

    def _palette_group(self, group: str) -> None:
        self.show_group(group)
        self.query_one(LadderTree).focus()
