"""The Ladders screen's form: add or change a move of the career graph (from a role, to a role,
up or across, the typical months in post first, the training routes that make it).

It saves through the catalogue's own API (`catalogue.reference_import.save_rows`): the checks
of an import, one transaction, provenance recorded as "app: Ladders screen". Removing a move
(`remove_move`) goes through `catalogue.retire.remove_row`. The screen reads what the form
needs in a worker (`load_move_form_data`) before opening it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from catalogue.reference_kinds import KEY_SEPARATOR
from tui.widgets.choice_list import ChoiceList
from tui.widgets.field_checks import number_problem, text_problem, whole_number
from tui.widgets.form_fields import FormScreen

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]

SOURCE = "app: Ladders screen"
KINDS = {"up": "up: to a higher rung", "lateral": "lateral: across, or to another ladder"}

MOVE_HELP = """\
# A move

A move of the career graph: from a role to another, **up** a rung or **lateral** (across, or
onto another ladder), with the typical **months in post** in the first role before it (a
whole number, 1 or more) and the training **routes** that make it: type in the box over the
list to narrow it, then space (or Enter) chooses or unchooses the one under the cursor.

A move's two roles are its key: to move it between roles, remove it (`d` on the Ladders
screen) and add another. Each field is checked as you type; what is wrong is said under it.
Saving writes the move in one transaction, recorded in the catalogue's history as the Ladders
screen's edit (its list of routes is replaced by the one chosen); if the catalogue refuses
it, it says why here and nothing is written.
"""


def move_key(from_role: str, to_role: str) -> str:
    return f"{from_role}{KEY_SEPARATOR}{to_role}"


@dataclass(frozen=True)
class MoveFormData:
    """What the move form chooses from: every role and route as (id, label) pairs in the
    order listed, and every move held (key "from:to" -> the row, as the catalogue holds it)."""

    roles: list[tuple[str, str]]
    routes: list[tuple[str, str]]
    moves: dict[str, Row]

    @property
    def role_labels(self) -> dict[str, str]:
        return dict(self.roles)


def load_move_form_data(db: Database) -> MoveFormData:
    """Read what the form needs (in a worker thread)."""
    from catalogue.reference_kinds import BY_NAME, load_rows

    roles = sorted(load_rows(db, BY_NAME["role"]), key=lambda r: str(r["title"]).casefold())
    routes = sorted(load_rows(db, BY_NAME["route"]), key=lambda r: str(r["name"]).casefold())
    moves = {
        move_key(row["from_role"], row["to_role"]): row for row in load_rows(db, BY_NAME["edge"])
    }
    return MoveFormData(
        [
            (
                str(role["id"]),
                f"{role['title']} ({role['id']})"
                + (" · retired" if role.get("status") == "retired" else ""),
            )
            for role in roles
        ],
        [
            (
                str(route["id"]),
                f"{route['name']} ({route['id']})"
                + (f" · {route['status']}" if route["status"] != "open" else ""),
            )
            for route in routes
        ],
        moves,
    )


def remove_move(db: Database, key: str) -> None:
    """Remove the move `key` ("from:to"), in one transaction (in a worker thread). Raises
    CatalogueError, having removed nothing."""
    from catalogue.reference_kinds import BY_NAME
    from catalogue.retire import remove_row

    remove_row(db, BY_NAME["edge"], key, source=SOURCE)


class MoveForm(FormScreen):
    """Add a move (`move` None; `from_role` the rung it starts from, if known) or change one.
    A move's roles are its key: to move it between roles, remove it and add another."""

    FIELDS = ("from_role", "to_role", "kind", "months_in_post", "routes", "note")
    NOUN = "move"
    HELP_TEXT = MOVE_HELP
    WIDGET_KEYS = (
        *FormScreen.WIDGET_KEYS,
        ("space", "In the list of routes: choose or unchoose the one under the cursor"),
    )

    def __init__(
        self,
        db_path: Path,
        data: MoveFormData,
        move: str | None = None,
        *,
        from_role: str | None = None,
    ) -> None:
        self.data = data
        self.move: Row | None = data.moves.get(move) if move is not None else None
        self.from_role = from_role
        if self.move is None:
            heading = "Add a move"
        else:
            labels = data.role_labels
            heading = (
                f"Change the move {labels.get(self.move['from_role'], self.move['from_role'])}"
                f" → {labels.get(self.move['to_role'], self.move['to_role'])}"
            )
        first = "kind" if self.move is not None else "to_role" if from_role else "from_role"
        super().__init__(db_path, heading, first=first)

    def compose_fields(self) -> ComposeResult:
        move = self.move or {}
        editing = self.move is not None
        roles = [(Text(label), value) for value, label in self.data.roles]
        known = {value for value, _ in self.data.roles}

        def role_select(value: object) -> Select[str]:
            return Select(
                roles,
                prompt="choose a role (type to find it)",
                value=value if value in known else Select.NULL,
                disabled=editing,
            )

        yield from self.field_row(
            "from_role", "From role", role_select(move.get("from_role", self.from_role))
        )
        yield from self.field_row(
            "to_role",
            "To role",
            role_select(move.get("to_role")),
            hint=(
                "A move's roles are fixed: to change them, remove it (d) and add another (a)."
                if editing
                else None
            ),
        )
        yield from self.field_row(
            "kind",
            "Kind",
            Select(
                [(Text(label), value) for value, label in KINDS.items()],
                value=move.get("kind") or "up",
                allow_blank=False,
            ),
        )
        months = move.get("months_in_post")
        yield from self.field_row(
            "months_in_post",
            "Months in post",
            Input(
                "" if months is None else str(months),
                placeholder="typical months in the first role before moving",
            ),
        )
        yield from self.list_field(
            "routes",
            "Routes that make the move",
            ChoiceList(self.data.routes, move.get("routes") or (), noun="routes"),
        )
        yield from self.field_row("note", "Note", Input(str(move.get("note") or "")))
        if not self.data.routes:
            yield Static("No training routes in the catalogue yet.", classes="form-hint")

    def values(self) -> Row:
        return {
            "from_role": self.choice("from_role"),
            "to_role": self.choice("to_role"),
            "kind": self.choice("kind"),
            "months_in_post": self.text("months_in_post"),
            "routes": self.chosen("routes"),
            "note": self.text("note"),
        }

    def problems(self, values: Row) -> dict[str, str]:
        found: dict[str, str] = {}
        source, target = values["from_role"], values["to_role"]
        if not source:
            found["from_role"] = "Choose the role the move starts from."
        if not target:
            found["to_role"] = "Choose the role the move leads to."
        elif source == target:
            found["to_role"] = "A move leads to another role: choose a different one."
        elif self.move is None and move_key(source, target) in self.data.moves:
            labels = self.data.role_labels
            found["to_role"] = (
                f"There is a move from {labels.get(source, source)} to "
                f"{labels.get(target, target)} already: change that one (c) instead."
            )
        months = values["months_in_post"]
        held = "" if self.move is None else str(self.move.get("months_in_post", ""))
        # A move held as "any time" (0 months) may be saved as it is; a new figure is > 0.
        if not (self.move is not None and months == held):
            problem = number_problem(months, "months in post", least=1, required=True)
            if problem:
                found["months_in_post"] = problem
        note = text_problem(values["note"], "note", most=500)
        if note:
            found["note"] = note
        return found

    def row_key(self, values: Row) -> str:
        return move_key(values["from_role"], values["to_role"])

    def write(self, db: Database, values: Row) -> list[str]:
        from catalogue.reference_import import save_rows
        from catalogue.reference_kinds import BY_NAME

        row = {
            "from_role": values["from_role"],
            "to_role": values["to_role"],
            "kind": values["kind"],
            "months_in_post": whole_number(values["months_in_post"]) or 0,
            "routes": values["routes"],
            "note": values["note"],
        }
        plan = save_rows(db, BY_NAME["edge"], [row], source=SOURCE)
        return plan.lines or [f"move {self.row_key(values)}: unchanged"]
