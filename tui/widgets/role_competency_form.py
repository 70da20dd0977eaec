"""The Catalogue screen's form for a role's competencies: add one, change its level, remove one.

The changes are kept in the form until saved; saving writes them all in one transaction
(`catalogue.reference_import.save_rows` for the levels, `catalogue.retire.remove_row` for the
removals). A form of the app's: tui/widgets/form_fields.py says what every form shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from tui.widgets.form_fields import FormScreen
from tui.widgets.tables import ListTable, cell

if TYPE_CHECKING:
    from sqlite_utils import Database

# Where the catalogue's history says an edit came from.
SOURCE = "app: Catalogue screen"
# 1 aware, 2 working, 3 proficient, 4 expert (teaches and leads others).
LEVELS = {1: "aware", 2: "working", 3: "proficient", 4: "expert"}
NEW_LEVEL = 2  # a competency added starts at "working"; 1-4 changes it

HELP = """\
# A role's competencies

The competencies the role needs and the level of each: **1** aware, **2** working,
**3** proficient, **4** expert (teaches and leads others).

`a` adds a competency (type to narrow the list; it starts at level 2, working), `1` to `4`
set the level of the competency under the cursor, `+` and `-` move it a level up or down, and
`x` marks it to be removed (a level key brings it back). The *Change* column says what saving
will do to each. Nothing is written until you save (ctrl+s); then every change is written in
one transaction, recorded in the catalogue's history, or none is if the catalogue refuses one.
"""


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    pillar: str


def level_text(level: int) -> str:
    return f"{level} {LEVELS[level]}"


Changes = tuple[str, list[dict[str, Any]], list[str]]  # (role, levels to write, to remove)


class RoleCompetencyForm(FormScreen):
    """Edit the competencies (and levels) of the role `role`."""

    AUTO_FOCUS = "#competency-levels"
    HELP_TEXT = HELP
    NOUN = "role's competencies"
    WIDGET_KEYS = (("up/down", "Move between the competencies"),)
    BINDINGS = [
        Binding("a", "add", "Add", id="competency-add", tooltip="Add a competency to the role"),
        Binding(
            "plus,equals_sign",
            "step(1)",
            "Up",
            id="competency-up",
            tooltip="The competency's level one up",
        ),
        Binding("minus", "step(-1)", "Down", id="competency-down", tooltip="Its level one down"),
        *(
            Binding(
                str(level),
                f"level({level})",
                f"Level {level}",
                id=f"competency-level-{level}",
                tooltip=f"Set its level to {level_text(level)}",
                show=False,
            )
            for level in LEVELS
        ),
        Binding(
            "x,delete",
            "remove",
            "Remove",
            id="competency-remove",
            tooltip="Mark the competency to be removed from the role",
        ),
    ]

    def __init__(self, db_path: Path, role: str, title: str) -> None:
        super().__init__(db_path, f"Competencies of {title} ({role})")
        self.role = role
        self.role_title = title
        self.competencies: dict[str, Competency] = {}
        self.saved: dict[str, int] = {}  # competency -> level, as the catalogue holds them
        self.levels: dict[str, int] = {}  # as the form holds them (removed ones left out)
        self.order: list[str] = []  # the rows, in the order shown

    def compose_fields(self) -> ComposeResult:
        yield ListTable(id="competency-levels")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#competency-levels", ListTable)
        table.styles.height = "auto"
        table.styles.max_height = 16
        for label in ("Competency", "Pillar", "Level", "Change"):
            table.add_column(label, key=label)

    def read(self, db: Database) -> tuple[list[Competency], dict[str, int]]:
        from catalogue.reference_kinds import BY_NAME, load_rows

        competencies = [
            Competency(row["id"], row["name"], row["pillar"])
            for row in load_rows(db, BY_NAME["competency"])
        ]
        levels = {
            row["competency"]: int(row["level"])
            for row in load_rows(db, BY_NAME["role_competency"])
            if row["role"] == self.role
        }
        return competencies, levels

    def loaded(self, data: tuple[list[Competency], dict[str, int]]) -> None:
        competencies, levels = data
        self.competencies = {competency.id: competency for competency in competencies}
        self.saved, self.levels = dict(levels), dict(levels)
        # By pillar, then name: as the role's detail lists them.
        self.order = sorted(levels, key=self._sort_key)
        self._draw()

    def _sort_key(self, competency: str) -> tuple[str, str]:
        known = self.competencies.get(competency)
        return (known.pillar, known.name.casefold()) if known else ("", competency)

    # -- the table ----------------------------------------------------------------------------

    def _change(self, competency: str) -> Text:
        was = self.saved.get(competency)
        now = self.levels.get(competency)
        if now is None:
            return Text("remove", style="bold red")
        if was is None:
            return Text("add", style="bold")
        if was != now:
            return Text(f"was {was}", style="bold")
        return Text("")

    def _draw(self, cursor: str | None = None) -> None:
        table = self.query_one("#competency-levels", ListTable)
        keep = cursor or table.highlighted_key()
        table.clear()
        for competency in self.order:
            known = self.competencies.get(competency)
            level = self.levels.get(competency)
            removed = level is None
            style = "dim strike" if removed else ""
            table.add_row(
                Text(known.name if known else competency, style=style),
                cell(known.pillar if known else ""),
                Text("—" if level is None else level_text(level), style=style),
                self._change(competency),
                key=competency,
            )
        if keep is not None:
            table.move_to_key(keep)
        if self.initial is not None:
            self.check()

    def current(self) -> str | None:
        return self.query_one("#competency-levels", ListTable).highlighted_key()

    # -- editing --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.query("#competency-levels"):
            return True  # not mounted yet (or any more)
        if action in ("step", "level", "remove", "add") and (self.initial is None or self.saving):
            return None  # shown, but not yet (or not while saving)
        if action in ("step", "level", "remove") and self.current() is None:
            return None
        return True

    def action_level(self, level: int) -> None:
        competency = self.current()
        if competency is not None:
            self.levels[competency] = level
            self._draw()

    def action_step(self, step: int) -> None:
        competency = self.current()
        if competency is None:
            return
        level = self.levels.get(competency, self.saved.get(competency, NEW_LEVEL))
        self.levels[competency] = max(1, min(4, level + step))
        self._draw()

    def action_remove(self) -> None:
        competency = self.current()
        if competency is None or competency not in self.levels:
            return
        del self.levels[competency]
        if competency not in self.saved:
            self.order.remove(competency)  # never saved: gone at once
        self._draw()

    def action_add(self) -> None:
        from tui.widgets.dialogs import ChoiceDialog

        choices = []
        for competency in sorted(self.competencies.values(), key=lambda c: c.name.casefold()):
            if competency.id in self.levels:
                continue
            label = Text(competency.name)
            label.append(f"  {competency.pillar} · {competency.id}", style="dim")
            choices.append((competency.id, label))

        def chosen(competency: str | None) -> None:
            if competency is None:
                return
            self.levels[competency] = self.saved.get(competency, NEW_LEVEL)
            if competency not in self.order:
                self.order.append(competency)
            self._draw(cursor=competency)

        self.app.push_screen(
            ChoiceDialog(
                f"Add a competency to {self.role_title}",
                choices,
                hint="Type to narrow the list, Enter to add. It starts at level 2 (working).",
                searchable=True,
                empty="No competency matches (or the role has every one).",
            ),
            chosen,
        )

    # -- what saving does -----------------------------------------------------------------------

    def changes(self) -> tuple[list[dict[str, Any]], list[str]]:
        """(the levels to write, the competencies to remove)."""
        rows = [
            {"role": self.role, "competency": competency, "level": level}
            for competency, level in self.levels.items()
            if self.saved.get(competency) != level
        ]
        removed = [competency for competency in self.saved if competency not in self.levels]
        return rows, removed

    def status(self) -> Text | str:
        rows, removed = self.changes()
        added = sum(1 for row in rows if row["competency"] not in self.saved)
        parts = [
            f"{added} to add" if added else "",
            f"{len(rows) - added} level{'s' if len(rows) - added != 1 else ''} to change"
            if len(rows) - added
            else "",
            f"{len(removed)} to remove" if removed else "",
        ]
        said = ", ".join(part for part in parts if part)
        held = f"{len(self.levels)} competencies"
        if not said:
            return f"{held}, no change yet. a adds one; 1-4 set a level; x removes."
        return f"{held}: {said}. ctrl+s saves them in one transaction; Escape discards."

    def values(self) -> Changes:
        rows, removed = self.changes()
        return self.role, rows, removed

    def row_key(self, values: Changes) -> str:
        return self.role

    def write(self, db: Database, values: Changes) -> list[str]:
        from catalogue.reference_import import save_rows
        from catalogue.reference_kinds import BY_NAME, KEY_SEPARATOR
        from catalogue.retire import remove_row

        role, rows, removed = values
        kind = BY_NAME["role_competency"]
        with db.atomic():
            if rows:
                save_rows(db, kind, rows, source=SOURCE)
            for competency in removed:
                remove_row(db, kind, f"{role}{KEY_SEPARATOR}{competency}", source=SOURCE)
        parts = []
        if rows:
            parts.append(f"{len(rows)} set")
        if removed:
            parts.append(f"{len(removed)} removed")
        return [f"Saved the competencies of {role}: {', '.join(parts)}"]
