"""The Catalogue screen's form for adding a trust, in an ICB the catalogue holds or one added
with it. A form of the app's (tui/widgets/form_fields.py); the Catalogue screen's other forms are
a role's competencies (role_competency_form.py) and a pay year by uplift (pay_year_form.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select

from tui.widgets.form_fields import FormScreen

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]

# Where the catalogue's history says an edit came from.
SOURCE = "app: Catalogue screen"
ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
NEW_ICB = "__new_icb__"  # the ICB list's last choice: add an ICB with the trust


# -- adding a trust ----------------------------------------------------------------------------

TRUST_HELP = """\
# Add a trust

A trust of the network: its ODS code (3 to 5 capital letters or digits, such as `RRK`), its
name as the NHS writes it, and the integrated care board (ICB) it belongs to. Choose the ICB in
the list, or **New ICB…** (its last choice) to add the ICB in the same form: its ODS code and
name. A note is optional.

Each field is checked as you type; what is wrong is said under it. Saving writes the ICB (if
new) and the trust in one transaction, recorded in the catalogue's history as the network's
own; if the catalogue refuses them, it says why here and nothing is written.
"""


def ods_problem(code: str, noun: str, example: str) -> str | None:
    """What is wrong with an ODS code as typed, or None."""
    if not code:
        return f"Give the {noun}'s ODS code (such as {example})."
    if not ODS_CODE.match(code):
        return f"{code!r} is not an ODS code: 3 to 5 capital letters or digits, such as {example}."
    return None


class TrustForm(FormScreen):
    """Add a trust, in an ICB of the catalogue's or one added with it."""

    HINT = "A trust of the network, in an ICB the catalogue holds or a new one."
    HELP_TEXT = TRUST_HELP
    FIELDS = ("trust-code", "trust-name", "trust-icb", "icb-code", "icb-name", "trust-note")
    NOUN = "trust"

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path, "Add a trust", first="trust-code")
        self.trusts: dict[str, str] = {}  # code -> name
        self.icbs: dict[str, str] = {}

    def compose_fields(self) -> ComposeResult:
        yield from self.field_row("trust-code", "ODS code", Input(placeholder="e.g. RXX"))
        yield from self.field_row("trust-name", "Name", Input(placeholder="the trust's full name"))
        yield from self.field_row(
            "trust-icb", "ICB", Select[str]((), prompt="Choose the trust's ICB")
        )
        with Vertical(id="new-icb", classes="form-group"):
            yield from self.field_row("icb-code", "New ICB code", Input(placeholder="e.g. QXX"))
            yield from self.field_row("icb-name", "New ICB name", Input(placeholder="its name"))
        yield from self.field_row("trust-note", "Note", Input(placeholder="optional"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#new-icb").display = False

    def read(self, db: Database) -> tuple[dict[str, str], dict[str, str]]:
        from catalogue.reference_kinds import BY_NAME, load_rows

        trusts = {row["code"]: row["name"] for row in load_rows(db, BY_NAME["trust"])}
        icbs = {row["code"]: row["name"] for row in load_rows(db, BY_NAME["icb"])}
        return trusts, icbs

    def loaded(self, data: tuple[dict[str, str], dict[str, str]]) -> None:
        self.trusts, self.icbs = data
        choices = [(Text(f"{code} {name}"), code) for code, name in sorted(self.icbs.items())]
        choices.append((Text("New ICB… (add it with the trust)", style="italic"), NEW_ICB))
        self.query_one("#f-trust-icb", Select).set_options(choices)

    def field_changed(self, name: str) -> None:
        if name == "trust-icb":
            self.query_one("#new-icb").display = self.choice("trust-icb") == NEW_ICB

    def values(self) -> Row:
        return {
            name: self.choice(name) if name == "trust-icb" else self.text(name)
            for name in self.FIELDS
        }

    def problems(self, values: Row) -> dict[str, str]:
        found: dict[str, str] = {}
        code = values["trust-code"]
        problem = ods_problem(code, "trust", "RRK")
        if problem is None and code in self.trusts:
            problem = f"{code} is already a trust: {self.trusts[code]}."
        if problem:
            found["trust-code"] = problem
        name = values["trust-name"]
        if not name:
            found["trust-name"] = "Give the trust's name."
        else:
            same = [c for c, n in self.trusts.items() if n.casefold() == name.casefold()]
            if same:
                found["trust-name"] = f"Trust {same[0]} already has this name."
        icb = values["trust-icb"]
        if not icb:
            found["trust-icb"] = "Choose the trust's ICB, or New ICB… (the last) to add one."
        elif icb == NEW_ICB:
            icb_code = values["icb-code"]
            problem = ods_problem(icb_code, "ICB", "QHL")
            if problem is None and icb_code in self.icbs:
                problem = f"{icb_code} is already an ICB ({self.icbs[icb_code]}): choose it above."
            if problem:
                found["icb-code"] = problem
            if not values["icb-name"]:
                found["icb-name"] = "Give the new ICB's name."
        return found

    def row_key(self, values: Row) -> str:
        return str(values["trust-code"])

    def write(self, db: Database, values: Row) -> list[str]:
        from catalogue.errors import CatalogueError
        from catalogue.reference_import import save_rows
        from catalogue.reference_kinds import BY_NAME, load_keys

        icb = None
        if values["trust-icb"] == NEW_ICB:
            icb = {"code": values["icb-code"], "name": values["icb-name"]}
        trust = {
            "code": values["trust-code"],
            "name": values["trust-name"],
            "icb": icb["code"] if icb else values["trust-icb"],
            "note": values["trust-note"],
        }
        with db.atomic():
            # Added meanwhile (by another program)? Then saving would change it, not add it.
            if trust["code"] in load_keys(db, BY_NAME["trust"]):
                raise CatalogueError(f"{trust['code']} is a trust already (added meanwhile).")
            if icb is not None:
                if icb["code"] in load_keys(db, BY_NAME["icb"]):
                    raise CatalogueError(f"{icb['code']} is an ICB already (added meanwhile).")
                save_rows(db, BY_NAME["icb"], [icb], source=SOURCE)
            save_rows(db, BY_NAME["trust"], [trust], source=SOURCE)
        said = f"Added trust {trust['code']} {trust['name']}"
        return [said + (f", in the new ICB {icb['code']} {icb['name']}" if icb else "")]
